//! `analytics`: the Analitik page's numbers over the desk's incidents (hotspots, forecast, clock, trends,
//! districts, traffic).

use super::DeskState;
use siaga_ipc::{AnalyticsRequest, AnalyticsView, IpcError};
use tauri::State;

/// Computes the page's numbers.
#[tauri::command]
pub async fn analytics(
    desk: State<'_, DeskState>,
    request: AnalyticsRequest,
) -> Result<AnalyticsView, IpcError> {
    desk.0.analytics(&request).await.map_err(|e| desk.error(&e))
}
