//! The real `siaga-central` binary as a child process on a SQLite file: found (or built with cargo),
//! started on a fixed loopback port, killed with SIGKILL (so commits can land without their reply leaving) and
//! restarted on the same port and file. The child is killed when its handle is dropped, and by a small
//! watchdog shell if this process dies without dropping it.

use crate::FaultError;
use siaga_central::auth::create_user;
use siaga_domain::Role;
use std::fs::OpenOptions;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The workspace root (two levels above this crate).
fn workspace_root() -> PathBuf {
    // Read at run time: the shared target dir may hold a binary built from another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    Path::new(&manifest)
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What the central binary is built from: if none of it is newer than the binary, the binary is fresh.
const CENTRAL_SOURCES: &[&str] = &[
    "crates/siaga-central",
    "crates/siaga-domain",
    "crates/siaga-api",
    "assets/reference",
    "Cargo.lock",
    "Cargo.toml",
];

/// The newest modification time under `path` (a file or a directory tree).
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .flatten()
        .filter_map(|entry| newest(&entry.path()))
        .max()
}

/// The `siaga-central` binary of the running executable's target directory and profile.
///
/// `SIAGA_CENTRAL_BIN` names one explicitly. Otherwise a binary newer than every source it is built from
/// is used as it is (`cargo test --workspace` builds it, for the central's own CLI tests); else it is
/// built with `cargo build -p siaga-central` (`CARGO_BIN_EXE_*` exists only for a package's own
/// binaries). Building it only when stale matters: a build with other package selections resolves other
/// features and would make the next workspace build recompile part of the central's dependencies.
pub fn central_binary() -> Result<PathBuf, FaultError> {
    if let Ok(explicit) = std::env::var("SIAGA_CENTRAL_BIN") {
        return Ok(PathBuf::from(explicit));
    }
    let exe = std::env::current_exe().map_err(|e| FaultError::Build(e.to_string()))?;
    // …/target/<profile>/deps/<test> or …/target/<profile>/<bin>
    let mut profile_dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if profile_dir.ends_with("deps") {
        profile_dir.pop();
    }
    let binary = profile_dir.join("siaga-central");
    let root = workspace_root();
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    let sources = CENTRAL_SOURCES
        .iter()
        .filter_map(|path| newest(&root.join(path)))
        .max();
    if let (Some(built), Some(sources)) = (built, sources) {
        if built >= sources {
            return Ok(binary);
        }
    }
    let target_dir = profile_dir
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| FaultError::Build(format!("no target directory above {}", exe.display())))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--quiet",
            "-p",
            "siaga-central",
            "--bin",
            "siaga-central",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(&root);
    if profile_dir.ends_with("release") {
        command.arg("--release");
    }
    let status = command
        .status()
        .map_err(|e| FaultError::Build(format!("running cargo: {e}")))?;
    if !status.success() {
        return Err(FaultError::Build(format!(
            "cargo build -p siaga-central: {status}"
        )));
    }
    if !binary.exists() {
        return Err(FaultError::Build(format!("{} was not built", binary.display())));
    }
    Ok(binary)
}

/// Creates operator accounts (role, Polda Metro Jaya) in the central's SQLite file before it starts.
pub async fn create_accounts(
    database: &Path,
    names: &[String],
    password: &str,
    role: Role,
) -> Result<(), FaultError> {
    let url = format!("sqlite:{}", database.display());
    let store = siaga_central::Store::open(&url)
        .await
        .map_err(|e| FaultError::Central(format!("opening {url}: {e}")))?;
    for name in names {
        create_user(&store, name, password.to_owned(), role, Some("metro_jaya"))
            .await
            .map_err(|e| FaultError::Central(format!("creating {name}: {}", e.message)))?;
    }
    store.pool.close().await;
    Ok(())
}

/// A `siaga-central` child process.
#[derive(Debug)]
pub struct CentralProcess {
    binary: PathBuf,
    database: PathBuf,
    addr: SocketAddr,
    log: PathBuf,
    child: Option<Child>,
    starts: u32,
}

impl CentralProcess {
    /// Starts the binary serving `database` on `addr` (output appended to `log`) and waits until it
    /// answers its health check.
    pub async fn start(
        binary: &Path,
        database: &Path,
        addr: SocketAddr,
        log: &Path,
    ) -> Result<CentralProcess, FaultError> {
        let mut central = CentralProcess {
            binary: binary.to_path_buf(),
            database: database.to_path_buf(),
            addr,
            log: log.to_path_buf(),
            child: None,
            starts: 0,
        };
        central.spawn().await?;
        Ok(central)
    }

    /// Its base URL (straight, not through any proxy).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many times it was started.
    pub fn starts(&self) -> u32 {
        self.starts
    }

    /// Kills it with SIGKILL (no graceful shutdown: replies in flight are lost) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and file.
    pub async fn restart(&mut self) -> Result<(), FaultError> {
        self.kill();
        self.spawn().await
    }

    async fn spawn(&mut self) -> Result<(), FaultError> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| FaultError::Central(format!("opening {}: {e}", self.log.display())))?;
        let log_err = log.try_clone().map_err(|e| FaultError::Central(e.to_string()))?;
        let child = Command::new(&self.binary)
            .arg("serve")
            .arg("--listen")
            .arg(self.addr.to_string())
            .arg("--database")
            .arg(format!("sqlite:{}", self.database.display()))
            .env("RUST_LOG", "siaga_central=warn")
            .env_remove("NATS_URL")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| FaultError::Central(format!("starting {}: {e}", self.binary.display())))?;
        watch_over(child.id());
        self.child = Some(child);
        self.starts += 1;
        self.wait_ready(Duration::from_secs(30)).await
    }

    /// Waits until `GET /v1/health` answers 200.
    async fn wait_ready(&mut self, limit: Duration) -> Result<(), FaultError> {
        let http = siaga_tls::client_builder(siaga_tls::CentralTrust::SystemRoots)
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| FaultError::Central(e.to_string()))?;
        let deadline = Instant::now() + limit;
        let url = format!("{}/v1/health", self.url());
        loop {
            if let Ok(response) = http.get(&url).send().await {
                if response.status().is_success() {
                    return Ok(());
                }
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(FaultError::Central(format!(
                        "siaga-central exited at start ({status}); see {}",
                        self.log.display()
                    )));
                }
            }
            if Instant::now() > deadline {
                return Err(FaultError::Central(format!(
                    "siaga-central did not answer within {limit:?}; see {}",
                    self.log.display()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Kills the child `pid` should this test process die without dropping its handle (SIGKILL, a test
/// timeout): a detached shell polls both and exits by itself as soon as the child is gone.
fn watch_over(pid: u32) {
    let script = format!(
        "while kill -0 {parent} 2>/dev/null; do kill -0 {pid} 2>/dev/null || exit 0; sleep 0.5; done; \
         grep -q siaga-central /proc/{pid}/cmdline 2>/dev/null && kill -9 {pid}",
        parent = std::process::id()
    );
    let _ = Command::new("setsid")
        .args(["-f", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

impl Drop for CentralProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
