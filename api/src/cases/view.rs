//! Stored rows → what a reader sees.

use crate::store::cases::{CaseRow, EventRow, OrderRow, TaskRow};
use crate::store::photos::PhotoRow;
use crate::store::{Store, StoreResult};
use crate::territory::Territory;
use gridline_core::case::{ActionKind, Party};
use gridline_core::photo::PhotoView;
use gridline_core::time::Instant;
use gridline_core::wire::case::{
    CaseView, EventView, OrderView, PersonBrief, PointView, TaskView, TierView, UnitBrief,
};
use gridline_core::{OrgUnitId, OrgUnitKind, UserId};
use std::collections::HashMap;

pub fn unit_brief(t: &Territory, id: OrgUnitId) -> UnitBrief {
    match t.by_id(id).map(|i| t.unit(i)) {
        Some(n) => UnitBrief {
            id: id.to_string(),
            kind: n.kind,
            code: n.code.clone(),
            name: n.name.clone(),
        },
        // A unit removed from the territory since: still name it by id.
        None => UnitBrief {
            id: id.to_string(),
            kind: OrgUnitKind::Grid,
            code: String::new(),
            name: String::new(),
        },
    }
}

/// Looks people up once per response.
#[derive(Default)]
pub struct People(HashMap<UserId, PersonBrief>);

impl People {
    pub async fn get(&mut self, store: &dyn Store, id: UserId) -> StoreResult<PersonBrief> {
        if let Some(p) = self.0.get(&id) {
            return Ok(p.clone());
        }
        let brief = match store.user_by_id(id).await? {
            Some(u) => PersonBrief {
                id: id.to_string(),
                display_name: u.display_name,
            },
            None => PersonBrief {
                id: id.to_string(),
                display_name: String::new(),
            },
        };
        self.0.insert(id, brief.clone());
        Ok(brief)
    }
}

pub struct Parts<'a> {
    pub case: &'a CaseRow,
    pub tasks: &'a [TaskRow],
    pub orders: &'a [OrderRow],
    pub parties: Option<Vec<Party>>,
    pub actions: Vec<ActionKind>,
    pub photos: &'a [PhotoRow],
    pub now: i64,
}

pub async fn case_view(
    store: &dyn Store,
    t: &Territory,
    people: &mut People,
    p: Parts<'_>,
) -> StoreResult<CaseView> {
    let c = p.case;
    let assignee = match c.assignee_id {
        Some(id) => Some(people.get(store, id).await?),
        None => None,
    };
    let mut supervision = Vec::with_capacity(p.orders.len());
    for o in p.orders {
        supervision.push(OrderView {
            id: o.id,
            issued_by: people.get(store, o.issued_by).await?,
            issued_at: Instant(o.issued_at),
            text: o.text.clone(),
            deadline: Instant(o.deadline),
            answer: o.answer.clone(),
            answered_at: o.answered_at.map(Instant),
            late: o.answered_at.unwrap_or(p.now) > o.deadline,
        });
    }
    let mut photos = Vec::with_capacity(p.photos.len());
    for ph in p.photos {
        photos.push(photo_view(store, people, ph).await?);
    }
    let overdue = c.status.is_with_unit()
        && match c.status {
            gridline_core::case::Status::Assigned => c.sign_by.is_some_and(|s| p.now > s),
            _ => c.deadline.is_some_and(|d| p.now > d),
        };
    Ok(CaseView {
        id: c.id,
        version: c.version,
        status: c.status,
        category: c.category.clone(),
        description: c.description.clone(),
        channel: c.channel,
        location: PointView {
            lat: c.lat,
            lon: c.lon,
        },
        grid: c.grid_id.map(|g| unit_brief(t, g)),
        distance_m: c.distance_m,
        tier: TierView {
            index: c.tier,
            name: c.tier_name.clone(),
        },
        lead_unit: unit_brief(t, c.lead_unit_id),
        assignee,
        rule: c.rule_id.clone(),
        sign_by: c
            .sign_by
            .filter(|_| c.status == gridline_core::case::Status::Assigned)
            .map(Instant),
        deadline: c.deadline.map(Instant),
        overdue,
        risk: c.risk,
        people_affected: c.people_affected,
        amount_yuan: c.amount_yuan,
        parties: p.parties,
        co_handling: p
            .tasks
            .iter()
            .map(|task| TaskView {
                id: task.id,
                unit: unit_brief(t, task.unit_id),
                task: task.task.clone(),
                deadline: Instant(task.deadline),
                report: task.report.clone(),
                reported_at: task.reported_at.map(Instant),
                late: task.reported_at.unwrap_or(p.now) > task.deadline,
            })
            .collect(),
        supervision,
        outcome: c.outcome,
        summary: c.summary.clone(),
        rating: c.rating,
        merged_into: c.merged_into,
        created_at: Instant(c.created_at),
        updated_at: Instant(c.updated_at),
        actions: p.actions,
        photos,
    })
}

/// A stored photo as a case shows it.
pub async fn photo_view(
    store: &dyn Store,
    people: &mut People,
    p: &PhotoRow,
) -> StoreResult<PhotoView> {
    let corrupt = |what: String| crate::store::StoreError::Corrupt(what);
    Ok(PhotoView {
        id: p.id,
        sha256: p.sha256.parse().map_err(corrupt)?,
        bytes: p.bytes,
        mime: p.mime.parse().map_err(corrupt)?,
        available: p.available_at.is_some(),
        added_by: match p.added_by {
            Some(id) => Some(people.get(store, id).await?),
            None => None,
        },
        added_at: Instant(p.added_at),
    })
}

pub async fn event_views(
    store: &dyn Store,
    people: &mut People,
    events: &[EventRow],
) -> StoreResult<Vec<EventView>> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let actor = match e.actor_id {
            Some(id) => Some(people.get(store, id).await?),
            None => None,
        };
        out.push(EventView {
            seq: e.seq,
            at: Instant(e.at),
            actor,
            action: e.action.clone(),
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
        });
    }
    Ok(out)
}
