//! `places`, `number_history`, `legacy_numbers`, `report_incident`, `incidents`, `queue_counts`, `supervisor_board`, `duplicate_candidates`, `overdue_thresholds`, `set_overdue_thresholds`, `audit_log` (the supervisor's Polda audit trail, verified here), `act`: the operator's work on incidents, kept locally first;
//! `refusals`, `mark_refusal_read`: what the central refused of it, with its reason.

use super::{ipc_error, DeskState};
use siaga_desk::{IncidentDraft, IncidentFilter};
use siaga_domain::Incident;
use siaga_ipc::{
    ActRequest, Empty, IncidentsRequest, IpcError, MarkRefusalReadRequest, NumberHistoryRequest,
    PlacesRequest, QueueCount, RefusalInfo, ReportIncidentRequest,
};
use tauri::State;

/// Villages, districts, regencies and stations matching what the operator typed, best first.
#[tauri::command]
pub async fn places(
    desk: State<'_, DeskState>,
    request: PlacesRequest,
) -> Result<Vec<siaga_domain::place::PlaceHit>, IpcError> {
    Ok(desk.0.places(&request.query, request.limit).await)
}

/// The earlier calls of the number being typed during intake.
#[tauri::command]
pub async fn number_history(
    desk: State<'_, DeskState>,
    request: NumberHistoryRequest,
) -> Result<siaga_ipc::CallerHistoryInfo, IpcError> {
    desk.0
        .number_history(&request.number)
        .await
        .map_err(|e| desk.error(&e))
}

/// The legacy numbers forwarded to 110, for the number-dialed field of intake.
#[tauri::command]
pub async fn legacy_numbers(
    desk: State<'_, DeskState>,
    request: Empty,
) -> Result<Vec<siaga_ipc::LegacyNumberInfo>, IpcError> {
    let _ = request;
    desk.0.legacy_numbers().await.map_err(|e| desk.error(&e))
}

/// Takes down a new report.
#[tauri::command]
pub async fn report_incident(
    desk: State<'_, DeskState>,
    request: ReportIncidentRequest,
) -> Result<Incident, IpcError> {
    let location = siaga_desk::places::report_location(request.lat, request.lon, request.place.as_ref())
        .map_err(|e| ipc_error(&e, request.language))?;
    let (caller_number, reporter) = siaga_desk::report_people(
        request.caller_number.as_deref(),
        request.reporter_name.as_deref(),
        request.reporter_nik.as_deref(),
    )
    .map_err(|e| ipc_error(&e, request.language))?;
    let channel =
        siaga_desk::report_channel(request.dialed.as_deref()).map_err(|e| ipc_error(&e, request.language))?;
    let priority = siaga_desk::report_priority(request.category, request.priority)
        .map_err(|e| ipc_error(&e, request.language))?;
    let draft = IncidentDraft {
        channel,
        location,
        description: request.description,
        category: request.category,
        caller_number,
        reporter,
        priority,
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
        categories: request.categories,
        polres: request.polres,
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

/// What an incident may duplicate, for "close as duplicate".
#[tauri::command]
pub async fn duplicate_candidates(
    desk: State<'_, DeskState>,
    request: siaga_ipc::IncidentRequest,
) -> Result<Vec<siaga_ipc::DuplicateCandidate>, IpcError> {
    desk.0
        .duplicate_candidates(request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The supervisor board.
#[tauri::command]
pub async fn supervisor_board(
    desk: State<'_, DeskState>,
    request: Empty,
) -> Result<siaga_ipc::SupervisorBoard, IpcError> {
    let _ = request;
    desk.0.supervisor_board().await.map_err(|e| desk.error(&e))
}

/// The desk's overdue thresholds.
#[tauri::command]
pub async fn overdue_thresholds(
    desk: State<'_, DeskState>,
    request: Empty,
) -> Result<siaga_domain::queue::OverdueThresholds, IpcError> {
    let _ = request;
    desk.0.overdue_thresholds().await.map_err(|e| desk.error(&e))
}

/// The supervisor's Polda audit trail, verified on this desk.
#[tauri::command]
pub async fn audit_log(
    desk: State<'_, DeskState>,
    request: siaga_ipc::AuditLogRequest,
) -> Result<siaga_ipc::AuditLog, IpcError> {
    desk.0
        .audit_log(request.language)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// Sets the desk's overdue thresholds.
#[tauri::command]
pub async fn set_overdue_thresholds(
    desk: State<'_, DeskState>,
    request: siaga_ipc::SetOverdueThresholdsRequest,
) -> Result<siaga_domain::queue::OverdueThresholds, IpcError> {
    desk.0
        .set_overdue_thresholds(request.thresholds)
        .await
        .map_err(|e| ipc_error(&e, request.language))
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
