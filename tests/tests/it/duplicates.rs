//! Likely duplicates on a fixture of nearby cases: the same hazard
//! reported three times within a few metres, once far off, and a noise
//! complaint on the same spot. Only the near hazards are offered; the
//! operator merges one, and the case it went into keeps its report,
//! reporter and photo.

use gridline_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

const WORKER_GRID: &str = "620725101201001";

#[tokio::test]
async fn near_repeats_are_offered_and_a_merge_keeps_every_report() {
    let (app, _) = TestApp::spawn_demo().await;
    let worker = app.login("grid-worker").await.access_token;
    let town = app.login("township-operator").await.access_token;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 41);
    let photo = uuid::Uuid::now_v7().to_string();
    let report = |category: &str, dlat: f64, text: &str, photos: Value| {
        let (app, worker) = (&app, worker.clone());
        let body = json!({ "category": category, "description": text,
                           "location": { "lat": lat + dlat, "lon": lon }, "photos": photos });
        async move {
            let (s, v) = app.post_json("/v1/cases", &worker, &body).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_str().unwrap().to_owned()
        }
    };
    // About 11 m apart each; the far one about 550 m off.
    let first = report("safety_hazard", 0.0, "变压器旁电线垂落", json!([])).await;
    let second = report("safety_hazard", 0.0001, "电线离地很低", json!([])).await;
    let far = report("safety_hazard", 0.005, "另一处电线杆倾斜", json!([])).await;
    let noise = report("noise", 0.0, "夜间施工噪音", json!([])).await;
    let third = report(
        "safety_hazard",
        0.0002,
        "同一处电线，孩子放学经过",
        json!([{ "photo": photo, "sha256": "ab".repeat(32), "bytes": 1000, "mime": "image/jpeg" }]),
    )
    .await;

    let (s, d) = app
        .get(&format!("/v1/cases/{third}/duplicates"), &town)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let offered: Vec<&str> = d["likely"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        offered,
        [second.as_str(), first.as_str()],
        "nearest first: {d}"
    );
    for other in [&far, &noise] {
        assert!(!offered.contains(&other.as_str()));
    }
    assert!(d["likely"][0]["distance_m"].as_f64().unwrap() < 20.0, "{d}");
    // The reporter is offered them too.
    let (_, mine) = app
        .get(&format!("/v1/cases/{third}/duplicates"), &worker)
        .await;
    assert_eq!(mine["likely"].as_array().unwrap().len(), 2, "{mine}");

    // Through Open311, the sender is told.
    let r = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header("accept-language", "en")
        .form(&[
            ("service_code", "safety_hazard".to_owned()),
            ("lat", (lat + 0.00005).to_string()),
            ("long", lon.to_string()),
        ])
        .send()
        .await
        .unwrap();
    let posted: Value = r.json().await.unwrap();
    let notice = posted[0]["service_notice"].as_str().unwrap();
    assert!(
        notice.contains("3 open request(s) of this kind nearby"),
        "{notice}"
    );

    // The operator merges the third into the first.
    let (s, v) = app
        .post_json(
            &format!("/v1/cases/{third}/actions"),
            &town,
            &json!({ "action": "merge", "into": first }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["merged_into"].as_str()),
        (Some("merged"), Some(first.as_str()))
    );

    let (_, d) = app
        .get(&format!("/v1/cases/{first}/duplicates"), &town)
        .await;
    let merged = &d["merged"];
    assert_eq!(merged.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(merged[0]["id"], third.as_str());
    assert_eq!(merged[0]["description"], "同一处电线，孩子放学经过");
    assert_eq!(merged[0]["reporter"], "刘洋(网格员)");
    assert_eq!(merged[0]["photos"], json!([photo]));
    // A merged case is no longer offered; the one it went into still is.
    let (_, d) = app
        .get(&format!("/v1/cases/{second}/duplicates"), &town)
        .await;
    let offered: Vec<&str> = d["likely"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(offered, [first.as_str()], "{d}");

    // Open311 shows the merged one closed, pointing to the other.
    let r = app
        .client
        .get(app.url(&format!(
            "/open311/v2/requests/{third}.json?extensions=true"
        )))
        .send()
        .await
        .unwrap();
    let got: Value = r.json().await.unwrap();
    assert_eq!(got[0]["status"], "closed");
    assert_eq!(got[0]["extended_attributes"]["merged_into"], first.as_str());
}
