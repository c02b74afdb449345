//! `siaga-window-bench`: the live map measured through the real window (Xvfb, WebDriver), with the
//! webview's own performance timing. It seeds a desk's store with N incidents (default 50,000, as the
//! central's feed would have brought them), starts the desk on it, and reports:
//! - the time to show them all on the map (filter change → every point drawn and the map idle), against
//!   a baseline of one category's share of them in the same run;
//! - the frame time while panning across Jakarta and across Indonesia, against the same pans with the
//!   incident layer empty;
//! - the idle memory (PSS and RSS) of the whole app: the desk process and every WebKit process it runs;
//! - the idle CPU of the whole app on the map page and on another page (share of one core over 30 s);
//! - start-up: from the desk process's start to the webview's first frame, to the shell on screen, and to
//!   the map drawn with its incidents, with the 50,000 incidents and with a store of 1,000 (the baseline).
//!
//! Run under Xvfb with the built desk: `xvfb-run -a -s "-screen 0 1280x900x24" cargo run --release -p
//! siaga-e2e --bin siaga-window-bench -- [--incidents N]` with `SIAGA_APP_BIN` set (see README).

#![allow(clippy::print_stdout)] // A benchmark prints its figures.

use anyhow::{bail, Context, Result};
use siaga_domain::{Actor, Category, Channel, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId};
use siaga_domain::{Location, PoldaId, Role};
use siaga_e2e::Desk;
use siaga_store::{RemoteEvent, Store};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so every run seeds the same incidents.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// N received incidents: two thirds around Jakarta, the rest across the archipelago's main cities,
/// received in the last 20 hours, categories spread over the whole list.
async fn seed(store: &Store, count: usize) -> Result<()> {
    let cities = [
        (-6.2, 106.83, 0.25),
        (-7.25, 112.75, 0.15),
        (-6.91, 107.61, 0.12),
        (3.59, 98.67, 0.12),
        (-5.14, 119.42, 0.1),
        (-8.65, 115.22, 0.1),
        (-0.95, 100.35, 0.1),
    ];
    let mut rng = Rng(0x05ee_d110);
    let now = time::OffsetDateTime::now_utc();
    let mut seq = 0i64;
    let mut page = Vec::with_capacity(5000);
    for n in 0..count {
        let (lat, lon, spread) = if rng.unit() < 0.66 {
            cities[0]
        } else {
            cities[1 + (rng.next() % (cities.len() as u64 - 1)) as usize]
        };
        let point = GeoPoint::new(
            lat + (rng.unit() - 0.5) * spread,
            lon + (rng.unit() - 0.5) * spread * 1.4,
        )?;
        let category = Category::ALL[(rng.next() % Category::ALL.len() as u64) as usize];
        let id = uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n as u128);
        seq += 1;
        page.push(RemoteEvent {
            polda: PoldaId::MetroJaya,
            seq,
            event: IncidentEvent {
                id: EventId(id),
                incident_id: IncidentId(id),
                at: now - time::Duration::seconds((rng.unit() * 20.0 * 3600.0) as i64),
                actor: Actor::new("bench", Role::System),
                change: IncidentChange::Received {
                    channel: Channel::Call110,
                    caller_number: None,
                    reporter: None,
                    location: Location::at(point),
                    description: format!("Laporan uji {n}"),
                    proposed_category: Some(category),
                    priority: None,
                    polda: Some(PoldaId::MetroJaya),
                },
            },
        });
        if page.len() == 5000 || n + 1 == count {
            store.apply_remote(PoldaId::MetroJaya, &page, seq).await?;
            page.clear();
        }
    }
    Ok(())
}

/// Milliseconds from a filter click until the map has drawn `expected` incidents and gone idle,
/// measured inside the webview (performance.now()).
async fn time_to_show(desk: &Desk, click: &str, expected: u64) -> Result<f64> {
    let answer = desk
        .client
        .execute_async(
            "const [button, expected, done] = arguments; \
             const view = document.querySelector('#map-view'); \
             const start = performance.now(); \
             view.dataset.incidentsShown = 'pending'; \
             document.querySelector(button).click(); \
             const poll = () => { \
               if (view.dataset.incidentsShown === String(expected)) { done(performance.now() - start); } \
               else if (performance.now() - start > 120000) { done(-1); } \
               else { setTimeout(poll, 5); } }; \
             poll();",
            vec![click.into(), expected.into()],
        )
        .await?;
    let ms = answer.as_f64().context("a time")?;
    if ms < 0.0 {
        bail!("{click}: the map never showed {expected} incidents");
    }
    Ok(ms)
}

/// Frame times (ms) of `frames` animation frames while the map pans by `step` pixels per frame.
async fn pan_frames(desk: &Desk, frames: u32, step: f64) -> Result<Vec<f64>> {
    let answer = desk
        .client
        .execute_async(
            "const [frames, step, done] = arguments; \
             const map = document.querySelector('#map-view').siagaMap; \
             const times = []; let last = null; let n = 0; \
             const frame = (t) => { \
               if (last !== null) times.push(t - last); last = t; \
               if (n++ >= frames) { done(times); return; } \
               map.panBy([n % 60 < 30 ? step : -step, 0], { animate: false }); \
               requestAnimationFrame(frame); }; \
             requestAnimationFrame(frame);",
            vec![frames.into(), step.into()],
        )
        .await?;
    let times: Vec<f64> = serde_json::from_value(answer)?;
    Ok(times)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn camera(desk: &Desk, preset: &str) -> Result<()> {
    desk.click(&format!("#map-preset-{preset}")).await?;
    desk.client
        .execute_async(
            // After the flight: done once the map is still with its tiles in (an idle map fires no more
            // `idle` events, so check before waiting for one).
            "const done = arguments[0]; const map = document.querySelector('#map-view').siagaMap; \
             setTimeout(() => { if (!map.isMoving() && map.areTilesLoaded()) { done(true); } \
               else { map.once('idle', () => done(true)); } }, 2500);",
            vec![],
        )
        .await?;
    Ok(())
}

/// PSS and RSS (KiB) of the process tree under `root`.
fn tree_memory(root: u32) -> Result<(u64, u64, Vec<String>)> {
    let mut pending = vec![root];
    let (mut pss, mut rss, mut names) = (0, 0, Vec::new());
    while let Some(pid) = pending.pop() {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let field = |name: &str| {
            rollup
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        pss += field("Pss:");
        rss += field("Rss:");
        names.push(
            std::fs::read_to_string(format!("/proc/{pid}/comm"))?
                .trim()
                .to_owned(),
        );
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        pending.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
    }
    Ok((pss, rss, names))
}

/// CPU time (clock ticks) used so far by each process of the tree under `root`, by pid (with its name).
fn tree_cpu_ticks(root: u32) -> std::collections::BTreeMap<u32, (String, u64)> {
    let mut pending = vec![root];
    let mut ticks = std::collections::BTreeMap::new();
    while let Some(pid) = pending.pop() {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The command name is in parentheses (it may hold spaces); utime and stime are fields 14 and 15.
        let name = stat
            .split_once('(')
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map(|(name, _)| name.to_owned())
            .unwrap_or_default();
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let used = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<u64>().ok()))
            .sum::<u64>();
        ticks.insert(pid, (name, used));
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        pending.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
    }
    ticks
}

/// The share of one core the app's processes use over `window` while nobody touches it: in all, and
/// per process (`name share`).
async fn idle_cpu(root: u32, window: Duration) -> (f64, String) {
    let before = tree_cpu_ticks(root);
    tokio::time::sleep(window).await;
    let after = tree_cpu_ticks(root);
    let share = |ticks: u64| ticks as f64 / CLOCK_TICKS_PER_SECOND / window.as_secs_f64();
    let mut total = 0;
    let mut parts = Vec::new();
    for (pid, (name, used)) in &after {
        let used = used.saturating_sub(before.get(pid).map_or(0, |(_, t)| *t));
        total += used;
        parts.push(format!("{name} {:.1} %", share(used) * 100.0));
    }
    (share(total), parts.join(", "))
}

/// The kernel's USER_HZ, which /proc reports CPU times in (100 on Linux everywhere).
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

/// When process `pid` started, in Unix milliseconds (10 ms resolution).
fn process_start_unix_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let start_ticks: f64 = rest
        .split_whitespace()
        .nth(19)
        .context("starttime in /proc/pid/stat")?
        .parse()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("/proc/uptime")?
        .parse()?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs_f64()
        * 1000.0;
    Ok(now_ms - (uptime - start_ticks / CLOCK_TICKS_PER_SECOND) * 1000.0)
}

/// Start-up milestones of a desk just launched on a store of `expected` incidents, in ms from its
/// process start: the webview's first contentful paint, the shell mounted, the map drawn with them.
async fn start_up(desk: &Desk, app: &str) -> Result<(f64, f64, f64)> {
    let started = process_start_unix_ms(desk_pid(app)?)?;
    let answer = desk
        .client
        .execute_async(
            "const done = arguments[0]; const root = document.documentElement; const t0 = performance.now(); \
             const poll = () => { \
               if (root.dataset.mapDataAt) { \
                 const paint = performance.getEntriesByType('paint') \
                   .find((e) => e.name === 'first-contentful-paint') \
                   || performance.getEntriesByType('paint')[0]; \
                 done({ origin: performance.timeOrigin, paint: paint ? paint.startTime : null, \
                        shell: Number(root.dataset.shellAt), map: Number(root.dataset.mapDataAt) }); } \
               else if (performance.now() - t0 > 120000) { done(null); } \
               else { setTimeout(poll, 20); } }; \
             poll();",
            vec![],
        )
        .await?;
    if answer.is_null() {
        bail!("the map never drew its incidents (no data-map-data-at on the root)");
    }
    let origin = answer["origin"].as_f64().context("timeOrigin")? - started;
    let at = |key: &str| answer[key].as_f64().map(|t| origin + t);
    let shell = at("shell").context("data-shell-at")?;
    Ok((
        at("paint").unwrap_or(shell),
        shell,
        at("map").context("data-map-data-at")?,
    ))
}

/// The desk's process id (the `siaga` binary started by the driver).
fn desk_pid(app: &str) -> Result<u32> {
    let name: String = std::path::Path::new(app)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("siaga")
        .chars()
        .take(15)
        .collect();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let entry = entry?;
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name) {
            found.push(pid);
        }
    }
    found.into_iter().max().context("the desk process is not running")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut count = 50_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--incidents" => count = args.next().context("--incidents N")?.parse()?,
            other => bail!("unknown argument {other}; use --incidents N"),
        }
    }
    let app = std::env::var("SIAGA_APP_BIN").context("SIAGA_APP_BIN must name the siaga binary")?;
    let data = tempfile::tempdir()?;
    let started = Instant::now();
    {
        let store = Store::open(&data.path().join("desk.sqlite")).await?;
        seed(&store, count).await?;
        store.close().await;
    }
    println!(
        "seeded {count} incidents into a desk store in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Start-up with a small store first (the baseline), then with the N incidents.
    let small = tempfile::tempdir()?;
    {
        let store = Store::open(&small.path().join("desk.sqlite")).await?;
        seed(&store, 1_000).await?;
        store.close().await;
    }
    let small_dir = small.path().to_str().context("a UTF-8 temp path")?.to_owned();
    let desk = Desk::launch_with(&[
        ("SIAGA_DATA_DIR", &small_dir),
        ("SIAGA_CENTRAL_URL", "http://127.0.0.1:9"),
    ])
    .await?;
    let (small_paint, small_shell, small_map) = start_up(&desk, &app).await?;
    desk.close().await?;

    let data_dir = data.path().to_str().context("a UTF-8 temp path")?.to_owned();
    // No central: the desk shows what its store holds, as it would offline.
    let desk = Desk::launch_with(&[
        ("SIAGA_DATA_DIR", &data_dir),
        ("SIAGA_CENTRAL_URL", "http://127.0.0.1:9"),
    ])
    .await?;
    let (paint, shell, map) = start_up(&desk, &app).await?;
    println!(
        "start-up (ms from the desk process's start): first frame {paint:.0}, shell {shell:.0}, map with {count} \
         incidents {map:.0}; with 1,000 incidents: first frame {small_paint:.0}, shell {small_shell:.0}, map \
         {small_map:.0}; map ratio {:.2}",
        map / small_map
    );
    desk.wait_for_css("#map-view[data-map-ready='true']").await?;
    desk.wait_for_text("#map-shown", |t| t.starts_with(&count.to_string()))
        .await?;

    // Time to show: all of them, against one category's share (the baseline) in the same window.
    let expected_theft = {
        desk.client
            .execute(
                "const s = document.querySelector('#map-category'); s.value = 'theft'; s.dispatchEvent(new Event('change'));",
                vec![],
            )
            .await?;
        let text = desk
            .wait_for_text("#map-shown", |t| !t.starts_with(&count.to_string()))
            .await?;
        text.split_whitespace()
            .next()
            .context("a count")?
            .parse::<u64>()?
    };
    let mut baseline = Vec::new();
    let mut full = Vec::new();
    for _ in 0..3 {
        time_to_show(&desk, "#map-status-closed", 0).await?;
        baseline.push(time_to_show(&desk, "#map-status-open", expected_theft).await?);
    }
    desk.client
        .execute(
            "const s = document.querySelector('#map-category'); s.value = ''; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    desk.wait_for_text("#map-shown", |t| t.starts_with(&count.to_string()))
        .await?;
    for _ in 0..3 {
        time_to_show(&desk, "#map-status-closed", 0).await?;
        full.push(time_to_show(&desk, "#map-status-open", count as u64).await?);
    }
    let median = |v: &[f64]| percentile(v, 0.5);
    println!(
        "time to show {count} incidents: {:.0} ms (median of 3; {:?}); baseline {expected_theft} incidents: {:.0} ms; ratio {:.2}",
        median(&full),
        full.iter().map(|v| v.round()).collect::<Vec<_>>(),
        median(&baseline),
        median(&full) / median(&baseline)
    );

    // Frame time while panning, with the incidents and with the layer empty.
    for preset in ["jakarta", "national"] {
        camera(&desk, preset).await?;
        let with = pan_frames(&desk, 60, 6.0).await?;
        time_to_show(&desk, "#map-status-closed", 0).await?;
        let without = pan_frames(&desk, 60, 6.0).await?;
        time_to_show(&desk, "#map-status-open", count as u64).await?;
        println!(
            "panning at {preset}: frame p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms with {count} incidents; \
             empty layer p50 {:.1} ms, p95 {:.1} ms; p95 ratio {:.2}",
            percentile(&with, 0.5),
            percentile(&with, 0.95),
            percentile(&with, 1.0),
            percentile(&without, 0.5),
            percentile(&without, 0.95),
            percentile(&with, 0.95) / percentile(&without, 0.95)
        );
    }
    camera(&desk, "national").await?;
    desk.screenshot("bench-50k-national").await?;
    camera(&desk, "jakarta").await?;
    desk.screenshot("bench-50k-jakarta").await?;

    // Idle memory of every process of the app, with the incidents shown and with the layer empty.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let pid = desk_pid(&app)?;
    let (pss, rss, names) = tree_memory(pid)?;
    time_to_show(&desk, "#map-status-closed", 0).await?;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (pss_empty, rss_empty, _) = tree_memory(pid)?;
    println!(
        "idle memory of the app ({}): PSS {:.0} MiB, RSS {:.0} MiB with {count} incidents shown; \
         PSS {:.0} MiB, RSS {:.0} MiB with the layer empty; PSS ratio {:.2}",
        names.join(", "),
        pss as f64 / 1024.0,
        rss as f64 / 1024.0,
        pss_empty as f64 / 1024.0,
        rss_empty as f64 / 1024.0,
        pss as f64 / pss_empty.max(1) as f64
    );
    // Idle CPU: the map page with the incidents shown, then another page (the map is not drawn there).
    time_to_show(&desk, "#map-status-open", count as u64).await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (map_idle, map_parts) = idle_cpu(pid, Duration::from_secs(30)).await;
    desk.click("#nav-kiosks").await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (page_idle, page_parts) = idle_cpu(pid, Duration::from_secs(30)).await;
    println!(
        "idle CPU of the app over 30 s: {:.1} % of a core on the map page with {count} incidents ({map_parts}), \
         {:.1} % on the Kiosk page ({page_parts})",
        map_idle * 100.0,
        page_idle * 100.0
    );
    println!(
        "machine: {} cores; desk build {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if app.contains("/release/") {
            "release"
        } else {
            "debug"
        }
    );
    desk.close().await
}
