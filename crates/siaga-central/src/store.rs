//! The database behind the central: one pool over SQLite or PostgreSQL (sqlx `Any`), the embedded
//! migrations of each, and the write discipline that keeps a server sequence per Polda gapless.
//!
//! Queries are written once with `$n` placeholders, which both SQLite and PostgreSQL accept, and use only
//! portable types (text, 64-bit integers, doubles). Times are Unix milliseconds.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions as _};
use std::borrow::Cow;
use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A single SQLite file (WAL); writes are serialised in the process.
    Sqlite,
    /// PostgreSQL; writes to one Polda are serialised by its `polda_seq` row lock.
    Postgres,
}

impl Backend {
    /// The name used in health answers and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Errors opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL scheme (use sqlite:PATH or postgres://…)")]
    UnsupportedUrl,
    /// The database refused a connection or a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The pool, its backend, and the in-process write lock SQLite needs.
#[derive(Debug, Clone)]
pub struct Store {
    /// The connection pool.
    pub pool: AnyPool,
    /// Which database it is.
    pub backend: Backend,
    write_lock: Arc<tokio::sync::Mutex<()>>,
}

/// Held while a write transaction is open on SQLite (a no-op guard on PostgreSQL).
#[derive(Debug)]
pub struct WriteGuard<'a>(#[allow(dead_code)] Option<tokio::sync::MutexGuard<'a, ()>>);

fn migration(version: i64, description: &'static str, sql: &'static str) -> Migration {
    Migration::new(
        version,
        Cow::Borrowed(description),
        MigrationType::Simple,
        Cow::Borrowed(sql),
        false,
    )
}

fn migrator(backend: Backend) -> Migrator {
    let migrations = match backend {
        Backend::Sqlite => vec![
            migration(1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
            migration(
                2,
                "snapshot paging",
                include_str!("../migrations/sqlite/0002_snapshot.sql"),
            ),
            migration(
                3,
                "token families",
                include_str!("../migrations/sqlite/0003_token_families.sql"),
            ),
            migration(
                4,
                "kiosk drills",
                include_str!("../migrations/sqlite/0004_kiosk_drills.sql"),
            ),
            migration(
                5,
                "citizen services",
                include_str!("../migrations/sqlite/0005_citizen_services.sql"),
            ),
            migration(
                6,
                "audit trail",
                include_str!("../migrations/sqlite/0006_audit.sql"),
            ),
            migration(
                7,
                "caller number",
                include_str!("../migrations/sqlite/0007_caller_number.sql"),
            ),
            migration(
                8,
                "desk audit heads",
                include_str!("../migrations/sqlite/0008_desk_heads.sql"),
            ),
            migration(
                9,
                "video calls",
                include_str!("../migrations/sqlite/0009_video_calls.sql"),
            ),
            migration(
                10,
                "desk releases",
                include_str!("../migrations/sqlite/0010_releases.sql"),
            ),
            migration(
                11,
                "evidence",
                include_str!("../migrations/sqlite/0011_evidence.sql"),
            ),
            migration(
                12,
                "web reports",
                include_str!("../migrations/sqlite/0012_web_reports.sql"),
            ),
        ],
        Backend::Postgres => vec![
            migration(1, "init", include_str!("../migrations/postgres/0001_init.sql")),
            migration(
                2,
                "snapshot paging",
                include_str!("../migrations/postgres/0002_snapshot.sql"),
            ),
            migration(
                3,
                "token families",
                include_str!("../migrations/postgres/0003_token_families.sql"),
            ),
            migration(
                4,
                "kiosk drills",
                include_str!("../migrations/postgres/0004_kiosk_drills.sql"),
            ),
            migration(
                5,
                "citizen services",
                include_str!("../migrations/postgres/0005_citizen_services.sql"),
            ),
            migration(
                6,
                "audit trail",
                include_str!("../migrations/postgres/0006_audit.sql"),
            ),
            migration(
                7,
                "caller number",
                include_str!("../migrations/postgres/0007_caller_number.sql"),
            ),
            migration(
                8,
                "desk audit heads",
                include_str!("../migrations/postgres/0008_desk_heads.sql"),
            ),
            migration(
                9,
                "video calls",
                include_str!("../migrations/postgres/0009_video_calls.sql"),
            ),
            migration(
                10,
                "desk releases",
                include_str!("../migrations/postgres/0010_releases.sql"),
            ),
            migration(
                11,
                "evidence",
                include_str!("../migrations/postgres/0011_evidence.sql"),
            ),
            migration(
                12,
                "web reports",
                include_str!("../migrations/postgres/0012_web_reports.sql"),
            ),
        ],
    };
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`:
    /// `sqlite:/path/to/file.db` or `postgres://user@host:port/db`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool_options = match backend {
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        // The busy timeout first: the other pragmas may need a lock.
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        migrator(backend).run(&pool).await?;
        Ok(Store {
            pool,
            backend,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Serialises writers on SQLite (one writer at a time is SQLite's rule; waiting here instead of in
    /// `SQLITE_BUSY` keeps latency fair). On PostgreSQL, row locks do this job and the guard is empty.
    pub async fn write_guard(&self) -> WriteGuard<'_> {
        match self.backend {
            Backend::Sqlite => WriteGuard(Some(self.write_lock.lock().await)),
            Backend::Postgres => WriteGuard(None),
        }
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at once
    /// (waiting up to the busy timeout), so a transaction that reads before it writes never fails with
    /// a stale snapshot.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

pub use siaga_domain::clock::now_ms;
