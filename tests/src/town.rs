//! A small county for case tests, built in a second: one township with two
//! villages of two square grids each, a judicial office at the township and
//! a labour bureau at the county, and one account per part people play.
//!
//! ```text
//!  county 654023 霍城县 (county-op, supervisor, admin; 人社局: labour)
//!  └ township 654023101 霍城镇 (town-op; 司法所: judicial)
//!    ├ village 654023101201 一村 (cadre1, resident1)
//!    │  ├ grid …201001 (gw1)   ├ grid …201002 (gw1b)
//!    └ village 654023101202 二村 (cadre2)
//!       ├ grid …202001 (gw2)   └ grid …202002
//! ```

#![allow(clippy::unwrap_used)] // a fixture: a failure here is a broken test setup

use crate::{PASSWORD, TestApp};
use gridline_api::clock::ManualClock;
use gridline_api::store::{NewDepartment, NewUser};
use gridline_core::department::DepartmentKind;
use gridline_core::{OrgUnitId, Role, UserId};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// Grid squares are 0.01° on a side, from this south-west corner.
pub const ORIGIN: (f64, f64) = (80.80, 44.05);

pub struct Town {
    pub app: TestApp,
    pub clock: Arc<ManualClock>,
    tokens: HashMap<&'static str, String>,
    pub units: HashMap<&'static str, OrgUnitId>,
}

/// The centre of grid `col`, `row` (0..4, 0..1): villages one (cols 0–1) and two (cols 2–3).
#[must_use]
pub fn grid_centre(col: u32) -> (f64, f64) {
    (ORIGIN.0 + 0.005 + 0.01 * f64::from(col), ORIGIN.1 + 0.005)
}

fn square(col: u32) -> Value {
    let (x, y) = (ORIGIN.0 + 0.01 * f64::from(col), ORIGIN.1);
    json!([[
        [x, y],
        [x + 0.01, y],
        [x + 0.01, y + 0.01],
        [x, y + 0.01],
        [x, y]
    ]])
}

fn feature(col: u32) -> Value {
    let village = if col < 2 {
        ("654023101201", "一村")
    } else {
        ("654023101202", "二村")
    };
    json!({
        "type": "Feature",
        "geometry": { "type": "Polygon", "coordinates": square(col) },
        "properties": {
            "code": format!("{}{:03}", village.0, col % 2 + 1),
            "name": format!("{}第{}网格", village.1, col % 2 + 1),
            "village": { "code": village.0, "name": village.1 },
            "township": { "code": "654023101", "name": "霍城镇" },
            "county": { "code": "654023", "name": "霍城县" }
        }
    })
}

pub const ACCOUNTS: [(&str, Role, &str); 11] = [
    ("admin", Role::Admin, "county"),
    ("county-op", Role::CountyOperator, "county"),
    ("supervisor", Role::Supervisor, "county"),
    ("town-op", Role::TownshipOperator, "township"),
    ("cadre1", Role::VillageCadre, "village1"),
    ("cadre2", Role::VillageCadre, "village2"),
    ("gw1", Role::GridWorker, "grid1"),
    ("gw2", Role::GridWorker, "grid3"),
    ("judicial", Role::DepartmentHandler, "judicial"),
    ("labour", Role::DepartmentHandler, "labour"),
    ("resident1", Role::Resident, "village1"),
];

impl Town {
    /// The town on a clock standing at `now_ms`.
    pub async fn build(now_ms: i64) -> Self {
        let clock = Arc::new(ManualClock::at(now_ms));
        let app = TestApp::spawn_on_clock(clock.clone()).await;
        Self::build_on(app, clock).await
    }

    /// The town on a fresh database of the PostgreSQL `server`, served by
    /// a first replica whose settings `f` adjusts, so that more replicas
    /// can join it ([`TestApp::spawn_replica`]).
    pub async fn build_postgres(
        server: &str,
        now_ms: i64,
        f: impl FnOnce(&mut gridline_api::config::Settings),
    ) -> Self {
        let clock = Arc::new(ManualClock::at(now_ms));
        let app = TestApp::spawn_postgres(server, Some(clock.clone()), f).await;
        Self::build_on(app, clock).await
    }

    async fn build_on(app: TestApp, clock: Arc<ManualClock>) -> Self {
        let doc = json!({ "type": "FeatureCollection", "features": (0..4).map(feature).collect::<Vec<_>>() });
        // One hash for every account: argon2 is slow on purpose.
        let hash = gridline_api::auth::password::hash(PASSWORD).unwrap();
        let store = app.state.store.as_ref();
        let features = gridline_api::spatial::geojson_in::read(
            doc.to_string().as_bytes(),
            gridline_api::spatial::geojson_in::ReadOptions {
                crs: gridline_core::Crs::Wgs84,
                repair: false,
            },
        )
        .unwrap();
        app.state
            .territory
            .import(features, Default::default())
            .await
            .unwrap();
        let t = app.state.territory.current();
        let id = |code: &str| t.unit(t.by_code(code).unwrap()).id;
        let mut units: HashMap<&'static str, OrgUnitId> = HashMap::new();
        units.insert("county", id("654023"));
        units.insert("township", id("654023101"));
        units.insert("village1", id("654023101201"));
        units.insert("village2", id("654023101202"));
        units.insert("grid1", id("654023101201001"));
        units.insert("grid2", id("654023101201002"));
        units.insert("grid3", id("654023101202001"));
        units.insert("grid4", id("654023101202002"));
        for (key, kind, code, name, parent) in [
            (
                "judicial",
                DepartmentKind::JudicialOffice,
                "654023101-sfs",
                "霍城镇司法所",
                "township",
            ),
            (
                "labour",
                DepartmentKind::Labour,
                "654023-rsj",
                "霍城县人社局",
                "county",
            ),
        ] {
            let dept = OrgUnitId::new();
            store
                .add_department(&NewDepartment {
                    id: dept,
                    kind,
                    code: code.into(),
                    name: name.into(),
                    parent_id: units[parent],
                })
                .await
                .unwrap();
            units.insert(key, dept);
        }
        app.state.territory.refresh_if_changed().await.unwrap();
        for (username, role, unit) in ACCOUNTS {
            store
                .create_user(&NewUser {
                    id: UserId::new(),
                    username: username.into(),
                    display_name: format!("{username} 的名字"),
                    password_hash: hash.clone(),
                    roles: vec![(role, units[unit])],
                })
                .await
                .unwrap();
        }
        let mut tokens = HashMap::new();
        for (username, _, _) in ACCOUNTS {
            tokens.insert(username, app.login(username).await.access_token);
        }
        Self {
            app,
            clock,
            tokens,
            units,
        }
    }

    #[must_use]
    pub fn token(&self, user: &str) -> &str {
        &self.tokens[user]
    }

    pub async fn post(&self, user: &str, path: &str, body: &Value) -> (reqwest::StatusCode, Value) {
        let r = self
            .app
            .client
            .post(self.app.url(path))
            .bearer_auth(self.token(user))
            .json(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, user: &str, path: &str) -> (reqwest::StatusCode, Value) {
        self.app.get(path, self.token(user)).await
    }

    /// Reports a case as `user` at grid column `col`; panics unless created.
    pub async fn report(&self, user: &str, col: u32, category: &str, extra: Value) -> Value {
        let (lon, lat) = grid_centre(col);
        let mut body = json!({
            "category": category,
            "description": "测试案件",
            "location": { "lat": lat, "lon": lon },
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let (status, case) = self.post(user, "/v1/cases", &body).await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{case}");
        case
    }

    /// Acts on a case; returns status and body.
    pub async fn act(
        &self,
        user: &str,
        case: &Value,
        action: Value,
    ) -> (reqwest::StatusCode, Value) {
        let id = case["id"].as_str().unwrap();
        self.post(user, &format!("/v1/cases/{id}/actions"), &action)
            .await
    }

    /// Acts and insists it worked.
    pub async fn ok(&self, user: &str, case: &Value, action: Value) -> Value {
        let (status, body) = self.act(user, case, action.clone()).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{user} {action}: {body}");
        body
    }
}
