//! The phone core's cost per event with a full cache: a cadre's phone
//! holding 1,000 or 10,000 cases. Measured through the same `update` and
//! `view` the shells call, and the bytes of the view model as they cross the
//! FFI (crux's bridge, bincode and JSON). Run: `cargo bench -p gridline-core`.

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use crux_core::bridge::{Bridge, JsonFfiFormat};
use crux_core::{App, Core};
use crux_http::protocol::{HttpResponse, HttpResult};
use gridline_core::app::model::{Phase, Session};
use gridline_core::app::net::Call;
use gridline_core::app::{Event, Gridline, Model, Route};
use gridline_core::case::{ActionKind, Channel, Status};
use gridline_core::sync::{CaseRecord, Change, ChangeOp, Entity, PROTOCOL, PullPage};
use gridline_core::time::Instant;
use gridline_core::wire::auth::{Me, RoleGrant};
use gridline_core::wire::case::{CaseView, EventView, PersonBrief, PointView, TierView, UnitBrief};
use gridline_core::wire::territory::UnitRef;
use gridline_core::{CaseId, OrgUnitKind, Role};
use std::hint::black_box;

const NOW: i64 = 1_763_700_000_000;
const STATUSES: [Status; 5] = [
    Status::Assigned,
    Status::SignedFor,
    Status::InProgress,
    Status::Resolved,
    Status::Closed,
];
const CATEGORIES: [&str; 4] = [
    "neighbour_dispute",
    "land_dispute",
    "safety_hazard",
    "noise",
];

/// Case `i` at revision `rev`, as the server sends it: three history rows.
fn record(i: u64, rev: i64) -> CaseRecord {
    let idx = usize::try_from(i).unwrap_or(0);
    let status = STATUSES[idx % STATUSES.len()];
    let at = |k: i64| Instant(NOW - 86_400_000 + k * 60_000 + i64::try_from(i).unwrap_or(0));
    let person = PersonBrief {
        id: "0190d7e2-0000-7000-8000-0000000000c1".into(),
        display_name: "张伟(村干部)".into(),
    };
    let case = CaseView {
        id: CaseId::from_uuid(uuid::Uuid::from_u128(
            0x0190_d7e2_0000_7000_8000_0000_0000_0000 + u128::from(i),
        )),
        version: rev,
        status,
        category: CATEGORIES[idx % CATEGORIES.len()].into(),
        description: format!("第{i}号：两户因宅基地边界争执，需村里协调处理"),
        channel: Channel::GridPatrol,
        location: PointView {
            lat: 38.8 + (i % 100) as f64 * 1e-4,
            lon: 101.1 + (i / 100) as f64 * 1e-4,
        },
        grid: None,
        distance_m: 0.0,
        tier: TierView {
            index: 1,
            name: "village".into(),
        },
        lead_unit: UnitBrief {
            id: "0190d7e2-0000-7000-8000-00000000000a".into(),
            kind: OrgUnitKind::Village,
            code: "620725101201".into(),
            name: "西街村".into(),
        },
        assignee: Some(person.clone()),
        rule: "grid_first".into(),
        sign_by: Some(at(60 * 24)),
        deadline: Some(at(60 * 24 * 5)),
        overdue: i.is_multiple_of(17),
        risk: None,
        people_affected: 2,
        amount_yuan: 0,
        parties: None,
        co_handling: vec![],
        supervision: vec![],
        outcome: None,
        summary: None,
        rating: None,
        merged_into: None,
        created_at: at(0),
        updated_at: at(3),
        actions: vec![ActionKind::Note, ActionKind::Start, ActionKind::Escalate],
        photos: vec![],
    };
    let history = (0..3)
        .map(|k| EventView {
            seq: k + 1,
            at: at(k),
            actor: Some(person.clone()),
            action: ["submit", "escalate", "sign_for"][usize::try_from(k).unwrap_or(0)].into(),
            detail: serde_json::json!({ "tier": 1, "tier_name": "village" }),
        })
        .collect();
    CaseRecord { case, history }
}

/// A pull page of `n` upserts of cases `first..first + n` at `rev`.
fn page(first: u64, n: u64, rev: i64) -> Vec<u8> {
    let changes = (first..first + n)
        .map(|i| Change {
            seq: i + 1,
            entity: Entity::Case,
            id: record(i, rev).case.id.to_string(),
            op: ChangeOp::Upsert,
            rev,
            data: serde_json::to_value(record(i, rev)).ok(),
        })
        .collect();
    let p = PullPage {
        protocol: PROTOCOL.into(),
        epoch: "epoch-1".into(),
        changes,
        ack: 0,
        cursor: format!("{}", first + n),
        has_more: false,
    };
    serde_json::to_vec(&p).unwrap_or_default()
}

/// The answer to a pull, as the shell hands it over.
fn pull_answer(m: &Model, body: Vec<u8>) -> Event {
    let response = HttpResponse::status(200)
        .header("content-type", "application/json")
        .body(body)
        .build();
    Event::Answer(
        Box::new(Call::Pull {
            cursor: m.meta.cursor.clone(),
            wait: false,
        }),
        Box::new(HttpResult::Ok(response)),
    )
}

/// A village cadre's phone at home, holding `n` cases pulled in pages of 500.
fn phone(n: u64) -> Model {
    let mut m = Model {
        loaded: true,
        session: Some(Session {
            server: "http://gridline.test".into(),
            access: "a".into(),
            refresh: "r".into(),
            me: Me {
                id: "0190d7e2-0000-7000-8000-0000000000c1".into(),
                username: "cadre".into(),
                display_name: "张伟(村干部)".into(),
                roles: vec![RoleGrant {
                    role: Role::VillageCadre,
                    org_unit: UnitRef {
                        code: "620725101201".into(),
                        name: "西街村".into(),
                    },
                }],
            },
            expired: false,
        }),
        now_ms: Some(NOW),
        ..Model::default()
    };
    m.outbox.device = Some("0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6".into());
    let app = Gridline;
    let mut first = 0;
    while first < n {
        let k = (n - first).min(500);
        m.run.phase = Phase::Pulling;
        let ev = pull_answer(&m, page(first, k, 1));
        drop(app.update(ev, &mut m));
        first += k;
    }
    m.run.phase = Phase::Idle;
    assert_eq!(m.cache.cases.len() as u64, n, "the pages filled the cache");
    m
}

fn bench(c: &mut Criterion) {
    let app = Gridline;
    let mut g = c.benchmark_group("core");
    for n in [1_000u64, 10_000] {
        let base = phone(n);
        let some_case = base
            .cache
            .cases
            .keys()
            .nth(usize::try_from(n / 2).unwrap_or(0))
            .cloned()
            .unwrap_or_default();

        // The home screen: every open case, sorted by deadline, in words.
        g.bench_function(BenchmarkId::new("view_home", n), |b| {
            b.iter(|| black_box(app.view(&base)));
        });
        // A tap: open a case and draw it; then back home and draw that.
        let mut m = phone(n);
        g.bench_function(BenchmarkId::new("open_case_and_back", n), |b| {
            b.iter(|| {
                drop(app.update(
                    Event::Open {
                        route: Route::Case {
                            id: some_case.clone(),
                        },
                    },
                    &mut m,
                ));
                black_box(app.view(&m));
                drop(app.update(Event::Back, &mut m));
                black_box(app.view(&m));
            });
        });
        // A pull page of 500 changed cases arriving (each page a higher
        // revision, so every row is applied): JSON parsed, rows applied,
        // storage writes and the next step queued.
        let mut rev = 1;
        g.bench_function(BenchmarkId::new("apply_pull_page_500", n), |b| {
            b.iter_batched(
                || {
                    rev += 1;
                    page(0, 500, rev)
                },
                |body| {
                    m.run.phase = Phase::Pulling;
                    let ev = pull_answer(&m, body);
                    drop(app.update(ev, &mut m));
                },
                BatchSize::LargeInput,
            );
        });
        assert!(
            m.cache.cases.values().any(|c| c.rev == rev),
            "the pages were applied"
        );
        // The view model over crux's bridge, as the shells receive it.
        let bridge: Bridge<Gridline> = Bridge::new(Core::new_with(Gridline, phone(n)));
        let json: Bridge<Gridline, JsonFfiFormat> = Bridge::new(Core::new_with(Gridline, phone(n)));
        let mut out = Vec::new();
        g.bench_function(BenchmarkId::new("view_over_bridge_bincode", n), |b| {
            b.iter(|| {
                out.clear();
                bridge.view(&mut out).ok();
                black_box(out.len())
            });
        });
        let mut bytes = Vec::new();
        bridge.view(&mut bytes).ok();
        let mut json_bytes = Vec::new();
        json.view(&mut json_bytes).ok();
        let listed = match app.view(&base).screen {
            gridline_core::app::view::Screen::Home(h) => h.cases.len(),
            _ => 0,
        };
        println!(
            "view model at home with {n} cached cases ({listed} listed): {} bytes bincode, {} bytes JSON",
            bytes.len(),
            json_bytes.len()
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
