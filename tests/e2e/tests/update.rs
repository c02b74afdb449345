//! Updates from the Polda's own central, through the real window: an admin keeps a signed release with
//! `siaga-central add-release`; the signed-in desk is offered it at once (the status bar's badge, the notes in
//! Pengaturan), downloads it and finds it matches the release's signature. A package altered at the central
//! after it was kept is refused when downloaded, with the reason, and never made ready; a release signed by a
//! key the desk does not trust is not offered, and says so.

use anyhow::{ensure, Result};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use siaga_update::{package_digest, public_key_line, sign, Manifest, SigningKey};
use sqlx::Connection as _;
use std::path::Path;

const PLATFORM: &str = "linux-x86_64-deb";

/// Writes a release of `version` signed with `key` beside its package, and keeps it at the central.
async fn publish(
    central: &Central,
    dir: &Path,
    key: &SigningKey,
    version: &str,
    package: &[u8],
) -> Result<()> {
    let name = format!("siaga-110_{version}_amd64.deb");
    let manifest = Manifest {
        version: version.into(),
        platform: PLATFORM.into(),
        package: name.clone(),
        size: package.len() as u64,
        sha256: package_digest(package),
        notes_id: format!("Versi {version}: peta jalan lebih cepat, panggilan video lebih jernih."),
        notes_en: format!("Version {version}: faster street map, clearer video calls."),
    };
    let release = dir.join(format!("release-{version}.json"));
    std::fs::write(&release, serde_json::to_string_pretty(&sign(&manifest, key))?)?;
    let package_file = dir.join(&name);
    std::fs::write(&package_file, package)?;
    central.add_release(&release, &package_file).await
}

#[tokio::test(flavor = "current_thread")]
async fn a_signed_release_is_offered_and_a_tampered_one_refused() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("petugas-update", "supervisor").await?;
    let files = tempfile::tempdir()?;
    let release_key = SigningKey::from_bytes(&[21; 32]);
    let package: Vec<u8> = (0..1_500_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    publish(&central, files.path(), &release_key, "9.0.0", &package).await?;

    let trusted = public_key_line(&release_key.verifying_key());
    let desk = Desk::launch_with(&[
        ("SIAGA_CENTRAL_URL", &central.url()),
        ("SIAGA_UPDATE_PLATFORM", PLATFORM),
        ("SIAGA_UPDATE_TEST_KEYS", &trusted),
    ])
    .await?;
    desk.sign_in("petugas-update", PASSWORD).await?;
    // Checked right after sign-in: the status bar offers it.
    let badge = desk
        .wait_for_text("#update-badge", |t| t.contains("9.0.0"))
        .await?;
    assert_eq!(badge, "Pembaruan 9.0.0");
    desk.click("#update-badge").await?;
    desk.wait_for_css("main[data-page='settings']").await?;
    assert_eq!(desk.text("#update-offer-version").await?, "9.0.0");
    let notes = desk.text("#update-notes").await?;
    ensure!(notes.contains("peta jalan lebih cepat"), "{notes}");
    desk.click("#update-download").await?;
    desk.wait_for_css("#update-ready").await?;
    let kept = desk
        .xdg_data_home()
        .join("siaga-110/updates/siaga-110_9.0.0_amd64.deb");
    assert_eq!(
        std::fs::read(&kept)?,
        package,
        "the package kept is the one signed"
    );
    desk.screenshot("update-offer").await?;

    // 9.1.0, kept as signed, then altered in the central's database (an intruder, a disk fault).
    publish(
        &central,
        files.path(),
        &release_key,
        "9.1.0",
        &package[..1_000_000],
    )
    .await?;
    let mut db = sqlx::SqliteConnection::connect(central.database()).await?;
    let altered = sqlx::query("UPDATE desk_release SET package = $1 WHERE version = '9.1.0'")
        .bind(vec![0x5a_u8; 1_000_000])
        .execute(&mut db)
        .await?;
    assert_eq!(altered.rows_affected(), 1);
    db.close().await?;
    desk.click("#update-check").await?;
    desk.wait_for_text("#update-offer-version", |t| t == "9.1.0")
        .await?;
    desk.click("#update-download").await?;
    let refused = desk.wait_for_text("#update-refused", |t| !t.is_empty()).await?;
    ensure!(
        refused.contains("bukan yang ditandatangani rilis") && refused.contains("1000000 bita"),
        "{refused}"
    );
    ensure!(desk
        .client
        .find(fantoccini::Locator::Id("update-ready"))
        .await
        .is_err());
    ensure!(
        !desk
            .xdg_data_home()
            .join("siaga-110/updates/siaga-110_9.1.0_amd64.deb")
            .exists(),
        "a refused package is not kept"
    );
    desk.screenshot("update-tampered").await?;

    // 9.2.0 signed by a key the desk does not trust: not offered, and said why.
    publish(
        &central,
        files.path(),
        &SigningKey::from_bytes(&[22; 32]),
        "9.2.0",
        b"elsewhere",
    )
    .await?;
    desk.click("#update-check").await?;
    let untrusted = desk
        .wait_for_text("#update-refused", |t| t.contains("tidak dipercaya"))
        .await?;
    ensure!(untrusted.contains("Laporkan ke admin Polda"), "{untrusted}");
    ensure!(desk
        .client
        .find(fantoccini::Locator::Id("update-offer"))
        .await
        .is_err());
    // The status bar follows within its next poll.
    let deadline = std::time::Instant::now() + siaga_e2e::UI_TIMEOUT;
    while desk
        .client
        .find(fantoccini::Locator::Id("update-badge"))
        .await
        .is_ok()
    {
        ensure!(
            std::time::Instant::now() < deadline,
            "the status bar still offers an update"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desk.close().await
}
