//! Open311 GeoReport v2: the service list and definitions, and cases read
//! as service requests, in JSON and in XML carrying the same data; errors
//! as the spec's error list.

use crate::open311_schema::{Shape, assert_valid};
use gridline_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

const WORKER_GRID: &str = "620725101201001";

/// GET without a token; status, content type and body.
async fn fetch(app: &TestApp, path: &str, lang: &str) -> (StatusCode, String, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("accept-language", lang)
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

/// The schema a successful JSON answer from `path` must satisfy.
fn shape_of(path: &str) -> Option<Shape> {
    let p = path.split('?').next().unwrap_or(path);
    if p.contains("/tokens/") {
        Some(Shape::Token)
    } else if p.contains("/services/") {
        Some(Shape::Definition)
    } else if p.contains("/services.") {
        Some(Shape::Services)
    } else if p.contains("/requests") {
        Some(Shape::Requests)
    } else {
        None
    }
}

/// A successful answer is checked against its JSON Schema.
fn check_schema(path: &str, status: StatusCode, v: &Value) {
    if let (StatusCode::OK, Some(shape)) = (status, shape_of(path)) {
        assert_valid(shape, v);
    }
}

pub(crate) async fn json_of(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let (s, ty, body) = fetch(app, path, "zh-CN").await;
    assert_eq!(ty, "application/json; charset=utf-8", "{path}");
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    check_schema(path, s, &v);
    (s, v)
}

/// The XML document read back into the JSON the spec pairs it with: a
/// container of repeated children is an array, an empty element null.
pub(crate) fn xml_as_json(xml: &str) -> Value {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    fn node(n: roxmltree::Node<'_, '_>, list: bool) -> Value {
        let kids: Vec<_> = n.children().filter(roxmltree::Node::is_element).collect();
        if list {
            return Value::Array(kids.iter().map(|k| node(*k, is_list(*k))).collect());
        }
        if kids.is_empty() {
            return n
                .text()
                .map_or(Value::Null, |t| Value::String(t.to_owned()));
        }
        Value::Object(
            kids.iter()
                .map(|k| (k.tag_name().name().to_owned(), node(*k, is_list(*k))))
                .collect(),
        )
    }
    fn is_list(n: roxmltree::Node<'_, '_>) -> bool {
        matches!(
            n.tag_name().name(),
            "services"
                | "service_requests"
                | "attributes"
                | "values"
                | "errors"
                | "endpoints"
                | "formats"
        )
    }
    let root = doc.root_element();
    node(root, is_list(root))
}

/// JSON's values as XML writes them: numbers and booleans become text.
fn as_text(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(as_text).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), as_text(v))).collect()),
        other => other.clone(),
    }
}

/// The same resource as JSON and as XML: the same data.
async fn same_in_both(app: &TestApp, stem: &str, query: &str, lang: &str) -> Value {
    let (s1, t1, json) = fetch(app, &format!("{stem}.json{query}"), lang).await;
    let (s2, t2, xml) = fetch(app, &format!("{stem}.xml{query}"), lang).await;
    assert_eq!(s1, s2, "{stem}");
    assert_eq!(t1, "application/json; charset=utf-8");
    assert_eq!(
        t2, "text/xml; charset=utf-8",
        "the XML content type is text/xml"
    );
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{xml}"
    );
    let json: Value = serde_json::from_str(&json).unwrap();
    check_schema(&format!("{stem}.json"), s1, &json);
    assert_eq!(
        xml_as_json(&xml),
        as_text(&json),
        "{stem}{query}: XML and JSON differ"
    );
    json
}

#[tokio::test]
async fn services_are_the_categories_in_chinese_or_english_with_their_attributes() {
    let (app, _) = TestApp::spawn_demo().await;
    let zh = same_in_both(&app, "/open311/v2/services", "", "zh-CN,zh;q=0.9").await;
    let en = same_in_both(
        &app,
        "/open311/v2/services",
        "?jurisdiction_id=620725",
        "en-US,en;q=0.8",
    )
    .await;
    let names = |v: &Value, code: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == code)
            .map(|s| s["service_name"].clone())
    };
    assert_eq!(names(&zh, "wage_arrears"), Some(json!("拖欠工资")));
    assert_eq!(names(&en, "wage_arrears"), Some(json!("Wage arrears")));
    assert_eq!(
        zh.as_array().unwrap().len(),
        gridline_core::category::CATEGORIES.len()
    );
    assert!(
        zh.as_array()
            .unwrap()
            .iter()
            .all(|s| s["type"] == "realtime" && s["metadata"] == true)
    );

    let wages = same_in_both(&app, "/open311/v2/services/wage_arrears", "", "en").await;
    let codes: Vec<_> = wages["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [json!("people_affected"), json!("amount_yuan")],
        "a dispute asks for the people and the money"
    );
    let hazard = same_in_both(&app, "/open311/v2/services/safety_hazard", "", "zh").await;
    assert_eq!(hazard["attributes"].as_array().unwrap().len(), 1);
    assert_eq!(hazard["attributes"][0]["datatype"], "number");

    let discovery = same_in_both(&app, "/open311/v2/discovery", "", "en").await;
    let kinds: Vec<_> = discovery["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(kinds, [json!("production"), json!("test")]);
    assert!(
        discovery["endpoints"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/open311/v2")
    );
}

#[tokio::test]
async fn what_does_not_exist_is_a_404_and_a_bad_question_a_400_in_the_specs_error_list() {
    let (app, _) = TestApp::spawn_demo().await;
    for (path, status, says) in [
        (
            "/open311/v2/services/parking.json",
            StatusCode::NOT_FOUND,
            "parking",
        ),
        (
            "/open311/v2/services.json?jurisdiction_id=110101",
            StatusCode::NOT_FOUND,
            "110101",
        ),
        (
            "/open311/v2/requests/not-an-id.json",
            StatusCode::NOT_FOUND,
            "not-an-id",
        ),
        (
            "/open311/v2/requests/01a20047-617c-77ed-baff-99887903fefa.json",
            StatusCode::NOT_FOUND,
            "01a20047",
        ),
        ("/open311/v2/services.csv", StatusCode::NOT_FOUND, ".csv"),
        (
            "/open311/v2/requests.json?status=pending",
            StatusCode::BAD_REQUEST,
            "pending",
        ),
        (
            "/open311/v2/requests.json?service_code=parking",
            StatusCode::BAD_REQUEST,
            "parking",
        ),
        (
            "/open311/v2/requests.json?service_code=neighbour_dispute",
            StatusCode::BAD_REQUEST,
            "dispute",
        ),
        (
            "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            StatusCode::BAD_REQUEST,
            "90 days",
        ),
        (
            "/open311/v2/requests.json?start_date=yesterday",
            StatusCode::BAD_REQUEST,
            "start_date",
        ),
    ] {
        let (s, body) = json_of(&app, path).await;
        assert_eq!(s, status, "{path}: {body}");
        assert_eq!(body[0]["code"], status.as_u16(), "{path}: {body}");
        let d = body[0]["description"].as_str().unwrap();
        assert!(
            d.contains(says),
            "{path}: the error names what is wrong: {d}"
        );
        let xml_path = path.replacen(".json", ".xml", 1);
        let (s2, ty, xml) = fetch(&app, &xml_path, "zh").await;
        if xml_path.contains(".xml") {
            assert_eq!(
                (s2, ty.as_str()),
                (status, "text/xml; charset=utf-8"),
                "{xml_path}"
            );
            let x = xml_as_json(&xml);
            assert_eq!(
                x[0]["code"],
                status.as_u16().to_string(),
                "{xml_path}: {xml}"
            );
            assert!(
                x[0]["description"].as_str().unwrap().contains(says),
                "{xml_path}: {xml}"
            );
        }
    }
}

#[tokio::test]
async fn a_case_reads_as_a_request_and_its_status_changes_show() {
    let (app, _) = TestApp::spawn_demo().await;
    let worker = app.login("grid-worker").await.access_token;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 3);
    let post = |token: String, path: String, body: Value| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let s = r.status();
            (s, r.json::<Value>().await.unwrap())
        }
    };
    let (s, case) = post(
        worker.clone(),
        "/v1/cases".into(),
        json!({ "category": "safety_hazard", "description": "村道旁土墙开裂，有倒塌危险", "location": { "lat": lat, "lon": lon } }),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();
    let (_, dispute) = post(
        worker.clone(),
        "/v1/cases".into(),
        json!({ "category": "neighbour_dispute", "description": "两户因宅基地边界争吵", "location": { "lat": lat, "lon": lon } }),
    )
    .await;
    let dispute_id = dispute["id"].as_str().unwrap().to_owned();

    let one = same_in_both(
        &app,
        &format!("/open311/v2/requests/{id}"),
        "?extensions=true",
        "zh",
    )
    .await;
    let r = &one[0];
    assert_eq!(r["service_request_id"], id.as_str());
    assert_eq!(
        (r["status"].as_str(), r["service_code"].as_str()),
        (Some("open"), Some("safety_hazard"))
    );
    assert_eq!(r["status_notes"], "已交办");
    assert_eq!(r["extended_attributes"]["gridline_status"], "assigned");
    assert_eq!(r["extended_attributes"]["grid"], WORKER_GRID);
    assert!((r["lat"].as_f64().unwrap() - lat).abs() < 1e-9);
    assert!(
        r["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+08:00")
    );
    assert!(r["address"].as_str().unwrap().starts_with("山丹县"), "{r}");

    let (_, open) = json_of(
        &app,
        "/open311/v2/requests.json?status=open&service_code=safety_hazard",
    )
    .await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|r| r["service_request_id"] == id.as_str())
    );
    let (_, all) = json_of(&app, "/open311/v2/requests.json").await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|r| r["service_request_id"] != dispute_id.as_str()),
        "a dispute reported by staff is not listed publicly"
    );
    let (s, _) = json_of(&app, &format!("/open311/v2/requests/{dispute_id}.json")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "nor read by its id");

    // The village's cadre handles it; Open311 shows it closed.
    let cadre = app.login("cadre").await.access_token;
    for body in [
        json!({ "action": "sign_for" }),
        json!({ "action": "start" }),
        json!({ "action": "resolve", "outcome": "handled", "summary": "已加固土墙并设置警示" }),
    ] {
        let (s, v) = post(cadre.clone(), format!("/v1/cases/{id}/actions"), body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (_, now) = json_of(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(now[0]["status"], "closed");
    assert_eq!(now[0]["status_notes"], "已化解");
    let (_, en) = {
        let (s, _, body) = fetch(&app, &format!("/open311/v2/requests/{id}.json"), "en").await;
        (s, serde_json::from_str::<Value>(&body).unwrap())
    };
    assert_eq!(en[0]["status_notes"], "resolved");
    assert_eq!(en[0]["service_name"], "Safety hazard");
    let (_, closed) = json_of(
        &app,
        &format!("/open311/v2/requests.json?status=closed&service_request_id={id}"),
    )
    .await;
    assert_eq!(
        closed.as_array().unwrap().len(),
        1,
        "the id overrides the other arguments"
    );
    let (_, still_open) = json_of(&app, "/open311/v2/requests.json?status=open").await;
    assert!(
        still_open
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["service_request_id"] != id.as_str())
    );
}
