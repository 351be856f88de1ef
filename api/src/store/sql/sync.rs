//! [`SyncStore`], and the tail every logged write ends with.
//!
//! The log's order must be commit order: a reader that has seen position N
//! must never later find a new row below N. Each logged write takes the next
//! number from the one `sync_meta` row as its last step before committing.
//! SQLite runs one write transaction at a time, so that alone orders them;
//! on PostgreSQL the row's lock, held until commit, queues concurrent
//! writers on every replica, so each commits before the next one takes its
//! number. A reader's snapshot (WAL; REPEATABLE READ on PostgreSQL) then
//! sees a prefix of the log.

use super::cases::{case_bundles, case_columns, case_from_row, enum_parse, enum_text};
use super::query::Sql;
use super::watches::{watch_bundle, watch_columns, watch_from_row};
use super::{SqlStore, feed, is_postgres, parse_id};
use crate::store::sync::{
    CaseBundle, Compacted, DeviceRow, LogHead, LoggedChange, PullBatch, PullQuery, Receipt,
    SnapshotBatch, SnapshotPart, SnapshotQuery, SyncStore, WatchBundle,
};
use crate::store::{StoreError, StoreResult};
use async_trait::async_trait;
use gridline_core::sync::pull::{ChangeOp, Entity};
use gridline_core::{CaseId, DeviceId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;

/// An entity a transaction changed, to be logged under `scopes`.
pub(super) struct Logged<'a> {
    pub entity: Entity,
    /// Written for the first time now: nothing was logged of it before.
    pub created: bool,
    pub id: &'a str,
    pub rev: i64,
    pub scopes: BTreeSet<String>,
    pub at: i64,
}

/// Moves the device's last applied number to the receipt's, if it is the
/// next one and the device is not revoked. The first statement of a
/// mutation's transaction.
pub(super) async fn claim(conn: &mut AnyConnection, r: &Receipt) -> StoreResult<bool> {
    let number = to_i64(r.number)?;
    let done = sqlx::query(
        "UPDATE devices SET last_applied = $1, last_seen = $2 \
         WHERE id = $3 AND last_applied = $4 AND revoked_at IS NULL",
    )
    .bind(number)
    .bind(r.at)
    .bind(r.device_id.to_string())
    .bind(number - 1)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `($1, …, $cols), ($cols+1, …), …` for `rows` rows of a multi-row insert.
pub(super) fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn to_i64(n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(|_| StoreError::Corrupt(format!("number {n} out of range")))
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Takes the next log position. Only the sequencer row's lock orders
/// writers, so this must be in the writing transaction, as late as it can
/// be. On PostgreSQL it also queues the notice that wakes every replica's
/// long polls when the transaction commits.
async fn next_seq(conn: &mut AnyConnection) -> StoreResult<i64> {
    let seq = sqlx::query_scalar("UPDATE sync_meta SET seq = seq + 1 WHERE id = 1 RETURNING seq")
        .fetch_one(&mut *conn)
        .await?;
    if is_postgres(conn) {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(feed::CHANNEL)
            .execute(&mut *conn)
            .await?;
    }
    Ok(seq)
}

/// Ends a logged write: takes a position, logs the entity under every scope
/// that sees it now (and a removal under each it left), and stores the
/// mutation's answer with the same position.
pub(super) async fn finish(
    conn: &mut AnyConnection,
    logged: &Logged<'_>,
    receipt: Option<&Receipt>,
) -> StoreResult<i64> {
    let entity = enum_text(&logged.entity);
    let before: Vec<String> = if logged.created {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT scope FROM sync_scopes WHERE entity = $1 AND entity_id = $2")
            .bind(&entity)
            .bind(logged.id)
            .fetch_all(&mut *conn)
            .await?
    };
    let seq = next_seq(conn).await?;
    let (device, number) = match receipt {
        Some(r) => (Some(r.device_id.to_string()), Some(to_i64(r.number)?)),
        None => (None, None),
    };
    let left = before.iter().filter(|s| !logged.scopes.contains(*s));
    let ops: Vec<(&str, &str)> = left
        .map(|s| (s.as_str(), "remove"))
        .chain(logged.scopes.iter().map(|s| (s.as_str(), "upsert")))
        .collect();
    // One statement for all the rows: a round trip per row was most of a
    // logged write's statements.
    if !ops.is_empty() {
        let sql = format!(
            "INSERT INTO sync_log (seq, scope, entity, entity_id, op, rev, at, device_id, mutation_number) VALUES {}",
            placeholders(ops.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for (scope, op) in &ops {
            q = q
                .bind(seq)
                .bind(*scope)
                .bind(&entity)
                .bind(logged.id)
                .bind(*op)
                .bind(logged.rev)
                .bind(logged.at)
                .bind(&device)
                .bind(number);
        }
        q.execute(&mut *conn).await?;
    }
    if before.iter().collect::<BTreeSet<_>>() != logged.scopes.iter().collect() {
        if !before.is_empty() {
            sqlx::query("DELETE FROM sync_scopes WHERE entity = $1 AND entity_id = $2")
                .bind(&entity)
                .bind(logged.id)
                .execute(&mut *conn)
                .await?;
        }
        if !logged.scopes.is_empty() {
            let sql = format!(
                "INSERT INTO sync_scopes (entity, entity_id, scope) VALUES {}",
                placeholders(logged.scopes.len(), 3)
            );
            let mut q = sqlx::query(&sql);
            for scope in &logged.scopes {
                q = q.bind(&entity).bind(logged.id).bind(scope);
            }
            q.execute(&mut *conn).await?;
        }
    }
    if let Some(r) = receipt {
        store_receipt(conn, r, seq).await?;
    }
    Ok(seq)
}

async fn store_receipt(conn: &mut AnyConnection, r: &Receipt, seq: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO mutation_results (device_id, number, name, status, code, message, entity_id, device_time, seq, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.device_id.to_string())
    .bind(to_i64(r.number)?)
    .bind(&r.name)
    .bind(enum_text(&r.status))
    .bind(&r.code)
    .bind(&r.message)
    .bind(&r.entity_id)
    .bind(&r.device_time)
    .bind(seq)
    .bind(r.at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE devices SET applied_seq = $1 WHERE id = $2")
        .bind(seq)
        .bind(r.device_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn device_from_row(r: &AnyRow) -> StoreResult<DeviceRow> {
    Ok(DeviceRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        user_id: parse_id(r.try_get::<&str, _>("user_id")?)?,
        platform: enum_parse(r.try_get::<&str, _>("platform")?)?,
        app_version: r.try_get("app_version")?,
        last_applied: to_u64(r.try_get("last_applied")?),
        acked: to_u64(r.try_get("acked")?),
        registered_at: r.try_get("registered_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

fn receipt_from_row(r: &AnyRow) -> StoreResult<Receipt> {
    Ok(Receipt {
        device_id: parse_id(r.try_get::<&str, _>("device_id")?)?,
        number: to_u64(r.try_get("number")?),
        name: r.try_get("name")?,
        status: enum_parse(r.try_get::<&str, _>("status")?)?,
        code: r.try_get("code")?,
        message: r.try_get("message")?,
        entity_id: r.try_get("entity_id")?,
        device_time: r.try_get("device_time")?,
        at: r.try_get("at")?,
    })
}

async fn head(conn: &mut AnyConnection) -> StoreResult<LogHead> {
    let r = sqlx::query("SELECT epoch, seq, floor_seq FROM sync_meta WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(LogHead {
        epoch: r.try_get("epoch")?,
        seq: r.try_get("seq")?,
        floor_seq: r.try_get("floor_seq")?,
    })
}

fn push_scopes(qb: &mut Sql<'_>, scopes: &[String]) {
    qb.push("scope IN (");
    qb.push_list(scopes.iter().cloned());
    qb.push(")");
}

/// The log rows in `scopes` after `after`, merged per (seq, entity, id):
/// at most `limit` + 1 of them, or every row of `only` when given.
async fn log_rows(
    conn: &mut AnyConnection,
    scopes: &[String],
    after: i64,
    limit: u32,
    only: Option<i64>,
) -> StoreResult<Vec<LoggedChange>> {
    let mut qb = Sql::new(
        "SELECT seq, entity, entity_id, MAX(CASE WHEN op = 'upsert' THEN 1 ELSE 0 END) AS up, \
         MAX(rev) AS rev FROM sync_log WHERE ",
    );
    push_scopes(&mut qb, scopes);
    match only {
        Some(seq) => {
            qb.push(" AND seq = ").push_bind(seq);
        }
        None => {
            qb.push(" AND seq > ").push_bind(after);
        }
    }
    qb.push(" GROUP BY seq, entity, entity_id ORDER BY seq, entity, entity_id");
    if only.is_none() {
        qb.push(" LIMIT ").push_bind(i64::from(limit) + 1);
    }
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(LoggedChange {
                seq: r.try_get("seq")?,
                entity: enum_parse(r.try_get::<&str, _>("entity")?)?,
                entity_id: r.try_get("entity_id")?,
                op: if r.try_get::<i64, _>("up")? == 1 {
                    ChangeOp::Upsert
                } else {
                    ChangeOp::Remove
                },
                rev: r.try_get("rev")?,
            })
        })
        .collect()
}

/// The current rows of the upserted entities, read in the caller's snapshot.
async fn bundles(
    conn: &mut AnyConnection,
    changes: &[LoggedChange],
) -> StoreResult<(Vec<CaseBundle>, Vec<WatchBundle>)> {
    let mut case_ids = Vec::new();
    let mut watches = Vec::new();
    let mut seen = BTreeSet::new();
    for c in changes.iter().filter(|c| c.op == ChangeOp::Upsert) {
        if !seen.insert((c.entity, c.entity_id.as_str())) {
            continue;
        }
        match c.entity {
            Entity::Case => case_ids.push(c.entity_id.as_str()),
            Entity::Watch => watches.extend(watch_bundle(conn, &c.entity_id).await?),
        }
    }
    Ok((case_bundles(conn, &case_ids).await?, watches))
}

#[async_trait]
impl SyncStore for SqlStore {
    async fn register_device(&self, d: &DeviceRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO devices (id, user_id, platform, app_version, registered_at, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(d.id.to_string())
        .bind(d.user_id.to_string())
        .bind(enum_text(&d.platform))
        .bind(&d.app_version)
        .bind(d.registered_at)
        .bind(d.registered_at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn device(&self, id: DeviceId) -> StoreResult<Option<DeviceRow>> {
        let row = sqlx::query("SELECT * FROM devices WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(device_from_row).transpose()
    }

    async fn revoke_device(&self, id: DeviceId, now: i64) -> StoreResult<bool> {
        let mut tx = self.begin_exclusive().await?;
        let done =
            sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn bind_session_device(&self, session_id: &str, device: DeviceId) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET device_id = $1 WHERE id = $2")
            .bind(device.to_string())
            .bind(session_id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn session_device_revoked(&self, session_id: &str) -> StoreResult<bool> {
        let revoked: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT d.revoked_at FROM sessions s JOIN devices d ON d.id = s.device_id WHERE s.id = $1",
        )
        .bind(session_id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        Ok(matches!(revoked, Some(Some(_))))
    }

    async fn record_receipt(&self, r: &Receipt) -> StoreResult<bool> {
        let mut tx = self.begin_exclusive().await?;
        if !claim(&mut tx, r).await? {
            return Ok(false);
        }
        let seq = next_seq(&mut tx).await?;
        store_receipt(&mut tx, r, seq).await?;
        tx.commit().await?;
        // A long poll waiting for this device's acknowledgement wakes.
        self.changed();
        Ok(true)
    }

    async fn receipt(&self, device: DeviceId, number: u64) -> StoreResult<Option<Receipt>> {
        let row =
            sqlx::query("SELECT * FROM mutation_results WHERE device_id = $1 AND number = $2")
                .bind(device.to_string())
                .bind(to_i64(number)?)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        row.as_ref().map(receipt_from_row).transpose()
    }

    async fn case_intake(&self, case: CaseId) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT args_sha256 FROM case_intake WHERE case_id = $1")
                .bind(case.to_string())
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn log_head(&self) -> StoreResult<LogHead> {
        head(&mut *self.conn().await?).await
    }

    async fn pull(&self, q: &PullQuery<'_>) -> StoreResult<PullBatch> {
        // One read transaction: the device's acknowledgement, the log page
        // and the rows it names all come from the same snapshot.
        let mut tx = self.begin_snapshot().await?;
        let device = sqlx::query("SELECT last_applied, applied_seq FROM devices WHERE id = $1")
            .bind(q.device.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("device {}", q.device)))?;
        let head = head(&mut tx).await?;
        let mut changes = log_rows(&mut tx, q.scopes, q.after, q.limit, None).await?;
        let has_more = changes.len() > q.limit as usize;
        if has_more {
            // Never split a transaction: drop the last position's rows, or,
            // when one transaction alone fills the page, take all of it.
            let last = changes[changes.len() - 1].seq;
            changes.retain(|c| c.seq != last);
            if changes.is_empty() {
                changes = log_rows(&mut tx, q.scopes, q.after, q.limit, Some(last)).await?;
            }
        }
        let end_seq = match (has_more, changes.last()) {
            (true, Some(c)) => c.seq,
            _ => head.seq,
        };
        let applied_seq: i64 = device.try_get("applied_seq")?;
        let ack = if applied_seq <= end_seq {
            to_u64(device.try_get("last_applied")?)
        } else {
            let n: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(number) FROM mutation_results WHERE device_id = $1 AND seq <= $2",
            )
            .bind(q.device.to_string())
            .bind(end_seq)
            .fetch_one(&mut *tx)
            .await?;
            n.map_or(0, to_u64)
        };
        let (cases, watches) = bundles(&mut tx, &changes).await?;
        tx.commit().await?;
        Ok(PullBatch {
            head,
            changes,
            end_seq,
            has_more,
            ack,
            cases,
            watches,
        })
    }

    async fn snapshot(&self, q: &SnapshotQuery<'_>) -> StoreResult<SnapshotBatch> {
        let mut tx = self.begin_snapshot().await?;
        let head = head(&mut tx).await?;
        let (entity, table, columns) = match q.part {
            SnapshotPart::OpenCases | SnapshotPart::ClosedCases => {
                (Entity::Case, "cases", case_columns())
            }
            SnapshotPart::Watches => (Entity::Watch, "watches", watch_columns()),
        };
        let mut qb = Sql::new(format!(
            "SELECT {columns} FROM {table} WHERE id IN (SELECT entity_id FROM sync_scopes WHERE entity = "
        ));
        qb.push_bind(enum_text(&entity)).push(" AND ");
        push_scopes(&mut qb, q.scopes);
        qb.push(")");
        match q.part {
            SnapshotPart::OpenCases => {
                qb.push(" AND status NOT IN ('closed', 'rejected', 'merged')");
            }
            SnapshotPart::ClosedCases => {
                qb.push(" AND status IN ('closed', 'rejected', 'merged')");
            }
            SnapshotPart::Watches => {}
        }
        if let Some(after) = &q.after_id {
            qb.push(" AND id > ").push_bind(after.clone());
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(i64::from(q.limit));
        let rows = qb.build().fetch_all(&mut *tx).await?;
        let mut case_ids = Vec::new();
        let mut watches = Vec::new();
        for r in &rows {
            match entity {
                Entity::Case => case_ids.push(case_from_row(r)?.id.to_string()),
                Entity::Watch => {
                    let id = watch_from_row(r)?.id.to_string();
                    watches.extend(watch_bundle(&mut tx, &id).await?);
                }
            }
        }
        let case_ids: Vec<&str> = case_ids.iter().map(String::as_str).collect();
        let cases = case_bundles(&mut tx, &case_ids).await?;
        tx.commit().await?;
        Ok(SnapshotBatch {
            head,
            cases,
            watches,
        })
    }

    async fn note_acked(&self, device: DeviceId, acked: u64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE devices SET acked = $1, last_seen = $2 WHERE id = $3 AND acked < $4")
            .bind(to_i64(acked)?)
            .bind(now)
            .bind(device.to_string())
            .bind(to_i64(acked)?)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn compact(&self, before: i64) -> StoreResult<Compacted> {
        let mut tx = self.begin_exclusive().await?;
        // The log's `at` grows with `seq`: the first row young enough to
        // keep is found by walking the seq index over the old rows only.
        let keep_from: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM sync_log WHERE at >= $1 ORDER BY seq LIMIT 1")
                .bind(before)
                .fetch_optional(&mut *tx)
                .await?;
        let candidate = match keep_from {
            Some(seq) => seq - 1,
            None => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM sync_log")
                .fetch_one(&mut *tx)
                .await?
                .unwrap_or(0),
        };
        sqlx::query("UPDATE sync_meta SET floor_seq = CASE WHEN floor_seq > $1 THEN floor_seq ELSE $1 END WHERE id = 1")
            .bind(candidate)
            .execute(&mut *tx)
            .await?;
        let floor: i64 = sqlx::query_scalar("SELECT floor_seq FROM sync_meta WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let log = sqlx::query("DELETE FROM sync_log WHERE seq <= $1")
            .bind(floor)
            .execute(&mut *tx)
            .await?;
        let results = sqlx::query(
            "DELETE FROM mutation_results WHERE at < $1 AND number <= \
             (SELECT acked FROM devices WHERE devices.id = mutation_results.device_id)",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Compacted {
            log_rows: log.rows_affected(),
            results: results.rows_affected(),
            floor_seq: floor,
        })
    }

    async fn new_epoch(&self) -> StoreResult<String> {
        let epoch = uuid::Uuid::now_v7().simple().to_string();
        sqlx::query("UPDATE sync_meta SET epoch = $1 WHERE id = 1")
            .bind(&epoch)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(epoch)
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.feed.subscribe()
    }
}
