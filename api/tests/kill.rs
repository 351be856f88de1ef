//! `kill -9` of the server in the middle of a phone's batch: after the
//! restart the device's last applied number says exactly which reports
//! exist, and resending the batch completes it with nothing doubled.

#![allow(clippy::unwrap_used)]

use rand::Rng;
use serde_json::{Value, json};
use std::time::Instant;
use support::{assert_all_kept, case_exists, get_json, login, push, register, start};

mod support;

const PASSWORD: &str = "kill-test-password";
const BATCH: usize = 1000;

#[tokio::test]
async fn a_batch_cut_by_kill_9_resumes_to_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = start(dir.path(), &["demo", "--demo-password", PASSWORD]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let batch = |device: &str| {
        let ids: Vec<String> = (0..BATCH)
            .map(|_| uuid::Uuid::now_v7().to_string())
            .collect();
        let mutations: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                json!({ "number": i + 1, "name": "case.create@1", "args": {
                    "id": id, "category": "noise", "description": format!("第{}件", i + 1),
                    "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } })
            })
            .collect();
        (ids, json!({ "device_id": device, "mutations": mutations }))
    };
    // How long such a batch takes here (another phone's, on the same
    // server), so that the cut falls inside the real one.
    let other = register(&client, &server.base, &token).await;
    let t0 = Instant::now();
    let (s, r) = push(&client, &server.base, &token, &batch(&other).1).await;
    assert_eq!(s, 200, "{r}");
    let takes = t0.elapsed();
    let device = register(&client, &server.base, &token).await;
    let (ids, body) = batch(&device);

    // The batch goes out; the server dies part way through it.
    let cut_push = {
        let (client, url, token, body) = (
            client.clone(),
            format!("{}/v1/sync/push", server.base),
            token.clone(),
            body.clone(),
        );
        tokio::spawn(async move { client.post(url).bearer_auth(token).json(&body).send().await })
    };
    let cut = takes.mul_f64(rand::rng().random_range(0.1..0.7));
    tokio::time::sleep(cut).await;
    drop(server); // SIGKILL
    if let Ok(r) = cut_push.await.unwrap() {
        let status = r.status();
        panic!(
            "an answer came before the cut at {cut:?} of {takes:?}: {status} {}",
            r.text().await.unwrap_or_default()
        );
    }

    // Restarted on the same data: the device's number says what exists.
    let server = start(dir.path(), &["serve"]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let url = format!("{}/v1/devices/{device}", server.base);
    let (_, d) = get_json(&client, &url, &token).await;
    let k = usize::try_from(d["last_applied"].as_u64().unwrap()).unwrap();
    assert!(k < BATCH, "cut before the end (at {cut:?} of {takes:?})");
    println!("batch cut at {cut:?} of {takes:?}: {k} of {BATCH} applied");
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            case_exists(&client, &server.base, &token, id).await,
            i < k,
            "report {} with last applied {k}",
            i + 1
        );
    }

    // The phone sends the whole batch again: the first k get their stored
    // answers, the rest apply, and every report exists once.
    let (s, r) = push(&client, &server.base, &token, &body).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["last_applied"], BATCH);
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), BATCH);
    for (i, res) in results.iter().enumerate() {
        assert_eq!(res["status"], "applied", "{res}");
        assert_eq!(res["id"], ids[i].as_str());
    }
    assert_all_kept(&client, &server.base, &token, &ids).await;
}
