//! The store's side of sync: the outbox in order, the central's verdicts on pushed events, and events
//! pulled from the central's feed folded into the confirmed snapshots.

use crate::view::{self, Tx};
use crate::{now_ms, Store, StoreError};
use siaga_domain::{EventId, Incident, IncidentChange, IncidentEvent, IncidentId, IncidentState, PoldaId};
use uuid::Uuid;

/// An event as the central's feed delivers it: with the Polda whose sequence it is in, and its place there.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEvent {
    /// The Polda of the feed.
    pub polda: PoldaId,
    /// The server sequence within that Polda's feed.
    pub seq: i64,
    /// The event.
    pub event: IncidentEvent,
}

/// What folding a page of the feed did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteOutcome {
    /// Events folded into a confirmed snapshot for the first time (this desk's own included).
    pub applied: usize,
    /// Of those, events this desk made itself (now confirmed).
    pub own: usize,
    /// Events already folded before (a repeated delivery): no effect.
    pub duplicates: usize,
    /// Incidents whose events did not fold onto the stored snapshot: fetch their snapshot.
    pub diverged: Vec<IncidentId>,
    /// Incidents whose row changed (confirmed or view), each once, in the order first changed.
    pub changed: Vec<IncidentId>,
}

impl RemoteOutcome {
    pub(crate) fn note_changed(&mut self, id: IncidentId) {
        if !self.changed.contains(&id) {
            self.changed.push(id);
        }
    }
}

/// An event the central refused, with its reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The refused event.
    pub event_id: EventId,
    /// Its incident.
    pub incident_id: IncidentId,
    /// The central's machine-readable reason.
    pub code: String,
    /// The reason in Indonesian.
    pub reason_id: String,
    /// The reason in English.
    pub reason_en: String,
    /// When the verdict arrived (ms since the epoch).
    pub at_ms: i64,
}

impl Store {
    /// This desk's events not yet acknowledged by the central, oldest first, at most `limit`.
    pub async fn pending(&self, limit: u32) -> Result<Vec<IncidentEvent>, StoreError> {
        let bodies: Vec<String> = sqlx::query_scalar(
            "SELECT e.body FROM outbox o JOIN incident_event e ON e.id = o.event_id \
             WHERE o.state = 'pending' ORDER BY o.local_seq LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(StoreError::from))
            .collect()
    }

    /// Counts a push attempt of a pending event (for backoff and the status bar).
    pub async fn note_attempt(&self, event: EventId) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, updated_ms = ? WHERE event_id = ?")
            .bind(now_ms())
            .bind(event.0.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The central accepted a pushed event at `seq` of `polda`'s feed. Its effect stays in the view; the
    /// confirmed snapshot takes it when the feed brings it back.
    pub async fn acknowledge(&self, event: EventId, polda: PoldaId, seq: i64) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let id = event.0.to_string();
        sqlx::query("UPDATE incident_event SET server_seq = ?, polda = ? WHERE id = ?")
            .bind(seq)
            .bind(polda.code())
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE outbox SET state = 'acked', updated_ms = ? WHERE event_id = ? AND state = 'pending'",
        )
        .bind(now_ms())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The central refused a pushed event. It leaves the outbox and the view, and waits with its reason
    /// until an operator has seen it.
    pub async fn reject(
        &self,
        event: EventId,
        code: &str,
        reason_id: &str,
        reason_en: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let id = event.0.to_string();
        let incident: Option<String> =
            sqlx::query_scalar("SELECT incident_id FROM incident_event WHERE id = ?")
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(incident) = incident else { return Ok(()) };
        let updated = sqlx::query(
            "UPDATE outbox SET state = 'rejected', updated_ms = ? WHERE event_id = ? AND state = 'pending'",
        )
        .bind(now_ms())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            sqlx::query(
                "INSERT INTO rejection (event_id, incident_id, code, reason_id, reason_en, at_ms) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(&incident)
            .bind(code)
            .bind(reason_id)
            .bind(reason_en)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            let incident = parse_incident_id(&incident)?;
            view::refresh(&mut tx, incident).await?;
            tx.commit().await?;
            self.announce(crate::StoreChange::incidents(vec![incident]));
            return Ok(());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Where the desk has read `polda`'s feed up to (0 before the first pull).
    pub async fn cursor(&self, polda: PoldaId) -> Result<i64, StoreError> {
        let after: Option<i64> = sqlx::query_scalar("SELECT after_seq FROM sync_cursor WHERE polda = ?")
            .bind(polda.code())
            .fetch_optional(&self.reader)
            .await?;
        Ok(after.unwrap_or(0))
    }

    /// Folds a page of `polda`'s feed, in feed order, into the confirmed snapshots and moves the cursor to
    /// `next_after`, all in one transaction. Repeated deliveries have no effect; this desk's own events
    /// are recognised by id and confirmed.
    pub async fn apply_remote(
        &self,
        polda: PoldaId,
        events: &[RemoteEvent],
        next_after: i64,
    ) -> Result<RemoteOutcome, StoreError> {
        let mut tx = self.writer.begin().await?;
        let mut outcome = RemoteOutcome::default();
        for remote in events {
            fold_remote(&mut tx, remote, &mut outcome).await?;
        }
        sqlx::query(
            "INSERT INTO sync_cursor (polda, after_seq, updated_ms) VALUES (?, ?, ?) \
             ON CONFLICT (polda) DO UPDATE SET after_seq = MAX(after_seq, excluded.after_seq), \
                                               updated_ms = excluded.updated_ms",
        )
        .bind(polda.code())
        .bind(next_after)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if !outcome.changed.is_empty() {
            self.announce(crate::StoreChange::incidents(outcome.changed.clone()));
        }
        Ok(outcome)
    }

    /// Replaces the confirmed snapshots of `incidents` with the central's (a full resync of them, or the
    /// initial sync of an empty desk) and sets the cursors, in one transaction. This desk's events the
    /// central already sequenced within those cursors count as folded in.
    pub async fn replace_with_snapshots(
        &self,
        incidents: &[Incident],
        cursors: &[(PoldaId, i64)],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        for (polda, after) in cursors {
            move_cursor_to(&mut tx, *polda, *after).await?;
        }
        let has_local: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'acked'))")
                .fetch_one(&mut *tx)
                .await?;
        for incident in incidents {
            view::write(&mut tx, Some(incident), incident).await?;
            if has_local {
                view::refresh(&mut tx, incident.id).await?;
            }
        }
        tx.commit().await?;
        if incidents.len() > 256 {
            self.announce(crate::StoreChange {
                all_incidents: true,
                ..crate::StoreChange::incidents(Vec::new())
            });
        } else if !incidents.is_empty() {
            self.announce(crate::StoreChange::incidents(
                incidents.iter().map(|i| i.id).collect(),
            ));
        }
        Ok(())
    }
}

/// Sets `polda`'s cursor to `after` (a snapshot resync: it may move back) and counts this desk's events the
/// central sequenced up to it as folded into the confirmed snapshots.
pub(crate) async fn move_cursor_to(tx: &mut Tx<'_>, polda: PoldaId, after: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE incident_event SET in_confirmed = 1 \
         WHERE polda = ? AND server_seq IS NOT NULL AND server_seq <= ? AND in_confirmed = 0",
    )
    .bind(polda.code())
    .bind(after)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_cursor (polda, after_seq, updated_ms) VALUES (?, ?, ?) \
         ON CONFLICT (polda) DO UPDATE SET after_seq = excluded.after_seq, updated_ms = excluded.updated_ms",
    )
    .bind(polda.code())
    .bind(after)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn fold_remote(
    tx: &mut Tx<'_>,
    remote: &RemoteEvent,
    outcome: &mut RemoteOutcome,
) -> Result<(), StoreError> {
    let event = &remote.event;
    let id = event.id.0.to_string();
    let known: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT in_confirmed, local_seq FROM incident_event WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?;
    if matches!(known, Some((1, _))) {
        outcome.duplicates += 1;
        return Ok(());
    }
    let (confirmed, mark) = view::confirmed_with_mark(tx, event.incident_id).await?;
    let in_snapshot = mark.is_some_and(|(polda, seq)| polda == remote.polda.code() && remote.seq <= seq);
    if in_snapshot {
        // Already in the snapshot `confirmed` came from: record it as folded, never apply it again.
        outcome.duplicates += 1;
        match known {
            Some(_) => {
                confirm_own(tx, remote).await?;
                view::refresh(tx, event.incident_id).await?;
                outcome.note_changed(event.incident_id);
            }
            None => insert_folded(tx, remote).await?,
        }
        return Ok(());
    }
    let next = match (confirmed, &event.change) {
        (None, IncidentChange::Received { .. }) => IncidentState::receive(event)
            .ok()
            .map(IncidentState::into_incident),
        (None, _) => None,
        (Some(incident), _) => {
            let mut state = IncidentState::resume(incident, []);
            state.apply(event).ok().map(|_| state.into_incident())
        }
    };
    let Some(next) = next else {
        if !outcome.diverged.contains(&event.incident_id) {
            outcome.diverged.push(event.incident_id);
        }
        return Ok(());
    };
    match known {
        Some(_) => {
            outcome.own += 1;
            confirm_own(tx, remote).await?;
        }
        None => insert_folded(tx, remote).await?,
    }
    outcome.applied += 1;
    outcome.note_changed(next.id);
    view::write_confirmed(tx, &next).await?;
    Ok(())
}

/// This desk's own event came back from the central: sequenced, folded, acknowledged.
pub(crate) async fn confirm_own(tx: &mut Tx<'_>, remote: &RemoteEvent) -> Result<(), StoreError> {
    let id = remote.event.id.0.to_string();
    sqlx::query("UPDATE incident_event SET server_seq = ?, polda = ?, in_confirmed = 1 WHERE id = ?")
        .bind(remote.seq)
        .bind(remote.polda.code())
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE outbox SET state = 'acked', updated_ms = ? WHERE event_id = ? AND state = 'pending'")
        .bind(now_ms())
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records another desk's event as folded into the confirmed snapshot.
pub(crate) async fn insert_folded(tx: &mut Tx<'_>, remote: &RemoteEvent) -> Result<(), StoreError> {
    let event = &remote.event;
    sqlx::query(
        "INSERT INTO incident_event (id, incident_id, polda, server_seq, in_confirmed, body, recorded_ms) \
         VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id.0.to_string())
    .bind(event.incident_id.0.to_string())
    .bind(remote.polda.code())
    .bind(remote.seq)
    .bind(serde_json::to_string(event)?)
    .bind(crate::unix_ms(event.at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) fn parse_incident_id(text: &str) -> Result<IncidentId, StoreError> {
    Uuid::parse_str(text)
        .map(IncidentId)
        .map_err(|e| StoreError::Corrupt(serde_json::Error::io(std::io::Error::other(e))))
}
