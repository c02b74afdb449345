//! The citizen's web page that the central serves (`/warga`), in a real headless Chromium from Debian: a
//! citizen fills in an SKCK request with a passport photo; a birth date that contradicts the NIK is
//! refused in Indonesian and nothing is lost from the form; the corrected request is sent and the page
//! shows the tracking code; in English, ticking a lost BPKB says at once that the letter is made in
//! person. Officers of the Polda review, validate, approve and issue it through the central's API; the
//! page then shows the request issued and downloads the letter, whose bytes verify against the
//! central's published keys. Screenshots: `warga-refused`, `warga-sent`, `warga-loss-en`, `warga-issued`.

use anyhow::{Context as _, Result};
use serde_json::{json, Value};
use siaga_e2e::browser::Browser;
use siaga_e2e::central::Central;
use std::time::{Duration, Instant};

/// The fixture passport photo the simulator's app sends.
const PASFOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../crates/siaga-sim/assets/pasfoto.jpg"
);

async fn act(central: &Central, token: &str, id: &str, body: Value) -> Result<()> {
    let response = siaga_tls::client()
        .post(format!("{}/v1/services/requests/{id}/actions", central.url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{body}: {} {}",
        response.status(),
        response.text().await?
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_requests_follows_and_downloads_a_letter_in_chromium() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("spkt-warga", "spkt_officer").await?;
    central.create_operator("pengawas-warga", "supervisor").await?;
    let browser = Browser::launch().await?;
    browser.client.goto(&format!("{}/warga", central.url())).await?;
    browser.wait_visible("#request-form").await?;
    let title = browser.wait_for_text("#form-title", |t| !t.is_empty()).await?;
    assert_eq!(title, "Permohonan SKCK");

    // A woman born 12 March 1990 in Gambir, Jakarta Pusat (day 12 + 40 = 52); she types 1991.
    browser
        .client
        .execute(
            "const s = document.querySelector('#polres'); s.value = '31.71'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    browser.type_into("#nik", "3171015203900007").await?;
    browser.type_into("#fullName", "Siti Rahayu Ningsih").await?;
    browser.type_into("#birthPlace", "Jakarta").await?;
    browser.set_value("#birthDate", "1991-03-12").await?;
    browser
        .type_into(
            "#address",
            "Jl. Medan Merdeka Barat No. 12, Gambir, Jakarta Pusat",
        )
        .await?;
    browser
        .type_into("#purposeNote", "PT Kereta Api Indonesia")
        .await?;
    let photo = std::fs::canonicalize(PASFOTO).context("the fixture photo")?;
    browser
        .client
        .find(fantoccini::Locator::Css("#photo"))
        .await?
        .send_keys(photo.to_str().context("photo path")?)
        .await?;
    browser.click("#send").await?;
    let problems = browser.wait_for_text("#problems", |t| !t.is_empty()).await?;
    assert!(
        problems.contains("NIK"),
        "the refusal is in Indonesian and names the NIK: {problems}"
    );
    let code: Value = browser
        .client
        .execute(
            "return document.querySelector('#problems li').dataset.code;",
            vec![],
        )
        .await?;
    assert_eq!(code, "birth_date_contradicts_nik");
    let kept: Value = browser
        .client
        .execute("return document.querySelector('#fullName').value;", vec![])
        .await?;
    assert_eq!(kept, "Siti Rahayu Ningsih", "nothing typed is lost");
    browser.screenshot("warga-refused").await?;

    browser.set_value("#birthDate", "1990-03-12").await?;
    browser.click("#send").await?;
    let tracking = browser
        .wait_for_text("#receipt-code", |t| t.len() == 36 + 1 + 32)
        .await?;
    let (id, _receipt) = tracking.split_once('.').context("id.receipt")?;
    browser.screenshot("warga-sent").await?;

    // In English, a lost BPKB says at once that the letter is made in person.
    browser.click("#lang").await?;
    browser.click("#tab-loss").await?;
    browser.wait_visible("#loss-fields").await?;
    assert_eq!(
        browser.wait_for_text("#form-title", |t| !t.is_empty()).await?,
        "Report of loss"
    );
    browser.click("#items input[value='bpkb']").await?;
    let notice = browser.wait_for_text("#loss-visit", |t| !t.is_empty()).await?;
    assert!(notice.contains("in person"), "{notice}");
    browser
        .client
        .execute(
            "document.querySelector('#loss-visit').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    browser.screenshot("warga-loss-en").await?;
    browser.click("#lang").await?;

    // The officers of Polda Metro Jaya take it to a letter.
    let spkt = central.login("spkt-warga").await?;
    let supervisor = central.login("pengawas-warga").await?;
    act(&central, &spkt, id, json!({"action": "start_review"})).await?;
    act(&central, &spkt, id, json!({"action": "validate"})).await?;
    act(&central, &supervisor, id, json!({"action": "approve"})).await?;
    let officer = json!({"name": "Budi Santoso", "rank": "AKP", "nrp": "78051234"});
    act(
        &central,
        &spkt,
        id,
        json!({"action": "issue", "officer": officer}),
    )
    .await?;

    // "Permohonan saya" shows it issued (reopening the tab reads it again at once).
    let issued = format!("article.request[data-id='{id}'] .status[data-status='issued']");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        browser.click("#tab-track").await?;
        if browser.wait_visible(&issued).await.is_ok() {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the page never showed the request issued"
        );
    }
    let status = browser.wait_for_text(&issued, |t| !t.is_empty()).await?;
    assert_eq!(status, "Terbit");
    let card = browser
        .wait_for_text(&format!("article.request[data-id='{id}']"), |t| {
            t.contains("SKCK/")
        })
        .await?;
    assert!(
        !card.contains("spkt-warga"),
        "no officer names for the citizen: {card}"
    );
    browser
        .click(&format!("article.request[data-id='{id}'] button.download"))
        .await?;
    browser.wait_visible("a.letter-file").await?;
    let card = browser
        .wait_for_text(&format!("article.request[data-id='{id}'] .letter"), |t| {
            t.contains("Berlaku sampai")
        })
        .await?;
    // Dated by the central's clock (any day): written in Indonesian, never as an ISO date.
    const MONTHS: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    assert!(
        MONTHS.iter().any(|month| card.contains(month)) && !card.contains("-0") && !card.contains("-1"),
        "the letter's dates in Indonesian: {card}"
    );
    browser
        .client
        .execute(
            "document.querySelector('a.letter-file').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    browser.screenshot("warga-issued").await?;
    let pdf: Value = browser
        .client
        .execute_async(
            "const done = arguments[0]; \
             fetch(document.querySelector('a.letter-file').href).then(r => r.arrayBuffer()) \
               .then(b => done(Array.from(new Uint8Array(b)))).catch(e => done(String(e)));",
            vec![],
        )
        .await?;
    let pdf: Vec<u8> = serde_json::from_value(pdf).context("the letter's bytes")?;
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let keys: Value = siaga_tls::client()
        .get(format!("{}/v1/letters/keys", central.url()))
        .send()
        .await?
        .json()
        .await?;
    let keys: Vec<siaga_letter::PublicKey> = keys["keys"]
        .as_array()
        .context("keys")?
        .iter()
        .filter_map(|key| siaga_letter::PublicKey::from_hex(key["publicKey"].as_str()?).ok())
        .collect();
    siaga_letter::verify_pdf(&pdf, &keys).context("the downloaded letter verifies")?;
    browser.close().await?;
    Ok(())
}
