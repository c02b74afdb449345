//! `siaga-sync-bench`: how fast a desk syncs. (1) The initial sync of N incidents (default 1,000,000)
//! into an empty desk by snapshot pages, against a raw bulk insert of the same rows into SQLite measured
//! in the same run; (2) live latency from the central's commit of an event to each desk's store commit
//! and to its UI change notification, with one desk and with M desks (default 100) in this process.
//!
//! ```text
//! cargo run --release -p siaga-fault-tests --bin siaga-sync-bench -- [--incidents N] [--desks M]
//!     [--events E] [--rate PER_SECOND] [--page INCIDENTS] [--skip-initial] [--skip-live]
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on its terminal

use anyhow::{bail, Context, Result};
use siaga_api::sync::EventEnvelope;
use siaga_central::auth::create_user;
use siaga_central::{app, AppState};
use siaga_domain::clock::unix_ms;
use siaga_domain::{
    Actor, Category, Channel, EventId, GeoPoint, Incident, IncidentChange, IncidentEvent, IncidentId,
    IncidentState, Location, PoldaId, Role,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, Link, SyncConfig, SyncEngine};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;
use uuid::Uuid;

const PASSWORD: &str = "kata sandi bangku uji";
const POLDA: PoldaId = PoldaId::MetroJaya;

struct Options {
    incidents: usize,
    desks: usize,
    events: usize,
    rate: f64,
    page: u32,
    initial: bool,
    live: bool,
}

fn options() -> Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value =
        |name: &str| -> Option<&String> { args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)) };
    let number = |name: &str, default: f64| -> Result<f64> {
        match value(name) {
            Some(text) => text
                .replace('_', "")
                .parse()
                .with_context(|| format!("{name} takes a number")),
            None => Ok(default),
        }
    };
    for arg in &args {
        if arg.starts_with("--")
            && ![
                "--incidents",
                "--desks",
                "--events",
                "--rate",
                "--page",
                "--skip-initial",
                "--skip-live",
            ]
            .contains(&arg.as_str())
        {
            bail!("unknown option {arg}");
        }
    }
    Ok(Options {
        incidents: number("--incidents", 1_000_000.0)? as usize,
        desks: number("--desks", 100.0)? as usize,
        events: number("--events", 500.0)? as usize,
        rate: number("--rate", 20.0)?,
        page: number("--page", 5_000.0)? as u32,
        initial: !args.iter().any(|a| a == "--skip-initial"),
        live: !args.iter().any(|a| a == "--skip-live"),
    })
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let options = options()?;
    let nproc = std::thread::available_parallelism().map_or(1, |n| n.get());
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "siaga-sync-bench: {nproc} CPUs (nproc), {profile} build, SQLite files under the system temp dir"
    );
    if options.initial {
        initial_sync(&options).await?;
    }
    if options.live {
        println!();
        println!(
            "live latency: {} events (each a new report in Polda Metro Jaya) posted at {}/s by one client",
            options.events, options.rate
        );
        println!("  from: the central's in-process live hub receiving the committed event (right after the append commits)");
        println!("  to store: StoreChange.committed_ms, taken right after the desk store's transaction commits (ms resolution)");
        println!(
            "  to UI: the StoreChange received by a subscriber of Store::changes() (what the desk's shell forwards to the webview as siaga:changed)"
        );
        println!(
            "  {:>6} | {:>14} | {:>14} | {:>11} | {:>11} | {:>7}",
            "desks", "store p50 ms", "store p99 ms", "UI p50 ms", "UI p99 ms", "missing"
        );
        let mut counts = vec![1];
        if options.desks > 1 {
            counts.push(options.desks);
        }
        for desks in counts {
            let result = live_latency(desks, &options).await?;
            println!(
                "  {:>6} | {:>14.1} | {:>14.1} | {:>11.1} | {:>11.1} | {:>7}",
                desks, result.store_p50, result.store_p99, result.ui_p50, result.ui_p99, result.missing
            );
        }
    }
    Ok(())
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or_default()
}

/// A central on loopback over a SQLite file, in this process.
struct Central {
    base: String,
    state: AppState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Central {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start_central(path: &Path, users: &[&str]) -> Result<Central> {
    let url = format!("sqlite:{}", path.display());
    let store = siaga_central::store::Store::open(&url)
        .await
        .context("central database")?;
    for user in users {
        create_user(&store, user, PASSWORD.into(), Role::Operator1, Some(POLDA.code()))
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    }
    let mut state = AppState::new(store);
    state.limits.max_snapshot_page = 20_000;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(Central { base, state, task })
}

/// The receipt of report number `n`: somewhere in Greater Jakarta, one of a few categories.
fn report(n: usize, actor: &str, at: OffsetDateTime) -> IncidentEvent {
    const CATEGORIES: [Option<Category>; 5] = [
        None,
        Some(Category::Theft),
        Some(Category::Robbery),
        Some(Category::VehicleTheft),
        Some(Category::Fraud),
    ];
    let lat = -6.40 + ((n * 7919) % 4000) as f64 * 0.0001;
    let lon = 106.65 + ((n * 104_729) % 5000) as f64 * 0.0001;
    IncidentEvent {
        id: EventId(Uuid::now_v7()),
        incident_id: IncidentId(Uuid::now_v7()),
        at,
        actor: Actor::new(actor, Role::Operator1),
        change: IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(lat, lon).expect("a point in Jakarta")),
            description: format!("Laporan warga nomor {n}: keributan dan dugaan pencurian di dekat halte"),
            proposed_category: CATEGORIES[n % CATEGORIES.len()],
            priority: None,
            polda: Some(POLDA),
        },
    }
}

/// One row of the desk's `incident` table, as the raw baseline inserts it.
struct Row {
    id: String,
    status: &'static str,
    category: Option<&'static str>,
    priority_rank: i64,
    lat: Option<f64>,
    lon: Option<f64>,
    received_ms: i64,
    updated_ms: i64,
    version: i64,
    json: String,
    seq: i64,
}

impl Row {
    fn of(incident: &Incident, json: String, seq: i64) -> Row {
        let point = incident.location.point;
        Row {
            id: incident.id.0.to_string(),
            status: incident.status.code(),
            category: incident.category.map(|c| c.code()),
            priority_rank: i64::from(incident.priority.rank()),
            lat: point.map(|p| p.lat()),
            lon: point.map(|p| p.lon()),
            received_ms: unix_ms(incident.received_at),
            updated_ms: unix_ms(incident.updated_at),
            version: incident.version as i64,
            json,
            seq,
        }
    }
}

async fn sqlite_pool(path: &Path, synchronous: SqliteSynchronous, cache: &str) -> Result<SqlitePool> {
    // The benchmark's raw baseline opens SQLite itself, on purpose, without the store.
    #[allow(clippy::disallowed_methods)]
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .pragma("cache_size", cache.to_owned());
    Ok(SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?)
}

/// Seeds the central's SQLite tables directly (incidents, their receipt events, the Polda's sequence),
/// in transactions of 50,000 rows with multi-row prepared inserts. Returns the desk rows for the baseline.
async fn seed_central(path: &Path, count: usize) -> Result<Vec<Row>> {
    let pool = sqlite_pool(path, SqliteSynchronous::Normal, "-65536").await?;
    let start = OffsetDateTime::now_utc() - time::Duration::days(30);
    let mut rows = Vec::with_capacity(count);
    const BATCH: usize = 100;
    let incident_sql = |n: usize| {
        let mut sql = "INSERT INTO incidents (id, polda, status, category, created_ms, updated_ms, version, snapshot, lat, lon) VALUES ".to_owned();
        sql.push_str(&vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; n].join(", "));
        sql
    };
    let event_sql = |n: usize| {
        let mut sql =
            "INSERT INTO events (event_id, incident_id, polda, seq, kind, body, actor, recorded_ms) VALUES "
                .to_owned();
        sql.push_str(&vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; n].join(", "));
        sql
    };
    let mut seq = 0i64;
    for chunk_start in (0..count).step_by(50_000) {
        let chunk_end = (chunk_start + 50_000).min(count);
        let mut batch = Vec::with_capacity(chunk_end - chunk_start);
        for n in chunk_start..chunk_end {
            let event = report(n, "seed", start + time::Duration::seconds(n as i64 * 2));
            let incident = IncidentState::receive(&event)
                .context("a valid receipt")?
                .into_incident();
            seq += 1;
            let snapshot = serde_json::to_string(&incident)?;
            let body = serde_json::to_string(&event)?;
            batch.push((event, incident, snapshot, body, seq));
        }
        let mut tx = pool.begin().await?;
        for part in batch.chunks(BATCH) {
            let sql = incident_sql(part.len());
            let mut insert = sqlx::query(&sql);
            for (_, incident, snapshot, _, _) in part {
                let point = incident.location.point.expect("seeded with a point");
                insert = insert
                    .bind(incident.id.0.to_string())
                    .bind(POLDA.code())
                    .bind(incident.status.code())
                    .bind(incident.category.map_or("", |c| c.code()))
                    .bind(unix_ms(incident.received_at))
                    .bind(unix_ms(incident.updated_at))
                    .bind(incident.version as i64)
                    .bind(snapshot.as_str())
                    .bind(point.lat())
                    .bind(point.lon());
            }
            insert.execute(&mut *tx).await?;
            let sql = event_sql(part.len());
            let mut insert = sqlx::query(&sql);
            for (event, _, _, body, seq) in part {
                insert = insert
                    .bind(event.id.0.to_string())
                    .bind(event.incident_id.0.to_string())
                    .bind(POLDA.code())
                    .bind(*seq)
                    .bind(event.change.action().to_string())
                    .bind(body.as_str())
                    .bind("seed")
                    .bind(unix_ms(event.at));
            }
            insert.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        for (_, incident, snapshot, _, seq) in batch {
            rows.push(Row::of(&incident, snapshot, seq));
        }
    }
    sqlx::query("INSERT INTO polda_seq (polda, seq) VALUES (?, ?) ON CONFLICT (polda) DO UPDATE SET seq = excluded.seq")
        .bind(POLDA.code())
        .bind(seq)
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(rows)
}

const DESK_COLUMNS: &str = "id, polda, status, category, priority_rank, lat, lon, received_ms, updated_ms, \
                            server_version, confirmed, view, snapshot_polda, snapshot_seq";

/// The raw baseline: the same rows into a fresh SQLite file with the desk's table and indexes (made by
/// opening a desk store on it) and the desk writer's pragmas (WAL, synchronous FULL, 32 MB cache), in one
/// transaction with `per_statement` rows per prepared INSERT.
async fn raw_insert(path: &Path, rows: &[Row], per_statement: usize) -> Result<Duration> {
    Store::open(path).await?.close().await;
    let pool = sqlite_pool(path, SqliteSynchronous::Full, "-32768").await?;
    let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let statement = |n: usize| {
        format!(
            "INSERT INTO incident ({DESK_COLUMNS}) VALUES {}",
            vec![row; n].join(", ")
        )
    };
    let full = statement(per_statement);
    let began = Instant::now();
    let mut tx = pool.begin().await?;
    for part in rows.chunks(per_statement) {
        let partial;
        let sql = if part.len() == per_statement {
            full.as_str()
        } else {
            partial = statement(part.len());
            partial.as_str()
        };
        let mut insert = sqlx::query(sql);
        for row in part {
            insert = insert
                .bind(row.id.as_str())
                .bind(POLDA.code())
                .bind(row.status)
                .bind(row.category)
                .bind(row.priority_rank)
                .bind(row.lat)
                .bind(row.lon)
                .bind(row.received_ms)
                .bind(row.updated_ms)
                .bind(row.version)
                .bind(row.json.as_str())
                .bind(row.json.as_str())
                .bind(POLDA.code())
                .bind(row.seq);
        }
        insert.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let took = began.elapsed();
    pool.close().await;
    Ok(took)
}

async fn initial_sync(options: &Options) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let count = options.incidents;
    println!();
    println!(
        "initial sync of {count} incidents into an empty desk (snapshot pages of {})",
        options.page
    );
    let began = Instant::now();
    let central_db = dir.path().join("central.db");
    // Migrate first (the central's own schema), then seed its tables directly.
    siaga_central::store::Store::open(&format!("sqlite:{}", central_db.display()))
        .await?
        .pool
        .close()
        .await;
    let rows = seed_central(&central_db, count).await?;
    println!(
        "  seeded the central's SQLite directly (incidents + their receipt events + polda_seq, multi-row inserts, \
         50,000 rows a transaction) in {:.1} s",
        began.elapsed().as_secs_f64()
    );

    let raw_single = raw_insert(&dir.path().join("raw-1.sqlite"), &rows, 1).await?;
    let _ = std::fs::remove_file(dir.path().join("raw-1.sqlite"));
    let raw_batched = raw_insert(&dir.path().join("raw-128.sqlite"), &rows, 128).await?;
    let _ = std::fs::remove_file(dir.path().join("raw-128.sqlite"));
    drop(rows);

    let central = start_central(&central_db, &["bench-desk", "bench-writer"]).await?;
    let store = Store::open(&dir.path().join("desk.sqlite")).await?;
    let client = CentralClient::new(&central.base);
    client
        .login("bench-desk", PASSWORD)
        .await
        .context("signing in the desk")?;
    let mut config = SyncConfig::new(vec![POLDA]);
    config.snapshot_page_size = options.page;
    let engine = SyncEngine::new(store.clone(), client, config);
    let began = Instant::now();
    let report = engine.sync_once().await.context("the initial sync")?;
    let sync = began.elapsed();
    let held = store.summary().await?.incidents;
    if held != count as i64 || report.snapshot != count {
        bail!("the desk holds {held} incidents after the sync ({report:?}), not {count}");
    }
    let per_second = |d: Duration| count as f64 / d.as_secs_f64();
    println!(
        "  {:<58} | {:>9} | {:>12} | {:>12}",
        "", "seconds", "incidents/s", "raw / this"
    );
    for (label, took) in [
        ("raw: 1 tx, one-row prepared INSERT (sqlx), no HTTP", raw_single),
        ("raw: 1 tx, 128-row prepared INSERT (sqlx), no HTTP", raw_batched),
    ] {
        println!(
            "  {:<58} | {:>9.2} | {:>12.0} | {:>12}",
            label,
            took.as_secs_f64(),
            per_second(took),
            "-"
        );
    }
    println!(
        "  {:<58} | {:>9.2} | {:>12.0} | {:>5.2} / {:>4.2}",
        "sync: HTTP snapshot pages -> SyncEngine -> desk Store",
        sync.as_secs_f64(),
        per_second(sync),
        raw_single.as_secs_f64() / sync.as_secs_f64(),
        raw_batched.as_secs_f64() / sync.as_secs_f64()
    );
    println!(
        "  ratio = raw time / sync time against each raw variant (goal >= 0.5); the sync includes the central's \
         reads and HTTP on the same {} CPUs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if options.live {
        let live = measure_live(&central, vec![engine], options).await?;
        println!(
            "  then live latency on this desk of {count} incidents (measured as below), {} events at {}/s: store p50 {:.1} ms, p99 {:.1} ms; \
             UI p50 {:.1} ms, p99 {:.1} ms; missing {}",
            options.events, options.rate, live.store_p50, live.store_p99, live.ui_p50, live.ui_p99, live.missing
        );
    }
    store.close().await;
    drop(central);
    Ok(())
}

struct Latency {
    store_p50: f64,
    store_p99: f64,
    ui_p50: f64,
    ui_p99: f64,
    missing: usize,
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let index = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[index.min(values.len() - 1)]
}

/// Per desk: incident id -> (store commit ms, UI notification µs).
type Seen = Arc<Mutex<HashMap<IncidentId, (i64, i64)>>>;

async fn live_latency(desks: usize, options: &Options) -> Result<Latency> {
    let dir = tempfile::tempdir()?;
    let central = start_central(&dir.path().join("central.db"), &["bench-writer", "bench-desk"]).await?;
    let login = CentralClient::new(&central.base);
    let token = login.login("bench-desk", PASSWORD).await?.access_token;
    let mut engines = Vec::new();
    for n in 0..desks {
        let store = Store::open(&dir.path().join(format!("desk-{n}.sqlite"))).await?;
        let client = CentralClient::new(&central.base);
        client.set_token(Some(token.clone()));
        engines.push(SyncEngine::new(store, client, SyncConfig::new(vec![POLDA])));
    }
    measure_live(&central, engines, options).await
}

/// Runs `engines` against `central` and posts `options.events` new reports at `options.rate`.
async fn measure_live(central: &Central, engines: Vec<SyncEngine>, options: &Options) -> Result<Latency> {
    // The commit instants, from the central's live hub (published right after each append commits).
    let committed: Arc<Mutex<HashMap<IncidentId, i64>>> = Arc::default();
    let mut hub = central.state.hub.subscribe();
    let hub_task = {
        let committed = committed.clone();
        tokio::spawn(async move {
            while let Ok(event) = hub.recv().await {
                let at = now_us();
                committed
                    .lock()
                    .expect("not poisoned")
                    .insert(event.event.incident_id, at);
            }
        })
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut seen_all = Vec::new();
    let mut tasks = Vec::new();
    for engine in &engines {
        let seen: Seen = Arc::default();
        let mut changes = engine.store().changes();
        let recorder = seen.clone();
        tasks.push(tokio::spawn(async move {
            while let Ok(change) = changes.recv().await {
                let at = now_us();
                let mut seen = recorder.lock().expect("not poisoned");
                for id in change.incidents {
                    seen.entry(id).or_insert((change.committed_ms, at));
                }
            }
        }));
        tasks.push(tokio::spawn(engine.clone().run(stopped.clone())));
        seen_all.push(seen);
    }
    // Every desk online (caught up and on the live stream) before the first event.
    let deadline = Instant::now() + Duration::from_secs(120);
    while engines.iter().any(|e| e.status().borrow().link != Link::Online) {
        if Instant::now() > deadline {
            bail!("the desks did not come online");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    let writer = CentralClient::new(&central.base);
    writer
        .login("bench-writer", PASSWORD)
        .await
        .context("signing in the writer")?;
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate.max(0.1)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut posted = Vec::with_capacity(options.events);
    for n in 0..options.events {
        ticker.tick().await;
        let event = report(n, "bench-writer", OffsetDateTime::now_utc());
        posted.push(event.incident_id);
        writer
            .append(&EventEnvelope::outgoing(POLDA, event))
            .await
            .context("posting an event")?;
    }
    // Wait until every desk has every event (or 30 s).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let complete = seen_all.iter().all(|seen| {
            let seen = seen.lock().expect("not poisoned");
            posted.iter().all(|id| seen.contains_key(id))
        });
        if complete || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true)?;
    let committed = committed.lock().expect("not poisoned").clone();
    let (mut to_store, mut to_ui, mut missing) = (Vec::new(), Vec::new(), 0);
    for seen in &seen_all {
        let seen = seen.lock().expect("not poisoned");
        for id in &posted {
            match (committed.get(id), seen.get(id)) {
                (Some(commit_us), Some((store_ms, ui_us))) => {
                    to_store.push((*store_ms as f64) - (*commit_us as f64) / 1000.0);
                    to_ui.push((ui_us - commit_us) as f64 / 1000.0);
                }
                _ => missing += 1,
            }
        }
    }
    for task in tasks {
        task.abort();
    }
    hub_task.abort();
    for engine in &engines {
        engine.store().close().await;
    }
    Ok(Latency {
        store_p50: percentile(&mut to_store, 0.50),
        store_p99: percentile(&mut to_store, 0.99),
        ui_p50: percentile(&mut to_ui, 0.50),
        ui_p99: percentile(&mut to_ui, 0.99),
        missing,
    })
}
