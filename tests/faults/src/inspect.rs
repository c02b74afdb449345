//! Read-only looks into a desk's SQLite file for what the store's API does not list: this desk's own
//! events with their outbox state (the log the checker holds against the central), and every event id
//! the file holds. Uses the schema of `siaga-store/migrations/`.

use crate::FaultError;
use siaga_domain::{EventId, IncidentEvent, IncidentId};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path;
use std::str::FromStr as _;

/// Where one of this desk's events stands in its outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Not yet answered by the central.
    Pending,
    /// Accepted by the central.
    Acked,
    /// Refused by the central.
    Rejected,
}

/// One event this desk made.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnEvent {
    /// The event.
    pub event: IncidentEvent,
    /// Its place in this desk's log.
    pub local_seq: i64,
    /// Its outbox state.
    pub state: OutboxState,
    /// Its server sequence, once known.
    pub server_seq: Option<i64>,
    /// Whether the confirmed snapshot holds it.
    pub in_confirmed: bool,
}

impl OwnEvent {
    /// Its id.
    pub fn id(&self) -> EventId {
        self.event.id
    }

    /// Its incident.
    pub fn incident(&self) -> IncidentId {
        self.event.incident_id
    }
}

/// A row of this desk's own log: body, local sequence, outbox state, server sequence, in confirmed.
type OwnRow = (String, i64, String, Option<i64>, i64);

async fn open(path: &Path) -> Result<SqlitePool, FaultError> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{}", path.display()))
        .map_err(FaultError::Inspect)?
        .read_only(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(FaultError::Inspect)
}

/// How many events this desk made (its own log's length): the runner's progress after a restart.
pub async fn own_event_count(path: &Path) -> Result<u64, FaultError> {
    if !path.exists() {
        return Ok(0);
    }
    let pool = open(path).await?;
    let count: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM incident_event WHERE local_seq IS NOT NULL")
            .fetch_one(&pool)
            .await;
    pool.close().await;
    match count {
        Ok(count) => Ok(count.max(0) as u64),
        // A file killed before its schema was written holds no event.
        Err(sqlx::Error::Database(err)) if err.message().contains("no such table") => Ok(0),
        Err(err) => Err(FaultError::Inspect(err)),
    }
}

/// This desk's own events, in the order it made them.
pub async fn own_events(path: &Path) -> Result<Vec<OwnEvent>, FaultError> {
    let pool = open(path).await?;
    let rows: Result<Vec<OwnRow>, _> = sqlx::query_as(
        "SELECT e.body, e.local_seq, o.state, e.server_seq, e.in_confirmed \
         FROM incident_event e JOIN outbox o ON o.event_id = e.id \
         WHERE e.local_seq IS NOT NULL ORDER BY e.local_seq",
    )
    .fetch_all(&pool)
    .await;
    let orphans: Result<i64, _> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM incident_event e WHERE e.local_seq IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)",
    )
    .fetch_one(&pool)
    .await;
    pool.close().await;
    if orphans.map_err(FaultError::Inspect)? != 0 {
        return Err(FaultError::Check(format!(
            "{}: own events without an outbox row",
            path.display()
        )));
    }
    rows.map_err(FaultError::Inspect)?
        .into_iter()
        .map(|(body, local_seq, state, server_seq, in_confirmed)| {
            let event: IncidentEvent =
                serde_json::from_str(&body).map_err(|e| FaultError::Check(e.to_string()))?;
            let state = match state.as_str() {
                "pending" => OutboxState::Pending,
                "acked" => OutboxState::Acked,
                "rejected" => OutboxState::Rejected,
                other => return Err(FaultError::Check(format!("unknown outbox state {other:?}"))),
            };
            Ok(OwnEvent {
                event,
                local_seq,
                state,
                server_seq,
                in_confirmed: in_confirmed != 0,
            })
        })
        .collect()
}

/// Every event id the desk's log holds, with how often (the table's key makes it once; checked anyway).
pub async fn event_ids(path: &Path) -> Result<Vec<(EventId, i64)>, FaultError> {
    let pool = open(path).await?;
    let rows: Result<Vec<(String, i64)>, _> =
        sqlx::query_as("SELECT id, COUNT(*) FROM incident_event GROUP BY id")
            .fetch_all(&pool)
            .await;
    pool.close().await;
    rows.map_err(FaultError::Inspect)?
        .into_iter()
        .map(|(id, count)| {
            uuid::Uuid::parse_str(&id)
                .map(|id| (EventId(id), count))
                .map_err(|e| FaultError::Check(e.to_string()))
        })
        .collect()
}
