//! The desk's Tauri shell. It owns the window and adapts IPC commands to the desk's use cases; it holds
//! no business rules itself.
//!
//! Architecture Invariant: this is the only crate that depends on `tauri`. Commands are thin adapters in
//! [`commands`], registered and given a permission from siaga-ipc's command table, and granted in
//! `capabilities/` (a test compares the two). Map assets reach the
//! webview through the `tiles://` protocol ([`tiles`]), never the network.

pub mod commands;
pub mod notifications;
pub mod tiles;

use commands::DeskState;
use siaga_desk::store_key::KeyPlace;
use siaga_desk::{Desk, DeskConfig};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{Builder, Runtime};

/// The central the desk talks to unless `SIAGA_CENTRAL_URL` names another.
pub const DEFAULT_CENTRAL_URL: &str = "http://127.0.0.1:8110";

/// The handler of every command in siaga-ipc's table: the function of [`commands`] named like it.
macro_rules! handlers {
    ($($name:ident: $marker:ident($request:ty) -> $response:ty, $doc:literal;)*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// Adds Siaga's commands and state to a Tauri builder. Shared by the real app and tests that use a mock
/// runtime.
// The one sanctioned `generate_handler!` (clippy.toml): its list comes from the command table.
#[allow(clippy::disallowed_macros)]
pub fn configure<R: Runtime>(builder: Builder<R>, desk: Arc<Desk>) -> Builder<R> {
    tiles::register(builder, desk.streets_slot())
        .manage(DeskState(desk))
        .invoke_handler(siaga_ipc::ipc_command_table!(handlers))
}

/// Where the desk keeps its store and which central it syncs with: `SIAGA_DATA_DIR` (default: the
/// platform's data folder, e.g. `~/.local/share/siaga-110`) and `SIAGA_CENTRAL_URL`.
pub fn desk_config() -> DeskConfig {
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
    let central_url = std::env::var("SIAGA_CENTRAL_URL").unwrap_or_else(|_| DEFAULT_CENTRAL_URL.to_owned());
    DeskConfig {
        data_dir,
        central_url,
        central_trust: siaga_desk::CentralTrust::SystemRoots,
        store_key: store_key_place(),
    }
}

/// Where the store's key is kept: the OS keyring, with key files under the user's config folder
/// (`siaga-110/keys`) on a machine without a keyring service; `SIAGA_STORE_KEY_DIR` names a folder of key
/// files instead (a machine set up without a keyring, and the end-to-end tests).
fn store_key_place() -> KeyPlace {
    if let Some(dir) = std::env::var_os("SIAGA_STORE_KEY_DIR") {
        return KeyPlace::Files(PathBuf::from(dir));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    KeyPlace::Keyring {
        fallback_dir: config.join("siaga-110").join("keys"),
    }
}

/// Runs the desk until its window closes.
pub fn run() {
    let config = desk_config();
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
    sign_in_demo_operator(&desk);
    let for_setup = Arc::clone(&desk);
    configure(Builder::default(), desk)
        .setup(move |app| {
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
