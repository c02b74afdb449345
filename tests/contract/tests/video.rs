//! Video validation calls through the real API, on SQLite and on a throwaway PostgreSQL, with real call peers
//! (`siaga-video`: str0m over UDP, VP8 through libvpx) on each side: the desk rings with its SDP offer, the 110
//! app finds the ringing call and answers with the reporter's, the desk reads the answer and media flows, both
//! sides say so, the desk hangs up; a reporter asks for a call from the app and an operator joins it. And what must be refused is: SDP that is not SDP, a call on another Polda's
//! or a closed incident, moves the call's rules forbid, a call the caller may not see.

use serde_json::{json, Value};
use siaga_contract_tests::{Db, Server};
use siaga_domain::Role;
use siaga_video::barcode::Stamp;
use siaga_video::vp8::{Decoder, Encoder};
use siaga_video::{I420Frame, Offering, Peer, PeerConfig, PeerEvent};
use std::time::Duration;
use uuid::Uuid;

fn received(incident: &str, actor: &str, polda: &str) -> Value {
    let id = Uuid::now_v7().to_string();
    let polda = serde_json::to_value(polda.parse::<siaga_domain::PoldaId>().unwrap()).unwrap();
    json!({
        "eventId": id, "incidentId": incident, "polda": polda,
        "event": {"id": id, "incidentId": incident, "at": "2026-12-04T03:00:00Z",
                  "actor": {"id": actor, "role": "operator1"},
                  "change": {"type": "received", "channel": {"kind": "app110"}, "description": "Copet di halte Tugu",
                             "reporter": {"name": "Sri", "nik": "3471014506900001"}, "polda": polda,
                             "location": {"point": {"lat": -7.783, "lon": 110.367}}}},
    })
}

async fn next_event(peer: &mut Peer, want: impl Fn(&PeerEvent) -> bool) -> PeerEvent {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let event = peer.next_event().await.expect("the call goes on");
            if want(&event) {
                return event;
            }
        }
    })
    .await
    .expect("the event comes")
}

async fn a_desk_and_the_reporters_app_set_a_call_up_through_the_central(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let app = server.login_as("app-diy", Role::App, Some("diy")).await;
    let incident = Uuid::now_v7().to_string();
    let (status, body) = operator
        .post("/v1/events", &received(&incident, "op1-diy", "diy"))
        .await;
    assert_eq!(status, 201, "{body}");

    // The desk rings with its offer.
    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    let (status, call) = operator
        .post(
            &format!("/v1/incidents/{incident}/video-calls"),
            &json!({"offer": offering.sdp()}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    assert_eq!(call["state"], "ringing");
    let call_id = call["callId"].as_str().unwrap().to_owned();

    // The app finds it ringing and answers with the reporter's description.
    let (_, ringing) = app.get("/v1/video-calls?state=ringing").await;
    let ringing = ringing["calls"].as_array().unwrap().clone();
    assert_eq!(ringing.len(), 1);
    assert_eq!(ringing[0]["incidentId"], incident.as_str());
    let (mut reporter, answer) =
        Peer::answer(PeerConfig::loopback(true), ringing[0]["offer"].as_str().unwrap())
            .await
            .unwrap();
    let (status, answered) = app
        .post(
            &format!("/v1/video-calls/{call_id}/answer"),
            &json!({"answer": answer}),
        )
        .await;
    assert_eq!(
        (status, &answered["state"]),
        (200, &json!("answered")),
        "{answered}"
    );
    // Answered once.
    let (status, again) = app
        .post(
            &format!("/v1/video-calls/{call_id}/answer"),
            &json!({"answer": answer}),
        )
        .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("call_state")),
        "{again}"
    );

    // The desk reads the answer; media flows; a frame reaches the desk with its stamp.
    let (_, seen) = operator.get(&format!("/v1/video-calls/{call_id}")).await;
    let mut desk = offering.accept(seen["answer"].as_str().unwrap()).unwrap();
    next_event(&mut desk, |e| matches!(e, PeerEvent::Connected)).await;
    next_event(&mut reporter, |e| matches!(e, PeerEvent::Connected)).await;
    let mut encoder = Encoder::new(320, 240, 400, 30).unwrap();
    let stamp = Stamp {
        frame: 1,
        capture_ms: 1_796_353_200_000,
    };
    for encoded in encoder
        .encode(&I420Frame::test_pattern(320, 240, stamp).unwrap(), true)
        .unwrap()
    {
        reporter.send_frame(encoded.data, 3000).unwrap();
    }
    let PeerEvent::Frame(frame) = next_event(&mut desk, |e| matches!(e, PeerEvent::Frame(_))).await else {
        unreachable!()
    };
    let pictures = Decoder::new().unwrap().decode(&frame.data).unwrap();
    assert_eq!(pictures[0].stamp(), Some(stamp));

    // Both sides say it is connected (the second is refused: it already is), then the desk hangs up.
    let state = |s: &str| json!({"state": s});
    let path = format!("/v1/video-calls/{call_id}/state");
    assert_eq!(operator.post(&path, &state("connected")).await.0, 200);
    assert_eq!(app.post(&path, &state("connected")).await.0, 409);
    let (status, ended) = operator
        .post(&path, &json!({"state": "ended", "reason": "Validasi selesai"}))
        .await;
    assert_eq!((status, &ended["state"]), (200, &json!("ended")), "{ended}");
    assert_eq!(ended["reason"], "Validasi selesai");
    assert_eq!(
        app.post(&path, &state("connected")).await.0,
        409,
        "ended is final"
    );
    desk.hang_up();

    // Each step is in DIY's audit trail.
    let (_, trail) = server
        .login_as("sup-diy", Role::Supervisor, Some("diy"))
        .await
        .get("/v1/audit")
        .await;
    let details: Vec<String> = trail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("video_call")))
        .map(|e| {
            format!(
                "{} {}",
                e["action"].as_str().unwrap(),
                e["detail"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            format!("video_call_requested call {call_id}"),
            format!("video_call call {call_id}: answered"),
            format!("video_call call {call_id}: connected"),
            format!("video_call call {call_id}: ended"),
        ]
    );

    // And each move but "answered" is a line of the incident's log, by the side that made it: every desk's
    // timeline shows the call.
    let (_, events) = operator.get(&format!("/v1/incidents/{incident}/events")).await;
    let moves: Vec<(String, String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["event"])
        .filter(|e| e["change"]["type"] == "video_call_moved")
        .map(|e| {
            assert_eq!(e["change"]["call"], call_id.as_str());
            (
                e["change"]["state"].as_str().unwrap().to_owned(),
                e["actor"]["id"].as_str().unwrap().to_owned(),
                e["change"]["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let line =
        |state: &str, actor: &str, reason: &str| (state.to_owned(), actor.to_owned(), reason.to_owned());
    assert_eq!(
        moves,
        [
            line("ringing", "op1-diy", ""),
            line("connected", "op1-diy", ""),
            line("ended", "op1-diy", "Validasi selesai"),
        ],
        "{events}"
    );
}

async fn a_reporter_asks_for_a_call_and_an_operator_joins_it(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let app = server.login_as("app-diy", Role::App, Some("diy")).await;
    let incident = Uuid::now_v7().to_string();
    assert_eq!(
        operator
            .post("/v1/events", &received(&incident, "op1-diy", "diy"))
            .await
            .0,
        201
    );
    let ask = format!("/v1/incidents/{incident}/video-call-requests");
    let (status, asked) = app.post(&ask, &json!({})).await;
    assert_eq!((status, &asked["state"]), (201, &json!("requested")), "{asked}");
    assert!(asked.get("offer").is_none(), "no offer yet: {asked}");
    let call_id = asked["callId"].as_str().unwrap().to_owned();
    // One call in progress per incident, whoever starts the second.
    let (status, body) = app.post(&ask, &json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("call_open")),
        "{body}"
    );
    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    let (status, body) = operator
        .post(
            &format!("/v1/incidents/{incident}/video-calls"),
            &json!({"offer": offering.sdp()}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("call_open")),
        "{body}"
    );

    // The desk sees the request waiting and joins it with its offer: the reporter's phone rings.
    let (_, waiting) = operator.get("/v1/video-calls?state=requested").await;
    assert_eq!(waiting["calls"][0]["callId"], call_id.as_str());
    let join = format!("/v1/video-calls/{call_id}/offer");
    assert_eq!(
        app.post(&join, &json!({"offer": offering.sdp()})).await.0,
        403,
        "the app does not join"
    );
    let (status, joined) = operator.post(&join, &json!({"offer": offering.sdp()})).await;
    assert_eq!((status, &joined["state"]), (200, &json!("ringing")), "{joined}");
    let (status, again) = operator.post(&join, &json!({"offer": offering.sdp()})).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("call_state")),
        "joined once: {again}"
    );
    let (_, ringing) = app.get("/v1/video-calls?state=ringing").await;
    let (mut reporter, answer) = Peer::answer(
        PeerConfig::loopback(true),
        ringing["calls"][0]["offer"].as_str().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        app.post(
            &format!("/v1/video-calls/{call_id}/answer"),
            &json!({"answer": answer})
        )
        .await
        .0,
        200
    );
    let mut desk = offering.accept(&answer).unwrap();
    next_event(&mut desk, |e| matches!(e, PeerEvent::Connected)).await;
    next_event(&mut reporter, |e| matches!(e, PeerEvent::Connected)).await;
    // A reporter who gives up before anyone joins ends the request.
    let other = Uuid::now_v7().to_string();
    assert_eq!(
        operator
            .post("/v1/events", &received(&other, "op1-diy", "diy"))
            .await
            .0,
        201
    );
    let (_, second) = app
        .post(&format!("/v1/incidents/{other}/video-call-requests"), &json!({}))
        .await;
    let (status, ended) = app
        .post(
            &format!("/v1/video-calls/{}/state", second["callId"].as_str().unwrap()),
            &json!({"state": "ended", "reason": "Pelapor membatalkan"}),
        )
        .await;
    assert_eq!((status, &ended["state"]), (200, &json!("ended")), "{ended}");
}

async fn what_a_call_may_not_do_is_refused_with_a_reason(db: Db) {
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let app = server.login_as("app-diy", Role::App, Some("diy")).await;
    let other_op = server
        .login_as("op1-jabar", Role::Operator1, Some("jawa_barat"))
        .await;
    let other_app = server.login_as("app-jabar", Role::App, Some("jawa_barat")).await;
    let incident = Uuid::now_v7().to_string();
    assert_eq!(
        operator
            .post("/v1/events", &received(&incident, "op1-diy", "diy"))
            .await
            .0,
        201
    );
    let offer = Offering::new(PeerConfig::loopback(false))
        .await
        .unwrap()
        .sdp()
        .to_owned();
    let ring = format!("/v1/incidents/{incident}/video-calls");

    for (bad, why) in [
        ("hello", "v=0"),
        ("v=0\r\nm=audio 9 RTP/AVP 0\r\n", "no video"),
        (&*format!("{offer}a=x\u{0}\r\n"), "printable"),
        (&*format!("{offer}{}", "a=x\r\n".repeat(4000)), "longer"),
    ] {
        let (status, body) = operator.post(&ring, &json!({"offer": bad})).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_sdp")), "{body}");
        assert!(body["message"].as_str().unwrap().contains(why), "{body}");
    }
    // Another Polda's incident is not theirs; an unknown one neither.
    assert_eq!(other_op.post(&ring, &json!({"offer": offer})).await.0, 404);
    let unknown = format!("/v1/incidents/{}/video-calls", Uuid::now_v7());
    assert_eq!(operator.post(&unknown, &json!({"offer": offer})).await.0, 404);

    let (_, call) = operator.post(&ring, &json!({"offer": offer})).await;
    let call_id = call["callId"].as_str().unwrap().to_owned();
    let path = format!("/v1/video-calls/{call_id}/state");
    // Not connected before an answer; the desk does not decline for the reporter; the app does not give up
    // on itself.
    assert_eq!(operator.post(&path, &json!({"state": "connected"})).await.0, 409);
    assert_eq!(operator.post(&path, &json!({"state": "declined"})).await.0, 409);
    assert_eq!(app.post(&path, &json!({"state": "unreachable"})).await.0, 409);
    // Another Polda's app and desk do not see the call.
    assert_eq!(other_app.get(&format!("/v1/video-calls/{call_id}")).await.0, 404);
    assert_eq!(other_app.post(&path, &json!({"state": "declined"})).await.0, 404);
    let (_, listed) = other_app.get("/v1/video-calls?state=ringing").await;
    assert_eq!(listed["calls"], json!([]));
    assert_eq!(
        app.get("/v1/video-calls?state=someday").await.1["error"],
        "bad_state"
    );
    // A reason on one line, bounded.
    let (status, body) = app
        .post(&path, &json!({"state": "declined", "reason": "a\nb"}))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_reason")),
        "{body}"
    );
    // The reporter never answers: the desk gives up, and the call stays so.
    let (status, body) = operator
        .post(
            &path,
            &json!({"state": "unreachable", "reason": "Tidak diangkat dalam 60 detik"}),
        )
        .await;
    assert_eq!((status, &body["state"]), (200, &json!("unreachable")), "{body}");
    assert_eq!(
        app.post(
            &format!("/v1/video-calls/{call_id}/answer"),
            &json!({"answer": offer})
        )
        .await
        .0,
        409,
        "too late to answer"
    );
    assert_eq!(app.get("/v1/video-calls/not-an-id").await.0, 404);

    // A closed incident's reporter is not called.
    let close = {
        let id = Uuid::now_v7().to_string();
        json!({"eventId": id, "incidentId": incident, "polda": serde_json::to_value("diy".parse::<siaga_domain::PoldaId>().unwrap()).unwrap(),
               "event": {"id": id, "incidentId": incident, "at": "2026-12-04T03:01:00Z", "actor": {"id": "op1-diy", "role": "operator1"},
                         "change": {"type": "closed", "reason": {"kind": "prank"}, "summary": ""}}})
    };
    assert_eq!(operator.post("/v1/events", &close).await.0, 201);
    let (status, body) = operator.post(&ring, &json!({"offer": offer})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("incident_closed")),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_desk_and_the_reporters_app_set_a_call_up_through_the_central() {
    a_desk_and_the_reporters_app_set_a_call_up_through_the_central(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_desk_and_the_reporters_app_set_a_call_up_through_the_central() {
    a_desk_and_the_reporters_app_set_a_call_up_through_the_central(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_what_a_call_may_not_do_is_refused_with_a_reason() {
    what_a_call_may_not_do_is_refused_with_a_reason(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_what_a_call_may_not_do_is_refused_with_a_reason() {
    what_a_call_may_not_do_is_refused_with_a_reason(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_reporter_asks_for_a_call_and_an_operator_joins_it() {
    a_reporter_asks_for_a_call_and_an_operator_joins_it(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_reporter_asks_for_a_call_and_an_operator_joins_it() {
    a_reporter_asks_for_a_call_and_an_operator_joins_it(Db::Postgres).await;
}

/// Evidence pictures (decision 0022): kept under the incident and their SHA-256 for the incident's Polda, the
/// bytes checked against the name, an upload again a no-op, each upload and view in the Polda's trail; analysts
/// and other Poldas get nothing, and the event naming the picture goes through the flow like any other.
async fn an_evidence_picture_is_kept_by_its_name_for_the_incidents_polda(db: Db) {
    use siaga_contract_tests::PASFOTO;
    use siaga_domain::evidence::ContentDigest;
    let server = Server::start(db).await;
    let operator = server.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let other = server
        .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
        .await;
    let analyst = server.login_as("analyst-diy", Role::Analyst, Some("diy")).await;
    let supervisor = server.login_as("spv-diy", Role::Supervisor, Some("diy")).await;
    let incident = Uuid::now_v7().to_string();
    let (status, body) = operator
        .post("/v1/events", &received(&incident, "op1-diy", "diy"))
        .await;
    assert_eq!(status, 201, "{body}");
    let digest = ContentDigest::of(PASFOTO).to_string();
    let path = format!("/v1/incidents/{incident}/evidence/{digest}");
    let jpeg = |bytes: &[u8]| Some(("image/jpeg", bytes.to_vec()));

    // Refused, and nothing kept: bytes that are not the ones named, not a JPEG, not named by a digest, another
    // media type, another Polda's incident, an unknown incident.
    let mut other_bytes = PASFOTO.to_vec();
    other_bytes.push(0);
    let (status, body) = operator.send("PUT", &path, jpeg(&other_bytes)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("digest_mismatch")),
        "{body}"
    );
    let garbage = b"<html>not a picture</html>";
    let named_garbage = format!("/v1/incidents/{incident}/evidence/{}", ContentDigest::of(garbage));
    let (status, body) = operator.send("PUT", &named_garbage, jpeg(garbage)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("not_jpeg")),
        "{body}"
    );
    let (status, body) = operator
        .send(
            "PUT",
            &format!("/v1/incidents/{incident}/evidence/..%2F..%2Fetc"),
            jpeg(PASFOTO),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_digest")),
        "{body}"
    );
    let (status, _) = operator
        .send("PUT", &path, Some(("text/html", PASFOTO.to_vec())))
        .await;
    assert_eq!(status, 415);
    assert_eq!(other.send("PUT", &path, jpeg(PASFOTO)).await.0, 404);
    let unknown = format!("/v1/incidents/{}/evidence/{digest}", Uuid::now_v7());
    assert_eq!(operator.send("PUT", &unknown, jpeg(PASFOTO)).await.0, 404);
    assert_eq!(operator.get(&path).await.0, 404, "nothing was kept");

    // Kept once; again is a no-op.
    let (status, body) = operator.send("PUT", &path, jpeg(PASFOTO)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = operator.send("PUT", &path, jpeg(PASFOTO)).await;
    assert_eq!(status, 200, "{body}");

    // The Polda's operators get the bytes; another Polda and analysts do not.
    let (status, content_type, bytes) = supervisor.get_bytes(&path).await;
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    assert_eq!(bytes, PASFOTO);
    assert_eq!(other.get(&path).await.0, 404);
    assert_eq!(analyst.get(&path).await.0, 403);

    // The event naming it goes through the flow; one naming an impossible picture is refused.
    let attached = |bytes: u64| {
        let id = Uuid::now_v7().to_string();
        let polda = serde_json::to_value("diy".parse::<siaga_domain::PoldaId>().unwrap()).unwrap();
        json!({"eventId": id, "incidentId": incident, "polda": polda, "event": {
            "id": id, "incidentId": incident, "at": "2026-12-04T03:05:00Z", "actor": {"id": "op1-diy", "role": "operator1"},
            "change": {"type": "evidence_attached", "sha256": digest, "mediaType": "image/jpeg", "bytes": bytes,
                       "width": 300, "height": 400}}})
    };
    let (status, body) = operator.post("/v1/events", &attached(PASFOTO.len() as u64)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = operator.post("/v1/events", &attached(0)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("bad_evidence")),
        "{body}"
    );

    // The upload and the view are entries of DIY's trail (one each: the repeat and refusals are not).
    let (_, trail) = supervisor.get("/v1/audit?chain=diy").await;
    let actions: Vec<&str> = trail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("evidence_"))
        .collect();
    assert_eq!(actions, ["evidence_uploaded", "evidence_viewed"], "{trail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_evidence_picture_is_kept_by_its_name_for_the_incidents_polda() {
    an_evidence_picture_is_kept_by_its_name_for_the_incidents_polda(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_an_evidence_picture_is_kept_by_its_name_for_the_incidents_polda() {
    an_evidence_picture_is_kept_by_its_name_for_the_incidents_polda(Db::Postgres).await;
}

/// TURN credentials for call parties (decision 0006 addendum): none when the central names no TURN server; with
/// one, each party gets a user name of its own with the expiry an hour ahead, and the password coturn computes
/// from the shared secret; analysts and kiosks get none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_parties_get_relay_credentials_of_their_own_that_lapse() {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let bare = Server::start(Db::Sqlite).await;
    let operator = bare.login_as("op1-diy", Role::Operator1, Some("diy")).await;
    let (status, none) = operator.get("/v1/video-relay").await;
    assert_eq!(
        (status, none["servers"].as_array().map(Vec::len)),
        (200, Some(0)),
        "{none}"
    );

    let (url, dir) = siaga_contract_tests::fresh_database(Db::Sqlite);
    let server = Server::start_on(url, dir, |mut state| {
        state.relay = Some(std::sync::Arc::new(siaga_central::relay::RelayConfig {
            address: "turn.polda-diy.example:3478".into(),
            secret: "rahasia bersama".into(),
        }));
        state
    })
    .await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for (name, role) in [("op1-diy", Role::Operator1), ("app-diy", Role::App)] {
        let client = server.login_as(name, role, Some("diy")).await;
        let (status, relay) = client.get("/v1/video-relay").await;
        assert_eq!(status, 200, "{relay}");
        let given = &relay["servers"][0];
        assert_eq!(given["address"], "turn.polda-diy.example:3478");
        let username = given["username"].as_str().unwrap();
        let (expiry, account) = username.split_once(':').unwrap();
        assert_eq!(account, name);
        let expiry: i64 = expiry.parse().unwrap();
        assert!((before + 3590..=before + 3610).contains(&expiry), "{username}");
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(b"rahasia bersama").unwrap();
        mac.update(username.as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(given["password"], expected.as_str());
        assert!(
            !relay.to_string().contains("rahasia"),
            "the secret never leaves the central"
        );
    }
    let analyst = server.login_as("analyst-diy", Role::Analyst, Some("diy")).await;
    assert_eq!(analyst.get("/v1/video-relay").await.0, 403);
}

/// The citizen web page's report and call routes (`citizen_report`): a report is kept once under its id and
/// receipt, another receipt cannot take its id, the call is found only with the receipt, the page answers only the
/// current call, and SDP that is not SDP is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_report_finds_and_answers_its_call_only_with_its_receipt() {
    let server = Server::start(Db::Sqlite).await;
    let page = server.anonymous();
    let operator = server
        .login_as("op1-metro", Role::Operator1, Some("metro_jaya"))
        .await;
    let id = Uuid::now_v7().to_string();
    let receipt = "0123456789abcdef0123456789abcdef";
    let report = |receipt: &str, polda: &str| {
        json!({"reportId": id, "receipt": receipt, "description": "Dompet dicopet di halte Harmoni",
               "name": "Sri", "nik": "3171015208900123", "polda": polda, "lat": -6.166, "lon": 106.821})
    };
    let (status, body) = page
        .post("/v1/public/reports", &report(receipt, "metro_jaya"))
        .await;
    assert_eq!(
        (status, body["incidentId"].as_str()),
        (201, Some(id.as_str())),
        "{body}"
    );
    assert_eq!(
        page.post("/v1/public/reports", &report(receipt, "metro_jaya"))
            .await
            .0,
        200
    );
    let (status, body) = page
        .post(
            "/v1/public/reports",
            &report("ffffffffffffffffffffffffffffffff", "metro_jaya"),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("report_id_taken")),
        "{body}"
    );
    let mut unknown = report(receipt, "atlantis");
    unknown["reportId"] = json!(Uuid::now_v7().to_string());
    assert_eq!(
        page.post("/v1/public/reports", &unknown).await.1["error"],
        "invalid_polda"
    );
    // The incident is in the operators' queue, as a 110 app report with its reporter.
    let (_, incident) = operator.get(&format!("/v1/incidents/{id}")).await;
    assert_eq!(incident["channel"]["kind"], "app110", "{incident}");
    // An id the central already holds for another event is not given to a new receipt.
    let desk_report = Uuid::now_v7().to_string();
    let (status, _) = operator
        .post("/v1/events", &received(&desk_report, "op1-metro", "metro_jaya"))
        .await;
    assert_eq!(status, 201);
    let (_, events) = operator.get(&format!("/v1/incidents/{desk_report}/events")).await;
    let event_id = events
        .as_array()
        .and_then(|e| e.first())
        .map(|e| e["eventId"].clone());
    let mut taken = report("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "metro_jaya");
    taken["reportId"] = event_id.unwrap_or(Value::Null);
    let (status, body) = page.post("/v1/public/reports", &taken).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = page
        .post(
            "/v1/public/video-call",
            &json!({"incidentId": taken["reportId"], "receipt": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"}),
        )
        .await;
    assert_eq!(status, 404, "no receipt opens it");

    let ask = |receipt: &str| json!({"incidentId": id, "receipt": receipt});
    assert_eq!(
        page.post("/v1/public/video-call", &ask("ffffffffffffffffffffffffffffffff"))
            .await
            .0,
        404
    );
    let (status, none) = page.post("/v1/public/video-call", &ask(receipt)).await;
    assert_eq!((status, &none["call"]), (200, &Value::Null), "{none}");

    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    let (status, rung) = operator
        .post(
            &format!("/v1/incidents/{id}/video-calls"),
            &json!({"offer": offering.sdp()}),
        )
        .await;
    assert_eq!(status, 201, "{rung}");
    let (_, ringing) = page.post("/v1/public/video-call", &ask(receipt)).await;
    assert_eq!(ringing["call"]["state"], "ringing");
    assert_eq!(ringing["call"]["offer"], offering.sdp());
    let call_id = ringing["call"]["callId"].as_str().unwrap();
    let mut garbage = ask(receipt);
    garbage["callId"] = json!(call_id);
    garbage["answer"] = json!("<script>alert(1)</script>");
    assert_eq!(
        page.post("/v1/public/video-call", &garbage).await.1["error"],
        "bad_sdp"
    );
    let mut other = ask(receipt);
    other["callId"] = json!(Uuid::now_v7().to_string());
    other["answer"] = json!("v=0\r\n");
    assert_eq!(page.post("/v1/public/video-call", &other).await.0, 409);
    let mut declined = ask(receipt);
    declined["callId"] = json!(call_id);
    declined["state"] = json!({"state": "declined", "reason": "sedang menyetir"});
    let (status, moved) = page.post("/v1/public/video-call", &declined).await;
    assert_eq!(
        (status, &moved["call"]["state"]),
        (200, &json!("declined")),
        "{moved}"
    );
}
