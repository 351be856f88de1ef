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
