//! The sync engine against a real central (the reference server, SQLite, on loopback): actions made
//! while the central is down are kept and reach it in order when it returns; another desk receives them
//! through the feed and the live stream; a refused action comes back with its reason in Indonesian.

use siaga_central::auth::create_user;
use siaga_central::{app, AppState};
use siaga_domain::{
    Actor, Category, Channel, CloseReason, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId,
    IncidentStatus, Location, PoldaId, Role,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, ClientError, Link, SyncConfig, SyncEngine, SyncError};
use std::net::SocketAddr;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

const PASSWORD: &str = "kata sandi yang panjang";

struct Central {
    state: AppState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Central {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the central on `addr` over the SQLite file in `dir`.
async fn start_central(dir: &std::path::Path, addr: SocketAddr) -> Central {
    let url = format!("sqlite:{}", dir.join("central.db").display());
    let store = siaga_central::store::Store::open(&url)
        .await
        .expect("central database");
    let state = AppState::new(store);
    let listener = tokio::net::TcpListener::bind(addr).await.expect("central port");
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Central { state, task }
}

async fn account(central: &Central, name: &str) {
    create_user(
        &central.state.store,
        name,
        PASSWORD.into(),
        Role::Operator1,
        Some("metro_jaya"),
    )
    .await
    .expect("operator account");
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A desk: its own store file and an engine for Polda Metro Jaya, with the client it signs in with.
async fn desk(dir: &std::path::Path, name: &str, addr: SocketAddr) -> (SyncEngine, CentralClient) {
    let store = Store::open(&dir.join(format!("{name}.sqlite"))).await.unwrap();
    let client = CentralClient::new(&format!("http://{addr}"));
    let mut config = SyncConfig::new(vec![PoldaId::MetroJaya]);
    config.retry_base = Duration::from_millis(20);
    config.retry_max = Duration::from_millis(200);
    (SyncEngine::new(store, client.clone(), config), client)
}

fn event(operator: &str, incident: IncidentId, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::now_v7()),
        incident_id: incident,
        at: OffsetDateTime::now_utc(),
        actor: Actor::new(operator, Role::Operator1),
        change,
    }
}

fn receipt(operator: &str, incident: IncidentId) -> IncidentEvent {
    event(
        operator,
        incident,
        IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(-6.1754, 106.8272).unwrap()),
            description: "Penjambretan di dekat Monas".into(),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_actions_reach_the_central_in_order_and_other_desks_see_them() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let (desk_a, client_a) = desk(dir.path(), "a", addr).await;

    // The central is down: the operator's actions are kept and queued.
    let incident = IncidentId(Uuid::now_v7());
    desk_a
        .store()
        .record_local(&receipt("op-a", incident))
        .await
        .unwrap();
    let classify = event(
        "op-a",
        incident,
        IncidentChange::Classified {
            category: Category::Robbery,
            priority: None,
        },
    );
    desk_a.store().record_local(&classify).await.unwrap();
    let err = desk_a.sync_once().await.unwrap_err();
    assert!(
        matches!(err, SyncError::Client(ClientError::Unreachable(_))),
        "{err}"
    );
    let status = desk_a.status().borrow().clone();
    assert_eq!((status.link, status.pending), (Link::Offline, 2));

    // The central comes up: the queue drains in order and the desk's view is confirmed.
    let central = start_central(dir.path(), addr).await;
    account(&central, "op-a").await;
    account(&central, "op-b").await;
    client_a.login("op-a", PASSWORD).await.unwrap();
    let report = desk_a.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.refused), (2, 0));
    assert_eq!(report.pulled, 2, "its own events come back through the feed");
    let status = desk_a.status().borrow().clone();
    assert_eq!((status.link, status.pending), (Link::Online, 0));
    assert!(status.last_contact_ms.is_some());
    let server = client_a.incident(incident).await.unwrap();
    assert_eq!(server.status, IncidentStatus::Classified);
    let confirmed_a = desk_a
        .store()
        .confirmed_incident(incident)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        confirmed_a, server,
        "desk A's confirmed snapshot equals the central's"
    );

    // A second desk catches up from the feed.
    let (desk_b, client_b) = desk(dir.path(), "b", addr).await;
    client_b.login("op-b", PASSWORD).await.unwrap();
    let report = desk_b.sync_once().await.unwrap();
    assert_eq!(report.pulled, 2);
    assert_eq!(desk_b.store().incident(incident).await.unwrap().unwrap(), server);

    // Desk B adds a note; desk A, following the live stream, has it within seconds.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(desk_a.clone().run(stopped));
    let note = event(
        "op-b",
        incident,
        IncidentChange::NoteAdded {
            text: "Pelaku dua orang, motor hitam".into(),
        },
    );
    desk_b.store().record_local(&note).await.unwrap();
    desk_b.sync_once().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let view = desk_a.store().incident(incident).await.unwrap().unwrap();
        if view.notes.len() == 1 {
            assert_eq!(view.notes[0].text, "Pelaku dua orang, motor hitam");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the live stream did not bring desk B's note: {:?}",
            desk_a.status().borrow()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    stop.send(true).unwrap();
    runner.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_action_comes_back_with_its_reason_in_indonesian() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let central = start_central(dir.path(), addr).await;
    account(&central, "op-a").await;
    account(&central, "op-b").await;
    let (desk_a, client_a) = desk(dir.path(), "a", addr).await;
    client_a.login("op-a", PASSWORD).await.unwrap();
    let (desk_b, client_b) = desk(dir.path(), "b", addr).await;
    client_b.login("op-b", PASSWORD).await.unwrap();

    let incident = IncidentId(Uuid::now_v7());
    desk_a
        .store()
        .record_local(&receipt("op-a", incident))
        .await
        .unwrap();
    desk_a.sync_once().await.unwrap();
    desk_b.sync_once().await.unwrap();

    // Desk A closes it as a prank call; desk B, not yet told, classifies it.
    let close = event(
        "op-a",
        incident,
        IncidentChange::Closed {
            reason: CloseReason::Prank,
            summary: String::new(),
        },
    );
    desk_a.store().record_local(&close).await.unwrap();
    desk_a.sync_once().await.unwrap();
    let classify = event(
        "op-b",
        incident,
        IncidentChange::Classified {
            category: Category::Theft,
            priority: None,
        },
    );
    desk_b.store().record_local(&classify).await.unwrap();
    assert_eq!(
        desk_b.store().incident(incident).await.unwrap().unwrap().status,
        IncidentStatus::Classified
    );

    let report = desk_b.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.refused), (0, 1));
    let rejections = desk_b.store().rejections(true).await.unwrap();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].event_id, classify.id);
    assert!(
        !rejections[0].reason_id.is_empty() && rejections[0].reason_id != rejections[0].reason_en,
        "an Indonesian reason: {:?}",
        rejections[0]
    );
    let view = desk_b.store().incident(incident).await.unwrap().unwrap();
    assert_eq!(
        view.status,
        IncidentStatus::Closed,
        "desk B now shows what the central holds"
    );
    assert_eq!(desk_b.status().borrow().unseen_rejections, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_renewed_without_the_operator() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let mut central = start_central(dir.path(), addr).await;
    // Access tokens that live 300 ms: every later request finds its token expired.
    central.task.abort();
    let _ = (&mut central.task).await;
    central.state.tokens.access_ms = 300;
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let router = app(central.state.clone());
    central.task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    account(&central, "op-a").await;
    let (desk_a, client_a) = desk(dir.path(), "a", addr).await;
    client_a.login("op-a", PASSWORD).await.unwrap();
    let first = client_a.token();

    tokio::time::sleep(Duration::from_millis(600)).await;
    let incident = IncidentId(Uuid::now_v7());
    desk_a
        .store()
        .record_local(&receipt("op-a", incident))
        .await
        .unwrap();
    let report = desk_a
        .sync_once()
        .await
        .expect("the round renews the token and goes through");
    assert_eq!(report.pushed, 1);
    assert_ne!(client_a.token(), first, "a new access token is in use");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_national_desk_follows_every_polda_and_files_its_reports_under_their_own_polda() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let central = start_central(dir.path(), addr).await;
    account(&central, "op-jkt").await;
    create_user(
        &central.state.store,
        "op-bdg",
        PASSWORD.into(),
        Role::Operator1,
        Some("jawa_barat"),
    )
    .await
    .unwrap();
    create_user(
        &central.state.store,
        "pusat",
        PASSWORD.into(),
        Role::Supervisor,
        None,
    )
    .await
    .unwrap();

    // Two Polda desks each take a call in their own Polda.
    let (jakarta, client) = desk(dir.path(), "jkt", addr).await;
    client.login("op-jkt", PASSWORD).await.unwrap();
    let in_jakarta = IncidentId(Uuid::now_v7());
    jakarta
        .store()
        .record_local(&receipt("op-jkt", in_jakarta))
        .await
        .unwrap();
    jakarta.sync_once().await.unwrap();
    let store = Store::open(&dir.path().join("bdg.sqlite")).await.unwrap();
    let client = CentralClient::new(&format!("http://{addr}"));
    client.login("op-bdg", PASSWORD).await.unwrap();
    let bandung = SyncEngine::new(store, client, SyncConfig::new(vec![PoldaId::JawaBarat]));
    let in_bandung = IncidentId(Uuid::now_v7());
    let mut call = receipt("op-bdg", in_bandung);
    if let IncidentChange::Received { location, polda, .. } = &mut call.change {
        *location = Location::at(GeoPoint::new(-6.9147, 107.6098).unwrap());
        *polda = Some(PoldaId::JawaBarat);
    }
    bandung.store().record_local(&call).await.unwrap();
    bandung.sync_once().await.unwrap();

    // The national desk follows every Polda's feed: both calls arrive.
    let store = Store::open(&dir.path().join("pusat.sqlite")).await.unwrap();
    let client = CentralClient::new(&format!("http://{addr}"));
    client.login("pusat", PASSWORD).await.unwrap();
    let national = SyncEngine::new(store, client.clone(), SyncConfig::new(PoldaId::ALL.to_vec()));
    let report = national.sync_once().await.unwrap();
    assert_eq!(report.pulled, 2, "{report:?}");
    for (incident, polda) in [(in_jakarta, PoldaId::MetroJaya), (in_bandung, PoldaId::JawaBarat)] {
        let seen = national.store().incident(incident).await.unwrap().unwrap();
        assert_eq!(seen.polda, Some(polda));
    }

    // Its own report in Surabaya is filed under Polda Jawa Timur and comes back through that feed; the
    // Metro Jaya desk never sees it.
    let in_surabaya = IncidentId(Uuid::now_v7());
    let mut call = receipt("pusat", in_surabaya);
    call.actor = Actor::new("pusat", Role::Supervisor);
    if let IncidentChange::Received { location, polda, .. } = &mut call.change {
        *location = Location::at(GeoPoint::new(-7.2575, 112.7521).unwrap());
        *polda = Some(PoldaId::JawaTimur);
    }
    national.store().record_local(&call).await.unwrap();
    let report = national.sync_once().await.unwrap();
    assert_eq!(
        (report.pushed, report.refused, report.pulled),
        (1, 0, 1),
        "{report:?}"
    );
    assert_eq!(
        client.incident(in_surabaya).await.unwrap().polda,
        Some(PoldaId::JawaTimur)
    );
    jakarta.sync_once().await.unwrap();
    assert!(jakarta.store().incident(in_surabaya).await.unwrap().is_none());
    assert!(jakarta.store().incident(in_bandung).await.unwrap().is_none());

    // Live: a note added in Bandung reaches the national desk through its live stream (which pulls the
    // feed of the Polda the notification names).
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(national.clone().run(stopped));
    let note = event(
        "op-bdg",
        in_bandung,
        IncidentChange::NoteAdded {
            text: "Korban sudah di pos polisi".into(),
        },
    );
    bandung.store().record_local(&note).await.unwrap();
    bandung.sync_once().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let view = national.store().incident(in_bandung).await.unwrap().unwrap();
        if view.notes.len() == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the live stream did not bring Bandung's note to the national desk: {:?}",
            national.status().borrow()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    stop.send(true).unwrap();
    runner.await.unwrap();
}
