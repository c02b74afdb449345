//! The scale path: two central replicas on one PostgreSQL with NATS JetStream (both throwaway, started
//! here). A desk subscribed to replica A receives every event written through replica B (and A), in
//! server order, exactly once.

use serde_json::{json, Value};
use siaga_contract_tests::{Live, NatsServer, PgCluster, Server};
use siaga_domain::Role;
use uuid::Uuid;

fn polda_json(code: &str) -> Value {
    serde_json::to_value(code.parse::<siaga_domain::PoldaId>().unwrap()).unwrap()
}

fn envelope(incident: &str, actor: &str, change: Value) -> Value {
    let id = Uuid::now_v7().to_string();
    json!({"eventId": id, "incidentId": incident, "polda": polda_json("diy"), "event": {
        "id": id, "incidentId": incident, "at": "2026-11-29T08:00:00Z", "actor": {"id": actor, "role": "operator1"}, "change": change}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_desk_on_replica_a_gets_events_written_through_replica_b_in_order_once() {
    let nats = NatsServer::start();
    let database = PgCluster::shared().create_database();
    let a = Server::start_with_nats(database.clone(), &nats.url).await;
    let b = Server::start_with_nats(database, &nats.url).await;
    let (_, health) = a.anonymous().get("/v1/health").await;
    assert_eq!(health["nats"], true);
    a.account("sup", Role::Supervisor, None).await;
    a.account("op1", Role::Operator1, Some("diy")).await;
    let desk_on_a = a.login("sup").await;
    let writer_on_b = b.login("op1").await;
    let writer_on_a = a.login("op1").await;

    let mut desk = Live::connect(&desk_on_a).await;
    desk.send(json!({"type": "subscribe", "filter": {"poldas": [polda_json("diy")]}}))
        .await;
    assert_eq!(desk.next().await["type"], "subscribed");

    let mut expected = Vec::new();
    for n in 0..12 {
        let incident = Uuid::now_v7().to_string();
        let received = json!({"type": "received", "channel": {"kind": "call110"}, "description": format!("laporan {n}"), "polda": polda_json("diy")});
        // Most writes go through B; every third through A; each is retried once (a duplicate).
        let writer = if n % 3 == 2 { &writer_on_a } else { &writer_on_b };
        let first = envelope(&incident, "op1", received);
        let (status, body) = writer.post("/v1/events", &first).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            writer_on_b.post("/v1/events", &first).await.0,
            200,
            "a retry through B is the stored result"
        );
        expected.push(body["event"]["eventId"].as_str().unwrap().to_owned());
        let note = envelope(&incident, "op1", json!({"type": "note_added", "text": "cek"}));
        let (status, body) = writer_on_b.post("/v1/events", &note).await;
        assert_eq!(status, 201, "{body}");
        expected.push(body["event"]["eventId"].as_str().unwrap().to_owned());
    }

    let mut got = Vec::new();
    let mut seqs = Vec::new();
    while got.len() < expected.len() {
        let frame = desk.next().await;
        assert_eq!(frame["type"], "notify", "{frame}");
        got.push(frame["event"]["eventId"].as_str().unwrap().to_owned());
        seqs.push(frame["event"]["serverSeq"].as_u64().unwrap());
    }
    assert_eq!(
        seqs,
        (1..=expected.len() as u64).collect::<Vec<_>>(),
        "in server order, without gaps"
    );
    assert_eq!(got, expected, "every event, once, in the order committed");
    desk.quiet().await;

    // A publisher that died after publishing but before marking its rows republishes them all:
    // JetStream drops them by message id (the event id), so the desk sees nothing twice.
    let reset = sqlx::query("UPDATE outbox SET published_ms = NULL")
        .execute(&b.state.store.pool)
        .await
        .unwrap();
    assert_eq!(reset.rows_affected(), expected.len() as u64);
    b.state.outbox_wake.notify_one();
    a.state.outbox_wake.notify_one();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE published_ms IS NULL")
        .fetch_one(&a.state.store.pool)
        .await
        .unwrap();
    assert_eq!(pending, 0, "the outbox was drained again");
    desk.quiet().await;
    let mut duplicates = 0;
    for replica in [&a, &b] {
        let (_, metrics) = replica.anonymous().get("/metrics").await;
        duplicates += metrics
            .as_str()
            .unwrap_or_default()
            .lines()
            .find_map(|line| line.strip_prefix("siaga_outbox_duplicates_total "))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
    }
    assert_eq!(
        duplicates,
        expected.len(),
        "JetStream recognised every republished event by its id"
    );
}
