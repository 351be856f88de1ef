//! `GET /v1/sync/pull`: the changes in the caller's scope after a cursor, in
//! commit order, with the device's acknowledgement from the same snapshot;
//! and the `409` that asks a device to start again from a snapshot.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Entity {
    Case,
    Watch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeOp {
    /// The entity as it now is (`data`).
    Upsert,
    /// It left the caller's scope (reassigned elsewhere) or was removed.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Position in the change log; equal to commit order.
    pub seq: u64,
    pub entity: Entity,
    pub id: String,
    pub op: ChangeOp,
    /// The entity's revision: a device keeps the highest it has seen, so a
    /// change applied twice is harmless.
    pub rev: i64,
    /// The entity as its reader may see it; absent on `remove`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullPage {
    /// Always [`super::PROTOCOL`].
    pub protocol: String,
    /// Changes when the server's log is rebuilt or restored: a device whose
    /// cursor has another epoch starts again.
    pub epoch: String,
    pub changes: Vec<Change>,
    /// The device's last applied mutation as of this page: the effects of
    /// every mutation up to it are in this page or before it.
    pub ack: u64,
    /// Opaque; send it back for the next page.
    pub cursor: String,
    pub has_more: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ResetReason {
    /// The server's log was rebuilt or restored.
    Epoch,
    /// The cursor is older than the log keeps.
    Retention,
    /// The caller's scope changed (new roles, units moved).
    Scope,
}

/// The `409` body asking for a fresh start: drain the upload queue, read the
/// snapshot, pull from its cursor. Nothing pending on the phone is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetBody {
    /// `reset_required`.
    pub code: String,
    pub reset: ResetReason,
    pub message: String,
}

/// A case as a phone keeps it: the case as its reader may see it, with its
/// history. The `data` of a case change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRecord {
    pub case: crate::wire::case::CaseView,
    pub history: Vec<crate::wire::case::EventView>,
}

/// `GET /v1/sync/snapshot`: a page of the current rows in the caller's
/// scope, open cases first, for a device starting afresh. After the last
/// page the device pulls from `cursor`, which was fixed at the first page;
/// anything that changed meanwhile comes again there (a higher `rev` wins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotPage {
    pub protocol: String,
    pub epoch: String,
    /// Upserts only.
    pub changes: Vec<Change>,
    /// Pass as `page` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    /// Where to pull from once every page is in.
    pub cursor: String,
}
