//! The 110 web page for citizens (`GET /warga/lapor`): report to 110 from a browser, then stay on the page and
//! answer the operator's video validation call (decision 0006 addendum) — the browser's own WebRTC (libwebrtc on
//! phones and desktops) against the desk's str0m peer.
//!
//! As on the services page (`services::web`), a citizen has no account: the page chooses a **receipt** (128 random
//! bits) and the report's id before the first send, so a retry is the same report; the central keeps the
//! receipt's SHA-256 beside the incident (`web_report`, migration pair 0012). The incident id and the receipt
//! together, in POST bodies only, find the incident's current video call, answer it with the browser's SDP answer
//! and move it (connected, ended, failed, declined) as the reporter's side of `siaga_domain::video` allows; a
//! wrong receipt is `404`, like an unknown incident. The report enters the operator flow like a 110 app report
//! (channel `app110`, actor `warga:web`, acting as the system), and every call step is audited as the app's are.
//! Each client address is held to the services page's rate.

use crate::error::{ApiError, ApiResult, JsonBody};
use crate::services::web::{admit, page_headers, receipt_ok, receipt_ref, web_caller};
use crate::video::{answer_call, move_call, view, CallRow, COLUMNS};
use crate::AppState;
use axum::extract::{ConnectInfo, Extension, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use siaga_api::video::{VideoCallStateRequest, VideoCallView};
use siaga_domain::incident::{Actor, EventId, Reporter};
use siaga_domain::{Channel, GeoPoint, IncidentChange, IncidentEvent, IncidentId, Location, Nik};
use std::net::SocketAddr;

const PAGE: &str = include_str!("../assets/warga/lapor.html");
const SCRIPT: &str = include_str!("../assets/warga/lapor.js");

/// The longest description a web report may have.
const MAX_DESCRIPTION_CHARS: usize = 2000;

/// `POST /v1/public/reports`: a citizen's report from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebReport {
    /// The report's id, chosen by the page (the incident's id): a retry is the same report.
    pub report_id: uuid::Uuid,
    /// 32 lowercase hex digits the page chose and keeps.
    pub receipt: String,
    /// What happened.
    pub description: String,
    /// The reporter's name, if given.
    #[serde(default)]
    pub name: String,
    /// The reporter's NIK, if given (checked; the operator sees it masked beside the video).
    #[serde(default)]
    pub nik: String,
    /// The Polda the citizen is in (its code, e.g. `metro_jaya`): the page offers the list.
    pub polda: String,
    /// Where (the browser's position, or typed).
    pub lat: f64,
    /// Where.
    pub lon: f64,
}

/// `POST /v1/public/video-call`: what the page asks about its incident's call, and what it does to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebCallRequest {
    /// The incident the page reported.
    pub incident_id: String,
    /// Its receipt.
    pub receipt: String,
    /// The call acted on (with `answer` or `state`).
    #[serde(default)]
    pub call_id: Option<String>,
    /// The browser's SDP answer to the ringing call.
    #[serde(default)]
    pub answer: Option<String>,
    /// A move of the call by the reporter's side.
    #[serde(default)]
    pub state: Option<VideoCallStateRequest>,
}

/// The answer of `POST /v1/public/video-call`: the incident's latest call, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebCallView {
    /// The call; `None` while no operator has rung.
    pub call: Option<VideoCallView>,
}

fn bad(code: &'static str, message: &str) -> ApiError {
    ApiError::unprocessable(code, message.to_owned())
}

/// `POST /v1/public/reports`.
pub async fn report(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<WebReport>,
) -> Response {
    if let Err(refusal) = admit(&state, peer, true) {
        return *refusal;
    }
    report_admitted(&state, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn report_admitted(state: &AppState, body: WebReport) -> ApiResult<Response> {
    if !receipt_ok(&body.receipt) {
        return Err(bad(
            "invalid_receipt",
            "receipt is 32 lowercase hex digits (128 random bits)",
        ));
    }
    let description = body.description.trim();
    if description.is_empty() || description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(bad(
            "invalid_description",
            "say what happened, in at most 2000 characters",
        ));
    }
    let point =
        GeoPoint::new(body.lat, body.lon).map_err(|_| bad("invalid_location", "lat −90…90, lon −180…180"))?;
    let nik = match body.nik.trim() {
        "" => None,
        text => Some(
            Nik::parse(text)
                .map_err(|err| bad(err.code(), &err.to_string()))?
                .nik,
        ),
    };
    let polda: siaga_domain::PoldaId = body
        .polda
        .parse()
        .map_err(|_| bad("invalid_polda", "choose the Polda from the list"))?;
    let name = Some(body.name.trim().to_owned()).filter(|n| !n.is_empty());
    let reporter = (name.is_some() || nik.is_some()).then_some(Reporter { name, nik });
    let caller = web_caller();
    let incident = IncidentId(body.report_id);
    // A report id already used for another receipt is not this citizen's; the same receipt is a retry.
    let known: Option<(String,)> =
        sqlx::query_as("SELECT receipt_sha256 FROM web_report WHERE incident_id = $1")
            .bind(incident.to_string())
            .fetch_optional(&state.store.pool)
            .await?;
    match known {
        // A retry after a lost answer: the report is kept already.
        Some((hash,)) if hash == receipt_ref(&body.receipt) => {
            return Ok(Json(serde_json::json!({ "incidentId": incident.to_string() })).into_response());
        }
        Some(_) => {
            return Err(ApiError::conflict(
                "report_id_taken",
                "this report id belongs to another report",
            ));
        }
        None => {}
    }
    let event = IncidentEvent {
        id: EventId(body.report_id),
        incident_id: incident,
        at: time::OffsetDateTime::now_utc(),
        actor: Actor::new(caller.name.clone(), siaga_domain::Role::System),
        change: IncidentChange::Received {
            channel: Channel::App110,
            caller_number: None,
            reporter,
            location: Location::at(point),
            description: description.to_owned(),
            proposed_category: None,
            priority: None,
            polda: Some(polda),
        },
    };
    let (status, _) = crate::incidents::append_event(state, &caller, event).await?;
    // An id the central already held (an event of another report) is not given to this receipt.
    if status != axum::http::StatusCode::CREATED {
        return Err(ApiError::conflict(
            "report_id_taken",
            "this report id belongs to another report",
        ));
    }
    sqlx::query(
        "INSERT INTO web_report (incident_id, receipt_sha256, created_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (incident_id) DO NOTHING",
    )
    .bind(incident.to_string())
    .bind(receipt_ref(&body.receipt))
    .bind(crate::store::now_ms())
    .execute(&state.store.pool)
    .await?;
    Ok((
        status,
        Json(serde_json::json!({ "incidentId": incident.to_string() })),
    )
        .into_response())
}

/// `POST /v1/public/video-call`.
pub async fn video_call(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<WebCallRequest>,
) -> Response {
    let acts = body.answer.is_some() || body.state.is_some();
    if let Err(refusal) = admit(&state, peer, acts) {
        return *refusal;
    }
    call_admitted(&state, body)
        .await
        .map(|view| Json(view).into_response())
        .unwrap_or_else(IntoResponse::into_response)
}

async fn call_admitted(state: &AppState, body: WebCallRequest) -> ApiResult<WebCallView> {
    let not_found = || ApiError::not_found("report");
    let incident = uuid::Uuid::parse_str(&body.incident_id)
        .map_err(|_| not_found())?
        .to_string();
    let row: Option<(String,)> =
        sqlx::query_as("SELECT receipt_sha256 FROM web_report WHERE incident_id = $1")
            .bind(&incident)
            .fetch_optional(&state.store.pool)
            .await?;
    if !receipt_ok(&body.receipt) || row.is_none_or(|(hash,)| hash != receipt_ref(&body.receipt)) {
        return Err(not_found());
    }
    let latest: Option<CallRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM video_call WHERE incident_id = $1 ORDER BY created_ms DESC, id DESC LIMIT 1"
    ))
    .bind(&incident)
    .fetch_optional(&state.store.pool)
    .await?;
    let Some(call) = latest.map(view).transpose()? else {
        return Ok(WebCallView { call: None });
    };
    if body.answer.is_none() && body.state.is_none() {
        return Ok(WebCallView { call: Some(call) });
    }
    if body.call_id.as_deref() != Some(call.call_id.as_str()) {
        return Err(ApiError::conflict(
            "not_the_current_call",
            "that call is no longer this report's call",
        ));
    }
    // The reporter's side of the call, in the incident's Polda: the same moves the 110 app may make.
    let mut caller = web_caller();
    caller.polda = Some(call.polda.clone());
    let moved = match (&body.answer, &body.state) {
        (Some(answer), _) => answer_call(state, &caller, &call, answer).await?,
        (None, Some(request)) => move_call(state, &caller, &call, request).await?,
        (None, None) => call,
    };
    Ok(WebCallView { call: Some(moved) })
}

/// `GET /warga/lapor`: the page, with the Poldas to choose from as a JSON block inside it.
pub async fn page() -> Response {
    let poldas: Vec<serde_json::Value> = siaga_domain::PoldaId::ALL
        .iter()
        .map(|polda| serde_json::json!({ "code": polda.code(), "name": polda.name() }))
        .collect();
    // `<` escaped so that no text in the data can close the script element.
    let data = serde_json::Value::from(poldas)
        .to_string()
        .replace('<', "\\u003c");
    let html = PAGE.replace("{{POLDAS}}", &data);
    (page_headers("text/html; charset=utf-8"), html).into_response()
}

/// `GET /warga/lapor.js`.
pub async fn script() -> Response {
    (page_headers("text/javascript; charset=utf-8"), SCRIPT).into_response()
}
