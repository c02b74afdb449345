//! Property tests of the operator flow: random event sequences by random roles never reach a state the
//! rules forbid, replaying the accepted log gives the same state, and applying an event twice equals once.

mod common;

use common::*;
use proptest::prelude::*;
use siaga_domain::event::{IncidentChange as C, IncidentEvent};
use siaga_domain::flow::{self, replay, Action, Applied, IncidentState, IncidentStatus};
use siaga_domain::incident::{CloseReason, IncidentId, Location};
use siaga_domain::{Category, PoldaId, PolresId, Priority, Role};
use uuid::Uuid;

fn changes() -> Vec<C> {
    let depok = PolresId("32.76".parse().unwrap());
    let mut bad_location = Location::in_district("31.71.01".parse().unwrap());
    bad_location.province = Some("32".parse().unwrap());
    let close = |reason, summary: &str| C::Closed {
        reason,
        summary: summary.into(),
    };
    vec![
        C::Classified {
            category: Category::Theft,
            priority: None,
        },
        C::Classified {
            category: Category::Robbery,
            priority: Some(Priority::Critical),
        },
        forwarded(),
        C::Forwarded {
            polda: PoldaId::MetroJaya,
            polres: jaksel(),
        },
        C::Forwarded {
            polda: PoldaId::JawaBarat,
            polres: depok,
        },
        C::HandedToSpkt { desk: "SPKT".into() },
        C::HandedToSpkt { desk: "".into() },
        C::HandlingStarted {
            unit: "Patroli 1".into(),
        },
        close(CloseReason::Prank, ""),
        close(CloseReason::Empty, ""),
        close(
            CloseReason::Duplicate {
                of: IncidentId(Uuid::from_u128(9)),
            },
            "",
        ),
        close(CloseReason::Duplicate { of: incident_id() }, ""),
        close(CloseReason::Resolved, "Selesai"),
        close(CloseReason::Resolved, ""),
        close(CloseReason::Unfounded, "Nihil"),
        C::Reassigned {
            polda: PoldaId::MetroJaya,
            polres: jaksel(),
            reason: "Salah wilayah".into(),
        },
        C::Reassigned {
            polda: PoldaId::MetroJaya,
            polres: jakpus(),
            reason: "Kembali".into(),
        },
        C::Reassigned {
            polda: PoldaId::MetroJaya,
            polres: depok,
            reason: "".into(),
        },
        C::Reopened {
            reason: "Ada laporan baru".into(),
        },
        C::Reopened { reason: "".into() },
        C::NoteAdded {
            text: "Catatan".into(),
        },
        C::NoteAdded { text: " ".into() },
        C::Acknowledged,
        C::ReportValidated {
            outcome: siaga_domain::incident::ValidationOutcome::Valid,
            reason: String::new(),
            call: None,
        },
        C::ReportValidated {
            outcome: siaga_domain::incident::ValidationOutcome::NotValid,
            reason: String::new(),
            call: None,
        },
        C::ReportValidated {
            outcome: siaga_domain::incident::ValidationOutcome::Unreachable,
            reason: "Tidak diangkat".into(),
            call: None,
        },
        C::Located {
            location: Location::in_district("31.74.01".parse().unwrap()),
        },
        C::Located {
            location: bad_location,
        },
        received(),
    ]
}

/// One step: a new event (role index, change index) or a repeat of an earlier event.
#[derive(Debug, Clone)]
enum Step {
    New(usize, usize),
    Repeat(usize),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let count = changes().len();
    let step = prop_oneof![
        6 => (0..Role::FLOW.len(), 0..count).prop_map(|(r, c)| Step::New(r, c)),
        1 => any::<usize>().prop_map(Step::Repeat),
    ];
    prop::collection::vec(step, 0..40)
}

/// Runs the steps after a receipt; returns the final state, every event sent, and the accepted ones.
fn run(steps: &[Step]) -> (IncidentState, Vec<IncidentEvent>, Vec<IncidentEvent>) {
    let pool = changes();
    let first = event(0, Role::Operator1, received());
    let mut state = IncidentState::receive(&first).unwrap();
    let mut sent = vec![first.clone()];
    let mut accepted = vec![first];
    for (n, step) in steps.iter().enumerate() {
        let event = match step {
            Step::New(role, change) => event(n as u128 + 1, Role::FLOW[*role], pool[*change].clone()),
            Step::Repeat(i) => sent[i % sent.len()].clone(),
        };
        let before = state.clone();
        let seen_before = state.has_applied(event.id);
        match state.apply(&event) {
            Ok(Applied::Changed) => {
                assert!(!seen_before);
                let mut action = event.change.action();
                if action == Action::Classify && before.incident().status != IncidentStatus::Received {
                    action = Action::Reclassify;
                }
                assert_eq!(
                    flow::check(Some(before.incident().status), action, event.actor.role),
                    Ok(())
                );
                accepted.push(event.clone());
            }
            Ok(Applied::AlreadyApplied) => {
                assert!(seen_before);
                assert_eq!(state, before, "a repeated event changed the incident");
            }
            Err(_) => assert_eq!(state, before, "a refused event changed the incident"),
        }
        assert_eq!(state.violations(), Vec::<&str>::new(), "after {event:?}");
        sent.push(event);
    }
    (state, sent, accepted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_breaks_the_rules(steps in steps()) {
        let (state, _, accepted) = run(&steps);
        prop_assert_eq!(state.incident().version, accepted.len() as u64);
        prop_assert!(state.incident().updated_at >= state.incident().received_at);
    }

    #[test]
    fn replaying_the_log_gives_the_same_state(steps in steps()) {
        let (state, _, accepted) = run(&steps);
        prop_assert_eq!(replay(&accepted).unwrap(), state.clone());
        // Snapshots survive JSON.
        let json = serde_json::to_string(state.incident()).unwrap();
        let back: siaga_domain::Incident = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, state.incident());
    }

    #[test]
    fn applying_every_event_twice_equals_once(steps in steps()) {
        let (state, _, accepted) = run(&steps);
        let mut again = state.clone();
        for event in &accepted {
            prop_assert_eq!(again.apply(event), Ok(Applied::AlreadyApplied));
            prop_assert_eq!(&again, &state);
        }
        let doubled: Vec<IncidentEvent> = accepted.iter().flat_map(|e| [e.clone(), e.clone()]).collect();
        prop_assert_eq!(replay(&doubled).unwrap(), state);
    }
}
