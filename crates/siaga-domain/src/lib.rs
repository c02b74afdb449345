//! The pure model and rules of Siaga 110: incidents, the operator flow, NIK, jurisdictions, kiosks, geo.
//!
//! Architecture Invariant: this crate does no IO and depends on no async runtime, database or UI
//! framework, so every rule here is testable as a plain function and builds for wasm32 (the UI uses it).

pub mod language;

pub use language::Language;
