use super::harness::{FakeServer, Harness};
use crate::app::view::Screen;
use crate::app::{ActionInput, DraftEdit, Event, Fix, LocationResult, Route};
use crux_http::protocol::{HttpResponse, HttpResult};

fn home_cases(h: &Harness) -> Vec<crate::app::view::cases::CaseItem> {
    match h.view().screen {
        Screen::Home(home) => home.cases,
        other => panic!("not at home: {other:?}"),
    }
}

/// Writes a report: category, words, the phone's position.
fn write_report(h: &mut Harness) {
    h.send(Event::Open {
        route: Route::NewReport,
    });
    h.send(Event::Draft {
        edit: DraftEdit::Category {
            code: "neighbour_dispute".into(),
        },
    });
    h.send(Event::Draft {
        edit: DraftEdit::Description {
            text: "两户因排水沟堵塞争吵".into(),
        },
    });
    h.send(Event::Draft {
        edit: DraftEdit::UseMyLocation,
    });
    let (_, mut r) = h.location.pop().expect("the core asked for the position");
    r.resolve(LocationResult::Fix(Fix {
        lat: 38.8012,
        lon: 101.0841,
        accuracy_m: 8.0,
        crs: "wgs84".into(),
    }))
    .unwrap();
    h.settle();
}

#[test]
fn a_report_made_offline_is_queued_listed_and_survives_a_restart() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    assert!(matches!(h.view().screen, Screen::Home(_)));
    assert_eq!(h.m.outbox.device.as_deref(), Some(server.device.as_str()));

    server.offline = true;
    write_report(&mut h);
    assert!(h.view().sync.line.contains("尚未同步") || h.view().sync.line.contains("上次同步"));
    // A draft half-written survives the app being killed.
    let again = {
        let mut r = h.restart();
        r.send(Event::Start {
            platform: "android".into(),
            app_version: "0.1.0".into(),
        });
        r.m.draft.clone()
    };
    assert_eq!(again.category.as_deref(), Some("neighbour_dispute"));
    assert!(again.location.is_some());

    h.send(Event::SubmitReport);
    h.serve(&mut server); // offline: the push fails
    assert_eq!(h.m.outbox.waiting(), 1, "the report waits in the queue");
    assert!(h.m.draft.is_empty(), "the draft went into the queue");
    let v = h.view();
    assert_eq!(v.sync.waiting, 1);
    assert!(v.sync.line.starts_with("1 条待发送"), "{}", v.sync.line);
    assert!(v.sync.problem.is_some(), "the failure is said in words");
    h.send(Event::Back);
    let list = home_cases(&h);
    assert_eq!(list.len(), 1, "the report is in the list while it waits");
    assert!(list[0].waiting);
    assert_eq!(list[0].category, "邻里纠纷");
    let p = list[0]
        .point
        .expect("a report waiting has its place, for the map");
    assert!((p.lat - 38.8012).abs() < 1e-9 && (p.lon - 101.0841).abs() < 1e-9);
    // An Amap or Tencent basemap needs the GCJ-02 pair: a few hundred metres off.
    let off = crate::coord::haversine_m(p.lon, p.lat, p.gcj02_lon, p.gcj02_lat);
    assert!((100.0..1_000.0).contains(&off), "{off} m");

    // Killed and started again: the queue is still there, and still listed.
    let mut h2 = h.restart();
    h2.send(Event::Start {
        platform: "android".into(),
        app_version: "0.1.0".into(),
    });
    assert_eq!(h2.m.outbox.waiting(), 1);
    assert_eq!(home_cases(&h2).len(), 1);

    // Back online: pushed, pulled, acknowledged; the server's row replaces it.
    server.offline = false;
    h2.send(Event::SyncNow);
    h2.serve(&mut server);
    assert_eq!(server.applied.len(), 1);
    assert_eq!(server.applied[0].name, "case.create@1");
    assert_eq!(h2.m.outbox.waiting(), 0);
    let list = home_cases(&h2);
    assert_eq!(list.len(), 1);
    assert!(!list[0].waiting);
    assert_eq!(list[0].status, "assigned");
    let at = &h2.m.cache.cases[&list[0].id].record.case.location;
    assert_eq!(
        list[0].point,
        Some(crate::app::view::cases::MapPoint::new(
            at.lon,
            at.lat,
            crate::Crs::Wgs84
        )),
        "the server's row is placed where the server says"
    );
    assert!(
        h2.view().sync.line.starts_with("全部已发送，上次同步"),
        "{}",
        h2.view().sync.line
    );
}

#[test]
fn a_failed_push_backs_off_then_retries_on_its_own() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    server.offline = true;
    write_report(&mut h);
    h.send(Event::SubmitReport);
    h.serve(&mut server);
    let first = h.fire_timer();
    assert!(
        (1_000..=2_000).contains(&first),
        "the first wait is 1–2 s: {first}"
    );
    h.serve(&mut server); // still offline
    let second = h.fire_timer();
    assert!((2_000..=4_000).contains(&second), "then 2–4 s: {second}");
    // The server comes back; the next timer sends the queue with no user action.
    server.offline = false;
    h.serve(&mut server);
    let _ = h.fire_timer();
    h.serve(&mut server);
    assert_eq!(server.applied.len(), 1);
    assert_eq!(h.m.outbox.waiting(), 0);
    assert_eq!(h.m.run.failures, 0);
    assert!(h.view().sync.problem.is_none());
}

#[test]
fn busy_server_retry_after_is_honoured() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    write_report(&mut h);
    h.send(Event::SubmitReport);
    h.answer(|_| {
        HttpResult::Ok(
            HttpResponse::status(503)
                .header("Retry-After", "120")
                .build(),
        )
    });
    assert_eq!(h.m.outbox.waiting(), 1);
    assert!(h.fire_timer() >= 120_000, "no sooner than the server asked");
}

#[test]
fn a_captive_portal_page_is_not_a_sync() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    write_report(&mut h);
    h.send(Event::SubmitReport);
    h.answer(|_| {
        HttpResult::Ok(
            HttpResponse::ok()
                .header("content-type", "text/html")
                .body(b"<html>Welcome to station Wi-Fi</html>".to_vec())
                .build(),
        )
    });
    assert_eq!(h.m.outbox.waiting(), 1, "nothing is dropped");
    assert_eq!(h.m.outbox.sent_through, 0, "nor counted as sent");
    let problem = h.view().sync.problem.unwrap();
    assert!(problem.contains("not JSON"), "{problem}");
}

#[test]
fn an_expired_token_is_refreshed_and_the_push_retried() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    server.expire_access();
    write_report(&mut h);
    h.send(Event::SubmitReport);
    h.serve(&mut server);
    let paths: Vec<String> = h
        .sent
        .iter()
        .map(|r| r.url.replace(super::harness::SERVER, ""))
        .collect();
    let push = paths.iter().rposition(|p| p == "/v1/sync/push").unwrap();
    let refresh = paths.iter().position(|p| p == "/v1/auth/refresh").unwrap();
    assert!(refresh < push, "refreshed, then pushed again: {paths:?}");
    assert_eq!(server.applied.len(), 1);
    assert_eq!(h.m.outbox.waiting(), 0);
    // The new tokens are stored for the next launch.
    let stored: serde_json::Value = serde_json::from_slice(&h.kv["session"]).unwrap();
    assert_eq!(stored["access"], server.access.as_str());

    // A refresh token refused: log in again, and nothing waiting is lost.
    server.expire_access();
    server.refresh = "somebody-else".into();
    server.offline = false;
    h.send(Event::Draft {
        edit: DraftEdit::Category {
            code: "land_dispute".into(),
        },
    });
    write_report(&mut h);
    h.send(Event::SubmitReport);
    h.serve(&mut server);
    assert_eq!(h.m.outbox.waiting(), 1);
    match h.view().screen {
        Screen::Login(l) => {
            assert!(l.expired);
            assert_eq!(l.username, "wang");
        }
        other => panic!("{other:?}"),
    }
    server.refresh = "refresh-9".into();
    h.send(Event::Login {
        server: super::harness::SERVER.into(),
        username: "wang".into(),
        password: "pw".into(),
    });
    h.serve(&mut server);
    assert_eq!(h.m.outbox.waiting(), 0, "sent after logging in again");
    assert_eq!(server.applied.len(), 2);
}

#[test]
fn a_reset_sends_the_queue_before_the_snapshot() {
    let mut server = FakeServer::new("village_cadre");
    let mut h = Harness::new();
    h.login(&mut server, "li");
    server.upsert_case(
        "0190d7e2-7a8b-7c3d-9e4f-000000000001",
        "assigned",
        "land_dispute",
        "地界纠纷",
    );
    h.send(Event::SyncNow);
    h.serve(&mut server);
    assert_eq!(home_cases(&h).len(), 1);

    // Offline, the cadre signs for it; meanwhile the server is restored.
    server.offline = true;
    h.send(Event::Act {
        case_id: "0190d7e2-7a8b-7c3d-9e4f-000000000001".into(),
        input: ActionInput::SignFor,
    });
    h.serve(&mut server);
    assert_eq!(
        home_cases(&h)[0].status,
        "signed_for",
        "shown signed for while it waits"
    );
    server.offline = false;
    server.epoch = "epoch-2".into();
    let _ = h.fire_timer();
    h.serve(&mut server);
    let paths: Vec<String> = h
        .sent
        .iter()
        .map(|r| r.url.replace(super::harness::SERVER, ""))
        .collect();
    let push = paths.iter().rposition(|p| p == "/v1/sync/push").unwrap();
    let snap = paths
        .iter()
        .rposition(|p| p.starts_with("/v1/sync/snapshot"))
        .unwrap();
    assert!(
        push < snap,
        "the queue went up before the snapshot: {paths:?}"
    );
    assert_eq!(
        server.applied.last().unwrap().args["action"]["action"],
        "sign_for"
    );
    assert_eq!(h.m.outbox.waiting(), 0);
    assert_eq!(h.m.meta.epoch.as_deref(), Some("epoch-2"));
    assert!(!h.m.meta.reset);
}

#[test]
fn a_refused_action_shows_as_a_conflict_on_the_case() {
    let mut server = FakeServer::new("village_cadre");
    let mut h = Harness::new();
    h.login(&mut server, "li");
    let id = "0190d7e2-7a8b-7c3d-9e4f-000000000002";
    server.upsert_case(id, "assigned", "neighbour_dispute", "噪音");
    h.send(Event::SyncNow);
    h.serve(&mut server);
    server.refuse.insert(1, "conflict");
    h.send(Event::Act {
        case_id: id.into(),
        input: ActionInput::SignFor,
    });
    h.serve(&mut server);
    assert_eq!(h.m.outbox.waiting(), 0, "acknowledged, so off the queue");
    h.send(Event::Open {
        route: Route::Case { id: id.into() },
    });
    match h.view().screen {
        Screen::Case(d) => {
            assert_eq!(d.conflicts.len(), 1, "{d:?}");
            assert!(d.conflicts[0].starts_with("冲突"), "{}", d.conflicts[0]);
            assert!(d.item.conflict);
        }
        other => panic!("{other:?}"),
    }
    h.send(Event::SetLanguage {
        lang: crate::app::Lang::En,
    });
    assert!(
        h.view().sync.notices[0].starts_with("conflict: \"Sign for\""),
        "{:?}",
        h.view().sync.notices
    );
}

#[test]
fn the_long_poll_runs_only_in_the_foreground() {
    let mut server = FakeServer::new("village_cadre");
    let mut h = Harness::new();
    h.login(&mut server, "li");
    assert_eq!(h.long_polls(), 0, "launched, not yet on screen");
    h.send(Event::Foreground);
    h.serve(&mut server);
    assert_eq!(h.long_polls(), 1);
    // A new case arrives through the long poll.
    server.upsert_case(
        "0190d7e2-7a8b-7c3d-9e4f-000000000003",
        "assigned",
        "wage_arrears",
        "欠薪",
    );
    let pos = h
        .http
        .iter()
        .position(|(_, r)| r.operation.url.contains("wait="))
        .unwrap();
    let (_, mut r) = h.http.remove(pos).unwrap();
    let out = server.answer(&r.operation);
    r.resolve(out).unwrap();
    h.send(Event::Background);
    assert_eq!(home_cases(&h).len(), 1);
    assert_eq!(h.long_polls(), 0, "no new long poll in the background");
    assert!(!h.timers.is_empty(), "a timer looks again later");
}

#[test]
fn bad_input_is_named_and_nothing_is_queued() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    h.send(Event::Open {
        route: Route::NewReport,
    });
    h.send(Event::SubmitReport);
    match h.view().screen {
        Screen::NewReport(r) => assert_eq!(r.problem.as_deref(), Some("请选择事件类别")),
        other => panic!("{other:?}"),
    }
    h.send(Event::Draft {
        edit: DraftEdit::Category {
            code: "neighbour_dispute".into(),
        },
    });
    h.send(Event::Draft {
        edit: DraftEdit::Description {
            text: "吵架".into(),
        },
    });
    h.send(Event::Draft {
        edit: DraftEdit::Pin {
            lat: 38.8,
            lon: 101.1,
            crs: "wgs84".into(),
        },
    });
    h.send(Event::Draft {
        edit: DraftEdit::AddParty {
            name: "张三".into(),
            side: "applicant".into(),
            phone: "call me".into(),
            id_number: String::new(),
        },
    });
    h.send(Event::SubmitReport);
    match h.view().screen {
        Screen::NewReport(r) => assert!(
            r.problem.unwrap().starts_with("第 1 位当事人"),
            "names the party"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.m.outbox.waiting(), 0);
    // A bad server address is refused before any request is made.
    let sent = h.sent.len();
    h.send(Event::Login {
        server: "gridline.test".into(),
        username: "x".into(),
        password: "y".into(),
    });
    assert_eq!(h.sent.len(), sent);
    assert!(h.m.login.error.as_deref().unwrap().contains("http://"));
    assert!(h.m.session.is_some(), "the session stays");
}

#[test]
fn a_long_inbox_carries_the_first_rows_and_counts_the_rest() {
    let mut server = FakeServer::new("village_cadre");
    for i in 0..250u32 {
        let status = if i % 5 == 0 { "closed" } else { "assigned" };
        server.upsert_case(
            &format!("0190d7e2-0000-7000-8000-{i:012x}"),
            status,
            "noise",
            "夜间施工",
        );
    }
    let mut h = Harness::new();
    h.login(&mut server, "li");
    assert_eq!(h.m.cache.cases.len(), 250);
    match h.view().screen {
        Screen::Home(home) => {
            // 200 open ones: closed cases are not in the inbox.
            assert_eq!(home.cases.len(), crate::app::view::cases::HOME_LIMIT);
            assert_eq!(home.more, 0);
            assert!(home.cases.iter().all(|c| c.status == "assigned"));
        }
        other => panic!("{other:?}"),
    }
    for i in 250..300u32 {
        server.upsert_case(
            &format!("0190d7e2-0000-7000-8000-{i:012x}"),
            "assigned",
            "noise",
            "夜间施工",
        );
    }
    h.send(Event::SyncNow);
    h.serve(&mut server);
    match h.view().screen {
        Screen::Home(home) => {
            assert_eq!(home.cases.len(), crate::app::view::cases::HOME_LIMIT);
            assert_eq!(home.more, 50, "250 open, 200 shown");
        }
        other => panic!("{other:?}"),
    }
}

fn case_detail(h: &mut Harness, id: &str) -> crate::app::view::cases::CaseDetail {
    h.send(Event::Open {
        route: Route::Case { id: id.into() },
    });
    match h.view().screen {
        Screen::Case(d) => d,
        other => panic!("not on the case: {other:?}"),
    }
}

fn departments_asked(h: &Harness) -> usize {
    h.sent
        .iter()
        .filter(|r| r.url.ends_with("/v1/departments"))
        .count()
}

#[test]
fn a_cadre_picks_departments_for_co_handling_even_offline() {
    use crate::case::ActionKind as A;
    let judicial = "0190d7e2-0000-7000-8000-0000000000d1";
    let labour = "0190d7e2-0000-7000-8000-0000000000d2";
    let mut server = FakeServer::new("village_cadre");
    server.departments = Some(serde_json::json!([
        {"id": judicial, "code": "620725100-sfs", "name": "城关镇司法所",
         "kind": "judicial_office", "parent_code": "620725100"},
        {"id": labour, "code": "620725-rsj", "name": "山丹县人社局",
         "kind": "labour", "parent_code": "620725"},
    ]));
    let id = "0190d7e2-7a8b-7c3d-9e4f-000000000003";
    server.upsert_case_with(
        id,
        "in_progress",
        "wage_arrears",
        "工地欠薪",
        &[A::Note, A::RequestCoHandling, A::Resolve, A::Escalate],
    );
    let mut h = Harness::new();
    h.login(&mut server, "li");
    let d = case_detail(&mut h, id);
    let codes: Vec<&str> = d.departments.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        [judicial, labour],
        "nearest first, as the server said"
    );
    assert_eq!(d.departments[0].label, "城关镇司法所");
    h.send(Event::SetLanguage {
        lang: crate::app::Lang::En,
    });
    let d = case_detail(&mut h, id);
    assert_eq!(d.departments[0].label, "Judicial office (城关镇司法所)");

    // Once a run is enough.
    h.send(Event::SyncNow);
    h.serve(&mut server);
    assert_eq!(departments_asked(&h), 1);

    // The app is killed and comes back without a network: the picker
    // still offers them, and the request is queued with the unit's id.
    server.offline = true;
    let mut h = h.restart();
    h.send(Event::Start {
        platform: "android".into(),
        app_version: "0.1.0".into(),
    });
    h.serve(&mut server);
    let d = case_detail(&mut h, id);
    assert_eq!(d.departments.len(), 2);
    h.send(Event::Act {
        case_id: id.into(),
        input: ActionInput::RequestCoHandling {
            units: vec![d.departments[1].code.clone()],
            task: "核实工资台账".into(),
            days: 5,
        },
    });
    assert_eq!(h.m.outbox.waiting(), 1);
    let queued = &h.m.outbox.items[0].args["action"];
    assert_eq!(queued["action"], "request_co_handling", "{queued}");
    assert_eq!(queued["units"], serde_json::json!([labour]), "{queued}");
    let d = case_detail(&mut h, id);
    assert!(
        d.departments.is_empty(),
        "no second request while one waits"
    );
}

#[test]
fn a_server_without_the_department_list_does_not_stop_sync() {
    let mut server = FakeServer::new("village_cadre");
    server.departments = None;
    let mut h = Harness::new();
    h.login(&mut server, "li");
    assert_eq!(departments_asked(&h), 1);
    assert!(
        h.m.meta.last_synced_ms.is_some(),
        "the round went on to pull"
    );
    assert_eq!(h.m.run.problem, None, "nothing for the status line");
    h.send(Event::SyncNow);
    h.serve(&mut server);
    assert_eq!(departments_asked(&h), 1, "not asked again this run");
}

#[test]
fn a_resident_is_not_offered_departments() {
    let mut server = FakeServer::new("resident");
    let mut h = Harness::new();
    h.login(&mut server, "zhang");
    assert!(h.m.meta.last_synced_ms.is_some());
    assert_eq!(departments_asked(&h), 0);
}

#[test]
fn a_storage_failure_stays_on_screen_until_dismissed() {
    let mut server = FakeServer::new("grid_worker");
    let mut h = Harness::new();
    h.login(&mut server, "wang");
    h.disk_full = true;
    write_report(&mut h);
    let storage = h.view().sync.storage.expect("the failed write is said");
    assert!(storage.contains("no space left on device"), "{storage}");

    // The disk has room again and a sync goes well: that says nothing
    // about the draft that was not saved, so the line stays.
    h.disk_full = false;
    h.send(Event::SyncNow);
    h.serve(&mut server);
    assert!(h.m.meta.last_synced_ms.is_some());
    assert_eq!(h.view().sync.problem, None);
    assert_eq!(h.view().sync.storage.as_deref(), Some(storage.as_str()));
    h.send(Event::DismissNotices);
    assert_eq!(h.view().sync.storage, None);
}
