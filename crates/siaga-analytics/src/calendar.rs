//! The Indonesian periods that change crime and traffic patterns (Kamtibmas): Ramadan, the Idul Fitri exodus
//! (mudik), Idul Adha, Christmas and New Year, Independence Day — so a trend that crosses one is marked, not
//! mistaken for a change in crime.
//!
//! Ramadan and the two Eids follow the lunar calendar; the dates are those of the government's joint decree
//! (SKB) on national holidays for 2020–2025, and the astronomical estimates for 2026–2027 (check the SKB of
//! the year; the isbat session may move them by a day). Fixed-date holidays are computed for any year. The
//! mudik period is taken as the seven days before Idul Fitri to the seven days after.

use crate::time::{civil_from_days, days_from_civil};

/// A marked period, `[first_day, last_day]` in days since 1970-01-01.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub name: String,
    pub first_day: i64,
    pub last_day: i64,
}

/// A (month, day) of the year.
type MonthDay = (u32, u32);

/// (year, Ramadan's first day, Idul Fitri, Idul Adha).
const LUNAR: &[(i64, MonthDay, MonthDay, MonthDay)] = &[
    (2020, (4, 24), (5, 24), (7, 31)),
    (2021, (4, 13), (5, 13), (7, 20)),
    (2022, (4, 3), (5, 2), (7, 10)),
    (2023, (3, 23), (4, 22), (6, 29)),
    (2024, (3, 12), (4, 10), (6, 17)),
    (2025, (3, 1), (3, 31), (6, 6)),
    (2026, (2, 18), (3, 20), (5, 27)),
    (2027, (2, 8), (3, 10), (5, 17)),
];

/// The marked periods that overlap `[first_day, last_day]`.
pub fn periods_between(first_day: i64, last_day: i64) -> Vec<Period> {
    let (first_year, _, _) = civil_from_days(first_day);
    let (last_year, _, _) = civil_from_days(last_day);
    let mut out = Vec::new();
    for year in first_year - 1..=last_year {
        let day = |m: u32, d: u32| days_from_civil(year, m, d);
        out.push(Period {
            name: format!("Natal & Tahun Baru {}", year + 1),
            first_day: day(12, 24),
            last_day: day(12, 31) + 1,
        });
        out.push(Period {
            name: format!("HUT RI {year}"),
            first_day: day(8, 17),
            last_day: day(8, 17),
        });
        if let Some(&(_, ramadan, fitri, adha)) = LUNAR.iter().find(|l| l.0 == year) {
            let fitri_day = day(fitri.0, fitri.1);
            out.push(Period {
                name: format!("Ramadan {year}"),
                first_day: day(ramadan.0, ramadan.1),
                last_day: fitri_day - 1,
            });
            out.push(Period {
                name: format!("Idul Fitri & mudik {year}"),
                first_day: fitri_day - 7,
                last_day: fitri_day + 7,
            });
            out.push(Period {
                name: format!("Idul Adha {year}"),
                first_day: day(adha.0, adha.1),
                last_day: day(adha.0, adha.1),
            });
        }
    }
    out.retain(|p| p.last_day >= first_day && p.first_day <= last_day);
    out.sort_by_key(|p| p.first_day);
    out
}

/// Whether the lunar holidays of `year` are in the table (outside it, only fixed-date holidays are marked).
pub fn knows_lunar_year(year: i64) -> bool {
    LUNAR.iter().any(|l| l.0 == year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramadan_and_the_exodus_are_marked_where_they_fall() {
        let start = days_from_civil(2024, 3, 1);
        let names: Vec<String> = periods_between(start, start + 30)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Ramadan 2024"]);
        let april = days_from_civil(2024, 4, 5);
        let names: Vec<String> = periods_between(april, april + 1)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Ramadan 2024", "Idul Fitri & mudik 2024"]);
        // New Year's Eve spans the year's end.
        let eve = days_from_civil(2025, 12, 31);
        assert_eq!(periods_between(eve, eve)[0].name, "Natal & Tahun Baru 2026");
        assert!(periods_between(days_from_civil(2024, 9, 1), days_from_civil(2024, 9, 30)).is_empty());
        assert!(knows_lunar_year(2026) && !knows_lunar_year(2035));
    }
}
