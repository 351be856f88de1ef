//! [`PrivacyStore`]: the audit log, the log of personal-data reads, and
//! finding (and closing) what is held about one person.

use super::cases::party_from_row;
use super::intake::{CONTACT_COLUMNS, contact_from_row};
use super::query::Sql;
use super::{SqlStore, parse_id};
use crate::store::privacy::{
    AccountHit, AuditEntry, AuditRow, LogFilter, PartyHit, PersonFound, PersonKey, PrivacyStore,
    ReadRow,
};
use crate::store::{Store, StoreError, StoreResult};
use async_trait::async_trait;
use gridline_core::{CaseId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

fn parse_opt<T: std::str::FromStr>(s: Option<&str>) -> StoreResult<Option<T>> {
    s.map(parse_id).transpose()
}

fn action_from_row(r: &AnyRow) -> StoreResult<AuditRow> {
    let status: i64 = r.try_get("status")?;
    Ok(AuditRow {
        id: r.try_get("id")?,
        entry: AuditEntry {
            at: r.try_get("at")?,
            user_id: parse_opt(r.try_get("user_id")?)?,
            device_id: parse_opt(r.try_get("device_id")?)?,
            method: r.try_get("method")?,
            route: r.try_get("route")?,
            path: r.try_get("path")?,
            status: u16::try_from(status)
                .map_err(|_| StoreError::Corrupt(format!("audit status {status}")))?,
            detail: r.try_get("detail")?,
        },
    })
}

fn read_from_row(r: &AnyRow) -> StoreResult<ReadRow> {
    Ok(ReadRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        user_id: parse_id(r.try_get::<&str, _>("user_id")?)?,
        device_id: parse_opt(r.try_get("device_id")?)?,
        case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
        via: r.try_get("via")?,
    })
}

/// Adds the filter's user (and case, for reads), position and limit.
fn push_filter(qb: &mut Sql, f: &LogFilter, with_case: bool) {
    qb.push(" WHERE id > ").push_bind(f.after);
    if let Some(u) = f.user {
        qb.push(" AND user_id = ").push_bind(u.to_string());
    }
    if with_case && let Some(c) = f.case {
        qb.push(" AND case_id = ").push_bind(c.to_string());
    }
    qb.push(" ORDER BY id LIMIT ")
        .push_bind(i64::from(f.limit.max(1)));
}

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn record_action(&self, e: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, device_id, method, route, path, status, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.at)
        .bind(e.user_id.map(|u| u.to_string()))
        .bind(e.device_id.map(|d| d.to_string()))
        .bind(&e.method)
        .bind(&e.route)
        .bind(&e.path)
        .bind(i64::from(e.status))
        .bind(e.detail.as_deref())
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn actions(&self, f: &LogFilter) -> StoreResult<Vec<AuditRow>> {
        let mut qb = Sql::new(
            "SELECT id, at, user_id, device_id, method, route, path, status, detail FROM audit_log"
                .to_owned(),
        );
        push_filter(&mut qb, f, false);
        let rows = qb.build().fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(action_from_row).collect()
    }

    async fn reads(&self, f: &LogFilter) -> StoreResult<Vec<ReadRow>> {
        let mut qb = Sql::new(
            "SELECT id, at, user_id, device_id, case_id, via FROM personal_data_reads".to_owned(),
        );
        push_filter(&mut qb, f, true);
        let rows = qb.build().fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(read_from_row).collect()
    }

    async fn find_person(&self, key: &PersonKey) -> StoreResult<PersonFound> {
        let mut conn = self.conn().await?;
        let mut found = PersonFound::default();
        if key.id_number.is_some() || key.phone.is_some() {
            let rows = sqlx::query(
                "SELECT case_id, position, name, side, phone, id_number FROM case_parties \
                 WHERE id_number = $1 OR phone = $2 ORDER BY case_id, position",
            )
            .bind(key.id_number.as_deref())
            .bind(key.phone.as_deref())
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                found.parties.push(PartyHit {
                    case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
                    position: r.try_get("position")?,
                    party: party_from_row(r)?,
                });
            }
        }
        if key.phone.is_some() || key.email.is_some() {
            // Contacts are kept as the sender wrote them.
            let rows = sqlx::query(&format!(
                "SELECT case_id, {CONTACT_COLUMNS} FROM case_contacts \
                 WHERE REPLACE(REPLACE(phone, ' ', ''), '-', '') = $1 OR LOWER(email) = $2 \
                 ORDER BY case_id"
            ))
            .bind(key.phone.as_deref())
            .bind(key.email.as_deref())
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                let case: CaseId = parse_id(r.try_get::<&str, _>("case_id")?)?;
                found.contacts.push((case, contact_from_row(r)?));
            }
        }
        drop(conn);
        if let Some(name) = &key.username
            && let Some(user) = self.user_by_username(name).await?
        {
            found.account = Some(self.account_hit(user).await?);
        }
        Ok(found)
    }

    async fn erase_account(&self, user: UserId, alias: &str, now: i64) -> StoreResult<()> {
        let id = user.to_string();
        let mut tx = self.begin_exclusive().await?;
        sqlx::query(
            "UPDATE users SET username = $1, display_name = $1, password_hash = '!erased', disabled = 1 \
             WHERE id = $2",
        )
        .bind(alias)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE devices SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl SqlStore {
    async fn account_hit(&self, user: crate::store::UserRecord) -> StoreResult<AccountHit> {
        let roles = self.roles_of(user.id).await?;
        let mut conn = self.conn().await?;
        let id = user.id.to_string();
        let created_at: i64 = sqlx::query_scalar("SELECT created_at FROM users WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
        let rows = sqlx::query(
            "SELECT id, platform, registered_at, last_seen FROM devices WHERE user_id = $1 ORDER BY registered_at",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        let mut devices = Vec::with_capacity(rows.len());
        for r in &rows {
            devices.push((
                parse_id(r.try_get::<&str, _>("id")?)?,
                r.try_get("platform")?,
                r.try_get("registered_at")?,
                r.try_get("last_seen")?,
            ));
        }
        let reported: Vec<String> =
            sqlx::query_scalar("SELECT id FROM cases WHERE reporter_id = $1 ORDER BY id")
                .bind(&id)
                .fetch_all(&mut *conn)
                .await?;
        Ok(AccountHit {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            created_at,
            disabled: user.disabled,
            roles,
            devices,
            reported: reported
                .iter()
                .map(|c| parse_id(c))
                .collect::<StoreResult<_>>()?,
        })
    }
}
