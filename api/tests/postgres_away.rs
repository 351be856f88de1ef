//! PostgreSQL crashes under a running server and comes back: while it is
//! gone every request that needs it is told so (503 `unavailable`, with
//! Retry-After) within the pool's wait, nothing half-done is kept; once it
//! is back the same server, without a restart, serves again and the phone's
//! batch sent again applies once. Starts its own cluster (`scripts/pg`),
//! since it must crash it.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::cluster::Cluster;
use support::{NO_SCHEDULER, case_exists, login, push, register, start_with};

mod support;

const PASSWORD: &str = "pg-away-password";

fn report(n: u64) -> Value {
    json!({ "number": n, "name": "case.create@1", "args": {
        "id": uuid::Uuid::now_v7().to_string(), "category": "noise",
        "description": format!("第{n}件"),
        "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } })
}

#[tokio::test]
async fn postgres_going_away_is_told_clearly_and_work_resumes_when_it_is_back() {
    // The socket path must be short: a directory right under /tmp.
    let root = tempfile::Builder::new()
        .prefix("gl-away")
        .tempdir_in("/tmp")
        .unwrap();
    let cluster = Cluster::start(root.path().join("pg"));
    let dir = tempfile::tempdir().unwrap();
    let server = start_with(
        dir.path(),
        &[
            "demo",
            "--demo-password",
            PASSWORD,
            "--database-url",
            &cluster.url,
        ],
        &NO_SCHEDULER,
    );
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let token = login(&client, &base, "grid-worker", PASSWORD).await;
    let device = register(&client, &base, &token).await;
    let first: Vec<Value> = (1..=50).map(report).collect();
    let (s, r) = push(
        &client,
        &base,
        &token,
        &json!({ "device_id": device, "mutations": first }),
    )
    .await;
    assert_eq!((s, r["last_applied"].as_u64()), (200, Some(50)), "{r}");

    // PostgreSQL dies.
    cluster.crash();
    let second: Vec<Value> = (51..=60).map(report).collect();
    let batch = json!({ "device_id": device, "mutations": second });
    let t0 = Instant::now();
    let get = |path: String| {
        let (client, token) = (client.clone(), token.clone());
        async move { client.get(path).bearer_auth(token).send().await.unwrap() }
    };
    let (health, case, pushed, login_r) = tokio::join!(
        client.get(format!("{base}/healthz")).send(),
        get(format!(
            "{base}/v1/cases/{}",
            first[0]["args"]["id"].as_str().unwrap()
        )),
        client
            .post(format!("{base}/v1/sync/push"))
            .bearer_auth(&token)
            .json(&batch)
            .send(),
        client
            .post(format!("{base}/v1/auth/login"))
            .json(&json!({ "username": "grid-worker", "password": PASSWORD }))
            .send(),
    );
    let told_in = t0.elapsed();
    for (what, r) in [
        ("healthz", health.unwrap()),
        ("case", case),
        ("push", pushed.unwrap()),
        ("login", login_r.unwrap()),
    ] {
        assert_eq!(r.status(), 503, "{what}");
        assert!(r.headers().get("retry-after").is_some(), "{what}");
        let body: Value = r.json().await.unwrap();
        let text = body.to_string();
        assert!(
            text.contains("unavailable") && text.contains("database"),
            "{what}: {body}"
        );
    }
    println!(
        "database down: four requests told 503 in {:.1} s",
        told_in.as_secs_f64()
    );

    // Back: the same server serves again, without a restart.
    cluster.restart();
    let t0 = Instant::now();
    loop {
        let r = client.get(format!("{base}/healthz")).send().await.unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "not back: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "database back: serving again {:.1} s after it restarted",
        t0.elapsed().as_secs_f64()
    );
    // The token from before still works; the batch refused while the
    // database was away applies now, once.
    let (s, applied) = push(&client, &base, &token, &batch).await;
    assert_eq!(
        (s, applied["last_applied"].as_u64()),
        (200, Some(60)),
        "{applied}"
    );
    // Sent once more (the answer lost, say): the stored answers, nothing new.
    let (s, again) = push(&client, &base, &token, &batch).await;
    assert_eq!(s, 200);
    assert_eq!(again["results"], applied["results"]);
    for m in first.iter().chain(batch["mutations"].as_array().unwrap()) {
        let id = m["args"]["id"].as_str().unwrap();
        assert!(case_exists(&client, &base, &token, id).await, "{id}");
    }
    drop(server);
}
