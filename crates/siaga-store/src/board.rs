//! The supervisor board's queries: each open stage with its count and oldest incident, each operator's
//! open incidents (an open incident belongs to whoever acted on it last), the share of calls closed or
//! classified as prank or empty per hour, and the numbers that called most. Advisory figures: nothing
//! here blocks a number or moves an incident.

use crate::{Store, StoreError};
use siaga_domain::queue::STAGES;
use siaga_domain::IncidentStatus;

/// An open stage of the flow on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageLoad {
    pub status: IncidentStatus,
    /// Incidents in the stage.
    pub count: u64,
    /// The one waiting longest in it: its id, since when it waits (ms since the epoch) and its priority rank.
    pub oldest: Option<(String, i64, i64)>,
}

/// The open incidents one operator acted on last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorLoad {
    /// The operator's account (`None`: incidents the desk knows only from a snapshot, not yet acted on here).
    pub operator: Option<String>,
    /// The role code they acted in.
    pub role: Option<String>,
    pub open: u64,
}

/// One hour of calls: how many, and how many were prank or empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourOfCalls {
    /// The hour's start (ms since the epoch, on a whole UTC hour).
    pub hour_ms: i64,
    pub calls: u64,
    pub prank_or_empty: u64,
}

/// A number that called often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrequentCaller {
    pub number: String,
    pub calls: u64,
    pub prank_or_empty: u64,
    /// Its latest call (ms since the epoch).
    pub last_ms: i64,
}

const HOUR_MS: i64 = 3_600_000;

/// The SQL test for an incident that was a prank or empty call (closed or classified so).
const PRANK_OR_EMPTY: &str = "(json_extract(view, '$.closure.reason.kind') IN ('prank', 'empty') \
     OR category IN ('prank_call', 'empty_call'))";

/// Phone calls: to 110 or a legacy number forwarded to it.
const A_CALL: &str = "json_extract(view, '$.channel.kind') IN ('call110', 'legacy_number')";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// Every open stage in the flow's order with its count and oldest incident (stages with none too).
    pub async fn stage_loads(&self) -> Result<Vec<StageLoad>, StoreError> {
        let mut loads = Vec::with_capacity(STAGES.len());
        for status in STAGES {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incident WHERE status = ?")
                .bind(status.code())
                .fetch_one(&self.reader)
                .await?;
            let oldest: Option<(String, i64, i64)> = sqlx::query_as(
                "SELECT id, updated_ms, priority_rank FROM incident WHERE status = ? ORDER BY updated_ms, id LIMIT 1",
            )
            .bind(status.code())
            .fetch_optional(&self.reader)
            .await?;
            loads.push(StageLoad {
                status,
                count: self::count(count),
                oldest,
            });
        }
        Ok(loads)
    }

    /// The open incidents by the operator who acted on each last (the central's order of its events,
    /// then this desk's own not yet sequenced), most loaded first.
    pub async fn operator_loads(&self) -> Result<Vec<OperatorLoad>, StoreError> {
        let rows: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
            "WITH open AS (SELECT id FROM incident WHERE status <> 'closed'), \
             last AS ( \
                 SELECT e.incident_id, e.body, ROW_NUMBER() OVER ( \
                     PARTITION BY e.incident_id \
                     ORDER BY e.server_seq IS NULL DESC, COALESCE(e.server_seq, 0) DESC, e.local_seq DESC) AS n \
                 FROM incident_event e JOIN open o ON o.id = e.incident_id) \
             SELECT json_extract(l.body, '$.actor.id'), json_extract(l.body, '$.actor.role'), COUNT(*) \
             FROM open o LEFT JOIN last l ON l.incident_id = o.id AND l.n = 1 \
             GROUP BY 1, 2 ORDER BY 3 DESC, 1",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(operator, role, open)| OperatorLoad {
                operator,
                role,
                open: count(open),
            })
            .collect())
    }

    /// The calls received in `[since_ms, until_ms)` by hour, with how many were prank or empty; hours
    /// without a call are left out.
    pub async fn calls_by_hour(&self, since_ms: i64, until_ms: i64) -> Result<Vec<HourOfCalls>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT received_ms / {HOUR_MS}, COUNT(*), SUM(CASE WHEN {PRANK_OR_EMPTY} THEN 1 ELSE 0 END) \
             FROM incident WHERE received_ms >= ? AND received_ms < ? AND {A_CALL} \
             GROUP BY 1 ORDER BY 1"
        ))
        .bind(since_ms)
        .bind(until_ms)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(hour, calls, prank)| HourOfCalls {
                hour_ms: hour * HOUR_MS,
                calls: count(calls),
                prank_or_empty: count(prank),
            })
            .collect())
    }

    /// The `limit` numbers that called most since `since_ms` (ties: the latest caller first).
    pub async fn frequent_callers(
        &self,
        since_ms: i64,
        limit: u32,
    ) -> Result<Vec<FrequentCaller>, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT json_extract(view, '$.callerNumber'), COUNT(*), \
                    SUM(CASE WHEN {PRANK_OR_EMPTY} THEN 1 ELSE 0 END), MAX(received_ms) \
             FROM incident \
             WHERE json_extract(view, '$.callerNumber') IS NOT NULL AND received_ms >= ? \
             GROUP BY 1 ORDER BY 2 DESC, 4 DESC LIMIT ?"
        ))
        .bind(since_ms)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(number, calls, prank, last_ms)| FrequentCaller {
                number,
                calls: count(calls),
                prank_or_empty: count(prank),
                last_ms,
            })
            .collect())
    }
}
