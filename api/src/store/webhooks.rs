//! What the store keeps for webhooks out: the subscribers, and the outbox
//! of notifications, filled in the transaction of each status change (see
//! [`super::cases::CaseWrite`]) and emptied by the deliverer, in order per
//! (subscriber, case).

use super::StoreResult;
use super::cases::CaseRow;
use async_trait::async_trait;
use gridline_core::CaseId;
use gridline_core::case::Status;
use gridline_core::time::Instant;
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRow {
    pub id: String,
    /// The key whose cases it hears about.
    pub api_key_id: String,
    pub url: String,
    pub secret: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

/// One notification to one subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub webhook_id: String,
    pub case_id: CaseId,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_at: i64,
    pub delivered_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
}

/// Which notifications to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Not delivered yet, tried or not.
    Pending,
    /// Not delivered, and tried at least once.
    Failing,
    Delivered,
}

/// A subscriber's queue at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueState {
    pub pending: i64,
    pub failing: i64,
    pub delivered: i64,
    pub oldest_pending_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The notification of a case's status change, as subscribers receive it.
#[must_use]
pub fn notification(case: &CaseRow, previous: Option<Status>, external_id: Option<&str>) -> Value {
    json!({
        "event": "case.status_changed",
        "case_id": case.id.to_string(),
        "version": case.version,
        "external_id": external_id,
        "channel": case.channel.as_str(),
        "status": if case.status.is_pending() { "open" } else { "closed" },
        "gridline_status": case.status.as_str(),
        "previous_status": previous.map(Status::as_str),
        "tier": case.tier_name,
        "outcome": case.outcome,
        "summary": case.summary,
        "at": Instant(case.updated_at).to_string(),
    })
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn insert_webhook(&self, w: &WebhookRow) -> StoreResult<()>;
    async fn webhooks(&self) -> StoreResult<Vec<WebhookRow>>;
    async fn webhook(&self, id: &str) -> StoreResult<Option<WebhookRow>>;
    /// Due notifications, each the oldest undelivered of its (subscriber,
    /// case), with its subscriber; oldest first.
    async fn due_deliveries(
        &self,
        now: i64,
        limit: u32,
    ) -> StoreResult<Vec<(OutboxRow, WebhookRow)>>;
    async fn mark_delivered(&self, id: i64, at: i64, status: i64) -> StoreResult<()>;
    async fn mark_failed(
        &self,
        id: i64,
        next_at: i64,
        status: Option<i64>,
        error: &str,
    ) -> StoreResult<()>;
    /// A subscriber's notifications in one state, newest first.
    async fn deliveries(
        &self,
        webhook: &str,
        which: Delivery,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRow>>;
    async fn queue_state(&self, webhook: &str) -> StoreResult<QueueState>;
}
