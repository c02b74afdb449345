//! Wire types shared by the central API, the desk backend and the UI.
//!
//! API Boundary: every byte that crosses a process boundary (HTTP, WebSocket, Tauri IPC) has its type
//! here, so both ends compile against one definition and no side writes JSON by hand.
//!
//! Architecture Invariant: depends on `siaga-domain`, serde and small pure crates (serde_json, quick-xml,
//! time, uuid, thiserror) only; builds for wasm32.

pub mod api;
pub mod cap;
pub mod eido;
pub mod ipc;
pub mod sync;
