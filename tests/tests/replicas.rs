//! Several API replicas on one PostgreSQL behave as one system: a device's
//! retries landing on two replicas apply once, readers on one replica never
//! skip a write committed on another, long polls wake wherever the write
//! happened, a grid imported through one replica assigns on the others,
//! the deadline scheduler acts once per deadline with three of them
//! running, and wrong passwords count against one limit across them.
//!
//! These need a PostgreSQL server (`GRIDLINE_TEST_DATABASE_URL`, which
//! `scripts/test` provides); without one they say so and pass.

#![allow(clippy::unwrap_used)]

use gridline_api::config::Settings;
use gridline_core::time::Date;
use gridline_tests::TestApp;
use gridline_tests::database;
use gridline_tests::phone::Phone;
use gridline_tests::town::{Town, grid_centre};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn server() -> Option<String> {
    let s = database::postgres_server();
    if s.is_none() {
        eprintln!(
            "skipped: several replicas need a PostgreSQL server in {} (scripts/test starts one)",
            database::URL_VAR
        );
    }
    s
}

fn monday_morning() -> i64 {
    "2025-11-03".parse::<Date>().unwrap().start_ms() + 9 * 3_600_000
}

fn at(day: &str, h: i64, m: i64) -> i64 {
    day.parse::<Date>().unwrap().start_ms() + h * 3_600_000 + m * 60_000
}

fn report(id: &str, col: u32, text: &str) -> Value {
    let (lon, lat) = grid_centre(col);
    json!({
        "id": id, "category": "noise", "description": text,
        "location": { "lat": lat, "lon": lon },
    })
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn quiet(s: &mut Settings) {
    s.scheduler_tick_s = 0;
    s.territory_poll_s = 1;
}

/// A town on PostgreSQL served by `n` replicas (the town's own first).
async fn town_with_replicas(server: &str, n: usize) -> (Town, Vec<TestApp>) {
    let town = Town::build_postgres(server, monday_morning(), quiet).await;
    let mut others = Vec::new();
    for _ in 1..n {
        others.push(TestApp::spawn_replica(&town.app, Some(town.clock.clone()), quiet).await);
    }
    (town, others)
}

#[tokio::test]
async fn a_devices_retries_arriving_at_two_replicas_at_once_apply_once() {
    let Some(server) = server() else { return };
    let (town, others) = town_with_replicas(&server, 2).await;
    let b = &others[0];
    let mut on_a = Phone::register(&town.app, town.token("gw1")).await;
    for i in 0..40 {
        on_a.queue("case.create@1", report(&new_id(), i % 2, "两个副本"));
    }
    let mut on_b = on_a.twin();
    on_b.queue = on_a.queue.clone();
    on_b.use_server(b);
    let ((sa, ra), (sb, rb)) = tokio::join!(on_a.push(), on_b.push());
    assert_eq!((sa, sb), (StatusCode::OK, StatusCode::OK), "{ra} {rb}");
    assert_eq!(
        ra["results"], rb["results"],
        "both replicas give the same answers"
    );
    assert!(
        ra["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "applied")
    );
    let (_, page) = town.get("admin", "/v1/cases?limit=200").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 40);
    on_b.pull(500).await;
    assert_eq!((on_b.ack, on_b.case_ids().len()), (40, 40));
}

#[tokio::test]
async fn a_reader_on_one_replica_never_skips_writes_committed_on_others() {
    let Some(server) = server() else { return };
    let (town, others) = town_with_replicas(&server, 3).await;
    let replicas: Vec<&TestApp> = std::iter::once(&town.app).chain(others.iter()).collect();

    // Four phones push one report per request, alternating replicas, all at once.
    let mut writers = Vec::new();
    let mut all = BTreeSet::new();
    for (w, user) in ["gw1", "gw2", "gw1", "gw2"].into_iter().enumerate() {
        let mut phone = Phone::register(&town.app, town.token(user)).await;
        let col = if user == "gw1" { 0 } else { 2 };
        let mut jobs = Vec::new();
        for i in 0..40 {
            let id = new_id();
            all.insert(id.clone());
            phone.queue("case.create@1", report(&id, col, "负载"));
            jobs.push((replicas[(w + i) % replicas.len()].url(""), i));
        }
        writers.push(tokio::spawn(async move {
            for (base, i) in jobs {
                let mut one = phone.twin();
                one.queue = vec![phone.queue[i].clone()];
                one.use_server_url(&base);
                let (s, r) = one.push().await;
                assert_eq!(s, StatusCode::OK, "{r}");
                assert_eq!(r["results"][0]["status"], "applied", "{r}");
            }
        }));
    }

    // Meanwhile a county operator's phone reads small pages from the third replica.
    let mut reader = Phone::register(replicas[2], town.token("county-op")).await;
    let mut seqs = Vec::new();
    while !writers.iter().all(tokio::task::JoinHandle::is_finished) {
        for page in reader.pull(7).await {
            seqs.extend(
                page["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["seq"].as_u64().unwrap()),
            );
        }
    }
    for w in writers {
        w.await.unwrap();
    }
    for page in reader.pull(7).await {
        seqs.extend(
            page["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["seq"].as_u64().unwrap()),
        );
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "positions only grow: {seqs:?}"
    );
    let held: BTreeSet<String> = reader.case_ids().into_iter().collect();
    assert_eq!(held.len(), 160);
    assert_eq!(held, all, "every committed report reached the reader once");
}

#[tokio::test]
async fn a_long_poll_on_one_replica_wakes_when_another_commits() {
    let Some(server) = server() else { return };
    let (town, others) = town_with_replicas(&server, 2).await;
    let b = &others[0];
    let mut reader = Phone::register(b, town.token("county-op")).await;
    reader.pull(500).await;
    let cursor = reader.cursor.clone().unwrap();
    let poll = {
        let (client, url, token, device) = (
            b.client.clone(),
            b.url("/v1/sync/pull"),
            reader.token.clone(),
            reader.device.clone(),
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let r = client
                .get(url)
                .bearer_auth(token)
                .query(&[
                    ("device_id", device.as_str()),
                    ("cursor", &cursor),
                    ("wait", "20"),
                ])
                .send()
                .await
                .unwrap();
            let status = r.status();
            let body: Value = r.json().await.unwrap();
            (status, body, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    let case = town.report("gw1", 0, "noise", json!({})).await; // through replica A
    let (status, page, waited) = poll.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [case["id"].as_str().unwrap()]);
    assert!(
        waited < Duration::from_secs(10),
        "woken by the commit on A, not by the 20 s timeout: {waited:?}"
    );
}

#[tokio::test]
async fn a_grid_imported_through_one_replica_assigns_on_another_within_seconds() {
    let Some(server) = server() else { return };
    let (town, others) = town_with_replicas(&server, 2).await;
    let b = &others[0];
    // A fifth grid east of the town, in village two.
    let (x, y) = (80.84, 44.05);
    let doc = json!({ "type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": { "type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
        "properties": {
            "code": "654023101202003", "name": "二村第3网格",
            "village": { "code": "654023101202", "name": "二村" },
            "township": { "code": "654023101", "name": "霍城镇" },
            "county": { "code": "654023", "name": "霍城县" }
        }
    }]});
    let (status, imported) = town
        .app
        .post_bytes(
            "/v1/grids/import?crs=wgs84",
            town.token("admin"),
            doc.to_string().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    let imported_at = Instant::now();
    let path = format!("/v1/locate?lat={}&lon={}", y + 0.005, x + 0.005);
    loop {
        let (s, located) = b.get(&path, town.token("gw2")).await;
        assert_eq!(s, StatusCode::OK, "{located}");
        if located["grid"]["code"] == "654023101202003" {
            break;
        }
        assert!(
            imported_at.elapsed() < Duration::from_secs(10),
            "replica B still places the point in {}",
            located["grid"]
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let located_after = imported_at.elapsed();
    // A report there, sent to B, lands in the new grid.
    let r = b
        .client
        .post(b.url("/v1/cases"))
        .bearer_auth(town.token("gw2"))
        .json(&json!({
            "category": "noise", "description": "新网格",
            "location": { "lat": y + 0.005, "lon": x + 0.005 },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let case: Value = r.json().await.unwrap();
    assert_eq!(case["grid"]["code"], "654023101202003", "{case}");
    assert!(located_after < Duration::from_secs(5), "{located_after:?}");
}

/// Each case's history, read through `app`.
async fn histories(app: &TestApp, token: &str, ids: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for id in ids {
        let (s, h) = app.get(&format!("/v1/cases/{id}/history"), token).await;
        assert_eq!(s, StatusCode::OK, "{h}");
        out.push(h);
    }
    out
}

#[tokio::test]
async fn three_replicas_running_the_scheduler_escalate_once_per_deadline() {
    let Some(server) = server() else { return };
    let ticking = |s: &mut Settings| s.scheduler_tick_s = 1;
    let town = Town::build_postgres(&server, at("2025-09-25", 9, 30), ticking).await;
    let b = TestApp::spawn_replica(&town.app, Some(town.clock.clone()), ticking).await;
    let c = TestApp::spawn_replica(&town.app, Some(town.clock.clone()), ticking).await;
    let mut cases = Vec::new();
    for i in 0..12 {
        cases.push(town.report("gw1", i % 2, "noise", json!({})).await);
    }
    let count = |h: &Value, action: &str| {
        h.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .count()
    };
    let ids: Vec<String> = cases
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let token = town.token("county-op");
    // Each step passes a deadline and outlives any lease (30 s) a replica took.
    for (day, escalations) in [("2025-09-27", 1), ("2025-09-29", 2)] {
        town.clock.set(at(day, 9, 0));
        let started = Instant::now();
        loop {
            let hs = histories(&b, token, &ids).await;
            if hs.iter().all(|h| count(h, "escalate") >= escalations) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the schedulers did not escalate every case by {day}"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // Give all three schedulers more ticks to act twice if they could.
        tokio::time::sleep(Duration::from_secs(3)).await;
        for h in histories(&c, token, &ids).await {
            assert_eq!(count(&h, "escalate"), escalations, "{h}");
        }
    }
}

#[tokio::test]
async fn wrong_passwords_count_against_one_limit_on_every_replica() {
    let Some(server) = server() else { return };
    let (town, others) = town_with_replicas(&server, 3).await;
    let replicas: Vec<&TestApp> = std::iter::once(&town.app).chain(others.iter()).collect();
    // Five failures (the account's limit) spread over the three replicas.
    for i in 0..5 {
        assert_eq!(
            replicas[i % 3]
                .login_raw("cadre1", "guess-guess")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    for app in &replicas {
        assert_eq!(
            app.login_raw("cadre1", gridline_tests::PASSWORD)
                .await
                .status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the limit holds on every replica"
        );
    }
    assert_eq!(
        replicas[1]
            .login_raw("cadre2", gridline_tests::PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}
