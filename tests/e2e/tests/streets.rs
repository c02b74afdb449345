//! The street map setting through the real window: a wrong file is refused with the reason, a PMTiles
//! extract is accepted and described, the map then loads the `streets` source and draws its roads over
//! Jakarta, and Remove takes it away again.

use anyhow::{bail, Result};
use serde_json::{json, Value};
use siaga_e2e::{Desk, UI_TIMEOUT};
use siaga_pmtiles::{gzip, ArchiveInfo, Compression, TileType, Writer};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The z10 tile over central Jakarta (106.82 E, 6.18 S), where the Jakarta preset looks.
const JAKARTA_TILE: (u8, u32, u32) = (10, 815, 529);
/// The title of the system file dialog "Pilih berkas…" opens (the shell names it in the UI's language).
const DIALOG_TITLE: &str = "Pilih ekstrak jalan OpenStreetMap";

use siaga_pmtiles::varint::write as varint;

/// A length-delimited protobuf field.
fn field(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// One MVT tile in the Protomaps schema: a `roads` layer holding one major road drawn as eight lines
/// across the tile, named "Jalan Uji".
fn roads_tile() -> Vec<u8> {
    let mut geometry = Vec::new();
    let (mut x, mut y) = (0_i64, 0_i64);
    for row in 0..8 {
        let target_y = 256 + row * 512;
        for (command, to_x, to_y) in [(9, 0, target_y), (10, 4096, target_y)] {
            varint(&mut geometry, command);
            varint(&mut geometry, zigzag(to_x - x));
            varint(&mut geometry, zigzag(to_y - y));
            (x, y) = (to_x, to_y);
        }
    }
    let mut feature = vec![0x08, 1];
    field(&mut feature, 0x12, &[0, 0, 1, 1]);
    feature.extend_from_slice(&[0x18, 2]);
    field(&mut feature, 0x22, &geometry);
    let mut layer = vec![0x78, 2];
    field(&mut layer, 0x0a, b"roads");
    field(&mut layer, 0x12, &feature);
    field(&mut layer, 0x1a, b"kind");
    field(&mut layer, 0x1a, b"name");
    for value in [&b"major_road"[..], b"Jalan Uji"] {
        let mut string = Vec::new();
        field(&mut string, 0x0a, value);
        field(&mut layer, 0x22, &string);
    }
    layer.extend_from_slice(&[0x28, 0x80, 0x20]);
    let mut tile = Vec::new();
    field(&mut tile, 0x1a, &layer);
    tile
}

/// A PMTiles archive (gzip directories and tiles, as Protomaps writes them) holding [`roads_tile`] at
/// [`JAKARTA_TILE`].
fn street_archive() -> Vec<u8> {
    let (z, x, y) = JAKARTA_TILE;
    let mut writer = Writer::new();
    writer.add(z, x, y, gzip(&roads_tile())).expect("on the grid");
    let info = ArchiveInfo {
        min_zoom: z,
        max_zoom: z,
        bounds: [106.5, -6.4, 106.9, -5.9],
        center: [106.82, -6.18],
        center_zoom: z,
        tile_type: TileType::Mvt,
        tile_compression: Compression::Gzip,
        internal_compression: Compression::Gzip,
    };
    writer.finish(info, b"{}").expect("an archive in memory")
}

/// Waits until the map is idle with everything in view drawn, and returns what it draws.
async fn settled_map(desk: &Desk) -> Result<Value> {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        desk.assert_no_fatal_error().await?;
        let state = desk
            .execute_until(
                "const view = document.getElementById('map-view'); \
                 if (!view || !view.siagaMap) { return { settled: false }; } \
                 const map = view.siagaMap; \
                 const settled = view.dataset.mapReady === 'true' && map.loaded() && map.areTilesLoaded() \
                   && !map.isMoving(); \
                 if (!settled) { return { settled: false, error: view.dataset.mapError || null }; } \
                 const style = map.getStyle(); \
                 const ids = style.layers.map((l) => l.id); \
                 return { \
                   settled: true, error: view.dataset.mapError || null, \
                   streetsSource: style.sources.streets || null, \
                   firstStreetLayer: ids.findIndex((id) => id.startsWith('streets-')), \
                   boundary: ids.indexOf('province-boundary'), \
                   majorRoads: map.getLayer('streets-major') \
                     ? map.queryRenderedFeatures({ layers: ['streets-major'] }).length : 0 \
                 };",
                vec![],
                deadline,
            )
            .await?;
        if let Some(error) = state["error"].as_str() {
            bail!("the map reported an error: {error}");
        }
        if state["settled"] == json!(true) {
            return Ok(state);
        }
        if Instant::now() > deadline {
            bail!("the map never settled: {state}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// A file removed when dropped.
struct Fixture(PathBuf);

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_street_extract_is_checked_saved_drawn_on_the_map_and_removed() -> Result<()> {
    let archive =
        Fixture(std::env::temp_dir().join(format!("siaga-e2e-streets-{}.pmtiles", std::process::id())));
    std::fs::write(&archive.0, street_archive())?;
    let archive_path = archive.0.display().to_string();
    // Any file that is not an archive; read at run time (the test binary may come from another checkout).
    let not_an_archive = format!("{}/Cargo.toml", std::env::var("CARGO_MANIFEST_DIR")?);

    let desk = Desk::launch().await?;
    desk.click("#nav-settings").await?;
    desk.wait_for_text("#streets-status", |t| t.contains("Belum diatur"))
        .await?;

    // The page cannot name a file itself: the command that took a path from it is gone.
    let probe = desk
        .client
        .execute_async(
            "const done = arguments[0]; \
             window.__TAURI_INTERNALS__.invoke('set_streets_archive', \
               { request: { path: '/etc/shadow', language: 'en' } }) \
             .then(a => done('answered: ' + JSON.stringify(a)), e => done('refused: ' + JSON.stringify(e)));",
            vec![],
        )
        .await?;
    let probe = probe.as_str().unwrap_or_default().to_owned();
    assert!(
        probe.starts_with("refused") && !probe.contains("shadow") && !probe.contains("denied"),
        "a path named by the page must not reach the file system: {probe}"
    );

    // Cancelling the system's dialog changes nothing.
    desk.click("#streets-choose").await?;
    desk.answer_file_dialog(DIALOG_TITLE, None, "settings-streets-file-dialog")
        .await?;
    desk.wait_for_text("#streets-status", |t| t.contains("Tidak ada berkas yang dipilih"))
        .await?;

    desk.click("#streets-choose").await?;
    desk.answer_file_dialog(
        DIALOG_TITLE,
        Some(Path::new(&not_an_archive)),
        "settings-streets-file-dialog-2",
    )
    .await?;
    let refused = desk
        .wait_for_text("#streets-status", |t| t.contains("bukan arsip PMTiles"))
        .await?;
    assert!(
        refused.contains("Cargo.toml"),
        "the message names the file: {refused}"
    );
    desk.screenshot("settings-streets-refused-dark-id").await?;

    desk.click("#streets-choose").await?;
    desk.answer_file_dialog(DIALOG_TITLE, Some(&archive.0), "settings-streets-file-dialog-3")
        .await?;
    desk.wait_for_text("#streets-status", |t| t.contains("Tersimpan"))
        .await?;
    assert_eq!(desk.text("#streets-path").await?, archive_path);
    assert_eq!(desk.text("#streets-zooms").await?, "10–10");
    assert_eq!(desk.text("#streets-tiles").await?, "1");
    assert_eq!(desk.text("#streets-compression").await?, "gzip");
    desk.screenshot("settings-streets-dark-id").await?;

    desk.click("#nav-map").await?;
    desk.click("#map-preset-jakarta").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let map = settled_map(&desk).await?;
    let source = &map["streetsSource"];
    assert_eq!(source["maxzoom"], json!(10), "{map}");
    assert!(
        source["tiles"][0]
            .as_str()
            .unwrap_or_default()
            .contains("/streets/{z}/{x}/{y}.mvt?v="),
        "{map}"
    );
    let (first, boundary) = (map["firstStreetLayer"].as_i64(), map["boundary"].as_i64());
    assert!(first.is_some_and(|f| f >= 0 && Some(f) < boundary), "{map}");
    assert!(
        map["majorRoads"].as_u64().unwrap_or_default() > 0,
        "the extract's road should be drawn over Jakarta: {map}"
    );
    desk.screenshot("map-jakarta-streets-dark").await?;

    // The light theme's style carries the street layers too, in its own colours.
    desk.click("#nav-settings").await?;
    desk.click("#theme-light").await?;
    desk.click("#nav-map").await?;
    desk.click("#map-preset-jakarta").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let light = settled_map(&desk).await?;
    assert!(light["majorRoads"].as_u64().unwrap_or_default() > 0, "{light}");
    desk.screenshot("map-jakarta-streets-light").await?;

    desk.click("#nav-settings").await?;
    desk.click("#streets-remove").await?;
    desk.wait_for_text("#streets-status", |t| t.contains("dilepas"))
        .await?;
    desk.click("#nav-map").await?;
    let map = settled_map(&desk).await?;
    assert_eq!(map["streetsSource"], Value::Null, "removed: basemap only: {map}");
    desk.close().await
}
