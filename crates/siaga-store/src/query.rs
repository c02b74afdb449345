//! Reads the desk's screens make, served from the store so they work with no link to the central.

use crate::remote::{parse_incident_id, Rejection};
use crate::{unix_ms, Store, StoreError};
use siaga_domain::{Category, EventId, Incident, IncidentEvent, IncidentId, IncidentStatus, PoldaId};
use sqlx::{QueryBuilder, Sqlite};
use time::OffsetDateTime;
use uuid::Uuid;

/// A map box in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

/// Which incidents to list. Empty lists mean "any".
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFilter {
    pub statuses: Vec<IncidentStatus>,
    pub categories: Vec<Category>,
    pub polda: Option<PoldaId>,
    /// Only the incidents of this Polres: assigned to it, or not yet assigned and placed in its regency.
    pub polres: Option<siaga_domain::PolresId>,
    pub bbox: Option<BoundingBox>,
    pub updated_since: Option<OffsetDateTime>,
    pub updated_until: Option<OffsetDateTime>,
    /// At most this many, most urgent first, then most recently changed first — or, for a queue,
    /// longest waiting first.
    pub limit: u32,
    /// Order as a queue: within a priority, the incident waiting longest since its last change first.
    pub oldest_first: bool,
}

impl Default for IncidentFilter {
    fn default() -> Self {
        IncidentFilter {
            statuses: Vec::new(),
            categories: Vec::new(),
            polda: None,
            polres: None,
            bbox: None,
            updated_since: None,
            updated_until: None,
            limit: 500,
            oldest_first: false,
        }
    }
}

/// Where one of an incident's events stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStanding {
    /// The central has it (it came from the central, or the central acknowledged this desk's).
    Confirmed,
    /// Made on this desk, still waiting in the outbox.
    Pending,
    /// The central refused it.
    Refused,
}

/// The sync state the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// This desk's actions not yet acknowledged by the central.
    pub pending: i64,
    /// Refusals an operator has not seen yet.
    pub unseen_rejections: i64,
    /// Incidents in the store.
    pub incidents: i64,
}

/// Adds ` AND <column> IN (…)` with `codes` bound, or nothing when there are none ("any").
pub(crate) fn push_in<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    column: &str,
    codes: impl ExactSizeIterator<Item = &'static str>,
) {
    if codes.len() == 0 {
        return;
    }
    sql.push(format!(" AND {column} IN ("));
    let mut list = sql.separated(", ");
    for code in codes {
        list.push_bind(code);
    }
    sql.push(")");
}

impl Store {
    /// Incidents matching `filter`, as the desk shows them.
    pub async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, StoreError> {
        let mut sql = QueryBuilder::<Sqlite>::new("SELECT view FROM incident WHERE 1 = 1");
        push_in(&mut sql, "status", filter.statuses.iter().map(|s| s.code()));
        push_in(&mut sql, "category", filter.categories.iter().map(|c| c.code()));
        if let Some(polda) = filter.polda {
            sql.push(" AND polda = ").push_bind(polda.code());
        }
        if let Some(polres) = filter.polres {
            let code = polres.0.to_string();
            sql.push(" AND (json_extract(view, '$.polres') = ")
                .push_bind(code.clone())
                .push(" OR (json_extract(view, '$.polres') IS NULL AND json_extract(view, '$.location.regency') = ")
                .push_bind(code)
                .push("))");
        }
        if let Some(b) = filter.bbox {
            sql.push(" AND lat BETWEEN ")
                .push_bind(b.south)
                .push(" AND ")
                .push_bind(b.north);
            sql.push(" AND lon BETWEEN ")
                .push_bind(b.west)
                .push(" AND ")
                .push_bind(b.east);
        }
        if let Some(since) = filter.updated_since {
            sql.push(" AND updated_ms >= ").push_bind(unix_ms(since));
        }
        if let Some(until) = filter.updated_until {
            sql.push(" AND updated_ms < ").push_bind(unix_ms(until));
        }
        let order = if filter.oldest_first { "ASC" } else { "DESC" };
        sql.push(format!(" ORDER BY priority_rank, updated_ms {order} LIMIT "))
            .push_bind(i64::from(filter.limit));
        let rows: Vec<String> = sql.build_query_scalar().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|json| serde_json::from_str(json).map_err(StoreError::from))
            .collect()
    }

    /// How many incidents each status holds.
    pub async fn status_counts(&self) -> Result<Vec<(IncidentStatus, u64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM incident GROUP BY status")
                .fetch_all(&self.reader)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(code, count)| Some((IncidentStatus::from_code(&code)?, u64::try_from(count).ok()?)))
            .collect())
    }

    /// One incident as the desk shows it.
    pub async fn incident(&self, id: IncidentId) -> Result<Option<Incident>, StoreError> {
        let row: Option<String> = sqlx::query_scalar("SELECT view FROM incident WHERE id = ?")
            .bind(id.0.to_string())
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    /// The incident as the central last confirmed it (None if it never has).
    pub async fn confirmed_incident(&self, id: IncidentId) -> Result<Option<Incident>, StoreError> {
        let row: Option<Option<String>> = sqlx::query_scalar("SELECT confirmed FROM incident WHERE id = ?")
            .bind(id.0.to_string())
            .fetch_optional(&self.reader)
            .await?;
        Ok(row
            .flatten()
            .map(|json| serde_json::from_str(&json))
            .transpose()?)
    }

    /// Every event the desk holds for an incident: the central's order first, then this desk's unsequenced
    /// ones in the order they were made.
    pub async fn events_of(&self, id: IncidentId) -> Result<Vec<IncidentEvent>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM incident_event WHERE incident_id = ? \
             ORDER BY server_seq IS NULL, server_seq, local_seq",
        )
        .bind(id.0.to_string())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|json| serde_json::from_str(json).map_err(StoreError::from))
            .collect()
    }

    /// An incident's timeline: every event the desk holds for it in [`Store::events_of`]'s order, each
    /// with where it stands (confirmed by the central, waiting in the outbox, or refused).
    pub async fn timeline_of(
        &self,
        id: IncidentId,
    ) -> Result<Vec<(IncidentEvent, EventStanding)>, StoreError> {
        let rows: Vec<(String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT e.body, e.server_seq, o.state FROM incident_event e LEFT JOIN outbox o ON o.event_id = e.id \
             WHERE e.incident_id = ? ORDER BY e.server_seq IS NULL, e.server_seq, e.local_seq",
        )
        .bind(id.0.to_string())
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(json, server_seq, outbox)| {
                let standing = match (server_seq, outbox.as_deref()) {
                    (_, Some("rejected")) => EventStanding::Refused,
                    (Some(_), _) | (None, Some("acked")) => EventStanding::Confirmed,
                    _ => EventStanding::Pending,
                };
                Ok((serde_json::from_str(&json)?, standing))
            })
            .collect()
    }

    /// The central's refusals, newest first; only those not yet seen when `unseen_only`.
    pub async fn rejections(&self, unseen_only: bool) -> Result<Vec<Rejection>, StoreError> {
        let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT event_id, incident_id, code, reason_id, reason_en, at_ms FROM rejection \
             WHERE seen = 0 OR ? = 0 ORDER BY at_ms DESC",
        )
        .bind(unseen_only)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(event, incident, code, reason_id, reason_en, at_ms)| {
                Ok(Rejection {
                    event_id: EventId(
                        Uuid::parse_str(&event).map_err(|e| {
                            StoreError::Corrupt(serde_json::Error::io(std::io::Error::other(e)))
                        })?,
                    ),
                    incident_id: parse_incident_id(&incident)?,
                    code,
                    reason_id,
                    reason_en,
                    at_ms,
                })
            })
            .collect()
    }

    /// Marks refusals as seen by an operator.
    pub async fn mark_rejection_seen(&self, event: EventId) -> Result<(), StoreError> {
        sqlx::query("UPDATE rejection SET seen = 1 WHERE event_id = ?")
            .bind(event.0.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// This desk's actions not yet acknowledged, and refusals not yet seen: the two counts of
    /// [`Store::summary`] that stay cheap however many incidents the store holds (the sync engine reads
    /// them after every round).
    pub async fn outbox_counts(&self) -> Result<(i64, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending'), \
                    (SELECT COUNT(*) FROM rejection WHERE seen = 0)",
        )
        .fetch_one(&self.reader)
        .await?)
    }

    /// Counts for the status bar.
    pub async fn summary(&self) -> Result<SyncSummary, StoreError> {
        let (pending, unseen_rejections, incidents): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending'), \
                    (SELECT COUNT(*) FROM rejection WHERE seen = 0), \
                    (SELECT COUNT(*) FROM incident)",
        )
        .fetch_one(&self.reader)
        .await?;
        Ok(SyncSummary {
            pending,
            unseen_rejections,
            incidents,
        })
    }
}

/// What the desk knows of a caller number's earlier calls (advisory: no number is ever blocked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallerHistory {
    /// Earlier incidents from this number.
    pub calls: u32,
    /// Of them, closed as prank or empty, or classified so.
    pub prank_or_empty: u32,
    /// When the most recent one was received (ms since the epoch).
    pub last_ms: Option<i64>,
}

impl Store {
    /// The history of `number` on this desk (every Polda the desk follows), leaving out incident `except`.
    pub async fn caller_history(&self, number: &str, except: &str) -> Result<CallerHistory, StoreError> {
        let (calls, prank, last): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), \
                    SUM(CASE WHEN json_extract(view, '$.closure.reason.kind') IN ('prank', 'empty') \
                              OR category IN ('prank_call', 'empty_call') THEN 1 ELSE 0 END), \
                    MAX(received_ms) \
             FROM incident WHERE json_extract(view, '$.callerNumber') = ? AND id <> ?",
        )
        .bind(number)
        .bind(except)
        .fetch_one(&self.reader)
        .await?;
        Ok(CallerHistory {
            calls: u32::try_from(calls).unwrap_or(u32::MAX),
            prank_or_empty: u32::try_from(prank.unwrap_or(0)).unwrap_or(u32::MAX),
            last_ms: last,
        })
    }
}
