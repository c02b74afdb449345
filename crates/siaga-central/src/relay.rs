//! TURN relay credentials for video calls (decision 0006 addendum): the central names the Polda's TURN server
//! (coturn) and hands each call party — a desk, the 110 app — credentials of its own that lapse after
//! [`CREDENTIALS_LAST`]: coturn's shared-secret scheme (`--use-auth-secret`), where the user name is the expiry
//! and the account (`1796353200:op1-diy`) and the password the base64 HMAC-SHA1 of it under the secret both
//! servers hold. The TURN server checks them without asking the central; the secret never leaves the servers.

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::{Extension, State};
use axum::Json;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use siaga_api::video::{RelayServer, VideoRelay};

/// How long relay credentials last: a call, with room to spare.
pub const CREDENTIALS_LAST: std::time::Duration = std::time::Duration::from_secs(3600);

/// The Polda's TURN server and the secret shared with it.
#[derive(Clone, PartialEq, Eq)]
pub struct RelayConfig {
    /// `host:port` (UDP), as call parties reach it.
    pub address: String,
    /// coturn's `static-auth-secret`.
    pub secret: String,
}

impl std::fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl RelayConfig {
    /// The credentials for `account`, lapsing at `expires_s` (Unix seconds).
    pub fn credentials(&self, account: &str, expires_s: i64) -> RelayServer {
        let username = format!("{expires_s}:{account}");
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(username.as_bytes());
        RelayServer {
            address: self.address.clone(),
            password: base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()),
            username,
        }
    }
}

/// `GET /v1/video-relay`: the TURN servers for the caller's calls, with their own lapsing credentials.
pub async fn credentials(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<VideoRelay>> {
    let expires_ms = crate::store::now_ms() + CREDENTIALS_LAST.as_millis() as i64;
    let servers = state
        .relay
        .iter()
        .map(|relay| relay.credentials(&caller.name, expires_ms / 1000))
        .collect();
    Ok(Json(VideoRelay { servers, expires_ms }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_coturns_shared_secret_scheme() {
        // As coturn's own documentation works it out: base64(HMAC-SHA1(secret, "expiry:user")).
        let relay = RelayConfig {
            address: "127.0.0.1:3478".into(),
            secret: "north".into(),
        };
        let given = relay.credentials("op1-diy", 1_796_353_200);
        assert_eq!(given.username, "1796353200:op1-diy");
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(b"north").unwrap();
        mac.update(b"1796353200:op1-diy");
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(given.password, expected);
        assert_eq!(given.password.len(), 28, "20 bytes in base64");
        assert_ne!(
            relay.credentials("op2-diy", 1_796_353_200).password,
            given.password
        );
    }
}
