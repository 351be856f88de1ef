//! Memory: the resident set of the `gridline` release server, first with
//! the Shandan demo (225 grids, its month of cases), then with 100,000 more
//! grids (every other county of China split 35 ways) and a million cases,
//! on the embedded default (SQLite). Read from `/proc/PID/status` when the
//! server is up and idle, then after work that touches what it holds: a
//! report placed in a grid, statistics over a week, a page of the case
//! list, the first snapshot page of a new phone. Beside what is stored:
//! the database file.
//! Prints Markdown for docs/BENCHMARKS.md (`scripts/bench memory`).
//!
//!     cargo bench -p gridline-api --bench memory_report
//!
//! `GRIDLINE_BENCH_QUICK=1`: 10,000 grids and 100,000 cases.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use serde_json::{Value, json};
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use support::{BIN, Server, login, register, start};

const PASSWORD: &str = "bench-password-1";

/// (resident now, peak resident) of a process, in MB.
fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

fn gridline(dir: &Path, args: &[&str]) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gridline {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Work that touches what the server holds.
async fn exercise(server: &Server) {
    let http = reqwest::Client::new();
    let base = &server.base;
    let worker = login(&http, base, "grid-worker", PASSWORD).await;
    let made = http
        .post(format!("{base}/v1/cases"))
        .bearer_auth(&worker)
        .json(&json!({
            "category": "neighbour_dispute",
            "description": "两户因院墙排水沟走向发生争执",
            "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" },
        }))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{}", made.text().await.unwrap());
    let county = login(&http, base, "county-operator", PASSWORD).await;
    let get = |path: String, token: String| {
        let http = http.clone();
        async move {
            let a = http.get(&path).bearer_auth(token).send().await.unwrap();
            let status = a.status();
            let body = a.text().await.unwrap();
            assert_eq!(status, 200, "{path}: {body}");
            serde_json::from_str::<Value>(&body).unwrap()
        }
    };
    // A week: the copies keep the demo month's times, so a week holds about
    // a quarter of the million (a year of a million takes minutes; see the
    // statistics section of BENCHMARKS.md).
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let from = gridline_core::time::Date::of_instant(now_ms).plus_days(-7);
    get(
        format!("{base}/v1/stats?from={from}&group_by=grid"),
        county.clone(),
    )
    .await;
    get(format!("{base}/v1/cases?limit=200"), county.clone()).await;
    let device = register(&http, base, &county).await;
    get(
        format!("{base}/v1/sync/snapshot?device_id={device}&limit=500"),
        county,
    )
    .await;
}

/// The generated grids of every county but Shandan (the demo's), into `dir`.
fn import_grids(dir: &Path, per_county: usize) -> usize {
    let out = dir.join("grids.geojson");
    let counties = common::shared_data().join("boundaries/china_counties.geojson.gz");
    let (c, n) = (counties.to_str().unwrap(), per_county.to_string());
    gridline(
        dir,
        &[
            "grids", "generate", "--county", c, "--count", &n, "--crs", "gcj02", "--out",
        ]
        .into_iter()
        .chain([out.to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    let mut all: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let features = all["features"].as_array_mut().unwrap();
    features.retain(|f| f["properties"]["county"]["code"] != "620725");
    let kept = features.len();
    std::fs::write(&out, serde_json::to_vec(&all).unwrap()).unwrap();
    drop(all);
    gridline(
        dir,
        &[
            "grids",
            "import",
            out.to_str().unwrap(),
            "--overlap-tolerance-m",
            "500",
        ],
    );
    std::fs::remove_file(&out).unwrap();
    kept
}

/// Copies the demo's cases and their history until there are `target`.
async fn fill_cases(db: &Path, target: i64) -> i64 {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let columns = "SELECT name FROM pragma_table_info($1) ORDER BY cid";
    let case_cols: Vec<String> = sqlx::query_scalar(columns)
        .bind("cases")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let event_cols: Vec<String> = sqlx::query_scalar(columns)
        .bind("case_events")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let originals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    // A throw-away fill: no need to wait for the disk.
    for pragma in [
        "PRAGMA synchronous = OFF",
        "PRAGMA cache_size = -262144",
        "CREATE TEMP TABLE originals AS SELECT id FROM cases",
        "CREATE TEMP TABLE copies (n INTEGER PRIMARY KEY)",
    ] {
        sqlx::query(pragma).execute(&mut conn).await.unwrap();
    }
    // A UUID with its first 8 hex digits replaced by the copy number.
    let select = |cols: &[String], id: &str| {
        cols.iter()
            .map(|c| {
                if c == id {
                    format!("printf('%08x', k.n) || substr(t.{c}, 9)")
                } else {
                    format!("t.{c}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let copy_cases = format!(
        "INSERT INTO cases SELECT {} FROM copies k, cases t WHERE t.id IN (SELECT id FROM originals)",
        select(&case_cols, "id")
    );
    let copy_events = format!(
        "INSERT INTO case_events SELECT {} FROM copies k, case_events t WHERE t.case_id IN (SELECT id FROM originals)",
        select(&event_cols, "case_id")
    );
    let copies = (target + originals - 1) / originals;
    for first in (1..copies).step_by(50) {
        let mut tx = conn.begin().await.unwrap();
        sqlx::query("DELETE FROM copies")
            .execute(&mut *tx)
            .await
            .unwrap();
        for k in first..(first + 50).min(copies) {
            sqlx::query("INSERT INTO copies (n) VALUES ($1)")
                .bind(k)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query(&copy_cases).execute(&mut *tx).await.unwrap();
        sqlx::query(&copy_events).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    n
}

struct Row {
    what: String,
    idle: f64,
    after: f64,
    peak: f64,
    db_mb: f64,
}

async fn measure(dir: &Path, what: String, args: &[&str]) -> Row {
    let server = start(dir, args);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let (idle, _) = rss_mb(server.id());
    exercise(&server).await;
    let (after, peak) = rss_mb(server.id());
    let db_mb = std::fs::metadata(dir.join("gridline.db")).map_or(0.0, |m| m.len() as f64 / 1e6);
    Row {
        what,
        idle,
        after,
        peak,
        db_mb,
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let (per_county, target) = if quick { (4, 100_000) } else { (35, 1_000_000) };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bench.toml");
    std::fs::write(&config, "scheduler_tick_s = 0\n").unwrap();
    let config = config.to_str().unwrap().to_owned();
    let demo = [
        "demo",
        "--demo-password",
        PASSWORD,
        "--config",
        config.as_str(),
    ];
    let mut rows = vec![
        measure(
            dir.path(),
            "the demo: 225 grids, its month of cases".into(),
            &demo,
        )
        .await,
    ];

    let t = Instant::now();
    let grids = import_grids(dir.path(), per_county);
    eprintln!(
        "{grids} grids generated and imported in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let cases = fill_cases(&dir.path().join("gridline.db"), target).await;
    eprintln!("{cases} cases in {:.0} s", t.elapsed().as_secs_f64());
    rows.push(
        measure(
            dir.path(),
            format!("{} grids, {cases} cases", grids + 225),
            &["serve", "--config", config.as_str()],
        )
        .await,
    );

    println!(
        "The release server on SQLite, `/proc/PID/status` read 2 s after start (idle) and after one report, statistics over a week of cases, a page of the case list and a new phone's first snapshot page."
    );
    println!();
    println!("| data | RSS idle | RSS after the work | peak RSS | database file |");
    println!("|---|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {:.0} MB | {:.0} MB | {:.0} MB | {:.0} MB |",
            r.what, r.idle, r.after, r.peak, r.db_mb
        );
    }
}
