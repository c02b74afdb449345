//! When crime happens: the hour × weekday matrix, and whether a category's recent rate is a real change.
//!
//! Hours and weekdays are those of the times as written (the data's local clock, or UTC when the text carried an
//! offset; convert before if the local hour matters). Records known only to the day or the month have no hour
//! and are counted apart ([`HourWeekday::without_hour`]), never spread over the clock.
//!
//! [`rate_change`] compares the count in a recent window with the count in the window of the same length just
//! before it: under "no change" the recent share of the two is Binomial(a + b, ½), so the two-sided exact
//! binomial p-value says whether the rise or fall is more than chance (the conditional test for two Poisson
//! rates, Przyborowski & Wilenski 1940).

use crate::time::{hour_and_weekday, Moment, Resolution};

/// Counts by weekday (0 = Monday) and hour (0–23).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HourWeekday {
    pub counts: [[u64; 24]; 7],
    /// Records whose time has no hour (day or month precision).
    pub without_hour: u64,
}

/// The hour × weekday matrix of some moments.
pub fn hour_weekday(moments: impl IntoIterator<Item = Moment>) -> HourWeekday {
    let mut out = HourWeekday::default();
    for m in moments {
        if matches!(m.resolution, Resolution::Day | Resolution::Month) {
            out.without_hour += 1;
            continue;
        }
        let (hour, weekday) = hour_and_weekday(m.seconds);
        out.counts[weekday as usize][hour as usize] += 1;
    }
    out
}

/// A recent window against the one before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateChange {
    pub recent: u64,
    pub before: u64,
    /// recent / before (infinite when nothing came before).
    pub ratio: f64,
    /// Two-sided exact binomial p-value of the split under "no change".
    pub p: f64,
}

fn ln_choose(n: u64, k: u64) -> f64 {
    libm::lgamma(n as f64 + 1.0) - libm::lgamma(k as f64 + 1.0) - libm::lgamma((n - k) as f64 + 1.0)
}

/// Compares the counts of two equally long windows.
pub fn rate_change(recent: u64, before: u64) -> RateChange {
    let n = recent + before;
    let ratio = if before > 0 {
        recent as f64 / before as f64
    } else if recent > 0 {
        f64::INFINITY
    } else {
        1.0
    };
    if n == 0 {
        return RateChange {
            recent,
            before,
            ratio,
            p: 1.0,
        };
    }
    // Two-sided: the probability of every split at most as likely as the one seen.
    let half = -(n as f64) * std::f64::consts::LN_2;
    let seen = ln_choose(n, recent) + half;
    let p: f64 = (0..=n)
        .map(|k| ln_choose(n, k) + half)
        .filter(|&lp| lp <= seen + 1e-9)
        .map(f64::exp)
        .sum();
    RateChange {
        recent,
        before,
        ratio,
        p: p.min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_iso8601;

    #[test]
    fn the_matrix_counts_by_the_clock_and_keeps_hourless_records_apart() {
        let m = |s: &str| parse_iso8601(s).unwrap();
        let h = hour_weekday([
            m("2024-03-17T21:05"),
            m("2024-03-17T21:59:00"),
            m("2024-03-18T00:10"),
            m("2024-03"),
            m("2024-03-17"),
        ]);
        assert_eq!(h.counts[6][21], 2); // Sunday 21:00
        assert_eq!(h.counts[0][0], 1); // Monday 00:00
        assert_eq!(h.without_hour, 2);
        assert_eq!(h.counts.iter().flatten().sum::<u64>(), 3);
    }

    #[test]
    fn a_real_rise_is_told_from_chance() {
        // scipy.stats.binomtest(15, 20).pvalue = 0.041389465332031250
        let c = rate_change(15, 5);
        assert!(
            (c.p - 0.041_389_465_332_031_25).abs() < 1e-12 && c.ratio == 3.0,
            "{c:?}"
        );
        assert!((rate_change(10, 10).p - 1.0).abs() < 1e-12);
        assert!(rate_change(130, 100).p > 0.05);
        assert!(rate_change(1300, 1000).p < 1e-8);
        assert_eq!(rate_change(0, 0).p, 1.0);
        assert!(rate_change(3, 0).ratio.is_infinite());
    }
}
