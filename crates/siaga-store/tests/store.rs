//! The desk store on a real SQLite file: local actions, the outbox, the central's verdicts, the feed
//! folded into confirmed snapshots, and the queries the screens make.

use siaga_domain::{
    Actor, Category, Channel, CloseReason, EventId, GeoPoint, Incident, IncidentChange, IncidentEvent,
    IncidentId, IncidentStatus, Location, PoldaId, Role,
};
use siaga_store::{BoundingBox, IncidentFilter, Recorded, RemoteEvent, Store, StoreError};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const T0: i64 = 1_795_000_000; // 2026-11-18

/// A fresh store in its own temporary folder (kept alive by the returned guard).
async fn fresh() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.sqlite")).await.unwrap();
    (store, dir)
}

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(T0 + seconds).unwrap()
}

fn event(n: u128, incident: u128, seconds: i64, role: Role, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::from_u128(n)),
        incident_id: IncidentId(Uuid::from_u128(incident)),
        at: at(seconds),
        actor: Actor::new(format!("{role}-desk"), role),
        change,
    }
}

/// A 110 call in Central Jakarta (Monas).
fn received(n: u128, incident: u128, lat: f64, lon: f64) -> IncidentEvent {
    event(
        n,
        incident,
        0,
        Role::System,
        IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(lat, lon).unwrap()),
            description: "Dompet dicopet di halte".into(),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
    )
}

fn classify(n: u128, incident: u128, category: Category) -> IncidentEvent {
    event(
        n,
        incident,
        10,
        Role::Operator1,
        IncidentChange::Classified {
            category,
            priority: None,
        },
    )
}

fn note(n: u128, incident: u128, text: &str) -> IncidentEvent {
    event(
        n,
        incident,
        20,
        Role::Operator1,
        IncidentChange::NoteAdded { text: text.into() },
    )
}

fn close_prank(n: u128, incident: u128) -> IncidentEvent {
    event(
        n,
        incident,
        30,
        Role::Operator1,
        IncidentChange::Closed {
            reason: CloseReason::Prank,
            summary: String::new(),
        },
    )
}

fn remote(seq: i64, event: IncidentEvent) -> RemoteEvent {
    RemoteEvent {
        polda: PoldaId::MetroJaya,
        seq,
        event,
    }
}

fn id(n: u128) -> IncidentId {
    IncidentId(Uuid::from_u128(n))
}

async fn shown(store: &Store, incident: u128) -> Incident {
    store
        .incident(id(incident))
        .await
        .unwrap()
        .expect("the incident is in the store")
}

#[tokio::test]
async fn a_local_action_is_kept_and_queued_in_one_step() {
    let (store, _dir) = fresh().await;
    let recorded = store
        .record_local(&received(1, 100, -6.1754, 106.8272))
        .await
        .unwrap();
    assert!(matches!(recorded, Recorded::Accepted(_)));
    store
        .record_local(&classify(2, 100, Category::Theft))
        .await
        .unwrap();

    let incident = shown(&store, 100).await;
    assert_eq!(incident.status, IncidentStatus::Classified);
    assert_eq!(incident.category, Some(Category::Theft));
    let pending: Vec<EventId> = store.pending(10).await.unwrap().iter().map(|e| e.id).collect();
    assert_eq!(
        pending,
        vec![EventId(Uuid::from_u128(1)), EventId(Uuid::from_u128(2))],
        "in the order made"
    );
    assert_eq!(store.summary().await.unwrap().pending, 2);
    assert!(
        store.confirmed_incident(id(100)).await.unwrap().is_none(),
        "the central has confirmed nothing yet"
    );
}

#[tokio::test]
async fn a_refused_action_writes_nothing_and_says_why() {
    let (store, _dir) = fresh().await;
    store
        .record_local(&received(1, 100, -6.1754, 106.8272))
        .await
        .unwrap();
    // Handing to the SPKT before operator 1 classified it is not in the flow.
    let early = event(
        2,
        100,
        5,
        Role::Operator3,
        IncidentChange::HandedToSpkt {
            desk: "SPKT Polres Metro Jakarta Pusat".into(),
        },
    );
    let err = store.record_local(&early).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert_eq!(
        store.summary().await.unwrap().pending,
        1,
        "the refused event is not queued"
    );
    assert_eq!(store.events_of(id(100)).await.unwrap().len(), 1);
    assert_eq!(shown(&store, 100).await.status, IncidentStatus::Received);
    // An event for an incident the desk never heard of is refused too.
    let orphan = classify(3, 999, Category::Fraud);
    assert!(matches!(
        store.record_local(&orphan).await.unwrap_err(),
        StoreError::UnknownIncident(_)
    ));
}

#[tokio::test]
async fn the_same_action_twice_has_no_second_effect() {
    let (store, _dir) = fresh().await;
    store.record_local(&received(1, 100, -6.2, 106.8)).await.unwrap();
    let note = note(2, 100, "Pelapor menunggu di halte Bundaran HI");
    store.record_local(&note).await.unwrap();
    let again = store.record_local(&note).await.unwrap();
    assert!(matches!(again, Recorded::AlreadyRecorded(_)));
    assert_eq!(shown(&store, 100).await.notes.len(), 1);
    assert_eq!(store.summary().await.unwrap().pending, 2);
}

#[tokio::test]
async fn everything_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    {
        let store = Store::open(&path).await.unwrap();
        store.record_local(&received(1, 100, -6.2, 106.8)).await.unwrap();
        store
            .record_local(&classify(2, 100, Category::Robbery))
            .await
            .unwrap();
        store.close().await;
    }
    let store = Store::open(&path).await.unwrap();
    assert_eq!(shown(&store, 100).await.category, Some(Category::Robbery));
    assert_eq!(store.pending(10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn own_events_are_confirmed_by_the_feed_and_repeats_change_nothing() {
    let (store, _dir) = fresh().await;
    store.record_local(&received(1, 100, -6.2, 106.8)).await.unwrap();
    store
        .record_local(&classify(2, 100, Category::Theft))
        .await
        .unwrap();
    store
        .acknowledge(EventId(Uuid::from_u128(1)), PoldaId::MetroJaya, 7)
        .await
        .unwrap();
    assert_eq!(store.summary().await.unwrap().pending, 1);
    assert_eq!(
        shown(&store, 100).await.category,
        Some(Category::Theft),
        "acked effects stay in view"
    );

    let page = [
        remote(7, received(1, 100, -6.2, 106.8)),
        remote(8, classify(2, 100, Category::Theft)),
    ];
    let outcome = store.apply_remote(PoldaId::MetroJaya, &page, 8).await.unwrap();
    assert_eq!((outcome.applied, outcome.own, outcome.duplicates), (2, 2, 0));
    assert_eq!(store.summary().await.unwrap().pending, 0);
    let confirmed = store.confirmed_incident(id(100)).await.unwrap().unwrap();
    assert_eq!(
        confirmed,
        shown(&store, 100).await,
        "view and confirmed agree once everything is back"
    );
    assert_eq!(store.cursor(PoldaId::MetroJaya).await.unwrap(), 8);

    let again = store.apply_remote(PoldaId::MetroJaya, &page, 8).await.unwrap();
    assert_eq!((again.applied, again.duplicates), (0, 2));
    assert_eq!(
        store.confirmed_incident(id(100)).await.unwrap().unwrap(),
        confirmed
    );
}

#[tokio::test]
async fn other_desks_events_fold_under_this_desks_pending_ones() {
    let (store, _dir) = fresh().await;
    // Another desk created and classified it; this desk learned it from the feed…
    let page = [
        remote(1, received(1, 100, -6.2, 106.8)),
        remote(2, classify(2, 100, Category::Brawl)),
    ];
    store.apply_remote(PoldaId::MetroJaya, &page, 2).await.unwrap();
    // …then added a note while offline, and the other desk's note arrived meanwhile.
    store
        .record_local(&note(10, 100, "catatan meja ini"))
        .await
        .unwrap();
    store
        .apply_remote(
            PoldaId::MetroJaya,
            &[remote(3, note(3, 100, "catatan meja lain"))],
            3,
        )
        .await
        .unwrap();

    let view = shown(&store, 100).await;
    let notes: Vec<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        notes,
        ["catatan meja lain", "catatan meja ini"],
        "server order first, then pending"
    );
    let confirmed = store.confirmed_incident(id(100)).await.unwrap().unwrap();
    assert_eq!(confirmed.notes.len(), 1, "the pending note is not confirmed yet");
}

#[tokio::test]
async fn a_rejected_action_leaves_the_view_and_waits_with_its_reason() {
    let (store, _dir) = fresh().await;
    store
        .apply_remote(PoldaId::MetroJaya, &[remote(1, received(1, 100, -6.2, 106.8))], 1)
        .await
        .unwrap();
    store.record_local(&close_prank(5, 100)).await.unwrap();
    assert_eq!(shown(&store, 100).await.status, IncidentStatus::Closed);

    store
        .reject(
            EventId(Uuid::from_u128(5)),
            "already_classified",
            "Sudah diklasifikasi",
            "Already classified",
        )
        .await
        .unwrap();
    assert_eq!(
        shown(&store, 100).await.status,
        IncidentStatus::Received,
        "the refused close is undone on screen"
    );
    let rejections = store.rejections(true).await.unwrap();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].reason_id, "Sudah diklasifikasi");
    assert_eq!(store.summary().await.unwrap().unseen_rejections, 1);
    assert_eq!(
        store.events_of(id(100)).await.unwrap().len(),
        2,
        "the log keeps the refused event"
    );
    store.mark_rejection_seen(rejections[0].event_id).await.unwrap();
    assert!(store.rejections(true).await.unwrap().is_empty());
    assert_eq!(store.rejections(false).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_feed_event_that_does_not_fold_asks_for_a_resync() {
    let (store, _dir) = fresh().await;
    // The desk never saw this incident's receipt (it started after it): it cannot fold a later event.
    let outcome = store
        .apply_remote(
            PoldaId::MetroJaya,
            &[remote(9, classify(2, 100, Category::Fraud))],
            9,
        )
        .await
        .unwrap();
    assert_eq!(outcome.diverged, vec![id(100)]);
    assert_eq!(outcome.applied, 0);
    assert!(store.incident(id(100)).await.unwrap().is_none());
}

#[tokio::test]
async fn snapshots_replace_confirmed_state_and_keep_pending_work() {
    let (store, _dir) = fresh().await;
    store
        .apply_remote(PoldaId::MetroJaya, &[remote(1, received(1, 100, -6.2, 106.8))], 1)
        .await
        .unwrap();
    store.record_local(&note(7, 100, "menunggu")).await.unwrap();
    // A full resync brings the central's snapshot (classified elsewhere) and a new cursor.
    let mut snapshot = store.confirmed_incident(id(100)).await.unwrap().unwrap();
    snapshot.category = Some(Category::Theft);
    snapshot.status = IncidentStatus::Classified;
    snapshot.version = 2;
    store
        .replace_with_snapshots(&[snapshot.clone()], &[(PoldaId::MetroJaya, 40)])
        .await
        .unwrap();
    assert_eq!(
        store.confirmed_incident(id(100)).await.unwrap().unwrap(),
        snapshot
    );
    let view = shown(&store, 100).await;
    assert_eq!(view.status, IncidentStatus::Classified);
    assert_eq!(
        view.notes.len(),
        1,
        "the pending note still shows on top of the new snapshot"
    );
    assert_eq!(store.cursor(PoldaId::MetroJaya).await.unwrap(), 40);
}

#[tokio::test]
async fn screens_filter_by_status_category_place_and_time() {
    let (store, _dir) = fresh().await;
    store
        .record_local(&received(1, 1, -6.1754, 106.8272))
        .await
        .unwrap(); // Monas, Jakarta
    store
        .record_local(&received(2, 2, -6.9175, 107.6191))
        .await
        .unwrap(); // Bandung
    store
        .record_local(&classify(3, 2, Category::Robbery))
        .await
        .unwrap();
    store
        .record_local(&received(4, 3, -6.2615, 106.8106))
        .await
        .unwrap(); // Blok M
    store.record_local(&close_prank(5, 3)).await.unwrap();

    let check = |filter: IncidentFilter, expect: &'static [u128]| {
        let store = store.clone();
        async move {
            let mut got: Vec<IncidentId> = store
                .incidents(&filter)
                .await
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect();
            got.sort_by_key(|i| i.0);
            let want: Vec<IncidentId> = expect.iter().map(|n| id(*n)).collect();
            assert_eq!(got, want, "{filter:?}");
        }
    };
    check(IncidentFilter::default(), &[1, 2, 3]).await;
    check(
        IncidentFilter {
            statuses: vec![IncidentStatus::Received],
            ..Default::default()
        },
        &[1],
    )
    .await;
    check(
        IncidentFilter {
            categories: vec![Category::Robbery],
            ..Default::default()
        },
        &[2],
    )
    .await;
    let jakarta = BoundingBox {
        west: 106.6,
        south: -6.4,
        east: 107.0,
        north: -6.0,
    };
    check(
        IncidentFilter {
            bbox: Some(jakarta),
            ..Default::default()
        },
        &[1, 3],
    )
    .await;
    check(
        IncidentFilter {
            updated_since: Some(at(25)),
            ..Default::default()
        },
        &[3],
    )
    .await;
    check(
        IncidentFilter {
            updated_until: Some(at(5)),
            ..Default::default()
        },
        &[1],
    )
    .await;
    check(
        IncidentFilter {
            limit: 1,
            ..Default::default()
        },
        &[2],
    )
    .await; // robbery is the most urgent
    let later = at(0) + Duration::days(1);
    check(
        IncidentFilter {
            updated_since: Some(later),
            ..Default::default()
        },
        &[],
    )
    .await;
}

/// A kiosk alert at MRT Bundaran HI, as the central records it.
fn kiosk_alert(n: u128, incident: u128) -> IncidentEvent {
    event(
        n,
        incident,
        0,
        Role::System,
        IncidentChange::Received {
            channel: Channel::StationKiosk {
                kiosk: siaga_domain::kiosk::KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
            },
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(-6.1918, 106.8229).unwrap()),
            description: "Bundaran HI: copet".into(),
            proposed_category: Some(Category::Theft),
            priority: Some(siaga_domain::Priority::High),
            polda: Some(PoldaId::MetroJaya),
        },
    )
}

#[tokio::test]
async fn a_kiosk_alert_stays_open_until_acknowledged_and_the_map_reads_points() {
    let (store, _dir) = fresh().await;
    let mut changes = store.changes();
    store
        .replace_kiosks(
            &[PoldaId::MetroJaya],
            &[siaga_store::KioskRecord {
                id: siaga_domain::kiosk::KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
                station: "Bundaran HI".into(),
                polda: PoldaId::MetroJaya,
                lat: -6.1918,
                lon: 106.8229,
                status: siaga_domain::kiosk::KioskHealth::Ok,
                battery_pct: Some(80),
                last_heartbeat_ms: Some(T0 * 1000),
            }],
        )
        .await
        .unwrap();
    assert!(changes.recv().await.unwrap().kiosks);
    store
        .apply_remote(PoldaId::MetroJaya, &[remote(1, kiosk_alert(1, 100))], 1)
        .await
        .unwrap();
    store.record_local(&received(2, 200, -6.9, 107.6)).await.unwrap();
    let change = changes.recv().await.unwrap();
    assert_eq!(change.incidents, vec![id(100)], "the feed's change is announced");
    assert_eq!(changes.recv().await.unwrap().incidents, vec![id(200)]);

    let alerts = store.open_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kiosk_id, "KIOSK-MRT-BHI-01");
    assert_eq!(alerts[0].station.as_deref(), Some("Bundaran HI"));
    let points = store
        .map_points(&siaga_store::MapFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(
        points[0].alert_kiosk.as_ref().map(|k| k.as_str()),
        Some("KIOSK-MRT-BHI-01"),
        "most urgent first"
    );
    assert_eq!(points[0].priority, siaga_domain::Priority::High);
    assert_eq!(points[0].category, Some(Category::Theft));
    assert_eq!(points[1].alert_kiosk, None);
    let thefts = store
        .map_points(&siaga_store::MapFilter {
            categories: vec![Category::Theft],
            statuses: vec![IncidentStatus::Received],
            polda: Some(PoldaId::MetroJaya),
            received_since_ms: Some(T0 * 1000),
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(thefts.len(), 1);

    // An operator acknowledges: the alert closes on this desk at once (before the central confirms).
    let ack = event(3, 100, 5, Role::Operator1, IncidentChange::Acknowledged);
    store.record_local(&ack).await.unwrap();
    assert_eq!(store.open_alerts().await.unwrap(), Vec::new());
    assert!(shown(&store, 100).await.acknowledged.is_some());
    // The kiosk list survives; a new list replaces it.
    assert_eq!(store.kiosks().await.unwrap().len(), 1);
    store.replace_kiosks(&[PoldaId::MetroJaya], &[]).await.unwrap();
    assert!(store.kiosks().await.unwrap().is_empty());
    // A national desk replaces every Polda's kiosks at once; a Polda's list leaves the others alone.
    let kiosk = |id: &str, polda: PoldaId| siaga_store::KioskRecord {
        id: siaga_domain::kiosk::KioskId::parse(id).unwrap(),
        station: "Stasiun".into(),
        polda,
        lat: -6.2,
        lon: 106.8,
        status: siaga_domain::kiosk::KioskHealth::Ok,
        battery_pct: None,
        last_heartbeat_ms: None,
    };
    store
        .replace_kiosks(
            &[PoldaId::MetroJaya, PoldaId::JawaBarat],
            &[
                kiosk("K-JKT", PoldaId::MetroJaya),
                kiosk("K-BDG", PoldaId::JawaBarat),
            ],
        )
        .await
        .unwrap();
    store.replace_kiosks(&[PoldaId::MetroJaya], &[]).await.unwrap();
    let left: Vec<String> = store
        .kiosks()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.id.to_string())
        .collect();
    assert_eq!(left, vec!["K-BDG".to_owned()]);

    store
        .set_setting("notifications", &serde_json::json!({"muted": ["theft"]}))
        .await
        .unwrap();
    assert_eq!(
        store.setting("notifications").await.unwrap(),
        Some(serde_json::json!({"muted": ["theft"]}))
    );
    assert_eq!(store.setting("nothing").await.unwrap(), None);
}

#[tokio::test]
async fn an_old_store_is_migrated_with_its_open_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    {
        let store = Store::open(&path).await.unwrap();
        store
            .apply_remote(PoldaId::MetroJaya, &[remote(1, kiosk_alert(1, 100))], 1)
            .await
            .unwrap();
        store.close().await;
    }
    // Undo versions 2 to 10 as a desk of the first release would have left the file, then reopen.
    {
        use sqlx::ConnectOptions as _;
        // Opened raw on purpose: the test plays an older desk's file, not the store.
        #[allow(clippy::disallowed_methods)]
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .connect()
            .await
            .unwrap();
        sqlx::raw_sql(
            "DROP INDEX incident_open_alert; DROP INDEX incident_by_received; ALTER TABLE incident DROP COLUMN alert_kiosk; \
             ALTER TABLE incident DROP COLUMN snapshot_polda; ALTER TABLE incident DROP COLUMN snapshot_seq; \
             DROP TABLE kiosk; DROP TABLE setting; DROP TABLE research_export; DROP INDEX incident_by_caller; DROP TABLE service_request; \
             DROP INDEX incident_queue; DROP INDEX incident_by_priority; DROP TABLE audit_log; DROP TABLE desk; DROP TABLE audit_signed_head; DROP TABLE evidence; \
             PRAGMA user_version = 1;",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let store = Store::open(&path).await.unwrap();
    let alerts = store.open_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1, "the open alert is found again after the upgrade");
    assert_eq!(alerts[0].incident_id, id(100).0.to_string());
}

/// The central's snapshot of an incident after `events`.
fn central_snapshot(events: &[IncidentEvent]) -> Incident {
    let mut state = siaga_domain::IncidentState::receive(&events[0]).unwrap();
    for event in &events[1..] {
        state.apply(event).unwrap();
    }
    state.into_incident()
}

fn notes(incident: &Incident) -> Vec<&str> {
    incident.notes.iter().map(|n| n.text.as_str()).collect()
}

#[tokio::test]
async fn snapshot_pages_keep_pending_work_on_top_and_skip_the_feed_events_they_contain() {
    let (store, _dir) = fresh().await;
    let metro = PoldaId::MetroJaya;
    let (receipt, first) = (received(2, 200, -6.2, 106.8), note(3, 200, "pertama"));
    // Initial sync: the incident as the central holds it (receipt at 1, note at 2), high-water 2.
    let page =
        [siaga_store::SnapshotRecord::new(central_snapshot(&[receipt.clone(), first.clone()]), 2).unwrap()];
    assert_eq!(
        store.apply_snapshot_page(metro, &page).await.unwrap(),
        vec![id(200)]
    );
    store.finish_snapshot(metro, 2).await.unwrap();
    assert_eq!(store.cursor(metro).await.unwrap(), 2);

    // This desk adds a note the central acknowledges at 3, and another still pending.
    let acked = note(7, 200, "diterima pusat");
    store.record_local(&acked).await.unwrap();
    store.acknowledge(acked.id, metro, 3).await.unwrap();
    store.record_local(&note(8, 200, "menunggu")).await.unwrap();
    // A full resync (high-water 3): the snapshot contains the acknowledged note; the pending one stays on top.
    let snapshot = central_snapshot(&[receipt.clone(), first.clone(), acked.clone()]);
    let page = [siaga_store::SnapshotRecord::new(snapshot.clone(), 3).unwrap()];
    store.apply_snapshot_page(metro, &page).await.unwrap();
    store.finish_snapshot(metro, 3).await.unwrap();
    assert_eq!(
        store.confirmed_incident(id(200)).await.unwrap().unwrap(),
        snapshot
    );
    assert_eq!(
        notes(&shown(&store, 200).await),
        ["pertama", "diterima pusat", "menunggu"]
    );
    assert_eq!(store.summary().await.unwrap().pending, 1);

    // The feed repeats what the snapshot holds (nothing applied twice), then moves on.
    let later = note(9, 200, "kemudian");
    let outcome = store
        .apply_remote(metro, &[remote(2, first), remote(3, acked), remote(4, later)], 4)
        .await
        .unwrap();
    assert_eq!((outcome.applied, outcome.duplicates), (1, 2), "{outcome:?}");
    assert_eq!(outcome.changed, vec![id(200)]);
    let confirmed = store.confirmed_incident(id(200)).await.unwrap().unwrap();
    assert_eq!(
        (confirmed.version, notes(&confirmed)),
        (4, vec!["pertama", "diterima pusat", "kemudian"])
    );
    assert_eq!(
        notes(&shown(&store, 200).await),
        ["pertama", "diterima pusat", "kemudian", "menunggu"]
    );
}

#[tokio::test]
async fn catching_up_an_incident_records_what_its_snapshot_contains() {
    let (store, _dir) = fresh().await;
    let metro = PoldaId::MetroJaya;
    let receipt = received(1, 100, -6.2, 106.8);
    store
        .apply_remote(metro, &[remote(1, receipt.clone())], 1)
        .await
        .unwrap();
    let acked = note(7, 100, "diterima pusat");
    store.record_local(&acked).await.unwrap();
    store.acknowledge(acked.id, metro, 5).await.unwrap();
    store.record_local(&note(8, 100, "menunggu")).await.unwrap();
    // The central's snapshot (read first) holds the receipt, a classification and the desk's note; its
    // log (read after) has one more note.
    let classified = classify(3, 100, Category::Theft);
    let snapshot = central_snapshot(&[receipt.clone(), classified.clone(), acked.clone()]);
    let extra = note(9, 100, "sesudahnya");
    let log = [
        remote(1, receipt),
        remote(3, classified.clone()),
        remote(5, acked.clone()),
        remote(6, extra.clone()),
    ];
    let outcome = store.catch_up_incident(&snapshot, &log).await.unwrap();
    assert_eq!(
        outcome.applied, 1,
        "only the event after the snapshot folds: {outcome:?}"
    );
    let confirmed = store.confirmed_incident(id(100)).await.unwrap().unwrap();
    assert_eq!(
        (confirmed.version, notes(&confirmed)),
        (4, vec!["diterima pusat", "sesudahnya"])
    );
    assert_eq!(
        notes(&shown(&store, 100).await),
        ["diterima pusat", "sesudahnya", "menunggu"],
        "the pending note stays on top, the acknowledged one is not shown twice"
    );
    // The feed bringing them later applies none of them again.
    let outcome = store
        .apply_remote(
            metro,
            &[remote(3, classified), remote(5, acked), remote(6, extra)],
            6,
        )
        .await
        .unwrap();
    assert_eq!((outcome.applied, outcome.duplicates), (0, 3), "{outcome:?}");
    assert_eq!(
        store.confirmed_incident(id(100)).await.unwrap().unwrap(),
        confirmed
    );
    // A snapshot that contains more events than the log has is refused (the central read them in the
    // wrong order).
    assert!(matches!(
        store.catch_up_incident(&confirmed, &log[..2]).await,
        Err(StoreError::Diverged(_))
    ));
}

#[tokio::test]
async fn the_analyst_reads_a_periods_placed_incidents_with_their_codes_and_exports_are_recorded() {
    let (store, _dir) = fresh().await;
    let mut placed = received(1, 100, -6.1754, 106.8272);
    if let IncidentChange::Received { location, .. } = &mut placed.change {
        location.province = "31".parse().ok();
        location.regency = "31.71".parse().ok();
        location.district = "31.71.01".parse().ok();
    }
    let events = [
        remote(1, placed),
        remote(2, classify(2, 100, Category::Theft)),
        remote(3, received(3, 101, -6.3, 106.9)),
    ];
    store.apply_remote(PoldaId::MetroJaya, &events, 3).await.unwrap();
    let t0_ms = T0 * 1000;
    let points = store.analytics_points(t0_ms, t0_ms + 1).await.unwrap();
    assert_eq!(points.len(), 2);
    let monas = points.iter().find(|p| p.lat == -6.1754).unwrap();
    assert_eq!(monas.category, Some(Category::Theft));
    assert_eq!(monas.polda, Some(PoldaId::MetroJaya));
    assert_eq!(monas.district.map(|d| d.to_string()).as_deref(), Some("31.71.01"));
    assert_eq!(monas.regency.map(|r| r.to_string()).as_deref(), Some("31.71"));
    // The period is half-open.
    assert!(store
        .analytics_points(t0_ms + 1, t0_ms + 10)
        .await
        .unwrap()
        .is_empty());

    let record = siaga_store::ExportRecord {
        at_ms: t0_ms,
        operator: "rina".into(),
        role: "analyst".into(),
        since_ms: t0_ms - 86_400_000,
        until_ms: t0_ms,
        rules: "k=5 cell=250m round=hour".into(),
        rows: 42,
        folder: "/tmp/riset".into(),
    };
    store.record_export(&record).await.unwrap();
    assert_eq!(store.exports().await.unwrap(), vec![record]);
}

#[tokio::test]
async fn the_points_tool_reads_a_desk_store_read_only_and_reports_what_it_leaves_out() {
    let (store, dir) = fresh().await;
    let mut other_polda = received(5, 103, -7.8, 110.36);
    if let IncidentChange::Received { polda, .. } = &mut other_polda.change {
        *polda = Some(PoldaId::DaerahIstimewaYogyakarta);
    }
    let events = [
        remote(1, received(1, 100, -6.1754, 106.8272)),
        remote(2, classify(2, 100, Category::Theft)),
        remote(3, received(3, 101, -6.2, 106.8)),
        remote(4, received(4, 102, -6.21, 106.81)),
        remote(5, classify(6, 102, Category::PrankCall)),
    ];
    store.apply_remote(PoldaId::MetroJaya, &events, 5).await.unwrap();
    store
        .apply_remote(
            PoldaId::DaerahIstimewaYogyakarta,
            &[
                remote(1, other_polda),
                remote(2, classify(7, 103, Category::Theft)),
            ],
            2,
        )
        .await
        .unwrap();
    let path = dir.path().join("desk.sqlite");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_siaga-store-points"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--store", path.to_str().unwrap(), "--polda", "metro_jaya"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[1].starts_with("-6.1754,106.8272,") && lines[1].contains(",theft,metro_jaya,"),
        "{}",
        lines[1]
    );
    assert!(
        stderr.contains(
            "1 incidents written; left out: 1 prank or empty, 1 unclassified, outside the Polda: 1 of diy"
        ),
        "{stderr}"
    );
    // Nothing was written to the store by reading it.
    let missing = run(&["--store", dir.path().join("none.sqlite").to_str().unwrap()]);
    assert!(!missing.status.success());
    assert!(!dir.path().join("none.sqlite").exists());
}

#[tokio::test]
async fn a_callers_earlier_calls_are_counted_with_the_prank_and_empty_ones() {
    let (store, _dir) = fresh().await;
    let from = |n: u128, incident: u128, number: &str| {
        let mut e = received(n, incident, -6.2, 106.8);
        if let IncidentChange::Received { caller_number, .. } = &mut e.change {
            *caller_number = Some(number.to_string().try_into().unwrap());
        }
        e
    };
    let events = [
        remote(1, from(1, 100, "081234567890")),
        remote(2, close_prank(2, 100)),
        remote(3, from(3, 101, "081234567890")),
        remote(4, classify(4, 101, Category::Theft)),
        remote(5, from(5, 102, "081234567890")),
        remote(6, from(6, 103, "085700000000")),
    ];
    store.apply_remote(PoldaId::MetroJaya, &events, 6).await.unwrap();
    let live_call = id(102).0.to_string();
    let history = store.caller_history("081234567890", &live_call).await.unwrap();
    assert_eq!(
        (history.calls, history.prank_or_empty),
        (2, 1),
        "the live call itself is not history"
    );
    assert_eq!(history.last_ms, Some(T0 * 1000));
    let first = store.caller_history("089999999999", &live_call).await.unwrap();
    assert_eq!((first.calls, first.prank_or_empty, first.last_ms), (0, 0, None));
}

#[tokio::test]
async fn citizen_requests_are_kept_as_the_central_last_showed_them_and_never_go_back_in_time() {
    use siaga_api::services::ServiceRequestView;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.sqlite")).await.unwrap();
    let view = |status: &str, updated: i64| -> ServiceRequestView {
        serde_json::from_value(serde_json::json!({
            "request": {"id": "0193a6f0-0000-7000-8000-000000000001", "polres": "34.71",
                "applicant": {"nik": "3471055203900001", "fullName": "Siti Rahayu", "birthPlace": "Yogyakarta",
                              "birthDate": "1990-03-12", "address": "Jl. Malioboro 5"},
                "details": {"kind": "loss_report", "items": ["wallet"], "place": "Tugu", "lostOn": "2026-12-01",
                            "chronology": "Dompet hilang di kereta api."}},
            "kind": "loss_report", "status": status, "polda": "diy", "polresName": "Polresta Yogyakarta",
            "citizenRef": "w1", "hasPhoto": false,
            "nikCheck": {"region": "DI Yogyakarta", "birthDate": "1990-03-12", "age": 36, "sex": "female"},
            "flags": [], "flagMessages": [], "submittedAtMs": 100, "updatedAtMs": updated, "version": 1, "history": []
        }))
        .unwrap()
    };
    assert_eq!(store.services_cursor().await.unwrap(), 0);
    store
        .put_service_requests(&[view("in_review", 200)])
        .await
        .unwrap();
    // An older answer arriving late does not overwrite the newer one.
    store
        .put_service_requests(&[view("submitted", 150)])
        .await
        .unwrap();
    let held = store.service_requests().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].status.code(), "in_review");
    store.set_services_cursor(200).await.unwrap();
    assert_eq!(store.services_cursor().await.unwrap(), 200);
    let one = store
        .service_request("0193a6f0-0000-7000-8000-000000000001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one.updated_at_ms, 200);
}

#[tokio::test]
async fn the_supervisor_board_counts_stages_operators_prank_hours_and_frequent_numbers() {
    let (store, _dir) = fresh().await;
    let from = |n: u128, incident: u128, seconds: i64, number: &str| {
        let mut e = received(n, incident, -6.2, 106.8);
        e.at = at(seconds);
        if let IncidentChange::Received { caller_number, .. } = &mut e.change {
            *caller_number = Some(number.to_string().try_into().unwrap());
        }
        e
    };
    // Hour 0: three calls from one number, two closed as prank; hour 1: one call classified as theft.
    let events = [
        remote(1, from(1, 100, 60, "081234567890")),
        remote(2, close_prank(2, 100)),
        remote(3, from(3, 101, 120, "081234567890")),
        remote(4, close_prank(4, 101)),
        remote(5, from(5, 102, 180, "081234567890")),
        remote(6, from(6, 103, 3_700, "085700000000")),
        remote(7, classify(7, 103, Category::Theft)),
    ];
    store.apply_remote(PoldaId::MetroJaya, &events, 7).await.unwrap();

    let stages = store.stage_loads().await.unwrap();
    assert_eq!(stages.len(), 5, "every open stage, empty ones too");
    assert_eq!((stages[0].status, stages[0].count), (IncidentStatus::Received, 1));
    assert_eq!(
        stages[0].oldest.as_ref().map(|o| o.0.clone()),
        Some(id(102).0.to_string())
    );
    assert_eq!(
        stages[0].oldest.as_ref().map(|o| (o.1, o.2)),
        Some(((T0 + 180) * 1000, 3))
    );
    assert_eq!(
        (stages[1].status, stages[1].count),
        (IncidentStatus::Classified, 1)
    );
    assert_eq!(stages[2].count + stages[3].count + stages[4].count, 0);
    assert_eq!(stages[2].oldest, None);

    // The open incidents belong to whoever acted last: the system received 102, operator 1 classified 103.
    let mut operators: Vec<(Option<String>, u64)> = store
        .operator_loads()
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.operator, o.open))
        .collect();
    operators.sort();
    assert_eq!(
        operators,
        [
            (Some("operator1-desk".to_owned()), 1),
            (Some("system-desk".to_owned()), 1)
        ]
    );

    let hours = store.calls_by_hour(T0 * 1000, (T0 + 7_200) * 1000).await.unwrap();
    let shares: Vec<(u64, u64)> = hours.iter().map(|h| (h.calls, h.prank_or_empty)).collect();
    assert_eq!(shares, [(3, 2), (1, 0)]);
    assert_eq!(hours[0].hour_ms % 3_600_000, 0);
    assert!(store
        .calls_by_hour((T0 + 7_200) * 1000, (T0 + 9_000) * 1000)
        .await
        .unwrap()
        .is_empty());

    let frequent = store.frequent_callers(T0 * 1000, 10).await.unwrap();
    assert_eq!(frequent.len(), 2);
    assert_eq!(
        (
            frequent[0].number.as_str(),
            frequent[0].calls,
            frequent[0].prank_or_empty
        ),
        ("081234567890", 3, 2)
    );
    assert_eq!(frequent[0].last_ms, (T0 + 180) * 1000);
    assert_eq!(store.frequent_callers(T0 * 1000, 1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn queues_filter_by_category_and_by_the_polres_assigned_or_responsible_for_the_place() {
    let (store, _dir) = fresh().await;
    // A place by its district (Gambir in Jakarta Pusat, Kebayoran Baru in Jakarta Selatan): codes that nest.
    let in_regency = |n: u128, incident: u128, regency: &str| {
        let district = if regency == "31.71" {
            "31.71.01"
        } else {
            "31.74.01"
        };
        let mut e = received(n, incident, -6.2, 106.8);
        if let IncidentChange::Received { location, .. } = &mut e.change {
            *location = Location::in_district(district.parse().unwrap());
        }
        e
    };
    let jakpus = siaga_domain::PolresId("31.71".parse().unwrap());
    let events = [
        remote(1, in_regency(1, 100, "31.71")), // Jakarta Pusat, not yet assigned
        remote(2, in_regency(2, 101, "31.74")), // Jakarta Selatan
        remote(3, classify(3, 101, Category::Theft)),
        remote(
            4,
            event(
                4,
                101,
                20,
                Role::Operator2,
                IncidentChange::Forwarded {
                    polda: PoldaId::MetroJaya,
                    polres: jakpus,
                },
            ),
        ), // forwarded to Jakarta Pusat although placed in Jakarta Selatan
        remote(5, in_regency(5, 102, "31.74")),
    ];
    store.apply_remote(PoldaId::MetroJaya, &events, 5).await.unwrap();
    let ids = |list: Vec<Incident>| {
        let mut ids: Vec<IncidentId> = list.into_iter().map(|i| i.id).collect();
        ids.sort();
        ids
    };
    let of_jakpus = store
        .incidents(&IncidentFilter {
            polres: Some(jakpus),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(of_jakpus), [id(100), id(101)]);
    let thefts = store
        .incidents(&IncidentFilter {
            categories: vec![Category::Theft],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(thefts), [id(101)]);
}

/// An evidence picture is written with the event naming it, in its transaction: bytes that are not the ones named
/// write neither; the picture waits for its upload, then is marked as held by the central; a picture fetched for
/// another desk's entry is kept only when it is the one named.
#[tokio::test]
async fn an_evidence_picture_is_kept_with_its_event_or_not_at_all() {
    use siaga_domain::evidence::{check_picture, ContentDigest, MediaType};
    const STILL: &[u8] = include_bytes!("../../siaga-sim/assets/pasfoto.jpg");
    let (store, _dir) = fresh().await;
    store.record_local(&received(1, 1, -6.2, 106.8)).await.unwrap();
    let picture = check_picture(STILL).unwrap();
    let attached = event(
        2,
        1,
        60,
        Role::Operator1,
        IncidentChange::EvidenceAttached {
            sha256: picture.digest.clone(),
            media_type: MediaType::Jpeg,
            bytes: picture.bytes,
            width: picture.width,
            height: picture.height,
            call: None,
        },
    );
    let mut other = STILL.to_vec();
    other[STILL.len() - 3] ^= 1;
    let refused = store.record_local_evidence(&attached, &other).await.unwrap_err();
    assert!(matches!(refused, StoreError::Evidence(_)), "{refused:?}");
    assert_eq!(
        store.pending(10).await.unwrap().len(),
        1,
        "only the report is queued"
    );
    assert!(store.evidence(&picture.digest).await.unwrap().is_none());

    store.record_local_evidence(&attached, STILL).await.unwrap();
    assert_eq!(store.pending(10).await.unwrap().len(), 2);
    let waiting = store.evidence_to_upload(8).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].incident_id, waiting[0].data.as_slice()),
        (id(1), STILL)
    );
    store.mark_evidence_uploaded(&picture.digest).await.unwrap();
    assert!(store.evidence_to_upload(8).await.unwrap().is_empty());
    assert_eq!(
        store.evidence(&picture.digest).await.unwrap().unwrap().data,
        STILL
    );

    // Fetched for another desk's entry: kept only when it is the picture named.
    let named = ContentDigest::of(b"another still");
    let wrong = store
        .keep_fetched_evidence(id(1), &named, STILL)
        .await
        .unwrap_err();
    assert!(matches!(wrong, StoreError::Evidence(_)), "{wrong:?}");
    assert!(store.evidence(&named).await.unwrap().is_none());
}
