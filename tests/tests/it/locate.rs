use gridline_core::{Crs, gcj02};
use gridline_tests::TestApp;
use reqwest::StatusCode;

fn point_in_grid(app: &TestApp, code: &str) -> (f64, f64) {
    app.point_in_grid(code, 9)
}

#[tokio::test]
async fn a_point_in_a_grid_names_the_grid_its_parents_and_who_answers_for_it() {
    let (app, accounts) = TestApp::spawn_demo().await;
    let token = app.login("township-operator").await.access_token;
    let worker_grid = accounts
        .iter()
        .find(|a| a.username == "grid-worker")
        .unwrap()
        .unit
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let (lon, lat) = point_in_grid(&app, &worker_grid);
    let (status, body) = app
        .get(&format!("/v1/locate?lat={lat}&lon={lon}"), &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["grid"]["code"], worker_grid.as_str());
    assert_eq!(body["county"]["code"], "620725");
    assert_eq!(body["township"]["name"], "清泉镇");
    assert!(worker_grid.starts_with(body["village"]["code"].as_str().unwrap()));
    assert_eq!(body["distance_m"], 0.0);
    let roles: Vec<&str> = body["responsible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"grid_worker") && roles.contains(&"village_cadre"),
        "{body}"
    );

    // The same place stated in GCJ-02, as a Chinese map shows it, lands in the same grid.
    let (glon, glat) = gcj02::wgs84_to_gcj02(lon, lat);
    let (_, body) = app
        .get(
            &format!("/v1/locate?lat={glat}&lon={glon}&crs=gcj02"),
            &token,
        )
        .await;
    assert_eq!(body["grid"]["code"], worker_grid.as_str());
}

#[tokio::test]
async fn a_point_far_from_every_grid_is_unassigned() {
    let (app, _) = TestApp::spawn_demo().await;
    let token = app.login("resident").await.access_token;
    // Lanzhou is 400 km from Shandan.
    let (status, body) = app.get("/v1/locate?lat=36.06&lon=103.83", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["grid"].is_null() && body["county"].is_null(), "{body}");
}

#[tokio::test]
async fn a_point_just_outside_the_county_goes_to_the_nearest_grid_and_says_how_far() {
    let (app, _) = TestApp::spawn_demo().await;
    let token = app.login("resident").await.access_token;
    let t = app.state.territory.current();
    // Step north from the northernmost vertex of all grids.
    let top = (0..t.index.len())
        .flat_map(|g| t.index.rings(g).flatten().collect::<Vec<_>>())
        .max_by(|a, b| a[1].total_cmp(&b[1]))
        .unwrap();
    let lat = top[1] + 0.0005; // about 55 m
    let (_, body) = app
        .get(&format!("/v1/locate?lat={lat}&lon={}", top[0]), &token)
        .await;
    assert!(body["grid"].is_object(), "{body}");
    let d = body["distance_m"].as_f64().unwrap();
    assert!((50.0..60.0).contains(&d), "{d}");
    let (_, body) = app
        .get(
            &format!("/v1/locate?lat={}&lon={}", top[1] + 0.01, top[0]),
            &token,
        )
        .await;
    assert!(
        body["grid"].is_null(),
        "1.1 km out is beyond the tolerance: {body}"
    );
}

#[tokio::test]
async fn bad_coordinates_get_an_error_that_names_the_fault() {
    let (app, _) = TestApp::spawn_demo().await;
    let token = app.login("resident").await.access_token;
    for (query, needle) in [
        ("lat=91&lon=101", "latitude 91"),
        ("lat=38&lon=181", "longitude 181"),
        ("lat=NaN&lon=101", "latitude NaN"),
        ("lat=0&lon=0", "null island"),
        ("lat=38&lon=101&crs=bd09", "unknown coordinate system"),
    ] {
        let (status, body) = app.get(&format!("/v1/locate?{query}"), &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["code"], "invalid_coordinate", "{query}");
        assert!(
            body["message"].as_str().unwrap().contains(needle),
            "{query}: {body}"
        );
    }
    let (status, body) = app.get("/v1/locate?lat=38", &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "invalid_input");
    assert!(body["message"].as_str().unwrap().contains("lon"), "{body}");
}

#[test]
fn crs_spellings_match_the_api() {
    for c in Crs::ALL {
        assert_eq!(c.as_str().parse::<Crs>().unwrap(), c);
    }
}
