//! `siaga-analytics-bench --input points.csv [--cell 250] [--runs 5]`: how long our Gi* and KDE take on a file.
//!
//! Reads the file once, projects it and lays the grid, then times each step `--runs` times and prints one JSON
//! object with the median and fastest run of each (seconds) and the sizes. `tools/analytics/bench.py` runs it
//! beside PySAL's `esda.G_Local` and scipy's / scikit-learn's KDE on the same points in the same run and prints
//! the ratios; it is a benchmark, never a timed test.

#![allow(clippy::print_stdout)] // a benchmark prints its figures

use std::time::Instant;

use anyhow::{Context, Result};
use siaga_analytics::{gistar, grid::Grid, input::read_csv, kde};

fn time<T>(runs: usize, mut step: impl FnMut() -> T) -> (f64, f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(step());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], last.expect("at least one run"))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let input = value("--input")
        .context("usage: siaga-analytics-bench --input points.csv [--cell 250] [--runs 5]")?;
    let cell: f64 = value("--cell")
        .map_or(Ok(250.0), |v| v.parse())
        .context("--cell")?;
    let runs: usize = value("--runs")
        .map_or(Ok(5), |v| v.parse())
        .context("--runs")?
        .max(1);
    let file = std::fs::File::open(&input).with_context(|| format!("{input}: cannot open"))?;
    let start = Instant::now();
    let table = read_csv(std::io::BufReader::with_capacity(1 << 20, file))?;
    let read = start.elapsed().as_secs_f64();
    let (projection, points) = siaga_analytics::project(&table.records).context("no rows")?;
    let grid = Grid::covering(&points, cell, siaga_analytics::forecast::TRIM)?;
    let (bin_median, bin_min, counts) = time(runs, || grid.counts(points.iter().map(|&(x, y)| (x, y, 1.0))));
    let (gi_median, gi_min, gi) = time(runs, || gistar::gi_star(&counts, grid.columns, grid.rows, 1));
    let h = kde::bandwidth(&points).context("no spread")?;
    let (kde_median, kde_min, density) = time(runs, || {
        kde::intensity(&grid, points.iter().map(|&(x, y)| (x, y, 1.0)), h)
    });
    let out = serde_json::json!({
        "points": points.len(), "refusedRows": table.problems.len(), "utm": projection.name(),
        "cell": cell, "columns": grid.columns, "rows": grid.rows, "cells": grid.len(), "bandwidth": h,
        "threads": rayon::current_num_threads(), "x0": grid.x0, "y0": grid.y0, "runs": runs, "readCsvSeconds": read,
        "binning": {"median": bin_median, "min": bin_min},
        "giStar": {"median": gi_median, "min": gi_min, "hot": gi.class.iter().filter(|&&c| c > 0).count()},
        "kde": {"median": kde_median, "min": kde_min, "peak": density.iter().cloned().fold(0.0, f64::max)},
    });
    println!("{out}");
    Ok(())
}
