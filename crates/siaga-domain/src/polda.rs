//! Police jurisdictions: the Polda (regional police) of each province and the Polres (resort police) of
//! each regency/city, including the Polda Metro Jaya areas outside DKI Jakarta.
//!
//! Sources and approximations (see `assets/reference/SOURCES.md`):
//! - One Polda per province, 34 in all. The four provinces created in 2022 (Papua Selatan, Papua Tengah,
//!   Papua Pegunungan, Papua Barat Daya) are mapped to the Polda that covered them before the split
//!   (Polda Papua; Polda Papua Barat for Papua Barat Daya) until Polda of their own are in force.
//! - Polda Metro Jaya covers DKI Jakarta and, outside it, Kota Depok, Kota Bekasi, Kabupaten Bekasi,
//!   Kota Tangerang, Kota Tangerang Selatan, and the districts of Kabupaten Tangerang listed in
//!   [`METRO_JAYA_DISTRICTS`]; the rest of Kabupaten Tangerang is Polresta Tangerang of Polda Banten.
//! - One Polres per regency/city (514). Names follow a rule ("Polres X", "Polres X Kota" where a
//!   kabupaten of the same name exists) with a table of known Polresta/Polrestabes/Metro names. Where one
//!   real Polres covers several regencies, this model still gives each regency its own.

use crate::region::{self, DistrictCode, ProvinceCode, RegencyCode, RegencyKind};
use crate::{GeoPoint, Language};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! poldas {
    ($( $variant:ident = $code:literal, $name:literal, $province:literal; )*) => {
        /// A Polda (Kepolisian Daerah). The JSON form is the stable `code`, e.g. `metro_jaya`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum PoldaId {
            $( #[doc = $name] #[serde(rename = $code)] $variant, )*
        }

        impl PoldaId {
            /// Every Polda.
            pub const ALL: &'static [PoldaId] = &[ $( PoldaId::$variant, )* ];

            /// The stable machine name, e.g. `metro_jaya` (also used in sync subjects).
            pub fn code(self) -> &'static str {
                match self { $( PoldaId::$variant => $code, )* }
            }

            /// The official name, e.g. `Polda Metro Jaya`.
            pub fn name(self) -> &'static str {
                match self { $( PoldaId::$variant => $name, )* }
            }

            /// The province where the Polda has its headquarters.
            pub fn home_province(self) -> ProvinceCode {
                let code = match self { $( PoldaId::$variant => $province, )* };
                ProvinceCode::from_number(code).expect("valid province code")
            }
        }
    };
}

poldas! {
    Aceh = "aceh", "Polda Aceh", 11;
    SumateraUtara = "sumatera_utara", "Polda Sumatera Utara", 12;
    SumateraBarat = "sumatera_barat", "Polda Sumatera Barat", 13;
    Riau = "riau", "Polda Riau", 14;
    Jambi = "jambi", "Polda Jambi", 15;
    SumateraSelatan = "sumatera_selatan", "Polda Sumatera Selatan", 16;
    Bengkulu = "bengkulu", "Polda Bengkulu", 17;
    Lampung = "lampung", "Polda Lampung", 18;
    KepulauanBangkaBelitung = "kepulauan_bangka_belitung", "Polda Kepulauan Bangka Belitung", 19;
    KepulauanRiau = "kepulauan_riau", "Polda Kepulauan Riau", 21;
    MetroJaya = "metro_jaya", "Polda Metro Jaya", 31;
    JawaBarat = "jawa_barat", "Polda Jawa Barat", 32;
    JawaTengah = "jawa_tengah", "Polda Jawa Tengah", 33;
    DaerahIstimewaYogyakarta = "diy", "Polda Daerah Istimewa Yogyakarta", 34;
    JawaTimur = "jawa_timur", "Polda Jawa Timur", 35;
    Banten = "banten", "Polda Banten", 36;
    Bali = "bali", "Polda Bali", 51;
    NusaTenggaraBarat = "nusa_tenggara_barat", "Polda Nusa Tenggara Barat", 52;
    NusaTenggaraTimur = "nusa_tenggara_timur", "Polda Nusa Tenggara Timur", 53;
    KalimantanBarat = "kalimantan_barat", "Polda Kalimantan Barat", 61;
    KalimantanTengah = "kalimantan_tengah", "Polda Kalimantan Tengah", 62;
    KalimantanSelatan = "kalimantan_selatan", "Polda Kalimantan Selatan", 63;
    KalimantanTimur = "kalimantan_timur", "Polda Kalimantan Timur", 64;
    KalimantanUtara = "kalimantan_utara", "Polda Kalimantan Utara", 65;
    SulawesiUtara = "sulawesi_utara", "Polda Sulawesi Utara", 71;
    SulawesiTengah = "sulawesi_tengah", "Polda Sulawesi Tengah", 72;
    SulawesiSelatan = "sulawesi_selatan", "Polda Sulawesi Selatan", 73;
    SulawesiTenggara = "sulawesi_tenggara", "Polda Sulawesi Tenggara", 74;
    Gorontalo = "gorontalo", "Polda Gorontalo", 75;
    SulawesiBarat = "sulawesi_barat", "Polda Sulawesi Barat", 76;
    Maluku = "maluku", "Polda Maluku", 81;
    MalukuUtara = "maluku_utara", "Polda Maluku Utara", 82;
    Papua = "papua", "Polda Papua", 91;
    PapuaBarat = "papua_barat", "Polda Papua Barat", 92;
}

impl fmt::Display for PoldaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A Polda code Siaga does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Polda {0:?}")]
pub struct UnknownPolda(pub String);

impl FromStr for PoldaId {
    type Err = UnknownPolda;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        PoldaId::ALL
            .iter()
            .copied()
            .find(|p| p.code() == code)
            .ok_or_else(|| UnknownPolda(code.to_owned()))
    }
}

impl PoldaId {
    /// Where the Polda's headquarters stands: its home province's capital (approximate, public facts).
    /// The desk's map opens there and the simulator places its reports around it.
    pub fn headquarters(self) -> GeoPoint {
        let (lat, lon) = match self.home_province().number() {
            11 => (5.55, 95.32),
            12 => (3.59, 98.67),
            13 => (-0.95, 100.35),
            14 => (0.51, 101.45),
            15 => (-1.61, 103.61),
            16 => (-2.98, 104.76),
            17 => (-3.80, 102.27),
            18 => (-5.43, 105.26),
            19 => (-2.13, 106.11),
            21 => (0.92, 104.45),
            31 => (-6.20, 106.85),
            32 => (-6.91, 107.61),
            33 => (-6.97, 110.42),
            34 => (-7.80, 110.37),
            35 => (-7.25, 112.75),
            36 => (-6.12, 106.15),
            51 => (-8.65, 115.22),
            52 => (-8.58, 116.12),
            53 => (-10.18, 123.60),
            61 => (-0.03, 109.33),
            62 => (-2.21, 113.92),
            63 => (-3.44, 114.83),
            64 => (-0.50, 117.15),
            65 => (2.84, 117.37),
            71 => (1.47, 124.84),
            72 => (-0.90, 119.87),
            73 => (-5.15, 119.43),
            74 => (-3.97, 122.51),
            75 => (0.54, 123.06),
            76 => (-2.68, 118.89),
            81 => (-3.70, 128.18),
            82 => (0.74, 127.56),
            91 => (-2.53, 140.72),
            92 => (-0.86, 134.06),
            _ => (-6.20, 106.85),
        };
        GeoPoint::new(lat, lon).expect("every headquarters is a valid point")
    }
}

/// The Polda responsible for a province as a whole (see [`polda_for_regency`] for Metro Jaya's areas in
/// Jawa Barat and Banten).
pub fn polda_for_province(province: ProvinceCode) -> Option<PoldaId> {
    let number = province.number();
    // The new Papua provinces (2022) are covered by the Polda of the province they were split from.
    let number = match number {
        93..=95 => 91,
        96 => 92,
        other => other,
    };
    PoldaId::ALL
        .iter()
        .copied()
        .find(|p| p.home_province().number() == number)
}

/// Regencies/cities outside DKI Jakarta that belong to Polda Metro Jaya as a whole.
pub const METRO_JAYA_REGENCIES: &[(u16, &str)] = &[
    (3216, "Kabupaten Bekasi"),
    (3275, "Kota Bekasi"),
    (3276, "Kota Depok"),
    (3671, "Kota Tangerang"),
    (3674, "Kota Tangerang Selatan"),
];

/// Districts of Kabupaten Tangerang policed by Polda Metro Jaya, with the Polres (by its home regency) that
/// covers them: the north-east towards the airport by Polres Metro Tangerang Kota, Cisauk and Pagedangan by
/// Polres Tangerang Selatan. Approximation from public Polsek listings; the rest of the regency is Polresta
/// Tangerang (Polda Banten).
pub const METRO_JAYA_DISTRICTS: &[(u32, &str, u16)] = &[
    (360312, "Pasar Kemis", 3671),
    (360313, "Teluknaga", 3671),
    (360314, "Kosambi", 3671),
    (360315, "Pakuhaji", 3671),
    (360316, "Sepatan", 3671),
    (360330, "Sepatan Timur", 3671),
    (360322, "Pagedangan", 3674),
    (360323, "Cisauk", 3674),
];

/// The Polda responsible for a regency/city as a whole.
pub fn polda_for_regency(regency: RegencyCode) -> Option<PoldaId> {
    region::regency(regency)?;
    if regency.province().number() == 31
        || METRO_JAYA_REGENCIES
            .iter()
            .any(|&(code, _)| code == regency.number())
    {
        return Some(PoldaId::MetroJaya);
    }
    polda_for_province(regency.province())
}

/// A Polres (Kepolisian Resor), identified by the regency/city it is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolresId(pub RegencyCode);

impl fmt::Display for PolresId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Polres with its name and Polda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polres {
    /// Its id (the regency/city it is named after).
    pub id: PolresId,
    /// Its name, e.g. `Polres Metro Jakarta Pusat`, `Polrestabes Surabaya`, `Polres Bogor`.
    pub name: String,
    /// The Polda it reports to.
    pub polda: PoldaId,
}

/// Polres names that the naming rule does not produce: Metro Jaya, Polrestabes and Polresta, by regency.
const KNOWN_POLRES_NAMES: &[(u16, &str)] = &[
    (3101, "Polres Kepulauan Seribu"),
    (3171, "Polres Metro Jakarta Pusat"),
    (3172, "Polres Metro Jakarta Utara"),
    (3173, "Polres Metro Jakarta Barat"),
    (3174, "Polres Metro Jakarta Selatan"),
    (3175, "Polres Metro Jakarta Timur"),
    (3216, "Polres Metro Bekasi"),
    (3275, "Polres Metro Bekasi Kota"),
    (3276, "Polres Metro Depok"),
    (3671, "Polres Metro Tangerang Kota"),
    (3674, "Polres Tangerang Selatan"),
    (1271, "Polrestabes Medan"),
    (1671, "Polrestabes Palembang"),
    (3273, "Polrestabes Bandung"),
    (3374, "Polrestabes Semarang"),
    (3578, "Polrestabes Surabaya"),
    (7371, "Polrestabes Makassar"),
    (1171, "Polresta Banda Aceh"),
    (1207, "Polresta Deli Serdang"),
    (1371, "Polresta Padang"),
    (1471, "Polresta Pekanbaru"),
    (1571, "Polresta Jambi"),
    (1771, "Polresta Bengkulu"),
    (1871, "Polresta Bandar Lampung"),
    (2171, "Polresta Barelang"),
    (2172, "Polresta Tanjungpinang"),
    (3204, "Polresta Bandung"),
    (3209, "Polresta Cirebon"),
    (3271, "Polresta Bogor Kota"),
    (3301, "Polresta Cilacap"),
    (3302, "Polresta Banyumas"),
    (3308, "Polresta Magelang"),
    (3318, "Polresta Pati"),
    (3372, "Polresta Surakarta"),
    (3404, "Polresta Sleman"),
    (3471, "Polresta Yogyakarta"),
    (3510, "Polresta Banyuwangi"),
    (3515, "Polresta Sidoarjo"),
    (3573, "Polresta Malang Kota"),
    (3603, "Polresta Tangerang"),
    (5171, "Polresta Denpasar"),
    (5271, "Polresta Mataram"),
    (5371, "Polresta Kupang Kota"),
    (6171, "Polresta Pontianak"),
    (6271, "Polresta Palangka Raya"),
    (6371, "Polresta Banjarmasin"),
    (6471, "Polresta Balikpapan"),
    (6472, "Polresta Samarinda"),
    (7171, "Polresta Manado"),
    (7271, "Polresta Palu"),
    (7471, "Polresta Kendari"),
    (7571, "Polresta Gorontalo Kota"),
    (7602, "Polresta Mamuju"),
    (8171, "Polresta Pulau Ambon dan Pulau-Pulau Lease"),
    (9171, "Polresta Jayapura Kota"),
    (9671, "Polresta Sorong Kota"),
];

impl PolresId {
    /// The regency/city the Polres is named after.
    pub fn regency(self) -> RegencyCode {
        self.0
    }

    /// The Polda this Polres reports to (`None` for an unknown regency).
    pub fn polda(self) -> Option<PoldaId> {
        polda_for_regency(self.0)
    }
}

/// The Polres named after a regency/city, if the regency exists.
pub fn polres(id: PolresId) -> Option<Polres> {
    let regency = region::regency(id.0)?;
    let polda = polda_for_regency(id.0)?;
    let name = match KNOWN_POLRES_NAMES
        .iter()
        .find(|&&(code, _)| code == id.0.number())
    {
        Some(&(_, name)) => name.to_owned(),
        None => {
            let short = regency.short_name();
            let twin_regency_exists = regency.kind() == RegencyKind::City
                && region::regencies_of(id.0.province())
                    .any(|other| other.kind() == RegencyKind::Regency && other.short_name() == short);
            if twin_regency_exists {
                format!("Polres {short} Kota")
            } else {
                format!("Polres {short}")
            }
        }
    };
    Some(Polres { id, name, polda })
}

/// Every Polres (one per regency/city), by regency code.
pub fn polres_list() -> Vec<Polres> {
    region::regencies()
        .filter_map(|r| polres(PolresId(r.code)))
        .collect()
}

/// The Polda and Polres responsible for a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// The Polda.
    pub polda: PoldaId,
    /// The Polres.
    pub polres: PolresId,
}

/// The Polda and Polres for a whole regency/city (for Kabupaten Tangerang: Polda Banten, Polresta
/// Tangerang; use [`jurisdiction_for_district`] when the district is known).
pub fn jurisdiction_for_regency(regency: RegencyCode) -> Option<Jurisdiction> {
    let polda = polda_for_regency(regency)?;
    Some(Jurisdiction {
        polda,
        polres: PolresId(regency),
    })
}

/// The Polda and Polres for a district, with Polda Metro Jaya's districts of Kabupaten Tangerang.
pub fn jurisdiction_for_district(district: DistrictCode) -> Option<Jurisdiction> {
    if let Some(&(_, _, polres)) = METRO_JAYA_DISTRICTS
        .iter()
        .find(|&&(code, _, _)| code == district.number())
    {
        let polres = RegencyCode::from_number(polres)?;
        return Some(Jurisdiction {
            polda: PoldaId::MetroJaya,
            polres: PolresId(polres),
        });
    }
    region::district(district)?;
    jurisdiction_for_regency(district.regency())
}

/// A sentence naming the jurisdiction, e.g. "Polres Metro Depok, Polda Metro Jaya".
pub fn describe(jurisdiction: Jurisdiction, language: Language) -> String {
    let polres = polres(jurisdiction.polres)
        .map(|p| p.name)
        .unwrap_or_else(|| jurisdiction.polres.to_string());
    match language {
        Language::Id => format!("{polres}, {}", jurisdiction.polda.name()),
        Language::En => format!("{polres}, {}", jurisdiction.polda.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(district: &str, expect: Option<(&str, &str)>) {
        let got = jurisdiction_for_district(district.parse().unwrap())
            .map(|j| (j.polda.name(), polres(j.polres).unwrap().name));
        assert_eq!(
            got.as_ref().map(|(a, b)| (*a, b.as_str())),
            expect,
            "district {district}"
        );
    }

    #[test]
    fn jurisdictions_by_district() {
        check(
            "31.71.01",
            Some(("Polda Metro Jaya", "Polres Metro Jakarta Pusat")),
        ); // Gambir
        check("31.01.01", Some(("Polda Metro Jaya", "Polres Kepulauan Seribu")));
        check("32.76.01", Some(("Polda Metro Jaya", "Polres Metro Depok"))); // Kota Depok, Jawa Barat
        check("32.75.01", Some(("Polda Metro Jaya", "Polres Metro Bekasi Kota")));
        check("32.16.01", Some(("Polda Metro Jaya", "Polres Metro Bekasi")));
        check(
            "36.71.01",
            Some(("Polda Metro Jaya", "Polres Metro Tangerang Kota")),
        ); // Kota Tangerang, Banten
        check("36.74.01", Some(("Polda Metro Jaya", "Polres Tangerang Selatan")));
        check(
            "36.03.13",
            Some(("Polda Metro Jaya", "Polres Metro Tangerang Kota")),
        ); // Teluknaga
        check("36.03.23", Some(("Polda Metro Jaya", "Polres Tangerang Selatan"))); // Cisauk
        check("36.03.03", Some(("Polda Banten", "Polresta Tangerang"))); // Tigaraksa
        check("32.01.01", Some(("Polda Jawa Barat", "Polres Bogor"))); // Kabupaten Bogor
        check("32.71.01", Some(("Polda Jawa Barat", "Polresta Bogor Kota")));
        check("35.78.01", Some(("Polda Jawa Timur", "Polrestabes Surabaya")));
        check("35.71.01", Some(("Polda Jawa Timur", "Polres Kediri Kota")));
        check("35.79.01", Some(("Polda Jawa Timur", "Polres Batu")));
        check("94.01.01", Some(("Polda Papua", "Polres Nabire"))); // Papua Tengah
        check("96.71.01", Some(("Polda Papua Barat", "Polresta Sorong Kota"))); // Papua Barat Daya
        check("31.71.99", None);
    }

    #[test]
    fn every_province_has_a_polda_and_every_regency_a_polres() {
        assert_eq!(PoldaId::ALL.len(), 34);
        for province in region::provinces() {
            assert!(polda_for_province(province.code).is_some(), "{}", province.name);
        }
        let list = polres_list();
        assert_eq!(list.len(), 514);
        let metro = list.iter().filter(|p| p.polda == PoldaId::MetroJaya).count();
        assert_eq!(metro, 6 + METRO_JAYA_REGENCIES.len());
        for polda in PoldaId::ALL {
            assert!(list.iter().any(|p| p.polda == *polda), "{polda} has no Polres");
            assert_eq!(polda.code().parse::<PoldaId>(), Ok(*polda));
        }
    }

    #[test]
    fn known_names_sit_on_the_right_regencies() {
        for &(code, name) in KNOWN_POLRES_NAMES {
            let regency = region::regency(RegencyCode::from_number(code).unwrap()).expect("regency exists");
            let place = name.split_whitespace().last().unwrap();
            let place = if place == "Kota" {
                name.split_whitespace().rev().nth(1).unwrap()
            } else {
                place
            };
            let expected_in_name = match place {
                "Barelang" => "Batam",
                "Lease" => "Ambon",
                "Tanjungpinang" => "Tanjung Pinang",
                "Raya" => "Palangkaraya",
                other => other,
            };
            assert!(
                regency.name.contains(expected_in_name),
                "{name} is on {}",
                regency.name
            );
        }
        for &(code, name, _) in METRO_JAYA_DISTRICTS {
            assert_eq!(
                region::district(DistrictCode::from_number(code).unwrap())
                    .unwrap()
                    .name,
                name
            );
        }
        for &(code, name) in METRO_JAYA_REGENCIES {
            assert_eq!(
                region::regency(RegencyCode::from_number(code).unwrap())
                    .unwrap()
                    .name,
                name
            );
        }
    }
}

#[cfg(test)]
mod json_form_tests {
    use super::PoldaId;

    #[test]
    fn the_json_form_is_the_code_for_every_polda() {
        for polda in PoldaId::ALL {
            let json = serde_json::to_string(polda).unwrap();
            assert_eq!(json, format!("\"{}\"", polda.code()));
            assert_eq!(serde_json::from_str::<PoldaId>(&json).unwrap(), *polda);
            assert_eq!(polda.code().parse::<PoldaId>().unwrap(), *polda);
        }
    }
}
