//! The desk's first-run setup (docs/decisions/0020): which central it works with and how it trusts that
//! central's certificate, the Polda (and Polres) it serves, and its language. Kept as `desk-setup.json` in the
//! operating system's config folder (`~/.config/siaga-110/`, `%APPDATA%\siaga-110\`), written whole or not at
//! all; a missing or unreadable file sends the desk to its setup screen, never to a crash.
//!
//! The rules a setup must meet are here, free of any UI: a central's address is `https://host[:port]`
//! (plain `http://` only on this computer itself, where nothing crosses a network); a pinned certificate is
//! a SHA-256 fingerprint; the Polres, when given, belongs to the Polda.

use crate::CentralTrust;
use serde::{Deserialize, Serialize};
use siaga_domain::{Language, PoldaId, PolresId};
use siaga_tls::BadFingerprint;
use siaga_tls::CertFingerprint;
use std::path::{Path, PathBuf};

/// The setup file's name in the desk's config folder.
pub const SETUP_FILE: &str = "desk-setup.json";

/// The format version this build writes and reads.
const FORMAT: u32 = 1;

/// A complete, valid setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskSetup {
    /// `https://host[:port]` (or `http://` on loopback), without a trailing slash.
    pub central_url: String,
    /// The pinned certificate, or `None` for a certificate from a CA the system trusts.
    pub central_fingerprint: Option<CertFingerprint>,
    pub polda: PoldaId,
    pub polres: Option<PolresId>,
    pub language: Language,
}

impl DeskSetup {
    /// Checks what an administrator typed and makes a setup of it.
    pub fn from_form(
        central_url: &str,
        fingerprint: &str,
        polda: &str,
        polres: Option<u16>,
        language: Language,
    ) -> Result<DeskSetup, SetupError> {
        let central_url = central_address(central_url)?;
        let central_fingerprint = match fingerprint.trim() {
            "" => None,
            typed => Some(typed.parse().map_err(SetupError::Fingerprint)?),
        };
        let polda: PoldaId = polda.parse().map_err(|_| SetupError::Polda)?;
        let polres = match polres {
            None => None,
            Some(number) => {
                let known = siaga_domain::polda::polres_list()
                    .into_iter()
                    .find(|polres| polres.id.0.number() == number)
                    .ok_or(SetupError::Polres)?;
                if known.polda != polda {
                    return Err(SetupError::Polres);
                }
                Some(known.id)
            }
        };
        Ok(DeskSetup {
            central_url,
            central_fingerprint,
            polda,
            polres,
            language,
        })
    }

    /// How the central's certificate is trusted.
    pub fn trust(&self) -> CentralTrust {
        self.central_fingerprint
            .map_or(CentralTrust::SystemRoots, CentralTrust::Pinned)
    }

    /// Reads the setup file in `config_dir`.
    pub fn load(config_dir: &Path) -> Result<DeskSetup, SetupProblem> {
        let path = config_dir.join(SETUP_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(SetupProblem::Missing),
            Err(error) => return Err(SetupProblem::Unreadable(error.to_string())),
        };
        let stored: StoredSetup =
            serde_json::from_str(&text).map_err(|e| SetupProblem::Unreadable(e.to_string()))?;
        if stored.format != FORMAT {
            return Err(SetupProblem::Unreadable(format!(
                "format {} (this desk reads format {FORMAT})",
                stored.format
            )));
        }
        DeskSetup::from_form(
            &stored.central_url,
            stored.central_fingerprint.as_deref().unwrap_or_default(),
            &stored.polda,
            stored.polres,
            stored.language,
        )
        .map_err(|e| SetupProblem::Invalid(e.message(Language::En)))
    }

    /// Writes the setup file into `config_dir` whole (a temporary file renamed over the old one), readable by
    /// this user only; a broken file it replaces is kept beside it as `desk-setup.json.broken`.
    pub fn save(&self, config_dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(config_dir)?;
        let path = config_dir.join(SETUP_FILE);
        if path.exists() && DeskSetup::load(config_dir).is_err() {
            std::fs::rename(&path, config_dir.join(format!("{SETUP_FILE}.broken")))?;
        }
        let stored = StoredSetup {
            format: FORMAT,
            central_url: self.central_url.clone(),
            central_fingerprint: self.central_fingerprint.map(|f| f.to_string()),
            polda: self.polda.code().to_owned(),
            polres: self.polres.map(|p| p.0.number()),
            language: self.language,
        };
        let text = serde_json::to_string_pretty(&stored).map_err(std::io::Error::other)?;
        let temporary = config_dir.join(format!("{SETUP_FILE}.new"));
        std::fs::write(&temporary, text + "\n")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
        }
        std::fs::rename(&temporary, &path)?;
        Ok(path)
    }
}

/// Asks `setup`'s central for its health over `setup`'s trust; the central's version.
pub async fn check_central(setup: &DeskSetup) -> Result<String, crate::DeskError> {
    let client = siaga_sync::CentralClient::with_trust(&setup.central_url, setup.trust());
    Ok(client.health().await?.version)
}

/// The file as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredSetup {
    format: u32,
    central_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    central_fingerprint: Option<String>,
    polda: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    polres: Option<u16>,
    language: Language,
}

/// Why the desk has no usable setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupProblem {
    /// Never set up (the first run).
    Missing,
    /// The file cannot be read or is not JSON of this format.
    Unreadable(String),
    /// The file reads, but what it says breaks a rule (edited by hand).
    Invalid(String),
}

impl SetupProblem {
    /// What to tell whoever sets the desk up.
    pub fn message(&self, path: &Path, language: Language) -> Option<String> {
        let id = language == Language::Id;
        let path = path.display();
        match self {
            SetupProblem::Missing => None,
            SetupProblem::Unreadable(why) | SetupProblem::Invalid(why) if id => Some(format!(
                "Pengaturan desk di {path} tidak dapat dipakai ({why}). Isi ulang di bawah; saat disimpan, berkas \
                 lama disimpan sebagai {SETUP_FILE}.broken."
            )),
            SetupProblem::Unreadable(why) | SetupProblem::Invalid(why) => Some(format!(
                "The desk's setup at {path} cannot be used ({why}). Fill it in again below; on saving, the old file \
                 is kept as {SETUP_FILE}.broken."
            )),
        }
    }
}

/// A rule a typed setup breaks; [`SetupError::field`] names the form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// Not `http(s)://host[:port]`.
    Address,
    /// `http://` to another computer: passwords and reports would cross the network in clear.
    PlainHttpOffThisComputer,
    Fingerprint(BadFingerprint),
    Polda,
    /// Unknown, or of another Polda.
    Polres,
}

impl SetupError {
    /// The form field at fault: `centralUrl`, `fingerprint`, `polda` or `polres`.
    pub fn field(&self) -> &'static str {
        match self {
            SetupError::Address | SetupError::PlainHttpOffThisComputer => "centralUrl",
            SetupError::Fingerprint(_) => "fingerprint",
            SetupError::Polda => "polda",
            SetupError::Polres => "polres",
        }
    }

    /// What to tell whoever sets the desk up.
    pub fn message(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            SetupError::Address if id => {
                "Alamat pusat 110 ditulis https://nama-server atau https://nama-server:port, tanpa jalur, mis. \
                 https://110.polres-sleman.local:8443."
                    .into()
            }
            SetupError::Address => {
                "Write the 110 central's address as https://server-name or https://server-name:port, without a \
                 path, e.g. https://110.polres-sleman.local:8443."
                    .into()
            }
            SetupError::PlainHttpOffThisComputer if id => {
                "Pusat 110 di komputer lain harus memakai https://: dengan http:// kata sandi dan laporan melintasi \
                 jaringan tanpa sandi. (http:// hanya untuk pusat di komputer ini.)"
                    .into()
            }
            SetupError::PlainHttpOffThisComputer => {
                "A 110 central on another computer must use https://: over http:// passwords and reports would \
                 cross the network unencrypted. (http:// is only for a central on this computer.)"
                    .into()
            }
            SetupError::Fingerprint(bad) if id => format!(
                "Sidik jari SHA-256 terdiri atas 64 digit heksadesimal (boleh dipisah ':' atau spasi), seperti yang \
                 dicatat siaga-central saat mulai; yang diketik berisi {} digit{}.",
                bad.digits,
                if bad.bad_character { " dan huruf lain" } else { "" }
            ),
            SetupError::Fingerprint(bad) => format!(
                "A SHA-256 fingerprint is 64 hexadecimal digits (':' or spaces between pairs are fine), as \
                 siaga-central logs it when it starts; what was typed has {} digits{}.",
                bad.digits,
                if bad.bad_character { " and other characters" } else { "" }
            ),
            SetupError::Polda if id => "Pilih Polda desk ini dari daftar.".into(),
            SetupError::Polda => "Choose this desk's Polda from the list.".into(),
            SetupError::Polres if id => "Polres itu bukan bagian dari Polda yang dipilih.".into(),
            SetupError::Polres => "That Polres is not part of the chosen Polda.".into(),
        }
    }
}

/// `scheme://host[:port]` with nothing after it (a trailing `/` is dropped), `http` only to this computer.
fn central_address(typed: &str) -> Result<String, SetupError> {
    let typed = typed.trim();
    let lower = typed.to_ascii_lowercase();
    let (scheme, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        ("http", rest)
    } else {
        return Err(SetupError::Address);
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty()
        || authority
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@' | '\\'))
    {
        return Err(SetupError::Address);
    }
    let (host, port) = split_host_port(authority).ok_or(SetupError::Address)?;
    if let Some(port) = port {
        if !port.chars().all(|c| c.is_ascii_digit()) || !matches!(port.parse::<u32>(), Ok(1..=65535)) {
            return Err(SetupError::Address);
        }
    }
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let valid_name = is_ip
        || (host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }));
    if !valid_name {
        return Err(SetupError::Address);
    }
    if scheme == "http" && !loopback {
        return Err(SetupError::PlainHttpOffThisComputer);
    }
    Ok(format!("{scheme}://{authority}"))
}

/// `host` and its port, if any; an IPv6 host is in brackets.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        host[1..end].parse::<std::net::Ipv6Addr>().ok()?;
        return match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?))),
        };
    }
    match authority.split_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((authority, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIN: &str =
        "3B:0F:5A:9C:1E:44:D2:7B:88:61:F0:C3:A5:D9:E2:B7:C4:01:6F:8A:92:D3:E5:B1:C7:F4:0A:6E:8D:2B:9C:13";

    fn form(url: &str) -> Result<DeskSetup, SetupError> {
        DeskSetup::from_form(url, "", "diy", None, Language::Id)
    }

    #[test]
    fn an_address_is_https_to_a_server_or_http_to_this_computer() {
        assert_eq!(
            form("https://110.polres-sleman.local:8443/").unwrap().central_url,
            "https://110.polres-sleman.local:8443"
        );
        assert_eq!(
            form(" HTTPS://10.12.0.5 ").unwrap().central_url,
            "https://10.12.0.5"
        );
        assert_eq!(
            form("https://[fd00::5]:8443").unwrap().central_url,
            "https://[fd00::5]:8443"
        );
        assert_eq!(
            form("http://127.0.0.1:8110").unwrap().central_url,
            "http://127.0.0.1:8110"
        );
        assert_eq!(
            form("http://localhost:8110").unwrap().central_url,
            "http://localhost:8110"
        );
        assert_eq!(
            form("http://10.12.0.5:8110"),
            Err(SetupError::PlainHttpOffThisComputer)
        );
        for bad in [
            "",
            "110.polres.local",
            "ftp://110.polres.local",
            "https://",
            "https://110.polres.local/v1",
            "https://user@110.polres.local",
            "https://110.polres.local:0",
            "https://110.polres.local:99999",
            "https://110.polres.local:80a",
            "https://-bad-.local",
            "https://a b.local",
            "https://[not-v6]:1",
        ] {
            assert_eq!(form(bad), Err(SetupError::Address), "{bad:?}");
        }
    }

    #[test]
    fn a_fingerprint_pins_and_none_trusts_the_system() {
        let pinned = DeskSetup::from_form("https://10.0.0.2", PIN, "diy", None, Language::Id).unwrap();
        assert_eq!(pinned.trust(), CentralTrust::Pinned(PIN.parse().unwrap()));
        assert_eq!(
            form("https://10.0.0.2").unwrap().trust(),
            CentralTrust::SystemRoots
        );
        let bad = DeskSetup::from_form("https://10.0.0.2", "AB:CD", "diy", None, Language::Id).unwrap_err();
        assert_eq!(bad.field(), "fingerprint");
        assert!(bad.message(Language::Id).contains("4 digit"));
    }

    #[test]
    fn the_polres_must_belong_to_the_polda() {
        // 3404: Sleman, in DIY; 3171: Jakarta Pusat, in Metro Jaya.
        let sleman = DeskSetup::from_form("https://10.0.0.2", "", "diy", Some(3404), Language::En).unwrap();
        assert_eq!(sleman.polres.map(|p| p.0.number()), Some(3404));
        let other = DeskSetup::from_form("https://10.0.0.2", "", "diy", Some(3171), Language::En);
        assert_eq!(other, Err(SetupError::Polres));
        assert_eq!(
            DeskSetup::from_form("https://10.0.0.2", "", "atlantis", None, Language::En),
            Err(SetupError::Polda)
        );
    }

    #[test]
    fn a_saved_setup_reads_back_and_a_broken_one_is_named_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(DeskSetup::load(dir.path()), Err(SetupProblem::Missing));
        let setup =
            DeskSetup::from_form("https://10.0.0.2:8443", PIN, "diy", Some(3404), Language::En).unwrap();
        let path = setup.save(dir.path()).unwrap();
        assert_eq!(DeskSetup::load(dir.path()), Ok(setup.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }

        std::fs::write(&path, "{\"format\": 1, \"centralUrl\": ").unwrap();
        let problem = DeskSetup::load(dir.path()).unwrap_err();
        assert!(matches!(problem, SetupProblem::Unreadable(_)));
        assert!(problem
            .message(&path, Language::Id)
            .unwrap()
            .contains("tidak dapat dipakai"));
        setup.save(dir.path()).unwrap();
        assert!(dir.path().join("desk-setup.json.broken").is_file());
        assert_eq!(DeskSetup::load(dir.path()), Ok(setup));

        // Edited by hand into plain http to another computer: refused as invalid, not trusted.
        std::fs::write(
            &path,
            r#"{"format": 1, "centralUrl": "http://10.0.0.2", "polda": "diy", "language": "id"}"#,
        )
        .unwrap();
        assert!(matches!(
            DeskSetup::load(dir.path()),
            Err(SetupProblem::Invalid(_))
        ));
        std::fs::write(
            &path,
            r#"{"format": 9, "centralUrl": "https://x", "polda": "diy", "language": "id"}"#,
        )
        .unwrap();
        assert!(matches!(
            DeskSetup::load(dir.path()),
            Err(SetupProblem::Unreadable(_))
        ));
    }
}
