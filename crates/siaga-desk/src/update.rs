//! Updates from the Polda's own central (docs/decisions/0021). After sign-in and then daily the desk asks its
//! central for the newest release of its platform, checks the release key's signature with the keys it was
//! built with (`assets/release/release-keys.txt`) and offers only a newer, correctly signed release; the
//! package it downloads is kept only when it is the one the release signed (size and SHA-256). Installing is
//! the operator's choice, outside a video call, and is done by the platform's installer (the shell's job).
//!
//! What was refused, and why, stays visible in Pengaturan, so a tampered release is noticed, not just ignored.

use crate::{Desk, DeskError};
use siaga_domain::Language;
use siaga_sync::CentralClient;
use siaga_update::{check_package, offer, Manifest, SignedManifest, TrustedKeys, UpdateError};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::watch;

/// The keys releases are signed with, built into the desk.
const RELEASE_KEYS: &str = include_str!("../../../assets/release/release-keys.txt");

/// How often a signed-in desk asks its central.
pub const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The keys this desk accepts releases from: the built-in ones, and in a debug build (the tests') also those
/// in `SIAGA_UPDATE_TEST_KEYS` (`siaga-release-ed25519 <base64>` lines, `;`-separated). A release build reads
/// no key from its environment.
pub fn trusted_keys() -> TrustedKeys {
    let mut keys = TrustedKeys::parse(RELEASE_KEYS).unwrap_or_default();
    if cfg!(debug_assertions) {
        if let Ok(extra) = std::env::var("SIAGA_UPDATE_TEST_KEYS") {
            for line in extra.split(';') {
                if let Ok(key) = siaga_update::parse_public_key(line) {
                    keys.add(key);
                }
            }
        }
    }
    keys
}

/// Where the desk's update stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateStatus {
    /// The platform releases are asked for (`None`: this desk was not installed from a package, so there is
    /// nothing it could install).
    pub platform: Option<String>,
    /// When the central was last asked (ms since the epoch).
    pub checked_ms: Option<i64>,
    /// A newer, correctly signed release.
    pub offer: Option<Manifest>,
    /// The last release or package refused, and why.
    pub refused: Option<UpdateError>,
    /// The offered package, downloaded and checked, ready for the installer.
    pub ready: Option<PathBuf>,
}

/// What to tell the operator about a refused release or package.
pub fn refusal_message(error: &UpdateError, language: Language) -> String {
    let id = language == Language::Id;
    match error {
        UpdateError::Unsigned if id => "Rilis di pusat 110 tidak bertanda tangan; tidak ditawarkan.".into(),
        UpdateError::Unsigned => "The release at the 110 central is not signed; it is not offered.".into(),
        UpdateError::UnknownKey(key) if id => format!(
            "Rilis di pusat 110 ditandatangani kunci {key} yang tidak dipercaya desk ini; tidak ditawarkan. \
             Laporkan ke admin Polda."
        ),
        UpdateError::UnknownKey(key) => format!(
            "The release at the 110 central is signed by key {key}, which this desk does not trust; it is not \
             offered. Tell the Polda's admin."
        ),
        UpdateError::BadSignature if id => {
            "Tanda tangan rilis di pusat 110 tidak cocok (diubah atau bukan dari kunci rilis); tidak ditawarkan. \
             Laporkan ke admin Polda."
                .into()
        }
        UpdateError::BadSignature => {
            "The release's signature at the 110 central does not match (altered, or not from the release key); it \
             is not offered. Tell the Polda's admin."
                .into()
        }
        UpdateError::Malformed(why) if id => format!("Rilis di pusat 110 tidak terbaca ({why})."),
        UpdateError::Malformed(why) => format!("The release at the 110 central does not read ({why})."),
        UpdateError::WrongPlatform { offered, here } if id => {
            format!("Rilis di pusat 110 untuk {offered}, desk ini {here}.")
        }
        UpdateError::WrongPlatform { offered, here } => {
            format!("The release at the 110 central is for {offered}; this desk is {here}.")
        }
        UpdateError::NotNewer { offered, current } if id => format!(
            "Rilis {offered} di pusat 110 tidak lebih baru daripada versi desk ini ({current}); tidak ditawarkan."
        ),
        UpdateError::NotNewer { offered, current } => format!(
            "Release {offered} at the 110 central is not newer than this desk's {current}; it is not offered."
        ),
        UpdateError::PackageMismatch {
            size,
            sha256,
            expected_size,
            expected_sha256,
        } if id => format!(
            "Paket yang diunduh bukan yang ditandatangani rilis ({size} bita, SHA-256 {}…; rilis menyebut \
             {expected_size} bita, {}…); dibuang, tidak dipasang. Laporkan ke admin Polda.",
            &sha256[..16.min(sha256.len())],
            &expected_sha256[..16.min(expected_sha256.len())]
        ),
        UpdateError::PackageMismatch {
            size,
            sha256,
            expected_size,
            expected_sha256,
        } => format!(
            "The downloaded package is not the one the release signed ({size} bytes, SHA-256 {}…; the release \
             says {expected_size} bytes, {}…); it was discarded, not installed. Tell the Polda's admin.",
            &sha256[..16.min(sha256.len())],
            &expected_sha256[..16.min(expected_sha256.len())]
        ),
    }
}

impl Desk {
    /// Where the desk's update stands.
    pub fn update_status(&self) -> UpdateStatus {
        self.update
            .read()
            .map(|status| status.clone())
            .unwrap_or_default()
    }

    /// Asks the central for the newest release now; what it offers (or refused) is kept for
    /// [`Desk::update_status`]. An older or equal release is not an offer and not a refusal worth showing.
    pub async fn check_for_update(&self) -> Result<UpdateStatus, DeskError> {
        self.session().ok_or(DeskError::NotSignedIn)?;
        check(&self.client, &self.update).await
    }

    /// Downloads the offered package and keeps it under `<data>/updates/` only when it is the one the release
    /// signed; the file's path.
    pub async fn download_update(&self) -> Result<PathBuf, DeskError> {
        self.session().ok_or(DeskError::NotSignedIn)?;
        let status = self.update_status();
        let (Some(platform), Some(manifest)) = (status.platform, status.offer) else {
            return Err(DeskError::NoUpdate);
        };
        let bytes = self.client.release_package(&platform, &manifest.version).await?;
        if let Err(refusal) = check_package(&manifest, &bytes) {
            if let Ok(mut status) = self.update.write() {
                status.refused = Some(refusal.clone());
                status.ready = None;
            }
            return Err(DeskError::Update(refusal));
        }
        let folder = self.updates_dir.clone();
        std::fs::create_dir_all(&folder).map_err(|e| DeskError::DataDir(e.to_string()))?;
        let path = folder.join(&manifest.package);
        let partial = folder.join(format!("{}.part", manifest.package));
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| DeskError::DataDir(e.to_string()))?;
        if let Ok(mut status) = self.update.write() {
            status.ready = Some(path.clone());
            status.refused = None;
        }
        Ok(path)
    }

    /// The downloaded package, checked again against the offer just before it is handed to the installer (the
    /// file may have been changed on disk since).
    pub fn update_ready_to_install(&self) -> Result<(PathBuf, Manifest), DeskError> {
        let status = self.update_status();
        let (Some(path), Some(manifest)) = (status.ready, status.offer) else {
            return Err(DeskError::NoUpdate);
        };
        let bytes = std::fs::read(&path).map_err(|e| DeskError::DataDir(e.to_string()))?;
        check_package(&manifest, &bytes).map_err(DeskError::Update)?;
        Ok((path, manifest))
    }
}

/// Asks the central for the newest release of the status's platform and keeps the verdict in `status`.
pub(crate) async fn check(
    client: &CentralClient,
    status: &RwLock<UpdateStatus>,
) -> Result<UpdateStatus, DeskError> {
    let Some(platform) = status.read().map_err(|_| DeskError::Poisoned)?.platform.clone() else {
        return status.read().map(|s| s.clone()).map_err(|_| DeskError::Poisoned);
    };
    let latest = client.latest_release(&platform).await?;
    let verdict = latest.release.map(|release| {
        let signed = SignedManifest {
            manifest: release.manifest,
            signature: release.signature,
            key_id: release.key_id,
        };
        offer(&signed, &trusted_keys(), env!("CARGO_PKG_VERSION"), &platform)
    });
    let mut status = status.write().map_err(|_| DeskError::Poisoned)?;
    status.checked_ms = Some(siaga_domain::clock::now_ms());
    match verdict {
        None | Some(Err(UpdateError::NotNewer { .. })) => {
            status.offer = None;
            status.refused = None;
            status.ready = None;
        }
        Some(Ok(manifest)) => {
            if status.offer.as_ref() != Some(&manifest) {
                status.ready = None;
            }
            status.offer = Some(manifest);
            status.refused = None;
        }
        Some(Err(refusal)) => {
            status.offer = None;
            status.ready = None;
            status.refused = Some(refusal);
        }
    }
    Ok(status.clone())
}

/// A signed-in session's checks: now, then every [`CHECK_EVERY`], until sign-out (a failed check waits for the
/// next one; the link's state is the sync's to show).
pub(crate) async fn follow(
    client: CentralClient,
    status: Arc<RwLock<UpdateStatus>>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let _ = check(&client, &status).await;
        tokio::select! {
            _ = tokio::time::sleep(CHECK_EVERY) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
