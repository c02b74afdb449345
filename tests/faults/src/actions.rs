//! Random legal edits, as an operator at a desk makes them: for an incident as the desk shows it, pick
//! an action the domain's rule table allows from its status for the actor's role (`flow::check`), fill
//! in its fields, and keep it only if the state machine accepts it. New reports are received in
//! Jakarta, forwarded to Polres of Polda Metro Jaya.

use crate::rng::Rng;
use siaga_domain::flow::check;
use siaga_domain::polda::polres_list;
use siaga_domain::{
    Action, Actor, Category, Channel, CloseReason, EventId, GeoPoint, Incident, IncidentChange,
    IncidentEvent, IncidentId, IncidentState, Location, PoldaId, PolresId,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// Every Polres of Polda Metro Jaya.
pub fn metro_jaya_polres() -> Vec<PolresId> {
    polres_list()
        .into_iter()
        .filter(|p| p.polda == PoldaId::MetroJaya)
        .map(|p| p.id)
        .collect()
}

const CATEGORIES: &[Category] = &[
    Category::Robbery,
    Category::Theft,
    Category::TrafficAccident,
    Category::Fire,
    Category::DomesticViolence,
    Category::Brawl,
];

const PLACES: &[(&str, f64, f64)] = &[
    ("Bundaran HI", -6.1950, 106.8230),
    ("Stasiun Manggarai", -6.2099, 106.8502),
    ("Pasar Senen", -6.1736, 106.8440),
    ("Blok M", -6.2443, 106.8006),
    ("Kota Tua", -6.1352, 106.8133),
    ("Kampung Melayu", -6.2247, 106.8670),
    ("Tanjung Priok", -6.1082, 106.8800),
    ("Cawang", -6.2430, 106.8720),
];

fn location(rng: &mut Rng) -> Location {
    let (name, lat, lon) = *rng.pick(PLACES);
    let jitter = |rng: &mut Rng| (rng.unit() - 0.5) * 0.01;
    let point = GeoPoint::new(lat + jitter(rng), lon + jitter(rng)).ok();
    Location {
        point,
        address: Some(format!("dekat {name}")),
        ..Location::default()
    }
}

/// Makes events for one actor.
#[derive(Debug, Clone)]
pub struct ActionMaker {
    actor: Actor,
    polres: Vec<PolresId>,
    counter: u64,
}

impl ActionMaker {
    /// A maker of `actor`'s events.
    pub fn new(actor: Actor) -> ActionMaker {
        ActionMaker {
            actor,
            polres: metro_jaya_polres(),
            counter: 0,
        }
    }

    fn event(&mut self, incident_id: IncidentId, change: IncidentChange) -> IncidentEvent {
        self.counter += 1;
        IncidentEvent {
            id: EventId(Uuid::now_v7()),
            incident_id,
            at: OffsetDateTime::now_utc(),
            actor: self.actor.clone(),
            change,
        }
    }

    /// A new report.
    pub fn receive(&mut self, rng: &mut Rng) -> IncidentEvent {
        let channel = match rng.below(3) {
            0 => Channel::Call110,
            1 => Channel::App110,
            _ => Channel::Sms,
        };
        let change = IncidentChange::Received {
            channel,
            caller_number: None,
            reporter: None,
            location: location(rng),
            description: format!("Laporan uji {} dari {}", self.counter, self.actor.id),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        };
        self.event(IncidentId(Uuid::now_v7()), change)
    }

    /// The actions the rule table allows on `incident` for this actor (never `Receive`).
    pub fn allowed(&self, incident: &Incident) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|&action| action != Action::Receive)
            .filter(|&action| check(Some(incident.status), action, self.actor.role).is_ok())
            .collect()
    }

    /// A random legal edit of `incident` (as the desk shows it); `other` is another incident it may be
    /// a duplicate of. `None` when nothing legal was found (a few tries).
    pub fn edit(
        &mut self,
        rng: &mut Rng,
        incident: &Incident,
        other: Option<IncidentId>,
    ) -> Option<IncidentEvent> {
        let allowed = self.allowed(incident);
        for _ in 0..8 {
            let action = *rng.pick(&allowed);
            let Some(change) = self.change(rng, incident, other, action) else {
                continue;
            };
            let event = self.event(incident.id, change);
            let mut state = IncidentState::resume(incident.clone(), []);
            if state.apply(&event).is_ok() {
                return Some(event);
            }
        }
        None
    }

    fn change(
        &self,
        rng: &mut Rng,
        incident: &Incident,
        other: Option<IncidentId>,
        action: Action,
    ) -> Option<IncidentChange> {
        let n = self.counter;
        Some(match action {
            Action::Receive => return None,
            Action::Classify | Action::Reclassify => IncidentChange::Classified {
                category: *rng.pick(CATEGORIES),
                priority: None,
            },
            Action::Locate => IncidentChange::Located {
                location: location(rng),
            },
            Action::Forward => IncidentChange::Forwarded {
                polda: PoldaId::MetroJaya,
                polres: *rng.pick(&self.polres),
            },
            Action::HandToAgency => IncidentChange::HandedToAgency {
                agency: incident.category?.forwarded_to()?,
            },
            Action::HandToSpkt => IncidentChange::HandedToSpkt {
                desk: format!("SPKT piket {}", rng.below(9) + 1),
            },
            Action::StartHandling => IncidentChange::HandlingStarted {
                unit: format!("Patroli {}", rng.below(90) + 10),
            },
            Action::CloseAsPrankOrEmpty => IncidentChange::Closed {
                reason: if rng.chance(0.5) {
                    CloseReason::Prank
                } else {
                    CloseReason::Empty
                },
                summary: String::new(),
            },
            Action::CloseAsDuplicate => IncidentChange::Closed {
                reason: CloseReason::Duplicate {
                    of: other.filter(|&o| o != incident.id)?,
                },
                summary: "Sama dengan laporan lain".into(),
            },
            Action::CloseAsHandled => IncidentChange::Closed {
                reason: if rng.chance(0.8) {
                    CloseReason::Resolved
                } else {
                    CloseReason::Unfounded
                },
                summary: format!("Selesai ditangani ({n})"),
            },
            Action::Reassign => {
                let choices: Vec<PolresId> = self
                    .polres
                    .iter()
                    .copied()
                    .filter(|&p| Some(p) != incident.polres)
                    .collect();
                IncidentChange::Reassigned {
                    polda: PoldaId::MetroJaya,
                    polres: *rng.pick(&choices),
                    reason: "Lokasi masuk wilayah Polres lain".into(),
                }
            }
            Action::Reopen => IncidentChange::Reopened {
                reason: "Pelapor menelepon lagi".into(),
            },
            Action::AddNote => IncidentChange::NoteAdded {
                text: format!("Catatan {n} dari {}", self.actor.id),
            },
            // First one wins: two desks acknowledging offline is a refusal with a reason, not a loss.
            Action::Acknowledge => IncidentChange::Acknowledged,
            // The last check wins; each is kept in the log.
            Action::Validate => {
                let outcome = *rng.pick(&siaga_domain::incident::ValidationOutcome::ALL);
                IncidentChange::ReportValidated {
                    outcome,
                    reason: if outcome.needs_reason() {
                        format!("Pemeriksaan {n}")
                    } else {
                        String::new()
                    },
                    call: None,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_domain::{IncidentStatus, Role};
    use std::collections::BTreeSet;

    #[test]
    fn metro_jaya_has_polres() {
        let polres = metro_jaya_polres();
        assert!(polres.len() >= 8, "{polres:?}");
        assert!(polres.iter().all(|p| p.polda() == Some(PoldaId::MetroJaya)));
    }

    #[test]
    fn random_edits_are_legal_and_reach_every_status() {
        let mut rng = Rng::new(110);
        let mut maker = ActionMaker::new(Actor::new("spv-uji", Role::Supervisor));
        let mut seen_status = BTreeSet::new();
        let mut seen_action = BTreeSet::new();
        let first = maker.receive(&mut rng);
        let other = IncidentId(Uuid::now_v7());
        let mut state = IncidentState::receive(&first).unwrap();
        for _ in 0..3000 {
            let event = maker
                .edit(&mut rng, state.incident(), Some(other))
                .expect("a legal edit");
            let mut action = event.change.action();
            if action == Action::Classify && state.incident().status != IncidentStatus::Received {
                action = Action::Reclassify;
            }
            seen_action.insert(action);
            state.apply(&event).expect("the edit is legal");
            assert!(state.violations().is_empty(), "{:?}", state.violations());
            seen_status.insert(state.incident().status);
        }
        assert_eq!(seen_status.len(), IncidentStatus::ALL.len(), "{seen_status:?}");
        assert_eq!(seen_action.len(), Action::ALL.len() - 1, "{seen_action:?}");
    }
}
