//! `siaga-login-bench`: the central's memory under a burst of anonymous sign-ins (a benchmark, not a
//! test). Starts the real `siaga-central` binary twice on a fresh SQLite file — first with the sign-in
//! limits opened wide (as many hash slots and waiting places as requests: the server before the limits
//! existed), then with its defaults — fires N parallel logins of unknown accounts at each, and reports
//! the server's peak resident memory (VmHWM), its resident memory after the burst, and how the requests
//! were answered. The ratio default/baseline is the figure.
//!
//! ```text
//! cargo build --release -p siaga-central
//! cargo run --release -p siaga-contract-tests --bin siaga-login-bench -- [--logins 256]
//! ```
//! `SIAGA_CENTRAL_BIN` names the server binary (default: `siaga-central` beside this one). Linux only
//! (reads `/proc`).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on its terminal

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn logins_flag() -> Result<usize> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--logins") {
        Some(i) => args.get(i + 1).context("a value")?.parse().context("a number"),
        None => Ok(256),
    }
}

fn server_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("SIAGA_CENTRAL_BIN") {
        return Ok(path.into());
    }
    let beside = std::env::current_exe()?.with_file_name("siaga-central");
    if beside.exists() {
        Ok(beside)
    } else {
        bail!("no siaga-central at {}: build it (cargo build --release -p siaga-central) or set SIAGA_CENTRAL_BIN", beside.display())
    }
}

/// A `kB` field of `/proc/<pid>/status`, in MiB.
fn status_mib(pid: u32, field: &str) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .with_context(|| format!("{field} in /proc/{pid}/status"))?;
    let kb: f64 = line.split_whitespace().nth(1).context("a number")?.parse()?;
    Ok(kb / 1024.0)
}

struct Running {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(extra: &[String]) -> Result<Running> {
    let dir = tempfile::tempdir()?;
    let port = siaga_contract_tests::free_port();
    let database = format!("sqlite:{}", dir.path().join("central.db").display());
    let child = Command::new(server_binary()?)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            &database,
        ])
        .args(extra)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .context("starting siaga-central")?;
    let running = Running {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while siaga_tls::client()
        .get(format!("{}/v1/health", running.url))
        .send()
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("siaga-central did not come up");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(running)
}

/// Fires `logins` parallel sign-ins of unknown accounts; answers (peak MiB, MiB after, answers by status, seconds).
async fn burst(server: &Running, logins: usize) -> Result<(f64, f64, BTreeMap<u16, usize>, f64)> {
    let pid = server.child.id();
    let http = siaga_tls::client();
    let started = Instant::now();
    let requests: Vec<_> = (0..logins)
        .map(|n| {
            let request = http.post(format!("{}/v1/auth/login", server.url)).json(
                &serde_json::json!({"username": format!("nobody{n}"), "password": "a guess of a password"}),
            );
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let mut answers = BTreeMap::new();
    for request in requests {
        let status = request.await?.unwrap_or(0);
        *answers.entry(status).or_insert(0) += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_mib(pid, "VmHWM")?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = status_mib(pid, "VmRSS")?;
    Ok((peak, after, answers, seconds))
}

#[tokio::main]
async fn main() -> Result<()> {
    let logins = logins_flag()?;
    let wide = logins.to_string();
    let baseline = start(&[
        "--login-hashes".into(),
        wide.clone(),
        "--login-queue".into(),
        wide,
    ])
    .await?;
    let idle = status_mib(baseline.child.id(), "VmRSS")?;
    let (base_peak, base_after, base_answers, base_s) = burst(&baseline, logins).await?;
    drop(baseline);
    let limited = start(&[]).await?;
    let (peak, after, answers, seconds) = burst(&limited, logins).await?;
    println!("{logins} parallel sign-ins of unknown accounts (idle server: {idle:.0} MiB resident)");
    println!(
        "baseline, limits wide open: peak {base_peak:.0} MiB, after {base_after:.0} MiB, {base_s:.1} s, answers {base_answers:?}"
    );
    println!("default limits:             peak {peak:.0} MiB, after {after:.0} MiB, {seconds:.1} s, answers {answers:?}");
    println!("peak ratio default/baseline: {:.2}", peak / base_peak);
    Ok(())
}
