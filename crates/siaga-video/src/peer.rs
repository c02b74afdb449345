//! One side of a call: a str0m [`Rtc`] on one UDP socket, driven by a tokio task.
//!
//! Setting up is SDP text carried by whoever signals (the central's WebSocket): the side that calls makes an
//! [`Offering`] (its SDP offer, with its host candidate) and completes it with the answer; the other side
//! answers with [`Peer::answer`]. Every call has a video line and an audio line, both in the direction the
//! config gives. Then the [`Peer`] handle sends encoded VP8 frames ([`Peer::send_frame`]) and Opus packets
//! ([`Peer::send_audio`]), asks for a key frame, hangs up, and hands out [`PeerEvent`]s: connected, a frame
//! or an audio packet received, a key frame
//! asked for, the link interrupted (ICE lost the path; it comes back by itself if packets flow again), ended
//! (hung up here, or the other side silent for [`PeerConfig::silence_limit`]). NACK retransmission and RTCP
//! reports are str0m's. [`PeerConfig::media_loss`] makes this side's link lossy (tests, and the simulator's
//! reporters on a bad mobile network).

use crate::turn::{FromServer, Relay};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

/// What went wrong setting a call up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// The UDP socket could not be opened.
    #[error("the call's UDP socket: {0}")]
    Socket(String),
    /// The other side's SDP does not parse or does not fit ours.
    #[error("the other side's session description: {0}")]
    BadSdp(String),
    /// No relayed address from the TURN server.
    #[error("the TURN relay: {0}")]
    Relay(#[from] crate::turn::TurnError),
    /// The other side offers no VP8 video.
    #[error("the other side offers no VP8 video")]
    NoVideo,
    /// The call has ended; nothing more can be sent.
    #[error("the call has ended")]
    Ended,
}

/// How a peer is set up.
#[derive(Debug, Clone)]
pub struct PeerConfig {
    /// Where the UDP socket binds (`127.0.0.1:0` on loopback); its address is the host candidate offered.
    pub bind: SocketAddr,
    /// Whether this side sends video and audio (the reporter's phone) — the other side then receives them.
    pub sends_video: bool,
    /// Whether this side receives video and audio (the desk).
    pub receives_video: bool,
    /// The call ends when nothing arrived from the other side for this long.
    pub silence_limit: Duration,
    /// The share (0.0–1.0) of the RTP and RTCP packets this side sends that are dropped instead, as on a lossy
    /// link; ICE and DTLS packets pass. The packets dropped are the same from run to run (a fixed-seed
    /// generator), so a test that uses it is repeatable. 0.0 on a real call.
    pub media_loss: f64,
    /// A TURN server to allocate a relayed address on, offered as a relay candidate (NATed field offices and
    /// phones); `None`: host candidates only.
    pub relay: Option<crate::turn::TurnServer>,
    /// Offer the relay candidate only (no host candidate): every packet goes through the TURN server.
    pub relay_only: bool,
}

impl PeerConfig {
    /// A peer on loopback: `sends` video, or receives it.
    pub fn loopback(sends_video: bool) -> PeerConfig {
        PeerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            sends_video,
            receives_video: !sends_video,
            silence_limit: Duration::from_secs(10),
            media_loss: 0.0,
            relay: None,
            relay_only: false,
        }
    }

    /// A peer whose host candidate is this computer's address on the interface that reaches `target` (the
    /// central, or the TURN server): a call between two computers, not only on loopback. Which interface is
    /// asked of the kernel's routing (a UDP socket "connected" to `target`; nothing is sent).
    pub fn towards(target: SocketAddr, sends_video: bool) -> PeerConfig {
        PeerConfig {
            bind: SocketAddr::new(local_address_towards(target), 0),
            ..PeerConfig::loopback(sends_video)
        }
    }

    fn direction(&self) -> Direction {
        match (self.sends_video, self.receives_video) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }
}

/// A video frame as it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedFrame {
    /// The VP8 bitstream of one frame (depacketised).
    pub data: Arc<[u8]>,
    /// Whether it is a key frame.
    pub keyframe: bool,
    /// Its RTP time, in 90 kHz ticks from the stream's start.
    pub rtp_time: u64,
    /// Whether every packet since the previous frame arrived (else the decoder may need a key frame).
    pub contiguous: bool,
    /// When its last packet arrived.
    pub arrived: Instant,
}

/// An Opus packet as it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedAudio {
    /// One Opus packet (20 ms from the simulator's reporter).
    pub data: Arc<[u8]>,
    /// Its RTP time, in 48 kHz ticks from the stream's start.
    pub rtp_time: u64,
    /// When it arrived.
    pub arrived: Instant,
}

/// Why a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// This side hung up.
    HungUp,
    /// Nothing arrived from the other side for the silence limit.
    Silent,
    /// The WebRTC session failed.
    Failed(String),
}

/// What happens on the call.
#[derive(Debug, Clone)]
pub enum PeerEvent {
    /// ICE and DTLS are up: media flows.
    Connected,
    /// A frame arrived.
    Frame(ReceivedFrame),
    /// An audio packet arrived.
    Audio(ReceivedAudio),
    /// The other side asks for a key frame (it lost the picture).
    KeyframeRequested,
    /// ICE lost the path (packets stopped); it comes back by itself if they flow again.
    Interrupted,
    /// What the other side's transport-wide feedback (TWCC) said of the packets this side sent in the last
    /// second: the share lost on the way (0.0–1.0, before any retransmission repaired it) and the round trip. A
    /// sender feeds the share to `bitrate::SendRate`.
    LossReport {
        fraction_lost: f32,
        round_trip: Option<Duration>,
    },
    /// The call is over.
    Ended(EndReason),
}

enum Command {
    Frame { data: Vec<u8>, rtp_time: u64 },
    Audio { data: Vec<u8>, rtp_time: u64 },
    RequestKeyframe,
    HangUp,
}

/// A running call.
#[derive(Debug)]
pub struct Peer {
    commands: mpsc::UnboundedSender<Command>,
    events: mpsc::Receiver<PeerEvent>,
    local: SocketAddr,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Frame { data, rtp_time } => write!(f, "Frame({} bytes @ {rtp_time})", data.len()),
            Command::Audio { data, rtp_time } => write!(f, "Audio({} bytes @ {rtp_time})", data.len()),
            Command::RequestKeyframe => f.write_str("RequestKeyframe"),
            Command::HangUp => f.write_str("HangUp"),
        }
    }
}

/// A received packet, as the relay sees it.
enum Relayed {
    /// Data the other side sent through the TURN server.
    Data { peer: SocketAddr, data: Vec<u8> },
    /// The TURN server's own answer (nothing for str0m).
    Handled,
    /// Not from the TURN server.
    Direct,
}

/// How often a sender reports the loss the other side saw.
const STATS_INTERVAL: Duration = Duration::from_secs(1);

/// Events kept for a consumer that lags; frames beyond it are dropped (a late frame is worth nothing).
const EVENT_QUEUE: usize = 512;

/// This computer's address on the interface that routes to `target`; loopback when that cannot be told.
pub fn local_address_towards(target: SocketAddr) -> std::net::IpAddr {
    let unspecified: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    std::net::UdpSocket::bind(unspecified)
        .and_then(|socket| {
            socket.connect(target)?;
            socket.local_addr()
        })
        .map(|local| local.ip())
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
}

/// A peer's socket and candidates, before the call is set up.
#[derive(Debug)]
struct Bound {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    relay: Option<Relay>,
}

async fn bind(config: &PeerConfig) -> Result<Bound, PeerError> {
    let socket = UdpSocket::bind(config.bind)
        .await
        .map_err(|e| PeerError::Socket(e.to_string()))?;
    let local = socket
        .local_addr()
        .map_err(|e| PeerError::Socket(e.to_string()))?;
    let mut rtc = Rtc::builder()
        .clear_codecs()
        .enable_vp8(true)
        .enable_opus(true, false)
        // A sender hears every second how much of what it sent the other side lost (`PeerEvent::LossReport`).
        .set_stats_interval(config.sends_video.then_some(STATS_INTERVAL))
        .build(Instant::now());
    let relay = match &config.relay {
        Some(server) => {
            let relay = crate::turn::allocate(&socket, server).await?;
            let candidate = Candidate::relayed(relay.relayed(), local, "udp")
                .map_err(|e| PeerError::Socket(e.to_string()))?;
            rtc.add_local_candidate(candidate);
            Some(relay)
        }
        None => None,
    };
    if relay.is_none() || !config.relay_only {
        let candidate = Candidate::host(local, "udp").map_err(|e| PeerError::Socket(e.to_string()))?;
        rtc.add_local_candidate(candidate);
    }
    Ok(Bound {
        rtc,
        socket,
        local,
        relay,
    })
}

/// The calling side, between its offer and the answer.
#[derive(Debug)]
pub struct Offering {
    bound: Bound,
    pending: SdpPendingOffer,
    offer: String,
    mids: Mids,
    config: PeerConfig,
}

/// The media lines of a call, once known.
#[derive(Debug, Clone, Copy, Default)]
struct Mids {
    video: Option<Mid>,
    audio: Option<Mid>,
}

impl Offering {
    /// Opens the socket and makes the offer: a video line and an audio line in the configured direction.
    pub async fn new(config: PeerConfig) -> Result<Offering, PeerError> {
        let mut bound = bind(&config).await?;
        let mut change = bound.rtc.sdp_api();
        let mids = Mids {
            video: Some(change.add_media(MediaKind::Video, config.direction(), None, None, None)),
            audio: Some(change.add_media(MediaKind::Audio, config.direction(), None, None, None)),
        };
        let (offer, pending) = change
            .apply()
            .ok_or_else(|| PeerError::BadSdp("nothing to offer".into()))?;
        Ok(Offering {
            offer: offer.to_sdp_string(),
            bound,
            pending,
            mids,
            config,
        })
    }

    /// The SDP offer to send to the other side.
    pub fn sdp(&self) -> &str {
        &self.offer
    }

    /// Completes the call with the other side's SDP answer.
    pub fn accept(mut self, answer_sdp: &str) -> Result<Peer, PeerError> {
        let answer = SdpAnswer::from_sdp_string(answer_sdp).map_err(|e| PeerError::BadSdp(e.to_string()))?;
        self.bound
            .rtc
            .sdp_api()
            .accept_answer(self.pending, answer)
            .map_err(|e| PeerError::BadSdp(e.to_string()))?;
        Ok(start(self.bound, self.mids, &self.config))
    }
}

impl Peer {
    /// Answers an SDP offer: the running peer and the SDP answer to send back.
    pub async fn answer(config: PeerConfig, offer_sdp: &str) -> Result<(Peer, String), PeerError> {
        let offer = SdpOffer::from_sdp_string(offer_sdp).map_err(|e| PeerError::BadSdp(e.to_string()))?;
        let mut bound = bind(&config).await?;
        let answer = bound
            .rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| PeerError::BadSdp(e.to_string()))?;
        let answer = answer.to_sdp_string();
        Ok((start(bound, Mids::default(), &config), answer))
    }

    /// The UDP address this side receives on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Sends one encoded VP8 frame whose RTP time is `rtp_time` (90 kHz ticks from the stream's start).
    pub fn send_frame(&self, data: Vec<u8>, rtp_time: u64) -> Result<(), PeerError> {
        self.commands
            .send(Command::Frame { data, rtp_time })
            .map_err(|_| PeerError::Ended)
    }

    /// Sends one Opus packet whose RTP time is `rtp_time` (48 kHz ticks from the stream's start).
    pub fn send_audio(&self, data: Vec<u8>, rtp_time: u64) -> Result<(), PeerError> {
        self.commands
            .send(Command::Audio { data, rtp_time })
            .map_err(|_| PeerError::Ended)
    }

    /// Asks the other side for a key frame (a PLI).
    pub fn request_keyframe(&self) {
        let _ = self.commands.send(Command::RequestKeyframe);
    }

    /// Hangs up; the last event is `Ended(HungUp)`.
    pub fn hang_up(&self) {
        let _ = self.commands.send(Command::HangUp);
    }

    /// The next event; `None` after `Ended`.
    pub async fn next_event(&mut self) -> Option<PeerEvent> {
        self.events.recv().await
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::HangUp);
    }
}

fn start(bound: Bound, mids: Mids, config: &PeerConfig) -> Peer {
    let (commands, command_rx) = mpsc::unbounded_channel();
    let (event_tx, events) = mpsc::channel(EVENT_QUEUE);
    let Bound {
        rtc,
        socket,
        local,
        relay,
    } = bound;
    let driver = Driver {
        rtc,
        socket,
        local,
        relay,
        mids,
        events: event_tx,
        silence_limit: config.silence_limit,
        loss: Loss::new(config.media_loss),
    };
    tokio::spawn(driver.run(command_rx));
    Peer {
        commands,
        events,
        local,
    }
}

struct Driver {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    /// The TURN allocation whose relayed address is a local candidate, if one.
    relay: Option<Relay>,
    mids: Mids,
    events: mpsc::Sender<PeerEvent>,
    silence_limit: Duration,
    loss: Loss,
}

/// Drops a share of the media packets sent, chosen by a fixed-seed xorshift generator.
#[derive(Debug)]
struct Loss {
    /// Out of `u32::MAX`: a packet is dropped when the next draw is below it.
    threshold: u32,
    state: u64,
}

impl Loss {
    fn new(share: f64) -> Loss {
        Loss {
            threshold: (share.clamp(0.0, 1.0) * f64::from(u32::MAX)) as u32,
            state: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// Whether to drop `packet`: only RTP/RTCP (first byte 128–191, RFC 7983), and only the drawn share.
    fn drops(&mut self, packet: &[u8]) -> bool {
        if self.threshold == 0 || !packet.first().is_some_and(|b| (128..=191).contains(b)) {
            return false;
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        ((self.state >> 32) as u32) < self.threshold
    }
}

/// The longest the driver sleeps, so the silence limit is checked while nothing happens.
const TICK: Duration = Duration::from_millis(100);

impl Driver {
    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut buf = vec![0u8; 2048];
        let mut last_heard = Instant::now();
        let end = loop {
            let deadline = match self.drain().await {
                Ok(deadline) => deadline,
                Err(problem) => break EndReason::Failed(problem),
            };
            if !self.rtc.is_alive() {
                break EndReason::Failed("the session closed".into());
            }
            if last_heard.elapsed() > self.silence_limit {
                break EndReason::Silent;
            }
            self.keep_relay().await;
            let wait = deadline.saturating_duration_since(Instant::now()).min(TICK);
            tokio::select! {
                received = self.socket.recv_from(&mut buf) => {
                    // An error here is an ICMP answer to an earlier send (the other side's port closed): the
                    // silence limit decides.
                    if let Ok((n, source)) = received {
                        // What the TURN server relays arrives on the relayed address, from the other side.
                        let (source, destination, packet) = match self.classify_received(source, &buf[..n]) {
                            Relayed::Data { peer, data } => (peer, self.relay_address(), data),
                            Relayed::Handled => continue,
                            Relayed::Direct => (source, self.local, buf[..n].to_vec()),
                        };
                        last_heard = Instant::now();
                        if let Ok(receive) = Receive::new(Protocol::Udp, source, destination, &packet) {
                            if let Err(e) = self.rtc.handle_input(Input::Receive(Instant::now(), receive)) {
                                break EndReason::Failed(e.to_string());
                            }
                        }
                    }
                }
                command = commands.recv() => match command {
                    Some(Command::Frame { data, rtp_time }) => self.write_video(data, rtp_time),
                    Some(Command::Audio { data, rtp_time }) => self.write_audio(data, rtp_time),
                    Some(Command::RequestKeyframe) => self.request_keyframe(),
                    Some(Command::HangUp) | None => {
                        self.rtc.disconnect();
                        break EndReason::HungUp;
                    }
                },
                () = tokio::time::sleep(wait) => {
                    if let Err(e) = self.rtc.handle_input(Input::Timeout(Instant::now())) {
                        break EndReason::Failed(e.to_string());
                    }
                }
            }
        };
        // The allocation is given back (the server would keep it until its lifetime ends otherwise).
        if let Some(relay) = &self.relay {
            let _ = self.socket.send_to(&relay.release(), relay.server()).await;
        }
        // Closed before `Ended` is told, so nothing sent after it is taken.
        drop(commands);
        let _ = self.events.send(PeerEvent::Ended(end)).await;
    }

    /// Sends what str0m has to send and hands out its events, up to its next timeout.
    async fn drain(&mut self) -> Result<Instant, String> {
        loop {
            match self.rtc.poll_output().map_err(|e| e.to_string())? {
                Output::Timeout(at) => return Ok(at),
                Output::Transmit(transmit) => {
                    if self.loss.drops(&transmit.contents) {
                        continue;
                    }
                    // A send that fails is a lost packet; ICE and NACK deal with loss.
                    match &mut self.relay {
                        Some(relay) if transmit.source == relay.relayed() => {
                            let server = relay.server();
                            for packet in relay.wrap(transmit.destination, &transmit.contents, Instant::now())
                            {
                                let _ = self.socket.send_to(&packet, server).await;
                            }
                        }
                        _ => {
                            let _ = self
                                .socket
                                .send_to(&transmit.contents, transmit.destination)
                                .await;
                        }
                    }
                }
                Output::Event(event) => self.on_event(event).await,
            }
        }
    }

    /// Sends the TURN refreshes that are due.
    async fn keep_relay(&mut self) {
        if let Some(relay) = &mut self.relay {
            let server = relay.server();
            for packet in relay.due(Instant::now()) {
                let _ = self.socket.send_to(&packet, server).await;
            }
        }
    }

    /// The relayed address (this side's own address when there is no relay).
    fn relay_address(&self) -> SocketAddr {
        self.relay.as_ref().map_or(self.local, Relay::relayed)
    }

    /// What a packet from `source` is: relayed data, the TURN server's answer, or a packet straight from the
    /// other side.
    fn classify_received(&mut self, source: SocketAddr, packet: &[u8]) -> Relayed {
        match &mut self.relay {
            Some(relay) if source == relay.server() => match relay.unwrap(packet) {
                Some(FromServer::Data { peer, data }) => Relayed::Data { peer, data },
                Some(FromServer::Handled) | None => Relayed::Handled,
            },
            _ => Relayed::Direct,
        }
    }

    async fn on_event(&mut self, event: Event) {
        let out = match event {
            Event::Connected => Some(PeerEvent::Connected),
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => Some(PeerEvent::Interrupted),
            Event::MediaAdded(added) => {
                match added.kind {
                    MediaKind::Video => self.mids.video = Some(added.mid),
                    MediaKind::Audio => self.mids.audio = Some(added.mid),
                }
                None
            }
            Event::MediaData(media) if Some(media.mid) == self.mids.audio => {
                Some(PeerEvent::Audio(ReceivedAudio {
                    rtp_time: media.time.numer(),
                    arrived: media.network_time,
                    data: media.data,
                }))
            }
            Event::MediaData(media) => Some(PeerEvent::Frame(ReceivedFrame {
                keyframe: media.is_keyframe(),
                rtp_time: media.time.numer(),
                contiguous: media.contiguous,
                arrived: media.network_time,
                data: media.data,
            })),
            Event::KeyframeRequest(_) => Some(PeerEvent::KeyframeRequested),
            // Transport-wide (TWCC) feedback: every packet this side sent in the last second that the other side
            // said it received or lost, before any retransmission repaired it.
            Event::PeerStats(stats) => {
                stats
                    .egress_loss_fraction
                    .map(|fraction_lost| PeerEvent::LossReport {
                        fraction_lost,
                        round_trip: stats.rtt,
                    })
            }
            _ => None,
        };
        match out {
            // A frame, packet or report the consumer has no room for is dropped, not waited for.
            Some(frame @ (PeerEvent::Frame(_) | PeerEvent::Audio(_) | PeerEvent::LossReport { .. })) => {
                let _ = self.events.try_send(frame);
            }
            Some(other) => {
                let _ = self.events.send(other).await;
            }
            None => {}
        }
    }

    fn write_video(&mut self, data: Vec<u8>, rtp_time: u64) {
        self.write(self.mids.video, Codec::Vp8, MediaTime::from_90khz(rtp_time), data);
    }

    fn write_audio(&mut self, data: Vec<u8>, rtp_time: u64) {
        let time = MediaTime::new(rtp_time, Frequency::FORTY_EIGHT_KHZ);
        self.write(self.mids.audio, Codec::Opus, time, data);
    }

    fn write(&mut self, mid: Option<Mid>, codec: Codec, time: MediaTime, data: Vec<u8>) {
        let Some(writer) = mid.and_then(|mid| self.rtc.writer(mid)) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == codec)
            .map(|p| p.pt())
        else {
            return;
        };
        // What str0m refuses (not yet connected) is dropped: the next key frame starts the picture.
        let _ = writer.write(pt, Instant::now(), time, data);
    }

    fn request_keyframe(&mut self) {
        if let Some(mut writer) = self.mids.video.and_then(|mid| self.rtc.writer(mid)) {
            let _ = writer.request_keyframe(None, KeyframeRequestKind::Pli);
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_host_candidate_is_on_the_interface_that_reaches_the_target() {
        assert_eq!(
            local_address_towards("127.0.0.1:8110".parse().unwrap()),
            IpAddr::from([127, 0, 0, 1])
        );
        // Towards another computer: an address of this one that a socket can be bound to, never 0.0.0.0.
        let outward = local_address_towards("192.0.2.1:3478".parse().unwrap());
        assert!(!outward.is_unspecified());
        assert!(
            std::net::UdpSocket::bind(SocketAddr::new(outward, 0)).is_ok(),
            "{outward}"
        );
        let config = PeerConfig::towards("127.0.0.1:9".parse().unwrap(), true);
        assert_eq!(config.bind, SocketAddr::from(([127, 0, 0, 1], 0)));
        assert!(config.sends_video && !config.receives_video);
    }

    use super::{local_address_towards, Loss, PeerConfig};
    use std::net::{IpAddr, SocketAddr};

    #[test]
    fn the_lossy_link_drops_about_its_share_of_media_and_never_ice_or_dtls() {
        let mut loss = Loss::new(0.05);
        let rtp = [0x80u8, 96, 0, 1];
        let dropped = (0..100_000).filter(|_| loss.drops(&rtp)).count();
        assert!((4_500..=5_500).contains(&dropped), "{dropped} of 100000");
        // STUN (0–3) and DTLS (20–63) pass.
        assert!((0..1000).all(|_| !loss.drops(&[0u8, 1]) && !loss.drops(&[22u8, 254])));
        assert!(!Loss::new(0.0).drops(&rtp));
    }
}
