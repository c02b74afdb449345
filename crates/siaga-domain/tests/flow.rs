//! Table tests of the operator flow (Perkap 20/2014): each case is a list of (role, change) steps and the
//! status they end in or the error code of the first refused step.

mod common;

use common::*;
use siaga_domain::event::IncidentChange as C;
use siaga_domain::flow::{
    self, replay, Action, Applied, IncidentState, IncidentStatus as S, TransitionError,
};
use siaga_domain::incident::{CloseReason, IncidentId, Location, ValidationOutcome};
use siaga_domain::{Category, Language, PoldaId, PolresId, Priority, Role};
use uuid::Uuid;

use Role::{
    Analyst, Operator1 as Op1, Operator2 as Op2, Operator3 as Op3, SpktOfficer as Spkt, Supervisor as Sup,
};

fn classify(category: Category) -> C {
    C::Classified {
        category,
        priority: None,
    }
}
fn hand() -> C {
    C::HandedToSpkt {
        desk: "SPKT Polres Metro Jakarta Pusat, Bripka Sari".into(),
    }
}
fn start() -> C {
    C::HandlingStarted {
        unit: "Patroli Sabhara 2".into(),
    }
}
fn close(reason: CloseReason, summary: &str) -> C {
    C::Closed {
        reason,
        summary: summary.into(),
    }
}
fn resolved() -> C {
    close(CloseReason::Resolved, "Pelaku diamankan")
}
fn reassign(polres: PolresId, reason: &str) -> C {
    C::Reassigned {
        polda: PoldaId::MetroJaya,
        polres,
        reason: reason.into(),
    }
}
fn reopen(reason: &str) -> C {
    C::Reopened {
        reason: reason.into(),
    }
}
fn note(text: &str) -> C {
    C::NoteAdded { text: text.into() }
}

/// Runs the steps (the first one is applied with `IncidentState::receive`) and compares the outcome.
fn check(steps: Vec<(Role, C)>, expect: Result<S, &str>) -> Option<IncidentState> {
    let mut state: Option<IncidentState> = None;
    for (n, (role, change)) in steps.into_iter().enumerate() {
        let event = event(n as u128 + 1, role, change);
        let result = match &mut state {
            None => IncidentState::receive(&event).map(|s| state = Some(s)),
            Some(s) => s.apply(&event).map(|_| ()),
        };
        if let Err(error) = result {
            assert_eq!(Err(error.code()), expect.map(|_| ()), "step {n}: {error}");
            return state;
        }
        assert_eq!(state.as_ref().unwrap().violations(), Vec::<&str>::new());
    }
    assert_eq!(
        state.as_ref().map(|s| s.incident().status).ok_or("no state"),
        expect
    );
    state
}

fn through_spkt() -> Vec<(Role, C)> {
    vec![
        (Op1, received()),
        (Op1, classify(Category::Theft)),
        (Op2, forwarded()),
        (Op3, hand()),
        (Spkt, start()),
    ]
}

fn with(mut steps: Vec<(Role, C)>, more: Vec<(Role, C)>) -> Vec<(Role, C)> {
    steps.extend(more);
    steps
}

#[test]
fn the_operator_flow_in_order() {
    check(vec![(Op1, received())], Ok(S::Received));
    check(vec![(Role::System, received())], Ok(S::Received));
    check(
        vec![(Op1, received()), (Op1, classify(Category::Theft))],
        Ok(S::Classified),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
        ],
        Ok(S::Forwarded),
    );
    check(with(through_spkt(), vec![]), Ok(S::InProgress));
    check(with(through_spkt(), vec![(Spkt, resolved())]), Ok(S::Closed));
    check(
        with(
            through_spkt(),
            vec![(Sup, close(CloseReason::Unfounded, "Tidak ditemukan kejadian"))],
        ),
        Ok(S::Closed),
    );
}

#[test]
fn each_step_names_its_roles() {
    check(vec![(Op2, received())], Err("role_not_allowed"));
    check(
        vec![(Op1, received()), (Op2, classify(Category::Theft))],
        Err("role_not_allowed"),
    );
    check(
        vec![(Op1, received()), (Analyst, classify(Category::Theft))],
        Err("role_not_allowed"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op1, forwarded()),
        ],
        Err("role_not_allowed"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
            (Op2, hand()),
        ],
        Err("role_not_allowed"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
            (Op3, hand()),
            (Op3, start()),
        ],
        Err("role_not_allowed"),
    );
    check(
        with(through_spkt(), vec![(Op3, resolved())]),
        Err("role_not_allowed"),
    );
    check(
        vec![
            (Sup, received()),
            (Sup, classify(Category::Theft)),
            (Sup, forwarded()),
            (Sup, hand()),
        ],
        Ok(S::HandedToSpkt),
    );
}

#[test]
fn steps_out_of_order_are_refused() {
    check(
        vec![(Op1, received()), (Op2, forwarded())],
        Err("illegal_transition"),
    );
    check(vec![(Op1, received()), (Op3, hand())], Err("illegal_transition"));
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Spkt, start()),
        ],
        Err("illegal_transition"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
            (Spkt, resolved()),
        ],
        Err("illegal_transition"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, close(CloseReason::Prank, "")),
            (Op1, classify(Category::Theft)),
        ],
        Err("illegal_transition"),
    );
    check(
        with(through_spkt(), vec![(Op1, close(CloseReason::Prank, ""))]),
        Err("illegal_transition"),
    );
    check(vec![(Op1, classify(Category::Theft))], Err("not_received_yet"));
    check(
        vec![(Op1, received()), (Op1, received())],
        Err("already_received"),
    );
}

#[test]
fn prank_and_empty_calls_close_at_triage() {
    let state = check(
        vec![(Op1, received()), (Op1, close(CloseReason::Prank, ""))],
        Ok(S::Closed),
    )
    .unwrap();
    assert_eq!(state.incident().category, Some(Category::PrankCall));
    let state = check(
        vec![(Op1, received()), (Op1, close(CloseReason::Empty, ""))],
        Ok(S::Closed),
    )
    .unwrap();
    assert_eq!(state.incident().category, Some(Category::EmptyCall));
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Fraud)),
            (Op1, close(CloseReason::Prank, "")),
        ],
        Ok(S::Closed),
    );
    check(
        vec![(Op1, received()), (Op2, close(CloseReason::Prank, ""))],
        Err("role_not_allowed"),
    );
    check(
        vec![(Op1, received()), (Op1, close(CloseReason::Resolved, "ok"))],
        Err("illegal_transition"),
    );
}

#[test]
fn closing_rules() {
    let other = CloseReason::Duplicate {
        of: IncidentId(Uuid::from_u128(42)),
    };
    let itself = CloseReason::Duplicate { of: incident_id() };
    check(vec![(Op1, received()), (Op1, close(other, ""))], Ok(S::Closed));
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
            (Op2, close(other, "")),
        ],
        Ok(S::Closed),
    );
    check(
        vec![(Op1, received()), (Op1, close(itself, ""))],
        Err("duplicate_of_itself"),
    );
    check(
        with(through_spkt(), vec![(Spkt, close(CloseReason::Resolved, "  "))]),
        Err("missing_text"),
    );
    check(
        with(
            through_spkt(),
            vec![(Spkt, close(CloseReason::Resolved, &"x".repeat(4001)))],
        ),
        Err("text_too_long"),
    );
}

#[test]
fn forwarding_checks_the_jurisdiction() {
    let classified = || vec![(Op1, received()), (Op1, classify(Category::Assault))];
    let depok = PolresId("32.76".parse().unwrap());
    let bogor = PolresId("32.01".parse().unwrap());
    let nowhere = PolresId("31.99".parse().unwrap());
    let fwd = |polda, polres| (Op2, C::Forwarded { polda, polres });
    check(
        with(classified(), vec![fwd(PoldaId::MetroJaya, depok)]),
        Ok(S::Forwarded),
    );
    check(
        with(classified(), vec![fwd(PoldaId::JawaBarat, depok)]),
        Err("polres_outside_polda"),
    );
    // Forwarding stays within the incident's Polda: a Metro Jaya report does not go to Polres Bogor
    // (Polda Jawa Barat) by forwarding, or the forwarding operator would lose sight of it.
    check(
        with(classified(), vec![fwd(PoldaId::JawaBarat, bogor)]),
        Err("other_polda"),
    );
    // A handover to another Polda is a reassignment, and a supervisor's decision.
    let to_bogor = |role| {
        (
            role,
            C::Reassigned {
                polda: PoldaId::JawaBarat,
                polres: bogor,
                reason: "Lokasi di Kabupaten Bogor".into(),
            },
        )
    };
    check(with(through_spkt(), vec![to_bogor(Op2)]), Err("other_polda"));
    check(with(through_spkt(), vec![to_bogor(Sup)]), Ok(S::Forwarded));
    check(
        with(classified(), vec![fwd(PoldaId::MetroJaya, nowhere)]),
        Err("unknown_polres"),
    );
}

#[test]
fn reassignment_rules() {
    check(
        with(
            through_spkt(),
            vec![(Op2, reassign(jaksel(), "Lokasi ternyata di Kebayoran Baru"))],
        ),
        Ok(S::Forwarded),
    );
    check(
        with(through_spkt(), vec![(Sup, reassign(jaksel(), "Salah wilayah"))]),
        Ok(S::Forwarded),
    );
    check(
        with(through_spkt(), vec![(Op3, reassign(jaksel(), "Salah wilayah"))]),
        Err("role_not_allowed"),
    );
    check(
        with(through_spkt(), vec![(Op2, reassign(jakpus(), "Salah wilayah"))]),
        Err("same_assignment"),
    );
    check(
        with(through_spkt(), vec![(Op2, reassign(jaksel(), ""))]),
        Err("missing_text"),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, reassign(jaksel(), "x")),
        ],
        Err("illegal_transition"),
    );
    let state = check(
        with(
            through_spkt(),
            vec![
                (Op2, reassign(jaksel(), "Salah wilayah")),
                (Op3, hand()),
                (Spkt, start()),
            ],
        ),
        Ok(S::InProgress),
    )
    .unwrap();
    assert_eq!(state.incident().polres, Some(jaksel()));
}

#[test]
fn reopening_rules() {
    let prank = vec![(Op1, received()), (Op1, close(CloseReason::Prank, ""))];
    check(
        with(
            prank.clone(),
            vec![(Sup, reopen("Penelepon menelepon lagi, ternyata serius"))],
        ),
        Ok(S::Received),
    );
    check(
        with(prank.clone(), vec![(Op1, reopen("x"))]),
        Err("role_not_allowed"),
    );
    check(with(prank, vec![(Sup, reopen(" "))]), Err("missing_text"));
    check(
        with(
            through_spkt(),
            vec![(Spkt, resolved()), (Sup, reopen("Pelaku kembali"))],
        ),
        Ok(S::HandedToSpkt),
    );
    check(
        with(through_spkt(), vec![(Sup, reopen("x"))]),
        Err("illegal_transition"),
    );
}

#[test]
fn notes_classification_and_location_changes() {
    let state = check(
        with(
            through_spkt(),
            vec![(Spkt, resolved()), (Op3, note("Korban sudah dihubungi"))],
        ),
        Ok(S::Closed),
    )
    .unwrap();
    assert_eq!(state.incident().notes.len(), 1);
    check(
        vec![(Op1, received()), (Analyst, note("x"))],
        Err("role_not_allowed"),
    );
    check(vec![(Op1, received()), (Op1, note(""))], Err("missing_text"));
    let state = check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Theft)),
            (Op2, forwarded()),
            (Op1, classify(Category::Robbery)),
        ],
        Ok(S::Forwarded),
    )
    .unwrap();
    assert_eq!(
        (state.incident().category, state.incident().priority),
        (Some(Category::Robbery), Priority::High)
    );
    let state = check(
        vec![
            (Op1, received()),
            (
                Op1,
                C::Classified {
                    category: Category::Theft,
                    priority: Some(Priority::Critical),
                },
            ),
        ],
        Ok(S::Classified),
    )
    .unwrap();
    assert_eq!(state.incident().priority, Priority::Critical);
    let mut bad = Location::in_district("31.71.01".parse().unwrap());
    bad.regency = Some("31.74".parse().unwrap());
    check(
        vec![
            (Op1, received()),
            (
                Op2,
                C::Located {
                    location: bad.clone(),
                },
            ),
        ],
        Err("inconsistent_location"),
    );
    check(
        vec![
            (Op1, received()),
            (
                Analyst,
                C::Located {
                    location: Location::default(),
                },
            ),
        ],
        Err("role_not_allowed"),
    );
    let C::Received {
        channel, description, ..
    } = received()
    else {
        unreachable!()
    };
    let bad_receipt = C::Received {
        channel,
        caller_number: None,
        reporter: None,
        location: bad,
        description,
        proposed_category: None,
        priority: None,
        polda: None,
    };
    check(vec![(Op1, bad_receipt)], Err("inconsistent_location"));
}

#[test]
fn receipt_derives_polda_and_priority() {
    let state = check(vec![(Op1, received())], Ok(S::Received)).unwrap();
    assert_eq!(state.incident().polda, Some(PoldaId::MetroJaya));
    assert_eq!(state.incident().priority, Priority::Medium);
    let C::Received {
        channel, description, ..
    } = received()
    else {
        unreachable!()
    };
    let from_depok = C::Received {
        channel,
        caller_number: None,
        reporter: None,
        location: Location::in_district("32.76.01".parse().unwrap()),
        description,
        proposed_category: Some(Category::Fire),
        priority: None,
        polda: None,
    };
    let state = check(vec![(Role::System, from_depok)], Ok(S::Received)).unwrap();
    assert_eq!(state.incident().polda, Some(PoldaId::MetroJaya));
    assert_eq!(state.incident().priority, Priority::Critical);
}

#[test]
fn a_call_on_a_legacy_number_keeps_the_number_dialed_and_refuses_one_no_switch_could_forward() {
    use siaga_domain::incident::{call_channel, Channel};
    assert_eq!(call_channel(""), Some(Channel::Call110));
    assert_eq!(call_channel(" 110 "), Some(Channel::Call110));
    assert_eq!(
        call_channel("112"),
        Some(Channel::LegacyNumber { dialed: "112".into() })
    );
    assert_eq!(
        call_channel("(021) 523-4000"),
        Some(Channel::LegacyNumber {
            dialed: "0215234000".into()
        })
    );
    for bad in ["1", "0812345678901234", "112a", "١١٢", "+62 21", "11\u{0}2"] {
        assert_eq!(call_channel(bad), None, "{bad:?}");
    }
    let with_channel = |channel: Channel| {
        let C::Received {
            caller_number,
            reporter,
            location,
            description,
            ..
        } = received()
        else {
            unreachable!()
        };
        C::Received {
            channel,
            caller_number,
            reporter,
            location,
            description,
            proposed_category: None,
            priority: None,
            polda: None,
        }
    };
    let state = check(
        vec![(Op1, with_channel(Channel::LegacyNumber { dialed: "112".into() }))],
        Ok(S::Received),
    )
    .unwrap();
    assert_eq!(
        state.incident().channel.label(Language::Id),
        "Panggilan ke 112 diteruskan ke 110"
    );
    // What no switch forwards is refused whole: a 60 KB "number", letters, 110 itself as a legacy number.
    for dialed in ["9".repeat(60_000), "11x".into(), "110".into(), String::new()] {
        check(
            vec![(Op1, with_channel(Channel::LegacyNumber { dialed }))],
            Err("bad_dialed_number"),
        );
    }
}

#[test]
fn a_fire_is_handed_to_the_fire_service_once_and_stays_in_the_police_flow() {
    use siaga_domain::category::Agency;
    let hand = || C::HandedToAgency {
        agency: Agency::FireService,
    };
    let state = check(
        vec![(Op1, received()), (Op1, classify(Category::Fire)), (Op2, hand())],
        Ok(S::Classified),
    )
    .unwrap();
    assert_eq!(state.incident().agencies, [Agency::FireService]);
    // The police flow goes on: forwarded to the Polres after the fire service has it.
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Fire)),
            (Op2, hand()),
            (Op2, forwarded()),
        ],
        Ok(S::Forwarded),
    );
    check(
        vec![
            (Op1, received()),
            (Op1, classify(Category::Fire)),
            (Op2, hand()),
            (Sup, hand()),
        ],
        Err("already_handed_to_agency"),
    );
    check(
        vec![(Op1, received()), (Op1, classify(Category::Theft)), (Op2, hand())],
        Err("agency_not_for_category"),
    );
    check(
        vec![(Op1, received()), (Op1, classify(Category::Fire)), (Op1, hand())],
        Err("role_not_allowed"),
    );
    check(vec![(Op1, received()), (Op2, hand())], Err("illegal_transition"));
}

#[test]
fn the_same_event_twice_has_no_second_effect() {
    let mut state = IncidentState::receive(&event(1, Op1, received())).unwrap();
    let note = event(2, Op1, note("Penelepon panik"));
    assert_eq!(state.apply(&note), Ok(Applied::Changed));
    let once = state.clone();
    assert_eq!(state.apply(&note), Ok(Applied::AlreadyApplied));
    assert_eq!(
        state.apply(&event(1, Op1, received())),
        Ok(Applied::AlreadyApplied)
    );
    assert_eq!(state, once);
    assert_eq!(state.incident().version, 2);
    let log = [event(1, Op1, received()), note.clone(), note];
    assert_eq!(replay(&log).unwrap(), once);
}

#[test]
fn a_foreign_event_is_refused() {
    let mut state = IncidentState::receive(&event(1, Op1, received())).unwrap();
    let mut foreign = event(2, Op1, note("x"));
    foreign.incident_id = IncidentId(Uuid::from_u128(7));
    assert_eq!(state.apply(&foreign).unwrap_err().code(), "wrong_incident");
    assert!(matches!(replay(&[]), Err(flow::ReplayError::Empty)));
}

#[test]
fn every_error_has_a_reason_in_both_languages() {
    let errors = [
        TransitionError::NotReceivedYet {
            action: Action::Forward,
        },
        TransitionError::AlreadyReceived {
            incident: incident_id(),
        },
        TransitionError::WrongIncident {
            expected: incident_id(),
            found: incident_id(),
        },
        TransitionError::RoleNotAllowed {
            action: Action::Classify,
            role: Op2,
        },
        TransitionError::NotAllowedFrom {
            action: Action::Forward,
            status: S::Received,
        },
        TransitionError::MissingText {
            field: flow::TextField::Summary,
        },
        TransitionError::TextTooLong {
            field: flow::TextField::Note,
            max: 4000,
        },
        TransitionError::UnknownPolres { polres: jakpus() },
        TransitionError::PolresOutsidePolda {
            polres: jakpus(),
            polda: PoldaId::JawaBarat,
        },
        TransitionError::SameAssignment { polres: jakpus() },
        TransitionError::DuplicateOfItself,
        TransitionError::InconsistentLocation,
        TransitionError::BadDialedNumber,
        TransitionError::AgencyNotForCategory {
            agency: siaga_domain::category::Agency::FireService,
        },
        TransitionError::AlreadyHandedToAgency {
            agency: siaga_domain::category::Agency::Ambulance,
        },
    ];
    for error in &errors {
        let (id, en) = (error.reason(Language::Id), error.reason(Language::En));
        assert!(!id.is_empty() && !en.is_empty() && id != en, "{error:?}");
    }
    let role = TransitionError::RoleNotAllowed {
        action: Action::Classify,
        role: Op2,
    };
    assert_eq!(
        role.reason(Language::Id),
        "Operator 2 (penerus) tidak berwenang memeriksa dan mengklasifikasi; yang berwenang: Operator 1 (penerima), Supervisor."
    );
    assert_eq!(
        TransitionError::NotAllowedFrom {
            action: Action::Forward,
            status: S::Received
        }
        .reason(Language::En),
        "Cannot forward to a Polres a report that is received."
    );
    assert_eq!(
        TransitionError::PolresOutsidePolda {
            polres: PolresId("32.76".parse().unwrap()),
            polda: PoldaId::JawaBarat
        }
        .reason(Language::Id),
        "Polres Metro Depok tidak berada di bawah Polda Jawa Barat."
    );
}

#[test]
fn the_rule_table_is_complete() {
    for action in Action::ALL {
        let rule = flow::rule(action);
        assert!(!rule.roles.is_empty(), "{action:?}");
        assert!(
            !rule.roles.contains(&Analyst),
            "analysts never change incidents ({action:?})"
        );
        assert_eq!(rule.from.is_empty(), action == Action::Receive, "{action:?}");
        for role in rule.roles {
            assert!(Role::FLOW.contains(role), "{action:?} names {role:?}");
        }
    }
}

#[test]
fn admins_and_kiosks_take_no_part_in_the_flow() {
    // A kiosk's alerts enter the flow as the system; an admin changes no incident.
    for role in [Role::Admin, Role::Kiosk] {
        for action in Action::ALL {
            for status in [None].into_iter().chain(S::ALL.map(Some)) {
                assert!(
                    flow::check(status, action, role).is_err(),
                    "{role:?} {action:?} {status:?}"
                );
            }
        }
    }
    let mut event = serde_json::to_value(event(3, Op2, forwarded())).unwrap();
    event["actor"]["role"] = "kiosk".into();
    assert!(serde_json::from_value::<siaga_domain::IncidentEvent>(event).is_err());
}

#[test]
fn events_round_trip_through_json() {
    let event = event(3, Op2, forwarded());
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["change"]["type"], "forwarded");
    assert_eq!(json["change"]["polres"], "31.71");
    assert_eq!(json["actor"]["role"], "operator2");
    let back: siaga_domain::IncidentEvent = serde_json::from_value(json).unwrap();
    assert_eq!(back, event);
    let received = common::event(1, Op1, received());
    let json = serde_json::to_string(&received).unwrap();
    assert!(json.contains("\"callerNumber\":\"+6281234567890\""), "{json}");
    assert_eq!(
        serde_json::from_str::<siaga_domain::IncidentEvent>(&json).unwrap(),
        received
    );
}

#[test]
fn an_alert_is_acknowledged_once_by_the_command_room_and_keeps_its_status() {
    let state = check(vec![(Op1, received()), (Op1, C::Acknowledged)], Ok(S::Received)).unwrap();
    let acknowledged = state.incident().acknowledged.clone().expect("acknowledged");
    assert_eq!(acknowledged.by.role, Op1);
    // The first acknowledgement wins; a second one (another desk, offline meanwhile) is refused.
    check(
        vec![(Op1, received()), (Sup, C::Acknowledged), (Op2, C::Acknowledged)],
        Err("already_acknowledged"),
    );
    check(
        vec![(Op1, received()), (Analyst, C::Acknowledged)],
        Err("role_not_allowed"),
    );
    check(
        vec![(Op1, received()), (Spkt, C::Acknowledged)],
        Err("role_not_allowed"),
    );
    // A closed alert has nothing left to acknowledge.
    check(
        vec![
            (Op1, received()),
            (Op1, close(CloseReason::Prank, "")),
            (Op1, C::Acknowledged),
        ],
        Err("illegal_transition"),
    );
    let refusal = TransitionError::AlreadyAcknowledged { by: "op-1".into() };
    assert_eq!(
        refusal.reason(Language::Id),
        "Peringatan ini sudah ditanggapi oleh op-1."
    );
}

fn validated(outcome: ValidationOutcome, reason: &str) -> C {
    C::ReportValidated {
        outcome,
        reason: reason.into(),
        call: None,
    }
}

#[test]
fn a_report_is_validated_with_its_reporter_and_a_later_check_replaces_the_first() {
    use ValidationOutcome::{NotValid, Unreachable, Valid};
    // Valid needs no reason; the status does not move.
    let state = check(
        vec![(Op1, received()), (Op1, validated(Valid, ""))],
        Ok(S::Received),
    )
    .unwrap();
    let validation = state.incident().validation.clone().unwrap();
    assert_eq!((validation.outcome, validation.by.role), (Valid, Op1));
    // Not valid and unreachable say why.
    check(
        vec![(Op1, received()), (Op1, validated(NotValid, "  "))],
        Err("missing_text"),
    );
    check(
        vec![(Op1, received()), (Op1, validated(Unreachable, ""))],
        Err("missing_text"),
    );
    let state = check(
        with(
            through_spkt(),
            vec![
                (Op1, validated(Unreachable, "Tiga kali ditelepon, tidak diangkat")),
                (Spkt, validated(NotValid, "Wajah tidak sesuai foto KTP")),
            ],
        ),
        Ok(S::InProgress),
    )
    .unwrap();
    let validation = state.incident().validation.clone().unwrap();
    assert_eq!(validation.outcome, NotValid);
    assert_eq!(validation.reason, "Wajah tidak sesuai foto KTP");
    // Who may, and when: not analysts, not on a closed incident, not with a reason past the limit.
    check(
        vec![(Op1, received()), (Analyst, validated(Valid, ""))],
        Err("role_not_allowed"),
    );
    check(
        with(
            through_spkt(),
            vec![(Spkt, resolved()), (Op1, validated(Valid, ""))],
        ),
        Err("illegal_transition"),
    );
    check(
        vec![(Op1, received()), (Op1, validated(NotValid, &"x".repeat(5_000)))],
        Err("text_too_long"),
    );
    assert_eq!(
        ValidationOutcome::ALL.map(|o| ValidationOutcome::parse(o.code())),
        ValidationOutcome::ALL.map(Some)
    );
}
