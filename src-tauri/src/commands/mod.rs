//! Tauri commands: one module per concern, each command a thin adapter from a `siaga-ipc` request to a
//! `siaga-desk` use case and back. Errors cross the bridge as [`IpcError`], already translated.

pub mod analytics;
pub mod app_info;
pub mod incidents;
pub mod map;
pub mod notifications;
pub mod services;
pub mod session;
pub mod setup;
pub mod streets;
pub mod update;
pub mod video;

// Every handler (and the wrapper `#[tauri::command]` makes beside it) by its command's name, so the shell
// registers them from siaga-ipc's command table.
pub use analytics::*;
pub use app_info::*;
pub use incidents::*;
pub use map::*;
pub use notifications::*;
pub use services::*;
pub use session::*;
pub use setup::*;
pub use streets::*;
pub use update::*;
pub use video::*;

use siaga_desk::{Desk, DeskError};
use siaga_domain::Language;
use siaga_ipc::IpcError;
use std::sync::Arc;

/// The desk, as managed state of the app.
#[derive(Debug, Clone)]
pub struct DeskState(pub Arc<Desk>);

impl DeskState {
    /// A desk error in the operator's language, for a request that names none: the language the UI last
    /// told the desk (the UI sends it with the notification settings whenever it changes).
    pub(crate) fn error(&self, error: &DeskError) -> IpcError {
        ipc_error(error, self.0.notification_prefs().language)
    }
}

/// A desk error as the UI shows it.
pub(crate) fn ipc_error(error: &DeskError, language: Language) -> IpcError {
    IpcError {
        code: error.code().to_owned(),
        message: error.message(language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_desk::DeskConfig;
    use siaga_ipc::NotificationPrefs;

    #[test]
    fn errors_of_requests_without_a_language_follow_the_language_the_ui_last_set() {
        let data = tempfile::tempdir().unwrap();
        let config = DeskConfig {
            data_dir: data.path().to_path_buf(),
            central_url: "http://127.0.0.1:9".into(),
            central_trust: siaga_desk::CentralTrust::SystemRoots,
            update_platform: None,
            store_key: siaga_desk::store_key::KeyPlace::Files(data.path().join("keys")),
        };
        let desk = tauri::async_runtime::block_on(Desk::open(&config)).unwrap();
        let state = DeskState(Arc::new(desk));
        assert_eq!(
            state.error(&DeskError::NotSignedIn).message,
            "Silakan masuk terlebih dahulu.",
            "Indonesian until the UI says otherwise"
        );
        let english = NotificationPrefs {
            language: Language::En,
            ..Default::default()
        };
        tauri::async_runtime::block_on(state.0.set_notification_prefs(english)).unwrap();
        let error = state.error(&DeskError::NotSignedIn);
        assert_eq!(
            (error.code.as_str(), error.message.as_str()),
            ("not_signed_in", "Please sign in first.")
        );
    }
}
