//! Entry point of the desk's wasm UI: installs the panic reporter and mounts the app shell.

mod app;
mod components;
mod desk_status;
mod i18n;
mod ipc;
mod keys;
mod live;
mod map;
mod notification_prefs;
mod overdue;
mod pages;
mod prefs;
mod streets;
mod video;

fn main() {
    app::install_panic_reporter();
    leptos::mount::mount_to_body(app::App);
}
