//! Webhooks out: the 12345 platform hears of the status changes of the
//! tickets it transferred. With its receiver down for a while, deliveries
//! fail visibly, back off, and then resume: none lost, none reordered,
//! each signed.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use gridline_api::clock::ManualClock;
use gridline_tests::TestApp;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const WORKER_GRID: &str = "620725101201001";

/// A subscriber's endpoint: records what it is sent; answers 503 while down.
#[derive(Default)]
struct Receiver {
    down: AtomicBool,
    got: Mutex<Vec<(HeaderMap, String)>>,
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: String) -> AxumStatus {
    if r.down.load(Ordering::SeqCst) {
        return AxumStatus::SERVICE_UNAVAILABLE;
    }
    r.got.lock().unwrap().push((headers, body));
    AxumStatus::NO_CONTENT
}

async fn start_receiver() -> (Arc<Receiver>, String) {
    let r = Arc::new(Receiver::default());
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(Arc::clone(&r));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

fn verify(secret: &str, headers: &HeaderMap, body: &str) {
    let h = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_owned();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{body}", h("x-gridline-timestamp")).as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        h("x-gridline-signature"),
        format!("sha256={hex}"),
        "signature"
    );
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_every_change_in_order_signed() {
    let clock = Arc::new(ManualClock::at(gridline_api::clock::now_ms()));
    let (app, _) = TestApp::spawn_demo_on_clock(Arc::clone(&clock)).await;
    let admin = app.login("admin").await.access_token;
    let (key_id, key) = app
        .api_key(&admin, "山丹县12345热线", "hotline_12345")
        .await;
    let (receiver, url) = start_receiver().await;
    let (s, hook) = app
        .post_json(
            "/v1/webhooks",
            &admin,
            &json!({ "api_key_id": key_id, "url": url }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    let (s, v) = app
        .post_json(
            "/v1/webhooks",
            &admin,
            &json!({ "api_key_id": key_id, "url": "ftp://x" }),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    // Two tickets in; the receiver is down from the start.
    receiver.down.store(true, Ordering::SeqCst);
    let mut ids = Vec::new();
    for (n, seed) in [(1, 31), (2, 32)] {
        let (lon, lat) = app.point_in_grid(WORKER_GRID, seed);
        let r = app
            .client
            .post(app.url("/v1/transfers"))
            .header("x-api-key", &key)
            .json(&json!({ "external_id": format!("T-{n}"), "category": "safety_hazard",
                           "description": format!("电线垂落 {n}"), "location": { "lat": lat, "lon": lon } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(
            r.json::<Value>().await.unwrap()["case_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // A case another channel brought in is nobody's subscription.
    let worker = app.login("grid-worker").await.access_token;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 33);
    let (s, _) = app
        .post_json(
            "/v1/cases",
            &worker,
            &json!({ "category": "safety_hazard", "description": "巡查发现", "location": { "lat": lat, "lon": lon } }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // The township accepts both; the cadre works the first one through.
    let town = app.login("township-operator").await.access_token;
    let cadre = app.login("cadre").await.access_token;
    let act = |who: &str, id: &str, body: Value| {
        let (app, who, id) = (&app, who.to_owned(), id.to_owned());
        async move {
            let (s, v) = app
                .post_json(&format!("/v1/cases/{id}/actions"), &who, &body)
                .await;
            assert_eq!(s, StatusCode::OK, "{body}: {v}");
        }
    };
    act(&town, &ids[0], json!({ "action": "accept" })).await;
    act(&town, &ids[1], json!({ "action": "accept" })).await;

    let round = app.state.intake.webhooks.deliver_due().await.unwrap();
    assert_eq!(
        (round.delivered, round.failed),
        (0, 1),
        "one try, then the subscriber is down for the round"
    );
    act(&cadre, &ids[0], json!({ "action": "sign_for" })).await;
    act(&cadre, &ids[0], json!({ "action": "start" })).await;
    act(
        &cadre,
        &ids[0],
        json!({ "action": "resolve", "outcome": "handled", "summary": "已重新架线" }),
    )
    .await;

    // Failures are visible.
    let (_, hooks) = app.get("/v1/webhooks", &admin).await;
    let h = &hooks[0];
    assert_eq!(
        (h["failing"].as_i64(), h["delivered"].as_i64()),
        (Some(1), Some(0)),
        "{h}"
    );
    assert!(h["pending"].as_i64().unwrap() >= 6, "{h}");
    assert!(h["last_error"].as_str().unwrap().contains("503"), "{h}");
    assert!(h.get("secret").is_none());
    let (_, failing) = app
        .get(
            &format!("/v1/webhooks/{hook_id}/deliveries?state=failing"),
            &admin,
        )
        .await;
    assert_eq!(failing[0]["last_status"], 503, "{failing}");
    assert_eq!(failing[0]["attempts"], 1);

    // The other case's head, skipped in that round, is tried in the next;
    // then neither is due until its backoff passes.
    let failed = || async {
        app.state
            .intake
            .webhooks
            .deliver_due()
            .await
            .unwrap()
            .failed
    };
    assert_eq!(failed().await, 1);
    assert_eq!(failed().await, 0, "both wait out their backoff");
    clock.advance(10_001);
    assert_eq!(failed().await, 1);
    let (_, failing) = app
        .get(
            &format!("/v1/webhooks/{hook_id}/deliveries?state=failing"),
            &admin,
        )
        .await;
    let attempts: Vec<i64> = failing
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["attempts"].as_i64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2], "newest first: {failing}");

    // The receiver comes back; rounds run until the queue is empty.
    receiver.down.store(false, Ordering::SeqCst);
    clock.advance(60 * 60 * 1000);
    for _ in 0..20 {
        let r = app.state.intake.webhooks.deliver_due().await.unwrap();
        assert_eq!(r.failed, 0);
        if r.delivered == 0 {
            break;
        }
    }
    let got = receiver.got.lock().unwrap().clone();
    let mut per_case: std::collections::BTreeMap<String, Vec<(i64, String)>> = Default::default();
    let mut deliveries = std::collections::HashSet::new();
    for (headers, body) in &got {
        verify(&secret, headers, body);
        assert!(deliveries.insert(headers["x-gridline-delivery"].to_str().unwrap().to_owned()));
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["event"], "case.status_changed");
        per_case
            .entry(v["case_id"].as_str().unwrap().to_owned())
            .or_default()
            .push((
                v["version"].as_i64().unwrap(),
                v["gridline_status"].as_str().unwrap().to_owned(),
            ));
        if v["case_id"] == ids[0].as_str() {
            assert_eq!(v["external_id"], "T-1");
        }
    }
    assert_eq!(
        per_case.len(),
        2,
        "only the subscriber's cases: {per_case:?}"
    );
    let first: Vec<&str> = per_case[&ids[0]].iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        first,
        [
            "submitted",
            "assigned",
            "signed_for",
            "in_progress",
            "resolved"
        ],
        "every change of the first case, in order"
    );
    let second: Vec<&str> = per_case[&ids[1]].iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(second, ["submitted", "assigned"]);
    for changes in per_case.values() {
        assert!(
            changes.windows(2).all(|w| w[0].0 < w[1].0),
            "versions rise: {changes:?}"
        );
    }
    let (_, hooks) = app.get("/v1/webhooks", &admin).await;
    assert_eq!(
        (hooks[0]["pending"].as_i64(), hooks[0]["delivered"].as_i64()),
        (Some(0), Some(7))
    );
}
