//! A full disk under the real server: the SQLite data folder, or the
//! PostgreSQL cluster, on a small tmpfs that the test fills. While full,
//! every write is refused with `503 unavailable` that says why, the server
//! keeps answering, and nothing is half-applied; once space is back, writes
//! work again without a restart; every acknowledged report is there after a
//! `kill -9` and a restart. Needs root (to mount); as another user it says
//! so and checks nothing.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::cluster::Cluster;
use support::{NO_SCHEDULER, assert_all_kept, case_exists, login, start, start_with};

mod support;

const PASSWORD: &str = "full-disk-password";

/// A tmpfs mounted for the test, unmounted when dropped (even on a panic).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros into `path` until the disk is full; returns how many bytes.
fn fill(path: &Path) -> u64 {
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&block) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    let _ = f.sync_all();
    written
}

async fn report(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    n: usize,
) -> (u16, String, Value) {
    let id = uuid::Uuid::now_v7().to_string();
    let r = client
        .post(format!("{base}/v1/cases"))
        .bearer_auth(token)
        .json(&json!({ "id": id, "category": "noise", "description": format!("满盘第{n}件，{}", "说明".repeat(200)),
                       "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, id, r.json().await.unwrap_or(Value::Null))
}

/// A phone's batch of three reports made offline: their ids and the push.
fn offline_batch(device: &str) -> (Vec<String>, Value) {
    let ids: Vec<String> = (0..3).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let mutations: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            json!({ "number": i + 1, "name": "case.create@1", "args": { "id": id, "category": "noise",
                "description": "离线上报", "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } })
        })
        .collect();
    (ids, json!({ "device_id": device, "mutations": mutations }))
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_mount) = Tmpfs::mount(&data, "96m") else {
        eprintln!("SKIPPED: mounting a tmpfs needs root; the full-disk test checked nothing");
        return;
    };
    let client = reqwest::Client::new();
    let server = start(&data, &["demo", "--demo-password", PASSWORD]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let device = support::register(&client, &server.base, &token).await;
    let mut acknowledged = Vec::new();
    let (s, id, body) = report(&client, &server.base, &token, 0).await;
    assert_eq!(s, 201, "{body}");
    acknowledged.push(id);

    let filler = data.join("filler");
    let filled = fill(&filler);
    assert!(filled > 0);

    // Full: each write is either kept (SQLite had room in pages it holds)
    // or refused as unavailable, saying the storage is full.
    let mut refused = 0;
    for n in 1..=200 {
        let (s, id, body) = report(&client, &server.base, &token, n).await;
        match refusal(s, &body) {
            None => acknowledged.push(id),
            Some(why) => {
                assert_eq!(why, "full", "{body}");
                refused += 1;
            }
        }
        if refused >= 5 {
            break;
        }
    }
    assert!(
        refused >= 5,
        "the disk never filled up ({} kept)",
        acknowledged.len()
    );
    // A phone's batch on the full disk: refused whole, nothing applied, so
    // it sends the same batch again later.
    let (batch, push) = offline_batch(&device);
    let (status, body) = support::push(&client, &server.base, &token, &push).await;
    assert!(
        status == 200
            || (status == 503
                && body["last_applied"] == 0
                && body["stopped"]["retry_after_s"] == 60),
        "{status} {body}"
    );
    let pushed_while_full = status == 200;
    // Reads and the health check go on.
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200, "healthz on a full disk");
    for id in &acknowledged {
        assert!(
            case_exists(&client, &server.base, &token, id).await,
            "{id} readable while full"
        );
    }

    // Space back: writes work again, with no restart.
    std::fs::remove_file(&filler).unwrap();
    let (status, body) = support::push(&client, &server.base, &token, &push).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["last_applied"], 3, "{body}");
    if !pushed_while_full {
        for result in body["results"].as_array().unwrap() {
            assert_eq!(
                result["status"], "applied",
                "nothing was applied while full: {body}"
            );
        }
    }
    acknowledged.extend(batch);
    let (s, id, body) = report(&client, &server.base, &token, 999).await;
    assert_eq!(s, 201, "{body}");
    acknowledged.push(id);

    // And after a kill -9, everything acknowledged is there.
    drop(server);
    let server = start(&data, &["serve"]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    assert_all_kept(&client, &server.base, &token, &acknowledged).await;
    eprintln!(
        "full disk: {} reports kept, {refused} refused while full, the batch {} while full, all kept after kill -9",
        acknowledged.len(),
        if pushed_while_full {
            "applied"
        } else {
            "refused whole (503)"
        }
    );
}

/// A write answered while the disk is full: kept (201), or refused as
/// unavailable with a reason a phone can show. Returns the reason.
fn refusal(status: u16, body: &Value) -> Option<&'static str> {
    match status {
        201 | 200 => None,
        503 => {
            assert_eq!(body["code"], "unavailable", "{body}");
            let message = body["message"].as_str().unwrap_or_default();
            if message.contains("storage is full") {
                Some("full")
            } else if message.contains("cannot reach its database") {
                Some("unreachable")
            } else {
                panic!("a 503 that does not say why: {body}")
            }
        }
        other => panic!("a write on a full disk answered {other}: {body}"),
    }
}

#[tokio::test]
async fn a_full_disk_under_postgresql_refuses_writes_clearly_and_loses_nothing_acknowledged() {
    // The cluster's socket lives in its folder: a short path under /tmp.
    let root = tempfile::Builder::new()
        .prefix("gl-full")
        .tempdir_in("/tmp")
        .unwrap();
    let disk = root.path().join("disk");
    let Some(_mount) = Tmpfs::mount(&disk, "160m") else {
        eprintln!("SKIPPED: mounting a tmpfs needs root; the full-disk test checked nothing");
        return;
    };
    // Everything the cluster writes, its tables and its write-ahead log, is
    // on the small disk; the server's own folder is not.
    let cluster = Cluster::start(disk.join("pg"));
    let dir = tempfile::tempdir().unwrap();
    let serve = |command: &str| {
        let mut args = vec![command, "--database-url", &cluster.url];
        if command == "demo" {
            args.extend(["--demo-password", PASSWORD]);
        }
        start_with(dir.path(), &args, &NO_SCHEDULER)
    };
    let server = serve("demo");
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let token = login(&client, &base, "grid-worker", PASSWORD).await;
    let device = support::register(&client, &base, &token).await;
    let mut acknowledged = Vec::new();
    let (s, id, body) = report(&client, &base, &token, 0).await;
    assert_eq!(s, 201, "{body}");
    acknowledged.push(id);

    let filler = disk.join("filler");
    assert!(fill(&filler) > 0);

    let mut reasons = Vec::new();
    for n in 1..=400 {
        let (s, id, body) = report(&client, &base, &token, n).await;
        match refusal(s, &body) {
            None => acknowledged.push(id),
            Some(why) => {
                reasons.push(why);
                // A refused report is not there, whatever happened inside.
                if cluster.answers() {
                    assert!(!case_exists(&client, &base, &token, &id).await, "{id}");
                }
            }
        }
        if reasons.len() >= 5 {
            break;
        }
    }
    assert!(
        reasons.len() >= 5,
        "the disk never filled up ({} kept)",
        acknowledged.len()
    );
    // A phone's batch on the full disk: on PostgreSQL each mutation commits
    // on its own, so a part may be kept; whatever was, sending the batch
    // again later gets its stored answer, and the rest is applied then.
    let (batch, push) = offline_batch(&device);
    let (status, body) = support::push(&client, &base, &token, &push).await;
    // A refused push answers in the sync protocol's own terms.
    let batch_while_full = match status {
        200 => "applied",
        503 => {
            assert_eq!(body["stopped"]["reason"], "unavailable", "{body}");
            assert_eq!(body["last_applied"], 0, "{body}");
            // A full disk: wait as long as a REST client is told to.
            if cluster.answers() {
                assert_eq!(body["stopped"]["retry_after_s"], 60, "{body}");
            }
            "refused (503)"
        }
        other => panic!("a push on a full disk answered {other}: {body}"),
    };
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    let health_while_full = health.status().as_u16();

    // Space back. A PostgreSQL that could not write its log stops itself
    // (a PANIC); the operator starts it again. Either way the same server,
    // not restarted, takes writes again.
    std::fs::remove_file(&filler).unwrap();
    let stopped_itself = !cluster.answers();
    if stopped_itself {
        cluster.restart();
    }
    let (status, body) = support::push(&client, &base, &token, &push).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["last_applied"], 3, "{body}");
    for result in body["results"].as_array().unwrap() {
        assert_eq!(result["status"], "applied", "each mutation once: {body}");
    }
    acknowledged.extend(batch);
    let (s, id, body) = report(&client, &base, &token, 999).await;
    assert_eq!(s, 201, "{body}");
    acknowledged.push(id);

    // After a kill -9 of the server and a crash of the database, everything
    // acknowledged is there.
    drop(server);
    cluster.crash();
    cluster.restart();
    let server = serve("serve");
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    assert_all_kept(&client, &server.base, &token, &acknowledged).await;
    eprintln!(
        "full disk under PostgreSQL: {} reports kept; refused while full: {reasons:?}; the batch {}; /healthz {health_while_full} while full; PostgreSQL {}",
        acknowledged.len(),
        batch_while_full,
        if stopped_itself {
            "stopped itself and was started again"
        } else {
            "kept running"
        }
    );
}
