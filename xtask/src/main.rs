//! `cargo run -p xtask -- <check>`: runs a repository check by hand and prints what it found.
//! The same checks run as tests (`cargo test -p xtask`), which is how `./dev test` and CI use them.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

#[allow(clippy::print_stderr)] // A command-line check reports its findings on stderr.
fn main() -> Result<ExitCode> {
    // Read at run time: the shared target dir may hold a binary built from another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").context("run it with `cargo run -p xtask`")?;
    let root = Path::new(&manifest)
        .parent()
        .context("xtask lives one level below the root")?;
    let check = std::env::args().nth(1).unwrap_or_default();
    let problems = match check.as_str() {
        "tidy" => xtask::tidy::missing_module_docs(root)?,
        "deps" => xtask::deps::violations(&xtask::deps::Graph::from_cargo_metadata(root)?),
        other => bail!("unknown check {other:?}; expected `tidy` or `deps`"),
    };
    for problem in &problems {
        eprintln!("{problem}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
