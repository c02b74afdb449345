//! The desk's background work while an operator is signed in, besides the sync engine: refreshing the
//! kiosk list from the central, keeping the routing table of legacy numbers, following citizen requests
//! (SPKT officers and supervisors), having the head of the desk's own audit trail signed, and turning
//! store changes into desktop notifications. All stop with the session (sign-out), so a signed-out desk
//! never rings.

use crate::notify::{DeskNotification, Notifier};
use siaga_domain::PoldaId;
use siaga_ipc::NotificationPrefs;
use siaga_store::{KioskRecord, Store};
use siaga_sync::CentralClient;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How often the kiosk list (and so the heartbeats' age) is asked of the central.
pub const KIOSK_REFRESH: Duration = Duration::from_secs(5);

/// How often a service desk (SPKT officer, supervisor) follows the citizen requests of its Polda.
pub const SERVICES_FOLLOW: Duration = Duration::from_secs(30);

/// Has the head of the desk's own audit trail signed by the central now and every
/// [`crate::audit::OWN_HEAD_INTERVAL`] until `stop`. A failure waits for the next turn: offline, nothing is
/// lost (the next head covers every entry before it); a refusal is recorded at the central, in the Polda's
/// trail its supervisors read.
pub(crate) async fn sign_own_heads(store: Store, client: CentralClient, mut stop: watch::Receiver<bool>) {
    loop {
        let _ = crate::audit::sign_own_head(&store, &client).await;
        tokio::select! {
            _ = tokio::time::sleep(crate::audit::OWN_HEAD_INTERVAL) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Follows the citizen requests into the store every [`SERVICES_FOLLOW`] until `stop`, so the Layanan
/// Warga queue is current (and readable offline) before the page is opened; a failed follow waits for
/// the next one.
pub(crate) async fn follow_services(store: Store, client: CentralClient, mut stop: watch::Receiver<bool>) {
    loop {
        let _ = crate::services::follow_into(&store, &client).await;
        tokio::select! {
            _ = tokio::time::sleep(SERVICES_FOLLOW) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// How often the routing table of legacy numbers is asked of the central (admins change it rarely).
pub const ROUTING_REFRESH: Duration = Duration::from_secs(600);

/// Keeps the central's routing table of legacy numbers in the store: at sign-in, then every
/// [`ROUTING_REFRESH`] until `stop` (every 10 s while the central does not answer, so a desk signed in
/// offline gets it soon after the link returns).
pub(crate) async fn follow_routing(store: Store, client: CentralClient, mut stop: watch::Receiver<bool>) {
    loop {
        let wait = match client.routing().await {
            Ok(table) => {
                let _ = crate::intake::keep_legacy_numbers(&store, &table).await;
                ROUTING_REFRESH
            }
            Err(_) => Duration::from_secs(10),
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Asks the central for the kiosks of `poldas` every [`KIOSK_REFRESH`] until `stop`; a failed ask waits
/// for the next one (the desk keeps showing the last list, ageing).
pub(crate) async fn refresh_kiosks(
    store: Store,
    client: CentralClient,
    poldas: Vec<PoldaId>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Ok(listed) = client.kiosks().await {
            let records: Vec<KioskRecord> = listed
                .into_iter()
                .filter(|k| poldas.contains(&k.polda))
                .map(|k| KioskRecord {
                    id: k.kiosk_id,
                    station: k.station,
                    polda: k.polda,
                    lat: k.lat,
                    lon: k.lon,
                    status: k.status,
                    battery_pct: k.battery_pct,
                    last_heartbeat_ms: k.last_heartbeat_ms,
                })
                .collect();
            // A store failure now is retried at the next refresh.
            let _ = store.replace_kiosks(&poldas, &records).await;
        }
        tokio::select! {
            _ = tokio::time::sleep(KIOSK_REFRESH) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Reads every changed incident and sends the notifications [`Notifier`] decides on, until `stop`.
pub(crate) async fn notify(
    store: Store,
    prefs: Arc<RwLock<NotificationPrefs>>,
    out: broadcast::Sender<DeskNotification>,
    mut stop: watch::Receiver<bool>,
) {
    let mut changes = store.changes();
    let mut notifier = Notifier::new();
    loop {
        let change = tokio::select! {
            change = changes.recv() => change,
            _ = stop.changed() => return,
        };
        if *stop.borrow() {
            return;
        }
        let change = match change {
            Ok(change) => change,
            // Lagging behind a burst (a resync) only skips notifications for what was missed.
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if change.incidents.is_empty() {
            continue;
        }
        let prefs = prefs.read().map(|p| p.clone()).unwrap_or_default();
        // The kiosk list is read only when an open alert needs its station's name.
        let mut kiosks = None;
        for id in change.incidents {
            let Ok(Some(incident)) = store.incident(id).await else {
                continue;
            };
            if incident.open_kiosk_alert().is_some() && kiosks.is_none() {
                kiosks = Some(store.kiosks().await.unwrap_or_default());
            }
            let station = incident
                .open_kiosk_alert()
                .and_then(|kiosk| kiosks.as_deref()?.iter().find(|k| k.id == *kiosk))
                .map(|k| k.station.as_str());
            if let Some(notification) =
                notifier.consider(&incident, station, crate::now_ms(), &prefs, prefs.language)
            {
                // Nobody listening (no shell) is fine.
                let _ = out.send(notification);
            }
        }
    }
}
