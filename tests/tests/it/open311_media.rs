//! Open311 `POST requests` with a photo (`multipart/form-data`, the v2.1
//! draft's `media`): the photo is attached to the case and stored, staff
//! see and download it; a part that is not a JPEG or PNG photo, one too
//! big, or one that does not decode is refused by name and nothing is
//! created; the test endpoint checks the photo and stores nothing.

use gridline_tests::TestApp;
use gridline_tests::photo::{jpeg, png, sha256_hex};
use reqwest::StatusCode;
use serde_json::Value;

const WORKER_GRID: &str = "620725101201001";
const BOUNDARY: &str = "gridline-test-7d1f";

/// A part of a multipart body: a field, or a file with its type.
enum Part<'a> {
    Text(&'a str, String),
    File(&'a str, &'a str, Vec<u8>),
}

/// The body as a browser or a curl `-F` would send it.
fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                out.extend_from_slice(value.as_bytes());
            }
            Part::File(name, ty, data) => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"photo\"\r\nContent-Type: {ty}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(data);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn post(app: &TestApp, path: &str, parts: &[Part<'_>]) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(parts))
        .send()
        .await
        .unwrap();
    let s = r.status();
    let body = r.text().await.unwrap();
    (
        s,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")),
    )
}

fn fields(app: &TestApp, seed: u64) -> Vec<Part<'static>> {
    let (lon, lat) = app.point_in_grid(WORKER_GRID, seed);
    vec![
        Part::Text("service_code", "safety_hazard".into()),
        Part::Text("lat", lat.to_string()),
        Part::Text("long", lon.to_string()),
        Part::Text("description", "桥头护栏断了一截，晚上看不清".into()),
    ]
}

#[tokio::test]
async fn a_photo_posted_with_the_request_is_on_the_case_for_staff() {
    let (app, _) = TestApp::spawn_demo().await;
    let photo = jpeg(640, 480, 3);
    let mut parts = fields(&app, 21);
    parts.push(Part::File("media", "image/jpeg", photo.clone()));
    let (s, v) = post(&app, "/open311/v2/requests.json", &parts).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v[0]["service_request_id"].as_str().unwrap().to_owned();

    let admin = app.login("admin").await.access_token;
    let (s, case) = app.get(&format!("/v1/cases/{id}"), &admin).await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["channel"], "open311");
    let photos = case["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1, "{case}");
    assert_eq!(photos[0]["sha256"], sha256_hex(&photo));
    assert_eq!(photos[0]["bytes"], photo.len());
    assert_eq!(photos[0]["mime"], "image/jpeg");
    assert_eq!(photos[0]["available"], true, "the bytes came with it");

    let r = app
        .client
        .get(app.url(&format!("/v1/blobs/{}", sha256_hex(&photo))))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), photo.as_slice());

    // A PNG, answered in XML, works the same way.
    let mut parts = fields(&app, 22);
    parts.push(Part::File("media", "image/png", png(64, 48, 4)));
    let r = app
        .client
        .post(app.url("/open311/v2/requests.xml"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&parts))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<service_request_id>"));
}

#[tokio::test]
async fn a_bad_photo_is_refused_by_name_and_nothing_is_created() {
    let (app, _) = TestApp::spawn_demo().await;
    let before = app.case_count().await;
    let mut noise_jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    noise_jpeg.extend(std::iter::repeat_n(7u8, 2000));
    let mut huge = jpeg(32, 32, 5);
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let cases_of_bad: Vec<(Vec<Part<'static>>, &str)> = vec![
        (vec![Part::File("media", "image/gif", gif)], "JPEG or PNG"),
        (vec![Part::File("media", "image/jpeg", noise_jpeg)], "media"),
        (
            vec![Part::File("media", "image/jpeg", huge)],
            "larger than 10 MiB",
        ),
        (
            vec![Part::File("media", "image/jpeg", Vec::new())],
            "media is empty",
        ),
        (
            vec![
                Part::File("media", "image/png", png(8, 8, 1)),
                Part::File("media", "image/png", png(8, 8, 2)),
            ],
            "only one media",
        ),
        (
            vec![Part::File("description", "text/plain", b"x".to_vec())],
            "'description' is a file",
        ),
    ];
    for (seed, (extra, says)) in (30..).zip(cases_of_bad) {
        let mut parts = fields(&app, seed);
        parts.extend(extra);
        let (s, v) = post(&app, "/open311/v2/requests.json", &parts).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{says}: {v}");
        assert_eq!(v[0]["code"], 400);
        let d = v[0]["description"].as_str().unwrap();
        assert!(d.contains(says), "{d} should say {says}");
    }
    assert_eq!(app.case_count().await, before, "nothing was created");
}

#[tokio::test]
async fn the_test_endpoint_checks_the_photo_and_stores_nothing() {
    let (app, _) = TestApp::spawn_demo().await;
    let before = app.case_count().await;
    let photo = png(40, 30, 9);
    let mut parts = fields(&app, 40);
    parts.push(Part::File("media", "image/png", photo.clone()));
    let (s, v) = post(&app, "/open311/test/v2/requests.json", &parts).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["token"], "test");
    let stored = app
        .state
        .store
        .blob_meta(&sha256_hex(&photo))
        .await
        .unwrap();
    assert!(stored.is_none(), "the test endpoint stored the photo");
    let mut parts = fields(&app, 41);
    parts.push(Part::File("media", "image/gif", b"GIF89a".to_vec()));
    let (s, _) = post(&app, "/open311/test/v2/requests.json", &parts).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "the test endpoint checks the photo"
    );
    assert_eq!(app.case_count().await, before);
}
