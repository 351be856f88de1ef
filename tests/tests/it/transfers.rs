//! Tickets transferred from the 12345 hotline (and the 110 platform, the
//! courts): one case per (source, external id); a resend changes nothing,
//! a changed ticket amends its case with history; the channel is recorded.

use gridline_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

const WORKER_GRID: &str = "620725101201001";

async fn send(app: &TestApp, key: Option<&str>, ticket: &Value) -> (StatusCode, Value) {
    let mut r = app.client.post(app.url("/v1/transfers")).json(ticket);
    if let Some(k) = key {
        r = r.header("x-api-key", k);
    }
    let r = r.send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_same_ticket_twice_is_one_case_and_a_changed_one_an_update_with_history() {
    let (app, _) = TestApp::spawn_demo().await;
    let admin = app.login("admin").await.access_token;
    let (_, key) = app
        .api_key(&admin, "山丹县12345热线", "hotline_12345")
        .await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 21);
    let ticket = json!({
        "external_id": "GS12345-20261121-0042",
        "category": "wage_arrears",
        "description": "来电人反映某工地拖欠三名工人工资共计3.6万元",
        "location": { "lat": lat, "lon": lon },
        "address": "山丹县清泉镇南关村工地",
        "caller": { "name": "张建国", "phone": "13893621234" },
        "people_affected": 3,
        "amount_yuan": 36000
    });

    let (s, first) = send(&app, Some(&key), &ticket).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(
        (first["outcome"].as_str(), first["revision"].as_i64()),
        (Some("created"), Some(1))
    );
    let id = first["case_id"].as_str().unwrap().to_owned();

    let (s, again) = send(&app, Some(&key), &ticket).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "unchanged");
    assert_eq!(
        again["case_id"],
        id.as_str(),
        "the same ticket is the same case"
    );

    let (_, case) = app.get(&format!("/v1/cases/{id}"), &admin).await;
    assert_eq!(case["channel"], "hotline_12345");
    assert_eq!(
        case["status"], "submitted",
        "it waits for a centre to accept it"
    );
    assert_eq!(case["amount_yuan"], 36000);
    let version = case["version"].as_i64().unwrap();

    // The hotline learns more and sends the ticket again, changed.
    let mut changed = ticket.clone();
    changed["description"] = json!("拖欠五名工人工资共计6万元，工人欲上访");
    changed["people_affected"] = json!(5);
    changed["amount_yuan"] = json!(60000);
    changed["caller"]["phone"] = json!("13893629999");
    let (s, upd) = send(&app, Some(&key), &changed).await;
    assert_eq!(s, StatusCode::OK, "{upd}");
    assert_eq!(
        (upd["outcome"].as_str(), upd["revision"].as_i64()),
        (Some("updated"), Some(2))
    );
    assert_eq!(upd["case_id"], id.as_str());

    let (_, case) = app.get(&format!("/v1/cases/{id}"), &admin).await;
    assert_eq!(case["description"], "拖欠五名工人工资共计6万元，工人欲上访");
    assert_eq!(
        (
            case["people_affected"].as_i64(),
            case["amount_yuan"].as_i64()
        ),
        (Some(5), Some(60000))
    );
    assert_eq!(case["version"].as_i64(), Some(version + 1));
    let (_, contact) = app.get(&format!("/v1/cases/{id}/contact"), &admin).await;
    assert_eq!(contact["phone"], "13893629999");
    assert_eq!(contact["first_name"], "张建国");

    let (_, history) = app.get(&format!("/v1/cases/{id}/history"), &admin).await;
    let amend = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "amend")
        .unwrap_or_else(|| panic!("no amend event: {history}"));
    let text = amend.to_string();
    for kept in [
        "3.6万元",
        "6万元",
        "36000",
        "60000",
        "13893621234",
        "13893629999",
    ] {
        assert!(text.contains(kept), "the history keeps {kept}: {text}");
    }

    // The changed ticket sent again is unchanged at revision 2.
    let (_, again) = send(&app, Some(&key), &changed).await;
    assert_eq!(
        (again["outcome"].as_str(), again["revision"].as_i64()),
        (Some("unchanged"), Some(2))
    );
    let cases = app.get("/v1/cases?limit=200", &admin).await.1;
    let n = cases["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["channel"] == "hotline_12345")
        .count();
    assert_eq!(n, 1, "one case for the ticket");
}

#[tokio::test]
async fn each_source_has_its_key_and_bad_tickets_change_nothing() {
    let (app, _) = TestApp::spawn_demo().await;
    let admin = app.login("admin").await.access_token;
    let (_, hotline) = app.api_key(&admin, "12345", "hotline_12345").await;
    let (police_id, police) = app.api_key(&admin, "110联动", "police_110").await;
    let (lon, lat) = app.point_in_grid(WORKER_GRID, 22);
    let ticket = json!({
        "external_id": "A-1",
        "category": "neighbour_dispute",
        "description": "两户因排水沟争执，110转来",
        "location": { "lat": lat, "lon": lon }
    });
    // The same external id from two sources is two tickets.
    let (s, a) = send(&app, Some(&hotline), &ticket).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, b) = send(&app, Some(&police), &ticket).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_ne!(a["case_id"], b["case_id"]);
    let (_, case) = app
        .get(
            &format!("/v1/cases/{}", b["case_id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(case["channel"], "police_110");

    let (s, v) = send(&app, None, &ticket).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (s, _) = send(&app, Some("glk_wrong"), &ticket).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let before = app.get("/v1/cases?limit=200", &admin).await.1["items"]
        .as_array()
        .unwrap()
        .len();
    for (change, says) in [
        (json!({ "category": "potholes" }), "potholes"),
        (json!({ "external_id": " " }), "external_id"),
        (json!({ "description": "" }), "description"),
        (json!({ "location": { "lat": 95.0, "lon": 100.0 } }), "lat"),
        (
            json!({ "location": { "lat": 30.25, "lon": 120.15 } }),
            "not in or near any grid",
        ),
        (json!({ "colour": "red" }), "colour"),
    ] {
        let mut bad = ticket.clone();
        for (k, v) in change.as_object().unwrap() {
            bad[k] = v.clone();
        }
        bad["external_id"] = if change.get("external_id").is_some() {
            bad["external_id"].clone()
        } else {
            json!(format!("BAD-{says}"))
        };
        let (s, v) = send(&app, Some(&hotline), &bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(
            v["message"].as_str().unwrap().contains(says),
            "{v} should name {says}"
        );
    }
    let after = app.get("/v1/cases?limit=200", &admin).await.1["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before, "no bad ticket made a case");

    // A revoked key stops at once.
    let r = app
        .client
        .delete(app.url(&format!("/v1/api-keys/{police_id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, _) = send(&app, Some(&police), &ticket).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
