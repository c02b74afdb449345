//! A real desktop notification server for end-to-end tests: a private D-Bus session bus
//! (`dbus-daemon` from Debian) with `dunst` owning `org.freedesktop.Notifications` on it, and
//! `dbus-monitor` recording every `Notify` call (to read the hints, e.g. the sound name). The desk is
//! started with [`NotificationServer::env`] so its notify-rust client talks to this bus only.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

/// A session bus with dunst and a monitor on it (all stopped on drop).
#[derive(Debug)]
pub struct NotificationServer {
    address: String,
    _bus: Child,
    _dunst: Child,
    _monitor: Child,
    monitor_log: PathBuf,
    _dir: super::TempDir,
}

/// A notification as dunst keeps it in its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub app_name: String,
    pub summary: String,
    pub body: String,
    /// The notification's category hint (`x-siaga.kiosk-alert`, …).
    pub category: String,
}

impl NotificationServer {
    /// Starts the bus, dunst (on the test's `DISPLAY`) and the monitor; waits until dunst serves.
    pub async fn start() -> Result<NotificationServer> {
        let dir = super::TempDir::new("siaga-e2e-dbus")?;
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", dir.path.join("bus").display()))
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting dbus-daemon (Debian dbus-daemon)")?;
        let mut lines = BufReader::new(bus.stdout.take().context("dbus-daemon stdout")?).lines();
        let address = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .context("dbus-daemon printed no address")??
            .context("dbus-daemon closed its output")?;
        let dunst = Command::new("dunst")
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_CONFIG_HOME", dir.path.join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting dunst (Debian dunst)")?;
        // Every notification the desks showed, as the bus carried it: read by the tests, and by
        // siaga-nik-scan after the suite (a notification's text is a log of what the desk said).
        let (monitor_log, monitor_file) = super::nik_scan::log_file("notifications")?;
        let monitor = Command::new("dbus-monitor")
            .args([
                "--session",
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdout(monitor_file)
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting dbus-monitor (Debian dbus-bin)")?;
        let server = NotificationServer {
            address,
            _bus: bus,
            _dunst: dunst,
            _monitor: monitor,
            monitor_log,
            _dir: dir,
        };
        // Ask the bus who owns the name (asking dunst itself would make the bus start another one).
        let deadline = Instant::now() + Duration::from_secs(15);
        while !server.notifications_owned().await? {
            if Instant::now() > deadline {
                bail!("dunst did not come up on the test bus");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(server)
    }

    async fn notifications_owned(&self) -> Result<bool> {
        let output = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply=literal",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .await
            .context("running dbus-send (Debian dbus-bin)")?;
        Ok(String::from_utf8_lossy(&output.stdout).contains("true"))
    }

    /// The environment that points a program at this bus.
    pub fn env(&self) -> (&'static str, &str) {
        ("DBUS_SESSION_BUS_ADDRESS", &self.address)
    }

    async fn dunstctl(&self, args: &[&str]) -> Result<String> {
        let output = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .await
            .context("running dunstctl")?;
        if !output.status.success() {
            bail!("dunstctl {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// How many notifications dunst shows right now.
    pub async fn displayed(&self) -> Result<u32> {
        Ok(self.dunstctl(&["count", "displayed"]).await?.parse()?)
    }

    /// Everything dunst received so far (closing what it shows, so that its history holds all).
    pub async fn received(&self) -> Result<Vec<Received>> {
        self.dunstctl(&["close-all"]).await?;
        let history: serde_json::Value = serde_json::from_str(&self.dunstctl(&["history"]).await?)?;
        let text = |n: &serde_json::Value, key: &str| n[key]["data"].as_str().unwrap_or_default().to_owned();
        Ok(history["data"]
            .as_array()
            .and_then(|groups| groups.first())
            .and_then(|g| g.as_array())
            .into_iter()
            .flatten()
            .map(|n| Received {
                app_name: text(n, "appname"),
                summary: text(n, "summary"),
                body: text(n, "body"),
                category: text(n, "category"),
            })
            .collect())
    }

    /// What `dbus-monitor` recorded of the `Notify` calls (their hints included).
    pub fn monitor_log(&self) -> Result<String> {
        Ok(std::fs::read_to_string(&self.monitor_log)?)
    }
}
