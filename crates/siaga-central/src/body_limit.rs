//! Oversized request bodies: a request that declares more than the server accepts is answered 413
//! `body_too_large` only after its body has been read and thrown away (up to [`DRAIN_AT_MOST`], or twice a
//! route's own larger limit, within
//! [`DRAIN_WITHIN`]). Answering while the body is still arriving makes the server close a socket with unread
//! data, which the kernel turns into a reset: the client (a kiosk, a desk) would then see a broken connection
//! instead of the answer. Bodies without a declared length are still cut by the extractors' limit.

use crate::error::ApiError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The most of an oversized body the server reads to answer it cleanly; beyond that it just answers.
pub const DRAIN_AT_MOST: u64 = 1024 * 1024;
/// How long the server spends reading an oversized body before it answers anyway.
pub const DRAIN_WITHIN: Duration = Duration::from_secs(5);

/// The limit of a route that takes a picture (a citizen's photo, an evidence still), larger than the server's.
fn own_limit(request: &Request) -> Option<u64> {
    let path = request.extensions().get::<axum::extract::MatchedPath>()?.as_str();
    let method = request.method();
    if method == axum::http::Method::POST && crate::services::PHOTO_ROUTES.contains(&path) {
        Some(crate::services::MAX_SUBMISSION_BYTES as u64)
    } else if method == axum::http::Method::PUT && path == crate::evidence::UPLOAD_ROUTE {
        Some(siaga_domain::evidence::MAX_EVIDENCE_BYTES)
    } else {
        None
    }
}

/// The middleware (inside authorisation, so an unauthenticated caller never gets its body read).
pub async fn refuse_oversized(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let limit = own_limit(&request).unwrap_or(state.limits.max_body_bytes as u64);
    match declared {
        Some(length) if length > limit => {
            // A route with a larger limit (a picture's upload) drains up to twice its own limit.
            let drain_at_most = DRAIN_AT_MOST.max(limit.saturating_mul(2));
            if length <= drain_at_most {
                let body: Body = request.into_body();
                let drain = axum::body::to_bytes(body, drain_at_most as usize);
                let _ = tokio::time::timeout(DRAIN_WITHIN, drain).await;
            }
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the body is larger than the server accepts",
            )
            .into_response()
        }
        _ => next.run(request).await,
    }
}
