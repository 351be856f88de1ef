//! `GET /v1/stats`: a centre's figures over the cases dispatched in a period
//! within the caller's jurisdiction, folded from their history as it stood at
//! the period's end (see [`gridline_core::wire::stats`] for the definitions).

use super::CaseService;
use super::error::{CaseError, CaseResult};
use super::standing;
use super::tally::{CaseTally, Sums};
use crate::auth::service::Identity;
use crate::store::cases::CohortEvent;
use crate::territory::Territory;
use gridline_core::category;
use gridline_core::time::Date;
use gridline_core::wire::stats::{GroupBy, Stats, StatsGroup};
use gridline_core::{OrgUnitId, Role};
use std::collections::HashMap;
use std::str::FromStr;

/// Longest period one request may ask for.
pub const MAX_DAYS: i32 = 3 * 366;

/// The key of the group a case falls in.
fn key_of(by: GroupBy, c: &CaseTally, grid: Option<&str>, category: &str) -> String {
    match by {
        GroupBy::Unit => c.unit.clone().unwrap_or_default(),
        GroupBy::Grid => grid.unwrap_or("none").to_owned(),
        GroupBy::Category => category.to_owned(),
        GroupBy::Tier => c.tier.to_string(),
    }
}

/// A group's public key (codes rather than ids) and name.
fn label(
    t: &Territory,
    by: GroupBy,
    key: &str,
    tier_names: &HashMap<u32, String>,
) -> (String, String) {
    let unit = |id: &str| {
        OrgUnitId::from_str(id)
            .ok()
            .and_then(|id| t.by_id(id))
            .map(|i| (t.unit(i).code.clone(), t.unit(i).name.clone()))
    };
    match by {
        GroupBy::Unit | GroupBy::Grid if key == "none" => {
            ("none".into(), "outside every grid".into())
        }
        GroupBy::Unit | GroupBy::Grid => {
            unit(key).unwrap_or_else(|| (key.to_owned(), "(no longer in the territory)".into()))
        }
        GroupBy::Category => (
            key.to_owned(),
            category::by_code(key).map_or_else(String::new, |c| c.name_zh.to_owned()),
        ),
        GroupBy::Tier => {
            let name = key
                .parse()
                .ok()
                .and_then(|n: u32| tier_names.get(&n).cloned())
                .unwrap_or_default();
            (key.to_owned(), name)
        }
    }
}

/// One case's events as they stream in, and the case they belong to.
struct Current {
    id: String,
    grid: Option<String>,
    category: String,
    tally: CaseTally,
}

struct Fold {
    from: i64,
    by: Option<GroupBy>,
    total: Sums,
    groups: HashMap<String, Sums>,
    tier_names: HashMap<u32, String>,
    current: Option<Current>,
    error: Option<String>,
}

impl Fold {
    fn event(&mut self, e: CohortEvent<'_>) {
        if self.current.as_ref().is_none_or(|c| c.id != e.case_id) {
            self.finish_case();
            self.current = Some(Current {
                id: e.case_id.to_owned(),
                grid: e.grid_id.map(str::to_owned),
                category: e.category.to_owned(),
                tally: CaseTally::default(),
            });
        }
        if let Some(c) = &mut self.current
            && let Err(msg) = c.tally.event(e.at, e.action, e.detail)
        {
            self.error
                .get_or_insert(format!("case {}: {msg}", e.case_id));
        }
    }

    fn finish_case(&mut self) {
        let Some(c) = self.current.take() else { return };
        // Dispatched in the period only if its first dispatch is in it.
        if c.tally.accepted_at.is_none_or(|at| at < self.from) {
            return;
        }
        self.total.add(&c.tally);
        if let Some(by) = self.by {
            if by == GroupBy::Tier {
                self.tier_names
                    .entry(c.tally.tier)
                    .or_insert_with(|| c.tally.tier_name.clone());
            }
            let key = key_of(by, &c.tally, c.grid.as_deref(), &c.category);
            self.groups.entry(key).or_default().add(&c.tally);
        }
    }
}

impl CaseService {
    /// The figures for the cases dispatched from `from` to `to` (whole
    /// days, China time, both included) in `who`'s jurisdiction.
    pub async fn stats(
        &self,
        who: &Identity,
        from: Date,
        to: Date,
        by: Option<GroupBy>,
    ) -> CaseResult<Stats> {
        if who.roles.iter().all(|(r, _)| *r == Role::Resident) {
            return Err(CaseError::RoleRefused(
                "figures are for the people who handle cases; a resident follows their own requests in /v1/cases".into(),
            ));
        }
        if to < from {
            return Err(CaseError::Invalid(format!(
                "the period ends ({to}) before it starts ({from})"
            )));
        }
        if from.days_until(to) >= MAX_DAYS {
            return Err(CaseError::Invalid(format!(
                "the period from {from} to {to} is longer than {MAX_DAYS} days; ask for it in parts"
            )));
        }
        let t = self.territory.current();
        // Statistics cover a jurisdiction, not the cases one happens to
        // have reported or been given elsewhere.
        let mut scope = standing::scope(who, &t);
        scope.assignee = None;
        scope.reporter = None;
        let mut fold = Fold {
            from: from.start_ms(),
            by,
            total: Sums::default(),
            groups: HashMap::new(),
            tier_names: HashMap::new(),
            current: None,
            error: None,
        };
        self.store
            .cohort_events(&scope, from.start_ms(), to.end_ms(), &mut |e| fold.event(e))
            .await?;
        fold.finish_case();
        if let Some(msg) = fold.error {
            return Err(crate::store::StoreError::Corrupt(msg).into());
        }
        let mut groups: Vec<StatsGroup> = match by {
            None => Vec::new(),
            Some(by) => fold
                .groups
                .iter()
                .map(|(key, sums)| {
                    let (key, name) = label(&t, by, key, &fold.tier_names);
                    StatsGroup {
                        key,
                        name,
                        figures: sums.figures(),
                    }
                })
                .collect(),
        };
        groups.sort_by(|a, b| {
            b.figures
                .accepted
                .cmp(&a.figures.accepted)
                .then_with(|| a.key.cmp(&b.key))
        });
        Ok(Stats {
            from,
            to,
            group_by: by,
            total: fold.total.figures(),
            groups,
        })
    }
}
