//! What the store keeps about watched households and places. An entry is
//! written whole with the events it gained, in one transaction, guarded by
//! its version, like a case.

use super::StoreResult;
use super::cases::{EventRow, NewEvent, WriteOutcome};
use async_trait::async_trait;
use gridline_core::risk::RiskLevel;
use gridline_core::watch::WatchKind;
use gridline_core::{OrgUnitId, UserId, WatchId};

/// One register entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchRow {
    pub id: WatchId,
    pub version: i64,
    pub kind: WatchKind,
    pub label: String,
    pub address: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub grid_id: OrgUnitId,
    pub village_id: Option<OrgUnitId>,
    pub township_id: Option<OrgUnitId>,
    pub county_id: Option<OrgUnitId>,
    pub level: RiskLevel,
    pub reason: String,
    pub responsible_id: Option<UserId>,
    pub created_by: UserId,
    pub created_at: i64,
    pub updated_at: i64,
    /// The visit owed next; `None` while safe.
    pub next_due: Option<i64>,
    pub last_visit_at: Option<i64>,
    /// When the scheduler warned that the visit owed was missed.
    pub missed_at: Option<i64>,
}

/// Which entries a caller may list: any one condition admits an entry.
#[derive(Debug, Clone, Default)]
pub struct WatchScope {
    pub everything: bool,
    pub grids: Vec<OrgUnitId>,
    pub villages: Vec<OrgUnitId>,
    pub townships: Vec<OrgUnitId>,
    pub counties: Vec<OrgUnitId>,
    pub responsible: Option<UserId>,
}

#[derive(Debug, Clone, Default)]
pub struct WatchFilter {
    pub scope: WatchScope,
    pub grid: Option<OrgUnitId>,
    pub level: Option<RiskLevel>,
    /// Only entries with a visit due at or before this time, soonest first;
    /// without it, newest first.
    pub due_by: Option<i64>,
    /// Keyset cursor: the last entry of the previous page.
    pub after: Option<(Option<i64>, WatchId)>,
    pub limit: u32,
}

#[async_trait]
pub trait WatchStore: Send + Sync {
    /// `expected_version` `None` creates the entry; `Some(v)` updates it
    /// only if it is still at `v`.
    async fn write_watch(
        &self,
        watch: &WatchRow,
        expected_version: Option<i64>,
        events: &[NewEvent],
        receipt: Option<&super::sync::Receipt>,
    ) -> StoreResult<WriteOutcome>;
    async fn watch(&self, id: WatchId) -> StoreResult<Option<WatchRow>>;
    async fn watch_events(&self, id: WatchId) -> StoreResult<Vec<EventRow>>;
    async fn list_watches(&self, filter: &WatchFilter) -> StoreResult<Vec<WatchRow>>;
    /// Entries whose visit was due before `now` and not yet warned about.
    async fn missed_visits(&self, now: i64, limit: u32) -> StoreResult<Vec<WatchRow>>;
}
