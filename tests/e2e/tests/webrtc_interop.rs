//! The desk's WebRTC peer (str0m) against the libwebrtc of a real browser, as the 110 web page and citizens'
//! phones run it: Chromium from Debian, its fake camera fed from a clip of the stamped test pattern
//! (`--use-file-for-fake-video-capture`), answers the desk's offer; ICE and DTLS come up, the browser's VP8
//! frames reach the desk and decode with the clip's stamps, frame numbers increasing, and its Opus audio arrives.

use anyhow::{bail, Context as _, Result};
use siaga_e2e::browser::{stamped_clip, Browser};
use siaga_video::vp8::Decoder;
use siaga_video::{Offering, PeerConfig, PeerEvent};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stderr)] // what was read back is worth a line in the test's output
async fn chromium_answers_the_desks_offer_and_its_video_and_voice_reach_the_desk() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clip = dir.path().join("reporter.y4m");
    stamped_clip(&clip, 150)?;
    let browser = Browser::launch_with_camera(&clip).await?;
    let offering = Offering::new(PeerConfig::loopback(false)).await?;
    let answer = browser
        .client
        .execute_async(
            "const [offer, done] = arguments; \
             (async () => { \
               const pc = new RTCPeerConnection(); window.pc = pc; \
               const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true }); \
               for (const track of media.getTracks()) pc.addTrack(track, media); \
               await pc.setRemoteDescription({ type: 'offer', sdp: offer }); \
               await pc.setLocalDescription(await pc.createAnswer()); \
               if (pc.iceGatheringState !== 'complete') { \
                 await new Promise((r) => pc.addEventListener('icegatheringstatechange', \
                   () => pc.iceGatheringState === 'complete' && r())); } \
               done({ sdp: pc.localDescription.sdp }); \
             })().catch((e) => done({ error: String(e) }));",
            vec![offering.sdp().into()],
        )
        .await?;
    if let Some(error) = answer["error"].as_str() {
        bail!("the browser did not answer: {error}");
    }
    let answer = answer["sdp"].as_str().context("an answer")?;
    let mut desk = offering.accept(answer)?;

    let mut decoder = Decoder::new()?;
    let (mut connected, mut frames, mut audio) = (false, Vec::new(), 0u32);
    let deadline = Instant::now() + Duration::from_secs(30);
    while frames.len() < 20 || audio < 20 {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(Some(event)) = tokio::time::timeout(left, desk.next_event()).await else {
            let state = browser
                .client
                .execute(
                    "return window.pc && [window.pc.iceConnectionState, window.pc.connectionState];",
                    vec![],
                )
                .await?;
            bail!("after 30 s: connected {connected}, frames {frames:?}, audio packets {audio}; the browser says {state}");
        };
        match event {
            PeerEvent::Connected => connected = true,
            PeerEvent::Frame(frame) => {
                for picture in decoder.decode(&frame.data).unwrap_or_default() {
                    if let Some(stamp) = picture.stamp() {
                        frames.push(stamp.frame);
                    }
                }
            }
            PeerEvent::Audio(_) => audio += 1,
            PeerEvent::Ended(reason) => bail!("the call ended: {reason:?}"),
            _ => {}
        }
    }
    assert!(connected);
    // The clip loops: the numbers increase between its restarts.
    let rising = frames.windows(2).filter(|w| w[1] > w[0]).count();
    assert!(
        rising * 10 >= (frames.len() - 1) * 9,
        "frame numbers increase: {frames:?}"
    );
    eprintln!(
        "webrtc interop: {} frames from Chromium read back ({frames:?}), {audio} Opus packets",
        frames.len()
    );
    desk.hang_up();
    Ok(())
}
