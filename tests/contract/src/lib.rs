//! Shared helpers of the API contract suite: a central server on loopback over a fresh database, a
//! throwaway PostgreSQL cluster and NATS server (started on a free port with their own data dir and
//! stopped when the test process ends), and a small HTTP client.
//!
//! Nothing here skips: a missing `initdb` or `nats-server` fails the test with a message naming the
//! Debian package (the `dev` script installs both).

use serde_json::Value;
use siaga_central::{app, AppState, Store};
use siaga_domain::Role;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The database a server under test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database in the shared throwaway PostgreSQL cluster.
    Postgres,
}

/// A free TCP port on loopback (bound and released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn postgres_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!("PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql, or run ./dev setup; PG_BIN overrides)")
    })
}

/// Runs a command as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("{what}: cannot start: {err}"));
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Starts a watchdog shell that runs `stop` once this test process has exited, then removes `dir`.
fn stop_when_we_exit(stop: &str, dir: &Path) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display()
    );
    // `setsid -f` forks the shell into its own session and returns at once.
    Command::new("setsid")
        .args(["-f", "sh", "-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("starting the watchdog shell");
}

/// A throwaway PostgreSQL cluster on loopback: `postgres` trusted, fsync off.
#[derive(Debug)]
pub struct PgCluster {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its directory (data and socket).
    pub dir: PathBuf,
    bin: PathBuf,
}

impl PgCluster {
    /// Starts a new cluster (about 2 s); it is stopped when this process exits.
    pub fn start() -> PgCluster {
        let bin = postgres_bin();
        // As root the cluster runs as `postgres`, which must reach its directory: /tmp, not a $TMPDIR
        // that may sit under /root.
        let base = if is_root() {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("siaga-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).expect("creating the PostgreSQL directory");
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", "postgres:postgres"]).arg(&dir);
                    c
                },
                "chown of the PostgreSQL directory",
            );
        }
        let data = dir.join("data");
        let mut initdb = as_postgres(&bin.join("initdb"));
        initdb
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data);
        run(initdb, "initdb");
        let port = free_port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            dir.display()
        );
        let pg_ctl = bin.join("pg_ctl");
        stop_when_we_exit(
            &format!(
                "{} {} stop -m immediate -D '{}'",
                if is_root() { "runuser -u postgres --" } else { "" },
                pg_ctl.display(),
                data.display()
            ),
            &dir,
        );
        let mut start = as_postgres(&pg_ctl);
        start
            .args(["-w", "-t", "60", "-l"])
            .arg(dir.join("log"))
            .arg("-o")
            .arg(&options)
            .arg("-D")
            .arg(&data)
            .arg("start");
        run(start, "pg_ctl start");
        PgCluster { port, dir, bin }
    }

    /// The cluster shared by every test of this process.
    pub fn shared() -> &'static PgCluster {
        static CLUSTER: OnceLock<PgCluster> = OnceLock::new();
        CLUSTER.get_or_init(PgCluster::start)
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database and returns its URL.
    pub fn create_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("siaga_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let mut createdb = Command::new(self.bin.join("createdb"));
        createdb.args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            &name,
        ]);
        run(createdb, "createdb");
        self.url(&name)
    }

    /// The `pgbench` binary of this cluster's version.
    pub fn pgbench(&self) -> PathBuf {
        self.bin.join("pgbench")
    }
}

/// A throwaway NATS server with JetStream on loopback; stopped when this process exits.
#[derive(Debug)]
pub struct NatsServer {
    /// `nats://127.0.0.1:<port>`.
    pub url: String,
}

impl NatsServer {
    /// Starts `nats-server -js` on a free port with its own store directory.
    pub fn start() -> NatsServer {
        let binary = [
            "/usr/sbin/nats-server",
            "/usr/bin/nats-server",
            "/usr/local/bin/nats-server",
        ]
        .into_iter()
        .find(|path| Path::new(path).exists())
        .unwrap_or_else(|| {
            panic!("nats-server is not installed (apt-get install nats-server, or run ./dev setup)")
        });
        let dir = std::env::temp_dir().join(format!("siaga-nats-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).expect("creating the NATS directory");
        let port = free_port();
        let pid_file = dir.join("nats.pid");
        let script = format!(
            "{binary} -js -a 127.0.0.1 -p {port} -sd '{dir}' -P '{pid}' >'{dir}/log' 2>&1 & nats=$!; \
             while kill -0 {me} 2>/dev/null && kill -0 $nats 2>/dev/null; do sleep 0.5; done; kill $nats; wait $nats; rm -rf '{dir}'",
            dir = dir.display(),
            pid = pid_file.display(),
            me = std::process::id()
        );
        Command::new("setsid")
            .args(["-f", "sh", "-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("starting nats-server");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nats-server did not listen on {port} within 20 s"
            );
            #[allow(clippy::disallowed_methods)]
            // a plain function: nothing else runs while the broker starts
            std::thread::sleep(Duration::from_millis(50));
        }
        NatsServer {
            url: format!("nats://127.0.0.1:{port}"),
        }
    }
}

/// A fresh, migrated database of the given kind; the guard keeps a SQLite file's directory alive.
pub fn fresh_database(db: Db) -> (String, Option<tempfile::TempDir>) {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = format!("sqlite:{}", dir.path().join("central.db").display());
            (url, Some(dir))
        }
        Db::Postgres => (PgCluster::shared().create_database(), None),
    }
}

/// A CAP 1.2 alert from `kiosk` (the kiosk profile of `siaga_api::cap`), as a kiosk sends it.
pub fn kiosk_alert_xml(
    kiosk: &str,
    identifier: &str,
    category: Option<siaga_domain::Category>,
    lat: f64,
    lon: f64,
) -> String {
    use siaga_api::cap::{CapStatus, KioskAlert};
    let alert = KioskAlert {
        identifier: identifier.to_owned(),
        kiosk: siaga_domain::kiosk::KioskId::parse(kiosk).expect("a kiosk id"),
        station_id: format!("station-of-{kiosk}"),
        sent: time::OffsetDateTime::from_unix_timestamp(1_795_939_200).expect("a time"),
        status: CapStatus::Actual,
        area: siaga_domain::geo::Circle::new(siaga_domain::GeoPoint::new(lat, lon).expect("a point"), 0.0)
            .expect("a circle"),
        area_description: "Peron 2".to_owned(),
        category,
        description: Some("Copet di peron 2".to_owned()),
    };
    alert.to_cap().to_xml().expect("a valid CAP alert")
}

/// A central server on loopback.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its address.
    pub addr: SocketAddr,
    /// Its state (store, hub, metrics).
    pub state: AppState,
    /// The database URL it runs on.
    pub database_url: String,
    _dir: Option<tempfile::TempDir>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery";

impl Server {
    /// Starts a server over a fresh database of kind `db`.
    pub async fn start(db: Db) -> Server {
        let (url, dir) = fresh_database(db);
        Server::start_on(url, dir, |state| state).await
    }

    /// Starts a server over an existing database URL, letting the caller adjust the state first.
    pub async fn start_on(
        url: String,
        dir: Option<tempfile::TempDir>,
        adjust: impl FnOnce(AppState) -> AppState,
    ) -> Server {
        let store = Store::open(&url)
            .await
            .expect("opening and migrating the database");
        Server::serve(url, dir, adjust(AppState::new(store))).await
    }

    async fn serve(url: String, dir: Option<tempfile::TempDir>, state: AppState) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding loopback");
        let addr = listener.local_addr().expect("local address");
        let router = app(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        Server {
            base: format!("http://{addr}"),
            addr,
            state,
            database_url: url,
            _dir: dir,
            task,
        }
    }

    /// Starts a replica over an existing database with the NATS JetStream outbox and fan-in on.
    pub async fn start_with_nats(url: String, nats_url: &str) -> Server {
        let store = Store::open(&url)
            .await
            .expect("opening and migrating the database");
        let state = siaga_central::nats::enable(AppState::new(store), nats_url)
            .await
            .expect("connecting to NATS JetStream");
        Server::serve(url, None, state).await
    }

    /// Creates an account directly in the store (as the `create-admin` subcommand does).
    pub async fn account(&self, username: &str, role: Role, polda: Option<&str>) {
        siaga_central::auth::create_user(&self.state.store, username, PASSWORD.to_owned(), role, polda)
            .await
            .expect("creating a test account");
    }

    /// Creates an account and logs it in.
    pub async fn login_as(&self, username: &str, role: Role, polda: Option<&str>) -> Client {
        self.account(username, role, polda).await;
        self.login(username).await
    }

    /// Logs an existing account in.
    pub async fn login(&self, username: &str) -> Client {
        let anonymous = self.anonymous();
        let (status, body) = anonymous
            .post(
                "/v1/auth/login",
                &serde_json::json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 200, "login of {username}: {body}");
        Client {
            token: body["accessToken"].as_str().map(str::to_owned),
            ..anonymous
        }
    }

    /// A client without a token.
    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: siaga_tls::client(),
            token: None,
        }
    }
}

/// An HTTP client for one principal.
#[derive(Debug, Clone)]
pub struct Client {
    /// Server base URL.
    pub base: String,
    /// Bearer token, if logged in.
    pub token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    /// The same client with another token.
    pub fn with_token(&self, token: &str) -> Client {
        Client {
            token: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// Sends any request; answers status and JSON body (Null when not JSON).
    pub async fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some((content_type, bytes)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap_or_default();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    /// GET with an `Accept` header: status, content type and body text.
    pub async fn get_accepting(&self, path: &str, accept: &str) -> (u16, String, String) {
        let mut request = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept", accept);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, content_type, response.text().await.unwrap_or_default())
    }

    /// GET a file: status, content type and the raw bytes.
    pub async fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            status,
            content_type,
            response.bytes().await.unwrap_or_default().to_vec(),
        )
    }

    /// POST JSON, answering status, headers and the raw bytes (a PDF, a page).
    pub async fn post_for_bytes(
        &self,
        path: &str,
        body: &Value,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.bytes().await.unwrap_or_default().to_vec(),
        )
    }

    /// GET.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None).await
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(
            "POST",
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    /// PUT JSON.
    pub async fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(
            "PUT",
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }
}

/// A live WebSocket session of `client`.
#[allow(missing_debug_implementations)] // the socket type has no Debug
pub struct Live {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Live {
    /// Opens a session with the client's token.
    pub async fn connect(client: &Client) -> Live {
        let url = format!(
            "{}/v1/live?access_token={}",
            client.base.replace("http://", "ws://"),
            client.token.as_deref().unwrap_or("")
        );
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("the live endpoint upgrades");
        Live { socket }
    }

    /// Sends a frame.
    pub async fn send(&mut self, frame: Value) {
        use futures_util::SinkExt as _;
        self.socket
            .send(tokio_tungstenite::tungstenite::Message::text(frame.to_string()))
            .await
            .expect("sending a frame");
    }

    /// The next JSON frame, failing after 10 s.
    pub async fn next(&mut self) -> Value {
        use futures_util::StreamExt as _;
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), self.socket.next())
                .await
                .expect("a frame within 10 s")
                .expect("the session is open")
                .expect("a valid frame");
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                return serde_json::from_str(text.as_str()).expect("a JSON frame");
            }
        }
    }

    /// Waits (at most 10 s) for the server to close the session; answers the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        use futures_util::StreamExt as _;
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), self.socket.next())
                .await
                .expect("the session closes within 10 s");
            match message {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => {
                    return frame.map(|f| u16::from(f.code))
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// Asserts nothing arrives for a short while.
    pub async fn quiet(&mut self) {
        use futures_util::StreamExt as _;
        let next = tokio::time::timeout(Duration::from_millis(300), self.socket.next()).await;
        assert!(next.is_err(), "unexpected frame: {next:?}");
    }
}

/// A passport photo (a synthetic JPEG, 300 × 400) for citizen requests.
pub const PASFOTO: &[u8] = include_bytes!("../../../crates/siaga-sim/assets/pasfoto.jpg");

/// An SKCK request from the 110 app for a woman born 12 March 1990 in Kota Yogyakarta, to Polresta
/// Yogyakarta (DIY); `serial` makes the NIK (and so the person) differ.
pub fn skck_submission(id: &str, serial: u16, citizen: &str) -> Value {
    use base64::Engine as _;
    serde_json::json!({
        "request": {
            "id": id,
            "polres": "34.71",
            "applicant": {
                "nik": format!("347105520390{serial:04}"),
                "fullName": "Siti Rahayu Ningsih",
                "birthPlace": "Yogyakarta",
                "birthDate": "1990-03-12",
                "address": "Jl. Malioboro No. 5, Sosromenduran, Gedongtengen, Kota Yogyakarta"
            },
            "details": {"kind": "skck", "purpose": "job_application", "purposeNote": "PT Kereta Api Indonesia"}
        },
        "citizenRef": citizen,
        "photoJpegBase64": base64::engine::general_purpose::STANDARD.encode(PASFOTO)
    })
}

/// A report of loss (a wallet and a KTP on the KRL) to Polresta Yogyakarta.
pub fn loss_submission(id: &str, serial: u16, citizen: &str) -> Value {
    serde_json::json!({
        "request": {
            "id": id,
            "polres": "34.71",
            "applicant": {
                "nik": format!("347105520390{serial:04}"),
                "fullName": "Siti Rahayu Ningsih",
                "birthPlace": "Yogyakarta",
                "birthDate": "1990-03-12",
                "address": "Jl. Malioboro No. 5, Sosromenduran, Gedongtengen, Kota Yogyakarta"
            },
            "details": {"kind": "loss_report", "items": ["wallet", "ktp"], "place": "KRL, Stasiun Tugu Yogyakarta",
                "lostOn": "2026-12-01", "chronology": "Dompet berisi KTP-el hilang saat turun dari KRL di Stasiun Tugu."}
        },
        "citizenRef": citizen
    })
}
