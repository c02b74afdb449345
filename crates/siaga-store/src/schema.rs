//! Schema migrations, tracked with SQLite's `user_version`: each file in `migrations/` runs once, in
//! order, in its own transaction.

use crate::StoreError;
use sqlx::SqlitePool;

/// The migrations, in order; the schema version is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_map_and_kiosks.sql"),
    include_str!("../migrations/0003_snapshot.sql"),
    include_str!("../migrations/0004_research_export.sql"),
    include_str!("../migrations/0005_caller_history.sql"),
    include_str!("../migrations/0006_citizen_requests.sql"),
    include_str!("../migrations/0007_console_order.sql"),
    include_str!("../migrations/0008_audit_trail.sql"),
    include_str!("../migrations/0009_desk_heads.sql"),
    include_str!("../migrations/0010_evidence.sql"),
];

/// Refuses a database whose schema is not exactly this build's (for read-only use, which cannot migrate).
pub(crate) async fn check_current(pool: &SqlitePool) -> Result<(), StoreError> {
    let supported = MIGRATIONS.len() as i64;
    let found: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(pool).await?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    if found < supported {
        return Err(StoreError::SchemaTooOld { found, supported });
    }
    Ok(())
}

/// Applies the migrations the database has not seen yet.
pub(crate) async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let supported = MIGRATIONS.len() as i64;
    let found: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(pool).await?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::raw_sql(&format!("PRAGMA user_version = {}", index + 1))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
