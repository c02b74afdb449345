//! Native desktop notifications (notify-rust: the freedesktop D-Bus service on Linux, toasts on
//! Windows) for what `siaga_desk::notify` decided, and the `siaga:changed` event that tells the screens
//! to re-read the store. Both run for the app's lifetime; the desk sends notifications only while an
//! operator is signed in.

use siaga_desk::{Desk, DeskNotification, NotificationKind};
use siaga_ipc::{ChangedEvent, CHANGED_EVENT};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// The sound of a kiosk alert: the freedesktop sound theme's alarm on Linux, Windows' looping alarm.
#[cfg(not(windows))]
const ALARM_SOUND: &str = "alarm-clock-elapsed";
#[cfg(windows)]
const ALARM_SOUND: &str = "Alarm";
/// The sound of a new critical incident.
#[cfg(not(windows))]
const URGENT_SOUND: &str = "dialog-warning";
#[cfg(windows)]
const URGENT_SOUND: &str = "Reminder";

/// Starts forwarding the desk's notifications to the desktop and its store changes to the webview.
pub fn start<R: Runtime>(app: AppHandle<R>, desk: Arc<Desk>) {
    let mut notifications = desk.notifications();
    tauri::async_runtime::spawn(async move {
        loop {
            match notifications.recv().await {
                Ok(notification) => {
                    // The D-Bus call blocks: keep it off the async workers.
                    let _ = tokio::task::spawn_blocking(move || show(&notification)).await;
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
    let mut changes = desk.changes();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match changes.recv().await {
                Ok(change) => ChangedEvent {
                    incidents: change.all_incidents || !change.incidents.is_empty(),
                    kiosks: change.kiosks,
                    committed_ms: change.committed_ms,
                },
                Err(RecvError::Lagged(_)) => ChangedEvent {
                    incidents: true,
                    kiosks: true,
                    committed_ms: 0,
                },
                Err(RecvError::Closed) => return,
            };
            let _ = app.emit(CHANGED_EVENT, event);
        }
    });
}

/// Shows one notification; a desktop without a notification service loses only the popup (the banner
/// and the map still show the alert).
#[allow(clippy::print_stderr)] // The shell has no logger yet; stderr is the desk's log.
fn show(notification: &DeskNotification) {
    let mut popup = notify_rust::Notification::new();
    popup
        .appname("Siaga 110")
        .summary(&notification.title)
        .body(&notification.body)
        .icon("dialog-warning");
    let (sound, category) = match notification.kind {
        NotificationKind::KioskAlert => (ALARM_SOUND, "x-siaga.kiosk-alert"),
        NotificationKind::Critical => (URGENT_SOUND, "x-siaga.critical-incident"),
    };
    popup.sound_name(sound);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        popup
            .urgency(notify_rust::Urgency::Critical)
            .hint(notify_rust::Hint::Category(category.into()))
            .hint(notify_rust::Hint::Custom(
                "x-siaga-incident".into(),
                notification.incident_id.to_string(),
            ));
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    let _ = category;
    if let Err(error) = popup.show() {
        eprintln!("siaga: desktop notification not shown: {error}");
    }
}
