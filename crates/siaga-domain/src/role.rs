//! Who works a 110 incident, after the operator roles of Perkap 20/2014, and what each may do is
//! decided in `flow`.

use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A role at a 110 command center or a Polres. An account has one role per session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Operator 1: receives the call or report, checks and classifies it, marks prank or empty calls.
    Operator1,
    /// Operator 2: forwards a classified incident to the responsible Polda/Polres.
    Operator2,
    /// Operator 3: hands the incident to the Polres SPKT desk and follows it up.
    Operator3,
    /// An officer at the Polres SPKT (integrated police service center) desk who has the incident handled.
    SpktOfficer,
    /// The shift supervisor of a command center: may do every step, reassign and reopen.
    Supervisor,
    /// An analyst: reads (masked) data and statistics, never changes an incident.
    Analyst,
    /// An automatic source: the 110 app backend, a station kiosk, the SMS gateway, a call router.
    System,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Operator1,
        Role::Operator2,
        Role::Operator3,
        Role::SpktOfficer,
        Role::Supervisor,
        Role::Analyst,
        Role::System,
    ];

    /// The stable machine name (`operator1`, `spkt_officer`, …), as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Role::Operator1 => "operator1",
            Role::Operator2 => "operator2",
            Role::Operator3 => "operator3",
            Role::SpktOfficer => "spkt_officer",
            Role::Supervisor => "supervisor",
            Role::Analyst => "analyst",
            Role::System => "system",
        }
    }

    /// The role's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Role::Operator1, Language::Id) => "Operator 1 (penerima)",
            (Role::Operator1, Language::En) => "Operator 1 (call taker)",
            (Role::Operator2, Language::Id) => "Operator 2 (penerus)",
            (Role::Operator2, Language::En) => "Operator 2 (dispatcher)",
            (Role::Operator3, Language::Id) => "Operator 3 (penghubung SPKT)",
            (Role::Operator3, Language::En) => "Operator 3 (SPKT liaison)",
            (Role::SpktOfficer, Language::Id) => "Petugas SPKT Polres",
            (Role::SpktOfficer, Language::En) => "Polres SPKT officer",
            (Role::Supervisor, Language::Id) => "Supervisor",
            (Role::Supervisor, Language::En) => "Supervisor",
            (Role::Analyst, Language::Id) => "Analis",
            (Role::Analyst, Language::En) => "Analyst",
            (Role::System, Language::Id) => "Sistem",
            (Role::System, Language::En) => "System",
        }
    }

    /// True for roles that may read an unmasked NIK and caller number (everyone who works incidents).
    pub fn sees_personal_data(self) -> bool {
        !matches!(self, Role::Analyst)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_json() {
        for role in Role::ALL {
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json, serde_json::Value::String(role.code().to_owned()));
            assert!(!role.label(Language::Id).is_empty() && !role.label(Language::En).is_empty());
        }
        assert!(!Role::Analyst.sees_personal_data());
        assert!(Role::Operator1.sees_personal_data());
    }
}
