//! `services`, `service_act`, `service_photo`, `service_letter_save`, `service_nik_reveal`: the Layanan Warga page's calls into
//! the desk's citizen-service use cases.

use super::{ipc_error, DeskState};
use siaga_ipc::{
    IpcError, NikRevealInfo, ServiceActRequest, ServiceFileRequest, ServiceLetterSaved, ServicePhotoInfo,
    ServiceRequestInfo, ServicesInfo, ServicesRequest,
};
use tauri::State;

/// The queue, refreshed from the central when it answers.
#[tauri::command]
pub async fn services(
    desk: State<'_, DeskState>,
    request: ServicesRequest,
) -> Result<ServicesInfo, IpcError> {
    desk.0
        .services(request.language)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// An officer's action on a request.
#[tauri::command]
pub async fn service_act(
    desk: State<'_, DeskState>,
    request: ServiceActRequest,
) -> Result<ServiceRequestInfo, IpcError> {
    desk.0
        .service_act(&request)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The request's photo.
#[tauri::command]
pub async fn service_photo(
    desk: State<'_, DeskState>,
    request: ServiceFileRequest,
) -> Result<ServicePhotoInfo, IpcError> {
    desk.0
        .service_photo(&request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// Saves the signed letter into the desk's exports folder.
#[tauri::command]
pub async fn service_letter_save(
    desk: State<'_, DeskState>,
    request: ServiceFileRequest,
) -> Result<ServiceLetterSaved, IpcError> {
    desk.0
        .service_letter_save(&request.id)
        .await
        .map_err(|e| ipc_error(&e, request.language))
}

/// The applicant's NIK whole (recorded at the central and in the desk's trail).
#[tauri::command]
pub async fn service_nik_reveal(
    desk: State<'_, DeskState>,
    request: ServiceFileRequest,
) -> Result<NikRevealInfo, IpcError> {
    desk.0
        .service_nik_reveal(&request.id)
        .await
        .map(|nik| NikRevealInfo { nik })
        .map_err(|e| ipc_error(&e, request.language))
}
