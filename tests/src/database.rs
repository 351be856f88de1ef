//! The database a test's server runs on. By default a fresh SQLite file in
//! the test's temporary folder; with `GRIDLINE_TEST_BACKEND=postgres`, a
//! fresh database created for the test on the PostgreSQL server that
//! `GRIDLINE_TEST_DATABASE_URL` names, dropped afterwards. The same test
//! bodies run on both: `scripts/test` runs the suite once per backend.
//! Tests only PostgreSQL can run (several replicas, the schema comparison)
//! use that server whenever it is named.

use sqlx::{Connection, Executor, PgConnection};

/// The variable that points the tests at a PostgreSQL server.
pub const URL_VAR: &str = "GRIDLINE_TEST_DATABASE_URL";
/// The variable that moves the black-box suite onto it: `postgres`.
pub const BACKEND_VAR: &str = "GRIDLINE_TEST_BACKEND";

/// The PostgreSQL server the tests were pointed at, if any.
#[must_use]
pub fn postgres_server() -> Option<String> {
    std::env::var(URL_VAR)
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

/// The PostgreSQL server the black-box suite runs on, or `None` for SQLite.
///
/// # Panics
/// When the backend is `postgres` and no server is named, or the backend is
/// unknown: a run that asked for PostgreSQL must not quietly use SQLite.
#[must_use]
pub fn suite_server() -> Option<String> {
    match std::env::var(BACKEND_VAR).as_deref() {
        Err(_) | Ok("" | "sqlite") => None,
        Ok("postgres") => Some(postgres_server().unwrap_or_else(|| {
            panic!("{BACKEND_VAR}=postgres needs {URL_VAR}=postgres://USER@HOST:PORT/DB")
        })),
        Ok(other) => panic!("{BACKEND_VAR}={other:?}: use sqlite or postgres"),
    }
}

/// A database of its own for one test, on the PostgreSQL server.
#[derive(Debug)]
pub struct PgDatabase {
    server: String,
    name: String,
    url: String,
}

impl PgDatabase {
    /// Creates an empty database on `server` (a URL naming any database
    /// there the test may connect to and create databases from).
    pub async fn create(server: &str) -> Self {
        let name = format!("gridline_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("connect to {URL_VAR} server: {e}"));
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap_or_else(|e| panic!("create test database {name}: {e}"));
        let _ = admin.close().await;
        let url = with_database(server, &name);
        Self {
            server: server.to_owned(),
            name,
            url,
        }
    }

    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for PgDatabase {
    /// Drops the database, closing any connection still open to it. Runs on
    /// a thread of its own: `drop` cannot await, and the test's runtime may
    /// be shutting down.
    fn drop(&mut self) {
        let server = self.server.clone();
        let name = self.name.clone();
        let dropping = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(mut admin) = PgConnection::connect(&server).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = admin.execute(sql.as_str()).await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = dropping.join();
    }
}

/// `server` with its database name replaced by `name`.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    // The path starts at the first `/` after the authority.
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_test_database_url_keeps_the_server_and_its_options() {
        assert_eq!(
            with_database("postgres://gl@127.0.0.1:5432/gridline", "t1"),
            "postgres://gl@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://gl:pw@db:5432?sslmode=disable", "t1"),
            "postgres://gl:pw@db:5432/t1?sslmode=disable"
        );
    }
}
