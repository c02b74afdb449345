//! Signed desk updates (docs/decisions/0021), pure: what a release says about itself (the [`Manifest`]: version,
//! platform, the package's file name, size and SHA-256, the notes in both languages), the release key's Ed25519
//! signature over the manifest's exact bytes ([`SignedManifest`]), and the rules a desk applies before it offers
//! anything to its operator ([`offer`]) and before it hands a downloaded package to the installer
//! ([`check_package`]).
//!
//! The release key is not the central's: a Polda's central only serves what a release manager signed, so a
//! central that is broken into cannot push a desk build of its own making. A desk trusts the keys it was built
//! with ([`TrustedKeys`]).

pub use ed25519_dalek::{SigningKey, VerifyingKey};

use base64::Engine as _;
use ed25519_dalek::{Signer as _, Verifier as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::cmp::Ordering;
use std::fmt;

/// The first word of a public key file (`siaga-release-ed25519 <base64>`).
pub const PUBLIC_KEY_LABEL: &str = "siaga-release-ed25519";
/// The first word of a secret key file.
pub const SECRET_KEY_LABEL: &str = "siaga-release-ed25519-secret";

/// The platforms the project releases for, as manifests name them.
pub const PLATFORMS: [&str; 3] = ["linux-x86_64-deb", "linux-x86_64-rpm", "windows-x86_64-nsis"];

/// What a release says about itself; signed as the exact JSON text it was written as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    /// `MAJOR.MINOR.PATCH`.
    pub version: String,
    /// One of [`PLATFORMS`].
    pub platform: String,
    /// The package's file name (no folders).
    pub package: String,
    /// The package's size in bytes.
    pub size: u64,
    /// The package's SHA-256, lowercase hex.
    pub sha256: String,
    /// What is new, in Indonesian and in English.
    pub notes_id: String,
    pub notes_en: String,
}

/// A manifest as published: its JSON text, the signature over that text, and which key made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignedManifest {
    /// The manifest's JSON, byte for byte as signed.
    pub manifest: String,
    /// The Ed25519 signature over `manifest`'s bytes, standard base64 (empty: unsigned).
    pub signature: String,
    /// The signing key's id ([`key_id`]).
    pub key_id: String,
}

/// Why a release is not offered, or a package not installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("the release carries no signature")]
    Unsigned,
    #[error("the release is signed by key {0}, which this desk does not trust")]
    UnknownKey(String),
    #[error("the release's signature does not match its manifest (altered, or not made by the release key)")]
    BadSignature,
    #[error("the release's manifest does not read: {0}")]
    Malformed(String),
    #[error("the release is for {offered}, this desk is {here}")]
    WrongPlatform { offered: String, here: String },
    #[error("the release is version {offered}, not newer than this desk's {current}")]
    NotNewer { offered: String, current: String },
    #[error("the downloaded package is not the one the release signed ({size} bytes and SHA-256 {sha256}; the release says {expected_size} bytes and {expected_sha256})")]
    PackageMismatch {
        size: u64,
        sha256: String,
        expected_size: u64,
        expected_sha256: String,
    },
}

impl UpdateError {
    /// A stable code for logs and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            UpdateError::Unsigned => "unsigned",
            UpdateError::UnknownKey(_) => "unknown_key",
            UpdateError::BadSignature => "bad_signature",
            UpdateError::Malformed(_) => "malformed",
            UpdateError::WrongPlatform { .. } => "wrong_platform",
            UpdateError::NotNewer { .. } => "not_newer",
            UpdateError::PackageMismatch { .. } => "package_mismatch",
        }
    }
}

/// `MAJOR.MINOR.PATCH` (a pre-release or build suffix is not a release a desk takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.');
        let mut next = || -> Option<u64> {
            let part = parts.next()?;
            if part.is_empty() || part.len() > 9 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let version = Version(next()?, next()?, next()?);
        parts.next().is_none().then_some(version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The id of a public key: the first 8 bytes of its SHA-256, hex.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// The keys a desk accepts releases from.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys(Vec<VerifyingKey>);

impl TrustedKeys {
    /// Reads public key files' text (`siaga-release-ed25519 <base64>` per line; `#` comments and blank lines
    /// skipped). A line that is not a key is an error: a key file must not half-work.
    pub fn parse(text: &str) -> Result<TrustedKeys, String> {
        let mut keys = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            keys.push(parse_public_key(line)?);
        }
        Ok(TrustedKeys(keys))
    }

    /// Adds a key.
    pub fn add(&mut self, key: VerifyingKey) {
        self.0.push(key);
    }

    /// The ids of the keys, for the Pengaturan page.
    pub fn ids(&self) -> Vec<String> {
        self.0.iter().map(key_id).collect()
    }

    fn find(&self, id: &str) -> Option<&VerifyingKey> {
        self.0.iter().find(|key| key_id(key) == id)
    }
}

/// One public key line.
pub fn parse_public_key(line: &str) -> Result<VerifyingKey, String> {
    let bytes = decode_key_line(line, PUBLIC_KEY_LABEL, "a release key line", "a release key")?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| e.to_string())
}

/// A public key as its file holds it.
pub fn public_key_line(key: &VerifyingKey) -> String {
    format!(
        "{PUBLIC_KEY_LABEL} {}",
        base64::engine::general_purpose::STANDARD.encode(key.as_bytes())
    )
}

/// A new release key (from the operating system's randomness).
pub fn generate_key() -> Result<SigningKey, getrandom::Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// A secret key as its file holds it.
pub fn secret_key_line(key: &SigningKey) -> String {
    format!(
        "{SECRET_KEY_LABEL} {}",
        base64::engine::general_purpose::STANDARD.encode(key.to_bytes())
    )
}

/// A secret key file's text.
pub fn parse_secret_key(text: &str) -> Result<SigningKey, String> {
    let bytes = decode_key_line(text, SECRET_KEY_LABEL, "a secret key file", "a secret key")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// The 32 bytes of a key written as `label` then base64 (`what_line` and `what_key` name them in the error).
fn decode_key_line(text: &str, label: &str, what_line: &str, what_key: &str) -> Result<[u8; 32], String> {
    let encoded = text
        .trim()
        .strip_prefix(label)
        .ok_or_else(|| format!("{what_line} starts with {label}"))?
        .trim();
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| format!("{what_key} is 32 bytes in base64"))
}

/// The SHA-256 of a package, lowercase hex.
pub fn package_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Signs `manifest` with the release key.
pub fn sign(manifest: &Manifest, key: &SigningKey) -> SignedManifest {
    let text =
        serde_json::to_string_pretty(manifest).unwrap_or_else(|_| unreachable!("a manifest serialises"));
    SignedManifest {
        signature: base64::engine::general_purpose::STANDARD.encode(key.sign(text.as_bytes()).to_bytes()),
        key_id: key_id(&key.verifying_key()),
        manifest: text,
    }
}

/// The manifest, if a trusted key signed exactly this text.
pub fn verify(signed: &SignedManifest, trusted: &TrustedKeys) -> Result<Manifest, UpdateError> {
    if signed.signature.trim().is_empty() {
        return Err(UpdateError::Unsigned);
    }
    let key = trusted
        .find(&signed.key_id)
        .ok_or_else(|| UpdateError::UnknownKey(signed.key_id.clone()))?;
    let signature: [u8; 64] = base64::engine::general_purpose::STANDARD
        .decode(signed.signature.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(UpdateError::BadSignature)?;
    key.verify(
        signed.manifest.as_bytes(),
        &ed25519_dalek::Signature::from_bytes(&signature),
    )
    .map_err(|_| UpdateError::BadSignature)?;
    let manifest: Manifest =
        serde_json::from_str(&signed.manifest).map_err(|e| UpdateError::Malformed(e.to_string()))?;
    check_manifest(&manifest)?;
    Ok(manifest)
}

/// What a manifest must hold, signed or not (the central checks it too before it keeps a release).
pub fn check_manifest(manifest: &Manifest) -> Result<(), UpdateError> {
    let malformed = |why: &str| Err(UpdateError::Malformed(why.to_owned()));
    if Version::parse(&manifest.version).is_none() {
        return malformed("the version is not MAJOR.MINOR.PATCH");
    }
    if !PLATFORMS.contains(&manifest.platform.as_str()) {
        return malformed("an unknown platform");
    }
    let name_ok = !manifest.package.is_empty()
        && manifest.package.len() <= 200
        && manifest.package != "."
        && manifest.package != ".."
        && manifest
            .package
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | ' '));
    if !name_ok {
        return malformed("the package's file name has characters a file name of a release may not have");
    }
    if manifest.sha256.len() != 64 || !manifest.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return malformed("the package's SHA-256 is not 64 hex digits");
    }
    if manifest.size == 0 {
        return malformed("an empty package");
    }
    if manifest.notes_id.len() > 4_000 || manifest.notes_en.len() > 4_000 {
        return malformed("release notes are at most 4,000 characters");
    }
    Ok(())
}

/// What a desk of version `current` on `platform` offers its operator from `signed`: the manifest when a trusted
/// key signed it and it is newer.
pub fn offer(
    signed: &SignedManifest,
    trusted: &TrustedKeys,
    current: &str,
    platform: &str,
) -> Result<Manifest, UpdateError> {
    let manifest = verify(signed, trusted)?;
    if manifest.platform != platform {
        return Err(UpdateError::WrongPlatform {
            offered: manifest.platform,
            here: platform.to_owned(),
        });
    }
    let offered = Version::parse(&manifest.version);
    let here = Version::parse(current);
    match (offered, here) {
        (Some(offered), Some(here)) if offered.cmp(&here) == Ordering::Greater => Ok(manifest),
        _ => Err(UpdateError::NotNewer {
            offered: manifest.version,
            current: current.to_owned(),
        }),
    }
}

/// Whether `bytes` is the package `manifest` signed (size and SHA-256).
pub fn check_package(manifest: &Manifest, bytes: &[u8]) -> Result<(), UpdateError> {
    let digest = package_digest(bytes);
    if bytes.len() as u64 != manifest.size || !digest.eq_ignore_ascii_case(&manifest.sha256) {
        return Err(UpdateError::PackageMismatch {
            size: bytes.len() as u64,
            sha256: digest,
            expected_size: manifest.size,
            expected_sha256: manifest.sha256.to_ascii_lowercase(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(version: &str, package: &[u8]) -> Manifest {
        Manifest {
            version: version.into(),
            platform: "linux-x86_64-deb".into(),
            package: format!("siaga-110_{version}_amd64.deb"),
            size: package.len() as u64,
            sha256: package_digest(package),
            notes_id: "Perbaikan peta".into(),
            notes_en: "Map fixes".into(),
        }
    }

    fn trusted(key: &SigningKey) -> TrustedKeys {
        TrustedKeys::parse(&format!(
            "# the release key\n{}\n",
            public_key_line(&key.verifying_key())
        ))
        .unwrap()
    }

    #[test]
    fn a_newer_signed_release_is_offered_and_its_package_checked() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let package = b"the new desk".to_vec();
        let signed = sign(&release("0.2.0", &package), &key);
        let offered = offer(&signed, &trusted(&key), "0.1.0", "linux-x86_64-deb").unwrap();
        assert_eq!(offered.version, "0.2.0");
        assert_eq!(check_package(&offered, &package), Ok(()));
        let mut tampered = package.clone();
        tampered[0] ^= 1;
        assert_eq!(
            check_package(&offered, &tampered).unwrap_err().code(),
            "package_mismatch"
        );
        assert_eq!(
            check_package(&offered, &package[1..]).unwrap_err().code(),
            "package_mismatch"
        );
    }

    #[test]
    fn unsigned_altered_foreign_older_and_other_platform_releases_are_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let keys = trusted(&key);
        let signed = sign(&release("0.2.0", b"x"), &key);
        let check = |signed: &SignedManifest| offer(signed, &keys, "0.1.0", "linux-x86_64-deb");

        let unsigned = SignedManifest {
            signature: String::new(),
            ..signed.clone()
        };
        assert_eq!(check(&unsigned), Err(UpdateError::Unsigned));
        let altered = SignedManifest {
            manifest: signed.manifest.replace("0.2.0", "9.2.0"),
            ..signed.clone()
        };
        assert_eq!(check(&altered), Err(UpdateError::BadSignature));
        let garbage = SignedManifest {
            signature: "!!".into(),
            ..signed.clone()
        };
        assert_eq!(check(&garbage), Err(UpdateError::BadSignature));
        let impostor = SigningKey::from_bytes(&[4; 32]);
        let foreign = sign(&release("0.2.0", b"x"), &impostor);
        assert!(matches!(check(&foreign), Err(UpdateError::UnknownKey(_))));
        // The impostor names the trusted key's id: the signature still fails.
        let posing = SignedManifest {
            key_id: signed.key_id.clone(),
            ..foreign
        };
        assert_eq!(check(&posing), Err(UpdateError::BadSignature));
        for current in ["0.2.0", "0.3.0", "1.0.0"] {
            let refused = offer(&signed, &keys, current, "linux-x86_64-deb").unwrap_err();
            assert_eq!(refused.code(), "not_newer", "{current}");
        }
        assert_eq!(
            offer(&signed, &keys, "0.1.0", "windows-x86_64-nsis")
                .unwrap_err()
                .code(),
            "wrong_platform"
        );
    }

    #[test]
    fn a_manifest_with_a_path_or_a_bad_version_is_malformed_even_when_signed() {
        let key = SigningKey::from_bytes(&[3; 32]);
        for (field, manifest) in [
            (
                "path",
                Manifest {
                    package: "../../bin/siaga".into(),
                    ..release("0.2.0", b"x")
                },
            ),
            (
                "version",
                Manifest {
                    version: "0.2.0-rc1".into(),
                    ..release("0.2.0", b"x")
                },
            ),
            (
                "digest",
                Manifest {
                    sha256: "abc".into(),
                    ..release("0.2.0", b"x")
                },
            ),
            (
                "platform",
                Manifest {
                    platform: "plan9".into(),
                    ..release("0.2.0", b"x")
                },
            ),
        ] {
            let signed = sign(&manifest, &key);
            assert_eq!(
                offer(&signed, &trusted(&key), "0.1.0", "linux-x86_64-deb")
                    .unwrap_err()
                    .code(),
                "malformed",
                "{field}"
            );
        }
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(Version::parse("0.10.0") > Version::parse("0.9.9"));
        assert_eq!(
            Version::parse("1.2.3").map(|v| v.to_string()).as_deref(),
            Some("1.2.3")
        );
        for bad in ["1.2", "1.2.3.4", "1.x.3", "", "01234567890.1.1", "-1.0.0"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn keys_round_trip_through_their_files() {
        let key = generate_key().unwrap();
        let again = parse_secret_key(&secret_key_line(&key)).unwrap();
        assert_eq!(again.to_bytes(), key.to_bytes());
        let public = parse_public_key(&public_key_line(&key.verifying_key())).unwrap();
        assert_eq!(key_id(&public), key_id(&key.verifying_key()));
        assert!(TrustedKeys::parse("siaga-release-ed25519 bm90IGEga2V5").is_err());
        assert!(TrustedKeys::parse("ssh-ed25519 AAAA").is_err());
    }
}
