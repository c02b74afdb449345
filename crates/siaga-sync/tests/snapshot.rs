//! Initial sync and full resync by snapshots against a real central (SQLite, loopback): an empty desk
//! facing a long feed takes snapshot pages and ends equal to the central even while other desks keep
//! writing; a desk whose cursor the central no longer keeps (`410 cursor_expired`) resyncs, keeps and
//! delivers its own actions, and applies no event twice; the engine announces what changed.

use siaga_api::sync::EventEnvelope;
use siaga_api::IncidentPage;
use siaga_central::auth::create_user;
use siaga_central::{app, AppState};
use siaga_domain::{
    Actor, Channel, EventId, GeoPoint, Incident, IncidentChange, IncidentEvent, IncidentId, Location,
    PoldaId, Role,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, SyncConfig, SyncEngine};
use std::collections::BTreeMap;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

const PASSWORD: &str = "kata sandi yang panjang";

struct Central {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Central {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A central over a SQLite file in `dir` with the operators `names`, keeping `retention` feed sequences.
async fn start_central(dir: &std::path::Path, names: &[&str], retention: Option<i64>) -> Central {
    let url = format!("sqlite:{}", dir.join("central.db").display());
    let store = siaga_central::store::Store::open(&url).await.unwrap();
    for name in names {
        create_user(&store, name, PASSWORD.into(), Role::Operator1, Some("metro_jaya"))
            .await
            .unwrap();
    }
    let mut state = AppState::new(store);
    state.limits.feed_retention = retention;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(state);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Central { base, task }
}

async fn client(central: &Central, name: &str) -> CentralClient {
    let client = CentralClient::new(&central.base);
    client.login(name, PASSWORD).await.unwrap();
    client
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

fn receipt(operator: &str, incident: IncidentId, n: usize) -> IncidentEvent {
    event(
        operator,
        incident,
        IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(-6.2 + n as f64 * 0.001, 106.8 + n as f64 * 0.001).unwrap()),
            description: format!("Laporan nomor {n}"),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
    )
}

fn note(operator: &str, incident: IncidentId, text: String) -> IncidentEvent {
    event(operator, incident, IncidentChange::NoteAdded { text })
}

async fn post(client: &CentralClient, event: IncidentEvent) {
    client
        .append(&EventEnvelope::outgoing(PoldaId::MetroJaya, event))
        .await
        .unwrap();
}

/// Every incident of Polda Metro Jaya at the central.
async fn central_incidents(central: &Central, client: &CentralClient) -> BTreeMap<IncidentId, Incident> {
    let http = siaga_tls::client();
    let mut all = BTreeMap::new();
    let mut offset = 0;
    loop {
        let page: IncidentPage = http
            .get(format!(
                "{}/v1/incidents?polda=metro_jaya&limit=500&offset={offset}",
                central.base
            ))
            .bearer_auth(client.token().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        offset += page.incidents.len();
        all.extend(page.incidents.into_iter().map(|i| (i.id, i)));
        if !page.has_more {
            return all;
        }
    }
}

/// The desk's store equals the central: the same incidents, confirmed equal to the central's snapshot
/// (versions and notes count every event once), view equal to confirmed.
async fn assert_equal(store: &Store, central: &BTreeMap<IncidentId, Incident>) {
    assert_eq!(
        store.summary().await.unwrap().incidents,
        central.len() as i64,
        "the same number of incidents"
    );
    for (id, at_central) in central {
        let confirmed = store.confirmed_incident(*id).await.unwrap();
        assert_eq!(confirmed.as_ref(), Some(at_central), "confirmed {id}");
        assert_eq!(
            store.incident(*id).await.unwrap().as_ref(),
            Some(at_central),
            "view {id}"
        );
    }
}

fn desk_config(page_size: u32, snapshot_page_size: u32) -> SyncConfig {
    let mut config = SyncConfig::new(vec![PoldaId::MetroJaya]);
    config.page_size = page_size;
    config.snapshot_page_size = snapshot_page_size;
    config.retry_base = Duration::from_millis(20);
    config.retry_max = Duration::from_millis(200);
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_desk_syncs_by_snapshots_while_others_write_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path(), &["op-a", "op-w"], None).await;
    let writer = client(&central, "op-w").await;
    let mut incidents = Vec::new();
    for n in 0..40 {
        let id = IncidentId(Uuid::now_v7());
        post(&writer, receipt("op-w", id, n)).await;
        if n % 3 == 0 {
            post(&writer, note("op-w", id, format!("catatan awal {n}"))).await;
        }
        incidents.push(id);
    }

    // Another desk keeps adding notes while the empty desk pages through the snapshots (3 a page).
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let background = {
        let writer = writer.clone();
        let incidents = incidents.clone();
        tokio::spawn(async move {
            let mut n = 0usize;
            while !*stopped.borrow() {
                let id = incidents[(n * 7) % incidents.len()];
                post(&writer, note("op-w", id, format!("catatan {n}"))).await;
                n += 1;
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(2)) => {}
                    _ = stopped.changed() => {}
                }
            }
            n
        })
    };
    let store = Store::open(&dir.path().join("a.sqlite")).await.unwrap();
    let desk = SyncEngine::new(store.clone(), client(&central, "op-a").await, desk_config(10, 3));
    let mut changes = store.changes();
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.snapshot, 40, "every incident by snapshot: {report:?}");
    let announced = changes.try_recv().unwrap();
    assert!(
        announced.all_incidents && announced.committed_ms > 0,
        "{announced:?}"
    );

    stop.send(true).unwrap();
    let notes_written = background.await.unwrap();
    assert!(notes_written > 0);
    desk.sync_once().await.unwrap();
    let at_central = central_incidents(&central, &writer).await;
    assert_eq!(at_central.len(), 40);
    assert_equal(&store, &at_central).await;

    // The feed goes on from the snapshots' mark: a new note folds once and is announced by id.
    while changes.try_recv().is_ok() {}
    post(&writer, note("op-w", incidents[5], "catatan akhir".into())).await;
    let report = desk.sync_once().await.unwrap();
    assert_eq!((report.pulled, report.snapshot), (1, 0), "{report:?}");
    let announced = changes.try_recv().unwrap();
    assert_eq!(announced.incidents, vec![incidents[5]]);
    assert!(!announced.all_incidents);
    assert_equal(&store, &central_incidents(&central, &writer).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_with_an_expired_cursor_resyncs_keeps_its_actions_and_ends_equal() {
    let dir = tempfile::tempdir().unwrap();
    // The feed keeps the last 5 sequences only.
    let central = start_central(dir.path(), &["op-a", "op-w"], Some(5)).await;
    let writer = client(&central, "op-w").await;
    let first = IncidentId(Uuid::now_v7());
    post(&writer, receipt("op-w", first, 0)).await;

    // Desk A follows the feed from the start (one event: no snapshot needed).
    let store = Store::open(&dir.path().join("a.sqlite")).await.unwrap();
    let desk = SyncEngine::new(store.clone(), client(&central, "op-a").await, desk_config(100, 4));
    let report = desk.sync_once().await.unwrap();
    assert_eq!((report.pulled, report.snapshot), (1, 0), "{report:?}");
    assert_eq!(store.cursor(PoldaId::MetroJaya).await.unwrap(), 1);

    // Desk A is away while 12 reports and notes arrive: its cursor falls out of the central's feed.
    let mut incidents = vec![first];
    for n in 1..=6 {
        let id = IncidentId(Uuid::now_v7());
        post(&writer, receipt("op-w", id, n)).await;
        post(&writer, note("op-w", first, format!("catatan {n}"))).await;
        incidents.push(id);
    }
    // Meanwhile desk A's operator records a report and a note on the first incident, locally.
    let own = IncidentId(Uuid::now_v7());
    store.record_local(&receipt("op-a", own, 99)).await.unwrap();
    let own_note = note("op-a", first, "catatan dari meja A".into());
    store.record_local(&own_note).await.unwrap();
    assert_eq!(store.incident(first).await.unwrap().unwrap().notes.len(), 1);

    // Back online: the actions go first, the feed answers 410, the desk resyncs by snapshots.
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.pushed, 2, "{report:?}");
    assert_eq!(report.snapshot, 8, "{report:?}");
    assert_eq!(store.summary().await.unwrap().pending, 0);
    let at_central = central_incidents(&central, &writer).await;
    assert_eq!(
        at_central[&first].notes.len(),
        7,
        "6 notes and desk A's, once each"
    );
    assert_equal(&store, &at_central).await;

    // Its own actions count as come back (nothing left to put on top of the snapshot), and later feed
    // events fold once.
    post(&writer, note("op-w", own, "catatan dari meja lain".into())).await;
    let report = desk.sync_once().await.unwrap();
    assert_eq!((report.pulled, report.snapshot), (1, 0), "{report:?}");
    let at_central = central_incidents(&central, &writer).await;
    assert_eq!(at_central[&own].notes.len(), 1);
    assert_equal(&store, &at_central).await;
}
