//! The API contract suite: every case runs against the central on SQLite and on PostgreSQL (a throwaway
//! cluster this process starts). A case states what a desk, kiosk or admin relies on.

use serde_json::{json, Value};
use siaga_contract_tests::{kiosk_alert_xml, Client, Db, Live, Server, PASSWORD};
use siaga_domain::Role;
use uuid::Uuid;

/// The envelope of one incident event as a desk in `polda` sends it.
fn event_in(polda: &str, incident: &str, actor: &str, role: &str, at: &str, change: Value) -> Value {
    let id = Uuid::now_v7().to_string();
    json!({
        "eventId": id,
        "incidentId": incident,
        "polda": polda_json(polda),
        "event": {"id": id, "incidentId": incident, "at": at, "actor": {"id": actor, "role": role}, "change": change},
    })
}

/// The envelope of one incident event from a DIY desk.
fn event(incident: &str, actor: &str, role: &str, at: &str, change: Value) -> Value {
    event_in("diy", incident, actor, role, at, change)
}

/// The JSON form of a Polda, given its code (`diy`, `metro_jaya`) as accounts and query strings use it.
fn polda_json(code: &str) -> Value {
    serde_json::to_value(code.parse::<siaga_domain::PoldaId>().expect("a Polda code")).expect("serialisable")
}

fn received(polda: &str, lat: f64, lon: f64) -> Value {
    json!({"type": "received", "channel": {"kind": "call110"}, "description": "ada copet di halte",
           "polda": polda_json(polda), "location": {"point": {"lat": lat, "lon": lon}}})
}

const AT: &str = "2026-11-29T08:00:00Z";
/// Yogyakarta (Polda DIY) and Jakarta (Polda Metro Jaya).
const YOGYA: (f64, f64) = (-7.797, 110.370);
const JAKARTA: (f64, f64) = (-6.200, 106.845);

/// Receives a new incident in `polda` as `client` (an operator 1 named `op1-<polda>`).
async fn new_incident(client: &Client, actor: &str, polda: &str, at: &str, point: (f64, f64)) -> String {
    let incident = Uuid::now_v7().to_string();
    let (status, body) = client
        .post(
            "/v1/events",
            &event_in(
                polda,
                &incident,
                actor,
                "operator1",
                at,
                received(polda, point.0, point.1),
            ),
        )
        .await;
    assert_eq!(status, 201, "receive: {body}");
    incident
}

async fn classify(client: &Client, actor: &str, incident: &str, category: &str) -> Value {
    let (status, body) = client
        .post(
            "/v1/events",
            &event(
                incident,
                actor,
                "operator1",
                AT,
                json!({"type": "classified", "category": category}),
            ),
        )
        .await;
    assert_eq!(status, 201, "classify: {body}");
    body
}

mod cases {
    pub use super::callers::a_callers_history_is_scoped_to_the_polda_and_masked_for_analysts;
    pub use super::releases::desk_releases_are_kept_as_signed_and_served_newest_first;
    use super::*;

    pub async fn health_openapi_and_metrics(db: Db) {
        let server = Server::start(db).await;
        let anyone = server.anonymous();
        let (status, health) = anyone.get("/v1/health").await;
        assert_eq!(status, 200);
        assert_eq!(health["status"], "ok");
        assert_eq!(
            health["database"],
            if db == Db::Sqlite { "sqlite" } else { "postgres" }
        );

        let (status, doc) = anyone.get("/v1/openapi.json").await;
        assert_eq!(status, 200);
        for spec in siaga_central::routes::ROUTES {
            let operation = &doc["paths"][spec.path][spec.method.to_lowercase()];
            assert!(
                operation.is_object(),
                "{} {} missing from the OpenAPI document",
                spec.method,
                spec.path
            );
        }

        let (status, text) = anyone.get("/metrics").await;
        assert_eq!(status, 200);
        let text = text.as_str().unwrap_or_default().to_owned();
        assert!(text.contains("siaga_events_appended_total 0"), "{text}");
        assert!(
            text.contains("siaga_http_responses_total{class=\"2xx\"}"),
            "{text}"
        );
    }

    pub async fn login_refresh_logout_and_expiry(db: Db) {
        let server = Server::start(db).await;
        server.account("sari", Role::Operator1, Some("diy")).await;
        let anyone = server.anonymous();
        for (username, password) in [("sari", "wrong password!"), ("nobody", PASSWORD)] {
            let (status, body) = anyone
                .post(
                    "/v1/auth/login",
                    &json!({"username": username, "password": password}),
                )
                .await;
            assert_eq!(
                (status, body["error"].as_str()),
                (401, Some("invalid_credentials")),
                "{username}"
            );
        }
        let (status, pair) = anyone
            .post(
                "/v1/auth/login",
                &json!({"username": "sari", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 200, "{pair}");
        assert_eq!(
            pair["principal"],
            json!({"name": "sari", "role": "operator1", "polda": "diy"})
        );
        let access = pair["accessToken"].as_str().unwrap();
        let refresh = pair["refreshToken"].as_str().unwrap();
        let (status, me) = anyone.with_token(access).get("/v1/me").await;
        assert_eq!((status, me["name"].as_str()), (200, Some("sari")));

        // An access token is not a refresh token.
        let (status, body) = anyone
            .post("/v1/auth/refresh", &json!({"refreshToken": access}))
            .await;
        assert_eq!((status, body["error"].as_str()), (401, Some("wrong_token_kind")));
        // Refresh rotates: the new pair works.
        let (status, renewed) = anyone
            .post("/v1/auth/refresh", &json!({"refreshToken": refresh}))
            .await;
        assert_eq!(status, 200, "{renewed}");
        let fresh = anyone.with_token(renewed["accessToken"].as_str().unwrap());
        assert_eq!(fresh.get("/v1/me").await.0, 200);
        // The spent refresh token used again (a stolen copy) ends the whole session, the new pair too.
        let (status, body) = anyone
            .post("/v1/auth/refresh", &json!({"refreshToken": refresh}))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("session_ended")),
            "{body}"
        );
        let (status, body) = fresh.get("/v1/me").await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")));
        let (status, _) = anyone
            .post(
                "/v1/auth/refresh",
                &json!({"refreshToken": renewed["refreshToken"]}),
            )
            .await;
        assert_eq!(status, 401, "the successor's refresh token is revoked with it");
        let fresh = server.login("sari").await;
        // Logout revokes the access token sent.
        assert_eq!(fresh.send("POST", "/v1/auth/logout", None).await.0, 204);
        let (status, body) = fresh.get("/v1/me").await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")));
        // No token at all.
        let (status, body) = anyone.get("/v1/me").await;
        assert_eq!((status, body["error"].as_str()), (401, Some("missing_token")));

        // Expired access tokens are refused with their own code.
        let short = Server::start_on(server.database_url.clone(), None, |mut state| {
            state.tokens.access_ms = 200;
            state
        })
        .await;
        let client = short.login("sari").await;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let (status, body) = client.get("/v1/me").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("token_expired")),
            "{body}"
        );
    }

    pub async fn operator_flow_end_to_end(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let op2 = server.login_as("op2", Role::Operator2, Some("diy")).await;
        let op3 = server.login_as("op3", Role::Operator3, Some("diy")).await;
        let spkt = server.login_as("spkt", Role::SpktOfficer, Some("diy")).await;
        let incident = new_incident(&op1, "op1", "diy", AT, YOGYA).await;
        classify(&op1, "op1", &incident, "theft").await;
        let steps = [
            (
                &op2,
                "op2",
                "operator2",
                json!({"type": "forwarded", "polda": polda_json("diy"), "polres": "34.71"}),
                "forwarded",
            ),
            (
                &op3,
                "op3",
                "operator3",
                json!({"type": "handed_to_spkt", "desk": "SPKT Polresta Yogyakarta"}),
                "handed_to_spkt",
            ),
            (
                &spkt,
                "spkt",
                "spkt_officer",
                json!({"type": "handling_started", "unit": "Patroli 2"}),
                "in_progress",
            ),
            (
                &spkt,
                "spkt",
                "spkt_officer",
                json!({"type": "closed", "reason": {"kind": "resolved"}, "summary": "pelaku diamankan"}),
                "closed",
            ),
        ];
        for (seq, (client, actor, role, change, status_after)) in (3..).zip(steps) {
            let (status, body) = client
                .post("/v1/events", &event(&incident, actor, role, AT, change))
                .await;
            assert_eq!(status, 201, "{body}");
            assert_eq!(
                body["event"]["serverSeq"], seq,
                "gapless server sequence per Polda"
            );
            assert_eq!(body["incident"]["status"], status_after);
            assert_eq!(body["duplicate"], false);
        }
        let (status, stored) = op1.get(&format!("/v1/incidents/{incident}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            (stored["status"].as_str(), stored["category"].as_str()),
            (Some("closed"), Some("theft"))
        );
        let (status, log) = op1.get(&format!("/v1/incidents/{incident}/events")).await;
        assert_eq!(status, 200);
        let seqs: Vec<i64> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["serverSeq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5, 6]);
    }

    pub async fn a_repeated_event_returns_the_stored_result(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let incident = Uuid::now_v7().to_string();
        let first = event(
            &incident,
            "op1",
            "operator1",
            AT,
            received("diy", YOGYA.0, YOGYA.1),
        );
        let (status, stored) = op1.post("/v1/events", &first).await;
        assert_eq!(status, 201);
        let (status, again) = op1.post("/v1/events", &first).await;
        assert_eq!(status, 200);
        assert_eq!(again["duplicate"], true);
        assert_eq!(
            again["event"], stored["event"],
            "same stored event, same sequence"
        );
        // The same id with another body is refused (an id is never reused) and changes nothing.
        let mut altered = first.clone();
        altered["event"]["change"]["description"] = json!("something else");
        let (status, third) = op1.post("/v1/events", &altered).await;
        assert_eq!(
            (status, third["error"].as_str()),
            (409, Some("event_id_taken")),
            "{third}"
        );
        // Someone else in the Polda replaying op1's event: refused for the actor before any lookup, so the
        // stored result is not handed out.
        let op2 = server.login_as("op2", Role::Operator1, Some("diy")).await;
        let (status, body) = op2.post("/v1/events", &first).await;
        assert_eq!(status, 403, "{body}");
        assert!(
            body.get("event").is_none(),
            "no stored result for another actor: {body}"
        );
        let (_, feed) = op1.get("/v1/feed").await;
        assert_eq!(feed["events"].as_array().unwrap().len(), 1);
        assert_eq!(
            feed["events"][0]["event"]["change"]["description"],
            "ada copet di halte"
        );
    }

    pub async fn refused_events_say_why_and_change_nothing(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let op2 = server.login_as("op2", Role::Operator2, Some("diy")).await;
        let incident = new_incident(&op1, "op1", "diy", AT, YOGYA).await;
        let cases = [
            // (who, actor, role, change, status, code)
            (
                &op2,
                "op2",
                "operator2",
                json!({"type": "forwarded", "polda": polda_json("diy"), "polres": "34.71"}),
                409,
                "illegal_transition",
            ),
            (
                &op2,
                "op2",
                "operator2",
                json!({"type": "classified", "category": "theft"}),
                403,
                "role_not_allowed",
            ),
            (
                &op1,
                "op1",
                "operator1",
                received("diy", YOGYA.0, YOGYA.1),
                409,
                "already_received",
            ),
            (
                &op1,
                "someone-else",
                "operator1",
                json!({"type": "classified", "category": "theft"}),
                403,
                "forbidden",
            ),
            (
                &op1,
                "op1",
                "supervisor",
                json!({"type": "classified", "category": "theft"}),
                403,
                "forbidden",
            ),
            (
                &op1,
                "op1",
                "operator1",
                json!({"type": "closed", "reason": {"kind": "duplicate", "of": incident}}),
                422,
                "duplicate_of_itself",
            ),
        ];
        for (client, actor, role, change, status, code) in cases {
            let (got, body) = client
                .post("/v1/events", &event(&incident, actor, role, AT, change.clone()))
                .await;
            assert_eq!(
                (got, body["error"].as_str()),
                (status, Some(code)),
                "{change}: {body}"
            );
            assert!(!body["message"].as_str().unwrap_or_default().is_empty());
        }
        // An event for an incident never received.
        let (status, body) = op1
            .post(
                "/v1/events",
                &event(
                    &Uuid::now_v7().to_string(),
                    "op1",
                    "operator1",
                    AT,
                    json!({"type": "classified", "category": "theft"}),
                ),
            )
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (409, Some("not_received_yet")),
            "{body}"
        );
        let (_, stored) = op1.get(&format!("/v1/incidents/{incident}")).await;
        assert_eq!(
            (stored["status"].as_str(), stored["version"].as_i64()),
            (Some("received"), Some(1))
        );
        let (_, feed) = op1.get("/v1/feed").await;
        assert_eq!(
            feed["events"].as_array().unwrap().len(),
            1,
            "nothing refused reached the feed"
        );
    }

    pub async fn bad_input_gets_a_clear_4xx(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let incident = new_incident(&op1, "op1", "diy", AT, YOGYA).await;
        let good = event(
            &incident,
            "op1",
            "operator1",
            AT,
            json!({"type": "note_added", "text": "ok"}),
        );
        let mut unknown = good.clone();
        unknown["priority"] = json!("high");
        let bad_nik = event(
            &Uuid::now_v7().to_string(),
            "op1",
            "operator1",
            AT,
            json!({
            "type": "received", "channel": {"kind": "app110"}, "description": "x", "polda": polda_json("diy"),
            "reporter": {"name": "Budi", "nik": "3471019999990001"}}),
        );
        let huge = json!({"text": "x".repeat(100 * 1024)});
        // (method, path, content type, body, status, code)
        type Case<'a> = (&'a str, &'a str, &'a str, Vec<u8>, u16, &'a str);
        let cases: Vec<Case> = vec![
            (
                "POST",
                "/v1/events",
                "application/json",
                b"{\"id\": ".to_vec(),
                400,
                "malformed_json",
            ),
            (
                "POST",
                "/v1/events",
                "text/plain",
                good.to_string().into_bytes(),
                415,
                "unsupported_media_type",
            ),
            (
                "POST",
                "/v1/events",
                "application/json",
                huge.to_string().into_bytes(),
                413,
                "body_too_large",
            ),
            (
                "POST",
                "/v1/events",
                "application/json",
                unknown.to_string().into_bytes(),
                422,
                "unknown_field",
            ),
            (
                "POST",
                "/v1/events",
                "application/json",
                bad_nik.to_string().into_bytes(),
                422,
                "invalid_nik",
            ),
            (
                "POST",
                "/v1/events",
                "application/json",
                json!({"eventId": "x"}).to_string().into_bytes(),
                422,
                "invalid_event",
            ),
            (
                "POST",
                "/v1/auth/login",
                "application/json",
                json!({"username": "a", "password": "b", "otp": 1})
                    .to_string()
                    .into_bytes(),
                422,
                "invalid_body",
            ),
            (
                "GET",
                "/v1/incidents?colour=red",
                "",
                Vec::new(),
                400,
                "bad_query",
            ),
            (
                "GET",
                "/v1/incidents?status=flying",
                "",
                Vec::new(),
                400,
                "bad_query",
            ),
            (
                "GET",
                "/v1/incidents?bbox=1,2,3",
                "",
                Vec::new(),
                400,
                "bad_query",
            ),
            ("GET", "/v1/nowhere", "", Vec::new(), 404, "not_found"),
        ];
        for (method, path, content_type, body, status, code) in cases {
            let body = (!content_type.is_empty()).then_some((content_type, body));
            let (got, answer) = op1.send(method, path, body).await;
            assert_eq!(
                (got, answer["error"].as_str()),
                (status, Some(code)),
                "{method} {path}: {answer}"
            );
        }
        // Bounds everywhere: a bbox with a junk, NaN, infinite or out-of-range part; an event dated in
        // the far future; a reporter's name of a thousand characters.
        for bbox in [
            "NaN,0,1,1",
            "106,-7,inf,-6",
            "106,-7,107",
            "106,-7,107,junk",
            "106,-7,200,-6",
            "106,-99,107,-6",
        ] {
            let (status, answer) = op1.get(&format!("/v1/incidents?bbox={bbox}")).await;
            assert_eq!(
                (status, answer["error"].as_str()),
                (400, Some("bad_query")),
                "bbox {bbox}: {answer}"
            );
        }
        let (status, answer) = op1.get("/v1/incidents?bbox=106,-7,107,-6").await;
        assert_eq!(status, 200, "a good bbox: {answer}");
        let future = event(
            &incident,
            "op1",
            "operator1",
            "9999-12-31T00:00:00Z",
            json!({"type": "note_added", "text": "dari masa depan"}),
        );
        let (status, answer) = op1.post("/v1/events", &future).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (422, Some("event_in_future")),
            "{answer}"
        );
        let long_name = event(
            &Uuid::now_v7().to_string(),
            "op1",
            "operator1",
            AT,
            json!({"type": "received", "channel": {"kind": "app110"}, "description": "x", "polda": polda_json("diy"),
                "reporter": {"name": "Budi ".repeat(200)}}),
        );
        let (status, answer) = op1.post("/v1/events", &long_name).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (422, Some("text_too_long")),
            "{answer}"
        );
        // Passwords: length alone is not enough; station names are bounded.
        let admin = server.login_as("admin-diy", Role::Admin, Some("diy")).await;
        for (username, password) in [
            ("dewi", "aaaaaaaaaaaaaaaa"),
            ("dewi", "password1234"),
            ("dewi", "Polri2024!!!"),
            ("dewi", "dewi-sayang-2024"),
            ("dewi", &"panjang sekali ".repeat(30)),
        ] {
            let (status, answer) = admin
                .post(
                    "/v1/users",
                    &json!({"username": username, "password": password, "role": "operator1", "polda": "diy"}),
                )
                .await;
            assert_eq!(
                (status, answer["error"].as_str()),
                (422, Some("weak_password")),
                "{password}: {answer}"
            );
        }
        let (status, answer) = admin
            .post("/v1/users", &json!({"username": "dewi", "password": "a long enough password", "role": "operator1", "polda": "diy"}))
            .await;
        assert_eq!(status, 201, "a passphrase is fine: {answer}");
        let (status, answer) = admin
            .post("/v1/kiosks", &json!({"kioskId": "krl-yk-1", "station": "S".repeat(300), "polda": "diy", "lat": YOGYA.0, "lon": YOGYA.1}))
            .await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (422, Some("invalid_station")),
            "{answer}"
        );
        // The NIK is not echoed in full.
        let (_, answer) = op1.post("/v1/events", &bad_nik).await;
        assert!(!answer.to_string().contains("3471019999990001"), "{answer}");
        // Nothing accepted was lost or changed.
        let (_, stored) = op1.get(&format!("/v1/incidents/{incident}")).await;
        assert_eq!(stored["version"], 1);
        assert_eq!(op1.post("/v1/events", &good).await.0, 201);
    }

    pub async fn incident_queries_filter(db: Db) {
        let server = Server::start(db).await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let national = server.login_as("sup", Role::Supervisor, None).await;
        let a = new_incident(&diy, "op1-diy", "diy", "2026-11-29T01:00:00Z", YOGYA).await;
        let b = new_incident(&diy, "op1-diy", "diy", "2026-11-29T05:00:00Z", (-7.95, 110.6)).await;
        let c = new_incident(&metro, "op1-metro", "metro_jaya", "2026-11-29T03:00:00Z", JAKARTA).await;
        classify(&diy, "op1-diy", &a, "theft").await;
        let ids = |page: &Value| -> Vec<String> {
            let mut ids: Vec<String> = page["incidents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect();
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<&String>| {
            v.sort();
            v.into_iter().cloned().collect::<Vec<String>>()
        };
        let since = 1_795_921_200_000i64; // 2026-11-29T03:00:00Z
        let cases: Vec<(&Client, String, Vec<&String>)> = vec![
            (&diy, "/v1/incidents".into(), vec![&a, &b]),
            (&diy, "/v1/incidents?status=classified".into(), vec![&a]),
            (
                &diy,
                "/v1/incidents?status=received,classified".into(),
                vec![&a, &b],
            ),
            (&diy, "/v1/incidents?category=theft".into(), vec![&a]),
            (&diy, "/v1/incidents?bbox=110.5,-8.0,110.7,-7.9".into(), vec![&b]),
            (&national, "/v1/incidents".into(), vec![&a, &b, &c]),
            (&national, "/v1/incidents?polda=metro_jaya".into(), vec![&c]),
            (&national, format!("/v1/incidents?sinceMs={since}"), vec![&b, &c]),
            (&national, format!("/v1/incidents?untilMs={since}"), vec![&a]),
            (&metro, "/v1/incidents".into(), vec![&c]),
        ];
        for (client, path, expected) in cases {
            let (status, page) = client.get(&path).await;
            assert_eq!(status, 200, "{path}: {page}");
            assert_eq!(ids(&page), sorted(expected), "{path}");
        }
        let (status, _) = diy.get("/v1/incidents?polda=metro_jaya").await;
        assert_eq!(status, 403, "a Polda account cannot query another Polda");
        let (_, page) = national.get("/v1/incidents?limit=2").await;
        assert_eq!(
            (
                page["incidents"].as_array().unwrap().len(),
                page["hasMore"].as_bool()
            ),
            (2, Some(true))
        );
    }

    pub async fn feed_pages_by_cursor_per_polda(db: Db) {
        let server = Server::start(db).await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let national = server.login_as("analyst", Role::Analyst, None).await;
        for _ in 0..5 {
            new_incident(&diy, "op1-diy", "diy", AT, YOGYA).await;
        }
        for _ in 0..2 {
            new_incident(&metro, "op1-metro", "metro_jaya", AT, JAKARTA).await;
        }
        let mut after = 0;
        let mut seen = Vec::new();
        loop {
            let (status, page) = diy.get(&format!("/v1/feed?after={after}&limit=2")).await;
            assert_eq!(status, 200, "{page}");
            seen.extend(
                page["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["serverSeq"].as_i64().unwrap()),
            );
            after = page["nextAfter"].as_i64().unwrap();
            if !page["hasMore"].as_bool().unwrap() {
                break;
            }
        }
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
        let (_, page) = metro.get("/v1/feed").await;
        let seqs: Vec<i64> = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["serverSeq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, vec![1, 2], "each Polda has its own sequence");
        let (status, body) = national.get("/v1/feed").await;
        assert_eq!((status, body["error"].as_str()), (400, Some("polda_required")));
        let (status, page) = national.get("/v1/feed?polda=metro_jaya&after=1").await;
        assert_eq!((status, page["events"].as_array().map(Vec::len)), (200, Some(1)));
        let (status, _) = diy.get("/v1/feed?polda=metro_jaya").await;
        assert_eq!(status, 403);
    }

    pub async fn snapshots_page_a_polda_and_an_expired_cursor_is_gone(db: Db) {
        let (url, dir) = siaga_contract_tests::fresh_database(db);
        let server = Server::start_on(url, dir, |mut state| {
            state.limits.feed_retention = Some(3);
            state
        })
        .await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let national = server.login_as("sup", Role::Supervisor, None).await;
        let mut ids = Vec::new();
        for _ in 0..5 {
            ids.push(new_incident(&diy, "op1-diy", "diy", AT, YOGYA).await);
        }
        classify(&diy, "op1-diy", &ids[1], "theft").await;
        new_incident(&metro, "op1-metro", "metro_jaya", AT, JAKARTA).await;
        ids.sort();

        // Pages in id order, each incident with its server version and how far into the feed it reaches.
        let mut after = String::new();
        let mut seen = Vec::new();
        loop {
            let query = if after.is_empty() {
                "/v1/sync/snapshot?limit=2".to_owned()
            } else {
                format!("/v1/sync/snapshot?limit=2&after={after}")
            };
            let (status, page) = diy.get(&query).await;
            assert_eq!(status, 200, "{page}");
            assert_eq!(page["highWater"], 6, "read before the rows: {page}");
            for entry in page["incidents"].as_array().unwrap() {
                let id = entry["incident"]["id"].as_str().unwrap().to_owned();
                let version = entry["incident"]["version"].as_i64().unwrap();
                let feed_seq = entry["feedSeq"].as_i64().unwrap();
                seen.push((id, version, feed_seq));
            }
            if !page["hasMore"].as_bool().unwrap() {
                assert!(page["incidents"].as_array().unwrap().len() <= 2);
                break;
            }
            after = page["nextAfter"].as_str().unwrap().to_owned();
        }
        let seen_ids: Vec<&String> = seen.iter().map(|(id, _, _)| id).collect();
        assert_eq!(
            seen_ids,
            ids.iter().collect::<Vec<_>>(),
            "every DIY incident once, in id order"
        );
        assert!(
            seen.iter().any(|(_, version, seq)| *version == 2 && *seq == 6),
            "{seen:?}"
        );
        let page: siaga_api::SnapshotPage =
            serde_json::from_value(diy.get("/v1/sync/snapshot").await.1).expect("the wire type");
        assert_eq!((page.incidents.len(), page.has_more), (5, false));

        // Scope: a Polda desk reads its own Polda; a national account names one.
        let (status, _) = diy.get("/v1/sync/snapshot?polda=metro_jaya").await;
        assert_eq!(status, 403);
        let (status, body) = national.get("/v1/sync/snapshot").await;
        assert_eq!((status, body["error"].as_str()), (400, Some("polda_required")));
        let (status, page) = national.get("/v1/sync/snapshot?polda=metro_jaya").await;
        assert_eq!(
            (status, page["incidents"].as_array().map(Vec::len)),
            (200, Some(1))
        );
        let (status, body) = diy.get("/v1/sync/snapshot?after=nonsense").await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_query")));

        // Retention 3: the feed of DIY (6 events) answers cursors from 3 on; an older one is gone.
        let (status, body) = diy.get("/v1/feed?after=2").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (410, Some("cursor_expired")),
            "{body}"
        );
        let (status, page) = diy.get("/v1/feed?after=3").await;
        assert_eq!((status, page["events"].as_array().map(Vec::len)), (200, Some(3)));
        let (status, _) = metro.get("/v1/feed").await;
        assert_eq!(status, 200, "Metro Jaya's feed (1 event) is whole");
    }

    pub async fn polda_scoping_hides_other_poldas(db: Db) {
        let server = Server::start(db).await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let national = server.login_as("sup", Role::Supervisor, None).await;
        let jakarta = new_incident(&metro, "op1-metro", "metro_jaya", AT, JAKARTA).await;
        let (status, _) = diy.get(&format!("/v1/incidents/{jakarta}")).await;
        assert_eq!(status, 404, "another Polda's incident is not found");
        let (status, _) = diy.get(&format!("/v1/incidents/{jakarta}/events")).await;
        assert_eq!(status, 404);
        let (status, body) = diy
            .post(
                "/v1/events",
                &event_in(
                    "metro_jaya",
                    &jakarta,
                    "op1-diy",
                    "operator1",
                    AT,
                    json!({"type": "classified", "category": "theft"}),
                ),
            )
            .await;
        assert_eq!(status, 404, "{body}");
        // Receiving an incident into another Polda is refused as well.
        let (status, _) = diy
            .post(
                "/v1/events",
                &event_in(
                    "metro_jaya",
                    &Uuid::now_v7().to_string(),
                    "op1-diy",
                    "operator1",
                    AT,
                    received("metro_jaya", JAKARTA.0, JAKARTA.1),
                ),
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(national.get(&format!("/v1/incidents/{jakarta}")).await.0, 200);
        let (_, feed) = metro.get("/v1/feed").await;
        assert_eq!(
            feed["events"].as_array().unwrap().len(),
            1,
            "refused writes left no trace"
        );
    }

    pub async fn analysts_see_niks_masked(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let analyst = server.login_as("ana", Role::Analyst, Some("diy")).await;
        let incident = Uuid::now_v7().to_string();
        let nik = "3471014506900001";
        let change = json!({"type": "received", "channel": {"kind": "app110"},
            "description": format!("dompet hilang; pelapor NIK {nik}, hp 0813-9876-5432"),
            "location": {"address": "Jl. Malioboro 12, hubungi 0274 512 3456"},
            "polda": polda_json("diy"), "callerNumber": "081234567890", "reporter": {"name": "Sri Wahyuni", "nik": nik}});
        let (status, body) = op1
            .post("/v1/events", &event(&incident, "op1", "operator1", AT, change))
            .await;
        assert_eq!(status, 201, "{body}");
        let note = json!({"type": "note_added", "text": "Korban kedua: 3471015506910002, telp 085712345678"});
        let (status, body) = op1
            .post("/v1/events", &event(&incident, "op1", "operator1", AT, note))
            .await;
        assert_eq!(status, 201, "{body}");
        let (_, full) = op1.get(&format!("/v1/incidents/{incident}")).await;
        assert_eq!(full["reporter"]["nik"], nik, "operators see the NIK");
        assert_eq!(full["reporter"]["name"], "Sri Wahyuni", "and the name");
        let personal = [
            nik,
            "081234567890",
            "Sri Wahyuni",
            "9876-5432",
            "512 3456",
            "3471015506910002",
            "085712345678",
        ];
        for path in [
            format!("/v1/incidents/{incident}"),
            format!("/v1/incidents/{incident}/events"),
            "/v1/feed".to_owned(),
            "/v1/incidents".to_owned(),
            "/v1/sync/snapshot".to_owned(),
        ] {
            let (status, body) = analyst.get(&path).await;
            assert_eq!(status, 200);
            let text = body.to_string();
            for data in personal {
                assert!(!text.contains(data), "{path} leaks {data}: {text}");
            }
            assert!(
                text.contains("347101**********"),
                "{path} keeps the region digits: {text}"
            );
            assert!(text.contains("dompet hilang"), "{path} keeps the text: {text}");
        }
        let (status, _, eido) = analyst
            .get_accepting(&format!("/v1/incidents/{incident}"), "application/eido+json")
            .await;
        assert_eq!(status, 200);
        for data in personal {
            assert!(!eido.contains(data), "EIDO leaks {data}: {eido}");
        }
    }

    pub async fn incidents_are_served_as_eido_on_request(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let other = server
            .login_as("op1-jabar", Role::Operator1, Some("jawa_barat"))
            .await;
        let incident = Uuid::now_v7().to_string();
        let change = json!({"type": "received", "channel": {"kind": "call110"}, "description": "tawuran pelajar",
            "location": {"lat": -7.7956, "lon": 110.3695, "address": "Jl. Malioboro"},
            "polda": polda_json("diy"), "callerNumber": "081234567890", "reporter": {"name": "Sri", "nik": "3471014506900001"}});
        let (status, body) = op1
            .post("/v1/events", &event(&incident, "op1", "operator1", AT, change))
            .await;
        assert_eq!(status, 201, "{body}");
        let path = format!("/v1/incidents/{incident}");
        let (_, json_form) = op1.get(&path).await;

        let (status, content_type, eido) = op1
            .get_accepting(&path, "application/json;q=0.5, application/eido+json")
            .await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "application/eido+json"),
            "{eido}"
        );
        let document: Value = serde_json::from_str(&eido).unwrap();
        assert_eq!(
            document["incidentComponent"]["incidentTrackingIdentifier"]
                .as_str()
                .map(|s| s.contains(&incident)),
            Some(true),
            "{document}"
        );
        let parsed = siaga_api::eido::parse_eido_json(&eido).expect("the EIDO form parses back");
        assert_eq!(
            serde_json::to_value(&parsed).unwrap(),
            json_form,
            "the EIDO form carries the same incident as the JSON form"
        );

        let (status, content_type, _) = op1.get_accepting(&path, "application/json").await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        let (status, _, body) = op1.get_accepting(&path, "application/xml").await;
        assert_eq!(status, 406, "{body}");
        assert!(
            body.contains("application/eido+json"),
            "the answer names what is served: {body}"
        );
        // The Accept header changes the form, never the scope.
        let (status, _, _) = other.get_accepting(&path, "application/eido+json").await;
        assert_eq!(status, 404);
        let (status, _, _) = server
            .anonymous()
            .get_accepting(&path, "application/eido+json")
            .await;
        assert_eq!(status, 401);
    }

    pub async fn kiosks_register_heartbeat_and_stay_in_their_lane(db: Db) {
        let server = Server::start(db).await;
        let admin = server.login_as("admin", Role::Admin, Some("metro_jaya")).await;
        let op = server.login_as("op1", Role::Operator1, Some("metro_jaya")).await;
        let other = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let mut secrets = Vec::new();
        for id in ["krl-manggarai-1", "mrt-bundaran-hi-1"] {
            let (status, creds) = admin
                .post("/v1/kiosks", &json!({"kioskId": id, "station": id, "polda": "metro_jaya", "lat": JAKARTA.0, "lon": JAKARTA.1}))
                .await;
            assert_eq!(status, 201, "{creds}");
            secrets.push(creds["secret"].as_str().unwrap().to_owned());
        }
        let (status, _) = admin
            .post("/v1/kiosks", &json!({"kioskId": "tugu-1", "station": "Tugu", "polda": "diy", "lat": YOGYA.0, "lon": YOGYA.1}))
            .await;
        assert_eq!(
            status, 403,
            "a Polda admin registers kiosks in its own Polda only"
        );
        let anyone = server.anonymous();
        let (status, _) = anyone
            .post(
                "/v1/auth/kiosk",
                &json!({"kioskId": "krl-manggarai-1", "secret": "guess"}),
            )
            .await;
        assert_eq!(status, 401);
        let (status, pair) = anyone
            .post(
                "/v1/auth/kiosk",
                &json!({"kioskId": "krl-manggarai-1", "secret": secrets[0]}),
            )
            .await;
        assert_eq!(status, 200);
        assert!(pair.get("refreshToken").is_none());
        let kiosk = anyone.with_token(pair["accessToken"].as_str().unwrap());
        let (status, state) = kiosk
            .post(
                "/v1/kiosks/krl-manggarai-1/heartbeat",
                &json!({"status": "degraded", "batteryPct": 40}),
            )
            .await;
        assert_eq!(
            (status, state["status"].as_str()),
            (200, Some("degraded")),
            "{state}"
        );
        let (status, _) = kiosk
            .post("/v1/kiosks/mrt-bundaran-hi-1/heartbeat", &json!({"status": "ok"}))
            .await;
        assert_eq!(status, 403, "a kiosk speaks for itself only");
        let (status, _) = kiosk.get("/v1/incidents").await;
        assert_eq!(status, 403, "a kiosk reads nothing");
        let (status, body) = kiosk
            .post(
                "/v1/kiosks/krl-manggarai-1/heartbeat",
                &json!({"status": "on fire"}),
            )
            .await;
        assert_eq!((status, body["error"].as_str()), (422, Some("invalid_body")));
        assert!(body["message"].as_str().unwrap().contains("status"), "{body}");
        let (status, body) = kiosk
            .post(
                "/v1/kiosks/krl-manggarai-1/heartbeat",
                &json!({"status": "unknown"}),
            )
            .await;
        assert_eq!((status, body["error"].as_str()), (422, Some("invalid_status")));
        // One rule for kiosk ids (KioskId::parse): registration refuses what an alert would refuse later,
        // so every registered kiosk can alert.
        for bad in [
            "k",
            "ab",
            "krl.manggarai",
            "krl manggarai",
            "../x",
            &"k".repeat(65),
        ] {
            let (status, body) = admin
                .post("/v1/kiosks", &json!({"kioskId": bad, "station": "X", "polda": "metro_jaya", "lat": JAKARTA.0, "lon": JAKARTA.1}))
                .await;
            assert_eq!(
                (status, body["error"].as_str()),
                (422, Some("invalid_body")),
                "{bad:?}: {body}"
            );
            assert!(body["message"].as_str().unwrap().contains("kiosk id"), "{body}");
        }
        let (status, body) = admin
            .post("/v1/kiosks", &json!({"kioskId": "krl-x", "station": "X", "polda": "atlantis", "lat": JAKARTA.0, "lon": JAKARTA.1}))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("invalid_body")),
            "{body}"
        );
        let (_, listed) = op.get("/v1/kiosks").await;
        let states: Vec<(String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["kioskId"].as_str().unwrap().to_owned(),
                    k["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            states,
            vec![
                ("krl-manggarai-1".into(), "degraded".into()),
                ("mrt-bundaran-hi-1".into(), "unknown".into())
            ]
        );
        let (_, listed) = other.get("/v1/kiosks").await;
        assert_eq!(listed, json!([]), "kiosks of another Polda are not listed");
    }

    pub async fn a_session_ends_as_a_whole_and_refreshes_once(db: Db) {
        let server = Server::start(db).await;
        server.account("sari", Role::Operator1, Some("diy")).await;
        let anyone = server.anonymous();
        let login = || async {
            let (status, pair) = anyone
                .post(
                    "/v1/auth/login",
                    &json!({"username": "sari", "password": PASSWORD}),
                )
                .await;
            assert_eq!(status, 200, "{pair}");
            pair
        };
        // Logout ends the refresh token with the access token.
        let pair = login().await;
        let client = anyone.with_token(pair["accessToken"].as_str().unwrap());
        assert_eq!(client.send("POST", "/v1/auth/logout", None).await.0, 204);
        let (status, body) = anyone
            .post("/v1/auth/refresh", &json!({"refreshToken": pair["refreshToken"]}))
            .await;
        assert_eq!(status, 401, "refresh after logout: {body}");

        // Concurrent refreshes of one token: one successor at most, never two valid pairs.
        for round in 0..8 {
            let pair = login().await;
            let refresh = pair["refreshToken"].as_str().unwrap().to_owned();
            let attempts = (0..12).map(|_| {
                let anyone = anyone.clone();
                let refresh = refresh.clone();
                tokio::spawn(async move {
                    anyone
                        .post("/v1/auth/refresh", &json!({"refreshToken": refresh}))
                        .await
                })
            });
            let mut valid = 0;
            let mut successes = 0;
            for attempt in attempts.collect::<Vec<_>>() {
                let (status, renewed) = attempt.await.unwrap();
                if status == 200 {
                    successes += 1;
                    let (status, _) = anyone
                        .with_token(renewed["accessToken"].as_str().unwrap())
                        .get("/v1/me")
                        .await;
                    valid += usize::from(status == 200);
                } else {
                    assert_eq!(status, 401, "round {round}: {renewed}");
                }
            }
            assert!(
                successes <= 1 && valid <= 1,
                "round {round}: {successes} successors, {valid} valid"
            );
        }

        // A live WebSocket closes when its session ends.
        let pair = login().await;
        let client = anyone.with_token(pair["accessToken"].as_str().unwrap());
        let mut live = Live::connect(&client).await;
        live.send(json!({"type": "subscribe"})).await;
        assert_eq!(live.next().await["type"], "subscribed");
        assert_eq!(client.send("POST", "/v1/auth/logout", None).await.0, 204);
        let frame = live.next().await;
        assert_eq!(frame["body"]["error"], "session_ended", "{frame}");
        assert_eq!(live.closed().await, Some(4401));
    }

    pub async fn repeated_failed_sign_ins_are_slowed_down_before_any_hash(db: Db) {
        let server = Server::start(db).await;
        server.account("sari", Role::Operator1, Some("diy")).await;
        let http = siaga_tls::client();
        let attempt = |password: &'static str| {
            let request = http
                .post(format!("{}/v1/auth/login", server.base))
                .json(&json!({"username": "sari", "password": password}));
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let retry = response
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
                let body: Value = response.json().await.unwrap();
                (
                    status,
                    retry,
                    body["error"].as_str().unwrap_or_default().to_owned(),
                )
            }
        };
        for n in 0..5 {
            let (status, _, error) = attempt("wrong password!").await;
            assert_eq!(
                (status, error.as_str()),
                (401, "invalid_credentials"),
                "free failure {n}"
            );
        }
        let (status, retry, error) = attempt("wrong password!").await;
        assert_eq!((status, error.as_str()), (429, "too_many_attempts"));
        assert!(retry.is_some_and(|s| s >= 1), "Retry-After says when: {retry:?}");
        // Throttled means not tried: even the right password waits.
        let (status, _, _) = attempt(PASSWORD).await;
        assert_eq!(status, 429);
        // Another account from the same place is not held up by sari's failures.
        server.account("budi", Role::Operator1, Some("diy")).await;
        let (status, _) = server
            .anonymous()
            .post(
                "/v1/auth/login",
                &json!({"username": "budi", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 200);
    }

    pub async fn refused_requests_with_a_body_keep_the_connection_usable(db: Db) {
        let server = Server::start(db).await;
        // One connection, kept alive: every refusal must come back as an answer, none as a reset.
        let http = siaga_tls::client_builder(siaga_tls::CentralTrust::SystemRoots)
            .pool_max_idle_per_host(1)
            .build()
            .unwrap();
        let body = json!({"eventId": Uuid::now_v7().to_string(), "padding": "x".repeat(2000)}).to_string();
        for n in 0..150 {
            let response = http
                .post(format!("{}/v1/events", server.base))
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("request {n} broke its connection: {e}"));
            assert_eq!(response.status().as_u16(), 401, "request {n}");
            response
                .bytes()
                .await
                .unwrap_or_else(|e| panic!("answer {n} cut off: {e}"));
        }
        // A body larger than the server would ever read is not read; the answer says the connection ends.
        let response = http
            .post(format!("{}/v1/events", server.base))
            .header("content-type", "application/json")
            .body("x".repeat(256 * 1024))
            .send()
            .await;
        if let Ok(response) = response {
            assert_eq!(response.status().as_u16(), 401);
            assert_eq!(
                response.headers().get("connection").map(|v| v.to_str().unwrap()),
                Some("close")
            );
        }
    }

    pub async fn wrong_methods_answer_405_and_tokens_in_urls_only_open_the_websocket(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let http = siaga_tls::client();
        for (method, path, allow) in [
            ("DELETE", "/v1/incidents", "GET"),
            ("PATCH", "/v1/events", "POST"),
            ("GET", "/v1/auth/login", "POST"),
            ("POST", "/v1/routing/110", "PUT, DELETE"),
        ] {
            let response = http
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{}{path}", server.base),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 405, "{method} {path} without a token");
            assert_eq!(response.headers()["allow"], allow, "{method} {path}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "method_not_allowed");
        }
        let (status, _) = op1.send("DELETE", "/v1/incidents", None).await;
        assert_eq!(status, 405, "with a token too");
        // A token in the query string is not read outside the WebSocket upgrade.
        let token = op1.token.clone().unwrap();
        let (status, body) = server
            .anonymous()
            .get(&format!("/v1/incidents?access_token={token}"))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("missing_token")),
            "{body}"
        );
        let mut live = Live::connect(&op1).await;
        live.send(json!({"type": "ping"})).await;
        assert_eq!(live.next().await["type"], "pong");
    }

    pub async fn routing_table_and_calls_record_the_number_dialed(db: Db) {
        let server = Server::start(db).await;
        let admin = server.login_as("root", Role::Admin, None).await;
        let polda_admin = server.login_as("admin-diy", Role::Admin, Some("diy")).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let (status, table) = op1.get("/v1/routing").await;
        assert_eq!(status, 200);
        assert!(
            table
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["number"] == "112" && r["forwardTo110"] == true),
            "{table}"
        );
        let entry = json!({"number": "0274512111", "description": "Polresta Yogyakarta landline (legacy)", "forwardTo110": true});
        assert_eq!(
            admin.put("/v1/routing/0274512111", &entry).await.0,
            422,
            "at most 8 digits"
        );
        let entry = json!({"number": "5122111", "description": "old Polresta line", "forwardTo110": true});
        assert_eq!(
            polda_admin.put("/v1/routing/5122111", &entry).await.0,
            403,
            "the table is national"
        );
        assert_eq!(admin.put("/v1/routing/5122111", &entry).await.0, 200);
        let call =
            |dialed: &str| json!({"callId": Uuid::now_v7().to_string(), "dialed": dialed, "polda": "diy"});
        let cases = [
            ("110", 201, Some(false)),
            ("112", 201, Some(true)),
            ("5122111", 201, Some(true)),
            ("113", 422, None),
            ("999", 422, None),
        ];
        for (dialed, status, via_legacy) in cases {
            let (got, body) = op1.post("/v1/calls", &call(dialed)).await;
            assert_eq!(
                (got, body["viaLegacyNumber"].as_bool()),
                (status, via_legacy),
                "{dialed}: {body}"
            );
        }
        let repeated = call("112");
        assert_eq!(op1.post("/v1/calls", &repeated).await.0, 201);
        assert_eq!(
            op1.post("/v1/calls", &repeated).await.0,
            200,
            "a repeated call id is recorded once"
        );
        let (_, calls) = op1.get("/v1/calls").await;
        let mut dialed: Vec<&str> = calls
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["dialed"].as_str().unwrap())
            .collect();
        dialed.sort();
        assert_eq!(dialed, vec!["110", "112", "112", "5122111"]);
        assert_eq!(admin.send("DELETE", "/v1/routing/5122111", None).await.0, 204);
        assert_eq!(
            op1.post("/v1/calls", &call("5122111")).await.0,
            422,
            "removed numbers no longer route"
        );
    }

    pub async fn concurrent_desks_get_a_gapless_sequence_and_retries_apply_once(db: Db) {
        let server = Server::start(db).await;
        let op1 = server.login_as("op1", Role::Operator1, Some("diy")).await;
        let watcher = server.login_as("sup", Role::Supervisor, None).await;
        let mut desk = Live::connect(&watcher).await;
        desk.send(json!({"type": "subscribe", "filter": {"poldas": [polda_json("diy")]}}))
            .await;
        assert_eq!(desk.next().await["type"], "subscribed");
        let incident = new_incident(&op1, "op1", "diy", AT, YOGYA).await;
        let other = new_incident(&op1, "op1", "diy", AT, YOGYA).await;
        // 8 desks append notes at once to two incidents, each event sent twice (a retry racing itself).
        let mut tasks = Vec::new();
        for n in 0..16 {
            let op1 = op1.clone();
            let target = if n % 2 == 0 {
                incident.clone()
            } else {
                other.clone()
            };
            tasks.push(tokio::spawn(async move {
                let note = event(
                    &target,
                    "op1",
                    "operator1",
                    AT,
                    json!({"type": "note_added", "text": format!("catatan {n}")}),
                );
                let (a, b) = tokio::join!(op1.post("/v1/events", &note), op1.post("/v1/events", &note));
                let mut statuses = [a.0, b.0];
                statuses.sort_unstable();
                assert_eq!(
                    statuses,
                    [200, 201],
                    "one append, one stored result: {} {}",
                    a.1,
                    b.1
                );
                assert_eq!(a.1["event"]["serverSeq"], b.1["event"]["serverSeq"]);
            }));
        }
        for task in tasks {
            task.await.expect("a desk task");
        }
        let (_, feed) = op1.get("/v1/feed?limit=500").await;
        let seqs: Vec<i64> = feed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["serverSeq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, (1..=18).collect::<Vec<_>>(), "gapless, no duplicates");
        for id in [&incident, &other] {
            let (_, stored) = op1.get(&format!("/v1/incidents/{id}")).await;
            assert_eq!(
                (
                    stored["version"].as_i64(),
                    stored["notes"].as_array().map(Vec::len)
                ),
                (Some(9), Some(8))
            );
        }
        let mut live = Vec::new();
        for _ in 0..18 {
            let frame = desk.next().await;
            live.push(frame["event"]["serverSeq"].as_i64().unwrap());
        }
        assert_eq!(
            live,
            (1..=18).collect::<Vec<_>>(),
            "live notifications leave in server order, once each"
        );
        desk.quiet().await;
    }

    pub async fn kiosk_cap_alerts_become_incidents_on_their_station(db: Db) {
        let server = Server::start(db).await;
        let admin = server.login_as("admin", Role::Admin, Some("metro_jaya")).await;
        let op = server.login_as("op1", Role::Operator1, Some("metro_jaya")).await;
        let mut kiosks = Vec::new();
        for id in ["KRL-MRI-01", "MRT-BHI-01"] {
            let (status, creds) = admin
                .post("/v1/kiosks", &json!({"kioskId": id, "station": "Manggarai", "polda": "metro_jaya", "lat": JAKARTA.0, "lon": JAKARTA.1}))
                .await;
            assert_eq!(status, 201, "{creds}");
            let (_, pair) = server
                .anonymous()
                .post(
                    "/v1/auth/kiosk",
                    &json!({"kioskId": id, "secret": creds["secret"]}),
                )
                .await;
            kiosks.push(
                server
                    .anonymous()
                    .with_token(pair["accessToken"].as_str().unwrap()),
            );
        }
        let kiosk = &kiosks[0];
        let xml = kiosk_alert_xml(
            "KRL-MRI-01",
            "alert-1",
            Some(siaga_domain::Category::Theft),
            -6.21,
            106.85,
        );
        let send = |client: &Client, content_type: &'static str, body: Vec<u8>| {
            let client = client.clone();
            async move {
                client
                    .send("POST", "/v1/kiosks/KRL-MRI-01/alerts", Some((content_type, body)))
                    .await
            }
        };
        let (status, accepted) = send(kiosk, "application/xml", xml.clone().into_bytes()).await;
        assert_eq!(
            (status, accepted["duplicate"].as_bool()),
            (201, Some(false)),
            "{accepted}"
        );
        let incident_id = accepted["incidentId"].as_str().unwrap().to_owned();
        let (status, again) = send(kiosk, "application/xml", xml.clone().into_bytes()).await;
        assert_eq!(
            (status, again["duplicate"].as_bool(), again["incidentId"].as_str()),
            (200, Some(true), Some(incident_id.as_str()))
        );

        let (status, incident) = op.get(&format!("/v1/incidents/{incident_id}")).await;
        assert_eq!(status, 200, "{incident}");
        assert_eq!(
            incident["channel"],
            json!({"kind": "station_kiosk", "kiosk": "KRL-MRI-01"})
        );
        assert_eq!(
            (incident["status"].as_str(), incident["category"].as_str()),
            (Some("received"), Some("theft"))
        );
        assert_eq!(
            incident["location"]["point"],
            json!({"lat": JAKARTA.0, "lon": JAKARTA.1}),
            "the kiosk's registered position, not the one its alert claims"
        );
        // An alert that claims to be in Papua still stands where the kiosk was registered.
        let far = kiosk_alert_xml("KRL-MRI-01", "alert-papua", None, -2.53, 140.72);
        let (status, accepted) = send(kiosk, "application/xml", far.into_bytes()).await;
        assert_eq!(status, 201, "{accepted}");
        let (_, far_incident) = op
            .get(&format!(
                "/v1/incidents/{}",
                accepted["incidentId"].as_str().unwrap()
            ))
            .await;
        assert_eq!(
            far_incident["location"]["point"],
            json!({"lat": JAKARTA.0, "lon": JAKARTA.1})
        );
        // A plain CAP 1.2 alert (no Siaga parameters, another sender form, no area) is read where it
        // suffices: the kiosk is the one signed in, the place its registered one.
        let plain = |identifier: &str, msg_type: &str, info: &str| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>panel-17@transjakarta.example</sender>
  <sent>2026-11-28T08:00:00+07:00</sent><status>Actual</status><msgType>{msg_type}</msgType><scope>Public</scope>
  {info}
</alert>"#
            )
            .into_bytes()
        };
        let info = "<info><category>Safety</category><event>Copet</event><urgency>Immediate</urgency>\
            <severity>Severe</severity><certainty>Observed</certainty><description>Dompet dicopet di bus</description></info>";
        let (status, accepted) = send(kiosk, "application/xml", plain("plain-1", "Alert", info)).await;
        assert_eq!(status, 201, "a plain CAP alert is accepted: {accepted}");
        let (_, plain_incident) = op
            .get(&format!(
                "/v1/incidents/{}",
                accepted["incidentId"].as_str().unwrap()
            ))
            .await;
        assert_eq!(
            plain_incident["location"]["point"],
            json!({"lat": JAKARTA.0, "lon": JAKARTA.1})
        );
        assert!(
            plain_incident["description"]
                .as_str()
                .unwrap()
                .contains("Manggarai: Dompet dicopet di bus"),
            "the registered station names the place: {plain_incident}"
        );
        // What a report cannot do without is named when missing.
        let (status, answer) = send(kiosk, "application/xml", plain("plain-2", "Alert", "")).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_cap")),
            "{answer}"
        );
        assert!(answer["message"].as_str().unwrap().contains("<info>"), "{answer}");
        let (status, answer) = send(kiosk, "application/xml", plain("plain-3", "Update", info)).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_cap")),
            "{answer}"
        );
        assert!(
            answer["message"].as_str().unwrap().contains("msgType"),
            "{answer}"
        );
        // Drills (CAP status Test, Exercise, System, Draft) are recorded, never an incident.
        let (_, before) = op.get("/v1/incidents").await;
        for (n, status_name) in ["Test", "Exercise", "System", "Draft"].into_iter().enumerate() {
            let drill = kiosk_alert_xml("KRL-MRI-01", &format!("drill-{n}"), None, JAKARTA.0, JAKARTA.1)
                .replace(
                    "<status>Actual</status>",
                    &format!("<status>{status_name}</status>"),
                );
            assert!(drill.contains(status_name));
            let (status, accepted) = send(kiosk, "application/xml", drill.clone().into_bytes()).await;
            assert_eq!(
                (status, accepted["drill"].as_bool()),
                (202, Some(true)),
                "{status_name}: {accepted}"
            );
            assert!(accepted.get("incidentId").is_none(), "{accepted}");
            let (status, again) = send(kiosk, "application/xml", drill.into_bytes()).await;
            assert_eq!(
                (status, again["duplicate"].as_bool()),
                (202, Some(true)),
                "{again}"
            );
        }
        let (_, after) = op.get("/v1/incidents").await;
        assert_eq!(after, before, "no drill became an incident");

        let doctype = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
            &xml[xml.find("<alert").unwrap()..]
        );
        let other = kiosk_alert_xml("MRT-BHI-01", "alert-2", None, -6.19, 106.82);
        let cases: Vec<(&Client, &str, Vec<u8>, u16, &str)> = vec![
            (
                kiosk,
                "application/xml",
                b"<alert><identifier>".to_vec(),
                400,
                "invalid_cap",
            ),
            (kiosk, "application/xml", doctype.into_bytes(), 400, "invalid_cap"),
            (
                kiosk,
                "application/xml",
                b"{\"alert\": 1}".to_vec(),
                400,
                "invalid_cap",
            ),
            (
                kiosk,
                "application/json",
                xml.clone().into_bytes(),
                415,
                "unsupported_media_type",
            ),
            (
                kiosk,
                "application/xml",
                vec![b' '; 200 * 1024],
                413,
                "body_too_large",
            ),
            (kiosk, "application/xml", other.into_bytes(), 403, "forbidden"),
            (
                &kiosks[1],
                "application/xml",
                xml.clone().into_bytes(),
                403,
                "forbidden",
            ),
        ];
        for (client, content_type, body, status, code) in cases {
            let (got, answer) = send(client, content_type, body).await;
            assert_eq!((got, answer["error"].as_str()), (status, Some(code)), "{answer}");
        }
        let (_, page) = op.get("/v1/incidents").await;
        assert_eq!(
            page["incidents"].as_array().unwrap().len(),
            3,
            "refused alerts and drills created nothing (the three real alerts only)"
        );
    }

    pub async fn live_stream_notifies_subscribers_in_order(db: Db) {
        let server = Server::start(db).await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let national = server.login_as("sup", Role::Supervisor, None).await;
        let analyst = server.login_as("ana", Role::Analyst, Some("diy")).await;

        let mut desk = Live::connect(&national).await;
        desk.send(json!({"type": "subscribe", "filter": {"poldas": [polda_json("diy")]}}))
            .await;
        assert_eq!(desk.next().await["type"], "subscribed");
        let mut masked = Live::connect(&analyst).await;
        masked.send(json!({"type": "subscribe"})).await;
        let granted = masked.next().await;
        assert_eq!(
            granted["filter"]["poldas"],
            json!([polda_json("diy")]),
            "a Polda account is narrowed to its Polda"
        );
        let mut refused = Live::connect(&diy).await;
        refused
            .send(json!({"type": "subscribe", "filter": {"poldas": [polda_json("metro_jaya")]}}))
            .await;
        assert_eq!(refused.next().await["body"]["error"], "forbidden");
        refused.send(json!({"type": "dance"})).await;
        assert_eq!(refused.next().await["body"]["error"], "malformed_frame");
        refused.send(json!({"type": "ping"})).await;
        assert_eq!(
            refused.next().await["type"],
            "pong",
            "the session survives bad frames"
        );

        let incident = Uuid::now_v7().to_string();
        let change = json!({"type": "received", "channel": {"kind": "app110"}, "description": "copet",
            "polda": polda_json("diy"), "reporter": {"nik": "3471014506900001"}});
        assert_eq!(
            diy.post(
                "/v1/events",
                &event(&incident, "op1-diy", "operator1", AT, change)
            )
            .await
            .0,
            201
        );
        new_incident(&metro, "op1-metro", "metro_jaya", AT, JAKARTA).await;
        classify(&diy, "op1-diy", &incident, "theft").await;
        let note = event(
            &incident,
            "op1-diy",
            "operator1",
            AT,
            json!({"type": "note_added", "text": "korban di pos"}),
        );
        assert_eq!(diy.post("/v1/events", &note).await.0, 201);
        assert_eq!(
            diy.post("/v1/events", &note).await.0,
            200,
            "a retry is not notified again"
        );

        let mut seqs = Vec::new();
        for expected_status in ["received", "classified", "classified"] {
            let frame = desk.next().await;
            assert_eq!(frame["type"], "notify", "{frame}");
            assert_eq!(frame["incident"]["status"], expected_status);
            assert_eq!(
                frame["event"]["polda"],
                polda_json("diy"),
                "only the subscribed Polda"
            );
            seqs.push(frame["event"]["serverSeq"].as_i64().unwrap());
        }
        assert_eq!(seqs, vec![1, 2, 3], "in server order");
        desk.quiet().await;
        let frame = masked.next().await;
        let text = frame.to_string();
        assert!(
            !text.contains("3471014506900001") && text.contains("347101**********"),
            "{text}"
        );
    }
}

mod callers {
    use super::*;

    /// A call from `number` received in `polda` by `actor`; closed as `closed` (prank or empty) when given.
    async fn call_from(
        client: &Client,
        actor: &str,
        polda: &str,
        number: &str,
        closed: Option<&str>,
    ) -> String {
        let incident = Uuid::now_v7().to_string();
        let receipt = json!({"type": "received", "channel": {"kind": "call110"}, "callerNumber": number,
            "description": "(diam)", "polda": polda_json(polda), "location": {}});
        let (status, body) = client
            .post(
                "/v1/events",
                &event_in(polda, &incident, actor, "operator1", AT, receipt),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        if let Some(kind) = closed {
            let closing = json!({"type": "closed", "reason": {"kind": kind}, "summary": ""});
            let (status, body) = client
                .post(
                    "/v1/events",
                    &event_in(polda, &incident, actor, "operator1", AT, closing),
                )
                .await;
            assert_eq!(status, 201, "{body}");
        }
        incident
    }

    pub async fn a_callers_history_is_scoped_to_the_polda_and_masked_for_analysts(db: Db) {
        let server = Server::start(db).await;
        let diy = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
        let metro = server
            .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
            .await;
        let analyst = server.login_as("analyst-diy", Role::Analyst, Some("diy")).await;
        let national = server.login_as("sup-national", Role::Supervisor, None).await;
        let kiosk_less = server.login_as("admin-diy", Role::Admin, Some("diy")).await;
        let number = "081200001111";
        call_from(&diy, "op1-diy", "diy", number, Some("prank")).await;
        call_from(&diy, "op1-diy", "diy", number, Some("empty")).await;
        let latest = call_from(&diy, "op1-diy", "diy", number, None).await;
        call_from(&metro, "op1-metro", "metro_jaya", number, None).await;
        call_from(&diy, "op1-diy", "diy", "085700002222", Some("prank")).await;

        // Typed as the operator hears it: spaces and dashes do not matter.
        let ask = json!({"number": "0812-0000-1111"});
        let (status, history) = diy.post("/v1/callers/history", &ask).await;
        assert_eq!(status, 200, "{history}");
        assert_eq!(
            (history["calls"].as_u64(), history["prankOrEmpty"].as_u64()),
            (Some(3), Some(2)),
            "{history}"
        );
        assert_eq!(history["number"], number);
        assert_eq!(history["recent"][0]["incidentId"], latest, "newest first");
        assert_eq!(history["recent"].as_array().map(Vec::len), Some(3));
        assert!(history["lastMs"].as_i64().is_some());

        // Another Polda sees only its own call; a national account every Polda's.
        let (_, other) = metro.post("/v1/callers/history", &ask).await;
        assert_eq!(other["calls"], 1, "{other}");
        assert!(!other.to_string().contains(&latest));
        let (_, all) = national.post("/v1/callers/history", &ask).await;
        assert_eq!(all["calls"], 4, "{all}");

        // An analyst gets the counts, never the number.
        let (status, masked) = analyst.post("/v1/callers/history", &ask).await;
        assert_eq!(status, 200);
        assert_eq!(masked["calls"], 3);
        assert!(
            !masked.to_string().contains(number) && !masked.to_string().contains("00001111"),
            "{masked}"
        );

        // Not a number: a clear 422; a role outside the flow: 403; nothing in a URL.
        let (status, refused) = diy.post("/v1/callers/history", &json!({"number": "halo"})).await;
        assert_eq!(
            (status, refused["error"].as_str()),
            (422, Some("invalid_number")),
            "{refused}"
        );
        let (status, _) = diy
            .post("/v1/callers/history", &json!({"number": number, "x": 1}))
            .await;
        assert_eq!(status, 422, "unknown fields are refused");
        assert_eq!(kiosk_less.post("/v1/callers/history", &ask).await.0, 403);
        let (status, none) = diy
            .post("/v1/callers/history", &json!({"number": "0899 1234 5678"}))
            .await;
        assert_eq!(
            (status, none["calls"].as_u64(), none["lastMs"].is_null()),
            (200, Some(0), true)
        );
    }
}

mod releases {
    use super::*;

    /// Desk releases (decision 0021): kept as signed, the newest by version number served to every account,
    /// the package byte for byte; a package that is not the one the manifest names, an unsigned release and
    /// another content under a kept version are refused when added.
    pub async fn desk_releases_are_kept_as_signed_and_served_newest_first(db: Db) {
        use siaga_central::updates::{add_release, ReleaseError};
        let server = Server::start(db).await;
        let key = siaga_update::SigningKey::from_bytes(&[5; 32]);
        let release = |version: &str, package: &[u8]| siaga_update::Manifest {
            version: version.into(),
            platform: "linux-x86_64-deb".into(),
            package: format!("siaga-110_{version}_amd64.deb"),
            size: package.len() as u64,
            sha256: siaga_update::package_digest(package),
            notes_id: "Perbaikan".into(),
            notes_en: "Fixes".into(),
        };
        let store = &server.state.store;
        let analyst = server.login_as("analyst-diy", Role::Analyst, Some("diy")).await;
        let (status, none) = analyst.get("/v1/updates/linux-x86_64-deb").await;
        assert_eq!((status, none["release"].is_null()), (200, true), "{none}");

        // 0.10.0 is newer than 0.9.0 (numbers, not text), whatever order they were added in.
        let newer: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        add_release(
            store,
            &siaga_update::sign(&release("0.10.0", &newer), &key),
            &newer,
        )
        .await
        .unwrap();
        add_release(
            store,
            &siaga_update::sign(&release("0.9.0", b"old"), &key),
            b"old",
        )
        .await
        .unwrap();
        let (status, latest) = analyst.get("/v1/updates/linux-x86_64-deb").await;
        assert_eq!(status, 200, "{latest}");
        assert_eq!(latest["release"]["version"], "0.10.0");
        let kept: siaga_update::SignedManifest = siaga_update::SignedManifest {
            manifest: latest["release"]["manifest"].as_str().unwrap().to_owned(),
            signature: latest["release"]["signature"].as_str().unwrap().to_owned(),
            key_id: latest["release"]["keyId"].as_str().unwrap().to_owned(),
        };
        let mut trusted = siaga_update::TrustedKeys::default();
        trusted.add(key.verifying_key());
        let offered = siaga_update::offer(&kept, &trusted, "0.1.0", "linux-x86_64-deb").unwrap();
        let (status, content_type, bytes) = analyst
            .get_bytes("/v1/updates/linux-x86_64-deb/0.10.0/package")
            .await;
        assert_eq!((status, content_type.as_str()), (200, "application/octet-stream"));
        assert_eq!(siaga_update::check_package(&offered, &bytes), Ok(()));
        let (status, _) = analyst.get("/v1/updates/linux-x86_64-deb/7.7.7/package").await;
        assert_eq!(status, 404);
        let (status, _) = analyst.get("/v1/updates/plan9/0.10.0/package").await;
        assert_eq!(status, 404);

        let wrong_package =
            add_release(store, &siaga_update::sign(&release("0.11.0", b"a"), &key), b"b").await;
        assert!(
            matches!(wrong_package, Err(ReleaseError::Update(_))),
            "{wrong_package:?}"
        );
        let mut unsigned = siaga_update::sign(&release("0.12.0", b"a"), &key);
        unsigned.signature.clear();
        assert!(add_release(store, &unsigned, b"a").await.is_err());
        let replaced = add_release(
            store,
            &siaga_update::sign(&release("0.9.0", b"new"), &key),
            b"new",
        )
        .await;
        assert!(
            matches!(replaced, Err(ReleaseError::Replaced { .. })),
            "{replaced:?}"
        );
        // The same release again is no change.
        add_release(
            store,
            &siaga_update::sign(&release("0.9.0", b"old"), &key),
            b"old",
        )
        .await
        .unwrap();
    }
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $case() { super::cases::$case(super::Db::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $case() { super::cases::$case(super::Db::Postgres).await } )*
        }
    };
}

contract!(
    health_openapi_and_metrics,
    login_refresh_logout_and_expiry,
    operator_flow_end_to_end,
    a_repeated_event_returns_the_stored_result,
    refused_events_say_why_and_change_nothing,
    bad_input_gets_a_clear_4xx,
    incident_queries_filter,
    feed_pages_by_cursor_per_polda,
    snapshots_page_a_polda_and_an_expired_cursor_is_gone,
    polda_scoping_hides_other_poldas,
    analysts_see_niks_masked,
    incidents_are_served_as_eido_on_request,
    kiosks_register_heartbeat_and_stay_in_their_lane,
    routing_table_and_calls_record_the_number_dialed,
    a_session_ends_as_a_whole_and_refreshes_once,
    repeated_failed_sign_ins_are_slowed_down_before_any_hash,
    refused_requests_with_a_body_keep_the_connection_usable,
    wrong_methods_answer_405_and_tokens_in_urls_only_open_the_websocket,
    live_stream_notifies_subscribers_in_order,
    kiosk_cap_alerts_become_incidents_on_their_station,
    concurrent_desks_get_a_gapless_sequence_and_retries_apply_once,
    a_callers_history_is_scoped_to_the_polda_and_masked_for_analysts,
    desk_releases_are_kept_as_signed_and_served_newest_first,
);
