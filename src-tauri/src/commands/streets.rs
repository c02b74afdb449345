//! `streets_archive`, `set_streets_archive`: the street map setting (which OpenStreetMap PMTiles extract
//! the `tiles://` protocol serves under `/streets/` and adds to the styles), kept by the desk.

use super::{ipc_error, DeskState};
use siaga_ipc::{IpcError, SetStreetsArchiveRequest, StreetsArchiveInfo, StreetsArchiveRequest};
use tauri::State;

/// The street map setting and what its archive holds.
#[tauri::command]
pub fn streets_archive(desk: State<'_, DeskState>, request: StreetsArchiveRequest) -> StreetsArchiveInfo {
    desk.0.streets_archive(request.language)
}

/// Points the map at another street archive (or none); on any error nothing changes.
#[tauri::command]
pub async fn set_streets_archive(
    desk: State<'_, DeskState>,
    request: SetStreetsArchiveRequest,
) -> Result<StreetsArchiveInfo, IpcError> {
    desk.0
        .set_streets_archive(request.path.as_deref())
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(desk.0.streets_archive(request.language))
}
