//! Kiosk alerts as OASIS CAP 1.2 (Common Alerting Protocol) XML, as RFC 8876 uses it for
//! non-interactive emergency calls: a parser and a writer for the whole `alert`/`info`/`area` model
//! (resources excepted), validated against the CAP 1.2 rules, plus the kiosk profile ([`KioskAlert`]).
//!
//! A kiosk payload is hostile until parsed: input over [`MAX_CAP_BYTES`] is refused before parsing, any
//! DOCTYPE is refused outright (so no DTD, entity definition or external reference is ever read), only
//! the five predefined entities and character references are resolved, processing instructions are
//! refused, nesting and element counts are bounded.
//!
//! The module's parts: [`model`] (the CAP types), `read` (the hardened reader and CAP 1.2's rules),
//! `write` (the writer), `kiosk` (the kiosk profile), `error` (why a document was refused).

mod error;
mod kiosk;
pub mod model;
mod read;
mod write;

pub use error::CapError;
pub use kiosk::*;
pub use model::*;
pub use write::format_cap_time;

/// The CAP 1.2 XML namespace.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// The largest CAP document accepted, in bytes.
pub const MAX_CAP_BYTES: usize = 64 * 1024;
