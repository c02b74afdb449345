//! The street map's look: [`add_to_style`] adds the source and layers of the OpenStreetMap PMTiles
//! extract the user chose (the desk's street setting, `siaga_desk::streets`) to a theme's style, below
//! the basemap's boundaries and labels.
//!
//! Layers read the Protomaps schema (<https://docs.protomaps.com/basemaps/layers>, version 4): source
//! layers `water` (polygons and river lines, `kind`), `buildings` and `roads` (`kind`: `highway`,
//! `major_road`, `medium_road`, `minor_road`, `path`, `other`, `rail`, `ferry`; `kind_detail`; `name`).
//! Labels use only the fonts the app ships ("Noto Sans Regular", "Noto Sans Bold").

use serde_json::{json, Value};
use siaga_desk::streets::StreetsArchive;

/// The id of the style source the street layers read.
pub const SOURCE: &str = "streets";
/// The basemap layer the street layers go below.
pub const BEFORE_LAYER: &str = "province-boundary";
/// Credit required by the OpenStreetMap licence (ODbL).
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors (ODbL)";

/// Colours of the street layers in one theme.
struct Palette {
    water: &'static str,
    waterway: &'static str,
    building: &'static str,
    path: &'static str,
    minor: &'static str,
    medium: &'static str,
    major: &'static str,
    highway: &'static str,
    rail: &'static str,
    label: &'static str,
    halo: &'static str,
}

/// Muted blue-greys under the dark theme's navy land, so incidents stay the brightest thing.
const DARK: Palette = Palette {
    water: "#0b1a2e",
    waterway: "#16365c",
    building: "#1d2a40",
    path: "#27354c",
    minor: "#25344b",
    medium: "#2f4262",
    major: "#42587d",
    highway: "#8a6d2f",
    rail: "#3b4a63",
    label: "#9aa8c0",
    halo: "#08101d",
};

/// Greys and soft ambers on the light theme's off-white land.
const LIGHT: Palette = Palette {
    water: "#c3d6ec",
    waterway: "#a9c4e4",
    building: "#e6e3dc",
    path: "#d5d9df",
    minor: "#d7dde5",
    medium: "#c5cfdb",
    major: "#e6c88e",
    highway: "#dba35c",
    rail: "#b3bcc8",
    label: "#3d4b63",
    halo: "#ffffff",
};

fn palette(theme: &str) -> Option<&'static Palette> {
    match theme {
        "dark" => Some(&DARK),
        "light" => Some(&LIGHT),
        _ => None,
    }
}

/// A road width growing with zoom: 0 before `from`, `mid` at 14, `end` at 18.
fn width(from: f64, mid: f64, end: f64) -> Value {
    json!([
        "interpolate",
        ["exponential", 1.6],
        ["zoom"],
        from,
        0,
        14,
        mid,
        18,
        end
    ])
}

fn road(id: &str, kinds: &[&str], minzoom: u8, colour: &str, width: Value) -> Value {
    json!({
        "id": id,
        "type": "line",
        "source": SOURCE,
        "source-layer": "roads",
        "minzoom": minzoom,
        "filter": ["match", ["get", "kind"], kinds, true, false],
        "layout": { "line-join": "round", "line-cap": "round" },
        "paint": { "line-color": colour, "line-width": width }
    })
}

/// Road names along the line, in one of the two fonts the app ships.
fn road_label(id: &str, kinds: &[&str], minzoom: u8, font: &str, p: &Palette) -> Value {
    json!({
        "id": id,
        "type": "symbol",
        "source": SOURCE,
        "source-layer": "roads",
        "minzoom": minzoom,
        "filter": ["all", ["has", "name"], ["match", ["get", "kind"], kinds, true, false]],
        "layout": {
            "symbol-placement": "line",
            "text-field": ["get", "name"],
            "text-font": [font],
            "text-size": ["interpolate", ["linear"], ["zoom"], 12, 10, 17, 13],
            "text-max-angle": 30,
            "symbol-spacing": 300
        },
        "paint": { "text-color": p.label, "text-halo-color": p.halo, "text-halo-width": 1.4 }
    })
}

/// The street layers of a theme, bottom to top.
fn layers(p: &Palette) -> Vec<Value> {
    vec![
        json!({
            "id": "streets-water",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "water",
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": { "fill-color": p.water }
        }),
        json!({
            "id": "streets-waterway",
            "type": "line",
            "source": SOURCE,
            "source-layer": "water",
            "minzoom": 11,
            "filter": ["==", ["geometry-type"], "LineString"],
            "layout": { "line-join": "round", "line-cap": "round" },
            "paint": {
                "line-color": p.waterway,
                "line-width": ["interpolate", ["linear"], ["zoom"], 11, 0.5, 18, 4]
            }
        }),
        json!({
            "id": "streets-buildings",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "buildings",
            "minzoom": 14,
            "paint": {
                "fill-color": p.building,
                "fill-opacity": ["interpolate", ["linear"], ["zoom"], 14, 0.0, 15, 0.8]
            }
        }),
        json!({
            "id": "streets-rail",
            "type": "line",
            "source": SOURCE,
            "source-layer": "roads",
            "minzoom": 10,
            "filter": ["==", ["get", "kind"], "rail"],
            "paint": {
                "line-color": p.rail,
                "line-dasharray": [2, 2],
                "line-width": ["interpolate", ["linear"], ["zoom"], 10, 0.5, 18, 2.5]
            }
        }),
        road(
            "streets-path",
            &["path", "other"],
            14,
            p.path,
            width(13.0, 0.8, 4.0),
        ),
        road(
            "streets-minor",
            &["minor_road"],
            12,
            p.minor,
            width(11.0, 2.0, 12.0),
        ),
        road(
            "streets-medium",
            &["medium_road"],
            9,
            p.medium,
            width(8.0, 3.0, 14.0),
        ),
        road(
            "streets-major",
            &["major_road"],
            7,
            p.major,
            width(6.0, 3.5, 16.0),
        ),
        road(
            "streets-highway",
            &["highway"],
            5,
            p.highway,
            width(4.0, 4.5, 18.0),
        ),
        road_label(
            "streets-road-label",
            &["medium_road", "minor_road"],
            14,
            "Noto Sans Regular",
            p,
        ),
        road_label(
            "streets-road-label-major",
            &["highway", "major_road"],
            12,
            "Noto Sans Bold",
            p,
        ),
    ]
}

/// Adds the `streets` source (tiles at `{origin}/streets/{z}/{x}/{y}.mvt?v={revision}`, zooms and bounds
/// from the archive) and the layers of `theme` to `style`, before [`BEFORE_LAYER`]. A theme without a
/// palette or a style without that layer is left as it is.
pub fn add_to_style(style: &mut Value, theme: &str, archive: &StreetsArchive, origin: &str, revision: u64) {
    let Some(palette) = palette(theme) else {
        return;
    };
    let header = archive.archive.header();
    let mut source = json!({
        "type": "vector",
        "tiles": [format!("{origin}/streets/{{z}}/{{x}}/{{y}}.mvt?v={revision}")],
        "minzoom": header.min_zoom,
        "maxzoom": header.max_zoom.max(header.min_zoom),
        "attribution": ATTRIBUTION,
    });
    let [west, south, east, north] = header.bounds;
    let valid = (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east)
        && (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north)
        && west < east
        && south < north;
    if valid {
        source["bounds"] = json!([west, south, east, north]);
    }
    let Some(at) = style.get("layers").and_then(Value::as_array).and_then(|layers| {
        layers
            .iter()
            .position(|layer| layer.get("id").and_then(Value::as_str) == Some(BEFORE_LAYER))
    }) else {
        return;
    };
    let Some(sources) = style.get_mut("sources").and_then(Value::as_object_mut) else {
        return;
    };
    sources.insert(SOURCE.to_owned(), source);
    if let Some(list) = style.get_mut("layers").and_then(Value::as_array_mut) {
        list.splice(at..at, layers(palette));
    }
}
