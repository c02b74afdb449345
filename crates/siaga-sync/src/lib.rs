//! The desk's sync with the central 110 API (docs/decisions/0005): push the outbox in order with each event's
//! id as its idempotency key, pull the Polda's feed by cursor until caught up (a gap in server sequences
//! triggers a re-pull; events that do not fold trigger a snapshot of their incident), then follow the live
//! WebSocket; on any failure, back off with jitter and start over. Refusals are kept with their reason. An
//! empty desk with a long feed, or one whose cursor the central no longer keeps, syncs by snapshot pages
//! instead. The store announces what each commit changed (`siaga_store::Store::changes`).
//!
//! Architecture Invariant: the engine never changes incidents itself; it moves events between the store
//! (`siaga-store`) and the central, and the store folds them with the domain state machine.

pub mod backoff;
pub mod client;
pub mod engine;

pub use client::{CentralClient, ClientError, SnapshotChunk};
pub use engine::{Link, RoundReport, SyncConfig, SyncEngine, SyncError, SyncStatus};
pub use siaga_tls as tls;
pub use siaga_tls::{CentralTrust, CertFingerprint};
