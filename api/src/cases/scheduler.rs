//! The deadline scheduler: escalates cases nobody signed for or settled in
//! their tier's time, and warns on a deadline's last day.
//!
//! Exactly once per deadline: each case is changed in its own transaction
//! guarded by its version, and the change removes what made it due (a new
//! rung and sign-by time, a cleared warning, an overdue mark at the top). A
//! second tick, a concurrent replica or a restart mid-run finds nothing left
//! to do for that deadline. Only the holder of the `deadlines` lease ticks,
//! so replicas do not race for the same cases in the first place.

use super::CaseService;
use super::error::{CaseError, CaseResult};
use super::rulebook;
use super::transition::{self, Ctx};
use crate::store::cases::{CaseWrite, WriteOutcome};
use gridline_core::case::Status;
use gridline_core::time::Instant;
use serde_json::json;

const JOB: &str = "deadlines";
/// How long a lease lasts; a replica that dies frees it after this.
pub const LEASE_MS: i64 = 30_000;
const BATCH: u32 = 500;

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    pub escalated: u32,
    pub warned: u32,
    pub overdue_at_top: u32,
    /// Another replica holds the lease; nothing was done.
    pub not_leader: bool,
}

impl CaseService {
    /// One pass over every due case.
    pub async fn tick(&self, holder: &str) -> CaseResult<Tick> {
        let now = self.now();
        if !self
            .store()
            .acquire_lease(JOB, holder, now, now + LEASE_MS)
            .await?
        {
            return Ok(Tick {
                not_leader: true,
                ..Tick::default()
            });
        }
        self.run_due(now).await
    }

    /// The pass itself, without the lease: for a caller that knows it is
    /// the only one acting (the demo playing out its month before serving).
    pub async fn run_due(&self, now: i64) -> CaseResult<Tick> {
        let mut tick = Tick::default();
        let t = self.territory.current();
        let rules = rulebook::rules(self.store()).await?;
        let calendar = rulebook::calendar(self.store()).await?;
        let mut ladders = std::collections::HashMap::new();
        loop {
            let due = self.store().due_cases(now, BATCH).await?;
            let mut progressed = false;
            for d in &due {
                let Some(mut case) = self.store().case(d.id).await? else {
                    continue;
                };
                if case.version != d.version {
                    continue; // changed since it was listed: the next tick looks again
                }
                // One read per county per tick, not one per case.
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    ladders.entry(case.county_id)
                {
                    slot.insert(rulebook::ladder(self.store(), case.county_id).await?);
                }
                let ladder = &ladders[&case.county_id];
                let mut ctx = Ctx {
                    store: self.store(),
                    territory: &t,
                    calendar: &calendar,
                    ladder,
                    rules: &rules,
                    now,
                    actor: None,
                };
                let mut events = Vec::new();
                let late_sign = case.status == Status::Assigned
                    && case.sign_by.is_some_and(|s| s < now)
                    && case.overdue_at.is_none();
                let late_work = matches!(case.status, Status::SignedFor | Status::InProgress)
                    && case.deadline.is_some_and(|dl| dl < now)
                    && case.overdue_at.is_none();
                let mut did = None;
                if late_sign || late_work {
                    let reason = if late_sign {
                        "not signed for in time"
                    } else {
                        "not settled within the tier's working days"
                    };
                    let missed = if late_sign {
                        case.sign_by
                    } else {
                        case.deadline
                    };
                    match transition::escalate(&mut ctx, &mut case, &mut events, reason).await {
                        Ok(()) => {
                            if let Some(first) = events.first_mut() {
                                first.detail = merge_detail(
                                    &first.detail,
                                    json!({ "missed": missed.map(Instant), "by": "scheduler" }),
                                );
                            }
                            did = Some(&mut tick.escalated);
                        }
                        Err(CaseError::Refused(gridline_core::case::Refusal::TopTier)) => {
                            case.overdue_at = Some(now);
                            case.warn_at = None;
                            events.push(crate::store::cases::NewEvent {
                                at: now,
                                actor_id: None,
                                action: "overdue".into(),
                                detail: json!({ "missed": missed.map(Instant), "tier": case.tier, "tier_name": case.tier_name, "reason": reason }).to_string(),
                            });
                            did = Some(&mut tick.overdue_at_top);
                        }
                        Err(e) => return Err(e),
                    }
                } else if case.warn_at.is_some_and(|w| w <= now) {
                    case.warn_at = None;
                    let pending =
                        case.status.is_with_unit() && case.deadline.is_some_and(|dl| dl >= now);
                    if pending {
                        events.push(crate::store::cases::NewEvent {
                            at: now,
                            actor_id: None,
                            action: "deadline_warning".into(),
                            detail: json!({ "deadline": case.deadline.map(Instant), "tier_name": case.tier_name }).to_string(),
                        });
                        did = Some(&mut tick.warned);
                    }
                }
                case.version += 1;
                case.updated_at = now;
                let write = CaseWrite {
                    case: &case,
                    expected_version: Some(d.version),
                    events: &events,
                    parties: &[],
                    tasks: &[],
                    orders: &[],
                    photos: &[],
                    receipt: None,
                    intake_sha256: None,
                    outside: None,
                    redact: None,
                };
                if self.store().write_case(&write).await? == WriteOutcome::Written {
                    progressed = true;
                    if let Some(n) = did {
                        *n += 1;
                    }
                }
            }
            if due.len() < BATCH as usize || !progressed {
                break;
            }
        }
        Ok(tick)
    }
}

fn merge_detail(existing: &str, extra: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(existing).unwrap_or_else(|_| json!({}));
    if let (Some(obj), Some(add)) = (v.as_object_mut(), extra.as_object()) {
        for (k, val) in add {
            obj.insert(k.clone(), val.clone());
        }
    }
    v.to_string()
}
