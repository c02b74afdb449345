//! The central 110 API's wire types: what crosses HTTP and WebSocket between the central, the desk's
//! sync engine, the simulator and the kiosks.
//!
//! API Boundary: every byte the central sends or receives has its type here, so both ends compile
//! against one definition and no side writes JSON or XML by hand. The UI never sees these types: it
//! talks to its own shell through `siaga-ipc` (the dependency rules in `xtask` forbid the UI this crate).
//!
//! Architecture Invariant: depends on `siaga-domain`, serde and small pure crates (serde_json, quick-xml,
//! time, uuid, thiserror) only; builds for wasm32.

pub mod audit;
pub mod cap;
pub mod eido;
mod http;
pub mod services;
pub mod sync;
pub mod updates;
pub mod video;

pub use http::*;
