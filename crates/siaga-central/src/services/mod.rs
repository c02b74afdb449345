//! Citizen services at the central: the 110 app submits SKCK and report-of-loss requests (checked whole by
//! the domain, idempotent by id, a repeated open request refused), SPKT officers and supervisors of the
//! issuing Polda review them through the domain's state machine, and issuing makes the signed letter
//! (`letters`). Every view of a citizen's document (detail, photo, letter) is recorded in
//! `document_view`. Analysts get counts only.
//!
//! Scope: an officer sees the requests of their Polda (a national account every Polda's); the app account
//! sees only the requests it submitted, for the citizen it names. A request outside the caller's sight is
//! `404`, like one that does not exist.

pub mod letters;
mod view;
pub mod web;

use crate::audit::Audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, JsonBody, QueryParams};
use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use siaga_api::services::{
    ServiceActionRequest, ServiceCount, ServiceCounts, ServiceRequestList, ServiceRequestView,
    ServiceSubmitRequest, SubmissionProblem, SubmissionRefused,
};
use siaga_domain::polda::{self, PoldaId};
use siaga_domain::service::check::{check_submission, Problem, MAX_PHOTO_BYTES};
use siaga_domain::service::state::{RejectReason, RequestAction, RequestStatus};
use siaga_domain::service::{RequestDetails, ServiceKind, Submission};
use siaga_domain::timezone::TimeZone;
use siaga_domain::{Language, Role};
use time::Date;
use uuid::Uuid;

pub use view::load_view;

/// The largest submission body: a 2 MiB photo in base64 and the request around it.
pub const MAX_SUBMISSION_BYTES: usize = 3 * 1024 * 1024;
/// The routes that take a photo, and so [`MAX_SUBMISSION_BYTES`].
pub const PHOTO_ROUTES: [&str; 2] = ["/v1/services/requests", "/v1/public/services/requests"];
/// The longest note on an action.
pub const MAX_NOTE_CHARS: usize = 500;

/// Citizen-service settings of a central.
#[derive(Debug, Clone)]
pub struct ServicesConfig {
    /// The address citizens and employers reach this central at (in each letter's QR code), e.g.
    /// `https://110.polda-diy.go.id`.
    pub public_url: String,
    /// A fixed clock for tests and trainings (Unix ms); the wall clock when `None`.
    pub fixed_now_ms: Option<i64>,
}

impl Default for ServicesConfig {
    fn default() -> ServicesConfig {
        ServicesConfig {
            public_url: "http://127.0.0.1:8110".into(),
            fixed_now_ms: None,
        }
    }
}

impl ServicesConfig {
    /// Now, by this central's clock for services.
    pub fn now_ms(&self) -> i64 {
        self.fixed_now_ms.unwrap_or_else(crate::store::now_ms)
    }
}

/// The day `at_ms` falls on in the zone of a Polres (its province's).
pub fn local_date(at_ms: i64, polres: polda::PolresId) -> Date {
    let zone = TimeZone::for_province(polres.regency().province());
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(zone.utc_offset())
        .date()
}

fn problem_json(problem: &Problem) -> SubmissionProblem {
    SubmissionProblem {
        code: problem.code().to_owned(),
        field: problem.field().map(|field| {
            serde_json::to_value(field)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        message_id: problem.reason(Language::Id),
        message_en: problem.reason(Language::En),
    }
}

fn refused(problems: Vec<SubmissionProblem>) -> Response {
    let message = problems
        .iter()
        .map(|p| p.message_en.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(SubmissionRefused {
            error: "invalid_request".into(),
            message,
            problems,
        }),
    )
        .into_response()
}

fn citizen_ref_ok(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn decode_photo(text: &str) -> Result<Vec<u8>, Problem> {
    use base64::Engine as _;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.len() / 4 * 3 > MAX_PHOTO_BYTES + 3 {
        return Err(Problem::PhotoTooLarge {
            bytes: compact.len() / 4 * 3,
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| Problem::PhotoNotJpeg)
}

/// The Polda a request belongs to (its Polres's).
fn polda_of(submission: &Submission) -> Option<PoldaId> {
    submission.polres.polda()
}

/// Whether the caller may see a stored request.
fn sees(caller: &Caller, polda: &str, submitted_by: &str) -> bool {
    match caller.role {
        Role::App => caller.name == submitted_by && caller.sees(polda),
        Role::SpktOfficer | Role::Supervisor => caller.sees(polda),
        _ => false,
    }
}

/// `POST /v1/services/requests`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<ServiceSubmitRequest>,
) -> ApiResult<Response> {
    if !citizen_ref_ok(&body.citizen_ref) {
        return Err(ApiError::unprocessable(
            "invalid_citizen_ref",
            "citizenRef is 1–64 of A–Z a–z 0–9 _ -",
        ));
    }
    let body_sha256 = hex::encode(Sha256::digest(
        serde_json::to_vec(&body).map_err(|err| ApiError::internal(&err))?,
    ));
    let accepted = accept(
        &state,
        &caller,
        &body.citizen_ref,
        &body.request,
        body.photo_jpeg_base64.as_deref(),
        &body_sha256,
    )
    .await?;
    match accepted {
        Accepted::Refused(problems) => Ok(refused(problems)),
        Accepted::Stored { created } => {
            let view = load_view(&state, &body.request.id.to_string())
                .await?
                .ok_or_else(|| ApiError::not_found("request"))?;
            let view = shown_to(&caller, view);
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(view)).into_response())
        }
    }
}

/// What became of a submission.
pub(crate) enum Accepted {
    /// The domain refused it: every problem, nothing stored.
    Refused(Vec<SubmissionProblem>),
    /// Stored now (`created`), or the same submission was stored before.
    Stored {
        /// Whether this call stored it.
        created: bool,
    },
}

/// Checks a submission whole and stores it for `submitter` (the app account, or the web page's
/// [`web::WEB_SUBMITTER`]). `body_sha256` identifies the submission's whole body: the same id with
/// another body is `409`.
pub(crate) async fn accept(
    state: &AppState,
    submitter: &Caller,
    citizen_ref: &str,
    request: &Submission,
    photo_base64: Option<&str>,
    body_sha256: &str,
) -> ApiResult<Accepted> {
    let Some(polda) = polda_of(request) else {
        return Ok(Accepted::Refused(vec![problem_json(&Problem::UnknownPolres)]));
    };
    if !submitter.sees(polda.code()) {
        return Err(ApiError::forbidden(
            "this app account submits to its own Polda's Polres only",
        ));
    }
    let now = state.services.now_ms();
    let today = local_date(now, request.polres);
    let photo = match photo_base64.map(decode_photo) {
        None => None,
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(problem)) => return Ok(Accepted::Refused(vec![problem_json(&problem)])),
    };
    let checked = match check_submission(request, photo.as_deref(), today) {
        Ok(checked) => checked,
        Err(problems) => return Ok(Accepted::Refused(problems.iter().map(problem_json).collect())),
    };
    let nik_sha256 = hex::encode(Sha256::digest(checked.nik.digits().as_bytes()));
    let id = request.id.to_string();
    let kind = request.details.kind();

    let _guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT body_sha256, submitted_by FROM service_request WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((stored_hash, submitted_by)) = existing {
        drop(tx);
        if stored_hash != body_sha256 || submitted_by != submitter.name {
            return Err(ApiError::conflict(
                "id_conflict",
                "a different request was already submitted with this id",
            ));
        }
        return Ok(Accepted::Stored { created: false });
    }
    let open: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, body FROM service_request WHERE nik_sha256 = $1 AND kind = $2 \
         AND status IN ('submitted', 'in_review', 'validated', 'approved')",
    )
    .bind(&nik_sha256)
    .bind(kind.code())
    .fetch_all(&mut *tx)
    .await?;
    for (other_id, other_body) in open {
        let Ok(other) = serde_json::from_str::<Submission>(&other_body) else {
            continue;
        };
        if repeats(&request.details, &other.details) {
            return Err(ApiError::conflict(
                "already_requested",
                format!(
                    "the same request for this NIK is already in hand (request {other_id}); \
                     follow it or withdraw it first"
                ),
            ));
        }
    }
    use base64::Engine as _;
    let flags = serde_json::to_string(&checked.flags).map_err(|err| ApiError::internal(&err))?;
    let request_json = serde_json::to_string(request).map_err(|err| ApiError::internal(&err))?;
    sqlx::query(
        "INSERT INTO service_request (id, kind, polda, polres, status, submitted_by, citizen_ref, body, \
         body_sha256, nik_sha256, photo_base64, flags, submitted_ms, updated_ms, version) \
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)",
    )
    .bind(&id)
    .bind(kind.code())
    .bind(polda.code())
    .bind(request.polres.regency().digits())
    .bind(&submitter.name)
    .bind(citizen_ref)
    .bind(&request_json)
    .bind(body_sha256)
    .bind(&nik_sha256)
    .bind(photo.map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)))
    .bind(&flags)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_step(
        &mut tx,
        &id,
        1,
        "submitted",
        RequestStatus::Submitted,
        submitter,
        None,
        None,
        now,
    )
    .await?;
    let audit = Audit::by(
        submitter,
        Some(polda.code()),
        "service_submitted",
        &id,
        kind.code(),
    );
    crate::audit::record_in(&mut tx, &audit, now).await?;
    tx.commit().await?;
    drop(_guard);
    tracing::info!(request = %id, kind = kind.code(), polda = polda.code(), "citizen request submitted");
    Ok(Accepted::Stored { created: true })
}

/// True when a new request repeats an open one of the same NIK: an SKCK for the same purpose, or a
/// report of loss of the same day naming an item the open one names.
fn repeats(new: &RequestDetails, open: &RequestDetails) -> bool {
    match (new, open) {
        (RequestDetails::Skck(a), RequestDetails::Skck(b)) => a.purpose == b.purpose,
        (RequestDetails::LossReport(a), RequestDetails::LossReport(b)) => {
            a.lost_on == b.lost_on && a.items.iter().any(|item| b.items.contains(item))
        }
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_step(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    request_id: &str,
    version: i64,
    action: &str,
    status: RequestStatus,
    caller: &Caller,
    reason: Option<RejectReason>,
    note: Option<&str>,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_step (request_id, version, action, status, actor, role, reason, note, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(request_id)
    .bind(version)
    .bind(action)
    .bind(status.code())
    .bind(&caller.name)
    .bind(caller.role.code())
    .bind(reason.map(|r| {
        serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }))
    .bind(note)
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that `caller` opened `what` (`detail`, `photo`, `letter`) of a request.
pub(crate) async fn record_view(
    state: &AppState,
    request_id: &str,
    caller: &Caller,
    what: &str,
) -> ApiResult<()> {
    record_view_as(state, request_id, caller, "document_view", what).await
}

/// Records a view of a request's personal data (table `document_view`, and `action` in the audit trail).
async fn record_view_as(
    state: &AppState,
    request_id: &str,
    caller: &Caller,
    action: &str,
    what: &str,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO document_view (id, request_id, actor, role, what, at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(request_id)
    .bind(&caller.name)
    .bind(caller.role.code())
    .bind(what)
    .bind(state.services.now_ms())
    .execute(&state.store.pool)
    .await?;
    let polda: Option<(String,)> = sqlx::query_as("SELECT polda FROM service_request WHERE id = $1")
        .bind(request_id)
        .fetch_optional(&state.store.pool)
        .await?;
    let audit = Audit::by(
        caller,
        polda.as_ref().map(|(p,)| p.as_str()),
        action,
        request_id,
        what,
    );
    crate::audit::record(&state.store, &audit, state.services.now_ms()).await?;
    Ok(())
}

/// The filters of `GET /v1/services/requests`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    /// A Polda code (national accounts; a Polda account always gets its own).
    pub polda: Option<String>,
    /// One status.
    pub status: Option<String>,
    /// One kind.
    pub kind: Option<String>,
    /// The app's citizen id (required for the app).
    pub citizen: Option<String>,
    /// Only requests changed after this (Unix ms), oldest change first: how a desk follows the queue.
    pub updated_after: Option<i64>,
    /// At most this many (default and cap: the server's page size).
    pub limit: Option<i64>,
}

/// `GET /v1/services/requests`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<ListQuery>,
) -> ApiResult<Json<ServiceRequestList>> {
    let mut sql = String::from("SELECT id FROM service_request WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if caller.role == Role::App {
        let citizen = query
            .citizen
            .clone()
            .filter(|c| citizen_ref_ok(c))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "citizen_required",
                    "the app lists one citizen's requests: ?citizen=",
                )
            })?;
        bind(&mut sql, " AND submitted_by = ?", caller.name.clone());
        bind(&mut sql, " AND citizen_ref = ?", citizen);
    }
    match (&caller.polda, &query.polda) {
        (Some(own), Some(asked)) if own != asked => {
            return Err(ApiError::forbidden("a Polda account lists its own Polda only"))
        }
        (Some(own), _) => bind(&mut sql, " AND polda = ?", own.clone()),
        (None, Some(asked)) => {
            crate::kiosks::check_polda(asked)?;
            bind(&mut sql, " AND polda = ?", asked.clone());
        }
        (None, None) => {}
    }
    if let Some(status) = &query.status {
        let status = RequestStatus::parse(status)
            .ok_or_else(|| ApiError::bad_request("bad_status", format!("unknown status {status:?}")))?;
        bind(&mut sql, " AND status = ?", status.code().to_owned());
    }
    if let Some(kind) = &query.kind {
        let kind = ServiceKind::parse(kind)
            .ok_or_else(|| ApiError::bad_request("bad_kind", format!("unknown kind {kind:?}")))?;
        bind(&mut sql, " AND kind = ?", kind.code().to_owned());
    }
    let limit = query
        .limit
        .unwrap_or(state.limits.max_page)
        .clamp(1, state.limits.max_page);
    let mut q;
    if let Some(after) = query.updated_after {
        sql.push_str(&format!(
            " AND updated_ms > ${} ORDER BY updated_ms, id LIMIT {limit}",
            binds.len() + 1
        ));
        q = sqlx::query_as::<_, (String,)>(&sql);
        for value in &binds {
            q = q.bind(value);
        }
        q = q.bind(after);
    } else {
        sql.push_str(&format!(" ORDER BY updated_ms DESC, id LIMIT {limit}"));
        q = sqlx::query_as::<_, (String,)>(&sql);
        for value in &binds {
            q = q.bind(value);
        }
    }
    let ids = q.fetch_all(&state.store.pool).await?;
    let mut requests = Vec::with_capacity(ids.len());
    for (id,) in ids {
        if let Some(view) = load_view(&state, &id).await? {
            requests.push(view);
        }
    }
    for request in &requests {
        record_view(&state, &request.request.id.to_string(), &caller, "list").await?;
    }
    let requests = requests.into_iter().map(|view| shown_to(&caller, view)).collect();
    Ok(Json(ServiceRequestList { requests }))
}

async fn visible(state: &AppState, caller: &Caller, id: &str) -> ApiResult<()> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT polda, submitted_by FROM service_request WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.store.pool)
            .await?;
    match row {
        Some((polda, submitted_by)) if sees(caller, &polda, &submitted_by) => Ok(()),
        _ => Err(ApiError::not_found("request")),
    }
}

fn parse_id(id: &str) -> ApiResult<String> {
    Uuid::parse_str(id)
        .map(|id| id.to_string())
        .map_err(|_| ApiError::not_found("request"))
}

/// `GET /v1/services/requests/{request_id}`.
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<ServiceRequestView>> {
    let id = parse_id(&id)?;
    visible(&state, &caller, &id).await?;
    let view = load_view(&state, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))?;
    record_view(&state, &id, &caller, "detail").await?;
    Ok(Json(shown_to(&caller, view)))
}

/// The view as `caller` may see it: the applicant's NIK masked (its region digits kept) for every officer —
/// they read what it says in `nikCheck` and reveal it whole with `POST …/nik`, which is recorded — and whole
/// for the 110 app, whose citizen it is.
pub fn shown_to(caller: &Caller, mut view: ServiceRequestView) -> ServiceRequestView {
    if caller.role != Role::App {
        view.request.applicant.nik = siaga_domain::nik::mask_nik(&view.request.applicant.nik);
    }
    view
}

/// `POST /v1/services/requests/{request_id}/nik`: the applicant's NIK whole, for an officer who must read it;
/// each reveal is recorded (`nik_reveal` in the Polda's audit trail, and among the request's views).
pub async fn reveal_nik(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<siaga_api::services::NikRevealed>> {
    let id = parse_id(&id)?;
    visible(&state, &caller, &id).await?;
    let (body,): (String,) = sqlx::query_as("SELECT body FROM service_request WHERE id = $1")
        .bind(&id)
        .fetch_one(&state.store.pool)
        .await?;
    let submission: Submission = serde_json::from_str(&body).map_err(|err| ApiError::internal(&err))?;
    record_view_as(&state, &id, &caller, "nik_reveal", "nik").await?;
    Ok(Json(siaga_api::services::NikRevealed {
        nik: submission.applicant.nik,
    }))
}

/// `GET /v1/services/requests/{request_id}/photo`: the JPEG.
pub async fn photo(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    use base64::Engine as _;
    let id = parse_id(&id)?;
    visible(&state, &caller, &id).await?;
    let (photo,): (Option<String>,) =
        sqlx::query_as("SELECT photo_base64 FROM service_request WHERE id = $1")
            .bind(&id)
            .fetch_one(&state.store.pool)
            .await?;
    let photo = photo.ok_or_else(|| ApiError::not_found("photo"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(photo)
        .map_err(|err| ApiError::internal(&err))?;
    record_view(&state, &id, &caller, "photo").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /v1/services/requests/{request_id}/letter`: the signed PDF.
pub async fn letter(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    visible(&state, &caller, &id).await?;
    letter_file(&state, &id, &caller).await
}

/// The signed PDF of request `id` for a caller allowed to see it (the app and the citizen get `410` for
/// a revoked letter); the view is recorded.
pub(crate) async fn letter_file(state: &AppState, id: &str, caller: &Caller) -> ApiResult<Response> {
    use base64::Engine as _;
    let row: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT number, pdf_base64, revoked_ms FROM letter WHERE request_id = $1")
            .bind(id)
            .fetch_optional(&state.store.pool)
            .await?;
    let (number, pdf, revoked) = row.ok_or_else(|| ApiError::not_found("letter"))?;
    if revoked.is_some() && caller.role == Role::App {
        return Err(ApiError::new(
            StatusCode::GONE,
            "letter_revoked",
            "this letter was revoked",
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf)
        .map_err(|err| ApiError::internal(&err))?;
    record_view(state, id, caller, "letter").await?;
    let file = format!("attachment; filename=\"{}.pdf\"", number.replace('/', "-"));
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /v1/services/requests/{request_id}/actions`.
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ServiceActionRequest>,
) -> ApiResult<Json<ServiceRequestView>> {
    let id = parse_id(&id)?;
    if let Some(note) = &body.note {
        if note.chars().count() > MAX_NOTE_CHARS || note.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ApiError::unprocessable(
                "invalid_note",
                format!("a note is at most {MAX_NOTE_CHARS} characters, without control characters"),
            ));
        }
    }
    if body.reason == Some(RejectReason::Other) && body.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(ApiError::unprocessable(
            "note_required",
            "the reason \"other\" needs a note",
        ));
    }
    let now = state.services.now_ms();
    let _guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT polda, submitted_by, status, body, version FROM service_request WHERE id = $1",
    )
    .bind(&id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((polda, submitted_by, status, request_json, version)) = row else {
        return Err(ApiError::not_found("request"));
    };
    if !sees(&caller, &polda, &submitted_by) {
        return Err(ApiError::not_found("request"));
    }
    if body.expected_version.is_some_and(|expected| expected != version) {
        return Err(ApiError::conflict(
            "stale_version",
            format!("the request changed since (now version {version}); reload it"),
        ));
    }
    let status = RequestStatus::parse(&status).ok_or_else(|| ApiError::internal(&"stored status"))?;
    let submission: Submission =
        serde_json::from_str(&request_json).map_err(|err| ApiError::internal(&err))?;
    let kind = submission.details.kind();
    let role = caller.role.flow_role().unwrap_or(caller.role);
    let next = status
        .apply(body.action, role, kind, body.reason.is_some())
        .map_err(|err| ApiError::unprocessable(err.code(), err.reason(Language::En)))?;
    match body.action {
        RequestAction::Issue => {
            let officer = body.officer.as_ref().ok_or_else(|| {
                ApiError::unprocessable("officer_required", "issuing names the signing officer")
            })?;
            if let Some(problem) = officer.problem(Language::En) {
                return Err(ApiError::unprocessable("invalid_officer", problem));
            }
            letters::issue_in(&state, &mut tx, &id, &submission, officer, now).await?;
        }
        RequestAction::Revoke => {
            sqlx::query("UPDATE letter SET revoked_ms = $1 WHERE request_id = $2")
                .bind(now)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
        }
        _ => {}
    }
    sqlx::query("UPDATE service_request SET status = $1, updated_ms = $2, version = $3 WHERE id = $4")
        .bind(next.code())
        .bind(now)
        .bind(version + 1)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    insert_step(
        &mut tx,
        &id,
        version + 1,
        body.action.code(),
        next,
        &caller,
        body.reason,
        body.note.as_deref(),
        now,
    )
    .await?;
    let audit = Audit::by(&caller, Some(&polda), "service_action", &id, body.action.code());
    crate::audit::record_in(&mut tx, &audit, now).await?;
    tx.commit().await?;
    drop(_guard);
    tracing::info!(request = %id, action = body.action.code(), actor = %caller.name, "citizen request changed");
    let view = load_view(&state, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))?;
    Ok(Json(shown_to(&caller, view)))
}

/// The filters of `GET /v1/services/counts`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CountsQuery {
    /// A Polda code (national accounts).
    pub polda: Option<String>,
}

/// `GET /v1/services/counts`.
pub async fn counts(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<CountsQuery>,
) -> ApiResult<Json<ServiceCounts>> {
    let polda = match (&caller.polda, &query.polda) {
        (Some(own), Some(asked)) if own != asked => {
            return Err(ApiError::forbidden("a Polda account counts its own Polda only"))
        }
        (Some(own), _) => Some(own.clone()),
        (None, Some(asked)) => Some(crate::kiosks::check_polda(asked)?.code().to_owned()),
        (None, None) => None,
    };
    let rows: Vec<(String, String, i64)> = match &polda {
        Some(polda) => {
            sqlx::query_as(
                "SELECT kind, status, COUNT(*) FROM service_request WHERE polda = $1 GROUP BY kind, status ORDER BY kind, status",
            )
            .bind(polda)
            .fetch_all(&state.store.pool)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT kind, status, COUNT(*) FROM service_request GROUP BY kind, status ORDER BY kind, status",
            )
            .fetch_all(&state.store.pool)
            .await?
        }
    };
    let counts = rows
        .into_iter()
        .filter_map(|(kind, status, count)| {
            Some(ServiceCount {
                kind: ServiceKind::parse(&kind)?,
                status: RequestStatus::parse(&status)?,
                count,
            })
        })
        .collect();
    Ok(Json(ServiceCounts { counts }))
}
