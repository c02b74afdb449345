//! Counters of the central, rendered in the Prometheus text format at `/metrics`.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// The server's counters and gauges.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Responses by status class: 1xx..5xx at index 0..4.
    pub responses: [AtomicU64; 5],
    /// Events appended (new).
    pub events_appended: AtomicU64,
    /// Events answered from the stored result (retries).
    pub events_duplicate: AtomicU64,
    /// Events refused by the operator flow or validation.
    pub events_rejected: AtomicU64,
    /// Kiosk heartbeats received.
    pub kiosk_heartbeats: AtomicU64,
    /// Kiosk CAP alerts accepted.
    pub kiosk_alerts: AtomicU64,
    /// Calls recorded.
    pub calls_recorded: AtomicU64,
    /// Calls recorded that came through a legacy number.
    pub calls_via_legacy: AtomicU64,
    /// Open live WebSocket sessions.
    pub live_sessions: AtomicI64,
    /// Notifications sent over live sessions.
    pub live_notifications: AtomicU64,
    /// Events published to NATS JetStream from the outbox.
    pub outbox_published: AtomicU64,
    /// Outbox rows published again that JetStream recognised as duplicates (by event id) and dropped.
    pub outbox_duplicates: AtomicU64,
}

impl Metrics {
    /// Adds one to a counter.
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, backend: &str) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
        };
        counter(
            "siaga_events_appended_total",
            "Incident events appended.",
            self.events_appended.load(Ordering::Relaxed),
        );
        counter(
            "siaga_events_duplicate_total",
            "Event appends answered from the stored result.",
            self.events_duplicate.load(Ordering::Relaxed),
        );
        counter(
            "siaga_events_rejected_total",
            "Event appends refused.",
            self.events_rejected.load(Ordering::Relaxed),
        );
        counter(
            "siaga_kiosk_heartbeats_total",
            "Kiosk heartbeats received.",
            self.kiosk_heartbeats.load(Ordering::Relaxed),
        );
        counter(
            "siaga_kiosk_alerts_total",
            "Kiosk CAP alerts accepted.",
            self.kiosk_alerts.load(Ordering::Relaxed),
        );
        counter(
            "siaga_calls_recorded_total",
            "Calls recorded.",
            self.calls_recorded.load(Ordering::Relaxed),
        );
        counter(
            "siaga_calls_via_legacy_total",
            "Calls that came through a legacy number.",
            self.calls_via_legacy.load(Ordering::Relaxed),
        );
        counter(
            "siaga_live_notifications_total",
            "Notifications sent to live subscribers.",
            self.live_notifications.load(Ordering::Relaxed),
        );
        counter(
            "siaga_outbox_published_total",
            "Events published to NATS JetStream.",
            self.outbox_published.load(Ordering::Relaxed),
        );
        counter(
            "siaga_outbox_duplicates_total",
            "Outbox rows republished that JetStream dropped as duplicates.",
            self.outbox_duplicates.load(Ordering::Relaxed),
        );
        let _ = writeln!(out, "# HELP siaga_http_responses_total HTTP responses by status class.\n# TYPE siaga_http_responses_total counter");
        for (index, count) in self.responses.iter().enumerate() {
            let _ = writeln!(
                out,
                "siaga_http_responses_total{{class=\"{}xx\"}} {}",
                index + 1,
                count.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP siaga_live_sessions Open live WebSocket sessions.\n# TYPE siaga_live_sessions gauge\nsiaga_live_sessions {}",
            self.live_sessions.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP siaga_info Build and backend.\n# TYPE siaga_info gauge\nsiaga_info{{version=\"{}\",database=\"{backend}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}

/// Counts every response by status class.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    Metrics::inc(&state.metrics.responses[class]);
    response
}
