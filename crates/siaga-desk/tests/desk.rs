//! The desk's use cases against a real central on loopback: sign in, report and classify an incident,
//! keep working while the central is down, and the errors an operator reads.

use siaga_central::auth::create_user;
use siaga_central::{app, AppState};
use siaga_desk::{Desk, DeskConfig, DeskError, IncidentDraft};
use siaga_domain::flow::Action;
use siaga_domain::{Category, Channel, GeoPoint, IncidentChange, IncidentStatus, Language, Location, Role};
use siaga_ipc::EventStanding;
use siaga_sync::Link;
use std::net::SocketAddr;
use std::time::Duration;

const PASSWORD: &str = "kata sandi yang panjang";

async fn start_central(dir: &std::path::Path) -> (SocketAddr, AppState, tokio::task::JoinHandle<()>) {
    let url = format!("sqlite:{}", dir.join("central.db").display());
    let state = AppState::new(siaga_central::store::Store::open(&url).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    for (name, role) in [
        ("budi", Role::Operator1),
        ("sari", Role::Analyst),
        ("rina", Role::Supervisor),
    ] {
        create_user(&state.store, name, PASSWORD.into(), role, Some("metro_jaya"))
            .await
            .unwrap();
    }
    (addr, state, task)
}

/// A desk with its store (and its key file) under `dir`, syncing with the central at `addr`.
async fn open_desk(dir: &std::path::Path, addr: SocketAddr) -> Desk {
    Desk::open(&DeskConfig {
        data_dir: dir.join("desk"),
        central_url: format!("http://{addr}"),
        central_trust: siaga_sync::CentralTrust::SystemRoots,
        update_platform: None,
        store_key: siaga_desk::store_key::KeyPlace::Files(dir.join("keys")),
    })
    .await
    .unwrap()
}

/// Waits until the central has confirmed `id` in a state `accept` takes, and answers it. Not "nothing pending":
/// the status can still say so from before the last action (a cold CI run rang a reporter before the central
/// had the incident, and was told 404).
async fn wait_confirmed(
    desk: &Desk,
    id: siaga_domain::IncidentId,
    accept: impl Fn(&siaga_domain::Incident) -> bool,
) -> siaga_domain::Incident {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(confirmed) = desk.store().confirmed_incident(id).await.unwrap() {
            if accept(&confirmed) {
                return confirmed;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the central never confirmed {id} as expected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn draft() -> IncidentDraft {
    IncidentDraft {
        channel: Channel::Call110,
        location: Location::at(GeoPoint::new(-6.2088, 106.8456).unwrap()),
        description: "Tawuran pelajar di Jalan Sudirman".into(),
        category: None,
        caller_number: None,
        reporter: None,
        priority: None,
    }
}

async fn wait_for(desk: &Desk, what: &str, accept: impl Fn(&siaga_sync::SyncStatus) -> bool) {
    let mut status = desk.sync_status();
    let wait = status.wait_for(|s| accept(s));
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("{what}"))
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_reports_and_classifies_and_the_central_gets_both() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _state, task) = start_central(dir.path()).await;
    let desk = open_desk(dir.path(), addr).await;
    let session = desk.sign_in("budi", PASSWORD).await.unwrap();
    assert_eq!(session.operator, "budi");

    let incident = desk.report(draft()).await.unwrap();
    assert_eq!(incident.status, IncidentStatus::Received);
    let classified = desk
        .act(
            incident.id,
            IncidentChange::Classified {
                category: Category::Brawl,
                priority: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(classified.category, Some(Category::Brawl));
    let counts: Vec<(IncidentStatus, u64)> = desk
        .queue_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|q| (q.status, q.count))
        .collect();
    assert_eq!(
        counts,
        vec![
            (IncidentStatus::Received, 0),
            (IncidentStatus::Classified, 1),
            (IncidentStatus::Forwarded, 0),
            (IncidentStatus::HandedToSpkt, 0),
            (IncidentStatus::InProgress, 0),
        ],
        "the queues, in the flow's order"
    );
    let confirmed = wait_confirmed(&desk, incident.id, |i| i.status == IncidentStatus::Classified).await;
    assert_eq!(confirmed.status, IncidentStatus::Classified);
    wait_for(&desk, "nothing left to push", |s| {
        s.link == Link::Online && s.pending == 0
    })
    .await;

    // The central goes away: the operator keeps working; the status bar says offline with 1 waiting.
    task.abort();
    let _ = task.await;
    let note = desk
        .act(
            incident.id,
            IncidentChange::NoteAdded {
                text: "Polsek Tanah Abang dihubungi".into(),
            },
        )
        .await;
    assert!(
        note.is_ok(),
        "an action is accepted with the central down: {note:?}"
    );
    wait_for(&desk, "the desk should notice it is offline", |s| {
        s.link == Link::Offline && s.pending == 1
    })
    .await;
    // The timeline shows the two confirmed events and the note still waiting, in order.
    let timeline = desk.incident_timeline(incident.id).await.unwrap();
    let shown: Vec<(Action, EventStanding)> = timeline
        .iter()
        .map(|entry| (entry.event.change.action(), entry.standing))
        .collect();
    assert_eq!(
        shown,
        vec![
            (Action::Receive, EventStanding::Confirmed),
            (Action::Classify, EventStanding::Confirmed),
            (Action::AddNote, EventStanding::Pending),
        ]
    );
    assert!(matches!(
        desk.incident_timeline(siaga_domain::IncidentId(uuid::Uuid::now_v7()))
            .await,
        Err(DeskError::NotFound)
    ));
    assert_eq!(
        desk.store()
            .incident(incident.id)
            .await
            .unwrap()
            .unwrap()
            .notes
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_read_clear_errors_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _state, _task) = start_central(dir.path()).await;
    let desk = open_desk(dir.path(), addr).await;

    let err = desk.report(draft()).await.unwrap_err();
    assert_eq!(err.message(Language::Id), "Silakan masuk terlebih dahulu.");

    let err = desk.sign_in("budi", "salah").await.unwrap_err();
    assert_eq!(err.code(), "bad_credentials");
    assert_eq!(err.message(Language::Id), "Nama pengguna atau kata sandi salah.");

    desk.sign_in("sari", PASSWORD).await.unwrap();
    let err = desk.report(draft()).await.unwrap_err();
    assert!(matches!(err, DeskError::ReadOnlyRole));
    assert_eq!(err.message(Language::En), "Your role can only view incidents.");

    desk.sign_in("budi", PASSWORD).await.unwrap();
    let incident = desk.report(draft()).await.unwrap();
    // Handing over to the SPKT before classifying is not in the flow (and not operator 1's step).
    let err = desk
        .act(incident.id, IncidentChange::HandedToSpkt { desk: "SPKT".into() })
        .await
        .unwrap_err();
    assert!(!err.message(Language::Id).is_empty());
    assert_ne!(
        err.message(Language::Id),
        err.message(Language::En),
        "the reason is translated"
    );
}

/// A kiosk at MRT Bundaran HI registered at the central (as its Polda admin would) and heard from once.
async fn kiosk_at_bundaran_hi(state: &AppState) -> siaga_central::Caller {
    use axum::extract::{Extension, Path, State};
    use siaga_central::error::JsonBody;
    let admin = siaga_central::Caller {
        name: "admin-metro".into(),
        role: Role::Admin,
        polda: Some("metro_jaya".into()),
    };
    let _credentials = siaga_central::kiosks::register(
        State(state.clone()),
        Extension(admin),
        JsonBody(siaga_api::RegisterKioskRequest {
            kiosk_id: siaga_domain::kiosk::KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
            station: "Bundaran HI".into(),
            polda: siaga_domain::PoldaId::MetroJaya,
            lat: -6.1918,
            lon: 106.8229,
        }),
    )
    .await
    .unwrap();
    let kiosk = siaga_central::Caller {
        name: "KIOSK-MRT-BHI-01".into(),
        role: Role::Kiosk,
        polda: Some("metro_jaya".into()),
    };
    let _state = siaga_central::kiosks::heartbeat(
        State(state.clone()),
        Extension(kiosk.clone()),
        Path("KIOSK-MRT-BHI-01".into()),
        JsonBody(siaga_api::Heartbeat {
            status: siaga_domain::kiosk::KioskHealth::Ok,
            battery_pct: Some(90),
        }),
    )
    .await
    .unwrap();
    kiosk
}

/// A citizen presses the kiosk's button: a CAP 1.2 alert as the kiosk sends it.
async fn press(state: &AppState, kiosk: &siaga_central::Caller, identifier: &str) -> String {
    use axum::extract::{Extension, Path, State};
    let station = siaga_domain::station::station("mrt-bundaran-hi").unwrap();
    let alert = siaga_api::cap::KioskAlert {
        identifier: identifier.into(),
        kiosk: siaga_domain::kiosk::KioskId::parse(&kiosk.name).unwrap(),
        station_id: station.id.into(),
        sent: time::OffsetDateTime::now_utc(),
        status: siaga_api::cap::CapStatus::Actual,
        area: siaga_domain::geo::Circle::new(station.point, 0.0).unwrap(),
        area_description: station.name.into(),
        category: Some(Category::Theft),
        description: Some("Penumpang kecopetan di peron".into()),
    };
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("content-type", "application/xml".parse().unwrap());
    let xml = alert.to_cap().to_xml().unwrap();
    let (_, axum::Json(accepted)) = siaga_central::kiosks::alert(
        State(state.clone()),
        Extension(kiosk.clone()),
        Path(kiosk.name.clone()),
        headers,
        Ok(axum::body::Bytes::from(xml)),
    )
    .await
    .unwrap();
    accepted.incident_id.expect("a real alert becomes an incident")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_alert_lights_the_kiosk_rings_once_and_an_acknowledgement_reaches_the_central() {
    use siaga_domain::kiosk::KioskLight;
    let dir = tempfile::tempdir().unwrap();
    let (addr, state, task) = start_central(dir.path()).await;
    let kiosk = kiosk_at_bundaran_hi(&state).await;
    let desk = open_desk(dir.path(), addr).await;
    let mut notifications = desk.notifications();
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let listed = async {
        loop {
            let kiosks = desk.kiosks(30).await.unwrap();
            if kiosks.first().is_some_and(|k| k.light == KioskLight::Online) {
                return kiosks;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let kiosks = tokio::time::timeout(Duration::from_secs(10), listed)
        .await
        .expect("the kiosk list should arrive from the central");
    assert_eq!(kiosks[0].station, "Bundaran HI");

    let incident = press(&state, &kiosk, "alert-1").await;
    let rung = tokio::time::timeout(Duration::from_secs(5), notifications.recv())
        .await
        .expect("a notification within 5 s")
        .unwrap();
    assert_eq!(rung.kind, siaga_desk::NotificationKind::KioskAlert);
    assert_eq!(rung.title, "Panggilan darurat kios: Bundaran HI");
    assert_eq!(rung.incident_id.to_string(), incident);
    let alerts = desk.open_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].station.as_deref(), Some("Bundaran HI"));
    assert_eq!(desk.kiosks(30).await.unwrap()[0].light, KioskLight::Alerting);

    desk.act(rung.incident_id, IncidentChange::Acknowledged)
        .await
        .unwrap();
    assert!(
        desk.open_alerts().await.unwrap().is_empty(),
        "the banner clears at once"
    );
    let confirmed = async {
        loop {
            let confirmed = desk.store().confirmed_incident(rung.incident_id).await.unwrap();
            if confirmed.is_some_and(|i| i.acknowledged.is_some_and(|a| a.by.id == "budi")) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), confirmed)
        .await
        .expect("the central should confirm budi's acknowledgement");
    assert_eq!(desk.kiosks(30).await.unwrap()[0].light, KioskLight::Online);

    // Signed out, the session ends at the central too: no token of budi's is left there.
    desk.sign_out().await.unwrap();
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tokens WHERE subject = 'budi'")
        .fetch_one(&state.store.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "sign-out ended the session at the central");
    // And the desk rings for nothing, even when an alert lands in its store.
    let second = press(&state, &kiosk, "alert-2").await;
    let supervisor = siaga_central::Caller {
        name: "pengawas".into(),
        role: Role::Supervisor,
        polda: Some("metro_jaya".into()),
    };
    let axum::Json(log) = siaga_central::incidents::incident_events(
        axum::extract::State(state.clone()),
        axum::extract::Extension(supervisor),
        axum::extract::Path(second),
    )
    .await
    .unwrap();
    let log: Vec<siaga_api::sync::EventEnvelope> = serde_json::from_value(log).unwrap();
    let remote: Vec<siaga_store::RemoteEvent> = log
        .into_iter()
        .map(|e| siaga_store::RemoteEvent {
            polda: e.polda,
            seq: e.server_seq.unwrap() as i64,
            event: e.event,
        })
        .collect();
    desk.store()
        .apply_remote(siaga_domain::PoldaId::MetroJaya, &remote, 0)
        .await
        .unwrap();
    assert_eq!(desk.open_alerts().await.unwrap().len(), 1, "the banner shows it");
    let quiet = tokio::time::timeout(Duration::from_secs(2), notifications.recv()).await;
    assert!(quiet.is_err(), "no notification after sign-out: {quiet:?}");
    task.abort();
}

/// The console's desk-side pieces against a real central: the routing table kept for offline intake and
/// a legacy call's channel reaching the central, the supervisor board's figures, and the overdue thresholds
/// (supervisors only, refused whole when out of order, kept across a restart).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_the_board_and_sets_the_overdue_limits_and_legacy_calls_keep_their_number() {
    use siaga_domain::queue::{OverdueThresholds, ThresholdError};
    let dir = tempfile::tempdir().unwrap();
    let (addr, _state, _task) = start_central(dir.path()).await;
    let config = DeskConfig {
        data_dir: dir.path().join("desk"),
        central_url: format!("http://{addr}"),
        central_trust: siaga_sync::CentralTrust::SystemRoots,
        update_platform: None,
        store_key: siaga_desk::store_key::KeyPlace::Files(dir.path().join("keys")),
    };
    let desk = Desk::open(&config).await.unwrap();

    desk.sign_in("budi", PASSWORD).await.unwrap();
    let tight = OverdueThresholds {
        critical_secs: 30,
        ..OverdueThresholds::default()
    };
    let err = desk.set_overdue_thresholds(tight).await.unwrap_err();
    assert_eq!(err.code(), "supervisor_only");
    assert_eq!(
        err.message(Language::Id),
        "Hanya supervisor yang dapat mengubah pengaturan ini."
    );

    desk.sign_in("rina", PASSWORD).await.unwrap();
    let backwards = OverdueThresholds {
        high_secs: 5_000,
        ..OverdueThresholds::default()
    };
    let err = desk.set_overdue_thresholds(backwards).await.unwrap_err();
    assert!(matches!(
        err,
        DeskError::BadThresholds(ThresholdError::OutOfOrder(..))
    ));
    assert_eq!(
        desk.overdue_thresholds().await.unwrap(),
        OverdueThresholds::default()
    );
    assert_eq!(desk.set_overdue_thresholds(tight).await.unwrap(), tight);

    // The routing table arrives with the session and names 112 as forwarded to 110.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let table = loop {
        let table = desk.legacy_numbers().await.unwrap();
        if !table.is_empty() {
            break table;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the routing table never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        table.iter().any(|n| n.number == "112" && n.forwarded),
        "{table:?}"
    );

    let mut legacy = draft();
    legacy.channel = siaga_desk::report_channel(Some("112")).unwrap();
    legacy.caller_number = Some("081277778888".to_owned().try_into().unwrap());
    let incident = desk.report(legacy).await.unwrap();
    // As the central confirmed it (its feed).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let at_central = loop {
        if let Some(confirmed) = desk.store().confirmed_incident(incident.id).await.unwrap() {
            break confirmed;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the central never confirmed the call"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(at_central.channel, Channel::LegacyNumber { dialed: "112".into() });

    // The number's history comes from the central while online; the live call itself is not history.
    wait_for(&desk, "the desk should be online", |s| s.link == Link::Online).await;
    // The desk asks the central for at most CENTRAL_HISTORY_WAIT and answers with its own store after
    // that: on a loaded machine the first answers may be the store's, so wait for the central's.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let (typed, beside) = loop {
        let typed = desk.number_history("0812 7777 8888").await.unwrap();
        let beside = desk.caller_history(incident.id).await.unwrap();
        if (typed.from_central && beside.from_central) || std::time::Instant::now() > deadline {
            break (typed, beside);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!((typed.calls, typed.from_central), (1, true), "{typed:?}");
    assert_eq!((beside.calls, beside.from_central), (0, true), "{beside:?}");

    let board = desk.supervisor_board().await.unwrap();
    let received = &board.stages[0];
    assert_eq!((received.status, received.count), (IncidentStatus::Received, 1));
    assert_eq!(received.oldest, Some(incident.id));
    assert!(board
        .operators
        .iter()
        .any(|o| o.operator.as_deref() == Some("rina") && o.open == 1));
    assert_eq!(board.hours.iter().map(|h| h.calls).sum::<u64>(), 1);
    assert_eq!(board.frequent.len(), 1);
    assert!(board.frequent[0].number.ends_with("81277778888"));

    // The thresholds outlive the desk.
    drop(desk);
    let reopened = Desk::open(&config).await.unwrap();
    assert_eq!(reopened.overdue_thresholds().await.unwrap(), tight);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desks_own_trail_has_its_head_signed_by_the_central_up_to_the_sign_out() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, state, _task) = start_central(dir.path()).await;
    let desk = open_desk(dir.path(), addr).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let store = desk.store().clone();
    let newest_kept = || async {
        let (heads, _) = store.signed_audit_heads().await.unwrap();
        heads.last().map(|h| h.seq)
    };
    for _ in 0..2 {
        desk.report(draft()).await.unwrap();
        // Signed now (or already by the desk's own turn after sign-in): the newest kept head is the trail's head.
        desk.sign_own_audit_head().await.unwrap();
        let (head, _) = store.audit_head().await.unwrap().unwrap();
        assert_eq!(newest_kept().await, Some(head));
        assert_eq!(
            desk.sign_own_audit_head().await.unwrap(),
            None,
            "nothing new to sign"
        );
    }
    let (heads, keys) = store.signed_audit_heads().await.unwrap();
    assert!(heads.len() >= 2, "{heads:?}");
    let desk_id = store.desk_id().await.unwrap();
    assert!(heads.iter().all(|h| h.chain == format!("desk:{desk_id}")));
    assert!(heads.iter().all(|h| keys.iter().any(|k| h.verifies(k))));

    // Sign-out: its entry is the last of the trail, and the central signed it.
    desk.sign_out().await.unwrap();
    let (last, hash) = store.audit_head().await.unwrap().unwrap();
    let (signed_seq, signed_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM desk_audit_head WHERE desk_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(&desk_id)
            .fetch_one(&state.store.pool)
            .await
            .unwrap();
    assert_eq!((signed_seq, signed_hash), (last, hash));
    let entries = store.audit_entries(last - 1, 1).await.unwrap();
    assert_eq!(entries[0].entry.action, "sign_out");
    assert!(store.verify_audit().await.unwrap().is_ok());
    // The central recorded each signature in Metro Jaya's chain.
    let signed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE chain = 'metro_jaya' AND action = 'desk_head_signed'",
    )
    .fetch_one(&state.store.pool)
    .await
    .unwrap();
    assert_eq!(signed as usize, heads.len() + 1);
}

/// Every export made at the desk leaves an entry in its own trail: the analytics results (cells, tables,
/// the map picture) as well as the research export.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analytics_results_export_is_an_entry_of_the_desks_trail() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _state, _task) = start_central(dir.path()).await;
    let desk = open_desk(dir.path(), addr).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    desk.report(draft()).await.unwrap();
    let request = siaga_ipc::ResultsExportRequest {
        analysis: siaga_ipc::AnalyticsRequest {
            category: None,
            period_days: 30,
            cell_m: 500,
            polda: None,
        },
        map_png: String::new(),
        language: Language::Id,
    };
    let written = desk.analytics_results_export(&request).await.unwrap();
    let store = desk.store();
    let (last, _) = store.audit_head().await.unwrap().unwrap();
    let entry = &store.audit_entries(last - 1, 1).await.unwrap()[0].entry;
    assert_eq!(
        (
            entry.action.as_str(),
            entry.subject.as_str(),
            entry.actor.as_str()
        ),
        ("results_export", written.folder.as_str(), "budi")
    );
    assert!(store.verify_audit().await.unwrap().is_ok());
}

/// A still kept in a call (decision 0022): written with its event, uploaded after it, shown on another desk of the
/// Polda (fetched once from the central and checked), refused to an analyst; a picture that is not one is
/// refused with the operator's sentence and records nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_kept_on_one_desk_is_shown_on_another_and_hidden_from_analysts() {
    use siaga_domain::evidence::ContentDigest;
    const STILL: &[u8] = include_bytes!("../../siaga-sim/assets/pasfoto.jpg");
    let dir = tempfile::tempdir().unwrap();
    let (addr, state, _task) = start_central(dir.path()).await;
    let desk = open_desk(dir.path(), addr).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let incident = desk.report(draft()).await.unwrap();

    // Not a picture: refused in the operator's language, nothing recorded.
    let refused = desk
        .keep_snapshot(incident.id, "", b"<svg onload=alert(1)>")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "not_jpeg");
    assert_eq!(refused.message(Language::Id), "Cuplikan bukan gambar JPEG.");
    let refused = siaga_desk::evidence::jpeg_from_data_url("data:image/png;base64,iVBORw0KGgo=").unwrap_err();
    assert_eq!(refused.code(), "not_jpeg");
    assert_eq!(desk.incident_timeline(incident.id).await.unwrap().len(), 1);

    let call = uuid::Uuid::now_v7();
    let digest = desk
        .keep_snapshot(incident.id, &call.to_string(), STILL)
        .await
        .unwrap();
    assert_eq!(digest, ContentDigest::of(STILL));
    let timeline = desk.incident_timeline(incident.id).await.unwrap();
    let Some(IncidentChange::EvidenceAttached {
        sha256,
        width,
        height,
        call: named,
        ..
    }) = timeline.last().map(|entry| &entry.event.change)
    else {
        panic!("the timeline ends with the snapshot: {timeline:?}");
    };
    assert_eq!((sha256, *width, *height, *named), (&digest, 300, 400, Some(call)));

    // The central gets the event and then the picture.
    wait_confirmed(&desk, incident.id, |_| true).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let held: Option<(Vec<u8>,)> = sqlx::query_as("SELECT data FROM evidence WHERE sha256 = $1")
            .bind(digest.as_str())
            .fetch_optional(&state.store.pool)
            .await
            .unwrap();
        if let Some((bytes,)) = held {
            assert_eq!(bytes, STILL);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the central never got the picture"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A supervisor's desk of the Polda shows it: the entry synced, the picture fetched once and kept.
    let other_dir = tempfile::tempdir().unwrap();
    let other = open_desk(other_dir.path(), addr).await;
    other.sign_in("rina", PASSWORD).await.unwrap();
    wait_confirmed(&other, incident.id, |_| true).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !other.incident_timeline(incident.id).await.is_ok_and(|t| {
        t.iter()
            .any(|e| matches!(e.event.change, IncidentChange::EvidenceAttached { .. }))
    }) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the other desk never got the entry"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let shown = other.evidence_picture(incident.id, &digest).await.unwrap();
    assert_eq!(shown.data, STILL);
    assert!(shown.data_url().starts_with("data:image/jpeg;base64,/9j/"));
    assert_eq!(
        other.store().evidence(&digest).await.unwrap().unwrap().data,
        STILL
    );

    // An analyst's desk does not show it.
    let analyst_dir = tempfile::tempdir().unwrap();
    let analyst = open_desk(analyst_dir.path(), addr).await;
    analyst.sign_in("sari", PASSWORD).await.unwrap();
    let hidden = analyst.evidence_picture(incident.id, &digest).await.unwrap_err();
    assert_eq!(hidden.code(), "personal_data_hidden");
}

/// The desk rings an incident's reporter — the simulator's 110 app, a real WebRTC peer sending stamped frames —
/// and every frame reaches the desk's frame stream, still VP8 (decoded here to read the stamps), in order; the
/// call is connected at the central, and hanging up ends it there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_rings_a_reporter_and_receives_the_video_until_it_hangs_up() {
    use siaga_desk::video::CallPhase;
    use siaga_domain::video::CallState;
    let dir = tempfile::tempdir().unwrap();
    let (addr, state, _task) = start_central(dir.path()).await;
    create_user(&state.store, "admin", PASSWORD.into(), Role::Admin, None)
        .await
        .unwrap();
    let mut sim = siaga_sim::Config::new(&format!("http://{addr}"), "admin", PASSWORD);
    sim.start = Some(time::macros::datetime!(2026-03-02 08:00 +07:00));
    sim.rate = 0.1;
    sim.duration = Duration::from_secs(10);
    sim.kiosks = Some(1);
    let reporter = tokio::spawn(siaga_sim::run(sim, |_, _| {}));

    let desk = open_desk(dir.path(), addr).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let incident = desk.report(draft()).await.unwrap();
    wait_confirmed(&desk, incident.id, |_| true).await;
    let mut frames = desk.video_frames();
    let call = desk.ring_reporter(incident.id).await.unwrap();
    let mut phase = desk.call_phase(&call).unwrap();
    tokio::time::timeout(
        Duration::from_secs(15),
        phase.wait_for(|p| *p == CallPhase::Connected),
    )
    .await
    .expect("the reporter answers and media flows")
    .unwrap();
    let mut decoder = siaga_video::vp8::Decoder::new().unwrap();
    let mut voice = siaga_video::opus::Decoder::new().unwrap();
    let (mut numbers, mut heard) = (Vec::new(), Vec::new());
    tokio::time::timeout(Duration::from_secs(10), async {
        // Half a second of the reporter's voice and a second of video.
        while numbers.len() < 15 || heard.len() < 24_000 {
            let frame = frames.recv().await.unwrap();
            assert_eq!(frame.call_id, call);
            match frame.kind {
                siaga_ipc::ChunkKind::Video { .. } => {
                    if let Ok(pictures) = decoder.decode(&frame.data) {
                        numbers.extend(pictures.iter().filter_map(|p| p.stamp()).map(|s| s.frame));
                    }
                }
                siaga_ipc::ChunkKind::Audio => heard.extend(voice.decode(&frame.data).unwrap()),
            }
        }
    })
    .await
    .expect("the reporter's frames and voice arrive");
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    let hz =
        siaga_video::audio::dominant_frequency(&heard[heard.len() - 9600..], siaga_video::audio::SAMPLE_RATE);
    assert!(
        (hz - 440.0).abs() < 5.0,
        "the reporter's test tone, heard at {hz} Hz"
    );
    let kept = desk.call_frames_after(&call, 0);
    assert!(
        !kept.is_empty() && kept.len() <= siaga_desk::video::FRAMES_KEPT,
        "the latest frames are kept for the window: {}",
        kept.len()
    );
    assert!(kept.windows(2).all(|w| w[0].0 + 1 == w[1].0), "numbered in order");
    let calls = desk.video_calls().await.unwrap();
    assert_eq!(calls[0].state, CallState::Connected, "{calls:?}");

    desk.hang_up(&call);
    tokio::time::timeout(
        Duration::from_secs(10),
        phase.wait_for(|p| matches!(p, CallPhase::Ended(..))),
    )
    .await
    .expect("the call ends")
    .unwrap();
    let calls = desk.video_calls().await.unwrap();
    assert_eq!(calls[0].state, CallState::Ended, "{calls:?}");
    assert!(
        desk.call_frames_after(&call, 0).is_empty(),
        "an ended call's frames are let go"
    );
    let summary = reporter.await.unwrap().unwrap();
    assert_eq!(summary.video_calls, 1);
}

/// The 110 app's side of a call, spoken over HTTP as the app does: for the calls that go wrong.
struct App {
    base: String,
    http: reqwest::Client,
    token: String,
}

impl App {
    async fn sign_in(addr: SocketAddr, username: &str) -> App {
        let (http, base) = (siaga_tls::client(), format!("http://{addr}"));
        let signed_in: serde_json::Value = http
            .post(format!("{base}/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = signed_in["accessToken"].as_str().unwrap().to_owned();
        App { base, http, token }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    async fn call(&self, id: &str) -> serde_json::Value {
        let (status, call) = self
            .send(reqwest::Method::GET, &format!("/v1/video-calls/{id}"), None)
            .await;
        assert_eq!(status, 200, "{call}");
        call
    }

    async fn answer(&self, id: &str, answer: &str) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "answer": answer });
        self.send(
            reqwest::Method::POST,
            &format!("/v1/video-calls/{id}/answer"),
            Some(body),
        )
        .await
    }
}

/// How `call` ended on the desk (its state and reason), waited for up to `within`.
async fn call_ended(desk: &Desk, call: &str, within: Duration) -> (siaga_domain::video::CallState, String) {
    use siaga_desk::video::CallPhase;
    let mut phase = desk.call_phase(call).unwrap();
    let ended = tokio::time::timeout(within, phase.wait_for(|p| matches!(p, CallPhase::Ended(..))))
        .await
        .unwrap_or_else(|_| panic!("the call {call} never ended on the desk"))
        .unwrap()
        .clone();
    let CallPhase::Ended(state, reason) = ended else {
        unreachable!()
    };
    (state, reason)
}

/// Waits until `call` is connected on the desk (ICE and DTLS up).
async fn wait_connected(desk: &Desk, call: &str) {
    use siaga_desk::video::CallPhase;
    let mut phase = desk.call_phase(call).unwrap();
    tokio::time::timeout(
        Duration::from_secs(15),
        phase.wait_for(|p| *p == CallPhase::Connected),
    )
    .await
    .expect("the call connects")
    .unwrap();
}

/// The reporter's phone answers `offer` on a runtime of its own; when `vanish` fires, that runtime stops at
/// once, as a phone whose network drops: no hang-up, nothing more sent.
fn phone_that_vanishes(
    offer: String,
) -> (
    tokio::sync::oneshot::Receiver<String>,
    tokio::sync::oneshot::Sender<()>,
) {
    let (answered, answer) = tokio::sync::oneshot::channel();
    let (vanish, vanished) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let phone = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        phone.block_on(async move {
            let (peer, sdp) = siaga_video::Peer::answer(siaga_video::PeerConfig::loopback(true), &offer)
                .await
                .unwrap();
            let _ = answered.send(sdp);
            let _ = vanished.await;
            // Not dropped here (a drop hangs up): the runtime's end takes the peer's task with it.
            std::mem::forget(peer);
        });
    });
    (answer, vanish)
}

/// Every way a call goes wrong ends it in a state the central records, with a reason the desk's page shows:
/// a reporter who never answers (unreachable), an answer that is not a session description (refused at the
/// central) or one the desk cannot read (failed), the reporter hanging up at the central mid-call (the desk
/// takes the central's state and reason within seconds), a phone that vanishes mid-call (failed when its media
/// stops), and a call the desk may not make or join (refused, with the operator's sentence).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_call_that_goes_wrong_ends_in_a_recorded_state_with_its_reason() {
    use siaga_domain::video::CallState;
    let dir = tempfile::tempdir().unwrap();
    let (addr, state, _task) = start_central(dir.path()).await;
    create_user(
        &state.store,
        "app-metro",
        PASSWORD.into(),
        Role::App,
        Some("metro_jaya"),
    )
    .await
    .unwrap();
    let app = App::sign_in(addr, "app-metro").await;
    let desk = open_desk(dir.path(), addr).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let incident = desk.report(draft()).await.unwrap();
    wait_confirmed(&desk, incident.id, |_| true).await;
    let recorded = |call: serde_json::Value| {
        (
            call["state"].as_str().unwrap_or_default().to_owned(),
            call["reason"].as_str().unwrap_or_default().to_owned(),
        )
    };

    // Nobody answers.
    desk.set_call_answer_within(Duration::from_secs(1));
    let call = desk.ring_reporter(incident.id).await.unwrap();
    assert_eq!(
        call_ended(&desk, &call, Duration::from_secs(10)).await,
        (CallState::Unreachable, "tidak dijawab".to_owned())
    );
    assert_eq!(
        recorded(app.call(&call).await),
        ("unreachable".into(), "tidak dijawab".into())
    );
    desk.set_call_answer_within(Duration::from_secs(30));

    // An answer that is no session description is refused at the central; the call still rings. One that
    // passes the central's form check but not the desk's reading fails the call, with why.
    let call = desk.ring_reporter(incident.id).await.unwrap();
    let (status, refused) = app.answer(&call, "bukan SDP sama sekali").await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("bad_sdp")),
        "{refused}"
    );
    assert_eq!(app.call(&call).await["state"], "ringing");
    let (status, taken) = app
        .answer(&call, "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n")
        .await;
    assert_eq!(status, 200, "{taken}");
    let (state, reason) = call_ended(&desk, &call, Duration::from_secs(10)).await;
    assert_eq!(state, CallState::Failed);
    assert!(
        reason.starts_with("jawaban pelapor tidak dapat dibaca"),
        "{reason}"
    );
    assert_eq!(recorded(app.call(&call).await), ("failed".into(), reason));

    // The reporter hangs up at the central while media flows: the desk follows within a few seconds.
    let call = desk.ring_reporter(incident.id).await.unwrap();
    let offer = app.call(&call).await["offer"].as_str().unwrap().to_owned();
    let (reporter, answer) = siaga_video::Peer::answer(siaga_video::PeerConfig::loopback(true), &offer)
        .await
        .unwrap();
    assert_eq!(app.answer(&call, &answer).await.0, 200);
    wait_connected(&desk, &call).await;
    let hung_up = serde_json::json!({"state": "ended", "reason": "pelapor menutup panggilan"});
    let (status, moved) = app
        .send(
            reqwest::Method::POST,
            &format!("/v1/video-calls/{call}/state"),
            Some(hung_up),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(
        call_ended(&desk, &call, siaga_desk::video::CALL_CHECK * 5).await,
        (CallState::Ended, "pelapor menutup panggilan".to_owned())
    );
    drop(reporter);

    // The phone vanishes mid-call (its network gone): the desk ends the call failed when its media stops.
    let call = desk.ring_reporter(incident.id).await.unwrap();
    let offer = app.call(&call).await["offer"].as_str().unwrap().to_owned();
    let (answer, vanish) = phone_that_vanishes(offer);
    let answer = answer.await.unwrap();
    assert_eq!(app.answer(&call, &answer).await.0, 200);
    wait_connected(&desk, &call).await;
    vanish.send(()).unwrap();
    assert_eq!(
        call_ended(&desk, &call, Duration::from_secs(30)).await,
        (CallState::Failed, "video pelapor terputus".to_owned())
    );
    assert_eq!(
        recorded(app.call(&call).await),
        ("failed".into(), "video pelapor terputus".into())
    );

    // What the desk may not do is refused with the operator's sentence: a call that is not in this Polda (or
    // not at all), a second call on an incident whose call is in progress.
    let refused = desk
        .join_call("0193a5e2-7b1c-7000-8000-000000000000")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "call_refused");
    assert!(
        refused.message(Language::Id).contains("tidak ada di Polda Anda"),
        "{}",
        refused.message(Language::Id)
    );
    let first = desk.ring_reporter(incident.id).await.unwrap();
    let second = desk.ring_reporter(incident.id).await.unwrap_err();
    assert_eq!(second.code(), "call_refused");
    assert!(
        second.message(Language::En).contains("already has a video call"),
        "{}",
        second.message(Language::En)
    );
    desk.hang_up(&first);
    assert_eq!(
        call_ended(&desk, &first, Duration::from_secs(10)).await.0,
        CallState::Ended
    );
}
