//! Citizen services through the real HTTP API, on SQLite and on a throwaway PostgreSQL: the 110 app
//! submits, officers of the issuing Polda review and issue, the letter is a signed PDF that verifies
//! against the published keys and through its QR code's URL, revocation shows, bad submissions are
//! refused whole with nothing stored, concurrent issuing never repeats or skips a number, and a rotated
//! key still verifies the letters it signed.

use serde_json::{json, Value};
use siaga_contract_tests::{loss_submission, skck_submission, Client, Db, Server};
use siaga_domain::Role;
use siaga_letter::{verify_pdf, PublicKey};
use uuid::Uuid;

/// 4 December 2026, 10:00 WIB: letters are dated by this fixed clock.
const NOW_MS: i64 = 1_796_353_200_000;
const PUBLIC_URL: &str = "https://110.polda-diy.example";

async fn server(db: Db) -> Server {
    let (url, dir) = siaga_contract_tests::fresh_database(db);
    Server::start_on(url, dir, |mut state| {
        state.services.fixed_now_ms = Some(NOW_MS);
        state.services.public_url = PUBLIC_URL.into();
        state
    })
    .await
}

struct People {
    app: Client,
    spkt: Client,
    supervisor: Client,
    analyst: Client,
    spkt_metro: Client,
    app_metro: Client,
}

async fn people(server: &Server) -> People {
    People {
        app: server.login_as("app-diy", Role::App, Some("diy")).await,
        spkt: server.login_as("spkt-diy", Role::SpktOfficer, Some("diy")).await,
        supervisor: server.login_as("sup-diy", Role::Supervisor, Some("diy")).await,
        analyst: server.login_as("analyst-diy", Role::Analyst, Some("diy")).await,
        spkt_metro: server
            .login_as("spkt-metro", Role::SpktOfficer, Some("metro_jaya"))
            .await,
        app_metro: server.login_as("app-metro", Role::App, Some("metro_jaya")).await,
    }
}

async fn act(client: &Client, id: &str, body: Value) -> (u16, Value) {
    client
        .post(&format!("/v1/services/requests/{id}/actions"), &body)
        .await
}

fn officer() -> Value {
    json!({"name": "Budi Santoso", "rank": "AKP", "nrp": "78051234"})
}

async fn keys(server: &Server) -> Vec<PublicKey> {
    let (status, body) = server.anonymous().get("/v1/letters/keys").await;
    assert_eq!(status, 200, "{body}");
    body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| PublicKey::from_hex(key["publicKey"].as_str().unwrap()).unwrap())
        .collect()
}

/// Takes a submitted request through review to its letter; answers the request as issued.
async fn issue(p: &People, id: &str, supervisor_approves: bool) -> Value {
    for action in ["start_review", "validate"] {
        let (status, body) = act(&p.spkt, id, json!({"action": action})).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let approver = if supervisor_approves {
        &p.supervisor
    } else {
        &p.spkt
    };
    let (status, body) = act(approver, id, json!({"action": "approve"})).await;
    assert_eq!(status, 200, "approve: {body}");
    let (status, body) = act(&p.spkt, id, json!({"action": "issue", "officer": officer()})).await;
    assert_eq!(status, 200, "issue: {body}");
    body
}

async fn a_request_goes_from_the_app_to_a_letter_anyone_can_verify(db: Db) {
    let server = server(db).await;
    let p = people(&server).await;
    let id = Uuid::now_v7().to_string();
    let submission = skck_submission(&id, 1, "warga-001");
    let (status, created) = p.app.post("/v1/services/requests", &submission).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["nikCheck"]["sex"], "female");
    assert_eq!(created["nikCheck"]["age"], 36);
    assert_eq!(created["nikCheck"]["birthDate"], "1990-03-12");
    assert_eq!(created["polresName"], "Polresta Yogyakarta");
    assert_eq!(created["hasPhoto"], true);

    // The same submission again is the stored request; another body under the id is a conflict; the
    // same SKCK for the same NIK under a new id is a repeat.
    let (status, again) = p.app.post("/v1/services/requests", &submission).await;
    assert_eq!((status, &again["version"]), (200, &json!(1)), "{again}");
    let mut changed = submission.clone();
    changed["request"]["applicant"]["address"] = json!("Jl. Kaliurang Km 5, Sleman");
    assert_eq!(
        p.app.post("/v1/services/requests", &changed).await.1["error"],
        "id_conflict"
    );
    let repeat = skck_submission(&Uuid::now_v7().to_string(), 1, "warga-001");
    let (status, body) = p.app.post("/v1/services/requests", &repeat).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_requested")),
        "{body}"
    );

    // Who sees it: DIY's officers and the app that sent it; not another Polda, another app, or analysts.
    let path = format!("/v1/services/requests/{id}");
    assert_eq!(p.spkt.get(&path).await.0, 200);
    assert_eq!(p.spkt_metro.get(&path).await.0, 404);
    assert_eq!(p.app_metro.get(&path).await.0, 404);
    assert_eq!(p.analyst.get(&path).await.0, 403);
    let (status, counts) = p.analyst.get("/v1/services/counts").await;
    assert_eq!(status, 200);
    assert_eq!(
        counts["counts"],
        json!([{"kind": "skck", "status": "submitted", "count": 1}])
    );
    let (_, listed) = p.app.get("/v1/services/requests?citizen=warga-001").await;
    assert_eq!(listed["requests"].as_array().unwrap().len(), 1);

    // The NIK: whole to the app whose citizen it is; masked to officers (region digits kept) in the detail and
    // the list, whole only through a reveal, which is recorded in DIY's audit trail.
    let nik = submission["request"]["applicant"]["nik"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(created["request"]["applicant"]["nik"], nik.as_str());
    assert_eq!(listed["requests"][0]["request"]["applicant"]["nik"], nik.as_str());
    let masked = format!("{}{}", &nik[..6], "*".repeat(10));
    let (_, detail) = p.spkt.get(&path).await;
    assert_eq!(detail["request"]["applicant"]["nik"], masked.as_str());
    let (_, queue) = p.spkt.get("/v1/services/requests").await;
    assert_eq!(
        queue["requests"][0]["request"]["applicant"]["nik"],
        masked.as_str()
    );
    let reveal = format!("/v1/services/requests/{id}/nik");
    let (status, revealed) = p.spkt.post(&reveal, &json!({})).await;
    assert_eq!(
        (status, revealed["nik"].as_str()),
        (200, Some(nik.as_str())),
        "{revealed}"
    );
    assert_eq!(p.spkt_metro.post(&reveal, &json!({})).await.0, 404);
    assert_eq!(p.app.post(&reveal, &json!({})).await.0, 403);
    assert_eq!(p.analyst.post(&reveal, &json!({})).await.0, 403);
    let reveals: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, subject FROM audit_log WHERE chain = 'diy' AND action = 'nik_reveal'")
            .fetch_all(&server.state.store.pool)
            .await
            .unwrap();
    assert_eq!(reveals, [("spkt-diy".to_owned(), id.clone())]);
    let (_, other_citizen) = p.app.get("/v1/services/requests?citizen=warga-002").await;
    assert_eq!(other_citizen["requests"], json!([]));
    assert_eq!(
        p.app.get("/v1/services/requests").await.1["error"],
        "citizen_required"
    );

    // The flow: an SPKT officer may not approve an SKCK (the reason names who may), steps cannot be
    // skipped, a stale version is refused.
    let (status, body) = act(&p.spkt, &id, json!({"action": "issue", "officer": officer()})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("wrong_status")),
        "{body}"
    );
    let (status, body) = act(
        &p.spkt,
        &id,
        json!({"action": "start_review", "expectedVersion": 1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = act(&p.spkt, &id, json!({"action": "validate", "expectedVersion": 1})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("stale_version")),
        "{body}"
    );
    assert_eq!(act(&p.spkt, &id, json!({"action": "validate"})).await.0, 200);
    let (status, body) = act(&p.spkt, &id, json!({"action": "approve"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("role_not_allowed")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("Supervisor"), "{body}");
    assert_eq!(act(&p.app, &id, json!({"action": "approve"})).await.0, 422);
    assert_eq!(act(&p.supervisor, &id, json!({"action": "approve"})).await.0, 200);
    let (status, body) = act(&p.spkt, &id, json!({"action": "issue"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("officer_required")),
        "{body}"
    );
    let (status, body) = act(
        &p.spkt,
        &id,
        json!({"action": "issue", "officer": {"name": "Budi", "rank": "JENDERAL", "nrp": "1"}}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_officer")),
        "{body}"
    );
    let (status, issued) = act(&p.spkt, &id, json!({"action": "issue", "officer": officer()})).await;
    assert_eq!(status, 200, "{issued}");
    let letter = &issued["letter"];
    assert_eq!(letter["number"], "SKCK/0001/XII/2026/INTELKAM/RES.3471");
    assert_eq!(letter["issuedOn"], "2026-12-04");
    assert_eq!(letter["validUntil"], "2027-06-03");
    let history: Vec<&str> = issued["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        ["submitted", "start_review", "validate", "approve", "issue"]
    );

    // The citizen downloads the letter; it verifies against the published keys.
    let (status, content_type, pdf) = p.app.get_bytes(&format!("{path}/letter")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let verified = verify_pdf(&pdf, &keys(&server).await).unwrap();
    assert_eq!(verified.key_id, letter["keyId"].as_str().unwrap());
    assert!(verified
        .fields
        .contains(&("number".into(), "SKCK/0001/XII/2026/INTELKAM/RES.3471".into())));

    // Its QR code's URL, as an employer's phone opens it.
    let url = letter["verifyUrl"].as_str().unwrap();
    let route = url.strip_prefix(PUBLIC_URL).unwrap();
    let (status, answer) = server.anonymous().get(route).await;
    assert_eq!(status, 200);
    assert_eq!(answer["verdict"], "valid", "{answer}");
    assert_eq!(answer["holderName"], "Siti Rahayu Ningsih");
    assert_eq!(answer["nikMasked"], "347105**********");
    let (_, content_type, html) = server.anonymous().get_accepting(route, "text/html").await;
    assert!(content_type.starts_with("text/html"));
    assert!(
        html.contains("data-verdict=\"valid\"") && html.contains("SAH"),
        "{html}"
    );
    // The digest's last hex digit changed (to another digit, whatever it was).
    let last = if route.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &route[..route.len() - 1]);
    assert_eq!(server.anonymous().get(&forged).await.1["verdict"], "tampered");
    let no_digest = route.split('?').next().unwrap();
    assert_eq!(server.anonymous().get(no_digest).await.1["verdict"], "tampered");
    let unknown = format!("/v1/letters/{}/verify?d=00", Uuid::now_v7());
    assert_eq!(server.anonymous().get(&unknown).await.1["verdict"], "unknown");
    assert_eq!(
        server.anonymous().get("/v1/letters/'%20OR%201=1/verify").await.1["verdict"],
        "unknown"
    );

    // Revoked: the route says so, the app no longer hands it out, officers still can.
    let (status, body) = act(&p.supervisor, &id, json!({"action": "revoke"})).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("reason_missing")));
    let (status, body) = act(
        &p.supervisor,
        &id,
        json!({"action": "revoke", "reason": "record_found", "note": "putusan pengadilan 2026"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.anonymous().get(route).await.1["verdict"], "revoked");
    assert_eq!(p.app.get_bytes(&format!("{path}/letter")).await.0, 410);
    assert_eq!(p.spkt.get_bytes(&format!("{path}/letter")).await.0, 200);

    // Every view of the documents was recorded, by whom.
    let views: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, what FROM document_view WHERE request_id = $1 ORDER BY at_ms, id")
            .bind(&id)
            .fetch_all(&server.state.store.pool)
            .await
            .unwrap();
    for expected in [
        ("spkt-diy", "detail"),
        ("app-diy", "letter"),
        ("spkt-diy", "letter"),
        ("app-diy", "list"),
    ] {
        assert!(
            views.iter().any(|(a, w)| a == expected.0 && w == expected.1),
            "{expected:?} not in {views:?}"
        );
    }
    assert!(!views.iter().any(|(a, _)| a == "spkt-metro" || a == "analyst-diy"));
}

async fn bad_submissions_are_refused_whole_and_nothing_is_stored(db: Db) {
    let server = server(db).await;
    let p = people(&server).await;
    let submit = |body: Value| {
        let app = p.app.clone();
        async move { app.post("/v1/services/requests", &body).await }
    };
    let codes = |body: &Value| -> Vec<String> {
        body["problems"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|p| p["code"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let id = || Uuid::now_v7().to_string();

    let mut wrong_nik = skck_submission(&id(), 1, "w1");
    wrong_nik["request"]["applicant"]["nik"] = json!("3471055203");
    wrong_nik["request"]["applicant"]["fullName"] = json!("<script>alert(1)</script>");
    let (status, body) = submit(wrong_nik).await;
    assert_eq!(status, 422);
    assert_eq!(codes(&body), ["nik_invalid", "not_a_name"], "{body}");
    assert!(
        body["problems"][0]["messageId"].as_str().unwrap().contains("16"),
        "{body}"
    );

    let mut contradicts = skck_submission(&id(), 2, "w1");
    contradicts["request"]["applicant"]["birthDate"] = json!("1990-12-03");
    assert_eq!(
        codes(&submit(contradicts).await.1),
        ["birth_date_contradicts_nik"]
    );

    let mut no_photo = skck_submission(&id(), 3, "w1");
    no_photo.as_object_mut().unwrap().remove("photoJpegBase64");
    assert_eq!(codes(&submit(no_photo).await.1), ["photo_missing"]);

    let mut png = skck_submission(&id(), 4, "w1");
    png["photoJpegBase64"] = json!(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    );
    assert_eq!(codes(&submit(png).await.1), ["photo_not_jpeg"]);

    let mut not_base64 = skck_submission(&id(), 5, "w1");
    not_base64["photoJpegBase64"] = json!("!!!! not base64 ????");
    assert_eq!(codes(&submit(not_base64).await.1), ["photo_not_jpeg"]);

    let mut heavy = skck_submission(&id(), 6, "w1");
    heavy["photoJpegBase64"] = json!("A".repeat(2_900_000));
    assert_eq!(codes(&submit(heavy).await.1), ["photo_too_large"]);

    let mut too_big = skck_submission(&id(), 7, "w1");
    too_big["photoJpegBase64"] = json!("A".repeat(3_300_000));
    assert_eq!(submit(too_big).await.0, 413);

    let mut unknown_field = skck_submission(&id(), 8, "w1");
    unknown_field["request"]["applicant"]["religion"] = json!("-");
    assert_eq!(submit(unknown_field).await.0, 422);

    let mut future_loss = loss_submission(&id(), 9, "w1");
    future_loss["request"]["details"]["lostOn"] = json!("2026-12-05");
    future_loss["request"]["details"]["items"] = json!(["ktp", "ktp"]);
    assert_eq!(
        codes(&submit(future_loss).await.1),
        ["item_repeated", "loss_in_future"]
    );

    let mut elsewhere = loss_submission(&id(), 10, "w1");
    elsewhere["request"]["polres"] = json!("31.71");
    assert_eq!(
        submit(elsewhere).await.0,
        403,
        "the DIY app submits to DIY's Polres only"
    );

    let mut bad_citizen = loss_submission(&id(), 11, "w1");
    bad_citizen["citizenRef"] = json!("../../etc/passwd");
    assert_eq!(submit(bad_citizen).await.1["error"], "invalid_citizen_ref");

    let (_, counts) = p.supervisor.get("/v1/services/counts").await;
    assert_eq!(counts["counts"], json!([]), "nothing half-stored");

    // A loss that needs the office is accepted and says so at once.
    let mut passport = loss_submission(&id(), 12, "w1");
    passport["request"]["details"]["items"] = json!(["passport", "wallet"]);
    let (status, body) = submit(passport).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["flags"][0]["flag"], "office_visit_needed");
    assert!(
        body["flagMessages"][0].as_str().unwrap().contains("datang"),
        "{body}"
    );
}

async fn concurrent_issuing_neither_repeats_nor_skips_a_number(db: Db) {
    let server = server(db).await;
    let p = people(&server).await;
    let spkt2 = server.login_as("spkt2-diy", Role::SpktOfficer, Some("diy")).await;
    let mut ids = Vec::new();
    for serial in 1..=12u16 {
        let id = Uuid::now_v7().to_string();
        let (status, body) = p
            .app
            .post("/v1/services/requests", &loss_submission(&id, serial, "w"))
            .await;
        assert_eq!(status, 201, "{body}");
        for action in ["start_review", "validate", "approve"] {
            assert_eq!(act(&p.spkt, &id, json!({"action": action})).await.0, 200);
        }
        ids.push(id);
    }
    let issuing = ids.iter().enumerate().map(|(i, id)| {
        let officer_client = if i % 2 == 0 { p.spkt.clone() } else { spkt2.clone() };
        let id = id.clone();
        async move {
            act(
                &officer_client,
                &id,
                json!({"action": "issue", "officer": officer()}),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(issuing).await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            body["letter"]["number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=12)
        .map(|n| format!("STPLK/{n:04}/XII/2026/SPKT/RES.3471"))
        .collect();
    assert_eq!(numbers, expected);
    // Issuing twice is refused; the number is not spent.
    assert_eq!(
        act(&p.spkt, &ids[0], json!({"action": "issue", "officer": officer()}))
            .await
            .0,
        422
    );
    let one_more = Uuid::now_v7().to_string();
    p.app
        .post("/v1/services/requests", &loss_submission(&one_more, 13, "w"))
        .await;
    let body = issue(&p, &one_more, false).await;
    assert_eq!(body["letter"]["number"], "STPLK/0013/XII/2026/SPKT/RES.3471");
}

/// Two central replicas on one PostgreSQL, two desks' officers issuing at once through both: one series.
async fn two_replicas_issuing_at_once_share_one_series() {
    let (url, dir) = siaga_contract_tests::fresh_database(Db::Postgres);
    let adjust = |mut state: siaga_central::AppState| {
        state.services.fixed_now_ms = Some(NOW_MS);
        state.services.public_url = PUBLIC_URL.into();
        state
    };
    let first = Server::start_on(url.clone(), dir, adjust).await;
    let second = Server::start_on(url, None, adjust).await;
    let p = people(&first).await;
    first.account("spkt2-diy", Role::SpktOfficer, Some("diy")).await;
    let other_desk = second.login("spkt2-diy").await;
    let mut ids = Vec::new();
    for serial in 1..=16u16 {
        let id = Uuid::now_v7().to_string();
        let (status, body) = p
            .app
            .post("/v1/services/requests", &loss_submission(&id, serial, "w"))
            .await;
        assert_eq!(status, 201, "{body}");
        for action in ["start_review", "validate", "approve"] {
            assert_eq!(act(&p.spkt, &id, json!({"action": action})).await.0, 200);
        }
        ids.push(id);
    }
    let issuing = ids.iter().enumerate().map(|(i, id)| {
        let client = if i % 2 == 0 {
            p.spkt.clone()
        } else {
            other_desk.clone()
        };
        let id = id.clone();
        async move { act(&client, &id, json!({"action": "issue", "officer": officer()})).await }
    });
    let mut numbers: Vec<String> = futures_util::future::join_all(issuing)
        .await
        .into_iter()
        .map(|(status, body)| {
            assert_eq!(status, 200, "{body}");
            body["letter"]["number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=16)
        .map(|n| format!("STPLK/{n:04}/XII/2026/SPKT/RES.3471"))
        .collect();
    assert_eq!(numbers, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_replicas_issuing_at_once_share_one_series() {
    two_replicas_issuing_at_once_share_one_series().await;
}

async fn a_rotated_key_still_verifies_the_letters_it_signed(db: Db) {
    let server = server(db).await;
    let p = people(&server).await;
    let first = Uuid::now_v7().to_string();
    p.app
        .post("/v1/services/requests", &loss_submission(&first, 1, "w"))
        .await;
    let before = issue(&p, &first, false).await;
    let new_key = siaga_central::services::letters::rotate_key(&server.state.store)
        .await
        .unwrap();
    let second = Uuid::now_v7().to_string();
    p.app
        .post("/v1/services/requests", &skck_submission(&second, 2, "w"))
        .await;
    let after = issue(&p, &second, true).await;
    assert_ne!(before["letter"]["keyId"], after["letter"]["keyId"]);
    assert_eq!(after["letter"]["keyId"], new_key.as_str());
    let (_, listed) = server.anonymous().get("/v1/letters/keys").await;
    let active: Vec<bool> = listed["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["active"].as_bool().unwrap())
        .collect();
    assert_eq!(active, [false, true]);
    let keys = keys(&server).await;
    for id in [&first, &second] {
        let (_, _, pdf) = p
            .spkt
            .get_bytes(&format!("/v1/services/requests/{id}/letter"))
            .await;
        assert!(verify_pdf(&pdf, &keys).is_ok());
        assert!(verify_pdf(&pdf, &keys[..1]).is_ok() != verify_pdf(&pdf, &keys[1..]).is_ok());
    }
}

/// A citizen's request as the web page sends it: the app's submission with the page's receipt.
fn web_submission(id: &str, serial: u16, receipt: &str) -> Value {
    let app = skck_submission(id, serial, "unused");
    json!({"request": app["request"], "receipt": receipt, "photoJpegBase64": app["photoJpegBase64"]})
}

async fn the_citizen_web_page_submits_follows_and_downloads(db: Db) {
    let server = server(db).await;
    let p = people(&server).await;
    let citizen = server.anonymous();

    let (status, headers, _) = citizen.post_for_bytes("/warga", &json!({})).await;
    assert_eq!(status, 405, "the page is read with GET ({headers:?})");
    let page = siaga_tls::client()
        .get(format!("{}/warga", citizen.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Polresta Yogyakarta") && html.contains("Kirim permohonan"));
    assert!(!html.contains("{{FORM_DATA}}"));

    let id = Uuid::now_v7().to_string();
    let receipt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let body = web_submission(&id, 41, receipt);
    let (status, created) = citizen.post("/v1/public/services/requests", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["statusLabel"]["id"], "Diajukan");
    assert_eq!(created["polresName"], "Polresta Yogyakarta");
    assert!(
        !created.to_string().contains("nik"),
        "the citizen's view carries no NIK: {created}"
    );
    let (status, again) = citizen.post("/v1/public/services/requests", &body).await;
    assert_eq!(
        (status, &again["requestId"]),
        (200, &json!(id)),
        "a repeat is the same request"
    );
    let mut other = body.clone();
    other["receipt"] = json!("00000000000000000000000000000001");
    let (status, conflict) = citizen.post("/v1/public/services/requests", &other).await;
    assert_eq!(
        (status, conflict["error"].as_str()),
        (409, Some("id_conflict")),
        "{conflict}"
    );
    let mut bad = web_submission(&Uuid::now_v7().to_string(), 42, receipt);
    bad["request"]["applicant"]["nik"] = json!("3471055203901234567");
    let (status, refused) = citizen.post("/v1/public/services/requests", &bad).await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["problems"][0]["messageId"]
            .as_str()
            .unwrap()
            .contains("NIK"),
        "{refused}"
    );
    let mut short = web_submission(&Uuid::now_v7().to_string(), 43, "0f1e");
    short["receipt"] = json!("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
    assert_eq!(citizen.post("/v1/public/services/requests", &short).await.0, 422);

    // The officers of the Polda see it in their queue, like the app's requests.
    let (status, queue) = p.spkt.get("/v1/services/requests?polda=diy").await;
    assert_eq!(status, 200);
    assert!(queue.to_string().contains(&id), "{queue}");
    let (_, metro) = p.spkt_metro.get("/v1/services/requests").await;
    assert!(!metro.to_string().contains(&id));

    // Followed by id and receipt only; a wrong receipt is as unknown as a wrong id.
    let lookup = json!({"requestId": id, "receipt": receipt});
    let (status, view) = citizen.post("/v1/public/services/status", &lookup).await;
    assert_eq!(
        (status, view["status"].as_str()),
        (200, Some("submitted")),
        "{view}"
    );
    let wrong = json!({"requestId": id, "receipt": "0f1e2d3c4b5a69788796a5b4c3d2e1f1"});
    assert_eq!(citizen.post("/v1/public/services/status", &wrong).await.0, 404);
    let (status, _, _) = citizen
        .post_for_bytes("/v1/public/services/letter", &lookup)
        .await;
    assert_eq!(status, 404, "no letter before it is issued");

    let issued = issue(&p, &id, true).await;
    assert_eq!(issued["status"], "issued");
    let (status, view) = citizen.post("/v1/public/services/status", &lookup).await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "issued");
    assert_eq!(view["statusLabel"]["en"], "Issued");
    assert_eq!(view["letter"]["number"], issued["letter"]["number"]);
    assert!(
        !view.to_string().contains("spkt-diy"),
        "no officer names for the citizen: {view}"
    );
    let (status, headers, pdf) = citizen
        .post_for_bytes("/v1/public/services/letter", &lookup)
        .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    let verified = verify_pdf(&pdf, &keys(&server).await).expect("the downloaded letter verifies");
    assert_eq!(json!(verified.letter_id), issued["letter"]["letterId"]);

    // A rejected request tells the citizen why; a revoked letter can no longer be downloaded.
    let (status, _) = act(
        &p.supervisor,
        &id,
        json!({"action": "revoke", "reason": "record_found", "note": "putusan pengadilan"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, _) = citizen
        .post_for_bytes("/v1/public/services/letter", &lookup)
        .await;
    assert_eq!(status, 410);
    let (_, view) = citizen.post("/v1/public/services/status", &lookup).await;
    assert_eq!(view["letter"]["revoked"], true);
    let revoked = view["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(revoked["status"], "revoked");
    assert!(
        revoked["reason"]["id"].as_str().is_some_and(|r| !r.is_empty()),
        "{revoked}"
    );
}

async fn the_citizen_routes_hold_each_address_to_a_rate(db: Db) {
    let (url, dir) = siaga_contract_tests::fresh_database(db);
    let server = Server::start_on(url, dir, |mut state| {
        state.services.fixed_now_ms = Some(NOW_MS);
        state.web = std::sync::Arc::new(siaga_central::services::web::WebGuard::new(
            siaga_central::services::web::WebLimits {
                submissions: 3,
                lookups: 5,
                window: std::time::Duration::from_secs(3600),
            },
        ));
        state
    })
    .await;
    let citizen = server.anonymous();
    let mut answers = Vec::new();
    for serial in 0..4 {
        let body = web_submission(
            &Uuid::now_v7().to_string(),
            50 + serial,
            "0123456789abcdef0123456789abcdef",
        );
        answers.push(citizen.post("/v1/public/services/requests", &body).await.0);
    }
    assert_eq!(answers, [201, 201, 201, 429]);
    let lookup = json!({"requestId": Uuid::now_v7(), "receipt": "0123456789abcdef0123456789abcdef"});
    let mut answers = Vec::new();
    for _ in 0..6 {
        let (status, headers, _) = citizen
            .post_for_bytes("/v1/public/services/status", &lookup)
            .await;
        answers.push(status);
        if status == 429 {
            let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=3600).contains(&wait), "{wait}");
        }
    }
    assert_eq!(answers, [404, 404, 404, 404, 404, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_citizen_web_page_submits_follows_and_downloads() {
    the_citizen_web_page_submits_follows_and_downloads(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_citizen_web_page_submits_follows_and_downloads() {
    the_citizen_web_page_submits_follows_and_downloads(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_citizen_routes_hold_each_address_to_a_rate() {
    the_citizen_routes_hold_each_address_to_a_rate(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_request_goes_from_the_app_to_a_letter_anyone_can_verify() {
    a_request_goes_from_the_app_to_a_letter_anyone_can_verify(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_request_goes_from_the_app_to_a_letter_anyone_can_verify() {
    a_request_goes_from_the_app_to_a_letter_anyone_can_verify(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_bad_submissions_are_refused_whole_and_nothing_is_stored() {
    bad_submissions_are_refused_whole_and_nothing_is_stored(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_bad_submissions_are_refused_whole_and_nothing_is_stored() {
    bad_submissions_are_refused_whole_and_nothing_is_stored(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_issuing_neither_repeats_nor_skips_a_number() {
    concurrent_issuing_neither_repeats_nor_skips_a_number(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_issuing_neither_repeats_nor_skips_a_number() {
    concurrent_issuing_neither_repeats_nor_skips_a_number(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_rotated_key_still_verifies_the_letters_it_signed() {
    a_rotated_key_still_verifies_the_letters_it_signed(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_rotated_key_still_verifies_the_letters_it_signed() {
    a_rotated_key_still_verifies_the_letters_it_signed(Db::Postgres).await;
}
