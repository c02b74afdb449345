//! `report_incident`, `incidents`, `queue_counts`, `act`: the operator's work on incidents, kept locally first;
//! `refusals`, `mark_refusal_read`: what the central refused of it, with its reason.

use super::{ipc_error, DeskState};
use siaga_desk::{DeskError, IncidentDraft, IncidentFilter};
use siaga_domain::{Channel, GeoPoint, Incident, Location};
use siaga_ipc::{
    ActRequest, Empty, IncidentsRequest, IpcError, MarkRefusalReadRequest, QueueCount, RefusalInfo,
    ReportIncidentRequest,
};
use tauri::State;

/// Takes down a new report.
#[tauri::command]
pub async fn report_incident(
    desk: State<'_, DeskState>,
    request: ReportIncidentRequest,
) -> Result<Incident, IpcError> {
    let point = GeoPoint::new(request.lat, request.lon)
        .map_err(|_| ipc_error(&DeskError::BadCoordinates, request.language))?;
    let draft = IncidentDraft {
        channel: Channel::Call110,
        location: Location::at(point),
        description: request.description,
        category: request.category,
    };
    desk.0
        .report(draft)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The incidents the list shows, from the local store.
#[tauri::command]
pub async fn incidents(
    desk: State<'_, DeskState>,
    request: IncidentsRequest,
) -> Result<Vec<Incident>, IpcError> {
    let filter = IncidentFilter {
        statuses: request.statuses,
        limit: request.limit.min(2000),
        oldest_first: request.queue,
        ..Default::default()
    };
    desk.0.incidents(&filter).await.map_err(|e| desk.error(&e))
}

/// How many incidents wait in each open stage, for the queue tabs.
#[tauri::command]
pub async fn queue_counts(desk: State<'_, DeskState>, request: Empty) -> Result<Vec<QueueCount>, IpcError> {
    let _ = request;
    desk.0.queue_counts().await.map_err(|e| desk.error(&e))
}

/// Records the operator's change to an incident.
#[tauri::command]
pub async fn act(desk: State<'_, DeskState>, request: ActRequest) -> Result<Incident, IpcError> {
    desk.0
        .act(request.incident_id, request.change)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The central's refusals no operator has read yet.
#[tauri::command]
pub async fn refusals(desk: State<'_, DeskState>, request: Empty) -> Result<Vec<RefusalInfo>, IpcError> {
    let _ = request;
    desk.0.refusals().await.map_err(|e| desk.error(&e))
}

/// The operator has read a refusal.
#[tauri::command]
pub async fn mark_refusal_read(
    desk: State<'_, DeskState>,
    request: MarkRefusalReadRequest,
) -> Result<Empty, IpcError> {
    desk.0
        .mark_refusal_read(request.event_id)
        .await
        .map(|()| Empty {})
        .map_err(|e| desk.error(&e))
}
