//! The Layanan Warga page through the real window: the simulator's 110 app submits an SKCK, and the app a report
//! of a lost passport, to a real central; a Metro Jaya supervisor's desk shows both in the queue, the SKCK's NIK check
//! beside what the citizen stated and the photo on demand; review, validation and approval follow the
//! domain's rules; issuing without the signing officer's name is refused in Indonesian, then issues the
//! letter, whose signed PDF the desk saves and which verifies against the central's published keys; the
//! passport report shows that the office must make it, and is rejected with a reason. The saved letter is
//! rendered by poppler, its QR code read by zbar and its URL opened by the central and by headless Chromium;
//! a copy with one byte changed is tampered. Screenshots: `citizen-detail`, `citizen-issued`,
//! `citizen-rejected`, and the letter's page `citizen-letter-page`.

use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

async fn submit(central: &Central, app_token: &str, body: Value) -> Result<()> {
    let response = siaga_tls::client()
        .post(format!("{}/v1/services/requests", central.url()))
        .bearer_auth(app_token)
        .json(&body)
        .send()
        .await?;
    if response.status().as_u16() != 201 {
        bail!(
            "the central refused a request: {} {}",
            response.status(),
            response.text().await?
        );
    }
    Ok(())
}

fn applicant(serial: u16) -> Value {
    // A woman born 12 March 1990 in Gambir, Jakarta Pusat (day 12 + 40 = 52).
    json!({"nik": format!("317101520390{serial:04}"), "fullName": "Siti Rahayu Ningsih", "birthPlace": "Jakarta",
           "birthDate": "1990-03-12", "address": "Jl. Medan Merdeka Barat No. 12, Gambir, Jakarta Pusat"})
}

/// Runs a Debian tool (poppler-utils, zbar-tools, chromium: installed by `./dev test`) and answers its stdout.
fn run(program: &str, args: &[&str]) -> Result<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .with_context(|| format!("running {program}"))?;
    if !out.status.success() {
        bail!("{program} failed: {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Where the e2e screenshots go (the letter's page is kept beside them, to look at).
fn desk_screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(
        std::env::var("SIAGA_SCREENSHOT_DIR").unwrap_or_else(|_| "target/e2e".into()),
    );
    let _ = std::fs::create_dir_all(&dir);
    dir
}

async fn wait_status(desk: &Desk, status: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let detail = desk.wait_for_css("#citizen-detail").await?;
        if detail.attr("data-status").await?.as_deref() == Some(status) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the request never reached {status}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_officer_reviews_issues_and_saves_a_signed_letter_and_rejects_an_office_only_loss() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("app-110", "app").await?;
    central.create_operator("sri", "supervisor").await?;
    let app = central.login("app-110").await?;
    // The SKCK comes from the simulator's 110 app (seeded: the first SKCK it makes for Metro Jaya).
    let today = time::OffsetDateTime::now_utc().date();
    let mut rng = siaga_sim::model::Rng::new(110);
    let request = loop {
        let body = siaga_sim::citizen::request(&mut rng, siaga_domain::PoldaId::MetroJaya, today, "warga-1")
            .context("Metro Jaya has Polres")?;
        if body["request"]["details"]["kind"] == "skck" {
            break body;
        }
    };
    let skck = request["request"]["id"].as_str().context("id")?.to_owned();
    let stated = &request["request"]["applicant"];
    let (name, nik) = (
        stated["fullName"].as_str().context("name")?.to_owned(),
        stated["nik"].as_str().context("nik")?.to_owned(),
    );
    let birth = stated["birthDate"].as_str().context("birth date")?;
    let birth_shown = format!("{}-{}-{}", &birth[8..10], &birth[5..7], &birth[..4]);
    let sex_shown = if nik[6..8].parse::<u8>()? > 40 {
        "Perempuan"
    } else {
        "Laki-laki"
    };
    let polres_digits = request["request"]["polres"]
        .as_str()
        .context("polres")?
        .replace('.', "");
    submit(&central, &app, request.clone()).await?;
    let loss = uuid::Uuid::now_v7().to_string();
    submit(&central, &app, json!({
        "request": {"id": loss, "polres": "31.71", "applicant": applicant(2),
                    "details": {"kind": "loss_report", "items": ["passport", "wallet"], "place": "Stasiun MRT Bundaran HI",
                                "lostOn": format!("{:04}-{:02}-{:02}", today.year(), today.month() as u8, today.day()),
                                "chronology": "Tas berisi paspor dan dompet tertinggal di kereta MRT arah Lebak Bulus."}},
        "citizenRef": "warga-2"}))
    .await?;

    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "sri").await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "sri").await?;
    desk.click("#nav-citizen").await?;
    desk.wait_for_text("#citizen-queue-submitted .count", |t| t == "2")
        .await?;

    // The SKCK: what the NIK says beside what the citizen stated, and the photo on demand.
    desk.click(&format!("li.citizen-row[data-id='{skck}']")).await?;
    let check = desk
        .wait_for_text("#citizen-nik-check", |t| t.contains(sex_shown))
        .await?;
    assert!(check.contains(&birth_shown), "{check}");
    // The NIK masked (its region digits kept) until the officer reveals it, which is recorded.
    assert_eq!(
        desk.text("#citizen-nik").await?,
        format!("{}{}", &nik[..6], "*".repeat(10))
    );
    desk.screenshot("citizen-nik-masked").await?;
    desk.click("#citizen-reveal-nik").await?;
    desk.wait_for_text("#citizen-nik", |t| t == nik).await?;
    desk.click("#citizen-show-photo").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while desk
        .client
        .execute(
            "const i = document.querySelector('#citizen-photo'); return i ? i.naturalWidth : 0;",
            vec![],
        )
        .await?
        .as_u64()
        != Some(300)
    {
        if Instant::now() > deadline {
            bail!("the photo was never shown");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    desk.screenshot("citizen-detail").await?;

    for (button, status) in [
        ("#citizen-start_review", "in_review"),
        ("#citizen-validate", "validated"),
        ("#citizen-approve", "approved"),
    ] {
        desk.click(button).await?;
        wait_status(&desk, status).await?;
    }
    // Issuing names the signing officer: refused in the officer's language without one.
    desk.click("#citizen-issue").await?;
    desk.wait_for_text("#citizen-detail-error", |t| t.contains("Nama petugas"))
        .await?;
    desk.type_into("#citizen-officer-name", "Budi Santoso").await?;
    desk.type_into("#citizen-officer-nrp", "78051234").await?;
    desk.click("#citizen-issue").await?;
    wait_status(&desk, "issued").await?;
    let number = desk
        .wait_for_text("#citizen-letter-number", |t| !t.is_empty())
        .await?;
    assert!(
        number.starts_with("SKCK/0001/") && number.ends_with(&format!("/INTELKAM/RES.{polres_digits}")),
        "{number}"
    );
    desk.click("#citizen-save-letter").await?;
    let saved = desk
        .wait_for_text("#citizen-saved .mono", |t| t.ends_with(".pdf"))
        .await?;
    let pdf = std::fs::read(&saved).with_context(|| format!("reading {saved}"))?;
    let keys: Value = siaga_tls::client()
        .get(format!("{url}/v1/letters/keys"))
        .send()
        .await?
        .json()
        .await?;
    let keys: Vec<siaga_letter::PublicKey> = keys["keys"]
        .as_array()
        .context("keys")?
        .iter()
        .filter_map(|k| siaga_letter::PublicKey::from_hex(k["publicKey"].as_str()?).ok())
        .collect();
    let letter = siaga_letter::verify_pdf(&pdf, &keys).map_err(|e| anyhow::anyhow!("{e}"))?;
    assert!(letter.fields.contains(&("number".to_owned(), number.clone())));
    // A copy with one byte of the holder's name changed is tampered.
    let at = pdf
        .windows(name.len())
        .position(|w| w == name.as_bytes())
        .context("the name in the PDF")?;
    let mut edited = pdf.clone();
    edited[at + 3] ^= 0x01;
    assert_eq!(
        siaga_letter::verify_pdf(&edited, &keys),
        Err(siaga_letter::VerifyError::Tampered)
    );

    // The printed page: rendered by poppler, its QR code read by zbar, its URL answered by the central, as
    // JSON and as the page a phone's browser shows (Chromium from Debian, headless).
    let work = tempfile::tempdir()?;
    let page = work.path().join("letter");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            &saved,
            page.to_str().context("path")?,
        ],
    )?;
    let png = work.path().join("letter.png");
    std::fs::copy(&png, desk_screenshot_dir().join("citizen-letter-page.png")).ok();
    let scanned = run("zbarimg", &["--quiet", "--raw", png.to_str().context("path")?])?;
    let verify_url = scanned.trim().to_owned();
    assert!(
        verify_url.starts_with(&format!("{url}/v1/letters/")),
        "{verify_url}"
    );
    let answer: Value = siaga_tls::client().get(&verify_url).send().await?.json().await?;
    assert_eq!(answer["verdict"], "valid", "{answer}");
    assert_eq!(answer["number"], number.as_str());
    let profile = work.path().join("chromium");
    let dom = run(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &verify_url,
        ],
    )?;
    assert!(
        dom.contains("data-verdict=\"valid\"") && dom.contains("SAH"),
        "{dom}"
    );
    let last = if verify_url.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &verify_url[..verify_url.len() - 1]);
    let dom = run(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &forged,
        ],
    )?;
    assert!(
        dom.contains("data-verdict=\"tampered\"") && dom.contains("TIDAK SAH"),
        "{dom}"
    );
    desk.client
        .execute(
            "document.querySelector('#citizen-letter').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    desk.screenshot("citizen-issued").await?;

    // The lost passport: the office must make it; rejected with a reason, in the finished queue after.
    desk.click(&format!("li.citizen-row[data-id='{loss}']")).await?;
    let flags = desk
        .wait_for_text("#citizen-flags", |t| t.contains("Paspor"))
        .await?;
    assert!(flags.contains("datang"), "{flags}");
    desk.click("#citizen-start_review").await?;
    wait_status(&desk, "in_review").await?;
    desk.client
        .execute(
            "const s = document.querySelector('#citizen-reason'); s.value = '7'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    desk.type_into(
        "#citizen-note",
        "Paspor diurus langsung di Polres dengan surat dari imigrasi",
    )
    .await?;
    desk.click("#citizen-reject").await?;
    wait_status(&desk, "rejected").await?;
    let history = desk.text("#citizen-history").await?;
    assert!(
        history.contains("Ditolak") && history.contains("Lainnya") && history.contains("surat dari imigrasi"),
        "{history}"
    );
    desk.click("#citizen-queue-done").await?;
    desk.wait_for_text("#citizen-queue-done .count", |t| t == "2")
        .await?;
    desk.screenshot("citizen-rejected").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}
