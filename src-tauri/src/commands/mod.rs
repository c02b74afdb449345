//! Tauri commands: one module per concern, each command a thin adapter from a `siaga-wire` request to a
//! `siaga-desk` use case and back. Errors cross the bridge as [`IpcError`], already translated.

pub mod app_info;
pub mod incidents;
pub mod map;
pub mod notifications;
pub mod session;
pub mod streets;

// Every handler (and the wrapper `#[tauri::command]` makes beside it) by its command's name, so the shell
// registers them from siaga-wire's command table.
pub use app_info::*;
pub use incidents::*;
pub use map::*;
pub use notifications::*;
pub use session::*;
pub use streets::*;

use siaga_desk::{Desk, DeskError};
use siaga_domain::Language;
use siaga_wire::ipc::IpcError;
use std::sync::Arc;

/// The desk, as managed state of the app.
#[derive(Debug, Clone)]
pub struct DeskState(pub Arc<Desk>);

/// A desk error as the UI shows it.
pub(crate) fn ipc_error(error: &DeskError, language: Language) -> IpcError {
    IpcError {
        code: error.code().to_owned(),
        message: error.message(language),
    }
}
