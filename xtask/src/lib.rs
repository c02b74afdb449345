//! Repository checks that keep the code base honest: every module documented, and the crate dependency
//! rules of DESIGN.md §1 (see ARCHITECTURE.md) enforced.

pub mod deps;
pub mod tidy;
