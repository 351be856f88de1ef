//! Statistics folded from case history: what one case's events say at the
//! end of a period ([`CaseTally`]), and the sums over many cases that give a
//! centre's figures ([`Sums`]). Pure: the store streams the events in.

use gridline_core::case::Outcome;
use gridline_core::wire::stats::{Figures, TierShare};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The fields of an event's detail that statistics read.
#[derive(Debug, Default, Deserialize)]
struct Detail<'a> {
    #[serde(borrow, default)]
    unit: Option<Cow<'a, str>>,
    #[serde(default)]
    tier: Option<u32>,
    #[serde(borrow, default)]
    tier_name: Option<Cow<'a, str>>,
    #[serde(default)]
    to_tier: Option<u32>,
    #[serde(borrow, default)]
    to_tier_name: Option<Cow<'a, str>>,
    #[serde(default)]
    outcome: Option<Outcome>,
    #[serde(default)]
    on_time: Option<bool>,
    #[serde(default)]
    stars: Option<u8>,
}

/// How a case was resolved, until it is reopened.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub at: i64,
    pub settled: bool,
    pub on_time: bool,
    pub tier: u32,
    pub tier_name: String,
}

/// One case as its history stands at the end of a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseTally {
    pub submitted_at: Option<i64>,
    /// The first dispatch: accepted, or assigned straight from the queue.
    pub accepted_at: Option<i64>,
    pub escalated: bool,
    pub tier: u32,
    pub tier_name: String,
    /// The unit holding the case (its id as stored).
    pub unit: Option<String>,
    pub resolution: Option<Resolution>,
    pub rating: Option<u8>,
}

impl CaseTally {
    /// Takes in the next event of the case; events must come in order.
    /// A detail that is not the JSON object the service writes is an error
    /// naming the action.
    pub fn event(&mut self, at: i64, action: &str, detail: &str) -> Result<(), String> {
        let parse = || -> Result<Detail<'_>, String> {
            serde_json::from_str(detail).map_err(|e| format!("{action} event detail: {e}"))
        };
        match action {
            "submit" => {
                self.submitted_at.get_or_insert(at);
                self.track(parse()?);
            }
            "accept" | "assign" | "reassign" => {
                self.accepted_at.get_or_insert(at);
                self.track(parse()?);
            }
            "escalate" => {
                self.escalated = true;
                let d = parse()?;
                if let Some(t) = d.to_tier {
                    self.tier = t;
                }
                if let Some(n) = d.to_tier_name {
                    self.tier_name = n.into_owned();
                }
            }
            "resolve" => {
                let d = parse()?;
                let tier = d.tier.unwrap_or(self.tier);
                let tier_name = d.tier_name.as_deref().unwrap_or(&self.tier_name).to_owned();
                self.resolution = Some(Resolution {
                    at,
                    settled: d.outcome.is_some_and(Outcome::is_settled),
                    on_time: d.on_time.unwrap_or(false),
                    tier,
                    tier_name,
                });
                self.track(d);
            }
            "reopen" => {
                self.resolution = None;
                self.rating = None;
            }
            "rate" => self.rating = parse()?.stars,
            _ => {}
        }
        Ok(())
    }

    fn track(&mut self, d: Detail<'_>) {
        if let Some(u) = d.unit {
            self.unit = Some(u.into_owned());
        }
        if let Some(t) = d.tier {
            self.tier = t;
        }
        if let Some(n) = d.tier_name {
            self.tier_name = n.into_owned();
        }
    }
}

/// Running sums over many cases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    accepted: u64,
    resolved: u64,
    settled: u64,
    on_time: u64,
    escalated: u64,
    accept_ms: i128,
    accept_n: u64,
    resolve_ms: i128,
    settled_by_tier: BTreeMap<u32, (String, u64)>,
    rated: u64,
    stars: u64,
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    // Counts stay far below 2^52, where f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    (d > 0).then(|| n as f64 / d as f64)
}

fn mean(total: i128, n: u64, unit_ms: f64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (n > 0).then(|| total as f64 / n as f64 / unit_ms)
}

impl Sums {
    /// Counts a case dispatched in the period.
    pub fn add(&mut self, c: &CaseTally) {
        let Some(accepted_at) = c.accepted_at else {
            return;
        };
        self.accepted += 1;
        if let Some(s) = c.submitted_at {
            self.accept_ms += i128::from(accepted_at - s);
            self.accept_n += 1;
        }
        if c.escalated {
            self.escalated += 1;
        }
        if let Some(r) = &c.resolution {
            self.resolved += 1;
            self.resolve_ms += i128::from(r.at - accepted_at);
            if r.on_time {
                self.on_time += 1;
            }
            if r.settled {
                self.settled += 1;
                self.settled_by_tier
                    .entry(r.tier)
                    .or_insert_with(|| (r.tier_name.clone(), 0))
                    .1 += 1;
            }
        }
        if let Some(s) = c.rating {
            self.rated += 1;
            self.stars += u64::from(s);
        }
    }

    pub fn accepted(&self) -> u64 {
        self.accepted
    }

    pub fn figures(&self) -> Figures {
        Figures {
            accepted: self.accepted,
            resolved: self.resolved,
            settled: self.settled,
            resolution_rate: ratio(self.settled, self.accepted),
            on_time: self.on_time,
            on_time_rate: ratio(self.on_time, self.resolved),
            mean_minutes_to_accept: mean(self.accept_ms, self.accept_n, 60_000.0),
            mean_hours_to_resolve: mean(self.resolve_ms, self.resolved, 3_600_000.0),
            escalated: self.escalated,
            settled_by_tier: self
                .settled_by_tier
                .iter()
                .map(|(&tier, (name, n))| TierShare {
                    tier,
                    name: name.clone(),
                    settled: *n,
                    share: ratio(*n, self.settled).unwrap_or(0.0),
                })
                .collect(),
            rated: self.rated,
            mean_rating: ratio(self.stars, self.rated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn fold(events: &[(i64, &str, &str)]) -> CaseTally {
        let mut c = CaseTally::default();
        for (at, action, detail) in events {
            c.event(*at, action, detail).unwrap();
        }
        c
    }

    #[test]
    fn a_reopened_case_is_not_resolved_until_resolved_again() {
        let c = fold(&[
            (0, "submit", r#"{"tier":0,"tier_name":"网格"}"#),
            (H, "accept", r#"{"unit":"u1","tier":0,"tier_name":"网格"}"#),
            (
                2 * H,
                "resolve",
                r#"{"outcome":"mediated","on_time":true,"tier":0,"tier_name":"网格","unit":"u1"}"#,
            ),
            (3 * H, "rate", r#"{"stars":2}"#),
            (4 * H, "reopen", r#"{"reason":"not paid"}"#),
        ]);
        assert_eq!(c.resolution, None);
        assert_eq!(c.rating, None);
        assert_eq!(c.accepted_at, Some(H));
    }

    #[test]
    fn escalation_moves_the_tier_and_the_resolving_unit_is_kept() {
        let c = fold(&[
            (0, "submit", r#"{"tier":0,"tier_name":"网格"}"#),
            (0, "accept", r#"{"unit":"g","tier":0,"tier_name":"网格"}"#),
            (
                H,
                "escalate",
                r#"{"to_tier":1,"to_tier_name":"村","from_tier":0}"#,
            ),
            (H, "assign", r#"{"unit":"v","tier":1,"tier_name":"村"}"#),
            (
                5 * H,
                "resolve",
                r#"{"outcome":"referred_to_litigation","on_time":false,"tier":1,"tier_name":"村","unit":"v"}"#,
            ),
        ]);
        assert!(c.escalated);
        assert_eq!(c.unit.as_deref(), Some("v"));
        let r = c.resolution.unwrap();
        assert!(!r.settled && !r.on_time);
        assert_eq!((r.tier, r.tier_name.as_str()), (1, "村"));
    }

    #[test]
    fn sums_give_rates_over_the_right_denominators() {
        let mut s = Sums::default();
        let settled = fold(&[
            (0, "submit", "{}"),
            (6 * 60_000, "accept", r#"{"tier":0,"tier_name":"网格"}"#),
            (
                6 * 60_000 + 10 * H,
                "resolve",
                r#"{"outcome":"mediated","on_time":true,"tier":0,"tier_name":"网格"}"#,
            ),
            (20 * H, "rate", r#"{"stars":4}"#),
        ]);
        let open = fold(&[(0, "submit", "{}"), (2 * 60_000, "accept", "{}")]);
        let never_dispatched = fold(&[(0, "submit", "{}")]);
        for c in [&settled, &open, &never_dispatched] {
            s.add(c);
        }
        let f = s.figures();
        assert_eq!((f.accepted, f.resolved, f.settled, f.on_time), (2, 1, 1, 1));
        assert_eq!(f.resolution_rate, Some(0.5));
        assert_eq!(f.on_time_rate, Some(1.0));
        assert_eq!(f.mean_minutes_to_accept, Some(4.0));
        assert_eq!(f.mean_hours_to_resolve, Some(10.0));
        assert_eq!(f.mean_rating, Some(4.0));
        assert_eq!(f.settled_by_tier.len(), 1);
        assert_eq!(f.settled_by_tier[0].share, 1.0);
    }

    #[test]
    fn a_damaged_detail_names_its_action() {
        let mut c = CaseTally::default();
        let err = c.event(0, "resolve", "not json").unwrap_err();
        assert!(err.starts_with("resolve event detail"), "{err}");
    }
}
