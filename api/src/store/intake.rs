//! What the store keeps about intake from outside systems: API keys, the
//! contact a request from outside gave, and tickets transferred in from
//! other platforms. A case's contact and ticket are written with the case,
//! in its transaction (see [`super::cases::CaseWrite::outside`]).

use super::StoreResult;
use async_trait::async_trait;
use gridline_core::case::Channel;
use gridline_core::{CaseId, OrgUnitId, UserId};

/// An API key as stored (its hash, never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub source: Channel,
    pub key_sha256: String,
    /// The account its cases are reported by.
    pub user_id: UserId,
    pub county_id: OrgUnitId,
    pub created_by: UserId,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// What a sender from outside said about themselves; every part optional.
/// Sent as is to staff who may read it (`GET /v1/cases/{id}/contact`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Contact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The address as they wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
}

/// A transferred ticket's identity and revision, written with its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub source: Channel,
    pub external_id: String,
    pub case_id: CaseId,
    pub revision: i64,
    pub body_sha256: String,
    pub received_at: i64,
}

/// What a case write records about where the case came from.
#[derive(Debug, Clone, Default)]
pub struct Outside {
    pub api_key_id: Option<String>,
    /// Written (or replaced) when given.
    pub contact: Option<Contact>,
    /// Inserted with a new case; on an update, replaces the stored ticket
    /// only if that is still at `revision - 1`.
    pub ticket: Option<Ticket>,
}

#[async_trait]
pub trait IntakeStore: Send + Sync {
    async fn insert_api_key(&self, key: &ApiKeyRow) -> StoreResult<()>;
    async fn api_key_by_hash(&self, key_sha256: &str) -> StoreResult<Option<ApiKeyRow>>;
    async fn api_keys(&self) -> StoreResult<Vec<ApiKeyRow>>;
    /// Revokes a key; false if there is no such key or it was revoked.
    async fn revoke_api_key(&self, id: &str, at: i64) -> StoreResult<bool>;
    async fn contact(&self, case: CaseId) -> StoreResult<Option<Contact>>;
    /// The outside contacts' media URLs of these cases.
    async fn media_urls(&self, cases: &[CaseId]) -> StoreResult<Vec<(CaseId, String)>>;
    async fn ticket(&self, source: Channel, external_id: &str) -> StoreResult<Option<Ticket>>;
}
