//! `POST /v1/sync/push`: a batch of numbered mutations and what became of
//! each.

use super::mutation::Mutation;
use crate::DeviceId;
use serde::{Deserialize, Serialize};

/// Read leniently, like each mutation's envelope: fields a newer app adds
/// are ignored, so its queue is never refused whole by an older server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub device_id: DeviceId,
    /// In order of their numbers.
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MutationStatus {
    /// Applied now.
    Applied,
    /// Applied before (a retry); the result is the stored one.
    Duplicate,
    /// Can never apply; recorded, so the queue goes on past it.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub number: u64,
    pub status: MutationStatus,
    /// Why it was rejected: a stable code (`unknown_mutation`, `invalid_args`,
    /// `wrong_state`, `conflict`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What the mutation made, when it made something (a case's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Why a batch stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Stop {
    /// A mutation's number skipped ahead; send from `expected` on.
    Gap { expected: u64 },
    /// The server could not go on for now (with `503` and `Retry-After`):
    /// everything before stopped where its result says; send the rest again.
    Unavailable { retry_after_s: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// Always [`super::PROTOCOL`].
    pub protocol: String,
    pub results: Vec<MutationResult>,
    /// The device's last applied number after this batch.
    pub last_applied: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
}
