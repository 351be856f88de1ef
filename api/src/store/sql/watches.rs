//! [`WatchStore`]: the register of watched households and places.

use super::cases::{append_events, enum_parse, enum_text, event_from_row, opt_id, push_in};
use super::query::{Sql, insert_sql, versioned_update_sql};
use super::sync as sync_tail;
use super::{SqlStore, parse_id, unique_violation};
use crate::store::StoreResult;
use crate::store::cases::{EventRow, NewEvent, WriteOutcome};
use crate::store::scopes;
use crate::store::sync::{Receipt, WatchBundle};
use crate::store::watches::{WatchFilter, WatchRow, WatchStore};
use async_trait::async_trait;
use gridline_core::sync::pull::Entity;
use gridline_core::{OrgUnitId, WatchId};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row};

const COLUMNS: &str = "id, version, kind, label, address, lat, lon, grid_id, village_id, township_id, county_id, \
    level, reason, responsible_id, created_by, created_at, updated_at, next_due, last_visit_at, missed_at";

pub(super) fn watch_from_row(r: &AnyRow) -> StoreResult<WatchRow> {
    Ok(WatchRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        version: r.try_get("version")?,
        kind: enum_parse(r.try_get::<&str, _>("kind")?)?,
        label: r.try_get("label")?,
        address: r.try_get("address")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        grid_id: parse_id(r.try_get::<&str, _>("grid_id")?)?,
        village_id: opt_id(r, "village_id")?,
        township_id: opt_id(r, "township_id")?,
        county_id: opt_id(r, "county_id")?,
        level: enum_parse(r.try_get::<&str, _>("level")?)?,
        reason: r.try_get("reason")?,
        responsible_id: opt_id(r, "responsible_id")?,
        created_by: parse_id(r.try_get::<&str, _>("created_by")?)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        next_due: r.try_get("next_due")?,
        last_visit_at: r.try_get("last_visit_at")?,
        missed_at: r.try_get("missed_at")?,
    })
}

fn bind<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    w: &'q WatchRow,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let id = |v: Option<OrgUnitId>| v.map(|v| v.to_string());
    q.bind(w.id.to_string())
        .bind(w.version)
        .bind(enum_text(&w.kind))
        .bind(&w.label)
        .bind(&w.address)
        .bind(w.lat)
        .bind(w.lon)
        .bind(w.grid_id.to_string())
        .bind(id(w.village_id))
        .bind(id(w.township_id))
        .bind(id(w.county_id))
        .bind(enum_text(&w.level))
        .bind(&w.reason)
        .bind(w.responsible_id.map(|v| v.to_string()))
        .bind(w.created_by.to_string())
        .bind(w.created_at)
        .bind(w.updated_at)
        .bind(w.next_due)
        .bind(w.last_visit_at)
        .bind(w.missed_at)
}

/// Every watch column, for a snapshot query that selects whole rows.
pub(super) fn watch_columns() -> &'static str {
    COLUMNS
}

/// A register entry with its history, read on `conn` (inside the caller's
/// snapshot).
pub(super) async fn watch_bundle(
    conn: &mut AnyConnection,
    id: &str,
) -> StoreResult<Option<WatchBundle>> {
    let sql = format!("SELECT {COLUMNS} FROM watches WHERE id = $1");
    let Some(row) = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let watch = watch_from_row(&row)?;
    let rows = sqlx::query(
        "SELECT seq, at, actor_id, action, detail FROM watch_events WHERE watch_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let events = rows
        .iter()
        .map(event_from_row)
        .collect::<StoreResult<_>>()?;
    Ok(Some(WatchBundle { watch, events }))
}

#[async_trait]
impl WatchStore for SqlStore {
    async fn write_watch(
        &self,
        w: &WatchRow,
        expected_version: Option<i64>,
        events: &[NewEvent],
        receipt: Option<&Receipt>,
    ) -> StoreResult<WriteOutcome> {
        let mut tx = self.begin_exclusive().await?;
        if let Some(r) = receipt
            && !sync_tail::claim(&mut tx, r).await?
        {
            return Ok(WriteOutcome::Stale);
        }
        match expected_version {
            None => {
                let sql = insert_sql("watches", COLUMNS);
                match bind(sqlx::query(&sql), w).execute(&mut *tx).await {
                    Ok(_) => {}
                    Err(e) if unique_violation(&e) => return Ok(WriteOutcome::Conflict),
                    Err(e) => return Err(e.into()),
                }
            }
            Some(expected) => {
                let sql = versioned_update_sql("watches", COLUMNS);
                let done = bind(sqlx::query(&sql), w)
                    .bind(w.id.to_string())
                    .bind(expected)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(WriteOutcome::Conflict);
                }
            }
        }
        let created = expected_version.is_none();
        append_events(
            &mut tx,
            "watch_events",
            "watch_id",
            &w.id.to_string(),
            created,
            events,
        )
        .await?;
        let id = w.id.to_string();
        let logged = sync_tail::Logged {
            entity: Entity::Watch,
            created,
            id: &id,
            rev: w.version,
            scopes: scopes::of_watch(w),
            at: w.updated_at,
        };
        sync_tail::finish(&mut tx, &logged, receipt).await?;
        tx.commit().await?;
        self.changed();
        Ok(WriteOutcome::Written)
    }

    async fn watch(&self, id: WatchId) -> StoreResult<Option<WatchRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM watches WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(watch_from_row).transpose()
    }

    async fn watch_events(&self, id: WatchId) -> StoreResult<Vec<EventRow>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor_id, action, detail FROM watch_events WHERE watch_id = $1 ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn list_watches(&self, f: &WatchFilter) -> StoreResult<Vec<WatchRow>> {
        let mut qb = Sql::new(format!("SELECT {COLUMNS} FROM watches WHERE 1 = 1"));
        let s = &f.scope;
        if !s.everything {
            qb.push(" AND (");
            let mut first = true;
            push_in(&mut qb, "grid_id", &s.grids, &mut first);
            push_in(&mut qb, "village_id", &s.villages, &mut first);
            push_in(&mut qb, "township_id", &s.townships, &mut first);
            push_in(&mut qb, "county_id", &s.counties, &mut first);
            if let Some(u) = s.responsible {
                qb.push(if first { "" } else { " OR " });
                first = false;
                qb.push("responsible_id = ").push_bind(u.to_string());
            }
            if first {
                qb.push("1 = 0");
            }
            qb.push(")");
        }
        if let Some(g) = f.grid {
            qb.push(" AND grid_id = ").push_bind(g.to_string());
        }
        if let Some(l) = f.level {
            qb.push(" AND level = ").push_bind(enum_text(&l));
        }
        match f.due_by {
            Some(by) => {
                qb.push(" AND next_due <= ").push_bind(by);
                if let Some((due, id)) = f.after {
                    qb.push(" AND (next_due, id) > (")
                        .push_bind(due.unwrap_or(i64::MIN))
                        .push(", ")
                        .push_bind(id.to_string())
                        .push(")");
                }
                qb.push(" ORDER BY next_due, id");
            }
            None => {
                if let Some((_, id)) = f.after {
                    qb.push(" AND id < ").push_bind(id.to_string());
                }
                qb.push(" ORDER BY id DESC");
            }
        }
        qb.push(" LIMIT ").push_bind(i64::from(f.limit));
        let rows = qb.build().fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(watch_from_row).collect()
    }

    async fn missed_visits(&self, now: i64, limit: u32) -> StoreResult<Vec<WatchRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM watches WHERE missed_at IS NULL AND next_due < $1 ORDER BY next_due, id LIMIT $2"
        ))
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(watch_from_row).collect()
    }
}
