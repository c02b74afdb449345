//! Indonesia's three civil time zones (WIB, WITA, WIT) per province, for showing times where they happen.

use crate::region::ProvinceCode;
use crate::Language;
use serde::{Deserialize, Serialize};
use time::UtcOffset;

/// An Indonesian time zone. None observes daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimeZone {
    /// Waktu Indonesia Barat, UTC+7: Sumatra, Java, West and Central Kalimantan.
    Wib,
    /// Waktu Indonesia Tengah, UTC+8: Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi.
    Wita,
    /// Waktu Indonesia Timur, UTC+9: Maluku and Papua.
    Wit,
}

impl TimeZone {
    /// The offset from UTC.
    pub fn utc_offset(self) -> UtcOffset {
        let hours = match self {
            TimeZone::Wib => 7,
            TimeZone::Wita => 8,
            TimeZone::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).expect("valid offset")
    }

    /// The abbreviation shown after a time, e.g. `WIB`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    /// The full name.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (TimeZone::Wib, Language::Id) => "Waktu Indonesia Barat",
            (TimeZone::Wib, Language::En) => "Western Indonesia Time",
            (TimeZone::Wita, Language::Id) => "Waktu Indonesia Tengah",
            (TimeZone::Wita, Language::En) => "Central Indonesia Time",
            (TimeZone::Wit, Language::Id) => "Waktu Indonesia Timur",
            (TimeZone::Wit, Language::En) => "Eastern Indonesia Time",
        }
    }

    /// The zone an incident's times are shown in: its Polda's home province's; Jakarta's (WIB) when it
    /// has no Polda yet.
    pub fn for_polda(polda: Option<crate::PoldaId>) -> TimeZone {
        polda.map_or(TimeZone::Wib, |polda| {
            TimeZone::for_province(polda.home_province())
        })
    }

    /// `at` as a wall clock in this zone, with the date and the zone: `14:05:09 WIB, 04-12-2026`.
    pub fn wall_clock(self, at: time::OffsetDateTime) -> String {
        let local = at.to_offset(self.utc_offset());
        format!(
            "{:02}:{:02}:{:02} {}, {:02}-{:02}-{}",
            local.hour(),
            local.minute(),
            local.second(),
            self.abbreviation(),
            local.day(),
            u8::from(local.month()),
            local.year()
        )
    }

    /// The time zone of a province (by its Kemendagri code's first digit group).
    pub fn for_province(province: ProvinceCode) -> TimeZone {
        match province.number() {
            11..=36 | 61 | 62 => TimeZone::Wib,
            51..=53 | 63..=65 | 71..=76 => TimeZone::Wita,
            _ => TimeZone::Wit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(province: u8, expect: &str) {
        let zone = TimeZone::for_province(ProvinceCode::from_number(province).unwrap());
        assert_eq!(zone.abbreviation(), expect, "province {province}");
    }

    #[test]
    fn times_show_on_the_wall_clock_of_the_incident_polda() {
        let at = time::macros::datetime!(2026-12-03 23:30:05 UTC);
        assert_eq!(
            TimeZone::for_polda(None).wall_clock(at),
            "06:30:05 WIB, 04-12-2026"
        );
        assert_eq!(
            TimeZone::for_polda(Some(crate::PoldaId::Bali)).wall_clock(at),
            "07:30:05 WITA, 04-12-2026"
        );
        assert_eq!(
            TimeZone::for_polda(Some(crate::PoldaId::Papua)).wall_clock(at),
            "08:30:05 WIT, 04-12-2026"
        );
    }

    #[test]
    fn zones_by_province() {
        check(11, "WIB"); // Aceh
        check(31, "WIB"); // Jakarta
        check(36, "WIB"); // Banten
        check(61, "WIB"); // Kalimantan Barat
        check(62, "WIB"); // Kalimantan Tengah
        check(63, "WITA"); // Kalimantan Selatan
        check(51, "WITA"); // Bali
        check(53, "WITA"); // NTT
        check(65, "WITA"); // Kalimantan Utara
        check(76, "WITA"); // Sulawesi Barat
        check(81, "WIT"); // Maluku
        check(96, "WIT"); // Papua Barat Daya
        assert_eq!(TimeZone::Wita.utc_offset().whole_hours(), 8);
        for province in crate::region::provinces() {
            let _ = TimeZone::for_province(province.code);
        }
    }
}
