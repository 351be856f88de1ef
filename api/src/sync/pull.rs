//! `GET /v1/sync/pull` and `GET /v1/sync/snapshot`.
//!
//! A page of the log carries each entity it names once, at its last
//! position in the page, with its current row read in the same snapshot as
//! the log and the device's acknowledgement. An entity changed again after
//! the page's end is left for the page that reaches that change, so every
//! row sent is as it stood at the page's end, and the acknowledgement
//! covers exactly the mutations whose effects the pages so far include.

use super::SyncService;
use super::cursor::{Cursor, PageToken, scopes_hash};
use super::error::{SyncError, SyncResult};
use crate::auth::service::Identity;
use crate::cases::RecordPage;
use crate::store::sync::{
    CaseBundle, LoggedChange, PullQuery, SnapshotPart, SnapshotQuery, WatchBundle,
};
use crate::territory::Territory;
use gridline_core::DeviceId;
use gridline_core::sync::{
    Change, ChangeOp, Entity, PROTOCOL, PullPage, ResetReason, SnapshotPage,
};
use std::collections::HashMap;
use std::time::Duration;

const PARTS: [SnapshotPart; 3] = [
    SnapshotPart::OpenCases,
    SnapshotPart::ClosedCases,
    SnapshotPart::Watches,
];

fn reset(reason: ResetReason, message: &str) -> SyncError {
    SyncError::Reset {
        reason,
        message: message.to_owned(),
    }
}

impl SyncService {
    /// The changes in the caller's scope after `cursor`, waiting up to
    /// `wait_s` for one when there is none.
    pub async fn pull(
        &self,
        who: &Identity,
        device: DeviceId,
        cursor: Option<&str>,
        limit: u32,
        wait_s: u64,
    ) -> SyncResult<PullPage> {
        let d = self.owned(who, device, true).await?;
        let who = &who.on_device(device);
        let t = self.territory.current();
        let keys = Self::scope_keys(who, &t);
        let hash = scopes_hash(&keys);
        let head = self.store.log_head().await?;
        let from = match cursor {
            Some(token) => {
                let c: Cursor = self.signer.verify(token, "cursor")?;
                if c.epoch != head.epoch || c.seq > head.seq {
                    return Err(reset(
                        ResetReason::Epoch,
                        "the server's data was restored or rebuilt; send what is waiting, then start again from a snapshot",
                    ));
                }
                if c.seq < head.floor_seq {
                    return Err(reset(
                        ResetReason::Retention,
                        "this device was away longer than the server keeps changes; send what is waiting, then start again from a snapshot",
                    ));
                }
                if c.scopes != hash {
                    return Err(reset(
                        ResetReason::Scope,
                        "your roles changed what you may see; send what is waiting, then start again from a snapshot",
                    ));
                }
                c
            }
            None if head.floor_seq > 0 => {
                return Err(reset(
                    ResetReason::Retention,
                    "a device without a cursor starts from GET /v1/sync/snapshot",
                ));
            }
            None => Cursor {
                epoch: head.epoch.clone(),
                seq: 0,
                scopes: hash.clone(),
                ack: 0,
            },
        };
        if from.ack > d.acked {
            self.store.note_acked(device, from.ack, self.now()).await?;
        }
        let limit = limit.clamp(1, super::MAX_PAGE);
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(wait_s.min(super::MAX_WAIT_S));
        let mut changed = self.store.changes();
        let batch = loop {
            changed.borrow_and_update();
            let q = PullQuery {
                device,
                scopes: &keys,
                after: from.seq,
                limit,
            };
            let batch = self.store.pull(&q).await?;
            let news = !batch.changes.is_empty() || batch.ack > from.ack;
            if news
                || tokio::time::timeout_at(deadline, changed.changed())
                    .await
                    .is_err()
            {
                break batch;
            }
        };
        let changes = self
            .changes(
                who,
                &t,
                &batch.changes,
                &batch.cases,
                &batch.watches,
                batch.has_more,
            )
            .await?;
        let ack = batch.ack.max(from.ack);
        let next = Cursor {
            epoch: batch.head.epoch.clone(),
            seq: batch.end_seq.max(from.seq),
            scopes: hash,
            ack,
        };
        Ok(PullPage {
            protocol: PROTOCOL.into(),
            epoch: batch.head.epoch,
            changes,
            ack,
            cursor: self.signer.sign(&next),
            has_more: batch.has_more,
        })
    }

    /// The page's changes for `who`: each entity once, at its last position;
    /// an upsert they may not read becomes a removal.
    async fn changes(
        &self,
        who: &Identity,
        t: &Territory,
        logged: &[LoggedChange],
        cases: &[CaseBundle],
        watches: &[WatchBundle],
        partial: bool,
    ) -> SyncResult<Vec<Change>> {
        let cases: HashMap<String, &CaseBundle> =
            cases.iter().map(|b| (b.case.id.to_string(), b)).collect();
        let watches: HashMap<String, &WatchBundle> = watches
            .iter()
            .map(|b| (b.watch.id.to_string(), b))
            .collect();
        let mut last: HashMap<(Entity, &str), usize> = HashMap::new();
        for (i, c) in logged.iter().enumerate() {
            last.insert((c.entity, c.entity_id.as_str()), i);
        }
        let mut page = RecordPage::default();
        let mut out = Vec::with_capacity(last.len());
        for (i, c) in logged.iter().enumerate() {
            if last.get(&(c.entity, c.entity_id.as_str())) != Some(&i) {
                continue;
            }
            let current = match (c.op, c.entity) {
                (ChangeOp::Remove, _) => None,
                (ChangeOp::Upsert, Entity::Case) => cases
                    .get(&c.entity_id)
                    .map(|b| (b.case.version, Entity::Case)),
                (ChangeOp::Upsert, Entity::Watch) => watches
                    .get(&c.entity_id)
                    .map(|b| (b.watch.version, Entity::Watch)),
            };
            // Changed again past this page's end: it comes with that change.
            if partial && current.is_some_and(|(rev, _)| rev > c.rev) {
                continue;
            }
            let data = match current {
                None => None,
                Some((_, Entity::Case)) => match cases.get(&c.entity_id) {
                    Some(b) => self
                        .cases
                        .record_of(who, t, &mut page, b)
                        .await?
                        .map(|r| serde_json::to_value(r).unwrap_or_default()),
                    None => None,
                },
                Some((_, Entity::Watch)) => match watches.get(&c.entity_id) {
                    Some(b) => self
                        .watches
                        .record_of(who, t, &mut page.people, b)
                        .await?
                        .map(|r| serde_json::to_value(r).unwrap_or_default()),
                    None => None,
                },
            };
            let rev = current.map_or(c.rev, |(rev, _)| rev);
            out.push(Change {
                seq: u64::try_from(c.seq).unwrap_or(0),
                entity: c.entity,
                id: c.entity_id.clone(),
                op: if data.is_some() {
                    ChangeOp::Upsert
                } else {
                    ChangeOp::Remove
                },
                rev,
                data,
            });
        }
        self.cases
            .log_party_reads(who, &mut page, "GET /v1/sync/pull")
            .await?;
        Ok(out)
    }

    /// A page of the current rows in the caller's scope: open cases, then
    /// closed ones, then the register. The first page fixes the cursor to
    /// pull from afterwards.
    pub async fn snapshot(
        &self,
        who: &Identity,
        device: DeviceId,
        page: Option<&str>,
        limit: u32,
    ) -> SyncResult<SnapshotPage> {
        self.owned(who, device, true).await?;
        let who = &who.on_device(device);
        let t = self.territory.current();
        let keys = Self::scope_keys(who, &t);
        let hash = scopes_hash(&keys);
        let mut token = match page {
            Some(p) => {
                let tok: PageToken = self.signer.verify(p, "page token")?;
                if tok.resume.scopes != hash {
                    return Err(reset(
                        ResetReason::Scope,
                        "your roles changed while the snapshot was read; start it again",
                    ));
                }
                tok
            }
            None => {
                let head = self.store.log_head().await?;
                PageToken {
                    part: 0,
                    after_id: None,
                    resume: Cursor {
                        epoch: head.epoch,
                        seq: head.seq,
                        scopes: hash,
                        ack: 0,
                    },
                }
            }
        };
        let limit = limit.clamp(1, super::MAX_PAGE);
        let mut changes = Vec::new();
        let mut page = RecordPage::default();
        let mut epoch = token.resume.epoch.clone();
        while (token.part as usize) < PARTS.len() && changes.len() < limit as usize {
            let q = SnapshotQuery {
                scopes: &keys,
                part: PARTS[token.part as usize],
                after_id: token.after_id.clone(),
                limit: limit - u32::try_from(changes.len()).unwrap_or(0),
            };
            let batch = self.store.snapshot(&q).await?;
            epoch = batch.head.epoch.clone();
            if epoch != token.resume.epoch {
                return Err(reset(
                    ResetReason::Epoch,
                    "the server's data was restored or rebuilt while the snapshot was read; start it again",
                ));
            }
            let got = batch.cases.len() + batch.watches.len();
            let seq = u64::try_from(token.resume.seq).unwrap_or(0);
            for b in &batch.cases {
                token.after_id = Some(b.case.id.to_string());
                if let Some(r) = self.cases.record_of(who, &t, &mut page, b).await? {
                    changes.push(Change {
                        seq,
                        entity: Entity::Case,
                        id: b.case.id.to_string(),
                        op: ChangeOp::Upsert,
                        rev: b.case.version,
                        data: Some(serde_json::to_value(r).unwrap_or_default()),
                    });
                }
            }
            for b in &batch.watches {
                token.after_id = Some(b.watch.id.to_string());
                if let Some(r) = self.watches.record_of(who, &t, &mut page.people, b).await? {
                    changes.push(Change {
                        seq,
                        entity: Entity::Watch,
                        id: b.watch.id.to_string(),
                        op: ChangeOp::Upsert,
                        rev: b.watch.version,
                        data: Some(serde_json::to_value(r).unwrap_or_default()),
                    });
                }
            }
            if got < q.limit as usize {
                token.part += 1;
                token.after_id = None;
            }
        }
        self.cases
            .log_party_reads(who, &mut page, "GET /v1/sync/snapshot")
            .await?;
        let done = token.part as usize >= PARTS.len();
        Ok(SnapshotPage {
            protocol: PROTOCOL.into(),
            epoch,
            changes,
            next_page: (!done).then(|| self.signer.sign(&token)),
            cursor: self.signer.sign(&token.resume),
        })
    }
}
