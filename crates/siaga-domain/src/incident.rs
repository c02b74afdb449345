//! The incident: one report to 110 as the command center knows it, built by applying its events
//! (see `flow`). Identifiers are UUIDv7 made by whoever records the report; the domain never makes ids
//! or reads the clock itself.

use crate::category::{Category, Priority};
use crate::geo::GeoPoint;
use crate::kiosk::KioskId;
use crate::nik::Nik;
use crate::polda::{PoldaId, PolresId};
use crate::region::{DistrictCode, ProvinceCode, RegencyCode, VillageCode};
use crate::role::Role;
use crate::status::IncidentStatus;
use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;
use uuid::Uuid;

/// An incident's id: a UUIDv7 made where the report was first recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncidentId(pub Uuid);

/// An incident event's id: a UUIDv7 made where the event was recorded; also its idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub Uuid);

impl IncidentId {
    /// True when the id is a UUIDv7 (time-ordered), as every id Siaga mints must be.
    pub fn is_v7(self) -> bool {
        self.0.get_version_num() == 7
    }
}

impl EventId {
    /// True when the id is a UUIDv7 (time-ordered), as every id Siaga mints must be.
    pub fn is_v7(self) -> bool {
        self.0.get_version_num() == 7
    }
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How the report reached 110.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    /// A phone call to 110.
    Call110,
    /// A call to a legacy emergency number forwarded to 110; `dialed` keeps the number the caller used
    /// (e.g. `112`, a Polres landline).
    LegacyNumber {
        /// The number the caller dialed.
        dialed: String,
    },
    /// The Polri 110 / Polri Super App report form.
    App110,
    /// An emergency kiosk at a transit station.
    StationKiosk {
        /// The kiosk that raised the alert.
        kiosk: KioskId,
    },
    /// An SMS to 110.
    Sms,
}

/// The number everything ends up at.
pub const EMERGENCY_NUMBER: &str = "110";

/// The longest number a switch forwards (E.164 allows 15 digits).
const MAX_DIALED_DIGITS: usize = 15;

/// The channel of a phone call from the number dialed as typed: blank or `110` is a 110 call; another
/// number of 2–15 digits (spaces, dashes and brackets ignored) is a legacy number forwarded to 110.
/// `None`: not a number a caller could have dialed.
pub fn call_channel(dialed: &str) -> Option<Channel> {
    let trimmed = dialed.trim();
    if trimmed.is_empty() {
        return Some(Channel::Call110);
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return None;
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    match digits.as_str() {
        EMERGENCY_NUMBER => Some(Channel::Call110),
        _ if (2..=MAX_DIALED_DIGITS).contains(&digits.len()) => {
            Some(Channel::LegacyNumber { dialed: digits })
        }
        _ => None,
    }
}

impl Channel {
    /// Whether the channel's own fields are well formed (a legacy number is as [`call_channel`] makes it).
    pub fn is_well_formed(&self) -> bool {
        match self {
            Channel::LegacyNumber { dialed } => call_channel(dialed).as_ref() == Some(self),
            _ => true,
        }
    }

    /// The channel's name for people.
    pub fn label(&self, language: Language) -> String {
        match (self, language) {
            (Channel::Call110, Language::Id) => "Panggilan 110".into(),
            (Channel::Call110, Language::En) => "110 call".into(),
            (Channel::LegacyNumber { dialed }, Language::Id) => {
                format!("Panggilan ke {dialed} diteruskan ke 110")
            }
            (Channel::LegacyNumber { dialed }, Language::En) => format!("Call to {dialed} forwarded to 110"),
            (Channel::App110, Language::Id) => "Aplikasi 110".into(),
            (Channel::App110, Language::En) => "110 app".into(),
            (Channel::StationKiosk { kiosk }, Language::Id) => format!("Kios stasiun {kiosk}"),
            (Channel::StationKiosk { kiosk }, Language::En) => format!("Station kiosk {kiosk}"),
            (Channel::Sms, _) => "SMS".into(),
        }
    }
}

/// A phone number as the network delivered it: an optional `+` and 3 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a phone number (an optional + and 3 to 15 digits)")]
pub struct BadPhoneNumber(pub String);

impl PhoneNumber {
    /// A checked number; spaces and dashes are dropped.
    pub fn parse(text: &str) -> Result<PhoneNumber, BadPhoneNumber> {
        let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = compact.strip_prefix('+').unwrap_or(&compact);
        if (3..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(PhoneNumber(compact))
        } else {
            Err(BadPhoneNumber(text.to_owned()))
        }
    }

    /// The number as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number for logs and analysts, as [`crate::personal::mask_phone`] masks it: never whole, however
    /// short.
    pub fn masked(&self) -> String {
        crate::personal::mask_phone(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = BadPhoneNumber;
    fn try_from(text: String) -> Result<Self, BadPhoneNumber> {
        PhoneNumber::parse(&text)
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> String {
        number.0
    }
}

/// The person who reported, when they identify themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Reporter {
    /// The name they gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their NIK (national identity number), if given and valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nik: Option<Nik>,
}

/// Where the incident is: a point and/or the Kemendagri region codes, as far as known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The position (GPS from the app or kiosk, or placed by the operator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<GeoPoint>,
    /// The province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceCode>,
    /// The regency/city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regency: Option<RegencyCode>,
    /// The district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictCode>,
    /// The village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageCode>,
    /// A free-text address or landmark as the caller described it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Location {
    /// A location at a point, region unknown.
    pub fn at(point: GeoPoint) -> Location {
        Location {
            point: Some(point),
            ..Location::default()
        }
    }

    /// A location in a village, with every parent code filled in.
    pub fn in_village(village: VillageCode) -> Location {
        let district = village.district();
        Location {
            village: Some(village),
            ..Location::in_district(district)
        }
    }

    /// A location in a district, with the regency and province filled in.
    pub fn in_district(district: DistrictCode) -> Location {
        Location {
            province: Some(district.province()),
            regency: Some(district.regency()),
            district: Some(district),
            ..Location::default()
        }
    }

    /// True when the codes given nest (the village is in the district, the district in the regency, …).
    pub fn is_consistent(&self) -> bool {
        let village_ok = match (self.village, self.district) {
            (Some(v), Some(d)) => v.district() == d,
            (Some(_), None) => false,
            _ => true,
        };
        let district_ok = match (self.district, self.regency) {
            (Some(d), Some(r)) => d.regency() == r,
            (Some(_), None) => false,
            _ => true,
        };
        let regency_ok = match (self.regency, self.province) {
            (Some(r), Some(p)) => r.province() == p,
            (Some(_), None) => false,
            _ => true,
        };
        village_ok && district_ok && regency_ok
    }
}

/// Who made a change: an account and the role it acted in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The account (or device) id.
    pub id: String,
    /// The role it acted in: one of [`Role::FLOW`] (JSON naming another role does not parse).
    #[serde(deserialize_with = "crate::role::deserialize_flow_role")]
    pub role: Role,
}

impl Actor {
    /// An actor.
    pub fn new(id: impl Into<String>, role: Role) -> Actor {
        Actor { id: id.into(), role }
    }
}

/// A note on an incident. Notes are append-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The event that added it.
    pub event_id: EventId,
    /// Who wrote it.
    pub author: Actor,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The text.
    pub text: String,
}

/// Why an incident was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CloseReason {
    /// A prank call (panggilan iseng).
    Prank,
    /// An empty or silent call.
    Empty,
    /// The same incident as another one already open.
    Duplicate {
        /// The incident it duplicates.
        of: IncidentId,
    },
    /// Handled: the police response is complete.
    Resolved,
    /// Checked on site and found to be unfounded.
    Unfounded,
}

impl CloseReason {
    /// The reason's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (CloseReason::Prank, Language::Id) => "panggilan iseng",
            (CloseReason::Prank, Language::En) => "prank call",
            (CloseReason::Empty, Language::Id) => "panggilan kosong",
            (CloseReason::Empty, Language::En) => "empty call",
            (CloseReason::Duplicate { .. }, Language::Id) => "duplikat",
            (CloseReason::Duplicate { .. }, Language::En) => "duplicate",
            (CloseReason::Resolved, Language::Id) => "selesai ditangani",
            (CloseReason::Resolved, Language::En) => "resolved",
            (CloseReason::Unfounded, Language::Id) => "tidak terbukti",
            (CloseReason::Unfounded, Language::En) => "unfounded",
        }
    }

    /// True for the reasons operator 1 uses at triage (prank, empty).
    pub fn is_prank_or_empty(self) -> bool {
        matches!(self, CloseReason::Prank | CloseReason::Empty)
    }
}

/// How an incident was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Closure {
    /// Why.
    pub reason: CloseReason,
    /// A summary for the record (may be empty for prank and empty calls).
    pub summary: String,
    /// Who closed it.
    pub by: Actor,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An operator's acknowledgement of an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledgement {
    /// Who acknowledged it.
    pub by: Actor,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// What checking a report with its reporter found (in a video validation call beside their NIK, or by
/// calling back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationOutcome {
    /// The report holds: the reporter and what they report were seen or heard.
    Valid,
    /// The report does not hold (the reporter is not who the NIK says, or the report is false).
    NotValid,
    /// The reporter could not be reached.
    Unreachable,
}

impl ValidationOutcome {
    /// Every outcome.
    pub const ALL: [ValidationOutcome; 3] = [
        ValidationOutcome::Valid,
        ValidationOutcome::NotValid,
        ValidationOutcome::Unreachable,
    ];

    /// The outcome for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (ValidationOutcome::Valid, Language::Id) => "laporan valid",
            (ValidationOutcome::Valid, Language::En) => "report valid",
            (ValidationOutcome::NotValid, Language::Id) => "laporan tidak valid",
            (ValidationOutcome::NotValid, Language::En) => "report not valid",
            (ValidationOutcome::Unreachable, Language::Id) => "pelapor tidak dapat dihubungi",
            (ValidationOutcome::Unreachable, Language::En) => "reporter could not be reached",
        }
    }

    /// Its code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            ValidationOutcome::Valid => "valid",
            ValidationOutcome::NotValid => "not_valid",
            ValidationOutcome::Unreachable => "unreachable",
        }
    }

    /// The outcome of a code.
    pub fn parse(code: &str) -> Option<ValidationOutcome> {
        ValidationOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether recording it needs a reason (all but `Valid`).
    pub fn needs_reason(self) -> bool {
        self != ValidationOutcome::Valid
    }
}

/// The latest check of the report with its reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    /// What it found.
    pub outcome: ValidationOutcome,
    /// Why (empty for a valid report without remarks).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The video call it was decided in, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Uuid>,
    /// Who checked it.
    pub by: Actor,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An incident as it stands after its events. Built only by `flow::IncidentState`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    /// Its id.
    pub id: IncidentId,
    /// How the report arrived.
    pub channel: Channel,
    /// The caller's number, when the channel has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_number: Option<PhoneNumber>,
    /// The reporter, when they identified themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
    /// Where it is.
    pub location: Location,
    /// Its category, once operator 1 classified it (an app report may propose one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Its priority.
    pub priority: Priority,
    /// What the reporter said, as written down.
    pub description: String,
    /// Where it is in the operator flow.
    pub status: IncidentStatus,
    /// The Polda responsible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polda: Option<PoldaId>,
    /// The Polres responsible, once forwarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polres: Option<PolresId>,
    /// The SPKT desk or officer it was handed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spkt_desk: Option<String>,
    /// The unit handling it on the ground.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_unit: Option<String>,
    /// How it was closed, while closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
    /// Who took over the alert and when (kiosk alerts ring on every desk until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<Acknowledgement>,
    /// The latest check of the report with its reporter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
    /// Notes, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The other emergency services it was handed to (a fire to the fire service), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<crate::category::Agency>,
    /// When the report arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// When the last event happened.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// How many events have been applied (1 after receipt).
    pub version: u64,
}

impl Incident {
    /// True when the call turned out a prank or empty: closed so, or classified so (prank triage counts
    /// these per caller number; advisory only).
    pub fn is_prank_or_empty(&self) -> bool {
        self.closure
            .as_ref()
            .is_some_and(|c| matches!(c.reason, CloseReason::Prank | CloseReason::Empty))
            || self.category.is_some_and(Category::is_prank_or_empty)
    }

    /// The kiosk whose alert this incident is, while no operator has acknowledged it and it is not
    /// closed: such an incident keeps its banner up and its kiosk red on every desk.
    pub fn open_kiosk_alert(&self) -> Option<&KioskId> {
        match &self.channel {
            Channel::StationKiosk { kiosk } if self.acknowledged.is_none() && self.closure.is_none() => {
                Some(kiosk)
            }
            _ => None,
        }
    }
}
