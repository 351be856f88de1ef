//! [`IntakeStore`]: API keys, outside contacts and transferred tickets; and
//! what a case write records about where the case came from.

use super::cases::{enum_parse, enum_text};
use super::{SqlStore, parse_id, unique_violation};
use crate::store::StoreResult;
use crate::store::intake::{ApiKeyRow, Contact, IntakeStore, Outside, Ticket};
use async_trait::async_trait;
use gridline_core::CaseId;
use gridline_core::case::Channel;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const KEY_COLUMNS: &str =
    "id, name, source, key_sha256, user_id, county_id, created_by, created_at, revoked_at";
pub(super) const CONTACT_COLUMNS: &str =
    "first_name, last_name, email, phone, device_id, account_id, address, media_url";
const TICKET_COLUMNS: &str = "source, external_id, case_id, revision, body_sha256, received_at";

fn key_from_row(r: &AnyRow) -> StoreResult<ApiKeyRow> {
    Ok(ApiKeyRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        source: enum_parse(r.try_get::<&str, _>("source")?)?,
        key_sha256: r.try_get("key_sha256")?,
        user_id: parse_id(r.try_get::<&str, _>("user_id")?)?,
        county_id: parse_id(r.try_get::<&str, _>("county_id")?)?,
        created_by: parse_id(r.try_get::<&str, _>("created_by")?)?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

pub(super) fn contact_from_row(r: &AnyRow) -> StoreResult<Contact> {
    Ok(Contact {
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        device_id: r.try_get("device_id")?,
        account_id: r.try_get("account_id")?,
        address: r.try_get("address")?,
        media_url: r.try_get("media_url")?,
    })
}

fn ticket_from_row(r: &AnyRow) -> StoreResult<Ticket> {
    Ok(Ticket {
        source: enum_parse(r.try_get::<&str, _>("source")?)?,
        external_id: r.try_get("external_id")?,
        case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
        revision: r.try_get("revision")?,
        body_sha256: r.try_get("body_sha256")?,
        received_at: r.try_get("received_at")?,
    })
}

/// What became of writing a case's outside record.
pub(super) enum OutsideWritten {
    Written,
    /// The ticket was taken (created meanwhile) or moved on: roll back.
    Conflict,
}

/// Writes where a case came from, inside the case's transaction.
pub(super) async fn write_outside(
    tx: &mut AnyConnection,
    case: &str,
    creating: bool,
    o: &Outside,
) -> StoreResult<OutsideWritten> {
    if let Some(c) = &o.contact {
        sqlx::query(&format!(
            "INSERT INTO case_contacts (case_id, api_key_id, {CONTACT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (case_id) DO UPDATE SET \
             api_key_id = excluded.api_key_id, first_name = excluded.first_name, \
             last_name = excluded.last_name, email = excluded.email, phone = excluded.phone, \
             device_id = excluded.device_id, account_id = excluded.account_id, \
             address = excluded.address, media_url = excluded.media_url"
        ))
        .bind(case)
        .bind(o.api_key_id.as_deref())
        .bind(c.first_name.as_deref())
        .bind(c.last_name.as_deref())
        .bind(c.email.as_deref())
        .bind(c.phone.as_deref())
        .bind(c.device_id.as_deref())
        .bind(c.account_id.as_deref())
        .bind(c.address.as_deref())
        .bind(c.media_url.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    let Some(t) = &o.ticket else {
        return Ok(OutsideWritten::Written);
    };
    if creating {
        let inserted = sqlx::query(&format!(
            "INSERT INTO transfers ({TICKET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(enum_text(&t.source))
        .bind(&t.external_id)
        .bind(case)
        .bind(t.revision)
        .bind(&t.body_sha256)
        .bind(t.received_at)
        .execute(&mut *tx)
        .await;
        return match inserted {
            Ok(_) => Ok(OutsideWritten::Written),
            Err(e) if unique_violation(&e) => Ok(OutsideWritten::Conflict),
            Err(e) => Err(e.into()),
        };
    }
    let done = sqlx::query(
        "UPDATE transfers SET revision = $1, body_sha256 = $2, received_at = $3 \
         WHERE source = $4 AND external_id = $5 AND case_id = $6 AND revision = $7",
    )
    .bind(t.revision)
    .bind(&t.body_sha256)
    .bind(t.received_at)
    .bind(enum_text(&t.source))
    .bind(&t.external_id)
    .bind(case)
    .bind(t.revision - 1)
    .execute(&mut *tx)
    .await?;
    Ok(if done.rows_affected() == 1 {
        OutsideWritten::Written
    } else {
        OutsideWritten::Conflict
    })
}

#[async_trait]
impl IntakeStore for SqlStore {
    async fn insert_api_key(&self, k: &ApiKeyRow) -> StoreResult<()> {
        let done = sqlx::query(&format!(
            "INSERT INTO api_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(&k.id)
        .bind(&k.name)
        .bind(enum_text(&k.source))
        .bind(&k.key_sha256)
        .bind(k.user_id.to_string())
        .bind(k.county_id.to_string())
        .bind(k.created_by.to_string())
        .bind(k.created_at)
        .bind(k.revoked_at)
        .execute(&mut *self.conn().await?)
        .await;
        match done {
            Ok(_) => Ok(()),
            Err(e) if unique_violation(&e) => Err(crate::store::StoreError::Conflict {
                what: "API key name",
                value: k.name.clone(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    async fn api_key_by_hash(&self, key_sha256: &str) -> StoreResult<Option<ApiKeyRow>> {
        let row = sqlx::query(&format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_sha256 = $1"
        ))
        .bind(key_sha256)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(key_from_row).transpose()
    }

    async fn api_keys(&self) -> StoreResult<Vec<ApiKeyRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(key_from_row).collect()
    }

    async fn revoke_api_key(&self, id: &str, at: i64) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(id)
                .execute(&mut *self.conn().await?)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn contact(&self, case: CaseId) -> StoreResult<Option<Contact>> {
        let row = sqlx::query(&format!(
            "SELECT {CONTACT_COLUMNS} FROM case_contacts WHERE case_id = $1"
        ))
        .bind(case.to_string())
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(contact_from_row).transpose()
    }

    async fn media_urls(&self, cases: &[CaseId]) -> StoreResult<Vec<(CaseId, String)>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=cases.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT case_id, media_url FROM case_contacts \
             WHERE media_url IS NOT NULL AND case_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for c in cases {
            q = q.bind(c.to_string());
        }
        let rows = q.fetch_all(&mut *self.conn().await?).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    parse_id(r.try_get::<&str, _>("case_id")?)?,
                    r.try_get("media_url")?,
                ))
            })
            .collect()
    }

    async fn ticket(&self, source: Channel, external_id: &str) -> StoreResult<Option<Ticket>> {
        let row = sqlx::query(&format!(
            "SELECT {TICKET_COLUMNS} FROM transfers WHERE source = $1 AND external_id = $2"
        ))
        .bind(enum_text(&source))
        .bind(external_id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }
}
