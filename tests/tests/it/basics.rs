use gridline_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_answers_when_ready_without_a_token() {
    let app = TestApp::spawn().await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = TestApp::spawn().await;
    app.client.get(app.url("/healthz")).send().await.unwrap();
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "gridline_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("gridline_grids 0"), "{text}");
}

#[tokio::test]
async fn openapi_describes_the_endpoints() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/v1/auth/login",
        "/v1/auth/refresh",
        "/v1/auth/logout",
        "/v1/locate",
        "/v1/grids",
        "/v1/grids/import",
        "/v1/cases",
        "/v1/cases/{id}",
        "/v1/cases/{id}/history",
        "/v1/cases/{id}/actions",
        "/v1/categories",
        "/v1/routing-rules",
        "/v1/ladders/{county}",
        "/v1/calendar",
        "/v1/calendar/{date}",
        "/v1/departments",
        "/v1/duty",
        "/v1/stats",
        "/v1/stats/map",
        "/v1/watches",
        "/v1/watches/{id}",
        "/v1/watches/{id}/level",
        "/v1/watches/{id}/visits",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let schemas = &doc["components"]["schemas"];
    for name in ["LocateResponse", "CaseView", "Action", "Stats", "WatchView"] {
        assert!(schemas[name].is_object(), "no schema {name}");
    }
    // Every reference resolves: a client generator would fail on one that does not.
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(schemas[name].is_object(), "dangling reference {r}");
    }
}

#[tokio::test]
async fn unknown_paths_and_oversized_bodies_get_json_errors() {
    let (app, _) = TestApp::spawn_demo_with(|s| {
        s.body_limit_bytes = 1024;
        s.import_body_limit_bytes = 64 * 1024;
    })
    .await;
    let r = app.client.get(app.url("/v1/nowhere")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "not_found"
    );
    let r = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("content-type", "application/json")
        .body(vec![b' '; 4096])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["code"], "payload_too_large");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("a request may be at most 1024 bytes"),
        "{e}"
    );

    // A grid import has a limit of its own: a body over the general one is
    // read and judged as GeoJSON; only one over its own limit is refused.
    let admin = app.login("admin").await.access_token;
    let padded = |n: usize| {
        let mut b = br#"{"type":"FeatureCollection","features":[]}"#.to_vec();
        b.resize(n, b' ');
        b
    };
    let (s, e) = app
        .post_bytes("/v1/grids/import", &admin, padded(4096))
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_geojson")),
        "{e}"
    );
    let (s, e) = app
        .post_bytes("/v1/grids/import", &admin, padded(64 * 1024 + 1))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("a grid import may be at most 65536 bytes"),
        "{e}"
    );
    // The same padding on any other route is over the general limit.
    let (s, e) = app.post_bytes("/v1/cases", &admin, padded(4096)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
}

#[tokio::test]
async fn every_v1_endpoint_but_login_and_refresh_needs_a_token() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        ("GET", "/v1/me"),
        ("GET", "/v1/locate?lat=38.5&lon=101.1"),
        ("GET", "/v1/grids"),
        ("GET", "/v1/org-units"),
        ("POST", "/v1/grids/import"),
        ("POST", "/v1/auth/logout"),
    ] {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap()["code"],
            "unauthenticated"
        );
    }
}
