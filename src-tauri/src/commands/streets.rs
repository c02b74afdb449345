//! `streets_archive`, `choose_streets_archive`, `remove_streets_archive`: the street map setting (which
//! OpenStreetMap PMTiles extract the `tiles://` protocol serves under `/streets/` and adds to the styles),
//! kept by the desk. The file is chosen in the system's file dialog ([`crate::file_dialog`]); the webview
//! never sends a path.

use super::{ipc_error, DeskState};
use crate::file_dialog::{FilePicker, FileQuestion};
use siaga_domain::Language;
use siaga_ipc::{IpcError, StreetsArchiveChoice, StreetsArchiveInfo, StreetsArchiveRequest};
use tauri::State;

/// The street map setting and what its archive holds.
#[tauri::command]
pub fn streets_archive(desk: State<'_, DeskState>, request: StreetsArchiveRequest) -> StreetsArchiveInfo {
    desk.0.streets_archive(request.language)
}

/// Asks the operator for a street archive in the system's file dialog and, when one is picked, points the
/// map at it; on any error (or a cancelled dialog) nothing changes.
#[tauri::command]
pub async fn choose_streets_archive(
    desk: State<'_, DeskState>,
    picker: State<'_, FilePicker>,
    request: StreetsArchiveRequest,
) -> Result<StreetsArchiveChoice, IpcError> {
    let id = request.language == Language::Id;
    let question = FileQuestion {
        title: if id {
            "Pilih ekstrak jalan OpenStreetMap (.pmtiles)"
        } else {
            "Choose an OpenStreetMap street extract (.pmtiles)"
        }
        .to_owned(),
        kind: "PMTiles".to_owned(),
        extensions: vec!["pmtiles".to_owned()],
    };
    let picked = picker.pick(question).await.map_err(|_| IpcError {
        code: "file_dialog_open".into(),
        message: if id {
            "Jendela pemilihan berkas sudah terbuka; selesaikan atau batalkan dulu.".into()
        } else {
            "A file dialog is already open; finish or cancel it first.".into()
        },
    })?;
    let Some(path) = picked else {
        return Ok(StreetsArchiveChoice {
            chosen: false,
            info: desk.0.streets_archive(request.language),
        });
    };
    desk.0
        .set_streets_archive(Some(&path.to_string_lossy()))
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(StreetsArchiveChoice {
        chosen: true,
        info: desk.0.streets_archive(request.language),
    })
}

/// Takes the street map off the map.
#[tauri::command]
pub async fn remove_streets_archive(
    desk: State<'_, DeskState>,
    request: StreetsArchiveRequest,
) -> Result<StreetsArchiveInfo, IpcError> {
    desk.0
        .set_streets_archive(None)
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(desk.0.streets_archive(request.language))
}
