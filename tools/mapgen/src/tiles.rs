//! Cuts the basemap's shapes into vector tiles, zoom by zoom: each shape is simplified once per zoom,
//! then clipped to every tile its bounds touch.
//!
//! Layers (the contract with `assets/map/*.json`):
//! - `land` polygons: `name`, `indonesia` (bool);
//! - `coastline` lines; `boundary` lines (land borders between countries);
//! - `province` polygons: `code` (Kemendagri), `name`; `province_boundary` lines between provinces;
//! - `place` points: `kind` (`country`, `sea`, `province`, `regency`, `station`), `name`, `code`
//!   (Kemendagri code or station id), `mode` (stations).

use crate::geom::{bounds, clip_line, clip_ring, orient, simplify, to_tile, Point};
use crate::mvt::{encode_tile, Geometry, Layer, Value, EXTENT};
use crate::sources::{Countries, Place, Polygon, Provinces};
use std::collections::HashMap;

/// Layer names, in drawing order within a tile.
pub const LAYERS: [&str; 6] = [
    "land",
    "coastline",
    "boundary",
    "province",
    "province_boundary",
    "place",
];

/// The highest zoom with its own tiles (the map overzooms beyond it).
pub const MAX_ZOOM: u8 = 10;
/// Below this zoom the whole world is tiled; from it on only the region around Indonesia.
const REGIONAL_FROM_ZOOM: u8 = 4;
/// West, south, east, north (degrees) of the tiled region.
pub const REGION: [f64; 4] = [90.0, -14.0, 146.0, 10.0];
/// Tile units of overlap around each tile, so strokes do not show seams.
const BUFFER: f64 = 64.0;

enum Shape<'a> {
    Polygon(&'a Polygon),
    Line(&'a [Point]),
    Point(Point),
}

struct Feature<'a> {
    layer: usize,
    shape: Shape<'a>,
    properties: Vec<(&'static str, Value)>,
}

/// Natural Earth at three scales; each zoom uses the one that fits it.
#[derive(Debug)]
pub struct Inputs {
    pub countries_110m: Countries,
    pub countries_50m: Countries,
    pub countries_10m: Countries,
    pub provinces: Provinces,
    pub places: Vec<Place>,
}

fn features(inputs: &Inputs, zoom: u8) -> Vec<Feature<'_>> {
    let countries = match zoom {
        0..=1 => &inputs.countries_110m,
        2..=3 => &inputs.countries_50m,
        _ => &inputs.countries_10m,
    };
    let mut features = Vec::new();
    for country in &countries.countries {
        for polygon in &country.polygons {
            features.push(Feature {
                layer: 0,
                shape: Shape::Polygon(polygon),
                properties: vec![
                    ("name", country.name.as_str().into()),
                    ("indonesia", country.is_indonesia.into()),
                ],
            });
        }
    }
    for line in &countries.coastlines {
        features.push(Feature {
            layer: 1,
            shape: Shape::Line(line),
            properties: Vec::new(),
        });
    }
    for line in &countries.borders {
        features.push(Feature {
            layer: 2,
            shape: Shape::Line(line),
            properties: Vec::new(),
        });
    }
    if zoom >= 3 {
        for province in &inputs.provinces.shapes {
            for polygon in &province.polygons {
                features.push(Feature {
                    layer: 3,
                    shape: Shape::Polygon(polygon),
                    properties: vec![
                        ("code", province.code.digits().into()),
                        ("name", province.name.into()),
                    ],
                });
            }
        }
        for line in &inputs.provinces.boundaries {
            features.push(Feature {
                layer: 4,
                shape: Shape::Line(line),
                properties: Vec::new(),
            });
        }
    }
    for place in &inputs.places {
        let shown_from = match place.kind {
            "country" | "sea" | "province" => 3,
            "regency" => 7,
            _ => 9,
        };
        if zoom < shown_from {
            continue;
        }
        let mut properties = vec![("kind", place.kind.into()), ("name", place.name.as_str().into())];
        if !place.code.is_empty() {
            properties.push(("code", place.code.as_str().into()));
        }
        if !place.mode.is_empty() {
            properties.push(("mode", place.mode.into()));
        }
        features.push(Feature {
            layer: 5,
            shape: Shape::Point(place.point),
            properties,
        });
    }
    features
}

/// The inclusive tile range of `zoom` that gets tiles.
pub fn tile_range(zoom: u8) -> ([u32; 2], [u32; 2]) {
    let n = 1u32 << zoom;
    if zoom < REGIONAL_FROM_ZOOM {
        return ([0, n - 1], [0, n - 1]);
    }
    let [west, south, east, north] = REGION;
    let [x0, y0] = crate::geom::project(west, north);
    let [x1, y1] = crate::geom::project(east, south);
    let tile = |v: f64| ((v * f64::from(n)).floor() as u32).min(n - 1);
    ([tile(x0), tile(x1)], [tile(y0), tile(y1)])
}

fn layer_of(tiles: &mut HashMap<(u32, u32), Vec<Layer>>, x: u32, y: u32, layer: usize) -> &mut Layer {
    let layers = tiles
        .entry((x, y))
        .or_insert_with(|| LAYERS.iter().map(|name| Layer::new(name)).collect());
    &mut layers[layer]
}

/// Every non-empty tile of `zoom`, as (x, y, encoded tile).
pub fn build_zoom(inputs: &Inputs, zoom: u8) -> Vec<(u32, u32, Vec<u8>)> {
    let scale = f64::from(1u32 << zoom) * f64::from(EXTENT);
    let extent = f64::from(EXTENT);
    let tolerance = if zoom == MAX_ZOOM { 1.0 } else { 3.0 };
    let (xs, ys) = tile_range(zoom);
    let mut tiles: HashMap<(u32, u32), Vec<Layer>> = HashMap::new();
    let scaled = |points: &[Point]| -> Vec<Point> {
        let pixels: Vec<Point> = points.iter().map(|p| [p[0] * scale, p[1] * scale]).collect();
        simplify(&pixels, tolerance)
    };
    // The tiles whose buffered square meets a box of pixel coordinates.
    let covering = |[x0, y0, x1, y1]: [f64; 4]| {
        let first = |v: f64, range: [u32; 2]| (((v - BUFFER) / extent).floor().max(0.0) as u32).max(range[0]);
        let last = |v: f64, range: [u32; 2]| (((v + BUFFER) / extent).floor().max(0.0) as u32).min(range[1]);
        (first(x0, xs)..=last(x1, xs), first(y0, ys)..=last(y1, ys))
    };
    for feature in features(inputs, zoom) {
        match feature.shape {
            Shape::Polygon(rings) => {
                let rings: Vec<Vec<Point>> = rings.iter().map(|ring| scaled(ring)).collect();
                let Some(exterior) = rings.first().filter(|r| r.len() >= 3) else {
                    continue;
                };
                let box_ = bounds(exterior);
                if box_[2] - box_[0] < 1.0 && box_[3] - box_[1] < 1.0 {
                    continue; // smaller than a tile unit at this zoom
                }
                let (tx, ty) = covering(box_);
                for x in tx {
                    for y in ty.clone() {
                        let origin = [f64::from(x) * extent, f64::from(y) * extent];
                        let rect = [
                            origin[0] - BUFFER,
                            origin[1] - BUFFER,
                            origin[0] + extent + BUFFER,
                            origin[1] + extent + BUFFER,
                        ];
                        let mut out = Vec::new();
                        for (i, ring) in rings.iter().enumerate() {
                            let clipped = to_tile(&clip_ring(ring, rect), origin);
                            if clipped.len() < 3 {
                                if i == 0 {
                                    break;
                                }
                                continue;
                            }
                            let oriented = orient(clipped, i == 0);
                            if oriented.len() >= 3 && crate::geom::signed_area(&oriented) != 0 {
                                out.push(oriented);
                            } else if i == 0 {
                                break;
                            }
                        }
                        if !out.is_empty() {
                            layer_of(&mut tiles, x, y, feature.layer)
                                .add(&Geometry::Polygons(out), &feature.properties);
                        }
                    }
                }
            }
            Shape::Line(line) => {
                let line = scaled(line);
                if line.len() < 2 {
                    continue;
                }
                let (tx, ty) = covering(bounds(&line));
                for x in tx {
                    for y in ty.clone() {
                        let origin = [f64::from(x) * extent, f64::from(y) * extent];
                        let rect = [
                            origin[0] - BUFFER,
                            origin[1] - BUFFER,
                            origin[0] + extent + BUFFER,
                            origin[1] + extent + BUFFER,
                        ];
                        let pieces: Vec<_> = clip_line(&line, rect)
                            .iter()
                            .map(|piece| to_tile(piece, origin))
                            .filter(|piece| piece.len() >= 2)
                            .collect();
                        if !pieces.is_empty() {
                            layer_of(&mut tiles, x, y, feature.layer)
                                .add(&Geometry::Lines(pieces), &feature.properties);
                        }
                    }
                }
            }
            Shape::Point(point) => {
                let [px, py] = [point[0] * scale, point[1] * scale];
                let (x, y) = ((px / extent).floor() as u32, (py / extent).floor() as u32);
                if !(xs[0]..=xs[1]).contains(&x) || !(ys[0]..=ys[1]).contains(&y) {
                    continue;
                }
                let origin = [f64::from(x) * extent, f64::from(y) * extent];
                let tile_point = to_tile(&[[px, py]], origin);
                layer_of(&mut tiles, x, y, feature.layer)
                    .add(&Geometry::Points(tile_point), &feature.properties);
            }
        }
    }
    let mut out: Vec<_> = tiles
        .into_iter()
        .map(|((x, y), layers)| (x, y, encode_tile(layers)))
        .filter(|(_, _, bytes)| !bytes.is_empty())
        .collect();
    out.sort_by_key(|(x, y, _)| (*x, *y));
    out
}
