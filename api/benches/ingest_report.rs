//! Ingest: field reports (`case.create@1`, as a phone queues them) pushed
//! through the whole pipeline — token check, validation, assignment to a
//! grid, routing and dispatch, history, change log, durable commit — by
//! wrk over HTTP on loopback, against the `gridline` release binary, on
//! SQLite and on PostgreSQL; beside the bare durable insert of the same
//! database measured the same way: the same wrk, the same Lua script, the
//! same request bodies, posted to a server that parses them and inserts
//! each report as one row, one transaction per request. After each run the
//! database is counted: every report wrk saw acknowledged must be stored.
//! Prints Markdown for docs/BENCHMARKS.md (`scripts/bench ingest`).
//!
//!     cargo bench -p gridline-api --bench ingest_report
//!
//! `GRIDLINE_BENCH_QUICK=1`: 3-second runs instead of 15.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::process::Command;
use support::{database, login, register, start, stored_cases};

const PASSWORD: &str = "bench-password-1";

/// The rows of the table: requests of `batch` reports from `connections`
/// phones at once (one wrk thread and connection, one device each).
const LOADS: [(usize, usize); 4] = [(1, 1), (1, 8), (10, 8), (100, 4)];

/// wrk's script: each thread is a phone with its own device and mutation
/// numbers; a request is `batch` reports; an answer that is not 200 with
/// every mutation applied counts as a failure.
const SCRIPT: &str = r#"
local run, batch, devices = "", 1, {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  run, batch = args[1], tonumber(args[2])
  for i = 3, #args do devices[#devices + 1] = args[i] end
  device = devices[tid]
  answered = 0
  failures = 0
  applied = 0
end

local function report(n)
  return '{"number":' .. n .. ',"name":"case.create@1","args":{"id":"'
    .. string.format("%s-%04x-7000-8000-%012x", run, tid, n)
    .. '","category":"neighbour_dispute","description":"两户因院墙排水沟走向发生争执，已初步劝解，双方情绪平稳",'
    .. '"location":{"lat":38.523105,"lon":101.178076,"crs":"gcj02"},' -- in the demo grid worker's grid
    .. '"parties":[{"name":"王建国","side":"applicant","phone":"13800138000"}],"people_affected":2},'
    .. '"device_time":"2025-01-06T09:00:00+08:00"}'
end

-- Numbered from the answers so far: wrk builds one request at start-up
-- that it never sends, and a connection sends its next request only after
-- the answer to the last.
function request()
  local ms = {}
  for k = 1, batch do
    ms[k] = report(answered * batch + k)
  end
  local body = '{"device_id":"' .. device .. '","mutations":[' .. table.concat(ms, ",") .. ']}'
  return wrk.format("POST", nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  local _, n = body:gsub('"applied"', "")
  if status ~= 200 or n ~= batch then
    failures = failures + 1
    if failures == 1 then
      io.stderr:write("first failure: " .. status .. " " .. body:sub(1, 300) .. "\n")
    end
  else
    applied = applied + n
  end
end

function done(summary, latency, requests)
  local failures, applied = 0, 0
  for _, t in ipairs(threads) do
    failures = failures + t:get("failures")
    applied = applied + t:get("applied")
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%f,"p50_us":%d,"p99_us":%d,"failures":%d,"applied":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    failures, applied,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"#;

#[derive(Debug, Clone, Copy)]
struct Run {
    reports_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    applied: u64,
}

/// Runs wrk against `url` with `connections` phones; what it measured.
fn wrk(url: &str, token: &str, batch: usize, devices: &[String], seconds: u64) -> Run {
    let script = std::env::temp_dir().join(format!("gridline-ingest-{}.lua", std::process::id()));
    std::fs::write(&script, SCRIPT).unwrap();
    let run = format!("{:08x}", rand_u32());
    let out = Command::new("wrk")
        .args(["-t", &devices.len().to_string()])
        .args(["-c", &devices.len().to_string()])
        .args([
            "-d",
            &format!("{seconds}s"),
            "--latency",
            "--timeout",
            "30s",
        ])
        .args(["-H", &format!("authorization: Bearer {token}")])
        .args(["-H", "content-type: application/json"])
        .arg("-s")
        .arg(&script)
        .arg(url)
        .arg("--")
        .arg(&run)
        .arg(batch.to_string())
        .args(devices)
        .output()
        .expect("run wrk (apt-get install wrk; scripts/bench installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("wrk printed no result: {text}"));
    let v: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        v["failures"],
        0,
        "wrk saw failed requests: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["socket_errors"], 0, "wrk saw socket errors: {text}");
    let applied = v["applied"].as_u64().unwrap();
    Run {
        reports_per_s: applied as f64 / v["seconds"].as_f64().unwrap(),
        p50_ms: v["p50_us"].as_f64().unwrap() / 1e3,
        p99_ms: v["p99_us"].as_f64().unwrap() / 1e3,
        applied,
    }
}

fn rand_u32() -> u32 {
    (uuid::Uuid::now_v7().as_u128() as u32) ^ std::process::id()
}

/// The database the bare server writes to, opened as the server opens its
/// own (sqlx's `Any` driver; on SQLite WAL with `synchronous=FULL`).
#[derive(Clone)]
struct Bare(AnyPool);

impl Bare {
    async fn open(url: &str) -> Self {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE reports (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        Self(pool)
    }

    /// Every report of a push, one row each, in one durable transaction.
    async fn insert(&self, rows: &[(String, String)]) -> Result<(), sqlx::Error> {
        let mut tx = self.0.begin().await?;
        for (id, body) in rows {
            sqlx::query("INSERT INTO reports (id, body) VALUES ($1, $2)")
                .bind(id)
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}

/// The bare server's one route: parse the push, store its reports, answer
/// each as applied (so the same script checks it the same way).
async fn bare_push(State(db): State<Bare>, body: Bytes) -> (StatusCode, String) {
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON".into());
    };
    let Some(ms) = v["mutations"].as_array() else {
        return (StatusCode::BAD_REQUEST, "no mutations".into());
    };
    let rows: Vec<(String, String)> = ms
        .iter()
        .map(|m| {
            (
                m["args"]["id"].as_str().unwrap_or_default().to_owned(),
                m["args"].to_string(),
            )
        })
        .collect();
    match db.insert(&rows).await {
        Ok(()) => {
            let results: Vec<Value> = ms
                .iter()
                .map(|m| json!({ "number": m["number"], "status": "applied" }))
                .collect();
            (StatusCode::OK, json!({ "results": results }).to_string())
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

async fn serve_bare(db: Bare) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().route("/push", post(bare_push)).with_state(db);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// `n` new devices (phones) of the token's user: numbering starts at 1.
async fn phones(http: &reqwest::Client, base: &str, token: &str, n: usize) -> Vec<String> {
    let mut devices = Vec::new();
    for _ in 0..n {
        devices.push(register(http, base, token).await);
    }
    devices
}

/// One database: the pipeline and the bare insert under each load.
async fn measure(name: &str, db_url: &str, bare: Bare, dir: &Path, seconds: u64) {
    let config = dir.join("bench.toml");
    std::fs::write(
        &config,
        "scheduler_tick_s = 0\ndatabase_max_connections = 8\n",
    )
    .unwrap();
    let mut args = vec!["demo", "--demo-password", PASSWORD, "--config"];
    args.push(config.to_str().unwrap());
    if !db_url.starts_with("sqlite:") {
        args.extend(["--database-url", db_url]);
    }
    let server = start(dir, &args);
    let bare_base = serve_bare(bare).await;
    let http = reqwest::Client::new();
    let token = login(&http, &server.base, "grid-worker", PASSWORD).await;
    for (batch, connections) in LOADS {
        // Fresh devices per row: numbering starts again at 1.
        let devices = phones(&http, &server.base, &token, connections).await;
        let before = stored_cases(db_url).await;
        let pipe = wrk(
            &format!("{}/v1/sync/push", server.base),
            &token,
            batch,
            &devices,
            seconds,
        );
        let after = stored_cases(db_url).await;
        assert!(
            after >= before + pipe.applied,
            "{name}: {} reports acknowledged, {} stored",
            pipe.applied,
            after - before
        );
        let bare = wrk(
            &format!("{bare_base}/push"),
            &token,
            batch,
            &devices,
            seconds,
        );
        println!(
            "| {name} | {batch} | {connections} | {:.0} | {:.1} ms | {:.1} ms | {:.0} | {:.1} ms | {:.1} ms | {:.1} % |",
            pipe.reports_per_s,
            pipe.p50_ms,
            pipe.p99_ms,
            bare.reports_per_s,
            bare.p50_ms,
            bare.p99_ms,
            100.0 * pipe.reports_per_s / bare.reports_per_s
        );
        eprintln!(
            "{name} batch {batch} × {connections}: {} reports acknowledged, {} stored",
            pipe.applied,
            after - before
        );
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let seconds = if quick { 3 } else { 15 };
    println!(
        "wrk on loopback, {seconds} s per cell; one wrk thread and connection per phone; a request carries `batch` reports; SQLite in WAL mode with `synchronous=FULL`, PostgreSQL 15 with `fsync=on`. p50/p99 are per request."
    );
    println!();
    println!(
        "| database | batch | phones | pipeline reports/s | p50 | p99 | bare insert reports/s | p50 | p99 | pipeline ÷ bare |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite:{}", dir.path().join("gridline.db").display());
    measure(
        "SQLite",
        &sqlite_url,
        Bare::open(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bare.db").display()
        ))
        .await,
        dir.path(),
        seconds,
    )
    .await;

    let (server, cluster) = support::postgres_server_or_start();
    let db = database::PgDatabase::create(&server).await;
    let bare_db = database::PgDatabase::create(&server).await;
    let pg_dir = tempfile::tempdir().unwrap();
    measure(
        "PostgreSQL",
        db.url(),
        Bare::open(bare_db.url()).await,
        pg_dir.path(),
        seconds,
    )
    .await;
    drop((db, bare_db));
    drop(cluster);
}
