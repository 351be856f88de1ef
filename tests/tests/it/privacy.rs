//! Privacy and audit: every change is logged with who, when and from which
//! device, refused or not; every read of parties' data names its device; an
//! admin exports everything held about a person and erases it on request,
//! and the cases keep their history and figures.

use gridline_core::time::Date;
use gridline_tests::phone::Phone;
use gridline_tests::town::{Town, grid_centre};
use reqwest::StatusCode;
use serde_json::{Value, json};

const ID_NUMBER: &str = "11010519491231002X";
const PHONE: &str = "13900139000";
const EMAIL: &str = "Wang.Fang@example.cn";

fn nine_am() -> i64 {
    "2025-11-03".parse::<Date>().unwrap().start_ms() + 9 * 3_600_000
}

/// GET with a bearer token and an `X-Gridline-Device` header.
async fn get_on(town: &Town, user: &str, device: &str, path: &str) -> (StatusCode, Value) {
    let r = town
        .app
        .client
        .get(town.app.url(path))
        .bearer_auth(town.token(user))
        .header("X-Gridline-Device", device)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn post_on(
    town: &Town,
    user: &str,
    device: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let r = town
        .app
        .client
        .post(town.app.url(path))
        .bearer_auth(town.token(user))
        .header("X-Gridline-Device", device)
        .json(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// Whether `needle` is anywhere in the SQLite database's files once its
/// write-ahead log is folded in; `None` on PostgreSQL.
async fn on_disk(town: &Town, needle: &str) -> Option<bool> {
    use sqlx::Connection;
    use std::str::FromStr;
    if town.app.on_postgres() {
        return None;
    }
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&town.app.database_url()).unwrap();
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    let (busy,): (i64,) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(busy, 0, "the checkpoint could not finish");
    c.close().await.unwrap();
    let main = opts.get_filename().to_owned();
    let mut wal = main.clone().into_os_string();
    wal.push("-wal");
    let found = [main.into_os_string(), wal].iter().any(|p| {
        std::fs::read(p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
    });
    Some(found)
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

#[tokio::test]
async fn every_change_and_every_read_of_personal_data_names_who_when_and_the_device() {
    let town = Town::build(nine_am()).await;
    let mut phone = Phone::register(&town.app, town.token("gw1")).await;
    let case_id = uuid::Uuid::now_v7().to_string();
    let (lon, lat) = grid_centre(0);
    phone.queue(
        "case.create@1",
        json!({ "id": case_id, "category": "neighbour_dispute", "description": "宅基地纠纷",
                "location": { "lat": lat, "lon": lon },
                "parties": [{ "name": "王芳", "phone": PHONE, "id_number": ID_NUMBER }] }),
    );
    let (s, pushed) = phone.push().await;
    assert_eq!(s, StatusCode::OK, "{pushed}");
    phone.pull(100).await;
    // A note from the same phone over REST, naming the device.
    let note = json!({ "action": "note", "text": "已上门" });
    let actions = format!("/v1/cases/{case_id}/actions");
    let (s, body) = post_on(&town, "gw1", &phone.device, &actions, &note).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // Someone else's device is refused, naming the header; nothing is done.
    let (s, body) = post_on(&town, "county-op", &phone.device, &actions, &note).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("x-gridline-device"),
        "{body}"
    );
    // A refused action is logged too.
    let (s, _) = town
        .act("gw2", &json!({ "id": case_id }), note.clone())
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, log) = town.get("admin", "/v1/audit/actions?user=gw1").await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let mine: Vec<(String, String, u64, Option<String>)> = items(&log)
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap().to_owned(),
                e["route"].as_str().unwrap().to_owned(),
                e["status"].as_u64().unwrap(),
                e["device"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let dev = Some(phone.device.clone());
    assert!(
        mine.contains(&("POST".into(), "/v1/devices".into(), 201, None)),
        "{mine:?}"
    );
    assert!(
        mine.contains(&("POST".into(), "/v1/sync/push".into(), 200, dev.clone())),
        "{mine:?}"
    );
    assert!(
        mine.contains(&(
            "POST".into(),
            "/v1/cases/{id}/actions".into(),
            200,
            dev.clone()
        )),
        "{mine:?}"
    );
    assert!(items(&log).iter().all(|e| e["user"] == "gw1"), "{log}");
    let (_, log) = town.get("admin", "/v1/audit/actions?user=gw2").await;
    assert!(
        items(&log)
            .iter()
            .any(|e| e["route"] == "/v1/cases/{id}/actions"
                && e["status"] == 404
                && e["path"] == actions.as_str()),
        "{log}"
    );
    let (_, log) = town.get("admin", "/v1/audit/actions?user=county-op").await;
    assert!(
        items(&log)
            .iter()
            .any(|e| e["status"] == 400 && e["device"].is_null()),
        "{log}"
    );

    // Reads of the parties: the phone's pull and a read naming the device
    // carry it; the county's console read has none.
    let (s, _) = get_on(&town, "gw1", &phone.device, &format!("/v1/cases/{case_id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = town.get("county-op", &format!("/v1/cases/{case_id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, reads) = town
        .get("admin", &format!("/v1/audit/reads?case={case_id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{reads}");
    let seen: Vec<(String, String, Option<String>)> = items(&reads)
        .iter()
        .map(|r| {
            (
                r["user"].as_str().unwrap().to_owned(),
                r["via"].as_str().unwrap().to_owned(),
                r["device"].as_str().map(str::to_owned),
            )
        })
        .collect();
    for want in [
        (
            "gw1".to_owned(),
            "GET /v1/sync/pull".to_owned(),
            dev.clone(),
        ),
        (
            "gw1".into(),
            "POST /v1/cases/{id}/actions".into(),
            dev.clone(),
        ),
        ("gw1".into(), "GET /v1/cases/{id}".into(), dev.clone()),
        ("county-op".into(), "GET /v1/cases/{id}".into(), None),
    ] {
        assert!(seen.contains(&want), "{want:?} not in {seen:?}");
    }
    // Paged by position.
    let (_, first) = town
        .get("admin", &format!("/v1/audit/reads?case={case_id}&limit=1"))
        .await;
    assert_eq!(items(&first).len(), 1);
    let after = first["next_after"].as_i64().unwrap();
    let (_, rest) = town
        .get(
            "admin",
            &format!("/v1/audit/reads?case={case_id}&after={after}"),
        )
        .await;
    assert_eq!(items(&rest).len(), seen.len() - 1);

    // Only an admin reads the logs; a bad filter is named.
    for who in ["county-op", "supervisor", "gw1"] {
        let (s, _) = town.get(who, "/v1/audit/actions").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, e) = town.get("admin", "/v1/audit/actions?user=nobody").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("user"), "{e}");
    let (s, e) = town.get("admin", "/v1/audit/reads?case=x").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("case"), "{e}");
}

/// Posts an Open311 request with a contact; its case id.
async fn open311_with_contact(town: &Town) -> String {
    let (lon, lat) = grid_centre(1);
    let r = town
        .app
        .client
        .post(town.app.url("/open311/v2/requests.json"))
        .form(&[
            ("jurisdiction_id", "654023".to_owned()),
            ("service_code", "noise".to_owned()),
            ("lat", lat.to_string()),
            ("long", lon.to_string()),
            ("description", "夜间施工噪音".to_owned()),
            ("email", EMAIL.to_owned()),
            ("phone", "139-0013-9000".to_owned()),
            ("first_name", "芳".to_owned()),
            ("last_name", "王".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    let s = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(s, StatusCode::OK, "{body}");
    let token = body[0]["token"].as_str().map(str::to_owned);
    let id = body[0]["service_request_id"].as_str().map(str::to_owned);
    id.or(token).unwrap()
}

#[tokio::test]
async fn a_person_is_exported_then_erased_and_their_cases_keep_history_and_figures() {
    let town = Town::build(nine_am()).await;
    let both = json!({ "parties": [
        { "name": "王芳", "side": "applicant", "phone": PHONE, "id_number": ID_NUMBER },
        { "name": "李强", "side": "respondent", "phone": "13700137000" },
    ] });
    let first = town.report("gw1", 0, "neighbour_dispute", both).await;
    let second = town
        .report(
            "gw2",
            2,
            "labour_dispute",
            json!({ "parties": [{ "name": "王芳", "phone": "139 0013 9000" }] }),
        )
        .await;
    let outside = open311_with_contact(&town).await;
    let unrelated = town
        .report(
            "gw1",
            0,
            "noise",
            json!({ "parties": [{ "name": "赵某", "phone": "13600136000" }] }),
        )
        .await;
    let ids = [
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    ];
    // gw1's phone holds the first case, parties and all.
    let mut phone = Phone::register(&town.app, town.token("gw1")).await;
    phone.pull(100).await;
    let held = |phone: &Phone, id: &str| {
        phone.rows[&("case".to_owned(), id.to_owned())].1["case"]["parties"].clone()
    };
    assert_eq!(held(&phone, ids[0])[0]["id_number"], ID_NUMBER);
    let (_, history_before) = town
        .get("county-op", &format!("/v1/cases/{}/history", ids[0]))
        .await;
    let (_, stats_before) = town.get("county-op", "/v1/stats").await;
    for needle in [ID_NUMBER, PHONE, EMAIL] {
        assert_ne!(on_disk(&town, needle).await, Some(false), "{needle} stored");
    }

    // Bad requests are named and change nothing.
    for (body, field) in [
        (json!({}), "at least one"),
        (json!({ "id_number": "110105194912310021" }), "id_number"),
        (json!({ "phone": "12ab" }), "phone"),
        (json!({ "email": "not-an-address" }), "email"),
        (json!({ "name": "王芳" }), "name"),
    ] {
        for path in ["/v1/privacy/export", "/v1/privacy/erase"] {
            let (s, e) = town.post("admin", path, &body).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path} {body}: {e}");
            assert!(
                e["message"].as_str().unwrap().contains(field),
                "{path} {body}: {e}"
            );
        }
    }
    for who in ["county-op", "supervisor", "gw1", "resident1"] {
        for path in ["/v1/privacy/export", "/v1/privacy/erase"] {
            let (s, _) = town.post(who, path, &json!({ "phone": PHONE })).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} {path}");
        }
    }

    // The export: both cases by phone (written either way), the Open311
    // contact by email, and who has read each case.
    let (s, export) = town
        .post(
            "admin",
            "/v1/privacy/export",
            &json!({ "phone": PHONE, "email": EMAIL.to_uppercase() }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{export}");
    let cases = export["cases"].as_array().unwrap();
    let found: Vec<&str> = cases
        .iter()
        .map(|c| c["case_id"].as_str().unwrap())
        .collect();
    for want in [ids[0], ids[1], outside.as_str()] {
        assert!(found.contains(&want), "{want} not in {found:?}");
    }
    assert_eq!(found.len(), 3, "{export}");
    let share = |id: &str| cases.iter().find(|c| c["case_id"] == id).unwrap().clone();
    let one = share(ids[0]);
    assert_eq!(one["parties"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one["parties"][0]["id_number"], ID_NUMBER);
    assert_eq!(one["parties"][0]["position"], 0);
    assert!(
        one["reads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["by"] == "gw1" && r["via"] == "GET /v1/sync/pull"),
        "{one}"
    );
    assert!(
        !one.to_string().contains("李强"),
        "another party's data is not the person's: {one}"
    );
    assert_eq!(share(&outside)["contact"]["email"], EMAIL);
    // By ID number alone: only the case where it was given.
    let (_, by_id) = town
        .post(
            "admin",
            "/v1/privacy/export",
            &json!({ "id_number": ID_NUMBER }),
        )
        .await;
    assert_eq!(by_id["cases"].as_array().unwrap().len(), 1, "{by_id}");

    // Erasure.
    let (s, report) = town
        .post(
            "admin",
            "/v1/privacy/erase",
            &json!({ "phone": PHONE, "email": EMAIL }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["cases"].as_array().unwrap().len(), 3, "{report}");
    assert_eq!(report["parties"], 2);
    assert_eq!(report["contacts"], 1);

    // Gone from the database file itself, not only from the answers.
    for needle in [ID_NUMBER, PHONE, EMAIL] {
        assert_ne!(
            on_disk(&town, needle).await,
            Some(true),
            "{needle} left on disk"
        );
    }
    // Gone from every view; the other party and the unrelated case stay.
    let (_, c) = town
        .get("county-op", &format!("/v1/cases/{}", ids[0]))
        .await;
    assert_eq!(c["parties"][0]["name"], "（已删除）", "{c}");
    assert!(
        c["parties"][0].get("phone").is_none_or(Value::is_null),
        "{c}"
    );
    assert!(
        c["parties"][0].get("id_number").is_none_or(Value::is_null),
        "{c}"
    );
    assert_eq!(c["parties"][0]["side"], "applicant");
    assert_eq!(c["parties"][1]["name"], "李强");
    assert_eq!(c["parties"][1]["phone"], "13700137000");
    assert_eq!(c["status"], first["status"]);
    let (_, u) = town
        .get(
            "county-op",
            &format!("/v1/cases/{}", unrelated["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(u["parties"][0]["name"], "赵某");
    let (s, contact) = town
        .get("county-op", &format!("/v1/cases/{outside}/contact"))
        .await;
    assert_eq!(s, StatusCode::OK, "{contact}");
    assert!(!contact.to_string().contains("example.cn"), "{contact}");
    assert!(!contact.to_string().contains("9000"), "{contact}");

    // History kept, with the erasure at its end, by the admin.
    let (_, history) = town
        .get("county-op", &format!("/v1/cases/{}/history", ids[0]))
        .await;
    let before = history_before.as_array().unwrap();
    let after = history.as_array().unwrap();
    assert_eq!(after.len(), before.len() + 1, "{history}");
    assert_eq!(&after[..before.len()], &before[..]);
    assert_eq!(after[before.len()]["action"], "erase");
    let (_, admin) = town.get("admin", "/v1/me").await;
    assert_eq!(
        after[before.len()]["actor"]["display_name"],
        admin["display_name"],
        "{history}"
    );
    let (_, stats_after) = town.get("county-op", "/v1/stats").await;
    assert_eq!(stats_after, stats_before);

    // The phone receives the case again without the person.
    phone.pull(100).await;
    assert_eq!(held(&phone, ids[0])[0]["name"], "（已删除）");
    assert!(held(&phone, ids[0])[0]["id_number"].is_null());
    assert!(!held(&phone, ids[0]).to_string().contains(ID_NUMBER));

    // Nothing is left to find; asking again erases nothing more.
    let (_, again) = town
        .post(
            "admin",
            "/v1/privacy/export",
            &json!({ "phone": PHONE, "id_number": ID_NUMBER, "email": EMAIL }),
        )
        .await;
    assert_eq!(again["cases"], json!([]), "{again}");
    let (s, again) = town
        .post("admin", "/v1/privacy/erase", &json!({ "phone": PHONE }))
        .await;
    assert_eq!((s, again["parties"].as_u64()), (StatusCode::OK, Some(0)));

    // Both requests are in the audit log with their counts.
    let (_, log) = town.get("admin", "/v1/audit/actions?user=admin").await;
    let erasures: Vec<&Value> = items(&log)
        .iter()
        .filter(|e| e["route"] == "/v1/privacy/erase" && e["status"] == 200)
        .collect();
    assert_eq!(erasures.len(), 2, "{log}");
    assert_eq!(erasures[0]["detail"]["parties"], 2);
    assert!(
        !log.to_string().contains(PHONE),
        "the log holds no personal data: {log}"
    );
}

#[tokio::test]
async fn a_residents_account_is_closed_on_erasure_and_staff_accounts_are_not_erased() {
    let town = Town::build(nine_am()).await;
    let own = town.report("resident1", 0, "noise", json!({})).await;
    let (_, me) = town.get("resident1", "/v1/me").await;
    let name = me["display_name"].as_str().unwrap().to_owned();
    let mut phone = Phone::register(&town.app, town.token("resident1")).await;
    phone.pull(100).await;
    let (s, export) = town
        .post(
            "admin",
            "/v1/privacy/export",
            &json!({ "username": "resident1" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{export}");
    assert_eq!(export["account"]["username"], "resident1");
    assert_eq!(export["account"]["roles"][0]["role"], "resident");
    assert_eq!(export["account"]["devices"][0]["id"], phone.device.as_str());
    assert_eq!(export["cases"][0]["case_id"], own["id"]);
    assert_eq!(export["cases"][0]["reported_by_them"], true);

    // Staff are disabled, not erased.
    let (s, e) = town
        .post("admin", "/v1/privacy/erase", &json!({ "username": "gw1" }))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("staff"), "{e}");
    let (s, _) = town.get("gw1", "/v1/me").await;
    assert_eq!(s, StatusCode::OK, "gw1 is untouched");

    let (s, report) = town
        .post(
            "admin",
            "/v1/privacy/erase",
            &json!({ "username": "resident1" }),
        )
        .await;
    assert_eq!(
        (s, report["account"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{report}"
    );
    // Signed out everywhere, the name gone, the case still there.
    let (s, _) = town.get("resident1", "/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let r = town
        .app
        .login_raw("resident1", gridline_tests::PASSWORD)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (_, pushed) = phone.push_raw(&[]).await;
    assert_ne!(
        pushed["code"],
        Value::Null,
        "the device is revoked: {pushed}"
    );
    let (s, case) = town
        .get(
            "county-op",
            &format!("/v1/cases/{}", own["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!case.to_string().contains(&name), "{name} in {case}");
    let (_, history) = town
        .get(
            "county-op",
            &format!("/v1/cases/{}/history", own["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(history[0]["action"], "submit");
    assert!(
        history[0]["actor"]["display_name"]
            .as_str()
            .unwrap()
            .starts_with("erased-"),
        "{history}"
    );
}
