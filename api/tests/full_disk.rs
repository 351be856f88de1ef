//! A full disk under the real server: its data folder on a small tmpfs that
//! the test fills. While full, every write is refused with `503 unavailable`
//! that says the storage is full, reads go on, and the server keeps
//! answering; once space is back, writes work again; after a `kill -9` and a
//! restart every acknowledged report is there. Needs root (to mount); as
//! another user it says so and checks nothing.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{case_exists, login, start};

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
        match s {
            201 => acknowledged.push(id),
            503 => {
                assert_eq!(body["code"], "unavailable", "{body}");
                assert!(
                    body["message"]
                        .as_str()
                        .unwrap()
                        .contains("storage is full"),
                    "{body}"
                );
                refused += 1;
            }
            other => panic!("a write on a full disk answered {other}: {body}"),
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
    let batch: Vec<String> = (0..3).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let push = json!({ "device_id": device, "mutations": batch.iter().enumerate().map(|(i, id)| json!({
        "number": i + 1, "name": "case.create@1", "args": { "id": id, "category": "noise", "description": "离线上报",
            "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } })).collect::<Vec<_>>() });
    let (status, body) = support::push(&client, &server.base, &token, &push).await;
    assert!(
        status == 200 || (status == 503 && body["last_applied"] == 0),
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
    for id in &acknowledged {
        assert!(
            case_exists(&client, &server.base, &token, id).await,
            "{id} lost"
        );
    }
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
