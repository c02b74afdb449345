//! A citizen reports on the 110 web page in a real browser (Debian's Chromium, its fake camera playing a clip of
//! the stamped test pattern) and stays on the page; a Metro Jaya supervisor's desk finds the report, rings the
//! reporter from the incident's detail; the page shows the call, the citizen answers with the browser's own
//! WebRTC (libwebrtc) against the desk's str0m peer: the citizen's video reaches the desk's canvas (the clip's
//! barcodes read back from its pixels, the numbers increasing), beside the report and the NIK masked; the operator
//! records the report as valid with the call's id, which reaches the central, and hangs up, which ends the call on
//! the page. Screenshots: `citizen-call-desk` (the desk in the call), `citizen-call-page` (the page in the call).

use anyhow::{bail, Result};
use siaga_e2e::browser::{stamped_clip, Browser};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

/// The stamp the desk's canvas shows now, if one reads.
async fn canvas_frame(desk: &Desk) -> Result<Option<u32>> {
    let answer = desk
        .client
        .execute(
            "const c = document.querySelector('#video-canvas'); \
             const d = c.getContext('2d').getImageData(0, 0, c.width, 40).data; \
             return {w: c.width, h: c.height, data: Array.from(d)};",
            vec![],
        )
        .await?;
    let (w, h) = (
        answer["w"].as_u64().unwrap_or_default() as usize,
        answer["h"].as_u64().unwrap_or_default() as usize,
    );
    let mut rgba: Vec<u8> = answer["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_u64().unwrap_or(0) as u8)
        .collect();
    rgba.resize(w * h * 4, 0);
    Ok(siaga_video::barcode::read_rgba(&rgba, w, h).map(|stamp| stamp.frame))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_reports_on_the_web_page_and_answers_the_operators_video_call_in_chromium() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("ayu", "supervisor").await?;
    let dir = tempfile::tempdir()?;
    let clip = dir.path().join("citizen.y4m");
    stamped_clip(&clip, 300)?;

    // The citizen reports from Harmoni, Jakarta, and stays on the page.
    let browser = Browser::launch_with_camera(&clip).await?;
    browser
        .client
        .goto(&format!("{}/warga/lapor", central.url()))
        .await?;
    browser.wait_visible("#report-form").await?;
    browser
        .type_into("#report-description", "Dompet saya dicopet di halte Harmoni")
        .await?;
    browser.type_into("#report-name", "Sri Wahyuni").await?;
    browser.type_into("#report-nik", "3171015208900123").await?;
    browser.set_value("#report-polda", "metro_jaya").await?;
    browser.type_into("#report-lat", "-6.16597").await?;
    browser.type_into("#report-lon", "106.82076").await?;
    browser.click("#report-send").await?;
    let sent = browser.wait_visible("#report-sent").await?;
    let incident = sent.attr("data-incident").await?.unwrap_or_default();
    assert!(!incident.is_empty(), "the page names its report");

    // The desk finds it in its queue and rings the reporter.
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &central.url())]).await?;
    desk.sign_in("ayu", PASSWORD).await?;
    desk.click("#nav-incidents").await?;
    let row = format!(".incident-row[data-id='{incident}'] .details");
    desk.wait_for_css(&row).await?;
    desk.click(&row).await?;
    desk.wait_for_text("#incident-detail", |t| t.contains("Harmoni"))
        .await?;
    desk.click("#detail-video-call").await?;
    desk.wait_for_css("#video-call").await?;

    // The page rings; the citizen answers.
    browser.wait_visible("#call-ringing").await?;
    browser.click("#call-answer").await?;
    desk.wait_for_css("#video-phase[data-phase='connected']").await?;
    browser
        .wait_for_text("#call-state", |t| t.contains("Tersambung"))
        .await?;

    // The citizen's camera on the desk's canvas: the clip's barcodes, moving on.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut last, mut advances) = (None::<u32>, 0);
    while advances < 5 {
        if let Some(frame) = canvas_frame(&desk).await? {
            if last.is_some_and(|seen| frame > seen) {
                advances += 1;
            }
            last = Some(frame);
        }
        if Instant::now() > deadline {
            bail!(
                "the citizen's video did not move on the desk's canvas ({advances} advances, last {last:?})"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(desk.text("#video-nik").await?, "317101**********");
    desk.screenshot("citizen-call-desk").await?;
    browser.screenshot("citizen-call-page").await?;

    // Valid, with the call's id, at the central; the hang-up ends the call on the page.
    let call_id = desk
        .wait_for_css("#video-call")
        .await?
        .attr("data-call")
        .await?
        .unwrap_or_default();
    desk.type_into("#video-outcome-reason", "Wajah sesuai KTP")
        .await?;
    desk.click("#video-record").await?;
    desk.wait_for_css("#video-recorded").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let at_central = central.incident(&incident).await?;
        if at_central["validation"]["outcome"] == "valid" {
            assert_eq!(at_central["validation"]["call"], call_id.as_str(), "{at_central}");
            break;
        }
        if Instant::now() > deadline {
            bail!("the outcome never reached the central: {at_central}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    desk.click("#video-hang-up").await?;
    desk.wait_for_css("#video-phase[data-phase='ended']").await?;
    browser
        .wait_for_text("#call-ended", |t| t.contains("selesai"))
        .await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await?;
    browser.close().await
}
