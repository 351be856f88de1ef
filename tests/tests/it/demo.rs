//! The demo's month: a few hundred cases over Shandan in every state, made
//! by the real services, so that the statistics have something to say.

use gridline_core::time::Date;
use gridline_tests::TestApp;
use reqwest::StatusCode;
use std::sync::Arc;

#[tokio::test]
async fn the_demo_month_leaves_cases_in_every_state_and_statistics_that_say_something() {
    let (app, _) = TestApp::spawn_demo().await;
    let end = app.state.clock.now_ms();
    let month = gridline_api::demo::seed_month(
        Arc::clone(&app.state.store),
        Arc::clone(&app.state.territory),
        end,
    )
    .await
    .unwrap()
    .expect("a first run seeds");
    assert!(month.cases >= 300, "{month:?}");
    let states: Vec<&str> = month.by_status.keys().map(|s| s.as_str()).collect();
    for s in [
        "assigned",
        "in_progress",
        "returned",
        "resolved",
        "closed",
        "rejected",
        "merged",
    ] {
        assert!(states.contains(&s), "no {s} case in {month:?}");
    }
    assert!(month.escalated_by_scheduler > 0, "{month:?}");
    assert!(month.missed_visits > 0, "{month:?}");
    assert!(month.watches >= 40);
    // A second run leaves the month alone.
    let again = gridline_api::demo::seed_month(
        Arc::clone(&app.state.store),
        Arc::clone(&app.state.territory),
        end,
    )
    .await
    .unwrap();
    assert!(again.is_none());

    // The county operator's statistics cover the month, at every tier.
    let token = app.login("county-operator").await.access_token;
    let to = Date::of_instant(end);
    let from = to.plus_days(-31);
    let (s, stats) = app
        .get(
            &format!("/v1/stats?from={from}&to={to}&group_by=tier"),
            &token,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{stats}");
    let total = &stats["total"];
    assert!(total["accepted"].as_u64().unwrap() >= 280, "{total}");
    let rate = total["resolution_rate"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&rate), "{total}");
    assert!(total["escalated"].as_u64().unwrap() > 30, "{total}");
    assert!(
        total["settled_by_tier"].as_array().unwrap().len() >= 3,
        "{total}"
    );
    assert!(total["mean_rating"].as_f64().unwrap() > 3.0, "{total}");

    // The demo grid worker has cases and households to visit.
    let gw = app.login("grid-worker").await.access_token;
    let (_, mine) = app.get("/v1/cases?limit=5", &gw).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 5, "{mine}");
    let (_, visits) = app.get("/v1/watches", &gw).await;
    assert!(!visits["items"].as_array().unwrap().is_empty(), "{visits}");
}
