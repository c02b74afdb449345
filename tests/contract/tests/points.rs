//! The national analysis path (decision 0012): the central's incidents stream into the CSV `siaga-analytics`
//! reads, on a real PostgreSQL through a read-only role and a server-side cursor fetched in small batches, and
//! on SQLite; prank, empty and unclassified calls and other Poldas' incidents are left out and counted.

use serde_json::{json, Value};
use siaga_contract_tests::{Client, Db, Server};
use siaga_domain::{PoldaId, Role};
use sqlx::Connection;
use uuid::Uuid;

const AT: &str = "2026-11-29T08:00:00Z";

async fn incident(client: &Client, actor: &str, polda: &str, point: (f64, f64), category: Option<&str>) {
    let incident = Uuid::now_v7().to_string();
    let polda_json: Value = serde_json::to_value(polda.parse::<PoldaId>().unwrap()).unwrap();
    let mut changes = vec![
        json!({"type": "received", "channel": {"kind": "call110"}, "description": "laporan",
        "polda": polda_json, "location": {"point": {"lat": point.0, "lon": point.1}}}),
    ];
    if let Some(category) = category {
        changes.push(json!({"type": "classified", "category": category}));
    }
    for change in changes {
        let id = Uuid::now_v7().to_string();
        let envelope = json!({"eventId": id, "incidentId": incident, "polda": polda_json,
            "event": {"id": id, "incidentId": incident, "at": AT, "actor": {"id": actor, "role": "operator1"}, "change": change}});
        let (status, body) = client.post("/v1/events", &envelope).await;
        assert!(status == 200 || status == 201, "{status} {body}");
    }
}

async fn seed(server: &Server) {
    server
        .account("op1-metro", Role::Operator1, Some("metro_jaya"))
        .await;
    server.account("op1-diy", Role::Operator1, Some("diy")).await;
    let metro = server.login("op1-metro").await;
    let diy = server.login("op1-diy").await;
    for i in 0..23 {
        incident(
            &metro,
            "op1-metro",
            "metro_jaya",
            (-6.2 + f64::from(i) * 1e-3, 106.84),
            Some("theft"),
        )
        .await;
    }
    incident(
        &metro,
        "op1-metro",
        "metro_jaya",
        (-6.21, 106.85),
        Some("prank_call"),
    )
    .await;
    incident(
        &metro,
        "op1-metro",
        "metro_jaya",
        (-6.22, 106.85),
        Some("empty_call"),
    )
    .await;
    incident(&metro, "op1-metro", "metro_jaya", (-6.23, 106.85), None).await;
    for _ in 0..3 {
        incident(&diy, "op1-diy", "diy", (-7.797, 110.37), Some("robbery")).await;
    }
}

fn lines(out: &[u8]) -> Vec<String> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn postgres_points_stream_through_a_read_only_role_and_a_cursor() {
    let server = Server::start(Db::Postgres).await;
    seed(&server).await;
    let admin_url = server.database_url.clone();
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::raw_sql("CREATE ROLE siaga_reader LOGIN; GRANT SELECT ON incidents TO siaga_reader;")
        .execute(&mut admin)
        .await
        .unwrap();
    let reader_url = admin_url.replacen("postgres://postgres@", "postgres://siaga_reader@", 1);

    let mut out = Vec::new();
    // Batches of 7: the cursor is fetched four times for 23 rows (and the rows left out).
    let summary = siaga_central::points::export_points_in_batches(
        &reader_url,
        Some(PoldaId::MetroJaya),
        0,
        i64::MAX / 2,
        7,
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(
        (summary.written, summary.prank_or_empty, summary.unclassified),
        (23, 2, 1)
    );
    let rows = lines(&out);
    assert_eq!(rows[0], "lat,lon,time,category,polda");
    assert_eq!(rows.len(), 24);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.ends_with(",theft,metro_jaya") && r.contains(",2026-11-29T08:00:00Z,")),
        "{rows:?}"
    );

    let mut all = Vec::new();
    let summary = siaga_central::points::export_points(&reader_url, None, 0, i64::MAX / 2, &mut all)
        .await
        .unwrap();
    assert_eq!(summary.written, 26);
    assert_eq!(
        lines(&all).iter().filter(|r| r.ends_with(",robbery,diy")).count(),
        3
    );

    // The reader's role cannot change anything.
    let mut reader = sqlx::PgConnection::connect(&reader_url).await.unwrap();
    assert!(sqlx::raw_sql("DELETE FROM incidents")
        .execute(&mut reader)
        .await
        .is_err());
}

#[tokio::test]
async fn sqlite_points_stream_the_same_way() {
    let server = Server::start(Db::Sqlite).await;
    seed(&server).await;
    let mut out = Vec::new();
    let summary = siaga_central::points::export_points(
        &server.database_url,
        Some(PoldaId::MetroJaya),
        0,
        i64::MAX / 2,
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(
        (summary.written, summary.prank_or_empty, summary.unclassified),
        (23, 2, 1)
    );
    assert_eq!(lines(&out).len(), 24);
    assert!(matches!(
        siaga_central::points::export_points("mysql://x", None, 0, 1, &mut Vec::new()).await,
        Err(siaga_central::points::PointsError::UnsupportedUrl)
    ));
}
