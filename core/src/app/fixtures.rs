//! A village cadre's phone holding many cases, for benchmarks of the core
//! and of the FFI (feature `fixtures`): the cases as the server sends them,
//! pull pages of them, the model after reading them, and that model as the
//! phone's storage holds it (what a launch reads back).

use super::model::{Phase, Session};
use super::net::Call;
use super::{Event, Gridline, Model, persist};
use crate::case::{ActionKind, Channel, Status};
use crate::sync::{CaseRecord, Change, ChangeOp, Entity, PROTOCOL, PullPage};
use crate::time::Instant;
use crate::wire::auth::{Me, RoleGrant};
use crate::wire::case::{CaseView, EventView, PersonBrief, PointView, TierView, UnitBrief};
use crate::wire::territory::UnitRef;
use crate::{CaseId, OrgUnitKind, Role};
use crux_core::App;
use crux_http::protocol::{HttpResponse, HttpResult};
use std::collections::BTreeMap;

pub const NOW: i64 = 1_763_700_000_000;
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
#[must_use]
pub fn record(i: u64, rev: i64) -> CaseRecord {
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
#[must_use]
pub fn page(first: u64, n: u64, rev: i64) -> Vec<u8> {
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
#[must_use]
pub fn pull_answer(m: &Model, body: Vec<u8>) -> Event {
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
#[must_use]
pub fn phone(n: u64) -> Model {
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
    debug_assert_eq!(m.cache.cases.len() as u64, n, "the pages filled the cache");
    m
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// The phone's storage for model `m`, key by key as the core writes it.
#[must_use]
pub fn storage(m: &Model) -> BTreeMap<String, Vec<u8>> {
    let mut kv = BTreeMap::new();
    let Some(s) = &m.session else { return kv };
    let p = persist::user_prefix(&s.me.id);
    kv.insert(persist::SESSION.to_owned(), json(s));
    kv.insert(format!("{p}sync"), json(&m.meta));
    kv.insert(format!("{p}outbox"), json(&m.outbox));
    for (id, c) in &m.cache.cases {
        kv.insert(persist::case_key(&p, id), json(c));
    }
    kv
}
