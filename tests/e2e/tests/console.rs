//! The operator console through the real window: a supervisor takes a report through the queues and
//! the whole Perkap 20/2014 flow from the incident detail panel — classify, forward to a Polres, hand to the SPKT,
//! start handling, close with a summary — sees each step in the timeline (confirmed by the central once
//! synced), sees a step the flow no longer allows offered with the flow's reason, and the central holds
//! the closed incident. A call on a legacy number goes through the same flow with the keyboard only, with
//! the central up and with it down (the desk converges when it returns); the command palette reaches a
//! page.

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

/// Presses `key` with Ctrl held (WebDriver's Control is U+E009).
async fn ctrl(desk: &Desk, key: char) -> Result<()> {
    use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
    let chord = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{E009}' })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: '\u{E009}' });
    desk.client.perform_actions(chord).await?;
    Ok(())
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// The id of the element that has the focus.
async fn focused(desk: &Desk) -> Result<String> {
    let id = desk
        .client
        .execute(
            "return document.activeElement ? document.activeElement.id : '';",
            vec![],
        )
        .await?;
    Ok(id.as_str().unwrap_or_default().to_owned())
}

/// Waits until the element with `id` has the focus (a key moved it there).
async fn wait_for_focus(desk: &Desk, id: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = focused(desk).await?;
        if now == id {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the focus is on {now:?}, not {id:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the list shows `rows` incidents.
async fn wait_for_rows(desk: &Desk, rows: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = desk
            .client
            .find_all(fantoccini::Locator::Css("#incident-list .incident-row"))
            .await?
            .len();
        if shown == rows {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the list shows {shown} incidents, not {rows}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The timeline's entries that stand as `standing` (`Confirmed`, `Pending`), by their action.
async fn timeline(desk: &Desk, standing: &str) -> Result<Vec<String>> {
    let mut actions = Vec::new();
    for entry in desk
        .client
        .find_all(fantoccini::Locator::Css(&format!(
            "#detail-timeline .timeline-entry[data-standing='{standing}']"
        )))
        .await?
    {
        actions.push(entry.attr("data-action").await?.unwrap_or_default());
    }
    Ok(actions)
}

const WHOLE_FLOW: [&str; 7] = [
    "Receive",
    "Classify",
    "Locate",
    "Forward",
    "HandToSpkt",
    "StartHandling",
    "CloseAsHandled",
];

/// Waits until the timeline shows the whole flow standing as `standing`.
async fn wait_for_timeline(desk: &Desk, standing: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let shown = timeline(desk, standing).await?;
        if shown == WHOLE_FLOW {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the timeline shows {shown:?} as {standing}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A call to 112 (a legacy number forwarded to 110) taken and worked through the whole flow with the
/// keyboard alone, from whatever page is shown: n, the form with Tab, Ctrl+Enter, Esc, then 1 j c l f s h x
/// with Enter (Ctrl+Enter for the summary). Answers the incident's id.
async fn whole_flow_by_keyboard(desk: &Desk) -> Result<String> {
    press(desk, "n").await?;
    wait_for_focus(desk, "report-description").await?;
    press(
        desk,
        "Jambret tas di depan Stasiun Cikini, pelaku naik motor ke arah Salemba",
    )
    .await?;
    press(desk, TAB).await?; // the category: left for the classification
    press(desk, TAB).await?;
    wait_for_focus(desk, "report-caller").await?;
    press(desk, "081311112222").await?;
    press(desk, TAB).await?;
    wait_for_focus(desk, "report-place-search").await?;
    press(desk, "kel cikini").await?;
    desk.wait_for_text("#report-place-hits .place-hit.active", |t| t.contains("Cikini"))
        .await?;
    press(desk, ENTER).await?;
    desk.wait_for_css("#report-place-chosen").await?;
    // Past the place's "clear", the reporter's name and NIK, to the number dialed.
    for _ in 0..4 {
        press(desk, TAB).await?;
    }
    wait_for_focus(desk, "report-dialed").await?;
    press(desk, "112").await?;
    let dialed = desk
        .wait_for_text("#report-dialed-note[data-state='legacy']", |t| t.contains("112"))
        .await?;
    assert!(dialed.contains("diteruskan ke 110"), "{dialed}");
    desk.screenshot("intake-legacy-number").await?;
    ctrl(desk, '\u{E007}').await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    press(desk, ESCAPE).await?; // out of the form: keys are shortcuts again

    // b: the supervisor board — the call waits in "received", sari acted on it last, this hour has one
    // call, and its number is among those that called.
    press(desk, "b").await?;
    desk.wait_for_css("#supervisor-board .board-stage[data-status='received'][data-count='1']")
        .await?;
    desk.wait_for_css("#board-operators .board-operator[data-operator='sari']")
        .await?;
    desk.wait_for_css("#board-hours .board-hour[data-calls='1'][data-prank='0']")
        .await?;
    let frequent = desk.text("#board-frequent .board-caller").await?;
    assert!(frequent.contains("81311112222"), "{frequent}");
    desk.screenshot("supervisor-board").await?;

    let id = open_first_received(desk).await?;
    let channel = desk.text("#detail-channel").await?;
    assert_eq!(channel, "Panggilan ke 112 diteruskan ke 110");
    press(desk, "c").await?;
    desk.wait_for_css("#incident-detail[data-status='classified']")
        .await?;
    // l: the caller corrects the place — the village Gambir, next door; Enter takes it.
    press(desk, "l").await?;
    wait_for_focus(desk, "relocate-place-search").await?;
    press(desk, "kel gambir").await?;
    desk.wait_for_text("#relocate-place-hits .place-hit.active", |t| t.contains("Gambir"))
        .await?;
    press(desk, ENTER).await?;
    desk.wait_for_text("#detail-place", |t| t.starts_with("Gambir"))
        .await?;
    // f: the Polres responsible for the place is already chosen; Enter forwards.
    press(desk, "f").await?;
    wait_for_focus(desk, "detail-polres").await?;
    press(desk, ENTER).await?;
    desk.wait_for_css("#incident-detail[data-status='forwarded']")
        .await?;
    let jurisdiction = desk.text("#detail-jurisdiction").await?;
    assert!(
        jurisdiction.contains("Polres Metro Jakarta Pusat"),
        "{jurisdiction}"
    );
    press(desk, "s").await?;
    wait_for_focus(desk, "detail-spkt-desk").await?;
    press(desk, "Bripka Andi (SPKT)").await?;
    press(desk, ENTER).await?;
    desk.wait_for_css("#incident-detail[data-status='handed_to_spkt']")
        .await?;
    press(desk, "h").await?;
    wait_for_focus(desk, "detail-unit").await?;
    press(desk, "Patroli Sabhara 2").await?;
    press(desk, ENTER).await?;
    desk.wait_for_css("#incident-detail[data-status='in_progress']")
        .await?;
    press(desk, "x").await?;
    wait_for_focus(desk, "detail-summary").await?;
    press(desk, "Tas kembali, pelaku diamankan Polsek Menteng.").await?;
    ctrl(desk, '\u{E007}').await?;
    desk.wait_for_css("#incident-detail[data-status='closed']")
        .await?;
    Ok(id)
}

/// Waits until the central's record of incident `id` satisfies `accept`, and answers it.
async fn central_record(
    central: &Central,
    id: &str,
    accept: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = central.incident(id).await.ok().filter(|i| accept(i)) {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("the central's record of {id} never became what the test expects");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What the central must hold of the call once it has everything.
async fn central_has_the_whole_flow(central: &Central, id: &str) -> Result<()> {
    let incident = central_record(central, id, |i| i["status"] == "closed").await?;
    assert_eq!(incident["channel"]["kind"], "legacy_number", "{incident}");
    assert_eq!(incident["channel"]["dialed"], "112", "{incident}");
    assert_eq!(
        incident["closure"]["summary"], "Tas kembali, pelaku diamankan Polsek Menteng.",
        "{incident}"
    );
    assert_eq!(
        incident["location"]["district"], "31.71.01",
        "relocated to Gambir: {incident}"
    );
    Ok(())
}

/// Acceptance of the console: one call on a legacy number, intake to closing, keyboard only; the timeline on
/// screen and the central's record; then the command palette opens a page.
#[tokio::test(flavor = "current_thread")]
async fn a_call_on_a_legacy_number_goes_through_the_whole_flow_with_the_keyboard_only() -> Result<()> {
    let (central, desk) = signed_in_desk("sari", "supervisor").await?;
    // The map is shown; n works from here.
    desk.wait_for_css("#page[data-page='map']").await?;
    let id = whole_flow_by_keyboard(&desk).await?;
    wait_for_timeline(&desk, "Confirmed").await?;
    let last = desk
        .text("#detail-timeline .timeline-entry:last-child .timeline-detail")
        .await?;
    assert!(last.contains("Tas kembali"), "{last}");
    desk.screenshot("incident-detail-keyboard-flow").await?;
    central_has_the_whole_flow(&central, &id).await?;

    // Ctrl+K: the palette reaches every page by a word of its name.
    ctrl(&desk, 'k').await?;
    wait_for_focus(&desk, "palette-input").await?;
    press(&desk, "analitik").await?;
    desk.wait_for_text("#palette-list .palette-entry.active", |t| t.contains("Analitik"))
        .await?;
    desk.screenshot("command-palette").await?;
    press(&desk, ENTER).await?;
    desk.wait_for_css("#page[data-page='analytics']").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}

/// The same call with the central down from intake to closing: every step waits in the outbox (shown
/// as pending), nothing is refused, and once the central returns the desk converges: every step
/// confirmed, the central's record whole.
#[tokio::test(flavor = "current_thread")]
async fn the_whole_flow_works_with_the_central_down_and_converges_when_it_returns() -> Result<()> {
    let (mut central, desk) = signed_in_desk("sari", "supervisor").await?;
    desk.wait_for_css("#page[data-page='map']").await?;
    // The routing table reaches the desk while the central is up (intake names 112 from it offline).
    desk.click("#nav-incidents").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        desk.type_into("#report-dialed", "112").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        if desk
            .client
            .find(fantoccini::Locator::Css(
                "#report-dialed-note[data-state='legacy']",
            ))
            .await
            .is_ok()
        {
            break;
        }
        if Instant::now() > deadline {
            bail!("the desk never received the routing table");
        }
    }
    choose(&desk, "#report-dialed", "").await?;
    desk.click("#nav-map").await?;
    central.stop().await?;
    let id = whole_flow_by_keyboard(&desk).await?;
    wait_for_timeline(&desk, "Pending").await?;
    desk.screenshot("incident-detail-keyboard-flow-offline").await?;
    central.resume().await?;
    wait_for_timeline(&desk, "Confirmed").await?;
    central_has_the_whole_flow(&central, &id).await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}

async fn sign_in(desk: &Desk, user: &str) -> Result<()> {
    desk.sign_in(user, PASSWORD).await
}

/// A fresh central with one Polda Metro Jaya account `user` of `role`, and a desk window signed in as it.
async fn signed_in_desk(user: &str, role: &str) -> Result<(Central, Desk)> {
    let central = Central::start().await?;
    central.create_operator(user, role).await?;
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &central.url())]).await?;
    sign_in(&desk, user).await?;
    Ok((central, desk))
}

/// Opens the received queue with `1` and its first call with `j`; its id.
async fn open_first_received(desk: &Desk) -> Result<String> {
    press(desk, "1").await?;
    desk.wait_for_css("#incident-list[data-stage='received']").await?;
    press(desk, "j").await?;
    Ok(desk
        .wait_for_css("#incident-detail[data-status='received']")
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default())
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
    let (central, desk) = signed_in_desk("sari", "supervisor").await?;

    desk.click("#nav-incidents").await?;
    desk.type_into("#report-description", "Tawuran pelajar di depan halte Tosari")
        .await?;
    choose(&desk, "#report-category", "brawl").await?;
    // Weapons are seen: the operator raises the brawl's default priority (2) to 1; lower is not offered.
    desk.wait_for_css("#report-priority option[value='1']").await?;
    assert!(desk
        .client
        .find(fantoccini::Locator::Css("#report-priority option[value='3']"))
        .await
        .is_err());
    choose(&desk, "#report-priority", "1").await?;
    desk.click("#report-submit").await?;
    desk.wait_for_text("#report-message", |t| t.contains("tersimpan"))
        .await?;
    // The form is empty for the next call, its category too (a kept category would go with the next report).
    let category = desk
        .client
        .execute("return document.querySelector('#report-category').value;", vec![])
        .await?;
    assert_eq!(category, "", "the category is cleared with the form");
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
    // The reporter could not be reached to check the report: recorded with a reason, refused without one.
    choose(&desk, "#detail-validation-outcome", "unreachable").await?;
    desk.click("#detail-validate").await?;
    desk.wait_for_text("#detail-error", |t| t.contains("alasan wajib diisi"))
        .await?;
    desk.type_into(
        "#detail-validation-reason",
        "Ditelepon balik dua kali, tidak diangkat",
    )
    .await?;
    desk.click("#detail-validate").await?;
    let validation = desk
        .wait_for_text("#detail-validation", |t| t.contains("tidak dapat dihubungi"))
        .await?;
    assert!(validation.contains("tidak diangkat"), "{validation}");
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

    // The timeline: the seven steps in order, each confirmed once the desk has synced.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let entries = desk
            .client
            .find_all(fantoccini::Locator::Css(
                "#detail-timeline .timeline-entry[data-standing='Confirmed']",
            ))
            .await?;
        if entries.len() == 7 {
            break;
        }
        if Instant::now() > deadline {
            bail!("{} of 7 steps confirmed in the timeline", entries.len());
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
            "Validate",
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
    assert_eq!(at_central["priority"], "critical", "{at_central}");
    assert_eq!(
        at_central["validation"]["outcome"], "unreachable",
        "the validation reaches the central: {at_central}"
    );
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
    let (central, desk) = signed_in_desk("budi", "operator1").await?;
    desk.click("#nav-incidents").await?;
    report(&desk, "Copet di halte Harmoni").await?;
    desk.type_into("#report-caller", "0812 7777 8888").await?;
    report(&desk, "Penelepon diam, lalu tertawa").await?;
    desk.wait_for_text("#queue-received .count", |t| t == "2").await?;
    // Leave the description field, so keys are shortcuts, not text.
    desk.click("#incident-list .card-header").await?;

    press(&desk, "?").await?;
    desk.wait_for_css("#shortcut-help").await?;
    desk.screenshot("shortcut-help").await?;
    press(&desk, "?").await?;

    let first = open_first_received(&desk).await?;
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
    // The same number calls again: as its number is typed, the form shows the earlier call closed as a
    // prank (advisory: the call is taken all the same). n: a new call (the detail steps aside).
    press(&desk, "n").await?;
    wait_for_focus(&desk, "report-description").await?;
    desk.type_into("#report-caller", "081277778888").await?;
    let history = desk
        .wait_for_css("#report-caller-history[data-calls='1'][data-prank='1']")
        .await?;
    assert!(history.attr("class").await?.unwrap_or_default().contains("prank"));
    desk.screenshot("intake-caller-history-prank").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}

/// Two calls about one event (a fight at the same station, minutes apart): the second is closed as a duplicate
/// of the first with `d` and Enter — the nearby open incident is already chosen — and the central records which.
#[tokio::test(flavor = "current_thread")]
async fn a_second_call_about_the_same_event_is_closed_as_its_duplicate_with_the_keyboard() -> Result<()> {
    let (central, desk) = signed_in_desk("budi", "operator1").await?;
    desk.click("#nav-incidents").await?;
    report(&desk, "Perkelahian di peron, dua orang terluka").await?;
    report(&desk, "Ada keributan di peron stasiun").await?;
    desk.wait_for_text("#queue-received .count", |t| t == "2").await?;
    // The rail counts the calls waiting to be classified; the list filters by category.
    desk.wait_for_text("#rail-waiting", |t| t == "2").await?;
    choose(&desk, "#filter-category", "fire").await?;
    wait_for_rows(&desk, 0).await?;
    choose(&desk, "#filter-category", "").await?;
    wait_for_rows(&desk, 2).await?;
    press(&desk, ESCAPE).await?;
    let first = open_first_received(&desk).await?;
    press(&desk, "j").await?;
    let second = desk
        .wait_for_css(&format!("#incident-detail:not([data-id='{first}'])"))
        .await?
        .attr("data-id")
        .await?
        .unwrap_or_default();
    // d: the nearby calls are asked for, and the first call is offered (already chosen) as the original.
    press(&desk, "d").await?;
    wait_for_focus(&desk, "detail-duplicate-of").await?;
    desk.wait_for_css(&format!("#detail-duplicate-of option[value='{first}']"))
        .await?;
    desk.screenshot("incident-detail-duplicate").await?;
    press(&desk, ENTER).await?;
    desk.wait_for_css(&format!(
        "#incident-detail[data-id='{second}'][data-status='closed']"
    ))
    .await?;
    let closed = central_record(&central, &second, |i| i["status"] == "closed").await?;
    assert_eq!(closed["closure"]["reason"]["kind"], "duplicate", "{closed}");
    assert_eq!(closed["closure"]["reason"]["of"], first.as_str(), "{closed}");
    desk.assert_no_fatal_error().await?;
    desk.close().await
}

/// A fire: classified, then handed to the fire service with `g` (the category names it) while the police flow
/// goes on; the detail and the central's record say so.
#[tokio::test(flavor = "current_thread")]
async fn a_fire_is_handed_to_the_fire_service_with_one_key() -> Result<()> {
    let (central, desk) = signed_in_desk("sari", "supervisor").await?;
    desk.click("#nav-incidents").await?;
    desk.type_into("#report-description", "Asap tebal dari ruko di dekat stasiun")
        .await?;
    choose(&desk, "#report-category", "fire").await?;
    desk.save_report().await?;
    press(&desk, ESCAPE).await?;
    let id = open_first_received(&desk).await?;
    press(&desk, "c").await?;
    desk.wait_for_css("#incident-detail[data-status='classified']")
        .await?;
    press(&desk, "g").await?;
    wait_for_focus(&desk, "detail-agency-button").await?;
    press(&desk, ENTER).await?;
    let handed = desk
        .wait_for_text("#detail-agencies", |t| t.contains("Pemadam Kebakaran"))
        .await?;
    assert_eq!(handed, "Pemadam Kebakaran (113)");
    // Once handed, the step says so instead of offering it again; the police flow is still open.
    desk.wait_for_css("#detail-agency-button[disabled]").await?;
    desk.wait_for_css("#incident-detail[data-status='classified']")
        .await?;
    desk.screenshot("incident-detail-agency").await?;
    let handed = central_record(&central, &id, |i| i["agencies"][0] == "fire_service").await?;
    assert_eq!(handed["status"], "classified", "{handed}");
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
    let (central, desk) = signed_in_desk("dimas", "operator1").await?;
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
