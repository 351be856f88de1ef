//! `kill -9` of the server while it works on its own or on long requests:
//! the deadline scheduler escalating a backlog, photo uploads, and a grid
//! import. After the restart nothing acknowledged is lost, nothing is half
//! done, and finishing the work does each thing once.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Connection, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use support::{get_json, import_grids, login, post_json, push, register, start, start_with};

/// The scheduler ticks every second (30 by default).
const TICK: [(&str, &str); 1] = [("GRIDLINE_SCHEDULER_TICK_S", "1")];

mod support;

const PASSWORD: &str = "kill-work-password";

async fn db(dir: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}", dir.join("gridline.db").display());
    SqliteConnection::connect(&url).await.unwrap()
}

/// Each case's version, by id.
async fn versions(c: &mut SqliteConnection, ids: &[String]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for id in ids {
        let v: i64 = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *c)
            .await
            .unwrap();
        out.insert(id.clone(), v);
    }
    out
}

#[tokio::test]
async fn a_scheduler_pass_cut_by_kill_9_escalates_each_late_case_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["demo", "--demo-password", PASSWORD]);
    // A backlog: 400 reports from a grid worker's phone, each dispatched
    // to a unit that must sign for it.
    let client = reqwest::Client::new();
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let device = register(&client, &server.base, &token).await;
    let mutations: Vec<Value> = (0..400)
        .map(|i| {
            json!({ "number": i + 1, "name": "case.create@1", "args": {
                "id": uuid::Uuid::now_v7().to_string(), "category": "noise",
                "description": format!("积压第{}件", i + 1),
                "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } })
        })
        .collect();
    let (status, r) = push(
        &client,
        &server.base,
        &token,
        &json!({ "device_id": device, "mutations": mutations }),
    )
    .await;
    assert_eq!(
        (status, r["last_applied"].as_u64()),
        (200, Some(400)),
        "{r}"
    );
    drop(server);
    // Time passes: every open case misses its sign-by time or deadline.
    let mut c = db(dir.path()).await;
    let late: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE status IN ('assigned', 'signed_for', 'in_progress') \
         AND overdue_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert!(late.len() >= 400, "{} open cases", late.len());
    sqlx::query(
        "UPDATE cases SET sign_by = CASE WHEN status = 'assigned' THEN 1 ELSE sign_by END, \
         deadline = CASE WHEN status = 'assigned' THEN deadline ELSE 1 END, warn_at = NULL \
         WHERE status IN ('assigned', 'signed_for', 'in_progress') AND overdue_at IS NULL",
    )
    .execute(&mut c)
    .await
    .unwrap();
    // Long enough that the demo's server no longer holds the scheduler's lease.
    sqlx::query("DELETE FROM job_leases")
        .execute(&mut c)
        .await
        .unwrap();
    let before = versions(&mut c, &late).await;

    // The server starts on the backlog; it dies once the first escalations
    // are committed.
    let server = start_with(dir.path(), &["serve"], &TICK);
    let t0 = Instant::now();
    let done_at_cut = loop {
        let now = versions(&mut c, &late).await;
        let done = late.iter().filter(|id| now[*id] > before[*id]).count();
        if done > 0 || t0.elapsed() > Duration::from_secs(20) {
            break done;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    drop(server);
    let after_cut = versions(&mut c, &late).await;
    let cut = late
        .iter()
        .filter(|id| after_cut[*id] > before[*id])
        .count();
    println!(
        "scheduler cut: {cut} of {} late cases escalated before kill -9 (first seen at {done_at_cut})",
        late.len()
    );
    assert!(cut > 0, "the scheduler never started");

    // Restarted: once the dead server's lease lapses (30 s) the pass
    // finishes; each late case moved exactly once, in one write (its
    // version one up), with its history to match.
    let server = start_with(dir.path(), &["serve"], &TICK);
    let t0 = Instant::now();
    loop {
        let now = versions(&mut c, &late).await;
        if late.iter().all(|id| now[id] > before[id]) || t0.elapsed() > Duration::from_secs(90) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "scheduler resumed: done {:.1} s after the restart",
        t0.elapsed().as_secs_f64()
    );
    // Two more ticks, to catch a second escalation if there were one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = versions(&mut c, &late).await;
    for id in &late {
        assert_eq!(after[id], before[id] + 1, "case {id}");
        let moved: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND detail LIKE '%\"by\":\"scheduler\"%'",
        )
        .bind(id)
        .fetch_one(&mut c)
        .await
        .unwrap();
        assert!(moved >= 1, "case {id} has no scheduler event");
        let due: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE id = $1 AND overdue_at IS NULL AND \
             ((status = 'assigned' AND sign_by < $2) OR (status IN ('signed_for', 'in_progress') AND deadline < $2))",
        )
        .bind(id)
        .bind(gridline_api::clock::now_ms())
        .fetch_one(&mut c)
        .await
        .unwrap();
        assert_eq!(due, 0, "case {id} is still late");
    }
    let client = reqwest::Client::new();
    let token = login(&client, &server.base, "county-operator", PASSWORD).await;
    let url = format!("{}/v1/cases/{}/history", server.base, late[0]);
    let (status, history) = get_json(&client, &url, &token).await;
    assert_eq!(status, 200, "{history}");
}

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// A JPEG of `size` bytes unlike any other: a real image, padded after its
/// end marker.
fn photo(seed: u32, size: usize) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([
            u8::try_from((x * 4 + seed) % 256).unwrap(),
            u8::try_from((y * 5 + seed * 7) % 256).unwrap(),
            u8::try_from(seed % 256).unwrap(),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let mut bytes = out.into_inner();
    let mut x = seed.wrapping_mul(2_654_435_761);
    while bytes.len() < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x.to_le_bytes()[0]);
    }
    bytes
}

const CHUNK: usize = 256 * 1024;

/// Sends a photo's missing chunks and completes it; every chunk the server
/// acknowledged goes into `acked`. Stops at the first failed request.
async fn upload(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    bytes: &[u8],
    acked: &std::sync::Mutex<Vec<(String, u32)>>,
) -> Result<(), String> {
    let sha = hex(bytes);
    let r = client
        .post(format!("{base}/v1/uploads"))
        .bearer_auth(token)
        .json(&json!({ "sha256": sha, "bytes": bytes.len(), "mime": "image/jpeg" }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status: Value = r.json().await.map_err(|e| e.to_string())?;
    let Some(id) = status["upload_id"].as_str() else {
        return if status["complete"] == true {
            Ok(())
        } else {
            Err(format!("open: {status}"))
        };
    };
    let have: Vec<u64> = status["have"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        if have.contains(&(n as u64)) {
            continue;
        }
        let r = client
            .put(format!("{base}/v1/uploads/{id}/chunks/{n}"))
            .bearer_auth(token)
            .header("x-chunk-sha256", hex(chunk))
            .body(chunk.to_vec())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != 200 {
            return Err(format!("chunk {n}: {}", r.status()));
        }
        acked
            .lock()
            .unwrap()
            .push((sha.clone(), u32::try_from(n).unwrap()));
    }
    let r = client
        .post(format!("{base}/v1/uploads/{id}/complete"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() == 200 {
        Ok(())
    } else {
        Err(format!("complete: {}", r.status()))
    }
}

#[tokio::test]
async fn photo_uploads_cut_by_kill_9_keep_every_acknowledged_chunk_and_finish_whole() {
    const PHOTOS: u32 = 9;
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = start(dir.path(), &["demo", "--demo-password", PASSWORD]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    // A case with nine photos (the most a case takes) of 1.1 MB, five
    // chunks each, attached.
    let photos: Vec<Vec<u8>> = (0..PHOTOS).map(|i| photo(i, 1_100_000)).collect();
    let (_, r) = post_json(
        &client,
        &format!("{}/v1/cases", server.base),
        &token,
        &json!({ "category": "safety_hazard", "description": "照片中断测试",
            "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } }),
    )
    .await;
    let case = r["id"].as_str().unwrap().to_owned();
    for p in &photos {
        let r = client
            .post(format!("{}/v1/cases/{case}/photos", server.base))
            .bearer_auth(&token)
            .json(
                &json!({ "photo": uuid::Uuid::now_v7().to_string(), "sha256": hex(p),
                "bytes": p.len(), "mime": "image/jpeg" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }

    // Uploads run one after another; the server dies part way.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let work = {
        let (client, base, token, photos, acked) = (
            client.clone(),
            server.base.clone(),
            token.clone(),
            photos.clone(),
            acked.clone(),
        );
        tokio::spawn(async move {
            for p in &photos {
                upload(&client, &base, &token, p, &acked).await?;
            }
            Ok::<(), String>(())
        })
    };
    let t0 = Instant::now();
    while acked.lock().unwrap().len() < 20 && t0.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(server);
    assert!(
        work.await.unwrap().is_err(),
        "the uploads finished before the cut"
    );
    let acked_before: Vec<(String, u32)> = acked.lock().unwrap().clone();
    acked.lock().unwrap().clear();

    // Restarted: every photo's upload says which chunks the server holds;
    // each acknowledged chunk is among them (or its photo is whole already).
    let server = start(dir.path(), &["serve"]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let mut whole_at_cut = 0;
    let mut c = db(dir.path()).await;
    for p in &photos {
        let sha = hex(p);
        // Stored whole, though its photo may not say so yet (killed between
        // the two): the phone is asked for the bytes again, nothing is lost.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM blobs WHERE sha256 = $1")
            .bind(&sha)
            .fetch_one(&mut c)
            .await
            .unwrap();
        let (_, r) = post_json(
            &client,
            &format!("{}/v1/uploads", server.base),
            &token,
            &json!({ "sha256": sha, "bytes": p.len(), "mime": "image/jpeg" }),
        )
        .await;
        let have: Vec<u64> = r["have"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        if r["complete"] == true {
            whole_at_cut += 1;
        }
        for (s, n) in &acked_before {
            if *s == sha {
                assert!(
                    r["complete"] == true || stored == 1 || have.contains(&u64::from(*n)),
                    "chunk {n} of {sha} was acknowledged and is gone: {r}"
                );
            }
        }
    }
    println!(
        "photo cut: {} chunks acknowledged before kill -9, {whole_at_cut} of {PHOTOS} photos whole",
        acked_before.len()
    );
    // The phone sends what is missing; every photo ends whole, byte for byte.
    for p in &photos {
        upload(&client, &server.base, &token, p, &acked)
            .await
            .unwrap();
    }
    for p in &photos {
        let r = client
            .get(format!("{}/v1/blobs/{}", server.base, hex(p)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap().as_ref(), p.as_slice());
    }
    let (_, v) = get_json(&client, &format!("{}/v1/cases/{case}", server.base), &token).await;
    let shown = v["photos"].as_array().unwrap();
    assert_eq!(shown.len(), PHOTOS as usize, "{v}");
    assert!(shown.iter().all(|p| p["available"] == true), "{v}");
}

async fn grid_count(c: &mut SqliteConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM grid_shapes")
        .fetch_one(c)
        .await
        .unwrap()
}

/// A county of `n` square grids side by side, each drawn with `sides`
/// points (a circle-like square), east of any other county.
fn county(n: u32, sides: u32) -> Value {
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (x, y) = (
                120.0 + f64::from(i % 50) * 0.01,
                30.0 + f64::from(i / 50) * 0.01,
            );
            let per = sides / 4;
            let mut ring = Vec::new();
            for k in 0..per {
                ring.push(json!([x + 0.01 * f64::from(k) / f64::from(per), y]));
            }
            for k in 0..per {
                ring.push(json!([x + 0.01, y + 0.01 * f64::from(k) / f64::from(per)]));
            }
            for k in 0..per {
                ring.push(json!([x + 0.01 - 0.01 * f64::from(k) / f64::from(per), y + 0.01]));
            }
            for k in 0..per {
                ring.push(json!([x, y + 0.01 - 0.01 * f64::from(k) / f64::from(per)]));
            }
            ring.push(json!([x, y]));
            json!({ "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [ring] },
                "properties": {
                    "code": format!("330999101{:03}{:03}", i / 50, i % 50),
                    "name": format!("导入网格{i}"),
                    "village": { "code": format!("330999101{:03}", i / 50), "name": format!("导入村{}", i / 50) },
                    "township": { "code": "330999101", "name": "导入镇" },
                    "county": { "code": "330999", "name": "导入县" } } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

#[tokio::test]
async fn a_grid_import_cut_by_kill_9_is_all_there_or_not_at_all() {
    const GRIDS: u32 = 1500;
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = start(dir.path(), &["demo", "--demo-password", PASSWORD]);
    let token = login(&client, &server.base, "admin", PASSWORD).await;
    let mut c = db(dir.path()).await;
    let before = grid_count(&mut c).await;
    let body = county(GRIDS, 400).to_string();
    // How long an import takes here, on a copy of the data, to cut the real
    // one half way.
    let copy = tempfile::tempdir().unwrap();
    let timing = start(copy.path(), &["demo", "--demo-password", PASSWORD]);
    let t = login(&client, &timing.base, "admin", PASSWORD).await;
    let t0 = Instant::now();
    let r = import_grids(&client, &timing.base, &t, body.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let takes = t0.elapsed();
    drop(timing);

    let import = {
        let (client, base, token, body) = (
            client.clone(),
            server.base.clone(),
            token.clone(),
            body.clone(),
        );
        tokio::spawn(async move { import_grids(&client, &base, &token, body).await })
    };
    let cut = takes.mul_f64(rand::random_range(0.3..0.95));
    tokio::time::sleep(cut).await;
    drop(server);
    let answered = import.await.unwrap().is_ok();
    let after = grid_count(&mut c).await;
    println!(
        "import cut at {} ms of {} ms: {} of {GRIDS} grids stored, answer {}",
        cut.as_millis(),
        takes.as_millis(),
        after - before,
        if answered { "received" } else { "lost" }
    );
    assert!(
        after == before || after == before + i64::from(GRIDS),
        "half an import: {} of {GRIDS} grids",
        after - before
    );

    // Restarted: the import sent again leaves the county whole, once.
    let server = start(dir.path(), &["serve"]);
    let token = login(&client, &server.base, "admin", PASSWORD).await;
    let r = import_grids(&client, &server.base, &token, body)
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    if after == before {
        assert_eq!(status, 200, "{text}");
    } else {
        assert_eq!(status, 409, "the grids exist already: {text}");
    }
    assert_eq!(grid_count(&mut c).await, before + i64::from(GRIDS));
}
