//! Video validation calls (decision 0006): the desk rings the reporter of an incident it may see with its
//! SDP offer, or the reporter asks for a call from the 110 app and an operator joins it with the desk's offer;
//! the 110 app of the incident's Polda finds the ringing call, answers with its SDP answer or declines;
//! an incident has at most one call in progress; either side says when media flows and when it ends, as the domain's call rules allow
//! (`siaga_domain::video`). Each step is an entry of the Polda's audit trail. Session descriptions are checked
//! for form only and relayed as they are; no media passes through the central.

use crate::audit::{record_in, Audit};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody, QueryParams};
use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::Json;
use siaga_api::video::{
    VideoCallAnswer, VideoCallList, VideoCallRequest, VideoCallStateRequest, VideoCallView,
};
use siaga_domain::video::{check_sdp, CallParty, CallState};
use siaga_domain::Role;
use uuid::Uuid;

/// The longest reason kept with a state.
const MAX_REASON_CHARS: usize = 500;
/// Calls listed at most.
const LIST_LIMIT: i64 = 100;

pub(crate) type CallRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
);

pub(crate) const COLUMNS: &str =
    "id, incident_id, polda, state, offer, answer, reason, requested_by, created_ms, updated_ms";

pub(crate) fn view(row: CallRow) -> ApiResult<VideoCallView> {
    let (call_id, incident_id, polda, state, offer, answer, reason, requested_by, created_ms, updated_ms) =
        row;
    Ok(VideoCallView {
        state: CallState::parse(&state).ok_or_else(|| ApiError::internal(&"a stored call state"))?,
        call_id,
        incident_id,
        polda,
        offer,
        answer,
        reason,
        requested_by,
        created_ms,
        updated_ms,
    })
}

fn sdp_problem(problem: siaga_domain::video::SdpProblem) -> ApiError {
    ApiError::bad_request("bad_sdp", problem.to_string())
}

fn party(caller: &Caller) -> CallParty {
    if caller.role == Role::App {
        CallParty::Reporter
    } else {
        CallParty::Desk
    }
}

async fn load(state: &AppState, caller: &Caller, id: &str) -> ApiResult<VideoCallView> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::not_found("video call"))?;
    let row: Option<CallRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM video_call WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(&state.store.pool)
        .await?;
    let call = view(row.ok_or_else(|| ApiError::not_found("video call"))?)?;
    caller.check_scope(&call.polda, "video call")?;
    Ok(call)
}

/// The incident `incident_id` if `caller` may see it and it is open.
async fn open_incident(state: &AppState, caller: &Caller, incident_id: &str) -> ApiResult<(String, String)> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT polda, snapshot FROM incidents WHERE id = $1")
        .bind(incident_id)
        .fetch_optional(&state.store.pool)
        .await?;
    let (polda, snapshot) = row.ok_or_else(|| ApiError::not_found("incident"))?;
    caller.check_scope(&polda, "incident")?;
    let incident = crate::incidents::incident_of(&snapshot)?;
    if incident.status == siaga_domain::IncidentStatus::Closed {
        return Err(ApiError::conflict(
            "incident_closed",
            "a closed incident's reporter is not called to validate it",
        ));
    }
    Ok((polda, incident.id.to_string()))
}

/// Stores a new call in `state` for the incident (one call in progress per incident), audited as `action`.
async fn start_call(
    state: &AppState,
    caller: &Caller,
    incident_id: &str,
    offer: Option<String>,
    action: &str,
) -> ApiResult<(StatusCode, Json<VideoCallView>)> {
    let (polda, incident_id) = open_incident(state, caller, incident_id).await?;
    let now = crate::store::now_ms();
    let call = VideoCallView {
        call_id: Uuid::now_v7().to_string(),
        incident_id,
        polda: polda.clone(),
        state: if offer.is_some() {
            CallState::Ringing
        } else {
            CallState::Requested
        },
        offer,
        answer: None,
        reason: None,
        requested_by: caller.name.clone(),
        created_ms: now,
        updated_ms: now,
    };
    let guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let open: Vec<(String, String)> =
        sqlx::query_as("SELECT id, state FROM video_call WHERE incident_id = $1")
            .bind(&call.incident_id)
            .fetch_all(&mut *tx)
            .await?;
    if let Some((id, _)) = open
        .iter()
        .find(|(_, s)| CallState::parse(s).is_some_and(|s| !s.is_final()))
    {
        return Err(ApiError::conflict(
            "call_open",
            format!("this incident has a video call in progress ({id})"),
        ));
    }
    sqlx::query(&format!(
        "INSERT INTO video_call ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7, $8)"
    ))
    .bind(&call.call_id)
    .bind(&call.incident_id)
    .bind(&call.polda)
    .bind(call.state.code())
    .bind(&call.offer)
    .bind(&call.requested_by)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = format!("call {}", call.call_id);
    record_in(
        &mut tx,
        &Audit::by(caller, Some(&polda), action, &call.incident_id, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    drop(guard);
    tracing::info!(call = %call.call_id, incident = %call.incident_id, state = call.state.code(), actor = %caller.name, "video call started");
    record_in_log(state, caller, &call, None).await;
    Ok((StatusCode::CREATED, Json(call)))
}

/// `POST /v1/incidents/{incident_id}/video-calls`: rings the reporter of an open incident the caller may see.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(incident_id): Path<String>,
    JsonBody(body): JsonBody<VideoCallRequest>,
) -> ApiResult<(StatusCode, Json<VideoCallView>)> {
    check_sdp(&body.offer).map_err(sdp_problem)?;
    start_call(
        &state,
        &caller,
        &incident_id,
        Some(body.offer),
        "video_call_requested",
    )
    .await
}

/// `POST /v1/incidents/{incident_id}/video-call-requests`: the 110 app asks, for its reporter, that an operator
/// validate the report in a video call; the call waits (`requested`) until an operator joins it.
pub async fn ask(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(incident_id): Path<String>,
) -> ApiResult<(StatusCode, Json<VideoCallView>)> {
    start_call(&state, &caller, &incident_id, None, "video_call_asked").await
}

/// `POST /v1/video-calls/{call_id}/offer`: an operator joins a call the reporter asked for; it rings.
pub async fn join(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(call_id): Path<String>,
    JsonBody(body): JsonBody<VideoCallRequest>,
) -> ApiResult<Json<VideoCallView>> {
    let call = load(&state, &caller, &call_id).await?;
    check_sdp(&body.offer).map_err(sdp_problem)?;
    let moved = store_move(
        &state,
        &caller,
        &call,
        CallState::join,
        Update {
            offer: Some(&body.offer),
            ..Update::default()
        },
    )
    .await?;
    Ok(Json(moved))
}

/// The filters of `GET /v1/video-calls`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    /// Only calls in this state (the app asks for `ringing`).
    pub state: Option<String>,
    /// Only the calls of this incident.
    pub incident: Option<String>,
}

/// `GET /v1/video-calls`: the calls of the caller's Polda (national accounts: every Polda), newest first.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<ListQuery>,
) -> ApiResult<Json<VideoCallList>> {
    let mut sql = format!("SELECT {COLUMNS} FROM video_call WHERE 1 = 1");
    let mut binds = Vec::new();
    if let Some(polda) = &caller.polda {
        binds.push(polda.clone());
        sql.push_str(&format!(" AND polda = ${}", binds.len()));
    }
    if let Some(asked) = &query.state {
        let asked = CallState::parse(asked)
            .ok_or_else(|| ApiError::bad_request("bad_state", format!("unknown call state {asked:?}")))?;
        binds.push(asked.code().to_owned());
        sql.push_str(&format!(" AND state = ${}", binds.len()));
    }
    if let Some(incident) = &query.incident {
        let incident = Uuid::parse_str(incident)
            .map_err(|_| ApiError::bad_request("bad_incident", "incident is an incident's id"))?;
        binds.push(incident.to_string());
        sql.push_str(&format!(" AND incident_id = ${}", binds.len()));
    }
    sql.push_str(&format!(" ORDER BY created_ms DESC, id LIMIT {LIST_LIMIT}"));
    let mut q = sqlx::query_as::<_, CallRow>(&sql);
    for value in &binds {
        q = q.bind(value);
    }
    let calls = q
        .fetch_all(&state.store.pool)
        .await?
        .into_iter()
        .map(view)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(VideoCallList { calls }))
}

/// `GET /v1/video-calls/{call_id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(call_id): Path<String>,
) -> ApiResult<Json<VideoCallView>> {
    Ok(Json(load(&state, &caller, &call_id).await?))
}

/// Records where `call` now stands in its incident's log (`VideoCallMoved`), as `caller` — the operator, or the
/// 110 app acting as the system — so that every desk's timeline shows the call. "Answered" is not recorded (the
/// call is connected or failed a moment later). A refusal (the incident closed meanwhile, say) is logged and never
/// fails the call's move.
async fn record_in_log(state: &AppState, caller: &Caller, call: &VideoCallView, reason: Option<&str>) {
    if call.state == CallState::Answered {
        return;
    }
    let (Ok(incident), Ok(call_id), Some(role)) = (
        Uuid::parse_str(&call.incident_id),
        Uuid::parse_str(&call.call_id),
        caller.role.flow_role(),
    ) else {
        return;
    };
    let event = siaga_domain::IncidentEvent {
        id: siaga_domain::EventId(Uuid::now_v7()),
        incident_id: siaga_domain::IncidentId(incident),
        at: time::OffsetDateTime::now_utc(),
        actor: siaga_domain::Actor::new(caller.name.clone(), role),
        change: siaga_domain::IncidentChange::VideoCallMoved {
            call: call_id,
            state: call.state,
            reason: reason
                .unwrap_or_default()
                .chars()
                .take(MAX_REASON_CHARS)
                .collect(),
        },
    };
    if let Err(refused) = crate::incidents::append_event(state, caller, event).await {
        tracing::warn!(call = %call.call_id, state = call.state.code(), error = ?refused, "the call's move was not recorded in the incident's log");
    }
}

/// What a move stores beside the new state.
#[derive(Debug, Default, Clone, Copy)]
struct Update<'a> {
    offer: Option<&'a str>,
    answer: Option<&'a str>,
    reason: Option<&'a str>,
}

/// Moves a call to `next` (storing what `update` holds), checked against where it stands inside the write.
async fn store_move(
    state: &AppState,
    caller: &Caller,
    call: &VideoCallView,
    next: impl Fn(CallState) -> Result<CallState, siaga_domain::video::CallTransitionError>,
    update: Update<'_>,
) -> ApiResult<VideoCallView> {
    let Update {
        offer,
        answer,
        reason,
    } = update;
    let now = crate::store::now_ms();
    let guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let (stored,): (String,) = sqlx::query_as("SELECT state FROM video_call WHERE id = $1")
        .bind(&call.call_id)
        .fetch_one(&mut *tx)
        .await?;
    let from = CallState::parse(&stored).ok_or_else(|| ApiError::internal(&"a stored call state"))?;
    let to = next(from).map_err(|err| ApiError::conflict("call_state", err.to_string()))?;
    sqlx::query(
        "UPDATE video_call SET state = $1, answer = COALESCE($2, answer), reason = COALESCE($3, reason), \
         offer = COALESCE($4, offer), updated_ms = $5 WHERE id = $6",
    )
    .bind(to.code())
    .bind(answer)
    .bind(reason)
    .bind(offer)
    .bind(now)
    .bind(&call.call_id)
    .execute(&mut *tx)
    .await?;
    let detail = format!("call {}: {}", call.call_id, to.code());
    record_in(
        &mut tx,
        &Audit::by(
            caller,
            Some(&call.polda),
            "video_call",
            &call.incident_id,
            &detail,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    drop(guard);
    tracing::info!(call = %call.call_id, state = to.code(), actor = %caller.name, "video call moved");
    let mut moved = call.clone();
    moved.state = to;
    moved.updated_ms = now;
    if let Some(answer) = answer {
        moved.answer = Some(answer.to_owned());
    }
    if let Some(offer) = offer {
        moved.offer = Some(offer.to_owned());
    }
    if let Some(reason) = reason {
        moved.reason = Some(reason.to_owned());
    }
    record_in_log(state, caller, &moved, reason).await;
    Ok(moved)
}

/// `POST /v1/video-calls/{call_id}/answer`: the 110 app answers a ringing call with the reporter's SDP answer.
pub async fn answer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(call_id): Path<String>,
    JsonBody(body): JsonBody<VideoCallAnswer>,
) -> ApiResult<Json<VideoCallView>> {
    let call = load(&state, &caller, &call_id).await?;
    Ok(Json(answer_call(&state, &caller, &call, &body.answer).await?))
}

/// The reporter's side (`caller`) answers `call` with its SDP answer.
pub(crate) async fn answer_call(
    state: &AppState,
    caller: &Caller,
    call: &VideoCallView,
    answer: &str,
) -> ApiResult<VideoCallView> {
    check_sdp(answer).map_err(sdp_problem)?;
    store_move(
        state,
        caller,
        call,
        CallState::answer,
        Update {
            answer: Some(answer),
            ..Update::default()
        },
    )
    .await
}

/// `POST /v1/video-calls/{call_id}/state`: either side moves the call (connected, ended, failed; the desk
/// gives up on a reporter who does not answer; the app declines).
pub async fn set_state(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(call_id): Path<String>,
    JsonBody(body): JsonBody<VideoCallStateRequest>,
) -> ApiResult<Json<VideoCallView>> {
    let call = load(&state, &caller, &call_id).await?;
    Ok(Json(move_call(&state, &caller, &call, &body).await?))
}

/// `caller`'s side moves `call` as `body` says, as the call's rules allow that side.
pub(crate) async fn move_call(
    state: &AppState,
    caller: &Caller,
    call: &VideoCallView,
    body: &VideoCallStateRequest,
) -> ApiResult<VideoCallView> {
    let reason = body.reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(
            "invalid_reason",
            format!("a reason is at most {MAX_REASON_CHARS} characters, on one line"),
        ));
    }
    let side = party(caller);
    let to = body.state;
    store_move(
        state,
        caller,
        call,
        |from| from.moved_to(to, side),
        Update {
            reason: Some(reason).filter(|r| !r.is_empty()),
            ..Update::default()
        },
    )
    .await
}
