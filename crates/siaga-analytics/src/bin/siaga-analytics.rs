//! `siaga-analytics`: the analyst's command line over a CSV of points (`lat,lon,time,category`).
//!
//! - `forecast --train A.csv --test B.csv --cell 250 --area 0.05` — fits each model on A, flags that share of the
//!   study grid, and prints PAI and PEI on B for each model.
//! - `hotspots --input A.csv --cell 250 [--radius 1] [--inference normal] [--out cells.csv]` — Getis-Ord Gi* per
//!   cell with FDR classes (normal p as PySAL reports it; `poisson` or `auto` for sparse counts).
//! - `kde --input A.csv --cell 250 [--bandwidth M] [--out cells.csv]` — kernel density per cell.
//! - `project --input A.csv [--out points.csv]` — each accepted row's UTM easting and northing (metres).
//! - `export --input A.csv --out DIR [--k 5] [--cell 250] [--round hour]` — the anonymised research export
//!   (`incidents.parquet`, `incidents.csv`, `README.md`).
//! - `patterns --input A.csv [--window 28]` — the hour × weekday matrix, and per category the last window against
//!   the one before it with an exact test of the change (whole months for month-only data).
//! - `near-repeat --input A.csv [--category C] [--distances 200,400] [--days 7,14] [--permutations 99]` — the
//!   Knox table: how much more likely another event is within each distance and time band.
//!
//! Rows that cannot be read are listed on stderr by line and column (the first 20, then a count per column) and
//! left out; the rest of the file is used. `--strict` makes any such row an error.

#![allow(clippy::print_stderr, clippy::print_stdout)] // a command-line tool reports on its terminal

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use siaga_analytics::forecast::{self, Event, Timeline};
use siaga_analytics::input::{read_csv, Table};
use siaga_analytics::{gistar, grid::Grid, kde, utm::Projection};

const USAGE: &str = "usage:
  siaga-analytics forecast --train A.csv --test B.csv [--cell 250] [--area 0.05] [--json] [--strict]
  siaga-analytics hotspots --input A.csv [--cell 250] [--radius 1] [--inference normal|poisson|auto]
                  [--out cells.csv] [--strict]
  siaga-analytics kde      --input A.csv [--cell 250] [--bandwidth METRES] [--out cells.csv] [--strict]
  siaga-analytics project  --input A.csv [--out points.csv] [--strict]
  siaga-analytics patterns --input A.csv [--window DAYS] [--strict]
  siaga-analytics export   --input A.csv --out DIR [--k 5] [--cell 250] [--round hour|day|week] [--strict]
  siaga-analytics near-repeat --input A.csv [--category NAME] [--distances 200,400,600,800,1000]
                  [--days 7,14,21,28] [--permutations 99] [--seed 1] [--strict]
CSV: a header naming lat, lon, time (ISO 8601: 2024-03, 2024-03-17 or 2024-03-17T21:05:00+07:00) and
category; other columns are ignored. Coordinates in WGS 84 degrees; distances in metres on the UTM zone of the
data's median longitude.";

struct Args {
    command: String,
    options: BTreeMap<String, String>,
    flags: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut raw = std::env::args().skip(1);
    let command = raw.next().unwrap_or_default();
    let (mut options, mut flags) = (BTreeMap::new(), Vec::new());
    while let Some(arg) = raw.next() {
        let Some(name) = arg.strip_prefix("--") else {
            bail!("unexpected argument {arg:?}\n{USAGE}")
        };
        if let Some((name, value)) = name.split_once('=') {
            options.insert(name.to_string(), value.to_string());
        } else if matches!(name, "json" | "strict" | "help") {
            flags.push(name.to_string());
        } else {
            let value = raw
                .next()
                .with_context(|| format!("--{name} needs a value\n{USAGE}"))?;
            options.insert(name.to_string(), value);
        }
    }
    Ok(Args {
        command,
        options,
        flags,
    })
}

impl Args {
    fn path(&self, name: &str) -> Result<PathBuf> {
        self.options
            .get(name)
            .map(PathBuf::from)
            .with_context(|| format!("--{name} is required\n{USAGE}"))
    }

    fn number(&self, name: &str, default: f64) -> Result<f64> {
        match self.options.get(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .with_context(|| format!("--{name} {v:?} is not a number")),
        }
    }

    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    fn check_known(&self, known: &[&str]) -> Result<()> {
        for name in self.options.keys() {
            if !known.contains(&name.as_str()) {
                bail!("unknown option --{name} for {}\n{USAGE}", self.command);
            }
        }
        Ok(())
    }
}

/// Reads a CSV, reporting its refused rows on stderr.
fn load(path: &Path, strict: bool) -> Result<Table> {
    let file = std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let table = read_csv(std::io::BufReader::with_capacity(1 << 20, file))
        .with_context(|| format!("{}", path.display()))?;
    if !table.problems.is_empty() {
        let mut err = std::io::stderr().lock();
        for p in table.problems.iter().take(20) {
            writeln!(err, "{}: {p}", path.display())?;
        }
        let mut by_column: BTreeMap<String, usize> = BTreeMap::new();
        for p in &table.problems {
            *by_column
                .entry(p.column.clone().unwrap_or_else(|| "(row)".into()))
                .or_default() += 1;
        }
        let summary: Vec<String> = by_column.iter().map(|(c, n)| format!("{n} in {c}")).collect();
        writeln!(
            err,
            "{}: {} of {} rows refused and left out ({}); {} rows used",
            path.display(),
            table.problems.len(),
            table.rows,
            summary.join(", "),
            table.records.len()
        )?;
        if strict {
            bail!(
                "{}: {} rows refused (--strict)",
                path.display(),
                table.problems.len()
            );
        }
    }
    if table.category_column.is_none() {
        eprintln!(
            "{}: no category column: every record counts as one category",
            path.display()
        );
    }
    if table.records.is_empty() {
        bail!("{}: no usable rows ({} read)", path.display(), table.rows);
    }
    Ok(table)
}

fn forecast_command(args: &Args) -> Result<()> {
    args.check_known(&["train", "test", "cell", "area"])?;
    let strict = args.flag("strict");
    let (train_path, test_path) = (args.path("train")?, args.path("test")?);
    let train = load(&train_path, strict)?;
    let test = load(&test_path, strict)?;
    let cell = args.number("cell", 250.0)?;
    let area = args.number("area", 0.05)?;
    let projection =
        Projection::for_points(train.records.iter().map(|r| (r.lat, r.lon))).context("no training rows")?;
    let timeline = Timeline::of(
        &train.records.iter().map(|r| r.time).collect::<Vec<_>>(),
        &test.records.iter().map(|r| r.time).collect::<Vec<_>>(),
    )?;
    let events = |table: &Table, times: &[f64]| -> Vec<Event> {
        table
            .records
            .iter()
            .zip(times)
            .map(|(r, &t)| {
                let (x, y) = projection.forward(r.lat, r.lon);
                Event { x, y, t }
            })
            .collect()
    };
    let (train_events, test_events) = (events(&train, &timeline.train), events(&test, &timeline.test));
    let eval = forecast::evaluate(&train_events, &test_events, &timeline, cell, area)?;
    let unit = match timeline.unit {
        forecast::TimeUnit::Month => "months",
        forecast::TimeUnit::Day => "days",
    };
    if args.flag("json") {
        let models: Vec<serde_json::Value> = eval
            .models
            .iter()
            .map(|m| serde_json::json!({"model": m.name, "pai": m.pai, "pei": m.pei, "hits": m.hits, "detail": m.detail}))
            .collect();
        let out = serde_json::json!({
            "trainEvents": train_events.len(), "testEvents": test_events.len(),
            "testInside": eval.test_inside, "testOutside": eval.test_outside,
            "utm": projection.name(), "epsg": projection.epsg(), "cell": cell, "areaShare": area,
            "cells": eval.grid.len(), "flagged": eval.flagged, "bestHits": eval.best_hits,
            "timeUnit": unit, "horizon": timeline.horizon, "folds": eval.folds, "models": models,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "training: {} events; test: {} events ({} inside the study area, {} outside); time in {unit}, horizon {}",
        train_events.len(),
        test_events.len(),
        eval.test_inside,
        eval.test_outside,
        timeline.horizon
    );
    println!(
        "grid: UTM {} (EPSG:{}), {cell} m cells, {} × {} = {} cells; area share {area} = {} cells flagged",
        projection.name(),
        projection.epsg(),
        eval.grid.columns,
        eval.grid.rows,
        eval.grid.len(),
        eval.flagged
    );
    println!("{:<8} {:>8} {:>7} {:>8}  model", "model", "PAI", "PEI", "hits");
    for m in &eval.models {
        println!(
            "{:<8} {:>8.3} {:>7.3} {:>8.0}  {}",
            m.name, m.pai, m.pei, m.hits, m.detail
        );
    }
    let pai = |name: &str| {
        eval.models
            .iter()
            .find(|m| m.name == name)
            .map_or(f64::NAN, |m| m.pai)
    };
    println!(
        "best possible: {:.0} hits; blend/kde PAI ratio {:.3}",
        eval.best_hits,
        pai("blend") / pai("kde")
    );
    Ok(())
}

/// An input file's points on its UTM plane and the grid over them.
struct GridInput {
    projection: Projection,
    points: Vec<(f64, f64)>,
    grid: Grid,
}

fn grid_input(args: &Args) -> Result<GridInput> {
    let table = load(&args.path("input")?, args.flag("strict"))?;
    let (projection, points) = siaga_analytics::project(&table.records).context("no rows")?;
    let grid = Grid::covering(&points, args.number("cell", 250.0)?, forecast::TRIM)?;
    Ok(GridInput {
        projection,
        points,
        grid,
    })
}

fn open_out(args: &Args) -> Result<Box<dyn Write>> {
    Ok(match args.options.get("out") {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{p}: cannot create"))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn hotspots_command(args: &Args) -> Result<()> {
    args.check_known(&["input", "cell", "radius", "out", "inference"])?;
    let inference = match args.options.get("inference").map(String::as_str) {
        None | Some("normal") => gistar::Inference::Normal,
        Some("poisson") => gistar::Inference::Poisson,
        Some("auto") => gistar::Inference::Auto,
        Some(other) => bail!("--inference must be normal, poisson or auto, not {other:?}"),
    };
    let GridInput {
        projection,
        points,
        grid,
    } = grid_input(args)?;
    let radius = args.number("radius", 1.0)?;
    if !(radius >= 1.0 && radius.fract() == 0.0 && radius <= 50.0) {
        bail!("--radius must be a whole number of cells from 1 to 50, not {radius}");
    }
    let counts = grid.counts(points.iter().map(|&(x, y)| (x, y, 1.0)));
    let g = gistar::gi_star_with(&counts, grid.columns, grid.rows, radius as usize, inference);
    let mut out = open_out(args)?;
    writeln!(out, "column,row,x,y,count,z,p,class")?;
    for (i, count) in counts.iter().enumerate() {
        let (c, r) = grid.column_row(i);
        let (x, y) = grid.centre(i);
        writeln!(
            out,
            "{c},{r},{x},{y},{count},{:.12e},{:.12e},{}",
            g.z[i], g.p[i], g.class[i]
        )?;
    }
    out.flush()?;
    let hot = g.class.iter().filter(|&&c| c > 0).count();
    let cold = g.class.iter().filter(|&&c| c < 0).count();
    eprintln!(
        "UTM {} (EPSG:{}); {} × {} cells; {hot} hot, {cold} cold ({:?} p; FDR thresholds p < {:.3e} / {:.3e} / {:.3e} at 90/95/99 %)",
        projection.name(),
        projection.epsg(),
        grid.columns,
        grid.rows,
        g.inference,
        g.thresholds[0],
        g.thresholds[1],
        g.thresholds[2]
    );
    Ok(())
}

fn kde_command(args: &Args) -> Result<()> {
    args.check_known(&["input", "cell", "bandwidth", "out"])?;
    let GridInput {
        projection,
        points,
        grid,
    } = grid_input(args)?;
    let h = match args.options.get("bandwidth") {
        Some(_) => args.number("bandwidth", 0.0)?,
        None => kde::bandwidth(&points).context("the points have no spread: give --bandwidth")?,
    };
    if h.is_nan() || h <= 0.0 {
        bail!("--bandwidth must be a positive number of metres, not {h}");
    }
    let density = kde::intensity(&grid, points.iter().map(|&(x, y)| (x, y, 1.0)), h);
    let n = points.len() as f64;
    let mut out = open_out(args)?;
    writeln!(out, "column,row,x,y,density")?;
    for (i, d) in density.iter().enumerate() {
        let (c, r) = grid.column_row(i);
        let (x, y) = grid.centre(i);
        writeln!(out, "{c},{r},{x},{y},{:.12e}", d / n)?;
    }
    out.flush()?;
    eprintln!(
        "UTM {} (EPSG:{}); {} × {} cells; bandwidth {h:.3} m",
        projection.name(),
        projection.epsg(),
        grid.columns,
        grid.rows
    );
    Ok(())
}

fn project_command(args: &Args) -> Result<()> {
    args.check_known(&["input", "out"])?;
    let table = load(&args.path("input")?, args.flag("strict"))?;
    let (projection, points) = siaga_analytics::project(&table.records).context("no rows")?;
    let mut out = open_out(args)?;
    writeln!(out, "lat,lon,x,y")?;
    for (r, (x, y)) in table.records.iter().zip(&points) {
        writeln!(out, "{},{},{x:.4},{y:.4}", r.lat, r.lon)?;
    }
    out.flush()?;
    eprintln!(
        "UTM {} (EPSG:{}); {} points",
        projection.name(),
        projection.epsg(),
        points.len()
    );
    Ok(())
}

fn list(args: &Args, name: &str, default: &[f64]) -> Result<Vec<f64>> {
    match args.options.get(name) {
        None => Ok(default.to_vec()),
        Some(v) => v
            .split(',')
            .map(|part| {
                part.trim()
                    .parse::<f64>()
                    .with_context(|| format!("--{name}: {part:?} is not a number"))
            })
            .collect(),
    }
}

fn near_repeat_command(args: &Args) -> Result<()> {
    args.check_known(&["input", "category", "distances", "days", "permutations", "seed"])?;
    let table = load(&args.path("input")?, args.flag("strict"))?;
    let category = match args.options.get("category") {
        None => None,
        Some(name) => Some(
            table
                .categories
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
                .with_context(|| {
                    format!(
                        "no category {name:?} in the file (it has: {})",
                        table.categories.join(", ")
                    )
                })? as u32,
        ),
    };
    let records: Vec<_> = table
        .records
        .iter()
        .filter(|r| category.is_none_or(|c| r.category == c))
        .collect();
    if records
        .iter()
        .all(|r| r.time.resolution == siaga_analytics::time::Resolution::Month)
    {
        bail!("the times are only known to the month: near repeats are measured in days and cannot be told apart");
    }
    let projection = Projection::for_points(records.iter().map(|r| (r.lat, r.lon))).context("no rows")?;
    let events: Vec<(f64, f64, f64)> = records
        .iter()
        .map(|r| {
            let (x, y) = projection.forward(r.lat, r.lon);
            (x, y, r.time.seconds as f64 / 86_400.0)
        })
        .collect();
    let distances = list(args, "distances", &[200.0, 400.0, 600.0, 800.0, 1000.0])?;
    let days = list(args, "days", &[7.0, 14.0, 21.0, 28.0])?;
    let permutations = args.number("permutations", 99.0)?;
    if !(1.0..=9999.0).contains(&permutations) || permutations.fract() != 0.0 {
        bail!("--permutations must be a whole number from 1 to 9999, not {permutations}");
    }
    let seed = args.number("seed", 1.0)? as u64;
    let k = siaga_analytics::near_repeat::knox(&events, &distances, &days, permutations as usize, seed)?;
    println!(
        "near repeats: {} events{}, {} pairs within {} m, {} permutations (seed {seed}); UTM {}",
        events.len(),
        category.map_or(String::new(), |c| format!(" ({})", table.categories[c as usize])),
        k.close_pairs,
        distances.last().unwrap_or(&0.0),
        k.permutations,
        projection.name()
    );
    println!("observed / expected (Monte Carlo p) by distance and time since the first event:");
    let mut header = format!("{:<14}", "");
    let mut low = 0.0;
    for &d in &days {
        header.push_str(&format!("{:>18}", format!("{low}–{d} days")));
        low = d;
    }
    println!("{header}");
    let mut low = 0.0;
    for (b, &dist) in distances.iter().enumerate() {
        let mut line = format!("{:<14}", format!("{low}–{dist} m"));
        for t in 0..days.len() {
            let c = k.cell(b, t);
            line.push_str(&format!("{:>18}", format!("{:.2} ({:.3})", k.ratio[c], k.p[c])));
        }
        println!("{line}");
        low = dist;
    }
    let first = k.cell(0, 0);
    println!(
        "after an event, another within {} m and {} days is {:.2}× as likely as if place and time were unrelated (p = {:.3}; {} pairs seen, {:.1} expected)",
        distances[0], days[0], k.ratio[first], k.p[first], k.observed[first], k.expected[first]
    );
    Ok(())
}

fn patterns_command(args: &Args) -> Result<()> {
    use siaga_analytics::temporal::{hour_weekday, rate_change};
    use siaga_analytics::time::{month_index, Resolution};
    args.check_known(&["input", "window"])?;
    let table = load(&args.path("input")?, args.flag("strict"))?;
    let matrix = hour_weekday(table.records.iter().map(|r| r.time));
    println!(
        "hour × weekday ({} records; {} without an hour left out)",
        table.records.len(),
        matrix.without_hour
    );
    let hours: String = (0..24).map(|h| format!("{h:>6}")).collect();
    println!("{:<4}{hours}", "");
    for (day, name) in ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
        .iter()
        .enumerate()
    {
        let row: String = matrix.counts[day].iter().map(|c| format!("{c:>6}")).collect();
        println!("{name:<4}{row}");
    }
    let monthly = table
        .records
        .iter()
        .all(|r| r.time.resolution == Resolution::Month);
    let window = args.number("window", 28.0)?;
    if !monthly && (window.is_nan() || window < 1.0) {
        bail!("--window must be at least 1 day, not {window}");
    }
    // Each record's age band: 0 = the recent window, 1 = the one before it.
    let band: Box<dyn Fn(i64) -> Option<u8>> = if monthly {
        let last = table
            .records
            .iter()
            .map(|r| month_index(r.time.seconds))
            .max()
            .unwrap_or(0);
        Box::new(move |s| match last - month_index(s) {
            0 => Some(0),
            1 => Some(1),
            _ => None,
        })
    } else {
        let end = table.records.iter().map(|r| r.time.seconds).max().unwrap_or(0) + 1;
        let w = (window * 86_400.0) as i64;
        Box::new(move |s| match (end - s) / w {
            0 => Some(0),
            1 => Some(1),
            _ => None,
        })
    };
    let what = if monthly {
        "the last month against the month before and the same month a year earlier".to_string()
    } else {
        format!(
            "the last {window} days against the {window} before and the same days a year earlier (52 weeks)"
        )
    };
    println!("\n{what} (exact binomial test of the split with the window before):");
    println!(
        "{:<32}{:>9}{:>9}{:>12}{:>8}{:>10}",
        "category", "recent", "before", "year before", "ratio", "p"
    );
    let year_band: Box<dyn Fn(i64) -> bool> = if monthly {
        let last = table
            .records
            .iter()
            .map(|r| month_index(r.time.seconds))
            .max()
            .unwrap_or(0);
        Box::new(move |s| last - month_index(s) == 12)
    } else {
        let end = table.records.iter().map(|r| r.time.seconds).max().unwrap_or(0) + 1 - 364 * 86_400;
        let w = (window * 86_400.0) as i64;
        Box::new(move |s| s < end && end - s <= w)
    };
    for (c, name) in table.categories.iter().enumerate() {
        let (mut recent, mut before, mut year) = (0, 0, 0);
        for r in table.records.iter().filter(|r| r.category as usize == c) {
            match band(r.time.seconds) {
                Some(0) => recent += 1,
                Some(_) => before += 1,
                None => {}
            }
            if year_band(r.time.seconds) {
                year += 1;
            }
        }
        let change = rate_change(recent, before);
        let mark = if change.p < 0.05 {
            if change.ratio > 1.0 {
                "  ▲ rise"
            } else {
                "  ▼ fall"
            }
        } else {
            ""
        };
        println!(
            "{:<32}{recent:>9}{before:>9}{year:>12}{:>8.2}{:>10.4}{mark}",
            if name.is_empty() { "(none)" } else { name },
            change.ratio,
            change.p
        );
    }
    // The holidays the compared windows cross: a change there may be the season, not crime.
    let last_day = table
        .records
        .iter()
        .map(|r| r.time.seconds)
        .max()
        .unwrap_or(0)
        .div_euclid(86_400);
    let span_days = if monthly { 62 } else { (2.0 * window).ceil() as i64 };
    let periods = siaga_analytics::calendar::periods_between(last_day - span_days, last_day);
    if !periods.is_empty() {
        let names: Vec<String> = periods.iter().map(|p| p.name.clone()).collect();
        println!(
            "Indonesian holiday periods in these windows (a change may be the season): {}",
            names.join(", ")
        );
    }
    Ok(())
}

fn export_command(args: &Args) -> Result<()> {
    use siaga_analytics::export::{anonymise, ExportRules, Rounding};
    args.check_known(&["input", "out", "k", "cell", "round"])?;
    let input = args.path("input")?;
    let out = args.path("out")?;
    let k = args.number("k", 5.0)?;
    if !(1.0..=1000.0).contains(&k) || k.fract() != 0.0 {
        bail!("--k must be a whole number from 1 to 1000, not {k}");
    }
    let round = args.options.get("round").map_or("hour", String::as_str);
    let rounding = Rounding::parse(round)
        .with_context(|| format!("--round must be hour, day or week, not {round:?}"))?;
    let rules = ExportRules {
        k: k as usize,
        cell_m: args.number("cell", 250.0)?,
        rounding,
    };
    let table = load(&input, args.flag("strict"))?;
    let export = anonymise(
        table.records.iter().map(|r| {
            (
                r.lat,
                r.lon,
                r.time.seconds,
                table.categories[r.category as usize].as_str(),
            )
        }),
        rules,
    )?;
    std::fs::create_dir_all(&out).with_context(|| format!("{}: cannot create", out.display()))?;
    let source = input
        .file_name()
        .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned());
    std::fs::write(out.join("incidents.parquet"), export.parquet())?;
    std::fs::write(out.join("incidents.csv"), export.csv())?;
    std::fs::write(out.join("README.md"), export.readme(&source))?;
    eprintln!(
        "{}: {} rows exported, {} merged into other, {} suppressed (cells under k = {}), {} category names with personal numbers replaced",
        out.display(),
        export.rows.len(),
        export.merged,
        export.suppressed,
        rules.k,
        export.redacted
    );
    Ok(())
}

fn main() -> ExitCode {
    let run = || -> Result<()> {
        let args = parse_args()?;
        if args.flag("help") || matches!(args.command.as_str(), "" | "help" | "-h") {
            println!("{USAGE}");
            return Ok(());
        }
        match args.command.as_str() {
            "forecast" => forecast_command(&args),
            "hotspots" => hotspots_command(&args),
            "kde" => kde_command(&args),
            "project" => project_command(&args),
            "near-repeat" => near_repeat_command(&args),
            "patterns" => patterns_command(&args),
            "export" => export_command(&args),
            other => bail!("unknown command {other:?}\n{USAGE}"),
        }
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("siaga-analytics: {e:#}");
            ExitCode::FAILURE
        }
    }
}
