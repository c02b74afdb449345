//! Points and circles on the Earth (WGS 84), with the checks every coordinate from a caller must pass.

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (IUGG), used by the haversine distance.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS 84 position in decimal degrees. Always finite and in range: build it with [`GeoPoint::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint", into = "RawPoint")]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

#[derive(Serialize, Deserialize)]
struct RawPoint {
    lat: f64,
    lon: f64,
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = GeoError;
    fn try_from(raw: RawPoint) -> Result<Self, GeoError> {
        GeoPoint::new(raw.lat, raw.lon)
    }
}

impl From<GeoPoint> for RawPoint {
    fn from(point: GeoPoint) -> Self {
        RawPoint {
            lat: point.lat,
            lon: point.lon,
        }
    }
}

/// A coordinate that is not a position on the Earth.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum GeoError {
    /// NaN or infinite.
    #[error("coordinate is not a finite number")]
    NotFinite,
    /// Latitude outside −90…90.
    #[error("latitude {0} is outside -90..=90")]
    LatitudeOutOfRange(f64),
    /// Longitude outside −180…180.
    #[error("longitude {0} is outside -180..=180")]
    LongitudeOutOfRange(f64),
    /// A circle with a negative or non-finite radius.
    #[error("radius {0} m is not a non-negative finite number")]
    BadRadius(f64),
}

impl GeoPoint {
    /// A checked position.
    pub fn new(lat: f64, lon: f64) -> Result<GeoPoint, GeoError> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(GeoError::NotFinite);
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::LatitudeOutOfRange(lat));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::LongitudeOutOfRange(lon));
        }
        Ok(GeoPoint { lat, lon })
    }

    /// Latitude in degrees, north positive.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Longitude in degrees, east positive.
    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let dphi = phi2 - phi1;
        let dlambda = (other.lon - self.lon).to_radians();
        let a = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }

    /// True inside a box around Indonesia's territory (6°N…11.5°S, 94.5°E…141.5°E), a cheap sanity check
    /// for positions reported to an Indonesian 110 desk.
    pub fn is_in_indonesia(self) -> bool {
        (-11.5..=6.5).contains(&self.lat) && (94.5..=141.5).contains(&self.lon)
    }
}

/// A circle: a centre and a radius in metres (a radius of 0 is a point).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Circle {
    /// The centre.
    pub center: GeoPoint,
    /// The radius in metres.
    pub radius_m: f64,
}

impl Circle {
    /// A checked circle.
    pub fn new(center: GeoPoint, radius_m: f64) -> Result<Circle, GeoError> {
        if !radius_m.is_finite() || radius_m < 0.0 {
            return Err(GeoError::BadRadius(radius_m));
        }
        Ok(Circle { center, radius_m })
    }

    /// True when `point` lies inside or on the circle.
    pub fn contains(&self, point: GeoPoint) -> bool {
        self.center.distance_m(point) <= self.radius_m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lat: f64, lon: f64, expect: Result<(), GeoError>) {
        assert_eq!(GeoPoint::new(lat, lon).map(|_| ()), expect, "({lat}, {lon})");
    }

    #[test]
    fn checks_ranges() {
        check(-6.1754, 106.8272, Ok(()));
        check(90.0, 180.0, Ok(()));
        check(90.1, 0.0, Err(GeoError::LatitudeOutOfRange(90.1)));
        check(0.0, -180.5, Err(GeoError::LongitudeOutOfRange(-180.5)));
        check(f64::NAN, 0.0, Err(GeoError::NotFinite));
        check(0.0, f64::INFINITY, Err(GeoError::NotFinite));
    }

    #[test]
    fn distances_are_plausible() {
        let monas = GeoPoint::new(-6.1754, 106.8272).unwrap();
        let bundaran_hi = GeoPoint::new(-6.1950, 106.8230).unwrap();
        let surabaya = GeoPoint::new(-7.2575, 112.7521).unwrap();
        let near = monas.distance_m(bundaran_hi);
        assert!((2_000.0..2_400.0).contains(&near), "{near}");
        let far = monas.distance_m(surabaya) / 1000.0;
        assert!((650.0..680.0).contains(&far), "{far}");
        assert!(monas.is_in_indonesia());
        assert!(!GeoPoint::new(35.68, 139.69).unwrap().is_in_indonesia());
    }

    #[test]
    fn deserialising_checks_ranges() {
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":-6.2,"lon":106.8}"#).is_ok());
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":-96.2,"lon":106.8}"#).is_err());
        let circle = Circle::new(GeoPoint::new(-6.2, 106.8).unwrap(), 100.0).unwrap();
        assert!(circle.contains(GeoPoint::new(-6.2005, 106.8).unwrap()));
        assert!(!circle.contains(GeoPoint::new(-6.202, 106.8).unwrap()));
        assert_eq!(Circle::new(circle.center, -1.0), Err(GeoError::BadRadius(-1.0)));
    }
}
