//! The central's letter keys (Ed25519): a key is 32 secret bytes; its id is the first 8 bytes of the
//! SHA-256 of its public key, in hex, printed on each letter and listed with the public key at the
//! central's key route, so a letter signed by a retired key still verifies after a rotation.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

/// A signing key of the central.
#[derive(Clone)]
pub struct LetterKey {
    signing: SigningKey,
}

impl std::fmt::Debug for LetterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterKey")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl LetterKey {
    /// The key from its 32 secret bytes.
    pub fn from_secret(secret: [u8; 32]) -> LetterKey {
        LetterKey {
            signing: SigningKey::from_bytes(&secret),
        }
    }

    /// The secret bytes (to store the key).
    pub fn secret(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey {
            verifying: self.signing.verifying_key(),
        }
    }

    /// The key's id.
    pub fn key_id(&self) -> String {
        self.public().key_id()
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// A public key that verifies letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    verifying: VerifyingKey,
}

/// Why a public key's text is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an Ed25519 public key (64 hex digits expected)")]
pub struct BadPublicKey;

impl PublicKey {
    /// The key from 64 hex digits.
    pub fn from_hex(text: &str) -> Result<PublicKey, BadPublicKey> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .map_err(|_| BadPublicKey)?
            .try_into()
            .map_err(|_| BadPublicKey)?;
        VerifyingKey::from_bytes(&bytes)
            .map(|verifying| PublicKey { verifying })
            .map_err(|_| BadPublicKey)
    }

    /// The key as 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.verifying.as_bytes())
    }

    /// The key's id: the first 8 bytes of the SHA-256 of the key, hex.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.verifying.as_bytes())[..8])
    }

    /// True when `signature` is this key's over `message` (strict: no malleable forms).
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        self.verifying
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

/// The digest of a letter's canonical content that its QR code carries: the first 16 bytes of its
/// SHA-256, hex.
pub fn content_digest(canonical: &[u8]) -> String {
    hex::encode(&Sha256::digest(canonical)[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let key = LetterKey::from_secret([7; 32]);
        let other = LetterKey::from_secret([8; 32]);
        let signature = key.sign(b"isi surat");
        assert!(key.public().verifies(b"isi surat", &signature));
        assert!(!key.public().verifies(b"isi surat!", &signature));
        assert!(!other.public().verifies(b"isi surat", &signature));
        assert!(!key.public().verifies(b"isi surat", &signature[..63]));
        let round = PublicKey::from_hex(&key.public().to_hex()).unwrap();
        assert_eq!(round.key_id(), key.key_id());
        assert_eq!(key.key_id().len(), 16);
        assert!(PublicKey::from_hex("zz").is_err());
    }
}
