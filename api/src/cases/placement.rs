//! From a routing decision to actual units and a person: the grid's place in
//! the tree picks the unit at each tier, a department rule picks the nearest
//! department of its kind, and the person is the on-duty handler of the unit
//! with the fewest open cases (none on duty: the unit's queue).

use crate::store::{RoleHolder, Store, StoreResult};
use crate::territory::Territory;
use gridline_core::case::Level;
use gridline_core::department::DepartmentKind;
use gridline_core::{OrgUnitKind, Role, UserId};

/// The unit at `level` for a case placed at `place` (a grid, or a higher unit
/// when the case has no grid): the place's ancestor of that kind, or the
/// nearest one above it when the tree skips a level.
pub fn unit_at(t: &Territory, place: u32, level: Level) -> u32 {
    let chain = t.chain(place);
    let candidates = [
        (Level::Grid, chain.grid),
        (Level::Village, chain.village),
        (Level::Township, chain.township),
        (Level::County, chain.county),
    ];
    candidates
        .iter()
        .filter(|(l, _)| *l >= level)
        .find_map(|(_, n)| n.and_then(|n| t.by_id(n.id)))
        .unwrap_or(place)
}

/// The lead unit for a rung, honouring a rule's lead department when there is one.
pub fn lead_unit(
    t: &Territory,
    place: u32,
    level: Level,
    department: Option<DepartmentKind>,
) -> u32 {
    let territorial = unit_at(t, place, level);
    department
        .and_then(|d| t.department_for(territorial, d))
        .unwrap_or(territorial)
}

/// The ladder level a unit's cases sit at.
pub fn level_of(t: &Territory, unit: u32) -> Level {
    match t.unit(unit).kind {
        OrgUnitKind::Grid | OrgUnitKind::MicroGrid => Level::Grid,
        OrgUnitKind::Village => Level::Village,
        OrgUnitKind::Township => Level::Township,
        OrgUnitKind::County => Level::County,
        OrgUnitKind::Department => t
            .unit(unit)
            .parent
            .map_or(Level::County, |p| level_of(t, p)),
    }
}

/// The role that handles cases at a unit of this kind.
pub const fn handling_role(kind: OrgUnitKind) -> Role {
    match kind {
        OrgUnitKind::Grid | OrgUnitKind::MicroGrid => Role::GridWorker,
        OrgUnitKind::Village => Role::VillageCadre,
        OrgUnitKind::Township => Role::TownshipOperator,
        OrgUnitKind::County => Role::CountyOperator,
        OrgUnitKind::Department => Role::DepartmentHandler,
    }
}

/// Handlers of the unit who may take a case: the handling role of the unit's kind.
pub async fn handlers(store: &dyn Store, t: &Territory, unit: u32) -> StoreResult<Vec<RoleHolder>> {
    let node = t.unit(unit);
    let role = handling_role(node.kind);
    Ok(store
        .role_holders_at(&[node.id])
        .await?
        .into_iter()
        .filter(|h| h.role == role)
        .collect())
}

/// The on-duty handler with the fewest open cases (ties: username), if any.
pub async fn pick_assignee(
    store: &dyn Store,
    t: &Territory,
    unit: u32,
) -> StoreResult<Option<UserId>> {
    let on_duty: Vec<RoleHolder> = handlers(store, t, unit)
        .await?
        .into_iter()
        .filter(|h| h.on_duty)
        .collect();
    if on_duty.is_empty() {
        return Ok(None);
    }
    let ids: Vec<UserId> = on_duty.iter().map(|h| h.user_id).collect();
    let counts = store.open_case_counts(&ids).await?;
    let best = on_duty
        .iter()
        .map(|h| {
            (
                counts
                    .iter()
                    .find(|(u, _)| *u == h.user_id)
                    .map_or(0, |(_, n)| *n),
                h.username.as_str(),
                h.user_id,
            )
        })
        .min()
        .map(|(_, _, id)| id);
    Ok(best)
}
