//! Shared fixtures for the domain's integration tests: ids, times, actors and event builders.

#![allow(dead_code)]

use siaga_domain::event::{IncidentChange, IncidentEvent};
use siaga_domain::incident::{Actor, Channel, EventId, IncidentId, Location};
use siaga_domain::{PoldaId, PolresId, Role};
use time::OffsetDateTime;
use uuid::Uuid;

/// A fixed incident id.
pub fn incident_id() -> IncidentId {
    IncidentId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001))
}

/// The n-th event id.
pub fn event_id(n: u128) -> EventId {
    EventId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0001_0000_0000 + n))
}

/// 2026-01-05 08:00 UTC plus `seconds`.
pub fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_767_600_000 + seconds).unwrap()
}

/// An actor with a role.
pub fn actor(role: Role) -> Actor {
    Actor::new(format!("user-{}", role.code()), role)
}

/// An event number `n` by `role`.
pub fn event(n: u128, role: Role, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        id: event_id(n),
        incident_id: incident_id(),
        at: at(n as i64 * 60),
        actor: actor(role),
        change,
    }
}

/// A 110 call from Gambir, Jakarta Pusat.
pub fn received() -> IncidentChange {
    IncidentChange::Received {
        channel: Channel::Call110,
        caller_number: Some(siaga_domain::incident::PhoneNumber::parse("+6281234567890").unwrap()),
        reporter: None,
        location: Location::in_district("31.71.01".parse().unwrap()),
        description: "Ada penjambretan di depan halte".into(),
        proposed_category: None,
        priority: None,
        polda: None,
    }
}

/// Polres Metro Jakarta Pusat.
pub fn jakpus() -> PolresId {
    PolresId("31.71".parse().unwrap())
}

/// Polres Metro Jakarta Selatan.
pub fn jaksel() -> PolresId {
    PolresId("31.74".parse().unwrap())
}

/// Forwarded to Polres Metro Jakarta Pusat.
pub fn forwarded() -> IncidentChange {
    IncidentChange::Forwarded {
        polda: PoldaId::MetroJaya,
        polres: jakpus(),
    }
}
