//! The app shell through the real window: every page opens from the rail, the language switch changes
//! the labels, the theme switch changes the colours, and the backend's `app_info` answer is on screen; the page
//! comes back when its web process crashes.

use anyhow::{bail, Result};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

/// The rail's pages: element key, Indonesian label, English label.
const PAGES: [(&str, &str, &str); 7] = [
    ("map", "Peta", "Map"),
    ("incidents", "Insiden", "Incidents"),
    ("kiosks", "Kiosk", "Kiosks"),
    ("video", "Panggilan Video", "Video Calls"),
    ("citizen", "Layanan Warga", "Citizen Services"),
    ("analytics", "Analitik", "Analytics"),
    ("settings", "Pengaturan", "Settings"),
];

#[tokio::test(flavor = "current_thread")]
async fn every_page_opens_from_the_rail_in_indonesian() -> Result<()> {
    let desk = Desk::launch().await?;
    assert_eq!(
        desk.root_attribute("lang").await?,
        "id",
        "Indonesian is the default language"
    );
    assert_eq!(
        desk.root_attribute("data-theme").await?,
        "dark",
        "dark is the default theme"
    );
    desk.screenshot("shell-dark-id").await?;
    for (key, label_id, _) in PAGES {
        desk.click(&format!("#nav-{key}")).await?;
        assert_eq!(desk.text("#page-title").await?, label_id);
        assert_eq!(desk.text(&format!("#nav-{key} .rail-label")).await?, label_id);
        desk.wait_for_css(&format!("main[data-page='{key}']")).await?;
        let summary = desk.text("#page-summary").await?;
        assert!(
            summary.len() > 20,
            "page {key} should say what it is for, got {summary:?}"
        );
        desk.assert_no_fatal_error().await?;
    }
    desk.close().await
}

#[tokio::test(flavor = "current_thread")]
async fn language_switch_changes_every_label_and_back() -> Result<()> {
    let desk = Desk::launch().await?;
    desk.click("#topbar-language-en").await?;
    assert_eq!(desk.root_attribute("lang").await?, "en");
    for (key, _, label_en) in PAGES {
        assert_eq!(desk.text(&format!("#nav-{key} .rail-label")).await?, label_en);
    }
    desk.wait_for_text("#connection-state", |t| t.contains("Offline"))
        .await?;
    desk.click("#nav-incidents").await?;
    assert_eq!(desk.text("#page-title").await?, "Incidents");
    desk.screenshot("incidents-en").await?;

    // The Settings page's own switch goes back to Indonesian.
    desk.click("#nav-settings").await?;
    desk.click("#language-id").await?;
    assert_eq!(desk.root_attribute("lang").await?, "id");
    assert_eq!(desk.text("#page-title").await?, "Pengaturan");
    desk.wait_for_text("#connection-state", |t| t.contains("Luring"))
        .await?;
    desk.close().await
}

#[tokio::test(flavor = "current_thread")]
async fn backend_round_trip_shows_version_and_platform() -> Result<()> {
    let desk = Desk::launch().await?;
    let version = env!("CARGO_PKG_VERSION");
    let status = desk.wait_for_text("#app-version", |t| t.contains('v')).await?;
    assert!(
        status.contains(&format!("v{version}")),
        "status bar shows {status:?}"
    );
    desk.click("#nav-settings").await?;
    assert_eq!(
        desk.wait_for_text("#about-version", |t| !t.contains("Memuat"))
            .await?,
        version
    );
    assert_eq!(desk.text("#about-product").await?, "Siaga 110");
    assert!(desk.text("#about-platform").await?.starts_with("Sistem operasi"));
    // The answer is re-asked in the new language.
    desk.click("#language-en").await?;
    desk.wait_for_text("#about-platform", |t| t.ends_with("operating system"))
        .await?;
    desk.click("#language-id").await?;
    desk.screenshot("settings-dark-id").await?;
    desk.close().await
}

#[tokio::test(flavor = "current_thread")]
async fn theme_switch_goes_light_and_is_remembered_in_the_session() -> Result<()> {
    let desk = Desk::launch().await?;
    desk.click("#theme-toggle").await?;
    assert_eq!(desk.root_attribute("data-theme").await?, "light");
    desk.click("#nav-map").await?;
    // The map settles in its light style before the screenshot (WebKitWebDriver has answered empty while
    // a style was being swapped).
    desk.wait_for_css("#map-view[data-map-ready='true'][data-map-theme='light']")
        .await?;
    desk.screenshot("map-light-id").await?;
    desk.click("#nav-settings").await?;
    let pressed = desk
        .wait_for_css("#theme-light")
        .await?
        .attr("aria-pressed")
        .await?;
    assert_eq!(
        pressed.as_deref(),
        Some("true"),
        "Settings shows the light theme as chosen"
    );
    desk.click("#theme-dark").await?;
    assert_eq!(desk.root_attribute("data-theme").await?, "dark");
    desk.close().await
}

#[tokio::test(flavor = "current_thread")]
async fn the_window_may_call_only_the_commands_it_is_granted() -> Result<()> {
    let desk = Desk::launch().await?;
    // A core command the UI does not need (renaming the window) is refused by the capability file…
    let refused = desk
        .client
        .execute_async(
            "const done = arguments[0]; \
             window.__TAURI__.core.invoke('plugin:window|set_title', { label: 'main', value: 'x' }) \
               .then(() => done('allowed'), (e) => done('refused: ' + e));",
            vec![],
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_owned();
    assert!(
        refused.contains("not allowed"),
        "set_title should be refused by the ACL, got {refused:?}"
    );
    // …while the granted one answers.
    let granted = desk
        .client
        .execute_async(
            "const done = arguments[0]; \
             window.__TAURI__.core.invoke('app_info', { request: { language: 'en' } }) \
               .then((info) => done(info.productName), (e) => done('refused: ' + e));",
            vec![],
        )
        .await?;
    assert_eq!(granted.as_str(), Some("Siaga 110"));
    desk.close().await
}

/// The page's web process dies (SIGKILL: a crash without a core dump, as Mesa's software rasteriser made it do under Xvfb): the shell loads
/// the page again in a new web process, and the desk is on screen again, not a blank window. Screenshot
/// `shell-after-web-process-crash` (the X screen: WebDriver loses its session with the crashed page).
#[tokio::test(flavor = "current_thread")]
async fn the_page_comes_back_after_its_web_process_crashes() -> Result<()> {
    let desk = Desk::launch().await?;
    let crashed = desk.web_processes().await?;
    let [pid] = crashed.as_slice() else {
        bail!("one web process expected, found {crashed:?}");
    };
    let killed = tokio::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .await?;
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = desk.web_processes().await?;
        if !now.is_empty() && !now.contains(pid) {
            break;
        }
        if Instant::now() > deadline {
            bail!("no new web process after the crash of {pid} (now {now:?}): the window stayed blank");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The page is back (WebKitWebDriver ends the session of a crashed page: the X screen shows it). The new web
    // process draws the desk; give it the time a cold start takes before looking.
    tokio::time::sleep(Duration::from_secs(5)).await;
    desk.screenshot_screen_now("shell-after-web-process-crash")
        .await?;
    let _ = desk.close().await;
    Ok(())
}
