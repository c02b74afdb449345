//! `sign_in`, `sign_out`, `sync_status`: the operator's session at the central and the link's state.

use super::{ipc_error, DeskState};
use siaga_desk::{Link, Session};
use siaga_ipc::{Empty, IpcError, LinkState, SessionInfo, SignInRequest, SyncStatusInfo};
use tauri::State;

/// Signs an operator in at the central.
#[tauri::command]
pub async fn sign_in(desk: State<'_, DeskState>, request: SignInRequest) -> Result<SessionInfo, IpcError> {
    let session = desk.0.sign_in(&request.username, &request.password).await;
    session
        .map(|s| session_info(&s))
        .map_err(|e| ipc_error(&e, request.language))
}

/// Signs the operator out; their queued actions stay queued.
#[tauri::command]
pub async fn sign_out(desk: State<'_, DeskState>, request: Empty) -> Result<Empty, IpcError> {
    let _ = request;
    desk.0
        .sign_out()
        .await
        .map(|()| Empty {})
        .map_err(|e| desk.error(&e))
}

/// The link, the queue and the session, for the status bar.
#[tauri::command]
pub fn sync_status(desk: State<'_, DeskState>, request: Empty) -> SyncStatusInfo {
    let _ = request;
    let status = desk.0.sync_status().borrow().clone();
    SyncStatusInfo {
        link: match status.link {
            Link::Offline => LinkState::Offline,
            Link::Syncing => LinkState::Syncing,
            Link::Online => LinkState::Online,
        },
        pending: status.pending,
        unseen_rejections: status.unseen_rejections,
        last_contact_ms: status.last_contact_ms,
        session: desk.0.session().as_ref().map(session_info),
        update_offered: desk.0.update_status().offer.map(|offer| offer.version),
    }
}

fn session_info(session: &Session) -> SessionInfo {
    SessionInfo {
        operator: session.operator.clone(),
        role: session.role.clone(),
        flow_role: session.flow_role,
        polda: session.polda,
    }
}
