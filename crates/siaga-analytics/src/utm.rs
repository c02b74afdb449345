//! WGS 84 → UTM, the metric plane every grid, bandwidth and distance here is measured in.
//!
//! One zone is chosen for a whole data set, from the median longitude of its points ([`Projection::for_points`]):
//! Indonesia spans zones 46–54 and a Polda's data sits in one or two, so distances stay true to well under 0.1 %
//! within ±3° of the zone's meridian and degrade slowly beyond it (a national set is still binned consistently).
//! The hemisphere's false northing is chosen once too, so a data set that crosses the equator (Sumatra,
//! Kalimantan, Sulawesi) keeps one continuous plane. Norway's and Svalbard's zone exceptions are not applied.
//! The series are Snyder's (USGS Professional Paper 1395, eq. 8-9 to 8-10), accurate to millimetres in the zone.

/// A transverse Mercator projection fixed to one UTM zone and hemisphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// UTM zone, 1–60.
    pub zone: u8,
    /// Whether the southern hemisphere's false northing (10,000 km) is added.
    pub south: bool,
    central_meridian: f64,
}

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;
const K0: f64 = 0.9996;
const FALSE_EASTING: f64 = 500_000.0;
const FALSE_NORTHING_SOUTH: f64 = 10_000_000.0;

impl Projection {
    /// The zone containing `lon` (degrees), northern or southern false northing.
    pub fn for_zone_of(lon: f64, south: bool) -> Self {
        let zone = (((lon + 180.0) / 6.0).floor() as i64 + 1).clamp(1, 60) as u8;
        Self::zone(zone, south)
    }

    /// A given zone (1–60; clamped).
    pub fn zone(zone: u8, south: bool) -> Self {
        let zone = zone.clamp(1, 60);
        let central_meridian = (f64::from(zone) - 1.0) * 6.0 - 180.0 + 3.0;
        Self {
            zone,
            south,
            central_meridian,
        }
    }

    /// The zone of the points' median longitude, the hemisphere of their median latitude. `None` for no points.
    pub fn for_points(lat_lon: impl Iterator<Item = (f64, f64)>) -> Option<Self> {
        let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = lat_lon.unzip();
        if lats.is_empty() {
            return None;
        }
        let mid = lats.len() / 2;
        let lat = *lats.select_nth_unstable_by(mid, f64::total_cmp).1;
        let lon = *lons.select_nth_unstable_by(mid, f64::total_cmp).1;
        Some(Self::for_zone_of(lon, lat < 0.0))
    }

    /// The EPSG code of this zone on WGS 84 (326zz north, 327zz south).
    pub fn epsg(&self) -> u32 {
        (if self.south { 32_700 } else { 32_600 }) + u32::from(self.zone)
    }

    /// A short name such as "48S".
    pub fn name(&self) -> String {
        format!("{}{}", self.zone, if self.south { 'S' } else { 'N' })
    }

    /// Easting and northing in metres of a WGS 84 point (degrees).
    pub fn forward(&self, lat: f64, lon: f64) -> (f64, f64) {
        let e2 = F * (2.0 - F);
        let ep2 = e2 / (1.0 - e2);
        let phi = lat.to_radians();
        let (sin, cos) = phi.sin_cos();
        let tan = sin / cos;
        let n = A / (1.0 - e2 * sin * sin).sqrt();
        let t = tan * tan;
        let c = ep2 * cos * cos;
        let mut dl = lon - self.central_meridian;
        if dl > 180.0 {
            dl -= 360.0;
        } else if dl < -180.0 {
            dl += 360.0;
        }
        let a = cos * dl.to_radians();
        let (e4, e6) = (e2 * e2, e2 * e2 * e2);
        let m = A
            * ((1.0 - e2 / 4.0 - 3.0 * e4 / 64.0 - 5.0 * e6 / 256.0) * phi
                - (3.0 * e2 / 8.0 + 3.0 * e4 / 32.0 + 45.0 * e6 / 1024.0) * (2.0 * phi).sin()
                + (15.0 * e4 / 256.0 + 45.0 * e6 / 1024.0) * (4.0 * phi).sin()
                - (35.0 * e6 / 3072.0) * (6.0 * phi).sin());
        let (a2, a3) = (a * a, a * a * a);
        let (a4, a5, a6) = (a3 * a, a3 * a2, a3 * a3);
        let easting = FALSE_EASTING
            + K0 * n
                * (a + (1.0 - t + c) * a3 / 6.0
                    + (5.0 - 18.0 * t + t * t + 72.0 * c - 58.0 * ep2) * a5 / 120.0);
        let northing = K0
            * (m + n
                * tan
                * (a2 / 2.0
                    + (5.0 - t + 9.0 * c + 4.0 * c * c) * a4 / 24.0
                    + (61.0 - 58.0 * t + t * t + 600.0 * c - 330.0 * ep2) * a6 / 720.0));
        (
            easting,
            if self.south {
                northing + FALSE_NORTHING_SOUTH
            } else {
                northing
            },
        )
    }

    /// Latitude and longitude (degrees) of a point on this plane (Snyder eq. 8-18 to 8-25; the inverse of
    /// [`Projection::forward`] to about a millimetre within the zone).
    pub fn inverse(&self, easting: f64, northing: f64) -> (f64, f64) {
        let e2 = F * (2.0 - F);
        let ep2 = e2 / (1.0 - e2);
        let (e4, e6) = (e2 * e2, e2 * e2 * e2);
        let x = easting - FALSE_EASTING;
        let y = if self.south {
            northing - FALSE_NORTHING_SOUTH
        } else {
            northing
        };
        let m = y / K0;
        let mu = m / (A * (1.0 - e2 / 4.0 - 3.0 * e4 / 64.0 - 5.0 * e6 / 256.0));
        let root = (1.0 - e2).sqrt();
        let e1 = (1.0 - root) / (1.0 + root);
        let phi1 = mu
            + (3.0 * e1 / 2.0 - 27.0 * e1.powi(3) / 32.0) * (2.0 * mu).sin()
            + (21.0 * e1 * e1 / 16.0 - 55.0 * e1.powi(4) / 32.0) * (4.0 * mu).sin()
            + (151.0 * e1.powi(3) / 96.0) * (6.0 * mu).sin()
            + (1097.0 * e1.powi(4) / 512.0) * (8.0 * mu).sin();
        let (sin1, cos1) = phi1.sin_cos();
        let tan1 = sin1 / cos1;
        let c1 = ep2 * cos1 * cos1;
        let t1 = tan1 * tan1;
        let w = 1.0 - e2 * sin1 * sin1;
        let n1 = A / w.sqrt();
        let r1 = A * (1.0 - e2) / w.powf(1.5);
        let d = x / (n1 * K0);
        let (d2, d3) = (d * d, d * d * d);
        let (d4, d5, d6) = (d3 * d, d3 * d2, d3 * d3);
        let phi = phi1
            - (n1 * tan1 / r1)
                * (d2 / 2.0 - (5.0 + 3.0 * t1 + 10.0 * c1 - 4.0 * c1 * c1 - 9.0 * ep2) * d4 / 24.0
                    + (61.0 + 90.0 * t1 + 298.0 * c1 + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1 * c1) * d6
                        / 720.0);
        let lambda = (d - (1.0 + 2.0 * t1 + c1) * d3 / 6.0
            + (5.0 - 2.0 * c1 + 28.0 * t1 - 3.0 * c1 * c1 + 8.0 * ep2 + 24.0 * t1 * t1) * d5 / 120.0)
            / cos1;
        (phi.to_degrees(), self.central_meridian + lambda.to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_landmarks_land_where_the_national_grid_puts_them() {
        // Monas, Jakarta: zone 48S (reference values from PROJ 9 via pyproj, EPSG:32748).
        let p = Projection::for_zone_of(106.827_153, true);
        assert_eq!((p.zone, p.epsg(), p.name()), (48, 32_748, "48S".to_string()));
        let (e, n) = p.forward(-6.175_392, 106.827_153);
        assert!(
            (e - 702_178.122_709).abs() < 0.001 && (n - 9_317_060.285_667).abs() < 0.001,
            "{e} {n}"
        );
        // Medan is north of the equator: zone 47N.
        let q = Projection::for_points([(3.5952, 98.6722), (3.58, 98.68), (3.6, 98.66)].into_iter()).unwrap();
        assert_eq!(q.name(), "47N");
    }

    #[test]
    fn inverse_brings_points_back_across_the_zone() {
        for (zone, south) in [(48, true), (47, false), (54, true), (30, false)] {
            let p = Projection::zone(zone, south);
            let meridian = (f64::from(zone) - 1.0) * 6.0 - 177.0;
            for lat in [-10.0, -6.2, -0.01, 0.01, 3.6, 51.5] {
                for dl in [-3.0, -1.2, 0.0, 0.7, 2.9] {
                    let (e, n) = p.forward(lat, meridian + dl);
                    let (lat2, lon2) = p.inverse(e, n);
                    // 1e-8 degrees is about a millimetre.
                    assert!(
                        (lat2 - lat).abs() < 1e-8 && (lon2 - meridian - dl).abs() < 1e-8,
                        "{zone} {lat} {dl}: {lat2} {lon2}"
                    );
                }
            }
        }
    }

    #[test]
    fn one_plane_across_the_equator_keeps_distances() {
        // Pontianak sits on the equator: 1 km north and 1 km south of it are 2 km apart on the plane.
        let p = Projection::for_zone_of(109.33, true);
        let one_km_deg = 1000.0 / 110_574.0;
        let (_, n_south) = p.forward(-one_km_deg, 109.33);
        let (_, n_north) = p.forward(one_km_deg, 109.33);
        assert!(
            (n_north - n_south - 2000.0 * K0).abs() < 5.0,
            "{}",
            n_north - n_south
        );
    }
}
