//! The desk's Tauri shell. It owns the window and adapts IPC commands to the desk's use cases; it holds
//! no business rules itself.
//!
//! Architecture Invariant: this is the only crate that depends on `tauri`. Commands are thin adapters in
//! [`commands`], registered and given a permission from siaga-ipc's command table, and granted in
//! `capabilities/` (a test compares the two). Map assets reach the
//! webview through the `tiles://` protocol ([`tiles`]), never the network.

pub mod commands;
pub mod file_dialog;
pub mod notifications;
pub mod tiles;
pub mod web_process;

use commands::{DeskState, SetupState};
use file_dialog::FilePicker;
use siaga_desk::setup::DeskSetup;
use siaga_desk::store_key::KeyPlace;
use siaga_desk::{CentralTrust, Desk, DeskConfig};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{Builder, Manager as _, Runtime};

/// The handler of every command in siaga-ipc's table: the function of [`commands`] named like it.
macro_rules! handlers {
    ($($name:ident: $marker:ident($request:ty) -> $response:ty, $doc:literal;)*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// Adds Siaga's commands and state to a Tauri builder. Shared by the real app (with
/// [`FilePicker::native`]) and tests that use a mock runtime.
// The one sanctioned `generate_handler!` (clippy.toml): its list comes from the command table.
#[allow(clippy::disallowed_macros)]
pub fn configure<R: Runtime>(
    builder: Builder<R>,
    desk: Arc<Desk>,
    setup: SetupState,
    file_picker: FilePicker,
) -> Builder<R> {
    tiles::register(builder, desk.streets_slot())
        .manage(DeskState(desk))
        .manage(setup)
        .manage(file_picker)
        .invoke_handler(siaga_ipc::ipc_command_table!(handlers))
}

/// Where the desk keeps its store and which central it syncs with: `SIAGA_DATA_DIR` (default: the
/// platform's data folder, e.g. `~/.local/share/siaga-110`), and the central of the desk's setup file
/// (`desk-setup.json` in [`config_dir`], made by the first-run setup screen) unless `SIAGA_CENTRAL_URL` names one
/// (demos and tests; `SIAGA_CENTRAL_FINGERPRINT` pins its certificate). Without either, the desk opens on its
/// setup screen.
pub fn desk_config() -> (DeskConfig, SetupState) {
    let data_dir = std::env::var_os("SIAGA_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let base = std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
                .unwrap_or_else(|| PathBuf::from("."));
            base.join("siaga-110")
        });
    let config_dir = config_dir();
    let loaded = DeskSetup::load(&config_dir);
    let from_environment = std::env::var("SIAGA_CENTRAL_URL")
        .ok()
        .filter(|url| !url.trim().is_empty());
    let (central_url, central_trust) = match (&from_environment, &loaded) {
        (Some(url), _) => {
            let trust = std::env::var("SIAGA_CENTRAL_FINGERPRINT")
                .ok()
                .and_then(|pin| pin.parse().ok())
                .map_or(CentralTrust::SystemRoots, CentralTrust::Pinned);
            (url.clone(), trust)
        }
        (None, Ok(setup)) => (setup.central_url.clone(), setup.trust()),
        // The setup screen comes first; nothing is sent anywhere until it is saved and the desk restarts.
        (None, Err(_)) => (String::new(), CentralTrust::SystemRoots),
    };
    let config = DeskConfig {
        data_dir,
        central_url,
        central_trust,
        update_platform: update_platform(),
        store_key: store_key_place(),
    };
    let setup = SetupState {
        config_dir,
        loaded,
        from_environment: from_environment.is_some(),
        saved: std::sync::Mutex::new(None),
    };
    (config, setup)
}

/// The platform this desk was installed as, for its updates (decision 0021): what the package it came in says
/// (the Tauri bundler marks the binary), `None` for a build that no package installed. A debug build (the tests')
/// may name it in `SIAGA_UPDATE_PLATFORM`.
fn update_platform() -> Option<String> {
    use tauri::utils::{config::BundleType, platform::bundle_type};
    if cfg!(debug_assertions) {
        if let Ok(platform) = std::env::var("SIAGA_UPDATE_PLATFORM") {
            return Some(platform);
        }
    }
    let arch = std::env::consts::ARCH;
    match bundle_type()? {
        BundleType::Deb => Some(format!("linux-{arch}-deb")),
        BundleType::Rpm => Some(format!("linux-{arch}-rpm")),
        BundleType::Nsis => Some(format!("windows-{arch}-nsis")),
        _ => None,
    }
}

/// The desk's own config folder: `siaga-110` under `XDG_CONFIG_HOME` (`~/.config`) or `%APPDATA%`.
pub fn config_dir() -> PathBuf {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("siaga-110")
}

/// Where the store's key is kept: the OS keyring, with key files under the user's config folder
/// (`siaga-110/keys`) on a machine without a keyring service; `SIAGA_STORE_KEY_DIR` names a folder of key
/// files instead (a machine set up without a keyring, and the end-to-end tests).
fn store_key_place() -> KeyPlace {
    if let Some(dir) = std::env::var_os("SIAGA_STORE_KEY_DIR") {
        return KeyPlace::Files(PathBuf::from(dir));
    }
    KeyPlace::Keyring {
        fallback_dir: config_dir().join("keys"),
    }
}

/// Runs the desk until its window closes.
pub fn run() {
    let (config, setup) = desk_config();
    let desk = match tauri::async_runtime::block_on(Desk::open(&config)) {
        Ok(desk) => desk,
        Err(error) => {
            // Both languages: the operator's choice is in the store that did not open.
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "siaga: {}\n{}\n({})",
                    error.message(siaga_domain::Language::Id),
                    error.message(siaga_domain::Language::En),
                    config.data_dir.display()
                );
            }
            std::process::exit(2);
        }
    };
    let desk = Arc::new(desk);
    // Video calls through the central's TURN server only (an office whose firewall lets no direct UDP out).
    desk.set_video_relay_only(std::env::var("SIAGA_VIDEO_RELAY_ONLY").is_ok_and(|v| v == "1"));
    sign_in_demo_operator(&desk);
    let for_setup = Arc::clone(&desk);
    configure(Builder::default(), desk, setup, FilePicker::native())
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                web_process::reload_after_a_crash(&window);
            }
            notifications::start(app.handle().clone(), for_setup);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Siaga desk could not start its window");
}

/// For demos (`./dev run`): signs in the account named by `SIAGA_DEMO_USER` / `SIAGA_DEMO_PASSWORD` at start,
/// in the background, so the window opens at once even if the central is slow.
fn sign_in_demo_operator(desk: &Arc<Desk>) {
    let (Ok(user), Ok(password)) = (
        std::env::var("SIAGA_DEMO_USER"),
        std::env::var("SIAGA_DEMO_PASSWORD"),
    ) else {
        return;
    };
    let desk = Arc::clone(desk);
    tauri::async_runtime::spawn(async move {
        // The central may still be starting: try for about half a minute.
        for _ in 0..60 {
            if desk.sign_in(&user, &password).await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    });
}
