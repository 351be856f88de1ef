//! Three `gridline` processes on one PostgreSQL, phones pushing and pulling
//! through whichever answers (as behind a load balancer), and one replica
//! killed with SIGKILL in the middle of it. After the phones' retries every
//! acknowledged report exists exactly once and every phone holds what a
//! fresh snapshot of its scope holds.
//!
//! Needs a PostgreSQL server (`GRIDLINE_TEST_DATABASE_URL`, which
//! `scripts/test` provides); without one it says so and passes.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{Server, database, login, register, start};
use tokio::sync::RwLock;

mod support;

const PASSWORD: &str = "replica-test-password";
const DEVICES: usize = 4;
const REPORTS: usize = 120;
const BATCH: usize = 8;

/// The replicas a phone may reach; a killed one stays listed (its address
/// just stops answering), as a load balancer's would until it notices.
type Replicas = Arc<RwLock<Vec<String>>>;

struct Phone {
    client: reqwest::Client,
    token: String,
    device: String,
    queue: Vec<Value>,
    ids: BTreeMap<u64, String>,
    cursor: Option<String>,
    /// case id → rev.
    rows: BTreeMap<String, i64>,
    turn: usize,
    /// Requests that got no answer (the killed replica) and went elsewhere.
    retried: usize,
    /// Reports applied so far, all phones together.
    applied: Arc<AtomicUsize>,
}

impl Phone {
    /// Sends `req` to the replicas in turn until one answers 200.
    async fn call(
        &mut self,
        replicas: &Replicas,
        req: impl Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Value {
        for attempt in 0..60 {
            let base = {
                let r = replicas.read().await;
                r[(self.turn + attempt) % r.len()].clone()
            };
            let sent = req(&self.client, &base)
                .bearer_auth(&self.token)
                .timeout(Duration::from_secs(30))
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    self.turn += 1;
                    return r.json().await.unwrap();
                }
                Ok(r) if r.status().is_server_error() => self.retried += 1,
                Ok(r) => {
                    let status = r.status();
                    panic!("{status}: {}", r.text().await.unwrap_or_default())
                }
                Err(_) => self.retried += 1, // that replica is gone: try the next
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no replica answered");
    }

    async fn push(&mut self, replicas: &Replicas) {
        let batch: Vec<Value> = self.queue.iter().take(BATCH).cloned().collect();
        let body = json!({ "device_id": self.device, "mutations": batch });
        let r = self
            .call(replicas, |c, base| {
                c.post(format!("{base}/v1/sync/push")).json(&body)
            })
            .await;
        for res in r["results"].as_array().unwrap() {
            assert_eq!(res["status"], "applied", "{res}");
            let n = res["number"].as_u64().unwrap();
            assert_eq!(res["id"].as_str(), Some(self.ids[&n].as_str()));
        }
        let last = r["last_applied"].as_u64().unwrap();
        let before = self.queue.len();
        self.queue.retain(|m| m["number"].as_u64().unwrap() > last);
        self.applied
            .fetch_add(before - self.queue.len(), Ordering::SeqCst);
    }

    async fn pull(&mut self, replicas: &Replicas) {
        loop {
            let mut q = vec![
                ("device_id", self.device.clone()),
                ("limit", "50".to_owned()),
            ];
            if let Some(c) = &self.cursor {
                q.push(("cursor", c.clone()));
            }
            let page = self
                .call(replicas, |c, base| {
                    c.get(format!("{base}/v1/sync/pull")).query(&q)
                })
                .await;
            for c in page["changes"].as_array().unwrap() {
                if c["entity"] != "case" {
                    continue;
                }
                let id = c["id"].as_str().unwrap().to_owned();
                let rev = c["rev"].as_i64().unwrap();
                if c["op"] == "upsert" {
                    let old = self.rows.insert(id, rev);
                    assert!(old.is_none_or(|o| o <= rev), "a row went back");
                } else {
                    self.rows.remove(&id);
                }
            }
            self.cursor = page["cursor"].as_str().map(str::to_owned);
            if page["has_more"] == false {
                return;
            }
        }
    }
}

/// What a new phone of the same person receives from a snapshot: case id → rev.
async fn snapshot(client: &reqwest::Client, base: &str, token: &str) -> BTreeMap<String, i64> {
    let device = register(client, base, token).await;
    let mut rows = BTreeMap::new();
    let mut page_token: Option<String> = None;
    loop {
        let mut q = vec![("device_id", device.clone()), ("limit", "200".into())];
        if let Some(p) = &page_token {
            q.push(("page", p.clone()));
        }
        let page: Value = client
            .get(format!("{base}/v1/sync/snapshot"))
            .bearer_auth(token)
            .query(&q)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for c in page["changes"].as_array().unwrap() {
            if c["entity"] == "case" {
                rows.insert(
                    c["id"].as_str().unwrap().to_owned(),
                    c["rev"].as_i64().unwrap(),
                );
            }
        }
        match page["next_page"].as_str() {
            Some(p) => page_token = Some(p.to_owned()),
            None => return rows,
        }
    }
}

#[tokio::test]
async fn three_replicas_one_killed_mid_load_lose_and_double_nothing() {
    let Some(server) = database::postgres_server() else {
        eprintln!(
            "skipped: needs a PostgreSQL server in {}",
            database::URL_VAR
        );
        return;
    };
    let db = database::PgDatabase::create(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    // No deadline scheduler: nothing but the phones changes cases meanwhile.
    let config = dir.path().join("replica.toml");
    std::fs::write(&config, "scheduler_tick_s = 0\n").unwrap();
    let config = config.to_str().unwrap();
    let common = ["--database-url", url, "--config", config];
    let a = start(
        dir.path(),
        &[&["demo", "--demo-password", PASSWORD][..], &common].concat(),
    );
    let b = start(dir.path(), &[&["serve"][..], &common].concat());
    let mut c: Option<Server> = Some(start(dir.path(), &[&["serve"][..], &common].concat()));
    let replicas: Replicas = Arc::new(RwLock::new(vec![
        a.base.clone(),
        b.base.clone(),
        c.as_ref().unwrap().base.clone(),
    ]));

    let client = reqwest::Client::new();
    let token = login(&client, &a.base, "grid-worker", PASSWORD).await;
    let mut tasks = Vec::new();
    let applied = Arc::new(AtomicUsize::new(0));
    for d in 0..DEVICES {
        let base = replicas.read().await[d % 3].clone();
        let device = register(&client, &base, &token).await;
        let mut phone = Phone {
            client: client.clone(),
            token: token.clone(),
            device,
            queue: Vec::new(),
            ids: BTreeMap::new(),
            cursor: None,
            rows: BTreeMap::new(),
            turn: d,
            retried: 0,
            applied: Arc::clone(&applied),
        };
        for n in 1..=REPORTS as u64 {
            let id = uuid::Uuid::now_v7().to_string();
            phone.ids.insert(n, id.clone());
            phone
                .queue
                .push(json!({ "number": n, "name": "case.create@1", "args": {
                "id": id, "category": "noise", "description": format!("replica-load {d}-{n}"),
                "location": { "lat": 38.523105, "lon": 101.178076, "crs": "gcj02" } } }));
        }
        let replicas = Arc::clone(&replicas);
        tasks.push(tokio::spawn(async move {
            while !phone.queue.is_empty() {
                phone.push(&replicas).await;
                phone.pull(&replicas).await;
            }
            phone
        }));
    }

    // A third of the load is in; replica C dies. (Triggered by progress,
    // not by time: the load's speed is not this test's business.)
    let third = DEVICES * REPORTS / 3;
    let waited = std::time::Instant::now();
    while applied.load(Ordering::SeqCst) < third {
        assert!(
            waited.elapsed() < Duration::from_secs(120),
            "a third of the load in two minutes"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !tasks.iter().all(tokio::task::JoinHandle::is_finished),
        "the load outlasts the kill"
    );
    drop(c.take()); // SIGKILL
    let mut phones = Vec::new();
    for t in tasks {
        phones.push(t.await.unwrap());
    }
    // Each phone's last pull, now that every phone has sent everything.
    for p in &mut phones {
        p.pull(&replicas).await;
    }

    let retried: usize = phones.iter().map(|p| p.retried).sum();
    assert!(retried > 0, "some requests met the killed replica");

    // Every acknowledged report is stored exactly once.
    let mut pg = PgConnection::connect(url).await.unwrap();
    let (rows, distinct): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT description) FROM cases WHERE description LIKE 'replica-load %'",
    )
    .fetch_one(&mut pg)
    .await
    .unwrap();
    assert_eq!(
        (rows, distinct),
        ((DEVICES * REPORTS) as i64, (DEVICES * REPORTS) as i64)
    );
    let _ = pg.close().await;

    // Every phone converged on what a fresh snapshot of its scope holds.
    let fresh = snapshot(&client, &b.base, &token).await;
    let ours: BTreeSet<&String> = phones.iter().flat_map(|p| p.ids.values()).collect();
    assert!(ours.iter().all(|id| fresh.contains_key(*id)));
    for p in &phones {
        let missing = fresh.keys().filter(|k| !p.rows.contains_key(*k)).count();
        let extra = p.rows.keys().filter(|k| !fresh.contains_key(*k)).count();
        let stale = p
            .rows
            .iter()
            .filter(|(k, rev)| fresh.get(*k).is_some_and(|f| f != *rev))
            .count();
        assert_eq!(
            (missing, extra, stale),
            (0, 0, 0),
            "device {}: cases missing, extra, at another rev than a fresh snapshot's",
            p.device
        );
    }
}
