//! The Panggilan Video page's use cases (decision 0006): the desk rings an incident's reporter, or joins a call
//! a reporter asked for from the 110 app, with a `siaga-video` peer of its own. A task per call waits for the
//! reporter's answer at the central (giving up after [`ANSWER_WITHIN`]: `unreachable`), completes the peer,
//! says `connected` when media flows, and hands every received frame and audio packet — still VP8 and Opus, the
//! webview decodes them — to
//! [`Desk::video_frames`] — after a loss NACK could not repair, none until the key frame it asks for. Hanging up,
//! an answer that cannot be read, the reporter's media never coming or going silent, or the link failing ends the
//! call at the central with its state and reason; while the call runs the desk also asks the central every
//! [`CALL_CHECK`] whether the other side ended it there (the reporter hung up), and takes that state and reason.
//! The reasons this desk gives are recorded in Indonesian, the Polda's working language (like the notes operators
//! type). The desk needs no codec of its own.

use crate::{Desk, DeskError};
use siaga_api::video::VideoCallView;
use siaga_domain::video::CallState;
use siaga_domain::IncidentId;
use siaga_sync::CentralClient;
use siaga_video::peer::EndReason;
use siaga_video::{Offering, PeerConfig, PeerEvent};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How long the reporter has to answer before the desk gives up (`unreachable`).
pub const ANSWER_WITHIN: Duration = Duration::from_secs(45);
/// How often the desk asks the central whether the reporter answered.
const ANSWER_POLL: Duration = Duration::from_millis(250);
/// How often, during a call, the desk asks the central whether the other side ended it.
pub const CALL_CHECK: Duration = Duration::from_secs(1);
/// How long the desk waits for a key frame it asked for before it asks again.
const KEYFRAME_ASK_EVERY: Duration = Duration::from_millis(500);

/// A frame or an audio packet of a call, as received (VP8, Opus).
#[derive(Debug, Clone)]
pub struct CallFrame {
    /// The call.
    pub call_id: String,
    /// A video frame (and whether it decodes alone) or an audio packet.
    pub kind: siaga_ipc::ChunkKind,
    /// The VP8 bitstream of one frame, or one Opus packet.
    pub data: Arc<[u8]>,
    /// Its RTP time (90 kHz for video, 48 kHz for audio).
    pub rtp_time: u64,
}

/// Where a call of this desk stands, as this desk sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallPhase {
    /// Waiting for the reporter to answer.
    Ringing,
    /// Answered; media is being set up.
    Connecting,
    /// Media flows.
    Connected,
    /// Over, in this state at the central, for this reason.
    Ended(CallState, String),
}

/// Frames and audio packets kept per call for [`Desk::call_frames_after`] (about five seconds of the reporter's 15
/// frames and 50 packets a second).
pub const FRAMES_KEPT: usize = 320;

/// The calls this desk is in.
#[derive(Debug, Default)]
pub(crate) struct Calls {
    hang_ups: Mutex<HashMap<String, watch::Sender<bool>>>,
    phases: Mutex<HashMap<String, watch::Receiver<CallPhase>>>,
    /// The latest frames of each call, numbered from 1 in arrival order.
    recent: Mutex<HashMap<String, Recent>>,
    /// Whether calls go through the central's TURN server only (no direct path is offered).
    relay_only: AtomicBool,
    /// How long a reporter has to answer, in milliseconds (0: [`ANSWER_WITHIN`]).
    answer_within_ms: AtomicU64,
}

/// A call's last frame number and its latest frames with their numbers.
type Recent = (u64, VecDeque<(u64, CallFrame)>);

impl Calls {
    fn answer_within(&self) -> Duration {
        match self.answer_within_ms.load(Ordering::Relaxed) {
            0 => ANSWER_WITHIN,
            ms => Duration::from_millis(ms),
        }
    }

    /// Drops an ended call's frames (its phase stays, for the page to show how it ended).
    fn forget_frames(&self, call_id: &str) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.remove(call_id);
        }
    }

    fn keep(&self, frame: &CallFrame) {
        if let Ok(mut recent) = self.recent.lock() {
            let (last, frames) = recent.entry(frame.call_id.clone()).or_default();
            *last += 1;
            frames.push_back((*last, frame.clone()));
            while frames.len() > FRAMES_KEPT {
                frames.pop_front();
            }
        }
    }
}

/// The central's address, from its base URL (`https://host:port`).
async fn central_address(base: &str) -> Option<std::net::SocketAddr> {
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    let authority = rest.split('/').next()?;
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else if base.starts_with("https") {
        format!("{authority}:443")
    } else {
        format!("{authority}:80")
    };
    tokio::net::lookup_host(with_port).await.ok()?.next()
}

/// The first TURN server the central named, its address resolved.
async fn first_relay(relay: siaga_api::video::VideoRelay) -> Option<siaga_video::TurnServer> {
    let server = relay.servers.into_iter().next()?;
    let addr = tokio::net::lookup_host(server.address.as_str())
        .await
        .ok()?
        .next()?;
    Some(siaga_video::TurnServer {
        addr,
        username: server.username,
        password: server.password,
    })
}

/// A refusal of the central (4xx) as the call's own error, with the operator's sentence; other failures as they
/// are.
fn call_refused(problem: siaga_sync::ClientError) -> DeskError {
    match problem {
        siaga_sync::ClientError::Refused { body, .. } => DeskError::CallRefused(body.error),
        other => DeskError::Central(other),
    }
}

/// Why the desk ends a call, at the central.
async fn end(
    client: &CentralClient,
    id: &str,
    state: CallState,
    reason: &str,
    phase: &watch::Sender<CallPhase>,
) {
    let reason = one_line(reason);
    // The central may refuse a move the other side made first (the reporter hung up): its state stands.
    let _ = client.video_call_state(id, state, &reason).await;
    let _ = phase.send(CallPhase::Ended(state, reason));
}

/// The longest reason the desk records (the central takes up to 500 characters).
const REASON_CHARS: usize = 200;

/// `reason` as the central records it: one line (a library's error can span several), at most
/// [`REASON_CHARS`] characters.
fn one_line(reason: &str) -> String {
    let words: Vec<&str> = reason
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let line = words.join(" ");
    match line.char_indices().nth(REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// Runs one call from the desk's offer to its end.
async fn run_call(
    client: CentralClient,
    offering: Offering,
    call_id: String,
    calls: Arc<Calls>,
    frames: broadcast::Sender<CallFrame>,
    phase: watch::Sender<CallPhase>,
    mut hang_up: watch::Receiver<bool>,
) {
    let waited = tokio::time::Instant::now();
    let answer_within = calls.answer_within();
    let answer = loop {
        if *hang_up.borrow() {
            end(
                &client,
                &call_id,
                CallState::Ended,
                "operator menutup panggilan",
                &phase,
            )
            .await;
            return;
        }
        if waited.elapsed() > answer_within {
            end(&client, &call_id, CallState::Unreachable, "tidak dijawab", &phase).await;
            return;
        }
        if let Ok(call) = client.video_call(&call_id).await {
            if let Some(answer) = call.answer {
                break answer;
            }
            if call.state.is_final() {
                let reason = call.reason.unwrap_or_default();
                let _ = phase.send(CallPhase::Ended(call.state, reason));
                return;
            }
        }
        tokio::select! {
            () = tokio::time::sleep(ANSWER_POLL) => {}
            _ = hang_up.changed() => {}
        }
    };
    let _ = phase.send(CallPhase::Connecting);
    let Ok(mut peer) = offering.accept(&answer) else {
        // What the parser says (offsets, expected tokens) means nothing to an operator.
        let reason = "jawaban pelapor tidak dapat dibaca";
        end(&client, &call_id, CallState::Failed, reason, &phase).await;
        return;
    };
    let (mut waiting_for_key, mut asked_at, mut connected) = (false, None, false);
    let mut check = tokio::time::interval(CALL_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            event = peer.next_event() => {
                let event = event.unwrap_or(PeerEvent::Ended(EndReason::Failed("panggilan terhenti di meja".into())));
                match event {
                    PeerEvent::Connected => {
                        connected = true;
                        let _ = client.video_call_state(&call_id, CallState::Connected, "").await;
                        let _ = phase.send(CallPhase::Connected);
                    }
                    PeerEvent::Frame(frame) => {
                        // A gap NACK could not fill breaks the picture until the next key frame: the webview is
                        // handed none of the broken frames, and the reporter is asked for a key frame (a PLI,
                        // again after KEYFRAME_ASK_EVERY while it does not come).
                        if !frame.contiguous && !frame.keyframe && !waiting_for_key {
                            waiting_for_key = true;
                            asked_at = None;
                        }
                        if waiting_for_key && !frame.keyframe {
                            if asked_at.is_none_or(|at: tokio::time::Instant| at.elapsed() > KEYFRAME_ASK_EVERY) {
                                peer.request_keyframe();
                                asked_at = Some(tokio::time::Instant::now());
                            }
                            continue;
                        }
                        waiting_for_key = false;
                        let frame = CallFrame {
                            call_id: call_id.clone(),
                            kind: siaga_ipc::ChunkKind::Video { keyframe: frame.keyframe },
                            data: frame.data,
                            rtp_time: frame.rtp_time,
                        };
                        calls.keep(&frame);
                        let _ = frames.send(frame);
                    }
                    PeerEvent::Audio(packet) => {
                        let packet = CallFrame {
                            call_id: call_id.clone(),
                            kind: siaga_ipc::ChunkKind::Audio,
                            data: packet.data,
                            rtp_time: packet.rtp_time,
                        };
                        calls.keep(&packet);
                        let _ = frames.send(packet);
                    }
                    PeerEvent::Ended(reason) => {
                        let (state, why) = match reason {
                            EndReason::HungUp => (CallState::Ended, "operator menutup panggilan".to_owned()),
                            EndReason::Silent if connected => (CallState::Failed, "video pelapor terputus".to_owned()),
                            EndReason::Silent => (CallState::Failed, "video pelapor tidak tersambung".to_owned()),
                            EndReason::Failed(why) => (CallState::Failed, why),
                        };
                        end(&client, &call_id, state, &why, &phase).await;
                        calls.forget_frames(&call_id);
                        return;
                    }
                    PeerEvent::KeyframeRequested | PeerEvent::Interrupted | PeerEvent::LossReport { .. } => {}
                }
            }
            _ = hang_up.changed() => peer.hang_up(),
            _ = check.tick() => {
                // The reporter hung up (or the call was ended) at the central: its state and reason stand.
                if let Ok(call) = client.video_call(&call_id).await {
                    if call.state.is_final() {
                        peer.hang_up();
                        let _ = phase.send(CallPhase::Ended(call.state, call.reason.unwrap_or_default()));
                        calls.forget_frames(&call_id);
                        return;
                    }
                }
            }
        }
    }
}

impl Desk {
    /// The video calls of the operator's Polda at the central, newest first (online only).
    pub async fn video_calls(&self) -> Result<Vec<VideoCallView>, DeskError> {
        self.session().ok_or(DeskError::NotSignedIn)?;
        Ok(self.client.video_calls().await?.calls)
    }

    /// Rings the reporter of `incident`; the call's id.
    pub async fn ring_reporter(&self, incident: IncidentId) -> Result<String, DeskError> {
        self.session().ok_or(DeskError::NotSignedIn)?;
        let offering = self.call_offering().await?;
        let call = self
            .client
            .ring(incident, offering.sdp())
            .await
            .map_err(call_refused)?;
        Ok(self.follow_call(offering, call.call_id))
    }

    /// Joins a call a reporter asked for; the call's id.
    pub async fn join_call(&self, call_id: &str) -> Result<String, DeskError> {
        self.session().ok_or(DeskError::NotSignedIn)?;
        let offering = self.call_offering().await?;
        let call = self
            .client
            .join_call(call_id, offering.sdp())
            .await
            .map_err(call_refused)?;
        Ok(self.follow_call(offering, call.call_id))
    }

    /// Makes calls go through the central's TURN server only (an office whose firewall lets no direct UDP out,
    /// and the relay-only tests); off by default.
    pub fn set_video_relay_only(&self, on: bool) {
        self.calls.relay_only.store(on, Ordering::Relaxed);
    }

    /// Gives reporters `limit` to answer before a call is given up as unreachable ([`ANSWER_WITHIN`] unless
    /// set; a region whose phones answer slowly may want more, a test less).
    pub fn set_call_answer_within(&self, limit: Duration) {
        let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1);
        self.calls.answer_within_ms.store(ms, Ordering::Relaxed);
    }

    /// The desk's side of a new call, with a relay candidate when the central names a TURN server (only that one
    /// when relay-only is set). Without relay-only, a relay that cannot be had leaves the direct path.
    async fn call_offering(&self) -> Result<Offering, DeskError> {
        let relay_only = self.calls.relay_only.load(Ordering::Relaxed);
        let relay = match self.client.video_relay().await {
            Ok(relay) => first_relay(relay).await,
            Err(_) => None,
        };
        if relay_only && relay.is_none() {
            return Err(DeskError::Video(
                "tidak ada server relay (TURN) dari pusat 110 / no relay (TURN) server from the 110 central"
                    .into(),
            ));
        }
        // The host candidate on the interface that reaches the TURN server, or else the central (loopback for a
        // central on this computer, as in the demo).
        let target = match &relay {
            Some(server) => Some(server.addr),
            None => central_address(self.client.base()).await,
        };
        let direct = target.map_or_else(
            || PeerConfig::loopback(false),
            |to| PeerConfig::towards(to, false),
        );
        let mut config = direct.clone();
        config.relay = relay;
        config.relay_only = relay_only;
        match Offering::new(config).await {
            Ok(offering) => Ok(offering),
            Err(siaga_video::PeerError::Relay(_)) if !relay_only => Offering::new(direct)
                .await
                .map_err(|e| DeskError::Video(e.to_string())),
            Err(problem) => Err(DeskError::Video(problem.to_string())),
        }
    }

    fn follow_call(&self, offering: Offering, call_id: String) -> String {
        let (hang_up, hung_up) = watch::channel(false);
        let (phase, phases) = watch::channel(CallPhase::Ringing);
        if let Ok(mut map) = self.calls.hang_ups.lock() {
            map.insert(call_id.clone(), hang_up);
        }
        if let Ok(mut map) = self.calls.phases.lock() {
            map.insert(call_id.clone(), phases);
        }
        tokio::spawn(run_call(
            self.client.clone(),
            offering,
            call_id.clone(),
            Arc::clone(&self.calls),
            self.call_frames.clone(),
            phase,
            hung_up,
        ));
        call_id
    }

    /// Where this desk's call `call_id` stands (`None`: not a call of this desk).
    pub fn call_phase(&self, call_id: &str) -> Option<watch::Receiver<CallPhase>> {
        self.calls.phases.lock().ok()?.get(call_id).cloned()
    }

    /// Whether this desk is in a call that has not ended (a restart would cut it).
    pub fn in_call(&self) -> bool {
        self.calls.phases.lock().is_ok_and(|phases| {
            phases
                .values()
                .any(|phase| !matches!(*phase.borrow(), CallPhase::Ended(..)))
        })
    }

    /// Hangs up this desk's call `call_id`.
    pub fn hang_up(&self, call_id: &str) {
        if let Some(sender) = self
            .calls
            .hang_ups
            .lock()
            .ok()
            .and_then(|m| m.get(call_id).cloned())
        {
            let _ = sender.send(true);
        }
    }

    /// The frames of call `call_id` numbered after `after` (each with its number; at most [`FRAMES_KEPT`], the
    /// latest): what the webview polls and decodes.
    pub fn call_frames_after(&self, call_id: &str, after: u64) -> Vec<(u64, CallFrame)> {
        let Ok(recent) = self.calls.recent.lock() else {
            return Vec::new();
        };
        recent
            .get(call_id)
            .map(|(_, frames)| frames.iter().filter(|(n, _)| *n > after).cloned().collect())
            .unwrap_or_default()
    }

    /// Every frame of every call this desk is in, as it arrives.
    pub fn video_frames(&self) -> broadcast::Receiver<CallFrame> {
        self.call_frames.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::{central_address, one_line, REASON_CHARS};

    #[test]
    fn a_reason_is_recorded_on_one_line_and_not_too_long() {
        assert_eq!(one_line("video pelapor terputus"), "video pelapor terputus");
        assert_eq!(
            one_line("SDP parse:\nUnexpected `m`\r\n\tExpected `o`\n"),
            "SDP parse: Unexpected `m` Expected `o`"
        );
        let long = one_line(&"é".repeat(600));
        assert_eq!(long.chars().count(), REASON_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[tokio::test]
    async fn the_centrals_address_is_read_from_its_url() {
        let at = |port: u16| Some(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
        assert_eq!(central_address("http://127.0.0.1:8110").await, at(8110));
        assert_eq!(central_address("https://127.0.0.1").await, at(443));
        assert_eq!(central_address("http://127.0.0.1/v1").await, at(80));
        assert_eq!(
            central_address("https://[::1]:8443").await,
            Some("[::1]:8443".parse().unwrap())
        );
        assert_eq!(central_address("http://").await, None);
    }
}
