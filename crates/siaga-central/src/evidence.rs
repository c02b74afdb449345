//! Evidence pictures (decision 0022): a desk uploads the still it kept in a validation call under the incident
//! and the picture's SHA-256 (`PUT /v1/incidents/{id}/evidence/{sha256}`), and the Polda's other desks fetch it
//! by that name when the incident's log says it was attached. Content-addressed (the bytes must be the ones
//! named, so an upload again is a no-op and nothing can be swapped under a name), scoped to the incident's Polda,
//! checked to be a JPEG of sane size, and each upload and first view an entry of the Polda's audit trail. The
//! pictures show the reporter's face and papers: roles that may not see personal data get none.

use crate::audit::{record_in, Audit};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use siaga_domain::evidence::{check_fetched, ContentDigest, EvidenceProblem, MediaType};

/// The upload route, whose body limit is [`siaga_domain::evidence::MAX_EVIDENCE_BYTES`].
pub const UPLOAD_ROUTE: &str = "/v1/incidents/{incident_id}/evidence/{sha256}";

fn problem(problem: &EvidenceProblem) -> ApiError {
    ApiError::bad_request(problem.code(), problem.to_string())
}

/// The incident's Polda, when `caller` may see it (404 otherwise, as for an unknown incident), and the digest.
async fn scope(
    state: &AppState,
    caller: &Caller,
    incident_id: &str,
    sha256: &str,
) -> ApiResult<(String, ContentDigest)> {
    let digest = ContentDigest::parse(sha256).map_err(|err| problem(&err))?;
    let incident = uuid::Uuid::parse_str(incident_id).map_err(|_| ApiError::not_found("incident"))?;
    let row: Option<(String,)> = sqlx::query_as("SELECT polda FROM incidents WHERE id = $1")
        .bind(incident.to_string())
        .fetch_optional(&state.store.pool)
        .await?;
    let (polda,) = row.ok_or_else(|| ApiError::not_found("incident"))?;
    caller.check_scope(&polda, "incident")?;
    Ok((polda, digest))
}

/// `PUT /v1/incidents/{incident_id}/evidence/{sha256}`: keeps the picture named `sha256` for the incident.
/// `201` when new, `200` when the central held it already.
pub async fn upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((incident_id, sha256)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let (polda, digest) = scope(&state, &caller, &incident_id, &sha256).await?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(MediaType::from_mime)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "media_type",
                "evidence is image/jpeg",
            )
        })?;
    let picture = check_fetched(&digest, &body).map_err(|err| problem(&err))?;
    if picture.media_type != media_type {
        return Err(problem(&EvidenceProblem::NotJpeg));
    }
    let now = crate::store::now_ms();
    let _guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO evidence (incident_id, sha256, polda, media_type, data, bytes, uploaded_by, uploaded_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (incident_id, sha256) DO NOTHING",
    )
    .bind(&incident_id)
    .bind(digest.as_str())
    .bind(&polda)
    .bind(media_type.mime())
    .bind(body.to_vec())
    .bind(picture.bytes as i64)
    .bind(&caller.name)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(StatusCode::OK);
    }
    let detail = format!(
        "{} {}×{} {} B",
        digest.short(),
        picture.width,
        picture.height,
        picture.bytes
    );
    record_in(
        &mut tx,
        &Audit::by(&caller, Some(&polda), "evidence_uploaded", &incident_id, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(incident = %incident_id, evidence = digest.short(), actor = %caller.name, "evidence kept");
    Ok(StatusCode::CREATED)
}

/// `GET /v1/incidents/{incident_id}/evidence/{sha256}`: the picture (the view is recorded).
pub async fn fetch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((incident_id, sha256)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (polda, digest) = scope(&state, &caller, &incident_id, &sha256).await?;
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT media_type, data FROM evidence WHERE incident_id = $1 AND sha256 = $2")
            .bind(&incident_id)
            .bind(digest.as_str())
            .fetch_optional(&state.store.pool)
            .await?;
    let (media_type, data) = row.ok_or_else(|| ApiError::not_found("evidence"))?;
    let media_type =
        MediaType::from_mime(&media_type).ok_or_else(|| ApiError::internal(&"a stored media type"))?;
    let now = crate::store::now_ms();
    {
        let _guard = state.store.write_guard().await;
        let mut tx = state.store.begin_write().await?;
        record_in(
            &mut tx,
            &Audit::by(
                &caller,
                Some(&polda),
                "evidence_viewed",
                &incident_id,
                digest.short(),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok((
        [
            (header::CONTENT_TYPE, media_type.mime()),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        data,
    )
        .into_response())
}
