//! Working through an outage in the real window: an operator signs in, the central goes down, their
//! reports are kept and listed and the status bar says offline with the number waiting; when the central
//! returns, the actions reach it in the order they were made.

use anyhow::{bail, Result};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

async fn report(desk: &Desk, text: &str, category: &str) -> Result<()> {
    desk.type_into("#report-description", text).await?;
    desk.client
        .execute(
            "const s = document.querySelector('#report-category'); s.value = arguments[0]; \
             s.dispatchEvent(new Event('change'));",
            vec![category.into()],
        )
        .await?;
    desk.save_report().await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn actions_made_while_the_central_is_down_reach_it_in_order() -> Result<()> {
    let mut central = Central::start().await?;
    central.create_operator("budi", "operator1").await?;
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;

    // Sign in through the status bar.
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "budi").await?;
    desk.type_into("#sign-in-password", "salah sekali").await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#sign-in-error", |t| t.contains("salah"))
        .await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "budi").await?;
    desk.wait_for_text("#connection-state", |t| t.contains("Daring"))
        .await?;

    // The central goes down; the operator keeps taking reports.
    central.stop().await?;
    desk.click("#nav-incidents").await?;
    report(
        &desk,
        "Copet di peron KRL Manggarai, korban kehilangan dompet",
        "theft",
    )
    .await?;
    report(&desk, "Tawuran pelajar di dekat halte Bundaran HI", "brawl").await?;
    report(&desk, "Penelepon diam lalu menutup telepon", "").await?;
    desk.wait_for_text("#connection-state", |t| {
        t.contains("Luring") && t.contains("3 tindakan menunggu")
    })
    .await?;
    let rows = desk
        .client
        .find_all(fantoccini::Locator::Css(".incident-row"))
        .await?;
    assert_eq!(rows.len(), 3, "the three reports are listed while offline");
    desk.screenshot("incidents-offline-id").await?;

    // The central returns: the queue drains, in order.
    central.resume().await?;
    desk.wait_for_text("#connection-state", |t| {
        t.contains("Daring") && !t.contains("menunggu")
    })
    .await?;
    desk.screenshot("incidents-online-id").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let feed = loop {
        let feed = central.feed().await?;
        if feed.len() >= 3 {
            break feed;
        }
        if Instant::now() > deadline {
            bail!("the central has {} events, expected 3", feed.len());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let descriptions: Vec<&str> = feed
        .iter()
        .filter_map(|e| e["event"]["change"]["description"].as_str())
        .collect();
    assert_eq!(
        descriptions,
        [
            "Copet di peron KRL Manggarai, korban kehilangan dompet",
            "Tawuran pelajar di dekat halte Bundaran HI",
            "Penelepon diam lalu menutup telepon",
        ],
        "the central received the reports in the order they were taken"
    );
    assert_eq!(central.incidents().await?.len(), 3);
    desk.close().await
}
