//! `/v1/stats` and `/v1/stats/map` on a seeded week, against figures worked
//! out by hand from the story below.

use gridline_core::time::Date;
use gridline_tests::town::Town;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `hh:mm` China time on `date`.
fn at(date: &str, hh: i64, mm: i64) -> i64 {
    date.parse::<Date>().unwrap().start_ms() + (hh * 60 + mm) * 60_000
}

const WEEK: &str = "from=2025-11-03&to=2025-11-07";

/// The week of Monday 3 November 2025 (no holidays), in Huocheng town:
///
/// | case | reported                        | dispatched     | end of the week                                   |
/// |------|---------------------------------|----------------|---------------------------------------------------|
/// | F    | gw1, Fri 31 Oct, grid 1         | Fri 31 Oct     | (dispatched before the week: not counted)         |
/// | A    | gw1, Mon 09:00, grid 1, neighbours | Mon 09:00   | mediated Mon 11:00 (on time), rated 5 on a return visit |
/// | B    | resident, Mon 09:00, grid 1, family | Mon 09:30 by the township | referred to court Wed 10:00 (late: due Tue), rated 2 |
/// | C    | gw2, Mon 10:00, grid 3, land    | Mon 10:00      | escalated Mon 14:00 to village 2; agreement Tue 15:00 (on time) |
/// | D    | gw1, Tue 09:00, grid 1, noise   | Tue 09:00      | open                                              |
/// | E    | resident, Tue 10:00, grid 1, debt | never (rejected) | not counted                                    |
async fn seeded_week() -> (Town, Value) {
    let town = Town::build(at("2025-10-31", 9, 0)).await;
    let clock = |t: i64| town.clock.set(t);

    let f = town.report("gw1", 0, "neighbour_dispute", json!({})).await;
    clock(at("2025-11-03", 8, 0));
    town.ok("gw1", &f, json!({"action": "start"})).await;
    town.ok(
        "gw1",
        &f,
        json!({"action": "resolve", "outcome": "mediated", "summary": "和好"}),
    )
    .await;

    clock(at("2025-11-03", 9, 0));
    let a = town.report("gw1", 0, "neighbour_dispute", json!({})).await;
    let b = town
        .report("resident1", 0, "family_dispute", json!({}))
        .await;
    clock(at("2025-11-03", 9, 30));
    town.ok("town-op", &b, json!({"action": "accept"})).await;
    clock(at("2025-11-03", 10, 0));
    let c = town.report("gw2", 2, "land_dispute", json!({})).await;
    town.ok("gw1", &b, json!({"action": "sign_for"})).await;
    town.ok("gw1", &a, json!({"action": "start"})).await;
    clock(at("2025-11-03", 11, 0));
    town.ok(
        "gw1",
        &a,
        json!({"action": "resolve", "outcome": "mediated", "summary": "当场调解"}),
    )
    .await;
    clock(at("2025-11-03", 14, 0));
    town.ok(
        "gw2",
        &c,
        json!({"action": "escalate", "reason": "初调不成"}),
    )
    .await;
    clock(at("2025-11-03", 15, 0));
    let c2 = town.ok("cadre2", &c, json!({"action": "sign_for"})).await;
    assert_eq!(c2["tier"]["name"], "village");
    town.ok("cadre2", &c, json!({"action": "start"})).await;
    town.ok(
        "town-op",
        &a,
        json!({"action": "rate", "stars": 5, "comment": "回访满意"}),
    )
    .await;

    clock(at("2025-11-04", 9, 0));
    town.report("gw1", 0, "noise", json!({})).await;
    clock(at("2025-11-04", 10, 0));
    let e = town.report("resident1", 0, "debt", json!({})).await;
    clock(at("2025-11-04", 11, 0));
    town.ok(
        "town-op",
        &e,
        json!({"action": "reject", "reason": "不属于受理范围"}),
    )
    .await;
    clock(at("2025-11-04", 15, 0));
    town.ok(
        "cadre2",
        &c,
        json!({"action": "resolve", "outcome": "agreement_signed", "summary": "签订协议"}),
    )
    .await;

    clock(at("2025-11-05", 9, 0));
    town.ok("gw1", &b, json!({"action": "start"})).await;
    clock(at("2025-11-05", 10, 0));
    town.ok(
        "gw1",
        &b,
        json!({"action": "resolve", "outcome": "referred_to_litigation", "summary": "引导诉讼"}),
    )
    .await;
    town.ok("resident1", &b, json!({"action": "rate", "stars": 2}))
        .await;
    (town, a)
}

async fn stats(town: &Town, user: &str, query: &str) -> Value {
    let (s, body) = town.get(user, &format!("/v1/stats?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

fn group<'a>(body: &'a Value, key: &str) -> &'a Value {
    body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {body}"))
}

fn counts(f: &Value) -> [u64; 5] {
    ["accepted", "resolved", "settled", "on_time", "escalated"].map(|k| f[k].as_u64().unwrap())
}

#[tokio::test]
async fn the_figures_of_a_seeded_week_equal_the_hand_computed_ones() {
    let (town, a) = seeded_week().await;
    let body = stats(&town, "supervisor", WEEK).await;
    let t = &body["total"];
    // A, B, C, D dispatched in the week; F before it, E never.
    assert_eq!(counts(t), [4, 3, 2, 2, 1], "{t}");
    // Settled A and C of 4 accepted; on time A and C of 3 resolved.
    assert_eq!(t["resolution_rate"], 0.5);
    assert_eq!(t["on_time_rate"].as_f64().unwrap(), 2.0 / 3.0);
    // To accept: A 0, B 30, C 0, D 0 minutes.
    assert_eq!(t["mean_minutes_to_accept"], 7.5);
    // To resolve: A 2 h, B 48.5 h, C 29 h.
    assert_eq!(t["mean_hours_to_resolve"], 26.5);
    assert_eq!(t["rated"], 2);
    assert_eq!(t["mean_rating"], 3.5);
    assert_eq!(
        t["settled_by_tier"],
        json!([
            { "tier": 0, "name": "grid", "settled": 1, "share": 0.5 },
            { "tier": 1, "name": "village", "settled": 1, "share": 0.5 },
        ])
    );

    let by_grid = stats(&town, "supervisor", &format!("{WEEK}&group_by=grid")).await;
    assert_eq!(by_grid["groups"].as_array().unwrap().len(), 2);
    let g1 = group(&by_grid, "654023101201001");
    assert_eq!(counts(g1), [3, 2, 1, 1, 0]);
    assert_eq!(g1["name"], "一村第1网格");
    assert_eq!(g1["resolution_rate"].as_f64().unwrap(), 1.0 / 3.0);
    assert_eq!(counts(group(&by_grid, "654023101202001")), [1, 1, 1, 1, 1]);

    // By unit: the one holding the case at the end (C went up to village 2).
    let by_unit = stats(&town, "supervisor", &format!("{WEEK}&group_by=unit")).await;
    assert_eq!(counts(group(&by_unit, "654023101201001")), [3, 2, 1, 1, 0]);
    assert_eq!(counts(group(&by_unit, "654023101202")), [1, 1, 1, 1, 1]);
    assert_eq!(group(&by_unit, "654023101202")["name"], "二村");

    let by_tier = stats(&town, "supervisor", &format!("{WEEK}&group_by=tier")).await;
    assert_eq!(counts(group(&by_tier, "0")), [3, 2, 1, 1, 0]);
    assert_eq!(group(&by_tier, "1")["name"], "village");

    let by_category = stats(&town, "supervisor", &format!("{WEEK}&group_by=category")).await;
    let family = group(&by_category, "family_dispute");
    assert_eq!(counts(family), [1, 1, 0, 0, 0]);
    assert_eq!(family["mean_rating"], 2.0);
    assert_eq!(family["mean_minutes_to_accept"], 30.0);
    assert_eq!(by_category["groups"].as_array().unwrap().len(), 4);

    // The week has ended: reopening A later does not change its figures.
    town.clock.set(at("2025-11-10", 9, 0));
    town.ok(
        "town-op",
        &a,
        json!({"action": "reopen", "reason": "又吵起来了"}),
    )
    .await;
    assert_eq!(stats(&town, "supervisor", WEEK).await, body);
    // A period running into the reopening sees it open again.
    let longer = stats(&town, "supervisor", "from=2025-11-03&to=2025-11-10").await;
    assert_eq!(counts(&longer["total"]), [4, 2, 1, 1, 1]);
}

#[tokio::test]
async fn each_role_sees_the_figures_of_its_own_jurisdiction_and_bad_queries_are_named() {
    let (town, _) = seeded_week().await;
    let accepted = |b: &Value| b["total"]["accepted"].as_u64().unwrap();
    assert_eq!(accepted(&stats(&town, "county-op", WEEK).await), 4);
    assert_eq!(accepted(&stats(&town, "cadre1", WEEK).await), 3);
    assert_eq!(accepted(&stats(&town, "gw2", WEEK).await), 1);
    assert_eq!(accepted(&stats(&town, "judicial", WEEK).await), 0);
    let (s, body) = town.get("resident1", &format!("/v1/stats?{WEEK}")).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_permitted"))
    );

    for (query, names) in [
        ("from=2025-13-01", "from"),
        ("from=2025-11-07&to=2025-11-03", "before it starts"),
        ("group_by=colour", "group_by"),
        ("from=2020-01-01&to=2025-01-01", "longer than"),
    ] {
        let (s, body) = town.get("supervisor", &format!("/v1/stats?{query}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["code"], "invalid_input");
        assert!(
            body["message"].as_str().unwrap().contains(names),
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn the_map_gives_every_visible_grid_its_figures() {
    let (town, _) = seeded_week().await;
    let (s, map) = town
        .get("supervisor", &format!("/v1/stats/map?{WEEK}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{map}");
    assert_eq!(map["type"], "FeatureCollection");
    let features = map["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    let by_code = |code: &str| {
        features
            .iter()
            .find(|f| f["properties"]["code"] == code)
            .unwrap()
    };
    let g1 = by_code("654023101201001");
    assert_eq!(g1["properties"]["accepted"], 3);
    assert_eq!(g1["properties"]["settled"], 1);
    assert_eq!(g1["geometry"]["type"], "MultiPolygon");
    let quiet = &by_code("654023101201002")["properties"];
    assert_eq!(quiet["accepted"], 0);
    assert_eq!(quiet["resolution_rate"], Value::Null);

    // A cadre's map covers their village only.
    let (_, mine) = town.get("cadre1", &format!("/v1/stats/map?{WEEK}")).await;
    assert_eq!(mine["features"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn residents_are_told_figures_are_for_handlers_not_about_a_case() {
    let town = Town::build(1_762_131_600_000).await;
    for path in ["/v1/stats", "/v1/stats/map"] {
        let (s, e) = town.get("resident1", path).await;
        assert_eq!(
            (s, e["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("not_permitted")),
            "{path}: {e}"
        );
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("resident") && !message.contains("case does not allow"),
            "{path}: {message}"
        );
    }
}
