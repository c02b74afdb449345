//! A desk as a child process (`desk_runner`): started on its store file, read line by line (one line per
//! action its store committed), killed with SIGKILL mid-write and restarted on the same file, and told
//! to finish (sync to quiescence and exit) through its stdin. The child is killed when dropped.
//!
//! The runner's stdout protocol, one line each:
//! `start <own events already in the store>`, `accepted <event id> <incident id> <action>`,
//! `skipped <reason code>`, `budget-done <own events>`, `drained`, `final <key=value …>`.

use crate::FaultError;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::task::JoinHandle;

/// How to run one desk.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    /// A short name (`desk-0`).
    pub name: String,
    /// Its store file.
    pub store: PathBuf,
    /// The central's base URL as the desk reaches it (through the proxy).
    pub central_url: String,
    /// Its account (a supervisor of Polda Metro Jaya).
    pub user: String,
    /// The account's password.
    pub password: String,
    /// Seed of its random choices.
    pub seed: u64,
    /// How many actions it makes in total, over all its runs.
    pub budget: u64,
    /// Mean pause between actions.
    pub pace: Duration,
    /// Where its stderr goes (appended over runs).
    pub log: PathBuf,
}

/// One accepted action, as the runner reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The event id.
    pub event: String,
    /// The incident id.
    pub incident: String,
    /// The action's code.
    pub action: String,
}

/// What the desk has reported so far, over all its runs.
#[derive(Debug, Clone, Default)]
pub struct DeskReport {
    /// Actions its store committed, as printed.
    pub accepted: Vec<Accepted>,
    /// Actions not recorded because the view changed between choosing and recording.
    pub skipped: u64,
    /// Lines that did not parse (a line cut by a kill).
    pub malformed: u64,
    /// The current run has used up the budget.
    pub budget_done: bool,
    /// The current run has had nothing pending since its budget was used up.
    pub drained: bool,
    /// The last run's closing line.
    pub final_line: Option<String>,
    /// Runs started.
    pub runs: u32,
}

impl DeskReport {
    fn take_line(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("accepted") => match (words.next(), words.next(), words.next()) {
                (Some(event), Some(incident), Some(action)) => self.accepted.push(Accepted {
                    event: event.to_owned(),
                    incident: incident.to_owned(),
                    action: action.to_owned(),
                }),
                _ => self.malformed += 1,
            },
            Some("skipped") => self.skipped += 1,
            Some("budget-done") => self.budget_done = true,
            Some("drained") => self.drained = true,
            Some("final") => self.final_line = Some(line.to_owned()),
            Some("start") => {}
            _ => self.malformed += 1,
        }
    }
}

/// A running (or killed) desk process.
#[derive(Debug)]
pub struct DeskProcess {
    config: DeskConfig,
    binary: PathBuf,
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    reader: Option<JoinHandle<()>>,
    report: Arc<Mutex<DeskReport>>,
    kills: u32,
}

impl DeskProcess {
    /// Starts the runner `binary` for `config`.
    pub fn start(binary: &Path, config: DeskConfig) -> Result<DeskProcess, FaultError> {
        let mut desk = DeskProcess {
            config,
            binary: binary.to_path_buf(),
            child: None,
            stdin: None,
            reader: None,
            report: Arc::default(),
            kills: 0,
        };
        desk.spawn()?;
        Ok(desk)
    }

    /// Its configuration.
    pub fn config(&self) -> &DeskConfig {
        &self.config
    }

    /// What it reported so far.
    pub fn report(&self) -> DeskReport {
        self.report.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Actions accepted so far (over all runs).
    pub fn accepted(&self) -> usize {
        self.report.lock().map(|r| r.accepted.len()).unwrap_or(0)
    }

    /// Whether the current run has used up the budget.
    pub fn budget_done(&self) -> bool {
        self.report.lock().map(|r| r.budget_done).unwrap_or(false)
    }

    /// Whether the current run has used up the budget and has nothing pending.
    pub fn drained(&self) -> bool {
        self.report.lock().map(|r| r.drained).unwrap_or(false)
    }

    /// How many times it was killed.
    pub fn kills(&self) -> u32 {
        self.kills
    }

    /// Its exit status, if the current run ended (a crash unless it was told to stop).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    fn spawn(&mut self) -> Result<(), FaultError> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.config.log)
            .map_err(|e| FaultError::Desk(format!("opening {}: {e}", self.config.log.display())))?;
        let c = &self.config;
        let mut child = Command::new(&self.binary)
            .arg("--store")
            .arg(&c.store)
            .arg("--central")
            .arg(&c.central_url)
            .arg("--user")
            .arg(&c.user)
            .arg("--seed")
            .arg(c.seed.to_string())
            .arg("--budget")
            .arg(c.budget.to_string())
            .arg("--pace-ms")
            .arg(c.pace.as_millis().to_string())
            .env("SIAGA_DESK_PASSWORD", &c.password)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| FaultError::Desk(format!("starting {}: {e}", self.binary.display())))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| FaultError::Desk("no stdout".into()))?;
        self.stdin = child.stdin.take();
        self.child = Some(child);
        if let Ok(mut report) = self.report.lock() {
            report.budget_done = false;
            report.drained = false;
            report.final_line = None;
            report.runs += 1;
        }
        let report = self.report.clone();
        self.reader = Some(tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut report) = report.lock() {
                    report.take_line(&line);
                }
            }
        }));
        Ok(())
    }

    /// Kills the runner with SIGKILL (whatever it is writing) and reaps it; its last lines are read.
    pub async fn kill(&mut self) {
        self.stdin = None;
        if let Some(mut child) = self.child.take() {
            let _ = child.start_kill();
            let _ = child.wait().await;
            self.kills += 1;
        }
        if let Some(reader) = self.reader.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), reader).await;
        }
    }

    /// Starts it again on the same store file; it carries on with what is left of its budget.
    pub fn restart(&mut self) -> Result<(), FaultError> {
        self.spawn()
    }

    /// Tells it to finish: sync until nothing is pending and nothing new arrives, then exit. Waits up to
    /// `limit`, then kills it and fails.
    pub async fn finish(&mut self, limit: Duration) -> Result<(), FaultError> {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"stop\n").await;
            let _ = stdin.flush().await;
        }
        let Some(child) = self.child.as_mut() else {
            return Err(FaultError::Desk(format!("{} is not running", self.config.name)));
        };
        let status = match tokio::time::timeout(limit, child.wait()).await {
            Ok(Ok(status)) => status,
            Ok(Err(err)) => return Err(FaultError::Desk(err.to_string())),
            Err(_) => {
                self.kill().await;
                return Err(FaultError::Desk(format!(
                    "{} did not finish syncing within {limit:?}; see {}",
                    self.config.name,
                    self.config.log.display()
                )));
            }
        };
        self.child = None;
        if let Some(reader) = self.reader.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), reader).await;
        }
        if !status.success() {
            return Err(FaultError::Desk(format!(
                "{} exited with {status}; see {}",
                self.config.name,
                self.config.log.display()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_parsed_and_cut_lines_counted() {
        let mut report = DeskReport::default();
        for line in [
            "start 0",
            "accepted e1 i1 add_note",
            "skipped illegal_transition",
            "accepted e2",
            "budget-done 1",
            "drained",
            "final pending=0",
        ] {
            report.take_line(line);
        }
        assert_eq!(report.accepted.len(), 1);
        assert_eq!(report.accepted[0].action, "add_note");
        assert_eq!((report.skipped, report.malformed), (1, 1));
        assert!(report.budget_done && report.drained);
        assert_eq!(report.final_line.as_deref(), Some("final pending=0"));
    }
}
