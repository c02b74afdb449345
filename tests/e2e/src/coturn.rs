//! A real TURN server for the video tests: coturn from Debian, started on a free loopback port with its own
//! configuration — the shared-secret scheme the central hands call parties credentials under
//! (`use-auth-secret`), its own relay port range, loopback peers allowed — and stopped when dropped. Its log stays
//! in its own folder, not with the suite's logs that `siaga-nik-scan` reads: coturn never sees personal data (it
//! relays encrypted media), and its long session numbers read as NIKs to the scan.

use anyhow::{Context as _, Result};
use std::net::SocketAddr;
use tokio::process::{Child, Command};

/// A running coturn.
#[derive(Debug)]
pub struct Coturn {
    /// Its UDP address.
    pub addr: SocketAddr,
    /// The secret it shares with the central.
    pub secret: String,
    _process: Child,
    _dir: super::TempDir,
}

impl Coturn {
    /// Starts coturn on loopback.
    pub fn start() -> Result<Coturn> {
        let dir = super::TempDir::new("siaga-e2e-coturn")?;
        let port = super::free_port()?;
        // A relay range of its own, below the kernel's ephemeral ports (32768 and up) that the tests' sockets get.
        let first = 20_000 + (port % 5_000) * 2;
        let secret = format!("e2e-{}", uuid::Uuid::now_v7().simple());
        let process = Command::new("turnserver")
            .args(["-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1"])
            .arg(format!("--listening-port={port}"))
            .arg(format!("--min-port={first}"))
            .arg(format!("--max-port={}", first + 40))
            .args(["--use-auth-secret", "--realm=siaga.test"])
            .arg(format!("--static-auth-secret={secret}"))
            .arg(format!("--userdb={}", dir.path.join("turndb").display()))
            .arg(format!("--pidfile={}", dir.path.join("turnserver.pid").display()))
            .args([
                "--no-tls",
                "--no-dtls",
                "--no-tcp",
                "--no-tcp-relay",
                "--no-cli",
                "--allow-loopback-peers",
            ])
            .args(["--no-software-attribute", "--no-stdout-log", "--simple-log"])
            .arg(format!("--log-file={}", dir.path.join("turn.log").display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting turnserver (coturn; ./dev setup installs it)")?;
        Ok(Coturn {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            secret,
            _process: process,
            _dir: dir,
        })
    }
}
