//! ISO 8601 times as the analyst's files carry them, to a day count the compute can use.
//!
//! Police exports differ in how precisely they say when: some give the second, many only the day, and some
//! (the UK's, for one) only the month. [`parse_iso8601`] accepts all of these — `2024-03`, `2024-03-17`,
//! `2024-03-17T21:05`, `2024-03-17 21:05:09.250+07:00`, `…Z` — and says which [`Resolution`] the text had, so
//! the forecast can work in months when that is all the data knows. A time without an offset is taken as the
//! data's own local time (only differences and the hour of day are ever used); with an offset it is moved to UTC.

use std::fmt;

/// How precisely a time was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resolution {
    Second,
    Minute,
    Day,
    Month,
}

/// A moment as the compute uses it: seconds since 1970-01-01T00:00 (UTC, or the data's local time when the text
/// had no offset), and how precisely it was known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub seconds: i64,
    pub resolution: Resolution,
}

/// Why a time could not be read; the message names what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub String);

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const EXPECTED: &str = "expected an ISO 8601 time such as 2024-03, 2024-03-17 or 2024-03-17T21:05:00+07:00";

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a day count from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A month counted from January 1970 (0), the unit the forecast uses for month-only data.
pub fn month_index(seconds: i64) -> i64 {
    let (y, m, _) = civil_from_days(seconds.div_euclid(86_400));
    (y - 1970) * 12 + i64::from(m) - 1
}

/// Hour of day (0–23) and ISO weekday (0 = Monday … 6 = Sunday) of a moment.
pub fn hour_and_weekday(seconds: i64) -> (u32, u32) {
    let days = seconds.div_euclid(86_400);
    let hour = (seconds.rem_euclid(86_400) / 3600) as u32;
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    let weekday = (days + 3).rem_euclid(7) as u32;
    (hour, weekday)
}

fn digits(text: &[u8], at: usize, len: usize) -> Option<u32> {
    let part = text.get(at..at + len)?;
    part.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn err(what: impl fmt::Display) -> TimeError {
    TimeError(format!("{what}; {EXPECTED}"))
}

/// Reads an ISO 8601 calendar time (extended format) with the precision it was given.
pub fn parse_iso8601(text: &str) -> Result<Moment, TimeError> {
    let s = text.trim().as_bytes();
    if s.is_empty() {
        return Err(err("empty time"));
    }
    let shown = || String::from_utf8_lossy(&s[..s.len().min(40)]).into_owned();
    let year =
        digits(s, 0, 4).ok_or_else(|| err(format!("{:?} does not start with a 4-digit year", shown())))?;
    if s.get(4) != Some(&b'-') {
        return Err(err(format!("{:?} has no month after the year", shown())));
    }
    let month = digits(s, 5, 2).ok_or_else(|| err(format!("{:?}: the month must be 2 digits", shown())))?;
    if !(1..=12).contains(&month) {
        return Err(err(format!("{:?}: month {month} does not exist", shown())));
    }
    let year = i64::from(year);
    if s.len() == 7 {
        return Ok(Moment {
            seconds: days_from_civil(year, month, 1) * 86_400,
            resolution: Resolution::Month,
        });
    }
    if s.get(7) != Some(&b'-') {
        return Err(err(format!(
            "{:?}: expected '-' and the day after the month",
            shown()
        )));
    }
    let day = digits(s, 8, 2).ok_or_else(|| err(format!("{:?}: the day must be 2 digits", shown())))?;
    if day == 0 || day > days_in_month(year, month) {
        return Err(err(format!(
            "{:?}: day {day} does not exist in {year}-{month:02}",
            shown()
        )));
    }
    let date_seconds = days_from_civil(year, month, day) * 86_400;
    if s.len() == 10 {
        return Ok(Moment {
            seconds: date_seconds,
            resolution: Resolution::Day,
        });
    }
    if !matches!(s[10], b'T' | b't' | b' ') {
        return Err(err(format!(
            "{:?}: expected 'T' or a space between the date and the time",
            shown()
        )));
    }
    let hour = digits(s, 11, 2).ok_or_else(|| err(format!("{:?}: the hour must be 2 digits", shown())))?;
    if s.get(13) != Some(&b':') {
        return Err(err(format!("{:?}: expected hh:mm after the date", shown())));
    }
    let minute =
        digits(s, 14, 2).ok_or_else(|| err(format!("{:?}: the minute must be 2 digits", shown())))?;
    let mut at = 16;
    let mut second = 0;
    let mut resolution = Resolution::Minute;
    if s.get(at) == Some(&b':') {
        second =
            digits(s, 17, 2).ok_or_else(|| err(format!("{:?}: the second must be 2 digits", shown())))?;
        resolution = Resolution::Second;
        at = 19;
        if matches!(s.get(at), Some(b'.' | b',')) {
            at += 1;
            let start = at;
            while s.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return Err(err(format!("{:?}: no digits after the decimal mark", shown())));
            }
        }
    }
    // 24:00 is the end of the day; a leap second (60) is read as the last second.
    if hour > 24 || (hour == 24 && (minute, second) != (0, 0)) || minute > 59 || second > 60 {
        return Err(err(format!(
            "{:?}: {hour:02}:{minute:02}:{second:02} is not a time of day",
            shown()
        )));
    }
    let local = date_seconds + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59));
    let offset = match &s[at..] {
        [] => 0,
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest.len() {
                2 => (digits(rest, 0, 2), Some(0)),
                4 => (digits(rest, 0, 2), digits(rest, 2, 2)),
                5 if rest[2] == b':' => (digits(rest, 0, 2), digits(rest, 3, 2)),
                _ => (None, None),
            };
            match (h, m) {
                (Some(h), Some(m)) if h <= 14 && m <= 59 => {
                    let o = i64::from(h) * 3600 + i64::from(m) * 60;
                    if *sign == b'+' {
                        o
                    } else {
                        -o
                    }
                }
                _ => {
                    return Err(err(format!(
                        "{:?}: the offset must be Z, ±hh, ±hhmm or ±hh:mm",
                        shown()
                    )))
                }
            }
        }
        _ => return Err(err(format!("{:?}: unexpected text after the time", shown()))),
    };
    Ok(Moment {
        seconds: local - offset,
        resolution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_precision_police_exports_use_is_read() {
        let m = parse_iso8601("2024-03").unwrap();
        assert_eq!((m.seconds, m.resolution), (1_709_251_200, Resolution::Month));
        let d = parse_iso8601("2024-03-17").unwrap();
        assert_eq!((d.seconds, d.resolution), (1_710_633_600, Resolution::Day));
        let t = parse_iso8601("2024-03-17T21:05").unwrap();
        assert_eq!(
            (t.seconds, t.resolution),
            (1_710_633_600 + 21 * 3600 + 300, Resolution::Minute)
        );
        let z = parse_iso8601("2024-03-17 21:05:09.250Z").unwrap();
        assert_eq!(
            (z.seconds, z.resolution),
            (1_710_633_600 + 21 * 3600 + 309, Resolution::Second)
        );
        // 21:05 in Jakarta (WIB, +07:00) is 14:05 UTC.
        let wib = parse_iso8601("2024-03-17T21:05:00+07:00").unwrap();
        assert_eq!(wib.seconds, 1_710_633_600 + 14 * 3600 + 300);
        assert_eq!(
            parse_iso8601("2024-03-17T21:05:00+0700").unwrap().seconds,
            wib.seconds
        );
        assert_eq!(
            parse_iso8601("2024-03-17T21:05:00-03").unwrap().seconds,
            1_710_633_600 + 24 * 3600 + 300
        );
        assert_eq!(
            parse_iso8601("2024-02-29T24:00").unwrap().seconds,
            parse_iso8601("2024-03-01").unwrap().seconds
        );
    }

    #[test]
    fn impossible_or_foreign_times_are_refused_with_what_was_expected() {
        for bad in [
            "",
            "17/03/2024",
            "2024",
            "2024-13",
            "2024-02-30",
            "2023-02-29",
            "2024-03-17T25:00",
            "2024-03-17T21:60",
            "2024-03-17X21:00",
            "2024-03-17T21:05:00+7",
            "2024-03-17T21:05:00 WIB",
            "2024-3-17",
            "2024-03-17T21",
            "20240317",
        ] {
            let e = parse_iso8601(bad).expect_err(bad);
            assert!(e.0.contains("ISO 8601"), "{bad}: {e}");
        }
    }

    #[test]
    fn civil_dates_round_trip_over_four_centuries() {
        for days in (-150_000..150_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            month_index(parse_iso8601("2024-03-31T23:59").unwrap().seconds),
            54 * 12 + 2
        );
        // 2024-03-17 was a Sunday.
        assert_eq!(
            hour_and_weekday(parse_iso8601("2024-03-17T21:05").unwrap().seconds),
            (21, 6)
        );
    }
}
