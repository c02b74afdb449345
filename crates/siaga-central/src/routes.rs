//! The route table: every `/v1` route with its access rule, in one place. The router is built from it
//! ([`crate::app`] panics if a handler is mounted without a rule or a rule has no handler), the
//! authorisation middleware reads it on every request, and the OpenAPI document is generated from it.

use crate::auth::{resolve_token, TokenKind};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use siaga_domain::Role;

/// Who may call a route. Polda scoping is applied by the handler on top of this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials needed (health, metrics, the OpenAPI document, login).
    Public,
    /// A valid access token whose role is in the list.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a caller with `role` passes (a public route lets anyone through).
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// One route: method, axum path, rule and its documentation.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// The path as mounted, with `{param}` placeholders.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// The request body: a `siaga_api` type name, `CAP 1.2 XML`, or `None`.
    pub request: Option<&'static str>,
    /// The success body.
    pub response: &'static str,
    /// Whether the data it touches is scoped to the caller's Polda.
    pub polda_scoped: bool,
}

use Role::*;

/// The incident workers: every step of the operator flow.
pub const WORKERS: &[Role] = &[Operator1, Operator2, Operator3, SpktOfficer, Supervisor];
/// Those who read incidents (analysts see NIKs masked).
pub const READERS: &[Role] = &[Operator1, Operator2, Operator3, SpktOfficer, Supervisor, Analyst];
/// Every account (not kiosks).
pub const ACCOUNTS: &[Role] = &[
    Operator1,
    Operator2,
    Operator3,
    SpktOfficer,
    Supervisor,
    Analyst,
    Admin,
];
/// Who works citizen requests: SPKT officers and supervisors, and the 110 app for its own citizens.
pub const SERVICE_DESK: &[Role] = &[SpktOfficer, Supervisor, App];
/// Every principal.
pub const ANYONE: &[Role] = &Role::PRINCIPALS;

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    summary: &'static str,
    request: Option<&'static str>,
    response: &'static str,
    polda_scoped: bool,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        summary,
        request,
        response,
        polda_scoped,
    }
}

/// Every route the server mounts.
pub const ROUTES: &[RouteSpec] = &[
    route(
        "GET",
        "/v1/health",
        Access::Public,
        "Liveness and database check",
        None,
        "Health",
        false,
    ),
    route(
        "GET",
        "/v1/openapi.json",
        Access::Public,
        "This API's OpenAPI 3.1 document",
        None,
        "OpenAPI",
        false,
    ),
    route(
        "GET",
        "/metrics",
        Access::Public,
        "Prometheus text metrics",
        None,
        "text/plain",
        false,
    ),
    route(
        "POST",
        "/v1/auth/login",
        Access::Public,
        "Log in an operator account",
        Some("LoginRequest"),
        "TokenPair",
        false,
    ),
    route(
        "POST",
        "/v1/auth/refresh",
        Access::Public,
        "Trade a refresh token for a new pair",
        Some("RefreshRequest"),
        "TokenPair",
        false,
    ),
    route(
        "POST",
        "/v1/auth/kiosk",
        Access::Public,
        "Log in a kiosk device",
        Some("KioskLoginRequest"),
        "TokenPair",
        false,
    ),
    route(
        "POST",
        "/v1/auth/logout",
        Access::Roles(ANYONE),
        "Revoke the access token sent",
        None,
        "empty",
        false,
    ),
    route(
        "GET",
        "/v1/me",
        Access::Roles(ANYONE),
        "Who the token speaks for",
        None,
        "PrincipalInfo",
        false,
    ),
    route(
        "GET",
        "/v1/users",
        Access::Roles(&[Admin, Supervisor]),
        "List accounts in scope",
        None,
        "UserInfo[]",
        true,
    ),
    route(
        "POST",
        "/v1/users",
        Access::Roles(&[Admin]),
        "Create an operator account",
        Some("CreateUserRequest"),
        "UserInfo",
        true,
    ),
    route(
        "POST",
        "/v1/events",
        Access::Roles(WORKERS),
        "Append an incident event (idempotent by event id)",
        Some("EventEnvelope"),
        "AppendResult",
        true,
    ),
    route(
        "GET",
        "/v1/events/{event_id}",
        Access::Roles(READERS),
        "One stored event",
        None,
        "FeedEvent",
        true,
    ),
    route(
        "GET",
        "/v1/incidents",
        Access::Roles(READERS),
        "Query incidents (status, category, time, bbox, polda)",
        None,
        "IncidentPage",
        true,
    ),
    route(
        "GET",
        "/v1/incidents/{incident_id}",
        Access::Roles(READERS),
        "One incident (Siaga JSON; NENA EIDO JSON with `Accept: application/eido+json`; 406 for any other Accept)",
        None,
        "IncidentView",
        true,
    ),
    route(
        "GET",
        "/v1/incidents/{incident_id}/events",
        Access::Roles(READERS),
        "An incident's event log",
        None,
        "FeedEvent[]",
        true,
    ),
    route(
        "GET",
        "/v1/feed",
        Access::Roles(READERS),
        "Change feed of one Polda, paged by server sequence",
        None,
        "FeedPage",
        true,
    ),
    route(
        "GET",
        "/v1/sync/snapshot",
        Access::Roles(READERS),
        "One page of a Polda's current incident snapshots and the feed sequence to continue from",
        None,
        "SnapshotPage",
        true,
    ),
    route(
        "GET",
        "/v1/live",
        Access::Roles(READERS),
        "Live WebSocket: subscribe with filters, receive notifications",
        None,
        "WebSocket",
        true,
    ),
    route(
        "GET",
        "/v1/kiosks",
        Access::Roles(ACCOUNTS),
        "Kiosks and their last state",
        None,
        "KioskState[]",
        true,
    ),
    route(
        "POST",
        "/v1/kiosks",
        Access::Roles(&[Admin]),
        "Register a kiosk (the secret is returned once)",
        Some("RegisterKioskRequest"),
        "KioskCredentials",
        true,
    ),
    route(
        "POST",
        "/v1/kiosks/{kiosk_id}/heartbeat",
        Access::Roles(&[Kiosk]),
        "A kiosk's heartbeat (own kiosk only)",
        Some("Heartbeat"),
        "KioskState",
        true,
    ),
    route(
        "POST",
        "/v1/kiosks/{kiosk_id}/alerts",
        Access::Roles(&[Kiosk]),
        "A CAP 1.2 alert from a kiosk: becomes an incident on its station",
        Some("CAP 1.2 XML"),
        "AlertAccepted",
        true,
    ),
    route(
        "GET",
        "/v1/routing",
        Access::Roles(ACCOUNTS),
        "Legacy numbers and whether they forward to 110",
        None,
        "RoutingEntry[]",
        false,
    ),
    route(
        "PUT",
        "/v1/routing/{number}",
        Access::Roles(&[Admin]),
        "Add or change a legacy number",
        Some("RoutingEntry"),
        "RoutingEntry",
        false,
    ),
    route(
        "DELETE",
        "/v1/routing/{number}",
        Access::Roles(&[Admin]),
        "Remove a legacy number",
        None,
        "empty",
        false,
    ),
    route(
        "POST",
        "/v1/calls",
        Access::Roles(&[Operator1, Supervisor]),
        "Record an incoming call and the number dialed",
        Some("CallRecordRequest"),
        "CallRecord",
        true,
    ),
    route(
        "GET",
        "/v1/calls",
        Access::Roles(READERS),
        "Recorded calls in scope",
        None,
        "CallRecord[]",
        true,
    ),
    route(
        "POST",
        "/v1/callers/history",
        Access::Roles(READERS),
        "A caller number's earlier calls in scope, how many were prank or empty (advisory; number masked for analysts)",
        Some("CallerHistoryRequest"),
        "CallerHistory",
        true,
    ),
    route(
        "POST",
        "/v1/services/requests",
        Access::Roles(&[App]),
        "Submit a citizen's SKCK or report-of-loss request (idempotent by id)",
        Some("ServiceSubmitRequest"),
        "ServiceRequestView",
        true,
    ),
    route(
        "GET",
        "/v1/services/requests",
        Access::Roles(SERVICE_DESK),
        "List citizen requests (officers: their Polda; the app: one citizen's)",
        None,
        "ServiceRequestList",
        true,
    ),
    route(
        "GET",
        "/v1/services/requests/{request_id}",
        Access::Roles(SERVICE_DESK),
        "One citizen request (the view is recorded)",
        None,
        "ServiceRequestView",
        true,
    ),
    route(
        "POST",
        "/v1/services/requests/{request_id}/actions",
        Access::Roles(SERVICE_DESK),
        "Review, validate, approve, reject, issue, withdraw or revoke",
        Some("ServiceActionRequest"),
        "ServiceRequestView",
        true,
    ),
    route(
        "GET",
        "/v1/services/requests/{request_id}/photo",
        Access::Roles(SERVICE_DESK),
        "The request's photo, JPEG (the view is recorded)",
        None,
        "image/jpeg",
        true,
    ),
    route(
        "POST",
        "/v1/services/requests/{request_id}/nik",
        Access::Roles(&[SpktOfficer, Supervisor]),
        "The applicant's NIK whole (views show it masked; the reveal is recorded)",
        None,
        "NikRevealed",
        true,
    ),
    route(
        "GET",
        "/v1/services/requests/{request_id}/letter",
        Access::Roles(SERVICE_DESK),
        "The issued letter, signed PDF (the view is recorded)",
        None,
        "application/pdf",
        true,
    ),
    route(
        "GET",
        "/v1/services/counts",
        Access::Roles(&[SpktOfficer, Supervisor, Analyst]),
        "Citizen requests counted by kind and status",
        None,
        "ServiceCounts",
        true,
    ),
    route(
        "GET",
        "/v1/audit",
        Access::Roles(&[Supervisor, Admin]),
        "A page of the audit trail of the caller's Polda (national accounts: any chain), with its signed heads and keys",
        None,
        "AuditPage",
        true,
    ),
    route(
        "POST",
        "/v1/incidents/{incident_id}/video-calls",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor]),
        "Ring the reporter of an open incident for a video validation call, with the desk's SDP offer",
        Some("VideoCallRequest"),
        "VideoCallView",
        true,
    ),
    route(
        "POST",
        "/v1/incidents/{incident_id}/video-call-requests",
        Access::Roles(&[App]),
        "The 110 app asks, for its reporter, that an operator validate the report in a video call",
        None,
        "VideoCallView",
        true,
    ),
    route(
        "POST",
        "/v1/video-calls/{call_id}/offer",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor]),
        "An operator joins a call the reporter asked for, with the desk's SDP offer (it rings)",
        Some("VideoCallRequest"),
        "VideoCallView",
        true,
    ),
    route(
        "GET",
        "/v1/video-calls",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor, App]),
        "The video calls of the caller's Polda, newest first (?state=ringing for the 110 app)",
        None,
        "VideoCallList",
        true,
    ),
    route(
        "GET",
        "/v1/video-calls/{call_id}",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor, App]),
        "One video call: its state and session descriptions",
        None,
        "VideoCallView",
        true,
    ),
    route(
        "POST",
        "/v1/video-calls/{call_id}/answer",
        Access::Roles(&[App]),
        "The 110 app answers a ringing call with the reporter's SDP answer",
        Some("VideoCallAnswer"),
        "VideoCallView",
        true,
    ),
    route(
        "GET",
        "/v1/video-relay",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor, App]),
        "The TURN servers for the caller's video calls, with credentials of its own that lapse in an hour",
        None,
        "VideoRelay",
        false,
    ),
    route(
        "PUT",
        "/v1/incidents/{incident_id}/evidence/{sha256}",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor]),
        "Keep an evidence picture (JPEG) of an incident under its SHA-256 (201 new, 200 held already)",
        Some("image/jpeg"),
        "empty",
        true,
    ),
    route(
        "GET",
        "/v1/incidents/{incident_id}/evidence/{sha256}",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor]),
        "An evidence picture of an incident, JPEG (the view is recorded)",
        None,
        "image/jpeg",
        true,
    ),
    route(
        "POST",
        "/v1/video-calls/{call_id}/state",
        Access::Roles(&[Operator1, Operator2, Operator3, SpktOfficer, Supervisor, App]),
        "Move a call: connected, ended, failed; unreachable (desk), declined (app)",
        Some("VideoCallStateRequest"),
        "VideoCallView",
        true,
    ),
    route(
        "POST",
        "/v1/audit/desk-heads",
        Access::Roles(ACCOUNTS),
        "Sign the head of a desk's own audit trail (refused when behind or beside a head signed before)",
        Some("DeskHeadRequest"),
        "DeskHeadSigned",
        true,
    ),
    route(
        "GET",
        "/v1/updates/{platform}",
        Access::Roles(ACCOUNTS),
        "The newest desk release for a platform, as the release key signed it (desks check the signature)",
        None,
        "LatestRelease",
        false,
    ),
    route(
        "GET",
        "/v1/updates/{platform}/{version}/package",
        Access::Roles(ACCOUNTS),
        "A desk release's package (its size and SHA-256 are in the signed manifest)",
        None,
        "application/octet-stream",
        false,
    ),
    route(
        "GET",
        "/v1/letters/keys",
        Access::Public,
        "The public keys that sign letters",
        None,
        "LetterKeys",
        false,
    ),
    route(
        "GET",
        "/v1/letters/{letter_id}/verify",
        Access::Public,
        "Verify a letter by its QR code (JSON, or HTML for a browser)",
        None,
        "LetterVerification",
        false,
    ),
    route(
        "GET",
        "/warga",
        Access::Public,
        "The citizen's web page: request an SKCK or a report of loss, follow it, download the letter",
        None,
        "HTML",
        false,
    ),
    route(
        "GET",
        "/warga/warga.js",
        Access::Public,
        "The citizen web page's script",
        None,
        "JavaScript",
        false,
    ),
    route(
        "GET",
        "/warga/warga.css",
        Access::Public,
        "The citizen web page's style",
        None,
        "CSS",
        false,
    ),
    route(
        "GET",
        "/warga/lapor",
        Access::Public,
        "The citizen's 110 report page: report, then answer the operator's video validation call",
        None,
        "HTML",
        false,
    ),
    route(
        "GET",
        "/warga/lapor.js",
        Access::Public,
        "The report page's script (the browser's WebRTC answers the desk)",
        None,
        "JavaScript",
        false,
    ),
    route(
        "POST",
        "/v1/public/reports",
        Access::Public,
        "A citizen's report from the web page, with the receipt the page chose (rate-limited per address)",
        Some("WebReport"),
        "{incidentId}",
        false,
    ),
    route(
        "POST",
        "/v1/public/video-call",
        Access::Public,
        "The report's current video call, found with its receipt; answer it or move it as the reporter's side",
        Some("WebCallRequest"),
        "WebCallView",
        false,
    ),
    route(
        "POST",
        "/v1/public/services/requests",
        Access::Public,
        "A citizen's own request from the web page, with the receipt the page made (rate-limited per address)",
        Some("WebSubmitRequest"),
        "CitizenRequestView",
        false,
    ),
    route(
        "POST",
        "/v1/public/services/status",
        Access::Public,
        "A citizen's request by its id and receipt (rate-limited per address)",
        Some("ReceiptRequest"),
        "CitizenRequestView",
        false,
    ),
    route(
        "POST",
        "/v1/public/services/letter",
        Access::Public,
        "A citizen's issued letter (PDF) by the request's id and receipt (rate-limited per address)",
        Some("ReceiptRequest"),
        "PDF",
        false,
    ),
];

/// The rule for a mounted route.
pub fn rule(method: &str, path: &str) -> Option<&'static RouteSpec> {
    ROUTES
        .iter()
        .find(|spec| spec.method == method && spec.path == path)
}

/// The one route where a token may come in the query string: the WebSocket upgrade, because browsers
/// cannot set headers on a WebSocket. Everywhere else a token in a URL (which ends up in logs and
/// proxies) is not read.
pub const QUERY_TOKEN_ROUTE: &str = "/v1/live";

/// The bearer token of a request: the `Authorization` header, or, on [`QUERY_TOKEN_ROUTE`] only,
/// `access_token` in the query string.
pub fn bearer_token(request: &Request) -> Option<String> {
    if let Some(value) = request.headers().get(AUTHORIZATION) {
        let value = value.to_str().ok()?;
        return value.strip_prefix("Bearer ").map(|token| token.trim().to_owned());
    }
    if request.uri().path() != QUERY_TOKEN_ROUTE {
        return None;
    }
    request.uri().query().and_then(|query| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("access_token="))
            .map(str::to_owned)
    })
}

/// How long a refused request's body may take to arrive before the answer goes out anyway.
const REFUSED_BODY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Answers a refused request without breaking its connection: a body the server would accept anyway
/// (up to `Limits::max_body_bytes`) is read and dropped first, so the connection stays usable for the
/// client's next request; a larger one is not read, and the answer says `Connection: close`, so the
/// client expects the end of the connection instead of meeting a reset mid-request.
async fn refuse(state: &AppState, request: Request, mut response: Response) -> Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let limit = state.limits.max_body_bytes;
    let has_body = declared.is_some_and(|length| length > 0)
        || request
            .headers()
            .contains_key(axum::http::header::TRANSFER_ENCODING);
    if !has_body {
        return response;
    }
    let drained = if declared.is_none_or(|length| length <= limit as u64) {
        let drain = axum::body::to_bytes(request.into_body(), limit);
        matches!(tokio::time::timeout(REFUSED_BODY_WITHIN, drain).await, Ok(Ok(_)))
    } else {
        false
    };
    if !drained {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

/// Authorises every routed request against [`ROUTES`] and hands the handler its [`crate::auth::Caller`].
/// A route without a rule is refused (fail closed).
pub async fn authorize(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
    else {
        return ApiError::internal(&"request reached the authoriser unrouted").into_response();
    };
    let Some(spec) = rule(&method, &path) else {
        // The path exists with other methods (every mounted method has a rule, checked at start).
        let allowed: Vec<&str> = ROUTES
            .iter()
            .filter(|spec| spec.path == path)
            .map(|spec| spec.method)
            .collect();
        let mut response = ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{path} answers {}", allowed.join(", ")),
        )
        .into_response();
        if let Ok(allow) = axum::http::HeaderValue::from_str(&allowed.join(", ")) {
            response.headers_mut().insert(axum::http::header::ALLOW, allow);
        }
        return refuse(&state, request, response).await;
    };
    let Access::Roles(roles) = spec.access else {
        return next.run(request).await;
    };
    let Some(token) = bearer_token(&request) else {
        let refusal = ApiError::unauthorized("missing_token", "send Authorization: Bearer <access token>");
        return refuse(&state, request, refusal.into_response()).await;
    };
    let caller = match resolve_token(&state.store, &token, TokenKind::Access).await {
        Ok(caller) => caller,
        Err(err) => return refuse(&state, request, err.into_response()).await,
    };
    if !roles.contains(&caller.role) {
        let refusal = ApiError::forbidden(format!(
            "the role {} may not call {method} {path}",
            caller.role.code()
        ));
        return refuse(&state, request, refusal.into_response()).await;
    }
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(crate::live::SessionToken(token));
    next.run(request).await
}
