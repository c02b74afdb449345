//! TLS to the central (docs/decisions/0020). A central is trusted in one of two ways:
//!
//! - **Pinned**: the SHA-256 fingerprint of its certificate, typed in at the desk's first-run setup. This is how a
//!   field office trusts a central it runs with a self-signed certificate: the fingerprint *is* the identity
//!   (as with SSH host keys), so neither the host name nor the validity dates are checked, only that the server
//!   holds the private key of exactly that certificate.
//! - **System roots**: a certificate from a CA the operating system trusts (a Polda behind its own PKI), checked by
//!   the platform's verifier.
//!
//! One `rustls` configuration serves both the HTTP client and the live WebSocket. The crypto is `ring`'s.
//!
//! Architecture Invariant: every reqwest client of the workspace is built here ([`client`],
//! [`client_builder`]). reqwest is built without a crypto provider of its own (aws-lc would compile C for
//! minutes), so `reqwest::Client::new()` would panic: clippy refuses it (clippy.toml).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

/// The SHA-256 fingerprint of a certificate (of its DER bytes), as `openssl x509 -fingerprint -sha256` prints it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertFingerprint([u8; 32]);

impl CertFingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of_der(der: &[u8]) -> CertFingerprint {
        CertFingerprint(Sha256::digest(der).into())
    }
}

/// Why a typed fingerprint is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a SHA-256 fingerprint is 64 hexadecimal digits (pairs may be separated by ':' or spaces); got {digits} digits{}", if *.bad_character { " and other characters" } else { "" })]
pub struct BadFingerprint {
    /// How many hexadecimal digits were found.
    pub digits: usize,
    /// Whether anything besides digits and separators was typed.
    pub bad_character: bool,
}

impl FromStr for CertFingerprint {
    type Err = BadFingerprint;

    /// Reads `AB:CD:…`, `ab cd …` or `abcd…`; a leading `SHA256 Fingerprint=` (openssl's output) is allowed.
    fn from_str(text: &str) -> Result<CertFingerprint, BadFingerprint> {
        let text = text.trim();
        let text = text
            .split_once('=')
            .filter(|(label, _)| label.to_ascii_lowercase().contains("fingerprint"))
            .map_or(text, |(_, value)| value);
        let mut digits = Vec::with_capacity(64);
        let mut bad_character = false;
        for c in text.chars() {
            match c.to_digit(16) {
                Some(value) => digits.push(value as u8),
                None if c == ':' || c == '-' || c.is_whitespace() => {}
                None => bad_character = true,
            }
        }
        if digits.len() != 64 || bad_character {
            return Err(BadFingerprint {
                digits: digits.len(),
                bad_character,
            });
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = pair[0] << 4 | pair[1];
        }
        Ok(CertFingerprint(bytes))
    }
}

impl fmt::Display for CertFingerprint {
    /// `AB:CD:…:EF`, the form openssl and browsers show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, byte) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CertFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CertFingerprint({self})")
    }
}

/// How the desk trusts its central's certificate (for `https://` centrals; plain `http://` has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CentralTrust {
    /// A CA the operating system trusts.
    #[default]
    SystemRoots,
    /// Exactly the certificate with this fingerprint.
    Pinned(CertFingerprint),
}

/// The central presented a certificate other than the pinned one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the central's certificate is not the pinned one: it has fingerprint {presented}, this desk expects {pinned}")]
pub struct PinMismatch {
    /// What the server showed.
    pub presented: CertFingerprint,
    /// What the desk's setup pins.
    pub pinned: CertFingerprint,
}

/// The client configuration for `trust`, shared by HTTP and the WebSocket. The system's roots are read when
/// the first `https://` connection needs them, so a desk on `http://` never touches them.
pub fn client_config(trust: CentralTrust) -> Arc<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(CentralVerifier {
        trust,
        system: OnceLock::new(),
        provider: Arc::clone(&provider),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::DEFAULT_VERSIONS)
        .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
        .dangerous() // only in the sense that the verifier is ours: it checks the pin and the key's signature
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// Checks the central's certificate as its [`CentralTrust`] says, and that the server signs the handshake with
/// that certificate's key.
#[derive(Debug)]
struct CentralVerifier {
    trust: CentralTrust,
    /// The platform's verifier, made on first use (it reads every root certificate of the system).
    system: OnceLock<Result<Arc<rustls_platform_verifier::Verifier>, String>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for CentralVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.trust {
            CentralTrust::Pinned(pinned) => {
                let presented = CertFingerprint::of_der(end_entity.as_ref());
                if presented == pinned {
                    Ok(ServerCertVerified::assertion())
                } else {
                    Err(rustls::Error::InvalidCertificate(
                        rustls::CertificateError::Other(rustls::OtherError(Arc::new(PinMismatch {
                            presented,
                            pinned,
                        }))),
                    ))
                }
            }
            CentralTrust::SystemRoots => {
                let system = self.system.get_or_init(|| {
                    rustls_platform_verifier::Verifier::new(Arc::clone(&self.provider))
                        .map(Arc::new)
                        .map_err(|e| e.to_string())
                });
                match system {
                    Ok(verifier) => verifier.verify_server_cert(
                        end_entity,
                        intermediates,
                        server_name,
                        ocsp_response,
                        now,
                    ),
                    Err(why) => Err(rustls::Error::General(format!(
                        "this computer's trusted CA certificates could not be read ({why}); pin the central's \
                         certificate in the desk's setup instead"
                    ))),
                }
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A reqwest client builder whose TLS trusts a central as `trust` says (timeouts and the rest are the
/// caller's).
#[allow(clippy::disallowed_methods)] // the one sanctioned place: it gives the builder its TLS
pub fn client_builder(trust: CentralTrust) -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_backend_preconfigured((*client_config(trust)).clone())
}

/// A plain reqwest client (an `https://` server must have a certificate from a CA the system trusts): the
/// simulator's and the tests'.
pub fn client() -> reqwest::Client {
    client_builder(CentralTrust::SystemRoots)
        .build()
        // Only an unknown TLS backend fails here, and the one given is reqwest's own rustls.
        .unwrap_or_else(|e| unreachable!("a reqwest client with rustls: {e}"))
}

/// Why the desk would not talk to the server at its central's address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Untrusted {
    /// Another certificate than the pinned one.
    #[error(transparent)]
    PinMismatch(PinMismatch),
    /// A certificate that no CA of this computer vouches for (or expired, or for another name).
    #[error("the central's certificate is not trusted by this computer: {0}")]
    NotTrusted(String),
}

/// The certificate problem somewhere in an error's chain of causes (reqwest and tungstenite wrap rustls's
/// error, some of them inside an `io::Error`, whose `source` skips what it wraps).
pub fn untrusted_in(error: &(dyn std::error::Error + 'static)) -> Option<Untrusted> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(mismatch) = error.downcast_ref::<PinMismatch>() {
            return Some(Untrusted::PinMismatch(mismatch.clone()));
        }
        match error.downcast_ref::<rustls::Error>() {
            Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)))
                if other.0.downcast_ref::<PinMismatch>().is_some() =>
            {
                return other
                    .0
                    .downcast_ref::<PinMismatch>()
                    .map(|mismatch| Untrusted::PinMismatch(mismatch.clone()));
            }
            Some(rustls::Error::InvalidCertificate(problem)) => {
                return Some(Untrusted::NotTrusted(problem.to_string()));
            }
            _ => {}
        }
        let wrapped = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if let Some(found) = wrapped.and_then(untrusted_in) {
            return Some(found);
        }
        current = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "3B0F5A9C1E44D27B8861F0C3A5D9E2B7C4016F8A92D3E5B1C7F40A6E8D2B9C13";

    #[test]
    fn a_fingerprint_is_read_as_people_copy_it() {
        let plain: CertFingerprint = HEX.parse().unwrap();
        let with_colons = plain.to_string();
        assert_eq!(with_colons.len(), 95);
        assert_eq!(with_colons.parse::<CertFingerprint>().unwrap(), plain);
        assert_eq!(HEX.to_lowercase().parse::<CertFingerprint>().unwrap(), plain);
        let openssl = format!("sha256 Fingerprint={with_colons}\n");
        assert_eq!(openssl.parse::<CertFingerprint>().unwrap(), plain);
        let spaced: String = with_colons.replace(':', " ");
        assert_eq!(spaced.parse::<CertFingerprint>().unwrap(), plain);
    }

    #[test]
    fn a_short_or_foreign_fingerprint_is_refused_with_what_was_wrong() {
        let short = HEX[..62].parse::<CertFingerprint>().unwrap_err();
        assert_eq!(short.digits, 62);
        assert!(!short.bad_character);
        let junk = format!("{}zz", &HEX[..62])
            .parse::<CertFingerprint>()
            .unwrap_err();
        assert!(junk.bad_character);
        assert!("".parse::<CertFingerprint>().is_err());
        // SHA-1 (40 digits), as old tools print, is not enough.
        assert!("AB".repeat(20).parse::<CertFingerprint>().is_err());
    }

    #[test]
    fn the_mismatch_is_found_through_the_wrappers() {
        let mismatch = PinMismatch {
            presented: CertFingerprint([1; 32]),
            pinned: CertFingerprint([2; 32]),
        };
        let rustls_error = rustls::Error::InvalidCertificate(rustls::CertificateError::Other(
            rustls::OtherError(Arc::new(mismatch.clone())),
        ));
        let wrapped = std::io::Error::other(rustls_error);
        assert_eq!(untrusted_in(&wrapped), Some(Untrusted::PinMismatch(mismatch)));
        assert_eq!(untrusted_in(&std::io::Error::other("refused")), None);
        let unknown_ca = std::io::Error::other(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert!(matches!(
            untrusted_in(&unknown_ca),
            Some(Untrusted::NotTrusted(_))
        ));
    }
}
