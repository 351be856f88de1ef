//! Replay: the 8,739 real New York 311 requests and the 474 San Francisco
//! Open311 requests with a location (`../shared/data/reports/`), moved into
//! the demo county, replayed against the `gridline` release binary on its
//! embedded default (SQLite) at 1,000, 5,000 and 10,000 requests per second
//! offered: once through Open311 (`POST /open311/v2/requests.json` with a
//! 12345 platform's api_key), once through sync (`case.create@1` pushed by
//! grid workers' phones, one report per request). Then a phone that has
//! never synced takes the county operator's snapshot and pulls to the head.
//!
//! The load is open: request `i` is due at `i / rate` seconds, and its
//! latency counts from then, so time spent queued behind a slow server is
//! in the figures (no coordinated omission). At most `IN_FLIGHT` requests
//! wait at once, as a client's connection pool would; a phone's pushes go
//! one after another, since its numbers must arrive in order. After each
//! run the database is counted: every acknowledged report must be stored.
//! Prints Markdown for docs/BENCHMARKS.md (`scripts/bench replay`).
//!
//!     cargo bench -p gridline-api --bench replay_report
//!
//! `GRIDLINE_BENCH_QUICK=1`: a tenth of the requests, at 1,000/s only.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use gridline_api::spatial::generate::{SplitMix64, sample_inside};
use gridline_api::spatial::geojson_in::{self, ReadOptions};
use gridline_core::Crs;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{login, register, start, stored_cases};
use tokio::sync::{Mutex, Semaphore};

const PASSWORD: &str = "bench-password-1";
const RATES: [u32; 3] = [1_000, 5_000, 10_000];
const IN_FLIGHT: usize = 256;
const PHONES: usize = 32;

/// One report as the source had it, already moved into the county.
#[derive(Debug, Clone)]
struct Report {
    category: &'static str,
    description: String,
    lon: f64,
    lat: f64,
}

/// Splits a CSV file into rows of fields (quoted fields, doubled quotes and
/// line breaks inside quotes as RFC 4180 has them).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            // A quote opens a quoted field only at its start; elsewhere it
            // is a character, as Python's csv module reads it.
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The Gridline category closest to a North American request type.
fn category_of(kind: &str) -> &'static str {
    let k = kind.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    if has(&["noise", "loud", "music", "barking"]) {
        "noise"
    } else if has(&[
        "manhole", "pothole", "light", "tree", "sidewalk", "hazard", "sign", "signal", "sewer",
        "hydrant", "water", "leak", "wire", "pole", "fire", "collapse",
    ]) {
        "safety_hazard"
    } else if has(&[
        "landlord",
        "heat",
        "rent",
        "apartment",
        "building",
        "housing",
    ]) {
        "property_management"
    } else if has(&["accident", "crash"]) {
        "traffic_accident"
    } else {
        "other"
    }
}

/// (kind, description, lon, lat, time) of every request with a location:
/// San Francisco's, then New York's, each in the order they were made.
fn sources() -> Vec<(String, String, f64, f64, i64)> {
    let dir = common::shared_data().join("reports");
    let mut sf = Vec::new();
    let text = std::fs::read_to_string(dir.join("sf_open311_dashboard_2011/requests_500.jsonl"))
        .expect("San Francisco requests");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("a JSON line");
        // 26 of the 500 have no location: null, or 0, 0.
        let (Some(lat), Some(lon)) = (v["lat"].as_f64(), v["long"].as_f64()) else {
            continue;
        };
        if lat == 0.0 && lon == 0.0 {
            continue;
        }
        let kind = v["service_name"].as_str().unwrap_or("other").to_owned();
        let said = v["description"].as_str().unwrap_or_default();
        let address = v["address"].as_str().unwrap_or_default().trim();
        let description = format!("{kind}: {said} {address}").trim().to_owned();
        let at = v["requested_datetime"].as_str().unwrap_or_default();
        let at: i64 = at
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        sf.push((kind, description, lon, lat, at));
    }
    sf.sort_by_key(|r| r.4);
    let rows = csv_rows(&std::fs::read_to_string(dir.join("NYC_20190522.csv")).expect("NYC file"));
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h == name).expect(name);
    let (title, desc, created, lat_c, lon_c) = (
        col("Title"),
        col("Description"),
        col("Date Created"),
        col("Latitude"),
        col("Longitude"),
    );
    let mut nyc = Vec::new();
    for r in rows.iter().skip(1).filter(|r| r.len() == head.len()) {
        let (Ok(lat), Ok(lon)) = (r[lat_c].parse::<f64>(), r[lon_c].parse::<f64>()) else {
            continue;
        };
        let said = if r[desc] == "NA" { "" } else { &r[desc] };
        let description = format!("{}: {said}", r[title]).trim().to_owned();
        nyc.push((
            r[title].clone(),
            description,
            lon,
            lat,
            r[created].parse().unwrap_or(0),
        ));
    }
    nyc.sort_by_key(|r| r.4);
    sf.extend(nyc);
    sf
}

/// The reports moved into the demo county: each city's 1st–99th percentile
/// box is stretched over the county's box; a point that then lies outside
/// the county is drawn again inside it. Also how many were drawn again.
fn reports() -> (Vec<Report>, usize, usize, usize) {
    let county = geojson_in::read(
        gridline_api::demo::SHANDAN_GEOJSON.as_bytes(),
        ReadOptions {
            crs: Crs::Gcj02,
            repair: true,
        },
    )
    .expect("the demo county")
    .remove(0);
    let index = common::build(std::slice::from_ref(&county.rings));
    let b = index.grids()[0].bbox;
    let src = sources();
    let (mut sf_n, mut nyc_n) = (0, 0);
    let mut rng = SplitMix64::new(311);
    let mut moved = 0;
    let mut out = Vec::with_capacity(src.len());
    // Two cities, two boxes: split where the longitude jumps coasts.
    let (sf, nyc): (Vec<_>, Vec<_>) = src.into_iter().partition(|r| r.2 < -100.0);
    for city in [sf, nyc] {
        if city.first().is_some_and(|r| r.2 < -100.0) {
            sf_n = city.len();
        } else {
            nyc_n = city.len();
        }
        let q = |f: fn(&(String, String, f64, f64, i64)) -> f64, p: f64| {
            let mut v: Vec<f64> = city.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[((v.len() - 1) as f64 * p) as usize]
        };
        let (x0, x1) = (q(|r| r.2, 0.01), q(|r| r.2, 0.99));
        let (y0, y1) = (q(|r| r.3, 0.01), q(|r| r.3, 0.99));
        for (kind, description, lon, lat, _) in &city {
            let fx = ((lon - x0) / (x1 - x0)).clamp(0.0, 1.0);
            let fy = ((lat - y0) / (y1 - y0)).clamp(0.0, 1.0);
            let mut p = [b[0] + fx * (b[2] - b[0]), b[1] + fy * (b[3] - b[1])];
            if index.locate(p[0], p[1]).grid().is_none() {
                p = sample_inside(&county.rings, 1, &mut rng)[0];
                moved += 1;
            }
            out.push(Report {
                category: category_of(kind),
                description: description.clone(),
                lon: p[0],
                lat: p[1],
            });
        }
    }
    (out, sf_n, nyc_n, moved)
}

/// What one replay saw.
#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    /// Answers that were not a success, by status (0: no answer).
    errors: std::collections::BTreeMap<u16, usize>,
    first_error: Option<String>,
    latencies_s: Vec<f64>,
    wall_s: f64,
}

impl Tally {
    fn record(&mut self, due: Instant, status: u16, body: &str, ok: bool) {
        self.latencies_s.push(due.elapsed().as_secs_f64());
        if ok {
            self.ok += 1;
        } else {
            *self.errors.entry(status).or_default() += 1;
            self.first_error
                .get_or_insert_with(|| format!("{status} {}", &body[..body.len().min(300)]));
        }
    }

    fn errors_text(&self) -> String {
        if self.errors.is_empty() {
            return "0".into();
        }
        self.errors
            .iter()
            .map(|(s, n)| {
                format!(
                    "{n} × {}",
                    if *s == 0 {
                        "no answer".into()
                    } else {
                        s.to_string()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn ms_at(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize] * 1e3
}

/// Posts every report through Open311, request `i` due at `i / rate`.
async fn replay_open311(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    reports: &[Report],
    rate: u32,
) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(reports.len());
    for (i, r) in reports.iter().enumerate() {
        let due = start + Duration::from_secs_f64(i as f64 / f64::from(rate));
        tokio::time::sleep_until(due.into()).await;
        let permit = gate.clone().acquire_owned().await.unwrap();
        let form = [
            ("api_key", key.to_owned()),
            ("service_code", r.category.to_owned()),
            ("lat", r.lat.to_string()),
            ("long", r.lon.to_string()),
            ("description", r.description.clone()),
        ];
        let (http, url, tally) = (
            http.clone(),
            format!("{base}/open311/v2/requests.json"),
            tally.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let answer = http.post(url).form(&form).send().await;
            let (status, body) = match answer {
                Ok(a) => (a.status().as_u16(), a.text().await.unwrap_or_default()),
                Err(e) => (0, e.to_string()),
            };
            let ok = status == 200 && body.contains("service_request_id");
            tally.lock().await.record(due, status, &body, ok);
            drop(permit);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut t = Arc::try_unwrap(tally).unwrap().into_inner();
    t.wall_s = start.elapsed().as_secs_f64();
    t
}

/// Pushes every report as a phone's `case.create@1`; report `i` is due at
/// `i / rate` and goes from phone `i mod PHONES`, after that phone's last.
async fn replay_sync(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    phones: &[String],
    reports: &[Report],
    rate: u32,
) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (p, device) in phones.iter().enumerate() {
        let mine: Vec<(usize, Report)> = reports
            .iter()
            .cloned()
            .enumerate()
            .skip(p)
            .step_by(phones.len())
            .collect();
        let (http, url, token, device, tally) = (
            http.clone(),
            format!("{base}/v1/sync/push"),
            token.to_owned(),
            device.clone(),
            tally.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for (number, (i, r)) in mine.into_iter().enumerate() {
                let due = start + Duration::from_secs_f64(i as f64 / f64::from(rate));
                tokio::time::sleep_until(due.into()).await;
                let body = json!({
                    "device_id": device,
                    "mutations": [{
                        "number": number + 1,
                        "name": "case.create@1",
                        "args": {
                            "category": r.category,
                            "description": r.description,
                            "location": { "lat": r.lat, "lon": r.lon, "crs": "wgs84" },
                        },
                        "device_time": "2025-01-06T09:00:00+08:00",
                    }],
                });
                let answer = http.post(&url).bearer_auth(&token).json(&body).send().await;
                let (status, text) = match answer {
                    Ok(a) => (a.status().as_u16(), a.text().await.unwrap_or_default()),
                    Err(e) => (0, e.to_string()),
                };
                let ok = status == 200 && text.contains("\"applied\"");
                tally.lock().await.record(due, status, &text, ok);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut t = Arc::try_unwrap(tally).unwrap().into_inner();
    t.wall_s = start.elapsed().as_secs_f64();
    t
}

/// A phone that has never synced: the snapshot page by page, then a pull
/// from where it ends. (seconds, cases, pages, bytes)
async fn cold_sync(http: &reqwest::Client, base: &str, user: &str) -> (f64, usize, usize, usize) {
    let token = login(http, base, user, PASSWORD).await;
    let device = register(http, base, &token).await;
    let get = |path: &'static str, q: Vec<(&'static str, String)>| {
        let (http, token) = (http.clone(), token.clone());
        let url = format!("{base}{path}");
        async move {
            let a = http
                .get(url)
                .bearer_auth(token)
                .query(&q)
                .send()
                .await
                .unwrap();
            assert_eq!(a.status(), 200, "{path}");
            a.bytes().await.unwrap()
        }
    };
    let started = Instant::now();
    let (mut cases, mut pages, mut bytes) = (0, 0, 0);
    let mut page: Option<String> = None;
    let cursor = loop {
        let mut q = vec![("device_id", device.clone()), ("limit", "500".into())];
        if let Some(p) = &page {
            q.push(("page", p.clone()));
        }
        let body = get("/v1/sync/snapshot", q).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        (pages, bytes) = (pages + 1, bytes + body.len());
        cases += v["changes"].as_array().unwrap().len();
        match v["next_page"].as_str() {
            Some(p) => page = Some(p.to_owned()),
            None => break v["cursor"].as_str().unwrap().to_owned(),
        }
    };
    let mut cursor = cursor;
    loop {
        let q = vec![
            ("device_id", device.clone()),
            ("limit", "500".into()),
            ("cursor", cursor.clone()),
        ];
        let body = get("/v1/sync/pull", q).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        (pages, bytes) = (pages + 1, bytes + body.len());
        cursor = v["cursor"].as_str().unwrap().to_owned();
        if v["has_more"] != true {
            break;
        }
    }
    (started.elapsed().as_secs_f64(), cases, pages, bytes)
}

fn row(channel: &str, rate: u32, sent: usize, t: &Tally) {
    let mut l = t.latencies_s.clone();
    l.sort_by(f64::total_cmp);
    println!(
        "| {channel} | {rate} | {sent} | {:.0} | {} | {} | {:.0} ms | {:.0} ms | {:.1} s |",
        t.ok as f64 / t.wall_s,
        t.ok,
        t.errors_text(),
        ms_at(&l, 0.5),
        ms_at(&l, 0.99),
        t.wall_s,
    );
    if let Some(e) = &t.first_error {
        eprintln!("{channel} at {rate}/s: first error {e}");
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let (mut reports, sf, nyc, moved) = reports();
    let rates: &[u32] = if quick { &RATES[..1] } else { &RATES };
    if quick {
        reports = reports.into_iter().step_by(10).collect();
    }
    println!(
        "{} requests replayed ({sf} San Francisco, {nyc} New York{}), moved into Shandan county ({moved} drawn again inside the county); the release server on SQLite (WAL, `synchronous=FULL`) on loopback, a fresh data directory per rate; at most {IN_FLIGHT} requests waiting; sync from {PHONES} phones, one report per push. Latency counts from when a request was due.",
        reports.len(),
        if quick { ", every tenth" } else { "" },
    );
    println!();
    println!(
        "| channel | offered /s | requests | served /s | acknowledged | errors | p50 | p99 | wall |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut cold = Vec::new();
    for &rate in rates {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, "scheduler_tick_s = 0\n").unwrap();
        let server = start(
            dir.path(),
            &[
                "demo",
                "--demo-password",
                PASSWORD,
                "--config",
                config.to_str().unwrap(),
            ],
        );
        let db = format!("sqlite:{}", dir.path().join("gridline.db").display());
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(IN_FLIGHT)
            .timeout(Duration::from_secs(300))
            .build()
            .unwrap();
        let admin = login(&http, &server.base, "admin", PASSWORD).await;
        let made: Value = http
            .post(format!("{}/v1/api-keys", server.base))
            .bearer_auth(&admin)
            .json(&json!({ "name": "山丹县12345热线", "source": "hotline_12345", "county": "620725" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let key = made["key"]
            .as_str()
            .unwrap_or_else(|| panic!("key: {made}"));
        let worker = login(&http, &server.base, "grid-worker", PASSWORD).await;
        let mut phones = Vec::new();
        for _ in 0..PHONES {
            phones.push(register(&http, &server.base, &worker).await);
        }

        let before = stored_cases(&db).await;
        let o = replay_open311(&http, &server.base, key, &reports, rate).await;
        row("Open311", rate, reports.len(), &o);
        let s = replay_sync(&http, &server.base, &worker, &phones, &reports, rate).await;
        row("sync", rate, reports.len(), &s);
        let stored = usize::try_from(stored_cases(&db).await - before).unwrap();
        assert!(
            stored >= o.ok + s.ok,
            "{} reports acknowledged at {rate}/s, {stored} stored",
            o.ok + s.ok
        );
        eprintln!("{rate}/s: {} acknowledged, {stored} stored", o.ok + s.ok);
        cold.push((
            rate,
            cold_sync(&http, &server.base, "county-operator").await,
        ));
    }
    println!();
    println!(
        "| a phone that never synced, afterwards (county operator) | cases | pages | MB | time | cases/s |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (rate, (s, cases, pages, bytes)) in cold {
        println!(
            "| after the replay at {rate}/s | {cases} | {pages} | {:.1} | {s:.1} s | {:.0} |",
            bytes as f64 / 1e6,
            cases as f64 / s
        );
    }
}
