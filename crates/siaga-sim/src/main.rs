//! `siaga-sim`: sends realistic 110 traffic to a central server.
//!
//! ```text
//! siaga-sim [--server http://127.0.0.1:8110] [--admin admin] [--seed 1] [--rate 5] [--duration 60s]
//!           [--prank-share 0.981] [--legacy-share 0.05] [--app-share 0.08] [--service-share 0.03] [--speed 1] [--kiosks N]
//!           [--start 2026-03-02T08:00:00+07:00] [--history 2h] [--reports N] [--no-video] [--video-loss F]
//! ```
//! By default the simulated clock is the wall clock (start now, speed 1); `--speed 1440` runs a day a
//! minute for load tests, `--start` fixes the clock, `--history` back-fills the hours before the start.
//! The admin password is read from `SIAGA_SIM_ADMIN_PASSWORD` (create the admin with
//! `siaga-central create-admin`). Progress goes to stderr every two seconds. The 110 app's reporters answer
//! video validation calls with a test pattern unless `--no-video`; `--video-loss 0.05` drops that share of
//! the reporters' media packets (a bad mobile network).
#![allow(clippy::print_stderr, clippy::print_stdout)] // a command-line tool reports on its terminal

use anyhow::{bail, Context, Result};
use std::time::Duration;

fn parse_duration(text: &str) -> Result<Duration> {
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(text.len()),
    );
    let value: f64 = number.parse().with_context(|| format!("bad duration {text:?}"))?;
    let seconds = match unit {
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        "ms" => value / 1000.0,
        _ => bail!("bad duration unit in {text:?} (use s, m, h or ms)"),
    };
    Ok(Duration::from_secs_f64(seconds))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if args.iter().any(|a| a == "--help" || a == "-h") {
        eprintln!("usage: siaga-sim [--server URL] [--admin NAME] [--seed N] [--rate CALLS_PER_S] [--duration 60s] [--prank-share F] [--legacy-share F] [--app-share F] [--service-share F] [--speed SIM_S_PER_S] [--kiosks N] [--start RFC3339] [--history 2h] [--reports N] [--no-video] [--video-loss F]\n(admin password in SIAGA_SIM_ADMIN_PASSWORD)");
        return Ok(());
    }
    let server = flag("--server").unwrap_or_else(|| "http://127.0.0.1:8110".to_owned());
    let admin = flag("--admin").unwrap_or_else(|| "admin".to_owned());
    let password = std::env::var("SIAGA_SIM_ADMIN_PASSWORD")
        .context("set SIAGA_SIM_ADMIN_PASSWORD to the admin's password")?;
    let mut config = siaga_sim::Config::new(&server, &admin, &password);
    if let Some(seed) = flag("--seed") {
        config.seed = seed.parse().context("--seed is a number")?;
    }
    if let Some(rate) = flag("--rate") {
        config.rate = rate.parse().context("--rate is calls per second")?;
    }
    if let Some(duration) = flag("--duration") {
        config.duration = parse_duration(&duration)?;
    }
    for (name, slot) in [
        ("--prank-share", &mut config.prank_share),
        ("--legacy-share", &mut config.legacy_share),
        ("--app-share", &mut config.app_share),
        ("--service-share", &mut config.service_share),
        ("--video-loss", &mut config.video_loss),
    ] {
        if let Some(value) = flag(name) {
            let value: f64 = value.parse().with_context(|| format!("{name} is a fraction"))?;
            if !(0.0..=1.0).contains(&value) {
                bail!("{name} is between 0 and 1");
            }
            *slot = value;
        }
    }
    if let Some(speed) = flag("--speed") {
        config.speed = speed.parse().context("--speed is simulated seconds per second")?;
    }
    if let Some(start) = flag("--start") {
        config.start = Some(
            time::OffsetDateTime::parse(&start, &time::format_description::well_known::Rfc3339)
                .with_context(|| format!("--start {start:?} is not an RFC 3339 time"))?,
        );
    }
    if let Some(history) = flag("--history") {
        config.history = parse_duration(&history)?;
    }
    if let Some(reports) = flag("--reports") {
        config.max_reports = Some(reports.parse().context("--reports is a number")?);
    }
    if let Some(kiosks) = flag("--kiosks") {
        config.kiosks = Some(kiosks.parse().context("--kiosks is a number")?);
    }
    config.video = !args.iter().any(|a| a == "--no-video");
    let total = config.duration;
    eprintln!(
        "siaga-sim: seed {}, {} calls/s for {:?} at speed {} from {} against {server}",
        config.seed,
        config.rate,
        total,
        config.speed,
        config.start.map_or("now".to_owned(), |start| start.to_string())
    );
    let summary = siaga_sim::run(config, |p, elapsed| {
        eprintln!(
            "[{:>5.1}s/{:.0}s] reports {} (prank/empty {}, legacy {}, app {}), events {}, citizen requests {} (updates {}, letters {}), kiosks {}, heartbeats {}, alerts {}, video calls asked {} answered {} ({} frames), refused {}",
            elapsed.as_secs_f64(), total.as_secs_f64(), p.reports, p.prank, p.legacy, p.app, p.events, p.service_requests, p.service_updates, p.letters, p.kiosks, p.heartbeats, p.alerts, p.video_requests, p.video_calls, p.video_frames, p.refused
        );
    })
    .await?;
    println!(
        "{}",
        serde_json::json!({
            "reports": summary.reports, "prankOrEmpty": summary.prank, "legacy": summary.legacy, "app": summary.app,
            "events": summary.events, "serviceRequests": summary.service_requests, "serviceUpdates": summary.service_updates, "letters": summary.letters, "kiosks": summary.kiosks, "heartbeats": summary.heartbeats, "alerts": summary.alerts,
            "videoRequests": summary.video_requests, "videoCalls": summary.video_calls, "videoFrames": summary.video_frames,
            "refused": summary.refused,
        })
    );
    if summary.refused > 0 {
        bail!("the server refused {} requests", summary.refused);
    }
    Ok(())
}
