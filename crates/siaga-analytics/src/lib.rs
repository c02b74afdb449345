//! Siaga's analyst compute: where and when crime concentrates, and where it will be next.
//!
//! Pure compute — no files, no network, no clock; [`rayon`] for the per-cell loops. The binary
//! `siaga-analytics` reads CSV and prints; the desk will call the same functions.
//!
//! - [`time`]: ISO 8601 times at the precision police exports give (second, day or only the month).
//! - [`input`]: the `lat,lon,time,category` CSV, bad rows reported by line and column, never dropped silently.
//! - [`utm`]: WGS 84 → UTM, one zone per data set chosen from its longitudes (Indonesia spans zones 46–54).
//! - [`grid`]: square metric cells over the data's extent.
//! - [`kde`]: Gaussian kernel density with a stated bandwidth rule, binned and convolved.
//! - [`gistar`]: Getis-Ord Gi* hot and cold spots with the false-discovery-rate correction.
//! - [`near_repeat`]: the Knox test over distance × time bands with Monte Carlo significance.
//! - [`temporal`]: the hour × weekday matrix, and an exact test of a change in a category's rate.
//! - [`calendar`]: Ramadan, mudik, the Eids and the fixed holidays, to mark the periods a trend crosses.
//! - [`forecast`]: next period's hot cells (KDE baseline, counts, a learned blend), scored by PAI and PEI.
//! - [`export`]: the anonymised research export (rounded times, snapped points, k-merged categories).
//! - [`parquet`]: a small Parquet writer for the export's flat table.

pub mod calendar;
pub mod export;
pub mod forecast;
pub mod gistar;
pub mod grid;
pub mod input;
pub mod kde;
pub mod near_repeat;
pub mod parquet;
pub mod temporal;
pub mod time;
pub mod utm;

/// Why an analysis could not run. Bad rows are not errors: they are [`input::RowProblem`]s beside the result.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    /// The file as a whole cannot be used (no header, missing columns, unreadable).
    #[error("{0}")]
    Input(String),
    /// A parameter out of range (cell size, area share).
    #[error("{0}")]
    Parameter(String),
    /// Nothing to analyse (an empty period, no points in the area).
    #[error("{0}")]
    Empty(String),
}

/// Records projected onto one UTM plane: `(x, y)` in metres, in the records' order.
pub fn project(records: &[input::Record]) -> Option<(utm::Projection, Vec<(f64, f64)>)> {
    let projection = utm::Projection::for_points(records.iter().map(|r| (r.lat, r.lon)))?;
    let points = records.iter().map(|r| projection.forward(r.lat, r.lon)).collect();
    Some((projection, points))
}
