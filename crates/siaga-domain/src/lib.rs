//! The pure model and rules of Siaga 110: incidents, the operator flow, NIK, jurisdictions, kiosks, geo.
//!
//! Architecture Invariant: this crate does no IO and depends on no async runtime, database or UI
//! framework, so every rule here is testable as a plain function and builds for wasm32 (the UI uses it).
//! Reference data (region codes, stations) is embedded from `assets/reference/` at compile time.

pub mod category;
pub mod clock;
pub mod duplicate;
pub mod event;
pub mod evidence;
pub mod flow;
pub mod geo;
pub mod incident;
pub mod kiosk;
pub mod language;
pub mod nik;
pub mod personal;
pub mod place;
pub mod polda;
pub mod queue;
pub mod region;
pub mod role;
pub mod service;
pub mod station;
pub mod status;
pub mod timezone;
pub mod video;

pub use category::{Category, Priority};
pub use event::{IncidentChange, IncidentEvent};
pub use flow::{Action, Applied, IncidentState, IncidentStatus, TransitionError};
pub use geo::GeoPoint;
pub use incident::{Actor, Channel, CloseReason, EventId, Incident, IncidentId, Location};
pub use language::Language;
pub use nik::{Nik, NikError};
pub use polda::{PoldaId, PolresId};
pub use role::Role;
