//! The HTTP client of the central 110 API as the desk uses it: login, append an event, read the feed,
//! fetch an incident. Errors say whether retrying can help.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use siaga_api::sync::EventEnvelope;
use siaga_api::{AppendResult, ErrorBody, FeedPage, LoginRequest, RefreshRequest, TokenPair};
use siaga_domain::{Incident, IncidentId, PoldaId};
use siaga_store::SnapshotRecord;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::tls::CentralTrust;

/// A request to the central that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No answer: refused, reset, timed out, or the body was cut off. Retrying may help.
    #[error("the central did not answer: {0}")]
    Unreachable(String),
    /// The central failed (5xx) or asked to retry (409 `contended`). Retrying may help.
    #[error("the central failed ({status}): {}", body.message)]
    Unavailable { status: u16, body: ErrorBody },
    /// The credentials are missing, unknown or expired: log in again.
    #[error("not signed in at the central: {}", body.message)]
    Unauthorized { body: ErrorBody },
    /// The central refused the request for good (4xx): a verdict, not a fault.
    #[error("the central refused ({status} {}): {}", body.error, body.message)]
    Refused { status: u16, body: ErrorBody },
    /// The answer was not what the API promises.
    #[error("the central's answer does not decode: {0}")]
    Decode(String),
    /// The server at the central's address showed a certificate the desk does not trust (not the pinned one,
    /// or one no CA of this computer vouches for): nothing is sent to it. Counted as transient (the sync waits
    /// and tries again; nothing queued is given up) until the central or the desk's setup is put right.
    #[error("{0}")]
    Untrusted(crate::tls::Untrusted),
}

impl ClientError {
    /// True when the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ClientError::Unreachable(_) | ClientError::Unavailable { .. } | ClientError::Untrusted(_)
        )
    }

    /// True when the central no longer keeps the feed after the cursor asked for (`410 cursor_expired`):
    /// the desk must resync by snapshots.
    pub fn is_cursor_expired(&self) -> bool {
        matches!(self, ClientError::Refused { status: 410, body } if body.error == "cursor_expired")
    }
}

/// One page of `GET /v1/sync/snapshot` as the desk takes it: each incident decoded (for its query
/// columns) and its JSON kept as the central sent it.
#[derive(Debug, Clone)]
pub struct SnapshotChunk {
    /// The Polda's feed sequence when the page was read.
    pub high_water: u64,
    /// The incidents, each with its `feedSeq` (0 when absent; the engine raises it to the resync's mark).
    pub records: Vec<SnapshotRecord>,
    /// The cursor of the next page.
    pub next_after: Option<IncidentId>,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// The wire shape of `siaga_api::SnapshotPage`, borrowing each incident's JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSnapshotPage<'a> {
    high_water: u64,
    #[serde(borrow)]
    incidents: Vec<RawSnapshotIncident<'a>>,
    #[serde(default)]
    next_after: Option<IncidentId>,
    has_more: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSnapshotIncident<'a> {
    #[serde(default)]
    feed_seq: Option<u64>,
    #[serde(borrow)]
    incident: &'a RawValue,
}

/// Decodes a snapshot page (CPU work: run it off the async threads for big pages).
pub fn decode_snapshot(bytes: &[u8]) -> Result<SnapshotChunk, ClientError> {
    let page: RawSnapshotPage<'_> =
        serde_json::from_slice(bytes).map_err(|e| ClientError::Decode(e.to_string()))?;
    let records = page
        .incidents
        .iter()
        .map(|entry| {
            let json = entry.incident.get();
            let incident: Incident =
                serde_json::from_str(json).map_err(|e| ClientError::Decode(e.to_string()))?;
            Ok(SnapshotRecord {
                incident,
                json: json.to_owned(),
                feed_seq: entry.feed_seq.unwrap_or(0) as i64,
            })
        })
        .collect::<Result<Vec<_>, ClientError>>()?;
    Ok(SnapshotChunk {
        high_water: page.high_water,
        records,
        next_after: page.next_after,
        has_more: page.has_more,
    })
}

/// A client of one central, holding the desk's access token and the refresh token that renews it (access
/// tokens are short-lived: a request answered 401 is retried once after a refresh).
#[derive(Debug, Clone)]
pub struct CentralClient {
    http: reqwest::Client,
    /// The TLS settings of `https://` centrals, shared with the live WebSocket.
    tls: Arc<rustls::ClientConfig>,
    base: String,
    token: Arc<RwLock<Option<String>>>,
    refresh: Arc<RwLock<Option<String>>>,
}

impl CentralClient {
    /// A client of the central at `base` (e.g. `http://127.0.0.1:8110`), not signed in; an `https://` central
    /// must have a certificate from a CA the system trusts.
    pub fn new(base: &str) -> CentralClient {
        CentralClient::with_trust(base, CentralTrust::SystemRoots)
    }

    /// A client of the central at `base` that trusts its certificate as `trust` says.
    pub fn with_trust(base: &str, trust: CentralTrust) -> CentralClient {
        let tls = crate::tls::client_config(trust);
        let http = crate::tls::client_builder(trust)
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(10))
            .build()
            // Only an unknown TLS backend fails here, and the one given is reqwest's own rustls.
            .unwrap_or_default();
        CentralClient {
            http,
            tls,
            base: base.trim_end_matches('/').to_owned(),
            token: Arc::default(),
            refresh: Arc::default(),
        }
    }

    /// The TLS settings for this central's WebSocket.
    pub fn tls_config(&self) -> Arc<rustls::ClientConfig> {
        Arc::clone(&self.tls)
    }

    /// The central's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The access token in use, if signed in.
    pub fn token(&self) -> Option<String> {
        self.token.read().ok().and_then(|t| t.clone())
    }

    /// Uses an access token obtained elsewhere (`None` signs out: the refresh token is dropped too).
    pub fn set_token(&self, token: Option<String>) {
        if token.is_none() {
            if let Ok(mut slot) = self.refresh.write() {
                *slot = None;
            }
        }
        if let Ok(mut slot) = self.token.write() {
            *slot = token;
        }
    }

    fn keep(&self, pair: &TokenPair) {
        self.set_token(Some(pair.access_token.clone()));
        if let (Some(refresh), Ok(mut slot)) = (pair.refresh_token.clone(), self.refresh.write()) {
            *slot = Some(refresh);
        }
    }

    /// Trades the refresh token for a new pair. False when there is none or the central refused it.
    async fn renew(&self) -> bool {
        let Some(refresh_token) = self.refresh.read().ok().and_then(|r| r.clone()) else {
            return false;
        };
        let request = self
            .http
            .post(self.url("/v1/auth/refresh"))
            .json(&RefreshRequest { refresh_token });
        match answer::<TokenPair>(request.send().await).await {
            Ok(pair) => {
                self.keep(&pair);
                true
            }
            Err(_) => false,
        }
    }

    /// Sends an authorized request; after a 401, renews the access token once and sends it again.
    async fn send_authorized<T: DeserializeOwned>(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let bytes = self.send_authorized_raw(build).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }

    /// [`CentralClient::send_authorized`], returning the success body undecoded.
    async fn send_authorized_raw(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<bytes::Bytes, ClientError> {
        match answer_bytes(self.authorized(build()).send().await).await {
            Err(ClientError::Unauthorized { body }) => {
                if self.renew().await {
                    answer_bytes(self.authorized(build()).send().await).await
                } else {
                    Err(ClientError::Unauthorized { body })
                }
            }
            other => other,
        }
    }

    /// Signs in as an operator and keeps the access token.
    /// The newest desk release the central keeps for `platform` (`GET /v1/updates/{platform}`).
    pub async fn latest_release(
        &self,
        platform: &str,
    ) -> Result<siaga_api::updates::LatestRelease, ClientError> {
        let url = self.url(&format!("/v1/updates/{platform}"));
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// A release's package, whole (given ten minutes: a field office's link may be slow).
    pub async fn release_package(&self, platform: &str, version: &str) -> Result<bytes::Bytes, ClientError> {
        let url = self.url(&format!("/v1/updates/{platform}/{version}/package"));
        self.send_authorized_raw(|| self.http.get(&url).timeout(Duration::from_secs(600)))
            .await
    }

    /// `GET /v1/health`: the central's own account of itself (no sign-in needed).
    pub async fn health(&self) -> Result<siaga_api::Health, ClientError> {
        answer(self.http.get(self.url("/v1/health")).send().await).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<TokenPair, ClientError> {
        let body = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        let request = self.http.post(self.url("/v1/auth/login")).json(&body);
        let pair: TokenPair = answer(request.send().await).await?;
        self.keep(&pair);
        Ok(pair)
    }

    /// Ends the session at the central (its refresh token and live socket too) and forgets the tokens
    /// here. They are forgotten even when the central cannot be reached; then they lapse at their expiry.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let token = self.token();
        self.set_token(None);
        let Some(token) = token else {
            return Ok(());
        };
        let request = self
            .http
            .post(self.url("/v1/auth/logout"))
            .bearer_auth(token)
            .timeout(Duration::from_secs(5));
        answer_bytes(request.send().await).await.map(|_| ())
    }

    /// Citizen requests changed after `updated_after` (Unix ms), oldest change first, at most `limit`.
    pub async fn service_requests(
        &self,
        updated_after: i64,
        limit: u32,
    ) -> Result<siaga_api::services::ServiceRequestList, ClientError> {
        let path = format!("/v1/services/requests?updatedAfter={updated_after}&limit={limit}");
        self.send_authorized(|| self.http.get(self.url(&path))).await
    }

    /// Takes an action on a citizen request; answers the request as it now stands.
    pub async fn service_act(
        &self,
        id: &str,
        action: &siaga_api::services::ServiceActionRequest,
    ) -> Result<siaga_api::services::ServiceRequestView, ClientError> {
        let path = format!("/v1/services/requests/{id}/actions");
        self.send_authorized(|| self.http.post(self.url(&path)).json(action))
            .await
    }

    /// A citizen request's photo (`photo`) or signed letter (`letter`), as bytes.
    pub async fn service_file(&self, id: &str, which: &str) -> Result<bytes::Bytes, ClientError> {
        let path = format!("/v1/services/requests/{id}/{which}");
        self.send_authorized_raw(|| self.http.get(self.url(&path))).await
    }

    /// The applicant's NIK whole (`POST /v1/services/requests/{id}/nik`; the central records the reveal).
    pub async fn reveal_nik(&self, id: &str) -> Result<siaga_api::services::NikRevealed, ClientError> {
        let url = self.url(&format!("/v1/services/requests/{id}/nik"));
        self.send_authorized(|| self.http.post(&url)).await
    }

    /// The TURN servers for this account's video calls, with credentials that lapse (`GET /v1/video-relay`).
    pub async fn video_relay(&self) -> Result<siaga_api::video::VideoRelay, ClientError> {
        let url = self.url("/v1/video-relay");
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// Uploads an evidence picture of `incident` under its digest (decision 0022; a repeat is a no-op).
    pub async fn upload_evidence(
        &self,
        incident: IncidentId,
        digest: &siaga_domain::evidence::ContentDigest,
        media_type: siaga_domain::evidence::MediaType,
        data: &[u8],
    ) -> Result<(), ClientError> {
        let url = self.url(&format!("/v1/incidents/{incident}/evidence/{digest}"));
        let body = bytes::Bytes::copy_from_slice(data);
        self.send_authorized_raw(|| {
            self.http
                .put(&url)
                .header(reqwest::header::CONTENT_TYPE, media_type.mime())
                .body(body.clone())
        })
        .await
        .map(|_| ())
    }

    /// An evidence picture of `incident`, as the central holds it (the caller checks it is the one named).
    pub async fn evidence(
        &self,
        incident: IncidentId,
        digest: &siaga_domain::evidence::ContentDigest,
    ) -> Result<bytes::Bytes, ClientError> {
        let url = self.url(&format!("/v1/incidents/{incident}/evidence/{digest}"));
        self.send_authorized_raw(|| self.http.get(&url)).await
    }

    /// Appends one event (idempotent by its id: a repeat returns the stored result).
    pub async fn append(&self, envelope: &EventEnvelope) -> Result<AppendResult, ClientError> {
        self.send_authorized(|| self.http.post(self.url("/v1/events")).json(envelope))
            .await
    }

    /// One page of `polda`'s feed after `after`.
    pub async fn feed(&self, polda: PoldaId, after: u64, limit: u32) -> Result<FeedPage, ClientError> {
        let url = format!(
            "{}?polda={}&after={after}&limit={limit}",
            self.url("/v1/feed"),
            polda.code()
        );
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// One page of `polda`'s current incident snapshots after the incident `after`, undecoded (see
    /// [`decode_snapshot`]). Snapshot pages are big: this request may take up to a minute.
    pub async fn snapshot_raw(
        &self,
        polda: PoldaId,
        after: Option<IncidentId>,
        limit: u32,
    ) -> Result<bytes::Bytes, ClientError> {
        let mut url = format!(
            "{}?polda={}&limit={limit}",
            self.url("/v1/sync/snapshot"),
            polda.code()
        );
        if let Some(after) = after {
            url.push_str(&format!("&after={after}"));
        }
        self.send_authorized_raw(|| self.http.get(&url).timeout(Duration::from_secs(60)))
            .await
    }

    /// One page of `polda`'s current incident snapshots, decoded.
    pub async fn snapshot(
        &self,
        polda: PoldaId,
        after: Option<IncidentId>,
        limit: u32,
    ) -> Result<SnapshotChunk, ClientError> {
        decode_snapshot(&self.snapshot_raw(polda, after, limit).await?)
    }

    /// The central's current snapshot of one incident.
    pub async fn incident(&self, id: IncidentId) -> Result<Incident, ClientError> {
        let url = self.url(&format!("/v1/incidents/{id}"));
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// The station kiosks in the caller's scope with their last heartbeat (`GET /v1/kiosks`).
    pub async fn kiosks(&self) -> Result<Vec<siaga_api::KioskState>, ClientError> {
        let url = self.url("/v1/kiosks");
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// The routing table of legacy emergency numbers (`GET /v1/routing`), which the desk keeps for intake.
    pub async fn routing(&self) -> Result<Vec<siaga_api::RoutingEntry>, ClientError> {
        let url = self.url("/v1/routing");
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// A caller number's earlier calls in the signed-in account's scope (`POST /v1/callers/history`; the
    /// number travels in the body).
    pub async fn caller_history(&self, number: &str) -> Result<siaga_api::CallerHistory, ClientError> {
        let body = siaga_api::CallerHistoryRequest {
            number: number.to_owned(),
        };
        let url = self.url("/v1/callers/history");
        self.send_authorized(|| self.http.post(&url).json(&body)).await
    }

    /// A page of an audit chain after entry `after` (`GET /v1/audit`; the caller's Polda's chain when
    /// `chain` is `None`), with the chain's signed heads and the central's audit keys.
    pub async fn audit_page(
        &self,
        chain: Option<&str>,
        after: i64,
    ) -> Result<siaga_api::audit::AuditPage, ClientError> {
        let mut url = format!("{}?after={after}", self.url("/v1/audit"));
        if let Some(chain) = chain {
            url.push_str(&format!("&chain={chain}"));
        }
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// Has the central sign the head of this desk's own audit trail (`POST /v1/audit/desk-heads`).
    pub async fn sign_desk_head(
        &self,
        request: &siaga_api::audit::DeskHeadRequest,
    ) -> Result<siaga_api::audit::DeskHeadSigned, ClientError> {
        let url = self.url("/v1/audit/desk-heads");
        self.send_authorized(|| self.http.post(&url).json(request)).await
    }

    /// The video calls of the signed-in account's Polda, newest first (`GET /v1/video-calls`).
    pub async fn video_calls(&self) -> Result<siaga_api::video::VideoCallList, ClientError> {
        let url = self.url("/v1/video-calls");
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// One video call (`GET /v1/video-calls/{id}`).
    pub async fn video_call(&self, id: &str) -> Result<siaga_api::video::VideoCallView, ClientError> {
        let url = self.url(&format!("/v1/video-calls/{id}"));
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// Rings an incident's reporter with the desk's SDP offer (`POST /v1/incidents/{id}/video-calls`).
    pub async fn ring(
        &self,
        incident: IncidentId,
        offer: &str,
    ) -> Result<siaga_api::video::VideoCallView, ClientError> {
        let url = self.url(&format!("/v1/incidents/{incident}/video-calls"));
        let body = siaga_api::video::VideoCallRequest {
            offer: offer.to_owned(),
        };
        self.send_authorized(|| self.http.post(&url).json(&body)).await
    }

    /// Joins a call a reporter asked for with the desk's SDP offer (`POST /v1/video-calls/{id}/offer`).
    pub async fn join_call(
        &self,
        id: &str,
        offer: &str,
    ) -> Result<siaga_api::video::VideoCallView, ClientError> {
        let url = self.url(&format!("/v1/video-calls/{id}/offer"));
        let body = siaga_api::video::VideoCallRequest {
            offer: offer.to_owned(),
        };
        self.send_authorized(|| self.http.post(&url).json(&body)).await
    }

    /// Moves a video call (`POST /v1/video-calls/{id}/state`).
    pub async fn video_call_state(
        &self,
        id: &str,
        state: siaga_domain::video::CallState,
        reason: &str,
    ) -> Result<siaga_api::video::VideoCallView, ClientError> {
        let url = self.url(&format!("/v1/video-calls/{id}/state"));
        let body = siaga_api::video::VideoCallStateRequest {
            state,
            reason: reason.to_owned(),
        };
        self.send_authorized(|| self.http.post(&url).json(&body)).await
    }

    /// The incident's whole log in the central's order (across every Polda's feed it went through).
    pub async fn incident_events(&self, id: IncidentId) -> Result<Vec<EventEnvelope>, ClientError> {
        let url = self.url(&format!("/v1/incidents/{id}/events"));
        self.send_authorized(|| self.http.get(&url)).await
    }

    /// The WebSocket URL of the live stream.
    pub fn live_url(&self) -> String {
        let ws = if let Some(rest) = self.base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else {
            format!("ws://{}", self.base.trim_start_matches("http://"))
        };
        format!("{ws}/v1/live")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.token() {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }
}

async fn answer<T: DeserializeOwned>(sent: reqwest::Result<reqwest::Response>) -> Result<T, ClientError> {
    let bytes = answer_bytes(sent).await?;
    serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))
}

async fn answer_bytes(sent: reqwest::Result<reqwest::Response>) -> Result<bytes::Bytes, ClientError> {
    let response = sent.map_err(|e| match crate::tls::untrusted_in(&e) {
        Some(problem) => ClientError::Untrusted(problem),
        None => ClientError::Unreachable(e.to_string()),
    })?;
    let status = response.status().as_u16();
    // A body cut off mid-response is a transport fault, not a verdict.
    let bytes = response
        .bytes()
        .await
        .map_err(|e| ClientError::Unreachable(e.to_string()))?;
    if (200..300).contains(&status) {
        return Ok(bytes);
    }
    let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_else(|_| ErrorBody {
        error: "http_error".to_owned(),
        message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
    });
    Err(match status {
        401 => ClientError::Unauthorized { body },
        409 if body.error == "contended" => ClientError::Unavailable { status, body },
        408 | 429 | 500..=599 => ClientError::Unavailable { status, body },
        _ => ClientError::Refused { status, body },
    })
}
