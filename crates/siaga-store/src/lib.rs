//! The desk's local SQLite store: what the desk knows of incidents, so that it works with no link to the
//! central 110 API and loses nothing it accepted.
//!
//! Four kinds of record (see `migrations/`):
//! - `incident_event`: every event the desk made or learned (append-only);
//! - `incident`: per incident, the `confirmed` snapshot (the fold of the central's feed, in feed order)
//!   and the `view` the desk shows (confirmed plus this desk's events the feed has not brought back yet);
//! - `outbox`: this desk's events on their way to the central (pending → acked | rejected);
//! - `sync_cursor` and `rejection`: how far each Polda's feed was read, and what the central refused;
//! - `research_export`: every anonymised research export made at this desk (who, when, rules, where).
//!
//! Architecture Invariant: an event and its outbox row are written in one transaction, after the domain
//! state machine accepted the event; a refused event writes nothing. All writes go through one writer
//! connection (SQLite has one writer anyway), so a read-then-write never races another write.
//!
//! Architecture Invariant: `confirmed` is changed only by events from the central's feed (or a full resync
//! snapshot), never by this desk's optimistic edits; `view` is always recomputable from the two.
//!
//! Snapshots (`snapshot`): an initial sync or full resync writes the central's snapshots page by page
//! (one transaction per page, batched prepared inserts) and marks how far into the feed each reaches, so
//! that no event is applied twice when the feed continues.

mod analytics;
mod audit;
mod board;
mod encryption;
mod error;
mod evidence;
mod local;
mod map;
mod query;
mod remote;
mod schema;
mod services;
mod snapshot;
mod view;

pub use analytics::{AnalyticsPoint, ExportRecord};
pub use audit::AuditRecord;
pub use board::{FrequentCaller, HourOfCalls, OperatorLoad, StageLoad};
pub use encryption::{is_plain_store, StoreKey};
pub use error::StoreError;
pub use evidence::StoredEvidence;
pub use local::Recorded;
pub use map::{KioskRecord, MapFilter, MapPoint, OpenAlert};
pub use query::{BoundingBox, CallerHistory, EventStanding, IncidentFilter, SyncSummary};
pub use remote::{Rejection, RemoteEvent, RemoteOutcome};
pub use snapshot::SnapshotRecord;

use siaga_domain::clock::{now_ms, unix_ms};
use siaga_domain::IncidentId;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;
use tokio::sync::broadcast;

/// The desk's store, backed by one SQLite file in WAL mode.
#[derive(Debug, Clone)]
pub struct Store {
    writer: SqlitePool,
    reader: SqlitePool,
    changes: broadcast::Sender<StoreChange>,
}

/// What a committed write changed, announced after the commit (so a reader that reacts sees it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreChange {
    /// Incidents whose view changed.
    pub incidents: Vec<IncidentId>,
    /// Too many incidents to list (a resync): re-read everything.
    pub all_incidents: bool,
    /// The kiosk list changed.
    pub kiosks: bool,
    /// Citizen requests changed.
    pub service_requests: bool,
    /// When the write committed (ms since the epoch).
    pub committed_ms: i64,
}

impl StoreChange {
    fn incidents(incidents: Vec<IncidentId>) -> StoreChange {
        StoreChange {
            incidents,
            committed_ms: now_ms(),
            ..StoreChange::default()
        }
    }

    fn kiosks() -> StoreChange {
        StoreChange {
            kiosks: true,
            committed_ms: now_ms(),
            ..StoreChange::default()
        }
    }
}

impl Store {
    /// Opens (creating if needed) a store without encryption: for tests, benchmarks and tools that build a
    /// store of their own. The desk opens its store with [`Store::open_encrypted`].
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, None).await
    }

    /// Opens (creating if needed) the desk's store encrypted under `key` (SQLCipher; see `encryption`). A
    /// plain store an older desk wrote is encrypted in place first. A store encrypted under another key, or
    /// a file that is no database, is [`StoreError::Locked`] and is left as it is.
    pub async fn open_encrypted(path: &Path, key: &StoreKey) -> Result<Store, StoreError> {
        if is_plain_store(path)? {
            encryption::encrypt_plain_store(path, key).await?;
        }
        Store::open_with(path, Some(key)).await
    }

    /// A desk file's connection options, the key (if any) first.
    fn file_options(path: &Path, key: Option<&StoreKey>) -> SqliteConnectOptions {
        // The one place the desk's file is opened (clippy.toml refuses it elsewhere).
        #[allow(clippy::disallowed_methods)]
        let options = SqliteConnectOptions::new();
        match key {
            Some(key) => key.apply(options),
            None => options,
        }
        .filename(path)
    }

    async fn open_with(path: &Path, key: Option<&StoreKey>) -> Result<Store, StoreError> {
        let options = Store::file_options(path, key)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an action the operator saw accepted survives a crash of the desk or of the machine.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // The writer keeps a larger page cache: an initial sync writes a million rows and their indexes.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("cache_size", "-32768"))
            .await
            .map_err(StoreError::opening)?;
        schema::migrate(&writer).await.map_err(StoreError::opened)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        let (changes, _) = broadcast::channel(1024);
        Ok(Store {
            writer,
            reader,
            changes,
        })
    }

    /// Opens an existing store read-only, beside a desk that may be writing it (`key`: the desk's, for an
    /// encrypted store). The schema must be current.
    pub async fn open_read_only(path: &Path, key: Option<&StoreKey>) -> Result<Store, StoreError> {
        let options = Store::file_options(path, key)
            .read_only(true)
            .busy_timeout(Duration::from_secs(10));
        let reader = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(StoreError::opening)?;
        schema::check_current(&reader).await.map_err(StoreError::opened)?;
        let (changes, _) = broadcast::channel(1);
        Ok(Store {
            writer: reader.clone(),
            reader,
            changes,
        })
    }

    /// Follows what committed writes change. A receiver that lags behind gets `Lagged` and should
    /// re-read everything it shows.
    pub fn changes(&self) -> broadcast::Receiver<StoreChange> {
        self.changes.subscribe()
    }

    fn announce(&self, change: StoreChange) {
        // Nobody listening is fine: the screens read the store when they open.
        let _ = self.changes.send(change);
    }

    /// Closes both pools, waiting for queries in flight.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}
