//! Transit stations in and around Jakarta where emergency kiosks stand: MRT Jakarta, LRT Jakarta,
//! LRT Jabodebek, KRL Commuter Line and Transjakarta BRT stops, embedded from
//! `assets/reference/stations.csv` (hand-built from public facts; see `assets/reference/SOURCES.md`).
//! Coordinates are approximate (about 100 m); the regency column is the regency/city the station stands in.

use crate::geo::GeoPoint;
use crate::region::RegencyCode;
use crate::Language;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const STATIONS_CSV: &str = include_str!("../../../assets/reference/stations.csv");

/// The kind of transit a station serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitMode {
    /// MRT Jakarta.
    Mrt,
    /// LRT Jakarta or LRT Jabodebek.
    Lrt,
    /// KRL Commuter Line.
    Krl,
    /// Transjakarta bus rapid transit.
    Brt,
}

impl TransitMode {
    /// Every mode.
    pub const ALL: [TransitMode; 4] = [
        TransitMode::Mrt,
        TransitMode::Lrt,
        TransitMode::Krl,
        TransitMode::Brt,
    ];

    fn from_code(code: &str) -> Option<TransitMode> {
        match code {
            "mrt" => Some(TransitMode::Mrt),
            "lrt" => Some(TransitMode::Lrt),
            "krl" => Some(TransitMode::Krl),
            "brt" => Some(TransitMode::Brt),
            _ => None,
        }
    }

    /// The mode's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (TransitMode::Mrt, _) => "MRT",
            (TransitMode::Lrt, _) => "LRT",
            (TransitMode::Krl, Language::Id) => "KRL Commuter Line",
            (TransitMode::Krl, Language::En) => "KRL commuter rail",
            (TransitMode::Brt, Language::Id) => "Halte Transjakarta",
            (TransitMode::Brt, Language::En) => "Transjakarta BRT stop",
        }
    }
}

/// A transit station or BRT stop.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Stable id, e.g. `mrt-bundaran-hi`, `krl-manggarai`, `tj-harmoni`.
    pub id: &'static str,
    /// The station's name (without sponsor naming rights).
    pub name: &'static str,
    /// Its mode.
    pub mode: TransitMode,
    /// The lines or corridors serving it, e.g. `Lin Bogor`, `Koridor 1 (Blok M-Kota)`.
    pub lines: Vec<&'static str>,
    /// The operator, e.g. `PT MRT Jakarta`.
    pub operator: &'static str,
    /// The regency/city it stands in.
    pub regency: RegencyCode,
    /// Its approximate position.
    pub point: GeoPoint,
}

fn parse(text: &'static str) -> Vec<Station> {
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,mode,lines,operator,regency,lat,lon"),
        "stations.csv header"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&'static str> = line.split(',').collect();
            let [id, name, mode, station_lines, operator, regency, lat, lon] = fields[..] else {
                panic!("stations.csv: 8 fields expected in {line:?}");
            };
            Station {
                id,
                name,
                mode: TransitMode::from_code(mode).unwrap_or_else(|| panic!("stations.csv: mode {mode:?}")),
                lines: station_lines.split(';').collect(),
                operator,
                regency: regency.parse().unwrap_or_else(|e| panic!("stations.csv: {e}")),
                point: GeoPoint::new(lat.parse().expect("lat"), lon.parse().expect("lon"))
                    .expect("a valid point"),
            }
        })
        .collect()
}

/// Every station, in the order of the asset (by mode, then line order).
pub fn stations() -> &'static [Station] {
    static STATIONS: OnceLock<Vec<Station>> = OnceLock::new();
    STATIONS.get_or_init(|| parse(STATIONS_CSV))
}

/// The station with this id.
pub fn station(id: &str) -> Option<&'static Station> {
    stations().iter().find(|s| s.id == id)
}

/// The station nearest to a point, with its distance in metres.
pub fn nearest(point: GeoPoint) -> Option<(&'static Station, f64)> {
    stations()
        .iter()
        .map(|s| (s, s.point.distance_m(point)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region;

    #[test]
    fn the_list_is_sound() {
        let all = stations();
        assert!(all.len() >= 140, "{}", all.len());
        let mut ids: Vec<_> = all.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for s in all {
            // Jabodetabek plus the Rangkasbitung line.
            assert!((-6.65..=-6.05).contains(&s.point.lat()), "{} lat", s.id);
            assert!((106.2..=107.2).contains(&s.point.lon()), "{} lon", s.id);
            let regency = region::regency(s.regency).unwrap_or_else(|| panic!("{} regency", s.id));
            assert!(
                ["31", "32", "36"].contains(&&regency.code.province().to_string()[..]),
                "{}",
                s.id
            );
        }
    }

    fn count(mode: TransitMode) -> usize {
        stations().iter().filter(|s| s.mode == mode).count()
    }

    #[test]
    fn counts_by_mode() {
        assert_eq!(
            TransitMode::ALL.map(count),
            [13, 24, 67, 42],
            "MRT, LRT (Jakarta + Jabodebek), KRL, Transjakarta"
        );
    }

    #[test]
    fn neighbouring_stations_are_close_and_lines_in_order() {
        // Consecutive MRT stations are 0.5 to 2.5 km apart, from Lebak Bulus to Bundaran HI.
        let mrt: Vec<_> = stations().iter().filter(|s| s.mode == TransitMode::Mrt).collect();
        for pair in mrt.windows(2) {
            let d = pair[0].point.distance_m(pair[1].point);
            assert!(
                (500.0..2_500.0).contains(&d),
                "{} -> {}: {d} m",
                pair[0].id,
                pair[1].id
            );
        }
        let check = |a: &str, b: &str, max_m: f64| {
            let d = station(a).unwrap().point.distance_m(station(b).unwrap().point);
            assert!(d < max_m, "{a} - {b}: {d} m");
        };
        check("mrt-dukuh-atas", "krl-sudirman", 300.0);
        check("mrt-dukuh-atas", "lrtjb-dukuh-atas", 300.0);
        check("mrt-bundaran-hi", "tj-bundaran-hi", 300.0);
        check("mrt-blok-m", "tj-blok-m", 500.0); // the bus terminal is beside the elevated station
        check("krl-jakarta-kota", "tj-kota", 300.0);
        check("krl-cawang", "lrtjb-cikoko", 400.0);
        check("krl-tanah-abang", "krl-karet", 2_000.0);
        check("krl-bogor", "krl-cilebut", 8_000.0);
    }

    #[test]
    fn nearest_station() {
        let monas = GeoPoint::new(-6.1754, 106.8272).unwrap();
        let (s, d) = nearest(monas).unwrap();
        assert_eq!(s.id, "tj-monas");
        assert!(d < 600.0, "{d}");
        let manggarai = station("krl-manggarai").unwrap();
        assert_eq!(manggarai.lines, vec!["Lin Bogor", "Lin Cikarang"]);
        assert_eq!(manggarai.operator, "PT KAI Commuter");
    }
}
