//! The scale path: with `NATS_URL` set, committed events go through a transactional outbox (written in
//! the same transaction as the event) to a NATS JetStream stream, subject `inc.<polda>.<incident>`, with
//! the event id as the message id (JetStream drops a republished duplicate). Every replica feeds its
//! live sessions from the stream, so desks connected to any replica see the same events.
//!
//! Order: only one publisher at a time drains the outbox (a PostgreSQL advisory lock; SQLite has one
//! process), in outbox order, which within a Polda is server-sequence order. Each replica also drops a
//! message whose sequence it has already passed for that Polda.

use crate::live::Committed;
use crate::metrics::Metrics;
use crate::store::{now_ms, Backend};
use crate::AppState;
use async_nats::jetstream::{self, consumer, stream};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use siaga_api::sync::EventEnvelope;
use siaga_domain::{Incident, PoldaId};
use std::collections::HashMap;
use std::time::Duration;

/// The JetStream stream holding committed incident events.
pub const STREAM: &str = "SIAGA_INCIDENTS";
/// The advisory lock key that elects the outbox publisher on PostgreSQL.
const PUBLISHER_LOCK: i64 = 110_110;

/// The subject of an incident's events.
pub fn subject(polda: PoldaId, incident: &str) -> String {
    format!("inc.{}.{incident}", polda.code())
}

/// What an outbox row carries to the stream: the committed event and the incident after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxPayload {
    /// The committed event.
    pub event: EventEnvelope,
    /// The incident after it.
    pub incident: Incident,
}

/// Why NATS could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("NATS JetStream: {0}")]
pub struct NatsError(String);

fn nats_error(err: impl std::fmt::Display) -> NatsError {
    NatsError(err.to_string())
}

/// Connects to NATS at `url`, makes sure the stream exists, and starts this replica's outbox publisher
/// and its fan-in from the stream to the live hub. Returns the state with the outbox turned on.
pub async fn enable(mut state: AppState, url: &str) -> Result<AppState, NatsError> {
    let client = async_nats::connect(url).await.map_err(nats_error)?;
    let context = jetstream::new(client);
    let stream = context
        .get_or_create_stream(stream::Config {
            name: STREAM.to_owned(),
            subjects: vec!["inc.>".to_owned()],
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .map_err(nats_error)?;
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            deliver_policy: consumer::DeliverPolicy::New,
            filter_subject: "inc.>".to_owned(),
            ..Default::default()
        })
        .await
        .map_err(nats_error)?;
    let messages = consumer.messages().await.map_err(nats_error)?;
    state.outbox = true;
    tokio::spawn(fan_in(state.clone(), messages));
    tokio::spawn(publish_loop(state.clone(), context));
    Ok(state)
}

async fn fan_in(state: AppState, mut messages: consumer::pull::Ordered) {
    let mut last: HashMap<PoldaId, u64> = HashMap::new();
    while let Some(message) = messages.next().await {
        let message = match message {
            Ok(message) => message,
            Err(err) => {
                tracing::warn!(%err, "JetStream consumer error");
                continue;
            }
        };
        let payload: OutboxPayload = match serde_json::from_slice(&message.payload) {
            Ok(payload) => payload,
            Err(err) => {
                tracing::warn!(%err, subject = %message.subject, "undecodable JetStream message");
                continue;
            }
        };
        let seq = payload.event.server_seq.unwrap_or(0);
        let seen = last.entry(payload.event.polda).or_insert(0);
        if seq <= *seen {
            continue;
        }
        *seen = seq;
        state.hub.publish(Committed::new(payload.event, payload.incident));
    }
    tracing::warn!("JetStream consumer ended; live sessions of this replica get no more events");
}

/// How long published outbox rows are kept (for inspection) before they are swept.
const OUTBOX_RETENTION_MS: i64 = 24 * 60 * 60 * 1000;

async fn publish_loop(state: AppState, context: jetstream::Context) {
    let mut last_sweep = std::time::Instant::now();
    loop {
        if last_sweep.elapsed() > Duration::from_secs(60) {
            last_sweep = std::time::Instant::now();
            let _guard = state.store.write_guard().await;
            let swept =
                sqlx::query("DELETE FROM outbox WHERE published_ms IS NOT NULL AND published_ms < $1")
                    .bind(now_ms() - OUTBOX_RETENTION_MS)
                    .execute(&state.store.pool)
                    .await;
            if let Err(err) = swept {
                tracing::warn!(%err, "sweeping the outbox failed");
            }
        }
        match publish_batch(&state, &context).await {
            Ok(0) => {}
            Ok(_) => continue,
            Err(err) => {
                tracing::warn!(%err, "outbox publishing failed; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        tokio::select! {
            _ = state.outbox_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
    }
}

/// Publishes up to 500 pending outbox rows in order; answers how many.
async fn publish_batch(state: &AppState, context: &jetstream::Context) -> Result<usize, NatsError> {
    let store = &state.store;
    let mut tx = store.pool.begin().await.map_err(nats_error)?;
    if store.backend == Backend::Postgres {
        let (elected,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)")
            .bind(PUBLISHER_LOCK)
            .fetch_one(&mut *tx)
            .await
            .map_err(nats_error)?;
        if !elected {
            return Ok(0);
        }
    }
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, event_id, subject, payload FROM outbox WHERE published_ms IS NULL ORDER BY id LIMIT 500",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(nats_error)?;
    if rows.is_empty() {
        return Ok(0);
    }
    // Publish in order, each acknowledged by JetStream before the next.
    let mut done = Vec::with_capacity(rows.len());
    for (id, event_id, subject, payload) in &rows {
        let publish = jetstream::message::PublishMessage::build()
            .payload(bytes::Bytes::from(payload.clone().into_bytes()))
            .message_id(event_id);
        let ack = context
            .send_publish(subject.clone(), publish)
            .await
            .map_err(nats_error)?;
        let ack = ack.await.map_err(nats_error)?;
        if ack.duplicate {
            Metrics::inc(&state.metrics.outbox_duplicates);
        } else {
            Metrics::inc(&state.metrics.outbox_published);
        }
        done.push(*id);
    }
    let now = now_ms();
    let mark = "UPDATE outbox SET published_ms = $1 WHERE id = $2";
    match store.backend {
        // The advisory lock is held until this transaction ends, so no other replica publishes (and
        // reorders) meanwhile.
        Backend::Postgres => {
            for id in done {
                sqlx::query(mark)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(nats_error)?;
            }
            tx.commit().await.map_err(nats_error)?;
        }
        Backend::Sqlite => {
            drop(tx);
            let _guard = store.write_guard().await;
            for id in done {
                sqlx::query(mark)
                    .bind(now)
                    .bind(id)
                    .execute(&store.pool)
                    .await
                    .map_err(nats_error)?;
            }
        }
    }
    Ok(rows.len())
}
