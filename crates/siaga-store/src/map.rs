//! What the map, the kiosk screens and the alert banner read, and the desk's own settings: compact rows
//! straight from the query columns (no JSON decoding), so tens of thousands of incidents load quickly.

use crate::{now_ms, Store, StoreError};
use siaga_domain::kiosk::{KioskHealth, KioskId};
use siaga_domain::{Category, IncidentStatus, PoldaId, Priority};

/// Which incidents the map shows. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapFilter {
    pub statuses: Vec<IncidentStatus>,
    pub categories: Vec<Category>,
    pub polda: Option<PoldaId>,
    /// Only incidents received at or after this time (ms since the epoch).
    pub received_since_ms: Option<i64>,
    /// At most this many, the most urgent and most recent first.
    pub limit: u32,
}

/// An incident as a point on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub priority: Priority,
    pub category: Option<Category>,
    pub status: IncidentStatus,
    pub polda: Option<PoldaId>,
    pub received_ms: i64,
    /// The kiosk whose open alert this is.
    pub alert_kiosk: Option<KioskId>,
}

/// A station kiosk as the central last listed it.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskRecord {
    pub id: KioskId,
    pub station: String,
    pub polda: PoldaId,
    pub lat: f64,
    pub lon: f64,
    /// The kiosk's own report (`unknown` before its first heartbeat).
    pub status: KioskHealth,
    pub battery_pct: Option<u8>,
    pub last_heartbeat_ms: Option<i64>,
}

/// An alert no operator has acknowledged yet.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAlert {
    pub incident_id: String,
    /// The kiosk's id as stored: kept as text so that an alert is listed even if its row were damaged
    /// (an open alert is never hidden).
    pub kiosk_id: String,
    /// The station, when the kiosk is in the store's list.
    pub station: Option<String>,
    pub received_ms: i64,
    pub priority: Priority,
    pub category: Option<Category>,
}

/// incident id, kiosk id, station, received ms, priority rank, category.
type AlertRow = (String, String, Option<String>, i64, i64, Option<String>);

type PointRow = (
    String,
    f64,
    f64,
    i64,
    Option<String>,
    String,
    Option<String>,
    i64,
    Option<String>,
);

fn point_of(row: PointRow) -> Option<MapPoint> {
    let (id, lat, lon, rank, category, status, polda, received_ms, alert_kiosk) = row;
    Some(MapPoint {
        id,
        lat,
        lon,
        priority: Priority::from_rank(u8::try_from(rank).ok()?)?,
        category: category.and_then(|c| c.parse().ok()),
        status: IncidentStatus::from_code(&status)?,
        polda: polda.and_then(|p| p.parse().ok()),
        received_ms,
        alert_kiosk: alert_kiosk.and_then(|k| KioskId::parse(&k).ok()),
    })
}

impl Store {
    /// The incidents with a place that match `filter`, as map points.
    pub async fn map_points(&self, filter: &MapFilter) -> Result<Vec<MapPoint>, StoreError> {
        let mut sql = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "SELECT id, lat, lon, priority_rank, category, status, polda, received_ms, alert_kiosk \
             FROM incident WHERE lat IS NOT NULL AND lon IS NOT NULL",
        );
        crate::query::push_in(&mut sql, "status", filter.statuses.iter().map(|s| s.code()));
        crate::query::push_in(&mut sql, "category", filter.categories.iter().map(|c| c.code()));
        if let Some(polda) = filter.polda {
            sql.push(" AND polda = ").push_bind(polda.code());
        }
        if let Some(since) = filter.received_since_ms {
            sql.push(" AND received_ms >= ").push_bind(since);
        }
        sql.push(" ORDER BY priority_rank, received_ms DESC LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows: Vec<PointRow> = sql.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows.into_iter().filter_map(point_of).collect())
    }

    /// Every open kiosk alert, oldest first (the one waiting longest leads the banner).
    pub async fn open_alerts(&self) -> Result<Vec<OpenAlert>, StoreError> {
        let rows: Vec<AlertRow> = sqlx::query_as(
            // INDEXED BY: left to itself SQLite walks every incident in received order to honour the ORDER
            // BY (a scan of the whole store every few seconds: the banner and the kiosk lights ask this).
            "SELECT i.id, i.alert_kiosk, k.station, i.received_ms, i.priority_rank, i.category \
             FROM incident i INDEXED BY incident_open_alert LEFT JOIN kiosk k ON k.id = i.alert_kiosk \
             WHERE i.alert_kiosk IS NOT NULL ORDER BY i.received_ms, i.id",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(incident_id, kiosk_id, station, received_ms, rank, category)| OpenAlert {
                    incident_id,
                    kiosk_id,
                    station,
                    received_ms,
                    priority: u8::try_from(rank)
                        .ok()
                        .and_then(Priority::from_rank)
                        .unwrap_or(Priority::High),
                    category: category.and_then(|c| c.parse().ok()),
                },
            )
            .collect())
    }

    /// Replaces the kiosks of `poldas` (the desk's Polda, or all of them for a national desk) with the
    /// central's list, in one commit and one change announcement (kiosks no longer listed are removed).
    pub async fn replace_kiosks(&self, poldas: &[PoldaId], kiosks: &[KioskRecord]) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let marks = vec!["?"; poldas.len()].join(", ");
        let delete = format!("DELETE FROM kiosk WHERE polda IN ({marks})");
        let mut query = sqlx::query(&delete);
        for polda in poldas {
            query = query.bind(polda.code());
        }
        query.execute(&mut *tx).await?;
        let listed = now_ms();
        for kiosk in kiosks {
            sqlx::query(
                "INSERT INTO kiosk (id, station, polda, lat, lon, status, battery_pct, last_heartbeat_ms, listed_ms) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET station = excluded.station, \
                 polda = excluded.polda, lat = excluded.lat, lon = excluded.lon, status = excluded.status, \
                 battery_pct = excluded.battery_pct, last_heartbeat_ms = excluded.last_heartbeat_ms, \
                 listed_ms = excluded.listed_ms",
            )
            .bind(kiosk.id.as_str())
            .bind(&kiosk.station)
            .bind(kiosk.polda.code())
            .bind(kiosk.lat)
            .bind(kiosk.lon)
            .bind(kiosk.status.code())
            .bind(kiosk.battery_pct.map(i64::from))
            .bind(kiosk.last_heartbeat_ms)
            .bind(listed)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.announce(crate::StoreChange::kiosks());
        Ok(())
    }

    /// Every kiosk the desk knows, by id (a row this build cannot read is skipped, as map points are).
    pub async fn kiosks(&self) -> Result<Vec<KioskRecord>, StoreError> {
        type Row = (String, String, String, f64, f64, String, Option<i64>, Option<i64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, station, polda, lat, lon, status, battery_pct, last_heartbeat_ms FROM kiosk ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(id, station, polda, lat, lon, status, battery, last_heartbeat_ms)| {
                    Some(KioskRecord {
                        id: KioskId::parse(&id).ok()?,
                        station,
                        polda: polda.parse().ok()?,
                        lat,
                        lon,
                        status: KioskHealth::parse(&status)?,
                        battery_pct: battery.and_then(|b| u8::try_from(b).ok()),
                        last_heartbeat_ms,
                    })
                },
            )
            .collect())
    }

    /// A setting's stored JSON value.
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM setting WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.reader)
            .await?;
        Ok(value.map(|v| serde_json::from_str(&v)).transpose()?)
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &str, value: &serde_json::Value) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value.to_string())
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}
