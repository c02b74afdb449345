//! Citizen services: the SKCK (police clearance certificate) and the report of a lost document or item
//! (surat keterangan tanda lapor kehilangan) that citizens request in the 110 app and officers review at
//! their Polres. A request is its own record with its own state machine, not an incident.
//!
//! - [`check`]: what a submission must satisfy (NIK, birth date against the NIK, photo, bounded texts) and
//!   what is only flagged for the officer (the NIK's region against the issuing Polres);
//! - [`state`]: the request's status and the actions that move it, with who may take each;
//! - [`letter`]: the letter's number series, its date written in Indonesian, its validity, and the
//!   canonical content the central signs.

pub mod check;
pub mod letter;
pub mod state;

/// Dates on the wire as `YYYY-MM-DD` (for `#[serde(with = "iso_date")]`).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    /// `2026-12-04`.
    pub fn format(date: Date) -> String {
        format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
    }

    /// The date of `2026-12-04`, if it is one.
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse(text, FORMAT).ok()
    }

    /// Writes `2026-12-04`.
    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(*date))
    }

    /// Reads `2026-12-04`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text, FORMAT)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date like 2026-12-04")))
    }

    /// The same for an optional date.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        /// Writes `2026-12-04` or null.
        pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => super::serialize(date, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `2026-12-04` or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
            match Option::<String>::deserialize(deserializer)? {
                None => Ok(None),
                Some(text) => super::parse(&text).map(Some).ok_or_else(|| {
                    serde::de::Error::custom(format!("{text:?} is not a date like 2026-12-04"))
                }),
            }
        }
    }
}

use crate::polda::PolresId;
use crate::Language;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

pub use check::{check_submission, CheckedSubmission, Flag, PhotoInfo, Problem};
pub use letter::{LetterContent, LetterNumber, Officer};
pub use state::{RequestAction, RequestStatus, ServiceError};

/// A request's id, chosen by the app when it submits (so a repeated submission is recognised).
pub type ServiceRequestId = Uuid;

/// Which letter a citizen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Surat Keterangan Catatan Kepolisian: a police clearance certificate.
    Skck,
    /// Surat keterangan tanda lapor kehilangan: a report of loss.
    LossReport,
}

impl ServiceKind {
    /// Both kinds.
    pub const ALL: [ServiceKind; 2] = [ServiceKind::Skck, ServiceKind::LossReport];

    /// The stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            ServiceKind::Skck => "skck",
            ServiceKind::LossReport => "loss_report",
        }
    }

    /// The kind from its machine name.
    pub fn parse(code: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The letter's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (ServiceKind::Skck, Language::Id) => "Surat Keterangan Catatan Kepolisian (SKCK)",
            (ServiceKind::Skck, Language::En) => "Police clearance certificate (SKCK)",
            (ServiceKind::LossReport, Language::Id) => "Surat Keterangan Tanda Lapor Kehilangan",
            (ServiceKind::LossReport, Language::En) => "Report of loss",
        }
    }
}

/// What an SKCK is for (printed on the letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkckPurpose {
    /// Applying for a job.
    JobApplication,
    /// Applying to be a civil servant (CPNS) or to the TNI/Polri.
    CivilService,
    /// A visa or residence abroad.
    Visa,
    /// A scholarship or school admission.
    Education,
    /// A business licence or tender.
    Business,
    /// Standing for office or a public position.
    PublicOffice,
    /// Anything else (the note says what).
    Other,
}

impl SkckPurpose {
    /// Every purpose, in the order forms list them.
    pub const ALL: [SkckPurpose; 7] = [
        SkckPurpose::JobApplication,
        SkckPurpose::CivilService,
        SkckPurpose::Visa,
        SkckPurpose::Education,
        SkckPurpose::Business,
        SkckPurpose::PublicOffice,
        SkckPurpose::Other,
    ];

    /// The purpose as printed on the letter and shown to officers.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (SkckPurpose::JobApplication, Language::Id) => "Melamar pekerjaan",
            (SkckPurpose::JobApplication, Language::En) => "Job application",
            (SkckPurpose::CivilService, Language::Id) => "Pendaftaran CPNS/TNI/Polri",
            (SkckPurpose::CivilService, Language::En) => "Civil service, TNI or Polri application",
            (SkckPurpose::Visa, Language::Id) => "Pengurusan visa/izin tinggal luar negeri",
            (SkckPurpose::Visa, Language::En) => "Visa or residence abroad",
            (SkckPurpose::Education, Language::Id) => "Pendidikan/beasiswa",
            (SkckPurpose::Education, Language::En) => "Education or scholarship",
            (SkckPurpose::Business, Language::Id) => "Perizinan usaha/tender",
            (SkckPurpose::Business, Language::En) => "Business licence or tender",
            (SkckPurpose::PublicOffice, Language::Id) => "Pencalonan jabatan publik",
            (SkckPurpose::PublicOffice, Language::En) => "Candidacy for public office",
            (SkckPurpose::Other, Language::Id) => "Lainnya",
            (SkckPurpose::Other, Language::En) => "Other",
        }
    }
}

/// A lost document or item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LostItem {
    /// KTP (identity card).
    Ktp,
    /// SIM (driving licence).
    Sim,
    /// STNK (vehicle registration).
    Stnk,
    /// BPKB (vehicle ownership book).
    Bpkb,
    /// ATM or bank card.
    BankCard,
    /// Passport.
    Passport,
    /// Mobile phone.
    Phone,
    /// Wallet.
    Wallet,
    /// School or university certificate (ijazah).
    Diploma,
    /// Land certificate (sertifikat tanah).
    LandCertificate,
}

impl LostItem {
    /// Every item, in the order the app lists them.
    pub const ALL: [LostItem; 10] = [
        LostItem::Ktp,
        LostItem::Sim,
        LostItem::Stnk,
        LostItem::Bpkb,
        LostItem::BankCard,
        LostItem::Passport,
        LostItem::Phone,
        LostItem::Wallet,
        LostItem::Diploma,
        LostItem::LandCertificate,
    ];

    /// True when the letter for this loss is issued only at the Polres, in person, with the original
    /// supporting papers (the land office, Samsat and immigration require a letter made face to face).
    pub fn needs_office_visit(self) -> bool {
        matches!(
            self,
            LostItem::LandCertificate | LostItem::Bpkb | LostItem::Passport
        )
    }

    /// The item's name as printed on the letter.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (LostItem::Ktp, Language::Id) => "KTP-el",
            (LostItem::Ktp, Language::En) => "Identity card (KTP)",
            (LostItem::Sim, Language::Id) => "SIM",
            (LostItem::Sim, Language::En) => "Driving licence (SIM)",
            (LostItem::Stnk, Language::Id) => "STNK",
            (LostItem::Stnk, Language::En) => "Vehicle registration (STNK)",
            (LostItem::Bpkb, Language::Id) => "BPKB",
            (LostItem::Bpkb, Language::En) => "Vehicle ownership book (BPKB)",
            (LostItem::BankCard, Language::Id) => "Kartu ATM/bank",
            (LostItem::BankCard, Language::En) => "ATM or bank card",
            (LostItem::Passport, Language::Id) => "Paspor",
            (LostItem::Passport, Language::En) => "Passport",
            (LostItem::Phone, Language::Id) => "Telepon genggam",
            (LostItem::Phone, Language::En) => "Mobile phone",
            (LostItem::Wallet, Language::Id) => "Dompet",
            (LostItem::Wallet, Language::En) => "Wallet",
            (LostItem::Diploma, Language::Id) => "Ijazah",
            (LostItem::Diploma, Language::En) => "School certificate (ijazah)",
            (LostItem::LandCertificate, Language::Id) => "Sertifikat tanah",
            (LostItem::LandCertificate, Language::En) => "Land certificate",
        }
    }
}

/// The person a request is for, as the citizen stated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Applicant {
    /// The NIK as typed (checked by [`check_submission`]).
    pub nik: String,
    /// Full name as on the KTP.
    pub full_name: String,
    /// Place of birth.
    pub birth_place: String,
    /// Date of birth.
    #[serde(with = "iso_date")]
    pub birth_date: Date,
    /// Address as on the KTP.
    pub address: String,
}

/// What an SKCK request says beyond the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkckDetails {
    /// What the SKCK is for.
    pub purpose: SkckPurpose,
    /// A note on the purpose (required for [`SkckPurpose::Other`]), e.g. the employer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_note: Option<String>,
}

/// What a report of loss says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LossDetails {
    /// What was lost (at least one, each once).
    pub items: Vec<LostItem>,
    /// Where it was lost.
    pub place: String,
    /// When it was lost (the day; the chronology tells the hour if known).
    #[serde(with = "iso_date")]
    pub lost_on: Date,
    /// What happened, in the citizen's words.
    pub chronology: String,
}

/// The request's own part, per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestDetails {
    /// An SKCK.
    Skck(SkckDetails),
    /// A report of loss.
    LossReport(LossDetails),
}

impl RequestDetails {
    /// Which kind of request this is.
    pub fn kind(&self) -> ServiceKind {
        match self {
            RequestDetails::Skck(_) => ServiceKind::Skck,
            RequestDetails::LossReport(_) => ServiceKind::LossReport,
        }
    }
}

/// A request as the 110 app submits it (the photo travels beside it, as bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Submission {
    /// The request's id, chosen by the app.
    pub id: ServiceRequestId,
    /// The Polres that will issue the letter.
    pub polres: PolresId,
    /// Who it is for.
    pub applicant: Applicant,
    /// The kind's own details.
    pub details: RequestDetails,
}
