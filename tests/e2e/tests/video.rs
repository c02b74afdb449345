//! A video validation call through the real window: a Metro Jaya supervisor reports an incident, rings its
//! reporter from the incident's detail; the simulator's 110 app (a real WebRTC peer) answers and sends its test
//! pattern; the Panggilan Video page shows the reporter's video — decoded by WebCodecs into the canvas, whose
//! pixels carry each frame's barcode: read back, the frame numbers increase; the reporter's voice (Opus) is decoded
//! and its meter reads the 440 Hz test tone, muted or not; the operator records the report as
//! valid with the call's id (the report beside the video, the reporter's NIK masked with what it says), which
//! reaches the central, keeps a still of the video as evidence, and hangs up, which ends the call there; a second
//! desk of the Polda shows the still in the incident's timeline (its barcode reads back). Screenshots:
//! `video-call` (the call in progress), `video-evidence-timeline` (the second desk). A second call loses 5 % of the reporter's media packets on the way: the
//! canvas keeps moving on (screenshot `video-call-lossy`).

use anyhow::{bail, Context as _, Result};
use serde_json::Value;
use siaga_e2e::central::{Central, ADMIN, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The stamp the canvas shows now (its top rows' pixels read through WebDriver), if one reads.
async fn canvas_stamp(desk: &Desk) -> Result<Option<siaga_video::barcode::Stamp>> {
    stamp_drawn(desk, "document.querySelector('#video-canvas')").await
}

/// The stamp in the top rows of the canvas `canvas` (a JavaScript expression) evaluates to, if one reads.
async fn stamp_drawn(desk: &Desk, canvas: &str) -> Result<Option<siaga_video::barcode::Stamp>> {
    let answer = desk
        .client
        .execute(
            &format!(
                "const c = {canvas}; \
                 const rows = 40; \
                 const d = c.getContext('2d').getImageData(0, 0, c.width, rows).data; \
                 return {{w: c.width, h: c.height, data: Array.from(d)}};"
            ),
            vec![],
        )
        .await?;
    let (w, h) = (
        answer["w"].as_u64().context("canvas width")? as usize,
        answer["h"].as_u64().context("canvas height")? as usize,
    );
    let mut rgba: Vec<u8> = answer["data"]
        .as_array()
        .context("pixels")?
        .iter()
        .map(|v| v.as_u64().unwrap_or(0) as u8)
        .collect();
    rgba.resize(w * h * 4, 0);
    Ok(siaga_video::barcode::read_rgba(&rgba, w, h))
}

/// Waits until the call's voice meter shows the simulator's 440 Hz test tone; the pitch it shows.
async fn voice_pitch(desk: &Desk) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let meter = desk.wait_for_css("#video-audio").await?;
        let hz: f64 = meter
            .attr("data-hz")
            .await?
            .unwrap_or_default()
            .parse()
            .unwrap_or(0.0);
        if (hz - 440.0).abs() <= 5.0 {
            return Ok(hz);
        }
        if Instant::now() > deadline {
            let note = desk.text("#video-voice-note").await.unwrap_or_default();
            bail!("the voice meter never heard the 440 Hz tone (last {hz} Hz) {note}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A call in progress and what it runs on.
type CallInProgress = (
    Central,
    Desk,
    tokio::task::JoinHandle<Result<siaga_sim::Progress, siaga_sim::SimError>>,
    String,
);

/// A Metro Jaya supervisor's desk, signed in, in a call with the simulator's reporter of the incident it just
/// reported (rung from the incident's detail), media connected; the reporter loses `video_loss` of its packets.
async fn call_in_progress(video_loss: f64) -> Result<CallInProgress> {
    call_in_progress_on(Central::start().await?, video_loss, &[]).await
}

/// [`call_in_progress`] with the central `central` and the desk's extra environment `env`.
async fn call_in_progress_on(
    central: Central,
    video_loss: f64,
    env: &[(&str, &str)],
) -> Result<CallInProgress> {
    central.create_operator("ayu", "supervisor").await?;
    // The simulator plays the 110 app's reporters (and little else).
    let mut config = siaga_sim::Config::new(&central.url(), ADMIN, PASSWORD);
    config.start = Some(time::macros::datetime!(2026-03-02 08:00 +07:00));
    config.rate = 0.01;
    config.kiosks = Some(1);
    config.duration = Duration::from_secs(240);
    config.video_loss = video_loss;
    let simulator = tokio::spawn(siaga_sim::run(config, |_, _| {}));

    let url = central.url();
    let mut desk_env = vec![("SIAGA_CENTRAL_URL", url.as_str())];
    desk_env.extend_from_slice(env);
    let desk = Desk::launch_with(&desk_env).await?;
    desk.sign_in("ayu", PASSWORD).await?;
    desk.click("#nav-incidents").await?;
    desk.type_into(
        "#report-description",
        "Copet di halte Harmoni, pelapor lewat aplikasi 110",
    )
    .await?;
    desk.type_into("#report-reporter-name", "Sri Wahyuni").await?;
    desk.type_into("#report-reporter-nik", "3171015208900123").await?;
    desk.save_report().await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    desk.click(".incident-row .details").await?;
    let incident = desk
        .wait_for_css("#incident-detail")
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default();
    // The report must be at the central before its reporter can be rung.
    let deadline = Instant::now() + Duration::from_secs(20);
    while central.incident(&incident).await.is_err() {
        if Instant::now() > deadline {
            bail!("the report never reached the central");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    desk.click("#detail-video-call").await?;
    desk.wait_for_css("#video-call").await?;
    desk.wait_for_css("#video-phase[data-phase='connected']").await?;
    Ok((central, desk, simulator, incident))
}

#[tokio::test(flavor = "current_thread")]
#[allow(clippy::print_stderr)] // the latency seen is worth a line in the test's output (a figure, not a check)
async fn an_operator_rings_the_reporter_sees_the_video_records_the_outcome_and_hangs_up() -> Result<()> {
    let (central, desk, simulator, incident) = call_in_progress(0.0).await?;
    // Frames are drawn: the canvas counts them; the barcode in its pixels reads back, and moves on.
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        if let Some(stamp) = canvas_stamp(&desk).await? {
            break stamp;
        }
        if Instant::now() > deadline {
            bail!("no barcode ever read from the canvas");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as u64;
    eprintln!(
        "video e2e: frame {} read from the canvas {} ms after its capture",
        first.frame,
        now_ms.saturating_sub(first.capture_ms)
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let later = loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Some(stamp) = canvas_stamp(&desk).await? {
            if stamp.frame > first.frame {
                break stamp;
            }
        }
        if Instant::now() > deadline {
            bail!("the canvas stayed at frame {}", first.frame);
        }
    };
    assert!(later.capture_ms >= first.capture_ms, "{first:?} then {later:?}");
    // The reporter's voice, decoded in the window (WebCodecs AudioDecoder): the meter's pitch is the simulator's
    // 440 Hz test tone, and it is still measured with the speakers muted.
    let tone = voice_pitch(&desk).await?;
    desk.click("#video-mute").await?;
    desk.wait_for_css("#video-mute[aria-pressed='true']").await?;
    assert_eq!(desk.text("#video-mute").await?, "Bunyikan");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let muted = voice_pitch(&desk).await?;
    eprintln!("video e2e: the voice meter heard {tone} Hz, then {muted} Hz muted");
    // Beside the video: the report, the NIK masked and what it says (a woman born 12 August 1990 in Gambir).
    assert_eq!(desk.text("#video-nik").await?, "317101**********");
    let check = desk.text("#video-nik-check").await?;
    assert!(check.contains("Gambir") && check.contains("Perempuan"), "{check}");
    desk.screenshot("video-call").await?;

    // The outcome, recorded on the incident with the call's id.
    let call_id = desk
        .wait_for_css("#video-call")
        .await?
        .attr("data-call")
        .await?
        .unwrap_or_default();
    desk.type_into("#video-outcome-reason", "Wajah dan KTP sesuai")
        .await?;
    desk.click("#video-record").await?;
    desk.wait_for_css("#video-recorded").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let at_central: Value = central.incident(&incident).await?;
        if at_central["validation"]["outcome"] == "valid" {
            assert_eq!(at_central["validation"]["call"], call_id.as_str(), "{at_central}");
            break;
        }
        if Instant::now() > deadline {
            bail!("the outcome never reached the central: {at_central}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // A still of the video kept as evidence of the incident.
    desk.click("#video-snapshot").await?;
    let kept = desk
        .wait_for_text("#video-snapshot-kept", |t| {
            t.contains("Cuplikan disimpan sebagai bukti")
        })
        .await?;

    // Away to the incident and back by its "Panggilan video": the call in progress opens again (the central
    // would refuse a second one while it goes on).
    desk.click("#nav-incidents").await?;
    let row = format!(".incident-row[data-id='{incident}'] .details");
    desk.wait_for_css(&row).await?;
    desk.click(&row).await?;
    desk.click("#detail-video-call").await?;
    let reopened = desk
        .wait_for_css("#video-call")
        .await?
        .attr("data-call")
        .await?
        .unwrap_or_default();
    assert_eq!(reopened, call_id, "the same call opens again");
    desk.wait_for_css("#video-phase[data-phase='connected']").await?;

    // Hanging up ends the call at the central; the voice bar drops to nothing.
    desk.click("#video-hang-up").await?;
    desk.wait_for_css("#video-phase[data-phase='ended']").await?;
    // (It eases down over 90 ms: waited for, not read at once.)
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let bar = desk
            .execute_until(
                "return getComputedStyle(document.querySelector('#video-audio .audio-fill')).width;",
                vec![],
                deadline,
            )
            .await?;
        if bar.as_str() == Some("0px") {
            break;
        }
        if Instant::now() > deadline {
            bail!("an ended call's voice bar stays at {bar}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    simulator.abort();

    // A second desk of the Polda: the snapshot is in the incident's timeline, the picture fetched from the
    // central, and it is the reporter's video (its barcode reads back, a frame of this call).
    central.create_operator("dimas", "operator1").await?;
    let second = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &central.url())]).await?;
    second.sign_in("dimas", PASSWORD).await?;
    second.click("#nav-incidents").await?;
    let row = format!(".incident-row[data-id='{incident}'] .details");
    second.wait_for_css(&row).await?;
    second.click(&row).await?;
    // The call's moves too, each a line of the timeline: rung, connected, ended by the operator.
    let entry = second
        .wait_for_text("#detail-timeline", |t| {
            t.contains("menyimpan cuplikan video sebagai bukti")
                && t.contains("panggilan video: berdering")
                && t.contains("panggilan video: tersambung")
                && t.contains("panggilan video: selesai")
        })
        .await?;
    second
        .wait_for_css(".timeline-evidence img.evidence-picture")
        .await?;
    let picture = "(() => { const img = document.querySelector('.timeline-evidence img.evidence-picture'); \
                   const c = document.createElement('canvas'); c.width = img.naturalWidth; \
                   c.height = img.naturalHeight; c.getContext('2d').drawImage(img, 0, 0); return c; })()";
    let deadline = Instant::now() + Duration::from_secs(10);
    let still = loop {
        if let Some(stamp) = stamp_drawn(&second, picture).await? {
            break stamp;
        }
        if Instant::now() > deadline {
            bail!("no barcode read from the evidence picture ({entry})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        still.frame >= later.frame,
        "the still {still:?} is of this call, after {later:?}"
    );
    let short = kept.rsplit(' ').next().unwrap_or_default();
    assert!(
        entry.contains(short),
        "the timeline names the picture {short}: {entry}"
    );
    eprintln!(
        "video e2e: the snapshot {short} (frame {}) shown on a second desk",
        still.frame
    );
    second
        .client
        .execute(
            "document.querySelector('.timeline-evidence').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    second.screenshot("video-evidence-timeline").await?;
    second.assert_no_fatal_error().await?;
    second.close().await
}

/// The reporter's network loses 5 % of the media packets: the picture on the canvas keeps moving on (NACK
/// retransmissions, key frames after what could not be repaired) and never freezes for long.
#[tokio::test(flavor = "current_thread")]
async fn with_five_percent_of_the_reporters_packets_lost_the_video_keeps_updating() -> Result<()> {
    let (central, desk, simulator, _incident) = call_in_progress(0.05).await?;
    let mut read = Vec::new();
    let (started, mut last_move) = (Instant::now(), Instant::now());
    while started.elapsed() < Duration::from_secs(8) {
        if let Some(stamp) = canvas_stamp(&desk).await? {
            if read.last().is_none_or(|&last| stamp.frame > last) {
                read.push(stamp.frame);
                last_move = Instant::now();
            }
        }
        if last_move.elapsed() > Duration::from_secs(3) {
            bail!(
                "the canvas froze for 3 s at frame {:?} (read so far: {read:?})",
                read.last()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        read.len() >= 15,
        "the canvas moved on only {} times in 8 s: {read:?}",
        read.len()
    );
    desk.screenshot("video-call-lossy").await?;
    desk.click("#video-hang-up").await?;
    desk.wait_for_css("#video-phase[data-phase='ended']").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    simulator.abort();
    drop(central);
    Ok(())
}

/// The desk may offer only its relayed address at the Polda's TURN server (coturn from Debian, started here; the
/// central hands the desk credentials for it that lapse): every packet of the call goes through coturn, and the
/// reporter's video still reaches the canvas, moving on, with its voice. Screenshot `video-call-relayed`.
#[tokio::test(flavor = "current_thread")]
async fn with_relay_only_candidates_through_coturn_the_video_reaches_the_canvas() -> Result<()> {
    let coturn = siaga_e2e::coturn::Coturn::start()?;
    let central = Central::start_with_relay(&coturn.addr.to_string(), &coturn.secret).await?;
    let (central, desk, simulator, _incident) =
        call_in_progress_on(central, 0.0, &[("SIAGA_VIDEO_RELAY_ONLY", "1")]).await?;
    // The desk's offer names its relayed address at coturn and nothing else.
    let call_id = desk
        .wait_for_css("#video-call")
        .await?
        .attr("data-call")
        .await?
        .unwrap_or_default();
    let call = central.video_call(&call_id).await?;
    let offer = call["offer"].as_str().unwrap_or_default();
    let candidates: Vec<&str> = offer.lines().filter(|l| l.starts_with("a=candidate")).collect();
    assert!(
        !candidates.is_empty() && candidates.iter().all(|c| c.contains("typ relay")),
        "relay candidates only: {candidates:?}"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut first, mut advances) = (None, 0);
    while advances < 10 {
        if let Some(stamp) = canvas_stamp(&desk).await? {
            match first {
                None => first = Some(stamp),
                Some(seen) if stamp.frame > seen.frame => {
                    first = Some(stamp);
                    advances += 1;
                }
                Some(_) => {}
            }
        }
        if Instant::now() > deadline {
            bail!("the relayed video did not move on ({advances} advances, last {first:?})");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    voice_pitch(&desk).await?;
    desk.screenshot("video-call-relayed").await?;
    desk.click("#video-hang-up").await?;
    desk.wait_for_css("#video-phase[data-phase='ended']").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    simulator.abort();
    drop(coturn);
    Ok(())
}

/// The reporter asks for a call from the 110 app (the test plays the app's backend, the simulator's reporter answers
/// what rings): the Panggilan Video page lists the request with its waiting time, the operator joins it, and the
/// reporter's video reaches the canvas, moving on. Screenshot `video-call-request`.
#[tokio::test(flavor = "current_thread")]
async fn a_reporter_asks_for_a_call_from_the_app_and_the_operator_joins_it() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("ayu", "supervisor").await?;
    central.create_operator("app-metro", "app").await?;
    let mut config = siaga_sim::Config::new(&central.url(), ADMIN, PASSWORD);
    config.start = Some(time::macros::datetime!(2026-03-02 08:00 +07:00));
    config.rate = 0.01;
    config.kiosks = Some(1);
    config.duration = Duration::from_secs(240);
    let simulator = tokio::spawn(siaga_sim::run(config, |_, _| {}));

    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &central.url())]).await?;
    desk.sign_in("ayu", PASSWORD).await?;
    desk.click("#nav-incidents").await?;
    desk.type_into(
        "#report-description",
        "Copet di halte Harmoni, pelapor lewat aplikasi 110",
    )
    .await?;
    desk.save_report().await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    desk.click(".incident-row .details").await?;
    let incident = desk
        .wait_for_css("#incident-detail")
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(20);
    while central.incident(&incident).await.is_err() {
        if Instant::now() > deadline {
            bail!("the report never reached the central");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, asked) = central
        .post_as(
            "app-metro",
            &format!("/v1/incidents/{incident}/video-call-requests"),
            &serde_json::json!({}),
        )
        .await?;
    assert_eq!(status, 201, "{asked}");

    desk.click("#nav-video").await?;
    let join = "[id^='video-join-']";
    desk.wait_for_css(join).await?;
    let waiting = desk.text(".waiting").await?;
    assert!(
        waiting.contains("menunggu"),
        "the request shows its waiting time: {waiting}"
    );
    desk.click(join).await?;
    desk.wait_for_css("#video-phase[data-phase='connected']").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut last, mut advances) = (None::<u32>, 0);
    while advances < 5 {
        if let Some(stamp) = canvas_stamp(&desk).await? {
            if last.is_some_and(|seen| stamp.frame > seen) {
                advances += 1;
            }
            last = Some(stamp.frame);
        }
        if Instant::now() > deadline {
            bail!("the joined call's video did not move on ({advances} advances, last {last:?})");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    desk.screenshot("video-call-request").await?;
    desk.click("#video-hang-up").await?;
    desk.wait_for_css("#video-phase[data-phase='ended']").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    simulator.abort();
    Ok(())
}
