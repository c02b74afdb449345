//! The desk's first-run setup over IPC: what the setup screen shows, what it saves, and the check of a
//! central before saving (docs/decisions/0020); and its updates from the central (docs/decisions/0021).

use serde::{Deserialize, Serialize};
use siaga_domain::Language;

/// `desk_setup`: the setup as it stands, in the language of the screen asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskSetupRequest {
    pub language: Language,
}

/// The desk's setup as the shell holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskSetupInfo {
    /// No usable setup: the window shows the setup screen instead of the desk.
    pub needed: bool,
    /// Why the saved setup cannot be used, in the asked language (`None` on a first run or when it is fine).
    pub problem: Option<String>,
    /// The central is named by `SIAGA_CENTRAL_URL` (demos, tests) rather than by the setup file.
    pub from_environment: bool,
    /// The setup in force, to fill the form with.
    pub current: Option<DeskSetupForm>,
    /// Where the setup file is kept.
    pub path: String,
}

/// What the setup screen's form holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskSetupForm {
    /// `https://host[:port]`.
    pub central_url: String,
    /// The SHA-256 fingerprint of the central's certificate; empty for a certificate from a CA the system trusts.
    pub fingerprint: String,
    /// The Polda's code, e.g. `diy`.
    pub polda: String,
    /// The Polres's regency number, e.g. 3404 (Sleman).
    pub polres: Option<u16>,
    pub language: Language,
}

/// `save_desk_setup` and `check_central`: a form and the language of the answer. A refusal is an
/// `IpcError` whose code is `setup_<field>` (`setup_centralUrl`, `setup_fingerprint`, `setup_polda`,
/// `setup_polres`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskSetupFormRequest {
    pub form: DeskSetupForm,
    pub language: Language,
}

/// What a check of the central found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CentralCheck {
    /// The central answered, over a connection the form's trust accepts.
    pub reachable: bool,
    /// What to tell the administrator.
    pub message: String,
}

/// `update_status`, `check_update`, `download_update`, `install_update`: in the language of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateRequest {
    pub language: Language,
}

/// Where the desk's update stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    /// This desk's version.
    pub current_version: String,
    /// The platform releases are asked for; `None` for a desk no package installed (no updates).
    pub platform: Option<String>,
    /// When the central was last asked (ms since the epoch).
    pub checked_ms: Option<i64>,
    /// A newer, correctly signed release.
    pub offer: Option<UpdateOffer>,
    /// Why the last release or package was refused, in the asked language.
    pub refused: Option<String>,
    /// The offered package is downloaded and checked: it can be installed.
    pub ready: bool,
    /// The ids of the release keys this desk trusts.
    pub trusted_keys: Vec<String>,
}

/// A release on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    /// What is new, in the asked language.
    pub notes: String,
    /// The package's size in bytes.
    pub size: u64,
    pub package: String,
}
