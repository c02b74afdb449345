//! Tauri commands: one module per command, each a thin adapter from a `siaga-wire` request to a
//! use case and back. Errors cross the bridge as [`siaga_wire::ipc::IpcError`].

pub mod app_info;
