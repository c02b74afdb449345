//! Who works a 110 incident, after the operator roles of Perkap 20/2014, and who else signs in at the
//! central (admins, station kiosks): the one `Role` of Siaga. What each may do in the operator flow is
//! decided in `flow`; which central routes each may call, in the central's route table.

use crate::Language;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A role at a 110 command center or a Polres, or of a principal the central signs in. An account has
/// one role per session. The machine name ([`Role::code`]) is the same in JSON, in the central's tokens
/// and accounts, and on the wire (`PrincipalInfo::role`).
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
    /// Manages the central's accounts, kiosks and routing table; changes no incident and takes no part in
    /// the operator flow.
    Admin,
    /// A station kiosk signed in at the central: heartbeats and alerts for itself only. Its alerts enter
    /// the operator flow as [`Role::System`] (see [`Role::flow_role`]).
    Kiosk,
    /// The 110 app's backend signed in at the central: submits citizens' service requests (SKCK, reports
    /// of loss) and relays their status and letters to the citizen it names. It acts as [`Role::System`].
    App,
    /// An automatic source: the 110 app backend, a station kiosk, the SMS gateway, a call router.
    System,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 10] = [
        Role::Operator1,
        Role::Operator2,
        Role::Operator3,
        Role::SpktOfficer,
        Role::Supervisor,
        Role::Analyst,
        Role::Admin,
        Role::Kiosk,
        Role::App,
        Role::System,
    ];

    /// The roles of the operator flow: the roles an event's actor may have and the flow's rule table
    /// names (an analyst is one, allowed no action). Admins and kiosks are not among them.
    pub const FLOW: [Role; 7] = [
        Role::Operator1,
        Role::Operator2,
        Role::Operator3,
        Role::SpktOfficer,
        Role::Supervisor,
        Role::Analyst,
        Role::System,
    ];

    /// The roles a principal signed in at the central has (accounts and kiosks): every role but
    /// [`Role::System`], which is never a principal.
    pub const PRINCIPALS: [Role; 9] = [
        Role::Operator1,
        Role::Operator2,
        Role::Operator3,
        Role::SpktOfficer,
        Role::Supervisor,
        Role::Analyst,
        Role::Admin,
        Role::Kiosk,
        Role::App,
    ];

    /// The stable machine name (`operator1`, `spkt_officer`, …), as in JSON and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::Operator1 => "operator1",
            Role::Operator2 => "operator2",
            Role::Operator3 => "operator3",
            Role::SpktOfficer => "spkt_officer",
            Role::Supervisor => "supervisor",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
            Role::Kiosk => "kiosk",
            Role::App => "app",
            Role::System => "system",
        }
    }

    /// The role of a principal from its machine name; `None` for an unknown name and for `system`,
    /// which no principal has.
    pub fn parse_principal(code: &str) -> Option<Role> {
        Role::PRINCIPALS.into_iter().find(|role| role.code() == code)
    }

    /// The role a principal acts in within the operator flow: itself for the flow's roles, [`Role::System`]
    /// for a kiosk, `None` for an admin, who changes no incident.
    pub fn flow_role(self) -> Option<Role> {
        match self {
            Role::Kiosk | Role::App => Some(Role::System),
            Role::Admin => None,
            role => Some(role),
        }
    }

    /// True when the role may act in the operator flow (as [`Role::flow_role`]); the flow's rule table
    /// still decides what it may do there.
    pub fn acts_in_flow(self) -> bool {
        self.flow_role().is_some()
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
            (Role::Admin, Language::Id) => "Administrator",
            (Role::Admin, Language::En) => "Administrator",
            (Role::Kiosk, Language::Id) => "Kios stasiun",
            (Role::Kiosk, Language::En) => "Station kiosk",
            (Role::App, Language::Id) => "Aplikasi 110",
            (Role::App, Language::En) => "110 app",
            (Role::System, Language::Id) => "Sistem",
            (Role::System, Language::En) => "System",
        }
    }

    /// True for roles that may read an unmasked NIK and caller number (everyone who works incidents,
    /// kiosks and automatic sources; not analysts, not admins).
    pub fn sees_personal_data(self) -> bool {
        !matches!(self, Role::Analyst | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An event actor's role as JSON has it: one of [`Role::FLOW`] only, so an actor never claims to be an
/// admin or a kiosk, and a refused name reads as it always has (`unknown variant …, expected one of` the
/// flow's roles). For `#[serde(deserialize_with)]`.
pub(crate) fn deserialize_flow_role<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
    FlowRole::deserialize(deserializer).map(Role::from)
}

/// The wire form of [`Role::FLOW`], for [`deserialize_flow_role`] alone (its derived errors name `Role`
/// and list exactly the flow's roles).
#[derive(Deserialize)]
#[serde(rename = "Role", rename_all = "snake_case")]
enum FlowRole {
    Operator1,
    Operator2,
    Operator3,
    SpktOfficer,
    Supervisor,
    Analyst,
    System,
}

impl From<FlowRole> for Role {
    fn from(role: FlowRole) -> Role {
        match role {
            FlowRole::Operator1 => Role::Operator1,
            FlowRole::Operator2 => Role::Operator2,
            FlowRole::Operator3 => Role::Operator3,
            FlowRole::SpktOfficer => Role::SpktOfficer,
            FlowRole::Supervisor => Role::Supervisor,
            FlowRole::Analyst => Role::Analyst,
            FlowRole::System => Role::System,
        }
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
            assert_eq!(serde_json::from_value::<Role>(json).unwrap(), role);
            assert!(!role.label(Language::Id).is_empty() && !role.label(Language::En).is_empty());
        }
        assert!(!Role::Analyst.sees_personal_data());
        assert!(!Role::Admin.sees_personal_data());
        assert!(Role::Operator1.sees_personal_data());
        assert!(Role::Kiosk.sees_personal_data());
    }

    #[test]
    fn principals_parse_by_their_codes_and_map_to_the_flow() {
        for role in Role::PRINCIPALS {
            assert_eq!(Role::parse_principal(role.code()), Some(role));
        }
        assert_eq!(
            Role::parse_principal("system"),
            None,
            "no principal is the system"
        );
        assert_eq!(Role::parse_principal("root"), None);
        assert_eq!(Role::Kiosk.flow_role(), Some(Role::System));
        assert_eq!(Role::Admin.flow_role(), None, "an admin changes no incident");
        assert!(!Role::Admin.acts_in_flow());
        for role in Role::FLOW {
            assert_eq!(role.flow_role(), Some(role));
        }
        for role in Role::PRINCIPALS {
            assert!(role.flow_role().is_none_or(|r| Role::FLOW.contains(&r)));
        }
    }

    #[derive(Debug, Deserialize)]
    struct Actor {
        #[serde(deserialize_with = "deserialize_flow_role")]
        role: Role,
    }

    #[test]
    fn an_actor_has_a_flow_role_only() {
        for role in Role::ALL {
            let parsed = serde_json::from_value::<Actor>(serde_json::json!({ "role": role.code() }));
            assert_eq!(
                parsed.ok().map(|a| a.role),
                Role::FLOW.contains(&role).then_some(role)
            );
        }
        let refused = serde_json::from_str::<Actor>(r#"{"role":"admin"}"#).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "unknown variant `admin`, expected one of `operator1`, `operator2`, `operator3`, \
             `spkt_officer`, `supervisor`, `analyst`, `system` at line 1 column 15"
        );
    }
}
