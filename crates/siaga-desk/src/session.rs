//! Who is signed in at the desk: the operator, their role in the operator flow, and their Polda.

use crate::{DeskError, DEFAULT_POLDA};
use siaga_domain::{PoldaId, Role};
use siaga_wire::api::PrincipalInfo;

/// A signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The account name (also the actor id on every event they make).
    pub operator: String,
    /// The account's role as the central names it (`operator1`, `supervisor`, `analyst`, …).
    pub role: String,
    /// Their role in the operator flow; `None` for read-only roles (analyst, admin).
    pub flow_role: Option<Role>,
    /// The Polda whose incidents the desk syncs.
    pub polda: PoldaId,
}

impl Session {
    /// The session of a principal the central signed in.
    pub fn from_principal(principal: &PrincipalInfo) -> Result<Session, DeskError> {
        let flow_role = match principal.role.as_str() {
            "operator1" => Some(Role::Operator1),
            "operator2" => Some(Role::Operator2),
            "operator3" => Some(Role::Operator3),
            "spkt_officer" => Some(Role::SpktOfficer),
            "supervisor" => Some(Role::Supervisor),
            "analyst" | "admin" => None,
            other => return Err(DeskError::UnknownRole(other.to_owned())),
        };
        let polda = match principal.polda.as_deref() {
            Some(code) => code
                .parse()
                .map_err(|_| DeskError::UnknownRole(format!("polda {code}")))?,
            None => DEFAULT_POLDA,
        };
        Ok(Session {
            operator: principal.name.clone(),
            role: principal.role.clone(),
            flow_role,
            polda,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(role: &str, polda: Option<&str>, expect: Result<(Option<Role>, PoldaId), ()>) {
        let principal = PrincipalInfo {
            name: "budi".into(),
            role: role.into(),
            polda: polda.map(str::to_owned),
        };
        let got = Session::from_principal(&principal)
            .map(|s| (s.flow_role, s.polda))
            .map_err(|_| ());
        assert_eq!(got, expect, "{role} {polda:?}");
    }

    #[test]
    fn roles_map_to_the_operator_flow() {
        check(
            "operator1",
            Some("metro_jaya"),
            Ok((Some(Role::Operator1), PoldaId::MetroJaya)),
        );
        check(
            "supervisor",
            Some("jawa_barat"),
            Ok((Some(Role::Supervisor), PoldaId::JawaBarat)),
        );
        check("analyst", None, Ok((None, DEFAULT_POLDA)));
        check("kiosk", Some("metro_jaya"), Err(()));
        check("operator1", Some("atlantis"), Err(()));
    }
}
