//! Incidents whose feed events do not fold onto the desk's confirmed snapshot (here: an incident
//! reassigned from another Polda, whose receipt is in that Polda's feed) are caught up from the central,
//! and the feed events already contained in what the desk caught up are not applied a second time.

use siaga_api::sync::EventEnvelope;
use siaga_central::auth::create_user;
use siaga_central::{app, AppState};
use siaga_domain::{
    Actor, Category, Channel, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId, Location,
    PoldaId, PolresId, Role,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, SyncConfig, SyncEngine};
use time::OffsetDateTime;
use uuid::Uuid;

const PASSWORD: &str = "kata sandi yang panjang";

fn event(actor: &str, incident: IncidentId, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::now_v7()),
        incident_id: incident,
        at: OffsetDateTime::now_utc(),
        actor: Actor::new(actor, Role::Supervisor),
        change,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_reassigned_from_another_polda_is_caught_up_without_applying_events_twice() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("central.db").display());
    let central = siaga_central::store::Store::open(&url).await.unwrap();
    for (name, polda) in [("spv-metro", "metro_jaya"), ("spv-jabar", "jawa_barat")] {
        create_user(&central, name, PASSWORD.into(), Role::Supervisor, Some(polda))
            .await
            .unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(AppState::new(central));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    // Polda Metro Jaya receives a report and hands it to Polrestabes Bandung (Polda Jawa Barat), where a
    // supervisor adds a note: the reassignment and the note open Jawa Barat's feed for this incident.
    let metro = CentralClient::new(&base);
    metro.login("spv-metro", PASSWORD).await.unwrap();
    let jabar = CentralClient::new(&base);
    jabar.login("spv-jabar", PASSWORD).await.unwrap();
    let incident = IncidentId(Uuid::now_v7());
    let steps = [
        IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(-6.1754, 106.8272).unwrap()),
            description: "Pengendara dibegal, pelaku kabur ke arah Bandung".into(),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
        IncidentChange::Classified {
            category: Category::Robbery,
            priority: None,
        },
        IncidentChange::Forwarded {
            polda: PoldaId::MetroJaya,
            polres: PolresId("3171".parse().unwrap()),
        },
        IncidentChange::Reassigned {
            polda: PoldaId::JawaBarat,
            polres: PolresId("3273".parse().unwrap()),
            reason: "Pelaku terlihat di Bandung".into(),
        },
    ];
    for change in steps {
        let e = event("spv-metro", incident, change);
        metro
            .append(&EventEnvelope::outgoing(PoldaId::MetroJaya, e))
            .await
            .unwrap();
    }
    for text in ["Pelaku dua orang", "Motor hitam tanpa pelat"] {
        let e = event(
            "spv-jabar",
            incident,
            IncidentChange::NoteAdded { text: text.into() },
        );
        jabar
            .append(&EventEnvelope::outgoing(PoldaId::JawaBarat, e))
            .await
            .unwrap();
    }
    let at_central = jabar.incident(incident).await.unwrap();
    assert_eq!(at_central.notes.len(), 2);

    // A Jawa Barat desk reads its feed one event a page: the reassignment does not fold (the desk never
    // saw the receipt), so the desk catches the incident up from the central; the notes that follow on
    // later pages are already in what it caught up and must not be applied again.
    let store = Store::open(&dir.path().join("jabar.sqlite")).await.unwrap();
    let mut config = SyncConfig::new(vec![PoldaId::JawaBarat]);
    config.page_size = 1;
    // Fold the feed from the start (no initial snapshot), to meet the reassignment in the feed.
    config.initial_snapshot = false;
    let desk = SyncEngine::new(store.clone(), jabar.clone(), config);
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.resynced, 1, "{report:?}");
    let confirmed = store.confirmed_incident(incident).await.unwrap().unwrap();
    assert_eq!(confirmed.notes.len(), 2, "no note twice: {:?}", confirmed.notes);
    assert_eq!(confirmed, at_central);
    assert_eq!(store.incident(incident).await.unwrap().unwrap(), at_central);

    // Later events fold as usual.
    let e = event(
        "spv-jabar",
        incident,
        IncidentChange::NoteAdded {
            text: "Saksi di lokasi".into(),
        },
    );
    jabar
        .append(&EventEnvelope::outgoing(PoldaId::JawaBarat, e))
        .await
        .unwrap();
    desk.sync_once().await.unwrap();
    let confirmed = store.confirmed_incident(incident).await.unwrap().unwrap();
    assert_eq!(confirmed, jabar.incident(incident).await.unwrap());
    assert_eq!(confirmed.notes.len(), 3);
    server.abort();
}
