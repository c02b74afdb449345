//! Initial sync and full resync by the central's snapshots, and the catch-up of one incident from its
//! snapshot and log: the confirmed snapshots are replaced without the events they contain, so the store
//! records how far into the feed each snapshot reaches (or the ids it contains) and never applies those
//! events a second time; this desk's events not in a snapshot stay on top of it in the view.

use crate::remote::{confirm_own, fold_remote, insert_folded, move_cursor_to, RemoteEvent, RemoteOutcome};
use crate::view::{self, Tx};
use crate::{unix_ms, Store, StoreError};
use siaga_domain::{Incident, IncidentId, PoldaId};
use std::collections::HashSet;

/// One incident of a snapshot page, as the store takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRecord {
    /// The incident as the central holds it.
    pub incident: Incident,
    /// Its JSON as the central sent it (it decodes to `incident`); stored as it is, which spares
    /// encoding a million incidents again on an initial sync.
    pub json: String,
    /// The snapshot contains every event of the resynced Polda's feed of this incident up to this
    /// sequence: the incident's `feedSeq`, or the resync's high-water mark if that is higher.
    pub feed_seq: i64,
}

impl SnapshotRecord {
    /// A record of `incident` (encoding its JSON here).
    pub fn new(incident: Incident, feed_seq: i64) -> Result<SnapshotRecord, StoreError> {
        let json = serde_json::to_string(&incident)?;
        Ok(SnapshotRecord {
            incident,
            json,
            feed_seq,
        })
    }
}

/// The columns of the incident row in the order the batch insert binds them.
const COLUMNS: &str = "id, polda, status, category, priority_rank, lat, lon, received_ms, updated_ms, \
                       server_version, confirmed, view, snapshot_polda, snapshot_seq, alert_kiosk";
const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/// Rows per INSERT statement (15 parameters each, well under SQLite's limit).
const BATCH: usize = 128;

fn batch_sql(rows: usize) -> String {
    let mut sql = format!("INSERT INTO incident ({COLUMNS}) VALUES ");
    for index in 0..rows {
        if index > 0 {
            sql.push_str(", ");
        }
        sql.push_str(ROW);
    }
    sql.push_str(
        " ON CONFLICT (id) DO UPDATE SET polda = excluded.polda, status = excluded.status, \
         category = excluded.category, priority_rank = excluded.priority_rank, lat = excluded.lat, \
         lon = excluded.lon, received_ms = excluded.received_ms, updated_ms = excluded.updated_ms, \
         server_version = excluded.server_version, confirmed = excluded.confirmed, view = excluded.view, \
         snapshot_polda = excluded.snapshot_polda, snapshot_seq = excluded.snapshot_seq, \
         alert_kiosk = excluded.alert_kiosk",
    );
    sql
}

impl Store {
    /// Takes one page of a Polda's snapshots (initial sync or full resync) in one transaction: each
    /// incident's confirmed snapshot is replaced by the central's, marked as containing `polda`'s feed up
    /// to its `feed_seq`. This desk's events the central acknowledged before the page was requested are
    /// in it and count as folded; its other unconfirmed events (pending ones) stay on top in the view.
    /// The cursor does not move: call [`Store::finish_snapshot`] after the last page, so that a resync
    /// cut short starts over instead of leaving incidents out. Returns the incidents written.
    pub async fn apply_snapshot_page(
        &self,
        polda: PoldaId,
        records: &[SnapshotRecord],
    ) -> Result<Vec<IncidentId>, StoreError> {
        let mut tx = self.writer.begin().await?;
        // Incidents with this desk's unconfirmed events: their view is recomputed after the write.
        let local: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT e.incident_id FROM incident_event e JOIN outbox o ON o.event_id = e.id \
             WHERE e.in_confirmed = 0 AND o.state IN ('pending', 'acked')",
        )
        .fetch_all(&mut *tx)
        .await?;
        let local: HashSet<String> = local.into_iter().collect();
        let full = batch_sql(BATCH);
        for chunk in records.chunks(BATCH) {
            let partial;
            let sql = if chunk.len() == BATCH {
                full.as_str()
            } else {
                partial = batch_sql(chunk.len());
                partial.as_str()
            };
            let mut query = sqlx::query(sql);
            for record in chunk {
                let incident = &record.incident;
                let point = incident.location.point;
                query = query
                    .bind(incident.id.0.to_string())
                    .bind(incident.polda.map(|p| p.code()))
                    .bind(incident.status.code())
                    .bind(incident.category.map(|c| c.code()))
                    .bind(i64::from(incident.priority.rank()))
                    .bind(point.map(|p| p.lat()))
                    .bind(point.map(|p| p.lon()))
                    .bind(unix_ms(incident.received_at))
                    .bind(unix_ms(incident.updated_at))
                    .bind(incident.version as i64)
                    .bind(record.json.as_str())
                    .bind(record.json.as_str())
                    .bind(polda.code())
                    .bind(record.feed_seq)
                    .bind(incident.open_kiosk_alert().map(|k| k.as_str().to_owned()));
            }
            query.execute(&mut *tx).await?;
        }
        if !local.is_empty() {
            for record in records {
                let id = record.incident.id.0.to_string();
                if !local.contains(&id) {
                    continue;
                }
                sqlx::query(
                    "UPDATE incident_event SET in_confirmed = 1 WHERE incident_id = ? AND in_confirmed = 0 \
                     AND server_seq IS NOT NULL",
                )
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                view::refresh(&mut tx, record.incident.id).await?;
            }
        }
        tx.commit().await?;
        if !records.is_empty() {
            self.announce(crate::StoreChange {
                all_incidents: true,
                ..crate::StoreChange::incidents(Vec::new())
            });
        }
        Ok(records.iter().map(|r| r.incident.id).collect())
    }

    /// Ends a snapshot resync of `polda`: the feed continues after `high_water` (the value of the first
    /// page), and this desk's events sequenced up to it count as folded.
    pub async fn finish_snapshot(&self, polda: PoldaId, high_water: i64) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        move_cursor_to(&mut tx, polda, high_water).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Catches up one incident from the central's `snapshot` and its whole `log` in the central's order,
    /// where the snapshot was read *before* the log: the snapshot contains exactly the first
    /// `snapshot.version` events of the log (the central applies every event it stores, one version each).
    /// Those are recorded as folded (this desk's own acknowledged too), the confirmed snapshot becomes the
    /// central's, the rest of the log folds on top, and the view is recomputed with this desk's events
    /// still unconfirmed. No event is applied twice: each one of the log is then known by id.
    pub async fn catch_up_incident(
        &self,
        snapshot: &Incident,
        log: &[RemoteEvent],
    ) -> Result<RemoteOutcome, StoreError> {
        let contained = usize::try_from(snapshot.version).unwrap_or(usize::MAX);
        let valid =
            log.len() >= contained && log.iter().all(|remote| remote.event.incident_id == snapshot.id);
        if !valid {
            return Err(StoreError::Diverged(snapshot.id));
        }
        let mut tx = self.writer.begin().await?;
        let mut outcome = RemoteOutcome::default();
        for remote in &log[..contained] {
            record_contained(&mut tx, remote).await?;
        }
        view::write(&mut tx, Some(snapshot), snapshot).await?;
        for remote in &log[contained..] {
            fold_remote(&mut tx, remote, &mut outcome).await?;
        }
        view::refresh(&mut tx, snapshot.id).await?;
        outcome.note_changed(snapshot.id);
        tx.commit().await?;
        self.announce(crate::StoreChange::incidents(vec![snapshot.id]));
        Ok(outcome)
    }
}

/// Records an event the confirmed snapshot contains: this desk's own is confirmed, another's inserted.
async fn record_contained(tx: &mut Tx<'_>, remote: &RemoteEvent) -> Result<(), StoreError> {
    let known: Option<i64> = sqlx::query_scalar("SELECT in_confirmed FROM incident_event WHERE id = ?")
        .bind(remote.event.id.0.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    match known {
        Some(_) => confirm_own(tx, remote).await,
        None => insert_folded(tx, remote).await,
    }
}
