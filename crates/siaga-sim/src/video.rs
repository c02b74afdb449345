//! The 110 app's reporters on video validation calls (decision 0006): the simulator's app account (national,
//! so it hears every Polda's calls) looks for ringing calls every [`POLL`], answers each with a real WebRTC
//! peer (`siaga-video`) and sends the test pattern — every frame carrying its number and capture time in its
//! barcode — and a 440 Hz test tone as its voice (Opus, 20 ms packets) until the desk hangs up, the call is ended
//! at the central, or [`LONGEST_CALL`] passes. The video starts at [`KBPS`] and follows the loss the desk reports
//! (`siaga_video::SendRate`, down to [`FLOOR_KBPS`]), as a phone on a poor link would. A call whose media never
//! comes up is marked `failed` with the reason.

use crate::{Api, SimError};
use serde_json::{json, Value};
use siaga_video::audio::{TestTone, FRAME_TICKS};
use siaga_video::barcode::Stamp;
use siaga_video::vp8::Encoder;
use siaga_video::{I420Frame, Peer, PeerConfig, PeerEvent, SendRate};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;

/// How often the app looks for ringing calls.
pub const POLL: Duration = Duration::from_secs(1);
/// The longest a simulated reporter stays on a call.
pub const LONGEST_CALL: Duration = Duration::from_secs(300);
/// How long media may take to come up after the answer.
const CONNECT_WITHIN: Duration = Duration::from_secs(10);
/// The reporter's picture: size, frames a second, bitrate.
const WIDTH: usize = 320;
const HEIGHT: usize = 240;
const FPS: u64 = 15;
/// The video's bitrate at the start, and its ceiling.
pub const KBPS: u32 = 400;
/// The lowest the video's bitrate falls on a lossy link.
pub const FLOOR_KBPS: u32 = 100;
/// The reporter's voice: a test tone at this frequency.
pub const TONE_HZ: f64 = 440.0;

/// What the reporters did.
#[derive(Debug, Default)]
pub struct VideoCounters {
    /// Calls answered.
    pub answered: AtomicU64,
    /// Frames sent.
    pub frames: AtomicU64,
    /// Audio packets sent.
    pub audio_packets: AtomicU64,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Answers ringing calls as `app` until `stop`.
/// `media_loss` is the share of the reporters' media packets lost on the way ([`PeerConfig::media_loss`]).
pub(crate) async fn answer_calls(
    app: Api,
    media_loss: f64,
    counters: Arc<VideoCounters>,
    mut stop: watch::Receiver<bool>,
) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    loop {
        if let Ok((200, list)) = app
            .send(reqwest::Method::GET, "/v1/video-calls?state=ringing", None)
            .await
        {
            for call in list["calls"].as_array().into_iter().flatten() {
                let Some(id) = call["callId"].as_str() else {
                    continue;
                };
                if taken.insert(id.to_owned()) {
                    tokio::spawn(take_call(
                        app.clone(),
                        call.clone(),
                        media_loss,
                        counters.clone(),
                        stop.clone(),
                    ));
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn set_state(app: &Api, id: &str, state: &str, reason: &str) -> Result<(u16, Value), SimError> {
    app.post(
        &format!("/v1/video-calls/{id}/state"),
        &json!({"state": state, "reason": reason}),
    )
    .await
}

/// One reporter on one call.
async fn take_call(
    app: Api,
    call: Value,
    media_loss: f64,
    counters: Arc<VideoCounters>,
    mut stop: watch::Receiver<bool>,
) {
    let (Some(id), Some(offer)) = (call["callId"].as_str(), call["offer"].as_str()) else {
        return;
    };
    // The reporter's host candidate on the interface that reaches the central (loopback for a central here).
    let central = reqwest::Url::parse(&app.base)
        .ok()
        .and_then(|url| url.socket_addrs(|| None).ok())
        .and_then(|addrs| addrs.into_iter().next());
    let mut config = central.map_or_else(|| PeerConfig::loopback(true), |to| PeerConfig::towards(to, true));
    config.media_loss = media_loss;
    let (mut peer, answer) = match Peer::answer(config, offer).await {
        Ok(answered) => answered,
        Err(problem) => {
            let _ = set_state(&app, id, "declined", &problem.to_string()).await;
            return;
        }
    };
    match app
        .post(
            &format!("/v1/video-calls/{id}/answer"),
            &json!({"answer": answer}),
        )
        .await
    {
        Ok((200, _)) => {}
        // Taken elsewhere, given up by the desk, or the central gone: not this reporter's call any more.
        _ => return,
    }
    counters.answered.fetch_add(1, Ordering::Relaxed);
    let connected = tokio::time::timeout(CONNECT_WITHIN, async {
        loop {
            match peer.next_event().await {
                Some(PeerEvent::Connected) => return true,
                Some(PeerEvent::Ended(_)) | None => return false,
                Some(_) => {}
            }
        }
    })
    .await;
    if connected != Ok(true) {
        let _ = set_state(&app, id, "failed", "video tidak tersambung").await;
        return;
    }
    let Ok(mut encoder) = Encoder::new(WIDTH, HEIGHT, KBPS, FPS as u32) else {
        let _ = set_state(&app, id, "failed", "kamera pelapor tidak menyala").await;
        return;
    };
    let Ok(mut voice) = siaga_video::opus::Encoder::new() else {
        let _ = set_state(&app, id, "failed", "mikrofon pelapor tidak menyala").await;
        return;
    };
    let mut rate = SendRate::new(KBPS, FLOOR_KBPS, KBPS);
    let (mut tone, mut audio_time) = (TestTone::new(TONE_HZ), 0u64);
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(1000 / FPS));
    let mut audio_ticks = tokio::time::interval(Duration::from_millis(20));
    let mut check = tokio::time::interval(Duration::from_secs(2));
    let (mut frame, mut keyframe) = (0u32, true);
    let reason = loop {
        tokio::select! {
            _ = ticks.tick() => {
                let stamp = Stamp { frame, capture_ms: unix_ms() };
                let Some(picture) = I420Frame::test_pattern(WIDTH, HEIGHT, stamp) else { break "gambar kamera tidak terbentuk" };
                for encoded in encoder.encode(&picture, keyframe).unwrap_or_default() {
                    if peer.send_frame(encoded.data, u64::from(frame) * (90_000 / FPS)).is_err() {
                        break;
                    }
                    counters.frames.fetch_add(1, Ordering::Relaxed);
                }
                keyframe = false;
                frame += 1;
                if started.elapsed() > LONGEST_CALL {
                    break "pelapor menutup panggilan";
                }
            }
            _ = audio_ticks.tick() => {
                if let Ok(packet) = voice.encode(&tone.next_frame()) {
                    if peer.send_audio(packet, audio_time).is_ok() {
                        counters.audio_packets.fetch_add(1, Ordering::Relaxed);
                    }
                }
                audio_time += FRAME_TICKS;
            }
            event = peer.next_event() => match event {
                Some(PeerEvent::KeyframeRequested) => keyframe = true,
                Some(PeerEvent::LossReport { fraction_lost, .. }) => {
                    if let Some(kbps) = rate.on_loss_report(fraction_lost) {
                        let _ = encoder.set_bitrate(kbps);
                    }
                }
                Some(PeerEvent::Ended(_)) | None => break "",
                _ => {}
            },
            _ = check.tick() => {
                // The desk ended the call at the central (its peer may stay silent a while).
                if let Ok((200, now)) = app.send(reqwest::Method::GET, &format!("/v1/video-calls/{id}"), None).await {
                    if now["state"].as_str().and_then(siaga_domain::video::CallState::parse).is_some_and(|s| s.is_final()) {
                        break "";
                    }
                }
            }
            _ = stop.changed() => break "simulasi berhenti",
        }
    };
    peer.hang_up();
    if !reason.is_empty() {
        let _ = set_state(&app, id, "ended", reason).await;
    }
}
