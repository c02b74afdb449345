//! The citizen's own web page (`GET /warga`, Bahasa Indonesia first, English second) and the three public
//! routes it uses: submit an SKCK or report-of-loss request, follow it, and download the issued letter.
//!
//! A citizen has no account. The page makes a **receipt** for each request: 128 random bits (32 hex
//! digits) chosen in the browser before the first send, so a retry after a lost answer is the same
//! submission (idempotent by id and whole body). The central keeps only the receipt's SHA-256 (as the
//! request's `citizen_ref`, under the submitter [`WEB_SUBMITTER`], which no account name can equal);
//! the request id and the receipt together follow the request and fetch its letter — they travel in
//! POST bodies, never in URLs. A wrong receipt is `404`, like an unknown request.
//!
//! The routes are public by design (the real SKCK online service takes requests without an account, and
//! the officer checks the person at review), so each client address is held to a rate
//! ([`WebLimits`]): beyond it `429` with `Retry-After`. What the citizen sees is [`CitizenRequestView`]:
//! status, steps with the reason of a refusal, notices such as an office visit, and the letter — no
//! officer names and no flags meant for officers.

use super::{accept, letter_file, load_view, refused, Accepted};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::AppState;
use axum::extract::{ConnectInfo, Extension, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use siaga_api::services::{
    Bilingual, CitizenLetter, CitizenRequestView, CitizenStep, ReceiptRequest, ServiceRequestView,
    WebSubmitRequest,
};
use siaga_domain::service::check::{Flag, MAX_PHOTO_BYTES};
use siaga_domain::service::{LostItem, SkckPurpose};
use siaga_domain::{polda, Role};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The submitter of every request made on the web page. Account names are letters, digits, `.`, `_`
/// and `-`, so no account can be this one and read the page's requests through the app's routes.
pub const WEB_SUBMITTER: &str = "warga:web";

const PAGE: &str = include_str!("../../assets/warga/warga.html");
const SCRIPT: &str = include_str!("../../assets/warga/warga.js");
const STYLE: &str = include_str!("../../assets/warga/warga.css");

/// The page's Content-Security-Policy: its own script and style only, pictures from itself and blobs
/// (the downloaded letter), requests to itself only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
                   connect-src 'self' blob:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// How many requests one client address may make to the public routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebLimits {
    /// Submissions per address per [`WebLimits::window`].
    pub submissions: u32,
    /// Status reads and letter downloads per address per [`WebLimits::window`].
    pub lookups: u32,
    /// The window the counts are kept for.
    pub window: Duration,
}

impl Default for WebLimits {
    fn default() -> WebLimits {
        WebLimits {
            submissions: 20,
            lookups: 600,
            window: Duration::from_secs(3600),
        }
    }
}

/// Counts per client address in fixed windows (a window starts at an address's first request).
#[derive(Debug)]
pub struct WebGuard {
    limits: WebLimits,
    counts: Mutex<HashMap<(IpAddr, bool), (Instant, u32)>>,
}

/// Addresses remembered before expired windows are swept.
const SWEEP_AT: usize = 10_000;

impl WebGuard {
    /// A guard with these limits.
    pub fn new(limits: WebLimits) -> WebGuard {
        WebGuard {
            limits,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `address` (`submission` or a lookup) at `now`; `Err(wait)` when the
    /// address is over its limit for the rest of the window.
    pub fn admit(&self, address: IpAddr, submission: bool, now: Instant) -> Result<(), Duration> {
        let limit = if submission {
            self.limits.submissions
        } else {
            self.limits.lookups
        };
        let window = self.limits.window;
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if counts.len() >= SWEEP_AT {
            counts.retain(|_, (start, _)| now.saturating_duration_since(*start) < window);
        }
        let entry = counts.entry((address, submission)).or_insert((now, 0));
        if now.saturating_duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            return Err(window.saturating_sub(now.saturating_duration_since(entry.0)));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// Counts the request against its address's limit: a `429` with `Retry-After` beyond it.
pub(crate) fn admit(
    state: &AppState,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    submission: bool,
) -> Result<(), Box<Response>> {
    let address = peer.map_or(IpAddr::from([0, 0, 0, 0]), |Extension(ConnectInfo(peer))| {
        peer.ip()
    });
    state
        .web
        .admit(address, submission, Instant::now())
        .map_err(|wait| {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many requests from this address; try again in {seconds} s"),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            Box::new(response)
        })
}

/// A receipt is 32 lowercase hex digits.
pub(crate) fn receipt_ok(receipt: &str) -> bool {
    receipt.len() == 32
        && receipt
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) fn receipt_ref(receipt: &str) -> String {
    hex::encode(Sha256::digest(receipt.as_bytes()))
}

pub(crate) fn web_caller() -> Caller {
    Caller {
        name: WEB_SUBMITTER.to_owned(),
        role: Role::App,
        polda: None,
    }
}

/// The request a receipt opens, or `404`.
async fn open(state: &AppState, receipt: &ReceiptRequest) -> ApiResult<String> {
    let id = receipt.request_id.to_string();
    if !receipt_ok(&receipt.receipt) {
        return Err(ApiError::not_found("request"));
    }
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM service_request WHERE id = $1 AND submitted_by = $2 AND citizen_ref = $3",
    )
    .bind(&id)
    .bind(WEB_SUBMITTER)
    .bind(receipt_ref(&receipt.receipt))
    .fetch_optional(&state.store.pool)
    .await?;
    found
        .map(|(id,)| id)
        .ok_or_else(|| ApiError::not_found("request"))
}

/// What the citizen sees of a stored request.
pub fn citizen_view(view: &ServiceRequestView) -> CitizenRequestView {
    let notices = view
        .flags
        .iter()
        .filter(|flag| matches!(flag, Flag::OfficeVisitNeeded { .. }))
        .map(|flag| Bilingual::of(|language| flag.message(language)))
        .collect();
    let steps = view
        .history
        .iter()
        .map(|step| CitizenStep {
            status: step.status,
            status_label: Bilingual::of(|language| step.status.label(language).to_owned()),
            reason: step
                .reason
                .map(|reason| Bilingual::of(|language| reason.label(language).to_owned())),
            note: step.reason.and(step.note.clone()),
            at_ms: step.at_ms,
        })
        .collect();
    CitizenRequestView {
        request_id: view.request.id,
        kind: view.kind,
        kind_label: Bilingual::of(|language| view.kind.label(language).to_owned()),
        status: view.status,
        status_label: Bilingual::of(|language| view.status.label(language).to_owned()),
        polres_name: view.polres_name.clone(),
        full_name: view.request.applicant.full_name.clone(),
        submitted_at_ms: view.submitted_at_ms,
        updated_at_ms: view.updated_at_ms,
        notices,
        steps,
        letter: view.letter.as_ref().map(|letter| CitizenLetter {
            number: letter.number.clone(),
            issued_on: letter.issued_on,
            valid_until: letter.valid_until,
            verify_url: letter.verify_url.clone(),
            revoked: letter.revoked_at_ms.is_some(),
        }),
    }
}

async fn citizen_view_of(state: &AppState, id: &str) -> ApiResult<CitizenRequestView> {
    load_view(state, id)
        .await?
        .map(|view| citizen_view(&view))
        .ok_or_else(|| ApiError::not_found("request"))
}

/// `POST /v1/public/services/requests`.
pub async fn submit(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<WebSubmitRequest>,
) -> Response {
    if let Err(refusal) = admit(&state, peer, true) {
        return *refusal;
    }
    submit_admitted(&state, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn submit_admitted(state: &AppState, body: WebSubmitRequest) -> ApiResult<Response> {
    if !receipt_ok(&body.receipt) {
        return Err(ApiError::unprocessable(
            "invalid_receipt",
            "receipt is 32 lowercase hex digits (128 random bits)",
        ));
    }
    let body_sha256 = hex::encode(Sha256::digest(
        serde_json::to_vec(&body).map_err(|err| ApiError::internal(&err))?,
    ));
    let accepted = accept(
        state,
        &web_caller(),
        &receipt_ref(&body.receipt),
        &body.request,
        body.photo_jpeg_base64.as_deref(),
        &body_sha256,
    )
    .await?;
    match accepted {
        Accepted::Refused(problems) => Ok(refused(problems)),
        Accepted::Stored { created } => {
            let view = citizen_view_of(state, &body.request.id.to_string()).await?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(view)).into_response())
        }
    }
}

/// `POST /v1/public/services/status`.
pub async fn status(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<ReceiptRequest>,
) -> Response {
    if let Err(refusal) = admit(&state, peer, false) {
        return *refusal;
    }
    let found = async {
        let id = open(&state, &body).await?;
        citizen_view_of(&state, &id).await
    };
    match found.await {
        Ok(view) => Json(view).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `POST /v1/public/services/letter`: the signed PDF (`410` once revoked).
pub async fn letter(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<ReceiptRequest>,
) -> Response {
    if let Err(refusal) = admit(&state, peer, false) {
        return *refusal;
    }
    let file = async {
        let id = open(&state, &body).await?;
        letter_file(&state, &id, &web_caller()).await
    };
    file.await.unwrap_or_else(IntoResponse::into_response)
}

/// What the page's forms offer, from the domain: every Polres with its Polda, the SKCK purposes and the
/// lost items (with whether the letter needs an office visit), and the photo limit.
pub fn form_data() -> serde_json::Value {
    let code = |value: serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    let polres: Vec<_> = polda::polres_list()
        .into_iter()
        .map(|polres| {
            json!({
                "id": polres.id.to_string(),
                "name": polres.name,
                "polda": polres.polda.name(),
            })
        })
        .collect();
    let purposes: Vec<_> = SkckPurpose::ALL
        .into_iter()
        .map(|purpose| {
            json!({
                "code": code(json!(purpose)),
                "label": Bilingual::of(|language| purpose.label(language).to_owned()),
            })
        })
        .collect();
    let items: Vec<_> = LostItem::ALL
        .into_iter()
        .map(|item| {
            json!({
                "code": code(json!(item)),
                "label": Bilingual::of(|language| item.label(language).to_owned()),
                "officeVisit": item.needs_office_visit(),
                "notice": Bilingual::of(|language| {
                    Flag::OfficeVisitNeeded { items: vec![item] }.message(language)
                }),
            })
        })
        .collect();
    json!({
        "polres": polres,
        "purposes": purposes,
        "items": items,
        "maxPhotoBytes": MAX_PHOTO_BYTES,
    })
}

pub(crate) fn page_headers(content_type: &'static str) -> [(header::HeaderName, HeaderValue); 5] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ]
}

/// `GET /warga`: the page, with the form data inside it as a JSON block.
pub async fn page() -> Response {
    // `<` escaped so that no text in the data can close the script element.
    let data = form_data().to_string().replace('<', "\\u003c");
    let html = PAGE.replace("{{FORM_DATA}}", &data);
    (page_headers("text/html; charset=utf-8"), html).into_response()
}

/// `GET /warga/warga.js`.
pub async fn script() -> Response {
    (page_headers("text/javascript; charset=utf-8"), SCRIPT).into_response()
}

/// `GET /warga/warga.css`.
pub async fn style() -> Response {
    (page_headers("text/css; charset=utf-8"), STYLE).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_limit_waits_for_the_window_and_others_are_not_held() {
        let guard = WebGuard::new(WebLimits {
            submissions: 2,
            lookups: 3,
            window: Duration::from_secs(60),
        });
        let start = Instant::now();
        let one = IpAddr::from([10, 0, 0, 1]);
        let two = IpAddr::from([10, 0, 0, 2]);
        assert!(guard.admit(one, true, start).is_ok());
        assert!(guard.admit(one, true, start).is_ok());
        let wait = guard
            .admit(one, true, start + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(40));
        assert!(
            guard.admit(one, false, start).is_ok(),
            "lookups are counted apart"
        );
        assert!(
            guard.admit(two, true, start).is_ok(),
            "another address is not held"
        );
        assert!(guard.admit(one, true, start + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn receipts_are_32_lowercase_hex_digits() {
        assert!(receipt_ok("0123456789abcdef0123456789abcdef"));
        assert!(!receipt_ok("0123456789ABCDEF0123456789abcdef"));
        assert!(!receipt_ok("0123456789abcdef"));
        assert!(!receipt_ok("0123456789abcdef0123456789abcdeg"));
        assert_eq!(receipt_ref("x").len(), 64);
    }

    #[test]
    fn the_form_data_cannot_close_its_script_element() {
        let data = form_data().to_string().replace('<', "\\u003c");
        assert!(!data.contains("</"));
        assert!(data.contains("Polres Metro Jakarta Pusat"));
    }
}
