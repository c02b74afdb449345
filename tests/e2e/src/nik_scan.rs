//! NIKs in logs: the e2e suite's processes (the central, the desks with their WebDriver, the simulator) write
//! their logs under one folder (`SIAGA_E2E_LOGS`, see [`log_file`]), and after the suite `siaga-nik-scan`
//! reads every line of every file there for a NIK written whole — sixteen digits in a row or in groups
//! that parse as a NIK ([`siaga_domain::nik::Nik::parse`]). A NIK is personal data: a log may hold its 6
//! region digits, never the rest. A finding names the file and line with the NIK masked (the scanner's own
//! output is a log too).

use anyhow::{Context, Result};
use siaga_domain::nik::{digit_count, mask_nik, replace_digit_runs, Nik};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The folder the e2e processes write their logs to: `SIAGA_E2E_LOGS`, or `target/e2e/logs` of the
/// workspace.
pub fn log_dir() -> PathBuf {
    std::env::var_os("SIAGA_E2E_LOGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e/logs"))
}

/// A new log file for one process of a test, `<name>-<test process>-<n>.log` in [`log_dir`] (never one of
/// an earlier process: `n` counts up), with its path.
pub fn log_file(name: &str) -> Result<(PathBuf, std::fs::File)> {
    let dir = log_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for n in 0.. {
        let path = dir.join(format!("{name}-{}-{n}.log", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err).with_context(|| format!("creating {}", path.display())),
        }
    }
    unreachable!("some log file name is free")
}

/// A NIK found whole in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file.
    pub file: PathBuf,
    /// Its line, from 1.
    pub line: usize,
    /// The NIK, masked to its region digits.
    pub masked: String,
}

/// `line` with dbus-monitor's message stamps (`time=<seconds>.<microseconds>`, the notifications log's) blanked:
/// seconds and microseconds joined make 16 digits, and at some moments of the clock they parse as a NIK (CI failed
/// so at 1796422101.604413, 2026-12-04 22:08 UTC). A clock is not a NIK, whatever the hour.
fn without_clock_stamps(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("time=") {
        let (before, after) = rest.split_at(at + "time=".len());
        out.push_str(before);
        let stamp_len = after
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
            .map_or(after.len(), |(i, _)| i);
        if stamp_len > 0 {
            out.push_str("<clock>");
        }
        rest = &after[stamp_len..];
    }
    out.push_str(rest);
    out
}

/// The NIKs written whole in one line of text, masked: each number of 16 digits or more (in a row or in
/// groups of digits with single spaces, dots or dashes between them) holding 16 consecutive digits that
/// parse as a NIK. dbus-monitor's clock stamps are not read as numbers ([`without_clock_stamps`]).
pub fn niks_in(line: &str) -> Vec<String> {
    let found = RefCell::new(Vec::new());
    let line = without_clock_stamps(line);
    replace_digit_runs(&line, |number| {
        if digit_count(number) >= 16 {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            let whole = (0..=digits.len() - 16).any(|start| Nik::parse(&digits[start..start + 16]).is_ok());
            if whole {
                found.borrow_mut().push(mask_nik(&digits));
            }
        }
        String::new()
    });
    found.into_inner()
}

/// What a scan of a folder found and read.
#[derive(Debug, Default)]
pub struct Scan {
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// NIKs written whole.
    pub findings: Vec<Finding>,
}

/// Reads every file under `dir` (recursively) line by line; bytes that are not UTF-8 are read lossily.
pub fn scan(dir: &Path) -> Result<Scan> {
    let mut result = Scan::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&folder)
            .with_context(|| format!("reading {}", folder.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|entry| entry.path());
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                result.files += 1;
                result.bytes += bytes.len() as u64;
                for (index, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
                    for masked in niks_in(line) {
                        result.findings.push(Finding {
                            file: path.clone(),
                            line: index + 1,
                            masked,
                        });
                    }
                }
            }
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nik_is_found_in_a_row_or_in_groups_and_reported_masked() {
        assert_eq!(
            niks_in(r#"INFO request body={"nik":"3171015203900001"}"#),
            vec!["317101**********"]
        );
        assert_eq!(
            niks_in("reporter 3171 0152 0390 0001 called"),
            vec!["317101**********"]
        );
        assert_eq!(
            niks_in("id 9031710152039000017"),
            vec!["903171*************"],
            "inside a longer run"
        );
        assert_eq!(
            niks_in("signal time=1796422101.604413 string \"NIK 3171015203900001\""),
            vec!["317101**********"],
            "a NIK beside a clock stamp is still found"
        );
    }

    #[test]
    fn masked_niks_ids_and_other_numbers_are_not_findings() {
        for line in [
            "nik=317101**********",
            "incident 0193b5e2-5f3a-7c1d-8e2f-0123456789ab seq 1234567890123",
            "2026-12-04T10:00:00.123456789Z took 12.345 ms",
            // dbus-monitor's stamp at the moment CI found it "a NIK": a clock, at any hour.
            "signal time=1796422101.604413 sender=org.freedesktop.DBus -> destination=:1.0 serial=2",
            "method call time=1796422101.604413 sender=:1.12 -> destination=org.freedesktop.Notifications",
            "9999999999999999 is not a NIK (no such region or date)",
        ] {
            assert!(niks_in(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn a_scan_reads_every_file_and_names_the_line() -> Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("desk"))?;
        std::fs::write(dir.path().join("central-1.log"), "started\nnothing here\n")?;
        std::fs::write(
            dir.path().join("desk/app.log"),
            "ok\nNIK 3171015203900001 shown\n",
        )?;
        let found = scan(dir.path())?;
        assert_eq!(found.files, 2);
        assert_eq!(found.findings.len(), 1);
        assert_eq!(found.findings[0].line, 2);
        assert!(found.findings[0].file.ends_with("desk/app.log"));
        Ok(())
    }
}
