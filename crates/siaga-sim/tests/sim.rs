//! The simulator against a fresh central (SQLite, in process): it produces incidents and kiosk states
//! that a query shows, its plan is a pure function of the seed, and what it generates is valid.

use siaga_contract_tests::{Db, Server, PASSWORD};
use siaga_domain::Role;
use siaga_domain::{Nik, PoldaId};
use siaga_sim::model::{self, Rng};
use std::time::Duration;
use time::macros::datetime;
use time::OffsetDateTime;

/// A fixed simulated clock (a Monday, 08:00 WIB): no test depends on the hour it runs at.
const START: OffsetDateTime = datetime!(2026-03-02 08:00 +07:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_run_leaves_incidents_and_kiosk_states_a_query_shows() {
    let server = Server::start(Db::Sqlite).await;
    server.account("admin", Role::Admin, None).await;
    let mut config = siaga_sim::Config::new(&server.base, "admin", PASSWORD);
    config.seed = 1;
    config.start = Some(START);
    config.rate = 20.0;
    config.duration = Duration::from_secs(4);
    config.kiosks = Some(12);
    config.prank_share = 0.5; // enough real incidents in four seconds
    config.heartbeat_every = Duration::from_secs(2);
    let mut updates = 0;
    let summary = siaga_sim::run(config, |_, _| updates += 1)
        .await
        .expect("the simulation runs");
    assert!(updates >= 2, "progress is reported");
    assert_eq!(summary.refused, 0, "the server accepted everything: {summary:?}");
    assert!(
        summary.reports >= 20 && summary.prank > 0 && summary.prank < summary.reports,
        "{summary:?}"
    );
    assert_eq!(
        summary.reports_by_polda.values().sum::<u64>(),
        summary.reports,
        "every report is counted in its Polda"
    );
    assert_eq!(
        summary.located_by_polda.values().sum::<u64>() + summary.prank,
        summary.reports,
        "every report but the prank and empty calls has a location"
    );
    assert_eq!(summary.kiosks, 12);
    assert!(summary.heartbeats >= 12, "{summary:?}");

    let supervisor = server.login_as("sup", Role::Supervisor, None).await;
    let (status, page) = supervisor.get("/v1/incidents?limit=500").await;
    assert_eq!(status, 200);
    let incidents = page["incidents"].as_array().unwrap();
    assert_eq!(
        incidents.len() as u64,
        summary.reports + summary.alerts,
        "every report is an incident"
    );
    let closed = incidents.iter().filter(|i| i["status"] == "closed").count() as u64;
    assert_eq!(
        closed, summary.prank,
        "prank and empty calls are closed by operator 1"
    );
    assert!(incidents
        .iter()
        .any(|i| i["status"] == "classified" || i["status"] == "forwarded"));
    let (_, kiosks) = supervisor.get("/v1/kiosks").await;
    let kiosks = kiosks.as_array().unwrap();
    assert_eq!(kiosks.len(), 12);
    assert!(
        kiosks
            .iter()
            .all(|k| k["status"] != "unknown" && k["lastHeartbeatMs"].is_i64()),
        "{kiosks:?}"
    );
    let (_, calls) = supervisor.get("/v1/calls").await;
    let phone_calls = summary.reports - summary.app;
    assert_eq!(
        calls.as_array().unwrap().len() as u64,
        phone_calls,
        "every call records the number dialed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_back_fills_the_time_before_the_start_and_a_bound_stops_the_reports() {
    let server = Server::start(Db::Sqlite).await;
    server.account("admin", Role::Admin, None).await;
    let mut config = siaga_sim::Config::new(&server.base, "admin", PASSWORD);
    config.start = Some(START);
    config.rate = 0.5;
    config.history = Duration::from_secs(3600);
    config.max_reports = Some(30);
    config.duration = Duration::from_secs(1);
    config.kiosks = Some(2);
    let summary = siaga_sim::run(config, |_, _| {})
        .await
        .expect("the simulation runs");
    assert_eq!(summary.reports, 30, "the bound holds: {summary:?}");
    assert_eq!(summary.alerts, 0, "history makes no kiosk alerts");

    let supervisor = server.login_as("sup", Role::Supervisor, None).await;
    let (_, page) = supervisor.get("/v1/incidents?limit=500").await;
    let incidents = page["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 30);
    let hour_before = START - time::Duration::hours(1);
    for incident in incidents {
        let received = OffsetDateTime::parse(
            incident["receivedAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert!(
            hour_before <= received && received < START,
            "received {received}, outside the hour before the start"
        );
    }
}

#[test]
fn the_plan_is_a_pure_function_of_the_seed() {
    let draw = |seed| {
        let mut rng = Rng::new(seed);
        (0..200)
            .map(|_| {
                let polda = model::pick_polda(&mut rng);
                let category = model::pick_category(&mut rng, 8);
                (
                    polda,
                    category,
                    model::synthetic_nik(&mut rng, polda.home_province()),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(1), draw(1));
    assert_ne!(draw(1), draw(2));
}

#[test]
fn synthetic_niks_are_structurally_valid_and_from_real_regions() {
    let mut rng = Rng::new(7);
    for polda in PoldaId::ALL {
        for _ in 0..20 {
            let nik = model::synthetic_nik(&mut rng, polda.home_province());
            let parsed =
                Nik::parse(&nik).unwrap_or_else(|err| panic!("{polda:?}: invalid synthetic NIK: {err}"));
            assert_eq!(parsed.nik.province(), polda.home_province());
            assert!(parsed.nik.district_code().is_some(), "a real district code");
        }
    }
}

#[test]
fn traffic_follows_population_and_the_hour_of_day() {
    let mut rng = Rng::new(3);
    let n = 20_000;
    let mut jawa_barat = 0;
    let mut gorontalo = 0;
    for _ in 0..n {
        match model::pick_polda(&mut rng) {
            PoldaId::JawaBarat => jawa_barat += 1,
            PoldaId::Gorontalo => gorontalo += 1,
            _ => {}
        }
    }
    assert!(
        jawa_barat > 10 * gorontalo,
        "Jawa Barat {jawa_barat} vs Gorontalo {gorontalo}"
    );
    let share = |hour: u8, category| {
        let mut rng = Rng::new(4);
        (0..n)
            .filter(|_| model::pick_category(&mut rng, hour) == category)
            .count()
    };
    assert!(
        share(8, siaga_domain::Category::Theft) > 2 * share(13, siaga_domain::Category::Theft),
        "pickpockets ride the rush hour"
    );
    assert!(
        share(23, siaga_domain::Category::Brawl) > 2 * share(11, siaga_domain::Category::Brawl),
        "brawls are at night"
    );
    assert!((model::DEFAULT_PRANK_SHARE - 0.981).abs() < 0.001);
    assert!(model::kiosk_alert_chance(8) > 5.0 * model::kiosk_alert_chance(13));
}

/// The 110 app's reporter the simulator plays answers a desk's video call with real frames: the desk's peer
/// decodes them and reads each frame's number from its barcode, in order; when the desk ends the call, the
/// reporter stops.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulated_reporter_answers_a_video_call_with_stamped_frames() {
    use siaga_video::vp8::Decoder;
    use siaga_video::{Offering, PeerConfig, PeerEvent};
    let server = Server::start(Db::Sqlite).await;
    server.account("admin", Role::Admin, None).await;
    let mut config = siaga_sim::Config::new(&server.base, "admin", PASSWORD);
    config.start = Some(START);
    config.rate = 0.2;
    config.duration = Duration::from_secs(12);
    config.kiosks = Some(1);
    let sim = tokio::spawn(siaga_sim::run(config, |_, _| {}));

    let operator = server
        .login_as("op1-jkt", Role::Operator1, Some("metro_jaya"))
        .await;
    let incident = uuid::Uuid::now_v7().to_string();
    let event = uuid::Uuid::now_v7().to_string();
    let polda = serde_json::to_value(PoldaId::MetroJaya).unwrap();
    let (status, body) = operator
        .post(
            "/v1/events",
            &serde_json::json!({"eventId": event, "incidentId": incident, "polda": polda, "event": {
                "id": event, "incidentId": incident, "at": "2026-03-02T01:00:00Z", "actor": {"id": "op1-jkt", "role": "operator1"},
                "change": {"type": "received", "channel": {"kind": "app110"}, "description": "Copet di halte Harmoni",
                           "polda": polda, "location": {"point": {"lat": -6.166, "lon": 106.82}}}}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    let (status, call) = operator
        .post(
            &format!("/v1/incidents/{incident}/video-calls"),
            &serde_json::json!({"offer": offering.sdp()}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    let call_id = call["callId"].as_str().unwrap().to_owned();
    // The reporter answers within a poll or two.
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let (_, now) = operator.get(&format!("/v1/video-calls/{call_id}")).await;
            if let Some(answer) = now["answer"].as_str() {
                return answer.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("the simulated app answers");
    let mut desk = offering.accept(&answer).unwrap();
    let mut decoder = Decoder::new().unwrap();
    let mut numbers = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        while numbers.len() < 20 {
            match desk.next_event().await.expect("the call goes on") {
                PeerEvent::Frame(frame) => {
                    let Ok(pictures) = decoder.decode(&frame.data) else {
                        desk.request_keyframe();
                        continue;
                    };
                    numbers.extend(pictures.iter().filter_map(|p| p.stamp()).map(|s| s.frame));
                }
                PeerEvent::Ended(reason) => panic!("the call ended: {reason:?}"),
                _ => {}
            }
        }
    })
    .await
    .expect("twenty frames arrive");
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    let (_, now) = operator.get(&format!("/v1/video-calls/{call_id}")).await;
    assert_eq!(now["state"], "answered", "{now}");
    // The desk ends the call; the reporter stops on its own.
    let path = format!("/v1/video-calls/{call_id}/state");
    assert_eq!(
        operator
            .post(&path, &serde_json::json!({"state": "ended"}))
            .await
            .0,
        200
    );
    desk.hang_up();
    let summary = sim.await.unwrap().expect("the simulation runs");
    assert_eq!(summary.video_calls, 1, "{summary:?}");
    assert!(summary.video_frames >= 20, "{summary:?}");
    let (_, ended) = operator.get(&format!("/v1/video-calls/{call_id}")).await;
    assert_eq!(ended["state"], "ended", "the desk's end stands: {ended}");
}
