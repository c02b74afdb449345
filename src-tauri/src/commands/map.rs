//! `map_incidents`, `incident`, `incident_timeline`, `caller_history`, `kiosks`, `open_alerts`: what the map, the detail panel, the kiosk page and the alert
//! banner read from the desk's store.

use super::{ipc_error, DeskState};
use siaga_domain::Incident;
use siaga_ipc::{
    Empty, IncidentRequest, IncidentTimelineRequest, IpcError, KioskView, KiosksRequest, MapIncidents,
    MapIncidentsRequest, OpenAlertInfo, TimelineEntry,
};
use tauri::State;

/// The incidents the map shows, as points.
#[tauri::command]
pub async fn map_incidents(
    desk: State<'_, DeskState>,
    request: MapIncidentsRequest,
) -> Result<MapIncidents, IpcError> {
    desk.0.map_incidents(&request).await.map_err(|e| desk.error(&e))
}

/// One incident, for the detail panel.
#[tauri::command]
pub async fn incident(desk: State<'_, DeskState>, request: IncidentRequest) -> Result<Incident, IpcError> {
    desk.0
        .incident(request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// One incident's timeline, for the detail panel.
#[tauri::command]
pub async fn incident_timeline(
    desk: State<'_, DeskState>,
    request: IncidentTimelineRequest,
) -> Result<Vec<TimelineEntry>, IpcError> {
    desk.0
        .incident_timeline(request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The station kiosks with their lights.
#[tauri::command]
pub async fn kiosks(desk: State<'_, DeskState>, request: KiosksRequest) -> Result<Vec<KioskView>, IpcError> {
    desk.0
        .kiosks(request.stale_after_secs)
        .await
        .map_err(|e| desk.error(&e))
}

/// The kiosk alerts waiting for an operator.
#[tauri::command]
pub async fn open_alerts(desk: State<'_, DeskState>, request: Empty) -> Result<Vec<OpenAlertInfo>, IpcError> {
    let _ = request;
    desk.0.open_alerts().await.map_err(|e| desk.error(&e))
}

/// The caller number's earlier calls, for the detail panel.
#[tauri::command]
pub async fn caller_history(
    desk: State<'_, DeskState>,
    request: IncidentRequest,
) -> Result<siaga_ipc::CallerHistoryInfo, IpcError> {
    desk.0
        .caller_history(request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}
