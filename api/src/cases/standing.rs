//! Who the caller is to a case, worked out from their roles, the territory
//! tree and the case's record: the input of the core's permission check.

use crate::auth::service::Identity;
use crate::store::cases::{CaseRow, CaseScope, TaskRow};
use crate::territory::Territory;
use gridline_core::case::{ActionKind, Facts, Refusal, Standing, available, check};
use gridline_core::{OrgUnitId, OrgUnitKind, Role};

/// One standing per role the caller holds (or one without a role).
pub fn standings(
    who: &Identity,
    case: &CaseRow,
    tasks: &[TaskRow],
    t: &Territory,
) -> Vec<Standing> {
    let reporter = case.reporter_id == who.user_id;
    let assignee = case.assignee_id == Some(who.user_id);
    let place = case.grid_id.unwrap_or(case.lead_unit_id);
    let inside = |unit: OrgUnitId, root: OrgUnitId| match (t.by_id(unit), t.by_id(root)) {
        (Some(u), Some(r)) => t.within(u, r),
        _ => false,
    };
    let base = Standing {
        reporter,
        assignee,
        ..Standing::default()
    };
    if who.roles.is_empty() {
        return vec![base];
    }
    who.roles
        .iter()
        .map(|&(role, unit)| Standing {
            role: Some(role),
            in_jurisdiction: role == Role::Admin
                || (role != Role::Resident
                    && (inside(place, unit) || inside(case.lead_unit_id, unit))),
            at_lead_unit: unit == case.lead_unit_id,
            // A unit called in keeps reading the case after it has reported;
            // reporting again needs an open task (checked with the task).
            co_handler: tasks.iter().any(|t| t.unit_id == unit),
            ..base
        })
        .collect()
}

pub fn may_read(s: &[Standing]) -> bool {
    s.iter().any(Standing::may_read)
}

pub fn may_see_parties(s: &[Standing]) -> bool {
    s.iter().any(Standing::may_see_parties)
}

/// Allowed if any of the caller's standings allows it; otherwise the refusal
/// that says most (a state problem before a role problem).
pub fn check_any(s: &[Standing], facts: &Facts, action: ActionKind) -> Result<(), Refusal> {
    let mut refusal = Refusal::NotPermitted;
    for st in s {
        match check(st, facts, action) {
            Ok(()) => return Ok(()),
            Err(Refusal::NotPermitted) => {}
            Err(r) => refusal = r,
        }
    }
    Err(refusal)
}

pub fn actions(s: &[Standing], facts: &Facts) -> Vec<ActionKind> {
    let mut all: Vec<ActionKind> = s.iter().flat_map(|st| available(st, facts)).collect();
    all.sort();
    all.dedup();
    all
}

/// The cases a caller may list, as store conditions; every row is checked
/// again with [`may_read`] before it is shown.
pub fn scope(who: &Identity, t: &Territory) -> CaseScope {
    let mut scope = CaseScope {
        assignee: Some(who.user_id),
        reporter: Some(who.user_id),
        ..CaseScope::default()
    };
    for &(role, unit) in &who.roles {
        if role == Role::Admin {
            scope.everything = true;
        }
        if role == Role::Resident {
            continue;
        }
        let Some(kind) = t.by_id(unit).map(|i| t.unit(i).kind) else {
            continue;
        };
        match kind {
            OrgUnitKind::Grid | OrgUnitKind::MicroGrid => scope.grids.push(unit),
            OrgUnitKind::Village => scope.villages.push(unit),
            OrgUnitKind::Township => scope.townships.push(unit),
            OrgUnitKind::County => scope.counties.push(unit),
            OrgUnitKind::Department => scope.units_handling.push(unit),
        }
        // Anyone may lead a case at their own unit, wherever its place.
        if kind != OrgUnitKind::Department {
            scope.units_handling.push(unit);
        }
    }
    scope
}
