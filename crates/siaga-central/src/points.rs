//! The national analysis path: the central's incidents as the CSV `siaga-analytics` reads, streamed from the
//! database through a read-only connection (decision 0012).
//!
//! Meant to run with a read-only database role (`GRANT SELECT ON incidents`), never the server's own: nothing is
//! migrated or written. On PostgreSQL the rows come through a server-side cursor (`DECLARE … NO SCROLL CURSOR`
//! in a `READ ONLY` transaction, fetched 10,000 at a time), so tens of millions of incidents stream in constant
//! memory; on SQLite they stream from one query. Prank and empty calls and unclassified calls are left out and
//! counted; with a Polda, other Poldas' incidents are not even read.

use std::io::Write;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyRow};
use sqlx::{Connection, Row};

use siaga_domain::{Category, PoldaId};

/// What an export wrote and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PointsSummary {
    pub written: u64,
    pub prank_or_empty: u64,
    pub unclassified: u64,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum PointsError {
    #[error("unsupported database URL scheme (use sqlite:PATH or postgres://…)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("writing the CSV: {0}")]
    Write(#[from] std::io::Error),
}

const BATCH: usize = 10_000;

fn select(polda: Option<PoldaId>, since_ms: i64, until_ms: i64) -> String {
    // Every value is a number or a Polda code from the closed list: nothing from outside reaches the SQL text.
    let polda = polda.map_or(String::new(), |p| format!(" AND polda = '{}'", p.code()));
    format!(
        "SELECT lat, lon, created_ms, category, polda FROM incidents \
         WHERE lat IS NOT NULL AND lon IS NOT NULL AND created_ms >= {since_ms} AND created_ms < {until_ms}{polda} \
         ORDER BY created_ms"
    )
}

fn write_row(row: &AnyRow, out: &mut impl Write, summary: &mut PointsSummary) -> Result<(), PointsError> {
    let category: String = row.try_get(3)?;
    let Ok(category) = Category::from_str(&category) else {
        summary.unclassified += 1;
        return Ok(());
    };
    if category.is_prank_or_empty() {
        summary.prank_or_empty += 1;
        return Ok(());
    }
    let (lat, lon): (f64, f64) = (row.try_get(0)?, row.try_get(1)?);
    let created_ms: i64 = row.try_get(2)?;
    let polda: String = row.try_get(4)?;
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(created_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    writeln!(out, "{lat},{lon},{at},{},{polda}", category.code())?;
    summary.written += 1;
    Ok(())
}

/// Streams the placed incidents received in `[since_ms, until_ms)` (of `polda`, or all) as
/// `lat,lon,time,category,polda` CSV into `out`, 10,000 rows per fetch.
pub async fn export_points(
    database_url: &str,
    polda: Option<PoldaId>,
    since_ms: i64,
    until_ms: i64,
    out: &mut impl Write,
) -> Result<PointsSummary, PointsError> {
    export_points_in_batches(database_url, polda, since_ms, until_ms, BATCH, out).await
}

/// [`export_points`] with `batch` rows per fetch from PostgreSQL's cursor.
pub async fn export_points_in_batches(
    database_url: &str,
    polda: Option<PoldaId>,
    since_ms: i64,
    until_ms: i64,
    batch: usize,
    out: &mut impl Write,
) -> Result<PointsSummary, PointsError> {
    let batch = batch.max(1);
    sqlx::any::install_default_drivers();
    let postgres = database_url.starts_with("postgres:") || database_url.starts_with("postgresql:");
    if !postgres && !database_url.starts_with("sqlite:") {
        return Err(PointsError::UnsupportedUrl);
    }
    let url = if postgres || database_url.contains('?') {
        database_url.to_owned()
    } else {
        format!("{database_url}?mode=ro")
    };
    let mut conn = sqlx::AnyConnection::connect_with(&AnyConnectOptions::from_str(&url)?).await?;
    let mut summary = PointsSummary::default();
    writeln!(out, "lat,lon,time,category,polda")?;
    let query = select(polda, since_ms, until_ms);
    if postgres {
        sqlx::raw_sql("BEGIN TRANSACTION READ ONLY")
            .execute(&mut conn)
            .await?;
        sqlx::raw_sql(&format!("DECLARE siaga_points NO SCROLL CURSOR FOR {query}"))
            .execute(&mut conn)
            .await?;
        loop {
            let rows = sqlx::query(&format!("FETCH {batch} FROM siaga_points"))
                .fetch_all(&mut conn)
                .await?;
            for row in &rows {
                write_row(row, out, &mut summary)?;
            }
            if rows.len() < batch {
                break;
            }
        }
        sqlx::raw_sql("COMMIT").execute(&mut conn).await?;
    } else {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query(&query).fetch(&mut conn);
        while let Some(row) = rows.try_next().await? {
            write_row(&row, out, &mut summary)?;
        }
    }
    out.flush()?;
    Ok(summary)
}
