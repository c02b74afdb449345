//! The desk's use cases against a real central on loopback: sign in, report and classify an incident,
//! keep working while the central is down, and the errors an operator reads.

use siaga_central::auth::{create_user, Role as CentralRole};
use siaga_central::{app, AppState};
use siaga_desk::{Desk, DeskConfig, DeskError, IncidentDraft};
use siaga_domain::{Category, Channel, GeoPoint, IncidentChange, IncidentStatus, Language, Location};
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
    for (name, role) in [("budi", CentralRole::Operator1), ("sari", CentralRole::Analyst)] {
        create_user(&state.store, name, PASSWORD.into(), role, Some("metro_jaya"))
            .await
            .unwrap();
    }
    (addr, state, task)
}

fn draft() -> IncidentDraft {
    IncidentDraft {
        channel: Channel::Call110,
        location: Location::at(GeoPoint::new(-6.2088, 106.8456).unwrap()),
        description: "Tawuran pelajar di Jalan Sudirman".into(),
        category: None,
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
    let desk = Desk::open(&DeskConfig {
        data_dir: dir.path().join("desk"),
        central_url: format!("http://{addr}"),
    })
    .await
    .unwrap();
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
    wait_for(&desk, "the two actions should reach the central", |s| {
        s.link == Link::Online && s.pending == 0
    })
    .await;
    let confirmed = desk
        .store()
        .confirmed_incident(incident.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(confirmed.status, IncidentStatus::Classified);

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
    let desk = Desk::open(&DeskConfig {
        data_dir: dir.path().join("desk"),
        central_url: format!("http://{addr}"),
    })
    .await
    .unwrap();

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
