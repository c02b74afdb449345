//! Where the key of the desk's encrypted store lives (decision 0019). By default in the operating system's
//! keyring — the Secret Service on Linux (GNOME Keyring, KWallet), the Credential Manager on Windows — as the
//! entry `siaga-110` / `desk-store:<data folder's fingerprint>`, made with a new random key the first time
//! the desk opens a folder. A machine with no keyring service (a bare X session, a headless analysis box) keeps
//! it in a file of its own under the user's config folder instead (mode 0600), never beside the store: a store
//! copied to another machine, or a data folder copied alone, does not open.
//!
//! A store that exists, encrypted, while its key is missing is never given a new key: the desk stops with
//! [`DeskError::StoreKeyMissing`] and leaves the file as it is (the key may come back with the keyring).

use crate::DeskError;
use sha2::{Digest, Sha256};
use siaga_store::{is_plain_store, StoreKey};
use std::path::{Path, PathBuf};

/// The keyring's service name for the desk's entries.
pub const KEYRING_SERVICE: &str = "siaga-110";

/// Where the desk looks for its store's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPlace {
    /// The OS keyring; `fallback_dir` holds key files when the machine has no keyring service.
    Keyring { fallback_dir: PathBuf },
    /// A key file in this folder only (a machine set up without a keyring, and the tests).
    Files(PathBuf),
}

/// The keyring account of a data folder: `desk-store:` and 16 hex digits of the SHA-256 of its absolute path,
/// so two desks of one user (two data folders) keep two keys.
pub fn account(data_dir: &Path) -> String {
    let absolute = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("desk-store:{hex}")
}

/// The key of the store `store` in `data_dir`, made (and kept) when neither exists yet.
pub fn load_or_create(place: &KeyPlace, data_dir: &Path, store: &Path) -> Result<StoreKey, DeskError> {
    let account = account(data_dir);
    // A plain store (an older desk's) or none at all may be given a new key; an encrypted one may not.
    let may_create = !store.exists() || is_plain_store(store)?;
    match place {
        KeyPlace::Files(dir) => from_file(&key_file(dir, &account), may_create),
        KeyPlace::Keyring { fallback_dir } => match from_keyring(&account, may_create) {
            Ok(key) => Ok(key),
            Err(KeyringProblem::Unavailable) => from_file(&key_file(fallback_dir, &account), may_create),
            Err(KeyringProblem::Missing) => Err(DeskError::StoreKeyMissing),
            Err(KeyringProblem::Failed(reason)) => Err(DeskError::StoreKey(reason)),
        },
    }
}

/// Forgets the key of `data_dir` (the keyring entry and any key file): what a desk's store is worth on
/// another machine. Used by the tests; an admin does it by removing the entry.
pub fn forget(place: &KeyPlace, data_dir: &Path) -> Result<(), DeskError> {
    let account = account(data_dir);
    let dir = match place {
        KeyPlace::Files(dir) => dir,
        KeyPlace::Keyring { fallback_dir } => {
            if let Ok(entry) = keyring::Entry::new(KEYRING_SERVICE, &account) {
                let _ = entry.delete_credential();
            }
            fallback_dir
        }
    };
    match std::fs::remove_file(key_file(dir, &account)) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(DeskError::StoreKey(err.to_string())),
        _ => Ok(()),
    }
}

/// A key file's path: the account with `-` for `:` (which Windows refuses in file names).
fn key_file(dir: &Path, account: &str) -> PathBuf {
    dir.join(format!("{}.key", account.replace(':', "-")))
}

enum KeyringProblem {
    /// No keyring service on this machine (or it refused us access).
    Unavailable,
    /// The keyring works but holds no key for an existing encrypted store.
    Missing,
    /// The keyring answered with something else.
    Failed(String),
}

fn from_keyring(account: &str, may_create: bool) -> Result<StoreKey, KeyringProblem> {
    use keyring::Error;
    let entry =
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| KeyringProblem::Failed(e.to_string()))?;
    match entry.get_password() {
        Ok(hex) => StoreKey::from_hex(&hex).map_err(|e| KeyringProblem::Failed(e.to_string())),
        Err(Error::NoEntry) if may_create => {
            let key = StoreKey::generate().map_err(|e| KeyringProblem::Failed(e.to_string()))?;
            match entry.set_password(&key.to_hex()) {
                Ok(()) => Ok(key),
                Err(Error::PlatformFailure(_)) | Err(Error::NoStorageAccess(_)) => {
                    Err(KeyringProblem::Unavailable)
                }
                Err(e) => Err(KeyringProblem::Failed(e.to_string())),
            }
        }
        Err(Error::NoEntry) => Err(KeyringProblem::Missing),
        Err(Error::PlatformFailure(_)) | Err(Error::NoStorageAccess(_)) => Err(KeyringProblem::Unavailable),
        Err(e) => Err(KeyringProblem::Failed(e.to_string())),
    }
}

fn from_file(path: &Path, may_create: bool) -> Result<StoreKey, DeskError> {
    match std::fs::read_to_string(path) {
        Ok(hex) => Ok(StoreKey::from_hex(&hex)?),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && may_create => {
            let key = StoreKey::generate()?;
            write_private(path, &key.to_hex())?;
            Ok(key)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(DeskError::StoreKeyMissing),
        Err(err) => Err(DeskError::StoreKey(format!("{}: {err}", path.display()))),
    }
}

/// Writes a new file only its owner may read (created with mode 0600 on Unix; the user's profile folder
/// protects it on Windows).
fn write_private(path: &Path, text: &str) -> Result<(), DeskError> {
    use std::io::Write;
    let fail = |err: std::io::Error| DeskError::StoreKey(format!("{}: {err}", path.display()));
    if let Some(dir) = path.parent() {
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
        folder.create(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}
