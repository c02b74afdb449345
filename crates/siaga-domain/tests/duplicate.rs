//! Close as duplicate: which open incidents a new report may duplicate — same Polda, within six hours,
//! near (2 km between points, else the same district or regency) — nearest first.

mod common;

use common::*;
use siaga_domain::duplicate::candidates;
use siaga_domain::flow::IncidentState;
use siaga_domain::incident::{IncidentId, Location};
use siaga_domain::{GeoPoint, Incident, IncidentStatus, PoldaId, Role};
use uuid::Uuid;

fn base() -> Incident {
    IncidentState::receive(&event(1, Role::Operator1, received()))
        .unwrap()
        .incident()
        .clone()
}

fn other(n: u128, minutes: i64, location: Location) -> Incident {
    let mut incident = base();
    incident.id = IncidentId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_1000 + n));
    incident.received_at += time::Duration::minutes(minutes);
    incident.location = location;
    incident
}

#[test]
fn nearby_recent_open_incidents_of_the_polda_are_offered_nearest_first() {
    let monas = GeoPoint::new(-6.1754, 106.8272).unwrap();
    let mut target = base();
    target.location = Location::at(monas);
    let near = other(1, 10, Location::at(GeoPoint::new(-6.1800, 106.8272).unwrap())); // ~510 m
    let nearer_later = other(2, 50, Location::at(GeoPoint::new(-6.1760, 106.8272).unwrap())); // ~70 m
    let far = other(3, 5, Location::at(GeoPoint::new(-6.2600, 106.8272).unwrap())); // ~9 km
    let old = other(4, -7 * 60, Location::at(monas));
    let mut closed = other(5, 1, Location::at(monas));
    closed.status = IncidentStatus::Closed;
    let mut elsewhere = other(6, 1, Location::at(monas));
    elsewhere.polda = Some(PoldaId::DaerahIstimewaYogyakarta);
    // No point: the same district counts.
    let mut same_district = other(7, 20, Location::in_district("31.71.01".parse().unwrap()));
    target.location.district = Some("31.71.01".parse().unwrap());
    same_district.location.point = None;
    let other_district = other(8, 20, Location::in_district("31.71.02".parse().unwrap()));
    let pool = [
        near.clone(),
        nearer_later.clone(),
        far,
        old,
        closed,
        elsewhere,
        same_district.clone(),
        other_district,
        target.clone(),
    ];
    let found: Vec<IncidentId> = candidates(&target, &pool, 10).iter().map(|c| c.id).collect();
    assert_eq!(found, [nearer_later.id, near.id, same_district.id]);
    let first = candidates(&target, &pool, 1);
    assert_eq!(first.len(), 1);
    assert!(first[0].distance_m.is_some_and(|d| d < 100.0), "{first:?}");
    assert_eq!(first[0].apart_secs, 50 * 60);
}
