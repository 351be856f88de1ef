//! What the store keeps for offline sync: devices, the stored answer to each
//! numbered mutation, and the change log that pull reads.
//!
//! Every write that changes what a device may see (a case, a register entry)
//! ends its transaction by taking the next number from the sequencer and
//! logging the entity under each scope that may see it, so the log's order
//! is commit order. A mutation from a device moves the device's last applied
//! number in that same transaction: effects, log and acknowledgement commit
//! together or not at all.

use super::StoreResult;
use super::cases::{CaseRow, EventRow, OrderRow, TaskRow};
use super::watches::WatchRow;
use async_trait::async_trait;
use gridline_core::case::Party;
use gridline_core::sync::device::Platform;
use gridline_core::sync::pull::{ChangeOp, Entity};
use gridline_core::sync::push::MutationStatus;
use gridline_core::{DeviceId, UserId};

/// A registered device as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub user_id: UserId,
    pub platform: Platform,
    pub app_version: Option<String>,
    pub last_applied: u64,
    pub acked: u64,
    pub registered_at: i64,
    pub revoked_at: Option<i64>,
}

/// What became of one mutation, written in the transaction that dealt with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub device_id: DeviceId,
    pub number: u64,
    pub name: String,
    pub status: MutationStatus,
    pub code: Option<String>,
    pub message: Option<String>,
    /// The entity it created or acted on.
    pub entity_id: Option<String>,
    pub device_time: Option<String>,
    pub at: i64,
}

/// A case with everything a phone shows of it, read in one snapshot.
#[derive(Debug, Clone)]
pub struct CaseBundle {
    pub case: CaseRow,
    pub tasks: Vec<TaskRow>,
    pub orders: Vec<OrderRow>,
    pub parties: Vec<Party>,
    pub events: Vec<EventRow>,
    pub photos: Vec<super::photos::PhotoRow>,
}

/// A register entry with its history, read in one snapshot.
#[derive(Debug, Clone)]
pub struct WatchBundle {
    pub watch: WatchRow,
    pub events: Vec<EventRow>,
}

/// One logged change, merged over the caller's scopes: an entity still in
/// any of them is an upsert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedChange {
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: String,
    pub op: ChangeOp,
    pub rev: i64,
}

/// The log's identity and extent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHead {
    pub epoch: String,
    /// The last position taken.
    pub seq: i64,
    /// Positions at or below this may have been compacted away.
    pub floor_seq: i64,
}

#[derive(Debug, Clone)]
pub struct PullQuery<'a> {
    pub device: DeviceId,
    pub scopes: &'a [String],
    pub after: i64,
    pub limit: u32,
}

/// A page of the log with the current rows it names and the device's
/// acknowledgement, all from one read snapshot.
#[derive(Debug, Clone)]
pub struct PullBatch {
    pub head: LogHead,
    pub changes: Vec<LoggedChange>,
    /// The position the page reaches: its last change's, or the head when
    /// nothing more is waiting.
    pub end_seq: i64,
    pub has_more: bool,
    /// The device's highest mutation number whose transaction is at or
    /// before `end_seq`.
    pub ack: u64,
    pub cases: Vec<CaseBundle>,
    pub watches: Vec<WatchBundle>,
}

/// Which current rows a snapshot page takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotPart {
    /// Cases still being handled, first: what a phone needs to work.
    OpenCases,
    ClosedCases,
    Watches,
}

#[derive(Debug, Clone)]
pub struct SnapshotQuery<'a> {
    pub scopes: &'a [String],
    pub part: SnapshotPart,
    /// Keyset: the last id of the previous page of this part.
    pub after_id: Option<String>,
    pub limit: u32,
}

#[derive(Debug, Clone)]
pub struct SnapshotBatch {
    pub head: LogHead,
    pub cases: Vec<CaseBundle>,
    pub watches: Vec<WatchBundle>,
}

/// What compaction removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compacted {
    pub log_rows: u64,
    pub results: u64,
    pub floor_seq: i64,
}

#[async_trait]
pub trait SyncStore: Send + Sync {
    async fn register_device(&self, device: &DeviceRow) -> StoreResult<()>;
    async fn device(&self, id: DeviceId) -> StoreResult<Option<DeviceRow>>;
    /// Marks the device revoked and ends every session opened on it; false
    /// if it was unknown or already revoked.
    async fn revoke_device(&self, id: DeviceId, now: i64) -> StoreResult<bool>;
    /// Ties a login session to the device it runs on.
    async fn bind_session_device(&self, session_id: &str, device: DeviceId) -> StoreResult<()>;
    /// Whether the device a session was bound to has been revoked.
    async fn session_device_revoked(&self, session_id: &str) -> StoreResult<bool>;
    /// Records a mutation dealt with without effects (rejected, or a
    /// duplicate of something stored). False if the device's last applied
    /// number was not `number - 1` (someone else dealt with it first).
    async fn record_receipt(&self, receipt: &Receipt) -> StoreResult<bool>;
    /// The stored answer to a mutation, if still kept.
    async fn receipt(&self, device: DeviceId, number: u64) -> StoreResult<Option<Receipt>>;
    /// The hash of the arguments a case was created with.
    async fn case_intake(&self, case: gridline_core::CaseId) -> StoreResult<Option<String>>;
    async fn log_head(&self) -> StoreResult<LogHead>;
    async fn pull(&self, q: &PullQuery<'_>) -> StoreResult<PullBatch>;
    async fn snapshot(&self, q: &SnapshotQuery<'_>) -> StoreResult<SnapshotBatch>;
    /// Remembers the highest acknowledgement the device has received.
    async fn note_acked(&self, device: DeviceId, acked: u64, now: i64) -> StoreResult<()>;
    /// Drops log rows written before `before` and stored answers the device
    /// has received and that are older than `before`; raises the floor.
    async fn compact(&self, before: i64) -> StoreResult<Compacted>;
    /// Starts a new epoch: every device must start again from a snapshot.
    async fn new_epoch(&self) -> StoreResult<String>;
    /// Ticks after every commit that logged a change (for long polls).
    fn changes(&self) -> tokio::sync::watch::Receiver<u64>;
}
