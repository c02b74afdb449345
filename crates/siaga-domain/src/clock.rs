//! The one place Siaga's native programs read the wall clock, as Unix milliseconds (the unit every
//! stored and transmitted time uses). The domain's own rules never call it: they take times as
//! arguments, so they stay pure and tests give them a fixed clock. The wasm UI reads the browser's
//! clock instead (`js_sys::Date::now`), so this is not built for wasm32.

/// Now, in milliseconds since the Unix epoch (UTC).
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> i64 {
    unix_ms(time::OffsetDateTime::now_utc())
}

/// A moment in milliseconds since the Unix epoch (saturating far outside ±292 million years).
pub fn unix_ms(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(if at.unix_timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// The start (00:00 UTC) of a day written `YYYY-MM-DD`, in Unix milliseconds — the `--since`/`--until` of the
/// command-line tools.
pub fn day_start_ms(text: &str) -> Result<i64, String> {
    time::Date::parse(
        text.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(|date| unix_ms(date.midnight().assume_utc()))
    .map_err(|_| format!("{text:?} is not a date like 2026-11-01"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn milliseconds_since_the_epoch() {
        assert_eq!(unix_ms(datetime!(1970-01-01 0:00 UTC)), 0);
        assert_eq!(unix_ms(datetime!(2026-03-02 01:00:00.123 UTC)), 1_772_413_200_123);
        assert_eq!(unix_ms(datetime!(1969-12-31 23:59:59.999 UTC)), -1);
    }

    #[test]
    fn a_day_starts_at_midnight_utc() {
        assert_eq!(day_start_ms("2026-03-02"), Ok(1_772_409_600_000));
        assert!(day_start_ms("02/03/2026").unwrap_err().contains("not a date"));
        assert!(day_start_ms("2026-02-30").is_err());
    }

    #[test]
    fn now_is_the_system_clock() {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        assert!((now_ms() - system).abs() < 5_000);
    }
}
