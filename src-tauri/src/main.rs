//! Entry point of the `siaga` desk binary.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    siaga_app::web_process::prefer_software_compositing_without_gpu();
    siaga_app::run();
}
