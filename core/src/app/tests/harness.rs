//! A shell for tests: runs the core's commands, answers storage and the
//! clock at once, and holds HTTP, timers, location and photo requests until
//! the test answers them.

use crate::app::{Effect, Event, Gridline, LocationOperation, Model, PhotoOperation};
use crate::sync::{CaseRecord, Change, ChangeOp, Entity, Mutation, PROTOCOL};
use crate::wire::case::{CaseView, PersonBrief, PointView, TierView, UnitBrief};
use crux_core::{App, Command, Request};
use crux_http::protocol::{HttpRequest, HttpResponse, HttpResult};
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use crux_time::{Instant as TimeInstant, TimeRequest, TimeResponse};
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};

pub const SERVER: &str = "http://gridline.test";

pub struct Harness {
    app: Gridline,
    pub m: Model,
    cmds: Vec<Command<Effect, Event>>,
    pub kv: BTreeMap<String, Vec<u8>>,
    pub now_ms: i64,
    pub http: VecDeque<(usize, Request<HttpRequest>)>,
    pub timers: Vec<(usize, Request<TimeRequest>)>,
    pub location: Vec<(usize, Request<LocationOperation>)>,
    pub photos: Vec<(usize, Request<PhotoOperation>)>,
    pub sent: Vec<HttpRequest>,
    /// Storage writes fail (a full disk) while set.
    pub disk_full: bool,
}

impl Harness {
    pub fn new() -> Self {
        Self {
            app: Gridline,
            m: Model::default(),
            cmds: Vec::new(),
            kv: BTreeMap::new(),
            now_ms: 1_763_700_000_000, // 2025-11-21 12:40 China time
            http: VecDeque::new(),
            timers: Vec::new(),
            location: Vec::new(),
            photos: Vec::new(),
            sent: Vec::new(),
            disk_full: false,
        }
    }

    /// The same phone after the app was killed: storage stays, memory goes.
    pub fn restart(&self) -> Self {
        let mut h = Self::new();
        h.kv = self.kv.clone();
        h.now_ms = self.now_ms;
        h
    }

    pub fn send(&mut self, ev: Event) {
        let c = self.app.update(ev, &mut self.m);
        self.cmds.push(c);
        self.settle();
    }

    pub fn view(&self) -> crate::app::ViewModel {
        self.app.view(&self.m)
    }

    /// Runs every command as far as it goes without a test's answer.
    pub fn settle(&mut self) {
        loop {
            let mut progressed = false;
            let mut i = 0;
            while i < self.cmds.len() {
                let effects: Vec<Effect> = self.cmds[i].effects().collect();
                let events: Vec<Event> = self.cmds[i].events().collect();
                for e in effects {
                    progressed = true;
                    self.handle(i, e);
                }
                for ev in events {
                    progressed = true;
                    let c = self.app.update(ev, &mut self.m);
                    self.cmds.push(c);
                }
                i += 1;
            }
            if !progressed {
                return;
            }
        }
    }

    fn handle(&mut self, i: usize, e: Effect) {
        match e {
            Effect::Render(_) => {}
            Effect::KeyValue(mut r)
                if self.disk_full && matches!(r.operation, KeyValueOperation::Set { .. }) =>
            {
                r.resolve(KeyValueResult::Err {
                    error: crux_kv::error::KeyValueError::Io {
                        message: "no space left on device".into(),
                    },
                })
                .unwrap();
            }
            Effect::KeyValue(mut r) => {
                let out = match r.operation.clone() {
                    KeyValueOperation::Get { key } => KeyValueResponse::Get {
                        value: self.kv.get(&key).cloned().into(),
                    },
                    KeyValueOperation::Set { key, value } => KeyValueResponse::Set {
                        previous: self.kv.insert(key, value).into(),
                    },
                    KeyValueOperation::Delete { key } => KeyValueResponse::Delete {
                        previous: self.kv.remove(&key).into(),
                    },
                    KeyValueOperation::Exists { key } => KeyValueResponse::Exists {
                        is_present: self.kv.contains_key(&key),
                    },
                    KeyValueOperation::ListKeys { prefix, .. } => KeyValueResponse::ListKeys {
                        keys: self
                            .kv
                            .keys()
                            .filter(|k| k.starts_with(&prefix))
                            .cloned()
                            .collect(),
                        next_cursor: 0,
                    },
                };
                r.resolve(KeyValueResult::Ok { response: out }).unwrap();
            }
            Effect::Time(mut r) => match r.operation.clone() {
                TimeRequest::Now => {
                    let ms = u64::try_from(self.now_ms).unwrap();
                    let instant =
                        TimeInstant::new(ms / 1000, u32::try_from(ms % 1000).unwrap() * 1_000_000);
                    r.resolve(TimeResponse::Now { instant }).unwrap();
                }
                TimeRequest::Clear { id } => r.resolve(TimeResponse::Cleared { id }).unwrap(),
                _ => self.timers.push((i, r)),
            },
            Effect::Http(r) => {
                self.sent.push(r.operation.clone());
                self.http.push_back((i, r));
            }
            Effect::Location(r) => self.location.push((i, r)),
            Effect::Photo(r) => self.photos.push((i, r)),
        }
    }

    /// Answers the oldest HTTP request with `f`.
    pub fn answer(&mut self, f: impl FnOnce(&HttpRequest) -> HttpResult) -> HttpRequest {
        let (_, mut r) = self.http.pop_front().expect("no HTTP request is waiting");
        let req = r.operation.clone();
        r.resolve(f(&req)).unwrap();
        self.settle();
        req
    }

    /// Lets every HTTP request through to `server` until none is waiting
    /// (long polls excepted: they stay out).
    pub fn serve(&mut self, server: &mut FakeServer) {
        while let Some(pos) = self
            .http
            .iter()
            .position(|(_, r)| !r.operation.url.contains("wait="))
        {
            let (_, mut r) = self.http.remove(pos).unwrap();
            let out = server.answer(&r.operation);
            r.resolve(out).unwrap();
            self.settle();
        }
    }

    /// Fires the latest timer.
    pub fn fire_timer(&mut self) -> u64 {
        let (_, mut r) = self.timers.pop().expect("no timer is set");
        let (id, ms) = match &r.operation {
            TimeRequest::NotifyAfter { id, duration } => {
                let d: std::time::Duration = (*duration).into();
                (*id, u64::try_from(d.as_millis()).unwrap())
            }
            other => panic!("not a timer: {other:?}"),
        };
        self.now_ms += i64::try_from(ms).unwrap();
        r.resolve(TimeResponse::DurationElapsed { id }).unwrap();
        self.settle();
        ms
    }

    pub fn long_polls(&self) -> usize {
        self.http
            .iter()
            .filter(|(_, r)| r.operation.url.contains("wait="))
            .count()
    }

    /// Starts the app and logs `user` in against `server`.
    pub fn login(&mut self, server: &mut FakeServer, user: &str) {
        self.send(Event::Start {
            platform: "android".into(),
            app_version: "0.1.0".into(),
        });
        self.send(Event::Login {
            server: SERVER.into(),
            username: user.into(),
            password: "secret-pw".into(),
        });
        self.serve(server);
    }
}

pub fn json_response(status: u16, v: &Value) -> HttpResult {
    HttpResult::Ok(
        HttpResponse::status(status)
            .header("content-type", "application/json")
            .body(v.to_string().into_bytes())
            .build(),
    )
}

/// A stand-in for the server: enough of login, devices, push, pull and
/// snapshot to drive the app's loop. The real server is tested in `tests/`.
pub struct FakeServer {
    pub role: &'static str,
    pub access: String,
    pub refresh: String,
    pub generation: u32,
    pub device: String,
    pub last_applied: u64,
    /// Every mutation applied, in order.
    pub applied: Vec<Mutation>,
    pub log: Vec<Change>,
    pub epoch: String,
    /// Numbers to refuse, with the code.
    pub refuse: BTreeMap<u64, &'static str>,
    pub offline: bool,
    /// `GET /v1/departments`; `None` answers 404, as an older server would.
    pub departments: Option<Value>,
}

impl FakeServer {
    pub fn new(role: &'static str) -> Self {
        Self {
            role,
            access: "access-1".into(),
            refresh: "refresh-1".into(),
            generation: 1,
            device: "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6".into(),
            last_applied: 0,
            applied: Vec::new(),
            log: Vec::new(),
            epoch: "epoch-1".into(),
            refuse: BTreeMap::new(),
            offline: false,
            departments: Some(json!([])),
        }
    }

    /// A new access token; the phone's old one is refused from now on.
    pub fn expire_access(&mut self) {
        self.generation += 1;
        self.access = format!("access-{}", self.generation);
    }

    fn tokens(&self) -> Value {
        json!({"access_token": self.access, "refresh_token": self.refresh, "expires_in": 900, "token_type": "Bearer"})
    }

    pub fn answer(&mut self, r: &HttpRequest) -> HttpResult {
        if self.offline {
            return HttpResult::Err(crux_http::HttpError::Io("network unreachable".into()));
        }
        let path = r.url.strip_prefix(SERVER).unwrap_or(&r.url);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let q: BTreeMap<&str, &str> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .collect();
        let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let authed = r
            .headers
            .iter()
            .any(|h| h.name == "authorization" && h.value == format!("Bearer {}", self.access));
        match path {
            "/v1/auth/login" => json_response(200, &self.tokens()),
            "/v1/auth/refresh" => {
                if body["refresh_token"] == self.refresh.as_str() {
                    self.refresh = format!("refresh-{}", self.generation);
                    json_response(200, &self.tokens())
                } else {
                    json_response(
                        401,
                        &json!({"code": "invalid_refresh_token", "message": "used"}),
                    )
                }
            }
            _ if !authed => json_response(
                401,
                &json!({"code": "unauthenticated", "message": "expired"}),
            ),
            "/v1/me" => json_response(
                200,
                &json!({
                    "id": "0190d7e2-0000-7000-8000-000000000001", "username": "wang", "display_name": "王芳",
                    "roles": [{"role": self.role, "org_unit": {"code": "620725100001001", "name": "一网格"}}]
                }),
            ),
            "/v1/devices" => {
                json_response(201, &json!({"device_id": self.device, "last_applied": 0}))
            }
            "/v1/sync/push" => self.push(&body),
            "/v1/departments" if self.departments.is_some() => {
                json_response(200, self.departments.as_ref().unwrap_or(&Value::Null))
            }
            "/v1/sync/pull" => {
                let from: usize = q.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
                let changes: Vec<Change> = self.log.iter().skip(from).cloned().collect();
                json_response(
                    200,
                    &json!({
                        "protocol": PROTOCOL, "epoch": self.epoch, "changes": changes,
                        "ack": self.last_applied, "cursor": self.log.len().to_string(), "has_more": false
                    }),
                )
            }
            "/v1/sync/snapshot" => {
                let mut latest: BTreeMap<String, Change> = BTreeMap::new();
                for c in &self.log {
                    latest.insert(c.id.clone(), c.clone());
                }
                json_response(
                    200,
                    &json!({
                        "protocol": PROTOCOL, "epoch": self.epoch,
                        "changes": latest.into_values().collect::<Vec<_>>(),
                        "cursor": self.log.len().to_string()
                    }),
                )
            }
            other => json_response(404, &json!({"code": "not_found", "message": other})),
        }
    }

    fn push(&mut self, body: &Value) -> HttpResult {
        let mutations: Vec<Mutation> = serde_json::from_value(body["mutations"].clone()).unwrap();
        let mut results = Vec::new();
        let mut stopped = Value::Null;
        for m in mutations {
            if m.number <= self.last_applied {
                results.push(json!({"number": m.number, "status": "duplicate"}));
                continue;
            }
            if m.number > self.last_applied + 1 {
                stopped = json!({"reason": "gap", "expected": self.last_applied + 1});
                break;
            }
            self.last_applied = m.number;
            if let Some(code) = self.refuse.get(&m.number) {
                results.push(json!({"number": m.number, "status": "rejected", "code": code, "message": "the case has moved on"}));
                continue;
            }
            if m.name == "case.create@1" {
                let id = m.args["id"].as_str().unwrap().to_owned();
                self.upsert_case(
                    &id,
                    "assigned",
                    m.args["category"].as_str().unwrap(),
                    m.args["description"].as_str().unwrap(),
                );
            }
            self.applied.push(m.clone());
            results.push(json!({"number": m.number, "status": "applied"}));
        }
        let mut out =
            json!({"protocol": PROTOCOL, "results": results, "last_applied": self.last_applied});
        if !stopped.is_null() {
            out["stopped"] = stopped;
        }
        json_response(200, &out)
    }

    /// Writes a case into the log as the server would send it, with the
    /// actions of a cadre who has not signed for it yet.
    pub fn upsert_case(&mut self, id: &str, status: &str, category: &str, description: &str) {
        use crate::case::ActionKind as A;
        self.upsert_case_with(id, status, category, description, &[A::SignFor, A::Note]);
    }

    /// Writes a case with the actions the server says this user may take.
    pub fn upsert_case_with(
        &mut self,
        id: &str,
        status: &str,
        category: &str,
        description: &str,
        actions: &[crate::case::ActionKind],
    ) {
        let rev = self.log.iter().filter(|c| c.id == id).count() as i64 + 1;
        let unit = UnitBrief {
            id: "0190d7e2-0000-7000-8000-00000000000a".into(),
            kind: crate::OrgUnitKind::Village,
            code: "620725100001".into(),
            name: "西街村".into(),
        };
        let case = CaseView {
            id: id.parse().unwrap(),
            version: rev,
            status: serde_json::from_value(json!(status)).unwrap(),
            category: category.into(),
            description: description.into(),
            channel: crate::case::Channel::GridPatrol,
            location: PointView {
                lat: 38.8,
                lon: 101.1,
            },
            grid: None,
            distance_m: 0.0,
            tier: TierView {
                index: 1,
                name: "村".into(),
            },
            lead_unit: unit,
            assignee: Some(PersonBrief {
                id: "c1".into(),
                display_name: "李村官".into(),
            }),
            rule: "default".into(),
            sign_by: Some(crate::time::Instant(1_763_800_000_000)),
            deadline: None,
            overdue: false,
            risk: None,
            people_affected: 0,
            amount_yuan: 0,
            parties: None,
            co_handling: vec![],
            supervision: vec![],
            outcome: None,
            summary: None,
            rating: None,
            merged_into: None,
            created_at: crate::time::Instant(1_763_700_000_000),
            updated_at: crate::time::Instant(1_763_700_000_000),
            actions: actions.to_vec(),
            photos: vec![],
        };
        let record = CaseRecord {
            case,
            history: vec![],
        };
        self.log.push(Change {
            seq: self.log.len() as u64 + 1,
            entity: Entity::Case,
            id: id.into(),
            op: ChangeOp::Upsert,
            rev,
            data: Some(serde_json::to_value(record).unwrap()),
        });
    }
}
