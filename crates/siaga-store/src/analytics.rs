//! What the analyst's screens read, and the record of research exports: every placed incident of a period as a compact row (place, time, category,
//! Polda, regency and district codes) — no personal data, no JSON decoding beyond the two codes.

use crate::{Store, StoreError};
use siaga_domain::region::{DistrictCode, RegencyCode};
use siaga_domain::{Category, PoldaId};

/// An incident as the analyses see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyticsPoint {
    pub lat: f64,
    pub lon: f64,
    pub received_ms: i64,
    pub category: Option<Category>,
    pub polda: Option<PoldaId>,
    pub regency: Option<RegencyCode>,
    pub district: Option<DistrictCode>,
}

/// A research export as the desk recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    pub at_ms: i64,
    pub operator: String,
    pub role: String,
    pub since_ms: i64,
    pub until_ms: i64,
    /// The rules applied, as the export's README states them in short (`k=5 cell=250m round=hour`).
    pub rules: String,
    pub rows: i64,
    pub folder: String,
}

/// at, operator, role, since, until, rules, rows, folder.
type ExportRow = (i64, String, String, i64, i64, String, i64, String);

type Row = (
    f64,
    f64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Every incident with a place received in `[since_ms, until_ms)`, oldest first, in any Polda (the caller
    /// decides what is outside its scope and says so).
    pub async fn analytics_points(
        &self,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<Vec<AnalyticsPoint>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT lat, lon, received_ms, category, polda, json_extract(view, '$.location.regency'), \
             json_extract(view, '$.location.district') \
             FROM incident WHERE lat IS NOT NULL AND lon IS NOT NULL AND received_ms >= ? AND received_ms < ? \
             ORDER BY received_ms",
        )
        .bind(since_ms)
        .bind(until_ms)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(lat, lon, received_ms, category, polda, regency, district)| AnalyticsPoint {
                    lat,
                    lon,
                    received_ms,
                    category: category.and_then(|c| c.parse().ok()),
                    polda: polda.and_then(|p| p.parse().ok()),
                    regency: regency.and_then(|r| r.parse().ok()),
                    district: district.and_then(|d| d.parse().ok()),
                },
            )
            .collect())
    }

    /// Records a research export (never edited or removed).
    pub async fn record_export(&self, export: &ExportRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO research_export (at_ms, operator, role, since_ms, until_ms, rules, rows, folder) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(export.at_ms)
        .bind(&export.operator)
        .bind(&export.role)
        .bind(export.since_ms)
        .bind(export.until_ms)
        .bind(&export.rules)
        .bind(export.rows)
        .bind(&export.folder)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Every research export made at this desk, newest first.
    pub async fn exports(&self) -> Result<Vec<ExportRecord>, StoreError> {
        let rows: Vec<ExportRow> = sqlx::query_as(
            "SELECT at_ms, operator, role, since_ms, until_ms, rules, rows, folder FROM research_export ORDER BY id DESC",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(at_ms, operator, role, since_ms, until_ms, rules, rows, folder)| ExportRecord {
                    at_ms,
                    operator,
                    role,
                    since_ms,
                    until_ms,
                    rules,
                    rows,
                    folder,
                },
            )
            .collect())
    }
}
