//! `notification_prefs`, `set_notification_prefs`: which desktop notifications the operator wants.

use super::{ipc_error, DeskState};
use siaga_ipc::{Empty, IpcError, NotificationPrefs};
use tauri::State;

/// The stored notification settings.
#[tauri::command]
pub fn notification_prefs(desk: State<'_, DeskState>, request: Empty) -> NotificationPrefs {
    let _ = request;
    desk.0.notification_prefs()
}

/// Changes and keeps the notification settings.
#[tauri::command]
pub async fn set_notification_prefs(
    desk: State<'_, DeskState>,
    request: NotificationPrefs,
) -> Result<Empty, IpcError> {
    let language = request.language;
    desk.0
        .set_notification_prefs(request)
        .await
        .map(|()| Empty {})
        .map_err(|e| ipc_error(&e, language))
}
