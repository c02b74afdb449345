//! `analytics`: the Analitik page's numbers over the desk's incidents (hotspots, forecast, clock, trends,
//! districts, traffic); `research_export`: the anonymised export for academic partners.

use super::{ipc_error, DeskState};
use siaga_ipc::{
    AnalyticsRequest, AnalyticsView, Empty, IpcError, ResearchExportInfo, ResearchExportRequest,
    ResultsExportInfo, ResultsExportRequest,
};
use tauri::State;

/// Computes the page's numbers.
#[tauri::command]
pub async fn analytics(
    desk: State<'_, DeskState>,
    request: AnalyticsRequest,
) -> Result<AnalyticsView, IpcError> {
    desk.0.analytics(&request).await.map_err(|e| desk.error(&e))
}

/// Writes an anonymised research export and records it.
#[tauri::command]
pub async fn research_export(
    desk: State<'_, DeskState>,
    request: ResearchExportRequest,
) -> Result<ResearchExportInfo, IpcError> {
    desk.0
        .research_export(&request)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// Writes the page's results (cells, tables, the map picture) into a new folder.
#[tauri::command]
pub async fn analytics_results_export(
    desk: State<'_, DeskState>,
    request: ResultsExportRequest,
) -> Result<ResultsExportInfo, IpcError> {
    desk.0
        .analytics_results_export(&request)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// Stops the analysis under way.
#[tauri::command]
pub async fn analytics_cancel(desk: State<'_, DeskState>, request: Empty) -> Result<Empty, IpcError> {
    let _ = request;
    desk.0.cancel_analytics();
    Ok(Empty {})
}
