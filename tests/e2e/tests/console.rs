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

/// Presses single keys on the window's keyboard (WebDriver key actions, as a person types them).
async fn press(desk: &Desk, keys: &str) -> Result<()> {
    use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".into());
    for key in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    desk.client.perform_actions(actions).await?;
    Ok(())
}

async fn sign_in(desk: &Desk, user: &str) -> Result<()> {
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", user).await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == user).await?;
    Ok(())
}

async fn report(desk: &Desk, text: &str) -> Result<()> {
    desk.type_into("#report-description", text).await?;
    desk.click("#report-submit").await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
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
    sign_in(&desk, "sari").await?;

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

/// The keyboard path: `?` lists the shortcuts, `1` opens the received queue, `j` takes the first call,
/// `c` classifies it, `Esc` closes the detail, `j` and `p` close the next one as a prank — no clicks on
/// the list.
#[tokio::test(flavor = "current_thread")]
async fn an_operator_triages_calls_with_the_keyboard() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("budi", "operator1").await?;
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    sign_in(&desk, "budi").await?;
    desk.click("#nav-incidents").await?;
    report(&desk, "Copet di halte Harmoni").await?;
    report(&desk, "Penelepon diam, lalu tertawa").await?;
    desk.wait_for_text("#queue-received .count", |t| t == "2").await?;
    // Leave the description field, so keys are shortcuts, not text.
    desk.click("#incident-list .card-header").await?;

    press(&desk, "?").await?;
    desk.wait_for_css("#shortcut-help").await?;
    desk.screenshot("shortcut-help").await?;
    press(&desk, "?").await?;

    press(&desk, "1").await?;
    desk.wait_for_css("#queue-received.active").await?;
    press(&desk, "j").await?;
    let first = desk
        .wait_for_css("#incident-detail[data-status='received']")
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default();
    press(&desk, "c").await?;
    desk.wait_for_css(&format!(
        "#incident-detail[data-id='{first}'][data-status='classified']"
    ))
    .await?;
    desk.wait_for_text("#queue-received .count", |t| t == "1").await?;
    press(&desk, "\u{e00c}").await?; // Escape
    let deadline = Instant::now() + Duration::from_secs(10);
    while desk
        .client
        .find(fantoccini::Locator::Id("incident-detail"))
        .await
        .is_ok()
    {
        if Instant::now() > deadline {
            bail!("Escape did not close the detail");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    press(&desk, "jp").await?;
    desk.wait_for_text("#queue-received .count", |t| t == "0").await?;
    // The prank closing reaches the central.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pranks = central
            .feed()
            .await?
            .iter()
            .filter(|e| {
                e["event"]["change"]["type"] == "closed" && e["event"]["change"]["reason"]["kind"] == "prank"
            })
            .count();
        if pranks == 1 {
            break;
        }
        if Instant::now() > deadline {
            bail!("{pranks} prank closings at the central");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    desk.assert_no_fatal_error().await?;
    desk.close().await
}

/// Prank triage: beside a live call, the detail panel shows the number's earlier calls and how many were prank
/// or empty (advisory: the number is not blocked, the operator decides).
#[tokio::test(flavor = "current_thread")]
async fn the_detail_shows_how_often_a_number_called_and_how_often_in_jest() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("adi", "operator1").await?;
    central.create_operator("budi", "operator1").await?;
    let token = central.login("adi").await?;
    let call = serde_json::json!({"type": "received", "channel": {"kind": "call110"}, "polda": "metro_jaya",
        "callerNumber": "081298765432", "description": "(panggilan tanpa laporan)", "location": {}});
    let mut live = String::new();
    for n in 0..4 {
        let incident = uuid::Uuid::now_v7().to_string();
        if central
            .append_as(&token, "adi", "operator1", &incident, call.clone())
            .await?
            >= 300
        {
            bail!("the central refused a seeded call");
        }
        if n < 2 {
            let closed = serde_json::json!({"type": "closed", "reason": {"kind": "prank"}, "summary": ""});
            if central
                .append_as(&token, "adi", "operator1", &incident, closed)
                .await?
                >= 300
            {
                bail!("the central refused a seeded closure");
            }
        }
        live = incident;
    }
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    sign_in(&desk, "budi").await?;
    desk.click("#nav-incidents").await?;
    desk.wait_for_text("#queue-received .count", |t| t == "2").await?;
    desk.click(&format!(".incident-row[data-id='{live}'] .details"))
        .await?;
    let history = desk.wait_for_css("#detail-caller-history").await?;
    assert_eq!(history.attr("data-calls").await?.as_deref(), Some("3"));
    assert_eq!(history.attr("data-prank").await?.as_deref(), Some("2"));
    assert!(history.attr("class").await?.unwrap_or_default().contains("prank"));
    let text = desk.text("#detail-caller-history").await?;
    assert!(
        text.starts_with("3 panggilan sebelumnya · 2 iseng/kosong · terakhir "),
        "{text}"
    );
    desk.screenshot("incident-detail-caller-history").await?;
    desk.close().await
}
