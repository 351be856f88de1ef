//! The rows a phone holds: the cases and watched households in its user's
//! scope, each at the highest revision seen, so a change applied twice or
//! out of order is harmless. Pure.

use crate::sync::{CaseRecord, Change, ChangeOp, Entity};
use crate::wire::watch::WatchView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCase {
    pub rev: i64,
    pub record: CaseRecord,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedWatch {
    pub rev: i64,
    pub watch: WatchView,
}

/// A row that changed, to be written to storage (or removed from it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touched {
    Case(String),
    Watch(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cache {
    pub cases: BTreeMap<String, CachedCase>,
    pub watches: BTreeMap<String, CachedWatch>,
}

/// A change whose row did not read as the protocol says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change {seq} ({entity:?} {id}) is not readable: {reason}")]
pub struct BadChange {
    pub seq: u64,
    pub entity: Entity,
    pub id: String,
    pub reason: String,
}

impl Cache {
    /// Applies a snapshot's row whatever the revision held (after a restore
    /// the server's revisions can be lower than the phone's).
    ///
    /// # Errors
    /// As [`Cache::apply`].
    pub fn replace(&mut self, c: &Change) -> Result<Touched, BadChange> {
        match c.entity {
            Entity::Case => {
                self.cases.remove(&c.id);
            }
            Entity::Watch => {
                self.watches.remove(&c.id);
            }
        }
        self.apply(c)?.ok_or_else(|| BadChange {
            seq: c.seq,
            entity: c.entity,
            id: c.id.clone(),
            reason: "a snapshot row that is not an upsert".into(),
        })
    }

    /// Drops every row whose id is not in `keep`; what it dropped.
    pub fn retain(&mut self, keep: &std::collections::BTreeSet<String>) -> Vec<Touched> {
        let mut gone: Vec<Touched> = self
            .cases
            .keys()
            .filter(|k| !keep.contains(*k))
            .map(|k| Touched::Case(k.clone()))
            .collect();
        gone.extend(
            self.watches
                .keys()
                .filter(|k| !keep.contains(*k))
                .map(|k| Touched::Watch(k.clone())),
        );
        self.cases.retain(|k, _| keep.contains(k));
        self.watches.retain(|k, _| keep.contains(k));
        gone
    }

    /// Applies one change; what it touched, if anything (an older revision
    /// touches nothing).
    ///
    /// # Errors
    /// An upsert whose data is not a case record or a watch.
    pub fn apply(&mut self, c: &Change) -> Result<Option<Touched>, BadChange> {
        let bad = |reason: String| BadChange {
            seq: c.seq,
            entity: c.entity,
            id: c.id.clone(),
            reason,
        };
        match (c.entity, c.op) {
            (Entity::Case, ChangeOp::Remove) => Ok(self
                .cases
                .remove(&c.id)
                .map(|_| Touched::Case(c.id.clone()))),
            (Entity::Watch, ChangeOp::Remove) => Ok(self
                .watches
                .remove(&c.id)
                .map(|_| Touched::Watch(c.id.clone()))),
            (Entity::Case, ChangeOp::Upsert) => {
                if self.cases.get(&c.id).is_some_and(|h| h.rev > c.rev) {
                    return Ok(None);
                }
                let data = c.data.clone().ok_or_else(|| bad("no data".into()))?;
                let record: CaseRecord =
                    serde_json::from_value(data).map_err(|e| bad(e.to_string()))?;
                self.cases
                    .insert(c.id.clone(), CachedCase { rev: c.rev, record });
                Ok(Some(Touched::Case(c.id.clone())))
            }
            (Entity::Watch, ChangeOp::Upsert) => {
                if self.watches.get(&c.id).is_some_and(|h| h.rev > c.rev) {
                    return Ok(None);
                }
                let data = c.data.clone().ok_or_else(|| bad("no data".into()))?;
                let watch: WatchView =
                    serde_json::from_value(data).map_err(|e| bad(e.to_string()))?;
                self.watches
                    .insert(c.id.clone(), CachedWatch { rev: c.rev, watch });
                Ok(Some(Touched::Watch(c.id.clone())))
            }
        }
    }
}
