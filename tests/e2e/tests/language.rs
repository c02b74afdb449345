//! The backend answers in the UI's language: with the window switched to English, the errors the desk's
//! backend sends (a refused sign-in, a report the operator flow refuses) are shown in English, and the
//! operator's typed text is kept for correction.

use anyhow::Result;
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;

#[tokio::test(flavor = "current_thread")]
async fn an_english_window_shows_the_backends_errors_in_english() -> Result<()> {
    let mut central = Central::start().await?;
    central.create_operator("dewi", "operator1").await?;
    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    desk.click("#topbar-language-en").await?;
    assert_eq!(desk.root_attribute("lang").await?, "en");

    // A wrong password: the central refuses, the desk's backend words it.
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "dewi").await?;
    desk.type_into("#sign-in-password", "bukan sandinya").await?;
    desk.click("#sign-in-submit").await?;
    let refused = desk.wait_for_text("#sign-in-error", |t| !t.is_empty()).await?;
    assert_eq!(refused, "Wrong user name or password.");

    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "dewi").await?;

    // A description over the operator flow's limit: the domain refuses it in the request's language.
    desk.click("#nav-incidents").await?;
    let too_long = "Copet di peron. ".repeat(251); // 4016 characters
    desk.client
        .execute(
            "const t = document.querySelector('#report-description'); t.value = arguments[0]; \
             t.dispatchEvent(new Event('input'));",
            vec![too_long.clone().into()],
        )
        .await?;
    desk.click("#report-submit").await?;
    let message = desk.wait_for_text("#report-message", |t| !t.is_empty()).await?;
    assert_eq!(
        message, "The description is longer than 4000 characters.",
        "an English UI shows the backend's refusal in English"
    );
    desk.screenshot("incidents-refused-en").await?;
    let kept = desk
        .client
        .execute(
            "return document.querySelector('#report-description').value.length;",
            vec![],
        )
        .await?;
    assert_eq!(
        kept.as_u64(),
        Some(too_long.chars().count() as u64),
        "the refused text stays in the form to be shortened"
    );

    // Back in Indonesian, the same refusal reads in Indonesian.
    desk.click("#topbar-language-id").await?;
    desk.click("#report-submit").await?;
    desk.wait_for_text("#report-message", |t| {
        t == "Isian uraian laporan melebihi 4000 karakter."
    })
    .await?;
    desk.close().await?;
    central.stop().await
}
