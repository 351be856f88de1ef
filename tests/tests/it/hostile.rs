//! Hostile input over HTTP: each kind gets a clear error with its code, the
//! server keeps answering, and nothing stored changes (or, for text that
//! only looks dangerous, it is stored and read back exactly as sent).

use gridline_tests::town::{Town, grid_centre};
use reqwest::StatusCode;
use serde_json::{Value, json};

const MONDAY_9AM: i64 = 1_762_131_600_000;

async fn raw(
    town: &Town,
    user: &str,
    method: reqwest::Method,
    path: &str,
    body: Vec<u8>,
    ctype: &str,
) -> (StatusCode, Value) {
    let r = town
        .app
        .client
        .request(method, town.app.url(path))
        .bearer_auth(town.token(user))
        .header("Content-Type", ctype)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn still_serving(town: &Town) {
    let (s, _) = town.get("gw1", "/v1/me").await;
    assert_eq!(s, StatusCode::OK, "the server still answers");
}

#[tokio::test]
async fn oversized_and_deeply_nested_bodies_are_refused_by_name() {
    let town = Town::build(MONDAY_9AM).await;
    let before = town.app.case_count().await;
    let limit = town.app.state.settings.body_limit_bytes;

    // One byte over the limit, declared up front.
    let mut big = br#"{"category":"noise","description":""#.to_vec();
    big.resize(limit + 1, b'x');
    let (s, e) = raw(
        &town,
        "gw1",
        reqwest::Method::POST,
        "/v1/cases",
        big,
        "application/json",
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{e}"
    );

    // Nesting far past what the JSON reader follows: refused, not a stack overflow.
    for path in [
        "/v1/cases",
        "/v1/sync/push",
        "/v1/watches",
        "/v1/grids/import",
    ] {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (s, e) = raw(
            &town,
            "admin",
            reqwest::Method::POST,
            path,
            deep.into_bytes(),
            "application/json",
        )
        .await;
        // A grid file is judged as GeoJSON (422); every other body as JSON (400).
        let want = if path == "/v1/grids/import" {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_geojson")
        } else {
            (StatusCode::BAD_REQUEST, "invalid_input")
        };
        assert_eq!((s, e["code"].as_str().unwrap_or("")), want, "{path}: {e}");
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000));
        let (s, _) = raw(
            &town,
            "admin",
            reqwest::Method::POST,
            path,
            deep_object.into_bytes(),
            "application/json",
        )
        .await;
        assert_eq!(s, want.0, "{path}");
    }
    still_serving(&town).await;
    assert_eq!(town.app.case_count().await, before, "nothing stored");
}

#[tokio::test]
async fn nan_infinite_and_out_of_range_coordinates_name_the_coordinate() {
    let town = Town::build(MONDAY_9AM).await;
    let before = town.app.case_count().await;
    for q in [
        "lat=NaN&lon=80.8",
        "lat=44&lon=inf",
        "lat=-infinity&lon=80.8",
        "lat=91&lon=80.8",
        "lat=44&lon=180.0001",
        "lat=1e999&lon=80.8",
    ] {
        let (s, e) = town.get("gw1", &format!("/v1/locate?{q}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {e}");
        assert!(
            matches!(
                e["code"].as_str(),
                Some("invalid_coordinate" | "invalid_input")
            ),
            "{q}: {e}"
        );
    }
    // JSON has no NaN or infinity: a number too big for a double, a string,
    // and coordinates off the earth are each refused by name.
    for location in [
        r#"{"lat": 1e999, "lon": 80.8}"#,
        r#"{"lat": "NaN", "lon": 80.8}"#,
        r#"{"lat": 44.05, "lon": -181}"#,
        r#"{"lat": 90.5, "lon": 80.8}"#,
    ] {
        let body = format!(r#"{{"category":"noise","description":"x","location":{location}}}"#);
        let (s, e) = raw(
            &town,
            "gw1",
            reqwest::Method::POST,
            "/v1/cases",
            body.into_bytes(),
            "application/json",
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{location}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains("la")
                || e["message"].as_str().unwrap().contains("lo"),
            "{location}: {e}"
        );
    }
    for form in [
        "lat=NaN&long=80.8",
        "lat=44.05&long=Infinity",
        "lat=44.05&long=1e400",
    ] {
        let r = town
            .app
            .client
            .post(town.app.url("/open311/v2/requests.json"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("service_code=noise&description=x&{form}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{form}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e[0]["code"], 400, "{form}: {e}");
    }
    assert_eq!(town.app.case_count().await, before, "nothing stored");
}

#[tokio::test]
async fn invalid_utf8_and_path_traversal_are_refused() {
    let town = Town::build(MONDAY_9AM).await;
    let before = town.app.case_count().await;
    let mut body = br#"{"category":"noise","description":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    body.extend_from_slice(br#"","location":{"lat":44.055,"lon":80.805}}"#);
    let (s, e) = raw(
        &town,
        "gw1",
        reqwest::Method::POST,
        "/v1/cases",
        body,
        "application/json",
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input")),
        "{e}"
    );

    // Found by fuzzing: a time whose offset ends in a byte that decodes to
    // U+FFFD used to panic the handler and drop the connection.
    let r = town
        .app
        .client
        .get(
            town.app
                .url("/open311/v2/requests.json?end_date=2025-11-30T00:00:00%2Be0%F3"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert!(
        e[0]["description"].as_str().unwrap().contains("end_date"),
        "{e}"
    );

    // A blob name is a SHA-256 digest and nothing else: no path reaches the disk.
    for name in [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..",
        "%2e%2e",
        "abc",
        "..%5C..%5Cwindows",
        &"0".repeat(63),
        &format!("{}%00", "a".repeat(64)),
    ] {
        let r = town
            .app
            .client
            .get(format!("http://{}/v1/blobs/{name}", town.app.addr))
            .bearer_auth(town.token("gw1"))
            .send()
            .await
            .unwrap();
        assert!(
            matches!(r.status(), StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
            "{name}: {}",
            r.status()
        );
        let e: Value = r.json().await.unwrap();
        assert!(
            matches!(e["code"].as_str(), Some("invalid_input" | "not_found")),
            "{name}: {e}"
        );
        assert!(!e.to_string().contains("root:"), "{name}: {e}");
    }
    // The same in a photo's metadata.
    let case = town.report("gw1", 0, "noise", json!({})).await;
    let id = case["id"].as_str().unwrap();
    let (s, e) = town
        .post("gw1", &format!("/v1/cases/{id}/photos"), &json!({ "photo": uuid::Uuid::now_v7().to_string(), "sha256": "../../../../etc/passwd", "bytes": 10, "mime": "image/jpeg" }))
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input")),
        "{e}"
    );
    still_serving(&town).await;
    assert_eq!(
        town.app.case_count().await,
        before + 1,
        "only the good report"
    );
}

/// Text that would break a query built by pasting strings; every statement
/// binds its parameters, so each is stored and read back exactly.
const SQL: [&str; 5] = [
    "'; DROP TABLE cases; --",
    "Robert'); DELETE FROM case_parties;--",
    "\" OR \"1\"=\"1",
    "1; UPDATE users SET disabled = 1 WHERE 1=1; --",
    "\\'; SELECT pg_sleep(10); --",
];

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn sql_metacharacters_in_every_string_field_are_stored_as_text() {
    let town = Town::build(MONDAY_9AM).await;
    let (lon, lat) = grid_centre(0);
    for (i, text) in SQL.iter().enumerate() {
        let case = town
            .report(
                "gw1",
                0,
                "neighbour_dispute",
                json!({ "description": text, "parties": [{ "name": text }] }),
            )
            .await;
        let id = case["id"].as_str().unwrap();
        let (_, read) = town.get("gw1", &format!("/v1/cases/{id}")).await;
        assert_eq!(read["description"], *text, "{read}");
        assert_eq!(read["parties"][0]["name"], *text, "{read}");
        let c = town
            .ok("gw1", &case, json!({ "action": "note", "text": text }))
            .await;
        assert_eq!(c["id"], id);
        let (s, hist) = town.get("gw1", &format!("/v1/cases/{id}/history")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            hist.to_string()
                .contains(&serde_json::to_string(text).unwrap()[1..text.len()]),
            "{hist}"
        );
        let (s, w) = town
            .post("gw1", "/v1/watches", &json!({ "kind": "household", "label": text, "address": text, "location": { "lat": lat, "lon": lon }, "level": "low", "reason": text }))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{w}");
        assert_eq!(w["label"], *text);
        // Searches and filters take the text as a value too.
        let q: String = url_escape(text);
        let (s, e) = town
            .get("county-op", &format!("/v1/cases?category={q}"))
            .await;
        assert_eq!(
            (s, e["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("unknown_category")),
            "{e}"
        );
        let (s, e) = town
            .get("county-op", &format!("/v1/watches?grid={q}"))
            .await;
        assert!(s.is_client_error(), "{s} {e}");
        // An account name is a login name: such text is refused by name.
        let (s, e) = town
            .post("admin", "/v1/users", &json!({ "username": text, "display_name": text, "password": "a long enough password",
                 "roles": [{ "role": "grid_worker", "unit": "654023101201002" }] }))
            .await;
        assert_eq!(
            (s, e["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_input")),
            "{i}: {e}"
        );
        assert!(e["message"].as_str().unwrap().contains("username"), "{e}");
    }
    // Every case is still there, every account still signs in.
    let (_, list) = town.get("county-op", "/v1/cases").await;
    assert_eq!(list["items"].as_array().unwrap().len(), SQL.len());
    assert_eq!(
        town.app
            .login_raw("cadre1", gridline_tests::PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_polygon_of_too_many_positions_is_refused_by_name_and_nothing_changes() {
    let town = Town::build(MONDAY_9AM).await;
    let (_, grids_before) = town.get("admin", "/v1/grids").await;
    // A circle of 150,000 positions around a new grid's centre (about 6 MB),
    // past the 100,000 one feature may have.
    let n = 150_000;
    let (cx, cy, r) = (80.95, 44.055, 0.004);
    let ring: Vec<[f64; 2]> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect();
    let doc = json!({ "type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": { "type": "Polygon", "coordinates": [ring] },
        "properties": { "code": "654023101202003", "name": "圆网格",
            "village": { "code": "654023101202", "name": "二村" },
            "township": { "code": "654023101", "name": "霍城镇" },
            "county": { "code": "654023", "name": "霍城县" } } }] });
    let (s, e) = town.post("admin", "/v1/grids/import", &doc).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_geojson")),
        "{e}"
    );
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("150001 positions") && message.contains("100000"),
        "{e}"
    );
    still_serving(&town).await;
    let (_, grids_after) = town.get("admin", "/v1/grids").await;
    assert_eq!(grids_before, grids_after, "the territory is unchanged");
}
