//! This desk's own actions: an event checked by the domain rules against what the desk shows, then
//! written with its outbox row in one transaction.

use crate::view::{self, Tx};
use crate::{now_ms, unix_ms, Store, StoreError};
use siaga_domain::{Incident, IncidentChange, IncidentEvent, IncidentState};

/// What recording a local event did.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// The event was new; the incident as the desk now shows it.
    Accepted(Incident),
    /// An event with this id was recorded before; nothing changed. The incident as it stands.
    AlreadyRecorded(Incident),
}

impl Recorded {
    /// The incident after the call, either way.
    pub fn incident(&self) -> &Incident {
        match self {
            Recorded::Accepted(incident) | Recorded::AlreadyRecorded(incident) => incident,
        }
    }
}

impl Store {
    /// Records an event made on this desk: checks it against the incident as the desk shows it, then
    /// appends it to the log and the outbox and updates the view, all in one transaction. A refused
    /// event writes nothing. Recording the same event id twice has no second effect.
    pub async fn record_local(&self, event: &IncidentEvent) -> Result<Recorded, StoreError> {
        self.record_local_with(event, None).await
    }

    /// [`Store::record_local`] for an event that may bring a picture: its bytes are kept in the same transaction
    /// (see `evidence`).
    pub(crate) async fn record_local_with(
        &self,
        event: &IncidentEvent,
        picture: Option<&[u8]>,
    ) -> Result<Recorded, StoreError> {
        let mut tx = self.writer.begin().await?;
        let id = event.id.0.to_string();
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM incident_event WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_some() {
            let incident = view::current_view(&mut tx, event.incident_id)
                .await?
                .ok_or(StoreError::UnknownIncident(event.incident_id))?;
            return Ok(Recorded::AlreadyRecorded(incident));
        }
        let next = next_view(&mut tx, event).await?;
        let local_seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(local_seq), 0) + 1 FROM incident_event")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO incident_event (id, incident_id, local_seq, polda, body, recorded_ms) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(event.incident_id.0.to_string())
        .bind(local_seq)
        .bind(next.polda.map(|p| p.code()))
        .bind(serde_json::to_string(event)?)
        .bind(unix_ms(event.at))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO outbox (event_id, local_seq, state, updated_ms) VALUES (?, ?, 'pending', ?)",
        )
        .bind(&id)
        .bind(local_seq)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if let Some(bytes) = picture {
            crate::evidence::insert_kept(&mut tx, event, bytes).await?;
        }
        let confirmed = view::confirmed(&mut tx, event.incident_id).await?;
        view::write(&mut tx, confirmed.as_ref(), &next).await?;
        let record = crate::AuditRecord {
            actor: event.actor.id.clone(),
            role: event.actor.role.code().to_owned(),
            polda: next.polda.map(|p| p.code().to_owned()),
            action: "incident_event".into(),
            subject: event.incident_id.to_string(),
            detail: event.change.action().to_string(),
        };
        crate::audit::append_in(&mut tx, &record, unix_ms(event.at)).await?;
        tx.commit().await?;
        self.announce(crate::StoreChange::incidents(vec![next.id]));
        Ok(Recorded::Accepted(next))
    }
}

/// The incident after `event`, checked by the domain rules against the current view.
async fn next_view(tx: &mut Tx<'_>, event: &IncidentEvent) -> Result<Incident, StoreError> {
    let current = view::current_view(tx, event.incident_id).await?;
    match (current, &event.change) {
        (None, IncidentChange::Received { .. }) => Ok(IncidentState::receive(event)?.into_incident()),
        (None, _) => Err(StoreError::UnknownIncident(event.incident_id)),
        (Some(incident), _) => {
            let mut state = IncidentState::resume(incident, []);
            state.apply(event)?;
            Ok(state.into_incident())
        }
    }
}
