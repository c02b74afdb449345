//! `cargo bench -p siaga-video --bench call [-- --frames N]`: how long a reporter's frame takes to reach the desk's decoder, glass to
//! glass, on loopback — the frame's number read back from its barcode after decoding, against the moment it
//! was captured — beside a baseline in the same run: the same frames encoded and decoded with no call in
//! between. Four calls: direct, direct with 5 % of the reporter's media lost, and the same two with the desk
//! offering only its relay candidate at a coturn the benchmark starts on loopback (when `turnserver` is
//! installed; `./dev setup` installs it). For each, the time from the offer to the first decoded frame and the
//! CPU the process used per second of call (both sides and the codec, 320×240 at 30 frames a second,
//! 500 kbit/s; with the relay, coturn's own CPU is not counted).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on its terminal

use siaga_video::barcode::Stamp;
use siaga_video::vp8::{Decoder, Encoder};
use siaga_video::{I420Frame, Offering, Peer, PeerConfig, PeerEvent, TurnServer};
use std::time::{Duration, Instant};

const WIDTH: usize = 320;
const HEIGHT: usize = 240;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn summary(name: &str, mut latencies: Vec<f64>, sent: usize) -> f64 {
    latencies.sort_by(f64::total_cmp);
    let p50 = percentile(&latencies, 0.5);
    println!(
        "{name:<28} frames {:>4}/{sent:<4} p50 {p50:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        latencies.len(),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
    p50
}

/// CPU seconds this process used so far (user + system), from /proc.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn baseline(frames: u32) -> Vec<f64> {
    let mut encoder = Encoder::new(WIDTH, HEIGHT, 500, 30).expect("encoder");
    let mut decoder = Decoder::new().expect("decoder");
    let mut latencies = Vec::new();
    for n in 0..frames {
        let captured = Instant::now();
        let picture = I420Frame::test_pattern(
            WIDTH,
            HEIGHT,
            Stamp {
                frame: n,
                capture_ms: 0,
            },
        )
        .expect("pattern");
        for encoded in encoder.encode(&picture, n == 0).expect("encode") {
            for decoded in decoder.decode(&encoded.data).expect("decode") {
                if decoded.stamp().map(|s| s.frame) == Some(n) {
                    latencies.push(captured.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
    }
    latencies
}

/// A coturn on loopback with a static user, killed when dropped (as `tests/relay.rs` starts it).
struct Coturn {
    child: std::process::Child,
    server: TurnServer,
    _dir: std::path::PathBuf,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

fn start_coturn() -> Option<Coturn> {
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let dir = std::env::temp_dir().join(format!("siaga-bench-coturn-{port}"));
    std::fs::create_dir_all(&dir).ok()?;
    let first = 20_000 + (port % 5_000) * 2;
    let child = std::process::Command::new("turnserver")
        .args([
            "-n",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            "--lt-cred-mech",
            "--realm=bench",
        ])
        .arg(format!("--listening-port={port}"))
        .arg(format!("--min-port={first}"))
        .arg(format!("--max-port={}", first + 40))
        .args([
            "--user=bench:bench",
            "--no-tls",
            "--no-dtls",
            "--no-tcp",
            "--no-cli",
            "--allow-loopback-peers",
        ])
        .arg(format!("--userdb={}", dir.join("turndb").display()))
        .arg(format!("--pidfile={}", dir.join("pid").display()))
        .args(["--no-stdout-log", "--simple-log"])
        .arg(format!("--log-file={}", dir.join("turn.log").display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    Some(Coturn {
        child,
        server: TurnServer {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            username: "bench".into(),
            password: "bench".into(),
        },
        _dir: dir,
    })
}

/// The desk's offering: direct, or through `relay` only (waiting for coturn to answer at first).
async fn desk_offering(relay: Option<&TurnServer>) -> Offering {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut config = PeerConfig::loopback(false);
        config.relay = relay.cloned();
        config.relay_only = relay.is_some();
        match Offering::new(config).await {
            Ok(offering) => return offering,
            Err(problem) if Instant::now() > deadline => panic!("no offer: {problem}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn call(
    frames: u32,
    relay: Option<&TurnServer>,
    loss: f64,
) -> (Vec<f64>, Duration, Option<f64>, Duration) {
    let offered = Instant::now();
    let offering = desk_offering(relay).await;
    let mut reporter_config = PeerConfig::loopback(true);
    reporter_config.media_loss = loss;
    let (mut reporter, answer) = Peer::answer(reporter_config, offering.sdp())
        .await
        .expect("answer");
    let mut desk = offering.accept(&answer).expect("accept");
    let start = Instant::now();
    let captured: std::sync::Arc<std::sync::Mutex<Vec<Option<Instant>>>> =
        std::sync::Arc::new(std::sync::Mutex::new(vec![None; frames as usize]));
    let log = captured.clone();
    let cpu_before = cpu_seconds();
    let sender = tokio::spawn(async move {
        let mut encoder = Encoder::new(WIDTH, HEIGHT, 500, 30).expect("encoder");
        let mut ticks = tokio::time::interval(Duration::from_millis(33));
        let (mut n, mut keyframe) = (0u32, true);
        let mut connected = false;
        while n < frames {
            tokio::select! {
                _ = ticks.tick(), if connected => {
                    let picture = I420Frame::test_pattern(WIDTH, HEIGHT, Stamp { frame: n, capture_ms: 0 }).expect("pattern");
                    log.lock().expect("log")[n as usize] = Some(Instant::now());
                    for encoded in encoder.encode(&picture, keyframe).expect("encode") {
                        let _ = reporter.send_frame(encoded.data, u64::from(n) * 3000);
                    }
                    keyframe = false;
                    n += 1;
                }
                event = reporter.next_event() => match event {
                    Some(PeerEvent::Connected) => connected = true,
                    Some(PeerEvent::KeyframeRequested) => keyframe = true,
                    Some(PeerEvent::Ended(_)) | None => break,
                    _ => {}
                }
            }
        }
        reporter
    });
    let mut decoder = Decoder::new().expect("decoder");
    let mut latencies = Vec::new();
    let mut first = None;
    let read = async {
        while let Some(event) = desk.next_event().await {
            let PeerEvent::Frame(frame) = event else { continue };
            let Ok(pictures) = decoder.decode(&frame.data) else {
                desk.request_keyframe();
                continue;
            };
            for picture in pictures {
                let Some(stamp) = picture.stamp() else { continue };
                let at = captured
                    .lock()
                    .expect("log")
                    .get(stamp.frame as usize)
                    .copied()
                    .flatten();
                if let Some(at) = at {
                    latencies.push(at.elapsed().as_secs_f64() * 1000.0);
                    first.get_or_insert_with(|| offered.elapsed());
                }
                if stamp.frame + 1 == frames {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(u64::from(frames) / 30 + 20), read).await;
    let elapsed = start.elapsed();
    let cpu = cpu_before
        .zip(cpu_seconds())
        .map(|(a, b)| (b - a) / elapsed.as_secs_f64() * 100.0);
    let reporter = sender.await.expect("sender");
    drop(reporter);
    (latencies, first.unwrap_or(Duration::MAX), cpu, elapsed)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let frames: u32 = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    println!(
        "siaga-video call benchmark: {frames} frames of {WIDTH}×{HEIGHT} VP8 at 30 fps, 500 kbit/s, loopback"
    );
    let base = summary("codec only (baseline)", baseline(frames), frames as usize);
    let coturn = start_coturn();
    let mut runs: Vec<(&str, Option<&TurnServer>, f64)> = vec![
        ("call, direct", None, 0.0),
        ("call, direct, 5 % lost", None, 0.05),
    ];
    match &coturn {
        Some(coturn) => {
            runs.push(("call, via TURN (relay only)", Some(&coturn.server), 0.0));
            runs.push(("call, via TURN, 5 % lost", Some(&coturn.server), 0.05));
        }
        None => println!("via TURN: not measured (no turnserver on this machine)"),
    }
    for (name, relay, loss) in runs {
        let (latencies, first, cpu, elapsed) = call(frames, relay, loss).await;
        let through = summary(name, latencies, frames as usize);
        println!(
            "  offer to first decoded frame {:.0} ms; process CPU {}; p50 {:.1}× the baseline's",
            first.as_secs_f64() * 1000.0,
            cpu.map_or("unknown".to_owned(), |cpu| format!(
                "{cpu:.1} % of one core over {:.1} s",
                elapsed.as_secs_f64()
            )),
            through / base
        );
    }
}
