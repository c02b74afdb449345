//! What the analyst's screens read: every placed incident of a period as a compact row (place, time, category,
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
}
