//! What the store keeps about cases, and the operations the case service
//! needs. A case is written whole with the events it gained, in one
//! transaction, guarded by its version: two writers racing on one case
//! cannot both win, and history never disagrees with the row.

use super::StoreResult;
use async_trait::async_trait;
use gridline_core::calendar::SpecialDay;
use gridline_core::case::{Channel, Outcome, Party, Status};
use gridline_core::risk::RiskColour;
use gridline_core::time::Date;
use gridline_core::{CaseId, OrderId, OrgUnitId, TaskId, UserId};

/// One case as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: CaseId,
    pub version: i64,
    pub status: Status,
    pub category: String,
    pub description: String,
    pub channel: Channel,
    pub lat: f64,
    pub lon: f64,
    pub grid_id: Option<OrgUnitId>,
    pub village_id: Option<OrgUnitId>,
    pub township_id: Option<OrgUnitId>,
    pub county_id: Option<OrgUnitId>,
    pub distance_m: f64,
    pub risk: Option<RiskColour>,
    pub people_affected: u32,
    pub amount_yuan: u64,
    pub reporter_id: UserId,
    pub rule_id: String,
    pub tier: u32,
    pub tier_name: String,
    pub lead_unit_id: OrgUnitId,
    pub assignee_id: Option<UserId>,
    pub sign_by: Option<i64>,
    pub signed_at: Option<i64>,
    pub deadline: Option<i64>,
    pub warn_at: Option<i64>,
    /// When the scheduler found it overdue with no tier left above.
    pub overdue_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub summary: Option<String>,
    pub rating: Option<u8>,
    pub merged_into: Option<CaseId>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<UserId>,
    pub action: String,
    /// JSON object.
    pub detail: String,
}

/// An event to append; its sequence number is the next one of its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub at: i64,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub detail: String,
}

/// A unit's share of a jointly handled case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: TaskId,
    pub case_id: CaseId,
    pub unit_id: OrgUnitId,
    pub task: String,
    pub deadline: i64,
    pub created_at: i64,
    pub report: Option<String>,
    pub reported_at: Option<i64>,
    pub reported_by: Option<UserId>,
}

/// A supervision order (督办).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub id: OrderId,
    pub case_id: CaseId,
    pub issued_by: UserId,
    pub issued_at: i64,
    pub text: String,
    pub deadline: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub answered_by: Option<UserId>,
}

/// Everything one change to a case writes.
#[derive(Debug, Clone)]
pub struct CaseWrite<'a> {
    pub case: &'a CaseRow,
    /// `None` creates the case; `Some(v)` updates it only if it is still at `v`.
    pub expected_version: Option<i64>,
    pub events: &'a [NewEvent],
    /// Written with a new case only.
    pub parties: &'a [Party],
    /// Inserted, or updated by id.
    pub tasks: &'a [TaskRow],
    /// Inserted, or updated by id.
    pub orders: &'a [OrderRow],
    /// Inserted, or (their availability) updated by id.
    pub photos: &'a [super::photos::PhotoRow],
    /// The device mutation this write carries out, recorded with it.
    pub receipt: Option<&'a super::sync::Receipt>,
    /// With a new case: the hash of the arguments it was created from.
    pub intake_sha256: Option<&'a str>,
    /// Where a case from an outside system came from: its sender's contact
    /// and, for a transfer, the ticket (whose taken id or moved revision
    /// makes the write a conflict).
    pub outside: Option<&'a super::intake::Outside>,
    /// With an update: the personal data to take out of the case (a
    /// person's erasure), in the same transaction as its event.
    pub redact: Option<&'a super::privacy::Redaction>,
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// Someone else changed the case first (or, on create, the id exists).
    Conflict,
    /// The device mutation it carried had already been dealt with (or was
    /// out of turn): nothing was written.
    Stale,
}

/// Which cases a caller may list: any one condition admits a case.
#[derive(Debug, Clone, Default)]
pub struct CaseScope {
    /// No restriction (admins).
    pub everything: bool,
    pub grids: Vec<OrgUnitId>,
    pub villages: Vec<OrgUnitId>,
    pub townships: Vec<OrgUnitId>,
    pub counties: Vec<OrgUnitId>,
    /// Cases led by these units (departments), or with tasks for them.
    pub units_handling: Vec<OrgUnitId>,
    pub assignee: Option<UserId>,
    pub reporter: Option<UserId>,
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub scope: CaseScope,
    pub status: Option<Status>,
    pub grid: Option<OrgUnitId>,
    pub category: Option<String>,
    /// Only cases whose id sorts below this one (newest first).
    pub before: Option<CaseId>,
    pub limit: u32,
    /// Any of these categories (empty: any).
    pub categories: Vec<String>,
    /// Any of these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Created within these instants, ms, both ends included.
    pub created_between: Option<(i64, i64)>,
    /// Only these cases (empty: any).
    pub ids: Vec<CaseId>,
    /// Only the cases merged into this one.
    pub merged_into: Option<CaseId>,
    /// Only cases located in this box: `[min_lon, min_lat, max_lon, max_lat]`, WGS84.
    pub within: Option<[f64; 4]>,
}

/// A case that needs the scheduler: a passed deadline or a due warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueCase {
    pub id: CaseId,
    pub version: i64,
}

/// One event of a case in a statistics cohort, with the case's fixed facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortEvent<'a> {
    pub case_id: &'a str,
    pub grid_id: Option<&'a str>,
    pub category: &'a str,
    pub at: i64,
    pub action: &'a str,
    pub detail: &'a str,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    async fn write_case(&self, write: &CaseWrite<'_>) -> StoreResult<WriteOutcome>;
    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRow>>;
    async fn case_parties(&self, id: CaseId) -> StoreResult<Vec<Party>>;
    async fn case_events(&self, id: CaseId) -> StoreResult<Vec<EventRow>>;
    async fn case_tasks(&self, id: CaseId) -> StoreResult<Vec<TaskRow>>;
    async fn case_orders(&self, id: CaseId) -> StoreResult<Vec<OrderRow>>;
    async fn list_cases(&self, filter: &CaseFilter) -> StoreResult<Vec<CaseRow>>;
    /// Open cases (assigned, signed for, in progress) per user.
    async fn open_case_counts(&self, users: &[UserId]) -> StoreResult<Vec<(UserId, u32)>>;
    /// Cases past their sign-by time or deadline, or due a warning, at `now`.
    /// Streams to `sink`, grouped by case and in order, the events up to
    /// `to` of every case in `scope` dispatched between `from` and `to`
    /// (inclusive).
    async fn cohort_events(
        &self,
        scope: &CaseScope,
        from: i64,
        to: i64,
        sink: &mut (dyn for<'e> FnMut(CohortEvent<'e>) + Send),
    ) -> StoreResult<()>;
    async fn due_cases(&self, now: i64, limit: u32) -> StoreResult<Vec<DueCase>>;
    /// Logs that `user` (on `device`, if the request named one) was shown
    /// the parties of `cases`, in one write.
    async fn record_personal_data_reads(
        &self,
        user: UserId,
        device: Option<gridline_core::DeviceId>,
        cases: &[CaseId],
        via: &str,
        at: i64,
    ) -> StoreResult<()>;
    async fn personal_data_reads(&self, case: CaseId) -> StoreResult<Vec<(UserId, String, i64)>>;

    /// Takes or renews the lease on `job` for `holder` until `until`; false if
    /// another holder's lease has not expired at `now`.
    async fn acquire_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool>;

    /// The rule set in force as (id, JSON body) in order, empty if never set.
    async fn routing_rules(&self) -> StoreResult<Vec<(String, String)>>;
    async fn replace_routing_rules(&self, rules: &[(String, String)]) -> StoreResult<()>;
    async fn ladder(&self, county: OrgUnitId) -> StoreResult<Option<String>>;
    async fn set_ladder(&self, county: OrgUnitId, body: &str) -> StoreResult<()>;
    async fn calendar_days(&self) -> StoreResult<Vec<SpecialDay>>;
    async fn set_calendar_day(&self, day: &SpecialDay) -> StoreResult<()>;
    async fn delete_calendar_day(&self, date: Date) -> StoreResult<bool>;
}
