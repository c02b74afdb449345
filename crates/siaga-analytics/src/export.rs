//! The research export: an anonymised dataset of a period for academic partners, as Parquet and CSV with a
//! README stating the schema and the rules applied.
//!
//! Rules ([`ExportRules`]): only time, place and category leave — no NIK, caller number, name or free text ever
//! enters ([`anonymise`] takes nothing else); times rounded down to the hour, day or week (Monday); points
//! snapped to the centre of a UTM grid cell (the grid aligned on multiples of the cell size, so it reveals
//! nothing about the data's extent); within each cell, a category with fewer than `k` records is merged into
//! `other`, and the next-rarest categories join it until `other` too has at least `k`; a cell with fewer than
//! `k` records in all is suppressed (its records are left out and counted). A category name that carries six
//! digits in a row (a NIK or a phone number typed where a category belongs) becomes `other` before anything
//! else. So every (cell, category) group in the output has at least `k` records.

use std::collections::HashMap;

use crate::parquet::{self, Column};
use crate::time::{civil_from_days, hour_and_weekday};
use crate::utm::Projection;
use crate::AnalyticsError;

/// What a merged category is called.
pub const OTHER: &str = "other";

/// How far times are rounded down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Hour,
    Day,
    Week,
}

impl Rounding {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "hour" => Some(Self::Hour),
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Week => "week (from Monday 00:00)",
        }
    }

    /// `seconds` rounded down.
    pub fn apply(self, seconds: i64) -> i64 {
        match self {
            Self::Hour => seconds.div_euclid(3600) * 3600,
            Self::Day => seconds.div_euclid(86_400) * 86_400,
            Self::Week => {
                let day = seconds.div_euclid(86_400) * 86_400;
                let (_, weekday) = hour_and_weekday(day);
                day - i64::from(weekday) * 86_400
            }
        }
    }
}

/// The rules of one export.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExportRules {
    /// The smallest group size that may leave (default 5).
    pub k: usize,
    /// Snapping grid cell in metres.
    pub cell_m: f64,
    pub rounding: Rounding,
}

impl Default for ExportRules {
    fn default() -> Self {
        Self {
            k: 5,
            cell_m: 250.0,
            rounding: Rounding::Hour,
        }
    }
}

/// One record as it may leave.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Rounded time, ms since the epoch (UTC, or the data's clock when it had no offset).
    pub time_ms: i64,
    /// Centre of the snapping cell (WGS 84, 6 decimals).
    pub lat: f64,
    pub lon: f64,
    pub category: String,
}

/// An anonymised dataset and what the rules did.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub rows: Vec<ExportRow>,
    pub rules: ExportRules,
    pub projection: Option<Projection>,
    /// Records left out because their cell had fewer than `k`.
    pub suppressed: usize,
    /// Records whose category was merged into `other`.
    pub merged: usize,
    /// Category names replaced because they carried a personal number.
    pub redacted: usize,
}

/// Whether a category name carries a personal number (a NIK or a phone number typed in the wrong field): six
/// digits in a row, or nine in groups.
fn looks_personal(name: &str) -> bool {
    without_digit_runs(name) != name
}

/// Applies the rules to records `(lat, lon, seconds, category)`; output sorted by time, place, category.
pub fn anonymise<'a>(
    records: impl IntoIterator<Item = (f64, f64, i64, &'a str)>,
    rules: ExportRules,
) -> Result<Export, AnalyticsError> {
    if rules.k == 0 {
        return Err(AnalyticsError::Parameter("k must be at least 1".into()));
    }
    if !(rules.cell_m.is_finite() && rules.cell_m >= 10.0) {
        return Err(AnalyticsError::Parameter(format!(
            "the snapping cell must be at least 10 m, not {}",
            rules.cell_m
        )));
    }
    let records: Vec<(f64, f64, i64, &str)> = records.into_iter().collect();
    let Some(projection) = Projection::for_points(records.iter().map(|r| (r.0, r.1))) else {
        return Ok(Export {
            rows: Vec::new(),
            rules,
            projection: None,
            suppressed: 0,
            merged: 0,
            redacted: 0,
        });
    };
    let mut redacted = 0;
    // Each record's cell (on the aligned grid) and category.
    let placed: Vec<((i64, i64), i64, String)> = records
        .iter()
        .map(|&(lat, lon, seconds, category)| {
            let (x, y) = projection.forward(lat, lon);
            let cell = (
                (x / rules.cell_m).floor() as i64,
                (y / rules.cell_m).floor() as i64,
            );
            let category = category.trim();
            let category = if looks_personal(category) {
                redacted += 1;
                OTHER.to_string()
            } else if category.is_empty() {
                OTHER.to_string()
            } else {
                category.to_string()
            };
            (cell, rules.rounding.apply(seconds), category)
        })
        .collect();
    let mut by_cell: HashMap<(i64, i64), HashMap<&str, usize>> = HashMap::new();
    for (cell, _, category) in &placed {
        *by_cell
            .entry(*cell)
            .or_default()
            .entry(category.as_str())
            .or_default() += 1;
    }
    // Per cell: which categories stay as they are (the rest become `other`), or None when suppressed.
    let mut kept: HashMap<(i64, i64), Option<Vec<String>>> = HashMap::new();
    for (cell, counts) in &by_cell {
        let total: usize = counts.values().sum();
        if total < rules.k {
            kept.insert(*cell, None);
            continue;
        }
        let mut ordered: Vec<(&str, usize)> = counts.iter().map(|(c, n)| (*c, *n)).collect();
        ordered.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        let mut other = counts.get(OTHER).copied().unwrap_or(0);
        let mut merged: Vec<&str> = Vec::new();
        for &(category, n) in &ordered {
            if category == OTHER {
                continue;
            }
            if n < rules.k || (other > 0 && other < rules.k) {
                other += n;
                merged.push(category);
            }
        }
        let stays: Vec<String> = ordered
            .iter()
            .filter(|(c, _)| *c != OTHER && !merged.contains(c))
            .map(|(c, _)| (*c).to_string())
            .collect();
        kept.insert(*cell, Some(stays));
    }
    let mut suppressed = 0;
    let mut merged = 0;
    let mut centres: HashMap<(i64, i64), (f64, f64)> = HashMap::new();
    let mut rows = Vec::with_capacity(placed.len());
    for (cell, seconds, category) in placed {
        let Some(Some(stays)) = kept.get(&cell) else {
            suppressed += 1;
            continue;
        };
        let category = if category == OTHER || stays.contains(&category) {
            category
        } else {
            merged += 1;
            OTHER.to_string()
        };
        let (lat, lon) = *centres.entry(cell).or_insert_with(|| {
            let (lat, lon) = projection.inverse(
                (cell.0 as f64 + 0.5) * rules.cell_m,
                (cell.1 as f64 + 0.5) * rules.cell_m,
            );
            ((lat * 1e6).round() / 1e6, (lon * 1e6).round() / 1e6)
        });
        rows.push(ExportRow {
            time_ms: seconds * 1000,
            lat,
            lon,
            category,
        });
    }
    rows.sort_by(|a, b| {
        a.time_ms
            .cmp(&b.time_ms)
            .then(a.lat.total_cmp(&b.lat))
            .then(a.lon.total_cmp(&b.lon))
            .then(a.category.cmp(&b.category))
    });
    Ok(Export {
        rows,
        rules,
        projection: Some(projection),
        suppressed,
        merged,
        redacted,
    })
}

/// Digits a phone number has at least; a number typed in groups with this many is taken for one.
const GROUPED_PERSONAL_DIGITS: usize = 9;

/// `text` with every number that may be personal replaced by `…`: six or more digits in a row, or
/// [`GROUPED_PERSONAL_DIGITS`] or more typed in groups (`0812 3456 7890`, `3171.0152.0890.0123`). A date
/// (`2026-01-05`, eight digits in groups) stays.
pub fn without_digit_runs(text: &str) -> String {
    siaga_domain::nik::replace_digit_runs(text, |number| {
        let longest_group = number
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        if longest_group >= 6 || siaga_domain::nik::digit_count(number) >= GROUPED_PERSONAL_DIGITS {
            "…".to_owned()
        } else {
            number.to_owned()
        }
    })
}

fn iso(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

impl Export {
    /// The Parquet file (`time` timestamp[ms, UTC], `lat`, `lon` double, `category` string).
    pub fn parquet(&self) -> Vec<u8> {
        let time = Column::TimestampMillis(self.rows.iter().map(|r| r.time_ms).collect());
        let lat = Column::Double(self.rows.iter().map(|r| r.lat).collect());
        let lon = Column::Double(self.rows.iter().map(|r| r.lon).collect());
        let category = Column::Utf8(self.rows.iter().map(|r| r.category.clone()).collect());
        parquet::write(
            &[
                ("time", &time),
                ("lat", &lat),
                ("lon", &lon),
                ("category", &category),
            ],
            1 << 20,
            "siaga-analytics",
        )
        .expect("the columns have one length")
    }

    /// The same rows as CSV (RFC 4180, ISO 8601 times in UTC).
    pub fn csv(&self) -> String {
        let mut out = String::from("time,lat,lon,category\n");
        for r in &self.rows {
            let category = if r.category.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", r.category.replace('"', "\"\""))
            } else {
                r.category.clone()
            };
            out.push_str(&format!(
                "{},{:.6},{:.6},{category}\n",
                iso(r.time_ms),
                r.lat,
                r.lon
            ));
        }
        out
    }

    /// The README that travels with the files. Runs of six or more digits in `source` (a file named after a
    /// NIK, say) are replaced by `…`.
    pub fn readme(&self, source: &str) -> String {
        let source = without_digit_runs(source);
        let zone = self.projection.map_or_else(
            || "—".to_string(),
            |p| format!("{} (EPSG:{})", p.name(), p.epsg()),
        );
        let (first, last) = match (self.rows.first(), self.rows.last()) {
            (Some(f), Some(l)) => (iso(f.time_ms), iso(l.time_ms)),
            _ => ("—".into(), "—".into()),
        };
        format!(
            "# Siaga 110 research export\n\n\
             Source: {source}. Rows: {rows} ({first} … {last}).\n\n\
             ## Files\n\
             - `incidents.parquet` — Apache Parquet (pandas, DuckDB, pyarrow read it).\n\
             - `incidents.csv` — the same rows as CSV (UTF-8, RFC 4180).\n\n\
             ## Schema\n\
             | column | type | meaning |\n|---|---|---|\n\
             | `time` | timestamp (ms, UTC) | when, rounded down to the {rounding} |\n\
             | `lat` | double | latitude (WGS 84) of the centre of the {cell:.0} m grid cell the incident lies in |\n\
             | `lon` | double | longitude (WGS 84) of that centre |\n\
             | `category` | string | the incident's category, or `{other}` (see the rules) |\n\n\
             ## Rules applied\n\
             - No NIK, caller number, name, address or free text is exported: only the four columns above.\n\
             - Times are rounded down to the {rounding}.\n\
             - Points are snapped to the centre of a {cell:.0} m cell of a grid on UTM zone {zone}, aligned on\n  \
               multiples of the cell size.\n\
             - k = {k}: in each cell, categories with fewer than {k} records are merged into `{other}` (and the next\n  \
               rarest join it until `{other}` has at least {k}): {merged} records merged. Cells with fewer than {k}\n  \
               records in all are left out: {suppressed} records suppressed.\n\
             - Category names carrying six or more digits in a row (a personal number typed in the wrong field) are\n  \
               replaced by `{other}`: {redacted} records.\n\
             So every (cell, category) group holds at least {k} records.\n",
            rows = self.rows.len(),
            rounding = self.rules.rounding.name(),
            cell = self.rules.cell_m,
            other = OTHER,
            k = self.rules.k,
            merged = self.merged,
            suppressed = self.suppressed,
            redacted = self.redacted,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_categories_merge_small_cells_vanish_and_personal_numbers_never_leave() {
        let mut records: Vec<(f64, f64, i64, &str)> = Vec::new();
        // Cell A (Monas): 6 theft, 2 robbery, 1 fraud, 3 with a NIK typed as the category.
        for _ in 0..6 {
            records.push((-6.1754, 106.8272, 1_700_000_123, "pencurian"));
        }
        for _ in 0..2 {
            records.push((-6.1754, 106.8272, 1_700_003_999, "perampokan"));
        }
        records.push((-6.1754, 106.8272, 1_700_000_000, "penipuan"));
        for _ in 0..3 {
            records.push((-6.1754, 106.8272, 1_700_000_000, "3171014507900001"));
        }
        // Cell B, far away: 3 records only.
        for _ in 0..3 {
            records.push((-6.3, 106.9, 1_700_000_000, "pencurian"));
        }
        let e = anonymise(records.iter().copied(), ExportRules::default()).unwrap();
        assert_eq!((e.rows.len(), e.suppressed, e.redacted), (12, 3, 3));
        let count = |c: &str| e.rows.iter().filter(|r| r.category == c).count();
        assert_eq!((count("pencurian"), count(OTHER)), (6, 6));
        assert!(e.rows.iter().all(|r| r.time_ms % 3_600_000 == 0));
        assert!(!e.csv().contains("3171014507900001"));
        let readme = e.readme("laporan-3171014507900001_2024-01-05.csv");
        assert!(
            !readme.contains("3171014507900001") && readme.contains("laporan-…_2024-01-05.csv"),
            "{readme}"
        );
        // A NIK or a phone number typed in groups is a personal number too (seen by the fuzzer in the
        // desk's masks, which share this scan); a date is not.
        assert_eq!(without_digit_runs("3171 0145 0790 0001"), "…");
        assert_eq!(without_digit_runs("hp 0812-3456-7890."), "hp ….");
        assert_eq!(without_digit_runs("rekap 2024-01-05"), "rekap 2024-01-05");
        // The snapped centre is within half a cell's diagonal of Monas.
        let r = &e.rows[0];
        assert!(
            (r.lat + 6.1754).abs() < 0.002 && (r.lon - 106.8272).abs() < 0.002,
            "{r:?}"
        );
    }

    #[test]
    fn weeks_start_on_monday_and_bad_rules_are_refused() {
        // 2024-03-17 (Sunday) 21:05 → Monday 2024-03-11 00:00.
        let sunday = crate::time::parse_iso8601("2024-03-17T21:05").unwrap().seconds;
        let monday = crate::time::parse_iso8601("2024-03-11").unwrap().seconds;
        assert_eq!(Rounding::Week.apply(sunday), monday);
        assert_eq!(
            Rounding::Day.apply(sunday),
            crate::time::parse_iso8601("2024-03-17").unwrap().seconds
        );
        assert!(anonymise(
            [(0.0, 0.0, 0, "x")],
            ExportRules {
                k: 0,
                ..ExportRules::default()
            }
        )
        .is_err());
        assert!(anonymise(
            [(0.0, 0.0, 0, "x")],
            ExportRules {
                cell_m: 1.0,
                ..ExportRules::default()
            }
        )
        .is_err());
    }
}
