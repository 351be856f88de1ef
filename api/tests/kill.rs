//! `kill -9` of the server in the middle of a phone's batch: after the
//! restart the device's last applied number says exactly which reports
//! exist, and resending the batch completes it with nothing doubled.

#![allow(clippy::unwrap_used)]

use rand::Rng;
use serde_json::{Value, json};
use std::time::Duration;
use support::{case_exists, get_json, login, start};

mod support;

const PASSWORD: &str = "kill-test-password";
const BATCH: usize = 1000;

#[tokio::test]
async fn a_batch_cut_by_kill_9_resumes_to_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = start(dir.path(), &["demo", "--demo-password", PASSWORD]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let device: Value = client
        .post(format!("{}/v1/devices", server.base))
        .bearer_auth(&token)
        .json(&json!({ "platform": "android" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let device = device["device_id"].as_str().unwrap().to_owned();
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
    let body = json!({ "device_id": device, "mutations": mutations });

    // The batch goes out; the server dies part way through it.
    let push = {
        let (client, url, token, body) = (
            client.clone(),
            format!("{}/v1/sync/push", server.base),
            token.clone(),
            body.clone(),
        );
        tokio::spawn(async move { client.post(url).bearer_auth(token).json(&body).send().await })
    };
    let cut = rand::rng().random_range(200..1200);
    tokio::time::sleep(Duration::from_millis(cut)).await;
    drop(server); // SIGKILL
    if let Ok(r) = push.await.unwrap() {
        let status = r.status();
        panic!(
            "an answer came before the cut at {cut} ms: {status} {}",
            r.text().await.unwrap_or_default()
        );
    }

    // Restarted on the same data: the device's number says what exists.
    let server = start(dir.path(), &["serve"]);
    let token = login(&client, &server.base, "grid-worker", PASSWORD).await;
    let url = format!("{}/v1/devices/{device}", server.base);
    let (_, d) = get_json(&client, &url, &token).await;
    let k = usize::try_from(d["last_applied"].as_u64().unwrap()).unwrap();
    assert!(k < BATCH, "cut before the end (at {cut} ms)");
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
    let r: Value = client
        .post(format!("{}/v1/sync/push", server.base))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["last_applied"], BATCH);
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), BATCH);
    for (i, res) in results.iter().enumerate() {
        assert_eq!(res["status"], "applied", "{res}");
        assert_eq!(res["id"], ids[i].as_str());
    }
    for id in &ids {
        assert!(case_exists(&client, &server.base, &token, id).await);
    }
}
