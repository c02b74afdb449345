//! `siaga-video-window-bench`: a video validation call measured through the real window (Xvfb, WebDriver). The
//! simulator's reporter sends its stamped test pattern; the desk joins the call from the Panggilan Video page; in
//! the page, a MutationObserver notes the moment the canvas draws each new frame and keeps its top rows' pixels,
//! which are read back here into the frame's barcode: glass to glass is that moment against the capture time in the
//! frame (one clock: the same machine). Four calls: direct, direct with 5 % of the reporter's media lost, through a
//! coturn the bench starts with the desk offering its relay only, and the same with 5 % lost. For each: p50/p95/max
//! of glass to glass, the time from "join" to the first frame drawn, and the desk's CPU (the desk and its WebKit
//! processes, as a share of one core) during the call against the same seconds on the same page before it.
//!
//! `./dev build-ui`, build the desk and the central, then under Xvfb: `SIAGA_APP_BIN=… SIAGA_CENTRAL_BIN=…
//! xvfb-run -a -s "-screen 0 1280x900x24" cargo run --release -p siaga-e2e --bin siaga-video-window-bench
//! [-- --seconds N]`.

#![allow(clippy::print_stdout)] // A benchmark prints its figures.

use anyhow::{bail, Context, Result};
use serde_json::json;
use siaga_e2e::central::{Central, ADMIN, PASSWORD};
use siaga_e2e::coturn::Coturn;
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Starts watching the canvas: each new frame's moment and top rows, kept in the page.
const WATCH: &str = "const c = document.querySelector('#video-canvas'); window.__drawn = []; \
    new MutationObserver(() => { if (window.__drawn.length < 2000) { const at = Date.now(); \
      const d = c.getContext('2d').getImageData(0, 0, c.width, 40).data; \
      window.__drawn.push({ at, w: c.width, data: Array.from(d) }); } }) \
      .observe(c, { attributes: true, attributeFilter: ['data-frames'] });";

/// One call's figures: glass to glass (ms, sorted), join to first frame (ms), the desk's CPU in the call and
/// before it (share of one core).
struct Figures {
    latencies: Vec<f64>,
    first_ms: f64,
    cpu_call: f64,
    cpu_before: f64,
}

async fn one_call(relay: Option<&Coturn>, loss: f64, seconds: u64) -> Result<Figures> {
    let central = match relay {
        Some(coturn) => Central::start_with_relay(&coturn.addr.to_string(), &coturn.secret).await?,
        None => Central::start().await?,
    };
    central.create_operator("ayu", "supervisor").await?;
    central.create_operator("app-metro", "app").await?;
    let mut config = siaga_sim::Config::new(&central.url(), ADMIN, PASSWORD);
    config.start = Some(time::macros::datetime!(2026-03-02 08:00 +07:00));
    config.rate = 0.001;
    config.kiosks = Some(1);
    config.duration = Duration::from_secs(seconds * 3 + 120);
    config.video_loss = loss;
    let simulator = tokio::spawn(siaga_sim::run(config, |_, _| {}));

    // A report of Metro Jaya with its reporter, from the 110 app, who asks for a call.
    let token = central.login("ayu").await?;
    let incident = uuid::Uuid::now_v7().to_string();
    let received = json!({"type": "received", "channel": {"kind": "app110"}, "description": "Copet di halte Harmoni",
        "reporter": {"name": "Sri Wahyuni", "nik": "3171015208900123"}, "polda": "metro_jaya",
        "location": {"point": {"lat": -6.166, "lon": 106.821}}});
    let status = central
        .append_as(&token, "ayu", "supervisor", &incident, received)
        .await?;
    if status != 201 {
        bail!("the report was refused: {status}");
    }
    let env: Vec<(&str, &str)> = if relay.is_some() {
        vec![("SIAGA_VIDEO_RELAY_ONLY", "1")]
    } else {
        Vec::new()
    };
    let url = central.url();
    let mut desk_env = vec![("SIAGA_CENTRAL_URL", url.as_str())];
    desk_env.extend(env);
    let desk = Desk::launch_with(&desk_env).await?;
    desk.sign_in("ayu", PASSWORD).await?;
    desk.click("#nav-video").await?;
    let (status, asked) = central
        .post_as(
            "app-metro",
            &format!("/v1/incidents/{incident}/video-call-requests"),
            &json!({}),
        )
        .await?;
    if status != 201 {
        bail!("the call request was refused: {status} {asked}");
    }
    let join = "[id^='video-join-']";
    desk.wait_for_css(join).await?;
    // The desk on this page, before the call, for as long as the call is measured.
    let before = desk.cpu_seconds().await?;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let cpu_before = (desk.cpu_seconds().await? - before) / seconds as f64;

    desk.client
        .execute(
            "document.querySelector(arguments[0]).addEventListener('click', () => { window.__joinedAt = Date.now(); });",
            vec![join.into()],
        )
        .await?;
    desk.click(join).await?;
    desk.wait_for_css("#video-canvas").await?;
    desk.client.execute(WATCH, vec![]).await?;
    desk.wait_for_css("#video-phase[data-phase='connected']").await?;
    let started = desk.cpu_seconds().await?;
    let measured = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let cpu_call = (desk.cpu_seconds().await? - started) / measured.elapsed().as_secs_f64();

    let joined_at = desk
        .client
        .execute("return window.__joinedAt || 0;", vec![])
        .await?
        .as_f64()
        .unwrap_or_default();
    let mut latencies = Vec::new();
    let mut first_ms = f64::NAN;
    loop {
        let batch = desk
            .client
            .execute("return window.__drawn.splice(0, 25);", vec![])
            .await?;
        let Some(batch) = batch.as_array().filter(|b| !b.is_empty()) else {
            break;
        };
        for drawn in batch {
            let at = drawn["at"].as_f64().context("a moment")?;
            if first_ms.is_nan() {
                first_ms = at - joined_at;
            }
            let w = drawn["w"].as_u64().unwrap_or_default() as usize;
            let rgba: Vec<u8> = drawn["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_u64().unwrap_or(0) as u8)
                .collect();
            let rows = rgba.len() / (w * 4).max(1);
            if let Some(stamp) = siaga_video::barcode::read_rgba(&rgba, w, rows) {
                latencies.push(at - stamp.capture_ms as f64);
            }
        }
    }
    desk.click("#video-hang-up").await?;
    let _ = desk.close().await;
    simulator.abort();
    latencies.sort_by(f64::total_cmp);
    Ok(Figures {
        latencies,
        first_ms,
        cpu_call,
        cpu_before,
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    println!("siaga-video-window-bench: a call through the window, {seconds} s measured per call");
    let coturn = Coturn::start()?;
    for (name, relay, loss) in [
        ("direct", None, 0.0),
        ("direct, 5 % lost", None, 0.05),
        ("via TURN (relay only)", Some(&coturn), 0.0),
        ("via TURN, 5 % lost", Some(&coturn), 0.05),
    ] {
        let figures = one_call(relay, loss, seconds).await?;
        let l = &figures.latencies;
        println!(
            "{name:<24} frames {:>4}  glass to glass p50 {:>6.0} ms  p95 {:>6.0} ms  max {:>6.0} ms  \
             join to first frame {:>5.0} ms  desk CPU {:>5.1} % of a core (before the call {:.1} %)",
            l.len(),
            percentile(l, 0.5),
            percentile(l, 0.95),
            percentile(l, 1.0),
            figures.first_ms,
            figures.cpu_call * 100.0,
            figures.cpu_before * 100.0,
        );
    }
    Ok(())
}
