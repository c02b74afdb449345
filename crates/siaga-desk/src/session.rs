//! Who is signed in at the desk: the operator, their role in the operator flow, and their Polda.

use crate::DeskError;
use siaga_api::PrincipalInfo;
use siaga_domain::{PoldaId, Role};

/// A signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The account name (also the actor id on every event they make).
    pub operator: String,
    /// The account's role as the central names it (`operator1`, `supervisor`, `analyst`, …).
    pub role: String,
    /// Their role in the operator flow; `None` for read-only roles (analyst, admin).
    pub flow_role: Option<Role>,
    /// The account's Polda, whose incidents the desk syncs; `None` for a national account (every Polda).
    pub polda: Option<PoldaId>,
}

impl Session {
    /// The session of a principal the central signed in.
    pub fn from_principal(principal: &PrincipalInfo) -> Result<Session, DeskError> {
        let flow_role = match Role::parse_principal(&principal.role) {
            Some(
                role @ (Role::Operator1
                | Role::Operator2
                | Role::Operator3
                | Role::SpktOfficer
                | Role::Supervisor),
            ) => Some(role),
            Some(Role::Analyst | Role::Admin) => None,
            Some(Role::Kiosk | Role::App | Role::System) | None => {
                return Err(DeskError::UnknownRole(principal.role.clone()))
            }
        };
        let polda = match principal.polda.as_deref() {
            Some(code) => Some(
                code.parse()
                    .map_err(|_| DeskError::UnknownRole(format!("polda {code}")))?,
            ),
            None => None,
        };
        Ok(Session {
            operator: principal.name.clone(),
            role: principal.role.clone(),
            flow_role,
            polda,
        })
    }

    /// The Poldas whose incidents and kiosks the desk follows: its own, or all of them.
    pub fn poldas(&self) -> Vec<PoldaId> {
        match self.polda {
            Some(polda) => vec![polda],
            None => PoldaId::ALL.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(role: &str, polda: Option<&str>, expect: Result<(Option<Role>, Option<PoldaId>), ()>) {
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
            Ok((Some(Role::Operator1), Some(PoldaId::MetroJaya))),
        );
        check(
            "supervisor",
            Some("jawa_barat"),
            Ok((Some(Role::Supervisor), Some(PoldaId::JawaBarat))),
        );
        check("analyst", None, Ok((None, None)));
        check("admin", None, Ok((None, None)));
        check("kiosk", Some("metro_jaya"), Err(()));
        check("system", None, Err(()));
        check("operator1", Some("atlantis"), Err(()));
    }

    #[test]
    fn a_national_account_follows_every_polda_and_a_polda_account_its_own() {
        let session = |polda: Option<&str>| {
            Session::from_principal(&PrincipalInfo {
                name: "budi".into(),
                role: "supervisor".into(),
                polda: polda.map(str::to_owned),
            })
            .unwrap()
        };
        assert_eq!(session(None).poldas(), PoldaId::ALL.to_vec());
        assert_eq!(session(Some("riau")).poldas(), vec![PoldaId::Riau]);
    }
}
