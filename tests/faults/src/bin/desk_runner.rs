//! `desk_runner`: one desk of the fault suite as its own process, so that it can be killed with SIGKILL
//! in the middle of its writes. It opens its store file, signs in (a supervisor of Polda Metro Jaya),
//! runs the sync engine, and makes random legal edits until its action budget (counted in its store, so
//! a restarted runner carries on) is used up, printing one line per action after its store committed it.
//! Then it waits: it prints `drained` once nothing is pending, and on `stop` (stdin) it syncs until
//! nothing moves and exits. Without a parent (stdin closed before `stop`) it exits at once.
//!
//! ```text
//! desk_runner --store FILE --central URL --user NAME --seed N --budget N [--pace-ms N]
//! ```
//! The password is read from `SIAGA_DESK_PASSWORD`.

use anyhow::{bail, Context as _, Result};
use siaga_domain::{Actor, IncidentChange, IncidentId, PoldaId, Role};
use siaga_fault_tests::actions::ActionMaker;
use siaga_fault_tests::inspect;
use siaga_fault_tests::rng::Rng;
use siaga_store::{IncidentFilter, Recorded, Store, StoreError};
use siaga_sync::{CentralClient, ClientError, SyncConfig, SyncEngine, SyncError};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::io::AsyncBufReadExt as _;
use tokio::sync::watch;

/// The share of actions that receive a new report.
const NEW_REPORT_SHARE: f64 = 0.1;
/// How many recently changed incidents the desk works on.
const HOT_INCIDENTS: usize = 40;

struct Args {
    store: PathBuf,
    central: String,
    user: String,
    password: String,
    seed: u64,
    budget: u64,
    pace: Duration,
}

impl Args {
    fn parse() -> Result<Args> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let flag = |name: &str| -> Option<String> {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1).cloned())
        };
        let need = |name: &str| flag(name).with_context(|| format!("{name} is required"));
        Ok(Args {
            store: PathBuf::from(need("--store")?),
            central: need("--central")?,
            user: need("--user")?,
            password: std::env::var("SIAGA_DESK_PASSWORD").context("SIAGA_DESK_PASSWORD is required")?,
            seed: need("--seed")?.parse().context("--seed")?,
            budget: need("--budget")?.parse().context("--budget")?,
            pace: Duration::from_millis(
                flag("--pace-ms")
                    .map(|p| p.parse())
                    .transpose()
                    .context("--pace-ms")?
                    .unwrap_or(50),
            ),
        })
    }
}

/// One line on stdout, written and flushed at once.
fn say(line: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

/// One line on stderr (the desk's log).
fn log(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Signs in, retrying while the central cannot be reached.
async fn sign_in(client: &CentralClient, user: &str, password: &str) {
    loop {
        match client.login(user, password).await {
            Ok(_) => return,
            Err(err) => {
                log(&format!("sign-in failed: {err}"));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// Signs in, then runs the engine until `stop`; signs in again if the central stops knowing the token.
async fn keep_syncing(
    engine: SyncEngine,
    client: CentralClient,
    user: String,
    password: String,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = sign_in(&client, &user, &password) => {}
            _ = stop.changed() => return,
        }
        let (halt, halted) = watch::channel(false);
        let run = tokio::spawn(engine.clone().run(halted));
        let mut status = engine.status();
        let stopping = loop {
            tokio::select! {
                _ = stop.changed() => break true,
                changed = status.changed() => {
                    if changed.is_err() {
                        break true;
                    }
                    let error = status.borrow_and_update().last_error.clone();
                    if let Some(error) = error {
                        if error.contains("not signed in") {
                            log(&format!("signing in again: {error}"));
                            break false;
                        }
                    }
                }
            }
        };
        let _ = halt.send(true);
        let _ = run.await;
        if stopping {
            return;
        }
    }
}

/// Incidents changed in the last seconds, as this desk shows them (others' included).
async fn recent_incidents(store: &Store) -> Result<Vec<IncidentId>> {
    let filter = IncidentFilter {
        updated_since: Some(OffsetDateTime::now_utc() - time::Duration::seconds(20)),
        limit: HOT_INCIDENTS as u32,
        ..IncidentFilter::default()
    };
    Ok(store
        .incidents(&filter)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect())
}

fn action_code(change: &IncidentChange) -> String {
    serde_json::to_value(change.action())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse()?;
    let store = Store::open(&args.store)
        .await
        .with_context(|| format!("opening {}", args.store.display()))?;
    let mut made = inspect::own_event_count(&args.store).await?;
    say(&format!("start {made}"))?;

    let client = CentralClient::new(&args.central);
    let mut config = SyncConfig::new(vec![PoldaId::MetroJaya]);
    config.retry_base = Duration::from_millis(50);
    config.retry_max = Duration::from_secs(1);
    config.idle_pull = Duration::from_secs(3);
    let engine = SyncEngine::new(store.clone(), client.clone(), config);
    let (stop_sync, sync_stopped) = watch::channel(false);
    let sync = tokio::spawn(keep_syncing(
        engine.clone(),
        client.clone(),
        args.user.clone(),
        args.password.clone(),
        sync_stopped,
    ));

    // `stop` on stdin asks to finish; stdin closing first means the parent is gone.
    let (finish, mut finishing) = watch::channel(false);
    tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        loop {
            match lines.next_line().await {
                Ok(Some(line)) if line.trim() == "stop" => {
                    let _ = finish.send(true);
                    return;
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => {
                    log("stdin closed before stop: exiting");
                    std::process::exit(3);
                }
            }
        }
    });

    let mut maker = ActionMaker::new(Actor::new(args.user.clone(), Role::Supervisor));
    let mut rng = Rng::new(args.seed ^ made.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut hot: Vec<IncidentId> = Vec::new();
    let mut until_refresh = 0u32;
    while made < args.budget && !*finishing.borrow() {
        if until_refresh == 0 {
            for id in recent_incidents(&store).await? {
                if !hot.contains(&id) {
                    hot.push(id);
                }
            }
            if hot.len() > HOT_INCIDENTS {
                hot.drain(..hot.len() - HOT_INCIDENTS);
            }
            until_refresh = 10;
        }
        until_refresh -= 1;
        let event = if hot.is_empty() || rng.chance(NEW_REPORT_SHARE) {
            maker.receive(&mut rng)
        } else {
            let id = *rng.pick(&hot);
            let Some(view) = store.incident(id).await? else {
                hot.retain(|&h| h != id);
                continue;
            };
            let other = *rng.pick(&hot);
            match maker.edit(&mut rng, &view, Some(other)) {
                Some(event) => event,
                None => continue,
            }
        };
        match store.record_local(&event).await {
            Ok(Recorded::Accepted(_)) => {
                made += 1;
                say(&format!(
                    "accepted {} {} {}",
                    event.id.0,
                    event.incident_id.0,
                    action_code(&event.change)
                ))?;
                engine.kick();
                if matches!(event.change, IncidentChange::Received { .. }) {
                    hot.push(event.incident_id);
                    if hot.len() > HOT_INCIDENTS {
                        hot.remove(0);
                    }
                }
            }
            Ok(Recorded::AlreadyRecorded(_)) => bail!("a new event id was already recorded"),
            // The view changed (the feed came in) between choosing and recording: not an action.
            Err(StoreError::Refused(err)) => say(&format!("skipped {}", err.code()))?,
            Err(err) => return Err(err).context("recording an action"),
        }
        let pause = args.pace.mul_f64(0.5 + rng.unit());
        tokio::time::sleep(pause).await;
    }
    say(&format!("budget-done {made}"))?;

    // Report once nothing is pending, then wait for `stop`.
    let mut drained = false;
    while !*finishing.borrow() {
        if !drained && store.summary().await?.pending == 0 {
            drained = true;
            say("drained")?;
        }
        tokio::select! {
            _ = finishing.changed() => {}
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
    }
    let _ = stop_sync.send(true);
    let _ = sync.await;

    // Sync until two rounds in a row move nothing.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut quiet = 0;
    while quiet < 2 {
        if tokio::time::Instant::now() > deadline {
            bail!("did not reach quiescence: {:?}", store.summary().await?);
        }
        match engine.sync_once().await {
            Ok(round) => {
                let pending = store.summary().await?.pending;
                let moved = round.pushed + round.refused + round.pulled + round.resynced;
                quiet = if pending == 0 && moved == 0 { quiet + 1 } else { 0 };
            }
            Err(SyncError::Client(ClientError::Unauthorized { .. })) => {
                sign_in(&client, &args.user, &args.password).await;
            }
            Err(err) => {
                log(&format!("final sync: {err}"));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    let summary = store.summary().await?;
    say(&format!(
        "final pending={} incidents={} unseen_rejections={}",
        summary.pending, summary.incidents, summary.unseen_rejections
    ))?;
    store.close().await;
    Ok(())
}
