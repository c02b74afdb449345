//! Getis-Ord Gi* hot and cold spots on a grid, with the false-discovery-rate correction.
//!
//! For a cell `i` with neighbours `j` (binary weights, the cell itself included — the "star"):
//! `Gi* = (Σⱼ wᵢⱼ xⱼ − x̄ Σⱼ wᵢⱼ) / (S · √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²) / (n − 1)))` with `x̄` and `S` the mean and
//! standard deviation of all `n` cells (Getis & Ord 1995, eq. 9; the z-score PySAL's `esda.G_Local(star=True)`
//! reports as `Zs`). The neighbourhood is the `(2r+1) × (2r+1)` square of cells around `i` (queen contiguity
//! of order `r`; `r = 1` is PySAL's `lat2W(rook=False)`), cut by the grid's edge; window sums come from a
//! summed-area table, so the whole grid costs `O(cells)`.
//!
//! p-values are two-sided from the normal distribution. Because thousands of cells are tested at once, a cell is
//! called significant at a level only when it passes the Benjamini–Hochberg false-discovery-rate procedure at
//! that level ([`fdr_threshold`], the same threshold as `esda.fdr`); [`Class`] is hot or cold at 99, 95 or 90 %.

use rayon::prelude::*;

/// A cell's hot/cold class: the sign says hot (+) or cold (−), the magnitude the confidence (3 = 99 %,
/// 2 = 95 %, 1 = 90 %), 0 not significant.
pub type Class = i8;

/// Gi* of every cell of a `columns × rows` grid of `values` (row-major from the south-west).
#[derive(Debug, Clone, PartialEq)]
pub struct GiStar {
    pub z: Vec<f64>,
    /// Two-sided p-value of each z.
    pub p: Vec<f64>,
    pub class: Vec<Class>,
    /// The FDR p thresholds used at 90, 95 and 99 %.
    pub thresholds: [f64; 3],
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

/// Gi* z-scores, p-values and FDR classes of a grid; `radius` is `r` above (at least 1).
pub fn gi_star(values: &[f64], columns: usize, rows: usize, radius: usize) -> GiStar {
    assert_eq!(values.len(), columns * rows, "values must fill the grid");
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let s = (values.iter().map(|v| v * v).sum::<f64>() / n - mean * mean)
        .max(0.0)
        .sqrt();
    let (sums, sizes) = window_sums(values, columns, rows, radius.max(1));
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
    let p: Vec<f64> = z.par_iter().map(|&z| two_sided_p(z)).collect();
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
