//! [`CaseStore`]: cases with their history, tasks, orders and parties;
//! the scheduler's leases; routing rules, ladders and the calendar.

use super::query::{Sql, insert_sql, versioned_update_sql};
use super::sync as sync_tail;
use super::{SqlStore, parse_id, unique_violation};
use crate::store::cases::{
    CaseFilter, CaseRow, CaseScope, CaseStore, CaseWrite, CohortEvent, DueCase, EventRow, NewEvent,
    OrderRow, TaskRow, WriteOutcome,
};
use crate::store::scopes;
use crate::store::sync::CaseBundle;
use crate::store::{StoreError, StoreResult};
use async_trait::async_trait;
use gridline_core::calendar::SpecialDay;
use gridline_core::case::Party;
use gridline_core::sync::pull::Entity;
use gridline_core::time::Date;
use gridline_core::{CaseId, OrgUnitId, UserId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};
use std::collections::HashMap;

/// An enum's wire name (its serde string), the form stored in text columns.
pub(super) fn enum_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

pub(super) fn enum_parse<T: DeserializeOwned>(s: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unexpected value {s:?}")))
}

pub(super) fn opt_id<T: std::str::FromStr>(row: &AnyRow, col: &str) -> StoreResult<Option<T>> {
    row.try_get::<Option<&str>, _>(col)?
        .map(parse_id)
        .transpose()
}

pub(super) fn event_from_row(r: &AnyRow) -> StoreResult<EventRow> {
    Ok(EventRow {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_id: opt_id(r, "actor_id")?,
        action: r.try_get("action")?,
        detail: r.try_get("detail")?,
    })
}

pub(super) fn case_from_row(r: &AnyRow) -> StoreResult<CaseRow> {
    Ok(CaseRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        version: r.try_get("version")?,
        status: enum_parse(r.try_get::<&str, _>("status")?)?,
        category: r.try_get("category")?,
        description: r.try_get("description")?,
        channel: enum_parse(r.try_get::<&str, _>("channel")?)?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        grid_id: opt_id(r, "grid_id")?,
        village_id: opt_id(r, "village_id")?,
        township_id: opt_id(r, "township_id")?,
        county_id: opt_id(r, "county_id")?,
        distance_m: r.try_get("distance_m")?,
        risk: r
            .try_get::<Option<&str>, _>("risk")?
            .map(enum_parse)
            .transpose()?,
        people_affected: u32::try_from(r.try_get::<i64, _>("people_affected")?).unwrap_or(0),
        amount_yuan: u64::try_from(r.try_get::<i64, _>("amount_yuan")?).unwrap_or(0),
        reporter_id: parse_id(r.try_get::<&str, _>("reporter_id")?)?,
        rule_id: r.try_get("rule_id")?,
        tier: u32::try_from(r.try_get::<i64, _>("tier")?).unwrap_or(0),
        tier_name: r.try_get("tier_name")?,
        lead_unit_id: parse_id(r.try_get::<&str, _>("lead_unit_id")?)?,
        assignee_id: opt_id(r, "assignee_id")?,
        sign_by: r.try_get("sign_by")?,
        signed_at: r.try_get("signed_at")?,
        deadline: r.try_get("deadline")?,
        warn_at: r.try_get("warn_at")?,
        overdue_at: r.try_get("overdue_at")?,
        outcome: r
            .try_get::<Option<&str>, _>("outcome")?
            .map(enum_parse)
            .transpose()?,
        summary: r.try_get("summary")?,
        rating: r
            .try_get::<Option<i64>, _>("rating")?
            .and_then(|v| u8::try_from(v).ok()),
        merged_into: opt_id(r, "merged_into")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const CASE_COLUMNS: &str = "id, version, status, category, description, channel, lat, lon, grid_id, village_id, \
    township_id, county_id, distance_m, risk, people_affected, amount_yuan, reporter_id, rule_id, tier, tier_name, \
    lead_unit_id, assignee_id, sign_by, signed_at, deadline, warn_at, overdue_at, outcome, summary, rating, merged_into, \
    created_at, updated_at";

fn bind_case<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    c: &'q CaseRow,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(c.id.to_string())
        .bind(c.version)
        .bind(enum_text(&c.status))
        .bind(&c.category)
        .bind(&c.description)
        .bind(enum_text(&c.channel))
        .bind(c.lat)
        .bind(c.lon)
        .bind(c.grid_id.map(|v| v.to_string()))
        .bind(c.village_id.map(|v| v.to_string()))
        .bind(c.township_id.map(|v| v.to_string()))
        .bind(c.county_id.map(|v| v.to_string()))
        .bind(c.distance_m)
        .bind(c.risk.map(|v| enum_text(&v)))
        .bind(i64::from(c.people_affected))
        .bind(i64::try_from(c.amount_yuan).unwrap_or(i64::MAX))
        .bind(c.reporter_id.to_string())
        .bind(&c.rule_id)
        .bind(i64::from(c.tier))
        .bind(&c.tier_name)
        .bind(c.lead_unit_id.to_string())
        .bind(c.assignee_id.map(|v| v.to_string()))
        .bind(c.sign_by)
        .bind(c.signed_at)
        .bind(c.deadline)
        .bind(c.warn_at)
        .bind(c.overdue_at)
        .bind(c.outcome.map(|v| enum_text(&v)))
        .bind(c.summary.as_deref())
        .bind(c.rating.map(i64::from))
        .bind(c.merged_into.map(|v| v.to_string()))
        .bind(c.created_at)
        .bind(c.updated_at)
}

fn task_from_row(r: &AnyRow) -> StoreResult<TaskRow> {
    Ok(TaskRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
        unit_id: parse_id(r.try_get::<&str, _>("unit_id")?)?,
        task: r.try_get("task")?,
        deadline: r.try_get("deadline")?,
        created_at: r.try_get("created_at")?,
        report: r.try_get("report")?,
        reported_at: r.try_get("reported_at")?,
        reported_by: opt_id(r, "reported_by")?,
    })
}

fn order_from_row(r: &AnyRow) -> StoreResult<OrderRow> {
    Ok(OrderRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
        issued_by: parse_id(r.try_get::<&str, _>("issued_by")?)?,
        issued_at: r.try_get("issued_at")?,
        text: r.try_get("text")?,
        deadline: r.try_get("deadline")?,
        answer: r.try_get("answer")?,
        answered_at: r.try_get("answered_at")?,
        answered_by: opt_id(r, "answered_by")?,
    })
}

pub(super) async fn fetch_case<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> StoreResult<Option<CaseRow>> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(e).await?;
    row.as_ref().map(case_from_row).transpose()
}

async fn fetch_parties<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> StoreResult<Vec<Party>> {
    let rows = sqlx::query(
        "SELECT name, side, phone, id_number FROM case_parties WHERE case_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(e)
    .await?;
    rows.iter().map(party_from_row).collect()
}

/// Takes a person's data out of case `id`: the parties at the given
/// positions keep their side and place but lose name, phone and ID number;
/// the outside contact loses everything it said.
async fn redact(
    tx: &mut AnyConnection,
    id: &str,
    r: &crate::store::privacy::Redaction,
) -> StoreResult<()> {
    for position in &r.parties {
        sqlx::query(
            "UPDATE case_parties SET name = $1, phone = NULL, id_number = NULL \
             WHERE case_id = $2 AND position = $3",
        )
        .bind(crate::store::privacy::ERASED_NAME)
        .bind(id)
        .bind(*position)
        .execute(&mut *tx)
        .await?;
    }
    if r.contact {
        sqlx::query(
            "UPDATE case_contacts SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL, \
             device_id = NULL, account_id = NULL, address = NULL, media_url = NULL WHERE case_id = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub(super) fn party_from_row(r: &AnyRow) -> StoreResult<Party> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(format!("party: {e}"));
    Ok(Party {
        name: gridline_core::case::Remark::parse(r.try_get::<&str, _>("name")?)
            .map_err(|e| corrupt(&e))?,
        side: enum_parse(r.try_get::<&str, _>("side")?)?,
        phone: r
            .try_get::<Option<&str>, _>("phone")?
            .map(gridline_core::case::Phone::parse)
            .transpose()
            .map_err(|e| corrupt(&e))?,
        id_number: r
            .try_get::<Option<&str>, _>("id_number")?
            .map(gridline_core::case::IdNumber::parse)
            .transpose()
            .map_err(|e| corrupt(&e))?,
    })
}

async fn fetch_events<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> StoreResult<Vec<EventRow>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor_id, action, detail FROM case_events WHERE case_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(e)
    .await?;
    rows.iter().map(event_from_row).collect()
}

async fn fetch_tasks<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> StoreResult<Vec<TaskRow>> {
    let rows = sqlx::query("SELECT * FROM case_tasks WHERE case_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(e)
        .await?;
    rows.iter().map(task_from_row).collect()
}

async fn fetch_orders<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> StoreResult<Vec<OrderRow>> {
    let rows = sqlx::query("SELECT * FROM supervision_orders WHERE case_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(e)
        .await?;
    rows.iter().map(order_from_row).collect()
}

/// Cases with everything a phone shows of each, read on `conn` (inside the
/// caller's snapshot) in six statements however many there are, not six
/// each: in the order of `ids`, any not found left out.
pub(super) async fn case_bundles(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> StoreResult<Vec<CaseBundle>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut cases: HashMap<String, CaseRow> = HashMap::new();
    for r in &of_cases(
        conn,
        &format!("SELECT {CASE_COLUMNS} FROM cases"),
        "id",
        ids,
        "id",
    )
    .await?
    {
        let case = case_from_row(r)?;
        cases.insert(case.id.to_string(), case);
    }
    let mut tasks = grouped(
        &of_cases(conn, "SELECT * FROM case_tasks", "case_id", ids, "id").await?,
        task_from_row,
    )?;
    let mut orders = grouped(
        &of_cases(
            conn,
            "SELECT * FROM supervision_orders",
            "case_id",
            ids,
            "id",
        )
        .await?,
        order_from_row,
    )?;
    let mut parties = grouped(
        &of_cases(
            conn,
            "SELECT case_id, name, side, phone, id_number FROM case_parties",
            "case_id",
            ids,
            "position",
        )
        .await?,
        party_from_row,
    )?;
    let mut events = grouped(
        &of_cases(
            conn,
            "SELECT case_id, seq, at, actor_id, action, detail FROM case_events",
            "case_id",
            ids,
            "seq",
        )
        .await?,
        event_from_row,
    )?;
    let mut photos = grouped(
        &of_cases(
            conn,
            &format!("SELECT {} FROM photos", super::photos::photo_columns()),
            "case_id",
            ids,
            "added_at, id",
        )
        .await?,
        super::photos::photo_from_row,
    )?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            let case = cases.remove(*id)?;
            Some(CaseBundle {
                case,
                tasks: tasks.remove(*id).unwrap_or_default(),
                orders: orders.remove(*id).unwrap_or_default(),
                parties: parties.remove(*id).unwrap_or_default(),
                events: events.remove(*id).unwrap_or_default(),
                photos: photos.remove(*id).unwrap_or_default(),
            })
        })
        .collect())
}

/// `select` for the rows whose `key` is one of `ids`, ordered by `key` then
/// `order`.
async fn of_cases(
    conn: &mut AnyConnection,
    select: &str,
    key: &str,
    ids: &[&str],
    order: &str,
) -> StoreResult<Vec<AnyRow>> {
    let mut qb = Sql::new(format!("{select} WHERE {key} IN ("));
    qb.push_list(ids.iter().copied())
        .push(&format!(") ORDER BY {key}, {order}"));
    Ok(qb.build().fetch_all(&mut *conn).await?)
}

/// Rows read with `read`, grouped by their `case_id` in the order given.
fn grouped<T>(
    rows: &[AnyRow],
    read: impl Fn(&AnyRow) -> StoreResult<T>,
) -> StoreResult<HashMap<String, Vec<T>>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for r in rows {
        let id: String = r.try_get("case_id")?;
        out.entry(id).or_default().push(read(r)?);
    }
    Ok(out)
}

/// Every case column, for a snapshot query that selects whole rows.
pub(super) fn case_columns() -> &'static str {
    CASE_COLUMNS
}

pub(super) fn push_in(qb: &mut Sql<'_>, column: &str, ids: &[OrgUnitId], first: &mut bool) {
    if ids.is_empty() {
        return;
    }
    qb.push(if *first { "" } else { " OR " });
    *first = false;
    qb.push(column).push(" IN (");
    qb.push_list(ids.iter().map(ToString::to_string));
    qb.push(")");
}

/// Appends `events` to an append-only history table keyed by
/// (`key`, `seq`), each numbered after the last of its owner.
pub(super) async fn append_events(
    tx: &mut sqlx::AnyConnection,
    table: &str,
    key: &str,
    owner: &str,
    new: bool,
    events: &[NewEvent],
) -> StoreResult<()> {
    let first = match (new, events.len()) {
        (_, 0) => return Ok(()),
        // A new owner's history starts at 1.
        (true, _) => 1,
        // One event: its number found by the insert itself.
        (false, 1) => {
            let e = &events[0];
            let sql = format!(
                "INSERT INTO {table} ({key}, seq, at, actor_id, action, detail) \
                 VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE {key} = $1), $2, $3, $4, $5)"
            );
            sqlx::query(&sql)
                .bind(owner)
                .bind(e.at)
                .bind(e.actor_id.map(|v| v.to_string()))
                .bind(&e.action)
                .bind(&e.detail)
                .execute(&mut *tx)
                .await?;
            return Ok(());
        }
        (false, _) => {
            let sql = format!("SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE {key} = $1");
            sqlx::query_scalar::<_, i64>(&sql)
                .bind(owner)
                .fetch_one(&mut *tx)
                .await?
        }
    };
    // All the events in one statement.
    let sql = format!(
        "INSERT INTO {table} ({key}, seq, at, actor_id, action, detail) VALUES {}",
        super::sync::placeholders(events.len(), 6)
    );
    let mut q = sqlx::query(&sql);
    for (seq, e) in (first..).zip(events) {
        q = q
            .bind(owner)
            .bind(seq)
            .bind(e.at)
            .bind(e.actor_id.map(|v| v.to_string()))
            .bind(&e.action)
            .bind(&e.detail);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// ` AND (…)`: the cases `s` admits (columns of `cases`, unqualified).
fn push_scope(qb: &mut Sql<'_>, s: &CaseScope) {
    if s.everything {
        return;
    }
    qb.push(" AND (");
    let mut first = true;
    push_in(qb, "grid_id", &s.grids, &mut first);
    push_in(qb, "village_id", &s.villages, &mut first);
    push_in(qb, "township_id", &s.townships, &mut first);
    push_in(qb, "county_id", &s.counties, &mut first);
    push_in(qb, "lead_unit_id", &s.units_handling, &mut first);
    if !s.units_handling.is_empty() {
        qb.push(" OR id IN (SELECT case_id FROM case_tasks WHERE unit_id IN (");
        qb.push_list(s.units_handling.iter().map(ToString::to_string));
        qb.push("))");
    }
    for (col, user) in [("assignee_id", s.assignee), ("reporter_id", s.reporter)] {
        if let Some(u) = user {
            qb.push(if first { "" } else { " OR " });
            first = false;
            qb.push(col).push(" = ").push_bind(u.to_string());
        }
    }
    if first {
        qb.push("1 = 0");
    }
    qb.push(")");
}

#[async_trait]
impl CaseStore for SqlStore {
    async fn write_case(&self, w: &CaseWrite<'_>) -> StoreResult<WriteOutcome> {
        let mut tx = self.begin_exclusive().await?;
        let c = w.case;
        let id = c.id.to_string();
        // First statement: a write, so the transaction holds the write lock
        // before it reads anything.
        if let Some(r) = w.receipt
            && !sync_tail::claim(&mut tx, r).await?
        {
            return Ok(WriteOutcome::Stale);
        }
        // The status before this write, for the webhooks' outbox.
        let mut previous = None;
        match w.expected_version {
            None => {
                let sql = insert_sql("cases", CASE_COLUMNS);
                match bind_case(sqlx::query(&sql), c).execute(&mut *tx).await {
                    Ok(_) => {}
                    Err(e) if unique_violation(&e) => return Ok(WriteOutcome::Conflict),
                    Err(e) => return Err(e.into()),
                }
                if let Some(hash) = w.intake_sha256 {
                    sqlx::query("INSERT INTO case_intake (case_id, args_sha256) VALUES ($1, $2)")
                        .bind(&id)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                for (i, p) in w.parties.iter().enumerate() {
                    sqlx::query("INSERT INTO case_parties (case_id, position, name, side, phone, id_number) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(&id)
                        .bind(i64::try_from(i).unwrap_or(i64::MAX))
                        .bind(p.name.as_str())
                        .bind(enum_text(&p.side))
                        .bind(p.phone.as_ref().map(|v| v.as_str().to_owned()))
                        .bind(p.id_number.as_ref().map(|v| v.as_str().to_owned()))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            Some(expected) => {
                previous = super::webhooks::status_before(&mut tx, &id).await?;
                let sql = versioned_update_sql("cases", CASE_COLUMNS);
                let done = bind_case(sqlx::query(&sql), c)
                    .bind(&id)
                    .bind(expected)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(WriteOutcome::Conflict);
                }
                if let Some(r) = w.redact {
                    redact(&mut tx, &id, r).await?;
                }
            }
        }
        let created = w.expected_version.is_none();
        append_events(&mut tx, "case_events", "case_id", &id, created, w.events).await?;
        for t in w.tasks {
            sqlx::query(
                "INSERT INTO case_tasks (id, case_id, unit_id, task, deadline, created_at, report, reported_at, reported_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET \
                 deadline = excluded.deadline, report = excluded.report, reported_at = excluded.reported_at, reported_by = excluded.reported_by",
            )
            .bind(t.id.to_string())
            .bind(t.case_id.to_string())
            .bind(t.unit_id.to_string())
            .bind(&t.task)
            .bind(t.deadline)
            .bind(t.created_at)
            .bind(t.report.as_deref())
            .bind(t.reported_at)
            .bind(t.reported_by.map(|v| v.to_string()))
            .execute(&mut *tx)
            .await?;
        }
        for o in w.orders {
            sqlx::query(
                "INSERT INTO supervision_orders (id, case_id, issued_by, issued_at, text, deadline, answer, answered_at, answered_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET \
                 answer = excluded.answer, answered_at = excluded.answered_at, answered_by = excluded.answered_by",
            )
            .bind(o.id.to_string())
            .bind(o.case_id.to_string())
            .bind(o.issued_by.to_string())
            .bind(o.issued_at)
            .bind(&o.text)
            .bind(o.deadline)
            .bind(o.answer.as_deref())
            .bind(o.answered_at)
            .bind(o.answered_by.map(|v| v.to_string()))
            .execute(&mut *tx)
            .await?;
        }
        super::photos::write_photos(&mut tx, w.photos).await?;
        if let Some(o) = w.outside {
            let creating = w.expected_version.is_none();
            if let super::intake::OutsideWritten::Conflict =
                super::intake::write_outside(&mut tx, &id, creating, o).await?
            {
                return Ok(WriteOutcome::Conflict);
            }
        }
        // A new case has subscribers only when a keyed system brought it in.
        let keyed = w.outside.is_some_and(|o| o.api_key_id.is_some());
        if w.expected_version.is_some() || keyed {
            super::webhooks::enqueue(&mut tx, c, previous).await?;
        }
        // The units with a task on the case: a new case's are the ones
        // written now; otherwise read, with the tasks of earlier writes.
        let units: Vec<OrgUnitId> = if created {
            let mut units: Vec<OrgUnitId> = w.tasks.iter().map(|t| t.unit_id).collect();
            units.sort_unstable();
            units.dedup();
            units
        } else {
            let units: Vec<String> =
                sqlx::query_scalar("SELECT DISTINCT unit_id FROM case_tasks WHERE case_id = $1")
                    .bind(&id)
                    .fetch_all(&mut *tx)
                    .await?;
            units
                .iter()
                .map(|u| parse_id(u))
                .collect::<StoreResult<Vec<OrgUnitId>>>()?
        };
        let logged = sync_tail::Logged {
            entity: Entity::Case,
            created,
            id: &id,
            rev: c.version,
            scopes: scopes::of_case(c, &units),
            at: c.updated_at,
        };
        sync_tail::finish(&mut tx, &logged, w.receipt).await?;
        tx.commit().await?;
        self.changed();
        Ok(WriteOutcome::Written)
    }

    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRow>> {
        fetch_case(&mut *self.conn().await?, &id.to_string()).await
    }

    async fn case_parties(&self, id: CaseId) -> StoreResult<Vec<Party>> {
        fetch_parties(&mut *self.conn().await?, &id.to_string()).await
    }

    async fn case_events(&self, id: CaseId) -> StoreResult<Vec<EventRow>> {
        fetch_events(&mut *self.conn().await?, &id.to_string()).await
    }

    async fn case_tasks(&self, id: CaseId) -> StoreResult<Vec<TaskRow>> {
        fetch_tasks(&mut *self.conn().await?, &id.to_string()).await
    }

    async fn case_orders(&self, id: CaseId) -> StoreResult<Vec<OrderRow>> {
        fetch_orders(&mut *self.conn().await?, &id.to_string()).await
    }

    async fn list_cases(&self, f: &CaseFilter) -> StoreResult<Vec<CaseRow>> {
        let mut qb = Sql::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1"));
        push_scope(&mut qb, &f.scope);
        if let Some(st) = f.status {
            qb.push(" AND status = ").push_bind(enum_text(&st));
        }
        if let Some(g) = f.grid {
            qb.push(" AND grid_id = ").push_bind(g.to_string());
        }
        if let Some(c) = &f.category {
            qb.push(" AND category = ").push_bind(c.clone());
        }
        if let Some(b) = f.before {
            qb.push(" AND id < ").push_bind(b.to_string());
        }
        if !f.categories.is_empty() {
            qb.push(" AND category IN (");
            qb.push_list(f.categories.iter().cloned());
            qb.push(")");
        }
        if !f.statuses.is_empty() {
            qb.push(" AND status IN (");
            qb.push_list(f.statuses.iter().map(enum_text));
            qb.push(")");
        }
        if let Some((from, to)) = f.created_between {
            qb.push(" AND created_at BETWEEN ")
                .push_bind(from)
                .push(" AND ")
                .push_bind(to);
        }
        if let Some(m) = f.merged_into {
            qb.push(" AND merged_into = ").push_bind(m.to_string());
        }
        if let Some([west, south, east, north]) = f.within {
            qb.push(" AND lon BETWEEN ")
                .push_bind(west)
                .push(" AND ")
                .push_bind(east)
                .push(" AND lat BETWEEN ")
                .push_bind(south)
                .push(" AND ")
                .push_bind(north);
        }
        if !f.ids.is_empty() {
            qb.push(" AND id IN (");
            qb.push_list(f.ids.iter().map(ToString::to_string));
            qb.push(")");
        }
        qb.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(f.limit));
        let rows = qb.build().fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(case_from_row).collect()
    }

    async fn cohort_events(
        &self,
        scope: &CaseScope,
        from: i64,
        to: i64,
        sink: &mut (dyn for<'e> FnMut(CohortEvent<'e>) + Send),
    ) -> StoreResult<()> {
        use futures_util::TryStreamExt;
        // Candidates: cases dispatched (first or again) within the period,
        // found through case_events_action_at; the caller keeps those whose
        // first dispatch is in it. Their events come in primary-key order.
        let mut qb = Sql::new(
            "WITH cohort AS (SELECT id, grid_id, category FROM cases WHERE id IN \
             (SELECT case_id FROM case_events WHERE action IN ('accept', 'assign', 'reassign') AND at BETWEEN ",
        );
        qb.push_bind(from).push(" AND ").push_bind(to).push(")");
        push_scope(&mut qb, scope);
        qb.push(
            ") SELECT e.case_id, k.grid_id, k.category, e.at, e.action, e.detail \
             FROM cohort k JOIN case_events e ON e.case_id = k.id WHERE e.at <= ",
        )
        .push_bind(to)
        .push(" ORDER BY e.case_id, e.seq");
        let mut conn = self.conn().await?;
        let mut rows = qb.build().fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            sink(CohortEvent {
                case_id: r.try_get("case_id")?,
                grid_id: r.try_get("grid_id")?,
                category: r.try_get("category")?,
                at: r.try_get("at")?,
                action: r.try_get("action")?,
                detail: r.try_get("detail")?,
            });
        }
        Ok(())
    }

    async fn open_case_counts(&self, users: &[UserId]) -> StoreResult<Vec<(UserId, u32)>> {
        let mut out = Vec::with_capacity(users.len());
        for u in users {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM cases WHERE assignee_id = $1 AND status IN ('assigned', 'signed_for', 'in_progress')",
            )
            .bind(u.to_string())
            .fetch_one(&mut *self.conn().await?)
            .await?;
            out.push((*u, u32::try_from(n).unwrap_or(u32::MAX)));
        }
        Ok(out)
    }

    async fn due_cases(&self, now: i64, limit: u32) -> StoreResult<Vec<DueCase>> {
        let rows = sqlx::query(
            "SELECT id, version FROM cases WHERE status = 'assigned' AND sign_by < $1 AND overdue_at IS NULL \
             UNION SELECT id, version FROM cases WHERE status IN ('signed_for', 'in_progress') AND deadline < $1 AND overdue_at IS NULL \
             UNION SELECT id, version FROM cases WHERE warn_at IS NOT NULL AND warn_at <= $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueCase {
                    id: parse_id(r.try_get::<&str, _>("id")?)?,
                    version: r.try_get("version")?,
                })
            })
            .collect()
    }

    async fn record_personal_data_reads(
        &self,
        user: UserId,
        device: Option<gridline_core::DeviceId>,
        cases: &[CaseId],
        via: &str,
        at: i64,
    ) -> StoreResult<()> {
        if cases.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_exclusive().await?;
        for case in cases {
            sqlx::query(
                "INSERT INTO personal_data_reads (at, user_id, case_id, via, device_id) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(at)
            .bind(user.to_string())
            .bind(case.to_string())
            .bind(via)
            .bind(device.map(|d| d.to_string()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn personal_data_reads(&self, case: CaseId) -> StoreResult<Vec<(UserId, String, i64)>> {
        let rows = sqlx::query(
            "SELECT user_id, via, at FROM personal_data_reads WHERE case_id = $1 ORDER BY at, id",
        )
        .bind(case.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    parse_id(r.try_get::<&str, _>("user_id")?)?,
                    r.try_get("via")?,
                    r.try_get("at")?,
                ))
            })
            .collect()
    }

    async fn acquire_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO job_leases (job, holder, until) VALUES ($1, $2, $3) \
             ON CONFLICT (job) DO UPDATE SET holder = $2, until = $3 WHERE job_leases.holder = $2 OR job_leases.until < $4",
        )
        .bind(job)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn routing_rules(&self) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, body FROM routing_rules ORDER BY position")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("body")?)))
            .collect()
    }

    async fn replace_routing_rules(&self, rules: &[(String, String)]) -> StoreResult<()> {
        let mut tx = self.begin_exclusive().await?;
        sqlx::query("DELETE FROM routing_rules")
            .execute(&mut *tx)
            .await?;
        for (i, (id, body)) in rules.iter().enumerate() {
            sqlx::query("INSERT INTO routing_rules (position, id, body) VALUES ($1, $2, $3)")
                .bind(i64::try_from(i).unwrap_or(i64::MAX))
                .bind(id)
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn ladder(&self, county: OrgUnitId) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT body FROM ladders WHERE county_id = $1")
                .bind(county.to_string())
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn set_ladder(&self, county: OrgUnitId, body: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO ladders (county_id, body) VALUES ($1, $2) ON CONFLICT (county_id) DO UPDATE SET body = excluded.body")
            .bind(county.to_string())
            .bind(body)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn calendar_days(&self) -> StoreResult<Vec<SpecialDay>> {
        let rows = sqlx::query("SELECT date, kind, name FROM calendar_days ORDER BY date")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SpecialDay {
                    date: r
                        .try_get::<&str, _>("date")?
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("calendar: {e}")))?,
                    kind: enum_parse(r.try_get::<&str, _>("kind")?)?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    async fn set_calendar_day(&self, day: &SpecialDay) -> StoreResult<()> {
        sqlx::query("INSERT INTO calendar_days (date, kind, name) VALUES ($1, $2, $3) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name")
            .bind(day.date.to_string())
            .bind(enum_text(&day.kind))
            .bind(&day.name)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn delete_calendar_day(&self, date: Date) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM calendar_days WHERE date = $1")
            .bind(date.to_string())
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
