//! Offline sync on SQLite over HTTP (loopback): push throughput with
//! batches of 1, 10 and 100, pull pages of 500 changes, the first snapshot
//! of a township with 100,000 cases, and bytes on the wire per report,
//! beside the bare SQLite insert ceiling measured the same way (one durable
//! transaction per item). Prints Markdown for docs/BENCHMARKS.md.
//!
//!     cargo bench -p gridline-api --bench sync_report
//!
//! `GRIDLINE_BENCH_QUICK=1` runs a tenth of everything.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use gridline_api::clock::ManualClock;
use gridline_api::config::Settings;
use gridline_api::server;
use gridline_core::time::Date;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use std::sync::Arc;
use std::time::Instant;

const PASSWORD: &str = "bench-password-1";
const MIN: i64 = 60_000;

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (pct(&v, 0.5) * 1e3, pct(&v, 0.99) * 1e3)
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    device: String,
}

impl Client {
    async fn login(http: &reqwest::Client, base: &str, user: &str) -> Self {
        let token: Value = http
            .post(format!("{base}/v1/auth/login"))
            .json(&json!({ "username": user, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().unwrap().to_owned();
        let device: Value = http
            .post(format!("{base}/v1/devices"))
            .bearer_auth(&token)
            .json(&json!({ "platform": "android", "app_version": "bench" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http: http.clone(),
            base: base.to_owned(),
            token,
            device: device["device_id"].as_str().unwrap().to_owned(),
        }
    }

    /// Sends `body` as it is; returns the response bytes.
    async fn push(&self, body: &[u8]) -> Vec<u8> {
        let r = self
            .http
            .post(format!("{}/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap().to_vec()
    }

    async fn get(&self, path: &str, q: &[(&str, String)]) -> Vec<u8> {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .query(q)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.bytes().await.unwrap().to_vec()
    }
}

/// A field report as a phone queues it: description, location, one party,
/// one photo's metadata.
fn report(n: u64, lon: f64, lat: f64) -> Value {
    json!({
        "number": n,
        "name": "case.create@1",
        "args": {
            "id": uuid::Uuid::now_v7().to_string(),
            "category": "neighbour_dispute",
            "description": "两户因院墙排水沟走向发生争执，已初步劝解，双方情绪平稳",
            "location": { "lat": lat, "lon": lon, "crs": "gcj02" },
            "parties": [{ "name": "王建国", "side": "applicant", "phone": "13800138000" }],
            "people_affected": 2,
            "photos": [{
                "photo": uuid::Uuid::now_v7().to_string(),
                "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "bytes": 412_337, "mime": "image/jpeg",
            }],
        },
        "device_time": "2025-01-06T09:00:00+08:00",
    })
}

/// The ceiling a pull or snapshot page is measured against: the same
/// records, stored as the JSON the server sent, read back 500 at a time by
/// a bare axum route over the same loopback: stored rows served unchanged,
/// with no scope, cursor, or assembly of a case from its tables.
async fn serve_unchanged(path: &std::path::Path, records: &[String]) -> String {
    use axum::extract::{Query, State};
    let pool = sqlx::SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal),
    )
    .await
    .unwrap();
    sqlx::query("CREATE TABLE changes (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for (seq, body) in (1i64..).zip(records) {
        sqlx::query("INSERT INTO changes (seq, body) VALUES (?, ?)")
            .bind(seq)
            .bind(body)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    async fn page(
        State(pool): State<sqlx::SqlitePool>,
        Query(q): Query<std::collections::HashMap<String, i64>>,
    ) -> String {
        let after = q.get("after").copied().unwrap_or(0);
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT seq, body FROM changes WHERE seq > ? ORDER BY seq LIMIT 500")
                .bind(after)
                .fetch_all(&pool)
                .await
                .unwrap();
        let last = rows.last().map_or(after, |r| r.0);
        let bodies: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        format!(
            "{{\"changes\":[{}],\"after\":{last},\"has_more\":{}}}",
            bodies.join(","),
            rows.len() == 500
        )
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/page", axum::routing::get(page))
        .with_state(pool);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// Reads every page of [`serve_unchanged`]: pages, records, page latencies
/// (s) and the wall time.
async fn read_unchanged(http: &reqwest::Client, base: &str) -> (usize, usize, Vec<f64>, f64) {
    let (mut pages, mut records, mut after) = (0usize, 0usize, 0i64);
    let mut lat_s = Vec::new();
    let wall = Instant::now();
    loop {
        let t = Instant::now();
        let body = http
            .get(format!("{base}/page?after={after}"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        lat_s.push(t.elapsed().as_secs_f64());
        let v: Value = serde_json::from_slice(&body).unwrap();
        pages += 1;
        records += v["changes"].as_array().unwrap().len();
        after = v["after"].as_i64().unwrap();
        if v["has_more"] != true {
            break;
        }
    }
    (pages, records, lat_s, wall.elapsed().as_secs_f64())
}

/// Prints the unchanged ceiling's row under a page table, and the ratio.
async fn unchanged_row(
    http: &reqwest::Client,
    db: &std::path::Path,
    records: &[String],
    what: &str,
    served_per_s: f64,
) {
    let base = serve_unchanged(db, records).await;
    let (pages, n, lat_s, wall) = read_unchanged(http, &base).await;
    let (p50, p99) = ms(lat_s);
    let per_s = n as f64 / wall;
    println!();
    println!(
        "| the same {what}, stored rows served unchanged | pages | {what} | page p50 | page p99 | {what}/s | Gridline ÷ this |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!(
        "| one `SELECT … LIMIT 500` per page, bodies joined | {pages} | {n} | {p50:.0} ms | {p99:.0} ms | {per_s:.0} | {:.0} % |",
        served_per_s / per_s * 100.0
    );
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        scheduler_tick_s: 0,
        ..Settings::default()
    };
    let store = server::open_store(&settings).await.unwrap();
    let start = "2025-01-06".parse::<Date>().unwrap().start_ms() + 9 * 60 * MIN;
    let clock = Arc::new(ManualClock::at(start));
    let state = server::build_state_with_clock(settings, store, clock.clone())
        .await
        .unwrap();
    gridline_api::demo::seed(state.store.as_ref(), &state.territory, Some(PASSWORD))
        .await
        .unwrap();
    // The middle of the grid worker's grid, in GCJ-02 as a phone reports it.
    let (lon, lat) = {
        let u = state
            .store
            .user_by_username("grid-worker")
            .await
            .unwrap()
            .unwrap();
        let grid = state.store.roles_of(u.id).await.unwrap()[0].1;
        let t = state.territory.current();
        let g = t.by_id(grid).unwrap();
        let i = (0..t.index.len())
            .find(|&i| t.index.grids()[i].data == g)
            .unwrap();
        let ring = t.index.rings(i).next().unwrap();
        let n = ring.len() as f64;
        let (x, y) = ring
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p[0] / n, y + p[1] / n));
        gridline_core::gcj02::wgs84_to_gcj02(x, y)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let serving = state.clone();
    tokio::spawn(async move {
        server::serve(listener, serving, std::future::pending())
            .await
            .unwrap();
    });
    let http = reqwest::Client::new();
    let gw = Client::login(&http, &base, "grid-worker").await;

    // 1. Push: each mutation its own durable transaction, batch after batch.
    println!(
        "| push `case.create@1` (HTTP, SQLite FULL) | batch | mutations | batch p50 | batch p99 | mutations/s |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let mut next = 1u64;
    let mut req_bytes = 0usize;
    let mut res_bytes = 0usize;
    let mut counted = 0usize;
    for batch in [1usize, 10, 100] {
        let total = if quick { 200 } else { 2_000 };
        let mut lat_s = Vec::new();
        let wall = Instant::now();
        for _ in 0..total / batch {
            clock.advance(MIN);
            let ms: Vec<Value> = (0..batch)
                .map(|_| {
                    next += 1;
                    report(next - 1, lon, lat)
                })
                .collect();
            let body =
                serde_json::to_vec(&json!({ "device_id": gw.device, "mutations": ms })).unwrap();
            let t = Instant::now();
            let out = gw.push(&body).await;
            lat_s.push(t.elapsed().as_secs_f64());
            let v: Value = serde_json::from_slice(&out).unwrap();
            assert!(
                v["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["status"] == "applied"),
                "{v}"
            );
            if batch == 100 {
                req_bytes += body.len();
                res_bytes += out.len();
                counted += batch;
            }
        }
        let wall = wall.elapsed().as_secs_f64();
        let (p50, p99) = ms(lat_s);
        println!(
            "| | {batch} | {total} | {p50:.1} ms | {p99:.1} ms | {:.0} |",
            total as f64 / wall
        );
    }
    let pushed = next - 1;

    // 2. The bare SQLite ceiling, the same way: one durable transaction per
    // row, WAL, synchronous=FULL, on the same disk.
    let mut bare = SqliteConnectOptions::new()
        .filename(dir.path().join("bare.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&mut bare)
        .await
        .unwrap();
    let row = report(0, lon, lat).to_string();
    let n = if quick { 300 } else { 3_000 };
    println!();
    println!("| bare SQLite insert (WAL, FULL) | rows per transaction | rows | rows/s |");
    println!("|---|---:|---:|---:|");
    for per_tx in [1usize, 100] {
        let wall = Instant::now();
        for k in 0..n / per_tx {
            let mut tx = bare.begin().await.unwrap();
            for j in 0..per_tx {
                sqlx::query("INSERT INTO t (id, body) VALUES (?, ?)")
                    .bind(format!("{per_tx}-{k}-{j}"))
                    .bind(&row)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
        println!(
            "| {}-byte row | {per_tx} | {n} | {:.0} |",
            row.len(),
            n as f64 / wall.elapsed().as_secs_f64()
        );
    }

    // 3. Pull: a township operator's new phone reads the whole log in pages
    // of 500 changes.
    let op = Client::login(&http, &base, "township-operator").await;
    let mut cursor: Option<String> = None;
    let (mut pages, mut changes, mut bytes) = (0usize, 0usize, 0usize);
    let mut records = Vec::new();
    let mut lat_s = Vec::new();
    let wall = Instant::now();
    loop {
        let mut q = vec![
            ("device_id", op.device.clone()),
            ("limit", "500".to_owned()),
        ];
        if let Some(c) = &cursor {
            q.push(("cursor", c.clone()));
        }
        let t = Instant::now();
        let body = op.get("/v1/sync/pull", &q).await;
        lat_s.push(t.elapsed().as_secs_f64());
        let page: Value = serde_json::from_slice(&body).unwrap();
        pages += 1;
        changes += page["changes"].as_array().unwrap().len();
        records.extend(
            page["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::to_string),
        );
        bytes += body.len();
        cursor = Some(page["cursor"].as_str().unwrap().to_owned());
        if page["has_more"] != true {
            break;
        }
    }
    let wall = wall.elapsed().as_secs_f64();
    let (p50, p99) = ms(lat_s);
    println!();
    println!(
        "| pull, pages of 500 (township operator, from the start) | pages | changes | page p50 | page p99 | pages/s | changes/s | bytes/change |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {pushed} reports in the log | {pages} | {changes} | {p50:.0} ms | {p99:.0} ms | {:.1} | {:.0} | {:.0} |",
        pages as f64 / wall,
        changes as f64 / wall,
        bytes as f64 / changes as f64
    );
    let pull_per_s = changes as f64 / wall;
    unchanged_row(
        &http,
        &dir.path().join("unchanged-pull.db"),
        &records,
        "changes",
        pull_per_s,
    )
    .await;
    drop(records);
    println!();
    println!(
        "Bytes on the wire per report (batches of 100, JSON, no compression): push request {:.0} B, push response {:.0} B, pull change {:.0} B.",
        req_bytes as f64 / counted as f64,
        res_bytes as f64 / counted as f64,
        bytes as f64 / changes as f64
    );

    // 4. The first snapshot of a township of 100,000 cases: the reports
    // above, copied with new ids (rows, history, parties, photos, scopes).
    let target: i64 = if quick { 10_000 } else { 100_000 };
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("gridline.db").display()
    ))
    .await
    .unwrap();
    let originals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE bench_originals AS SELECT id FROM cases")
        .execute(&pool)
        .await
        .unwrap();
    let t = Instant::now();
    let copies = (target + originals - 1) / originals;
    for k in 1..copies {
        let mut tx = pool.begin().await.unwrap();
        let id = |col: &str| format!("printf('%08x', {k}) || substr({col}, 9)");
        for sql in [
            format!(
                "INSERT INTO cases SELECT {}, version, status, category, description, channel, lat, lon, grid_id, village_id, \
                township_id, county_id, distance_m, risk, people_affected, amount_yuan, reporter_id, rule_id, tier, tier_name, \
                lead_unit_id, assignee_id, sign_by, signed_at, deadline, warn_at, overdue_at, outcome, summary, rating, merged_into, \
                created_at, updated_at FROM cases WHERE id IN (SELECT id FROM bench_originals)",
                id("id")
            ),
            format!(
                "INSERT INTO case_events SELECT {}, seq, at, actor_id, action, detail FROM case_events \
                WHERE case_id IN (SELECT id FROM bench_originals)",
                id("case_id")
            ),
            format!(
                "INSERT INTO case_parties SELECT {}, position, name, side, phone, id_number FROM case_parties \
                WHERE case_id IN (SELECT id FROM bench_originals)",
                id("case_id")
            ),
            format!(
                "INSERT INTO photos SELECT {}, {}, sha256, bytes, mime, added_by, added_at, available_at FROM photos \
                WHERE case_id IN (SELECT id FROM bench_originals)",
                id("id"),
                id("case_id")
            ),
            format!(
                "INSERT INTO sync_scopes SELECT entity, {}, scope FROM sync_scopes \
                WHERE entity = 'case' AND entity_id IN (SELECT id FROM bench_originals)",
                id("entity_id")
            ),
        ] {
            sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    eprintln!("filled {cases} cases in {:.0} s", t.elapsed().as_secs_f64());
    let fresh = Client::login(&http, &base, "township-operator").await;
    let (mut pages, mut rows, mut bytes, mut first_ms) = (0usize, 0usize, 0usize, 0.0);
    let mut records = Vec::new();
    let mut page: Option<String> = None;
    let mut lat_s = Vec::new();
    let wall = Instant::now();
    loop {
        let mut q = vec![
            ("device_id", fresh.device.clone()),
            ("limit", "500".to_owned()),
        ];
        if let Some(p) = &page {
            q.push(("page", p.clone()));
        }
        let t = Instant::now();
        let body = fresh.get("/v1/sync/snapshot", &q).await;
        lat_s.push(t.elapsed().as_secs_f64());
        if pages == 0 {
            first_ms = t.elapsed().as_secs_f64() * 1e3;
        }
        let v: Value = serde_json::from_slice(&body).unwrap();
        pages += 1;
        rows += v["changes"].as_array().unwrap().len();
        records.extend(
            v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::to_string),
        );
        bytes += body.len();
        match v["next_page"].as_str() {
            Some(p) => page = Some(p.to_owned()),
            None => break,
        }
    }
    let wall = wall.elapsed().as_secs_f64();
    let (p50, p99) = ms(lat_s);
    println!();
    println!(
        "| snapshot, pages of 500 (township operator) | cases | pages | first page | page p50 | page p99 | total | cases/s | MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {cases} cases in the township | {rows} | {pages} | {first_ms:.0} ms | {p50:.0} ms | {p99:.0} ms | {wall:.1} s | {:.0} | {:.1} |",
        rows as f64 / wall,
        bytes as f64 / 1e6
    );
    unchanged_row(
        &http,
        &dir.path().join("unchanged-snapshot.db"),
        &records,
        "cases",
        rows as f64 / wall,
    )
    .await;
}
