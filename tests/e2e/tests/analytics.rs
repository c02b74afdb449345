//! The Analitik page through the real window: 150 classified incidents of Polda Metro Jaya reach an analyst's
//! desk from a real central (half of them around Monas); the page shows Monas's cell as a significant hot spot
//! on the map and in the next week's forecast, ranks Jakarta Pusat first among the crime-prone areas (a click
//! flies the map there), fills the hour × weekday clock, the trends and the traffic view, and follows a change
//! of category. Screenshots: `analytics-hotspots`, `analytics-areas-traffic`, `analytics-en`.

use anyhow::{bail, Result};
use serde_json::json;
use siaga_e2e::central::{Central, PASSWORD};
use siaga_e2e::Desk;
use std::time::{Duration, Instant};

const MONAS: (f64, f64) = (-6.1754, 106.8272);

async fn choose(desk: &Desk, css: &str, value: &str) -> Result<()> {
    desk.client
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
             s.dispatchEvent(new Event('change'));",
            vec![css.into(), value.into()],
        )
        .await?;
    Ok(())
}

async fn summary(desk: &Desk, attribute: &str) -> Result<u64> {
    let value = desk
        .wait_for_css("#analytics-summary")
        .await?
        .attr(attribute)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// The Gi* class of the drawn cell under a point of the map (`None` while no cell is drawn there).
async fn class_at(desk: &Desk, lat: f64, lon: f64) -> Result<Option<(i64, i64)>> {
    let found = desk
        .client
        .execute(
            "const map = document.querySelector('#map-view').siagaMap; \
             if (!map || !map.getLayer('cells-fill')) return null; \
             const p = map.project([arguments[1], arguments[0]]); \
             const f = map.queryRenderedFeatures(p, { layers: ['cells-fill', 'cells-forecast'] }); \
             if (!f.length) return null; \
             return [f[0].properties.giClass, Math.max(...f.map((x) => x.properties.forecast))];",
            vec![lat.into(), lon.into()],
        )
        .await?;
    Ok(serde_json::from_value::<Option<(i64, i64)>>(found).unwrap_or(None))
}

#[tokio::test(flavor = "current_thread")]
async fn an_analyst_sees_the_cluster_hot_and_forecast_and_its_city_ranked_first() -> Result<()> {
    let central = Central::start().await?;
    central.create_operator("adi", "operator1").await?;
    central.create_operator("rina", "analyst").await?;
    let token = central.login("adi").await?;
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut unit = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut accidents, total) = (0, 150);
    for i in 0..total {
        let incident = uuid::Uuid::now_v7().to_string();
        let (lat, lon, regency, category) = if i % 2 == 0 {
            (
                MONAS.0 + (unit() - 0.5) * 0.004,
                MONAS.1 + (unit() - 0.5) * 0.004,
                "31.71",
                "theft",
            )
        } else if i % 10 == 1 {
            accidents += 1;
            (
                -6.24 + (unit() - 0.5) * 0.05,
                106.80 + (unit() - 0.5) * 0.05,
                "31.74",
                "traffic_accident",
            )
        } else {
            (-6.32 + unit() * 0.22, 106.72 + unit() * 0.24, "31.74", "robbery")
        };
        let received = json!({"type": "received", "channel": {"kind": "call110"}, "polda": "metro_jaya",
            "description": "Penelepon melaporkan kejadian", "location": {"point": {"lat": lat, "lon": lon}, "province": "31", "regency": regency}});
        for change in [received, json!({"type": "classified", "category": category})] {
            let status = central
                .append_as(&token, "adi", "operator1", &incident, change)
                .await?;
            if status >= 300 {
                bail!("the central refused a seeded event: {status}");
            }
        }
    }

    let url = central.url();
    let desk = Desk::launch_with(&[("SIAGA_CENTRAL_URL", &url)]).await?;
    desk.click("#sign-in-open").await?;
    desk.type_into("#sign-in-username", "rina").await?;
    desk.type_into("#sign-in-password", PASSWORD).await?;
    desk.click("#sign-in-submit").await?;
    desk.wait_for_text("#operator-name", |t| t == "rina").await?;
    desk.click("#nav-analytics").await?;

    // The page computes on opening; until the first sync has brought everything, recompute.
    let deadline = Instant::now() + Duration::from_secs(30);
    while summary(&desk, "data-points").await? != total {
        if Instant::now() > deadline {
            bail!(
                "the page analysed {} incidents, never {total}",
                summary(&desk, "data-points").await?
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        desk.click("#analytics-recompute").await?;
    }
    assert!(summary(&desk, "data-hot").await? > 0 && summary(&desk, "data-forecast").await? > 0);

    // Monas's cell: hot at 99 % and flagged for next week, as drawn on the map.
    let deadline = Instant::now() + Duration::from_secs(20);
    let drawn = loop {
        if let Some(found) = class_at(&desk, MONAS.0, MONAS.1).await? {
            break found;
        }
        if Instant::now() > deadline {
            bail!("no cell was drawn at Monas");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(drawn, (3, 1), "Monas's cell: (Gi* class, forecast)");
    desk.wait_for_css("#analytics-heatmap").await?;
    let cells = desk
        .client
        .find_all(fantoccini::Locator::Css("#analytics-heatmap .hm-cell"))
        .await?;
    assert_eq!(cells.len(), 7 * 24);
    desk.wait_for_css("#analytics-trends tr[data-category='theft']")
        .await?;
    desk.screenshot("analytics-hotspots").await?;

    // Jakarta Pusat leads the crime-prone areas (its incidents sit in hot cells); a click flies there.
    let first = desk.wait_for_css("#analytics-areas .area-row").await?;
    assert_eq!(first.attr("data-code").await?.as_deref(), Some("31.71"));
    desk.click("#analytics-areas .area-row td").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let centre = desk
            .client
            .execute(
                "const c = document.querySelector('#map-view').siagaMap.getCenter(); return [c.lat, c.lng];",
                vec![],
            )
            .await?;
        let (lat, lon): (f64, f64) = serde_json::from_value(centre)?;
        if (lat - MONAS.0).abs() < 0.01 && (lon - MONAS.1).abs() < 0.01 {
            break;
        }
        if Instant::now() > deadline {
            bail!("the map did not fly to Jakarta Pusat (centre {lat}, {lon})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let traffic = desk.text("#analytics-traffic").await?;
    assert!(
        traffic.contains(&format!("Jakarta Selatan ({accidents})")),
        "{traffic}"
    );
    desk.client
        .execute(
            "document.querySelector('#analytics-traffic').scrollIntoView({block: 'end'});",
            vec![],
        )
        .await?;
    desk.screenshot("analytics-areas-traffic").await?;

    // The research export: written under the desk's data folder, the rules stated beside the data.
    desk.click("#export-submit").await?;
    let result = desk.wait_for_css("#export-result").await?;
    let folder = std::path::PathBuf::from(result.attr("data-folder").await?.unwrap_or_default());
    let rows: usize = result.attr("data-rows").await?.unwrap_or_default().parse()?;
    assert!(rows > 0 && rows <= total as usize, "{rows} rows exported");
    let parquet = std::fs::read(folder.join("incidents.parquet"))?;
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    let csv = std::fs::read_to_string(folder.join("incidents.csv"))?;
    assert_eq!(csv.lines().count(), rows + 1);
    assert!(csv.starts_with("time,lat,lon,category\n") && !csv.contains("Penelepon"));
    let readme = std::fs::read_to_string(folder.join("README.md"))?;
    assert!(
        readme.contains("k = 5") && readme.contains("rounded down to the hour"),
        "{readme}"
    );
    desk.screenshot("analytics-export").await?;

    // The page's results as files, the map picture included.
    desk.click("#analytics-results-export").await?;
    let saved = desk.wait_for_css("#results-export-result").await?;
    let folder = std::path::PathBuf::from(saved.attr("data-folder").await?.unwrap_or_default());
    let geojson: serde_json::Value = serde_json::from_slice(&std::fs::read(folder.join("cells.geojson"))?)?;
    assert!(geojson["features"].as_array().is_some_and(|f| !f.is_empty()));
    let png = std::fs::read(folder.join("map.png"))?;
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "map.png: {} bytes",
        png.len()
    );
    let clock = std::fs::read_to_string(folder.join("clock.csv"))?;
    assert_eq!(clock.lines().count(), 1 + 7 * 24);

    // One category: only its incidents.
    choose(&desk, "#analytics-category", "traffic_accident").await?;
    let deadline = Instant::now() + Duration::from_secs(15);
    while summary(&desk, "data-points").await? != accidents {
        if Instant::now() > deadline {
            bail!("the category filter never showed {accidents} accidents");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    choose(&desk, "#analytics-category", "").await?;
    desk.click("#topbar-language-en").await?;
    desk.wait_for_text("#analytics-areas h2", |t| t == "Crime-prone areas")
        .await?;
    desk.screenshot("analytics-en").await?;
    desk.assert_no_fatal_error().await?;
    desk.close().await
}
