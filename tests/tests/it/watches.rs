//! The register of watched households and places: visits scheduled by
//! colour, rescheduled when the class changes, a missed visit warned once,
//! scope and bad input.

use gridline_core::time::{Date, Instant};
use gridline_tests::town::{Town, grid_centre};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn at(date: &str, hh: i64, mm: i64) -> i64 {
    date.parse::<Date>().unwrap().start_ms() + (hh * 60 + mm) * 60_000
}

fn end_of(date: &str) -> String {
    Instant(date.parse::<Date>().unwrap().end_ms()).to_string()
}

fn body(col: u32, level: &str, kind: &str) -> Value {
    let (lon, lat) = grid_centre(col);
    json!({
        "kind": kind,
        "label": "马家（夫妻常争吵）",
        "address": "一村三组 12 号",
        "location": { "lat": lat, "lon": lon },
        "level": level,
        "reason": "婚姻家庭矛盾，多次调解",
    })
}

async fn register(town: &Town, user: &str, b: &Value) -> Value {
    let (s, w) = town.post(user, "/v1/watches", b).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    w
}

fn path(w: &Value, tail: &str) -> String {
    format!("/v1/watches/{}{tail}", w["id"].as_str().unwrap())
}

#[tokio::test]
async fn visits_follow_the_colour_a_class_change_reschedules_and_a_missed_visit_warns_once() {
    let town = Town::build(at("2025-11-03", 10, 0)).await;
    let w = register(&town, "gw1", &body(0, "low", "household")).await;
    assert_eq!(w["colour"], "yellow");
    assert_eq!(w["grid"]["code"], "654023101201001");
    assert_eq!(w["responsible"]["display_name"], "gw1 的名字");
    // Yellow: every half month.
    assert_eq!(w["next_visit"]["due"], end_of("2025-11-18"));

    // The village raises it to high risk: red, twice a week.
    town.clock.set(at("2025-11-04", 9, 0));
    let (s, w) = town
        .post(
            "cadre1",
            &path(&w, "/level"),
            &json!({"level": "high", "reason": "扬言动手"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["colour"], "red");
    assert_eq!(w["next_visit"]["due"], end_of("2025-11-07"));

    // Nobody went by Friday: early Saturday the scheduler warns, once.
    town.clock.set(at("2025-11-08", 0, 10));
    let watches = &town.app.state.watches;
    assert_eq!(watches.tick("replica-a").await.unwrap().missed, 1);
    assert_eq!(watches.tick("replica-a").await.unwrap().missed, 0);
    assert!(watches.tick("replica-b").await.unwrap().not_leader);
    let (_, w) = town.get("gw1", &path(&w, "")).await;
    assert_eq!(w["next_visit"]["late"], true);
    assert_eq!(
        w["next_visit"]["missed_warned_at"],
        Instant(at("2025-11-08", 0, 10)).to_string()
    );
    let history = w["history"].as_array().unwrap();
    let missed: Vec<&Value> = history
        .iter()
        .filter(|e| e["action"] == "visit_missed")
        .collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["actor"], Value::Null);
    assert_eq!(missed[0]["detail"]["owed"], end_of("2025-11-07"));

    // The grid worker visits on Saturday morning: late, and the next is due
    // three days on.
    town.clock.set(at("2025-11-08", 10, 0));
    let (s, w) = town
        .post(
            "gw1",
            &path(&w, "/visits"),
            &json!({"note": "双方情绪平稳，已约定分居冷静"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["next_visit"]["due"], end_of("2025-11-11"));
    assert_eq!(w["next_visit"]["missed_warned_at"], Value::Null);
    assert_eq!(
        w["last_visit_at"],
        Instant(at("2025-11-08", 10, 0)).to_string()
    );
    let visit = w["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (visit["action"].as_str(), &visit["detail"]["late"]),
        (Some("visit"), &json!(true))
    );

    // Safe again: no more visits owed, nothing for the scheduler.
    let (_, w) = town
        .post(
            "gw1",
            &path(&w, "/level"),
            &json!({"level": "safe", "reason": "矛盾化解"}),
        )
        .await;
    assert_eq!(w["next_visit"], Value::Null);
    assert_eq!(w["colour"], Value::Null);
    town.clock.set(at("2025-12-31", 0, 0));
    assert_eq!(watches.tick("replica-a").await.unwrap().missed, 0);
    let (_, w) = town.get("gw1", &path(&w, "")).await;
    let actions: Vec<&str> = w["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["register", "level", "visit_missed", "visit", "level"]
    );
}

#[tokio::test]
async fn the_visit_list_is_soonest_first_and_scoped_by_jurisdiction() {
    let town = Town::build(at("2025-11-03", 10, 0)).await;
    let blue = register(&town, "gw1", &body(0, "micro", "household")).await;
    // Grid 2 has no grid worker: the village registers it, nobody is named.
    let orange = register(&town, "cadre1", &body(1, "medium", "place")).await;
    assert_eq!(orange["responsible"], Value::Null);
    let red = register(&town, "gw2", &body(2, "high", "household")).await;

    let due_by = |d: &str| format!("/v1/watches?due_by={}", end_of(d).replace('+', "%2B"));
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (s, page) = town.get("supervisor", &due_by("2025-12-31")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        [&red["id"], &orange["id"], &blue["id"]].map(|v| v.as_str().unwrap().to_owned())
    );
    let (_, page) = town.get("supervisor", &due_by("2025-11-10")).await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        2,
        "{page} {orange}"
    );
    // Paging through one at a time gives the same order.
    let (_, p1) = town
        .get("cadre1", &format!("{}&limit=1", due_by("2025-12-31")))
        .await;
    let cursor = p1["next_cursor"].as_str().unwrap().to_owned();
    let (_, p2) = town
        .get(
            "cadre1",
            &format!("{}&limit=1&cursor={cursor}", due_by("2025-12-31")),
        )
        .await;
    assert_eq!(ids(&p1), [orange["id"].as_str().unwrap()]);
    assert_eq!(ids(&p2), [blue["id"].as_str().unwrap()]);

    let (_, mine) = town.get("gw1", "/v1/watches").await;
    assert_eq!(ids(&mine), [blue["id"].as_str().unwrap()]);
    let (_, theirs) = town.get("cadre2", "/v1/watches").await;
    assert_eq!(ids(&theirs), [red["id"].as_str().unwrap()]);

    // Outside one's jurisdiction an entry does not exist.
    for user in ["gw2", "cadre2", "judicial", "resident1"] {
        let (s, _) = town.get(user, &path(&blue, "")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
    }
    // A supervisor reads but does not reclass; a resident cannot register.
    let (s, _) = town.get("supervisor", &path(&blue, "")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = town
        .post(
            "supervisor",
            &path(&blue, "/level"),
            &json!({"level": "low", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_permitted"))
    );
    let (s, _) = town
        .post("resident1", "/v1/watches", &body(0, "low", "household"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Nor may a grid worker register in another's grid.
    let (s, _) = town
        .post("gw2", "/v1/watches", &body(0, "low", "household"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_input_names_what_is_wrong_and_changes_nothing() {
    let town = Town::build(at("2025-11-03", 10, 0)).await;
    let w = register(&town, "gw1", &body(0, "low", "household")).await;

    let mut purple = body(0, "low", "household");
    purple["level"] = json!("purple");
    let (s, e) = town.post("gw1", "/v1/watches", &purple).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("purple"), "{e}");

    let mut far = body(0, "low", "household");
    far["location"] = json!({"lat": 30.0, "lon": 100.0});
    let (s, e) = town.post("gw1", "/v1/watches", &far).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("outside_territory"))
    );

    let (s, e) = town
        .post(
            "gw1",
            &path(&w, "/level"),
            &json!({"level": "low", "reason": "复核"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("already classed low"),
        "{e}"
    );

    let tomorrow = Instant(at("2025-11-04", 10, 0)).to_string();
    let (s, e) = town
        .post(
            "gw1",
            &path(&w, "/visits"),
            &json!({"note": "走访", "at": tomorrow}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("future"), "{e}");
    let (s, _) = town
        .post("gw1", &path(&w, "/visits"), &json!({"note": "   "}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, e) = town.get("gw1", "/v1/watches?level=purple").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().starts_with("level:"), "{e}");

    let (_, after) = town.get("gw1", &path(&w, "")).await;
    assert_eq!(after["version"], w["version"]);
    assert_eq!(after["history"].as_array().unwrap().len(), 1);

    // The same registration sent again (a lost response) is the same entry.
    let mut again = body(0, "low", "household");
    again["id"] = w["id"].clone();
    let (s, same) = town.post("gw1", "/v1/watches", &again).await;
    assert_eq!((s, &same["version"]), (StatusCode::CREATED, &w["version"]));
}
