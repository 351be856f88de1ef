//! The harness: a real Gridline server on a fresh database (SQLite, or
//! PostgreSQL when `GRIDLINE_TEST_DATABASE_URL` names a server), started
//! from a listener bound to port 0 (so the address is known before the first
//! request and nothing sleeps), and a client to talk to it.

use gridline_api::config::Settings;
use gridline_api::demo::DemoAccount;
use gridline_api::server;
use gridline_api::state::AppState;
use gridline_core::wire::auth::TokenResponse;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::SocketAddr;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub mod database;
pub mod phone;
pub mod photo;
pub mod town;

pub const PASSWORD: &str = "field-test-password";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    pub dir: TempDir,
    /// The PostgreSQL database this server runs on, dropped after the test.
    pg: Option<std::sync::Arc<database::PgDatabase>>,
}

impl TestApp {
    /// A server on an empty database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server on an empty database whose time is `clock`, with no
    /// background scheduler (tests tick it).
    pub async fn spawn_on_clock(clock: std::sync::Arc<gridline_api::clock::ManualClock>) -> Self {
        Self::spawn_inner(|s| s.scheduler_tick_s = 0, Some(clock)).await
    }

    /// A server on an empty database, with settings adjusted by `f`.
    pub async fn spawn_with(f: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_inner(f, None).await
    }

    async fn spawn_inner(
        f: impl FnOnce(&mut Settings),
        clock: Option<std::sync::Arc<gridline_api::clock::ManualClock>>,
    ) -> Self {
        let pg = match database::suite_server() {
            Some(server) => Some(std::sync::Arc::new(
                database::PgDatabase::create(&server).await,
            )),
            None => None,
        };
        Self::spawn_on(pg, f, clock).await
    }

    /// A server on a fresh PostgreSQL database on `server`, whatever the
    /// suite's backend: the first of several replicas.
    pub async fn spawn_postgres(
        server: &str,
        clock: Option<std::sync::Arc<gridline_api::clock::ManualClock>>,
        f: impl FnOnce(&mut Settings),
    ) -> Self {
        let pg = std::sync::Arc::new(database::PgDatabase::create(server).await);
        Self::spawn_on(Some(pg), f, clock).await
    }

    /// Another server on the database `other` runs on (a replica), on the
    /// real clock or on `clock`.
    pub async fn spawn_replica(
        other: &Self,
        clock: Option<std::sync::Arc<gridline_api::clock::ManualClock>>,
        f: impl FnOnce(&mut Settings),
    ) -> Self {
        assert!(other.pg.is_some(), "replicas share a PostgreSQL database");
        Self::spawn_on(other.pg.clone(), f, clock).await
    }

    /// The URL of the database this server runs on.
    #[must_use]
    pub fn database_url(&self) -> String {
        self.state.settings.database_url()
    }

    /// Whether this server runs on PostgreSQL.
    #[must_use]
    pub fn on_postgres(&self) -> bool {
        self.pg.is_some()
    }

    async fn spawn_on(
        pg: Option<std::sync::Arc<database::PgDatabase>>,
        f: impl FnOnce(&mut Settings),
        clock: Option<std::sync::Arc<gridline_api::clock::ManualClock>>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            data_dir: dir.path().to_path_buf(),
            database_url: pg
                .as_ref()
                .map(|db| gridline_api::config::Secret::new(db.url().to_owned())),
            ..Settings::default()
        };
        f(&mut settings);
        let store = server::open_store(&settings).await.expect("store");
        let state = match clock {
            Some(c) => server::build_state_with_clock(settings, store, c).await,
            None => server::build_state(settings, store).await,
        }
        .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let _ = server::serve(listener, serving, async {
                let _ = rx.await;
            })
            .await;
        });
        Self {
            addr,
            client: reqwest::Client::new(),
            state,
            shutdown: Some(tx),
            dir,
            pg,
        }
    }

    /// A server loaded with the Shandan demo; every account has [`PASSWORD`].
    pub async fn spawn_demo() -> (Self, Vec<DemoAccount>) {
        Self::spawn_demo_with(|_| {}).await
    }

    /// [`Self::spawn_demo`] whose time is `clock`, with no background
    /// scheduler (tests tick it).
    pub async fn spawn_demo_on_clock(
        clock: std::sync::Arc<gridline_api::clock::ManualClock>,
    ) -> (Self, Vec<DemoAccount>) {
        Self::seed_demo(Self::spawn_on_clock(clock).await).await
    }

    /// [`Self::spawn_demo`] with settings changed by `f`.
    pub async fn spawn_demo_with(f: impl FnOnce(&mut Settings)) -> (Self, Vec<DemoAccount>) {
        Self::seed_demo(Self::spawn_with(f).await).await
    }

    async fn seed_demo(app: Self) -> (Self, Vec<DemoAccount>) {
        let accounts = gridline_api::demo::seed(
            app.state.store.as_ref(),
            &app.state.territory,
            Some(PASSWORD),
        )
        .await
        .expect("demo seed");
        (app, accounts)
    }

    /// The code of the (first) county served.
    #[must_use]
    pub fn county_code(&self) -> String {
        let t = self.state.territory.current();
        t.units()
            .iter()
            .find(|u| u.kind == gridline_core::OrgUnitKind::County)
            .expect("a county")
            .code
            .clone()
    }

    /// An API key for a system of the county, made by the admin whose
    /// token is `admin`: its id and the key.
    pub async fn api_key(&self, admin: &str, name: &str, source: &str) -> (String, String) {
        let (s, made) = self
            .post_json(
                "/v1/api-keys",
                admin,
                &json!({ "name": name, "source": source, "county": self.county_code() }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{made}");
        (
            made["id"].as_str().expect("id").to_owned(),
            made["key"].as_str().expect("key").to_owned(),
        )
    }

    /// A WGS84 point inside the grid with this code (`seed` picks which).
    #[must_use]
    pub fn point_in_grid(&self, code: &str, seed: u64) -> (f64, f64) {
        use gridline_api::spatial::generate::{SplitMix64, sample_inside};
        let t = self.state.territory.current();
        let unit = t.by_code(code).expect("a grid with this code");
        let g = (0..t.index.len())
            .find(|&g| t.index.grids()[g].data == unit)
            .expect("the grid is in the index");
        let rings = vec![t.index.rings(g).collect()];
        let [lon, lat] = sample_inside(&rings, 1, &mut SplitMix64::new(seed))[0];
        (lon, lat)
    }

    /// How many cases the store holds, whoever may see them.
    pub async fn case_count(&self) -> usize {
        use gridline_api::store::cases::{CaseFilter, CaseScope};
        self.state
            .store
            .list_cases(&CaseFilter {
                scope: CaseScope {
                    everything: true,
                    ..Default::default()
                },
                limit: 10_000,
                ..Default::default()
            })
            .await
            .expect("cases listed")
            .len()
    }

    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn login_raw(&self, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/v1/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, username: &str) -> TokenResponse {
        let r = self.login_raw(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        r.json().await.expect("token body")
    }

    /// GET with a bearer token; returns status and JSON body.
    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST JSON with a bearer token; returns status and JSON body.
    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST a body with a bearer token; returns status and JSON body.
    pub async fn post_bytes(&self, path: &str, token: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
