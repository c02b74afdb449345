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
    desk.save_report().await?;
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

/// Waits until the central holds an incident for which `accept` is true; answers it.
async fn central_incident(
    central: &Central,
    accept: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = central.incidents().await?.into_iter().find(|i| accept(i)) {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("the central never held the incident");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_operator_finds_the_place_by_name_with_the_keyboard_during_intake() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("dimas", "operator1").await?;
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    sign_in(&desk, "dimas").await?;
    desk.click("#nav-incidents").await?;

    // The caller says "Kelurahan Tjikini" (old spelling): the village Cikini in Menteng, Jakarta Pusat (before
    // the KRL station of the same name, which a bare "tjikini" offers first), and its Polres.
    desk.type_into("#report-place-search", "kel tjikini").await?;
    let hits = desk
        .wait_for_text("#report-place-hits .place-hit.active", |t| t.contains("Cikini"))
        .await?;
    assert!(hits.contains("Polres Metro Jakarta Pusat"), "{hits}");
    desk.screenshot("intake-place-search").await?;
    press(&desk, "\u{E007}").await?; // Enter takes the highlighted place
    let chosen = desk
        .wait_for_text("#report-place-chosen", |t| t.contains("Cikini"))
        .await?;
    assert!(
        chosen.contains("Menteng") && chosen.contains("Polres Metro Jakarta Pusat"),
        "{chosen}"
    );
    let station_shown: serde_json::Value = desk
        .client
        .execute(
            "return getComputedStyle(document.querySelector('#report-station-field')).display;",
            vec![],
        )
        .await?;
    assert_eq!(
        station_shown, "none",
        "a chosen village replaces the station list"
    );
    // The caller's number and NIK: the NIK is read as it is typed.
    desk.type_into("#report-caller", "0812-3456-7890").await?;
    desk.type_into("#report-reporter-name", "Siti Rahayu").await?;
    desk.type_into("#report-reporter-nik", "31710152039").await?;
    desk.wait_for_css("#report-nik-check[data-state='invalid']")
        .await?;
    desk.type_into("#report-reporter-nik", "3273015203900007").await?;
    let elsewhere = desk
        .wait_for_text("#report-nik-check[data-state='elsewhere']", |t| {
            t.contains("Bandung")
        })
        .await?;
    assert!(
        elsewhere.contains("Perempuan") && elsewhere.contains("12 Maret 1990"),
        "{elsewhere}"
    );
    desk.type_into("#report-reporter-nik", "3171015203900007").await?;
    let valid = desk
        .wait_for_text("#report-nik-check[data-state='valid']", |t| t.contains("Gambir"))
        .await?;
    assert!(valid.contains("Jakarta Pusat"), "{valid}");
    desk.screenshot("intake-place-nik").await?;
    report(
        &desk,
        "Copet di depan Taman Ismail Marzuki, korban kehilangan dompet",
    )
    .await?;
    let incident = central_incident(&central, |i| {
        i["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Copet di depan Taman Ismail"))
    })
    .await?;
    let location = &incident["location"];
    assert_eq!(location["village"], "31.71.06.1003", "{incident}");
    assert_eq!(location["district"], "31.71.06");
    assert!(
        location["address"]
            .as_str()
            .is_some_and(|a| a.starts_with("Cikini")),
        "{incident}"
    );
    assert!(
        location.get("point").is_none_or(|p| p.is_null()),
        "a village has no point: {incident}"
    );
    assert_eq!(incident["reporter"]["nik"], "3171015203900007", "{incident}");
    assert_eq!(incident["reporter"]["name"], "Siti Rahayu");
    assert!(
        incident["callerNumber"]
            .as_str()
            .is_some_and(|n| n.ends_with("81234567890")),
        "{incident}"
    );
    let cleared: serde_json::Value = desk
        .client
        .execute(
            "return document.querySelector('#report-reporter-nik').value;",
            vec![],
        )
        .await?;
    assert_eq!(cleared, "", "the form is ready for the next call");

    // The same number calls again: its history shows beside the form while the number is typed.
    desk.type_into("#report-caller", "0812 3456 7890").await?;
    desk.wait_for_css("#report-caller-history[data-calls='1'][data-prank='0']")
        .await?;

    // A station found by name also sets the station list, and the report has its point.
    desk.type_into("#report-place-search", "stasiun mangarai").await?; // one letter short
    desk.wait_for_text("#report-place-hits .place-hit.active", |t| {
        t.contains("Manggarai")
    })
    .await?;
    press(&desk, "\u{E007}").await?;
    desk.wait_for_css("#report-place-chosen[data-kind='station']")
        .await?;
    let station: serde_json::Value = desk
        .client
        .execute("return document.querySelector('#report-station').value;", vec![])
        .await?;
    assert_eq!(station, "krl-manggarai");
    desk.screenshot("intake-place-chosen").await?;
    // Saved with Ctrl+Enter from the description, without reaching for the button.
    desk.type_into("#report-description", "Penumpang pingsan di peron 6")
        .await?;
    {
        use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
        let chord = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: '\u{E009}' })
            .then(KeyAction::Down { value: '\u{E007}' })
            .then(KeyAction::Up { value: '\u{E007}' })
            .then(KeyAction::Up { value: '\u{E009}' });
        desk.client.perform_actions(chord).await?;
    }
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    let incident = central_incident(&central, |i| {
        i["description"].as_str() == Some("Penumpang pingsan di peron 6")
    })
    .await?;
    assert_eq!(incident["location"]["regency"], "31.74", "{incident}");
    assert!(
        incident["location"]["point"].is_object() || incident["location"]["point"].is_array(),
        "{incident}"
    );
    desk.close().await?;
    Ok(())
}
