//! HTTP and WebSocket bodies of the central 110 API (`/v1`), shared by the central server, the desk's
//! sync engine and the simulator.
//!
//! API Boundary: the central answers every failure with an [`ErrorBody`]; every success body is one of
//! the types here. Field names are camelCase on the wire. Request types reject unknown fields where a
//! typo would silently change meaning (credentials, event envelopes, subscriptions).
//!
//! Personal data: for an analyst the server removes `nik` and `callerNumber` from every incident and
//! event it sends and puts `nikMasked` / `callerNumberMasked` beside them (region digits only), so the
//! typed bodies here still parse and nothing unmasked reaches the analyst.

use crate::sync::EventEnvelope;
use serde::{Deserialize, Serialize};
use siaga_domain::kiosk::{KioskHealth, KioskId};
use siaga_domain::{Category, Incident, IncidentId, IncidentStatus, PoldaId};

/// The JSON body of every 4xx and 5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// A stable, machine-readable code, e.g. `illegal_transition`, `token_expired`, `invalid_nik`.
    pub error: String,
    /// A sentence for humans saying what was wrong with the request.
    pub message: String,
}

/// `POST /v1/auth/login`: an operator account's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    /// The account name.
    pub username: String,
    /// The password (only ever sent over this call; stored as an argon2id hash).
    pub password: String,
}

/// `POST /v1/auth/kiosk`: a kiosk device's own credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KioskLoginRequest {
    /// The kiosk's id as registered.
    pub kiosk_id: String,
    /// The secret handed out once at registration.
    pub secret: String,
}

/// `POST /v1/auth/refresh`: trades a refresh token for a new token pair (the old refresh token dies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// A short-lived access token and the refresh token that renews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    /// Sent as `Authorization: Bearer <token>` (or `?access_token=` on the WebSocket).
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Renews the pair through `POST /v1/auth/refresh`; absent for kiosks (they log in again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Who the token speaks for.
    pub principal: PrincipalInfo,
}

/// Who a token belongs to, as the server sees it (`GET /v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalInfo {
    /// The account name, or the kiosk id for a kiosk.
    pub name: String,
    /// `operator1`, `operator2`, `operator3`, `supervisor`, `analyst`, `admin` or `kiosk`.
    pub role: String,
    /// The Polda the principal is scoped to; `None` for a national account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polda: Option<String>,
}

/// `POST /v1/users` (admin): a new operator account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Unique account name.
    pub username: String,
    /// At least 12 characters.
    pub password: String,
    /// One of the role names of [`PrincipalInfo::role`] except `kiosk`.
    pub role: String,
    /// The Polda it works in; `None` makes a national account (only a national admin may).
    #[serde(default)]
    pub polda: Option<String>,
}

/// An operator account as listed by `GET /v1/users` (never the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// Server id.
    pub id: String,
    /// Account name.
    pub username: String,
    /// Role name.
    pub role: String,
    /// Polda scope; `None` for national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polda: Option<String>,
}

/// `POST /v1/kiosks` (admin): registers a kiosk at a station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterKioskRequest {
    /// Stable id, e.g. `krl-manggarai-1` (checked by `KioskId::parse`, the one rule for kiosk ids).
    pub kiosk_id: KioskId,
    /// The station the kiosk stands in (its name).
    pub station: String,
    /// The Polda whose desks receive its alerts.
    pub polda: PoldaId,
    /// WGS84 latitude of the kiosk.
    pub lat: f64,
    /// WGS84 longitude of the kiosk.
    pub lon: f64,
}

/// The answer to a kiosk registration: the secret is shown once and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskCredentials {
    /// The kiosk's id.
    pub kiosk_id: KioskId,
    /// The secret for `POST /v1/auth/kiosk`.
    pub secret: String,
}

/// `POST /v1/kiosks/{id}/heartbeat`: a kiosk says it is alive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Heartbeat {
    /// `ok`, `degraded` or `fault` (`unknown` is refused: a kiosk that speaks knows its health).
    pub status: KioskHealth,
    /// Battery percentage if the kiosk runs on a battery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_pct: Option<u8>,
}

/// A kiosk and its last known state (`GET /v1/kiosks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskState {
    /// The kiosk's id.
    pub kiosk_id: KioskId,
    /// Station name.
    pub station: String,
    /// Polda.
    pub polda: PoldaId,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Last reported health, `unknown` before the first heartbeat.
    pub status: KioskHealth,
    /// Battery percentage last reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_pct: Option<u8>,
    /// Unix milliseconds of the last heartbeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_heartbeat_ms: Option<i64>,
}

/// The answer to a CAP alert from a kiosk: the incident it became on the kiosk's station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertAccepted {
    /// The CAP `identifier`.
    pub alert_id: String,
    /// The incident created (or found, for a repeated alert); `None` for a drill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    /// `true` when this alert had been received before and nothing new was created.
    pub duplicate: bool,
    /// `true` for an alert whose CAP status is Test, Exercise, System or Draft: recorded as a drill,
    /// never an incident, never a ringing alert.
    #[serde(default)]
    pub drill: bool,
}

/// One row of the routing table of legacy emergency numbers forwarded to 110.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoutingEntry {
    /// The number dialed, digits only, e.g. `112`.
    pub number: String,
    /// What the number was, e.g. `national emergency (legacy)`.
    pub description: String,
    /// Whether calls to it are forwarded to 110 now.
    pub forward_to_110: bool,
}

/// `POST /v1/calls`: an incoming call as the switch saw it (every call records the number dialed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallRecordRequest {
    /// Client-made id (UUID), the idempotency key.
    pub call_id: String,
    /// The number the caller dialed: `110` or a legacy number in the routing table.
    pub dialed: String,
    /// The Polda whose desk answered.
    pub polda: String,
    /// The incident the call opened, if any (set after operator 1 classified it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
}

/// `POST /v1/callers/history`: a caller number's earlier calls (the number in the body, never in a URL,
/// which would put it in logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallerHistoryRequest {
    /// The number as typed or as an incident holds it.
    pub number: String,
}

/// A caller number's earlier calls in the caller's scope (its Polda; every Polda for a national account),
/// for prank and empty-call triage while a call is live. Advisory: no number is ever blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerHistory {
    /// The number, masked for callers who may not see personal data.
    pub number: String,
    /// Its calls (at most the latest [`CallerHistory::MAX_COUNTED`]).
    pub calls: u32,
    /// Of them, closed or classified as prank or empty.
    pub prank_or_empty: u32,
    /// When the latest was received (ms since the epoch).
    pub last_ms: Option<i64>,
    /// The latest calls, newest first (at most [`CallerHistory::MAX_RECENT`]).
    pub recent: Vec<CallerCall>,
}

impl CallerHistory {
    /// How many of a number's latest calls are counted.
    pub const MAX_COUNTED: u32 = 1000;
    /// How many are listed.
    pub const MAX_RECENT: usize = 10;
}

/// One earlier call of a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerCall {
    pub incident_id: IncidentId,
    pub polda: PoldaId,
    pub received_ms: i64,
    pub status: IncidentStatus,
    pub prank_or_empty: bool,
}

/// A recorded call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// Its id.
    pub call_id: String,
    /// The number dialed.
    pub dialed: String,
    /// `true` if it came through a legacy number forwarded to 110.
    pub via_legacy_number: bool,
    /// Polda.
    pub polda: String,
    /// Unix milliseconds when the server recorded it.
    pub recorded_ms: i64,
}

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Whether committed events go through NATS JetStream.
    pub nats: bool,
    /// The server's version.
    pub version: String,
}

/// The answer to `POST /v1/events` (201 when appended, 200 when the event id was seen before: the stored
/// result is returned and nothing changes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppendResult {
    /// The event as committed: its envelope carries the Polda and server sequence.
    pub event: EventEnvelope,
    /// `true` when this event id had been appended before.
    pub duplicate: bool,
    /// The incident after the event (for a duplicate: as it stands now).
    pub incident: Incident,
}

/// `GET /v1/feed?polda=&after=&limit=`: events of one Polda with `serverSeq > after`, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedPage {
    /// The Polda.
    pub polda: PoldaId,
    /// The committed events, ascending by `serverSeq`.
    pub events: Vec<EventEnvelope>,
    /// The cursor for the next page: the last `serverSeq` here (or `after` when empty).
    pub next_after: u64,
    /// Whether more events follow right now.
    pub has_more: bool,
}

/// `GET /v1/sync/snapshot?polda=&after=&limit=`: one page of a Polda's current incidents in id order, for
/// a desk's initial sync or its full resync after `410 cursor_expired` on the feed.
///
/// Consistency: the central reads `highWater` before the page's rows, so every incident here contains
/// every event of the Polda's feed up to it. A desk keeps the `highWater` of its first page, takes every
/// page, then continues the feed after that value; a feed event of an incident already at or below that
/// incident's `feedSeq` (or the kept `highWater`) is in the snapshot and must not be applied again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotPage {
    /// The Polda.
    pub polda: PoldaId,
    /// The Polda's last committed feed sequence when this page was read (0 before any event).
    pub high_water: u64,
    /// The incidents, ascending by id.
    pub incidents: Vec<SnapshotIncident>,
    /// The cursor for the next page: the last incident id here (absent when the page is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<IncidentId>,
    /// Whether more incidents follow.
    pub has_more: bool,
}

/// One incident of a [`SnapshotPage`]: the central's current snapshot (its `version` is the server
/// version: the number of events applied) and how far into the Polda's feed it reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotIncident {
    /// The highest sequence of the Polda's feed among this incident's events contained in the snapshot
    /// (absent when none of them is in this Polda's feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_seq: Option<u64>,
    /// The incident as the central holds it.
    pub incident: Incident,
}

/// `GET /v1/incidents`: incidents matching the filters, most recently changed first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentPage {
    /// The incidents.
    pub incidents: Vec<Incident>,
    /// Whether more match beyond this page (`offset` + `limit`).
    pub has_more: bool,
}

/// Filters of a live subscription (NENA-STA-024 style); an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LiveFilter {
    /// Poldas (must be within the caller's scope).
    #[serde(default)]
    pub poldas: Vec<PoldaId>,
    /// Incident statuses after the event.
    #[serde(default)]
    pub statuses: Vec<IncidentStatus>,
    /// Incident categories after the event.
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// What a desk sends on `GET /v1/live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum LiveClientFrame {
    /// Start (or replace) the subscription.
    Subscribe {
        /// Which events to receive.
        #[serde(default)]
        filter: LiveFilter,
    },
    /// Keep-alive; answered with `pong`.
    Ping,
}

/// What the server sends on `GET /v1/live`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum LiveServerFrame {
    /// The subscription is active; notifications follow.
    Subscribed {
        /// The filter in force.
        filter: LiveFilter,
    },
    /// A committed event matching the subscription. A hint: the feed is the truth.
    Notify {
        /// The committed event.
        event: Box<EventEnvelope>,
        /// The incident after it.
        incident: Box<Incident>,
    },
    /// The server dropped notifications for this session (it was too slow): pull the feed.
    Resync,
    /// Answer to `ping`.
    Pong,
    /// The last frame was refused (the session stays open), or, with `session_ended`, the session's
    /// token was revoked or expired (the server then closes with code 4401).
    Error {
        /// What was wrong.
        body: ErrorBody,
    },
}
