//! Incidents and their events at the central: `write` (`POST /v1/events`: idempotent by event id,
//! checked by the domain's operator flow, committed with a gapless per-Polda sequence and published to
//! the live hub and the outbox) and `read` (one event, one incident — as JSON or as EIDO —, an
//! incident's log, the incident list, the change feed paged by each Polda's sequence, and the snapshot
//! pages of an initial sync). This module holds what both use: the envelope's strict parsing, the
//! stored-row conversions and the mapping of a flow refusal to its HTTP status.

mod read;
mod write;

pub use read::*;
pub use write::*;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody, QueryParams};
use crate::live::Committed;
use crate::metrics::Metrics;
use crate::personal::{mask_personal, shape_for};
use crate::store::{now_ms, Backend};
use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::Value;
use siaga_api::sync::EventEnvelope;
use siaga_api::{AppendResult, FeedPage, IncidentPage};
use siaga_domain::clock::unix_ms as ms;
use siaga_domain::flow::TransitionError;
use siaga_domain::{
    Category, Incident, IncidentEvent, IncidentState, IncidentStatus, Language, Nik, PoldaId,
};

/// The status and code of a refusal by the operator flow.
pub(crate) fn refusal(error: &TransitionError) -> ApiError {
    let status = match error {
        TransitionError::RoleNotAllowed { .. } => StatusCode::FORBIDDEN,
        TransitionError::NotAllowedFrom { .. }
        | TransitionError::AlreadyReceived { .. }
        | TransitionError::NotReceivedYet { .. }
        | TransitionError::SameAssignment { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, error.code(), error.reason(Language::En))
}

const ENVELOPE_FIELDS: &[&str] = &["eventId", "incidentId", "polda", "serverSeq", "event"];
const EVENT_FIELDS: &[&str] = &["id", "incidentId", "at", "actor", "change"];

fn unknown_field(value: Option<&Value>, allowed: &[&str], what: &str) -> Result<(), ApiError> {
    if let Some(Value::Object(map)) = value {
        if let Some(unknown) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
            return Err(ApiError::unprocessable(
                "unknown_field",
                format!("unknown field {unknown:?} in the {what}; it has {allowed:?}"),
            ));
        }
    }
    Ok(())
}

/// Parses an event envelope strictly: unknown fields (in the envelope or the event), a bad NIK, a
/// malformed event and an envelope that contradicts its event are each told apart with their own code.
/// A `serverSeq` sent by the desk is ignored: the server assigns it.
pub(crate) fn parse_envelope(value: Value) -> Result<IncidentEvent, ApiError> {
    if !value.is_object() {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "an event envelope is a JSON object",
        ));
    }
    unknown_field(Some(&value), ENVELOPE_FIELDS, "envelope")?;
    unknown_field(value.get("event"), EVENT_FIELDS, "event")?;
    if let Some(Value::String(nik)) = value.pointer("/event/change/reporter/nik") {
        if let Err(err) = Nik::parse(nik) {
            return Err(ApiError::unprocessable("invalid_nik", err.reason(Language::En)));
        }
    }
    let envelope: EventEnvelope = serde_json::from_value(value).map_err(|err| {
        ApiError::unprocessable("invalid_event", format!("not a valid event envelope: {err}"))
    })?;
    envelope
        .validate()
        .map_err(|err| ApiError::unprocessable("inconsistent_envelope", err.to_string()))?;
    Ok(envelope.event)
}

pub(crate) type EventRow = (String, i64, i64, String);

pub(crate) fn committed_envelope(polda: PoldaId, seq: i64, event: IncidentEvent) -> EventEnvelope {
    EventEnvelope::outgoing(polda, event).committed(seq.max(1) as u64)
}

pub(crate) fn feed_event((polda, seq, _recorded_ms, body): EventRow) -> Result<EventEnvelope, ApiError> {
    let polda: PoldaId = polda
        .parse()
        .map_err(|_| ApiError::internal(&"stored polda unknown"))?;
    let event: IncidentEvent = serde_json::from_str(&body).map_err(|err| ApiError::internal(&err))?;
    Ok(committed_envelope(polda, seq, event))
}

pub(crate) fn incident_of(snapshot: &str) -> Result<Incident, ApiError> {
    serde_json::from_str(snapshot).map_err(|err| ApiError::internal(&err))
}
