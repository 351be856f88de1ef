//! The case service: intake and routing, every action of the state machine,
//! the tier clocks and the scheduler that escalates overdue cases. The rules
//! of who may do what live in `gridline_core::case`; this module gathers
//! the facts they need, applies what they allow and writes the result with
//! its history in one transaction.

pub mod duplicates;
mod erasure;
pub mod error;
mod photos;
pub mod placement;
pub mod rulebook;
pub mod scheduler;
pub mod standing;
pub mod stats;
pub mod tally;
mod transition;
pub mod view;

use crate::auth::service::Identity;
use crate::clock::Clock;
use crate::store::Store;
use crate::store::cases::{CaseFilter, CaseRow, CaseWrite, NewEvent, WriteOutcome};
use crate::store::intake::Outside;
use crate::store::sync::{CaseBundle, Receipt};
use crate::territory::{Territory, TerritoryService};
use error::{CaseError, CaseResult};
use gridline_core::case::Ladder;
use gridline_core::case::routing::{self, Subject};
use gridline_core::case::{Action, ActionKind, Facts, Level, Status};
use gridline_core::category;
use gridline_core::coord::{Crs, GeoPoint};
use gridline_core::sync::CaseRecord;
use gridline_core::wire::case::{CasePage, CaseView, EventView, NewCase};
use gridline_core::{CaseId, OrgUnitId, OrgUnitKind, Role};
use photos::{photo_event, photo_rows};
use serde_json::json;
use std::sync::Arc;

/// How far outside every grid a report may be and still be taken in (by the
/// county of the nearest grid, with no grid of its own).
const COUNTY_QUEUE_M: f64 = 50_000.0;
/// Working days a unit has to sign for a case it was given.
const SIGN_FOR_DAYS: u32 = 1;
/// Most cases on one page.
pub const MAX_PAGE: u32 = 200;

/// A versioned update's outcome as the service answers it.
fn written(o: WriteOutcome) -> CaseResult<()> {
    match o {
        WriteOutcome::Written => Ok(()),
        WriteOutcome::Conflict => Err(CaseError::VersionConflict),
        WriteOutcome::Stale => Err(CaseError::Stale),
    }
}

/// What the state machine needs to know about a case.
fn facts_of(
    case: &CaseRow,
    tasks: &[crate::store::cases::TaskRow],
    orders: &[crate::store::cases::OrderRow],
    ladder: &gridline_core::case::Ladder,
) -> Facts {
    Facts {
        status: case.status,
        open_tasks: u32::try_from(tasks.iter().filter(|t| t.reported_at.is_none()).count())
            .unwrap_or(u32::MAX),
        open_orders: u32::try_from(orders.iter().filter(|o| o.answered_at.is_none()).count())
            .unwrap_or(u32::MAX),
        rated: case.rating.is_some(),
        at_top_tier: case.tier as usize + 1 >= ladder.rungs.len(),
    }
}

/// What building a page of records reads once: people and ladders; and
/// the cases whose parties it showed, logged together at the end.
#[derive(Default)]
pub struct RecordPage {
    pub people: view::People,
    ladders: std::collections::HashMap<Option<OrgUnitId>, Arc<Ladder>>,
    party_reads: Vec<CaseId>,
}

/// What a one-event write carries besides the case and its event.
#[derive(Default, Clone, Copy)]
struct Carried<'a> {
    /// The phone's answer to store with it.
    receipt: Option<&'a Receipt>,
    /// The outside system's ticket revision.
    outside: Option<&'a Outside>,
    /// A person's data to take out of it.
    redact: Option<&'a crate::store::privacy::Redaction>,
}

/// A case its reader may see, with what reading it took.
struct Readable {
    t: Arc<Territory>,
    case: CaseRow,
    tasks: Vec<crate::store::cases::TaskRow>,
    st: Vec<gridline_core::case::Standing>,
}

pub struct CaseService {
    store: Arc<dyn Store>,
    territory: Arc<TerritoryService>,
    clock: Arc<dyn Clock>,
    /// Routing data kept for one push (see [`rulebook::Memo`]).
    memo: Option<rulebook::Memo>,
}

fn detail(v: serde_json::Value) -> String {
    v.to_string()
}

/// The SHA-256 (hex) of a new case's arguments in canonical form (keys
/// sorted), so the same report sent again is recognised as the same.
pub fn intake_sha256(new: &NewCase) -> String {
    use sha2::Digest;
    let canonical = serde_json::to_value(new)
        .map(|v| v.to_string())
        .unwrap_or_default();
    hex_lower(&sha2::Sha256::digest(canonical.as_bytes()))
}

/// Lowercase hex of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl CaseService {
    pub fn new(
        store: Arc<dyn Store>,
        territory: Arc<TerritoryService>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            territory,
            clock,
            memo: None,
        }
    }

    /// This service for one push: its statements run on `store` (the
    /// push's batch) and it reads the routing data once.
    pub fn in_batch(&self, store: Arc<dyn Store>) -> Self {
        Self {
            store,
            territory: self.territory.clone(),
            clock: self.clock.clone(),
            memo: Some(rulebook::Memo::default()),
        }
    }

    async fn rules(&self) -> CaseResult<Arc<Vec<routing::Rule>>> {
        rulebook::rules_via(self.store(), self.memo.as_ref()).await
    }

    async fn ladder(&self, county: Option<OrgUnitId>) -> CaseResult<Arc<Ladder>> {
        rulebook::ladder_via(self.store(), self.memo.as_ref(), county).await
    }

    async fn calendar(&self) -> CaseResult<Arc<gridline_core::calendar::Calendar>> {
        rulebook::calendar_via(self.store(), self.memo.as_ref()).await
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Takes in a new case, routes it and, when a staff member reports it,
    /// dispatches it at once.
    pub async fn create(&self, who: &Identity, new: NewCase) -> CaseResult<CaseView> {
        let id = self.create_with(who, new, None).await?;
        self.view_via(who, id, "POST /v1/cases").await
    }

    /// [`Self::create`], carrying out a device's mutation when `receipt` is
    /// given (recorded in the same transaction as the case).
    pub async fn create_with(
        &self,
        who: &Identity,
        new: NewCase,
        receipt: Option<&Receipt>,
    ) -> CaseResult<CaseId> {
        self.create_inner(who, new, receipt, None).await
    }

    /// [`Self::create`] for a case from an outside system, written with
    /// where it came from. A ticket another transfer of the same ticket
    /// took first makes it [`CaseError::VersionConflict`].
    pub async fn create_outside(
        &self,
        who: &Identity,
        new: NewCase,
        outside: &Outside,
    ) -> CaseResult<CaseId> {
        self.create_inner(who, new, None, Some(outside)).await
    }

    /// Whether a case at this point could be taken in: inside a grid, or
    /// near enough to one for its county's queue.
    ///
    /// # Errors
    /// [`CaseError::OutsideTerritory`] when it could not.
    pub fn placeable(&self, point: GeoPoint) -> CaseResult<()> {
        let t = self.territory.current();
        let (lon, lat) = (point.lon.degrees(), point.lat.degrees());
        if t.locate(point).1.is_some() || t.index.nearest_within(lon, lat, COUNTY_QUEUE_M).is_some()
        {
            Ok(())
        } else {
            Err(CaseError::OutsideTerritory { lat, lon })
        }
    }

    async fn create_inner(
        &self,
        who: &Identity,
        new: NewCase,
        receipt: Option<&Receipt>,
        outside: Option<&Outside>,
    ) -> CaseResult<CaseId> {
        let now = self.now();
        let intake = intake_sha256(&new);
        let t = self.territory.current();
        let staff = who.roles.iter().any(|(r, _)| !matches!(r, Role::Resident));
        let may_submit = who.roles.iter().any(|&(role, _)| {
            gridline_core::case::check(
                &gridline_core::case::Standing {
                    role: Some(role),
                    ..Default::default()
                },
                &Facts::new(Status::Submitted),
                ActionKind::Submit,
            )
            .is_ok()
        });
        if !may_submit {
            return Err(gridline_core::case::Refusal::NotPermitted.into());
        }
        if category::by_code(&new.category).is_none() {
            return Err(CaseError::UnknownCategory(new.category));
        }
        let crs: Crs = match new.location.crs.as_deref() {
            None => Crs::Wgs84,
            Some(c) => c.parse()?,
        };
        let point = GeoPoint::parse(new.location.lat, new.location.lon, crs)?;
        let id = new.id.unwrap_or_default();
        // A push has looked for the id already (and answers a repeat with
        // its stored answer); the insert refuses an id taken since.
        if receipt.is_none()
            && let Some(existing) = self.store.case(id).await?
        {
            // The phone sent it again (a lost response): the case as stored.
            if existing.reporter_id == who.user_id {
                return Ok(id);
            }
            return Err(CaseError::IdTaken(id.to_string()));
        }

        // Where it is: its grid, or the county of the nearest grid.
        let (assignment, grid) = t.locate(point);
        let (lon, lat) = (point.lon.degrees(), point.lat.degrees());
        let place = match grid {
            Some(g) => g,
            None => t
                .index
                .nearest_within(lon, lat, COUNTY_QUEUE_M)
                .map(|(g, _)| t.index.grids()[g].data)
                .and_then(|g| t.chain(g).county.and_then(|c| t.by_id(c.id)))
                .ok_or(CaseError::OutsideTerritory { lat, lon })?,
        };
        let chain = t.chain(place);
        let county = chain.county.map(|c| c.id);

        let rules = self.rules().await?;
        let subject = Subject {
            category: &new.category,
            colour: new.risk,
            people_affected: new.people_affected.unwrap_or(1),
            amount_yuan: new.amount_yuan.unwrap_or(0),
        };
        let rule = routing::route(&rules, &subject).ok_or_else(|| {
            CaseError::Invalid("no routing rule matches; the rule set needs a catch-all".into())
        })?;
        let ladder = self.ladder(county).await?;
        let start_level = if grid.is_some() {
            rule.start
        } else {
            rule.start.max(Level::County)
        };
        let tier = ladder.start_at(start_level);
        let rung = &ladder.rungs[tier];
        let lead = placement::lead_unit(&t, place, rung.level, rule.lead_department);

        let mut case = CaseRow {
            id,
            version: 1,
            status: Status::Submitted,
            category: new.category.clone(),
            description: new.description.to_string(),
            channel: new.channel.unwrap_or(if staff {
                gridline_core::case::Channel::GridPatrol
            } else {
                gridline_core::case::Channel::ResidentApp
            }),
            lat,
            lon,
            grid_id: grid.map(|g| t.unit(g).id),
            village_id: chain.village.map(|u| u.id),
            township_id: chain.township.map(|u| u.id),
            county_id: county,
            distance_m: assignment.distance_m(),
            risk: new.risk,
            people_affected: subject.people_affected,
            amount_yuan: subject.amount_yuan,
            reporter_id: who.user_id,
            rule_id: rule.id.clone(),
            tier: u32::try_from(tier).unwrap_or(0),
            tier_name: rung.name.clone(),
            lead_unit_id: t.unit(lead).id,
            assignee_id: None,
            sign_by: None,
            signed_at: None,
            deadline: None,
            warn_at: None,
            overdue_at: None,
            outcome: None,
            summary: None,
            rating: None,
            merged_into: None,
            created_at: now,
            updated_at: now,
        };
        let mut events = vec![NewEvent {
            at: now,
            actor_id: Some(who.user_id),
            action: "submit".into(),
            detail: detail(json!({
                "category": case.category,
                "channel": case.channel,
                "grid": case.grid_id,
                "rule": case.rule_id,
                "tier": case.tier,
                "tier_name": case.tier_name,
                "lead_unit": case.lead_unit_id,
            })),
        }];
        let mut tasks = Vec::new();
        if staff {
            // Staff reports are registered as they are made: dispatch now.
            let calendar = self.calendar().await?;
            let mut ctx = transition::Ctx {
                store: self.store(),
                territory: &t,
                calendar: &calendar,
                ladder: &ladder,
                rules: &rules,
                now,
                actor: Some(who.user_id),
            };
            transition::dispatch(
                &mut ctx,
                &mut case,
                lead,
                "accept",
                &mut events,
                &mut tasks,
                None,
            )
            .await?;
            // A report the reporter is assigned to is signed for as it is made.
            if case.assignee_id == Some(who.user_id) {
                transition::sign_for(&ctx, &mut case, &mut events, who.user_id)?;
            }
        }
        let parties = new.parties;
        let mut photos = photo_rows(id, who, now, new.photos, 0)?;
        self.mark_known(who, &mut photos, now).await?;
        events.extend(photos.iter().map(|p| photo_event(who, now, p)));
        let write = CaseWrite {
            case: &case,
            expected_version: None,
            events: &events,
            parties: &parties,
            tasks: &tasks,
            orders: &[],
            photos: &photos,
            receipt,
            intake_sha256: Some(&intake),
            outside,
            redact: None,
        };
        match self.store.write_case(&write).await? {
            WriteOutcome::Written => Ok(id),
            WriteOutcome::Conflict if outside.is_some_and(|o| o.ticket.is_some()) => {
                Err(CaseError::VersionConflict)
            }
            WriteOutcome::Conflict => Err(CaseError::IdTaken(id.to_string())),
            WriteOutcome::Stale => Err(CaseError::Stale),
        }
    }

    /// The case as `who` may see it; not found if they may not.
    pub async fn view(&self, who: &Identity, id: CaseId) -> CaseResult<CaseView> {
        self.view_via(who, id, "GET /v1/cases/{id}").await
    }

    /// The case with its tasks and the caller's standings, if the caller may
    /// read it; not found otherwise (the same answer as a missing case).
    async fn readable(&self, who: &Identity, id: CaseId) -> CaseResult<Readable> {
        let t = self.territory.current();
        let not_found = || CaseError::NotFound(id.to_string());
        let case = self.store.case(id).await?.ok_or_else(not_found)?;
        let tasks = self.store.case_tasks(id).await?;
        let st = standing::standings(who, &case, &tasks, &t);
        if !standing::may_read(&st) {
            return Err(not_found());
        }
        Ok(Readable { t, case, tasks, st })
    }

    /// [`Self::view`], logging a read of personal data as made through `via`.
    async fn view_via(&self, who: &Identity, id: CaseId, via: &str) -> CaseResult<CaseView> {
        let Readable { t, case, tasks, st } = self.readable(who, id).await?;
        let orders = self.store.case_orders(id).await?;
        let facts = self.facts(&case, &tasks, &orders).await?;
        let now = self.now();
        let parties = if standing::may_see_parties(&st) {
            let parties = self.store.case_parties(id).await?;
            if !parties.is_empty() {
                self.store
                    .record_personal_data_reads(who.user_id, who.device, &[id], via, now)
                    .await?;
            }
            Some(parties)
        } else {
            None
        };
        let photos = self.store.case_photos(id).await?;
        let mut people = view::People::default();
        let parts = view::Parts {
            case: &case,
            tasks: &tasks,
            orders: &orders,
            parties,
            actions: standing::actions(&st, &facts),
            photos: &photos,
            now,
        };
        Ok(view::case_view(self.store(), &t, &mut people, parts).await?)
    }

    /// What the sender of a case from outside said about themselves, for
    /// those who may see its parties; the read is logged like theirs.
    /// `None` for a case from inside.
    pub async fn contact(
        &self,
        who: &Identity,
        id: CaseId,
    ) -> CaseResult<Option<crate::store::intake::Contact>> {
        let Readable { st, .. } = self.readable(who, id).await?;
        if !standing::may_see_parties(&st) {
            return Err(gridline_core::case::Refusal::NotPermitted.into());
        }
        let contact = self.store.contact(id).await?;
        if contact.is_some() {
            self.store
                .record_personal_data_reads(
                    who.user_id,
                    who.device,
                    &[id],
                    "GET /v1/cases/{id}/contact",
                    self.now(),
                )
                .await?;
        }
        Ok(contact)
    }

    /// A page of the cases `who` may see, newest first.
    pub async fn list(&self, who: &Identity, mut filter: CaseFilter) -> CaseResult<CasePage> {
        let t = self.territory.current();
        filter.scope = standing::scope(who, &t);
        filter.limit = filter.limit.clamp(1, MAX_PAGE);
        let rows = self.store.list_cases(&filter).await?;
        let full = rows.len() == filter.limit as usize;
        let next_cursor = if full {
            rows.last().map(|r| r.id.to_string())
        } else {
            None
        };
        let now = self.now();
        let mut people = view::People::default();
        let mut items = Vec::with_capacity(rows.len());
        for case in &rows {
            let tasks = self.store.case_tasks(case.id).await?;
            let st = standing::standings(who, case, &tasks, &t);
            if !standing::may_read(&st) {
                continue;
            }
            let orders = self.store.case_orders(case.id).await?;
            let facts = self.facts(case, &tasks, &orders).await?;
            let photos = self.store.case_photos(case.id).await?;
            let parts = view::Parts {
                case,
                tasks: &tasks,
                orders: &orders,
                parties: None,
                actions: standing::actions(&st, &facts),
                photos: &photos,
                now,
            };
            items.push(view::case_view(self.store(), &t, &mut people, parts).await?);
        }
        Ok(CasePage { items, next_cursor })
    }

    /// A case as `who` keeps it on the phone (the view and its history), or
    /// `None` if they may not read it. Rows come from the caller's snapshot;
    /// what a page reads once (people, ladders) is kept in `page`, and the
    /// parties it shows are logged by [`Self::log_party_reads`].
    pub async fn record_of(
        &self,
        who: &Identity,
        t: &Territory,
        page: &mut RecordPage,
        b: &CaseBundle,
    ) -> CaseResult<Option<CaseRecord>> {
        let st = standing::standings(who, &b.case, &b.tasks, t);
        if !standing::may_read(&st) {
            return Ok(None);
        }
        let ladder = match page.ladders.get(&b.case.county_id) {
            Some(l) => l,
            None => {
                let l = self.ladder(b.case.county_id).await?;
                page.ladders.entry(b.case.county_id).or_insert(l)
            }
        };
        let facts = facts_of(&b.case, &b.tasks, &b.orders, ladder);
        let now = self.now();
        let parties = if standing::may_see_parties(&st) {
            if !b.parties.is_empty() {
                page.party_reads.push(b.case.id);
            }
            Some(b.parties.clone())
        } else {
            None
        };
        let parts = view::Parts {
            case: &b.case,
            tasks: &b.tasks,
            orders: &b.orders,
            parties,
            actions: standing::actions(&st, &facts),
            photos: &b.photos,
            now,
        };
        let case = view::case_view(self.store(), t, &mut page.people, parts).await?;
        let history = view::event_views(self.store(), &mut page.people, &b.events).await?;
        Ok(Some(CaseRecord { case, history }))
    }

    /// Logs, in one write, the parties a page of records showed `who`.
    pub async fn log_party_reads(
        &self,
        who: &Identity,
        page: &mut RecordPage,
        via: &str,
    ) -> CaseResult<()> {
        let reads = std::mem::take(&mut page.party_reads);
        self.store
            .record_personal_data_reads(who.user_id, who.device, &reads, via, self.now())
            .await?;
        Ok(())
    }

    pub async fn history(&self, who: &Identity, id: CaseId) -> CaseResult<Vec<EventView>> {
        self.readable(who, id).await?;
        let events = self.store.case_events(id).await?;
        let mut people = view::People::default();
        Ok(view::event_views(self.store(), &mut people, &events).await?)
    }

    async fn facts(
        &self,
        case: &CaseRow,
        tasks: &[crate::store::cases::TaskRow],
        orders: &[crate::store::cases::OrderRow],
    ) -> CaseResult<Facts> {
        let ladder = self.ladder(case.county_id).await?;
        Ok(facts_of(case, tasks, orders, &ladder))
    }

    /// Applies an action by `who`, if the state machine and their part in the
    /// case allow it, and returns the case as it now is.
    pub async fn act(&self, who: &Identity, id: CaseId, action: Action) -> CaseResult<CaseView> {
        self.act_with(who, id, None, action, None).await?;
        self.view_via(who, id, "POST /v1/cases/{id}/actions").await
    }

    /// [`Self::act`], carrying out a device's mutation when `receipt` is
    /// given. With `from`, the action was decided on a case in that status:
    /// if the case has moved on, the action is refused as stale.
    pub async fn act_with(
        &self,
        who: &Identity,
        id: CaseId,
        from: Option<Status>,
        action: Action,
        receipt: Option<&Receipt>,
    ) -> CaseResult<()> {
        let Readable { t, case, tasks, st } = self.readable(who, id).await?;
        if let Some(from) = from
            && from != case.status
            && !matches!(action, Action::Note { .. })
        {
            return Err(gridline_core::case::Refusal::WrongState.into());
        }
        let orders = self.store.case_orders(id).await?;
        let facts = self.facts(&case, &tasks, &orders).await?;
        standing::check_any(&st, &facts, action.kind())?;
        self.apply(&t, (case, tasks, orders), who, action, receipt)
            .await
    }

    /// Appends a conflict to the case's history: a device's action that lost
    /// to a change made first. Both sides see it in the history; the action
    /// itself is kept in the entry, so nothing the device sent is lost.
    /// Recorded with the device's `receipt` (rejected).
    pub async fn record_conflict(
        &self,
        who: &Identity,
        id: CaseId,
        what: serde_json::Value,
        receipt: &Receipt,
    ) -> CaseResult<()> {
        let case = self
            .store
            .case(id)
            .await?
            .ok_or_else(|| CaseError::NotFound(id.to_string()))?;
        self.append_event(
            case,
            who.user_id,
            "conflict",
            what,
            Carried {
                receipt: Some(receipt),
                ..Carried::default()
            },
        )
        .await
    }

    /// Writes a case an outside system changed (a transfer sent again with
    /// other content): `case` as read, with the changes made, an `amend`
    /// event holding `what` changed, and the new ticket revision. A case
    /// changed meanwhile makes it [`CaseError::VersionConflict`].
    pub async fn amend_outside(
        &self,
        actor: gridline_core::UserId,
        case: CaseRow,
        what: serde_json::Value,
        outside: &Outside,
    ) -> CaseResult<()> {
        self.append_event(
            case,
            actor,
            "amend",
            what,
            Carried {
                outside: Some(outside),
                ..Carried::default()
            },
        )
        .await
    }

    /// Writes `case` (as read, perhaps changed) at its next version with
    /// one event, and what else the write carries; a case changed
    /// meanwhile is a version conflict.
    async fn append_event(
        &self,
        mut case: CaseRow,
        actor: gridline_core::UserId,
        action: &str,
        what: serde_json::Value,
        with: Carried<'_>,
    ) -> CaseResult<()> {
        let now = self.now();
        let expected = case.version;
        case.version += 1;
        case.updated_at = now;
        let events = [NewEvent {
            at: now,
            actor_id: Some(actor),
            action: action.into(),
            detail: detail(what),
        }];
        let write = CaseWrite {
            case: &case,
            expected_version: Some(expected),
            events: &events,
            parties: &[],
            tasks: &[],
            orders: &[],
            photos: &[],
            receipt: with.receipt,
            intake_sha256: None,
            outside: with.outside,
            redact: with.redact,
        };
        written(self.store.write_case(&write).await?)
    }

    /// Runs an action `who` is allowed and writes it.
    async fn apply(
        &self,
        t: &Territory,
        (case, tasks, orders): (
            CaseRow,
            Vec<crate::store::cases::TaskRow>,
            Vec<crate::store::cases::OrderRow>,
        ),
        who: &Identity,
        action: Action,
        receipt: Option<&Receipt>,
    ) -> CaseResult<()> {
        let now = self.now();
        let rules = self.rules().await?;
        let ladder = self.ladder(case.county_id).await?;
        let calendar = self.calendar().await?;
        let mut ctx = transition::Ctx {
            store: self.store(),
            territory: t,
            calendar: &calendar,
            ladder: &ladder,
            rules: &rules,
            now,
            actor: Some(who.user_id),
        };
        let expected = case.version;
        let change = transition::apply(&mut ctx, case, tasks, orders, Some(who), action).await?;
        let write = CaseWrite {
            case: &change.case,
            expected_version: Some(expected),
            events: &change.events,
            parties: &[],
            tasks: &change.tasks,
            orders: &change.orders,
            photos: &[],
            receipt,
            intake_sha256: None,
            outside: None,
            redact: None,
        };
        written(self.store.write_case(&write).await?)
    }

    /// Whether `unit` (a territory index) is a department or territorial unit `who` may dispatch to.
    pub(crate) fn dispatchable(who: Option<&Identity>, t: &Territory, unit: u32) -> bool {
        let Some(who) = who else { return true };
        who.roles.iter().any(|&(role, at)| {
            role == Role::Admin
                || (matches!(role, Role::TownshipOperator | Role::CountyOperator)
                    && t.by_id(at).is_some_and(|root| {
                        t.within(unit, root)
                            || (t.unit(unit).kind == OrgUnitKind::Department
                                && t.unit(unit)
                                    .parent
                                    .is_some_and(|p| t.within(root, p) || t.within(p, root)))
                    }))
        })
    }
}
