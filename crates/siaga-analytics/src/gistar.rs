//! Getis-Ord Gi* hot and cold spots on a grid, with the false-discovery-rate correction.
//!
//! For a cell `i` with neighbours `j` (binary weights, the cell itself included — the "star"):
//! `Gi* = (Σⱼ wᵢⱼ xⱼ − x̄ Σⱼ wᵢⱼ) / (S · √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²) / (n − 1)))` with `x̄` and `S` the mean and
//! standard deviation of all `n` cells (Getis & Ord 1995, eq. 9; the z-score PySAL's `esda.G_Local(star=True)`
//! reports as `Zs`). The neighbourhood is the `(2r+1) × (2r+1)` square of cells around `i` (queen contiguity
//! of order `r`; `r = 1` is PySAL's `lat2W(rook=False)`), cut by the grid's edge; window sums come from a
//! summed-area table, so the whole grid costs `O(cells)`.
//!
//! p-values are two-sided from the normal distribution ([`Inference::Normal`], as PySAL and ArcGIS report them).
//! When counts are sparse — a few incidents over many cells, as in a desk's first days — the normal
//! approximation calls any cell next to a single incident "hot"; [`Inference::Poisson`] instead takes a window's
//! sum as Poisson with mean `x̄ Σⱼ wᵢⱼ` under no clustering (two-sided exact tails), and [`Inference::Auto`]
//! uses it when that mean is below 5 for a full window and the values are whole counts. Because thousands of cells are tested at once, a cell is
//! called significant at a level only when it passes the Benjamini–Hochberg false-discovery-rate procedure at
//! that level ([`fdr_threshold`], the same threshold as `esda.fdr`); [`Class`] is hot or cold at 99, 95 or 90 %.

use rayon::prelude::*;

/// A cell's hot/cold class: the sign says hot (+) or cold (−), the magnitude the confidence (3 = 99 %,
/// 2 = 95 %, 1 = 90 %), 0 not significant.
pub type Class = i8;

/// How p-values are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inference {
    /// Two-sided normal p of the Gi* z (PySAL's `p_norm` made two-sided; ArcGIS).
    Normal,
    /// Two-sided exact Poisson tails of each window's sum, for sparse whole counts.
    Poisson,
    /// Poisson when a full window expects fewer than 5 and the values are whole counts, else normal.
    Auto,
}

/// Gi* of every cell of a `columns × rows` grid of `values` (row-major from the south-west).
#[derive(Debug, Clone, PartialEq)]
pub struct GiStar {
    pub z: Vec<f64>,
    /// Two-sided p-value of each z.
    pub p: Vec<f64>,
    pub class: Vec<Class>,
    /// The FDR p thresholds used at 90, 95 and 99 %.
    pub thresholds: [f64; 3],
    /// How the p-values were computed (never `Auto`: the choice it made).
    pub inference: Inference,
}

fn ln_pmf(k: f64, lambda: f64) -> f64 {
    -lambda + k * lambda.ln() - libm::lgamma(k + 1.0)
}

/// `P(X ≥ s)` for `X ~ Poisson(λ)`.
fn poisson_upper(s: f64, lambda: f64) -> f64 {
    if s <= 0.0 {
        return 1.0;
    }
    if s <= lambda {
        return (1.0 - poisson_lower(s - 1.0, lambda)).clamp(0.0, 1.0);
    }
    let (mut term, mut sum, mut k) = (ln_pmf(s, lambda).exp(), 0.0, s);
    while term > sum * 1e-17 && k < s + 10_000.0 {
        sum += term;
        k += 1.0;
        term *= lambda / k;
    }
    sum.min(1.0)
}

/// `P(X ≤ s)` for `X ~ Poisson(λ)`.
fn poisson_lower(s: f64, lambda: f64) -> f64 {
    if s < 0.0 {
        return 0.0;
    }
    if s >= lambda {
        return (1.0 - poisson_upper(s + 1.0, lambda)).clamp(0.0, 1.0);
    }
    let (mut term, mut sum, mut k) = (ln_pmf(s, lambda).exp(), 0.0, s);
    loop {
        sum += term;
        if k <= 0.0 || term < sum * 1e-17 {
            break;
        }
        term *= k / lambda;
        k -= 1.0;
    }
    sum.min(1.0)
}

/// Two-sided exact Poisson p-value of observing `s` where `λ` was expected.
pub fn poisson_two_sided(s: f64, lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    (2.0 * poisson_upper(s, lambda).min(poisson_lower(s, lambda))).min(1.0)
}

/// Two-sided p-value of a standard normal z.
pub fn two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return 1.0;
    }
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The Benjamini–Hochberg threshold at level `alpha`, as `esda.fdr` computes it: the largest `k·α/m` with the
/// k-th smallest p-value below it, or `α/m` when there is none. A p-value below the threshold is significant.
pub fn fdr_threshold(p: &[f64], alpha: f64) -> f64 {
    let m = p.len();
    if m == 0 {
        return alpha;
    }
    let mut sorted: Vec<f64> = p.to_vec();
    sorted.par_sort_unstable_by(f64::total_cmp);
    (1..=m)
        .rev()
        .map(|k| (k, k as f64 * alpha / m as f64))
        .find(|&(k, bound)| sorted[k - 1] < bound)
        .map_or(alpha / m as f64, |(_, bound)| bound)
}

/// Window sums over the `(2r+1)²` square around each cell, from a summed-area table.
fn window_sums(values: &[f64], columns: usize, rows: usize, r: usize) -> (Vec<f64>, Vec<f64>) {
    let w = columns + 1;
    let mut table = vec![0.0; w * (rows + 1)];
    for y in 0..rows {
        let mut run = 0.0;
        for x in 0..columns {
            run += values[y * columns + x];
            table[(y + 1) * w + x + 1] = table[y * w + x + 1] + run;
        }
    }
    let mut sums = vec![0.0; values.len()];
    let mut sizes = vec![0.0; values.len()];
    sums.par_chunks_mut(columns)
        .zip(sizes.par_chunks_mut(columns))
        .enumerate()
        .for_each(|(y, (srow, nrow))| {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(rows));
            for x in 0..columns {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(columns));
                srow[x] = table[y1 * w + x1] - table[y0 * w + x1] - table[y1 * w + x0] + table[y0 * w + x0];
                nrow[x] = ((y1 - y0) * (x1 - x0)) as f64;
            }
        });
    (sums, sizes)
}

/// Gi* z-scores, normal p-values and FDR classes of a grid (PySAL's and ArcGIS's inference); `radius` is `r`
/// above (at least 1).
pub fn gi_star(values: &[f64], columns: usize, rows: usize, radius: usize) -> GiStar {
    gi_star_with(values, columns, rows, radius, Inference::Normal)
}

/// Gi* with the p-values of `inference`.
pub fn gi_star_with(
    values: &[f64],
    columns: usize,
    rows: usize,
    radius: usize,
    inference: Inference,
) -> GiStar {
    assert_eq!(values.len(), columns * rows, "values must fill the grid");
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let s = (values.iter().map(|v| v * v).sum::<f64>() / n - mean * mean)
        .max(0.0)
        .sqrt();
    let radius = radius.max(1);
    let (sums, sizes) = window_sums(values, columns, rows, radius);
    let z: Vec<f64> = sums
        .par_iter()
        .zip(sizes.par_iter())
        .map(|(&sum, &size)| {
            let denominator = s * ((n * size - size * size) / (n - 1.0)).sqrt();
            if denominator > 0.0 {
                (sum - mean * size) / denominator
            } else {
                0.0
            }
        })
        .collect();
    let full_window = ((2 * radius + 1) * (2 * radius + 1)) as f64;
    let whole = values.iter().all(|v| v.fract() == 0.0 && *v >= 0.0);
    let inference = match inference {
        Inference::Auto if whole && mean * full_window < 5.0 => Inference::Poisson,
        Inference::Auto => Inference::Normal,
        chosen => chosen,
    };
    let p: Vec<f64> = match inference {
        Inference::Poisson => sums
            .par_iter()
            .zip(sizes.par_iter())
            .map(|(&sum, &size)| poisson_two_sided(sum.round(), mean * size))
            .collect(),
        _ => z.par_iter().map(|&z| two_sided_p(z)).collect(),
    };
    let thresholds = [0.10, 0.05, 0.01].map(|alpha| fdr_threshold(&p, alpha));
    let class = z
        .par_iter()
        .zip(p.par_iter())
        .map(|(&z, &p)| {
            let level = thresholds.iter().rposition(|&t| p < t).map_or(0, |i| i as i8 + 1);
            if z > 0.0 {
                level
            } else {
                -level
            }
        })
        .collect();
    GiStar {
        z,
        p,
        class,
        thresholds,
        inference,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gi* straight from the definition, neighbour by neighbour.
    fn by_definition(values: &[f64], columns: usize, rows: usize, r: i64) -> Vec<f64> {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let s = (values.iter().map(|v| v * v).sum::<f64>() / n - mean * mean).sqrt();
        (0..values.len())
            .map(|i| {
                let (x, y) = ((i % columns) as i64, (i / columns) as i64);
                let (mut sum, mut size) = (0.0, 0.0);
                for dy in -r..=r {
                    for dx in -r..=r {
                        let (nx, ny) = (x + dx, y + dy);
                        if nx >= 0 && ny >= 0 && nx < columns as i64 && ny < rows as i64 {
                            sum += values[(ny * columns as i64 + nx) as usize];
                            size += 1.0;
                        }
                    }
                }
                (sum - mean * size) / (s * ((n * size - size * size) / (n - 1.0)).sqrt())
            })
            .collect()
    }

    #[test]
    fn window_sums_agree_with_the_definition_at_edges_and_inside() {
        let (columns, rows) = (13, 9);
        let values: Vec<f64> = (0..columns * rows).map(|i| ((i * 7919) % 13) as f64).collect();
        for r in [1, 2, 3] {
            let got = gi_star(&values, columns, rows, r);
            let want = by_definition(&values, columns, rows, r as i64);
            for (g, w) in got.z.iter().zip(&want) {
                assert!((g - w).abs() < 1e-9, "{g} vs {w}");
            }
        }
    }

    #[test]
    fn a_planted_cluster_is_hot_at_99_percent_and_the_quiet_field_is_not() {
        let (columns, rows) = (40, 40);
        let mut values: Vec<f64> = (0..columns * rows).map(|i| ((i * 31) % 3) as f64).collect();
        for y in 18..22 {
            for x in 18..22 {
                values[y * columns + x] = 25.0;
            }
        }
        let g = gi_star(&values, columns, rows, 1);
        assert_eq!(g.class[20 * columns + 20], 3);
        assert_eq!(g.class[2 * columns + 2], 0);
        assert!(g.class.iter().filter(|&&c| c == 3).count() <= 36);
    }

    #[test]
    fn sparse_counts_do_not_make_every_lone_incident_a_hot_spot() {
        // 31 single incidents scattered over 80 × 80 cells, and one real cluster of 12.
        let (columns, rows) = (80, 80);
        let mut values = vec![0.0; columns * rows];
        for i in 0..31 {
            values[(i * 2027) % (columns * rows)] = 1.0;
        }
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            values[(40 + dy) * columns + 40 + dx] = 3.0;
        }
        let normal = gi_star_with(&values, columns, rows, 1, Inference::Normal);
        let auto = gi_star_with(&values, columns, rows, 1, Inference::Auto);
        assert_eq!(auto.inference, Inference::Poisson);
        let hot = |g: &GiStar| g.class.iter().filter(|&&c| c > 0).count();
        // The normal approximation marks the neighbourhood of every lone incident; Poisson only the cluster.
        assert!(hot(&normal) > 200, "{}", hot(&normal));
        assert!(hot(&auto) > 0 && hot(&auto) <= 16, "{}", hot(&auto));
        assert!(auto.class[41 * columns + 41] > 0);
        // Dense counts keep the normal inference.
        let dense: Vec<f64> = (0..400).map(|i| f64::from(i % 7 + 3)).collect();
        assert_eq!(
            gi_star_with(&dense, 20, 20, 1, Inference::Auto).inference,
            Inference::Normal
        );
    }

    #[test]
    fn poisson_tails_match_scipy() {
        // scipy.stats.poisson.sf(11, 0.5) = P(X ≥ 12) = 3.214697303345178e-13; poisson.cdf(0, 4.0) = e^-4.
        let upper = poisson_upper(12.0, 0.5);
        assert!((upper / 3.214_697_303_345_178e-13 - 1.0).abs() < 1e-9, "{upper}");
        assert!((poisson_lower(0.0, 4.0) - (-4.0f64).exp()).abs() < 1e-15);
        assert!((poisson_upper(1.0, 0.0436) - (1.0 - (-0.0436f64).exp())).abs() < 1e-12);
        assert!((poisson_upper(3.0, 3.0) + poisson_lower(2.0, 3.0) - 1.0).abs() < 1e-12);
        assert_eq!(poisson_two_sided(0.0, 0.0), 1.0);
    }

    #[test]
    fn fdr_is_benjamini_hochberg_as_esda_computes_it() {
        let p = [
            0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216,
        ];
        // k = 2 is the largest with p(k) < k·0.05/10.
        assert!((fdr_threshold(&p, 0.05) - 0.01).abs() < 1e-15);
        assert!((fdr_threshold(&[0.5, 0.9], 0.05) - 0.025).abs() < 1e-15);
        assert!((two_sided_p(1.959_963_984_540_054) - 0.05).abs() < 1e-12);
        assert_eq!(two_sided_p(f64::NAN), 1.0);
    }
}
