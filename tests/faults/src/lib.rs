//! The sync fault suite (docs/decisions/0005): desks and the central under link failures, central crashes and
//! desk crashes, and a checker that proves afterwards that every desk's store equals the central's state
//! with no action lost and none applied twice.
//!
//! - [`proxy`]: a TCP proxy whose mode switches at run time (pass, drop, delay, blackhole, reset
//!   mid-response);
//! - [`central`]: the real `siaga-central` binary as a child process, SIGKILLed and restarted;
//! - [`desk`]: a desk as a child process (`desk_runner`), SIGKILLed mid-write and restarted;
//! - [`actions`]: random legal edits chosen with the domain's rule table;
//! - [`inspect`] and [`check`]: what the desks and the central hold, and the verdict.
//!
//! The scenario itself is `tests/faults.rs`; `SIAGA_SOAK=1` makes it longer.

pub mod actions;
pub mod central;
pub mod check;
pub mod desk;
pub mod inspect;
pub mod proxy;
pub mod rng;

/// What can stop the suite's machinery (not a verdict: the checker reports those).
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    /// Building a binary failed.
    #[error("build: {0}")]
    Build(String),
    /// The central process failed to start or answer.
    #[error("central: {0}")]
    Central(String),
    /// A desk process failed.
    #[error("desk: {0}")]
    Desk(String),
    /// Reading a desk's file failed.
    #[error("reading a desk's store: {0}")]
    Inspect(#[source] sqlx::Error),
    /// The desk's store failed.
    #[error(transparent)]
    Store(#[from] siaga_store::StoreError),
    /// A request to the central failed.
    #[error(transparent)]
    Client(#[from] siaga_sync::ClientError),
    /// Gathering evidence failed.
    #[error("check: {0}")]
    Check(String),
}
