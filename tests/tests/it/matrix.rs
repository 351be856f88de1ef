//! The authorization matrix: every endpoint the server has × every role
//! (and no one) × a subject in the caller's jurisdiction, outside it, and
//! someone else's own. The endpoints come from `/openapi.json`, which the
//! router builds from its own registrations, so a route added without a row
//! here fails [`every_endpoint_every_role_every_standing`] by name.
//!
//! Each cell says what the centres expect (allowed, hidden as 404, refused
//! as 403, or not signed in), written from the roles' work rather than from
//! the code. Every successful answer is also searched for the parties' and
//! contacts' details of each case and for the ids of cases in the other
//! county: finding one where the caller may not see it is a leak.

use gridline_api::store::NewUser;
use gridline_core::{OrgUnitId, Role, UserId};
use gridline_tests::photo::{Uploader, jpeg, meta};
use gridline_tests::town::{ACCOUNTS, Town, grid_centre};
use gridline_tests::{PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

/// What the cell should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// 2xx.
    Ok,
    /// Past the access checks: anything but 401, 403 and 404 (the content
    /// may still be refused, as a state conflict or a rate limit).
    Passes,
    /// A 4xx other than 401, 403 and 404: the request itself is refused
    /// (it names something that is not the caller's), nothing changes.
    Refused,
    /// 404: the subject's existence is not confirmed.
    Hidden,
    /// 403: seen, but this role may not do it.
    Denied,
    /// 401: not signed in.
    Unauth,
}

impl Want {
    fn admits(self, s: StatusCode) -> bool {
        match self {
            Want::Ok => s.is_success(),
            Want::Passes => ![
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND,
            ]
            .contains(&s),
            Want::Refused => s.is_client_error() && Want::Passes.admits(s),
            Want::Hidden => s == StatusCode::NOT_FOUND,
            Want::Denied => s == StatusCode::FORBIDDEN,
            Want::Unauth => s == StatusCode::UNAUTHORIZED,
        }
    }
}

/// A caller: an account of the town, one of the other county, or no one.
struct Who {
    name: &'static str,
    role: Option<Role>,
    token: Option<String>,
}

impl Who {
    fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.name)
    }
    fn admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }
}

/// Who may read each case, and who may see its parties or contact.
struct Reach {
    read: &'static [&'static str],
    parties: &'static [&'static str],
}

/// Case A: a dispute gw1 reported in grid 1 and handles.
const A: Reach = Reach {
    read: &[
        "admin",
        "county-op",
        "supervisor",
        "town-op",
        "cadre1",
        "gw1",
    ],
    parties: &["admin", "county-op", "supervisor", "town-op", "gw1"],
};
/// Case B: a dispute gw9 reported in the other county.
const B: Reach = Reach {
    read: &["admin", "gw9", "op9"],
    parties: &["admin", "gw9", "op9"],
};
/// Case R1: resident1's own noise complaint in grid 2, waiting for a centre.
const R1: Reach = Reach {
    read: &[
        "admin",
        "county-op",
        "supervisor",
        "town-op",
        "cadre1",
        "resident1",
    ],
    parties: &["admin", "county-op", "supervisor", "town-op"],
};
/// Case R2: resident2's own, in grid 1: someone else's to resident1. It
/// waits for a centre with grid 1 as its lead unit, so gw1 handles it.
const R2: Reach = Reach {
    read: &[
        "admin",
        "county-op",
        "supervisor",
        "town-op",
        "cadre1",
        "gw1",
        "resident2",
    ],
    parties: &["admin", "county-op", "supervisor", "town-op", "gw1"],
};
/// Case O: a resident's request through Open311 in grid 1, with a contact.
/// Grid 1 leads it, so its grid worker handles it.
const O: Reach = Reach {
    read: A.read,
    parties: &["admin", "county-op", "supervisor", "town-op", "gw1"],
};

/// What the cases carry that only some may see.
const A_SECRETS: [&str; 3] = ["矩阵甲方", "13900139001", "11010519491231002X"];
const B_SECRETS: [&str; 2] = ["矩阵乙方", "13900139002"];
const O_SECRETS: [&str; 2] = ["matrix-o@example.org", "13900139003"];

/// The other county: one grid east of the town.
const COUNTY2: &str = "654024";
const GRID9: &str = "654024101201001";

fn grid9_centre() -> (f64, f64) {
    (80.905, 44.055)
}

fn county2_feature() -> Value {
    let (x, y) = (80.90, 44.05);
    json!({
        "type": "Feature",
        "geometry": { "type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
        "properties": {
            "code": GRID9, "name": "别县第1网格",
            "village": { "code": "654024101201", "name": "别村" },
            "township": { "code": "654024101", "name": "别镇" },
            "county": { "code": COUNTY2, "name": "别县" }
        }
    })
}

/// The town, the other county and one of everything to ask about.
struct World {
    town: Town,
    who: Vec<Who>,
    a: String,
    b: String,
    r1: String,
    r2: String,
    o: String,
    watch_in: String,
    watch_out: String,
    /// Each account's own device.
    device: HashMap<&'static str, String>,
    upload_gw1: String,
    /// A second phone of gw1's, for the admin to revoke.
    spare_device: String,
    blob_a: (String, usize),
    blob_b: (String, usize),
    api_key: String,
    key_id: String,
    webhook: String,
}

async fn add_user(town: &Town, name: &str, role: Role, unit: OrgUnitId) {
    let hash = gridline_api::auth::password::hash(PASSWORD).unwrap();
    town.app
        .state
        .store
        .create_user(&NewUser {
            id: UserId::new(),
            username: name.into(),
            display_name: format!("{name} 的名字"),
            password_hash: hash,
            roles: vec![(role, unit)],
        })
        .await
        .unwrap();
}

async fn report_as(
    app: &TestApp,
    token: &str,
    (lon, lat): (f64, f64),
    category: &str,
    extra: Value,
) -> String {
    let mut body = json!({ "category": category, "description": "矩阵测试", "location": { "lat": lat, "lon": lon } });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, c) = app.post_json("/v1/cases", token, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

/// Attaches a photo to `case` and uploads its bytes: its digest and size.
async fn photo_on(
    app: &TestApp,
    token: &str,
    case: &str,
    seed: u64,
    send: bool,
) -> (String, usize) {
    let bytes = jpeg(64, 48, seed);
    let m = meta(&uuid::Uuid::now_v7().to_string(), &bytes, "image/jpeg");
    let (s, c) = app
        .post_json(&format!("/v1/cases/{case}/photos"), token, &m)
        .await;
    assert!(s.is_success(), "{c}");
    if send {
        let (s, st) = Uploader { app, token }.send_all(&bytes, "image/jpeg").await;
        assert_eq!(s, StatusCode::OK, "{st}");
    }
    (m["sha256"].as_str().unwrap().to_owned(), bytes.len())
}

async fn watch_at(app: &TestApp, token: &str, (lon, lat): (f64, f64)) -> String {
    let body = json!({ "kind": "household", "label": "马家", "location": { "lat": lat, "lon": lon },
                       "level": "low", "reason": "婚姻家庭矛盾" });
    let (s, w) = app.post_json("/v1/watches", token, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    w["id"].as_str().unwrap().to_owned()
}

impl World {
    async fn build() -> Self {
        let town = Town::build(1_762_131_600_000).await; // 2025-11-03 09:00 China time
        let features = gridline_api::spatial::geojson_in::read(
            json!({ "type": "FeatureCollection", "features": [county2_feature()] })
                .to_string()
                .as_bytes(),
            gridline_api::spatial::geojson_in::ReadOptions {
                crs: gridline_core::Crs::Wgs84,
                repair: false,
            },
        )
        .unwrap();
        let st = &town.app.state;
        st.territory
            .import(features, Default::default())
            .await
            .unwrap();
        let t = st.territory.current();
        let unit = |code: &str| t.unit(t.by_code(code).unwrap()).id;
        add_user(&town, "gw9", Role::GridWorker, unit(GRID9)).await;
        add_user(&town, "op9", Role::CountyOperator, unit(COUNTY2)).await;
        add_user(&town, "resident2", Role::Resident, town.units["village1"]).await;
        add_user(&town, "spare1", Role::GridWorker, town.units["grid2"]).await;
        add_user(&town, "spare9", Role::GridWorker, unit(GRID9)).await;

        let mut who = vec![
            Who {
                name: "nobody",
                role: None,
                token: None,
            },
            Who {
                name: "forged",
                role: None,
                token: Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl".into()),
            },
        ];
        for (name, role, _) in ACCOUNTS {
            who.push(Who {
                name,
                role: Some(role),
                token: Some(town.token(name).to_owned()),
            });
        }
        for (name, role) in [
            ("resident2", Role::Resident),
            ("gw9", Role::GridWorker),
            ("op9", Role::CountyOperator),
        ] {
            who.push(Who {
                name,
                role: Some(role),
                token: Some(town.app.login(name).await.access_token),
            });
        }
        let tok = |name: &str| {
            who.iter()
                .find(|w| w.name == name)
                .and_then(|w| w.token.clone())
                .unwrap()
        };
        let app = &town.app;
        let a = report_as(app, &tok("gw1"), grid_centre(0), "neighbour_dispute",
            json!({ "parties": [{ "name": A_SECRETS[0], "phone": A_SECRETS[1], "id_number": A_SECRETS[2] }] })).await;
        let b = report_as(
            app,
            &tok("gw9"),
            grid9_centre(),
            "neighbour_dispute",
            json!({ "parties": [{ "name": B_SECRETS[0], "phone": B_SECRETS[1] }] }),
        )
        .await;
        let r1 = report_as(app, &tok("resident1"), grid_centre(1), "noise", json!({})).await;
        let r2 = report_as(app, &tok("resident2"), grid_centre(0), "noise", json!({})).await;
        let (lon, lat) = grid_centre(0);
        let form = format!(
            "jurisdiction_id=654023&service_code=noise&lat={lat}&long={lon}&description=%E5%A4%9C%E9%97%B4%E5%99%AA%E9%9F%B3&email={}&phone={}&first_name=%E7%8E%8B",
            O_SECRETS[0], O_SECRETS[1]
        );
        let r = app
            .client
            .post(app.url("/open311/v2/requests.json"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let posted: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{posted}");
        let o = posted[0]["service_request_id"].as_str().unwrap().to_owned();
        let watch_in = watch_at(app, &tok("gw1"), grid_centre(0)).await;
        let watch_out = watch_at(app, &tok("gw9"), grid9_centre()).await;
        let mut device = HashMap::new();
        for w in &who {
            if let Some(t) = &w.token
                && w.role.is_some()
            {
                let (s, d) = app
                    .post_json(
                        "/v1/devices",
                        t,
                        &json!({ "platform": "android", "app_version": "0.1.0" }),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{d}");
                device.insert(w.name, d["device_id"].as_str().unwrap().to_owned());
            }
        }
        let (s, d) = app
            .post_json(
                "/v1/devices",
                &tok("gw1"),
                &json!({ "platform": "android", "app_version": "0.1.0" }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let spare_device = d["device_id"].as_str().unwrap().to_owned();
        let blob_a = photo_on(app, &tok("gw1"), &a, 1, true).await;
        let blob_b = photo_on(app, &tok("gw9"), &b, 2, true).await;
        let (pending, size) = photo_on(app, &tok("gw1"), &a, 3, false).await;
        let (s, st) = app
            .post_json(
                "/v1/uploads",
                &tok("gw1"),
                &json!({ "sha256": pending, "bytes": size, "mime": "image/jpeg" }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{st}");
        let upload_gw1 = st["upload_id"].as_str().unwrap().to_owned();
        let (key_id, api_key) = app.api_key(&tok("admin"), "12345", "hotline_12345").await;
        let (s, hook) = app
            .post_json(
                "/v1/webhooks",
                &tok("admin"),
                &json!({ "url": "http://127.0.0.1:9/hook", "api_key_id": key_id }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{hook}");
        let webhook = hook["id"].as_str().unwrap().to_owned();
        Self {
            town,
            who,
            a,
            b,
            r1,
            r2,
            o,
            watch_in,
            watch_out,
            device,
            upload_gw1,
            spare_device,
            blob_a,
            blob_b,
            api_key,
            key_id,
            webhook,
        }
    }
}

/// One request of the matrix.
struct Cell {
    subject: &'static str,
    method: Method,
    path: String,
    body: Body,
    want: Want,
}

enum Body {
    None,
    Json(Value),
    Form(String),
    Bytes(Vec<u8>, Vec<(&'static str, String)>),
}

/// `want` for a signed-in caller, 401 for no one.
fn signed_in(who: &Who, want: Want) -> Want {
    if who.role.is_none() {
        Want::Unauth
    } else {
        want
    }
}

fn admin_only(who: &Who) -> Want {
    signed_in(who, if who.admin() { Want::Ok } else { Want::Denied })
}

/// Reads of a case: allowed to its readers, hidden from everyone else.
fn reads(who: &Who, r: &Reach) -> Want {
    signed_in(
        who,
        if who.is(r.read) {
            Want::Ok
        } else {
            Want::Hidden
        },
    )
}

/// Allowed, though the content may be refused.
fn past(want: Want) -> Want {
    if want == Want::Ok { Want::Passes } else { want }
}

/// The cells of one endpoint for one caller, or `None` for an endpoint with
/// no row (which fails the test).
#[allow(clippy::too_many_lines)]
fn cells(w: &World, who: &Who, method: &Method, path: &str) -> Option<Vec<Cell>> {
    let cell = |subject: &'static str, path: String, body: Body, want: Want| Cell {
        subject,
        method: method.clone(),
        path,
        body,
        want,
    };
    let one = |body: Body, want: Want| vec![cell("-", path.to_owned(), body, want)];
    let (lon, lat) = grid_centre(0);
    let cases = [
        ("A", &w.a, &A),
        ("B", &w.b, &B),
        ("R1", &w.r1, &R1),
        ("R2", &w.r2, &R2),
    ];
    let per_case = |suffix: &str, body: &dyn Fn() -> Body, want: &dyn Fn(&str, &Reach) -> Want| {
        cases
            .iter()
            .map(|(label, id, reach)| {
                cell(
                    label,
                    format!("/v1/cases/{id}{suffix}"),
                    body(),
                    want(label, reach),
                )
            })
            .collect::<Vec<_>>()
    };
    let m = method.as_str();
    Some(match (m, path) {
        ("GET", "/healthz" | "/metrics" | "/openapi.json") => one(Body::None, Want::Ok),
        ("GET", "/open311/v2/{file}" | "/open311/test/v2/{file}") => {
            let base = path.trim_end_matches("/{file}");
            ["discovery.json", "services.json?jurisdiction_id=654023", "requests.json?jurisdiction_id=654023", "requests.xml?jurisdiction_id=654023"]
                .iter()
                .map(|f| cell("-", format!("{base}/{f}"), Body::None, Want::Ok))
                .collect()
        }
        ("GET", "/open311/v2/services/{file}" | "/open311/test/v2/services/{file}") => {
            let base = path.trim_end_matches("/services/{file}");
            vec![cell("-", format!("{base}/services/noise.json?jurisdiction_id=654023"), Body::None, Want::Ok)]
        }
        // Public by the spec: a resident's request may be followed by anyone,
        // a dispute never (and the leak search checks every answer).
        ("GET", "/open311/v2/requests/{file}") => [("O", &w.o, "654023", Want::Ok), ("A", &w.a, "654023", Want::Hidden), ("B", &w.b, COUNTY2, Want::Hidden)]
            .iter()
            .map(|(l, id, county, want)| {
                cell(l, format!("/open311/v2/requests/{id}.json?jurisdiction_id={county}"), Body::None, *want)
            })
            .collect(),
        ("GET", "/open311/test/v2/requests/{file}") => {
            vec![cell("O", format!("/open311/test/v2/requests/{}.json", w.o), Body::None, Want::Passes)]
        }
        ("GET", "/open311/v2/tokens/{file}") => {
            vec![cell("O", format!("/open311/v2/tokens/{}.json?jurisdiction_id=654023", w.o), Body::None, Want::Ok)]
        }
        // The test endpoint stores nothing, so no token of it stands for a request.
        ("GET", "/open311/test/v2/tokens/{file}") => {
            vec![cell("O", format!("/open311/test/v2/tokens/{}.json?jurisdiction_id=654023", w.o), Body::None, Want::Hidden)]
        }
        ("POST", "/open311/v2/{file}" | "/open311/test/v2/{file}") => {
            // Public by the spec; posted once as no one (an hourly limit
            // per address applies), and with a bearer token it is the same.
            if who.name != "nobody" {
                return Some(vec![]);
            }
            let base = path.trim_end_matches("/{file}");
            vec![cell(
                "-",
                format!("{base}/requests.json"),
                Body::Form(format!("jurisdiction_id=654023&service_code=noise&lat={lat}&long={lon}&description=matrix")),
                Want::Ok,
            )]
        }
        ("POST", "/v1/auth/login") => one(
            Body::Json(json!({ "username": who.name, "password": "not the password" })),
            Want::Unauth,
        ),
        ("POST", "/v1/auth/refresh") => one(
            Body::Json(json!({ "refresh_token": "glr_not-a-token" })),
            Want::Unauth,
        ),
        // A session of its own, so the others stay signed in (logout_revokes… covers the rest).
        ("POST", "/v1/auth/logout") => one(Body::None, signed_in(who, Want::Passes)),
        ("GET", "/v1/me" | "/v1/categories" | "/v1/routing-rules" | "/v1/calendar" | "/v1/departments" | "/v1/watches" | "/v1/cases" | "/v1/grids" | "/v1/org-units") => {
            one(Body::None, signed_in(who, Want::Ok))
        }
        // Figures are for the people who work cases, not for residents.
        ("GET", "/v1/stats" | "/v1/stats/map") => {
            one(Body::None, signed_in(who, if who.role == Some(Role::Resident) { Want::Denied } else { Want::Ok }))
        }
        ("GET", "/v1/locate") => vec![cell("-", format!("/v1/locate?lat={lat}&lon={lon}"), Body::None, signed_in(who, Want::Ok))],
        ("GET", "/v1/ladders/{county}") => [("in", "654023"), ("out", COUNTY2)]
            .iter()
            .map(|(l, c)| cell(l, format!("/v1/ladders/{c}"), Body::None, signed_in(who, Want::Ok)))
            .collect(),
        ("PUT", "/v1/ladders/{county}") => vec![cell("out", format!("/v1/ladders/{COUNTY2}"), Body::Json(json!({ "rungs": [] })), signed_in(who, if who.admin() { Want::Passes } else { Want::Denied }))],
        ("PUT", "/v1/routing-rules") => one(Body::Json(json!("not rules")), signed_in(who, if who.admin() { Want::Passes } else { Want::Denied })),
        ("PUT", "/v1/calendar/{date}") => vec![cell("-", "/v1/calendar/2026-10-01".into(), Body::Json(json!({ "kind": "holiday", "name": "国庆" })), admin_only(who))],
        ("DELETE", "/v1/calendar/{date}") => vec![cell("-", "/v1/calendar/2031-01-01".into(), Body::None, signed_in(who, if who.admin() { Want::Hidden } else { Want::Denied }))],
        ("POST", "/v1/departments") => one(Body::Json(json!({ "kind": "court", "code": format!("m-{}", who.name), "name": "法庭", "parent": "654023101" })), admin_only(who)),
        // One's own duty at a unit one holds a role at; naming another unit is refused.
        ("PUT", "/v1/duty") => [("in", "654023101201001"), ("out", GRID9)]
            .iter()
            .map(|(l, unit)| {
                let own = (who.name == "gw1" && *l == "in") || (who.name == "gw9" && *l == "out");
                cell(l, path.to_owned(), Body::Json(json!({ "unit": unit, "on_duty": true })),
                    signed_in(who, if own { Want::Ok } else { Want::Refused }))
            })
            .collect(),
        ("POST", "/v1/users") => one(Body::Json(json!({ "username": format!("new-{}", who.name), "display_name": "新人", "password": PASSWORD,
                     "roles": [{ "role": "grid_worker", "unit": "654023101201002" }] })), admin_only(who)),
        ("PUT", "/v1/users/{username}/password") => [("in", "spare1"), ("out", "spare9")]
            .iter()
            .map(|(l, u)| cell(l, format!("/v1/users/{u}/password"), Body::Json(json!({ "password": PASSWORD })), admin_only(who)))
            .collect(),
        // A person's data: the admin's alone. The erasure names nobody here,
        // so the rest of the matrix keeps its parties.
        ("POST", "/v1/privacy/export") => one(Body::Json(json!({ "phone": A_SECRETS[1], "email": O_SECRETS[0] })), admin_only(who)),
        ("POST", "/v1/privacy/erase") => one(Body::Json(json!({ "phone": "13900139999" })), admin_only(who)),
        ("GET", "/v1/audit/actions" | "/v1/audit/reads") => one(Body::None, admin_only(who)),
        ("POST", "/v1/grids/import") => one(
            Body::Json(json!({ "type": "FeatureCollection", "features": [county2_feature()] })),
            signed_in(who, if who.is(&["admin", "op9"]) { Want::Passes } else { Want::Denied }),
        ),
        ("POST", "/v1/api-keys") => one(Body::Json(json!({ "name": "m", "source": "police_110", "county": "654023" })), admin_only(who)),
        ("GET", "/v1/api-keys" | "/v1/webhooks") => one(Body::None, admin_only(who)),
        ("DELETE", "/v1/api-keys/{id}") => vec![cell("-", "/v1/api-keys/00000000-0000-7000-8000-000000000000".into(), Body::None, signed_in(who, if who.admin() { Want::Hidden } else { Want::Denied }))],
        ("POST", "/v1/webhooks") => one(Body::Json(json!({ "url": "http://127.0.0.1:9/m", "api_key_id": w.key_id })), admin_only(who)),
        ("GET", "/v1/webhooks/{id}/deliveries") => vec![cell("-", format!("/v1/webhooks/{}/deliveries", w.webhook), Body::None, admin_only(who))],
        // A source's API key, never a bearer token; the empty transfer itself is refused.
        ("POST", "/v1/transfers") => {
            let mut out = one(Body::Json(json!({})), Want::Unauth);
            if who.name == "nobody" {
                let headers = vec![("X-Api-Key", w.api_key.clone()), ("Content-Type", "application/json".into())];
                out.push(cell("key", path.to_owned(), Body::Bytes(b"{}".to_vec(), headers), Want::Passes));
            }
            out
        }
        ("POST", "/v1/cases") => one(
            Body::Json(json!({ "category": "noise", "description": "矩阵", "location": { "lat": lat, "lon": lon } })),
            signed_in(who, if who.role.is_some_and(|r| matches!(r, Role::DepartmentHandler | Role::Supervisor)) { Want::Denied } else { Want::Ok }),
        ),
        ("GET", "/v1/cases/{id}") => per_case("", &|| Body::None, &|_, r| reads(who, r)),
        ("GET", "/v1/cases/{id}/history") => per_case("/history", &|| Body::None, &|_, r| reads(who, r)),
        ("GET", "/v1/cases/{id}/duplicates") => per_case("/duplicates", &|| Body::None, &|_, r| reads(who, r)),
        ("POST", "/v1/cases/{id}/actions" | "/v1/cases/{id}/photos") => {
            // A note: the handler, the reporter and those above may add one;
            // a reader who only sits in the area may not.
            let may_note = |label: &str| {
                let handlers: &[&str] = match label {
                    "A" => &["gw1"],
                    "B" => &["gw9"],
                    "R1" => &["resident1"],
                    _ => &["resident2", "gw1"],
                };
                let handling = who.is(handlers);
                handling || who.is(&["admin", "county-op", "supervisor", "town-op", "op9"])
            };
            let note = |label: &str, r: &Reach| match reads(who, r) {
                Want::Ok if may_note(label) => Want::Ok,
                Want::Ok => Want::Denied,
                other => other,
            };
            if path.ends_with("/actions") {
                per_case("/actions", &|| Body::Json(json!({ "action": "note", "text": "矩阵" })), &note)
            } else {
                // Adding a photo is like adding a note; the photo itself is
                // then refused (its digest names bytes never sent).
                per_case("/photos", &|| Body::Json(meta(&uuid::Uuid::now_v7().to_string(), b"not stored", "image/jpeg")), &|l, r| past(note(l, r)))
            }
        }
        ("GET", "/v1/cases/{id}/contact") => [("O", &w.o, &O), ("A", &w.a, &A)]
            .iter()
            .map(|(l, id, r)| {
                let want = match reads(who, r) {
                    // A case from inside has no outside contact.
                    Want::Ok if *l == "A" && who.is(r.parties) => Want::Hidden,
                    Want::Ok if who.is(r.parties) => Want::Ok,
                    Want::Ok => Want::Denied,
                    other => other,
                };
                cell(l, format!("/v1/cases/{id}/contact"), Body::None, want)
            })
            .collect(),
        ("GET" | "HEAD", "/v1/blobs/{sha256}") => [("A", &w.blob_a.0, &A), ("B", &w.blob_b.0, &B)]
            .iter()
            .map(|(l, sha, r)| cell(l, format!("/v1/blobs/{sha}"), Body::None, reads(who, r)))
            .collect(),
        // Sending a photo's bytes: for a photo on a case the caller can see.
        ("POST", "/v1/uploads") => [("A", &w.blob_a, &A), ("B", &w.blob_b, &B)]
            .iter()
            .map(|(l, (sha, size), r)| cell(l, path.to_owned(), Body::Json(json!({ "sha256": sha, "bytes": size, "mime": "image/jpeg" })), reads(who, r)))
            .collect(),
        ("PUT", "/v1/uploads/{id}/chunks/{n}") => vec![cell("gw1's", format!("/v1/uploads/{}/chunks/0", w.upload_gw1), Body::Bytes(b"x".to_vec(), vec![("X-Chunk-Sha256", gridline_tests::photo::sha256_hex(b"x"))]),
            signed_in(who, if who.is(&["gw1"]) { Want::Passes } else { Want::Hidden }))],
        ("POST", "/v1/uploads/{id}/complete") => vec![cell("gw1's", format!("/v1/uploads/{}/complete", w.upload_gw1), Body::None,
            signed_in(who, if who.is(&["gw1"]) { Want::Passes } else { Want::Hidden }))],
        ("POST", "/v1/watches") => [("in", grid_centre(0)), ("out", grid9_centre())]
            .iter()
            .map(|(l, (lon, lat))| {
                let may = if *l == "in" { who.is(&["admin", "county-op", "town-op", "cadre1", "gw1"]) } else { who.is(&["admin", "op9", "gw9"]) };
                cell(l, path.to_owned(), Body::Json(json!({ "kind": "household", "label": "牛家", "location": { "lat": lat, "lon": lon }, "level": "low", "reason": "矩阵" })),
                    signed_in(who, if may { Want::Ok } else { Want::Denied }))
            })
            .collect(),
        ("GET" | "POST", "/v1/watches/{id}" | "/v1/watches/{id}/level" | "/v1/watches/{id}/visits") => {
            let suffix = path.trim_start_matches("/v1/watches/{id}");
            [("in", &w.watch_in), ("out", &w.watch_out)]
                .iter()
                .map(|(l, id)| {
                    let (read, write): (&[&str], &[&str]) = if *l == "in" {
                        (&["admin", "county-op", "supervisor", "town-op", "cadre1", "gw1"], &["admin", "county-op", "town-op", "cadre1", "gw1"])
                    } else {
                        (&["admin", "op9", "gw9"], &["admin", "op9", "gw9"])
                    };
                    let want = if !who.is(read) {
                        Want::Hidden
                    } else if m == "GET" || who.is(write) {
                        if suffix == "/level" { Want::Passes } else { Want::Ok }
                    } else {
                        Want::Denied
                    };
                    let body = match suffix {
                        "/level" => Body::Json(json!({ "level": "medium", "reason": "矩阵" })),
                        "/visits" => Body::Json(json!({ "note": "矩阵走访" })),
                        _ => Body::None,
                    };
                    cell(l, format!("/v1/watches/{id}{suffix}"), body, signed_in(who, want))
                })
                .collect()
        }
        ("POST", "/v1/devices") => one(Body::Json(json!({ "platform": "ios", "app_version": "0.1.0" })), signed_in(who, Want::Ok)),
        ("GET", "/v1/devices/{id}") => device_cells(w, who, |id| cell("", format!("/v1/devices/{id}"), Body::None, Want::Ok)),
        // Revoking another's device: an admin may (a lost phone), nobody else
        // learns it exists (one's own is revoked in sync.rs).
        ("DELETE", "/v1/devices/{id}") => vec![cell("gw1's spare", format!("/v1/devices/{}", w.spare_device), Body::None,
            signed_in(who, if who.admin() || who.is(&["gw1"]) { Want::Ok } else { Want::Hidden }))],
        ("POST", "/v1/sync/push") => device_cells(w, who, |id| cell("", path.to_owned(), Body::Json(json!({ "device_id": id, "mutations": [] })), Want::Ok)),
        ("GET", "/v1/sync/pull" | "/v1/sync/snapshot") => device_cells(w, who, |id| cell("", format!("{path}?device_id={id}"), Body::None, Want::Ok)),
        _ => return None,
    })
}

/// The caller's own device (allowed) and another's (hidden).
fn device_cells(w: &World, who: &Who, make: impl Fn(&str) -> Cell) -> Vec<Cell> {
    let other = if who.name == "gw2" { "gw1" } else { "gw2" };
    let mut out = Vec::new();
    if let Some(own) = w.device.get(who.name) {
        let mut c = make(own);
        c.subject = "own";
        c.want = signed_in(who, c.want);
        out.push(c);
    }
    let mut c = make(&w.device[other]);
    c.subject = "another's";
    c.want = signed_in(who, Want::Hidden);
    out.push(c);
    out
}

/// Every `(method, path)` the OpenAPI document lists.
async fn endpoints(app: &TestApp) -> Vec<(Method, String)> {
    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if let Ok(m) = Method::from_bytes(method.to_uppercase().as_bytes())
                && method != "parameters"
            {
                out.push((m, path.clone()));
            }
        }
    }
    out.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    out
}

#[tokio::test]
async fn every_endpoint_every_role_every_standing() {
    let w = World::build().await;
    let app = &w.town.app;
    let ops = endpoints(app).await;
    let missing: Vec<String> = ops
        .iter()
        .filter(|(m, p)| cells(&w, &w.who[0], m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the matrix: {missing:?}"
    );
    let secrets: [(&[&str], &Reach); 3] = [(&A_SECRETS, &A), (&B_SECRETS, &B), (&O_SECRETS, &O)];
    let (mut tried, mut wrong, mut leaks) = (0usize, Vec::new(), Vec::new());
    let mut roles_seen = BTreeSet::new();
    for (method, path) in &ops {
        for who in &w.who {
            let token = if path == "/v1/auth/logout" && who.role.is_some() {
                Some(app.login(who.name).await.access_token)
            } else {
                who.token.clone()
            };
            for c in cells(&w, who, method, path).unwrap() {
                let mut req = app.client.request(c.method.clone(), app.url(&c.path));
                if let Some(t) = &token {
                    req = req.bearer_auth(t);
                }
                req = match &c.body {
                    Body::None => req,
                    Body::Json(v) => req.json(v),
                    Body::Form(f) => req
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(f.clone()),
                    Body::Bytes(b, headers) => {
                        let mut r = req.body(b.clone());
                        for (k, v) in headers {
                            r = r.header(*k, v);
                        }
                        r
                    }
                };
                let r = req.send().await.unwrap();
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                tried += 1;
                if let Some(role) = who.role {
                    roles_seen.insert(format!("{role:?}"));
                }
                if !c.want.admits(status) {
                    wrong.push(format!(
                        "{} {} as {} ({}): want {:?}, got {status}: {}",
                        c.method,
                        c.path,
                        who.name,
                        c.subject,
                        c.want,
                        text.chars().take(160).collect::<String>()
                    ));
                }
                if status.is_success() {
                    for (words, reach) in &secrets {
                        if !who.is(reach.parties) && words.iter().any(|s| text.contains(s)) {
                            leaks.push(format!(
                                "{} {} as {}: personal data of a case",
                                c.method, c.path, who.name
                            ));
                        }
                    }
                    let county2 = who.is(&["gw9", "op9"]);
                    let foreign: &[&String] = if county2 {
                        &[&w.a, &w.r1, &w.r2, &w.o]
                    } else if who.admin() {
                        &[]
                    } else {
                        &[&w.b]
                    };
                    if foreign.iter().any(|id| text.contains(id.as_str()))
                        && !c.path.starts_with("/open311/")
                    {
                        leaks.push(format!(
                            "{} {} as {}: a case of another county",
                            c.method, c.path, who.name
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "authorization matrix: {} endpoints, {} callers ({} roles), {tried} cells, {} wrong, {} leaks",
        ops.len(),
        w.who.len(),
        roles_seen.len(),
        wrong.len(),
        leaks.len()
    );
    assert!(
        wrong.is_empty() && leaks.is_empty(),
        "{} cells wrong:\n{}\n{} leaks:\n{}",
        wrong.len(),
        wrong.join("\n"),
        leaks.len(),
        leaks.join("\n")
    );
    assert_eq!(roles_seen.len(), Role::ALL.len(), "every role tried");
    assert!(tried > 1000, "only {tried} cells");
}
