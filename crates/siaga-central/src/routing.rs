//! The routing table of legacy emergency numbers forwarded to 110 (admins edit it) and the call log:
//! every call records the number dialed.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::kiosks::check_polda;
use crate::metrics::Metrics;
use crate::store::now_ms;
use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::Json;
use siaga_api::{CallRecord, CallRecordRequest, RoutingEntry};

/// The number everything ends up at.
pub const EMERGENCY_NUMBER: &str = "110";

fn check_number(number: &str) -> Result<(), ApiError> {
    if (2..=8).contains(&number.len()) && number.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            "invalid_number",
            "a number is 2–8 digits",
        ))
    }
}

/// `GET /v1/routing`.
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<RoutingEntry>>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT number, description, forward_to_110 FROM routing ORDER BY number")
            .fetch_all(&state.store.pool)
            .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(number, description, forward)| RoutingEntry {
                number,
                description,
                forward_to_110: forward != 0,
            })
            .collect(),
    ))
}

/// `PUT /v1/routing/{number}`.
pub async fn upsert(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<RoutingEntry>,
) -> ApiResult<Json<RoutingEntry>> {
    check_number(&number)?;
    if body.number != number {
        return Err(ApiError::unprocessable(
            "number_mismatch",
            "the body's number differs from the path's",
        ));
    }
    if number == EMERGENCY_NUMBER {
        return Err(ApiError::unprocessable(
            "invalid_number",
            "110 itself is not a legacy number",
        ));
    }
    if caller.polda.is_some() {
        return Err(ApiError::forbidden(
            "the routing table is national: only a national admin edits it",
        ));
    }
    let _guard = state.store.write_guard().await;
    sqlx::query(
        "INSERT INTO routing (number, description, forward_to_110, updated_ms, updated_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (number) DO UPDATE SET description = excluded.description, forward_to_110 = excluded.forward_to_110, \
         updated_ms = excluded.updated_ms, updated_by = excluded.updated_by",
    )
    .bind(&number)
    .bind(&body.description)
    .bind(i64::from(body.forward_to_110))
    .bind(now_ms())
    .bind(&caller.name)
    .execute(&state.store.pool)
    .await?;
    Ok(Json(body))
}

/// `DELETE /v1/routing/{number}`.
pub async fn remove(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
) -> ApiResult<StatusCode> {
    if caller.polda.is_some() {
        return Err(ApiError::forbidden(
            "the routing table is national: only a national admin edits it",
        ));
    }
    let _guard = state.store.write_guard().await;
    let deleted = sqlx::query("DELETE FROM routing WHERE number = $1")
        .bind(&number)
        .execute(&state.store.pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::not_found("routing entry"));
    }
    Ok(StatusCode::NO_CONTENT)
}

type CallRow = (String, String, i64, String, i64);

fn call_of((call_id, dialed, via, polda, recorded_ms): CallRow) -> CallRecord {
    CallRecord {
        call_id,
        dialed,
        via_legacy_number: via != 0,
        polda,
        recorded_ms,
    }
}

/// `POST /v1/calls`: records a call and the number dialed. A number that is neither 110 nor forwarded
/// to it is refused (the switch should not have routed it here). Idempotent by call id.
pub async fn record_call(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<CallRecordRequest>,
) -> ApiResult<(StatusCode, Json<CallRecord>)> {
    uuid::Uuid::parse_str(&body.call_id)
        .map_err(|_| ApiError::unprocessable("invalid_call_id", "callId is a UUID"))?;
    check_polda(&body.polda)?;
    check_number(&body.dialed)?;
    if !caller.sees(&body.polda) {
        return Err(ApiError::forbidden("a desk records calls of its own Polda only"));
    }
    let via_legacy = if body.dialed == EMERGENCY_NUMBER {
        false
    } else {
        let forward: Option<(i64,)> = sqlx::query_as("SELECT forward_to_110 FROM routing WHERE number = $1")
            .bind(&body.dialed)
            .fetch_optional(&state.store.pool)
            .await?;
        match forward {
            Some((1,)) => true,
            _ => {
                return Err(ApiError::unprocessable(
                    "number_not_routed",
                    format!("{} is not forwarded to 110 in the routing table", body.dialed),
                ))
            }
        }
    };
    let inserted = {
        let _guard = state.store.write_guard().await;
        sqlx::query(
            "INSERT INTO calls (id, dialed, via_legacy, polda, incident_id, recorded_ms, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&body.call_id)
        .bind(&body.dialed)
        .bind(i64::from(via_legacy))
        .bind(&body.polda)
        .bind(body.incident_id.clone())
        .bind(now_ms())
        .bind(&caller.name)
        .execute(&state.store.pool)
        .await?
        .rows_affected()
            == 1
    };
    if inserted {
        Metrics::inc(&state.metrics.calls_recorded);
        if via_legacy {
            Metrics::inc(&state.metrics.calls_via_legacy);
        }
    }
    let row: CallRow =
        sqlx::query_as("SELECT id, dialed, via_legacy, polda, recorded_ms FROM calls WHERE id = $1")
            .bind(&body.call_id)
            .fetch_one(&state.store.pool)
            .await?;
    if !caller.sees(&row.3) {
        return Err(ApiError::conflict(
            "call_exists",
            "a call with this id exists elsewhere",
        ));
    }
    let status = if inserted {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(call_of(row))))
}

/// `GET /v1/calls`: the latest calls in scope.
pub async fn list_calls(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<CallRecord>>> {
    let limit = state.limits.max_page;
    let rows: Vec<CallRow> = match &caller.polda {
        Some(polda) => sqlx::query_as(
            "SELECT id, dialed, via_legacy, polda, recorded_ms FROM calls WHERE polda = $1 ORDER BY recorded_ms DESC LIMIT $2",
        )
        .bind(polda)
        .bind(limit)
        .fetch_all(&state.store.pool)
        .await?,
        None => sqlx::query_as("SELECT id, dialed, via_legacy, polda, recorded_ms FROM calls ORDER BY recorded_ms DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&state.store.pool)
            .await?,
    };
    Ok(Json(rows.into_iter().map(call_of).collect()))
}
