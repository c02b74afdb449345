//! The central's audit trail through the real API, on SQLite and on a throwaway PostgreSQL: sign-ins,
//! incident events, a citizen request and the views of it, sign-out and account creation each leave an
//! entry in the chain of their Polda; signed heads verify with the published key; and the verifier names
//! the first bad entry after an edit, a removal, a move, and a rewrite of every hash after an edit. Desks have
//! the heads of their own trails signed, and a desk whose trail was cut or rewritten under a signed head is
//! refused, the refusal recorded in its Polda's chain.

use serde_json::{json, Value};
use siaga_audit::Break;
use siaga_central::audit;
use siaga_contract_tests::{skck_submission, Db, Server};
use siaga_domain::Role;
use uuid::Uuid;

fn received(incident: &str, actor: &str) -> Value {
    let id = Uuid::now_v7().to_string();
    let polda = serde_json::to_value("diy".parse::<siaga_domain::PoldaId>().unwrap()).unwrap();
    json!({
        "eventId": id, "incidentId": incident, "polda": polda,
        "event": {"id": id, "incidentId": incident, "at": "2026-12-04T03:00:00Z",
                  "actor": {"id": actor, "role": "operator1"},
                  "change": {"type": "received", "channel": {"kind": "call110"}, "description": "ada copet di halte",
                             "polda": polda, "location": {"point": {"lat": -7.797, "lon": 110.370}}}},
    })
}

/// An `audit_log` row, as the audit crate reads it.
type LogRow = siaga_audit::Row;
/// The same without the hashes.
type EntryRow = (i64, i64, String, String, Option<String>, String, String, String);

async fn chain_of(server: &Server, chain: &str) -> Result<siaga_audit::Intact, Break> {
    let reports = audit::verify_all(&server.state.store).await.unwrap();
    reports
        .into_iter()
        .find(|report| report.chain == chain)
        .unwrap_or_else(|| panic!("no chain {chain}"))
        .result
}

async fn exec(server: &Server, sql: &str) {
    sqlx::query(sql).execute(&server.state.store.pool).await.unwrap();
}

async fn the_trail_records_who_did_what_and_the_verifier_names_the_first_bad_entry(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    for _ in 0..3 {
        let incident = Uuid::now_v7().to_string();
        let (status, body) = operator.post("/v1/events", &received(&incident, "op1-diy")).await;
        assert_eq!(status, 201, "{body}");
    }
    let app = server.login_as("app-diy", Role::App, Some("diy")).await;
    let spkt = server.login_as("spkt-diy", Role::SpktOfficer, Some("diy")).await;
    let request = Uuid::now_v7().to_string();
    let (status, body) = app
        .post("/v1/services/requests", &skck_submission(&request, 7, "warga-7"))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        spkt.get(&format!("/v1/services/requests/{request}/photo"))
            .await
            .0,
        200
    );
    assert_eq!(operator.send("POST", "/v1/auth/logout", None).await.0, 204);

    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT seq, actor, action, subject, detail FROM audit_log WHERE chain = 'diy' ORDER BY seq",
    )
    .fetch_all(&server.state.store.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|(_, _, action, _, _)| action.as_str()).collect();
    for expected in [
        "sign_in",
        "incident_event",
        "service_submitted",
        "document_view",
        "sign_out",
    ] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    assert!(rows
        .iter()
        .any(|(_, actor, action, subject, detail)| actor == "spkt-diy"
            && action == "document_view"
            && subject == &request
            && detail == "photo"));
    let text = format!("{rows:?}");
    assert!(!text.contains("347105520390"), "no NIK in the trail");
    assert!(
        !rows.iter().any(|(_, _, _, _, detail)| detail.contains("Siti")),
        "no names in the trail"
    );
    let intact = chain_of(&server, "diy").await.unwrap();
    assert_eq!(intact.entries, rows.len() as i64);

    // Heads signed with the central's key verify; a later edit of a signed entry is caught even when
    // every hash after it is recomputed.
    assert!(
        audit::sign_heads(&server.state.store, 1_796_353_200_000)
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(
        audit::sign_heads(&server.state.store, 1_796_353_260_000)
            .await
            .unwrap(),
        0,
        "nothing new"
    );
    assert!(chain_of(&server, "diy").await.is_ok());
    let n = rows.len() as i64;

    // An edit.
    exec(
        &server,
        "UPDATE audit_log SET actor = 'someone-else' WHERE chain = 'diy' AND seq = 3",
    )
    .await;
    assert_eq!(chain_of(&server, "diy").await, Err(Break::Edited { seq: 3 }));
    exec(
        &server,
        &format!(
            "UPDATE audit_log SET actor = '{}' WHERE chain = 'diy' AND seq = 3",
            rows[2].1
        ),
    )
    .await;
    assert!(
        chain_of(&server, "diy").await.is_ok(),
        "put back, it verifies again"
    );

    // A removal.
    let saved: Vec<LogRow> = sqlx::query_as(
        "SELECT seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash FROM audit_log \
         WHERE chain = 'diy' AND seq = 4",
    )
    .fetch_all(&server.state.store.pool)
    .await
    .unwrap();
    exec(&server, "DELETE FROM audit_log WHERE chain = 'diy' AND seq = 4").await;
    assert_eq!(
        chain_of(&server, "diy").await,
        Err(Break::Missing {
            expected: 4,
            found: 5
        })
    );

    // A move: entry 5 renumbered into the gap, before where it was.
    exec(
        &server,
        "UPDATE audit_log SET seq = 4 WHERE chain = 'diy' AND seq = 5",
    )
    .await;
    let moved = chain_of(&server, "diy").await.unwrap_err();
    assert_eq!(moved.seq(), 4, "{moved}");
    exec(
        &server,
        "UPDATE audit_log SET seq = 5 WHERE chain = 'diy' AND seq = 4",
    )
    .await;
    let (seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash) = saved[0].clone();
    sqlx::query(
        "INSERT INTO audit_log (chain, seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash) \
         VALUES ('diy', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(actor)
    .bind(role)
    .bind(polda)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(prev_hash)
    .bind(hash)
    .execute(&server.state.store.pool)
    .await
    .unwrap();
    assert!(chain_of(&server, "diy").await.is_ok(), "restored");

    // A rewrite: entry 2 edited and every hash from there recomputed — only the signed head tells.
    let chain: Vec<siaga_audit::Stored> = {
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT seq, at_ms, actor, role, polda, action, subject, detail FROM audit_log WHERE chain = 'diy' ORDER BY seq",
        )
        .fetch_all(&server.state.store.pool)
        .await
        .unwrap();
        let mut prev = siaga_audit::GENESIS.to_owned();
        rows.into_iter()
            .map(|(seq, at_ms, actor, role, polda, action, subject, detail)| {
                let entry = siaga_audit::Entry {
                    seq,
                    at_ms,
                    actor: if seq == 2 { "someone-else".into() } else { actor },
                    role,
                    polda,
                    action,
                    subject,
                    detail,
                };
                let stored = siaga_audit::Stored::link(entry, &prev);
                prev.clone_from(&stored.hash);
                stored
            })
            .collect()
    };
    for stored in &chain {
        sqlx::query(
            "UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE chain = 'diy' AND seq = $4",
        )
        .bind(&stored.entry.actor)
        .bind(&stored.prev_hash)
        .bind(&stored.hash)
        .bind(stored.entry.seq)
        .execute(&server.state.store.pool)
        .await
        .unwrap();
    }
    assert_eq!(chain_of(&server, "diy").await, Err(Break::Rewritten { seq: n }));

    // A forged head (signed with another key) is caught as such.
    exec(
        &server,
        "UPDATE audit_signed_head SET signature = '00' WHERE chain = 'diy'",
    )
    .await;
    assert!(matches!(
        chain_of(&server, "diy").await,
        Err(Break::BadSignature { .. })
    ));
}

async fn a_supervisor_reads_and_verifies_the_trail_of_their_polda(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    for _ in 0..3 {
        let incident = Uuid::now_v7().to_string();
        assert_eq!(
            operator
                .post("/v1/events", &received(&incident, "op1-diy"))
                .await
                .0,
            201
        );
    }
    audit::sign_heads(&server.state.store, 1_796_353_200_000)
        .await
        .unwrap();
    let supervisor = server.login_as("sup-diy", Role::Supervisor, Some("diy")).await;
    let (status, page) = supervisor.get("/v1/audit?limit=2").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["chain"], "diy");
    assert_eq!(page["more"], true);
    let (_, page) = supervisor.get("/v1/audit").await;
    let entries: Vec<siaga_api::audit::AuditEntry> = serde_json::from_value(page["entries"].clone()).unwrap();
    let chain: Vec<siaga_audit::Stored> = entries
        .into_iter()
        .map(|e| siaga_audit::Stored {
            entry: siaga_audit::Entry {
                seq: e.seq,
                at_ms: e.at_ms,
                actor: e.actor,
                role: e.role,
                polda: e.polda,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
            },
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect();
    let heads: Vec<siaga_audit::SignedHead> = page["signedHeads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| siaga_audit::SignedHead {
            chain: "diy".into(),
            seq: h["seq"].as_i64().unwrap(),
            hash: h["hash"].as_str().unwrap().into(),
            at_ms: h["atMs"].as_i64().unwrap(),
            key_id: h["keyId"].as_str().unwrap().into(),
            signature: h["signature"].as_str().unwrap().into(),
        })
        .collect();
    let keys: Vec<siaga_audit::VerifyingKey> = page["publicKeys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| siaga_audit::verifying_key(k.as_str()?))
        .collect();
    assert_eq!(heads.len(), 1);
    let intact = siaga_audit::verify_with_heads(&chain, &heads, &keys).expect("what the desk got verifies");
    assert_eq!(
        intact.entries,
        1 + 3 + 1 + 1,
        "sign-in, 3 events, the supervisor's sign-in, the first read"
    );
    // Another Polda's trail is not theirs; the national one neither.
    assert_eq!(supervisor.get("/v1/audit?chain=metro_jaya").await.0, 403);
    assert_eq!(supervisor.get("/v1/audit?chain=national").await.0, 403);
    let admin = server.login_as("admin-nas", Role::Admin, None).await;
    let (status, national) = admin.get("/v1/audit?chain=national").await;
    assert_eq!(
        (status, national["chain"].as_str()),
        (200, Some("national")),
        "{national}"
    );
    assert_eq!(admin.get("/v1/audit?chain=atlantis").await.0, 422);
}

/// A desk's trail of `n` entries, as a desk would hash it.
fn desk_trail(n: i64, detail: &str) -> Vec<siaga_audit::Stored> {
    let mut prev = siaga_audit::GENESIS.to_owned();
    (1..=n)
        .map(|seq| {
            let stored = siaga_audit::Stored::link(
                siaga_audit::Entry {
                    seq,
                    at_ms: 1_796_353_200_000 + seq,
                    actor: "op1-diy".into(),
                    role: "operator1".into(),
                    polda: Some("diy".into()),
                    action: "incident_event".into(),
                    subject: format!("incident-{seq}"),
                    detail: detail.into(),
                },
                &prev,
            );
            prev.clone_from(&stored.hash);
            stored
        })
        .collect()
}

fn head_request(desk: &str, trail: &[siaga_audit::Stored], seq: i64, prior: Option<i64>) -> Value {
    let at = |seq: i64| &trail[seq as usize - 1].hash;
    let mut body = json!({"deskId": desk, "seq": seq, "hash": at(seq)});
    if let Some(prior) = prior {
        body["prior"] = json!({"seq": prior, "hash": at(prior)});
    }
    body
}

async fn a_desk_has_its_trail_head_signed_and_a_cut_or_rewritten_trail_is_refused(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let desk = "0123456789abcdef0123456789abcdef";
    let trail = desk_trail(8, "classified");

    // The first head: signed for chain desk:<id>, verifying with the key the answer names.
    let (status, signed) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 3, None))
        .await;
    assert_eq!(status, 200, "{signed}");
    let answer: siaga_api::audit::DeskHeadSigned = serde_json::from_value(signed.clone()).unwrap();
    assert_eq!(answer.chain, format!("desk:{desk}"));
    let head = siaga_audit::SignedHead {
        chain: answer.chain.clone(),
        seq: answer.head.seq,
        hash: answer.head.hash.clone(),
        at_ms: answer.head.at_ms,
        key_id: answer.head.key_id.clone(),
        signature: answer.head.signature.clone(),
    };
    let key = siaga_audit::verifying_key(&answer.public_key).unwrap();
    assert!(head.verifies(&key));
    assert_eq!((head.seq, &head.hash), (3, &trail[2].hash));
    // The same head again (an answer lost on the way): the same signature.
    let (status, again) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 3, None))
        .await;
    assert_eq!((status, &again), (200, &signed));
    // The trail grows: the next head names the signed one as it reads now.
    let (status, body) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 6, Some(3)))
        .await;
    assert_eq!(status, 200, "{body}");

    // Cut after a signed head.
    let (status, body) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 5, Some(3)))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("desk_trail_truncated")),
        "{body}"
    );
    // Rewritten from entry 2 on (every hash recomputed), the trail grown since: its entry 6 is not the one signed.
    let rewritten = desk_trail(8, "closed");
    let (status, body) = operator
        .post(
            "/v1/audit/desk-heads",
            &head_request(desk, &rewritten, 8, Some(6)),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("desk_trail_rewritten")),
        "{body}"
    );
    let (status, body) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &rewritten, 6, None))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("desk_trail_rewritten")),
        "{body}"
    );
    // Rewritten with the kept heads thrown away: the desk can name none of the central's heads.
    let (status, body) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &rewritten, 8, None))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("desk_trail_unproven")),
        "{body}"
    );
    let (status, body) = operator
        .post(
            "/v1/audit/desk-heads",
            &head_request(desk, &rewritten, 8, Some(4)),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("desk_trail_unproven")),
        "{body}"
    );
    // The honest next head still passes.
    let (status, body) = operator
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 8, Some(6)))
        .await;
    assert_eq!(status, 200, "{body}");

    // Another Polda's account may not sign this desk's heads; a national one may.
    let other = server
        .login_as("op1-jabar", Role::Operator1, Some("jawa_barat"))
        .await;
    let (status, body) = other
        .post("/v1/audit/desk-heads", &head_request(desk, &trail, 8, Some(8)))
        .await;
    assert_eq!(status, 403, "{body}");
    let admin = server.login_as("admin-nas", Role::Admin, None).await;
    assert_eq!(
        admin
            .post("/v1/audit/desk-heads", &head_request(desk, &trail, 8, Some(8)))
            .await
            .0,
        200
    );
    // Bad input is named.
    for (body, code) in [
        (
            json!({"deskId": "DESK", "seq": 1, "hash": trail[0].hash}),
            "invalid_desk_id",
        ),
        (json!({"deskId": desk, "seq": 1, "hash": "abc"}), "invalid_hash"),
        (
            json!({"deskId": desk, "seq": 0, "hash": trail[0].hash}),
            "invalid_seq",
        ),
        (
            json!({"deskId": desk, "seq": 2, "hash": trail[1].hash, "prior": {"seq": 3, "hash": trail[2].hash}}),
            "invalid_prior",
        ),
    ] {
        let (status, answer) = operator.post("/v1/audit/desk-heads", &body).await;
        assert_eq!((status, answer["error"].as_str()), (400, Some(code)), "{answer}");
    }

    // Each signature and each refusal is an entry of DIY's chain (a national account's too), which still verifies.
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT action, subject, detail FROM audit_log WHERE chain = 'diy' AND action LIKE 'desk_head%' ORDER BY seq",
    )
    .fetch_all(&server.state.store.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "desk_head_signed",
            "desk_head_signed",
            "desk_head_refused",
            "desk_head_refused",
            "desk_head_refused",
            "desk_head_refused",
            "desk_head_refused",
            "desk_head_signed",
        ],
        "a repeated head is answered, not signed again"
    );
    assert!(rows.iter().all(|r| r.1 == format!("desk:{desk}")));
    assert_eq!(rows[2].2, "desk_trail_truncated: #5");
    assert!(chain_of(&server, "diy").await.is_ok());
}

async fn concurrent_appends_keep_one_gapless_chain(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let operator = operator.clone();
        tasks.push(tokio::spawn(async move {
            let incident = Uuid::now_v7().to_string();
            operator
                .post("/v1/events", &received(&incident, "op1-diy"))
                .await
                .0
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    let intact = chain_of(&server, "diy").await.unwrap();
    assert_eq!(
        intact.entries,
        1 + 24,
        "one sign-in and 24 events, no gap and no fork"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_trail_records_who_did_what_and_the_verifier_names_the_first_bad_entry() {
    the_trail_records_who_did_what_and_the_verifier_names_the_first_bad_entry(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_trail_records_who_did_what_and_the_verifier_names_the_first_bad_entry() {
    the_trail_records_who_did_what_and_the_verifier_names_the_first_bad_entry(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_appends_keep_one_gapless_chain() {
    concurrent_appends_keep_one_gapless_chain(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_appends_keep_one_gapless_chain() {
    concurrent_appends_keep_one_gapless_chain(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_supervisor_reads_and_verifies_the_trail_of_their_polda() {
    a_supervisor_reads_and_verifies_the_trail_of_their_polda(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_supervisor_reads_and_verifies_the_trail_of_their_polda() {
    a_supervisor_reads_and_verifies_the_trail_of_their_polda(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_desk_has_its_trail_head_signed_and_a_cut_or_rewritten_trail_is_refused() {
    a_desk_has_its_trail_head_signed_and_a_cut_or_rewritten_trail_is_refused(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_desk_has_its_trail_head_signed_and_a_cut_or_rewritten_trail_is_refused() {
    a_desk_has_its_trail_head_signed_and_a_cut_or_rewritten_trail_is_refused(Db::Postgres).await;
}
