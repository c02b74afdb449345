//! Sync frames between a desk and the central API: the envelope an incident event travels in, with the
//! Polda whose feed orders it and its server sequence once the central has committed it, and the check a
//! desk runs on each page of its Polda's feed to notice gaps.

use serde::{Deserialize, Serialize};
use siaga_domain::event::IncidentEvent;
use siaga_domain::incident::{EventId, IncidentId};
use siaga_domain::PoldaId;

/// An incident event on its way between desk and central.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventEnvelope {
    /// The event's id (its idempotency key; equals `event.id`).
    pub event_id: EventId,
    /// The incident it changes (equals `event.incident_id`).
    pub incident_id: IncidentId,
    /// The Polda whose feed orders it.
    pub polda: PoldaId,
    /// Its sequence in that Polda's feed: absent until the central commits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_seq: Option<u64>,
    /// The event.
    pub event: IncidentEvent,
}

/// An envelope whose header contradicts its event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// `eventId` is not the event's id.
    #[error("envelope event id {envelope} differs from the event's {event}")]
    EventIdMismatch {
        /// In the envelope.
        envelope: EventId,
        /// In the event.
        event: EventId,
    },
    /// `incidentId` is not the event's incident.
    #[error("envelope incident id {envelope} differs from the event's {event}")]
    IncidentIdMismatch {
        /// In the envelope.
        envelope: IncidentId,
        /// In the event.
        event: IncidentId,
    },
    /// A server sequence of 0 (sequences start at 1).
    #[error("server sequences start at 1")]
    ZeroSequence,
}

impl EventEnvelope {
    /// A new, not yet committed envelope for an event.
    pub fn outgoing(polda: PoldaId, event: IncidentEvent) -> EventEnvelope {
        EventEnvelope {
            event_id: event.id,
            incident_id: event.incident_id,
            polda,
            server_seq: None,
            event,
        }
    }

    /// The same envelope as committed at `seq`.
    pub fn committed(self, seq: u64) -> EventEnvelope {
        EventEnvelope {
            server_seq: Some(seq),
            ..self
        }
    }

    /// Checks that the header agrees with the event (run on every envelope received).
    pub fn validate(&self) -> Result<(), EnvelopeError> {
        if self.event_id != self.event.id {
            return Err(EnvelopeError::EventIdMismatch {
                envelope: self.event_id,
                event: self.event.id,
            });
        }
        if self.incident_id != self.event.incident_id {
            return Err(EnvelopeError::IncidentIdMismatch {
                envelope: self.incident_id,
                event: self.event.incident_id,
            });
        }
        if self.server_seq == Some(0) {
            return Err(EnvelopeError::ZeroSequence);
        }
        Ok(())
    }
}

/// What a page of a Polda's feed means for a desk whose cursor is at `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedContinuity {
    /// The sequences continue the cursor without a gap; the new cursor is `next_after`.
    Contiguous {
        /// The cursor after applying the page.
        next_after: u64,
    },
    /// A sequence is missing: the desk must pull again from `after` (a live push raced ahead, or the
    /// feed lost something).
    Gap {
        /// The first missing sequence.
        missing: u64,
    },
}

/// Checks a page of server sequences (ascending) against a cursor: each must be exactly one more than the
/// previous; sequences at or below the cursor (already seen) are ignored.
pub fn check_continuity(after: u64, sequences: impl IntoIterator<Item = u64>) -> FeedContinuity {
    let mut cursor = after;
    for seq in sequences {
        if seq <= cursor {
            continue;
        }
        if seq != cursor + 1 {
            return FeedContinuity::Gap { missing: cursor + 1 };
        }
        cursor = seq;
    }
    FeedContinuity::Contiguous { next_after: cursor }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_domain::event::IncidentChange;
    use siaga_domain::incident::Actor;
    use siaga_domain::Role;
    use time::OffsetDateTime;
    use uuid::Uuid;

    fn note_event() -> IncidentEvent {
        IncidentEvent {
            id: EventId(Uuid::from_u128(7)),
            incident_id: IncidentId(Uuid::from_u128(1)),
            at: OffsetDateTime::from_unix_timestamp(1_767_600_000).unwrap(),
            actor: Actor::new("op-1", Role::Operator1),
            change: IncidentChange::NoteAdded {
                text: "Penelepon panik".into(),
            },
        }
    }

    #[test]
    fn envelopes_are_small_and_round_trip() {
        let envelope = EventEnvelope::outgoing(PoldaId::MetroJaya, note_event());
        let json = serde_json::to_value(&envelope).unwrap();
        assert_eq!(json["polda"], "metro_jaya");
        assert!(json.get("serverSeq").is_none());
        let committed = envelope.committed(42);
        let json = serde_json::to_string(&committed).unwrap();
        assert!(json.contains("\"serverSeq\":42"));
        assert_eq!(serde_json::from_str::<EventEnvelope>(&json).unwrap(), committed);
        assert_eq!(committed.validate(), Ok(()));
    }

    #[test]
    fn inconsistent_envelopes_are_refused() {
        let mut envelope = EventEnvelope::outgoing(PoldaId::MetroJaya, note_event());
        envelope.event_id = EventId(Uuid::from_u128(8));
        assert!(matches!(
            envelope.validate(),
            Err(EnvelopeError::EventIdMismatch { .. })
        ));
        let mut envelope = EventEnvelope::outgoing(PoldaId::MetroJaya, note_event());
        envelope.incident_id = IncidentId(Uuid::from_u128(9));
        assert!(matches!(
            envelope.validate(),
            Err(EnvelopeError::IncidentIdMismatch { .. })
        ));
        assert_eq!(
            EventEnvelope::outgoing(PoldaId::Bali, note_event())
                .committed(0)
                .validate(),
            Err(EnvelopeError::ZeroSequence)
        );
        let json = serde_json::to_value(EventEnvelope::outgoing(PoldaId::Bali, note_event())).unwrap();
        let mut extra = json.clone();
        extra["x"] = 1.into();
        assert!(
            serde_json::from_value::<EventEnvelope>(extra).is_err(),
            "unknown fields are refused"
        );
    }

    fn check(after: u64, sequences: &[u64], expect: FeedContinuity) {
        assert_eq!(
            check_continuity(after, sequences.iter().copied()),
            expect,
            "after {after}: {sequences:?}"
        );
    }

    #[test]
    fn continuity() {
        check(0, &[], FeedContinuity::Contiguous { next_after: 0 });
        check(0, &[1, 2, 3], FeedContinuity::Contiguous { next_after: 3 });
        check(5, &[4, 5, 6], FeedContinuity::Contiguous { next_after: 6 });
        check(5, &[7], FeedContinuity::Gap { missing: 6 });
        check(0, &[1, 2, 4], FeedContinuity::Gap { missing: 3 });
        check(3, &[4, 4, 5], FeedContinuity::Contiguous { next_after: 5 });
    }
}
