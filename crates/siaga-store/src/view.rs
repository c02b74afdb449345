//! The incident row: writing a snapshot with its query columns, and recomputing the desk's view from the
//! confirmed snapshot plus this desk's events that the central's feed has not brought back yet.

use crate::{unix_ms, StoreError};
use siaga_domain::{Incident, IncidentEvent, IncidentId, IncidentState};
use sqlx::{Sqlite, Transaction};

pub(crate) type Tx<'a> = Transaction<'a, Sqlite>;

/// The confirmed snapshot of an incident, if the central has confirmed any of it.
pub(crate) async fn confirmed(tx: &mut Tx<'_>, id: IncidentId) -> Result<Option<Incident>, StoreError> {
    let row: Option<Option<String>> = sqlx::query_scalar("SELECT confirmed FROM incident WHERE id = ?")
        .bind(id.0.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row
        .flatten()
        .map(|json| serde_json::from_str(&json))
        .transpose()?)
}

/// The confirmed snapshot and, when it came from a central snapshot page, the Polda and sequence of the
/// feed it reaches (see migration 0002), in one read.
pub(crate) async fn confirmed_with_mark(
    tx: &mut Tx<'_>,
    id: IncidentId,
) -> Result<(Option<Incident>, Option<(String, i64)>), StoreError> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT confirmed, snapshot_polda, snapshot_seq FROM incident WHERE id = ?")
            .bind(id.0.to_string())
            .fetch_optional(&mut **tx)
            .await?;
    let Some((confirmed, polda, seq)) = row else {
        return Ok((None, None));
    };
    let confirmed = confirmed.map(|json| serde_json::from_str(&json)).transpose()?;
    Ok((confirmed, polda.zip(seq)))
}

/// The incident as the desk shows it now, if known.
pub(crate) async fn current_view(tx: &mut Tx<'_>, id: IncidentId) -> Result<Option<Incident>, StoreError> {
    let row: Option<String> = sqlx::query_scalar("SELECT view FROM incident WHERE id = ?")
        .bind(id.0.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|json| serde_json::from_str(&json)).transpose()?)
}

/// This desk's events of an incident that are not folded into the confirmed snapshot and not refused,
/// in the order they were made.
async fn unconfirmed_local_events(tx: &mut Tx<'_>, id: IncidentId) -> Result<Vec<IncidentEvent>, StoreError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT e.body FROM incident_event e JOIN outbox o ON o.event_id = e.id \
         WHERE e.incident_id = ? AND e.in_confirmed = 0 AND o.state IN ('pending', 'acked') \
         ORDER BY o.local_seq",
    )
    .bind(id.0.to_string())
    .fetch_all(&mut **tx)
    .await?;
    bodies
        .iter()
        .map(|body| serde_json::from_str(body).map_err(StoreError::from))
        .collect()
}

/// Folds `events` onto `base` (or starts from the first event when there is no base). An event the
/// rules refuse here is left out of the view: the central will give its verdict on it.
pub(crate) fn fold(base: Option<Incident>, events: &[IncidentEvent]) -> Option<Incident> {
    let mut state: Option<IncidentState> = base.map(|incident| IncidentState::resume(incident, []));
    for event in events {
        match state.as_mut() {
            Some(state) => {
                let _ = state.apply(event);
            }
            None => state = IncidentState::receive(event).ok(),
        }
    }
    state.map(IncidentState::into_incident)
}

/// Recomputes and stores the view of one incident. Returns it (None if nothing is left to show, which
/// happens only when the incident's first event was refused).
pub(crate) async fn refresh(tx: &mut Tx<'_>, id: IncidentId) -> Result<Option<Incident>, StoreError> {
    let confirmed = confirmed(tx, id).await?;
    let local = unconfirmed_local_events(tx, id).await?;
    let view = fold(confirmed.clone(), &local);
    match &view {
        Some(view) => write(tx, confirmed.as_ref(), view).await?,
        None => {
            sqlx::query("DELETE FROM incident WHERE id = ?")
                .bind(id.0.to_string())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(view)
}

/// Stores a new confirmed snapshot and the view on top of it (this desk's unconfirmed events folded
/// onto it): [`refresh`] without reading the snapshot back.
pub(crate) async fn write_confirmed(tx: &mut Tx<'_>, confirmed: &Incident) -> Result<(), StoreError> {
    let local = unconfirmed_local_events(tx, confirmed.id).await?;
    if local.is_empty() {
        return write(tx, Some(confirmed), confirmed).await;
    }
    let view = fold(Some(confirmed.clone()), &local).unwrap_or_else(|| confirmed.clone());
    write(tx, Some(confirmed), &view).await
}

/// Stores an incident row: the confirmed snapshot (unchanged when `None` is given for an incident the
/// central has not confirmed yet) and the view with its query columns.
pub(crate) async fn write(
    tx: &mut Tx<'_>,
    confirmed: Option<&Incident>,
    view: &Incident,
) -> Result<(), StoreError> {
    let point = view.location.point;
    sqlx::query(
        "INSERT INTO incident (id, polda, status, category, priority_rank, lat, lon, received_ms, updated_ms, \
                               server_version, confirmed, view, alert_kiosk) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET polda = excluded.polda, status = excluded.status, \
             category = excluded.category, priority_rank = excluded.priority_rank, lat = excluded.lat, \
             lon = excluded.lon, received_ms = excluded.received_ms, updated_ms = excluded.updated_ms, \
             server_version = excluded.server_version, confirmed = excluded.confirmed, view = excluded.view, \
             alert_kiosk = excluded.alert_kiosk",
    )
    .bind(view.id.0.to_string())
    .bind(view.polda.map(|p| p.code()))
    .bind(view.status.code())
    .bind(view.category.map(|c| c.code()))
    .bind(i64::from(view.priority.rank()))
    .bind(point.map(|p| p.lat()))
    .bind(point.map(|p| p.lon()))
    .bind(unix_ms(view.received_at))
    .bind(unix_ms(view.updated_at))
    .bind(confirmed.map(|c| c.version as i64))
    .bind(confirmed.map(serde_json::to_string).transpose()?)
    .bind(serde_json::to_string(view)?)
    .bind(view.open_kiosk_alert().map(|k| k.as_str().to_owned()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
