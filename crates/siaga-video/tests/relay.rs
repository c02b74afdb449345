//! A call through a real TURN server: coturn from Debian, started here on loopback with its own configuration
//! (long-term credentials, a realm, its own port range, loopback peers allowed), stopped at the end. The desk
//! offers only its relay candidate, so every packet of the call goes through coturn: the reporter's frames
//! still arrive in order and decode with their stamps. A wrong password is refused with the server's reason.

use siaga_video::barcode::Stamp;
use siaga_video::vp8::{Decoder, Encoder};
use siaga_video::{I420Frame, Offering, Peer, PeerConfig, PeerError, PeerEvent, TurnError, TurnServer};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const WAIT: Duration = Duration::from_secs(20);
const USER: &str = "siaga-desk";
const PASSWORD: &str = "kata sandi relay";

/// A coturn process on a free loopback port, killed when dropped.
struct Coturn {
    child: Child,
    addr: SocketAddr,
    relay_ports: std::ops::RangeInclusive<u16>,
    _dir: tempfile::TempDir,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Coturn {
    fn start() -> Coturn {
        let dir = tempfile::tempdir().unwrap();
        let port = free_udp_port();
        // A relay range of its own, away from the ports the tests' sockets get (the kernel's ephemeral range
        // starts at 32768).
        let first = 20_000 + (port % 5_000) * 2;
        let relay_ports = first..=first + 40;
        let child = Command::new("turnserver")
            .args(["-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1"])
            .arg(format!("--listening-port={port}"))
            .arg(format!("--min-port={}", relay_ports.start()))
            .arg(format!("--max-port={}", relay_ports.end()))
            .args(["--lt-cred-mech", "--realm=siaga.test"])
            .arg(format!("--user={USER}:{PASSWORD}"))
            .arg(format!("--userdb={}", dir.path().join("turndb").display()))
            .arg(format!(
                "--pidfile={}",
                dir.path().join("turnserver.pid").display()
            ))
            .args([
                "--no-tls",
                "--no-dtls",
                "--no-tcp",
                "--no-tcp-relay",
                "--no-cli",
                "--allow-loopback-peers",
            ])
            .args(["--no-software-attribute", "--no-stdout-log", "--simple-log"])
            .arg(format!("--log-file={}", dir.path().join("turn.log").display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("turnserver (coturn from Debian; ./dev setup installs it)");
        Coturn {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            relay_ports,
            _dir: dir,
        }
    }

    fn server(&self, password: &str) -> TurnServer {
        TurnServer {
            addr: self.addr,
            username: USER.into(),
            password: password.into(),
        }
    }
}

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// The desk's offering through the relay only, once coturn answers (it starts in well under a second).
async fn relayed_offering(coturn: &Coturn) -> Offering {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut config = PeerConfig::loopback(false);
        config.relay = Some(coturn.server(PASSWORD));
        config.relay_only = true;
        match Offering::new(config).await {
            Ok(offering) => return offering,
            Err(PeerError::Relay(TurnError::NoAnswer(_))) if Instant::now() < deadline => {}
            Err(other) => panic!("no relayed address: {other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_relay_only_candidates_the_call_goes_through_coturn() {
    let coturn = Coturn::start();
    let offering = relayed_offering(&coturn).await;
    // The desk's only candidate is its relayed address at coturn.
    let candidates: Vec<&str> = offering
        .sdp()
        .lines()
        .filter(|l| l.starts_with("a=candidate"))
        .collect();
    assert_eq!(candidates.len(), 1, "{}", offering.sdp());
    assert!(candidates[0].contains("typ relay"), "{}", candidates[0]);
    let port: u16 = candidates[0].split(' ').nth(5).unwrap().parse().unwrap();
    assert!(
        coturn.relay_ports.contains(&port),
        "{} not in {:?}",
        candidates[0],
        coturn.relay_ports
    );

    let (mut reporter, answer) = Peer::answer(PeerConfig::loopback(true), offering.sdp())
        .await
        .unwrap();
    let mut desk = offering.accept(&answer).unwrap();
    for peer in [&mut desk, &mut reporter] {
        let connected = tokio::time::timeout(WAIT, async {
            loop {
                match peer.next_event().await {
                    Some(PeerEvent::Connected) => return true,
                    Some(PeerEvent::Ended(_)) | None => return false,
                    Some(_) => {}
                }
            }
        })
        .await;
        assert_eq!(connected, Ok(true), "ICE and DTLS come up through the relay");
    }

    const FRAMES: u32 = 45;
    let sender = tokio::spawn(async move {
        let mut encoder = Encoder::new(320, 240, 500, 30).unwrap();
        let mut ticks = tokio::time::interval(Duration::from_millis(33));
        for next in 0..FRAMES {
            ticks.tick().await;
            let stamp = Stamp {
                frame: next,
                capture_ms: unix_ms(),
            };
            let picture = I420Frame::test_pattern(320, 240, stamp).unwrap();
            for encoded in encoder.encode(&picture, next == 0).unwrap() {
                reporter.send_frame(encoded.data, u64::from(next) * 3000).unwrap();
            }
        }
        reporter
    });
    let mut decoder = Decoder::new().unwrap();
    let mut frames = Vec::new();
    tokio::time::timeout(WAIT, async {
        while let Some(event) = desk.next_event().await {
            let PeerEvent::Frame(frame) = event else { continue };
            for picture in decoder.decode(&frame.data).unwrap_or_default() {
                if let Some(stamp) = picture.stamp() {
                    frames.push(stamp.frame);
                }
            }
            if frames.last() == Some(&(FRAMES - 1)) {
                return;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the frames stopped coming through the relay at {frames:?}"));
    assert!(frames.windows(2).all(|w| w[0] < w[1]), "in order: {frames:?}");
    assert!(
        frames.len() as u32 >= FRAMES * 9 / 10,
        "{} of {FRAMES}: {frames:?}",
        frames.len()
    );
    let _reporter = sender.await.unwrap();
    desk.hang_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_relay_password_is_refused_with_the_servers_reason() {
    let coturn = Coturn::start();
    let deadline = Instant::now() + Duration::from_secs(10);
    let refused = loop {
        let mut config = PeerConfig::loopback(false);
        config.relay = Some(coturn.server("not the password"));
        match Offering::new(config).await {
            Err(PeerError::Relay(TurnError::NoAnswer(_))) if Instant::now() < deadline => {}
            other => break other.map(|_| ()).unwrap_err(),
        }
    };
    assert!(
        matches!(refused, PeerError::Relay(TurnError::Refused { code: 401, .. })),
        "{refused}"
    );
}
