//! `desk_setup`, `check_central`, `save_desk_setup`, `restart_desk`: the first-run setup screen's calls
//! (docs/decisions/0020). The setup takes effect when the desk restarts: the store, the sync and every open
//! connection start afresh on the new central, as after an install.

use super::DeskState;
use siaga_desk::setup::{DeskSetup, SetupError, SetupProblem};
use siaga_domain::Language;
use siaga_ipc::{
    CentralCheck, DeskSetupForm, DeskSetupFormRequest, DeskSetupInfo, DeskSetupRequest, Empty, IpcError,
};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::State;

/// The setup the desk started with, and whether a new one was saved since.
#[derive(Debug)]
pub struct SetupState {
    /// The folder of `desk-setup.json`.
    pub config_dir: PathBuf,
    /// The setup read at start, or why there is none.
    pub loaded: Result<DeskSetup, SetupProblem>,
    /// `SIAGA_CENTRAL_URL` names the central (demos, tests): no setup screen.
    pub from_environment: bool,
    /// A setup saved in this run (the restart is waiting for it).
    pub saved: Mutex<Option<DeskSetup>>,
}

impl SetupState {
    fn info(&self, language: Language) -> DeskSetupInfo {
        let path = self.config_dir.join(siaga_desk::setup::SETUP_FILE);
        let saved = self.saved.lock().ok().and_then(|saved| saved.clone());
        let current = saved.as_ref().or(self.loaded.as_ref().ok()).map(form_of);
        DeskSetupInfo {
            needed: !self.from_environment && self.loaded.is_err() && saved.is_none(),
            problem: self
                .loaded
                .as_ref()
                .err()
                .and_then(|problem| problem.message(&path, language)),
            from_environment: self.from_environment,
            current,
            path: path.display().to_string(),
        }
    }
}

fn form_of(setup: &DeskSetup) -> DeskSetupForm {
    DeskSetupForm {
        central_url: setup.central_url.clone(),
        fingerprint: setup
            .central_fingerprint
            .map(|f| f.to_string())
            .unwrap_or_default(),
        polda: setup.polda.code().to_owned(),
        polres: setup.polres.map(|p| p.0.number()),
        language: setup.language,
    }
}

fn checked(request: &DeskSetupFormRequest) -> Result<DeskSetup, IpcError> {
    let form = &request.form;
    DeskSetup::from_form(
        &form.central_url,
        &form.fingerprint,
        &form.polda,
        form.polres,
        form.language,
    )
    .map_err(|error: SetupError| IpcError {
        code: format!("setup_{}", error.field()),
        message: error.message(request.language),
    })
}

/// The setup as it stands.
#[tauri::command]
pub fn desk_setup(setup: State<'_, SetupState>, request: DeskSetupRequest) -> DeskSetupInfo {
    setup.info(request.language)
}

/// Asks the form's central for its health, trusting its certificate as the form says.
#[tauri::command]
pub async fn check_central(request: DeskSetupFormRequest) -> Result<CentralCheck, IpcError> {
    let setup = checked(&request)?;
    let id = request.language == Language::Id;
    Ok(match siaga_desk::setup::check_central(&setup).await {
        Ok(version) => CentralCheck {
            reachable: true,
            message: if id {
                format!("Tersambung: pusat 110 versi {version} menjawab.")
            } else {
                format!("Connected: the 110 central, version {version}, answered.")
            },
        },
        Err(error) => CentralCheck {
            reachable: false,
            message: error.message(request.language),
        },
    })
}

/// Saves the form as the desk's setup (refused whole when it breaks a rule).
#[tauri::command]
pub fn save_desk_setup(
    setup: State<'_, SetupState>,
    request: DeskSetupFormRequest,
) -> Result<DeskSetupInfo, IpcError> {
    let new = checked(&request)?;
    new.save(&setup.config_dir).map_err(|e| IpcError {
        code: "setup_write".into(),
        message: if request.language == Language::Id {
            format!(
                "Pengaturan tidak dapat disimpan di {}: {e}",
                setup.config_dir.display()
            )
        } else {
            format!("The setup cannot be saved in {}: {e}", setup.config_dir.display())
        },
    })?;
    if let Ok(mut saved) = setup.saved.lock() {
        *saved = Some(new);
    }
    Ok(setup.info(request.language))
}

/// Restarts the desk so a saved setup takes effect; refused when nothing was saved, or during a video call.
#[tauri::command]
pub fn restart_desk<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    setup: State<'_, SetupState>,
    desk: State<'_, DeskState>,
    _request: Empty,
) -> Result<Empty, IpcError> {
    let language = desk.0.notification_prefs().language;
    let id = language == Language::Id;
    if setup.saved.lock().map_or(true, |saved| saved.is_none()) {
        return Err(IpcError {
            code: "nothing_to_restart_for".into(),
            message: if id {
                "Belum ada pengaturan baru yang disimpan.".into()
            } else {
                "No new setup has been saved.".into()
            },
        });
    }
    if desk.0.in_call() {
        return Err(IpcError {
            code: "in_call".into(),
            message: if id {
                "Akhiri panggilan video dulu; desk dimulai ulang sesudahnya.".into()
            } else {
                "End the video call first; the desk restarts after it.".into()
            },
        });
    }
    app.restart()
}
