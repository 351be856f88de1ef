//! Cases end to end on a fixed calendar: routing, the tier ladder, the
//! scheduler, joint handling, supervision, scope and bad input.

use gridline_api::cases::CaseService;
use gridline_core::time::{Date, Instant};
use gridline_tests::town::Town;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// `hh:mm` China time on `date`.
fn at(date: &str, hh: i64, mm: i64) -> i64 {
    date.parse::<Date>().unwrap().start_ms() + (hh * 60 + mm) * 60_000
}

fn end_of(date: &str) -> String {
    Instant(date.parse::<Date>().unwrap().end_ms()).to_string()
}

async fn history(town: &Town, user: &str, case: &Value) -> Vec<Value> {
    let (s, h) = town
        .get(
            user,
            &format!("/v1/cases/{}/history", case["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{h}");
    h.as_array().unwrap().clone()
}

fn actions(h: &[Value]) -> Vec<&str> {
    h.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_huocheng_land_rent_case_climbs_four_levels_and_settles_on_the_seventh_working_day() {
    // Thursday 25 September 2025, 09:30: a weekend, a make-up Sunday (28th)
    // and the National Day week (1–8 October) lie ahead.
    let town = Town::build(at("2025-09-25", 9, 30)).await;
    let ladder = json!({ "rungs": [
        { "name": "grid", "level": "grid", "working_days": 1 },
        { "name": "village", "level": "village", "working_days": 2 },
        { "name": "township_centre", "level": "township", "working_days": 2 },
        { "name": "township_government", "level": "township", "working_days": 2 },
    ]});
    let r = town
        .app
        .client
        .put(town.app.url("/v1/ladders/654023"))
        .bearer_auth(town.token("admin"))
        .json(&ladder)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The grid worker reports the dispute and holds it for first mediation.
    let case = town
        .report(
            "gw1",
            0,
            "land_dispute",
            json!({ "parties": [
                { "name": "马某", "side": "applicant", "phone": "13800138000" },
                { "name": "李某", "side": "respondent", "id_number": "11010519491231002X" }
            ]}),
        )
        .await;
    assert_eq!(case["status"], "signed_for", "{case}");
    assert_eq!(case["tier"]["name"], "grid");
    assert_eq!(case["rule"], "grid_first");
    assert_eq!(case["lead_unit"]["code"], "654023101201001");
    assert_eq!(case["assignee"]["display_name"], "gw1 的名字");
    assert_eq!(
        case["deadline"],
        end_of("2025-09-26"),
        "one working day after Thursday"
    );

    // Friday: first mediation fails; up to the village.
    town.clock.set(at("2025-09-26", 15, 0));
    town.ok("gw1", &case, json!({ "action": "start" })).await;
    town.ok(
        "gw1",
        &case,
        json!({ "action": "note", "text": "初调未成功：双方对租金分歧大" }),
    )
    .await;
    let c = town
        .ok(
            "gw1",
            &case,
            json!({ "action": "escalate", "reason": "网格调解未果" }),
        )
        .await;
    assert_eq!(
        (c["status"].as_str(), c["tier"]["name"].as_str()),
        (Some("assigned"), Some("village"))
    );
    assert_eq!(c["lead_unit"]["code"], "654023101201");
    assert_eq!(c["assignee"]["display_name"], "cadre1 的名字");
    assert_eq!(
        c["sign_by"],
        end_of("2025-09-28"),
        "the next working day is the make-up Sunday"
    );

    // Sunday 28th is a working day: the village signs for it; two working days.
    town.clock.set(at("2025-09-28", 10, 0));
    let c = town
        .ok("cadre1", &case, json!({ "action": "sign_for" }))
        .await;
    assert_eq!(c["deadline"], end_of("2025-09-30"));
    town.clock.set(at("2025-09-29", 16, 0));
    town.ok("cadre1", &case, json!({ "action": "start" })).await;
    let c = town
        .ok(
            "cadre1",
            &case,
            json!({ "action": "escalate", "reason": "村委会调解未果" }),
        )
        .await;
    assert_eq!(
        (c["tier"]["name"].as_str(), c["lead_unit"]["code"].as_str()),
        (Some("township_centre"), Some("654023101"))
    );

    // Township centre: signed on the 30th, two working days across the holiday.
    town.clock.set(at("2025-09-30", 9, 0));
    let c = town
        .ok("town-op", &case, json!({ "action": "sign_for" }))
        .await;
    assert_eq!(
        c["deadline"],
        end_of("2025-10-10"),
        "30 Sep + 2 working days skips 1–8 October"
    );
    town.ok("town-op", &case, json!({ "action": "start" }))
        .await;
    town.clock.set(at("2025-10-09", 10, 0));
    let c = town
        .ok(
            "town-op",
            &case,
            json!({ "action": "escalate", "reason": "提请镇党委政府" }),
        )
        .await;
    assert_eq!(c["tier"]["name"], "township_government");
    town.clock.set(at("2025-10-09", 11, 0));
    let c = town
        .ok("town-op", &case, json!({ "action": "sign_for" }))
        .await;
    assert_eq!(
        c["deadline"],
        end_of("2025-10-11"),
        "Saturday 11 October is a make-up working day"
    );
    town.ok("town-op", &case, json!({ "action": "start" }))
        .await;

    // Friday 10 October, the seventh working day since the report: settled.
    town.clock.set(at("2025-10-10", 17, 0));
    let c = town.ok("town-op", &case, json!({ "action": "resolve", "outcome": "agreement_signed", "summary": "签订土地租金调解协议" })).await;
    assert_eq!(
        (c["status"].as_str(), c["outcome"].as_str()),
        (Some("resolved"), Some("agreement_signed"))
    );
    assert!(!c["overdue"].as_bool().unwrap());
    let c = town
        .ok("county-op", &case, json!({ "action": "close" }))
        .await;
    assert_eq!(c["status"], "closed");
    let c = town
        .ok("county-op", &case, json!({ "action": "rate", "stars": 5 }))
        .await;
    assert_eq!(c["rating"], 5);

    // The history tells it step by step, with who did each.
    let h = history(&town, "county-op", &case).await;
    assert_eq!(
        actions(&h),
        [
            "submit", "accept", "sign_for", "start", "note", "escalate", "assign", "sign_for",
            "start", "escalate", "assign", "sign_for", "start", "escalate", "assign", "sign_for",
            "start", "resolve", "close", "rate"
        ]
    );
    let who: Vec<&str> = h
        .iter()
        .map(|e| e["actor"]["display_name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(who[0], "gw1 的名字");
    assert_eq!(who[7], "cadre1 的名字");
    assert_eq!(who[17], "town-op 的名字");
    let seqs: Vec<i64> = h.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    let resolve = &h[17];
    assert_eq!(resolve["detail"]["tier_name"], "township_government");
    assert_eq!(resolve["detail"]["on_time"], true);
    assert_eq!(resolve["at"], "2025-10-10T17:00:00+08:00");
}

#[tokio::test]
async fn the_scheduler_escalates_once_per_deadline_however_often_it_runs() {
    let town = Town::build(at("2025-09-25", 9, 30)).await;
    let case = town.report("gw1", 0, "noise", json!({})).await;
    assert_eq!(case["deadline"], end_of("2025-09-26"));
    let cases = &town.app.state.cases;

    // On the deadline's day the grid worker is warned, once.
    town.clock.set(at("2025-09-26", 8, 0));
    let t = cases.tick("replica-a").await.unwrap();
    assert_eq!((t.warned, t.escalated), (1, 0));
    assert_eq!(cases.tick("replica-a").await.unwrap().warned, 0);

    // Saturday: the deadline passed. Two ticks at once, then a restarted process.
    town.clock.set(at("2025-09-27", 9, 0));
    let (a, b) = tokio::join!(cases.tick("replica-a"), cases.tick("replica-a"));
    assert_eq!(a.unwrap().escalated + b.unwrap().escalated, 1);
    let restarted = CaseService::new(
        Arc::clone(&town.app.state.store),
        Arc::clone(&town.app.state.territory),
        town.clock.clone(),
    );
    assert_eq!(restarted.tick("replica-a").await.unwrap().escalated, 0);
    // Another replica does nothing while the lease is held.
    assert!(cases.tick("replica-b").await.unwrap().not_leader);

    let (_, c) = town
        .get(
            "county-op",
            &format!("/v1/cases/{}", case["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (c["status"].as_str(), c["tier"]["name"].as_str()),
        (Some("assigned"), Some("village"))
    );
    assert_eq!(c["sign_by"], end_of("2025-09-28"));
    let h = history(&town, "county-op", &case).await;
    let escalations: Vec<&Value> = h.iter().filter(|e| e["action"] == "escalate").collect();
    assert_eq!(escalations.len(), 1);
    assert!(
        escalations[0]["actor"].is_null(),
        "the scheduler acted, not a person"
    );
    assert_eq!(escalations[0]["detail"]["missed"], end_of("2025-09-26"));
    assert_eq!(
        h.iter()
            .filter(|e| e["action"] == "deadline_warning")
            .count(),
        1
    );

    // Nobody signs at the village either: the county is reached, then nothing higher.
    for day in [
        "2025-09-29",
        "2025-09-30",
        "2025-10-09",
        "2025-10-10",
        "2025-10-13",
        "2025-10-14",
    ] {
        town.clock.set(at(day, 9, 0));
        cases.tick("replica-b").await.unwrap();
    }
    let h = history(&town, "county-op", &case).await;
    assert_eq!(
        h.iter().filter(|e| e["action"] == "escalate").count(),
        3,
        "{:?}",
        actions(&h)
    );
    assert_eq!(h.iter().filter(|e| e["action"] == "overdue").count(), 1);
    let (_, c) = town
        .get(
            "county-op",
            &format!("/v1/cases/{}", case["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(c["tier"]["name"], "county_centre");
    assert!(c["overdue"].as_bool().unwrap());
}

#[tokio::test]
async fn joint_handling_waits_for_every_report_and_late_answers_show_as_late() {
    let town = Town::build(at("2025-11-03", 9, 0)).await;
    // 42 workers, 300,000 yuan: the township leads, labour co-handles by rule.
    let case = town
        .report(
            "town-op",
            0,
            "wage_arrears",
            json!({ "people_affected": 42, "amount_yuan": 300000 }),
        )
        .await;
    assert_eq!(case["rule"], "wage_arrears_10_plus");
    assert_eq!(case["lead_unit"]["code"], "654023101");
    assert_eq!(case["status"], "signed_for");
    let tasks = case["co_handling"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["unit"]["code"], "654023-rsj");

    // The lead calls in the judicial office too, for Wednesday.
    let judicial = town.units["judicial"].to_string();
    let c = town
        .ok("town-op", &case, json!({ "action": "request_co_handling", "units": [judicial], "task": "出具调解协议", "deadline": "2025-11-05T18:00:00+08:00" }))
        .await;
    assert_eq!(c["co_handling"].as_array().unwrap().len(), 2);
    town.ok("town-op", &case, json!({ "action": "start" }))
        .await;
    let (s, e) = town
        .act(
            "town-op",
            &case,
            json!({ "action": "resolve", "outcome": "mediated", "summary": "x" }),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("co_handling_open"))
    );

    // Labour reports on time; the judicial office on Thursday, late.
    let task_of = |c: &Value, code: &str| -> String {
        c["co_handling"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["unit"]["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let labour_task = task_of(&c, "654023-rsj");
    let judicial_task = task_of(&c, "654023101-sfs");
    let (s, e) = town
        .act(
            "labour",
            &case,
            json!({ "action": "report_task", "task": judicial_task, "report": "not ours" }),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_open_task")),
        "{e}"
    );
    town.ok(
        "labour",
        &case,
        json!({ "action": "report_task", "task": labour_task, "report": "已核实欠薪金额" }),
    )
    .await;
    town.clock.set(at("2025-11-06", 10, 0));
    let c = town
        .ok(
            "judicial",
            &case,
            json!({ "action": "report_task", "task": judicial_task, "report": "协议已出具" }),
        )
        .await;
    let late: Vec<(String, bool)> = c["co_handling"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["unit"]["code"].as_str().unwrap().to_owned(),
                t["late"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        late.contains(&("654023-rsj".into(), false))
            && late.contains(&("654023101-sfs".into(), true)),
        "{late:?}"
    );

    // A supervision order answered after its deadline shows as late.
    let c = town.ok("supervisor", &case, json!({ "action": "supervise", "text": "请加快办理", "deadline": "2025-11-06T17:00:00+08:00" })).await;
    let order = c["supervision"][0]["id"].as_str().unwrap().to_owned();
    town.clock.set(at("2025-11-07", 9, 0));
    let c = town
        .ok(
            "town-op",
            &case,
            json!({ "action": "answer_supervision", "order": order, "text": "已督促" }),
        )
        .await;
    assert_eq!(c["supervision"][0]["late"], true);
    let c = town
        .ok(
            "town-op",
            &case,
            json!({ "action": "resolve", "outcome": "mediated", "summary": "欠薪当日兑付" }),
        )
        .await;
    assert_eq!(c["status"], "resolved");
}

#[tokio::test]
async fn nobody_reads_or_acts_outside_their_jurisdiction_and_personal_data_stays_with_handlers() {
    let town = Town::build(at("2025-11-03", 9, 0)).await;
    let case = town
        .report("gw1", 0, "neighbour_dispute", json!({ "parties": [{ "name": "赵某", "phone": "13900139000", "id_number": "11010519491231002X" }] }))
        .await;
    let id = case["id"].as_str().unwrap();
    let path = format!("/v1/cases/{id}");
    for outsider in ["gw2", "cadre2", "resident1", "labour", "judicial"] {
        let (s, e) = town.get(outsider, &path).await;
        assert_eq!(
            (s, e["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{outsider} read it"
        );
        let (s, _) = town
            .act(outsider, &case, json!({ "action": "note", "text": "x" }))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{outsider} acted on it");
        let (_, list) = town.get(outsider, "/v1/cases").await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != id),
            "{outsider} listed it"
        );
        let (s, _) = town.get(outsider, &format!("{path}/history")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    // A cadre of the village sees the case, not the parties' details.
    let (s, c) = town.get("cadre1", &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(c.get("parties").is_none(), "{c}");
    // The grid worker handling it and the county see them; each read is logged.
    for reader in ["gw1", "county-op", "supervisor"] {
        let (_, c) = town.get(reader, &path).await;
        assert_eq!(
            c["parties"][0]["id_number"], "11010519491231002X",
            "{reader}"
        );
    }
    // Logged: the reporter's creation response and read, the county's, the supervisor's; not the cadre's.
    let reads = town
        .app
        .state
        .store
        .personal_data_reads(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(reads.len(), 4, "{reads:?}");
    let users = town
        .app
        .state
        .store
        .role_holders_at(&[town.units["village1"]])
        .await
        .unwrap();
    let cadre = users
        .iter()
        .find(|h| h.username == "cadre1")
        .unwrap()
        .user_id;
    assert!(reads.iter().all(|(u, _, _)| *u != cadre));
    let vias: Vec<&str> = reads.iter().map(|(_, via, _)| via.as_str()).collect();
    assert_eq!(
        vias,
        [
            "POST /v1/cases",
            "GET /v1/cases/{id}",
            "GET /v1/cases/{id}",
            "GET /v1/cases/{id}"
        ]
    );
    // Lists never carry personal data.
    let (_, list) = town.get("county-op", "/v1/cases").await;
    assert!(list["items"][0].get("parties").is_none());

    // A resident follows their own case, and nobody else's.
    let own = town.report("resident1", 1, "noise", json!({})).await;
    assert_eq!(
        own["status"], "submitted",
        "residents' reports wait for a centre"
    );
    let (_, list) = town.get("resident1", "/v1/cases").await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [own["id"].as_str().unwrap()]);
    let c = town
        .ok("town-op", &own, json!({ "action": "accept" }))
        .await;
    assert_eq!(c["status"], "assigned");
}

#[tokio::test]
async fn bad_input_gets_a_clear_code_and_changes_nothing() {
    let town = Town::build(at("2025-11-03", 9, 0)).await;
    let (s, e) = town.post("gw1", "/v1/cases", &json!({ "category": "ghosts", "description": "x", "location": { "lat": 44.055, "lon": 80.805 } })).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown_category"))
    );
    let (s, e) = town.post("gw1", "/v1/cases", &json!({ "category": "noise", "description": "  ", "location": { "lat": 44.055, "lon": 80.805 } })).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input")),
        "{e}"
    );
    let (_, list) = town.get("admin", "/v1/cases").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing was stored"
    );

    let case = town.report("gw1", 0, "noise", json!({})).await;
    let version = case["version"].clone();
    let cases: [(&str, Value, StatusCode, &str); 5] = [
        (
            "gw1",
            json!({ "action": "resolve", "outcome": "mediated", "summary": "x" }),
            StatusCode::CONFLICT,
            "wrong_state",
        ),
        (
            "gw1",
            json!({ "action": "close" }),
            StatusCode::CONFLICT,
            "wrong_state",
        ),
        (
            "cadre1",
            json!({ "action": "start" }),
            StatusCode::FORBIDDEN,
            "not_permitted",
        ),
        (
            "supervisor",
            json!({ "action": "supervise", "text": "x", "deadline": "2025-11-01T09:00:00+08:00" }),
            StatusCode::BAD_REQUEST,
            "deadline_in_past",
        ),
        (
            "gw1",
            json!({ "action": "fly" }),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
    ];
    for (user, action, status, code) in cases {
        let (s, e) = town.act(user, &case, action.clone()).await;
        assert_eq!(
            (s, e["code"].as_str()),
            (status, Some(code)),
            "{user} {action}: {e}"
        );
    }
    let (_, after) = town
        .get(
            "gw1",
            &format!("/v1/cases/{}", case["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(after["version"], version, "refused actions change nothing");
    assert_eq!(history(&town, "gw1", &case).await.len(), 3);

    // A ladder that loops back down, a rule set whose department hands work to itself.
    let bad_ladder = json!({ "rungs": [
        { "name": "village", "level": "village", "working_days": 2 },
        { "name": "grid", "level": "grid", "working_days": 1 },
    ]});
    let r = town
        .app
        .client
        .put(town.app.url("/v1/ladders/654023"))
        .bearer_auth(town.token("admin"))
        .json(&bad_ladder)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "routing_loop");
    let (_, ladder) = town.get("admin", "/v1/ladders/654023").await;
    assert_eq!(
        ladder["rungs"].as_array().unwrap().len(),
        4,
        "the default stays in force"
    );

    let (_, mut rules) = town.get("admin", "/v1/routing-rules").await;
    rules[1]["lead_department"] = json!("labour");
    let r = town
        .app
        .client
        .put(town.app.url("/v1/routing-rules"))
        .bearer_auth(town.token("admin"))
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "routing_loop");
    let r = town
        .app
        .client
        .put(town.app.url("/v1/routing-rules"))
        .bearer_auth(town.token("county-op"))
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, now_rules) = town.get("admin", "/v1/routing-rules").await;
    assert!(
        now_rules[1]["lead_department"].is_null(),
        "the rule set in force is unchanged"
    );
}

#[tokio::test]
async fn admins_add_departments_and_handlers_going_off_duty_get_no_new_cases() {
    let town = Town::build(at("2025-11-03", 9, 0)).await;
    let dept = json!({ "kind": "police_station", "code": "654023101-pcs", "name": "霍城镇派出所", "parent": "654023101" });
    let (s, e) = town.post("county-op", "/v1/departments", &dept).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, d) = town.post("admin", "/v1/departments", &dept).await;
    assert_eq!(
        (s, d["kind"].as_str(), d["code"].as_str()),
        (
            StatusCode::CREATED,
            Some("department"),
            Some("654023101-pcs")
        )
    );
    let (s, e) = town.post("admin", "/v1/departments", &dept).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (s, e) = town
        .post(
            "admin",
            "/v1/departments",
            &json!({ "kind": "court", "code": "x-1", "name": "法庭", "parent": "654023101201" }),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_input")),
        "a village cannot hold a department: {e}"
    );
    // A traffic accident now reaches the new police station by rule.
    let case = town
        .report("town-op", 0, "traffic_accident", json!({}))
        .await;
    assert_eq!(
        case["co_handling"][0]["unit"]["code"], "654023101-pcs",
        "{case}"
    );

    // Off duty: a cadre's report in the grid waits in the grid's queue.
    let r = town
        .app
        .client
        .put(town.app.url("/v1/duty"))
        .bearer_auth(town.token("gw1"))
        .json(&json!({ "unit": "654023101201001", "on_duty": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let queued = town.report("cadre1", 0, "noise", json!({})).await;
    assert!(queued["assignee"].is_null(), "{queued}");
    let r = town
        .app
        .client
        .put(town.app.url("/v1/duty"))
        .bearer_auth(town.token("gw1"))
        .json(&json!({ "unit": "654023101201001", "on_duty": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let assigned = town.report("cadre1", 0, "noise", json!({})).await;
    assert_eq!(assigned["assignee"]["display_name"], "gw1 的名字");
    let r = town
        .app
        .client
        .put(town.app.url("/v1/duty"))
        .bearer_auth(town.token("gw1"))
        .json(&json!({ "unit": "654023101202001", "on_duty": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "not their grid");
}
