//! What each action does to a case: the new row, the events it appends, the
//! tasks and orders it adds or completes. Permission has been checked before
//! anything here runs; what is checked here is the action's own input (a
//! unit that exists, a deadline not past, a task that is the caller's).

use super::error::{CaseError, CaseResult};
use super::placement;
use crate::auth::service::Identity;
use crate::store::Store;
use crate::store::cases::{CaseRow, NewEvent, OrderRow, TaskRow};
use crate::territory::Territory;
use gridline_core::calendar::Calendar;
use gridline_core::case::routing::Rule;
use gridline_core::case::{Action, Ladder, Refusal, Status};
use gridline_core::time::{Date, Instant};
use gridline_core::{CaseId, OrderId, OrgUnitId, TaskId, UserId};
use serde_json::json;

pub struct Ctx<'a> {
    pub store: &'a dyn Store,
    pub territory: &'a Territory,
    pub calendar: &'a Calendar,
    pub ladder: &'a Ladder,
    pub rules: &'a [Rule],
    pub now: i64,
    /// `None`: the scheduler.
    pub actor: Option<UserId>,
}

pub struct Change {
    pub case: CaseRow,
    pub events: Vec<NewEvent>,
    pub tasks: Vec<TaskRow>,
    pub orders: Vec<OrderRow>,
}

fn event(ctx: &Ctx<'_>, action: &str, detail: serde_json::Value) -> NewEvent {
    NewEvent {
        at: ctx.now,
        actor_id: ctx.actor,
        action: action.to_owned(),
        detail: detail.to_string(),
    }
}

fn deadline(ctx: &Ctx<'_>, from: i64, days: u32) -> CaseResult<i64> {
    ctx.calendar
        .deadline(from, days)
        .map_err(|e| CaseError::Invalid(e.to_string()))
}

/// Hands the case to `unit` (a territory index) and its least-loaded on-duty
/// handler (or `assignee`), with a day to sign for it; calls in the rule's
/// co-handling departments the first time.
pub async fn dispatch(
    ctx: &mut Ctx<'_>,
    case: &mut CaseRow,
    unit: u32,
    action: &str,
    events: &mut Vec<NewEvent>,
    tasks: &mut Vec<TaskRow>,
    assignee: Option<UserId>,
) -> CaseResult<()> {
    let t = ctx.territory;
    let assignee = match assignee {
        Some(a) => Some(a),
        None => placement::pick_assignee(ctx.store, t, unit).await?,
    };
    case.status = Status::Assigned;
    case.lead_unit_id = t.unit(unit).id;
    case.assignee_id = assignee;
    case.sign_by = Some(deadline(ctx, ctx.now, super::SIGN_FOR_DAYS)?);
    case.signed_at = None;
    case.deadline = None;
    case.warn_at = None;
    case.overdue_at = None;
    events.push(event(
        ctx,
        action,
        json!({
            "unit": case.lead_unit_id,
            "assignee": assignee,
            "tier": case.tier,
            "tier_name": case.tier_name,
            "sign_by": case.sign_by.map(Instant),
        }),
    ));
    // The first dispatch calls in the departments the rule names.
    if action == "accept"
        && let Some(rule) = ctx.rules.iter().find(|r| r.id == case.rule_id)
    {
        let rung_days = ctx
            .ladder
            .rungs
            .get(case.tier as usize)
            .map_or(1, |r| r.working_days);
        let task_deadline = deadline(ctx, ctx.now, rung_days)?;
        for &kind in &rule.co_handling {
            let Some(dept) = t.department_for(unit, kind) else {
                events.push(event(
                    ctx,
                    "co_handling_unavailable",
                    json!({ "department": kind }),
                ));
                continue;
            };
            let task = format!("{}：协助办理", kind.name_zh());
            let (row, mut call) = call_in(ctx, case.id, t.unit(dept).id, &task, task_deadline);
            call.detail = json!({ "unit": row.unit_id, "task": task, "deadline": Instant(task_deadline), "by_rule": rule.id }).to_string();
            events.push(call);
            tasks.push(row);
        }
    }
    Ok(())
}

/// A co-handling task for `unit` and the event that records the call.
fn call_in(
    ctx: &Ctx<'_>,
    case: CaseId,
    unit: OrgUnitId,
    task: &str,
    due: i64,
) -> (TaskRow, NewEvent) {
    let row = TaskRow {
        id: TaskId::new(),
        case_id: case,
        unit_id: unit,
        task: task.to_owned(),
        deadline: due,
        created_at: ctx.now,
        report: None,
        reported_at: None,
        reported_by: None,
    };
    let call = event(
        ctx,
        "request_co_handling",
        json!({ "unit": unit, "task": task, "deadline": Instant(due) }),
    );
    (row, call)
}

/// The unit signs for the case: its tier clock starts.
pub fn sign_for(
    ctx: &Ctx<'_>,
    case: &mut CaseRow,
    events: &mut Vec<NewEvent>,
    by: UserId,
) -> CaseResult<()> {
    let days = ctx
        .ladder
        .rungs
        .get(case.tier as usize)
        .map_or(1, |r| r.working_days);
    let due = deadline(ctx, ctx.now, days)?;
    case.status = Status::SignedFor;
    case.signed_at = Some(ctx.now);
    case.assignee_id.get_or_insert(by);
    set_deadline(case, due);
    events.push(event(
        ctx,
        "sign_for",
        json!({ "tier": case.tier, "tier_name": case.tier_name, "working_days": days, "deadline": Instant(due) }),
    ));
    Ok(())
}

/// A new deadline, with its warning at the start of its last day.
fn set_deadline(case: &mut CaseRow, due: i64) {
    case.deadline = Some(due);
    case.warn_at = Some(Date::of_instant(due).start_ms());
    case.overdue_at = None;
}

fn future(ctx: &Ctx<'_>, at: Instant) -> CaseResult<i64> {
    if at.ms() <= ctx.now {
        return Err(CaseError::DeadlineInPast(at.to_string()));
    }
    Ok(at.ms())
}

fn unit_index(ctx: &Ctx<'_>, id: OrgUnitId) -> CaseResult<u32> {
    ctx.territory
        .by_id(id)
        .ok_or_else(|| CaseError::Invalid(format!("no org unit {id}")))
}

/// Moves the case one rung up the ladder, to the unit at that rung's level.
pub async fn escalate(
    ctx: &mut Ctx<'_>,
    case: &mut CaseRow,
    events: &mut Vec<NewEvent>,
    reason: &str,
) -> CaseResult<()> {
    let next = case.tier as usize + 1;
    let Some(rung) = ctx.ladder.rungs.get(next) else {
        return Err(Refusal::TopTier.into());
    };
    let t = ctx.territory;
    let place = case
        .grid_id
        .or(Some(case.lead_unit_id))
        .and_then(|u| t.by_id(u))
        .ok_or_else(|| {
            CaseError::Invalid("the case's place is no longer in the territory".into())
        })?;
    let unit = placement::lead_unit(t, place, rung.level, None);
    let from = (case.tier, case.tier_name.clone(), case.lead_unit_id);
    case.tier = u32::try_from(next).unwrap_or(u32::MAX);
    case.tier_name = rung.name.clone();
    events.push(event(
        ctx,
        "escalate",
        json!({
            "reason": reason,
            "from_tier": from.0, "from_tier_name": from.1, "from_unit": from.2,
            "to_tier": case.tier, "to_tier_name": case.tier_name,
        }),
    ));
    let mut no_tasks = Vec::new();
    dispatch(ctx, case, unit, "assign", events, &mut no_tasks, None).await
}

/// Applies `action` to `case`.
pub async fn apply(
    ctx: &mut Ctx<'_>,
    mut case: CaseRow,
    tasks: Vec<TaskRow>,
    orders: Vec<OrderRow>,
    who: Option<&Identity>,
    action: Action,
) -> CaseResult<Change> {
    let mut events = Vec::new();
    let mut new_tasks = Vec::new();
    let mut new_orders = Vec::new();
    let me = ctx.actor;
    match action {
        Action::Accept => {
            let unit = unit_index(ctx, case.lead_unit_id)?;
            dispatch(
                ctx,
                &mut case,
                unit,
                "accept",
                &mut events,
                &mut new_tasks,
                None,
            )
            .await?;
        }
        Action::Reject { reason } => {
            case.status = Status::Rejected;
            events.push(event(ctx, "reject", json!({ "reason": reason })));
        }
        Action::Assign { unit, assignee } => {
            let u = unit_index(ctx, unit)?;
            assign_to(
                ctx,
                &mut case,
                who,
                u,
                assignee,
                "assign",
                None,
                &mut events,
            )
            .await?;
        }
        Action::Reassign {
            unit,
            assignee,
            reason,
        } => {
            let u = unit_index(ctx, unit)?;
            assign_to(
                ctx,
                &mut case,
                who,
                u,
                assignee,
                "reassign",
                Some(reason.as_str()),
                &mut events,
            )
            .await?;
        }
        Action::SignFor => {
            let by = me.ok_or_else(|| {
                CaseError::Invalid("the scheduler does not sign for cases".into())
            })?;
            sign_for(ctx, &mut case, &mut events, by)?;
        }
        Action::Return { reason } => {
            case.status = Status::Returned;
            case.assignee_id = None;
            case.sign_by = None;
            case.deadline = None;
            case.warn_at = None;
            events.push(event(
                ctx,
                "return",
                json!({ "reason": reason, "unit": case.lead_unit_id }),
            ));
        }
        Action::Start => {
            case.status = Status::InProgress;
            events.push(event(ctx, "start", json!({})));
        }
        Action::Note { text } => events.push(event(ctx, "note", json!({ "text": text }))),
        Action::RequestCoHandling {
            units,
            task,
            deadline,
        } => {
            let due = future(ctx, deadline)?;
            if units.is_empty() {
                return Err(CaseError::Invalid(
                    "name at least one unit to call in".into(),
                ));
            }
            for unit in units {
                unit_index(ctx, unit)?;
                if unit == case.lead_unit_id {
                    return Err(CaseError::Invalid(format!(
                        "unit {unit} leads this case; it cannot co-handle it too"
                    )));
                }
                if tasks
                    .iter()
                    .chain(&new_tasks)
                    .any(|t| t.unit_id == unit && t.reported_at.is_none())
                {
                    return Err(CaseError::Invalid(format!(
                        "unit {unit} already has an open task on this case"
                    )));
                }
                let (row, call) = call_in(ctx, case.id, unit, task.as_str(), due);
                events.push(call);
                new_tasks.push(row);
            }
        }
        Action::ReportTask { task, report } => {
            let mine: Vec<OrgUnitId> = who
                .map(|w| w.roles.iter().map(|(_, u)| *u).collect())
                .unwrap_or_default();
            let mut row = tasks
                .into_iter()
                .find(|t| t.id == task && t.reported_at.is_none() && mine.contains(&t.unit_id))
                .ok_or(Refusal::NoOpenTask)?;
            row.report = Some(report.to_string());
            row.reported_at = Some(ctx.now);
            row.reported_by = me;
            events.push(event(
                ctx,
                "report_task",
                json!({ "task": row.id, "unit": row.unit_id, "report": report, "late": ctx.now > row.deadline }),
            ));
            new_tasks.push(row);
        }
        Action::Resolve { outcome, summary } => {
            case.status = Status::Resolved;
            case.outcome = Some(outcome);
            case.summary = Some(summary.to_string());
            let on_time = case.deadline.is_none_or(|d| ctx.now <= d);
            case.warn_at = None;
            events.push(event(
                ctx,
                "resolve",
                json!({
                    "outcome": outcome, "summary": summary, "tier": case.tier, "tier_name": case.tier_name,
                    "unit": case.lead_unit_id, "on_time": on_time,
                }),
            ));
        }
        Action::Escalate { reason } => {
            escalate(ctx, &mut case, &mut events, reason.as_str()).await?
        }
        Action::Merge { into } => {
            if into == case.id {
                return Err(CaseError::Invalid(
                    "a case cannot be merged into itself".into(),
                ));
            }
            let target = ctx
                .store
                .case(into)
                .await?
                .ok_or_else(|| CaseError::Invalid(format!("no case {into} to merge into")))?;
            if target.status == Status::Merged {
                return Err(CaseError::Invalid(format!(
                    "case {into} is itself merged; merge into the case it went to"
                )));
            }
            case.status = Status::Merged;
            case.merged_into = Some(into);
            case.warn_at = None;
            events.push(event(ctx, "merge", json!({ "into": into })));
        }
        Action::Close => {
            case.status = Status::Closed;
            events.push(event(ctx, "close", json!({})));
        }
        Action::Rate { stars, comment } => {
            if !(1..=5).contains(&stars) {
                return Err(CaseError::Invalid(format!(
                    "stars must be 1 to 5, not {stars}"
                )));
            }
            case.rating = Some(stars);
            let by_reporter = me == Some(case.reporter_id);
            events.push(event(
                ctx,
                "rate",
                json!({ "stars": stars, "comment": comment, "return_visit": !by_reporter }),
            ));
        }
        Action::Reopen { reason } => {
            case.outcome = None;
            case.summary = None;
            case.rating = None;
            events.push(event(ctx, "reopen", json!({ "reason": reason })));
            let unit = unit_index(ctx, case.lead_unit_id)?;
            dispatch(
                ctx,
                &mut case,
                unit,
                "assign",
                &mut events,
                &mut new_tasks,
                None,
            )
            .await?;
        }
        Action::Extend { days, reason } => {
            if !(1..=30).contains(&days) {
                return Err(CaseError::Invalid(format!(
                    "an extension is 1 to 30 working days, not {days}"
                )));
            }
            let extend = |at: i64| -> CaseResult<i64> {
                Ok(ctx
                    .calendar
                    .add_working_days(Date::of_instant(at), days)
                    .map_err(|e| CaseError::Invalid(e.to_string()))?
                    .end_ms())
            };
            if case.status == Status::Assigned {
                let until = extend(case.sign_by.unwrap_or(ctx.now))?;
                case.sign_by = Some(until);
                case.overdue_at = None;
                events.push(event(
                    ctx,
                    "extend",
                    json!({ "days": days, "reason": reason, "sign_by": Instant(until) }),
                ));
            } else {
                let until = extend(case.deadline.unwrap_or(ctx.now))?;
                set_deadline(&mut case, until);
                events.push(event(
                    ctx,
                    "extend",
                    json!({ "days": days, "reason": reason, "deadline": Instant(until) }),
                ));
            }
        }
        Action::Supervise { text, deadline } => {
            let due = future(ctx, deadline)?;
            let issued_by =
                me.ok_or_else(|| CaseError::Invalid("the scheduler does not issue orders".into()))?;
            let order = OrderRow {
                id: OrderId::new(),
                case_id: case.id,
                issued_by,
                issued_at: ctx.now,
                text: text.to_string(),
                deadline: due,
                answer: None,
                answered_at: None,
                answered_by: None,
            };
            events.push(event(
                ctx,
                "supervise",
                json!({ "order": order.id, "text": text, "deadline": deadline }),
            ));
            new_orders.push(order);
        }
        Action::AnswerSupervision { order, text } => {
            let mut row = orders
                .into_iter()
                .find(|o| o.id == order && o.answered_at.is_none())
                .ok_or(Refusal::NoOpenOrder)?;
            row.answer = Some(text.to_string());
            row.answered_at = Some(ctx.now);
            row.answered_by = me;
            events.push(event(
                ctx,
                "answer_supervision",
                json!({ "order": row.id, "text": text, "late": ctx.now > row.deadline }),
            ));
            new_orders.push(row);
        }
    }
    case.version += 1;
    case.updated_at = ctx.now;
    Ok(Change {
        case,
        events,
        tasks: new_tasks,
        orders: new_orders,
    })
}

#[allow(clippy::too_many_arguments)]
async fn assign_to(
    ctx: &mut Ctx<'_>,
    case: &mut CaseRow,
    who: Option<&Identity>,
    unit: u32,
    assignee: Option<UserId>,
    action: &str,
    reason: Option<&str>,
    events: &mut Vec<NewEvent>,
) -> CaseResult<()> {
    let t = ctx.territory;
    if !super::CaseService::dispatchable(who, t, unit) {
        return Err(CaseError::Invalid(format!(
            "unit {} is outside your jurisdiction",
            t.unit(unit).code
        )));
    }
    if let Some(a) = assignee {
        let handlers = placement::handlers(ctx.store, t, unit).await?;
        if !handlers.iter().any(|h| h.user_id == a) {
            return Err(CaseError::Invalid(format!(
                "user {a} does not handle cases at unit {}",
                t.unit(unit).code
            )));
        }
    }
    // The tier follows the unit's level: the first rung at that level.
    let tier = ctx.ladder.start_at(placement::level_of(t, unit));
    case.tier = u32::try_from(tier).unwrap_or(0);
    case.tier_name = ctx.ladder.rungs[tier].name.clone();
    if let Some(r) = reason {
        events.push(event(ctx, "reassign_reason", json!({ "reason": r })));
    }
    let mut no_tasks = Vec::new();
    dispatch(ctx, case, unit, action, events, &mut no_tasks, assignee).await
}
