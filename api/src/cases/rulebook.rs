//! The routing data in force: rules, each county's ladder, the calendar.
//! Read from the store for each operation, so every replica acts on the
//! same data the moment an admin changes it; within one push, read once
//! and kept in a [`Memo`] (on SQLite the push is one transaction, so its
//! mutations could not see a change made meanwhile anyway).

use super::error::{CaseError, CaseResult};
use crate::store::Store;
use gridline_core::OrgUnitId;
use gridline_core::calendar::Calendar;
use gridline_core::case::Ladder;
use gridline_core::case::routing::{self, Rule};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The routing data as first read, kept for the life of one push.
#[derive(Debug, Default)]
pub struct Memo {
    rules: OnceCell<Arc<Vec<Rule>>>,
    calendar: OnceCell<Arc<Calendar>>,
    ladders: Mutex<HashMap<Option<OrgUnitId>, Arc<Ladder>>>,
}

/// Where a service reads the routing data: the store each time, or a memo.
pub async fn rules_via(store: &dyn Store, memo: Option<&Memo>) -> CaseResult<Arc<Vec<Rule>>> {
    match memo {
        None => Ok(Arc::new(rules(store).await?)),
        Some(m) => Ok(m
            .rules
            .get_or_try_init(|| async { rules(store).await.map(Arc::new) })
            .await?
            .clone()),
    }
}

pub async fn calendar_via(store: &dyn Store, memo: Option<&Memo>) -> CaseResult<Arc<Calendar>> {
    match memo {
        None => Ok(Arc::new(calendar(store).await?)),
        Some(m) => Ok(m
            .calendar
            .get_or_try_init(|| async { calendar(store).await.map(Arc::new) })
            .await?
            .clone()),
    }
}

pub async fn ladder_via(
    store: &dyn Store,
    memo: Option<&Memo>,
    county: Option<OrgUnitId>,
) -> CaseResult<Arc<Ladder>> {
    let Some(m) = memo else {
        return Ok(Arc::new(ladder(store, county).await?));
    };
    let kept = m.ladders.lock().ok().and_then(|l| l.get(&county).cloned());
    if let Some(l) = kept {
        return Ok(l);
    }
    let l = Arc::new(ladder(store, county).await?);
    if let Ok(mut ladders) = m.ladders.lock() {
        ladders.insert(county, l.clone());
    }
    Ok(l)
}

pub async fn rules(store: &dyn Store) -> CaseResult<Vec<Rule>> {
    let stored = store.routing_rules().await?;
    if stored.is_empty() {
        return Ok(routing::default_rules());
    }
    stored
        .iter()
        .map(|(id, body)| {
            serde_json::from_str(body)
                .map_err(|e| CaseError::Invalid(format!("stored rule {id} unreadable: {e}")))
        })
        .collect()
}

pub async fn set_rules(store: &dyn Store, rules: &[Rule]) -> CaseResult<()> {
    routing::validate(rules)?;
    let rows: Vec<(String, String)> = rules
        .iter()
        .map(|r| (r.id.clone(), serde_json::to_string(r).unwrap_or_default()))
        .collect();
    store.replace_routing_rules(&rows).await?;
    Ok(())
}

pub async fn ladder(store: &dyn Store, county: Option<OrgUnitId>) -> CaseResult<Ladder> {
    let Some(county) = county else {
        return Ok(Ladder::default());
    };
    match store.ladder(county).await? {
        Some(body) => serde_json::from_str(&body)
            .map_err(|e| CaseError::Invalid(format!("stored ladder unreadable: {e}"))),
        None => Ok(Ladder::default()),
    }
}

pub async fn set_ladder(store: &dyn Store, county: OrgUnitId, ladder: &Ladder) -> CaseResult<()> {
    ladder.validate()?;
    store
        .set_ladder(county, &serde_json::to_string(ladder).unwrap_or_default())
        .await?;
    Ok(())
}

/// The national calendar with the county's own days on top.
pub async fn calendar(store: &dyn Store) -> CaseResult<Calendar> {
    let mut c = Calendar::china();
    for day in store.calendar_days().await? {
        c.set(day);
    }
    Ok(c)
}
