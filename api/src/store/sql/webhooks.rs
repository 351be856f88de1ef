//! [`WebhookStore`]: subscribers and the outbox; and the enqueueing a case
//! write does when the case's status changes.

use super::{SqlStore, parse_id};
use crate::store::StoreResult;
use crate::store::cases::CaseRow;
use crate::store::webhooks::{
    Delivery, OutboxRow, QueueState, WebhookRow, WebhookStore, notification,
};
use async_trait::async_trait;
use gridline_core::case::Status;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const HOOK_COLUMNS: &str = "id, api_key_id, url, secret, created_at, disabled_at";
const OUTBOX_COLUMNS: &str = "id, webhook_id, case_id, body, created_at, attempts, next_at, delivered_at, last_status, last_error";

/// A subscriber from a row whose columns carry `p` before their names.
fn hook_from_row(r: &AnyRow, p: &str) -> StoreResult<WebhookRow> {
    let c = |name: &str| format!("{p}{name}");
    Ok(WebhookRow {
        id: r.try_get(c("id").as_str())?,
        api_key_id: r.try_get(c("api_key_id").as_str())?,
        url: r.try_get(c("url").as_str())?,
        secret: r.try_get(c("secret").as_str())?,
        created_at: r.try_get(c("created_at").as_str())?,
        disabled_at: r.try_get(c("disabled_at").as_str())?,
    })
}

/// A notification from a row whose columns carry `p` before their names.
fn outbox_from_row(r: &AnyRow, p: &str) -> StoreResult<OutboxRow> {
    let c = |name: &str| format!("{p}{name}");
    Ok(OutboxRow {
        id: r.try_get(c("id").as_str())?,
        webhook_id: r.try_get(c("webhook_id").as_str())?,
        case_id: parse_id(r.try_get::<&str, _>(c("case_id").as_str())?)?,
        body: r.try_get(c("body").as_str())?,
        created_at: r.try_get(c("created_at").as_str())?,
        attempts: r.try_get(c("attempts").as_str())?,
        next_at: r.try_get(c("next_at").as_str())?,
        delivered_at: r.try_get(c("delivered_at").as_str())?,
        last_status: r.try_get(c("last_status").as_str())?,
        last_error: r.try_get(c("last_error").as_str())?,
    })
}

/// The case's stored status, read in the write's transaction before it
/// changes.
pub(super) async fn status_before(
    tx: &mut AnyConnection,
    case: &str,
) -> StoreResult<Option<Status>> {
    let s: Option<String> = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1")
        .bind(case)
        .fetch_optional(&mut *tx)
        .await?;
    s.map(|s| super::cases::enum_parse(&s)).transpose()
}

/// Queues a notification for every live subscriber of the key that brought
/// the case in, when its status is new or changed.
pub(super) async fn enqueue(
    tx: &mut AnyConnection,
    case: &CaseRow,
    previous: Option<Status>,
) -> StoreResult<()> {
    if previous == Some(case.status) {
        return Ok(());
    }
    let id = case.id.to_string();
    let hooks: Vec<String> = sqlx::query_scalar(
        "SELECT w.id FROM webhooks w JOIN case_contacts c ON c.api_key_id = w.api_key_id \
         WHERE c.case_id = $1 AND w.disabled_at IS NULL ORDER BY w.id",
    )
    .bind(&id)
    .fetch_all(&mut *tx)
    .await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let external: Option<String> =
        sqlx::query_scalar("SELECT external_id FROM transfers WHERE case_id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
    let body = notification(case, previous, external.as_deref()).to_string();
    for hook in hooks {
        sqlx::query(
            "INSERT INTO webhook_outbox (webhook_id, case_id, body, created_at, next_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(&hook)
        .bind(&id)
        .bind(&body)
        .bind(case.updated_at)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl WebhookStore for SqlStore {
    async fn insert_webhook(&self, w: &WebhookRow) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO webhooks ({HOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&w.id)
        .bind(&w.api_key_id)
        .bind(&w.url)
        .bind(&w.secret)
        .bind(w.created_at)
        .bind(w.disabled_at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn webhooks(&self) -> StoreResult<Vec<WebhookRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {HOOK_COLUMNS} FROM webhooks ORDER BY created_at, id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(|r| hook_from_row(r, "")).collect()
    }

    async fn webhook(&self, id: &str) -> StoreResult<Option<WebhookRow>> {
        let row = sqlx::query(&format!(
            "SELECT {HOOK_COLUMNS} FROM webhooks WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(|r| hook_from_row(r, "")).transpose()
    }

    async fn due_deliveries(
        &self,
        now: i64,
        limit: u32,
    ) -> StoreResult<Vec<(OutboxRow, WebhookRow)>> {
        let sql = format!(
            "SELECT {}, {} FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id \
             WHERE o.delivered_at IS NULL AND o.next_at <= $1 AND w.disabled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.webhook_id = o.webhook_id \
               AND p.case_id = o.case_id AND p.delivered_at IS NULL AND p.id < o.id) \
             ORDER BY o.id LIMIT $2",
            prefixed("o", OUTBOX_COLUMNS, "o_"),
            prefixed("w", HOOK_COLUMNS, "w_"),
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| Ok((outbox_from_row(r, "o_")?, hook_from_row(r, "w_")?)))
            .collect()
    }

    async fn mark_delivered(&self, id: i64, at: i64, status: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET delivered_at = $1, attempts = attempts + 1, \
             last_status = $2, last_error = NULL WHERE id = $3",
        )
        .bind(at)
        .bind(status)
        .bind(id)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn mark_failed(
        &self,
        id: i64,
        next_at: i64,
        status: Option<i64>,
        error: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = $1, \
             last_status = $2, last_error = $3 WHERE id = $4",
        )
        .bind(next_at)
        .bind(status)
        .bind(error)
        .bind(id)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn deliveries(
        &self,
        webhook: &str,
        which: Delivery,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRow>> {
        let state = match which {
            Delivery::Pending => "delivered_at IS NULL",
            Delivery::Failing => "delivered_at IS NULL AND attempts > 0",
            Delivery::Delivered => "delivered_at IS NOT NULL",
        };
        let rows = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM webhook_outbox WHERE webhook_id = $1 AND {state} \
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(webhook)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(|r| outbox_from_row(r, "")).collect()
    }

    async fn queue_state(&self, webhook: &str) -> StoreResult<QueueState> {
        let r = sqlx::query(
            "SELECT \
               COUNT(CASE WHEN delivered_at IS NULL THEN 1 END) AS pending, \
               COUNT(CASE WHEN delivered_at IS NULL AND attempts > 0 THEN 1 END) AS failing, \
               COUNT(delivered_at) AS delivered, \
               MIN(CASE WHEN delivered_at IS NULL THEN created_at END) AS oldest \
             FROM webhook_outbox WHERE webhook_id = $1",
        )
        .bind(webhook)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        let last_error: Option<String> = sqlx::query_scalar(
            "SELECT last_error FROM webhook_outbox WHERE webhook_id = $1 AND delivered_at IS NULL \
             AND last_error IS NOT NULL ORDER BY id LIMIT 1",
        )
        .bind(webhook)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .flatten();
        Ok(QueueState {
            pending: r.try_get("pending")?,
            failing: r.try_get("failing")?,
            delivered: r.try_get("delivered")?,
            oldest_pending_at: r.try_get("oldest")?,
            last_error,
        })
    }
}

/// `a.x AS p_x, …` for every column.
fn prefixed(table: &str, columns: &str, prefix: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{table}.{c} AS {prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
