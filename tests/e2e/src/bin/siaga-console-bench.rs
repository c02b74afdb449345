//! `siaga-console-bench`: the operator console measured through the real window, with 1,000 and with
//! 100,000 incidents in the desk store in the same run (the baseline and the load). For each, inside the
//! webview (performance.now() and animation frames), median of 3:
//! - the Insiden page shown: from the rail's click to the list drawn and the received queue's count right;
//! - an incident's detail opened: from the click to its facts and timeline drawn;
//! - one live change applied to the open queue: from `c` (classify the selected call) to the row gone from
//!   the received queue and its count one less — the path every change takes (store announcement → only
//!   what changed re-read);
//!
//! and the longest animation frame while each happened. The desk signs in at a real central, which is then
//! stopped: the seeded incidents are the store's alone, so the changes wait in the outbox.
//!
//! Run under Xvfb with the built desk and central: `xvfb-run -a -s "-screen 0 1280x900x24" cargo run
//! --release -p siaga-e2e --bin siaga-console-bench -- [--incidents N]` with `SIAGA_APP_BIN` and
//! `SIAGA_CENTRAL_BIN` set (see README).

#![allow(clippy::print_stdout)] // A benchmark prints its figures.

use anyhow::{bail, Context, Result};
use siaga_domain::{Actor, Category, Channel, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId};
use siaga_domain::{Location, PoldaId, Role};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use siaga_store::{RemoteEvent, Store};
use std::time::Instant;

/// Received calls around Jakarta over the last 20 hours, categories and priorities spread, deterministic.
async fn seed(store: &Store, count: usize) -> Result<()> {
    let mut state = 0x05ee_d110_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let now = time::OffsetDateTime::now_utc();
    let mut page = Vec::with_capacity(5000);
    for n in 0..count {
        let unit = |x: u64| (x >> 11) as f64 / (1u64 << 53) as f64;
        let point = GeoPoint::new(
            -6.2 + (unit(next()) - 0.5) * 0.3,
            106.83 + (unit(next()) - 0.5) * 0.4,
        )?;
        let category = Category::ALL[(next() % Category::ALL.len() as u64) as usize];
        let id = uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n as u128);
        page.push(RemoteEvent {
            polda: PoldaId::MetroJaya,
            seq: n as i64 + 1,
            event: IncidentEvent {
                id: EventId(id),
                incident_id: IncidentId(id),
                at: now - time::Duration::seconds((unit(next()) * 20.0 * 3600.0) as i64),
                actor: Actor::new("bench", Role::System),
                change: IncidentChange::Received {
                    channel: Channel::Call110,
                    caller_number: Some(format!("0812{:08}", next() % 50_000).try_into()?),
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
            store
                .apply_remote(PoldaId::MetroJaya, &page, n as i64 + 1)
                .await?;
            page.clear();
        }
    }
    Ok(())
}

/// The measuring harness in the page: counts animation frames from `start()`, and `until(test, done)`
/// polls `test` every 2 ms, answering `[ms since start, longest frame]` (or `[-1, 0, what the page shows]`
/// after 25 s, within WebDriver's 30 s script timeout).
const HARNESS: &str = "const frames = []; let last = performance.now(); let running = true; \
     const tick = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(tick); }; \
     requestAnimationFrame(tick); const start = performance.now(); \
     const until = (test, done) => { const poll = () => { \
       if (test()) { running = false; done([performance.now() - start, Math.max(0, ...frames)]); } \
       else if (performance.now() - start > 25000) { running = false; done([-1, 0, \
         document.querySelectorAll('#incident-list .incident-row').length, \
         document.querySelector('#queue-received .count')?.textContent ?? 'none', \
         document.querySelector('#page')?.dataset.page ?? 'none', \
         document.querySelector('#incident-error')?.textContent ?? '', \
         document.querySelector('#detail-error')?.textContent ?? '', \
         document.querySelector('#incident-list .incident-row.selected')?.dataset.status ?? 'no selection']); } \
       else { setTimeout(poll, 2); } }; poll(); };";

async fn measure(desk: &Desk, script: &str, args: Vec<serde_json::Value>, what: &str) -> Result<(f64, f64)> {
    let answer = desk
        .client
        .execute_async(&format!("{HARNESS} {script}"), args)
        .await?;
    let ms = answer[0].as_f64().context("a time")?;
    if ms < 0.0 {
        bail!("{what} never happened; the page shows (rows, received count, page) {answer}");
    }
    Ok((ms, answer[1].as_f64().unwrap_or(0.0)))
}

/// The Insiden page shown from the map page: the list drawn and the received queue counting `received`.
async fn show_page(desk: &Desk, rows: u64, received: u64) -> Result<(f64, f64)> {
    desk.click("#nav-map").await?;
    desk.wait_for_css("#page[data-page='map']").await?;
    measure(
        desk,
        "const [rows, received, done] = arguments; \
         document.querySelector('#nav-incidents').click(); \
         until(() => document.querySelectorAll('#incident-list .incident-row').length === rows \
           && document.querySelector('#queue-received .count')?.textContent === String(received), done);",
        vec![rows.into(), received.into()],
        "the Insiden page",
    )
    .await
}

/// The first listed incident's detail opened, with its timeline.
async fn open_detail(desk: &Desk) -> Result<(f64, f64)> {
    let figures = measure(
        desk,
        "const [done] = arguments; \
         const row = document.querySelector('#incident-list .incident-row'); const id = row.dataset.id; \
         row.querySelector('.details').click(); \
         until(() => document.querySelector(`#incident-detail[data-id='${id}'][data-status]`) \
           && document.querySelectorAll('#detail-timeline .timeline-entry').length > 0, done);",
        vec![],
        "the detail",
    )
    .await?;
    desk.click("#incident-detail-close").await?;
    Ok(figures)
}

/// The selected call of the received queue classified with `c`: the row leaves and the count follows.
async fn live_change(desk: &Desk, received: u64) -> Result<(f64, f64)> {
    desk.client
        .execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));",
            vec![],
        )
        .await?;
    desk.wait_for_css("#incident-list .incident-row.selected").await?;
    measure(
        desk,
        "const [received, done] = arguments; \
         const id = document.querySelector('#incident-list .incident-row.selected').dataset.id; \
         window.dispatchEvent(new KeyboardEvent('keydown', {key: 'c', bubbles: true})); \
         until(() => !document.querySelector(`#incident-list .incident-row[data-id='${id}']`) \
           && document.querySelector('#queue-received .count')?.textContent === String(received - 1), done);",
        vec![received.into()],
        "the live change",
    )
    .await
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The three figures (median time, longest frame) with `count` incidents in the store.
async fn run(central: &mut Central, count: usize) -> Result<[(f64, f64); 3]> {
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
    let dir = data.path().to_str().context("a UTF-8 temp path")?.to_owned();
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_DATA_DIR", &dir), ("SIAGA_CENTRAL_URL", &url)]).await?;
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "sari").await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "sari").await?;
    // The seeded incidents exist in this store only, so the central would refuse changes to them: it is
    // stopped once the operator is signed in, and the changes wait in the outbox (the path of a change on
    // screen is the same online).
    central.stop().await?;
    let received = count as u64;
    let rows = received.min(200);
    let (mut pages, mut details, mut changes) = (Vec::new(), Vec::new(), Vec::new());
    // A first showing warms the page's code paths; it is not counted.
    show_page(&desk, rows, received).await?;
    for _ in 0..3 {
        pages.push(show_page(&desk, rows, received).await?);
    }
    for _ in 0..3 {
        details.push(open_detail(&desk).await?);
    }
    // The received queue, then three calls classified one after the other.
    desk.click("#queue-received").await?;
    desk.wait_for_css("#incident-list[data-stage='received']").await?;
    let mut waiting = received;
    for _ in 0..3 {
        match live_change(&desk, waiting).await {
            Ok(figures) => changes.push(figures),
            Err(error) => {
                let shot = desk.screenshot("console-bench-failure").await?;
                bail!("{error} (screenshot {})", shot.display());
            }
        }
        waiting -= 1;
    }
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    let pick = |figures: &[(f64, f64)]| {
        (
            median(figures.iter().map(|f| f.0).collect()),
            median(figures.iter().map(|f| f.1).collect()),
        )
    };
    Ok([pick(&pages), pick(&details), pick(&changes)])
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut count = 100_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--incidents" => count = args.next().context("--incidents N")?.parse()?,
            other => bail!("unknown argument {other}; use --incidents N"),
        }
    }
    let mut central = Central::start().await?;
    central.create_operator("sari", "supervisor").await?;
    let small = run(&mut central, 1_000).await?;
    central.resume().await?;
    let large = run(&mut central, count).await?;
    println!("console through the window, median of 3 (time to show ms / longest frame ms):");
    for (n, what) in [
        "Insiden page shown",
        "incident detail opened",
        "live change on the open queue",
    ]
    .into_iter()
    .enumerate()
    {
        println!(
            "  {what:<32} 1,000: {:>7.1} / {:>5.1}   {count}: {:>7.1} / {:>5.1}   ratio {:.2}",
            small[n].0,
            small[n].1,
            large[n].0,
            large[n].1,
            large[n].0 / small[n].0
        );
    }
    Ok(())
}
