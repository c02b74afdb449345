//! Near-repeat analysis: the Knox test over space and time bands, with Monte Carlo significance.
//!
//! "After a theft here, how much more likely is another within 200 m and 7 days?" Every pair of events is put
//! in one cell of a table of distance bands × time bands (`0–200 m, 200–400 m, …` × `0–7 days, 7–14 days, …`;
//! pairs beyond the last band of either are left out). Under no space–time interaction the events' times are
//! exchangeable among their places, so the expected table is the mean over `permutations` random shufflings of
//! the times (Johnson et al. 2007; Ratcliffe's Near Repeat Calculator). Each cell reports the observed count,
//! the expected count, their ratio ("how many times more likely") and the Monte Carlo p-value
//! `(1 + #{shuffled ≥ observed}) / (1 + permutations)`. Shufflings come from a seeded generator, so a result
//! is reproducible.
//!
//! Cost: pairs within the largest distance band are found once with a hash grid, then every shuffling recounts
//! only those pairs (rayon over shufflings): `O(n + pairs · permutations)`. More than [`MAX_PAIRS`] close pairs is
//! refused (narrow the bands, the area or the period).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::AnalyticsError;

/// The most close pairs one analysis keeps (≈ 0.5 GB).
pub const MAX_PAIRS: usize = 50_000_000;

/// The Knox table of one analysis (cells row-major: distance band, then time band).
#[derive(Debug, Clone, PartialEq)]
pub struct KnoxTable {
    /// Upper bounds of the distance bands in metres, ascending.
    pub distance_bands: Vec<f64>,
    /// Upper bounds of the time bands in days, ascending.
    pub time_bands: Vec<f64>,
    pub observed: Vec<u64>,
    pub expected: Vec<f64>,
    /// Observed / expected (infinite when nothing was expected and something was seen).
    pub ratio: Vec<f64>,
    pub p: Vec<f64>,
    pub permutations: usize,
    /// Pairs within the largest distance band.
    pub close_pairs: usize,
}

impl KnoxTable {
    pub fn cell(&self, distance_band: usize, time_band: usize) -> usize {
        distance_band * self.time_bands.len() + time_band
    }
}

/// SplitMix64: small, fast, and enough for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

fn band_of(bands: &[f64], value: f64) -> Option<usize> {
    bands.iter().position(|&b| value <= b)
}

fn check_bands(bands: &[f64], what: &str) -> Result<(), AnalyticsError> {
    if bands.is_empty()
        || bands.iter().any(|b| !(b.is_finite() && *b > 0.0))
        || bands.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(AnalyticsError::Parameter(format!(
            "the {what} bands must be positive, finite and increasing, e.g. 200,400,600 (got {bands:?})"
        )));
    }
    Ok(())
}

/// The Knox table of events `(x m, y m, t days)`.
pub fn knox(
    events: &[(f64, f64, f64)],
    distance_bands: &[f64],
    time_bands: &[f64],
    permutations: usize,
    seed: u64,
) -> Result<KnoxTable, AnalyticsError> {
    check_bands(distance_bands, "distance")?;
    check_bands(time_bands, "time")?;
    if events.len() < 2 {
        return Err(AnalyticsError::Empty(
            "a near-repeat analysis needs at least two events".into(),
        ));
    }
    if permutations == 0 {
        return Err(AnalyticsError::Parameter(
            "at least one permutation is needed (99 or 999 are usual)".into(),
        ));
    }
    let reach = *distance_bands.last().expect("checked non-empty");
    let key = |x: f64, y: f64| ((x / reach).floor() as i64, (y / reach).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (i, &(x, y, _)) in events.iter().enumerate() {
        buckets.entry(key(x, y)).or_default().push(i as u32);
    }
    // Pairs (i < j) within reach, with their distance band.
    let mut pairs: Vec<(u32, u32, u8)> = Vec::new();
    for (i, &(x, y, _)) in events.iter().enumerate() {
        let (bx, by) = key(x, y);
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(bucket) = buckets.get(&(bx + dx, by + dy)) else {
                    continue;
                };
                for &j in bucket {
                    if j as usize <= i {
                        continue;
                    }
                    let (xj, yj, _) = events[j as usize];
                    let d = ((x - xj).powi(2) + (y - yj).powi(2)).sqrt();
                    if let Some(band) = band_of(distance_bands, d) {
                        pairs.push((i as u32, j, band as u8));
                    }
                }
            }
        }
        if pairs.len() > MAX_PAIRS {
            return Err(AnalyticsError::Parameter(format!(
                "more than {MAX_PAIRS} pairs of events lie within {reach} m of each other: narrow the distance bands, the area or the period"
            )));
        }
    }
    let cells = distance_bands.len() * time_bands.len();
    let count = |times: &[f64]| {
        let mut table = vec![0u64; cells];
        for &(i, j, band) in &pairs {
            if let Some(t) = band_of(time_bands, (times[i as usize] - times[j as usize]).abs()) {
                table[band as usize * time_bands.len() + t] += 1;
            }
        }
        table
    };
    let times: Vec<f64> = events.iter().map(|e| e.2).collect();
    let observed = count(&times);
    let shuffled: Vec<Vec<u64>> = (0..permutations)
        .into_par_iter()
        .map(|k| {
            let mut rng = SplitMix(seed ^ (k as u64).wrapping_mul(0xa076_1d64_78bd_642f));
            let mut t = times.clone();
            for i in (1..t.len()).rev() {
                t.swap(i, rng.below(i + 1));
            }
            count(&t)
        })
        .collect();
    let expected: Vec<f64> = (0..cells)
        .map(|c| shuffled.iter().map(|s| s[c] as f64).sum::<f64>() / permutations as f64)
        .collect();
    let p = (0..cells)
        .map(|c| {
            (1 + shuffled.iter().filter(|s| s[c] >= observed[c]).count()) as f64 / (1 + permutations) as f64
        })
        .collect();
    let ratio = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| {
            if e > 0.0 {
                o as f64 / e
            } else if o > 0 {
                f64::INFINITY
            } else {
                1.0
            }
        })
        .collect();
    Ok(KnoxTable {
        distance_bands: distance_bands.to_vec(),
        time_bands: time_bands.to_vec(),
        observed,
        expected,
        ratio,
        p,
        permutations,
        close_pairs: pairs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scatter(seed: u64, n: usize, repeats: bool) -> Vec<(f64, f64, f64)> {
        let mut rng = SplitMix(seed);
        let mut u = move || (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let mut out = Vec::new();
        while out.len() < n {
            let (x, y, t) = (u() * 10_000.0, u() * 10_000.0, u() * 365.0);
            out.push((x, y, t));
            if repeats && u() < 0.3 {
                // A repeat within 150 m and 5 days.
                out.push((x + (u() - 0.5) * 200.0, y + (u() - 0.5) * 200.0, t + u() * 5.0));
            }
        }
        out
    }

    #[test]
    fn planted_repeats_show_as_more_likely_close_in_space_and_time() {
        let events = scatter(7, 3000, true);
        let k = knox(&events, &[200.0, 400.0, 800.0], &[7.0, 14.0, 28.0], 99, 1).unwrap();
        let near = k.cell(0, 0);
        assert!(k.ratio[near] > 3.0 && k.p[near] <= 0.01, "{k:#?}");
        // Far in time, the same places are not special.
        let later = k.cell(0, 2);
        assert!(k.ratio[later] < 1.5, "{k:#?}");
        // Reproducible from the seed.
        assert_eq!(
            k,
            knox(&events, &[200.0, 400.0, 800.0], &[7.0, 14.0, 28.0], 99, 1).unwrap()
        );
    }

    #[test]
    fn without_interaction_nothing_is_significant() {
        let events = scatter(11, 3000, false);
        let k = knox(&events, &[200.0, 400.0], &[7.0, 14.0], 199, 3).unwrap();
        for c in 0..4 {
            assert!(
                (0.6..1.6).contains(&k.ratio[c]) && k.p[c] > 0.01,
                "cell {c}: {k:#?}"
            );
        }
    }

    #[test]
    fn bad_bands_and_tiny_inputs_are_refused() {
        let e = [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)];
        for bands in [&[][..], &[200.0, 100.0][..], &[0.0][..], &[f64::NAN][..]] {
            assert!(knox(&e, bands, &[7.0], 9, 1)
                .unwrap_err()
                .to_string()
                .contains("distance bands"));
        }
        assert!(knox(&e[..1], &[200.0], &[7.0], 9, 1)
            .unwrap_err()
            .to_string()
            .contains("at least two"));
        assert!(knox(&e, &[200.0], &[7.0], 0, 1)
            .unwrap_err()
            .to_string()
            .contains("permutation"));
    }
}
