//! Several replicas on one PostgreSQL, on this machine: push and pull
//! throughput through 1 and 3 `gridline` processes with concurrent phones,
//! commit latency, where the CPU goes (the replicas or PostgreSQL), and the
//! sequencer's cost under contention — the counter row Gridline uses beside
//! the alternative, numbering by a sequence and reading below the xid
//! horizon, and beside no ordering at all. Prints Markdown for
//! docs/BENCHMARKS.md.
//!
//!     cargo bench -p gridline-api --bench replicas_report
//!
//! Uses the PostgreSQL server in `GRIDLINE_TEST_DATABASE_URL`, or starts a
//! throw-away one with `scripts/pg`. `GRIDLINE_BENCH_QUICK=1` runs a tenth.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

/// The tests' way of starting `gridline` processes and test databases.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Instant;
use support::{Server, database, start};

const PASSWORD: &str = "bench-password-1";
/// Shandan, in the grid worker's grid of the demo, in GCJ-02.
const SPOT: (f64, f64) = (101.178076, 38.523105);

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (pct(&v, 0.5) * 1e3, pct(&v, 0.99) * 1e3)
}

/// CPU seconds (user + system) used so far by the processes whose command
/// name is `comm`, or by `pids`.
fn cpu_seconds(select: impl Fn(u32, &str) -> bool) -> f64 {
    let tick = 100.0; // USER_HZ on Linux
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        if !select(pid, comm) {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        let utime: f64 = fields[11].parse().unwrap_or(0.0);
        let stime: f64 = fields[12].parse().unwrap_or(0.0);
        total += (utime + stime) / tick;
    }
    total
}

struct Phone {
    http: reqwest::Client,
    token: String,
    device: String,
    next: u64,
}

impl Phone {
    async fn new(http: &reqwest::Client, base: &str, user: &str) -> Self {
        let t: Value = http
            .post(format!("{base}/v1/auth/login"))
            .json(&json!({ "username": user, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = t["access_token"].as_str().unwrap().to_owned();
        let d: Value = http
            .post(format!("{base}/v1/devices"))
            .bearer_auth(&token)
            .json(&json!({ "platform": "android" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http: http.clone(),
            token,
            device: d["device_id"].as_str().unwrap().to_owned(),
            next: 1,
        }
    }

    async fn push(&mut self, base: &str, batch: usize) {
        let ms: Vec<Value> = (0..batch)
            .map(|_| {
                self.next += 1;
                json!({ "number": self.next - 1, "name": "case.create@1", "args": {
                    "id": uuid::Uuid::now_v7().to_string(), "category": "neighbour_dispute",
                    "description": "两户因院墙排水沟走向发生争执，已初步劝解",
                    "location": { "lat": SPOT.1, "lon": SPOT.0, "crs": "gcj02" },
                    "parties": [{ "name": "王建国", "side": "applicant", "phone": "13800138000" }] } })
            })
            .collect();
        let r = self
            .http
            .post(format!("{base}/v1/sync/push"))
            .bearer_auth(&self.token)
            .json(&json!({ "device_id": self.device, "mutations": ms }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    /// Reads the whole log from the start in pages of 500; returns pages, changes.
    async fn pull_all(&self, base: &str) -> (usize, usize) {
        let (mut pages, mut changes) = (0, 0);
        let mut cursor: Option<String> = None;
        loop {
            let mut q = vec![("device_id", self.device.clone()), ("limit", "500".into())];
            if let Some(c) = &cursor {
                q.push(("cursor", c.clone()));
            }
            let page: Value = self
                .http
                .get(format!("{base}/v1/sync/pull"))
                .bearer_auth(&self.token)
                .query(&q)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            pages += 1;
            changes += page["changes"].as_array().unwrap().len();
            cursor = page["cursor"].as_str().map(str::to_owned);
            if page["has_more"] != true {
                return (pages, changes);
            }
        }
    }
}

/// CPU used by the replicas and by PostgreSQL over one phase, as cores.
struct Cpu {
    replicas: Vec<u32>,
    at: Instant,
    gridline: f64,
    postgres: f64,
    phones: f64,
}

impl Cpu {
    fn start(replicas: &[&Server]) -> Self {
        let pids: Vec<u32> = replicas.iter().map(|r| r.id()).collect();
        Self {
            gridline: cpu_seconds(|p, _| pids.contains(&p)),
            postgres: cpu_seconds(|_, c| c == "postgres"),
            phones: cpu_seconds(|p, _| p == std::process::id()),
            replicas: pids,
            at: Instant::now(),
        }
    }

    /// Cores used by the replicas, by PostgreSQL, and by the simulated phones.
    fn stop(&self) -> (f64, f64, f64) {
        let wall = self.at.elapsed().as_secs_f64();
        let g = cpu_seconds(|p, _| self.replicas.contains(&p)) - self.gridline;
        let pg = cpu_seconds(|_, c| c == "postgres") - self.postgres;
        let me = cpu_seconds(|p, _| p == std::process::id()) - self.phones;
        (g / wall, pg / wall, me / wall)
    }
}

async fn load(replicas: &[&Server], phones: usize, batch: usize, total: usize) {
    let http = reqwest::Client::new();
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let mut clients = Vec::new();
    for i in 0..phones {
        clients.push(Phone::new(&http, &bases[i % bases.len()], "grid-worker").await);
    }
    let per_phone = total / phones / batch;
    let cpu = Cpu::start(replicas);
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut phone) in clients.into_iter().enumerate() {
        let bases = bases.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for k in 0..per_phone {
                let t = Instant::now();
                phone.push(&bases[(i + k) % bases.len()], batch).await;
                lat.push(t.elapsed().as_secs_f64());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let wall = wall.elapsed().as_secs_f64();
    let (g, pg, me) = cpu.stop();
    let (p50, p99) = ms(lat);
    let done = per_phone * phones * batch;
    println!(
        "| push | {} | {phones} | {batch} | {done} | {:.0} | {p50:.1} ms | {p99:.1} ms | {g:.2} | {pg:.2} | {me:.2} |",
        replicas.len(),
        done as f64 / wall
    );
}

async fn pulls(replicas: &[&Server], pullers: usize) {
    let http = reqwest::Client::new();
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let mut phones = Vec::new();
    for i in 0..pullers {
        phones.push(Phone::new(&http, &bases[i % bases.len()], "county-operator").await);
    }
    let cpu = Cpu::start(replicas);
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for (i, phone) in phones.into_iter().enumerate() {
        let base = bases[i % bases.len()].clone();
        tasks.push(tokio::spawn(async move { phone.pull_all(&base).await }));
    }
    let (mut pages, mut changes) = (0, 0);
    for t in tasks {
        let (p, c) = t.await.unwrap();
        pages += p;
        changes += c;
    }
    let wall = wall.elapsed().as_secs_f64();
    let (g, pg, me) = cpu.stop();
    println!(
        "| pull (pages of 500) | {} | {pullers} | {pages} pages | {changes} | {:.1} pages/s, {:.0} changes/s | | | {g:.2} | {pg:.2} | {me:.2} |",
        replicas.len(),
        pages as f64 / wall,
        changes as f64 / wall
    );
}

/// Writers committing one logged change per transaction, `clients` at once,
/// ordered by `how`: (transactions/s, p50, p99).
async fn sequencer(
    url: &str,
    how: &'static str,
    clients: usize,
    per_client: usize,
) -> (f64, f64, f64) {
    let mut setup = PgConnection::connect(url).await.unwrap();
    setup
        .execute(
            "DROP TABLE IF EXISTS bench_log; DROP TABLE IF EXISTS bench_counter; DROP SEQUENCE IF EXISTS bench_seq; \
             CREATE TABLE bench_log (seq BIGINT NOT NULL, xid xid8, body TEXT NOT NULL); \
             CREATE INDEX ON bench_log (seq); \
             CREATE TABLE bench_counter (id INT PRIMARY KEY, seq BIGINT NOT NULL); \
             INSERT INTO bench_counter VALUES (1, 0); CREATE SEQUENCE bench_seq;",
        )
        .await
        .unwrap();
    let _ = setup.close().await;
    let body = "x".repeat(200);
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (url, body) = (url.to_owned(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = PgConnection::connect(&url).await.unwrap();
            let mut lat = Vec::new();
            for _ in 0..per_client {
                let t = Instant::now();
                let mut tx = c.begin().await.unwrap();
                let sql = match how {
                    "counter row" => {
                        "WITH s AS (UPDATE bench_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq) \
                         INSERT INTO bench_log (seq, body) SELECT seq, $1 FROM s"
                    }
                    "sequence + xid horizon" => {
                        "INSERT INTO bench_log (seq, xid, body) VALUES (nextval('bench_seq'), pg_current_xact_id(), $1)"
                    }
                    _ => "INSERT INTO bench_log (seq, body) VALUES (nextval('bench_seq'), $1)",
                };
                sqlx::query(sql).bind(&body).execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
                lat.push(t.elapsed().as_secs_f64());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let wall = wall.elapsed().as_secs_f64();
    let n = lat.len();
    let (p50, p99) = ms(lat);
    (n as f64 / wall, p50, p99)
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let scale = if quick { 10 } else { 1 };
    let (server, cluster) = support::postgres_server_or_start();
    let db = database::PgDatabase::create(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bench.toml");
    std::fs::write(
        &config,
        "scheduler_tick_s = 0\ndatabase_max_connections = 8\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let common = ["--database-url", db.url(), "--config", config];
    let a = start(
        dir.path(),
        &[&["demo", "--demo-password", PASSWORD][..], &common].concat(),
    );
    let b = start(dir.path(), &[&["serve"][..], &common].concat());
    let c = start(dir.path(), &[&["serve"][..], &common].concat());

    println!(
        "| load | replicas | phones | batch | mutations (or pages) | per second | request p50 | request p99 | replica cores | PostgreSQL cores | phones' cores |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (phones, batch, total) in [(1, 1, 400), (8, 1, 1_600), (8, 10, 8_000)] {
        load(&[&a], phones, batch, total / scale).await;
        load(&[&a, &b, &c], phones, batch, total / scale).await;
    }
    pulls(&[&a], 3).await;
    pulls(&[&a, &b, &c], 3).await;
    drop((a, b, c));

    println!();
    println!(
        "| sequencer (bare PostgreSQL, one logged row per durable transaction) | writers | transactions/s | commit p50 | commit p99 |"
    );
    println!("|---|---:|---:|---:|---:|");
    let per = 2_000 / scale;
    for how in [
        "counter row",
        "sequence + xid horizon",
        "sequence, no ordering",
    ] {
        for clients in [1usize, 4, 16] {
            let (tps, p50, p99) = sequencer(db.url(), how, clients, per / clients.min(4)).await;
            println!("| {how} | {clients} | {tps:.0} | {p50:.2} ms | {p99:.2} ms |");
        }
    }
    drop(db);
    drop(cluster);
}
