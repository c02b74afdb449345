//! The desk's store encrypted at rest (SQLCipher 4, built into `libsqlite3-sys` through the workspace's
//! `bundled-sqlcipher` feature): every page of the file, its WAL and its journal is AES-256 encrypted and
//! HMAC-authenticated under a random 256-bit [`StoreKey`] that never touches the disk beside the store (the
//! desk keeps it in the OS keyring). A copy of the file without its key is noise: it does not open.
//!
//! A store written by an older desk (plain SQLite) is encrypted in place the first time it is opened with
//! a key ([`encrypt_plain_store`]): exported page by page into a new encrypted file next to it, which then
//! replaces it, so no plain copy is left behind and nothing it held is lost.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};
use std::fmt;
use std::path::{Path, PathBuf};

/// Bytes of a key (AES-256).
pub const KEY_BYTES: usize = 32;

/// The first bytes of a plain SQLite file; an encrypted file starts with random salt instead.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The random key a desk's store is encrypted with. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; KEY_BYTES]);

impl StoreKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<StoreKey, StoreError> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Key(format!("no random bytes: {e}")))?;
        Ok(StoreKey(bytes))
    }

    /// The key as 64 hexadecimal digits (how the keyring keeps it).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A key from its 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Result<StoreKey, StoreError> {
        let text = text.trim();
        if text.len() != KEY_BYTES * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::Key(format!(
                "a store key is {} hexadecimal digits",
                KEY_BYTES * 2
            )));
        }
        let mut bytes = [0u8; KEY_BYTES];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                .map_err(|e| StoreError::Key(e.to_string()))?;
        }
        Ok(StoreKey(bytes))
    }

    /// The value of `PRAGMA key` for this raw key (no passphrase derivation: the key is already random).
    fn pragma(&self) -> String {
        format!("\"x'{}'\"", self.to_hex())
    }

    /// Options that open the file with this key (the key pragma runs first on each connection).
    pub(crate) fn apply(&self, options: SqliteConnectOptions) -> SqliteConnectOptions {
        options.pragma("key", self.pragma())
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

/// Whether the file at `path` is a plain (unencrypted) SQLite database. A missing or empty file is not.
pub fn is_plain_store(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut file) => match file.read_exact(&mut header) {
            Ok(()) => Ok(&header == PLAIN_HEADER),
            Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
            Err(err) => Err(StoreError::Key(format!("{}: {err}", path.display()))),
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(StoreError::Key(format!("{}: {err}", path.display()))),
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Encrypts a plain store in place under `key`: its WAL is checkpointed into it, every table, index and
/// the schema version are exported into `<file>.encrypting` (SQLCipher's `sqlcipher_export`), and that
/// file replaces the plain one by a rename (atomic on one file system); the plain file's WAL and shared
/// memory files go with it. A crash before the rename leaves the plain store as it was (the half-written
/// file is removed on the next try).
pub async fn encrypt_plain_store(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let target = sibling(path, ".encrypting");
    let _ = std::fs::remove_file(&target);
    // The plain file is opened with no key (the one sanctioned open of a desk file outside Store::open).
    #[allow(clippy::disallowed_methods)]
    let mut plain = SqliteConnectOptions::new()
        .filename(path)
        // The attached file inherits the connection's flags: it must be allowed to create it.
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .connect()
        .await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut plain)
        .await?;
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut plain)
        .await?;
    let target_text = target
        .to_str()
        .ok_or_else(|| StoreError::Key(format!("{} is not UTF-8", target.display())))?
        .replace('\'', "''");
    sqlx::query(&format!(
        "ATTACH DATABASE '{target_text}' AS encrypted KEY {}",
        key.pragma()
    ))
    .execute(&mut plain)
    .await?;
    sqlx::query("SELECT sqlcipher_export('encrypted')")
        .fetch_all(&mut plain)
        .await?;
    sqlx::query(&format!("PRAGMA encrypted.user_version = {version}"))
        .execute(&mut plain)
        .await?;
    sqlx::query("DETACH DATABASE encrypted")
        .execute(&mut plain)
        .await?;
    plain.close().await?;
    std::fs::rename(&target, path).map_err(|e| StoreError::Key(format!("{}: {e}", path.display())))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(path, suffix));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_hex_and_never_prints() {
        let key = StoreKey::generate().unwrap();
        assert_eq!(StoreKey::from_hex(&key.to_hex()).unwrap(), key);
        assert_eq!(format!("{key:?}"), "StoreKey(…)");
        assert_ne!(StoreKey::generate().unwrap(), key, "two keys differ");
        assert!(StoreKey::from_hex("abc").is_err());
        assert!(StoreKey::from_hex(&"g".repeat(64)).is_err());
    }
}
