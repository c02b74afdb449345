//! What can go wrong in the store, as one error type.

use siaga_domain::{IncidentId, TransitionError};

/// A store operation that did not happen. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The domain rules refused the event (illegal transition, wrong role, bad text, …).
    #[error("the event was refused: {0}")]
    Refused(#[from] TransitionError),
    /// The incident is not in the store.
    #[error("incident {0} is not in the store")]
    UnknownIncident(IncidentId),
    /// The central's feed does not fold onto what the store holds for this incident: it needs a
    /// snapshot from the central (full resync of that incident).
    #[error("incident {0} diverged from the central's feed and needs a resync")]
    Diverged(IncidentId),
    /// The schema on disk is newer than this build understands.
    #[error("the store's schema version {found} is newer than this desk supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    /// A store opened read-only has an older schema (open it with the desk once to bring it up to date).
    #[error("the store's schema version {found} is older than this build's ({supported}): open it with the desk once")]
    SchemaTooOld { found: i64, supported: i64 },
    /// A stored JSON document does not decode (a bug or a damaged file).
    #[error("stored data does not decode: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// SQLite failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The file does not open with the key given: encrypted under another key (a store copied from
    /// another machine, or a key lost from the keyring), or not a database at all. Nothing was changed.
    #[error(
        "the store does not open with this machine's key (encrypted under another key, or not a database)"
    )]
    Locked,
    /// A picture that is not the evidence its event names (decision 0022); nothing was written.
    #[error("evidence: {0}")]
    Evidence(#[from] siaga_domain::evidence::EvidenceProblem),
    /// The store's key could not be made, read or used.
    #[error("the store's key: {0}")]
    Key(String),
}

/// SQLite's answer to a file that is not a database under the key given (SQLITE_NOTADB).
const SQLITE_NOTADB: &str = "26";

impl StoreError {
    /// An error from opening the file: "not a database" means the key does not fit.
    pub(crate) fn opening(err: sqlx::Error) -> StoreError {
        match err.as_database_error().and_then(|db| db.code()) {
            Some(code) if code == SQLITE_NOTADB => StoreError::Locked,
            _ => StoreError::Database(err),
        }
    }

    /// An error from the first reads of an opened file (SQLCipher checks the key on the first page read).
    pub(crate) fn opened(err: StoreError) -> StoreError {
        match err {
            StoreError::Database(err) => StoreError::opening(err),
            other => other,
        }
    }
}
