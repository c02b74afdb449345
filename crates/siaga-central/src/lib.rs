//! The reference central 110 API (axum): operator and kiosk auth with Polda scoping, incident events
//! checked by the domain's operator flow, incident queries, a change feed per Polda, a live WebSocket,
//! kiosks with CAP 1.2 alerts, and the routing table of legacy numbers. SQLite by default, PostgreSQL
//! with `DATABASE_URL`.
//!
//! API Boundary: request and response bodies are `siaga_api` types; [`routes::ROUTES`] is the
//! list of routes and their access rules, served as an OpenAPI document at `/v1/openapi.json`.
//!
//! Architecture Invariant: every mounted route has exactly one rule in [`routes::ROUTES`]; [`app`]
//! refuses to build otherwise, and the authoriser refuses any request whose route has no rule.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod body_limit;
pub mod callers;
pub mod citizen_report;
pub mod error;
pub mod evidence;
pub mod incidents;
pub mod kiosks;
pub mod live;
pub mod login_guard;
pub mod metrics;
pub mod nats;
pub mod ops;
pub mod personal;
pub mod points;
pub mod relay;
pub mod routes;
pub mod routing;
pub mod services;
pub mod store;
pub mod tls;
pub mod updates;
pub mod video;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;
use std::collections::BTreeSet;
use std::sync::Arc;

pub use auth::{Caller, TokenPolicy};
pub use store::{Backend, Store};

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The most rows one page of a query or the feed returns.
    pub max_page: i64,
    /// The most incidents one page of `GET /v1/sync/snapshot` returns.
    pub max_snapshot_page: i64,
    /// Feed retention: each Polda's feed answers only for its last this many sequences; a cursor further
    /// back gets `410 cursor_expired` and the desk resyncs by snapshots. `None` keeps the whole feed.
    /// (The event log itself is kept either way: idempotency and incident logs need it.)
    pub feed_retention: Option<i64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 64 * 1024,
            max_page: 500,
            max_snapshot_page: 10_000,
            feed_retention: None,
        }
    }
}

/// Everything a handler needs; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Token lifetimes.
    pub tokens: TokenPolicy,
    /// Request limits.
    pub limits: Limits,
    /// Counters served at `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Fans committed events out to this process's live sessions.
    pub hub: live::Hub,
    /// Whether committed events go through the transactional outbox to NATS JetStream (and live
    /// sessions are fed from JetStream rather than straight from the append).
    pub outbox: bool,
    /// Wakes the outbox publisher after a commit.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Sign-in limits: bounded password hashing and the slowdown after failures.
    pub login: Arc<login_guard::LoginGuard>,
    /// Held across an append's commit and its hand-over to the hub, so live notifications of a Polda
    /// leave in server-sequence order.
    pub publish_order: Arc<tokio::sync::Mutex<()>>,
    /// Citizen services: the public URL in letters' QR codes and the clock letters are dated by.
    pub services: services::ServicesConfig,
    /// The rate each client address is held to on the citizen web page's public routes.
    pub web: Arc<services::web::WebGuard>,
    /// The Polda's TURN server for video calls, if one (`--turn` and `--turn-secret`).
    pub relay: Option<Arc<relay::RelayConfig>>,
}

impl AppState {
    /// State over an opened store with default policies.
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            tokens: TokenPolicy::default(),
            limits: Limits::default(),
            metrics: Arc::new(metrics::Metrics::default()),
            hub: live::Hub::default(),
            outbox: false,
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            login: Arc::new(login_guard::LoginGuard::new(login_guard::LoginLimits::default())),
            publish_order: Arc::new(tokio::sync::Mutex::new(())),
            services: services::ServicesConfig::default(),
            web: Arc::new(services::web::WebGuard::new(services::web::WebLimits::default())),
            relay: None,
        }
    }
}

/// Mounts handlers, checking each against [`routes::ROUTES`].
struct Mount {
    router: Router<AppState>,
    mounted: BTreeSet<(&'static str, &'static str)>,
}

impl Mount {
    fn add(mut self, method: &'static str, path: &'static str, handler: MethodRouter<AppState>) -> Mount {
        assert!(
            routes::rule(method, path).is_some(),
            "{method} {path} is mounted but has no access rule in routes::ROUTES"
        );
        assert!(
            self.mounted.insert((method, path)),
            "{method} {path} is mounted twice"
        );
        self.router = self.router.route(path, handler);
        self
    }

    fn finish(self) -> Router<AppState> {
        for spec in routes::ROUTES {
            assert!(
                self.mounted.contains(&(spec.method, spec.path)),
                "{} {} has a rule in routes::ROUTES but no handler",
                spec.method,
                spec.path
            );
        }
        self.router
    }
}

/// The whole HTTP application over `state`.
pub fn app(state: AppState) -> Router {
    let mount = Mount {
        router: Router::new(),
        mounted: BTreeSet::new(),
    };
    let router = mount
        .add("GET", "/v1/health", get(ops::health))
        .add("GET", "/v1/openapi.json", get(ops::openapi))
        .add("GET", "/metrics", get(ops::metrics))
        .add("POST", "/v1/auth/login", post(accounts::login))
        .add("POST", "/v1/auth/refresh", post(accounts::refresh))
        .add("POST", "/v1/auth/kiosk", post(accounts::kiosk_login))
        .add("POST", "/v1/auth/logout", post(accounts::logout))
        .add("GET", "/v1/me", get(accounts::me))
        .add("GET", "/v1/users", get(accounts::list_users))
        .add("POST", "/v1/users", post(accounts::create_user))
        .add("POST", "/v1/events", post(incidents::append))
        .add("GET", "/v1/events/{event_id}", get(incidents::get_event))
        .add("GET", "/v1/incidents", get(incidents::list_incidents))
        .add("GET", "/v1/incidents/{incident_id}", get(incidents::get_incident))
        .add(
            "GET",
            "/v1/incidents/{incident_id}/events",
            get(incidents::incident_events),
        )
        .add("GET", "/v1/feed", get(incidents::feed))
        .add("GET", "/v1/sync/snapshot", get(incidents::snapshot))
        .add("GET", "/v1/live", get(live::live))
        .add("GET", "/v1/kiosks", get(kiosks::list))
        .add("POST", "/v1/kiosks", post(kiosks::register))
        .add("POST", "/v1/kiosks/{kiosk_id}/heartbeat", post(kiosks::heartbeat))
        .add("POST", "/v1/kiosks/{kiosk_id}/alerts", post(kiosks::alert))
        .add("GET", "/v1/routing", get(routing::list))
        .add("PUT", "/v1/routing/{number}", put(routing::upsert))
        .add("DELETE", "/v1/routing/{number}", delete(routing::remove))
        .add("POST", "/v1/calls", post(routing::record_call))
        .add("GET", "/v1/calls", get(routing::list_calls))
        .add("POST", "/v1/callers/history", post(callers::history))
        .add(
            "POST",
            "/v1/services/requests",
            post(services::submit).layer(DefaultBodyLimit::max(services::MAX_SUBMISSION_BYTES)),
        )
        .add("GET", "/v1/services/requests", get(services::list))
        .add("GET", "/v1/services/requests/{request_id}", get(services::get))
        .add(
            "POST",
            "/v1/services/requests/{request_id}/actions",
            post(services::act),
        )
        .add(
            "GET",
            "/v1/services/requests/{request_id}/photo",
            get(services::photo),
        )
        .add(
            "POST",
            "/v1/services/requests/{request_id}/nik",
            post(services::reveal_nik),
        )
        .add(
            "GET",
            "/v1/services/requests/{request_id}/letter",
            get(services::letter),
        )
        .add("GET", "/v1/services/counts", get(services::counts))
        .add("GET", "/v1/audit", get(audit::read))
        .add(
            "POST",
            "/v1/incidents/{incident_id}/video-calls",
            post(video::create),
        )
        .add(
            "POST",
            "/v1/incidents/{incident_id}/video-call-requests",
            post(video::ask),
        )
        .add("GET", "/v1/video-calls", get(video::list))
        .add("POST", "/v1/video-calls/{call_id}/offer", post(video::join))
        .add("GET", "/v1/video-calls/{call_id}", get(video::get))
        .add("POST", "/v1/video-calls/{call_id}/answer", post(video::answer))
        .add("POST", "/v1/video-calls/{call_id}/state", post(video::set_state))
        .add("GET", "/v1/video-relay", get(relay::credentials))
        .add(
            "PUT",
            evidence::UPLOAD_ROUTE,
            put(evidence::upload).layer(DefaultBodyLimit::max(
                siaga_domain::evidence::MAX_EVIDENCE_BYTES as usize,
            )),
        )
        .add("GET", evidence::UPLOAD_ROUTE, get(evidence::fetch))
        .add("POST", "/v1/audit/desk-heads", post(audit::sign_desk_head))
        .add("GET", "/v1/updates/{platform}", get(updates::latest))
        .add(
            "GET",
            "/v1/updates/{platform}/{version}/package",
            get(updates::package),
        )
        .add("GET", "/v1/letters/keys", get(services::letters::keys))
        .add("GET", "/warga", get(services::web::page))
        .add("GET", "/warga/warga.js", get(services::web::script))
        .add("GET", "/warga/warga.css", get(services::web::style))
        .add("GET", "/warga/lapor", get(citizen_report::page))
        .add("GET", "/warga/lapor.js", get(citizen_report::script))
        .add("POST", "/v1/public/reports", post(citizen_report::report))
        .add("POST", "/v1/public/video-call", post(citizen_report::video_call))
        .add(
            "POST",
            "/v1/public/services/requests",
            post(services::web::submit).layer(DefaultBodyLimit::max(services::MAX_SUBMISSION_BYTES)),
        )
        .add("POST", "/v1/public/services/status", post(services::web::status))
        .add("POST", "/v1/public/services/letter", post(services::web::letter))
        .add(
            "GET",
            "/v1/letters/{letter_id}/verify",
            get(services::letters::verify),
        )
        .finish();
    router
        .fallback(ops::not_found)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit::refuse_oversized,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::authorize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count,
        ))
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .with_state(state)
}
