//! The authorisation matrix: every route × every role × (own Polda, another Polda, national) plus an
//! anonymous caller, checked with real requests against the rules below. The rules are written here
//! independently of the server's route table, and the test fails when the two differ, so a route added
//! without a rule (or without an expectation here) cannot slip through.

use serde_json::{json, Value};
use siaga_central::routes::{Access, ROUTES};
use siaga_contract_tests::{
    kiosk_alert_xml, loss_submission, skck_submission, Client, Db, Server, PASFOTO, PASSWORD,
};
use siaga_domain::Role;
use std::collections::BTreeSet;
use uuid::Uuid;

/// How a route scopes by Polda, for callers whose role passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Not scoped: every caller whose role passes succeeds.
    Any,
    /// DIY data: DIY and national callers see it; other Poldas get 403/404 or a list without it.
    Polda,
    /// National accounts only; Polda accounts get 403.
    National,
    /// A kiosk for itself only.
    OwnKiosk,
    /// A citizen request: officers as [`Scope::Polda`]; among app accounts only the one that submitted it
    /// (DIY's) sees it.
    Submitter,
}

const PUBLIC: &[&str] = &[];
const WORKERS: &[&str] = &[
    "operator1",
    "operator2",
    "operator3",
    "spkt_officer",
    "supervisor",
];
const READERS: &[&str] = &[
    "operator1",
    "operator2",
    "operator3",
    "spkt_officer",
    "supervisor",
    "analyst",
];
const ACCOUNTS: &[&str] = &[
    "operator1",
    "operator2",
    "operator3",
    "spkt_officer",
    "supervisor",
    "analyst",
    "admin",
];
const ANYONE: &[&str] = &[
    "operator1",
    "operator2",
    "operator3",
    "spkt_officer",
    "supervisor",
    "analyst",
    "admin",
    "kiosk",
    "app",
];
const SERVICE_DESK: &[&str] = &["spkt_officer", "supervisor", "app"];
/// The desk's call parties and the 110 app.
const CALL_PARTIES: &[&str] = &[
    "operator1",
    "operator2",
    "operator3",
    "spkt_officer",
    "supervisor",
    "app",
];

/// Method, path, roles that pass (empty = public), Polda scope.
const EXPECTED: &[(&str, &str, &[&str], Scope)] = &[
    ("GET", "/v1/health", PUBLIC, Scope::Any),
    ("GET", "/v1/openapi.json", PUBLIC, Scope::Any),
    ("GET", "/metrics", PUBLIC, Scope::Any),
    ("POST", "/v1/auth/login", PUBLIC, Scope::Any),
    ("POST", "/v1/auth/refresh", PUBLIC, Scope::Any),
    ("POST", "/v1/auth/kiosk", PUBLIC, Scope::Any),
    ("POST", "/v1/auth/logout", ANYONE, Scope::Any),
    ("GET", "/v1/me", ANYONE, Scope::Any),
    ("GET", "/v1/users", &["admin", "supervisor"], Scope::Polda),
    ("POST", "/v1/users", &["admin"], Scope::Polda),
    ("POST", "/v1/events", WORKERS, Scope::Polda),
    ("GET", "/v1/events/{event_id}", READERS, Scope::Polda),
    ("GET", "/v1/incidents", READERS, Scope::Polda),
    ("GET", "/v1/incidents/{incident_id}", READERS, Scope::Polda),
    ("GET", "/v1/incidents/{incident_id}/events", READERS, Scope::Polda),
    ("GET", "/v1/feed", READERS, Scope::Polda),
    ("GET", "/v1/sync/snapshot", READERS, Scope::Polda),
    ("GET", "/v1/live", READERS, Scope::Any),
    ("GET", "/v1/kiosks", ACCOUNTS, Scope::Polda),
    ("POST", "/v1/kiosks", &["admin"], Scope::Polda),
    (
        "POST",
        "/v1/kiosks/{kiosk_id}/heartbeat",
        &["kiosk"],
        Scope::OwnKiosk,
    ),
    (
        "POST",
        "/v1/kiosks/{kiosk_id}/alerts",
        &["kiosk"],
        Scope::OwnKiosk,
    ),
    ("GET", "/v1/routing", ACCOUNTS, Scope::Any),
    ("PUT", "/v1/routing/{number}", &["admin"], Scope::National),
    ("DELETE", "/v1/routing/{number}", &["admin"], Scope::National),
    ("POST", "/v1/calls", &["operator1", "supervisor"], Scope::Polda),
    ("GET", "/v1/calls", READERS, Scope::Polda),
    ("POST", "/v1/callers/history", READERS, Scope::Polda),
    ("POST", "/v1/services/requests", &["app"], Scope::Polda),
    ("GET", "/v1/services/requests", SERVICE_DESK, Scope::Submitter),
    (
        "GET",
        "/v1/services/requests/{request_id}",
        SERVICE_DESK,
        Scope::Submitter,
    ),
    (
        "POST",
        "/v1/services/requests/{request_id}/actions",
        SERVICE_DESK,
        Scope::Submitter,
    ),
    (
        "GET",
        "/v1/services/requests/{request_id}/photo",
        SERVICE_DESK,
        Scope::Submitter,
    ),
    (
        "GET",
        "/v1/services/requests/{request_id}/letter",
        SERVICE_DESK,
        Scope::Submitter,
    ),
    (
        "POST",
        "/v1/services/requests/{request_id}/nik",
        &["spkt_officer", "supervisor"],
        Scope::Submitter,
    ),
    (
        "GET",
        "/v1/services/counts",
        &["spkt_officer", "supervisor", "analyst"],
        Scope::Polda,
    ),
    ("GET", "/v1/audit", &["supervisor", "admin"], Scope::Polda),
    ("POST", "/v1/audit/desk-heads", ACCOUNTS, Scope::Polda),
    (
        "POST",
        "/v1/incidents/{incident_id}/video-calls",
        WORKERS,
        Scope::Polda,
    ),
    (
        "POST",
        "/v1/incidents/{incident_id}/video-call-requests",
        &["app"],
        Scope::Polda,
    ),
    ("POST", "/v1/video-calls/{call_id}/offer", WORKERS, Scope::Polda),
    ("GET", "/v1/video-calls", CALL_PARTIES, Scope::Polda),
    ("GET", "/v1/video-calls/{call_id}", CALL_PARTIES, Scope::Polda),
    ("POST", "/v1/video-calls/{call_id}/answer", &["app"], Scope::Polda),
    ("GET", "/v1/video-relay", CALL_PARTIES, Scope::Any),
    (
        "PUT",
        "/v1/incidents/{incident_id}/evidence/{sha256}",
        WORKERS,
        Scope::Polda,
    ),
    (
        "GET",
        "/v1/incidents/{incident_id}/evidence/{sha256}",
        WORKERS,
        Scope::Polda,
    ),
    (
        "POST",
        "/v1/video-calls/{call_id}/state",
        CALL_PARTIES,
        Scope::Polda,
    ),
    ("GET", "/v1/updates/{platform}", ACCOUNTS, Scope::Any),
    (
        "GET",
        "/v1/updates/{platform}/{version}/package",
        ACCOUNTS,
        Scope::Any,
    ),
    ("GET", "/v1/letters/keys", PUBLIC, Scope::Any),
    ("GET", "/v1/letters/{letter_id}/verify", PUBLIC, Scope::Any),
    ("GET", "/warga", PUBLIC, Scope::Any),
    ("GET", "/warga/warga.js", PUBLIC, Scope::Any),
    ("GET", "/warga/warga.css", PUBLIC, Scope::Any),
    ("GET", "/warga/lapor", PUBLIC, Scope::Any),
    ("GET", "/warga/lapor.js", PUBLIC, Scope::Any),
    ("POST", "/v1/public/reports", PUBLIC, Scope::Any),
    ("POST", "/v1/public/video-call", PUBLIC, Scope::Any),
    ("POST", "/v1/public/services/requests", PUBLIC, Scope::Any),
    ("POST", "/v1/public/services/status", PUBLIC, Scope::Any),
    ("POST", "/v1/public/services/letter", PUBLIC, Scope::Any),
];

#[test]
fn every_route_has_an_expectation_and_agrees_with_the_server() {
    let served: BTreeSet<(&str, &str)> = ROUTES.iter().map(|spec| (spec.method, spec.path)).collect();
    let expected: BTreeSet<(&str, &str)> = EXPECTED
        .iter()
        .map(|(method, path, _, _)| (*method, *path))
        .collect();
    let unexpected: Vec<_> = served.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&served).collect();
    assert!(
        unexpected.is_empty(),
        "routes without an expectation in this matrix: {unexpected:?}"
    );
    assert!(
        missing.is_empty(),
        "expected routes the server does not have: {missing:?}"
    );
    for spec in ROUTES {
        let (_, _, roles, _) = EXPECTED
            .iter()
            .find(|(m, p, _, _)| *m == spec.method && *p == spec.path)
            .unwrap();
        let server_roles: Vec<&str> = match spec.access {
            Access::Public => Vec::new(),
            Access::Roles(roles) => roles.iter().map(|r| r.code()).collect(),
        };
        let mut want = roles.to_vec();
        want.sort();
        let mut have = server_roles.clone();
        have.sort();
        assert_eq!(
            have, want,
            "{} {}: the server's roles differ from the matrix",
            spec.method, spec.path
        );
    }
}

/// Who calls: a role in DIY, in Metro Jaya, or national.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Diy,
    Other,
    National,
}

struct Principal {
    /// A kiosk's secret (to open throwaway sessions).
    secret: Option<String>,
    role: &'static str,
    place: Place,
    name: String,
    client: Client,
}

/// The number the fixture's DIY incident was called from.
const FIXTURE_CALLER: &str = "081200009999";

/// The DIY desk whose trail head the fixture had signed, and that head's hash (entry 1).
const FIXTURE_DESK: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
/// The desk release the fixture's central keeps.
const FIXTURE_RELEASE: &str = "9.9.9";
const FIXTURE_DESK_HEAD: &str = "5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";

/// A session description of the right form (the matrix checks who may relay it, not what it negotiates).
const SDP: &str = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

/// The receipt of the fixture's web page request.
const WEB_RECEIPT: &str = "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b";

struct Fixture {
    server: Server,
    principals: Vec<Principal>,
    national_admin: Client,
    incident: String,
    event: String,
    call: String,
    kiosk_secret: String,
    /// A DIY SKCK request submitted by `app-diy`, and one taken to its letter.
    service_request: String,
    letter_request: String,
    letter_route: String,
    /// A web page request, issued, and followed with [`WEB_RECEIPT`].
    web_request: String,
    /// A video call on the DIY incident, rung by `operator1-diy`.
    video_call: String,
}

/// The name of the fixture's evidence picture (the passport photo stands in for a call's still).
fn pasfoto_digest() -> String {
    siaga_domain::evidence::ContentDigest::of(PASFOTO).to_string()
}

fn polda_json(code: &str) -> Value {
    serde_json::to_value(code.parse::<siaga_domain::PoldaId>().unwrap()).unwrap()
}

async fn fixture() -> Fixture {
    let server = Server::start(Db::Sqlite).await;
    let mut principals = Vec::new();
    for role in Role::PRINCIPALS.into_iter().filter(|r| *r != Role::Kiosk) {
        for (place, polda) in [
            (Place::Diy, Some("diy")),
            (Place::Other, Some("metro_jaya")),
            (Place::National, None),
        ] {
            let name = format!("{}-{}", role.code(), polda.unwrap_or("national"));
            let client = server.login_as(&name, role, polda).await;
            principals.push(Principal {
                secret: None,
                role: role.code(),
                place,
                name,
                client,
            });
        }
    }
    let national_admin = principals
        .iter()
        .find(|p| p.role == "admin" && p.place == Place::National)
        .unwrap()
        .client
        .clone();
    let mut kiosk_secret = String::new();
    for (id, polda, place) in [
        ("kiosk-diy", "diy", Place::Diy),
        ("kiosk-metro", "metro_jaya", Place::Other),
    ] {
        let (status, creds) = national_admin
            .post(
                "/v1/kiosks",
                &json!({"kioskId": id, "station": id, "polda": polda, "lat": -7.79, "lon": 110.37}),
            )
            .await;
        assert_eq!(status, 201, "{creds}");
        let secret = creds["secret"].as_str().unwrap().to_owned();
        let (_, pair) = server
            .anonymous()
            .post("/v1/auth/kiosk", &json!({"kioskId": id, "secret": secret}))
            .await;
        let client = server
            .anonymous()
            .with_token(pair["accessToken"].as_str().unwrap());
        principals.push(Principal {
            secret: Some(secret.clone()),
            role: "kiosk",
            place,
            name: id.to_owned(),
            client,
        });
        if place == Place::Diy {
            kiosk_secret = secret;
        }
    }
    let package = b"the fixture's desk package".to_vec();
    let release = siaga_update::Manifest {
        version: FIXTURE_RELEASE.into(),
        platform: "linux-x86_64-deb".into(),
        package: format!("siaga-110_{FIXTURE_RELEASE}_amd64.deb"),
        size: package.len() as u64,
        sha256: siaga_update::package_digest(&package),
        notes_id: "Uji".into(),
        notes_en: "Test".into(),
    };
    let signed = siaga_update::sign(&release, &siaga_update::SigningKey::from_bytes(&[9; 32]));
    siaga_central::updates::add_release(&server.state.store, &signed, &package)
        .await
        .unwrap();
    let op1 = principals
        .iter()
        .find(|p| p.role == "operator1" && p.place == Place::Diy)
        .unwrap();
    let incident = Uuid::now_v7().to_string();
    let event = Uuid::now_v7().to_string();
    let (status, body) = op1
        .client
        .post("/v1/events", &json!({"eventId": event, "incidentId": incident, "polda": polda_json("diy"), "event": {
            "id": event, "incidentId": incident, "at": "2026-11-29T08:00:00Z", "actor": {"id": op1.name, "role": "operator1"},
            "change": {"type": "received", "channel": {"kind": "call110"}, "callerNumber": FIXTURE_CALLER,
            "description": "tes", "polda": polda_json("diy")}}}))
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = op1
        .client
        .post(
            "/v1/audit/desk-heads",
            &json!({"deskId": FIXTURE_DESK, "seq": 1, "hash": FIXTURE_DESK_HEAD}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = op1
        .client
        .post(
            &format!("/v1/incidents/{incident}/video-calls"),
            &json!({"offer": SDP}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let video_call = body["callId"].as_str().unwrap().to_owned();
    let (status, body) = op1
        .client
        .send(
            "PUT",
            &format!("/v1/incidents/{incident}/evidence/{}", pasfoto_digest()),
            Some(("image/jpeg", PASFOTO.to_vec())),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let call = Uuid::now_v7().to_string();
    let (status, body) = op1
        .client
        .post(
            "/v1/calls",
            &json!({"callId": call, "dialed": "110", "polda": "diy"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let client_of = |name: &str| principals.iter().find(|p| p.name == name).unwrap().client.clone();
    let (app, spkt, supervisor) = (
        client_of("app-diy"),
        client_of("spkt_officer-diy"),
        client_of("supervisor-diy"),
    );
    let service_request = Uuid::now_v7().to_string();
    let (status, body) = app
        .post(
            "/v1/services/requests",
            &skck_submission(&service_request, 1, "warga"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let letter_request = Uuid::now_v7().to_string();
    let (status, body) = app
        .post(
            "/v1/services/requests",
            &loss_submission(&letter_request, 2, "warga"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let path = format!("/v1/services/requests/{letter_request}/actions");
    for (client, body) in [
        (&spkt, json!({"action": "start_review"})),
        (&spkt, json!({"action": "validate"})),
        (&supervisor, json!({"action": "approve"})),
        (
            &spkt,
            json!({"action": "issue", "officer": {"name": "Budi Santoso", "rank": "AKP", "nrp": "78051234"}}),
        ),
    ] {
        let (status, answer) = client.post(&path, &body).await;
        assert_eq!(status, 200, "{body}: {answer}");
    }
    // A citizen's own request from the web page, issued, for the public routes' probes.
    let web_request = Uuid::now_v7().to_string();
    let mut web = loss_submission(&web_request, 3, "unused");
    web["receipt"] = json!(WEB_RECEIPT);
    web.as_object_mut().unwrap().remove("citizenRef");
    let (status, body) = server
        .anonymous()
        .post("/v1/public/services/requests", &web)
        .await;
    assert_eq!(status, 201, "{body}");
    let path = format!("/v1/services/requests/{web_request}/actions");
    for (client, body) in [
        (&spkt, json!({"action": "start_review"})),
        (&spkt, json!({"action": "validate"})),
        (&supervisor, json!({"action": "approve"})),
        (
            &spkt,
            json!({"action": "issue", "officer": {"name": "Budi Santoso", "rank": "AKP", "nrp": "78051234"}}),
        ),
    ] {
        let (status, answer) = client.post(&path, &body).await;
        assert_eq!(status, 200, "{body}: {answer}");
    }
    let (_, issued) = spkt.get(&format!("/v1/services/requests/{letter_request}")).await;
    let url = issued["letter"]["verifyUrl"].as_str().unwrap();
    let letter_route = url[url.find("/v1/").unwrap()..].to_owned();
    Fixture {
        server,
        principals,
        national_admin,
        incident,
        event,
        call,
        kiosk_secret,
        service_request,
        letter_request,
        letter_route,
        web_request,
        video_call,
    }
}

/// The request a route gets in the matrix, touching DIY data, and a marker that a visible answer holds.
struct Probe {
    method: &'static str,
    path: String,
    body: Option<Value>,
    /// A body that is not JSON or XML (a picture), with its media type.
    bytes: Option<(&'static str, Vec<u8>)>,
    marker: Option<String>,
    client: Client,
}

async fn probe(fx: &Fixture, method: &'static str, path: &'static str, caller: Option<&Principal>) -> Probe {
    let anonymous = fx.server.anonymous();
    let client = caller.map_or(anonymous.clone(), |p| p.client.clone());
    let (name, role) = caller.map_or(("nobody".to_owned(), "operator1"), |p| (p.name.clone(), p.role));
    let unique = Uuid::now_v7().simple().to_string()[20..].to_owned();
    let mut probe = Probe {
        method,
        path: path.to_owned(),
        body: None,
        bytes: None,
        marker: None,
        client,
    };
    match (method, path) {
        ("POST", "/v1/auth/login") => {
            probe.body = Some(json!({"username": "operator1-diy", "password": PASSWORD}));
        }
        ("POST", "/v1/auth/refresh") => {
            let (_, pair) = anonymous
                .post(
                    "/v1/auth/login",
                    &json!({"username": "operator1-diy", "password": PASSWORD}),
                )
                .await;
            probe.body = Some(json!({"refreshToken": pair["refreshToken"]}));
        }
        ("POST", "/v1/auth/kiosk") => {
            probe.body = Some(json!({"kioskId": "kiosk-diy", "secret": fx.kiosk_secret}));
        }
        ("POST", "/v1/auth/logout") => {
            // A throwaway session, so the matrix keeps its own tokens.
            if let Some(p) = caller {
                let (_, pair) = match &p.secret {
                    Some(secret) => {
                        anonymous
                            .post("/v1/auth/kiosk", &json!({"kioskId": p.name, "secret": secret}))
                            .await
                    }
                    None => {
                        anonymous
                            .post(
                                "/v1/auth/login",
                                &json!({"username": p.name, "password": PASSWORD}),
                            )
                            .await
                    }
                };
                probe.client = anonymous.with_token(pair["accessToken"].as_str().unwrap());
            }
        }
        ("GET", "/v1/users") => probe.marker = Some("operator1-diy".into()),
        ("POST", "/v1/users") => {
            probe.body = Some(
                json!({"username": format!("u{unique}"), "password": PASSWORD, "role": "analyst", "polda": "diy"}),
            );
        }
        ("POST", "/v1/events") => {
            let id = Uuid::now_v7().to_string();
            probe.body = Some(
                json!({"eventId": id, "incidentId": fx.incident, "polda": polda_json("diy"), "event": {
                "id": id, "incidentId": fx.incident, "at": "2026-11-29T08:05:00Z",
                "actor": {"id": name, "role": role}, "change": {"type": "note_added", "text": "cek"}}}),
            );
        }
        ("GET", "/v1/events/{event_id}") => probe.path = format!("/v1/events/{}", fx.event),
        ("GET", "/v1/incidents") => {
            probe.path = "/v1/incidents?polda=diy".into();
            probe.marker = Some(fx.incident.clone());
        }
        ("GET", "/v1/incidents/{incident_id}") => probe.path = format!("/v1/incidents/{}", fx.incident),
        ("GET", "/v1/incidents/{incident_id}/events") => {
            probe.path = format!("/v1/incidents/{}/events", fx.incident);
        }
        ("GET", "/v1/feed") => {
            probe.path = "/v1/feed?polda=diy".into();
            probe.marker = Some(fx.incident.clone());
        }
        ("GET", "/v1/sync/snapshot") => {
            probe.path = "/v1/sync/snapshot?polda=diy".into();
            probe.marker = Some(fx.incident.clone());
        }
        ("GET", "/v1/kiosks") => probe.marker = Some("kiosk-diy".into()),
        ("POST", "/v1/kiosks") => {
            probe.body = Some(
                json!({"kioskId": format!("k{unique}"), "station": "Tugu", "polda": "diy", "lat": -7.79, "lon": 110.37}),
            );
        }
        ("POST", "/v1/kiosks/{kiosk_id}/heartbeat") => {
            probe.path = "/v1/kiosks/kiosk-diy/heartbeat".into();
            probe.body = Some(json!({"status": "ok"}));
        }
        ("POST", "/v1/kiosks/{kiosk_id}/alerts") => {
            probe.path = "/v1/kiosks/kiosk-diy/alerts".into();
            probe.body = Some(Value::String(kiosk_alert_xml(
                "kiosk-diy",
                &unique,
                None,
                -7.789,
                110.363,
            )));
        }
        ("GET", "/v1/routing") => probe.marker = Some("112".into()),
        ("PUT", "/v1/routing/{number}") => {
            probe.path = "/v1/routing/7777".into();
            probe.body = Some(json!({"number": "7777", "description": "test line", "forwardTo110": true}));
        }
        ("DELETE", "/v1/routing/{number}") => {
            let entry = json!({"number": "7778", "description": "test line", "forwardTo110": true});
            assert_eq!(fx.national_admin.put("/v1/routing/7778", &entry).await.0, 200);
            probe.path = "/v1/routing/7778".into();
        }
        ("POST", "/v1/calls") => {
            probe.body = Some(json!({"callId": Uuid::now_v7().to_string(), "dialed": "110", "polda": "diy"}));
        }
        ("GET", "/v1/calls") => probe.marker = Some(fx.call.clone()),
        ("POST", "/v1/callers/history") => {
            probe.body = Some(json!({"number": FIXTURE_CALLER}));
            probe.marker = Some(fx.incident.clone());
        }
        ("POST", "/v1/services/requests") => {
            let serial = u16::from_str_radix(&unique[8..], 16).unwrap() % 9000 + 100;
            probe.body = Some(skck_submission(&Uuid::now_v7().to_string(), serial, "warga"));
        }
        ("GET", "/v1/services/requests") => {
            probe.path = "/v1/services/requests?citizen=warga".into();
            if role != "app" {
                probe.path = "/v1/services/requests?polda=diy".into();
            }
            probe.marker = Some(fx.service_request.clone());
        }
        ("GET", "/v1/services/requests/{request_id}") => {
            probe.path = format!("/v1/services/requests/{}", fx.service_request);
        }
        ("POST", "/v1/services/requests/{request_id}/actions") => {
            probe.path = format!("/v1/services/requests/{}/actions", fx.service_request);
            probe.body = Some(json!({"action": "start_review"}));
        }
        ("GET", "/v1/services/requests/{request_id}/photo") => {
            probe.path = format!("/v1/services/requests/{}/photo", fx.service_request);
        }
        ("POST", "/v1/services/requests/{request_id}/nik") => {
            probe.path = format!("/v1/services/requests/{}/nik", fx.service_request);
            probe.marker = Some("\"nik\"".into());
        }
        ("GET", "/v1/services/requests/{request_id}/letter") => {
            probe.path = format!("/v1/services/requests/{}/letter", fx.letter_request);
        }
        ("GET", "/v1/services/counts") => probe.path = "/v1/services/counts?polda=diy".into(),
        ("GET", "/v1/audit") => {
            probe.path = "/v1/audit?chain=diy".into();
            probe.marker = Some("\"chain\":\"diy\"".into());
        }
        ("POST", "/v1/audit/desk-heads") => {
            // The DIY desk's signed head again: answered with its signature, to DIY and national accounts.
            probe.body = Some(json!({"deskId": FIXTURE_DESK, "seq": 1, "hash": FIXTURE_DESK_HEAD}));
            probe.marker = Some(format!("desk:{FIXTURE_DESK}"));
        }
        ("POST", "/v1/incidents/{incident_id}/video-calls") => {
            probe.path = format!("/v1/incidents/{}/video-calls", fx.incident);
            probe.body = Some(json!({"offer": SDP}));
        }
        ("POST", "/v1/incidents/{incident_id}/video-call-requests") => {
            // The fixture's incident has a call in progress: the request is refused by the rules (409), never for
            // who asks.
            probe.path = format!("/v1/incidents/{}/video-call-requests", fx.incident);
        }
        ("POST", "/v1/video-calls/{call_id}/offer") => {
            probe.path = format!("/v1/video-calls/{}/offer", fx.video_call);
            probe.body = Some(json!({"offer": SDP}));
        }
        ("GET", "/v1/video-calls") => probe.marker = Some(fx.video_call.clone()),
        ("GET", "/v1/video-calls/{call_id}") => {
            probe.path = format!("/v1/video-calls/{}", fx.video_call);
        }
        ("POST", "/v1/video-calls/{call_id}/answer") => {
            // The first answer moves the call; later ones are refused by its rules (409), never for who calls.
            probe.path = format!("/v1/video-calls/{}/answer", fx.video_call);
            probe.body = Some(json!({"answer": SDP}));
        }
        ("POST", "/v1/video-calls/{call_id}/state") => {
            probe.path = format!("/v1/video-calls/{}/state", fx.video_call);
            probe.body = Some(json!({"state": "connected"}));
        }
        ("PUT", "/v1/incidents/{incident_id}/evidence/{sha256}") => {
            // The fixture's picture again: a repeat (200) for whoever may keep it.
            probe.path = format!("/v1/incidents/{}/evidence/{}", fx.incident, pasfoto_digest());
            probe.bytes = Some(("image/jpeg", PASFOTO.to_vec()));
        }
        ("GET", "/v1/incidents/{incident_id}/evidence/{sha256}") => {
            probe.path = format!("/v1/incidents/{}/evidence/{}", fx.incident, pasfoto_digest());
        }
        ("GET", "/v1/updates/{platform}") => {
            probe.path = "/v1/updates/linux-x86_64-deb".into();
            probe.marker = Some(format!("\"version\":\"{FIXTURE_RELEASE}\""));
        }
        ("GET", "/v1/updates/{platform}/{version}/package") => {
            probe.path = format!("/v1/updates/linux-x86_64-deb/{FIXTURE_RELEASE}/package");
        }
        ("GET", "/v1/letters/{letter_id}/verify") => probe.path = fx.letter_route.clone(),
        ("POST", "/v1/public/services/requests") => {
            // The same submission each time: the first stores it, the rest are answered as repeats (or
            // held to the address's rate, 429), never refused for who calls.
            let mut web = loss_submission("7d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", 4, "unused");
            web["receipt"] = json!(WEB_RECEIPT);
            web.as_object_mut().unwrap().remove("citizenRef");
            probe.body = Some(web);
        }
        ("POST", "/v1/public/reports") => {
            // The same report each time: the first stores it, the rest are repeats (or held to the rate).
            probe.body = Some(json!({
                "reportId": "0192f0c2-7d3c-7a2b-8e5f-4a6b8c7d9e0f", "receipt": WEB_RECEIPT,
                "description": "Copet di halte", "polda": "diy", "lat": -7.79, "lon": 110.37
            }));
        }
        ("POST", "/v1/public/video-call") => {
            probe.body =
                Some(json!({"incidentId": "0192f0c2-7d3c-7a2b-8e5f-4a6b8c7d9e0f", "receipt": WEB_RECEIPT}));
        }
        ("POST", "/v1/public/services/status" | "/v1/public/services/letter") => {
            probe.body = Some(json!({"requestId": fx.web_request, "receipt": WEB_RECEIPT}));
        }
        _ => {}
    }
    probe
}

async fn send(probe: &Probe) -> (u16, Value) {
    if let Some((media_type, bytes)) = &probe.bytes {
        return probe
            .client
            .send(probe.method, &probe.path, Some((media_type, bytes.clone())))
            .await;
    }
    match &probe.body {
        None => probe.client.send(probe.method, &probe.path, None).await,
        Some(Value::String(xml)) => {
            probe
                .client
                .send(
                    probe.method,
                    &probe.path,
                    Some(("application/xml", xml.clone().into_bytes())),
                )
                .await
        }
        Some(body) => {
            probe
                .client
                .send(
                    probe.method,
                    &probe.path,
                    Some(("application/json", body.to_string().into_bytes())),
                )
                .await
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_role_and_polda_gets_what_the_rules_say() {
    let fx = fixture().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for &(method, path, roles, scope) in EXPECTED {
        // Anonymous first.
        let p = probe(&fx, method, path, None).await;
        let (status, body) = send(&p).await;
        let public = roles.is_empty();
        if public == (status == 401) || (!public && body["error"] != "missing_token") {
            failures.push(format!("anonymous {method} {path}: {status} {body}"));
        }
        checked += 1;
        for principal in &fx.principals {
            let p = probe(&fx, method, path, Some(principal)).await;
            let (status, body) = send(&p).await;
            checked += 1;
            let text = body.to_string();
            let role_passes = public || roles.contains(&principal.role);
            let verdict = if !role_passes {
                status == 403 && body["error"] == "forbidden"
            } else {
                let allowed = !matches!(status, 401 | 403 | 404) && status < 500;
                let sees = |visible: bool| match &p.marker {
                    Some(marker) if status == 200 => text.contains(marker.as_str()) == visible,
                    _ => true,
                };
                let hidden = matches!(status, 403 | 404)
                    || (status == 200 && p.marker.as_ref().is_some_and(|m| !text.contains(m.as_str())));
                match (scope, principal.place) {
                    (Scope::Any, _) => allowed,
                    (Scope::Polda, Place::Diy | Place::National) => allowed && sees(true),
                    (Scope::Polda, Place::Other) => hidden,
                    (Scope::National, Place::National) => allowed,
                    (Scope::National, _) => status == 403,
                    (Scope::OwnKiosk, Place::Diy) => allowed,
                    (Scope::OwnKiosk, _) => status == 403,
                    (Scope::Submitter, place) if principal.role == "app" => {
                        if place == Place::Diy {
                            allowed && sees(true)
                        } else {
                            hidden
                        }
                    }
                    (Scope::Submitter, Place::Diy | Place::National) => allowed && sees(true),
                    (Scope::Submitter, Place::Other) => hidden,
                }
            };
            if !verdict {
                failures.push(format!(
                    "{} ({:?}) {method} {}: {status} {text:.200}",
                    principal.name, principal.place, p.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > EXPECTED.len() * 20);
}
