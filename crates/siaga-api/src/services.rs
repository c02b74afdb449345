//! Citizen services on the wire: what the 110 app submits (`POST /v1/services/requests`), what officers
//! and the app read back, the actions on a request, the counts analysts see, the central's letter keys
//! (`GET /v1/letters/keys`) and a letter's verification (`GET /v1/letters/{letter_id}/verify`).
//!
//! Personal data: a request's full view (NIK, name, address, photo, chronology, the letter) goes only to
//! the issuing Polda's SPKT officers and supervisors and to the app account that submitted it; analysts
//! get [`ServiceCounts`]. A verification answer names the holder with the NIK masked.

use serde::{Deserialize, Serialize};
use siaga_domain::service::check::Flag;
use siaga_domain::service::iso_date;
use siaga_domain::service::letter::Officer;
use siaga_domain::service::state::{RejectReason, RequestAction, RequestStatus};
use siaga_domain::service::{ServiceKind, Submission};
use siaga_domain::{PoldaId, Role};
use time::Date;

/// `POST /v1/services/requests`: a citizen's request from the 110 app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSubmitRequest {
    /// The request (id chosen by the app: a repeat with the same content answers the stored request).
    pub request: Submission,
    /// The app's id of the citizen (1–64 of `A–Z a–z 0–9 _ -`): the app reads back only its own
    /// citizens' requests, by this id.
    pub citizen_ref: String,
    /// The passport photo, a JPEG in standard base64 (required for an SKCK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_jpeg_base64: Option<String>,
}

/// One problem of a refused submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionProblem {
    /// Stable code, e.g. `birth_date_contradicts_nik`.
    pub code: String,
    /// The text field it is about, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The reason in Indonesian.
    pub message_id: String,
    /// The reason in English.
    pub message_en: String,
}

/// `422 invalid_request` of a submission: every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionRefused {
    /// Always `invalid_request`.
    pub error: String,
    /// A summary sentence.
    pub message: String,
    /// The problems.
    pub problems: Vec<SubmissionProblem>,
}

/// What the NIK says, beside what the citizen stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NikCheck {
    /// Province, regency and district named by the NIK (as far as the codes are current).
    pub region: String,
    /// The regency code of the NIK (`34.71`), when current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regency: Option<String>,
    /// The birth date the NIK encodes.
    #[serde(with = "iso_date")]
    pub birth_date: Date,
    /// Age in whole years on the day of submission.
    pub age: i32,
    /// `male` or `female`, from the NIK.
    pub sex: siaga_domain::nik::Sex,
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStep {
    /// What was done (`submitted` for the submission itself, else a [`RequestAction`] code).
    pub action: String,
    /// The status after it.
    pub status: RequestStatus,
    /// Who (account name).
    pub actor: String,
    /// In which role.
    pub role: Role,
    /// A rejection's or revocation's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When (Unix ms).
    pub at_ms: i64,
}

/// An issued letter, as a request shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterSummary {
    /// The letter's id.
    pub letter_id: String,
    /// Its printed number.
    pub number: String,
    /// Its day of issue.
    #[serde(with = "iso_date")]
    pub issued_on: Date,
    /// An SKCK's last valid day.
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The URL its QR code carries.
    pub verify_url: String,
    /// The key that signed it.
    pub key_id: String,
    /// When it was revoked (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at_ms: Option<i64>,
}

/// A request as officers and the submitting app see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequestView {
    /// What the citizen submitted.
    pub request: Submission,
    /// Its kind.
    pub kind: ServiceKind,
    /// Where it stands.
    pub status: RequestStatus,
    /// The Polda of the issuing Polres.
    pub polda: PoldaId,
    /// The issuing Polres's name.
    pub polres_name: String,
    /// The app's id of the citizen.
    pub citizen_ref: String,
    /// Whether a photo came with it (`GET …/photo`).
    pub has_photo: bool,
    /// What the NIK says.
    pub nik_check: NikCheck,
    /// What the officer should look at (mismatches, office visits).
    pub flags: Vec<Flag>,
    /// The flags in Indonesian (for the citizen and the desk).
    pub flag_messages: Vec<String>,
    /// Submitted (Unix ms).
    pub submitted_at_ms: i64,
    /// Last change (Unix ms).
    pub updated_at_ms: i64,
    /// Changes so far (1 after submission); an action may name the version it saw.
    pub version: i64,
    /// Every step so far.
    pub history: Vec<ServiceStep>,
    /// The letter, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterSummary>,
}

/// `POST /v1/services/requests/{request_id}/nik`: the applicant's NIK whole (the reveal is recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NikRevealed {
    /// The NIK as the citizen gave it.
    pub nik: String,
}

/// `GET /v1/services/requests`: a page of requests, newest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequestList {
    /// The requests.
    pub requests: Vec<ServiceRequestView>,
}

/// `POST /v1/services/requests/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceActionRequest {
    /// What to do.
    pub action: RequestAction,
    /// Required to reject or revoke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    /// A note (required with the reason `other`; at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The officer who signs, required to issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<Officer>,
    /// The version the officer acted on: a stale one is `409 stale_version` (someone else moved it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
}

/// `GET /v1/services/counts`: how many requests per kind and status (what analysts may see).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCounts {
    /// One row per kind and status that has any.
    pub counts: Vec<ServiceCount>,
}

/// One count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCount {
    /// The kind.
    pub kind: ServiceKind,
    /// The status.
    pub status: RequestStatus,
    /// How many.
    pub count: i64,
}

/// One of the central's letter keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterKeyInfo {
    /// The key id printed on letters.
    pub key_id: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    /// True for the key new letters are signed with.
    pub active: bool,
    /// Made (Unix ms).
    pub created_at_ms: i64,
}

/// `GET /v1/letters/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterKeys {
    /// Every key that ever signed a letter here, the active one included.
    pub keys: Vec<LetterKeyInfo>,
}

/// What a verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Issued here and in force.
    Valid,
    /// Issued here, since revoked.
    Revoked,
    /// No letter with this id was issued here.
    Unknown,
    /// A letter with this id exists, but the QR code's digest is not its content's.
    Tampered,
}

/// `GET /v1/letters/{letter_id}/verify?d=DIGEST`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterVerification {
    /// The verdict.
    pub verdict: Verdict,
    /// The letter's kind (valid or revoked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ServiceKind>,
    /// Its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The issuing Polres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polres_name: Option<String>,
    /// The holder's name (to compare with the paper and the holder's KTP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<String>,
    /// The holder's NIK, masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nik_masked: Option<String>,
    /// Day of issue.
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
    /// An SKCK's last valid day.
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// When it was revoked (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at_ms: Option<i64>,
    /// One sentence for the person checking, in Indonesian.
    pub message_id: String,
    /// The same in English.
    pub message_en: String,
}

/// A text in both languages of the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// Bahasa Indonesia.
    pub id: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The text of `label` in both languages.
    pub fn of(label: impl Fn(siaga_domain::Language) -> String) -> Bilingual {
        Bilingual {
            id: label(siaga_domain::Language::Id),
            en: label(siaga_domain::Language::En),
        }
    }
}

/// `POST /v1/public/services/requests`: a citizen's own request from the central's web page (`/warga`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebSubmitRequest {
    /// The request (id chosen by the page: a repeat with the same content answers the stored request).
    pub request: Submission,
    /// A secret the page made (32 lowercase hex digits: 128 random bits). With the request's id it is the
    /// citizen's receipt: it follows the request and fetches the letter. The central keeps its SHA-256.
    pub receipt: String,
    /// The passport photo, a JPEG in standard base64 (required for an SKCK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_jpeg_base64: Option<String>,
}

/// `POST /v1/public/services/status` and `POST /v1/public/services/letter`: a citizen's receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReceiptRequest {
    /// The request's id.
    pub request_id: uuid::Uuid,
    /// The receipt's secret, as submitted.
    pub receipt: String,
}

/// One step of a citizen's request as the citizen sees it (no officer names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CitizenStep {
    /// The status it reached.
    pub status: RequestStatus,
    /// That status for people.
    pub status_label: Bilingual,
    /// Why, for a refusal or a revocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Bilingual>,
    /// The officer's note to the citizen with a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When (Unix ms).
    pub at_ms: i64,
}

/// A citizen's issued letter, as the web page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CitizenLetter {
    /// Its number.
    pub number: String,
    /// Day of issue.
    #[serde(with = "iso_date")]
    pub issued_on: Date,
    /// An SKCK's last valid day.
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// Where anyone checks it (the URL in its QR code).
    pub verify_url: String,
    /// Whether it was revoked (then it cannot be downloaded).
    pub revoked: bool,
}

/// What a citizen sees of their own request on the web page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CitizenRequestView {
    /// The request's id.
    pub request_id: uuid::Uuid,
    /// Its kind.
    pub kind: ServiceKind,
    /// The letter asked for, for people.
    pub kind_label: Bilingual,
    /// Where it stands.
    pub status: RequestStatus,
    /// That status for people.
    pub status_label: Bilingual,
    /// The Polres that handles it.
    pub polres_name: String,
    /// The name the request is for.
    pub full_name: String,
    /// When it was submitted (Unix ms).
    pub submitted_at_ms: i64,
    /// Its last change (Unix ms).
    pub updated_at_ms: i64,
    /// What the citizen must know now (e.g. that a loss letter is made in person at the Polres).
    pub notices: Vec<Bilingual>,
    /// Every step so far, oldest first.
    pub steps: Vec<CitizenStep>,
    /// The letter, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<CitizenLetter>,
}
