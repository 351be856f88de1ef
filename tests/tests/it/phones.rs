//! The phone core end to end: the very core the apps carry, run by the
//! headless shell (real HTTP, files for storage, a scripted location service
//! and camera) against the real server.

use gridline_core::app::view::Screen;
use gridline_core::app::view::cases::CaseDetail;
use gridline_core::app::{ActionInput, DraftEdit, Event, Fix, Model, Route};
use gridline_core::case::Status;
use gridline_headless::hardware::jpeg;
use gridline_headless::{Phone, PhoneOptions};
use gridline_tests::PASSWORD;
use gridline_tests::town::{Town, grid_centre};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tempfile::TempDir;

/// Generous: a pass takes a second or two; this only stops a hung test.
const LIMIT: Duration = Duration::from_secs(60);

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// A phone for `user`, logged in and at home. Timers run 20× fast.
async fn phone(town: &Town, dir: &TempDir, user: &str) -> Phone {
    let p = Phone::launch(&PhoneOptions::new(dir.path().join(user)).speed(20.0)).unwrap();
    p.send(Event::Login {
        server: town.app.url(""),
        username: user.into(),
        password: PASSWORD.into(),
    });
    p.until(&format!("{user} to log in"), LIMIT, |v, m| {
        m.outbox.device.is_some() && matches!(v.screen, Screen::Home(_))
    })
    .await
    .unwrap();
    p
}

fn status(m: &Model, id: &str) -> Option<Status> {
    m.cache.cases.get(id).map(|c| c.record.case.status)
}

fn settled(m: &Model) -> bool {
    m.outbox.waiting() == 0 && m.photos.is_empty()
}

/// Waits for the case to arrive on the phone, assigned.
async fn assigned(p: &Phone, id: &str) {
    p.until("the assignment to arrive", LIMIT, |_, m| {
        status(m, id) == Some(Status::Assigned)
    })
    .await
    .unwrap();
}

fn home_ids(p: &Phone) -> Vec<String> {
    match p.view().screen {
        Screen::Home(h) => h.cases.into_iter().map(|c| c.id).collect(),
        _ => Vec::new(),
    }
}

fn detail(p: &Phone, id: &str) -> CaseDetail {
    p.send(Event::Open {
        route: Route::Case { id: id.into() },
    });
    match p.view().screen {
        Screen::Case(d) => d,
        other => panic!("case {id} does not open: {other:?}"),
    }
}

fn actions(d: &CaseDetail) -> Vec<String> {
    d.actions.iter().map(|a| a.action.clone()).collect()
}

/// Acts through the phone; returns the status the phone shows at once
/// (before the server has heard of it).
fn act(p: &Phone, id: &str, input: ActionInput) -> String {
    p.send(Event::Act {
        case_id: id.into(),
        input,
    });
    detail(p, id).item.status
}

#[tokio::test]
async fn a_report_made_offline_with_a_photo_reaches_the_cadre_who_signs_for_and_resolves_it() {
    let town = Town::build(now_ms()).await;
    let dir = TempDir::new().unwrap();
    let gw = phone(&town, &dir, "gw1").await;

    // In a dead zone: the report and its photo wait on the phone.
    gw.set_online(false);
    let (lon, lat) = grid_centre(0);
    gw.hardware(|h| {
        h.stand_at(Fix {
            lat,
            lon,
            accuracy_m: 6.0,
            crs: "wgs84".into(),
        });
        h.queue_photo(jpeg(640, 480, 7).unwrap());
    });
    gw.send(Event::Open {
        route: Route::NewReport,
    });
    for edit in [
        DraftEdit::Category {
            code: "neighbour_dispute".into(),
        },
        DraftEdit::Description {
            text: "两户因排水沟堵塞争吵，需村里协调".into(),
        },
        DraftEdit::UseMyLocation,
        DraftEdit::TakePhoto,
    ] {
        gw.send(Event::Draft { edit });
    }
    gw.send(Event::SubmitReport);
    let id = gw.model(|m| m.outbox.items[0].args["id"].as_str().unwrap().to_owned());
    let v = gw
        .until("the failed push to be said", LIMIT, |v, _| {
            v.sync.problem.is_some()
        })
        .await
        .unwrap();
    assert_eq!(v.sync.waiting, 1, "{:?}", v.sync);
    match gw.view().screen {
        Screen::Case(d) => assert!(
            d.item.waiting,
            "submitting opens the new case, marked waiting"
        ),
        other => panic!("{other:?}"),
    }
    gw.send(Event::Back);
    assert_eq!(home_ids(&gw), vec![id.clone()], "listed while it waits");
    assert_eq!(gw.model(|m| m.photos.len()), 1, "the photo waits too");
    let (s, _) = town.get("gw1", &format!("/v1/cases/{id}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the server has not heard of it yet"
    );

    // Back in range: the queue drains, the photo goes up. A neighbour
    // dispute is the grid worker's to mediate first: it comes back signed
    // for by its reporter.
    gw.set_online(true);
    gw.until("the report to be sent and signed for", LIMIT, |_, m| {
        settled(m) && status(m, &id) == Some(Status::SignedFor)
    })
    .await
    .unwrap();
    let d = detail(&gw, &id);
    assert!(
        actions(&d).contains(&"start".to_owned()) && actions(&d).contains(&"escalate".to_owned()),
        "first mediation: take it on or pass it up: {:?}",
        actions(&d)
    );
    // The families will not settle with the grid worker: up to the village.
    let shown = act(
        &gw,
        &id,
        ActionInput::Escalate {
            reason: "双方不接受网格调解".into(),
        },
    );
    assert_eq!(shown, Status::Assigned.as_str());
    gw.until("the escalation to be sent", LIMIT, |_, m| settled(m))
        .await
        .unwrap();
    let (s, case) = town.get("cadre1", &format!("/v1/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "assigned");
    assert_eq!(case["lead_unit"]["code"], "654023101201", "{case}");
    assert_eq!(case["assignee"]["display_name"], "cadre1 的名字", "{case}");
    assert_eq!(case["channel"], "grid_patrol");
    assert_eq!(case["photos"].as_array().map(Vec::len), Some(1), "{case}");
    assert!((case["location"]["lat"].as_f64().unwrap() - lat).abs() < 1e-6);

    // The cadre's phone receives it on pull and works it to the end; what
    // the phone shows at once is what the server then says.
    let cadre = phone(&town, &dir, "cadre1").await;
    assigned(&cadre, &id).await;
    cadre.send(Event::Open { route: Route::Home });
    assert!(home_ids(&cadre).contains(&id), "in the inbox");
    let d = detail(&cadre, &id);
    assert_eq!(d.photos.len(), 1, "the photo shows on the cadre's phone");
    assert!(d.photos[0].available);
    assert!(
        actions(&d).contains(&"sign_for".to_owned()),
        "{:?}",
        actions(&d)
    );
    let mut steps = Vec::new();
    for _ in 0..3 {
        let d = detail(&cadre, &id);
        let a = actions(&d);
        assert_eq!(
            d.outcomes.is_empty(),
            !a.contains(&"resolve".to_owned()),
            "outcome choices come with the resolve action"
        );
        let (input, expect) = if a.contains(&"sign_for".to_owned()) {
            (ActionInput::SignFor, Status::SignedFor)
        } else if a.contains(&"start".to_owned()) {
            (ActionInput::Start, Status::InProgress)
        } else if a.contains(&"resolve".to_owned()) {
            // The form offers a dispute's outcomes, mediation first.
            let codes: Vec<&str> = d.outcomes.iter().map(|c| c.code.as_str()).collect();
            assert_eq!(codes.first(), Some(&"mediated"), "{codes:?}");
            assert!(!codes.contains(&"handled"), "{codes:?}");
            (
                ActionInput::Resolve {
                    outcome: d.outcomes[0].code.clone(),
                    summary: "上门调解，疏通排水沟，双方和解".into(),
                },
                Status::Resolved,
            )
        } else {
            break;
        };
        let shown = act(&cadre, &id, input);
        cadre
            .until("the action to be sent", LIMIT, |_, m| {
                settled(m) && status(m, &id) == Some(expect)
            })
            .await
            .unwrap();
        let (_, case) = town.get("cadre1", &format!("/v1/cases/{id}")).await;
        assert_eq!(
            case["status"].as_str(),
            Some(expect.as_str()),
            "the server moved the case as the phone showed"
        );
        assert_eq!(
            shown,
            detail(&cadre, &id).item.status,
            "shown before sending"
        );
        steps.push(expect);
    }
    assert_eq!(steps.last(), Some(&Status::Resolved), "{steps:?}");
    let (_, case) = town.get("cadre1", &format!("/v1/cases/{id}")).await;
    assert_eq!(case["outcome"], "mediated");

    // The grid worker who reported it sees it settled.
    gw.until("the worker's phone to see it resolved", LIMIT, |_, m| {
        status(m, &id) == Some(Status::Resolved)
    })
    .await
    .unwrap();
    let d = detail(&gw, &id);
    assert!(d.history.len() >= 4, "{:?}", d.history);
}

#[tokio::test]
async fn a_resident_follows_a_request_from_submission_to_rating() {
    let town = Town::build(now_ms()).await;
    let dir = TempDir::new().unwrap();
    let resident = phone(&town, &dir, "resident1").await;
    resident.send(Event::Open {
        route: Route::NewReport,
    });
    match resident.view().screen {
        Screen::NewReport(r) => assert!(r.is_request, "a resident makes a request"),
        other => panic!("{other:?}"),
    }
    let (lon, lat) = grid_centre(0);
    for edit in [
        DraftEdit::Category {
            code: "noise".into(),
        },
        DraftEdit::Description {
            text: "楼下夜里十二点后还在装修".into(),
        },
        DraftEdit::Pin {
            lat,
            lon,
            crs: "wgs84".into(),
        },
    ] {
        resident.send(Event::Draft { edit });
    }
    resident.send(Event::SubmitReport);
    let id = resident.model(|m| m.outbox.items[0].args["id"].as_str().unwrap().to_owned());
    resident
        .until("the request to reach the centre", LIMIT, |_, m| {
            settled(m) && status(m, &id) == Some(Status::Submitted)
        })
        .await
        .unwrap();

    // The township centre accepts it; the grid worker handles it (through
    // REST here: the phone flows are the other tests').
    let case = json!({ "id": id });
    town.ok("town-op", &case, json!({ "action": "accept" }))
        .await;
    resident
        .until("the resident to see it accepted", LIMIT, |_, m| {
            status(m, &id) == Some(Status::Assigned)
        })
        .await
        .unwrap();
    town.ok("gw1", &case, json!({ "action": "sign_for" })).await;
    town.ok("gw1", &case, json!({ "action": "start" })).await;
    town.ok(
        "gw1",
        &case,
        json!({ "action": "resolve", "outcome": "handled", "summary": "已与装修户约定作业时间" }),
    )
    .await;
    resident
        .until("the resident to see it resolved", LIMIT, |_, m| {
            status(m, &id) == Some(Status::Resolved)
        })
        .await
        .unwrap();
    let d = detail(&resident, &id);
    assert!(
        d.history.len() >= 5,
        "submit, accept, sign for, start, resolve: {:?}",
        d.history
    );
    assert!(d.outcome.is_some());
    let a = actions(&d);
    assert!(
        a.contains(&"rate".to_owned()) && a.contains(&"reopen".to_owned()),
        "{a:?}"
    );
    assert!(
        !a.contains(&"resolve".to_owned()),
        "a resident does not handle: {a:?}"
    );
    act(
        &resident,
        &id,
        ActionInput::Rate {
            stars: 5,
            comment: "处理及时".into(),
        },
    );
    resident
        .until("the rating to be sent", LIMIT, |_, m| {
            settled(m)
                && m.cache
                    .cases
                    .get(&id)
                    .is_some_and(|c| c.record.case.rating.is_some())
        })
        .await
        .unwrap();
    let (_, case) = town.get("town-op", &format!("/v1/cases/{id}")).await;
    assert_eq!(case["rating"], 5, "{case}");
    assert!(resident.view().sync.notices.is_empty());
}

#[tokio::test]
async fn two_cadres_signing_for_the_same_case_offline_one_wins_and_the_other_sees_the_conflict() {
    let town = Town::build(now_ms()).await;
    // A second cadre at village one, created by the admin through the API.
    let (s, body) = town
        .post(
            "admin",
            "/v1/users",
            &json!({ "username": "cadre1b", "display_name": "赵村干部", "password": PASSWORD,
                     "roles": [{ "role": "village_cadre", "unit": "654023101201" }] }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let case = town
        .report(
            "gw1",
            0,
            "safety_hazard",
            json!({ "description": "村口电线杆倾斜" }),
        )
        .await;
    let id = case["id"].as_str().unwrap().to_owned();
    let dir = TempDir::new().unwrap();
    let a = phone(&town, &dir, "cadre1").await;
    let b = phone(&town, &dir, "cadre1b").await;
    for p in [&a, &b] {
        p.until("the case to arrive", LIMIT, |_, m| {
            status(m, &id) == Some(Status::Assigned)
        })
        .await
        .unwrap();
        assert!(actions(&detail(p, &id)).contains(&"sign_for".to_owned()));
        p.set_online(false);
        assert_eq!(
            act(p, &id, ActionInput::SignFor),
            Status::SignedFor.as_str()
        );
    }

    a.set_online(true);
    a.until("the first cadre's sign-for to land", LIMIT, |_, m| {
        settled(m)
    })
    .await
    .unwrap();
    b.set_online(true);
    b.until(
        "the second cadre's sign-for to be refused",
        LIMIT,
        |_, m| settled(m) && !m.outbox.notices.is_empty(),
    )
    .await
    .unwrap();

    assert!(a.view().sync.notices.is_empty(), "the first one won");
    let v = b.view();
    assert_eq!(v.sync.notices.len(), 1, "{:?}", v.sync);
    let d = detail(&b, &id);
    assert!(d.item.conflict, "the case is marked");
    assert_eq!(d.conflicts.len(), 1, "and says why: {:?}", d.conflicts);
    b.until("the server's state to show", LIMIT, |_, m| {
        status(m, &id) == Some(Status::SignedFor)
    })
    .await
    .unwrap();
    let (_, history) = town.get("cadre1", &format!("/v1/cases/{id}/history")).await;
    let signs = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sign_for")
        .count();
    assert_eq!(signs, 1, "signed for once: {history}");
    // Dismissed, the notice goes; the case stays as the server has it.
    b.send(Event::DismissNotices);
    assert!(b.view().sync.notices.is_empty());
}

#[tokio::test]
async fn the_convergence_check_fails_while_a_phone_holds_unsent_changes() {
    let town = Town::build(now_ms()).await;
    let dir = TempDir::new().unwrap();
    let gw = phone(&town, &dir, "gw1").await;
    let client = reqwest::Client::new();
    gridline_headless::field::check::converged(&gw, &client)
        .await
        .unwrap();
    gw.set_online(false);
    let (lon, lat) = grid_centre(0);
    for edit in [
        DraftEdit::Category {
            code: "safety_hazard".into(),
        },
        DraftEdit::Description {
            text: "桥栏杆松动".into(),
        },
        DraftEdit::Pin {
            lat,
            lon,
            crs: "wgs84".into(),
        },
    ] {
        gw.send(Event::Draft { edit });
    }
    gw.send(Event::SubmitReport);
    let why = gridline_headless::field::check::converged(&gw, &client)
        .await
        .unwrap_err();
    assert!(why.contains("1 changes not sent"), "{why}");
    // Made elsewhere: the phone has not pulled it yet.
    gw.set_online(true);
    gw.until("the report to be sent", LIMIT, |_, m| settled(m))
        .await
        .unwrap();
    gw.send(Event::Background); // no long poll: the phone will not hear of it
    gw.until("the long poll to end", LIMIT, |_, m| !m.run.polling)
        .await
        .unwrap();
    town.report("gw1", 0, "safety_hazard", json!({})).await;
    let why = gridline_headless::field::check::converged(&gw, &client)
        .await
        .unwrap_err();
    assert!(why.contains("the server has case"), "{why}");
    gw.send(Event::SyncNow);
    gw.until("the pull", LIMIT, |_, m| m.cache.cases.len() == 2)
        .await
        .unwrap();
    gridline_headless::field::check::converged(&gw, &client)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_departments_a_cadre_may_call_in_are_theirs_nearest_first() {
    let town = Town::build(now_ms()).await;
    let (s, list) = town.get("cadre1", "/v1/departments").await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["654023101-sfs", "654023-rsj"], "{list}");
    assert_eq!(list[0]["kind"], "judicial_office");
    assert_eq!(list[0]["parent_code"], "654023101");
    // The county centre sees the township's departments below it too.
    let (_, list) = town.get("county-op", "/v1/departments").await;
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
}

#[tokio::test]
async fn a_cadre_calls_in_the_judicial_office_from_the_phone() {
    let town = Town::build(now_ms()).await;
    let dir = TempDir::new().unwrap();
    let case = town.report("gw1", 0, "neighbour_dispute", json!({})).await;
    let case = town
        .ok(
            "gw1",
            &case,
            json!({"action": "escalate", "reason": "双方不接受网格调解"}),
        )
        .await;
    let id = case["id"].as_str().unwrap().to_owned();
    let cadre = phone(&town, &dir, "cadre1").await;
    assigned(&cadre, &id).await;
    let d = detail(&cadre, &id);
    assert!(d.departments.is_empty(), "not before signing for: {d:?}");
    act(&cadre, &id, ActionInput::SignFor);
    act(&cadre, &id, ActionInput::Start);
    cadre
        .until("signing for and starting to be sent", LIMIT, |_, m| {
            settled(m) && status(m, &id) == Some(Status::InProgress)
        })
        .await
        .unwrap();

    // The picker offers the township's judicial office first, then the
    // county's labour bureau, by the names the server gave them.
    let d = detail(&cadre, &id);
    let names: Vec<&str> = d.departments.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let (_, list) = town.get("cadre1", "/v1/departments").await;
    assert_eq!(names[0], list[0]["name"].as_str().unwrap());
    assert_eq!(d.departments[0].code, list[0]["id"].as_str().unwrap());

    act(
        &cadre,
        &id,
        ActionInput::RequestCoHandling {
            units: vec![d.departments[0].code.clone()],
            task: "出具调解协议".into(),
            days: 5,
        },
    );
    cadre
        .until("the request to be sent", LIMIT, |_, m| settled(m))
        .await
        .unwrap();
    let (_, case) = town.get("cadre1", &format!("/v1/cases/{id}")).await;
    let tasks = case["co_handling"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "{case}");
    assert_eq!(tasks[0]["unit"]["code"], "654023101-sfs", "{case}");
    assert_eq!(tasks[0]["task"], "出具调解协议", "{case}");
    assert!(
        cadre.model(|m| m.outbox.notices.is_empty()),
        "the server took it"
    );
}
