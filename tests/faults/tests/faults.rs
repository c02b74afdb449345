//! The sync fault suite (issue 5): N desk processes make random legal edits through a proxy that drops,
//! delays, blackholes and resets connections mid-response; the real central is SIGKILLed while desks
//! push (commits whose replies never leave) and restarted on the same port and file; desks are
//! SIGKILLed mid-write and restarted on their store files. Then the link is restored, every desk syncs to
//! quiescence, and the checker proves every store equals the central: 0 lost, 0 duplicated.
//!
//! Default: 4 desks, 10,000 actions, 6 link failures (drop, blackhole, reset mid-response, twice each)
//! plus a period of delay, 2 central restarts, 2 desk kills (a few minutes).
//! `SIAGA_SOAK=1`: 6 desks, 60,000 actions (`SIAGA_SOAK_ACTIONS` to change), the fault schedule three
//! times over. `SIAGA_FAULT_DESKS`, `SIAGA_FAULT_ACTIONS` and `SIAGA_FAULT_PACE_MS` override either.

use siaga_domain::Role;
use siaga_fault_tests::central::{central_binary, create_accounts, CentralProcess};
use siaga_fault_tests::check::{self, DeskEvidence};
use siaga_fault_tests::desk::{DeskConfig, DeskProcess};
use siaga_fault_tests::proxy::{Mode, Proxy};
use siaga_fault_tests::rng::Rng;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

const PASSWORD: &str = "kata sandi uji gangguan";
const CHECKER: &str = "spv-pemeriksa";

/// One fault of the schedule.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// The proxy in `mode` for a while, then back to pass.
    Link(Mode, Duration),
    /// SIGKILL the central while desks push, leave it down a while, restart it on the same port and file.
    CentralRestart(Duration),
    /// SIGKILL a desk mid-write, leave it down a while, restart it on its store file.
    DeskKill(usize, Duration),
}

/// The scenario's size and schedule.
#[derive(Debug, Clone)]
struct Plan {
    desks: usize,
    actions: u64,
    pace: Duration,
    /// Each fault fires when this share of all actions has been accepted.
    schedule: Vec<(f64, Fault)>,
    /// The whole action phase must end within this.
    limit: Duration,
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// One round of every kind of fault, spread over `[start, start + span)` of the run.
fn one_round(start: f64, span: f64, desks: usize, round: usize) -> Vec<(f64, Fault)> {
    let ms = Duration::from_millis;
    let faults = [
        Fault::Link(Mode::Drop, ms(1500)),
        Fault::Link(Mode::Delay(ms(150)), ms(3000)),
        Fault::CentralRestart(ms(1000)),
        // Longer than the desk client's 10 s request timeout: only the timeout gets a desk out.
        Fault::Link(Mode::Blackhole, ms(12_000)),
        Fault::DeskKill(round % desks, ms(500)),
        Fault::Link(Mode::ResetMidResponse, ms(3000)),
        Fault::CentralRestart(ms(2000)),
        Fault::Link(Mode::Drop, ms(2000)),
        Fault::DeskKill((round + 2) % desks, ms(300)),
        Fault::Link(Mode::ResetMidResponse, ms(2000)),
        Fault::Link(Mode::Blackhole, ms(3000)),
    ];
    let step = span / (faults.len() as f64 + 1.0);
    faults
        .into_iter()
        .enumerate()
        .map(|(i, fault)| (start + step * (i as f64 + 0.6), fault))
        .collect()
}

impl Plan {
    fn from_env() -> Plan {
        let soak = std::env::var("SIAGA_SOAK").is_ok_and(|v| v == "1");
        let desks = env_number("SIAGA_FAULT_DESKS").unwrap_or(if soak { 6 } else { 4 }) as usize;
        let actions = env_number("SIAGA_FAULT_ACTIONS")
            .or(if soak {
                env_number("SIAGA_SOAK_ACTIONS")
            } else {
                None
            })
            .unwrap_or(if soak { 60_000 } else { 10_000 });
        let rounds = if soak { 3 } else { 1 };
        let schedule = (0..rounds)
            .flat_map(|r| one_round(r as f64 / rounds as f64, 1.0 / rounds as f64, desks, r))
            .collect();
        Plan {
            desks,
            actions,
            pace: Duration::from_millis(env_number("SIAGA_FAULT_PACE_MS").unwrap_or(30)),
            schedule,
            limit: Duration::from_secs(if soak { 4 * 3600 } else { 900 }),
        }
    }
}

/// What the run did, for the summary line.
#[derive(Debug, Default)]
struct Tally {
    link_failures: usize,
    delays: usize,
    by_mode: Vec<&'static str>,
    central_restarts: usize,
    /// Central restarts while no desk had used up its budget (desks were pushing).
    central_restarts_mid_run: usize,
    desk_kills: usize,
    /// Desk kills while the desk was still making actions.
    desk_kills_mid_run: usize,
    /// Appends the central answered with the stored result, summed over its lifetimes (a lower bound:
    /// the counter is read just before each kill).
    duplicate_appends: u64,
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
}

fn out(line: &str) {
    // Straight to the process's stdout, so that the summary shows without --nocapture.
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

async fn run_fault(
    fault: Fault,
    rng: &mut Rng,
    proxy: &Proxy,
    central: &mut CentralProcess,
    desks: &mut [DeskProcess],
    tally: &mut Tally,
) -> Result<(), String> {
    match fault {
        Fault::Link(mode, how_long) => {
            proxy.set_mode(mode);
            tokio::time::sleep(how_long).await;
            proxy.set_mode(Mode::Pass);
            if matches!(mode, Mode::Delay(_)) {
                tally.delays += 1;
            } else {
                tally.link_failures += 1;
            }
            tally.by_mode.push(mode.name());
        }
        Fault::CentralRestart(down) => {
            tokio::time::sleep(Duration::from_millis(rng.below(300) as u64)).await;
            if !desks.iter().any(DeskProcess::budget_done) {
                tally.central_restarts_mid_run += 1;
            }
            tally.duplicate_appends += check::duplicate_appends(&central.url()).await.unwrap_or(0);
            central.kill();
            tokio::time::sleep(down).await;
            central.restart().await.map_err(|e| e.to_string())?;
            tally.central_restarts += 1;
        }
        Fault::DeskKill(index, down) => {
            tokio::time::sleep(Duration::from_millis(rng.below(400) as u64)).await;
            let desk = &mut desks[index];
            if !desk.budget_done() {
                tally.desk_kills_mid_run += 1;
            }
            desk.kill().await;
            tokio::time::sleep(down).await;
            desk.restart().map_err(|e| e.to_string())?;
            tally.desk_kills += 1;
        }
    }
    Ok(())
}

/// Waits until `ready` holds for every desk, failing if a desk exits on its own or time runs out.
async fn wait_for_desks(
    desks: &mut [DeskProcess],
    limit: Duration,
    what: &str,
    ready: impl Fn(&DeskProcess) -> bool,
) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        for desk in desks.iter_mut() {
            if let Some(status) = desk.exited() {
                return Err(format!(
                    "{} exited on its own ({status}):\n{}",
                    desk.config().name,
                    tail(&desk.config().log, 20)
                ));
            }
        }
        if desks.iter().all(&ready) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let late: Vec<&str> = desks
                .iter()
                .filter(|d| !ready(d))
                .map(|d| d.config().name.as_str())
                .collect();
            return Err(format!("{late:?} not {what} within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scenario(dir: &Path, plan: &Plan) -> Result<(), String> {
    let started = Instant::now();
    let central_binary = central_binary().map_err(|e| e.to_string())?;
    let runner = Path::new(env!("CARGO_BIN_EXE_desk_runner"));
    let database = dir.join("central.db");
    let names: Vec<String> = (0..plan.desks).map(|i| format!("spv-meja-{i}")).collect();
    let mut accounts = names.clone();
    accounts.push(CHECKER.to_owned());
    create_accounts(&database, &accounts, PASSWORD, Role::Supervisor)
        .await
        .map_err(|e| e.to_string())?;
    let mut central =
        CentralProcess::start(&central_binary, &database, free_addr(), &dir.join("central.log"))
            .await
            .map_err(|e| e.to_string())?;
    let proxy = Proxy::start(central.addr())
        .await
        .map_err(|e| format!("starting the proxy: {e}"))?;

    let per_desk = plan.actions.div_ceil(plan.desks as u64);
    let mut desks = Vec::new();
    for (i, user) in names.iter().enumerate() {
        let config = DeskConfig {
            name: format!("desk-{i}"),
            store: dir.join(format!("desk-{i}.sqlite")),
            central_url: proxy.url(),
            user: user.clone(),
            password: PASSWORD.to_owned(),
            seed: 110 + i as u64,
            budget: per_desk,
            pace: plan.pace,
            log: dir.join(format!("desk-{i}.log")),
        };
        desks.push(DeskProcess::start(runner, config).map_err(|e| e.to_string())?);
    }
    let total_budget = per_desk * plan.desks as u64;

    // The action phase, with the fault schedule keyed to progress.
    let mut rng = Rng::new(0x5147_4110);
    let mut tally = Tally::default();
    let mut next = 0;
    loop {
        for desk in desks.iter_mut() {
            if let Some(status) = desk.exited() {
                return Err(format!(
                    "{} exited on its own ({status}):\n{}",
                    desk.config().name,
                    tail(&desk.config().log, 20)
                ));
            }
        }
        let accepted: usize = desks.iter().map(DeskProcess::accepted).sum();
        if let Some(&(share, fault)) = plan.schedule.get(next) {
            if accepted as f64 >= share * total_budget as f64 {
                out(&format!(
                    "faults: {:>6.1} s, {accepted} actions: {fault:?}",
                    started.elapsed().as_secs_f64()
                ));
                run_fault(fault, &mut rng, &proxy, &mut central, &mut desks, &mut tally).await?;
                next += 1;
                continue;
            }
        } else if desks.iter().all(DeskProcess::budget_done) {
            break;
        }
        if started.elapsed() > plan.limit {
            return Err(format!(
                "the action phase did not end within {:?} ({accepted} actions, fault {next})",
                plan.limit
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let action_phase = started.elapsed();

    // Restore the link and let every desk sync to quiescence.
    proxy.set_mode(Mode::Pass);
    wait_for_desks(
        &mut desks,
        Duration::from_secs(180),
        "drained",
        DeskProcess::drained,
    )
    .await?;
    for desk in desks.iter_mut() {
        desk.finish(Duration::from_secs(180))
            .await
            .map_err(|e| e.to_string())?;
    }
    tally.duplicate_appends += check::duplicate_appends(&central.url()).await.unwrap_or(0);
    let synced = started.elapsed();

    // The verdict.
    let state = check::read_central(&central.url(), CHECKER, PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let evidence: Vec<DeskEvidence> = desks
        .iter()
        .map(|d| DeskEvidence {
            name: d.config().name.clone(),
            user: d.config().user.clone(),
            store: d.config().store.clone(),
            printed: d.report().accepted,
        })
        .collect();
    let verdict = check::verify(&state, &evidence)
        .await
        .map_err(|e| e.to_string())?;
    let skipped: u64 = desks.iter().map(|d| d.report().skipped).sum();
    let kills: u32 = desks.iter().map(DeskProcess::kills).sum();
    let stats = proxy.stats();
    out(&format!(
        "faults: {} actions accepted ({} printed, {} in the central, {} refused by the central with a reason; \
         {skipped} not recorded because the view moved), {} feed events, {} incidents; link faults {:?}; \
         {} appends answered with the stored result; proxy: {} connections, {} dropped, {} blackholed, {} cut \
         mid-response; action phase {:.0} s, synced at {:.0} s, checked at {:.0} s",
        verdict.actions,
        verdict.printed,
        verdict.in_central,
        verdict.refused,
        verdict.feed_events,
        verdict.incidents,
        tally.by_mode,
        tally.duplicate_appends,
        stats.connections,
        stats.dropped,
        stats.blackholed,
        stats.cut_responses,
        action_phase.as_secs_f64(),
        synced.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    ));
    out(&format!(
        "faults: {} desks, {} actions, {} link failures (+{} delays), {} central restarts, {} desk kills: \
         {} lost, {} duplicated, {}",
        plan.desks,
        verdict.actions,
        tally.link_failures,
        tally.delays,
        tally.central_restarts,
        kills,
        verdict.lost.len(),
        verdict.duplicated.len(),
        if verdict.unequal.is_empty() {
            "all stores equal".to_owned()
        } else {
            format!(
                "{} differences between stores and the central",
                verdict.unequal.len()
            )
        }
    ));
    if !verdict.is_clean() {
        return Err(verdict.problems(10));
    }
    let expected_failures = plan
        .schedule
        .iter()
        .filter(|(_, f)| matches!(f, Fault::Link(m, _) if !matches!(m, Mode::Delay(_))))
        .count();
    let checks = [
        (
            verdict.actions as u64 >= plan.actions,
            "every action of the budget was made",
        ),
        (
            verdict.actions == verdict.in_central + verdict.refused,
            "every action is in the central or refused",
        ),
        (
            tally.link_failures == expected_failures && tally.link_failures >= 5,
            "at least 5 link failures",
        ),
        (
            tally.central_restarts_mid_run >= 2,
            "at least 2 central restarts while desks push",
        ),
        (
            tally.desk_kills_mid_run >= 2,
            "at least 2 desk kills while desks write",
        ),
        (
            central.starts() as usize == tally.central_restarts + 1,
            "the central restarted each time",
        ),
    ];
    for (ok, what) in checks {
        if !ok {
            return Err(format!("not met: {what}"));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_desk_equals_the_central_after_link_failures_central_restarts_and_desk_kills() {
    let plan = Plan::from_env();
    assert!(plan.desks >= 1 && plan.actions >= plan.desks as u64, "{plan:?}");
    let dir = tempfile::Builder::new()
        .prefix("siaga-faults-")
        .tempdir()
        .expect("a temporary directory");
    if let Err(problem) = scenario(dir.path(), &plan).await {
        let kept = dir.keep();
        let mut logs = format!("central:\n{}\n", tail(&kept.join("central.log"), 15));
        for i in 0..plan.desks {
            logs.push_str(&format!(
                "desk-{i}:\n{}\n",
                tail(&kept.join(format!("desk-{i}.log")), 10)
            ));
        }
        panic!(
            "the fault suite failed: {problem}\nfiles kept in {}\n{logs}",
            kept.display()
        );
    }
}
