//! Erasing a person from a case on request: their data goes, the case and
//! its history stay, with one more event saying what was taken out and by
//! whom. The case's version moves, so phones holding it receive it again
//! without the person.

use super::{Carried, CaseError, CaseResult, CaseService};
use crate::store::privacy::Redaction;
use gridline_core::{CaseId, UserId};
use serde_json::json;

/// How often an erasure retries a case someone else changed meanwhile.
const ATTEMPTS: usize = 5;

impl CaseService {
    /// Takes what `redaction` names out of case `id`, as `actor` asked.
    /// Whoever may call this was checked by the caller (an admin).
    pub async fn erase_from(
        &self,
        actor: UserId,
        id: CaseId,
        redaction: &Redaction,
    ) -> CaseResult<()> {
        for _ in 0..ATTEMPTS {
            let case = self
                .store
                .case(id)
                .await?
                .ok_or_else(|| CaseError::NotFound(id.to_string()))?;
            let what = json!({ "parties": redaction.parties, "contact": redaction.contact });
            let with = Carried {
                redact: Some(redaction),
                ..Carried::default()
            };
            match self.append_event(case, actor, "erase", what, with).await {
                Err(CaseError::VersionConflict) => {}
                done => return done,
            }
        }
        Err(CaseError::VersionConflict)
    }
}
