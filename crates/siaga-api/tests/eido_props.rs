//! Property test of the EIDO mapping: every incident the operator flow can build, from random event
//! sequences with random reporters, channels and locations, survives EIDO JSON unchanged.

use proptest::prelude::*;
use siaga_api::eido::{parse_eido_json, to_eido_json};
use siaga_domain::event::{IncidentChange as C, IncidentEvent};
use siaga_domain::flow::IncidentState;
use siaga_domain::incident::{
    Actor, Channel, CloseReason, EventId, IncidentId, Location, PhoneNumber, Reporter,
};
use siaga_domain::kiosk::KioskId;
use siaga_domain::{Category, GeoPoint, Nik, PoldaId, PolresId, Priority, Role};
use time::OffsetDateTime;
use uuid::Uuid;

fn incident_id() -> IncidentId {
    IncidentId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001))
}

fn event(n: usize, role: Role, change: C) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::from_u128(0x2000 + n as u128)),
        incident_id: incident_id(),
        at: OffsetDateTime::from_unix_timestamp(1_767_600_000 + n as i64 * 37).unwrap(),
        actor: Actor::new(format!("user-{n}"), role),
        change,
    }
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::Call110),
        "[0-9]{3,6}".prop_map(|dialed| Channel::LegacyNumber { dialed }),
        Just(Channel::App110),
        Just(Channel::StationKiosk {
            kiosk: KioskId::parse("KIOSK-KRL-MRI-02").unwrap()
        }),
        Just(Channel::Sms),
    ]
}

fn location() -> impl Strategy<Value = Location> {
    (
        proptest::option::of((-11.0f64..6.0, 95.0f64..141.0)),
        prop_oneof![Just(None), Just(Some("3171011001")), Just(Some("3276011001"))],
        proptest::option::of("[A-Za-z0-9 .,&<>\"']{1,40}"),
    )
        .prop_map(|(point, village, address)| {
            let mut location = match village {
                Some(code) => Location::in_village(code.parse().unwrap()),
                None => Location::default(),
            };
            location.point = point.map(|(lat, lon)| GeoPoint::new(lat, lon).unwrap());
            location.address = address;
            location
        })
}

fn reporter() -> impl Strategy<Value = Option<Reporter>> {
    proptest::option::of((proptest::option::of("[A-Za-z ]{1,20}"), any::<bool>())).prop_map(|r| {
        r.map(|(name, with_nik)| Reporter {
            name,
            nik: with_nik.then(|| Nik::parse("3171015208900123").unwrap().nik),
        })
    })
}

fn changes() -> Vec<(Role, C)> {
    let jaksel = PolresId("31.74".parse().unwrap());
    let jakpus = PolresId("31.71".parse().unwrap());
    vec![
        (
            Role::Operator1,
            C::Classified {
                category: Category::Robbery,
                priority: Some(Priority::Critical),
            },
        ),
        (
            Role::Operator2,
            C::Forwarded {
                polda: PoldaId::MetroJaya,
                polres: jakpus,
            },
        ),
        (
            Role::Operator3,
            C::HandedToSpkt {
                desk: "SPKT <Pusat> & co".into(),
            },
        ),
        (
            Role::SpktOfficer,
            C::HandlingStarted {
                unit: "Patroli 1".into(),
            },
        ),
        (
            Role::SpktOfficer,
            C::Closed {
                reason: CloseReason::Resolved,
                summary: "Selesai".into(),
            },
        ),
        (
            Role::Operator1,
            C::Closed {
                reason: CloseReason::Prank,
                summary: String::new(),
            },
        ),
        (
            Role::Operator2,
            C::Reassigned {
                polda: PoldaId::MetroJaya,
                polres: jaksel,
                reason: "Salah wilayah".into(),
            },
        ),
        (
            Role::Supervisor,
            C::Reopened {
                reason: "Laporan baru".into(),
            },
        ),
        (
            Role::Operator3,
            C::NoteAdded {
                text: "Catatan \"penting\" <b>".into(),
            },
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_reachable_incident_round_trips(
        channel in channel(),
        location in location(),
        reporter in reporter(),
        caller in proptest::option::of("\\+?[0-9]{3,15}"),
        description in "[ -~]{0,80}",
        steps in proptest::collection::vec(0usize..9, 0..25),
    ) {
        let receipt = C::Received {
            channel,
            caller_number: caller.map(|c| PhoneNumber::parse(&c).unwrap()),
            reporter,
            location,
            description,
            proposed_category: None,
            priority: None,
            polda: None,
        };
        let mut state = IncidentState::receive(&event(0, Role::System, receipt)).unwrap();
        let pool = changes();
        for (n, step) in steps.into_iter().enumerate() {
            let (role, change) = pool[step].clone();
            let _ = state.apply(&event(n + 1, role, change));
        }
        let incident = state.incident();
        prop_assert_eq!(&parse_eido_json(&to_eido_json(incident)).unwrap(), incident);
    }
}
