//! Cases on SQLite: routing + state machine + history write per case, in
//! process and over HTTP; then statistics over a million cases. Prints
//! Markdown tables for docs/BENCHMARKS.md.
//!
//!     cargo bench -p gridline-api --bench cases_report
//!
//! `GRIDLINE_BENCH_QUICK=1` runs a tenth of everything.

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use gridline_api::auth::service::Identity;
use gridline_api::clock::ManualClock;
use gridline_api::config::Settings;
use gridline_api::server;
use gridline_api::state::AppState;
use gridline_core::case::{Action, Outcome, Remark};
use gridline_core::time::Date;
use gridline_core::wire::case::{LocationIn, NewCase};
use gridline_core::wire::stats::GroupBy;
use serde_json::json;
use sqlx::Row;
use std::sync::Arc;
use std::time::Instant;

const PASSWORD: &str = "bench-password-1";
const MIN: i64 = 60_000;

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(name: &str, mut lat_us: Vec<f64>, wall_s: f64) {
    lat_us.sort_by(f64::total_cmp);
    println!(
        "| {name} | {} | {:.0} µs | {:.0} µs | {:.0} |",
        lat_us.len(),
        pct(&lat_us, 0.5),
        pct(&lat_us, 0.99),
        lat_us.len() as f64 / wall_s
    );
}

async fn identity(state: &AppState, username: &str) -> Identity {
    let u = state
        .store
        .user_by_username(username)
        .await
        .unwrap()
        .unwrap();
    Identity {
        user_id: u.id,
        username: username.into(),
        display_name: u.display_name,
        session_id: "bench".into(),
        roles: state.store.roles_of(u.id).await.unwrap(),
        device: None,
    }
}

/// The middle of the grid worker's grid (WGS84).
fn spot(state: &AppState, gw: &Identity) -> (f64, f64) {
    let t = state.territory.current();
    let grid = t.by_id(gw.roles[0].1).unwrap();
    let g = (0..t.index.len())
        .find(|&g| t.index.grids()[g].data == grid)
        .unwrap();
    let ring = t.index.rings(g).next().unwrap();
    let n = ring.len() as f64;
    let (x, y) = ring
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p[0] / n, y + p[1] / n));
    assert!(t.index.contains(g, x, y), "the ring's centroid is outside");
    (x, y)
}

fn new_case(lon: f64, lat: f64) -> NewCase {
    NewCase {
        id: None,
        category: "neighbour_dispute".into(),
        description: Remark::parse("邻里因排水沟发生争执").unwrap(),
        location: LocationIn {
            lat,
            lon,
            crs: None,
        },
        channel: None,
        parties: Vec::new(),
        people_affected: None,
        amount_yuan: None,
        risk: None,
        photos: Vec::new(),
    }
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
    // Monday 6 January 2025, 09:00 China time.
    let start = "2025-01-06".parse::<Date>().unwrap().start_ms() + 9 * 60 * MIN;
    let clock = Arc::new(ManualClock::at(start));
    let state = server::build_state_with_clock(settings, store, clock.clone())
        .await
        .unwrap();
    gridline_api::demo::seed(state.store.as_ref(), &state.territory, Some(PASSWORD))
        .await
        .unwrap();
    let gw = identity(&state, "grid-worker").await;
    let op = identity(&state, "township-operator").await;
    let (lon, lat) = spot(&state, &gw);

    // 1. In process: report (route, dispatch, sign for), start, resolve, close.
    let n = if quick { 200 } else { 2_000 };
    let (mut create, mut start_l, mut resolve, mut close) = (vec![], vec![], vec![], vec![]);
    let wall = Instant::now();
    for _ in 0..n {
        clock.advance(7 * MIN);
        let t = Instant::now();
        let c = state.cases.create(&gw, new_case(lon, lat)).await.unwrap();
        create.push(t.elapsed().as_secs_f64() * 1e6);
        let steps: [(&Identity, Action, &mut Vec<f64>); 3] = [
            (&gw, Action::Start, &mut start_l),
            (
                &gw,
                Action::Resolve {
                    outcome: Outcome::Mediated,
                    summary: Remark::parse("当场调解").unwrap(),
                },
                &mut resolve,
            ),
            (&op, Action::Close, &mut close),
        ];
        for (who, action, lat_us) in steps {
            clock.advance(MIN);
            let t = Instant::now();
            state.cases.act(who, c.id, action).await.unwrap();
            lat_us.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let wall = wall.elapsed().as_secs_f64();
    println!("| operation (SQLite file, in process) | cases | p50 | p99 | per second |");
    println!("|---|---:|---:|---:|---:|");
    let whole: Vec<f64> = (0..n)
        .map(|i| create[i] + start_l[i] + resolve[i] + close[i])
        .collect();
    row("report: route + dispatch + sign for + write", create, wall);
    row("start", start_l, wall);
    row("resolve", resolve, wall);
    row("close", close, wall);
    row("whole life (4 writes, 6 events)", whole, wall);

    // 2. Over HTTP: the same report through the router, JSON and auth.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = state.clone();
    tokio::spawn(async move {
        server::serve(listener, serving, std::future::pending())
            .await
            .unwrap();
    });
    let http = reqwest::Client::new();
    let token: String = http
        .post(format!("http://{addr}/v1/auth/login"))
        .json(&json!({ "username": "grid-worker", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({ "category": "noise", "description": "夜间噪音扰民", "location": { "lat": lat, "lon": lon } });
    let post = move |http: reqwest::Client, token: String, body: serde_json::Value| async move {
        let t = Instant::now();
        let r = http
            .post(format!("http://{addr}/v1/cases"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.bytes().await.unwrap();
        t.elapsed().as_secs_f64() * 1e6
    };
    let m = if quick { 200 } else { 1_000 };
    let wall = Instant::now();
    let mut seq = Vec::with_capacity(m);
    for _ in 0..m {
        seq.push(post(http.clone(), token.clone(), body.clone()).await);
    }
    let seq_wall = wall.elapsed().as_secs_f64();
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (http, token, body) = (http.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..m / 8 {
                out.push(post(http.clone(), token.clone(), body.clone()).await);
            }
            out
        }));
    }
    let mut par = Vec::new();
    for t in tasks {
        par.extend(t.await.unwrap());
    }
    let par_wall = wall.elapsed().as_secs_f64();
    println!();
    println!("| POST /v1/cases over HTTP (loopback) | cases | p50 | p99 | per second |");
    println!("|---|---:|---:|---:|---:|");
    row("one client", seq, seq_wall);
    row("8 clients at once", par, par_wall);

    // 3. Statistics over a million cases: the cases made above, copied with
    // new ids and shifted in time to fill a year.
    let db = dir.path().join("gridline.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let originals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    let target: i64 = if quick { 100_000 } else { 1_000_000 };
    let copies = target / originals;
    // Each copy shifted so that together they cover 365 days.
    let span: i64 = sqlx::query_scalar("SELECT MAX(created_at) - MIN(created_at) FROM cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    let shift = (365 * 24 * 60 * MIN - span) / copies.max(1);
    let t = Instant::now();
    sqlx::query("CREATE TABLE bench_originals AS SELECT id FROM cases")
        .execute(&pool)
        .await
        .unwrap();
    for k in 1..copies {
        let mut tx = pool.begin().await.unwrap();
        // A UUID with its first 8 hex digits (the top of its timestamp)
        // replaced by the copy number: unique, and still a UUID.
        let new_id = format!("printf('%08x', {k}) || substr(id, 9)");
        sqlx::query(&format!(
            "INSERT INTO cases SELECT {new_id}, version, status, category, description, channel, lat, lon, \
             grid_id, village_id, township_id, county_id, distance_m, risk, people_affected, amount_yuan, reporter_id, \
             rule_id, tier, tier_name, lead_unit_id, assignee_id, sign_by + ?1, signed_at + ?1, deadline + ?1, NULL, NULL, \
             outcome, summary, rating, NULL, created_at + ?1, updated_at + ?1 FROM cases WHERE id IN (SELECT id FROM bench_originals)"
        ))
        .bind(k * shift)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(&format!(
            "INSERT INTO case_events SELECT printf('%08x', {k}) || substr(case_id, 9), seq, at + ?1, actor_id, action, detail \
             FROM case_events WHERE case_id IN (SELECT id FROM bench_originals)"
        ))
        .bind(k * shift)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    let (cases, events): (i64, i64) = (
        sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&pool)
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT COUNT(*) FROM case_events")
            .fetch_one(&pool)
            .await
            .unwrap(),
    );
    let bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "filled {cases} cases, {events} events ({:.0} MB) in {:.0} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let plan = sqlx::query(
        "EXPLAIN QUERY PLAN WITH cohort AS (SELECT id, grid_id, category FROM cases WHERE id IN \
         (SELECT case_id FROM case_events WHERE action IN ('accept', 'assign', 'reassign') AND at BETWEEN 0 AND 1)) \
         SELECT e.case_id, k.grid_id, k.category, e.at, e.action, e.detail FROM cohort k JOIN case_events e ON e.case_id = k.id \
         WHERE e.at <= 1 ORDER BY e.case_id, e.seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    eprintln!("query plan:");
    for r in &plan {
        eprintln!("  {}", r.get::<String, _>("detail"));
    }

    let admin = identity(&state, "admin").await;
    let first = Date::of_instant(start);
    let periods = [
        ("one month", first, first.plus_days(30)),
        ("one quarter", first, first.plus_days(91)),
        ("the whole year", first, first.plus_days(365)),
    ];
    println!();
    println!(
        "Statistics over {cases} cases and {events} events ({:.0} MB SQLite file), as an admin (no scope filter):",
        bytes as f64 / 1e6
    );
    println!();
    println!("| period | cases counted | total only | by grid | by unit |");
    println!("|---|---:|---:|---:|---:|");
    for (name, from, to) in periods {
        let mut secs = Vec::new();
        let mut counted = 0;
        for by in [None, Some(GroupBy::Grid), Some(GroupBy::Unit)] {
            let t = Instant::now();
            let s = state.cases.stats(&admin, from, to, by).await.unwrap();
            secs.push(t.elapsed().as_secs_f64());
            counted = s.total.accepted;
        }
        println!(
            "| {name} ({from} – {to}) | {counted} | {:.2} s | {:.2} s | {:.2} s |",
            secs[0], secs[1], secs[2]
        );
    }
}
