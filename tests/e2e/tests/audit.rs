//! The Polda's audit trail in the supervisor's window: Pengaturan reads the trail from the real central and
//! verifies it on the desk — intact, with the central's signed heads kept — and after an intruder edits one
//! entry in the central's database, the same button names that entry as changed and marks its row.

use anyhow::{Context, Result};
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use sqlx::Connection;

/// Presses "Baca dan periksa" until the verdict shown accepts (the answer replaces the verdict, so a read
/// may meet the element it replaced: read again).
async fn check_until(desk: &Desk, accept: impl Fn(&str) -> bool) -> Result<String> {
    let deadline = std::time::Instant::now() + siaga_e2e::UI_TIMEOUT;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        desk.click("#audit-check").await?;
        for _ in 0..20 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if let Ok(verdict) = desk.text("#audit-verdict").await {
                if accept(&verdict) {
                    return Ok(verdict);
                }
                last = verdict;
            }
        }
    }
    anyhow::bail!("the audit verdict stayed {last:?}")
}

#[tokio::test(flavor = "current_thread")]
async fn a_supervisor_sees_the_trail_intact_then_the_entry_an_intruder_edited() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("sari", "supervisor").await?;
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &central.url())]).await?;
    desk.sign_in("sari", PASSWORD).await?;
    desk.click("#nav-settings").await?;

    // Intact, once the central has signed a head of the chain (every second in these tests).
    let verdict = check_until(&desk, |v| {
        v.starts_with("Rantai utuh") && !v.contains(" 0 kepala")
    })
    .await?;
    assert!(verdict.contains("entri diperiksa"), "{verdict}");
    let rows = desk.text("#audit-rows tbody").await?;
    assert!(
        rows.contains("sari (supervisor)") && rows.contains("sign_in"),
        "{rows}"
    );
    desk.screenshot("audit-trail-intact").await?;

    // An intruder with the database changes what the first entry of the Polda's chain says.
    let mut db = sqlx::SqliteConnection::connect(central.database()).await?;
    let changed = sqlx::query(
        "UPDATE audit_log SET detail = 'tidak pernah terjadi' WHERE chain = 'metro_jaya' AND seq = 1",
    )
    .execute(&mut db)
    .await?
    .rows_affected();
    assert_eq!(changed, 1);
    db.close().await?;

    let verdict = check_until(&desk, |v| v.starts_with("Rantai RUSAK")).await?;
    assert!(verdict.contains("Entri #1 diubah"), "{verdict}");
    desk.wait_for_css("#audit-rows tr.audit-bad[data-seq='1']")
        .await
        .context("the edited entry's row is marked")?;
    desk.screenshot("audit-trail-broken").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}
