//! The routing data in force: rules, each county's ladder, the calendar.
//! Read from the store for each operation, so every replica acts on the
//! same data the moment an admin changes it.

use super::error::{CaseError, CaseResult};
use crate::store::Store;
use gridline_core::OrgUnitId;
use gridline_core::calendar::Calendar;
use gridline_core::case::Ladder;
use gridline_core::case::routing::{self, Rule};

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
