//! The operator console through the real window: a supervisor takes a report through the queues and
//! the whole Perkap 20/2014 flow from the incident detail panel — classify, forward to a Polres, hand to the SPKT,
//! start handling, close with a summary — sees each step in the timeline (confirmed by the central once
//! synced), sees a step the flow no longer allows offered with the flow's reason, and the central holds
//! the closed incident.

use anyhow::{bail, Result};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

/// Sets a `<select>` (or any input) by script and tells the UI, as a user's choice would.
async fn choose(desk: &Desk, css: &str, value: &str) -> Result<()> {
    desk.client
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
             s.dispatchEvent(new Event('change')); s.dispatchEvent(new Event('input'));",
            vec![css.into(), value.into()],
        )
        .await?;
    Ok(())
}

async fn step(desk: &Desk, button: &str, status: &str) -> Result<()> {
    desk.click(button).await?;
    desk.wait_for_css(&format!("#incident-detail[data-status='{status}']"))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_takes_a_report_through_the_whole_flow_from_the_detail_panel() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("sari", "supervisor").await?;
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "sari").await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "sari").await?;

    desk.click("#nav-incidents").await?;
    desk.type_into("#report-description", "Tawuran pelajar di depan halte Tosari")
        .await?;
    choose(&desk, "#report-category", "brawl").await?;
    desk.click("#report-submit").await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    desk.wait_for_text("#queue-received .count", |t| t == "1").await?;
    desk.click(".incident-row .classify").await?;
    desk.wait_for_css(".incident-row[data-status='classified']")
        .await?;
    // The queues follow: the report moved from "received" to "classified".
    desk.wait_for_text("#queue-classified .count", |t| t == "1")
        .await?;
    assert_eq!(desk.text("#queue-received .count").await?, "0");
    desk.click("#queue-classified").await?;
    desk.wait_for_css("#queue-classified.active").await?;
    desk.wait_for_css(".incident-row[data-status='classified'] .waiting")
        .await?;
    desk.screenshot("incident-queues").await?;
    desk.click(".incident-row .details").await?;
    let panel = desk
        .wait_for_css("#incident-detail[data-status='classified']")
        .await?;
    let id = panel.attr("data-id").await?.unwrap_or_default();
    // The time is shown on the incident's own wall clock (Jakarta: WIB).
    let received = desk.text("#detail-received").await?;
    assert!(received.contains("WIB"), "{received}");

    // Forward to Polres Metro Jakarta Pusat (regency 3171), hand to the SPKT, start handling, close.
    choose(&desk, "#detail-polres", "3171").await?;
    step(&desk, "#detail-forward", "forwarded").await?;
    let jurisdiction = desk.text("#detail-jurisdiction").await?;
    assert!(jurisdiction.contains("Jakarta Pusat"), "{jurisdiction}");
    desk.type_into("#detail-spkt-desk", "Bripka Andi (SPKT)").await?;
    step(&desk, "#detail-spkt", "handed_to_spkt").await?;
    desk.type_into("#detail-unit", "Patroli Sabhara 2").await?;
    step(&desk, "#detail-handle", "in_progress").await?;
    desk.type_into(
        "#detail-summary",
        "Massa dibubarkan, dua pelajar dibawa ke Polsek.",
    )
    .await?;
    step(&desk, "#detail-close-handled", "closed").await?;

    // The timeline: the six steps in order, each confirmed once the desk has synced.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let entries = desk
            .client
            .find_all(fantoccini::Locator::Css(
                "#detail-timeline .timeline-entry[data-standing='Confirmed']",
            ))
            .await?;
        if entries.len() == 6 {
            break;
        }
        if Instant::now() > deadline {
            bail!("{} of 6 steps confirmed in the timeline", entries.len());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut actions = Vec::new();
    for entry in desk
        .client
        .find_all(fantoccini::Locator::Css("#detail-timeline .timeline-entry"))
        .await?
    {
        actions.push(entry.attr("data-action").await?.unwrap_or_default());
    }
    assert_eq!(
        actions,
        [
            "Receive",
            "Classify",
            "Forward",
            "HandToSpkt",
            "StartHandling",
            "CloseAsHandled"
        ]
    );
    let last = desk
        .text("#detail-timeline .timeline-entry:last-child .timeline-detail")
        .await?;
    assert!(last.contains("Massa dibubarkan"), "{last}");

    // What the flow no longer allows is offered with its reason, not hidden.
    let forward = desk.wait_for_css("#detail-forward").await?;
    assert_eq!(forward.attr("disabled").await?.as_deref(), Some("true"));
    let why = desk.text(".detail-step[data-action='Forward'] .why-not").await?;
    assert!(!why.is_empty(), "the reason is shown");
    desk.screenshot("incident-detail-closed").await?;
    desk.client
        .execute(
            "document.querySelector('#detail-timeline').scrollIntoView({block: 'end'});",
            vec![],
        )
        .await?;
    desk.screenshot("incident-detail-timeline").await?;

    let at_central = central.incident(&id).await?;
    assert_eq!(at_central["status"], "closed", "{at_central}");
    assert_eq!(
        at_central["closure"]["summary"], "Massa dibubarkan, dua pelajar dibawa ke Polsek.",
        "{at_central}"
    );
    desk.assert_no_fatal_error().await?;
    desk.close().await
}
