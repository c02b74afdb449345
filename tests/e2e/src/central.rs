//! A real central 110 server for end-to-end tests: the `siaga-central` binary on a loopback port over a
//! SQLite file, which a test can stop and start again on the same port and file.

use anyhow::{bail, Context, Result};
use serde_json::json;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt as _;
use tokio::process::{Child, Command};

/// A self-signed certificate and its key, made as an administrator would with Debian's `openssl`.
#[derive(Debug)]
struct SelfSigned {
    cert: PathBuf,
    key: PathBuf,
    fingerprint: String,
}

impl SelfSigned {
    fn make(dir: &std::path::Path) -> Result<SelfSigned> {
        let (cert, key) = (dir.join("central.crt"), dir.join("central.key"));
        let made = std::process::Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
            ])
            .args(["-days", "30", "-subj", "/CN=110.polres-sleman.local"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .context("running openssl (./dev setup installs it)")?;
        if !made.status.success() {
            bail!("openssl req failed: {}", String::from_utf8_lossy(&made.stderr));
        }
        let printed = std::process::Command::new("openssl")
            .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
            .arg(&cert)
            .output()?;
        let printed = String::from_utf8(printed.stdout)?;
        let fingerprint = printed
            .trim()
            .split_once('=')
            .context("openssl printed no fingerprint")?
            .1
            .to_owned();
        Ok(SelfSigned {
            cert,
            key,
            fingerprint,
        })
    }
}

/// The admin account every test central gets (password [`PASSWORD`]).
pub const ADMIN: &str = "admin-e2e";
/// The supervisor of Polda Metro Jaya through whom tests read what the central holds.
const READER: &str = "pengawas-e2e";
/// The password of every account the tests create.
pub const PASSWORD: &str = "kata sandi e2e yang panjang";

/// A central server process (killed on drop).
#[derive(Debug)]
pub struct Central {
    pub port: u16,
    database: String,
    /// Served over HTTPS with this self-signed certificate, when started with [`Central::start_tls`].
    tls: Option<SelfSigned>,
    /// The TURN server it names to call parties and the secret shared with it, when started with
    /// [`Central::start_with_relay`].
    relay: Option<(String, String)>,
    process: Option<Child>,
    _dir: super::TempDir,
}

impl Central {
    /// Creates a fresh database with an admin, and starts the server.
    pub async fn start() -> Result<Central> {
        Central::start_serving(false, None).await
    }

    /// The same, naming a TURN server (`host:port`) and the secret coturn shares with it to call parties.
    pub async fn start_with_relay(turn: &str, secret: &str) -> Result<Central> {
        Central::start_serving(false, Some((turn.to_owned(), secret.to_owned()))).await
    }

    /// The same over HTTPS, as a field office runs it: a self-signed certificate made with `openssl`, its
    /// fingerprint in [`Central::fingerprint`].
    pub async fn start_tls() -> Result<Central> {
        Central::start_serving(true, None).await
    }

    async fn start_serving(tls: bool, relay: Option<(String, String)>) -> Result<Central> {
        let dir = super::TempDir::new("siaga-e2e-central")?;
        let tls = if tls {
            Some(SelfSigned::make(&dir.path)?)
        } else {
            None
        };
        let database = format!("sqlite:{}", dir.path.join("central.db").display());
        let mut create = Command::new(binary()?)
            .args(["create-admin", "--username", ADMIN, "--database", &database])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .context("running siaga-central create-admin")?;
        let mut stdin = create.stdin.take().context("stdin")?;
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).await?;
        drop(stdin);
        if !create.wait().await?.success() {
            bail!("siaga-central create-admin failed");
        }
        let mut central = Central {
            port: super::free_port()?,
            database,
            tls,
            relay,
            process: None,
            _dir: dir,
        };
        central.resume().await?;
        central.create_operator(READER, "supervisor").await?;
        Ok(central)
    }

    /// The loopback address the server listens on (for a proxy in front of it).
    pub fn addr(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// The server's database (`sqlite:…`), for a test that tampers with it as an intruder would.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The base URL a desk points at.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The SHA-256 fingerprint of an HTTPS central's certificate, as `openssl x509 -fingerprint` prints it.
    pub fn fingerprint(&self) -> Option<&str> {
        self.tls.as_ref().map(|tls| tls.fingerprint.as_str())
    }

    /// A client of this central (pinning its certificate when it serves HTTPS).
    fn http(&self) -> reqwest::Client {
        let trust = match self.fingerprint().and_then(|f| f.parse().ok()) {
            Some(pin) => siaga_tls::CentralTrust::Pinned(pin),
            None => siaga_tls::CentralTrust::SystemRoots,
        };
        siaga_tls::client_builder(trust)
            .build()
            .unwrap_or_else(|_| siaga_tls::client())
    }

    /// Keeps a signed desk release as an admin does: `siaga-central add-release` on the server's database.
    pub async fn add_release(&self, release: &std::path::Path, package: &std::path::Path) -> Result<()> {
        let output = Command::new(binary()?)
            .args(["add-release", "--database", &self.database])
            .arg("--release")
            .arg(release)
            .arg("--package")
            .arg(package)
            .output()
            .await
            .context("running siaga-central add-release")?;
        if !output.status.success() {
            bail!(
                "siaga-central add-release failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }

    /// Stops the server at once (SIGKILL), as a crash or a cut cable would.
    pub async fn stop(&mut self) -> Result<()> {
        if let Some(mut process) = self.process.take() {
            process.kill().await?;
        }
        Ok(())
    }

    /// Starts the server again on the same port and database.
    pub async fn resume(&mut self) -> Result<()> {
        let listen = format!("127.0.0.1:{}", self.port);
        // Its log (at debug, the most it ever says) goes where siaga-nik-scan reads it after the suite.
        let (_, log) = super::nik_scan::log_file("central")?;
        let mut command = Command::new(binary()?);
        command.args(["serve", "--listen", &listen, "--database", &self.database]);
        if let Some((turn, secret)) = &self.relay {
            // The secret in the environment, not on the command line (where `ps` shows it).
            command.args(["--turn", turn]).env("SIAGA_TURN_SECRET", secret);
        }
        if let Some(tls) = &self.tls {
            command
                .arg("--tls-cert")
                .arg(&tls.cert)
                .arg("--tls-key")
                .arg(&tls.key);
        }
        let process = command
            // Audit heads signed every second, so a test sees one soon (the default is every minute).
            .args(["--audit-sign-secs", "1"])
            .env("RUST_LOG", "siaga_central=debug,tower_http=debug,sqlx=debug,warn")
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("starting siaga-central")?;
        self.process = Some(process);
        let deadline = Instant::now() + Duration::from_secs(15);
        while self
            .http()
            .get(format!("{}/v1/health", self.url()))
            .send()
            .await
            .is_err()
        {
            if Instant::now() > deadline {
                bail!("siaga-central did not come up on {listen}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Creates an operator account of Polda Metro Jaya.
    pub async fn create_operator(&self, username: &str, role: &str) -> Result<()> {
        let http = self.http();
        let admin = self.token(&http, ADMIN).await?;
        let body = json!({ "username": username, "password": PASSWORD, "role": role, "polda": "metro_jaya" });
        let response = http
            .post(format!("{}/v1/users", self.url()))
            .bearer_auth(admin)
            .json(&body)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!(
                "creating {username}: {} {}",
                response.status(),
                response.text().await?
            );
        }
        Ok(())
    }

    /// The incidents the central holds for Polda Metro Jaya, as JSON, seen by its supervisor.
    pub async fn incidents(&self) -> Result<Vec<serde_json::Value>> {
        let http = self.http();
        let reader = self.token(&http, READER).await?;
        let page = get_json(
            &http,
            &format!("{}/v1/incidents?polda=metro_jaya&limit=100", self.url()),
            &reader,
        )
        .await?;
        Ok(page["incidents"].as_array().cloned().unwrap_or_default())
    }

    /// A login token of `username` (password [`PASSWORD`]), to act later even while the server restarts.
    pub async fn login(&self, username: &str) -> Result<String> {
        self.token(&self.http(), username).await
    }

    /// Appends an incident event (`change`, as JSON) of Polda Metro Jaya as `actor` in `role`, with a
    /// token from [`Central::login`]. Answers the HTTP status.
    pub async fn append_as(
        &self,
        token: &str,
        actor: &str,
        role: &str,
        incident: &str,
        change: serde_json::Value,
    ) -> Result<u16> {
        let id = uuid::Uuid::now_v7().to_string();
        let at = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339)?;
        let envelope = json!({"eventId": id, "incidentId": incident, "polda": "metro_jaya",
            "event": {"id": id, "incidentId": incident, "at": at, "actor": {"id": actor, "role": role}, "change": change}});
        let response = self
            .http()
            .post(format!("{}/v1/events", self.url()))
            .bearer_auth(token)
            .json(&envelope)
            .send()
            .await?;
        Ok(response.status().as_u16())
    }

    /// One incident as the central holds it, seen by the Metro Jaya supervisor.
    pub async fn incident(&self, id: &str) -> Result<serde_json::Value> {
        let http = self.http();
        let reader = self.token(&http, READER).await?;
        get_json(&http, &format!("{}/v1/incidents/{id}", self.url()), &reader).await
    }

    /// Posts `body` to `path` as `username` (password [`PASSWORD`]); answers the status and the JSON body.
    pub async fn post_as(
        &self,
        username: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, serde_json::Value)> {
        let http = self.http();
        let token = self.token(&http, username).await?;
        let response = http
            .post(format!("{}{path}", self.url()))
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or_default()))
    }

    /// One video call as the central holds it (its session descriptions too), seen by the Metro Jaya supervisor.
    pub async fn video_call(&self, id: &str) -> Result<serde_json::Value> {
        let http = self.http();
        let reader = self.token(&http, READER).await?;
        get_json(&http, &format!("{}/v1/video-calls/{id}", self.url()), &reader).await
    }

    /// The events of Polda Metro Jaya's feed, in server order.
    pub async fn feed(&self) -> Result<Vec<serde_json::Value>> {
        let http = self.http();
        let reader = self.token(&http, READER).await?;
        let page = get_json(
            &http,
            &format!("{}/v1/feed?polda=metro_jaya&after=0&limit=500", self.url()),
            &reader,
        )
        .await?;
        Ok(page["events"].as_array().cloned().unwrap_or_default())
    }

    async fn token(&self, http: &reqwest::Client, username: &str) -> Result<String> {
        let body = json!({ "username": username, "password": PASSWORD });
        let answer: serde_json::Value = http
            .post(format!("{}/v1/auth/login", self.url()))
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        answer["accessToken"]
            .as_str()
            .map(str::to_owned)
            .context("login answered without a token")
    }
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Result<serde_json::Value> {
    let response = http.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    if !status.is_success() {
        bail!("GET {url}: {status} {body}");
    }
    Ok(body)
}

fn binary() -> Result<PathBuf> {
    let path = PathBuf::from(
        std::env::var("SIAGA_CENTRAL_BIN")
            .context("SIAGA_CENTRAL_BIN must name the siaga-central binary (./dev test sets it)")?,
    );
    if !path.exists() {
        bail!(
            "{} does not exist; build it with `cargo build -p siaga-central`",
            path.display()
        );
    }
    Ok(path)
}
