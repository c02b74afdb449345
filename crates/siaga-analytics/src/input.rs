//! Reading an analyst's point file: CSV with a `lat,lon,time,category` header (more columns ignored).
//!
//! Real exports are messy, so a bad row never sinks the file: each one becomes a [`RowProblem`] naming its line
//! and column, the good rows are kept, and the caller reports both (nothing is dropped silently). Only a file
//! that cannot be read at all — no header, or no latitude, longitude or time column — is an [`InputError`].
//! Column names are matched without regard to case, with the usual aliases (`latitude`, `lng`/`longitude`,
//! `date`/`month`/`datetime`, `type`/`crime type`); without a category column every record counts as one
//! category, and [`Table::category_column`] says so. Coordinates must be WGS 84 degrees; `0,0` (the "null
//! island" that missing geocodes become) is refused like any impossible coordinate.

use std::collections::HashMap;
use std::io::Read;

use crate::time::{parse_iso8601, Moment};
use crate::AnalyticsError;

/// One accepted row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    pub lat: f64,
    pub lon: f64,
    pub time: Moment,
    /// Index into [`Table::categories`].
    pub category: u32,
}

/// A row that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// The column at fault, by its header name, when one is.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// What a file held: the rows taken, the rows refused, and the category names.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub records: Vec<Record>,
    pub problems: Vec<RowProblem>,
    /// Data rows read (taken + refused), not counting the header.
    pub rows: u64,
    pub categories: Vec<String>,
    /// The header name of the category column, `None` when the file has none.
    pub category_column: Option<String>,
}

const LAT: &[&str] = &["lat", "latitude"];
const LON: &[&str] = &["lon", "lng", "long", "longitude"];
const TIME: &[&str] = &[
    "time",
    "datetime",
    "date",
    "timestamp",
    "month",
    "occurred",
    "waktu",
];
const CATEGORY: &[&str] = &[
    "category",
    "type",
    "crime type",
    "crime_type",
    "offense",
    "kategori",
];

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    // The first alias in the list wins over later ones, whatever the column order.
    names
        .iter()
        .find_map(|name| header.iter().position(|h| h == name))
}

fn coordinate(field: &[u8], low: f64, high: f64, what: &str) -> Result<f64, String> {
    let text = std::str::from_utf8(field)
        .map_err(|_| format!("{what} is not text"))?
        .trim();
    if text.is_empty() {
        return Err(format!("{what} is empty"));
    }
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{what} {text:?} is not a number"))?;
    if !value.is_finite() || value < low || value > high {
        return Err(format!(
            "{what} {text} is outside {low}…{high} (WGS 84 degrees expected)"
        ));
    }
    Ok(value)
}

/// Reads a whole CSV file.
pub fn read_csv(source: impl Read) -> Result<Table, AnalyticsError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(source);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| AnalyticsError::Input(format!("line 1: the header cannot be read: {e}")))?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .trim()
                .to_lowercase()
        })
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(AnalyticsError::Input(
            "line 1: the file is empty or has no header".into(),
        ));
    }
    let missing: Vec<&str> = [("lat", LAT), ("lon", LON), ("time", TIME)]
        .iter()
        .filter(|(_, names)| find(&header, names).is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(AnalyticsError::Input(format!(
            "line 1: missing column{} {} (the header must name lat, lon, time and category; it has: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            header.join(", ")
        )));
    }
    let (lat_at, lon_at, time_at) = (
        find(&header, LAT).unwrap_or(0),
        find(&header, LON).unwrap_or(0),
        find(&header, TIME).unwrap_or(0),
    );
    let category_at = find(&header, CATEGORY);
    let mut table = Table {
        category_column: category_at.map(|i| header[i].clone()),
        ..Table::default()
    };
    let mut category_ids: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut row = csv::ByteRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A broken quote or invalid UTF-8 in a field: that row is reported; a failing reader ends the file.
                let at = e.position().map_or(line, |p| p.line());
                table.rows += 1;
                table.problems.push(RowProblem {
                    line: at,
                    column: None,
                    message: format!("unreadable row: {e}"),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(AnalyticsError::Input(format!("line {at}: reading stopped: {e}")));
                }
                continue;
            }
        }
        let line = row.position().map_or(line, |p| p.line());
        if row.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line is not a record
        }
        table.rows += 1;
        let problem = |column: usize, message: String| RowProblem {
            line,
            column: Some(header.get(column).cloned().unwrap_or_default()),
            message,
        };
        let field = |at: usize| row.get(at).unwrap_or(b"");
        if row.len() <= lat_at.max(lon_at).max(time_at) {
            table.problems.push(RowProblem {
                line,
                column: None,
                message: format!("{} fields where the header has {}", row.len(), header.len()),
            });
            continue;
        }
        let lat = match coordinate(field(lat_at), -90.0, 90.0, "latitude") {
            Ok(v) => v,
            Err(m) => {
                table.problems.push(problem(lat_at, m));
                continue;
            }
        };
        let lon = match coordinate(field(lon_at), -180.0, 180.0, "longitude") {
            Ok(v) => v,
            Err(m) => {
                table.problems.push(problem(lon_at, m));
                continue;
            }
        };
        if lat == 0.0 && lon == 0.0 {
            table.problems.push(problem(
                lat_at,
                "0,0 is where missing locations end up, not a place".into(),
            ));
            continue;
        }
        let time = match std::str::from_utf8(field(time_at)).map_err(|_| "the time is not text".to_string()) {
            Ok(text) => match parse_iso8601(text) {
                Ok(t) => t,
                Err(e) => {
                    table.problems.push(problem(time_at, e.0));
                    continue;
                }
            },
            Err(m) => {
                table.problems.push(problem(time_at, m));
                continue;
            }
        };
        let name = category_at.map_or(&b""[..], field);
        let name = name.trim_ascii();
        let next = category_ids.len() as u32;
        let category = *category_ids.entry(name.to_vec()).or_insert_with(|| {
            table.categories.push(String::from_utf8_lossy(name).into_owned());
            next
        });
        table.records.push(Record {
            lat,
            lon,
            time,
            category,
        });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Resolution;

    #[test]
    fn columns_are_found_by_name_in_any_order_with_extra_columns_ignored() {
        let csv = "\u{feff}Crime ID,Month,Longitude,Latitude,Location,Crime type\n\
                   a1,2024-01,-0.1276,51.5072,\"On or near Strand, Westminster\",Burglary\n\
                   a2,2024-02,-0.1300,51.5100,Somewhere,Robbery\n";
        let t = read_csv(csv.as_bytes()).unwrap();
        assert_eq!((t.rows, t.records.len(), t.problems.len()), (2, 2, 0));
        assert_eq!(t.categories, ["Burglary", "Robbery"]);
        assert_eq!(t.category_column.as_deref(), Some("crime type"));
        assert_eq!((t.records[0].lat, t.records[0].lon), (51.5072, -0.1276));
        assert_eq!(t.records[1].time.resolution, Resolution::Month);
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_column_and_the_rest_is_kept() {
        let csv = "lat,lon,time,category\n\
                   -6.2,106.8,2024-03-17T21:05:00+07:00,pencurian\n\
                   ,106.8,2024-03-17,pencurian\n\
                   -6.2,206.8,2024-03-17,pencurian\n\
                   -6.2,106.8,17/03/2024,pencurian\n\
                   0,0,2024-03-17,pencurian\n\
                   -6.2\n\
                   \n\
                   -6.21,106.81,2024-03-18,tawuran\n\
                   abc,106.8,2024-03-17,x\n";
        let t = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.rows, 8);
        let shown: Vec<String> = t.problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 6, "{shown:#?}");
        assert!(
            shown[0].starts_with("line 3, column lat: latitude is empty"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].starts_with("line 4, column lon: longitude 206.8 is outside"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].starts_with("line 5, column time:") && shown[2].contains("ISO 8601"),
            "{}",
            shown[2]
        );
        assert!(shown[3].starts_with("line 6, column lat: 0,0"), "{}", shown[3]);
        assert!(
            shown[4].starts_with("line 7: 1 fields where the header has 4"),
            "{}",
            shown[4]
        );
        assert!(
            shown[5].starts_with("line 10, column lat: latitude \"abc\" is not a number"),
            "{}",
            shown[5]
        );
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused_naming_them() {
        let e = read_csv("latitude,when,category\n1,2,3\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("missing columns lon, time") && e.contains("it has: latitude, when, category"),
            "{e}"
        );
        let e = read_csv("".as_bytes()).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
    }

    #[test]
    fn without_a_category_column_every_record_is_one_category() {
        let t = read_csv("lat,lon,time\n-6.2,106.8,2024-03\n".as_bytes()).unwrap();
        assert_eq!(
            (t.records.len(), t.category_column.clone(), t.categories.len()),
            (1, None, 1)
        );
    }
}
