//! Incident events: the append-only log from which every incident is built. An event names the incident,
//! who made the change in which role, when, and what changed; `flow` decides whether it may happen.

use crate::category::{Category, Priority};
use crate::incident::{Actor, Channel, CloseReason, EventId, IncidentId, Location, PhoneNumber, Reporter};
use crate::polda::{PoldaId, PolresId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One change to one incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentEvent {
    /// Its id (UUIDv7), unique across all desks; applying an id a second time has no effect.
    pub id: EventId,
    /// The incident it changes.
    pub incident_id: IncidentId,
    /// When it happened, as recorded by the actor's desk.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who made it, in which role.
    pub actor: Actor,
    /// What changed.
    pub change: IncidentChange,
}

/// What an event changes. The JSON form is tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum IncidentChange {
    /// The report arrived (always the first event).
    Received {
        /// How it arrived.
        channel: Channel,
        /// The caller's number, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caller_number: Option<PhoneNumber>,
        /// The reporter, if they identified themselves.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reporter: Option<Reporter>,
        /// Where, as far as known.
        #[serde(default)]
        location: Location,
        /// What the reporter said.
        description: String,
        /// A category proposed by the channel (an app form, a kiosk button); operator 1 still classifies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proposed_category: Option<Category>,
        /// A priority set by the channel (e.g. a kiosk SOS button); else the category's default or medium.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<Priority>,
        /// The Polda whose command center received it; derived from the location when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        polda: Option<PoldaId>,
    },
    /// Operator 1 checked and classified the report (again, if already classified).
    Classified {
        /// The category.
        category: Category,
        /// A priority other than the category's default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<Priority>,
    },
    /// The location was corrected or completed.
    Located {
        /// The new location (replaces the old one; the log keeps the old value).
        location: Location,
    },
    /// Operator 2 forwarded the incident to a Polres.
    Forwarded {
        /// The Polda responsible.
        polda: PoldaId,
        /// The Polres responsible.
        polres: PolresId,
    },
    /// Operator 2 (or a supervisor) handed the incident to the other emergency service its category names
    /// (a fire to the fire service): the police keep it in their flow, its status does not change.
    HandedToAgency {
        /// The agency.
        agency: crate::category::Agency,
    },
    /// Operator 3 handed the incident to the Polres SPKT desk.
    HandedToSpkt {
        /// The SPKT desk or officer who took it.
        desk: String,
    },
    /// The SPKT sent a unit: the incident is being handled.
    HandlingStarted {
        /// The unit on the way (patrol car, Polsek, …).
        unit: String,
    },
    /// The incident was closed.
    Closed {
        /// Why.
        reason: CloseReason,
        /// A summary for the record (required when resolved or unfounded).
        #[serde(default)]
        summary: String,
    },
    /// The incident was given to another Polres; it goes back to operator 3 of the new one.
    Reassigned {
        /// The new Polda.
        polda: PoldaId,
        /// The new Polres.
        polres: PolresId,
        /// Why.
        reason: String,
    },
    /// A closed incident was opened again.
    Reopened {
        /// Why.
        reason: String,
    },
    /// An operator in the command room took over an alert (a station kiosk's, say): the alert stops
    /// sounding on every desk. Changes no status; the first acknowledgement wins.
    Acknowledged,
    /// A note was added.
    NoteAdded {
        /// The note.
        text: String,
    },
    /// The report was checked with its reporter (in a video validation call beside their NIK, or by calling
    /// back); a later check replaces an earlier one. Changes no status.
    ReportValidated {
        /// What the check found.
        outcome: crate::incident::ValidationOutcome,
        /// Why; required unless the report is valid.
        #[serde(default)]
        reason: String,
        /// The video call it was decided in, if one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call: Option<uuid::Uuid>,
    },
    /// A video validation call of the incident moved (decision 0006): asked for by the reporter, ringing,
    /// connected, or over as ended, failed, unreachable or declined — recorded by the central as the side that moved
    /// it, so every desk's timeline shows the call. Changes no status.
    VideoCallMoved {
        /// The call.
        call: uuid::Uuid,
        /// Where it stands now.
        state: crate::video::CallState,
        /// Why, when said (a failure's cause, a decline's reason).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    /// A picture was kept as evidence (a still frame of a validation call, decision 0022): its bytes are kept
    /// by the desk that took it and at the central under `sha256`; the log names them and says what they are.
    /// Changes no status.
    EvidenceAttached {
        /// The picture's name.
        sha256: crate::evidence::ContentDigest,
        /// What it is.
        media_type: crate::evidence::MediaType,
        /// Its size in bytes.
        bytes: u64,
        /// Width in pixels.
        width: u16,
        /// Height in pixels.
        height: u16,
        /// The video call it was taken in, if one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call: Option<uuid::Uuid>,
    },
}

impl IncidentEvent {
    /// The time of the event as RFC 3339 (for logs).
    pub fn at_rfc3339(&self) -> String {
        self.at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}
