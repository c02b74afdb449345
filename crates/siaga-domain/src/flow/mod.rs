//! The operator flow of Perkap 20/2014 as a state machine over append-only incident events:
//! received → checked and classified by operator 1 (or closed as prank/empty) → forwarded by operator 2 →
//! handed by operator 3 to the Polres SPKT desk → being handled → closed; plus notes, reassignment and
//! reopening. [`rule`] says, for every action, from which states and by which roles it may happen;
//! [`IncidentState::apply`] enforces it and is idempotent per event id.
//!
//! The pieces: `rules` (the actions and the rule table), `error` (why an event is refused, in the
//! operator's language), `state` (the state machine, [`check`], [`replay`]). The incident's status itself
//! lives in [`crate::status`] and is re-exported here.

mod error;
mod rules;
mod state;

pub use crate::status::IncidentStatus;
pub use error::{ReplayError, TextField, TransitionError};
pub use rules::{rule, Action, Rule};
pub use state::{
    check, polda_for_location, replay, Applied, IncidentState, MAX_SHORT_TEXT_CHARS, MAX_TEXT_CHARS,
};
