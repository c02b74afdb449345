//! Two real peers on loopback — str0m over UDP sockets, VP8 through libvpx — as the desk and the reporter's
//! phone: the reporter's frames arrive in order and decode with the stamps they were captured with, a key
//! frame comes when the desk asks for one, hanging up ends both sides (the silent one by its silence limit),
//! the reporter's Opus voice decodes to its test tone, and a session description that is not one is refused
//! with a reason; on a link that drops 5 % of the media
//! packets the picture keeps coming (NACK retransmissions, a key frame when the decoder lost its place); on one that
//! drops a third the reporter lowers its bitrate as the desk's transport-wide feedback says, and at 5 % or on a clean
//! link it keeps it.

use siaga_video::barcode::Stamp;
use siaga_video::peer::EndReason;
use siaga_video::vp8::{Decoder, Encoder};
use siaga_video::{I420Frame, Offering, Peer, PeerConfig, PeerError, PeerEvent, SendRate};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const WAIT: Duration = Duration::from_secs(20);

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// The desk offers to receive, the reporter answers and sends.
async fn connect(reporter_config: PeerConfig) -> (Peer, Peer) {
    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    let (mut reporter, answer) = Peer::answer(reporter_config, offering.sdp()).await.unwrap();
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
        assert_eq!(connected, Ok(true), "ICE and DTLS come up on loopback");
    }
    (desk, reporter)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reporters_frames_reach_the_desk_in_order_with_their_stamps_and_a_key_frame_comes_when_asked() {
    let (mut desk, mut reporter) = connect(PeerConfig::loopback(true)).await;
    const FRAMES: u32 = 90;
    let sender = tokio::spawn(async move {
        let mut encoder = Encoder::new(320, 240, 500, 30).unwrap();
        let mut ticks = tokio::time::interval(Duration::from_millis(33));
        let (mut next, mut keyframe_asked, mut asked_seen) = (0u32, true, 0u32);
        while next < FRAMES {
            tokio::select! {
                _ = ticks.tick() => {
                    let stamp = Stamp { frame: next, capture_ms: unix_ms() };
                    let picture = I420Frame::test_pattern(320, 240, stamp).unwrap();
                    for encoded in encoder.encode(&picture, keyframe_asked).unwrap() {
                        reporter.send_frame(encoded.data, u64::from(next) * 3000).unwrap();
                    }
                    keyframe_asked = false;
                    next += 1;
                }
                event = reporter.next_event() => match event {
                    Some(PeerEvent::KeyframeRequested) => {
                        keyframe_asked = true;
                        asked_seen += 1;
                    }
                    Some(PeerEvent::Ended(reason)) => panic!("the reporter's call ended: {reason:?}"),
                    _ => {}
                }
            }
        }
        (reporter, asked_seen)
    });

    let mut decoder = Decoder::new().unwrap();
    let mut stamps = Vec::new();
    let mut keyframes_at = Vec::new();
    let mut asked_at = None;
    tokio::time::timeout(WAIT, async {
        while let Some(event) = desk.next_event().await {
            let PeerEvent::Frame(frame) = event else { continue };
            let Ok(pictures) = decoder.decode(&frame.data) else {
                desk.request_keyframe();
                continue;
            };
            for picture in pictures {
                let Some(stamp) = picture.stamp() else { continue };
                if frame.keyframe {
                    keyframes_at.push(stamp.frame);
                }
                stamps.push(stamp);
                // Halfway, the desk asks for a key frame (as after a decoder error).
                if stamp.frame >= 45 && asked_at.is_none() {
                    asked_at = Some(stamp.frame);
                    desk.request_keyframe();
                }
                if stamp.frame + 1 == FRAMES {
                    return;
                }
            }
        }
    })
    .await
    .expect("every frame reaches the desk");
    let (_reporter, asked_seen) = sender.await.unwrap();

    let numbers: Vec<u32> = stamps.iter().map(|s| s.frame).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in order: {numbers:?}");
    assert!(
        numbers.len() >= 80,
        "{} of {FRAMES} frames read back",
        numbers.len()
    );
    assert!(
        stamps.iter().all(|s| s.capture_ms <= unix_ms()),
        "capture times are real times"
    );
    assert!(asked_seen >= 1, "the reporter heard the key frame request");
    let asked_at = asked_at.unwrap();
    assert!(
        keyframes_at.iter().any(|&n| n > asked_at),
        "a key frame after the request at {asked_at}: {keyframes_at:?}"
    );
    assert_eq!(
        keyframes_at.first(),
        Some(&0),
        "the stream starts with a key frame"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reporters_voice_arrives_as_opus_and_decodes_to_the_test_tone() {
    let (mut desk, reporter) = connect(PeerConfig::loopback(true)).await;
    let sender = tokio::spawn(async move {
        let mut encoder = siaga_video::opus::Encoder::new().unwrap();
        let mut tone = siaga_video::audio::TestTone::new(440.0);
        let mut ticks = tokio::time::interval(Duration::from_millis(20));
        for packet in 0..50u64 {
            ticks.tick().await;
            let encoded = encoder.encode(&tone.next_frame()).unwrap();
            reporter
                .send_audio(encoded, packet * siaga_video::audio::FRAME_TICKS)
                .unwrap();
        }
        reporter
    });
    let mut decoder = siaga_video::opus::Decoder::new().unwrap();
    let (mut heard, mut times) = (Vec::new(), Vec::new());
    tokio::time::timeout(WAIT, async {
        while heard.len() < 40 * siaga_video::audio::FRAME_SAMPLES {
            match desk.next_event().await {
                Some(PeerEvent::Audio(packet)) => {
                    times.push(packet.rtp_time);
                    heard.extend(decoder.decode(&packet.data).unwrap());
                }
                Some(PeerEvent::Frame(_)) => panic!("no video was sent"),
                Some(PeerEvent::Ended(reason)) => panic!("ended: {reason:?}"),
                _ => {}
            }
        }
    })
    .await
    .expect("the voice arrives");
    let _reporter = sender.await.unwrap();
    assert!(
        times.windows(2).all(|w| w[1] == w[0] + 960),
        "20 ms apart, in order: {times:?}"
    );
    let hz =
        siaga_video::audio::dominant_frequency(&heard[heard.len() - 9600..], siaga_video::audio::SAMPLE_RATE);
    assert!((hz - 440.0).abs() < 5.0, "heard {hz} Hz");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_link_that_drops_five_percent_of_the_media_the_picture_keeps_coming() {
    let mut lossy = PeerConfig::loopback(true);
    lossy.media_loss = 0.05;
    let (mut desk, mut reporter) = connect(lossy).await;
    // Five seconds at 30 frames a second.
    const FRAMES: u32 = 150;
    let sender = tokio::spawn(async move {
        let mut encoder = Encoder::new(320, 240, 500, 30).unwrap();
        let mut ticks = tokio::time::interval(Duration::from_millis(33));
        let (mut next, mut keyframe) = (0u32, true);
        while next < FRAMES {
            tokio::select! {
                _ = ticks.tick() => {
                    let picture = I420Frame::test_pattern(320, 240, Stamp { frame: next, capture_ms: unix_ms() }).unwrap();
                    for encoded in encoder.encode(&picture, keyframe).unwrap() {
                        reporter.send_frame(encoded.data, u64::from(next) * 3000).unwrap();
                    }
                    keyframe = false;
                    next += 1;
                }
                event = reporter.next_event() => match event {
                    Some(PeerEvent::KeyframeRequested) => keyframe = true,
                    Some(PeerEvent::Ended(reason)) => panic!("the reporter's call ended: {reason:?}"),
                    _ => {}
                }
            }
        }
        // Stay on the line while the last retransmissions go out.
        tokio::time::sleep(Duration::from_millis(500)).await;
        reporter
    });
    let mut decoder = Decoder::new().unwrap();
    let mut numbers = Vec::new();
    let (mut broken, mut waiting_for_key) = (0u32, false);
    let _ = tokio::time::timeout(Duration::from_secs(12), async {
        while let Some(event) = desk.next_event().await {
            let PeerEvent::Frame(frame) = event else { continue };
            // After a gap NACK could not fill, the picture waits for a key frame (as the desk's page does).
            if !frame.contiguous && !frame.keyframe {
                waiting_for_key = true;
            }
            if waiting_for_key && !frame.keyframe {
                broken += 1;
                desk.request_keyframe();
                continue;
            }
            waiting_for_key = false;
            let Ok(pictures) = decoder.decode(&frame.data) else {
                waiting_for_key = true;
                continue;
            };
            numbers.extend(pictures.iter().filter_map(|p| p.stamp()).map(|s| s.frame));
            if numbers.last() == Some(&(FRAMES - 1)) {
                return;
            }
        }
    })
    .await;
    let _reporter = sender.await.unwrap();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in order: {numbers:?}");
    assert!(
        numbers.len() as u32 >= FRAMES * 8 / 10,
        "{} of {FRAMES} frames shown despite the loss ({broken} broken)",
        numbers.len()
    );
    // The picture never froze for long: no gap of a second between frames shown, up to the last.
    let gaps: Vec<u32> = numbers.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|&g| g <= 30), "gaps in frames shown: {gaps:?}");
    assert!(numbers.last().is_some_and(|&n| n + 30 >= FRAMES), "{numbers:?}");
}

/// What a sender that adapts its bitrate saw and did over a call.
struct Adapted {
    /// The fraction lost of each receiver report, in order.
    reports: Vec<f32>,
    /// The rate it aimed at after each report, kbit/s.
    targets: Vec<u32>,
    /// Bytes of video sent in each second.
    bytes_per_second: Vec<usize>,
    /// The bitrate the encoder aimed at in the end.
    encoder_kbps: u32,
}

/// The reporter sends `seconds` of the test pattern from 500 kbit/s (floor 100), its encoder following
/// `SendRate` as the desk's receiver reports come, as the simulator's reporter does.
async fn send_adapting(mut reporter: Peer, seconds: u32) -> Adapted {
    let mut encoder = Encoder::new(320, 240, 500, 30).unwrap();
    let mut rate = SendRate::new(500, 100, 500);
    let mut seen = Adapted {
        reports: Vec::new(),
        targets: Vec::new(),
        bytes_per_second: vec![0; seconds as usize],
        encoder_kbps: 0,
    };
    let mut ticks = tokio::time::interval(Duration::from_millis(33));
    let (mut next, mut keyframe) = (0u32, true);
    while next < seconds * 30 {
        tokio::select! {
            _ = ticks.tick() => {
                let picture = I420Frame::test_pattern(320, 240, Stamp { frame: next, capture_ms: unix_ms() }).unwrap();
                for encoded in encoder.encode(&picture, keyframe).unwrap() {
                    seen.bytes_per_second[(next / 30) as usize] += encoded.data.len();
                    reporter.send_frame(encoded.data, u64::from(next) * 3000).unwrap();
                }
                keyframe = false;
                next += 1;
            }
            event = reporter.next_event() => match event {
                Some(PeerEvent::KeyframeRequested) => keyframe = true,
                Some(PeerEvent::LossReport { fraction_lost, .. }) => {
                    seen.reports.push(fraction_lost);
                    if let Some(kbps) = rate.on_loss_report(fraction_lost) {
                        encoder.set_bitrate(kbps).unwrap();
                    }
                    seen.targets.push(rate.kbps());
                }
                Some(PeerEvent::Ended(reason)) => panic!("the reporter's call ended: {reason:?}"),
                _ => {}
            }
        }
    }
    reporter.hang_up();
    seen.encoder_kbps = encoder.bitrate();
    seen
}

/// The desk takes what comes and asks for a key frame after a gap, as its page does, for `seconds`.
async fn receive_for(mut desk: Peer, seconds: u64) {
    let _ = tokio::time::timeout(Duration::from_secs(seconds), async {
        while let Some(event) = desk.next_event().await {
            if let PeerEvent::Frame(frame) = event {
                if !frame.contiguous && !frame.keyframe {
                    desk.request_keyframe();
                }
            }
        }
    })
    .await;
}

/// A call whose reporter drops `media_loss` of its media, sending adaptively for `seconds`.
async fn adapting_call(media_loss: f64, seconds: u32) -> Adapted {
    let mut config = PeerConfig::loopback(true);
    config.media_loss = media_loss;
    let (desk, reporter) = connect(config).await;
    let desk = tokio::spawn(receive_for(desk, u64::from(seconds) + 2));
    let seen = send_adapting(reporter, seconds).await;
    desk.abort();
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_whose_link_loses_a_third_of_its_media_sends_less_and_at_five_percent_keeps_the_full_rate()
{
    let poor = adapting_call(0.35, 10).await;
    assert!(
        poor.reports.len() >= 6,
        "a report every second: {:?}",
        poor.reports
    );
    let heard: f32 = poor.reports.iter().sum::<f32>() / poor.reports.len() as f32;
    assert!(
        (0.08..0.40).contains(&heard),
        "the desk's feedback tells the loss: {:?}",
        poor.reports
    );
    let last = *poor.targets.last().unwrap();
    assert!(
        last < 350,
        "the rate fell from 500 kbit/s: {:?} after reports {:?} (bytes a second {:?})",
        poor.targets,
        poor.reports,
        poor.bytes_per_second
    );
    assert_eq!(poor.encoder_kbps, last, "the encoder follows the rate");

    // 5 % is what NACK repairs: the picture keeps its full rate.
    let fair = adapting_call(0.05, 6).await;
    assert!(fair.reports.len() >= 3, "{:?}", fair.reports);
    assert!(
        fair.targets.iter().all(|&k| k == 500),
        "{:?} after {:?}",
        fair.targets,
        fair.reports
    );

    let clean = adapting_call(0.0, 4).await;
    assert!(!clean.reports.is_empty(), "the desk reports on a clean link too");
    assert!(clean.reports.iter().all(|&l| l < 0.02), "{:?}", clean.reports);
    assert_eq!(clean.encoder_kbps, 500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_up_ends_this_side_and_the_other_side_by_its_silence_limit() {
    let mut config = PeerConfig::loopback(true);
    config.silence_limit = Duration::from_millis(1500);
    let (mut desk, mut reporter) = connect(config).await;
    desk.hang_up();
    let desk_end = tokio::time::timeout(WAIT, async {
        loop {
            if let Some(PeerEvent::Ended(reason)) = desk.next_event().await {
                return reason;
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(desk_end, EndReason::HungUp);
    let reporter_end = tokio::time::timeout(WAIT, async {
        loop {
            match reporter.next_event().await {
                Some(PeerEvent::Ended(reason)) => return reason,
                None => return EndReason::Failed("no end".into()),
                Some(_) => {}
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(reporter_end, EndReason::Silent);
    assert_eq!(
        reporter.send_frame(vec![0; 10], 0),
        Err(PeerError::Ended),
        "nothing is sent on an ended call"
    );
}

#[tokio::test]
async fn a_session_description_that_is_not_one_is_refused_with_a_reason() {
    let refused = Peer::answer(PeerConfig::loopback(true), "v=0\r\nthis is not sdp\r\n").await;
    assert!(matches!(refused, Err(PeerError::BadSdp(_))), "{refused:?}");
    let offering = Offering::new(PeerConfig::loopback(false)).await.unwrap();
    assert!(offering.sdp().contains("VP8"), "{}", offering.sdp());
    assert!(matches!(offering.accept("garbage"), Err(PeerError::BadSdp(_))));
}
