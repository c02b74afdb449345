//! The desk's Tauri shell. It owns the window and adapts IPC commands to the desk's use cases; it holds
//! no business rules itself.
//!
//! Architecture Invariant: this is the only crate that depends on `tauri`. Commands are thin adapters in
//! [`commands`] and each is listed in `build.rs` and granted in `capabilities/`.

pub mod commands;

use tauri::{Builder, Runtime};

/// Adds Siaga's commands and state to a Tauri builder. Shared by the real app and tests that use a mock
/// runtime.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.invoke_handler(tauri::generate_handler![commands::app_info::app_info])
}

/// Runs the desk until its window closes.
pub fn run() {
    configure(Builder::default())
        .run(tauri::generate_context!())
        .expect("the Siaga desk could not start its window");
}
