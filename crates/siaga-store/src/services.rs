//! Citizen requests as the central last showed them (`siaga_api::services::ServiceRequestView`, kept
//! whole as JSON), and how far the desk has followed their changes (the `updatedAfter` cursor, in the
//! settings). The Layanan Warga page reads them from here, online or not.

use crate::{Store, StoreChange, StoreError};
use siaga_api::services::ServiceRequestView;

const CURSOR: &str = "services_cursor";

impl Store {
    /// Stores the central's answers (newer than what is held; an older answer never overwrites a newer
    /// one) and announces the change.
    pub async fn put_service_requests(&self, views: &[ServiceRequestView]) -> Result<(), StoreError> {
        if views.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await?;
        for view in views {
            sqlx::query(
                "INSERT INTO service_request (id, polda, kind, status, submitted_ms, updated_ms, view) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET polda = excluded.polda, \
                 kind = excluded.kind, status = excluded.status, updated_ms = excluded.updated_ms, view = excluded.view \
                 WHERE excluded.updated_ms >= service_request.updated_ms",
            )
            .bind(view.request.id.to_string())
            .bind(view.polda.code())
            .bind(view.kind.code())
            .bind(view.status.code())
            .bind(view.submitted_at_ms)
            .bind(view.updated_at_ms)
            .bind(serde_json::to_string(view)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.announce(StoreChange {
            service_requests: true,
            committed_ms: crate::now_ms(),
            ..StoreChange::default()
        });
        Ok(())
    }

    /// Every held request, the most recently changed first.
    pub async fn service_requests(&self) -> Result<Vec<ServiceRequestView>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT view FROM service_request ORDER BY updated_ms DESC, id")
                .fetch_all(&self.reader)
                .await?;
        rows.into_iter()
            .map(|(json,)| serde_json::from_str(&json).map_err(StoreError::from))
            .collect()
    }

    /// One held request.
    pub async fn service_request(&self, id: &str) -> Result<Option<ServiceRequestView>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT view FROM service_request WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|(json,)| serde_json::from_str(&json).map_err(StoreError::from))
            .transpose()
    }

    /// The change time the desk has followed requests up to (0 at first).
    pub async fn services_cursor(&self) -> Result<i64, StoreError> {
        Ok(self
            .setting(CURSOR)
            .await?
            .and_then(|value| value.as_i64())
            .unwrap_or(0))
    }

    /// Moves the cursor.
    pub async fn set_services_cursor(&self, updated_ms: i64) -> Result<(), StoreError> {
        self.set_setting(CURSOR, &serde_json::json!(updated_ms)).await
    }
}
