//! Fails when any log the e2e suite wrote holds a NIK whole (see `siaga_e2e::nik_scan`). Run by `./dev test`
//! after the e2e suite: `siaga-nik-scan [DIR]` (default: `SIAGA_E2E_LOGS` or `target/e2e/logs`). A folder
//! with no logs, or logs without a central's, is a failure too: the scan must have read what the suite
//! wrote.

#![allow(clippy::print_stdout)] // Its report is its output.

use anyhow::{bail, Result};
use siaga_e2e::nik_scan;
use std::path::PathBuf;

fn main() -> Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(nik_scan::log_dir);
    let scan = nik_scan::scan(&dir)?;
    let central_logs = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("central-"))
        .filter(|entry| entry.metadata().is_ok_and(|meta| meta.len() > 0))
        .count();
    println!(
        "siaga-nik-scan: {} files, {} KiB of logs in {} ({} of centrals); {} NIKs written whole",
        scan.files,
        scan.bytes / 1024,
        dir.display(),
        central_logs,
        scan.findings.len()
    );
    for finding in &scan.findings {
        println!(
            "  {}:{}: NIK {}",
            finding.file.display(),
            finding.line,
            finding.masked
        );
    }
    if central_logs == 0 {
        bail!(
            "no central's log in {}: the e2e suite's logs were not written there",
            dir.display()
        );
    }
    if !scan.findings.is_empty() {
        bail!(
            "{} NIKs written whole in the e2e suite's logs",
            scan.findings.len()
        );
    }
    Ok(())
}
