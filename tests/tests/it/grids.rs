use gridline_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn square(code: &str, lon: f64, lat: f64, size: f64) -> Value {
    json!({
        "type": "Feature",
        "properties": { "code": code, "name": format!("测试网格{code}"),
            "village": { "code": "999999101201", "name": "测试村" },
            "township": { "code": "999999101000", "name": "测试镇" },
            "county": { "code": "999999", "name": "测试县" } },
        "geometry": { "type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] }
    })
}

fn collection(features: Vec<Value>) -> Vec<u8> {
    json!({ "type": "FeatureCollection", "features": features })
        .to_string()
        .into_bytes()
}

async fn snapshot(app: &TestApp) -> (i64, usize, usize) {
    let version = app.state.store.territory_version().await.unwrap();
    (
        version,
        app.state.store.org_units().await.unwrap().len(),
        app.state.store.grid_shapes().await.unwrap().len(),
    )
}

#[tokio::test]
async fn each_role_sees_the_grids_of_its_own_unit() {
    let (app, _) = TestApp::spawn_demo().await;
    let count = |body: &Value| body["features"].as_array().map_or(0, Vec::len);
    let (status, all) = app
        .get("/v1/grids", &app.login("admin").await.access_token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&all), 225);
    let (_, mine) = app
        .get("/v1/grids", &app.login("grid-worker").await.access_token)
        .await;
    assert_eq!(count(&mine), 1);
    let (_, village) = app
        .get("/v1/grids", &app.login("cadre").await.access_token)
        .await;
    let (_, township) = app
        .get(
            "/v1/grids",
            &app.login("township-operator").await.access_token,
        )
        .await;
    assert!(count(&village) > 1 && count(&village) < count(&township) && count(&township) < 225);
    let f = &mine["features"][0];
    assert_eq!(f["properties"]["county"]["code"], "620725");
    assert_eq!(f["geometry"]["type"], "MultiPolygon");
}

#[tokio::test]
async fn grids_come_back_in_wgs84_unless_another_system_is_asked_for() {
    let (app, _) = TestApp::spawn_demo().await;
    let token = app.login("grid-worker").await.access_token;
    let (_, wgs) = app.get("/v1/grids", &token).await;
    let (_, gcj) = app.get("/v1/grids?crs=gcj02", &token).await;
    let p = |v: &Value| {
        (
            v["features"][0]["geometry"]["coordinates"][0][0][0][0]
                .as_f64()
                .unwrap(),
            v["features"][0]["geometry"]["coordinates"][0][0][0][1]
                .as_f64()
                .unwrap(),
        )
    };
    let (w, g) = (p(&wgs), p(&gcj));
    let (elon, elat) = gridline_core::gcj02::wgs84_to_gcj02(w.0, w.1);
    assert!(
        (g.0 - elon).abs() < 2e-7 && (g.1 - elat).abs() < 2e-7,
        "{w:?} -> {g:?}"
    );
    let (status, body) = app.get("/v1/grids?crs=mars", &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn an_admin_imports_grids_and_they_are_located_at_once() {
    let app = TestApp::spawn().await;
    gridline_api::demo::seed(
        app.state.store.as_ref(),
        &app.state.territory,
        Some(gridline_tests::PASSWORD),
    )
    .await
    .unwrap();
    let token = app.login("admin").await.access_token;
    let body = collection(vec![
        square("T1", 110.0, 30.0, 0.01),
        square("T2", 110.01, 30.0, 0.01),
    ]);
    let (status, report) = app
        .post_bytes("/v1/grids/import?crs=wgs84", &token, body)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["grids_created"], 2);
    assert_eq!(report["units_created"], 3);
    let (_, located) = app.get("/v1/locate?lat=30.005&lon=110.015", &token).await;
    assert_eq!(located["grid"]["code"], "T2");
    assert_eq!(located["village"]["name"], "测试村");
    // On the shared edge: exactly one of them, and always the same one.
    let (_, a) = app.get("/v1/locate?lat=30.005&lon=110.01", &token).await;
    let (_, b) = app.get("/v1/locate?lat=30.005&lon=110.01", &token).await;
    assert!(a["grid"].is_object());
    assert_eq!(a["grid"], b["grid"]);
}

#[tokio::test]
async fn every_kind_of_bad_import_is_refused_by_name_and_changes_nothing() {
    let (app, _) = TestApp::spawn_demo().await;
    let token = app.login("admin").await.access_token;
    let good = square("G1", 110.0, 30.0, 0.01);
    let mut open_ring = square("G2", 110.02, 30.0, 0.01);
    open_ring["geometry"]["coordinates"][0]
        .as_array_mut()
        .unwrap()
        .pop();
    let mut bow_tie = square("G3", 110.04, 30.0, 0.01);
    bow_tie["geometry"]["coordinates"] = json!([[
        [110.04, 30.0],
        [110.05, 30.01],
        [110.05, 30.0],
        [110.04, 30.01],
        [110.04, 30.0]
    ]]);
    let mut out_of_range = square("G4", 110.06, 30.0, 0.01);
    out_of_range["geometry"]["coordinates"][0][1] = json!([210.0, 30.0]);
    let overlapping = square("G5", 110.005, 30.0, 0.01);
    let shandan_grid = app
        .state
        .territory
        .current()
        .units()
        .iter()
        .find(|u| u.code.len() == 15)
        .unwrap()
        .code
        .clone();
    let stored_code = square(&shandan_grid, 111.0, 30.0, 0.01);
    // A grid dropped on top of stored Shandan grids.
    let on_shandan = square("G6", 101.0, 38.5, 0.05);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "invalid JSON",
            b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(),
            "invalid JSON at line 1",
        ),
        (
            "bare array",
            serde_json::to_vec(&json!([good.clone()])).unwrap(),
            "bare JSON array",
        ),
        (
            "unclosed ring",
            collection(vec![good.clone(), open_ring]),
            "feature 1 (code \"G2\"): ring 0 of polygon 0 is not closed",
        ),
        (
            "self-intersection",
            collection(vec![good.clone(), bow_tie]),
            "feature 1 (code \"G3\"): geometry is not valid",
        ),
        (
            "out of range",
            collection(vec![good.clone(), out_of_range]),
            "feature 1 (code \"G4\"): position 1 of ring 0 of polygon 0",
        ),
        (
            "overlap within the file",
            collection(vec![good.clone(), overlapping]),
            "feature 1 (code \"G5\") overlaps feature 0 (code \"G1\")",
        ),
        (
            "overlap with a stored grid",
            collection(vec![good.clone(), on_shandan]),
            "feature 1 (code \"G6\") overlaps stored grid",
        ),
        (
            "duplicate code in the file",
            collection(vec![good.clone(), square("G1", 110.02, 30.0, 0.01)]),
            "feature 1 (code \"G1\") repeats the code \"G1\" of feature 0",
        ),
        (
            "code already stored",
            collection(vec![good.clone(), stored_code]),
            "is already taken",
        ),
    ];
    let before = snapshot(&app).await;
    for (what, body, needle) in cases {
        let (status, err) = app.post_bytes("/v1/grids/import", &token, body).await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT,
            "{what}: {status} {err}"
        );
        let message = err["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{what}: {message}");
        assert_eq!(snapshot(&app).await, before, "{what} changed the database");
        assert!(
            app.state.territory.current().by_code("G1").is_none(),
            "{what} reached the index"
        );
    }
}

#[tokio::test]
async fn only_admins_and_county_operators_import_and_operators_only_into_their_county() {
    let (app, _) = TestApp::spawn_demo().await;
    let body = collection(vec![square("X1", 110.0, 30.0, 0.01)]);
    let (status, _) = app
        .post_bytes(
            "/v1/grids/import",
            &app.login("cadre").await.access_token,
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = app
        .post_bytes(
            "/v1/grids/import",
            &app.login("county-operator").await.access_token,
            body,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("not in your county")
    );
}
