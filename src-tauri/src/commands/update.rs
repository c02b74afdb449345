//! `update_status`, `check_update`, `download_update`, `install_update`: the Pengaturan page's update card
//! (docs/decisions/0021). The desk decides what is offered and checks the package; installing hands the
//! checked file to the platform's installer (dpkg or rpm through pkexec on Linux, the NSIS installer on
//! Windows) and restarts the desk.

use super::{ipc_error, DeskState};
use siaga_desk::update::refusal_message;
use siaga_domain::Language;
use siaga_ipc::{Empty, IpcError, UpdateInfo, UpdateOffer, UpdateRequest};
use tauri::State;

fn info(desk: &DeskState, language: Language) -> UpdateInfo {
    let status = desk.0.update_status();
    UpdateInfo {
        current_version: env!("CARGO_PKG_VERSION").to_owned(),
        platform: status.platform,
        checked_ms: status.checked_ms,
        offer: status.offer.map(|manifest| UpdateOffer {
            notes: match language {
                Language::Id => manifest.notes_id,
                Language::En => manifest.notes_en,
            },
            version: manifest.version,
            size: manifest.size,
            package: manifest.package,
        }),
        refused: status.refused.map(|refusal| refusal_message(&refusal, language)),
        ready: status.ready.is_some(),
        trusted_keys: siaga_desk::update::trusted_keys().ids(),
    }
}

/// The update as it stands.
#[tauri::command]
pub fn update_status(desk: State<'_, DeskState>, request: UpdateRequest) -> UpdateInfo {
    info(&desk, request.language)
}

/// Asks the central now.
#[tauri::command]
pub async fn check_update(
    desk: State<'_, DeskState>,
    request: UpdateRequest,
) -> Result<UpdateInfo, IpcError> {
    desk.0
        .check_for_update()
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(info(&desk, request.language))
}

/// Downloads and checks the offered package.
#[tauri::command]
pub async fn download_update(
    desk: State<'_, DeskState>,
    request: UpdateRequest,
) -> Result<UpdateInfo, IpcError> {
    desk.0
        .download_update()
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(info(&desk, request.language))
}

/// Installs the checked package with the platform's installer, then restarts the desk on it.
#[tauri::command]
pub async fn install_update<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    desk: State<'_, DeskState>,
    request: UpdateRequest,
) -> Result<Empty, IpcError> {
    let id = request.language == Language::Id;
    if desk.0.in_call() {
        return Err(IpcError {
            code: "in_call".into(),
            message: if id {
                "Akhiri panggilan video dulu; pembaruan dipasang sesudahnya.".into()
            } else {
                "End the video call first; the update is installed after it.".into()
            },
        });
    }
    let (path, manifest) = desk
        .0
        .update_ready_to_install()
        .map_err(|e| ipc_error(&e, request.language))?;
    let installed = tauri::async_runtime::spawn_blocking(move || run_installer(&manifest.platform, &path))
        .await
        .map_err(|e| installer_error(&e.to_string(), id))?;
    match installed.map_err(|why| installer_error(&why, id))? {
        Next::Restart => app.restart(),
        // The Windows installer replaces the desk's files once it has exited, then starts it again.
        Next::Exit => {
            app.exit(0);
            Ok(Empty {})
        }
    }
}

/// What the desk does once the installer has its package.
enum Next {
    /// The new version is installed: start it.
    Restart,
    /// The installer waits for this desk to exit, and starts the new one itself.
    Exit,
}

fn installer_error(why: &str, id: bool) -> IpcError {
    IpcError {
        code: "installer_failed".into(),
        message: if id {
            format!("Pemasang tidak berhasil: {why}. Desk tetap pada versi ini.")
        } else {
            format!("The installer did not succeed: {why}. The desk stays at this version.")
        },
    }
}

/// Runs the platform's installer on the checked package (and waits for it, except on Windows).
fn run_installer(platform: &str, package: &std::path::Path) -> Result<Next, String> {
    let (program, args): (&str, Vec<std::ffi::OsString>) = match platform {
        p if p.ends_with("-deb") => ("dpkg", vec!["-i".into(), package.into()]),
        p if p.ends_with("-rpm") => ("rpm", vec!["-U".into(), package.into()]),
        // NSIS: silent, into the installed folder; the installer replaces the files once this desk exits and starts
        // the new one (`/RELAUNCH`, packaging/windows/siaga.nsi).
        p if p.ends_with("-nsis") => {
            std::process::Command::new(package)
                .args(["/S", "/RELAUNCH"])
                .spawn()
                .map_err(|e| e.to_string())?;
            return Ok(Next::Exit);
        }
        other => return Err(format!("no installer for {other}")),
    };
    let mut command = if is_root() {
        std::process::Command::new(program)
    } else {
        // The desktop's own password prompt for an administrator (polkit).
        let mut pkexec = std::process::Command::new("pkexec");
        pkexec.arg(program);
        pkexec
    };
    let output = command.args(args).output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(Next::Restart)
    } else {
        Err(String::from_utf8_lossy(&output.stderr)
            .trim()
            .chars()
            .take(300)
            .collect())
    }
}

#[cfg(unix)]
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

#[cfg(not(unix))]
fn is_root() -> bool {
    false
}
