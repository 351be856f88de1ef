//! Scope keys: the partitions of the change log. A case or register entry is
//! logged under every key that may see it; a caller pulls the keys its roles
//! give it. Both sides are derived from the same conditions as listing
//! ([`CaseScope`], [`WatchScope`]), so what pull sends is what a list shows.

use super::cases::{CaseRow, CaseScope};
use super::watches::{WatchRow, WatchScope};
use gridline_core::{OrgUnitId, UserId};
use std::collections::BTreeSet;

/// Seen by admins.
const ALL: &str = "all";

fn grid(id: OrgUnitId) -> String {
    format!("g:{id}")
}
fn village(id: OrgUnitId) -> String {
    format!("v:{id}")
}
fn township(id: OrgUnitId) -> String {
    format!("t:{id}")
}
fn county(id: OrgUnitId) -> String {
    format!("c:{id}")
}
/// A unit leading the case or called in to co-handle it.
fn handling(id: OrgUnitId) -> String {
    format!("u:{id}")
}
/// A person the case or entry names (reporter, assignee, responsible).
fn person(id: UserId) -> String {
    format!("p:{id}")
}

fn places(
    set: &mut BTreeSet<String>,
    g: Option<OrgUnitId>,
    v: Option<OrgUnitId>,
    t: Option<OrgUnitId>,
    c: Option<OrgUnitId>,
) {
    set.extend(g.map(grid));
    set.extend(v.map(village));
    set.extend(t.map(township));
    set.extend(c.map(county));
}

/// The keys a case is logged under; `task_units` are the units called in.
pub fn of_case(case: &CaseRow, task_units: &[OrgUnitId]) -> BTreeSet<String> {
    let mut set = BTreeSet::from([ALL.to_owned()]);
    places(
        &mut set,
        case.grid_id,
        case.village_id,
        case.township_id,
        case.county_id,
    );
    set.insert(handling(case.lead_unit_id));
    set.extend(task_units.iter().copied().map(handling));
    set.extend(case.assignee_id.map(person));
    set.insert(person(case.reporter_id));
    set
}

/// The keys a register entry is logged under.
pub fn of_watch(w: &WatchRow) -> BTreeSet<String> {
    let mut set = BTreeSet::from([ALL.to_owned()]);
    places(
        &mut set,
        Some(w.grid_id),
        w.village_id,
        w.township_id,
        w.county_id,
    );
    set.extend(w.responsible_id.map(person));
    set
}

/// The keys a caller with these case and register conditions pulls.
pub fn of_caller(cases: &CaseScope, watches: &WatchScope) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    if cases.everything || watches.everything {
        set.insert(ALL.to_owned());
    }
    for s in [&cases.grids, &watches.grids] {
        set.extend(s.iter().copied().map(grid));
    }
    for s in [&cases.villages, &watches.villages] {
        set.extend(s.iter().copied().map(village));
    }
    for s in [&cases.townships, &watches.townships] {
        set.extend(s.iter().copied().map(township));
    }
    for s in [&cases.counties, &watches.counties] {
        set.extend(s.iter().copied().map(county));
    }
    set.extend(cases.units_handling.iter().copied().map(handling));
    set.extend(
        [cases.assignee, cases.reporter, watches.responsible]
            .into_iter()
            .flatten()
            .map(person),
    );
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_pulls_the_keys_a_case_in_its_scope_is_logged_under() {
        let unit = OrgUnitId::default();
        let user = UserId::default();
        let scope = CaseScope {
            villages: vec![unit],
            assignee: Some(user),
            ..CaseScope::default()
        };
        let keys = of_caller(&scope, &WatchScope::default());
        assert!(keys.contains(&village(unit)));
        assert!(keys.contains(&person(user)));
        assert!(!keys.contains(ALL));
        let admin = CaseScope {
            everything: true,
            ..CaseScope::default()
        };
        assert!(of_caller(&admin, &WatchScope::default()).contains(ALL));
    }
}
