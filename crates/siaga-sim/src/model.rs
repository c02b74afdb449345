//! The traffic model: a seeded random source, Polda weights by population, hour-of-day profiles per
//! category, the prank/empty share, synthetic NIKs from real region codes, and kiosk alert kinds.
//!
//! Everything here is a pure function of the seed, so a run with `--seed 1` plans the same traffic
//! every time.

use siaga_domain::region::{self, ProvinceCode, RegencyCode};
use siaga_domain::{Category, GeoPoint, PoldaId};

/// In Polda DIY in 2023, 29,707 of 30,278 calls to 110 were prank or empty (docs/decisions/0008).
pub const DEFAULT_PRANK_SHARE: f64 = 29_707.0 / 30_278.0;

/// A small, fast, seeded random source (SplitMix64): the same seed gives the same sequence on every
/// platform and every version of this crate's dependencies.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x05EE_D110)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut pick = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if pick < *weight {
                return index;
            }
            pick -= weight;
        }
        weights.len() - 1
    }

    /// An exponential wait with the given mean (Poisson arrivals).
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }
}

/// Population in millions (BPS 2023, rounded) of each Polda's area: Metro Jaya includes Bekasi,
/// Depok and Tangerang, which are taken out of Jawa Barat and Banten.
pub fn population_millions(polda: PoldaId) -> f64 {
    match polda.home_province().number() {
        11 => 5.5,
        12 => 15.4,
        13 => 5.6,
        14 => 6.6,
        15 => 3.7,
        16 => 8.7,
        17 => 2.1,
        18 => 9.3,
        19 => 1.5,
        21 => 2.2,
        31 => 21.0,
        32 => 42.0,
        33 => 37.5,
        34 => 3.7,
        35 => 41.4,
        36 => 8.5,
        51 => 4.4,
        52 => 5.6,
        53 => 5.6,
        61 => 5.6,
        62 => 2.7,
        63 => 4.2,
        64 => 4.0,
        65 => 0.7,
        71 => 2.7,
        72 => 3.1,
        73 => 9.4,
        74 => 2.8,
        75 => 1.2,
        76 => 1.5,
        81 => 1.9,
        82 => 1.3,
        91 => 4.4,
        92 => 1.2,
        _ => 1.0,
    }
}

/// Draws a Polda weighted by population.
pub fn pick_polda(rng: &mut Rng) -> PoldaId {
    let weights: Vec<f64> = PoldaId::ALL.iter().map(|p| population_millions(*p)).collect();
    PoldaId::ALL[rng.weighted(&weights)]
}

/// Where a report comes from: near one of the Polda's transit stations when it has any (they stand
/// where people are, and on land: Greater Jakarta's coast is a few km from its centre), else within about
/// 5 km of the Polda's headquarters. With the regency/city of that station (the report's Kemendagri code at
/// the level the simulator knows).
pub fn point_near(rng: &mut Rng, polda: PoldaId) -> (GeoPoint, Option<RegencyCode>) {
    let stations: Vec<(GeoPoint, RegencyCode)> = siaga_domain::station::stations()
        .iter()
        .filter(|s| siaga_domain::polda::polda_for_regency(s.regency) == Some(polda))
        .map(|s| (s.point, s.regency))
        .collect();
    let (centre, regency, spread) = if stations.is_empty() {
        (polda.headquarters(), None, 0.09)
    } else {
        let (point, regency) = stations[rng.below(stations.len() as u64) as usize];
        (point, Some(regency), 0.02)
    };
    let lat = centre.lat() + (rng.unit() - 0.5) * spread;
    let lon = centre.lon() + (rng.unit() - 0.5) * spread;
    (GeoPoint::new(lat, lon).unwrap_or(centre), regency)
}

/// How a category's reports spread over the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayShape {
    /// Peaks at the morning and evening rush hours.
    Commute,
    /// Peaks in the late evening and night.
    Night,
    /// Office hours.
    Day,
    /// About the same all day.
    Flat,
}

impl DayShape {
    /// The relative weight of a local hour (0–23).
    pub fn weight(self, hour: u8) -> f64 {
        let rush = matches!(hour, 6..=9 | 16..=19);
        match self {
            DayShape::Commute if rush => 3.0,
            DayShape::Commute => 0.6,
            DayShape::Night if hour >= 20 || hour <= 3 => 3.0,
            DayShape::Night => 0.5,
            DayShape::Day if (9..=17).contains(&hour) => 2.5,
            DayShape::Day => 0.4,
            DayShape::Flat => 1.0,
        }
    }
}

/// The categories of real (not prank) reports: base share and day shape.
pub const CATEGORY_MIX: &[(Category, f64, DayShape)] = &[
    (Category::Theft, 14.0, DayShape::Commute),
    (Category::VehicleTheft, 8.0, DayShape::Night),
    (Category::Robbery, 4.0, DayShape::Night),
    (Category::Assault, 5.0, DayShape::Night),
    (Category::DomesticViolence, 6.0, DayShape::Night),
    (Category::SexualViolence, 2.0, DayShape::Commute),
    (Category::TrafficAccident, 12.0, DayShape::Commute),
    (Category::TrafficJam, 5.0, DayShape::Commute),
    (Category::Fire, 3.0, DayShape::Flat),
    (Category::Brawl, 4.0, DayShape::Night),
    (Category::Fraud, 6.0, DayShape::Day),
    (Category::MissingPerson, 2.0, DayShape::Day),
    (Category::PublicDisorder, 5.0, DayShape::Night),
    (Category::MedicalEmergency, 6.0, DayShape::Flat),
    (Category::Complaint, 18.0, DayShape::Day),
];

/// Draws the category of a real report at a local hour.
pub fn pick_category(rng: &mut Rng, hour: u8) -> Category {
    let weights: Vec<f64> = CATEGORY_MIX
        .iter()
        .map(|(_, share, shape)| share * shape.weight(hour))
        .collect();
    CATEGORY_MIX[rng.weighted(&weights)].0
}

/// How busy 110 is at a local hour, relative to the daily mean (calls follow people's days).
pub fn call_intensity(hour: u8) -> f64 {
    match hour {
        0..=4 => 0.4,
        5..=6 => 0.7,
        7..=9 => 1.4,
        10..=15 => 1.1,
        16..=20 => 1.5,
        _ => 0.9,
    }
}

/// A structurally valid synthetic NIK of someone living in `province`: a real district code, a birth
/// date (day + 40 for women) and a serial. Never a real person's: the serial is drawn at random.
pub fn synthetic_nik(rng: &mut Rng, province: ProvinceCode) -> String {
    let districts: Vec<_> = region::districts()
        .filter(|d| d.code.province() == province)
        .collect();
    let district = if districts.is_empty() {
        format!("{:02}0101", province.number())
    } else {
        format!(
            "{:06}",
            districts[rng.below(districts.len() as u64) as usize]
                .code
                .number()
        )
    };
    let day = 1 + rng.below(28) + if rng.chance(0.5) { 40 } else { 0 };
    let month = 1 + rng.below(12);
    let year = rng.below(100);
    let serial = 1 + rng.below(9_999);
    format!("{district}{day:02}{month:02}{year:02}{serial:04}")
}

/// What a kiosk button reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskAlertKind {
    /// Copet.
    Pickpocketing,
    /// Pelecehan.
    Harassment,
    /// Someone collapsed.
    Medical,
}

impl KioskAlertKind {
    /// The category the kiosk proposes.
    pub fn category(self) -> Category {
        match self {
            KioskAlertKind::Pickpocketing => Category::Theft,
            KioskAlertKind::Harassment => Category::SexualViolence,
            KioskAlertKind::Medical => Category::MedicalEmergency,
        }
    }

    /// What the citizen's button says.
    pub fn description(self) -> &'static str {
        match self {
            KioskAlertKind::Pickpocketing => "Copet di peron",
            KioskAlertKind::Harassment => "Pelecehan di gerbong",
            KioskAlertKind::Medical => "Penumpang pingsan",
        }
    }

    /// Draws a kind (pickpocketing is the most common).
    pub fn pick(rng: &mut Rng) -> KioskAlertKind {
        [
            KioskAlertKind::Pickpocketing,
            KioskAlertKind::Harassment,
            KioskAlertKind::Medical,
        ][rng.weighted(&[6.0, 2.0, 2.0])]
    }
}

/// The chance that one kiosk raises an alert in one simulated minute at a local hour: mostly at rush
/// hours.
pub fn kiosk_alert_chance(hour: u8) -> f64 {
    if matches!(hour, 6..=9 | 16..=19) {
        0.0005
    } else {
        0.00005
    }
}
