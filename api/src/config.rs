//! Settings: built-in defaults, then a TOML file (if given), then environment
//! variables `GRIDLINE_*` (nested keys with `__`, e.g.
//! `GRIDLINE_AUTH__JWT_SECRET`), then command-line flags. Secrets are never
//! printed: `Secret` shows as `***`.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// A value that must not reach logs.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthConfig {
    /// HS256 signing secret, at least 32 characters. Unset: one is generated
    /// and kept in the database, so every replica shares it.
    pub jwt_secret: Option<Secret>,
    pub access_ttl_s: i64,
    pub refresh_ttl_s: i64,
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
    pub failure_window_s: i64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        let d = crate::auth::AuthSettings::default();
        Self {
            jwt_secret: None,
            access_ttl_s: d.access_ttl_s,
            refresh_ttl_s: d.refresh_ttl_s,
            max_failures_per_account: d.max_failures_per_account,
            max_failures_per_address: d.max_failures_per_address,
            failure_window_s: d.failure_window_s,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub listen: String,
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`; default
    /// `gridline.db` in `data_dir`.
    pub database_url: Option<Secret>,
    /// Connections this replica keeps open to the database (see
    /// docs/OPERATIONS.md for sizing several replicas on one PostgreSQL).
    pub database_max_connections: u32,
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `gridline_api=debug,info`.
    pub log_level: String,
    /// A point this close (metres) outside every grid goes to the nearest one.
    pub near_grid_m: f64,
    /// Overlaps narrower than this (mean width, metres) are tolerated on import.
    pub overlap_tolerance_m: f64,
    /// Largest request body accepted, in bytes, except a grid import's.
    /// A phone's push of 50 reports is well under 1 MiB; an Open311 photo
    /// may be 10 MiB.
    pub body_limit_bytes: usize,
    /// Largest grid import (`POST /v1/grids/import`): a county's boundaries.
    pub import_body_limit_bytes: usize,
    /// A request that takes longer is answered 408 / `timeout`.
    pub request_timeout_s: u64,
    /// How often a replica checks whether another changed the territory.
    pub territory_poll_s: u64,
    /// How often the deadline scheduler runs (0: never; tests tick it themselves).
    pub scheduler_tick_s: u64,
    /// How long the sync change log and answered mutations are kept; a
    /// device away longer starts again from a snapshot.
    pub sync_retention_days: u32,
    /// Open311 requests one address may submit in an hour without an
    /// `api_key` (per replica).
    pub open311_anonymous_per_hour: u32,
    pub auth: AuthConfig,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("gridline-data"),
            database_url: None,
            database_max_connections: 8,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            near_grid_m: 150.0,
            overlap_tolerance_m: 2.0,
            body_limit_bytes: 16 * 1024 * 1024,
            import_body_limit_bytes: 64 * 1024 * 1024,
            request_timeout_s: 60,
            territory_poll_s: 5,
            scheduler_tick_s: 30,
            sync_retention_days: 90,
            open311_anonymous_per_hour: 30,
            auth: AuthConfig::default(),
        }
    }
}

impl Settings {
    /// Defaults, then `file`, then `GRIDLINE_*` variables.
    #[allow(clippy::result_large_err)] // figment's error; built once at start-up
    pub fn load(file: Option<&Path>) -> Result<Self, figment::Error> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::prefixed("GRIDLINE_").split("__"))
            .extract()
    }

    /// The database URL in effect.
    #[must_use]
    pub fn database_url(&self) -> String {
        self.database_url.as_ref().map_or_else(
            || format!("sqlite://{}", self.data_dir.join("gridline.db").display()),
            |s| s.expose().to_owned(),
        )
    }

    /// The database URL with any password masked, for messages.
    #[must_use]
    pub fn database_url_for_display(&self) -> String {
        let url = self.database_url();
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://***{}", &url[..scheme], &url[at..])
            }
            _ => url,
        }
    }

    #[must_use]
    pub fn auth_settings(&self) -> crate::auth::AuthSettings {
        crate::auth::AuthSettings {
            access_ttl_s: self.auth.access_ttl_s,
            refresh_ttl_s: self.auth.refresh_ttl_s,
            max_failures_per_account: self.auth.max_failures_per_account,
            max_failures_per_address: self.auth.max_failures_per_address,
            failure_window_s: self.auth.failure_window_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let mut s = Settings::default();
        s.auth.jwt_secret = Some(Secret::new("hunter2hunter2hunter2hunter2hunter2".into()));
        s.database_url = Some(Secret::new("sqlite:///tmp/x.db".into()));
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("/tmp/x.db"), "{shown}");
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn a_file_and_the_environment_override_defaults_in_that_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "gridline.toml",
                "listen = \"0.0.0.0:9000\"\nnear_grid_m = 50.0\n[auth]\naccess_ttl_s = 60\n",
            )?;
            jail.set_env("GRIDLINE_NEAR_GRID_M", "75");
            jail.set_env("GRIDLINE_AUTH__MAX_FAILURES_PER_ACCOUNT", "3");
            let s = Settings::load(Some(Path::new("gridline.toml")))?;
            assert_eq!(s.listen, "0.0.0.0:9000");
            assert!((s.near_grid_m - 75.0).abs() < f64::EPSILON);
            assert_eq!(s.auth.access_ttl_s, 60);
            assert_eq!(s.auth.max_failures_per_account, 3);
            Ok(())
        });
    }
}
