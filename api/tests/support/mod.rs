//! Starting the `gridline` binary on port 0 for the tests that need the
//! real process.

#![allow(dead_code)] // each test binary uses its own part

/// Fresh PostgreSQL databases for tests (shared with the black-box harness).
#[path = "../../../tests/src/database.rs"]
pub mod database;

pub mod cluster;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_gridline");

/// A running `gridline`; killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// The process id (to read its CPU time).
    #[must_use]
    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `gridline ARGS… --listen 127.0.0.1:0 --data-dir DIR` and reads the
/// address it prints ("serving on http://…").
pub fn start(dir: &Path, args: &[&str]) -> Server {
    start_with(dir, args, &[])
}

/// [`start`] with `GRIDLINE_*` settings in the environment.
pub fn start_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gridline");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("gridline exited before serving")
            .expect("read stdout");
        if let Some(rest) = line.split("serving on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

/// A PostgreSQL server for a benchmark: the one `GRIDLINE_TEST_DATABASE_URL`
/// names, or a throw-away cluster started with `scripts/pg` (stopped and
/// removed when the returned guard drops).
pub fn postgres_server_or_start() -> (String, Option<cluster::Cluster>) {
    if let Some(url) = database::postgres_server() {
        return (url, None);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/pg-bench");
    let cluster = cluster::Cluster::start(dir);
    (cluster.url.clone(), Some(cluster))
}

/// Logs `user` in; their access token.
pub async fn login(client: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let r: serde_json::Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({ "username": user, "password": password }))
        .send()
        .await
        .expect("login request")
        .json()
        .await
        .expect("login answer");
    r["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("login as {user}: {r}"))
        .to_owned()
}

/// Registers a new device (an Android phone) for the token's user; its id.
pub async fn register(client: &reqwest::Client, base: &str, token: &str) -> String {
    let d: serde_json::Value = client
        .post(format!("{base}/v1/devices"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "platform": "android" }))
        .send()
        .await
        .expect("device request")
        .json()
        .await
        .expect("device answer");
    d["device_id"]
        .as_str()
        .unwrap_or_else(|| panic!("device: {d}"))
        .to_owned()
}

/// How many cases the database at `url` holds (a bench checks that every
/// report it saw acknowledged is stored).
pub async fn stored_cases(url: &str) -> u64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect to count");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&pool)
        .await
        .expect("count cases");
    pool.close().await;
    u64::try_from(n).expect("a count")
}

/// Whether the case `id` is there for `token`'s account (200) or not (404);
/// any other answer fails the test.
pub async fn case_exists(client: &reqwest::Client, base: &str, token: &str, id: &str) -> bool {
    let r = client
        .get(format!("{base}/v1/cases/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("case request");
    match r.status().as_u16() {
        200 => true,
        404 => false,
        s => panic!("GET case {id}: {s}"),
    }
}

/// The setting that keeps the deadline scheduler from ticking, for tests
/// that must not see it change cases.
pub const NO_SCHEDULER: [(&str, &str); 1] = [("GRIDLINE_SCHEDULER_TICK_S", "0")];

/// Fails the test unless every case in `ids` is there for `token`.
pub async fn assert_all_kept(client: &reqwest::Client, base: &str, token: &str, ids: &[String]) {
    for id in ids {
        assert!(case_exists(client, base, token, id).await, "{id} lost");
    }
}

/// Pushes `body` to `/v1/sync/push`: the status and the answer.
pub async fn push(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = client
        .post(format!("{base}/v1/sync/push"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("push request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// GETs `url` with `token`: the status and the JSON answer (`null` if none).
pub async fn get_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> (u16, serde_json::Value) {
    let r = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("GET request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// POSTs `body` as JSON to `url` with `token`: the status and the answer.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = client
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// Sends a GeoJSON grid file to `/v1/grids/import`; the response, or the
/// error of a server killed meanwhile.
pub async fn import_grids(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: String,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{base}/v1/grids/import"))
        .bearer_auth(token)
        .header("content-type", "application/geo+json")
        .body(body)
        .send()
        .await
}
