//! Open311 `POST requests`: a resident's request becomes a case routed as
//! the app's would be and is followed through `GET request`; trusted
//! systems use API keys; anonymous senders are rate-limited; the test
//! endpoint stores nothing; bad input gets the spec's errors and creates
//! nothing.

use crate::open311::{json_of, xml_as_json};
use crate::open311_schema::{Shape, assert_valid};
use gridline_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

const WORKER_GRID: &str = "620725101201001";

/// A form's fields in order.
type Form = Vec<(&'static str, String)>;

/// Posts a form; status, content type and body.
async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, String)],
) -> (StatusCode, String, String) {
    let r = app
        .client
        .post(app.url(path))
        .header("accept-language", "zh-CN")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let ty = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ty, r.text().await.unwrap())
}

/// Posts to `requests.json`; a success is checked against its schema.
async fn post_json(app: &TestApp, form: &[(&str, String)]) -> (StatusCode, Value) {
    post_to(app, "/open311/v2/requests.json", form).await
}

async fn post_to(app: &TestApp, path: &str, form: &[(&str, String)]) -> (StatusCode, Value) {
    let (s, ty, body) = post_form(app, path, form).await;
    assert_eq!(ty, "application/json; charset=utf-8", "{body}");
    let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    if s == StatusCode::OK {
        assert_valid(Shape::Posted, &v);
    }
    (s, v)
}

fn hazard_at(lat: f64, lon: f64) -> Form {
    vec![
        ("service_code", "safety_hazard".into()),
        ("lat", lat.to_string()),
        ("long", lon.to_string()),
        ("description", "村口变压器旁电线垂落，离地不到两米".into()),
    ]
}

#[tokio::test]
async fn a_resident_submits_and_the_case_is_routed_like_the_apps_and_followed() {
    let (app, _) = TestApp::spawn_demo().await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 11);
    let mut form = hazard_at(lat, lon);
    form.extend([
        ("attribute[people_affected]", "6".to_owned()),
        ("first_name", "秀英".to_owned()),
        ("last_name", "王".to_owned()),
        ("phone", "13909361234".to_owned()),
        ("email", "wang@example.cn".to_owned()),
        ("address_string", "山丹县清泉镇南关村村口".to_owned()),
        ("media_url", "https://img.example.cn/wire.jpg".to_owned()),
        ("account_id", "citizen-77".to_owned()),
    ]);
    let (s, posted) = post_json(&app, &form).await;
    assert_eq!(s, StatusCode::OK, "{posted}");
    let r = &posted[0];
    let id = r["service_request_id"].as_str().unwrap().to_owned();
    assert_eq!(r["account_id"], "citizen-77");
    assert!(
        r["service_notice"].as_str().unwrap().contains("受理"),
        "{r}"
    );

    // The same report from the resident app, for comparison.
    let resident = app.login("resident").await.access_token;
    let (s, from_app) = app
        .post_json(
            "/v1/cases",
            &resident,
            &json!({ "category": "safety_hazard", "description": "同一处电线垂落",
                     "location": { "lat": lat, "lon": lon }, "people_affected": 6 }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{from_app}");
    let admin = app.login("admin").await.access_token;
    let (_, via_311) = app.get(&format!("/v1/cases/{id}"), &admin).await;
    for field in ["status", "tier", "lead_unit", "grid", "people_affected"] {
        assert_eq!(via_311[field], from_app[field], "{field}: {via_311}");
    }
    assert_eq!(via_311["channel"], "open311");
    assert_eq!(via_311["status"], "submitted");

    // What the sender said is kept for staff, and not shown publicly.
    let (s, contact) = app.get(&format!("/v1/cases/{id}/contact"), &admin).await;
    assert_eq!(s, StatusCode::OK, "{contact}");
    assert_eq!(
        contact,
        json!({ "first_name": "秀英", "last_name": "王", "phone": "13909361234",
                "email": "wang@example.cn", "account_id": "citizen-77",
                "address": "山丹县清泉镇南关村村口", "media_url": "https://img.example.cn/wire.jpg" })
    );
    let (s, _) = app.get(&format!("/v1/cases/{id}/contact"), &resident).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a resident does not read another's case"
    );

    let path = format!("/open311/v2/requests/{id}.json?extensions=true");
    let (s, got) = json_of(&app, &path).await;
    assert_eq!(s, StatusCode::OK, "{got}");
    let g = &got[0];
    assert_eq!(
        (g["status"].as_str(), g["media_url"].as_str()),
        (Some("open"), Some("https://img.example.cn/wire.jpg"))
    );
    assert_eq!(g["extended_attributes"]["gridline_status"], "submitted");
    assert!(g.get("phone").is_none() && g.get("email").is_none(), "{g}");
    let text = g.to_string();
    assert!(
        !text.contains("13909361234") && !text.contains("秀英"),
        "{text}"
    );

    // The township accepts it, the cadre handles it: GET request follows.
    let town = app.login("township-operator").await.access_token;
    let cadre = app.login("cadre").await.access_token;
    for (who, body) in [
        (&town, json!({ "action": "accept" })),
        (&cadre, json!({ "action": "sign_for" })),
        (&cadre, json!({ "action": "start" })),
    ] {
        let (s, v) = app
            .post_json(&format!("/v1/cases/{id}/actions"), who, &body)
            .await;
        assert_eq!(s, StatusCode::OK, "{body}: {v}");
    }
    let (_, got) = json_of(&app, &path).await;
    assert_eq!(got[0]["status"], "open");
    assert_eq!(
        got[0]["extended_attributes"]["gridline_status"],
        "in_progress"
    );
    let (s, v) = app
        .post_json(
            &format!("/v1/cases/{id}/actions"),
            &cadre,
            &json!({ "action": "resolve", "outcome": "handled", "summary": "供电所已重新架线" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, got) = json_of(&app, &path).await;
    assert_eq!(got[0]["status"], "closed", "{got}");

    // The token flow: the id is its own token.
    let (s, tok) = json_of(&app, &format!("/open311/v2/tokens/{id}.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(tok, json!([{ "service_request_id": id, "token": id }]));
}

#[tokio::test]
async fn a_post_answered_in_xml_carries_the_same_fields() {
    let (app, _) = TestApp::spawn_demo().await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 12);
    let (s, ty, xml) = post_form(&app, "/open311/v2/requests.xml", &hazard_at(lat, lon)).await;
    assert_eq!(
        (s, ty.as_str()),
        (StatusCode::OK, "text/xml; charset=utf-8")
    );
    let read = xml_as_json(&xml);
    let id = read[0]["service_request_id"].as_str().unwrap().to_owned();
    let (_, again) = json_of(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(again[0]["service_request_id"], id.as_str());
    assert!(
        read[0]["service_notice"].as_str().unwrap().contains("受理"),
        "{xml}"
    );
}

#[tokio::test]
async fn bad_input_gets_the_specs_errors_and_creates_nothing() {
    let (app, _) = TestApp::spawn_demo().await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 13);
    let before = app.case_count().await;
    let with = |changes: &[(&'static str, &str)]| {
        let mut f = hazard_at(lat, lon);
        for (k, v) in changes {
            f.retain(|(name, _)| name != k);
            if !v.is_empty() {
                f.push((k, (*v).to_owned()));
            }
        }
        f
    };
    let long_text = "墙".repeat(4001);
    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (
            with(&[("service_code", "potholes")]),
            StatusCode::NOT_FOUND,
            "unknown service_code 'potholes'",
        ),
        (
            with(&[("service_code", "")]),
            StatusCode::BAD_REQUEST,
            "service_code is required",
        ),
        (
            with(&[("lat", ""), ("long", "")]),
            StatusCode::BAD_REQUEST,
            "a location is required",
        ),
        (
            with(&[
                ("lat", ""),
                ("long", ""),
                ("address_string", "山丹县城关镇"),
            ]),
            StatusCode::BAD_REQUEST,
            "address_string alone",
        ),
        (
            with(&[("lat", "123.5")]),
            StatusCode::BAD_REQUEST,
            "lat 123.5 is out of range",
        ),
        (
            with(&[("long", "-190")]),
            StatusCode::BAD_REQUEST,
            "long -190 is out of range",
        ),
        (
            with(&[("lat", "30.25"), ("long", "120.15")]),
            StatusCode::BAD_REQUEST,
            "not in or near any grid",
        ),
        (
            with(&[("api_key", "glk_not-a-key")]),
            StatusCode::FORBIDDEN,
            "invalid api_key",
        ),
        (
            with(&[("description", &long_text)]),
            StatusCode::BAD_REQUEST,
            "description is 4001 characters",
        ),
        (
            with(&[("jurisdiction_id", "999999")]),
            StatusCode::NOT_FOUND,
            "unknown jurisdiction_id",
        ),
        (
            with(&[("attribute[amount_yuan]", "100")]),
            StatusCode::BAD_REQUEST,
            "attribute[amount_yuan]",
        ),
    ];
    for (form, status, says) in cases {
        let (s, v) = post_json(&app, &form).await;
        assert_eq!(s, status, "{form:?}: {v}");
        assert_eq!(v[0]["code"], status.as_u16(), "{v}");
        let d = v[0]["description"].as_str().unwrap();
        assert!(d.contains(says), "{d:?} should say {says:?}");
        // And the same in XML.
        let (s, ty, xml) = post_form(&app, "/open311/v2/requests.xml", &form).await;
        assert_eq!((s, ty.as_str()), (status, "text/xml; charset=utf-8"));
        assert_eq!(xml_as_json(&xml)[0]["description"], d, "{xml}");
    }
    assert_eq!(app.case_count().await, before, "nothing was created");
}

#[tokio::test]
async fn the_test_endpoint_checks_and_stores_nothing() {
    let (app, _) = TestApp::spawn_demo().await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 14);
    let before = app.case_count().await;
    let (s, v) = post_to(&app, "/open311/test/v2/requests.json", &hazard_at(lat, lon)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["token"], "test");
    assert!(v[0].get("service_request_id").is_none());
    let (s, v) = post_to(
        &app,
        "/open311/test/v2/requests.json",
        &[("service_code", "safety_hazard".to_owned())],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "the test endpoint checks: {v}");
    let (s, _) = json_of(&app, "/open311/test/v2/tokens/test.json").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(app.case_count().await, before);
}

#[tokio::test]
async fn anonymous_senders_are_limited_and_keyed_systems_are_not() {
    let (app, _) = TestApp::spawn_demo_with(|s| s.open311_anonymous_per_hour = 2).await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 15);
    for _ in 0..2 {
        let (s, v) = post_json(&app, &hazard_at(lat, lon)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = post_json(&app, &hazard_at(lat, lon)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(v[0]["code"], 429);
    assert!(v[0]["description"].as_str().unwrap().contains("api_key"));

    // An admin makes a key for the county's 12345 platform.
    let admin = app.login("admin").await.access_token;
    let (key_id, key) = app
        .api_key(&admin, "山丹县12345热线", "hotline_12345")
        .await;
    let (_, listed) = app.get("/v1/api-keys", &admin).await;
    assert!(
        listed[0].get("key").is_none(),
        "a key is shown once: {listed}"
    );
    let worker = app.login("grid-worker").await.access_token;
    let (s, _) = app.get("/v1/api-keys", &worker).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let mut form = hazard_at(lat, lon);
    form.push(("api_key", key.clone()));
    for _ in 0..3 {
        let (s, v) = post_json(&app, &form).await;
        assert_eq!(s, StatusCode::OK, "a keyed system is not limited: {v}");
    }
    let id = post_json(&app, &form).await.1[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, case) = app.get(&format!("/v1/cases/{id}"), &admin).await;
    assert_eq!(
        case["channel"], "hotline_12345",
        "the key's source is the channel"
    );

    let (s, _) = app
        .client
        .delete(app.url(&format!("/v1/api-keys/{key_id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = post_json(&app, &form).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a revoked key: {v}");
}
