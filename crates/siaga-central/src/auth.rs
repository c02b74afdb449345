//! Who is calling: argon2id password hashes, opaque bearer tokens (random, stored only as SHA-256
//! hashes), and the [`Caller`] every authorised request carries, with its role (the domain's
//! [`Role`], by its code) and its Polda scope.

use crate::error::ApiError;
use crate::store::{now_ms, Store};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use siaga_api::{PrincipalInfo, TokenPair};
use siaga_domain::Role;

/// The authenticated principal of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Account name, or kiosk id.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its Polda; `None` for a national account, which sees every Polda.
    pub polda: Option<String>,
}

impl Caller {
    /// Whether the caller may see and touch data of `polda`.
    pub fn sees(&self, polda: &str) -> bool {
        self.polda.as_deref().is_none_or(|own| own == polda)
    }

    /// Fails with 404 (not 403, so other Poldas' ids do not leak) when `polda` is outside the scope.
    pub fn check_scope(&self, polda: &str, what: &str) -> Result<(), ApiError> {
        if self.sees(polda) {
            Ok(())
        } else {
            Err(ApiError::not_found(what))
        }
    }

    /// The caller as shown on the wire.
    pub fn info(&self) -> PrincipalInfo {
        PrincipalInfo {
            name: self.name.clone(),
            role: self.role.code().to_owned(),
            polda: self.polda.clone(),
        }
    }
}

/// How long tokens live.
#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// Access token lifetime in milliseconds.
    pub access_ms: i64,
    /// Refresh token lifetime in milliseconds.
    pub refresh_ms: i64,
}

impl Default for TokenPolicy {
    fn default() -> TokenPolicy {
        TokenPolicy {
            access_ms: 15 * 60 * 1000,
            refresh_ms: 12 * 60 * 60 * 1000,
        }
    }
}

fn random_hex(bytes: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|err| ApiError::internal(&err))?;
    Ok(hex::encode(buf))
}

/// A new random secret (tokens, kiosk secrets).
pub fn new_secret() -> Result<String, ApiError> {
    random_hex(32)
}

/// The stored form of a token or kiosk secret.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id (on a blocking thread: it is deliberately slow).
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| ApiError::internal(&err))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|err| ApiError::internal(&err))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| ApiError::internal(&err))
    })
    .await
    .map_err(|err| ApiError::internal(&err))?
}

/// A real hash of nothing, verified against when the account does not exist so that an unknown name
/// costs as much time as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2lhZ2FzaWFnYXNpYWdh$1Zf0yD0ofXmlCjZT5h6EJgLQd4D1iV8vW6jxoYqYlZ8";

/// Checks a password against a stored argon2id hash, or against the dummy one when the account is
/// unknown, so both cost the same (19 MiB, about the same time). CPU- and memory-heavy: run it through
/// [`crate::login_guard::LoginGuard::hash`], never on an async thread.
pub fn check_password(password: &str, hash: Option<&str>) -> bool {
    let known = hash.is_some();
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(DUMMY_HASH)) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && known
}

/// Starts a session for `caller`: a new token family with an access token (and for accounts a refresh
/// token).
pub async fn issue_tokens(
    store: &Store,
    policy: TokenPolicy,
    caller: &Caller,
) -> Result<TokenPair, ApiError> {
    let family = new_secret()?;
    issue_in_family(store, policy, caller, &family, None).await
}

/// Issues a pair in `family` (earlier access tokens run to their expiry). With `successor_of` (the hash of
/// the refresh token just spent), nothing is issued if that token is gone, i.e. the family was revoked
/// meanwhile (a reuse elsewhere, a logout).
async fn issue_in_family(
    store: &Store,
    policy: TokenPolicy,
    caller: &Caller,
    family: &str,
    successor_of: Option<&str>,
) -> Result<TokenPair, ApiError> {
    let now = now_ms();
    let access = format!("sga_{}", new_secret()?);
    let mut kinds = vec![("access", access.clone(), now + policy.access_ms)];
    let refresh = if caller.role == Role::Kiosk {
        None
    } else {
        let refresh = format!("sgr_{}", new_secret()?);
        kinds.push(("refresh", refresh.clone(), now + policy.refresh_ms));
        Some(refresh)
    };
    let _guard = store.write_guard().await;
    // Expired tokens are swept as new ones are made.
    sqlx::query("DELETE FROM tokens WHERE expires_ms < $1")
        .bind(now - policy.refresh_ms)
        .execute(&store.pool)
        .await?;
    for (kind, token, expires) in kinds {
        let inserted = sqlx::query(
            "INSERT INTO tokens (token_hash, kind, subject, role, polda, expires_ms, family) \
             SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $8 = '' OR EXISTS (SELECT 1 FROM tokens WHERE token_hash = $8)",
        )
        .bind(token_hash(&token))
        .bind(kind)
        .bind(&caller.name)
        .bind(caller.role.code())
        .bind(caller.polda.clone())
        .bind(expires)
        .bind(family)
        .bind(successor_of.unwrap_or(""))
        .execute(&store.pool)
        .await?;
        if inserted.rows_affected() != 1 {
            return Err(session_ended());
        }
    }
    Ok(TokenPair {
        access_token: access,
        expires_in: (policy.access_ms / 1000) as u64,
        refresh_token: refresh,
        principal: caller.info(),
    })
}

fn session_ended() -> ApiError {
    ApiError::unauthorized(
        "session_ended",
        "this session was ended (signed out, or its refresh token was used twice); sign in again",
    )
}

/// Trades a refresh token for a new pair, once: the token is spent by one atomic update, so of any
/// number of concurrent refreshes exactly one gets a successor. A spent token presented again (a copy
/// someone kept) ends the whole session: every token of its family is revoked.
pub async fn refresh_tokens(
    store: &Store,
    policy: TokenPolicy,
    refresh_token: &str,
) -> Result<TokenPair, ApiError> {
    let now = now_ms();
    let hash = token_hash(refresh_token);
    let won = {
        let _guard = store.write_guard().await;
        sqlx::query(
            "UPDATE tokens SET spent_ms = $1 WHERE token_hash = $2 AND kind = 'refresh' AND spent_ms IS NULL AND expires_ms > $1",
        )
        .bind(now)
        .bind(&hash)
        .execute(&store.pool)
        .await?
        .rows_affected()
            == 1
    };
    type Row = (String, String, String, Option<String>, i64, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT kind, subject, role, polda, expires_ms, family FROM tokens WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&store.pool)
    .await?;
    let Some((kind, subject, role, polda, expires, family)) = row else {
        return Err(ApiError::unauthorized(
            "invalid_token",
            "the token is unknown or was revoked",
        ));
    };
    if kind != "refresh" {
        return Err(ApiError::unauthorized(
            "wrong_token_kind",
            format!("a {kind} token was sent where a refresh token is needed"),
        ));
    }
    if expires <= now {
        return Err(ApiError::unauthorized(
            "token_expired",
            "the token has expired; log in or refresh",
        ));
    }
    let family = family.unwrap_or_else(|| hash.clone());
    if !won {
        revoke_family(store, &family, &hash).await?;
        return Err(session_ended());
    }
    let role = Role::parse_principal(&role)
        .ok_or_else(|| ApiError::internal(&format!("stored role {role:?} is unknown")))?;
    let caller = Caller {
        name: subject,
        role,
        polda,
    };
    issue_in_family(store, policy, &caller, &family, Some(&hash)).await
}

/// Ends the session `token` belongs to (logout): every token of its family, or the token alone if it
/// has none (issued before families existed). Answers the hashes of the tokens revoked, so live
/// sessions opened with them can be closed.
pub async fn end_session(store: &Store, token: &str) -> Result<Vec<String>, ApiError> {
    let hash = token_hash(token);
    let family: Option<(Option<String>,)> = sqlx::query_as("SELECT family FROM tokens WHERE token_hash = $1")
        .bind(&hash)
        .fetch_optional(&store.pool)
        .await?;
    let Some((Some(family),)) = family else {
        revoke_token(store, token).await?;
        return Ok(vec![hash]);
    };
    let members: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM tokens WHERE family = $1")
        .bind(&family)
        .fetch_all(&store.pool)
        .await?;
    revoke_family(store, &family, &hash).await?;
    Ok(members.into_iter().map(|(hash,)| hash).collect())
}

/// Deletes every token of `family` (and the token hashed `hash`, for tokens without a family).
async fn revoke_family(store: &Store, family: &str, hash: &str) -> Result<(), ApiError> {
    let _guard = store.write_guard().await;
    sqlx::query("DELETE FROM tokens WHERE family = $1 OR token_hash = $2")
        .bind(family)
        .bind(hash)
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// Which kind of token a lookup expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Sent on every request.
    Access,
    /// Only for `POST /v1/auth/refresh`.
    Refresh,
}

/// Resolves a bearer token to its caller, rejecting unknown, wrong-kind and expired tokens with 401.
pub async fn resolve_token(store: &Store, token: &str, kind: TokenKind) -> Result<Caller, ApiError> {
    let row: Option<(String, String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT kind, subject, role, polda, expires_ms FROM tokens WHERE token_hash = $1 AND spent_ms IS NULL")
            .bind(token_hash(token))
            .fetch_optional(&store.pool)
            .await?;
    let Some((stored_kind, subject, role, polda, expires)) = row else {
        return Err(ApiError::unauthorized(
            "invalid_token",
            "the token is unknown or was revoked",
        ));
    };
    let wanted = match kind {
        TokenKind::Access => "access",
        TokenKind::Refresh => "refresh",
    };
    if stored_kind != wanted {
        return Err(ApiError::unauthorized(
            "wrong_token_kind",
            format!("a {stored_kind} token was sent where a {wanted} token is needed"),
        ));
    }
    if expires <= now_ms() {
        return Err(ApiError::unauthorized(
            "token_expired",
            "the token has expired; log in or refresh",
        ));
    }
    let role = Role::parse_principal(&role)
        .ok_or_else(|| ApiError::internal(&format!("stored role {role:?} is unknown")))?;
    Ok(Caller {
        name: subject,
        role,
        polda,
    })
}

/// Deletes a token (logout, refresh rotation).
pub async fn revoke_token(store: &Store, token: &str) -> Result<(), ApiError> {
    let _guard = store.write_guard().await;
    sqlx::query("DELETE FROM tokens WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// The longest password accepted (longer ones are refused before any hash).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords people pick first, padded to length; refused whatever the rest.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "katasandi",
    "123456",
    "qwerty",
    "admin",
    "polri",
    "polisi",
    "siaga110",
    "indonesia",
    "jakarta",
    "bismillah",
    "iloveyou",
    "rahasia",
];

/// Checks a new account's password: 12 to [`MAX_PASSWORD_CHARS`] characters, at least 6 different ones,
/// not containing the username, and not built around a password people pick first (with every such word
/// taken out, at least 8 characters must remain: `a long enough password` passes, `Polri2024!!!` does
/// not).
pub fn check_new_password(username: &str, password: &str) -> Result<(), ApiError> {
    let weak = |why: &str| Err(ApiError::unprocessable("weak_password", why.to_owned()));
    let chars = password.chars().count();
    if chars < 12 {
        return weak("a password has at least 12 characters");
    }
    if chars > MAX_PASSWORD_CHARS {
        return weak("a password has at most 256 characters");
    }
    let distinct: std::collections::BTreeSet<char> = password.chars().collect();
    if distinct.len() < 6 {
        return weak("a password has at least 6 different characters");
    }
    let lower = password.to_lowercase();
    if username.chars().count() >= 3 && lower.contains(&username.to_lowercase()) {
        return weak("a password does not contain the username");
    }
    let rest = COMMON_PASSWORDS
        .iter()
        .fold(lower, |rest, common| rest.replace(common, ""));
    if rest.chars().count() < 8 {
        return weak(
            "a password is not built around a common word or sequence (password, 123456, qwerty, polri, …)",
        );
    }
    Ok(())
}

/// Creates an operator account. Used by `POST /v1/users` and the `create-admin` subcommand.
pub async fn create_user(
    store: &Store,
    username: &str,
    password: String,
    role: Role,
    polda: Option<&str>,
) -> Result<String, ApiError> {
    if role == Role::Kiosk {
        return Err(ApiError::unprocessable(
            "invalid_role",
            "kiosks are registered through /v1/kiosks",
        ));
    }
    if !Role::PRINCIPALS.contains(&role) {
        return Err(ApiError::unprocessable(
            "invalid_role",
            format!("no account has the role {role}"),
        ));
    }
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(ApiError::unprocessable(
            "invalid_username",
            "a username is 1–64 characters of letters, digits, '.', '_' or '-'",
        ));
    }
    check_new_password(username, &password)?;
    let hash = hash_password(password).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let _guard = store.write_guard().await;
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, polda, created_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING",
    )
    .bind(&id)
    .bind(username)
    .bind(hash)
    .bind(role.code())
    .bind(polda.map(str::to_owned))
    .bind(now_ms())
    .execute(&store.pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ApiError::conflict(
            "username_taken",
            "an account with this username exists",
        ));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        // An unknown account must cost a full verification, not a parse failure.
        let parsed = PasswordHash::new(DUMMY_HASH).expect("parses");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
    }

    #[test]
    fn scope() {
        let national = Caller {
            name: "n".into(),
            role: Role::Supervisor,
            polda: None,
        };
        let diy = Caller {
            name: "d".into(),
            role: Role::Operator1,
            polda: Some("diy".into()),
        };
        assert!(national.sees("diy") && national.sees("metro_jaya"));
        assert!(diy.sees("diy") && !diy.sees("metro_jaya"));
        assert_eq!(
            diy.check_scope("metro_jaya", "incident").unwrap_err().status,
            axum::http::StatusCode::NOT_FOUND
        );
    }
}
