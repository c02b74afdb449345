//! Accounts and sessions: login, refresh, kiosk login, logout, `me`, and account administration.

use crate::audit::{self, Audit};
use crate::auth::{self, issue_tokens, Caller};
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::login_guard::Refusal;
use crate::routes::bearer_token;
use crate::AppState;
use axum::extract::{ConnectInfo, Extension, Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use siaga_api::{
    CreateUserRequest, KioskLoginRequest, LoginRequest, PrincipalInfo, RefreshRequest, TokenPair, UserInfo,
};
use siaga_domain::Role;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "unknown account or wrong password")
}

/// `POST /v1/auth/login`. Limited by [`crate::login_guard`]: `429 too_many_attempts` (with
/// `Retry-After`) after repeated failures, `503 busy` when every password-hash slot and waiting place is
/// taken.
pub async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<Json<TokenPair>, Response> {
    let address = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
    let guard = &state.login;
    guard
        .check(&body.username, address, Instant::now())
        .map_err(refused)?;
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT password_hash, role, polda FROM users WHERE username = $1")
            .bind(&body.username)
            .fetch_optional(&state.store.pool)
            .await
            .map_err(|e| ApiError::from(e).into_response())?;
    let hash = row.as_ref().map(|(hash, _, _)| hash.clone());
    if body.password.chars().count() > auth::MAX_PASSWORD_CHARS {
        guard.failed(&body.username, address, Instant::now());
        return Err(bad_credentials().into_response());
    }
    let password = body.password;
    let valid = guard
        .hash(move || auth::check_password(&password, hash.as_deref()))
        .await
        .map_err(refused)?;
    let (true, Some((_, role, polda))) = (valid, row) else {
        guard.failed(&body.username, address, Instant::now());
        return Err(bad_credentials().into_response());
    };
    guard.succeeded(&body.username);
    let role = Role::parse_principal(&role)
        .ok_or_else(|| ApiError::internal(&"stored role unknown").into_response())?;
    let caller = Caller {
        name: body.username,
        role,
        polda,
    };
    let pair = issue_tokens(&state.store, state.tokens, &caller)
        .await
        .map_err(IntoResponse::into_response)?;
    let audit = Audit::by(&caller, caller.polda.as_deref(), "sign_in", &caller.name, "");
    audit::record(&state.store, &audit, crate::store::now_ms())
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    Ok(Json(pair))
}

/// A sign-in not tried: 429 with the wait, or 503 when the server is saturated.
fn refused(refusal: Refusal) -> Response {
    let (error, wait) = match refusal {
        Refusal::Throttled(wait) => (
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!(
                    "too many failed sign-ins; try again in {} s",
                    wait.as_secs_f64().ceil()
                ),
            ),
            wait,
        ),
        Refusal::Busy => (
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the central is handling many sign-ins; try again shortly",
            ),
            Duration::from_secs(1),
        ),
    };
    let mut response = error.into_response();
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// `POST /v1/auth/refresh`: the old refresh token is revoked, a new pair issued.
pub async fn refresh(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    Ok(Json(
        auth::refresh_tokens(&state.store, state.tokens, &body.refresh_token).await?,
    ))
}

/// `POST /v1/auth/kiosk`: a kiosk trades its secret for an access token (no refresh token).
pub async fn kiosk_login(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<KioskLoginRequest>,
) -> ApiResult<Json<TokenPair>> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT secret_hash, polda FROM kiosks WHERE id = $1")
        .bind(&body.kiosk_id)
        .fetch_optional(&state.store.pool)
        .await?;
    let Some((secret_hash, polda)) = row else {
        return Err(bad_credentials());
    };
    if auth::token_hash(&body.secret) != secret_hash {
        return Err(bad_credentials());
    }
    let caller = Caller {
        name: body.kiosk_id,
        role: Role::Kiosk,
        polda: Some(polda),
    };
    Ok(Json(issue_tokens(&state.store, state.tokens, &caller).await?))
}

/// `POST /v1/auth/logout`: ends the session of the access token sent (its refresh token too, and any
/// live WebSocket it opened closes at its next check).
pub async fn logout(State(state): State<AppState>, request: Request) -> ApiResult<StatusCode> {
    if let Some(token) = bearer_token(&request) {
        let who = auth::resolve_token(&state.store, &token, auth::TokenKind::Access)
            .await
            .ok();
        let revoked = auth::end_session(&state.store, &token).await?;
        state.hub.sessions_ended(&revoked);
        if let Some(caller) = who {
            let audit = Audit::by(&caller, caller.polda.as_deref(), "sign_out", &caller.name, "");
            audit::record(&state.store, &audit, crate::store::now_ms()).await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/me`.
pub async fn me(Extension(caller): Extension<Caller>) -> Json<PrincipalInfo> {
    Json(caller.info())
}

/// `GET /v1/users`: accounts in the caller's scope.
pub async fn list_users(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<UserInfo>>> {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, username, role, polda FROM users ORDER BY username")
            .fetch_all(&state.store.pool)
            .await?;
    let users = rows
        .into_iter()
        .filter(|(_, _, _, polda)| match (&caller.polda, polda) {
            (None, _) => true,
            (Some(own), Some(theirs)) => own == theirs,
            (Some(_), None) => false,
        })
        .map(|(id, username, role, polda)| UserInfo {
            id,
            username,
            role,
            polda,
        })
        .collect();
    Ok(Json(users))
}

/// `POST /v1/users`: a Polda admin creates accounts in its own Polda; only a national admin may create
/// national accounts or accounts elsewhere.
pub async fn create_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserInfo>)> {
    let role = Role::parse_principal(&body.role)
        .filter(|role| *role != Role::Kiosk)
        .ok_or_else(|| {
            ApiError::unprocessable("invalid_role", format!("unknown account role {:?}", body.role))
        })?;
    match (&caller.polda, &body.polda) {
        (None, _) => {}
        (Some(own), Some(theirs)) if own == theirs => {}
        _ => {
            return Err(ApiError::forbidden(
                "a Polda admin creates accounts in its own Polda only",
            ))
        }
    }
    if let Some(polda) = &body.polda {
        crate::kiosks::check_polda(polda)?;
    }
    let id = auth::create_user(
        &state.store,
        &body.username,
        body.password,
        role,
        body.polda.as_deref(),
    )
    .await?;
    let detail = format!("role {}", role.code());
    let audit = Audit::by(
        &caller,
        body.polda.as_deref(),
        "account_created",
        &body.username,
        &detail,
    );
    audit::record(&state.store, &audit, crate::store::now_ms()).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserInfo {
            id,
            username: body.username,
            role: role.code().to_owned(),
            polda: body.polda,
        }),
    ))
}
