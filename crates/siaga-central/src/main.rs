//! `siaga-central`: the reference 110 API server, and its admin subcommands.
//!
//! ```text
//! siaga-central serve [--listen 127.0.0.1:8110] [--database sqlite:siaga.db] [--nats nats://127.0.0.1:4222]
//!                     [--feed-retention SEQUENCES] [--login-hashes N] [--login-queue N]
//!                     [--public-url https://110.polda-diy.go.id] [--audit-sign-secs 60]
//!                     [--tls-cert cert.pem --tls-key key.pem] [--turn host:port --turn-secret SECRET]
//! siaga-central rotate-letter-key [--database URL]
//! siaga-central verify-audit [--database URL]
//! siaga-central add-release --release release.json --package FILE [--database URL]
//! siaga-central create-admin --username NAME [--polda CODE] [--database URL]   (password on stdin)
//! siaga-central export-points --database URL [--polda CODE] [--since YYYY-MM-DD] [--until YYYY-MM-DD] > points.csv
//! ```
//! `export-points` is the national analysis path (decision 0012): run it with a read-only database role; the
//! incidents stream through a server-side cursor into the CSV `siaga-analytics` reads.
//! `--public-url` (or `SIAGA_PUBLIC_URL`) is the address citizens and employers reach this central at: it
//! goes into every letter's QR code (default `http://` and the listen address). `rotate-letter-key` retires
//! the key letters are signed with and makes a new one; retired keys stay published, so their letters
//! still verify.
//! `--tls-cert`/`--tls-key` (or `SIAGA_TLS_CERT`/`SIAGA_TLS_KEY`) serve HTTPS with those PEM files, and log the
//! certificate's SHA-256 fingerprint for the desks' setup (docs/decisions/0020).
//! `--turn`/`--turn-secret` (or `SIAGA_TURN`/`SIAGA_TURN_SECRET`) name the Polda's TURN server (coturn with
//! `use-auth-secret` and the same `static-auth-secret`): call parties get credentials for it that lapse in an hour.
//! `serve` signs the head of every audit chain that grew, every `--audit-sign-secs` seconds (default 60).
//! `add-release` keeps a desk release signed with `siaga-release sign` for the desks (decision 0021); the central
//! cannot sign one itself.
//! `verify-audit` reads every audit chain back against its signed heads and names the first bad entry
//! (exit status 1 when one is broken).
//! `DATABASE_URL` is read when `--database` is absent (default `sqlite:siaga-central.db`); `NATS_URL`
//! turns on the JetStream outbox.

use anyhow::{bail, Context, Result};
use siaga_central::{app, AppState, Store};
use siaga_domain::Role;
use tokio::io::AsyncBufReadExt as _;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|index| args.get(index + 1).cloned())
}

fn database_url(args: &[String]) -> String {
    flag(args, "--database")
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite:siaga-central.db".to_owned())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "siaga_central=info".into());
    if args.first().map(String::as_str) == Some("export-points") {
        // Its stdout is the CSV: the log goes to stderr.
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    } else {
        // Colours only on a terminal: a log file or journald gets plain text.
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .init();
    }
    match args.first().map(String::as_str) {
        Some("serve") | None => serve(&args).await,
        Some("create-admin") => create_admin(&args).await,
        Some("export-points") => export_points(&args).await,
        Some("rotate-letter-key") => {
            let store = Store::open(&database_url(&args))
                .await
                .context("opening the database")?;
            let key_id = siaga_central::services::letters::rotate_key(&store).await?;
            tracing::info!(%key_id, "new letter key; the old one stays published for its letters");
            Ok(())
        }
        Some("verify-audit") => verify_audit(&args).await,
        Some("add-release") => {
            // A desk release as the release manager signed it (`siaga-release sign`), kept for the desks.
            let release = flag(&args, "--release").context("--release release.json is required")?;
            let package = flag(&args, "--package").context("--package FILE is required")?;
            let signed: siaga_update::SignedManifest = serde_json::from_str(
                &std::fs::read_to_string(&release).with_context(|| format!("reading {release}"))?,
            )
            .with_context(|| format!("{release} is not a signed release"))?;
            let bytes = std::fs::read(&package).with_context(|| format!("reading {package}"))?;
            let store = Store::open(&database_url(&args))
                .await
                .context("opening the database")?;
            let manifest = siaga_central::updates::add_release(&store, &signed, &bytes).await?;
            tracing::info!(platform = %manifest.platform, version = %manifest.version, key = %signed.key_id, "desk release kept");
            Ok(())
        }
        Some(other) => {
            bail!(
                "unknown subcommand {other:?}; use serve, create-admin, export-points, rotate-letter-key, verify-audit or add-release"
            )
        }
    }
}

/// Reads every audit chain back; exit status 1 when one is broken.
async fn verify_audit(args: &[String]) -> Result<()> {
    let store = Store::open(&database_url(args))
        .await
        .context("opening the database")?;
    let reports = siaga_central::audit::verify_all(&store)
        .await
        .context("reading the audit trail")?;
    let mut broken = 0;
    let mut out = std::io::stdout().lock();
    for report in &reports {
        use std::io::Write as _;
        match &report.result {
            Ok(intact) => writeln!(
                out,
                "{}: intact, {} entries, {} signed heads, head {}",
                report.chain, intact.entries, report.signed_heads, intact.head
            )?,
            Err(problem) => {
                broken += 1;
                writeln!(
                    out,
                    "{}: BROKEN at entry {}: {problem}",
                    report.chain,
                    problem.seq()
                )?;
            }
        }
    }
    if broken > 0 {
        bail!("{broken} of {} audit chains are broken", reports.len());
    }
    Ok(())
}

fn day_ms(text: &str) -> Result<i64> {
    siaga_domain::clock::day_start_ms(text).map_err(anyhow::Error::msg)
}

async fn export_points(args: &[String]) -> Result<()> {
    let polda = match flag(args, "--polda") {
        Some(code) => Some(
            code.parse()
                .map_err(|_| anyhow::anyhow!("unknown Polda {code:?}"))?,
        ),
        None => None,
    };
    let since = flag(args, "--since").map_or(Ok(0), |d| day_ms(&d))?;
    let until = flag(args, "--until").map_or(Ok(i64::MAX / 2), |d| day_ms(&d))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let summary = siaga_central::points::export_points(&database_url(args), polda, since, until, &mut out)
        .await
        .context("exporting points")?;
    tracing::info!(
        written = summary.written,
        prank_or_empty = summary.prank_or_empty,
        unclassified = summary.unclassified,
        "points exported"
    );
    Ok(())
}

async fn serve(args: &[String]) -> Result<()> {
    let listen = flag(args, "--listen").unwrap_or_else(|| "127.0.0.1:8110".to_owned());
    let store = Store::open(&database_url(args))
        .await
        .context("opening the database")?;
    let mut state = AppState::new(store);
    state.services.public_url = flag(args, "--public-url")
        .or_else(|| std::env::var("SIAGA_PUBLIC_URL").ok())
        .unwrap_or_else(|| format!("http://{listen}"));
    let turn = flag(args, "--turn").or_else(|| std::env::var("SIAGA_TURN").ok());
    let turn_secret = flag(args, "--turn-secret").or_else(|| std::env::var("SIAGA_TURN_SECRET").ok());
    state.relay = match (turn, turn_secret) {
        (Some(address), Some(secret)) => Some(std::sync::Arc::new(siaga_central::relay::RelayConfig {
            address,
            secret,
        })),
        (None, None) => None,
        _ => anyhow::bail!("--turn host:port and --turn-secret go together (coturn's static-auth-secret)"),
    };
    if let Some(retention) = flag(args, "--feed-retention") {
        let retention: i64 = retention
            .parse()
            .context("--feed-retention is a number of sequences per Polda")?;
        state.limits.feed_retention = Some(retention);
    }
    // Sign-in limits (crate::login_guard): password hashes at once (19 MiB each) and sign-ins waiting.
    let mut login = siaga_central::login_guard::LoginLimits::default();
    if let Some(hashes) = flag(args, "--login-hashes") {
        login.concurrent_hashes = hashes.parse().context("--login-hashes is a number")?;
    }
    if let Some(queue) = flag(args, "--login-queue") {
        login.max_waiting = queue.parse().context("--login-queue is a number")?;
    }
    state.login = std::sync::Arc::new(siaga_central::login_guard::LoginGuard::new(login));
    if let Some(nats) = flag(args, "--nats").or_else(|| std::env::var("NATS_URL").ok()) {
        state = siaga_central::nats::enable(state, &nats)
            .await
            .context("connecting to NATS JetStream")?;
        tracing::info!(%nats, "committed events go through the outbox to JetStream");
    }
    let sign_every: u64 = flag(args, "--audit-sign-secs")
        .map_or(Ok(60), |secs| secs.parse())
        .context("--audit-sign-secs is a number of seconds")?;
    let signer = state.store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(sign_every.max(1)));
        loop {
            every.tick().await;
            if let Err(err) = siaga_central::audit::sign_heads(&signer, siaga_central::store::now_ms()).await
            {
                tracing::warn!(%err, "signing the audit heads failed; trying again at the next tick");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let tls_cert = flag(args, "--tls-cert").or_else(|| std::env::var("SIAGA_TLS_CERT").ok());
    let tls_key = flag(args, "--tls-key").or_else(|| std::env::var("SIAGA_TLS_KEY").ok());
    let shutdown = async {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminated() => {}
        }
        tracing::info!("shutting down");
    };
    let database = state.store.backend.name();
    let app = app(state);
    match (tls_cert, tls_key) {
        (None, None) => {
            tracing::info!(address = %listener.local_addr()?, database, "siaga-central listening (http)");
            // The peer's address feeds the sign-in limits (crate::login_guard).
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown)
            .await?;
        }
        (Some(cert), Some(key)) => {
            let (config, fingerprint) =
                siaga_central::tls::server_config(std::path::Path::new(&cert), std::path::Path::new(&key))?;
            let listener = siaga_central::tls::TlsListener::new(listener, config)?;
            tracing::info!(
                address = %axum::serve::Listener::local_addr(&listener)?,
                database,
                %fingerprint,
                "siaga-central listening (https); desks that pin this central's certificate use this fingerprint"
            );
            // The same router, told each connection's peer address as `ConnectInfo` (crate::login_guard).
            axum::serve(listener, siaga_central::tls::WithPeerAddress(app))
                .with_graceful_shutdown(shutdown)
                .await?;
        }
        _ => bail!(
            "--tls-cert and --tls-key go together (PEM files: the certificate chain and its private key)"
        ),
    }
    Ok(())
}

/// Resolves when the service manager asks the server to stop: SIGTERM on Unix (systemd, `kill`); on
/// Windows a service is stopped through Ctrl+C/Ctrl+Break, which `ctrl_c` covers, so this never resolves.
async fn terminated() {
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}

/// Creates the first admin (or any admin) from the command line; the password is read from stdin so
/// it never appears in the process list or shell history, and there is no default password.
async fn create_admin(args: &[String]) -> Result<()> {
    let username = flag(args, "--username").context("--username is required")?;
    let polda = flag(args, "--polda");
    if let Some(polda) = &polda {
        polda
            .parse::<siaga_domain::PoldaId>()
            .map_err(|err| anyhow::anyhow!("{err}; use a Polda code such as metro_jaya or diy"))?;
    }
    let store = Store::open(&database_url(args))
        .await
        .context("opening the database")?;
    let mut line = String::new();
    tokio::io::BufReader::new(tokio::io::stdin())
        .read_line(&mut line)
        .await
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    siaga_central::auth::create_user(&store, &username, password, Role::Admin, polda.as_deref())
        .await
        .map_err(|err| anyhow::anyhow!("{}", err.message))?;
    tracing::info!(%username, "admin created");
    Ok(())
}
