//! A field office's first run, through the real window: a new desk opens on its setup screen (never on a
//! desk with nowhere to send reports); the address and certificate fingerprint of a central served over HTTPS
//! with a self-signed certificate are typed in, checked against that very central (a wrong fingerprint is
//! named, plain http to another computer refused), the Polda and Polres chosen; saving writes the setup file
//! and restarts the desk, which then works with that central over the pinned TLS. A setup file broken
//! afterwards brings the setup screen back with what is wrong, instead of a crash.

use anyhow::{ensure, Context, Result};
use fantoccini::Locator;
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn app() -> Result<PathBuf> {
    Ok(PathBuf::from(
        std::env::var("SIAGA_APP_BIN").context("SIAGA_APP_BIN must name the siaga binary")?,
    ))
}

/// The pids of the desk binaries (`siaga`) in a process group.
fn desk_pids(group: u32) -> Vec<u32> {
    let out = std::process::Command::new("pgrep")
        .args(["-g", &group.to_string(), "-x", "siaga"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    out.split_whitespace()
        .filter_map(|pid| pid.parse().ok())
        .collect()
}

async fn select(desk: &Desk, css: &str, value: &str) -> Result<()> {
    let element = desk.wait_for_css(css).await?;
    element
        .select_by_value(value)
        .await
        .with_context(|| format!("choosing {value} in {css}"))
}

#[tokio::test(flavor = "current_thread")]
async fn a_new_desk_is_set_up_against_its_https_central_and_then_works_with_it() -> Result<()> {
    let central = Central::start_tls().await?;
    central.create_operator("petugas-polres", "operator1").await?;
    let fingerprint = central.fingerprint().context("an https central")?.to_owned();
    let config = tempfile::tempdir()?;
    let config_home = config.path().to_str().context("a UTF-8 temp path")?;
    let setup_file = config.path().join("siaga-110").join("desk-setup.json");

    let desk = Desk::launch_first_run(&app()?, &[("XDG_CONFIG_HOME", config_home)]).await?;
    ensure!(
        desk.client.find(Locator::Id("app-shell")).await.is_err(),
        "a desk without a setup shows no desk behind its setup screen"
    );
    assert_eq!(desk.text("#setup-title").await?, "Pengaturan desk Siaga 110");
    desk.screenshot("first-run-setup").await?;

    // Plain http to another computer: refused under its field, nothing written.
    desk.type_into("#setup-central-url", "http://10.20.30.40:8110")
        .await?;
    select(&desk, "#setup-polda", "metro_jaya").await?;
    desk.click("#setup-save").await?;
    let refused = desk
        .wait_for_text("#desk-setup .form-error", |t| !t.is_empty())
        .await?;
    ensure!(refused.contains("https://"), "{refused}");
    ensure!(!setup_file.exists(), "a refused setup was written");

    // The right address with another certificate's fingerprint: the check names what the server shows.
    desk.type_into("#setup-central-url", &central.url()).await?;
    let impostor = format!("{}CD", "AB:".repeat(31));
    desk.type_into("#setup-fingerprint", &impostor).await?;
    desk.click("#setup-check").await?;
    let mismatch = desk
        .wait_for_text("#setup-check-result", |t| !t.is_empty())
        .await?;
    ensure!(
        mismatch.contains("bukan yang disematkan") && mismatch.contains(&fingerprint),
        "{mismatch}"
    );

    // The fingerprint siaga-central logs (openssl prints the same): the check reaches the central.
    desk.type_into("#setup-fingerprint", &fingerprint).await?;
    desk.click("#setup-check").await?;
    desk.wait_for_text("#setup-check-result", |t| t.starts_with("Tersambung"))
        .await?;
    select(&desk, "#setup-polres", "3171").await?;
    desk.screenshot("first-run-setup-checked").await?;

    let before_restart = desk_pids(desk.process_group());
    ensure!(
        !before_restart.is_empty(),
        "no desk process in the driver's group"
    );
    desk.click("#setup-save").await?;
    desk.wait_for_css("#setup-saved").await?;
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&setup_file)?)?;
    assert_eq!(saved["centralUrl"], central.url());
    assert_eq!(saved["centralFingerprint"], fingerprint);
    assert_eq!(saved["polda"], "metro_jaya");
    assert_eq!(saved["polres"], 3171);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&setup_file)?.permissions().mode() & 0o777,
            0o600
        );
    }
    // The desk restarts itself on the new setup: a new desk process replaces the one that saved.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = desk_pids(desk.process_group());
        if now.iter().any(|pid| !before_restart.contains(pid)) {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "the desk did not restart after saving its setup"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(desk); // its WebDriver session went with the old process; the group (and the restarted desk) ends

    // Started again as the menu starts it: the setup file names the central; the desk works with it.
    let desk = Desk::launch_binary(
        &app()?,
        &[("XDG_CONFIG_HOME", config_home), ("SIAGA_CENTRAL_URL", "")],
    )
    .await?;
    desk.sign_in("petugas-polres", PASSWORD).await?;
    desk.wait_for_text("#connection-state", |t| t.contains("Daring"))
        .await?;
    desk.click("#nav-settings").await?;
    let facts = desk.text("#desk-setup-facts").await?;
    ensure!(
        facts.contains(&central.url())
            && facts.contains(&fingerprint)
            && facts.contains("Metro Jakarta Pusat"),
        "{facts}"
    );
    desk.screenshot("first-run-settings").await?;
    // Pengaturan opens the same screen over the working desk, filled in; Batal leaves everything as it was.
    desk.click("#desk-setup-change").await?;
    let typed = desk
        .client
        .execute(
            "return document.querySelector('#setup-central-url').value;",
            vec![],
        )
        .await?;
    assert_eq!(typed.as_str(), Some(central.url().as_str()));
    desk.click("#setup-cancel").await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while desk.client.find(Locator::Id("desk-setup")).await.is_ok() {
        ensure!(Instant::now() < deadline, "Batal did not close the setup screen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    desk.close().await?;

    // The file broken by hand: the setup screen says what is wrong, and the old file is kept.
    std::fs::write(&setup_file, "{\"format\": 1, \"centralUrl\": ")?;
    let desk = Desk::launch_first_run(&app()?, &[("XDG_CONFIG_HOME", config_home)]).await?;
    let problem = desk.text("#setup-problem").await?;
    ensure!(
        problem.contains("tidak dapat dipakai") && problem.contains(&setup_file.display().to_string()),
        "{problem}"
    );
    desk.screenshot("first-run-broken-setup").await?;
    desk.close().await?;
    ensure!(
        Path::new(&setup_file).exists(),
        "the broken file is left for the admin to read"
    );
    Ok(())
}
