//! The store in SQL, written once for both databases Gridline runs on:
//! SQLite (the embedded default: WAL, one file in the data directory) and
//! PostgreSQL (several replicas on one server). The database URL picks the
//! backend; statements are shared, written with `$1` placeholders, which
//! both accept. The few places where the two differ ask [`Backend`]:
//! migrations, how a consistent read begins, and how other replicas learn
//! that something changed.

mod base;
mod cases;
mod conn;
mod feed;
mod intake;
mod photos;
mod privacy;
mod query;
mod sync;
mod watches;
mod webhooks;

use super::{StoreError, StoreResult};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};
use std::path::Path;
use std::str::FromStr;
use std::sync::Once;

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names, or `None` for an unknown scheme.
    pub fn of_url(url: &str) -> Option<Self> {
        let scheme = url.split_once(':')?.0;
        match scheme {
            "sqlite" => Some(Self::Sqlite),
            "postgres" | "postgresql" => Some(Self::Postgres),
            _ => None,
        }
    }
}

/// How many connections a store keeps open.
#[derive(Debug, Clone, Copy)]
pub struct PoolSize(pub u32);

impl Default for PoolSize {
    fn default() -> Self {
        Self(8)
    }
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    feed: feed::ChangeFeed,
    /// The batch this clone's statements run in, if any.
    pinned: Option<std::sync::Arc<conn::Pinned>>,
    /// SQLite: this process's writers take turns here (see
    /// [`conn::WriteTurn`]); `None` on PostgreSQL, where rows lock.
    write_gate: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
}

fn install_drivers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

impl SqlStore {
    /// Opens (creating if needed) the SQLite database file at `path`.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let url = SqliteConnectOptions::new()
            .filename(path)
            .to_url_lossy()
            .to_string();
        Self::open_url(&url, PoolSize::default()).await
    }

    /// Opens the database a URL names: `sqlite://PATH` (created if missing)
    /// or `postgres://USER@HOST:PORT/DB` (which must exist).
    pub async fn open_url(url: &str, size: PoolSize) -> StoreResult<Self> {
        install_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            StoreError::Config(format!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://USER@HOST/DB",
                url.split_once(':').map_or(url, |(s, _)| s)
            ))
        })?;
        let options = match backend {
            Backend::Sqlite => {
                let sqlite = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
                AnyConnectOptions::from_str(sqlite.to_url_lossy().as_str())?
            }
            Backend::Postgres => AnyConnectOptions::from_str(url)?,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(size.0.max(1))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // FULL: a commit survives power loss, not only a crash.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            // What an update or delete frees is zeroed where
                            // that costs no extra write, so a person's
                            // erased data does not linger in the file.
                            "PRAGMA secure_delete = FAST",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            // A connection whose transaction could be neither committed nor
            // rolled back (SQLite rolls back by itself when the disk is
            // full, and sqlx's own ROLLBACK then fails) would stay "in a
            // transaction" for good, failing every later write on it: such
            // a connection is closed rather than handed out again.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            // A request waits this long for a connection (sqlx keeps trying
            // to connect while the database is down), then is told the
            // database is unreachable: not the 30 s default.
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let feed = match backend {
            Backend::Sqlite => feed::ChangeFeed::local(),
            Backend::Postgres => feed::ChangeFeed::listening(url).await?,
        };
        Ok(Self {
            pool,
            backend,
            feed,
            pinned: None,
            write_gate: (backend == Backend::Sqlite)
                .then(|| std::sync::Arc::new(tokio::sync::Mutex::new(()))),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A read-only transaction whose statements all see one snapshot: a
    /// page of the change log and the rows it names must agree. SQLite's
    /// WAL gives every transaction that; PostgreSQL needs REPEATABLE READ.
    async fn begin_snapshot(&self) -> StoreResult<conn::Tx> {
        self.begin_with(
            match self.backend {
                Backend::Sqlite => "BEGIN",
                Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            },
            false,
        )
        .await
    }

    /// A transaction that holds the write lock from its first statement on
    /// SQLite (on PostgreSQL rows lock as they are written).
    async fn begin_exclusive(&self) -> StoreResult<conn::Tx> {
        self.begin_with(
            match self.backend {
                Backend::Sqlite => "BEGIN IMMEDIATE",
                Backend::Postgres => "BEGIN",
            },
            true,
        )
        .await
    }
}

pub(super) fn now_ms() -> i64 {
    crate::clock::now_ms()
}

pub(super) fn parse_id<T: FromStr>(s: &str) -> StoreResult<T> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad id {s:?}")))
}

pub(super) fn unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Whether `conn` is a PostgreSQL connection.
pub(super) fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}
