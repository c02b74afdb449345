//! Where an incident is in the operator flow ([`IncidentStatus`]): its own module, so the incident model
//! and the flow's rules both use it without importing each other.

use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an incident is in the operator flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Received, not yet checked by operator 1.
    Received,
    /// Checked and classified by operator 1.
    Classified,
    /// Forwarded by operator 2 to a Polda/Polres.
    Forwarded,
    /// Handed by operator 3 to the Polres SPKT desk.
    HandedToSpkt,
    /// A unit is handling it.
    InProgress,
    /// Closed (prank/empty, duplicate, resolved or unfounded).
    Closed,
}

impl IncidentStatus {
    /// Every status, in flow order.
    pub const ALL: [IncidentStatus; 6] = [
        IncidentStatus::Received,
        IncidentStatus::Classified,
        IncidentStatus::Forwarded,
        IncidentStatus::HandedToSpkt,
        IncidentStatus::InProgress,
        IncidentStatus::Closed,
    ];

    /// The stable machine name, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            IncidentStatus::Received => "received",
            IncidentStatus::Classified => "classified",
            IncidentStatus::Forwarded => "forwarded",
            IncidentStatus::HandedToSpkt => "handed_to_spkt",
            IncidentStatus::InProgress => "in_progress",
            IncidentStatus::Closed => "closed",
        }
    }

    /// The status of a machine name, the inverse of [`IncidentStatus::code`].
    pub fn from_code(code: &str) -> Option<IncidentStatus> {
        IncidentStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (IncidentStatus::Received, Language::Id) => "diterima",
            (IncidentStatus::Received, Language::En) => "received",
            (IncidentStatus::Classified, Language::Id) => "diperiksa dan diklasifikasi",
            (IncidentStatus::Classified, Language::En) => "checked and classified",
            (IncidentStatus::Forwarded, Language::Id) => "diteruskan",
            (IncidentStatus::Forwarded, Language::En) => "forwarded",
            (IncidentStatus::HandedToSpkt, Language::Id) => "diserahkan ke SPKT Polres",
            (IncidentStatus::HandedToSpkt, Language::En) => "handed to the Polres SPKT",
            (IncidentStatus::InProgress, Language::Id) => "sedang ditangani",
            (IncidentStatus::InProgress, Language::En) => "being handled",
            (IncidentStatus::Closed, Language::Id) => "ditutup",
            (IncidentStatus::Closed, Language::En) => "closed",
        }
    }

    /// True while the incident still needs work.
    pub fn is_open(self) -> bool {
        self != IncidentStatus::Closed
    }
}

impl fmt::Display for IncidentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
