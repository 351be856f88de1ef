//! Offline sync end to end: push once and in order, pull in commit order with
//! the acknowledgement, resets, reinstalls, revoked devices, conflicts, and
//! a randomized run of phones on a bad network that must converge.

use gridline_core::time::Date;
use gridline_tests::phone::Phone;
use gridline_tests::town::{Town, grid_centre};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn monday_morning() -> i64 {
    "2025-11-03".parse::<Date>().unwrap().start_ms() + 9 * 3_600_000
}

/// `case.create@1` arguments for a report at grid column `col`.
fn report(id: &str, col: u32, category: &str, text: &str) -> Value {
    let (lon, lat) = grid_centre(col);
    json!({
        "id": id, "category": category, "description": text,
        "location": { "lat": lat, "lon": lon },
    })
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn statuses(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

async fn case_count(town: &Town) -> usize {
    let (s, page) = town.get("admin", "/v1/cases?limit=200").await;
    assert_eq!(s, StatusCode::OK);
    page["items"].as_array().unwrap().len()
}

async fn history_actions(town: &Town, user: &str, id: &str) -> Vec<String> {
    let (s, h) = town.get(user, &format!("/v1/cases/{id}/history")).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    h.as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_resent_batch_applies_once_a_gap_is_refused_and_a_poison_mutation_does_not_block() {
    let town = Town::build(monday_morning()).await;
    let mut phone = Phone::register(&town.app, town.token("gw1")).await;
    let a = new_id();
    phone.queue("case.create@1", report(&a, 0, "noise", "广场舞噪音"));
    // Never applies: no such category.
    phone.queue("case.create@1", report(&new_id(), 0, "no_such_thing", "x"));
    phone.queue(
        "case.act@1",
        json!({ "case": a, "action": { "action": "note", "text": "已劝导" } }),
    );
    // The phone's clock says 2099 for this one.
    let mut late = phone.queue.pop().unwrap();
    late["device_time"] = json!("2099-12-31T23:59:59+08:00");
    phone.queue.push(late);

    let (s, first) = phone.push().await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["protocol"], "gridline-sync/1");
    assert_eq!(statuses(&first), ["applied", "rejected", "applied"]);
    assert_eq!(first["results"][1]["code"], "unknown_category");
    assert!(
        first["results"][1]["message"]
            .as_str()
            .unwrap()
            .contains("no_such_thing")
    );
    assert_eq!(first["results"][0]["id"], a.as_str());
    assert_eq!(first["last_applied"], 3);

    // The response was lost: the phone sends it all again.
    let (s, again) = phone.push().await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        again["results"], first["results"],
        "the same answers come back"
    );
    assert_eq!(case_count(&town).await, 1);
    let notes = history_actions(&town, "gw1", &a).await;
    assert_eq!(
        notes.iter().filter(|a| *a == "note").count(),
        1,
        "{notes:?}"
    );

    // Device clocks of 1970 and 2099 change nothing: the server's time rules.
    let (_, case) = town.get("gw1", &format!("/v1/cases/{a}")).await;
    assert_eq!(
        case["created_at"],
        json!(gridline_core::time::Instant(monday_morning()).to_string())
    );

    // A gap: 5 after 3 is refused with the number expected; nothing applies.
    let (s, gap) = phone
        .push_raw(&[json!({ "number": 5, "name": "case.create@1",
            "args": report(&new_id(), 0, "noise", "y") })])
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(gap["stopped"], json!({ "reason": "gap", "expected": 4 }));
    assert_eq!(gap["results"], json!([]));
    assert_eq!(gap["last_applied"], 3);
    assert_eq!(case_count(&town).await, 1);

    // An unknown mutation from a newer app is rejected with a reason; the
    // queue goes on past it.
    let (_, newer) = phone
        .push_raw(&[
            json!({ "number": 4, "name": "case.teleport@7", "args": {} }),
            json!({ "number": 5, "name": "case.act@1",
                "args": { "case": a, "action": { "action": "note", "text": "第二次劝导" } } }),
        ])
        .await;
    assert_eq!(statuses(&newer), ["rejected", "applied"]);
    assert_eq!(newer["results"][0]["code"], "unknown_mutation");

    // The pull acknowledges all five and holds the case with both notes.
    phone.pull(500).await;
    assert_eq!(phone.ack, 5);
    assert!(phone.queue.is_empty());
    let (_, data) = phone.rows.get(&("case".into(), a.clone())).unwrap();
    let history = data["history"].as_array().unwrap();
    assert_eq!(history.iter().filter(|e| e["action"] == "note").count(), 2);
}

#[tokio::test]
async fn the_same_batch_pushed_twice_at_once_applies_once() {
    let town = Town::build(monday_morning()).await;
    let mut phone = Phone::register(&town.app, town.token("gw1")).await;
    for i in 0..30 {
        phone.queue("case.create@1", report(&new_id(), i % 2, "noise", "并发"));
    }
    let (a, b) = tokio::join!(phone.push(), phone.push());
    assert_eq!(a.0, StatusCode::OK, "{}", a.1);
    assert_eq!(b.0, StatusCode::OK, "{}", b.1);
    assert_eq!(a.1["results"], b.1["results"], "both see the same answers");
    assert!(statuses(&a.1).iter().all(|s| s == "applied"));
    assert_eq!(case_count(&town).await, 30);
    phone.pull(500).await;
    assert_eq!(phone.ack, 30);
    assert_eq!(phone.case_ids().len(), 30);
}

#[tokio::test]
async fn a_reinstalled_phone_resending_a_report_is_a_no_op_and_a_changed_one_a_flagged_conflict() {
    let town = Town::build(monday_morning()).await;
    let mut old = Phone::register(&town.app, town.token("gw1")).await;
    let a = new_id();
    let b = new_id();
    old.queue("case.create@1", report(&a, 0, "noise", "原样"));
    old.queue("case.create@1", report(&b, 0, "noise", "第一版"));
    assert_eq!(statuses(&old.push().await.1), ["applied", "applied"]);

    // Reinstalled: a new device, the same reports from its restored queue,
    // one of them edited before it was sent again.
    let mut new = Phone::register(&town.app, town.token("gw1")).await;
    new.queue("case.create@1", report(&a, 0, "noise", "原样"));
    new.queue("case.create@1", report(&b, 0, "noise", "第二版"));
    let (_, r) = new.push().await;
    assert_eq!(statuses(&r), ["duplicate", "rejected"]);
    assert_eq!(r["results"][1]["code"], "conflict");
    assert_eq!(case_count(&town).await, 2);
    // The second version is not lost: it is in the case's history.
    let (_, h) = town.get("gw1", &format!("/v1/cases/{b}/history")).await;
    let conflict = h
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "conflict")
        .expect("a conflict entry");
    assert_eq!(conflict["detail"]["args"]["description"], "第二版");

    // Someone else's id is refused and changes nothing.
    let mut other = Phone::register(&town.app, town.token("gw2")).await;
    other.queue("case.create@1", report(&a, 2, "noise", "抢注"));
    let (_, r) = other.push().await;
    assert_eq!(statuses(&r), ["rejected"]);
    assert_eq!(r["results"][0]["code"], "conflict");
    assert!(
        !history_actions(&town, "admin", &a)
            .await
            .contains(&"conflict".to_owned())
    );
}

#[tokio::test]
async fn a_device_revoked_keeps_its_queue_and_resumes_after_a_new_login() {
    let town = Town::build(monday_morning()).await;
    let tokens = town.app.login("gw1").await;
    let mut phone = Phone::register(&town.app, &tokens.access_token).await;
    let a = new_id();
    let b = new_id();
    phone.queue("case.create@1", report(&a, 0, "noise", "第一件"));
    assert_eq!(statuses(&phone.push().await.1), ["applied"]);
    phone.queue("case.create@1", report(&b, 0, "noise", "第二件"));

    // The admin revokes the phone (lost, or handed to someone else).
    let r = town
        .app
        .client
        .delete(town.app.url(&format!("/v1/devices/{}", phone.device)))
        .bearer_auth(town.token("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, _) = phone.push().await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "its login has ended");
    let r = town
        .app
        .client
        .post(town.app.url("/v1/auth/refresh"))
        .json(&json!({ "refresh_token": tokens.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "its refresh token is dead"
    );
    // With a fresh login the old device id is still refused.
    let fresh = town.app.login("gw1").await.access_token;
    phone.token = fresh.clone();
    let (s, body) = phone.push().await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "device_revoked");

    // The app registers anew and sends its whole queue, renumbered: what
    // arrived before is recognised, the rest applies.
    let mut again = Phone::register(&town.app, &fresh).await;
    again.queue("case.create@1", report(&a, 0, "noise", "第一件"));
    again.queue("case.create@1", report(&b, 0, "noise", "第二件"));
    assert_eq!(statuses(&again.push().await.1), ["duplicate", "applied"]);
    assert_eq!(case_count(&town).await, 2);

    // Someone else's device is unknown to you.
    let (s, body) = town
        .get("gw2", &format!("/v1/devices/{}", again.device))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "unknown_device");
}

#[tokio::test]
async fn pull_sends_every_change_in_scope_once_in_commit_order_and_never_splits_a_transaction() {
    let town = Town::build(monday_morning()).await;
    let mut gw1 = Phone::register(&town.app, town.token("gw1")).await;
    let mut gw2 = Phone::register(&town.app, town.token("gw2")).await;
    let mut cadre1 = Phone::register(&town.app, town.token("cadre1")).await;
    let mut town_op = Phone::register(&town.app, town.token("town-op")).await;
    // Four writers at once: two phones pushing, two people on the web.
    let mut expected_v1 = BTreeSet::new();
    let mut all = BTreeSet::new();
    for i in 0..20 {
        let id = new_id();
        gw1.queue("case.create@1", report(&id, i % 2, "noise", "一村"));
        expected_v1.insert(id.clone());
        all.insert(id);
        let id = new_id();
        gw2.queue("case.create@1", report(&id, 2, "noise", "二村"));
        all.insert(id);
    }
    let web = async {
        let mut ids = Vec::new();
        for _ in 0..10 {
            let c = town.report("cadre1", 1, "noise", json!({})).await;
            ids.push(c["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let web2 = async {
        let mut ids = Vec::new();
        for _ in 0..10 {
            let c = town.report("resident1", 0, "noise", json!({})).await;
            ids.push(c["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    // Pollers pull with tiny pages while the writers write.
    let poll = async {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..40 {
            let (s, page) = town_op.pull_raw(cursor.as_deref(), 3).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            seen.push(page.clone());
            cursor = Some(page["cursor"].as_str().unwrap().to_owned());
            tokio::task::yield_now().await;
        }
        (seen, cursor)
    };
    let (r1, r2, web_ids, web2_ids, (pages, _)) =
        tokio::join!(gw1.push(), gw2.push(), web, web2, poll);
    assert_eq!(r1.0, StatusCode::OK);
    assert_eq!(r2.0, StatusCode::OK);
    expected_v1.extend(web_ids.iter().cloned());
    expected_v1.extend(web2_ids.iter().cloned());
    all.extend(web_ids);
    all.extend(web2_ids);

    // Across the concurrent pages, positions only go up and no position
    // shows up on two pages (a transaction is whole on one page).
    let mut last_seq = 0;
    let mut by_page: Vec<BTreeSet<u64>> = Vec::new();
    for p in &pages {
        let seqs: BTreeSet<u64> = p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["seq"].as_u64().unwrap())
            .collect();
        for s in &seqs {
            assert!(*s > last_seq, "position {s} after {last_seq}");
        }
        if let Some(m) = seqs.iter().max() {
            last_seq = *m;
        }
        by_page.push(seqs);
    }
    for (i, a) in by_page.iter().enumerate() {
        for b in &by_page[i + 1..] {
            assert!(a.is_disjoint(b));
        }
    }

    // Each phone, pulling from the start with small pages, ends with
    // exactly what its scope holds.
    town_op.cursor = None;
    town_op.pull(7).await;
    assert_eq!(town_op.case_ids().into_iter().collect::<BTreeSet<_>>(), all);
    cadre1.pull(5).await;
    assert_eq!(
        cadre1.case_ids().into_iter().collect::<BTreeSet<_>>(),
        expected_v1,
        "village one's cadre holds village one's cases"
    );
    gw1.pull(500).await;
    assert_eq!(gw1.ack, 20);
    gw2.pull(500).await;
    assert_eq!(gw2.case_ids().len(), 20, "grid 3 only");

    // A pull with nothing new returns nothing and the same acknowledgement;
    // with `wait` it returns when something commits.
    let (s, idle) = gw2.pull_raw(gw2.cursor.as_deref(), 500).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(idle["changes"], json!([]));
    assert_eq!(idle["ack"], 20);
    let cursor = gw2.cursor.clone().unwrap();
    let client = town.app.client.clone();
    let url = town.app.url("/v1/sync/pull");
    let (device, token) = (gw2.device.clone(), gw2.token.clone());
    let waiting = tokio::spawn(async move {
        let r = client
            .get(url)
            .bearer_auth(token)
            .query(&[
                ("device_id", device.as_str()),
                ("cursor", &cursor),
                ("wait", "20"),
            ])
            .send()
            .await
            .unwrap();
        r.json::<Value>().await.unwrap()
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let c = town.report("gw2", 2, "noise", json!({})).await;
    let woke = tokio::time::timeout(std::time::Duration::from_secs(10), waiting)
        .await
        .expect("the long poll returns on a commit")
        .unwrap();
    assert_eq!(woke["changes"][0]["id"], c["id"]);
}

#[tokio::test]
async fn the_acknowledgement_comes_with_exactly_the_effects_it_covers() {
    let town = Town::build(monday_morning()).await;
    let mut writer = Phone::register(&town.app, town.token("gw1")).await;
    let mut ids = Vec::new();
    for _ in 0..60 {
        let id = new_id();
        writer.queue("case.create@1", report(&id, 0, "noise", "ack"));
        ids.push(id);
    }
    // The same device pulls while its pushes land, in batches of 5.
    let mut reader = writer.twin();
    let pushes = async {
        for chunk in writer.queue.chunks(5) {
            let (s, _) = writer.push_raw(chunk).await;
            assert_eq!(s, StatusCode::OK);
        }
    };
    let pulls = async {
        let mut held = BTreeSet::new();
        let mut checks = 0;
        for _ in 0..80 {
            let (s, page) = reader.pull_raw(reader.cursor.clone().as_deref(), 4).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            for c in page["changes"].as_array().unwrap() {
                held.insert(c["id"].as_str().unwrap().to_owned());
            }
            let ack = usize::try_from(page["ack"].as_u64().unwrap()).unwrap();
            // Every acknowledged report is held; no unacknowledged one is.
            for (n, id) in ids.iter().enumerate() {
                assert_eq!(
                    held.contains(id),
                    n < ack,
                    "mutation {} with ack {ack}",
                    n + 1
                );
            }
            checks += 1;
            reader.apply(&page);
            tokio::task::yield_now().await;
        }
        checks
    };
    let ((), checks) = tokio::join!(pushes, pulls);
    assert_eq!(checks, 80);
}

/// A case reported by a resident in village one, accepted by the township
/// and handed to the judicial office, which signs for it.
async fn case_at_judicial(town: &Town) -> Value {
    let case = town
        .report("resident1", 0, "neighbour_dispute", json!({}))
        .await;
    town.ok("town-op", &case, json!({ "action": "accept" }))
        .await;
    let judicial = town.units["judicial"].to_string();
    town.ok(
        "town-op",
        &case,
        json!({ "action": "reassign", "unit": judicial, "reason": "需要司法所调解" }),
    )
    .await;
    town.ok("judicial", &case, json!({ "action": "sign_for" }))
        .await
}

#[tokio::test]
async fn a_reassigned_case_leaves_one_phone_for_another_and_the_late_edit_is_kept() {
    let town = Town::build(monday_morning()).await;
    let case = case_at_judicial(&town).await;
    let id = case["id"].as_str().unwrap().to_owned();
    let mut judicial = Phone::register(&town.app, town.token("judicial")).await;
    let mut labour = Phone::register(&town.app, town.token("labour")).await;
    judicial.pull(500).await;
    labour.pull(500).await;
    assert_eq!(judicial.case_ids(), std::slice::from_ref(&id));
    assert!(labour.case_ids().is_empty());

    // Offline, the judicial office notes its progress; meanwhile the
    // township moves the case to the labour bureau.
    judicial.queue(
        "case.act@1",
        json!({ "case": id, "from": "signed_for", "action": { "action": "note", "text": "已约双方周三调解" } }),
    );
    let labour_unit = town.units["labour"].to_string();
    town.ok(
        "town-op",
        &case,
        json!({ "action": "reassign", "unit": labour_unit, "reason": "欠薪归人社局" }),
    )
    .await;

    let (_, r) = judicial.push().await;
    assert_eq!(statuses(&r), ["rejected"]);
    assert_eq!(r["results"][0]["code"], "not_found");
    judicial.pull(500).await;
    assert!(
        judicial.case_ids().is_empty(),
        "gone from the judicial office's phone"
    );
    assert!(
        judicial.queue.is_empty(),
        "acknowledged, so the phone can say why"
    );
    labour.pull(500).await;
    assert_eq!(
        labour.case_ids(),
        std::slice::from_ref(&id),
        "and on the labour bureau's"
    );
    let (_, data) = labour.rows.get(&("case".into(), id.clone())).unwrap();
    let conflict = data["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "conflict")
        .expect("the late note is in the history");
    assert_eq!(
        conflict["detail"]["args"]["action"]["text"],
        "已约双方周三调解"
    );
}

#[tokio::test]
async fn two_phones_acting_on_the_same_case_offline_get_one_winner_and_a_conflict_both_see() {
    let town = Town::build(monday_morning()).await;
    let case = town.report("gw1", 0, "noise", json!({})).await;
    let id = case["id"].as_str().unwrap().to_owned();
    assert_eq!(case["status"], "signed_for");
    let mut a = Phone::register(&town.app, town.token("gw1")).await;
    let mut b = Phone::register(&town.app, town.token("gw1")).await;
    for p in [&mut a, &mut b] {
        p.queue(
            "case.act@1",
            json!({ "case": id, "from": "signed_for", "action": { "action": "start" } }),
        );
    }
    assert_eq!(statuses(&a.push().await.1), ["applied"]);
    let (_, lost) = b.push().await;
    assert_eq!(statuses(&lost), ["rejected"]);
    assert_eq!(lost["results"][0]["code"], "wrong_state");
    for p in [&mut a, &mut b] {
        p.pull(500).await;
        let (_, data) = p.rows.get(&("case".into(), id.clone())).unwrap();
        assert_eq!(data["case"]["status"], "in_progress");
        let actions: Vec<&str> = data["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions.iter().filter(|x| **x == "start").count(), 1);
        assert!(actions.contains(&"conflict"), "{actions:?}");
    }

    // Closed is final: a late action is refused and recorded, not applied.
    town.ok(
        "gw1",
        &case,
        json!({ "action": "resolve", "outcome": "mediated", "summary": "已劝导" }),
    )
    .await;
    town.ok("county-op", &case, json!({ "action": "close" }))
        .await;
    b.queue(
        "case.act@1",
        json!({ "case": id, "action": { "action": "escalate", "reason": "未解决" } }),
    );
    let (_, late) = b.push().await;
    assert_eq!(statuses(&late), ["rejected"]);
    let (_, now) = town.get("gw1", &format!("/v1/cases/{id}")).await;
    assert_eq!(now["status"], "closed");
}

#[tokio::test]
async fn resets_for_epoch_retention_and_scope_keep_the_queue_and_converge_from_a_snapshot() {
    let town = Town::build(monday_morning()).await;
    let mut gw1 = Phone::register(&town.app, town.token("gw1")).await;
    gw1.queue("case.create@1", report(&new_id(), 0, "noise", "一"));
    gw1.sync().await;
    let old_cursor = gw1.cursor.clone().unwrap();

    // A cursor that was tampered with, or is another person's, is refused.
    let (s, body) = gw1.pull_raw(Some(&format!("x{old_cursor}")), 10).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "invalid_cursor");
    let gw2 = Phone::register(&town.app, town.token("gw2")).await;
    let (s, body) = gw2.pull_raw(Some(&old_cursor), 10).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body["reset"], "scope");

    // The server is restored from a backup: a new epoch.
    town.app.state.store.new_epoch().await.unwrap();
    let queued = new_id();
    gw1.queue("case.create@1", report(&queued, 0, "noise", "二"));
    let (s, body) = gw1.pull_raw(gw1.cursor.clone().as_deref(), 10).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body["code"], "reset_required");
    assert_eq!(body["reset"], "epoch");
    // The phone sends what is waiting first, then starts from a snapshot.
    let (s, r) = gw1.push().await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(statuses(&r), ["applied"]);
    gw1.snapshot(1).await;
    assert_eq!(gw1.case_ids().len(), 2);
    gw1.pull(500).await;
    assert_eq!(gw1.ack, 2);
    assert!(gw1.queue.is_empty());

    // The judicial office's phone is away while a case leaves it, past the
    // retention window: it is told to reset, and the case does not come back.
    let case = case_at_judicial(&town).await;
    let mut judicial = Phone::register(&town.app, town.token("judicial")).await;
    judicial.pull(500).await;
    assert_eq!(judicial.case_ids().len(), 1);
    let labour_unit = town.units["labour"].to_string();
    town.ok(
        "town-op",
        &case,
        json!({ "action": "reassign", "unit": labour_unit, "reason": "欠薪归人社局" }),
    )
    .await;
    town.clock.advance(91 * 86_400_000);
    let now = monday_morning() + 91 * 86_400_000;
    let compacted = town
        .app
        .state
        .sync
        .compact_now("test", now)
        .await
        .unwrap()
        .unwrap();
    assert!(compacted.log_rows > 0);
    for phone in [&judicial, &gw1] {
        let (s, body) = phone.pull_raw(phone.cursor.as_deref(), 10).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["reset"], "retention");
    }
    let (s, body) = judicial.pull_raw(None, 10).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a fresh pull starts from a snapshot"
    );
    assert_eq!(body["reset"], "retention");
    judicial.snapshot(10).await;
    assert!(judicial.case_ids().is_empty(), "no resurrected case");
    judicial.pull(10).await;
    assert!(judicial.case_ids().is_empty());
}

/// Phones on a bad network: random reports and notes, responses lost,
/// batches sent twice, pulls dropped half way. Once the network is good
/// again, every phone holds exactly what the server shows its user, every
/// report exists once, and no note is doubled.
#[tokio::test]
async fn phones_on_a_bad_network_converge_with_nothing_lost_or_doubled() {
    let town = Town::build(monday_morning()).await;
    let mut rng = StdRng::seed_from_u64(20_261_121);
    // (user, grid columns they report in)
    let people: [(&str, &[u32]); 4] = [
        ("gw1", &[0]),
        ("gw1", &[0]),
        ("gw2", &[2]),
        ("cadre1", &[0, 1]),
    ];
    let mut phones = Vec::new();
    for (user, _) in people {
        phones.push(Phone::register(&town.app, town.token(user)).await);
    }
    let mut town_op = Phone::register(&town.app, town.token("town-op")).await;
    let mut created = BTreeSet::new();
    let mut notes = Vec::new();
    for step in 0..200 {
        let i = rng.random_range(0..phones.len());
        let cols = people[i].1;
        let phone = &mut phones[i];
        match rng.random_range(0..10) {
            0..=2 => {
                let id = new_id();
                let col = cols[rng.random_range(0..cols.len())];
                phone.queue(
                    "case.create@1",
                    report(&id, col, "noise", &format!("第{step}步")),
                );
                created.insert(id);
            }
            3..=4 => {
                // Cases the phone shows a note button for.
                let ids: Vec<String> = phone
                    .rows
                    .iter()
                    .filter(|(k, (_, d))| {
                        k.0 == "case"
                            && d["case"]["actions"]
                                .as_array()
                                .is_some_and(|a| a.contains(&json!("note")))
                    })
                    .map(|(k, _)| k.1.clone())
                    .collect();
                if !ids.is_empty() {
                    let id = &ids[rng.random_range(0..ids.len())];
                    let text = format!("note-{i}-{step}");
                    phone.queue(
                        "case.act@1",
                        json!({ "case": id, "action": { "action": "note", "text": text } }),
                    );
                    notes.push(text);
                }
            }
            5..=6 => {
                // Sent; the answer may be lost on the way back.
                let (s, _) = phone.push().await;
                assert_eq!(s, StatusCode::OK);
            }
            7 => {
                // The same batch twice at once (a retry racing the original).
                let (a, b) = tokio::join!(phone.push(), phone.push());
                assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
            }
            _ => {
                let limit = rng.random_range(1..6);
                let (s, page) = phone.pull_raw(phone.cursor.clone().as_deref(), limit).await;
                assert_eq!(s, StatusCode::OK, "{page}");
                // Half the time the page never arrives.
                if rng.random_bool(0.5) {
                    phone.apply(&page);
                }
            }
        }
    }
    // Quiescence: every phone sends what it has and pulls to the end.
    for phone in &mut phones {
        phone.sync().await;
        assert!(phone.queue.is_empty(), "everything acknowledged");
    }
    // (What the others sent after a phone's turn comes on its next pull.)
    for phone in &mut phones {
        phone.pull(500).await;
    }
    town_op.pull(50).await;

    // Each phone holds what a fresh snapshot of its scope holds, rev for rev.
    for phone in phones.iter().chain([&town_op]) {
        let mut fresh = phone.twin();
        fresh.snapshot(7).await;
        let have: Vec<(&(String, String), i64)> =
            phone.rows.iter().map(|(k, (rev, _))| (k, *rev)).collect();
        let want: Vec<(&(String, String), i64)> =
            fresh.rows.iter().map(|(k, (rev, _))| (k, *rev)).collect();
        let missing: Vec<_> = want.iter().filter(|w| !have.contains(w)).collect();
        let extra: Vec<_> = have.iter().filter(|h| !want.contains(h)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{} missing {missing:?}, extra {extra:?}",
            phone.device
        );
    }
    // Every report exists once; no note is doubled.
    let held: BTreeSet<String> = town_op.case_ids().into_iter().collect();
    assert_eq!(held, created);
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for (_, data) in town_op.rows.values() {
        for e in data["history"].as_array().unwrap() {
            if e["action"] == "note" {
                *seen
                    .entry(e["detail"]["text"].as_str().unwrap_or("").to_owned())
                    .or_default() += 1;
            }
        }
    }
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    assert_eq!(seen.len(), notes.len(), "every note landed once");
}

/// The deterministic out-of-order case: writer A holds its transaction
/// (with its log position taken) for 3 s while writer B tries to commit.
/// Readers keep reading meanwhile; nobody sees B's change before A's, and
/// nothing is skipped.
#[tokio::test]
async fn a_slow_writer_holding_its_position_is_never_skipped_by_a_later_one() {
    use sqlx::Connection;
    let town = Town::build(monday_morning()).await;
    let x = town.report("gw1", 0, "noise", json!({})).await;
    let mut reader = Phone::register(&town.app, town.token("town-op")).await;
    reader.pull(500).await;
    let mut phone = Phone::register(&town.app, town.token("gw1")).await;

    // Writer A: a raw connection to the same database.
    sqlx::any::install_default_drivers();
    let mut a = sqlx::AnyConnection::connect(&town.app.database_url())
        .await
        .unwrap();
    let begin = if town.app.on_postgres() {
        "BEGIN"
    } else {
        "BEGIN IMMEDIATE"
    };
    sqlx::query(begin).execute(&mut a).await.unwrap();
    let seq_a: i64 =
        sqlx::query_scalar("UPDATE sync_meta SET seq = seq + 1 WHERE id = 1 RETURNING seq")
            .fetch_one(&mut a)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO sync_log (seq, scope, entity, entity_id, op, rev, at) \
         SELECT $1, scope, 'case', entity_id, 'upsert', 1, 0 FROM sync_scopes WHERE entity_id = $2",
    )
    .bind(seq_a)
    .bind(x["id"].as_str().unwrap())
    .execute(&mut a)
    .await
    .unwrap();

    // Writer B: a phone's report, which has to wait for A.
    let b = new_id();
    phone.queue("case.create@1", report(&b, 0, "noise", "B"));
    let push = tokio::spawn(async move { phone.push().await });
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let (s, page) = reader.pull_raw(reader.cursor.clone().as_deref(), 500).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            page["changes"],
            json!([]),
            "nothing is visible before A commits"
        );
    }
    sqlx::query("COMMIT").execute(&mut a).await.unwrap();
    let (s, r) = push.await.unwrap();
    assert_eq!(s, StatusCode::OK, "B waited for A and then applied: {r}");
    let pages = reader.pull(500).await;
    let seen: Vec<(u64, String)> = pages
        .iter()
        .flat_map(|p| p["changes"].as_array().unwrap().clone())
        .map(|c| {
            (
                c["seq"].as_u64().unwrap(),
                c["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let seq_a = u64::try_from(seq_a).unwrap();
    assert_eq!(
        seen,
        [
            (seq_a, x["id"].as_str().unwrap().to_owned()),
            (seq_a + 1, b)
        ],
        "A's change first, then B's, neither skipped"
    );
}

#[tokio::test]
async fn an_older_apps_queue_applies_after_an_upgrade_and_a_newer_app_gets_reasons_not_a_refusal() {
    // Test 18. The server speaks photo-era arguments now; an app from before
    // (no `photos` in its reports) had queued these while offline.
    let town = Town::build(monday_morning()).await;
    let phone = Phone::register(&town.app, town.token("gw1")).await;
    let (old, newer) = (new_id(), new_id());
    let (s, r) = phone
        .push_raw(&[
            json!({ "number": 1, "name": "case.create@1", "args": report(&old, 0, "noise", "旧版本上报") }),
            json!({ "number": 2, "name": "case.act@1",
                "args": { "case": old, "action": { "action": "note", "text": "旧版本备注" } } }),
        ])
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(statuses(&r), ["applied", "applied"]);

    // A newer app: extra fields in the request and the envelope are
    // ignored; a mutation version this server does not know is rejected on
    // its own with the versions it does know, and the rest applies.
    let body = json!({
        "device_id": phone.device,
        "client": { "app_version": "9.0.0", "schema": 7 },
        "mutations": [
            { "number": 3, "name": "case.create@2", "args": { "id": newer, "anything": true },
              "device_time": "2031-01-01T00:00:00Z", "trace_id": "abc", "priority": "high" },
            { "number": 4, "name": "case.create@1", "args": report(&newer, 1, "noise", "新版本上报"),
              "trace_id": "def" },
        ],
    });
    let r = town
        .app
        .client
        .post(town.app.url("/v1/sync/push"))
        .bearer_auth(town.token("gw1"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r: Value = r.json().await.unwrap();
    assert_eq!(statuses(&r), ["rejected", "applied"], "{r}");
    assert_eq!(r["results"][0]["code"], "unknown_mutation");
    let why = r["results"][0]["message"].as_str().unwrap();
    assert!(
        why.contains("case.create@2") && why.contains("case.create@1"),
        "{why}"
    );
    assert_eq!(r["last_applied"], 4);
    assert_eq!(case_count(&town).await, 2);
}

#[tokio::test]
async fn an_access_token_that_expired_offline_is_refreshed_and_the_queue_goes_up_whole() {
    // Test 17. Two weeks out of coverage: the access token has expired.
    let town = Town::build(monday_morning()).await;
    let tokens = town.app.login("gw1").await;
    let mut phone = Phone::register(&town.app, &tokens.access_token).await;
    let secret = town
        .app
        .state
        .store
        .meta("jwt_secret")
        .await
        .unwrap()
        .unwrap();
    let keys = gridline_api::auth::token::TokenKeys::new(secret.as_bytes());
    let claims = keys.verify(&tokens.access_token).unwrap();
    let two_weeks_ago = tokens_now_s() - 14 * 86_400;
    phone.token = keys
        .issue(&claims.sub, &claims.sid, two_weeks_ago, 3600)
        .unwrap();
    let ids: Vec<String> = (0..3).map(|_| new_id()).collect();
    for id in &ids {
        phone.queue("case.create@1", report(id, 0, "noise", "离线两周"));
    }
    let (s, body) = phone.push().await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "unauthenticated");
    assert_eq!(phone.queue.len(), 3, "a 401 leaves the queue alone");
    assert_eq!(case_count(&town).await, 0);

    // The refresh token (bound to this device's session) still works.
    let r = town
        .app
        .client
        .post(town.app.url("/v1/auth/refresh"))
        .json(&json!({ "refresh_token": tokens.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let fresh: Value = r.json().await.unwrap();
    phone.token = fresh["access_token"].as_str().unwrap().to_owned();
    let (s, body) = phone.push().await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(statuses(&body), ["applied", "applied", "applied"]);
    phone.pull(100).await;
    assert!(phone.queue.is_empty());
    let mut held = phone.case_ids();
    let mut sent = ids.clone();
    held.sort();
    sent.sort();
    assert_eq!(held, sent);
}

fn tokens_now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}
