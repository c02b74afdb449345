//! `siaga-central-bench`: the central's throughput and fan-out figures (a benchmark, not a test).
//!
//! Reports events ingested per second through the HTTP API on SQLite and on PostgreSQL, next to
//! pgbench's simple-insert rate on the same throwaway PostgreSQL cluster in the same run (the ratio is
//! the figure), and the live fan-out latency p50/p99 with 1,000 subscribed WebSocket clients.
//!
//! ```text
//! cargo run --release -p siaga-contract-tests --bin siaga-central-bench -- [--events 4000] [--clients 1000]
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on its terminal

use anyhow::{bail, Context, Result};
use futures_util::StreamExt as _;
use serde_json::{json, Value};
use siaga_contract_tests::{Client, Db, PgCluster, Server};
use siaga_domain::Role;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

const WRITERS: usize = 16;

fn flag(name: &str, default: usize) -> Result<usize> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        Some(i) => args.get(i + 1).context("a value")?.parse().context("a number"),
        None => Ok(default),
    }
}

fn polda_json(polda: siaga_domain::PoldaId) -> Value {
    serde_json::to_value(polda).expect("serialisable")
}

fn envelope(polda: siaga_domain::PoldaId, incident: &str, change: Value) -> Value {
    let id = Uuid::now_v7().to_string();
    json!({"eventId": id, "incidentId": incident, "polda": polda_json(polda), "event": {
        "id": id, "incidentId": incident, "at": "2026-11-29T08:00:00Z", "actor": {"id": "sup", "role": "supervisor"}, "change": change}})
}

fn received(polda: siaga_domain::PoldaId) -> Value {
    json!({"type": "received", "channel": {"kind": "call110"}, "description": "bench", "polda": polda_json(polda),
           "location": {"point": {"lat": -6.2, "lon": 106.85}}})
}

/// Events per incident in the ingest run: its receipt and four notes (incidents stay small, as real ones).
const EVENTS_PER_INCIDENT: usize = 5;

/// Appends about `total` events with `WRITERS` concurrent desks (a national supervisor's), each making
/// incidents of five events; the desks work in different Poldas (`spread`) or all in one. Events/s.
async fn ingest(server: &Server, total: usize, spread: bool) -> Result<f64> {
    server.account("sup", Role::Supervisor, None).await;
    let client = server.login("sup").await;
    let per_writer = total / WRITERS / EVENTS_PER_INCIDENT * EVENTS_PER_INCIDENT;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let client = client.clone();
        let polda = if spread {
            siaga_domain::PoldaId::ALL[writer % siaga_domain::PoldaId::ALL.len()]
        } else {
            siaga_domain::PoldaId::MetroJaya
        };
        tasks.push(tokio::spawn(async move {
            let mut incident = String::new();
            for n in 0..per_writer {
                let body = if n % EVENTS_PER_INCIDENT == 0 {
                    incident = Uuid::now_v7().to_string();
                    envelope(polda, &incident, received(polda))
                } else {
                    envelope(polda, &incident, json!({"type": "note_added", "text": "x"}))
                };
                let (status, answer) = client.post("/v1/events", &body).await;
                if status != 201 {
                    bail!("append refused: {status} {answer}");
                }
            }
            Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok((per_writer * WRITERS) as f64 / started.elapsed().as_secs_f64())
}

/// pgbench's rate of single-row inserts with the same number of clients, on the same cluster.
fn pgbench(cluster: &PgCluster) -> Result<f64> {
    let url = cluster.create_database();
    let database = url.rsplit('/').next().context("a database name")?.to_owned();
    let dir = tempfile::tempdir()?;
    let script = dir.path().join("insert.sql");
    std::fs::write(
        &script,
        "INSERT INTO bench_insert (body) VALUES ('{\"x\": 1}');\n",
    )?;
    let port = cluster.port.to_string();
    let psql = cluster.pgbench().with_file_name("psql");
    let status = std::process::Command::new(psql)
        .args([
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-d",
            &database,
            "-c",
            "CREATE TABLE bench_insert (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)",
        ])
        .status()?;
    if !status.success() {
        bail!("psql could not create the pgbench table");
    }
    let output = std::process::Command::new(cluster.pgbench())
        .args([
            "-n",
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-c",
            &WRITERS.to_string(),
            "-j",
            "2",
            "-T",
            "10",
            "-f",
        ])
        .arg(&script)
        .arg(&database)
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let tps = text
        .lines()
        .find_map(|line| line.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .with_context(|| {
            format!(
                "no tps in pgbench output: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    Ok(tps)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Fan-out: `clients` WebSocket sessions subscribed; `events` appends paced 20 ms apart; latency from
/// sending the append to each session's receipt.
async fn fan_out(clients: usize, events: usize) -> Result<(Duration, Duration, Duration, usize)> {
    let server = Server::start(Db::Sqlite).await;
    server.account("sup", Role::Supervisor, None).await;
    let writer = server.login("sup").await;
    let reader: Client = server.login("sup").await;
    let receipts: Arc<Mutex<Vec<(String, Instant)>>> =
        Arc::new(Mutex::new(Vec::with_capacity(clients * events)));
    let mut sessions = Vec::new();
    for _ in 0..clients {
        let url = format!(
            "{}/v1/live?access_token={}",
            reader.base.replace("http://", "ws://"),
            reader.token.clone().unwrap_or_default()
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .context("connecting a live session")?;
        use futures_util::SinkExt as _;
        socket
            .send(tokio_tungstenite::tungstenite::Message::text(
                json!({"type": "subscribe"}).to_string(),
            ))
            .await?;
        let frame = socket.next().await.context("subscribed")??;
        if !frame.to_text()?.contains("subscribed") {
            bail!("not subscribed: {frame}");
        }
        let receipts = receipts.clone();
        sessions.push(tokio::spawn(async move {
            let mut seen = 0;
            while seen < events {
                let Some(Ok(message)) = socket.next().await else {
                    break;
                };
                let now = Instant::now();
                let Ok(text) = message.to_text() else { continue };
                let Ok(frame) = serde_json::from_str::<Value>(text) else {
                    continue;
                };
                if frame["type"] == "notify" {
                    seen += 1;
                    let id = frame["event"]["eventId"].as_str().unwrap_or_default().to_owned();
                    receipts.lock().expect("receipts").push((id, now));
                }
            }
        }));
    }
    let mut sent = HashMap::new();
    let mut append_latency = Vec::new();
    let polda = siaga_domain::PoldaId::MetroJaya;
    for _ in 0..events {
        // A new incident each time: frames stay the size of a fresh report.
        let body = envelope(polda, &Uuid::now_v7().to_string(), received(polda));
        let id = body["eventId"].as_str().unwrap_or_default().to_owned();
        let start = Instant::now();
        sent.insert(id, start);
        let (status, answer) = writer.post("/v1/events", &body).await;
        append_latency.push(start.elapsed());
        if status != 201 {
            bail!("append refused: {status} {answer}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for session in sessions {
        let _ = tokio::time::timeout(Duration::from_secs(30), session).await;
    }
    let receipts = receipts.lock().expect("receipts");
    let mut latencies: Vec<Duration> = receipts
        .iter()
        .filter_map(|(id, at)| sent.get(id).map(|start| at.duration_since(*start)))
        .collect();
    latencies.sort();
    append_latency.sort();
    if latencies.is_empty() {
        bail!("no notification arrived");
    }
    Ok((
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&append_latency, 0.5),
        latencies.len(),
    ))
}

#[tokio::main]
async fn main() -> Result<()> {
    let events = flag("--events", 4000)?;
    let clients = flag("--clients", 1000)?;
    let fan_events = flag("--fan-events", 100)?;
    eprintln!("ingest: {events} events, {WRITERS} concurrent desks over HTTP on loopback");
    let sqlite = ingest(&Server::start(Db::Sqlite).await, events, true).await?;
    println!("events ingested per second, SQLite, desks in 16 Poldas:     {sqlite:>8.0}");
    let postgres = ingest(&Server::start(Db::Postgres).await, events, true).await?;
    println!("events ingested per second, PostgreSQL, desks in 16 Poldas: {postgres:>8.0}");
    let one_polda = ingest(&Server::start(Db::Postgres).await, events, false).await?;
    println!(
        "events ingested per second, PostgreSQL, all desks in one Polda (one sequence): {one_polda:>8.0}"
    );
    let tps = pgbench(PgCluster::shared())?;
    println!("pgbench simple inserts per second ({WRITERS} clients, same cluster): {tps:>8.0}");
    println!("ratio central/pgbench on PostgreSQL: {:.3}", postgres / tps);
    eprintln!("fan-out: {clients} subscribed WebSocket clients, {fan_events} events");
    let (p50, p99, append, receipts) = fan_out(clients, fan_events).await?;
    println!(
        "live fan-out to {clients} clients ({receipts} receipts): append-sent→receipt p50 {:.1} ms, p99 {:.1} ms (append round trip p50 {:.1} ms)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        append.as_secs_f64() * 1e3
    );
    Ok(())
}
