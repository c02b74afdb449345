//! Repository checks that keep the code base honest: every module documented, and the crate dependency
//! rules of docs/decisions/0004 (see ARCHITECTURE.md) enforced.

pub mod deps;
pub mod tidy;
