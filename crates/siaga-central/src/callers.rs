//! `POST /v1/callers/history`: a caller number's earlier calls in the caller's scope, for prank and
//! empty-call triage while a call is live (decision 0016). The number travels in the body, never in a URL
//! (URLs end up in logs); the answer masks it for callers who may not see personal data. Advisory only:
//! the central blocks no number.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::AppState;
use axum::extract::{Extension, State};
use axum::Json;
use siaga_api::{CallerCall, CallerHistory, CallerHistoryRequest};
use siaga_domain::incident::PhoneNumber;
use siaga_domain::personal::mask_phone;
use siaga_domain::Incident;

/// `POST /v1/callers/history`.
pub async fn history(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<CallerHistoryRequest>,
) -> ApiResult<Json<CallerHistory>> {
    let number = PhoneNumber::parse(&body.number)
        .map_err(|_| ApiError::unprocessable("invalid_number", "the number is not a phone number"))?;
    let limit = i64::from(CallerHistory::MAX_COUNTED);
    let rows: Vec<(String,)> =
        match &caller.polda {
            Some(polda) => {
                sqlx::query_as(
                    "SELECT snapshot FROM incidents WHERE caller_number = $1 AND polda = $2 \
             ORDER BY created_ms DESC LIMIT $3",
                )
                .bind(number.as_str())
                .bind(polda)
                .bind(limit)
                .fetch_all(&state.store.pool)
                .await?
            }
            None => sqlx::query_as(
                "SELECT snapshot FROM incidents WHERE caller_number = $1 ORDER BY created_ms DESC LIMIT $2",
            )
            .bind(number.as_str())
            .bind(limit)
            .fetch_all(&state.store.pool)
            .await?,
        };
    let calls: Vec<Incident> = rows
        .iter()
        .filter_map(|(snapshot,)| serde_json::from_str(snapshot).ok())
        .collect();
    let received_ms = |incident: &Incident| (incident.received_at.unix_timestamp_nanos() / 1_000_000) as i64;
    let shown = if caller.role.sees_personal_data() {
        number.as_str().to_owned()
    } else {
        mask_phone(number.as_str())
    };
    Ok(Json(CallerHistory {
        number: shown,
        calls: u32::try_from(calls.len()).unwrap_or(u32::MAX),
        prank_or_empty: u32::try_from(calls.iter().filter(|i| i.is_prank_or_empty()).count())
            .unwrap_or(u32::MAX),
        last_ms: calls.first().map(received_ms),
        recent: calls
            .iter()
            .take(CallerHistory::MAX_RECENT)
            .filter_map(|incident| {
                Some(CallerCall {
                    incident_id: incident.id,
                    polda: incident.polda?,
                    received_ms: received_ms(incident),
                    status: incident.status,
                    prank_or_empty: incident.is_prank_or_empty(),
                })
            })
            .collect(),
    }))
}
