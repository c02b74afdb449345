//! Desk updates (decision 0021): the releases an admin added with `siaga-central add-release`, served to the
//! Polda's desks as the release manager signed them. The central holds no release key and signs nothing: a desk
//! checks the signature against the keys it was built with, so a central broken into cannot push a build of its
//! own. What the central checks when a release is added is only what catches an admin's mistake (the manifest
//! reads, the package is the one it names, a version is never replaced by other bytes).

use crate::error::{ApiError, ApiResult};
use crate::store::Store;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use siaga_api::updates::{LatestRelease, PublishedRelease};
use siaga_update::{check_manifest, check_package, Manifest, SignedManifest, Version};

/// Why a release was not added.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("the release file does not read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Update(#[from] siaga_update::UpdateError),
    #[error("{platform} {version} is already kept with other contents; a version is never replaced")]
    Replaced { platform: String, version: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Adds a signed release and its package (what `siaga-central add-release` does). Adding the same release again
/// changes nothing.
pub async fn add_release(
    store: &Store,
    signed: &SignedManifest,
    package: &[u8],
) -> Result<Manifest, ReleaseError> {
    let manifest: Manifest =
        serde_json::from_str(&signed.manifest).map_err(|e| ReleaseError::Unreadable(e.to_string()))?;
    check_manifest(&manifest)?;
    check_package(&manifest, package)?;
    if signed.signature.trim().is_empty() {
        return Err(siaga_update::UpdateError::Unsigned.into());
    }
    let kept: Option<(String,)> =
        sqlx::query_as("SELECT manifest FROM desk_release WHERE platform = $1 AND version = $2")
            .bind(&manifest.platform)
            .bind(&manifest.version)
            .fetch_optional(&store.pool)
            .await?;
    match kept {
        Some((text,)) if text == signed.manifest => return Ok(manifest),
        Some(_) => {
            return Err(ReleaseError::Replaced {
                platform: manifest.platform,
                version: manifest.version,
            })
        }
        None => {}
    }
    sqlx::query(
        "INSERT INTO desk_release (platform, version, manifest, signature, key_id, package_name, package_sha256, \
         package, added_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&manifest.platform)
    .bind(&manifest.version)
    .bind(&signed.manifest)
    .bind(&signed.signature)
    .bind(&signed.key_id)
    .bind(&manifest.package)
    .bind(&manifest.sha256)
    .bind(package.to_vec())
    .bind(crate::store::now_ms())
    .execute(&store.pool)
    .await?;
    Ok(manifest)
}

fn known_platform(platform: &str) -> ApiResult<()> {
    if siaga_update::PLATFORMS.contains(&platform) {
        Ok(())
    } else {
        Err(ApiError::not_found("platform"))
    }
}

/// `GET /v1/updates/{platform}`: the newest release kept for the platform (by version number, not by when it
/// was added).
pub async fn latest(
    State(state): State<AppState>,
    Path(platform): Path<String>,
) -> ApiResult<Json<LatestRelease>> {
    known_platform(&platform)?;
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT version, manifest, signature, key_id FROM desk_release WHERE platform = $1")
            .bind(&platform)
            .fetch_all(&state.store.pool)
            .await?;
    let newest = rows
        .into_iter()
        .filter_map(|row| Version::parse(&row.0).map(|version| (version, row)))
        .max_by_key(|(version, _)| *version)
        .map(|(_, (version, manifest, signature, key_id))| PublishedRelease {
            version,
            manifest,
            signature,
            key_id,
        });
    Ok(Json(LatestRelease { release: newest }))
}

/// `GET /v1/updates/{platform}/{version}/package`: the package, as added.
pub async fn package(
    State(state): State<AppState>,
    Path((platform, version)): Path<(String, String)>,
) -> ApiResult<Response> {
    known_platform(&platform)?;
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT package_name, package FROM desk_release WHERE platform = $1 AND version = $2")
            .bind(&platform)
            .bind(&version)
            .fetch_optional(&state.store.pool)
            .await?;
    let (name, bytes) = row.ok_or_else(|| ApiError::not_found("release"))?;
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}
