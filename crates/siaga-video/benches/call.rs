//! `cargo bench -p siaga-video --bench call [-- --frames N]`: how long a reporter's frame takes to reach the desk's decoder, glass to
//! glass, on loopback — the frame's number read back from its barcode after decoding, against the moment it
//! was captured — beside a baseline in the same run: the same frames encoded and decoded with no call in
//! between. Also the time from the offer to the first decoded frame, and the CPU the process used per second
//! of call (both sides and the codec, 320×240 at 30 frames a second, 500 kbit/s).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on its terminal

use siaga_video::barcode::Stamp;
use siaga_video::vp8::{Decoder, Encoder};
use siaga_video::{I420Frame, Offering, Peer, PeerConfig, PeerEvent};
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

async fn call(frames: u32) -> (Vec<f64>, Duration, Option<f64>, Duration) {
    let offered = Instant::now();
    let offering = Offering::new(PeerConfig::loopback(false)).await.expect("offer");
    let (mut reporter, answer) = Peer::answer(PeerConfig::loopback(true), offering.sdp())
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
    let (latencies, first, cpu, elapsed) = call(frames).await;
    let through = summary("call, direct on loopback", latencies, frames as usize);
    println!(
        "offer to first decoded frame   {:.0} ms",
        first.as_secs_f64() * 1000.0
    );
    if let Some(cpu) = cpu {
        println!(
            "process CPU during the call    {cpu:.1} % of one core over {:.1} s (both peers and the codec)",
            elapsed.as_secs_f64()
        );
    }
    println!("call / baseline (p50)          {:.1}×", through / base);
}
