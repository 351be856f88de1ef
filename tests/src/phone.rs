//! A phone as the sync protocol sees it: a registered device with a queue of
//! numbered mutations, a cursor, and the rows it holds. It drops a queued
//! mutation only when a pull acknowledges it, and keeps the highest `rev`
//! of every row, as the apps do.

#![allow(clippy::unwrap_used)] // a fixture: a failure here is a broken test

use crate::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub struct Phone {
    client: reqwest::Client,
    base: String,
    pub token: String,
    pub device: String,
    next: u64,
    /// Mutations not yet acknowledged, in order.
    pub queue: Vec<Value>,
    pub cursor: Option<String>,
    pub ack: u64,
    /// (entity, id) → (rev, data).
    pub rows: BTreeMap<(String, String), (i64, Value)>,
}

impl Phone {
    /// Registers a device for the holder of `token`.
    pub async fn register(app: &TestApp, token: &str) -> Self {
        let r = app
            .client
            .post(app.url("/v1/devices"))
            .bearer_auth(token)
            .json(&json!({ "platform": "android", "app_version": "0.1.0" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        Self {
            client: app.client.clone(),
            base: app.url(""),
            token: token.to_owned(),
            device: body["device_id"].as_str().unwrap().to_owned(),
            next: 1,
            queue: Vec::new(),
            cursor: None,
            ack: 0,
            rows: BTreeMap::new(),
        }
    }

    /// A second view of the same device (another task reading for it),
    /// holding nothing yet.
    #[must_use]
    pub fn twin(&self) -> Self {
        Self {
            client: self.client.clone(),
            base: self.base.clone(),
            token: self.token.clone(),
            device: self.device.clone(),
            next: self.next,
            queue: Vec::new(),
            cursor: None,
            ack: 0,
            rows: BTreeMap::new(),
        }
    }

    /// The same device talking to another server (a replica behind the
    /// same load balancer).
    pub fn use_server(&mut self, app: &TestApp) {
        self.use_server_url(&app.url(""));
    }

    /// [`Phone::use_server`] by the server's base URL.
    pub fn use_server_url(&mut self, base: &str) {
        base.clone_into(&mut self.base);
    }

    /// Queues a mutation; returns its number.
    pub fn queue(&mut self, name: &str, args: Value) -> u64 {
        let n = self.next;
        self.next += 1;
        self.queue.push(json!({
            "number": n, "name": name, "args": args,
            "device_time": "1970-01-01T08:00:00+08:00",
        }));
        n
    }

    /// Sends `mutations` as they are.
    pub async fn push_raw(&self, mutations: &[Value]) -> (StatusCode, Value) {
        let r = self
            .client
            .post(format!("{}/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "device_id": self.device, "mutations": mutations }))
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Sends the whole queue.
    pub async fn push(&self) -> (StatusCode, Value) {
        self.push_raw(&self.queue).await
    }

    /// One pull page, without applying it.
    pub async fn pull_raw(&self, cursor: Option<&str>, limit: u32) -> (StatusCode, Value) {
        let mut q = vec![
            ("device_id", self.device.clone()),
            ("limit", limit.to_string()),
        ];
        if let Some(c) = cursor {
            q.push(("cursor", c.to_owned()));
        }
        let r = self
            .client
            .get(format!("{}/v1/sync/pull", self.base))
            .bearer_auth(&self.token)
            .query(&q)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Applies a page: rows by highest rev, removals, the acknowledgement
    /// and the cursor. Panics if a row would go back in time.
    pub fn apply(&mut self, page: &Value) {
        for c in page["changes"].as_array().unwrap() {
            let key = (
                c["entity"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap().to_owned(),
            );
            let rev = c["rev"].as_i64().unwrap();
            if let Some((have, _)) = self.rows.get(&key) {
                assert!(*have <= rev, "{key:?} went back from rev {have} to {rev}");
            }
            match c["op"].as_str().unwrap() {
                "upsert" => {
                    self.rows.insert(key, (rev, c["data"].clone()));
                }
                _ => {
                    self.rows.remove(&key);
                }
            }
        }
        let ack = page["ack"].as_u64().unwrap();
        assert!(ack >= self.ack, "the acknowledgement went back");
        self.ack = ack;
        self.queue.retain(|m| m["number"].as_u64().unwrap() > ack);
        self.cursor = Some(page["cursor"].as_str().unwrap().to_owned());
    }

    /// Pulls pages of `limit` until nothing more is waiting; returns them.
    pub async fn pull(&mut self, limit: u32) -> Vec<Value> {
        let mut pages = Vec::new();
        loop {
            let (status, page) = self.pull_raw(self.cursor.clone().as_deref(), limit).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            self.apply(&page);
            let more = page["has_more"].as_bool().unwrap();
            pages.push(page);
            if !more {
                return pages;
            }
        }
    }

    /// Pushes what is queued, then pulls until done.
    pub async fn sync(&mut self) {
        if !self.queue.is_empty() {
            let (status, body) = self.push().await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        self.pull(500).await;
    }

    /// Starts again from a snapshot (after a reset): every page, then the
    /// cursor it gives. Rows are replaced; the queue is kept.
    pub async fn snapshot(&mut self, limit: u32) {
        let mut rows = BTreeMap::new();
        let mut page_token: Option<String> = None;
        loop {
            let mut q = vec![
                ("device_id", self.device.clone()),
                ("limit", limit.to_string()),
            ];
            if let Some(p) = &page_token {
                q.push(("page", p.clone()));
            }
            let r = self
                .client
                .get(format!("{}/v1/sync/snapshot", self.base))
                .bearer_auth(&self.token)
                .query(&q)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let page: Value = r.json().await.unwrap();
            for c in page["changes"].as_array().unwrap() {
                rows.insert(
                    (
                        c["entity"].as_str().unwrap().to_owned(),
                        c["id"].as_str().unwrap().to_owned(),
                    ),
                    (c["rev"].as_i64().unwrap(), c["data"].clone()),
                );
            }
            self.cursor = Some(page["cursor"].as_str().unwrap().to_owned());
            match page["next_page"].as_str() {
                Some(p) => page_token = Some(p.to_owned()),
                None => break,
            }
        }
        self.rows = rows;
    }

    /// The ids of the cases held.
    #[must_use]
    pub fn case_ids(&self) -> Vec<String> {
        self.rows
            .keys()
            .filter(|(e, _)| e == "case")
            .map(|(_, id)| id.clone())
            .collect()
    }
}
