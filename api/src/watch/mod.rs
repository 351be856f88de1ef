//! The register of watched households and places: entries placed in their
//! grid, each with its risk class and the return visit owed next; visits,
//! class changes and a scheduler that warns once for every visit missed.
//! The visit intervals live in `gridline_core::watch`.

use crate::auth::service::Identity;
use crate::cases::error::{CaseError, CaseResult};
use crate::cases::view::{self, People};
use crate::clock::Clock;
use crate::store::Store;
use crate::store::cases::{NewEvent, WriteOutcome};
use crate::store::sync::{Receipt, WatchBundle};
use crate::store::watches::{WatchFilter, WatchRow, WatchScope};
use crate::territory::{Territory, TerritoryService};
use gridline_core::case::Refusal;
use gridline_core::coord::{Crs, GeoPoint};
use gridline_core::risk::RiskLevel;
use gridline_core::time::Instant;
use gridline_core::watch::next_visit_due;
use gridline_core::wire::case::PointView;
use gridline_core::wire::watch::{LevelChange, NewWatch, VisitDue, VisitIn, WatchPage, WatchView};
use gridline_core::{OrgUnitKind, Role, UserId, WatchId};
use serde_json::json;
use std::sync::Arc;

const JOB: &str = "visits";
const LEASE_MS: i64 = 30_000;
const BATCH: u32 = 500;
pub const MAX_PAGE: u32 = 200;

/// What a caller may do with the entries of one grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Reach {
    read: bool,
    write: bool,
}

fn reach(who: &Identity, t: &Territory, w: &WatchRow) -> Reach {
    let mut r = Reach::default();
    if w.responsible_id == Some(who.user_id) {
        r = Reach {
            read: true,
            write: true,
        };
    }
    let Some(grid) = t.by_id(w.grid_id) else {
        return r;
    };
    for &(role, unit) in &who.roles {
        let inside = role == Role::Admin || t.by_id(unit).is_some_and(|u| t.within(grid, u));
        if !inside {
            continue;
        }
        match role {
            Role::Admin
            | Role::GridWorker
            | Role::VillageCadre
            | Role::TownshipOperator
            | Role::CountyOperator => {
                r = Reach {
                    read: true,
                    write: true,
                }
            }
            Role::Supervisor => r.read = true,
            Role::DepartmentHandler | Role::Resident => {}
        }
    }
    r
}

fn event(at: i64, actor: Option<UserId>, action: &str, detail: serde_json::Value) -> NewEvent {
    NewEvent {
        at,
        actor_id: actor,
        action: action.to_owned(),
        detail: detail.to_string(),
    }
}

/// What one scheduler pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitTick {
    pub missed: u32,
    pub not_leader: bool,
}

pub struct WatchService {
    store: Arc<dyn Store>,
    territory: Arc<TerritoryService>,
    clock: Arc<dyn Clock>,
}

impl WatchService {
    pub fn new(
        store: Arc<dyn Store>,
        territory: Arc<TerritoryService>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            territory,
            clock,
        }
    }

    /// This service with its statements run on `store` (a push's batch).
    pub fn in_batch(&self, store: Arc<dyn Store>) -> Self {
        Self {
            store,
            territory: self.territory.clone(),
            clock: self.clock.clone(),
        }
    }

    fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Puts a household or place on the register, in the grid it lies in,
    /// with its first visit due one interval of its colour from now.
    pub async fn register(&self, who: &Identity, new: NewWatch) -> CaseResult<WatchView> {
        let id = self.register_with(who, new, None).await?;
        self.view(who, id).await
    }

    /// [`Self::register`], carrying out a device's mutation when `receipt`
    /// is given (recorded in the same transaction).
    pub async fn register_with(
        &self,
        who: &Identity,
        new: NewWatch,
        receipt: Option<&Receipt>,
    ) -> CaseResult<WatchId> {
        let now = self.clock.now_ms();
        let t = self.territory.current();
        let crs: Crs = match new.location.crs.as_deref() {
            None => Crs::Wgs84,
            Some(c) => c.parse()?,
        };
        let point = GeoPoint::parse(new.location.lat, new.location.lon, crs)?;
        let (lon, lat) = (point.lon.degrees(), point.lat.degrees());
        let grid = t
            .locate(point)
            .1
            .ok_or(CaseError::OutsideTerritory { lat, lon })?;
        let id = new.id.unwrap_or_default();
        if let Some(existing) = self.store().watch(id).await? {
            if existing.created_by == who.user_id && receipt.is_none() {
                return Ok(id);
            }
            return Err(CaseError::IdTaken(id.to_string()));
        }
        // The grid's grid worker visits: the one registering, if they work
        // there; otherwise whoever of its grid workers is on duty.
        let holders = crate::cases::placement::handlers(self.store(), &t, grid).await?;
        let responsible = holders
            .iter()
            .find(|h| h.user_id == who.user_id)
            .or_else(|| holders.iter().find(|h| h.on_duty))
            .map(|h| h.user_id);
        let chain = t.chain(grid);
        let row = WatchRow {
            id,
            version: 1,
            kind: new.kind,
            label: new.label.as_str().to_owned(),
            address: new.address.map(|a| a.as_str().to_owned()),
            lat,
            lon,
            grid_id: t.unit(grid).id,
            village_id: chain.village.map(|u| u.id),
            township_id: chain.township.map(|u| u.id),
            county_id: chain.county.map(|u| u.id),
            level: new.level,
            reason: new.reason.as_str().to_owned(),
            responsible_id: responsible,
            created_by: who.user_id,
            created_at: now,
            updated_at: now,
            next_due: next_visit_due(new.level, now),
            last_visit_at: None,
            missed_at: None,
        };
        let r = reach(who, &t, &row);
        if !r.write {
            return Err(Refusal::NotPermitted.into());
        }
        let events = [event(
            now,
            Some(who.user_id),
            "register",
            json!({ "level": row.level, "colour": row.level.colour(), "reason": row.reason,
                    "grid": row.grid_id, "responsible": row.responsible_id, "next_due": row.next_due.map(Instant) }),
        )];
        match self
            .store()
            .write_watch(&row, None, &events, receipt)
            .await?
        {
            WriteOutcome::Written => Ok(id),
            WriteOutcome::Conflict => Err(CaseError::IdTaken(id.to_string())),
            WriteOutcome::Stale => Err(CaseError::Stale),
        }
    }

    /// The entry with its history; not found unless the caller may read it.
    pub async fn view(&self, who: &Identity, id: WatchId) -> CaseResult<WatchView> {
        let (t, row, _) = self.readable(who, id).await?;
        let mut people = People::default();
        let mut v = self.to_view(&t, &mut people, &row).await?;
        let events = self.store().watch_events(id).await?;
        v.history = Some(view::event_views(self.store(), &mut people, &events).await?);
        Ok(v)
    }

    async fn readable(
        &self,
        who: &Identity,
        id: WatchId,
    ) -> CaseResult<(Arc<Territory>, WatchRow, Reach)> {
        let t = self.territory.current();
        let not_found = || CaseError::NotFound(format!("watched household {id}"));
        let row = self.store().watch(id).await?.ok_or_else(not_found)?;
        let r = reach(who, &t, &row);
        if !r.read {
            return Err(not_found());
        }
        Ok((t, row, r))
    }

    /// The entry, if the caller may change it: not found unless they may
    /// read it, not permitted unless they may also write.
    async fn writable(&self, who: &Identity, id: WatchId) -> CaseResult<WatchRow> {
        let (_, row, r) = self.readable(who, id).await?;
        if !r.write {
            return Err(Refusal::NotPermitted.into());
        }
        Ok(row)
    }

    /// A page of the entries the caller may see: newest first, or with
    /// `due_by`, those owing a visit by then, soonest first.
    pub async fn list(&self, who: &Identity, mut filter: WatchFilter) -> CaseResult<WatchPage> {
        let t = self.territory.current();
        filter.scope = scope(who, &t);
        filter.limit = filter.limit.clamp(1, MAX_PAGE);
        let rows = self.store().list_watches(&filter).await?;
        let next_cursor = (rows.len() == filter.limit as usize)
            .then(|| rows.last())
            .flatten()
            .map(|r| match filter.due_by {
                Some(_) => format!("{}_{}", r.next_due.unwrap_or(0), r.id),
                None => r.id.to_string(),
            });
        let mut people = People::default();
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            if reach(who, &t, row).read {
                items.push(self.to_view(&t, &mut people, row).await?);
            }
        }
        Ok(WatchPage { items, next_cursor })
    }

    /// A new risk class: the visit owed is rescheduled one interval of the
    /// new colour from now (none once safe).
    pub async fn change_level(
        &self,
        who: &Identity,
        id: WatchId,
        change: LevelChange,
    ) -> CaseResult<WatchView> {
        let mut row = self.writable(who, id).await?;
        if row.level == change.level {
            return Err(CaseError::Invalid(format!(
                "the entry is already classed {}",
                level_name(change.level)
            )));
        }
        let now = self.clock.now_ms();
        let expected = row.version;
        let from = row.level;
        row.level = change.level;
        row.next_due = next_visit_due(change.level, now);
        row.missed_at = None;
        row.version += 1;
        row.updated_at = now;
        let events = [event(
            now,
            Some(who.user_id),
            "level",
            json!({ "from": from, "to": row.level, "colour": row.level.colour(),
                    "reason": change.reason, "next_due": row.next_due.map(Instant) }),
        )];
        self.write(&row, expected, &events, None).await?;
        self.view(who, id).await
    }

    /// Records a return visit; the next is due one interval from it.
    pub async fn visit(&self, who: &Identity, id: WatchId, v: VisitIn) -> CaseResult<WatchView> {
        self.visit_with(who, id, v, None).await?;
        self.view(who, id).await
    }

    /// [`Self::visit`], carrying out a device's mutation when `receipt` is given.
    pub async fn visit_with(
        &self,
        who: &Identity,
        id: WatchId,
        v: VisitIn,
        receipt: Option<&Receipt>,
    ) -> CaseResult<()> {
        let mut row = self.writable(who, id).await?;
        let now = self.clock.now_ms();
        let at = v.at.map_or(now, Instant::ms);
        if at > now {
            return Err(CaseError::Invalid(format!(
                "a visit cannot be recorded in the future ({})",
                Instant(at)
            )));
        }
        if at < row.created_at {
            return Err(CaseError::Invalid(format!(
                "the visit ({}) is before the entry was registered ({})",
                Instant(at),
                Instant(row.created_at)
            )));
        }
        let expected = row.version;
        let owed = row.next_due;
        // A visit recorded late (made offline) never moves the schedule back.
        if row.last_visit_at.is_none_or(|last| at >= last) {
            row.last_visit_at = Some(at);
            row.next_due = next_visit_due(row.level, at);
            row.missed_at = None;
        }
        row.version += 1;
        row.updated_at = now;
        let events = [event(
            now,
            Some(who.user_id),
            "visit",
            json!({ "at": Instant(at), "note": v.note, "owed": owed.map(Instant),
                    "late": owed.is_some_and(|d| at > d), "next_due": row.next_due.map(Instant) }),
        )];
        self.write(&row, expected, &events, receipt).await
    }

    async fn write(
        &self,
        row: &WatchRow,
        expected: i64,
        events: &[NewEvent],
        receipt: Option<&Receipt>,
    ) -> CaseResult<()> {
        match self
            .store()
            .write_watch(row, Some(expected), events, receipt)
            .await?
        {
            WriteOutcome::Written => Ok(()),
            WriteOutcome::Conflict => Err(CaseError::VersionConflict),
            WriteOutcome::Stale => Err(CaseError::Stale),
        }
    }

    /// Warns once for every visit that fell due unmade. Only the holder of
    /// the `visits` lease acts; each warning is written with the entry's
    /// version, so a second pass or a concurrent one finds nothing to do.
    pub async fn tick(&self, holder: &str) -> CaseResult<VisitTick> {
        let now = self.clock.now_ms();
        if !self
            .store()
            .acquire_lease(JOB, holder, now, now + LEASE_MS)
            .await?
        {
            return Ok(VisitTick {
                not_leader: true,
                ..VisitTick::default()
            });
        }
        self.warn_missed(now).await
    }

    /// The pass itself, without the lease (see `CaseService::run_due`).
    pub async fn warn_missed(&self, now: i64) -> CaseResult<VisitTick> {
        let mut tick = VisitTick::default();
        loop {
            let due = self.store().missed_visits(now, BATCH).await?;
            let mut progressed = false;
            for mut row in due.iter().cloned() {
                let expected = row.version;
                row.missed_at = Some(now);
                row.version += 1;
                row.updated_at = now;
                let events = [event(
                    now,
                    None,
                    "visit_missed",
                    json!({ "owed": row.next_due.map(Instant), "responsible": row.responsible_id,
                            "level": row.level, "colour": row.level.colour() }),
                )];
                if self
                    .store()
                    .write_watch(&row, Some(expected), &events, None)
                    .await?
                    == WriteOutcome::Written
                {
                    progressed = true;
                    tick.missed += 1;
                }
            }
            if due.len() < BATCH as usize || !progressed {
                break;
            }
        }
        Ok(tick)
    }

    /// An entry as `who` keeps it on the phone (with its history), or
    /// `None` if they may not read it. Rows come from the caller's snapshot.
    pub async fn record_of(
        &self,
        who: &Identity,
        t: &Territory,
        people: &mut People,
        b: &WatchBundle,
    ) -> CaseResult<Option<WatchView>> {
        if !reach(who, t, &b.watch).read {
            return Ok(None);
        }
        let mut v = self.to_view(t, people, &b.watch).await?;
        v.history = Some(view::event_views(self.store(), people, &b.events).await?);
        Ok(Some(v))
    }

    async fn to_view(
        &self,
        t: &Territory,
        people: &mut People,
        row: &WatchRow,
    ) -> CaseResult<WatchView> {
        let now = self.clock.now_ms();
        let responsible = match row.responsible_id {
            Some(id) => Some(people.get(self.store(), id).await?),
            None => None,
        };
        Ok(WatchView {
            id: row.id.to_string(),
            version: row.version,
            kind: row.kind,
            label: row.label.clone(),
            address: row.address.clone(),
            location: PointView {
                lat: row.lat,
                lon: row.lon,
            },
            grid: view::unit_brief(t, row.grid_id),
            level: row.level,
            colour: row.level.colour(),
            reason: row.reason.clone(),
            responsible,
            next_visit: row.next_due.map(|due| VisitDue {
                due: Instant(due),
                late: due < now,
                missed_warned_at: row.missed_at.map(Instant),
            }),
            last_visit_at: row.last_visit_at.map(Instant),
            created_at: Instant(row.created_at),
            history: None,
        })
    }
}

fn level_name(l: RiskLevel) -> String {
    serde_json::to_value(l)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The entries a caller may list, as store conditions (each row is checked
/// again before it is shown).
pub fn scope(who: &Identity, t: &Territory) -> WatchScope {
    let mut s = WatchScope {
        responsible: Some(who.user_id),
        ..WatchScope::default()
    };
    for &(role, unit) in &who.roles {
        match role {
            Role::Admin => s.everything = true,
            Role::DepartmentHandler | Role::Resident => {}
            _ => match t.by_id(unit).map(|i| t.unit(i).kind) {
                Some(OrgUnitKind::Grid | OrgUnitKind::MicroGrid) => s.grids.push(unit),
                Some(OrgUnitKind::Village) => s.villages.push(unit),
                Some(OrgUnitKind::Township) => s.townships.push(unit),
                Some(OrgUnitKind::County) => s.counties.push(unit),
                _ => {}
            },
        }
    }
    s
}
