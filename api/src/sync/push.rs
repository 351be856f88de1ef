//! `POST /v1/sync/push`: numbered mutations, carried out in order, each
//! with its answer and the device's new last applied number; on SQLite all
//! in one transaction, made durable by one commit at the end (see
//! `store::sql::conn` for why not on PostgreSQL).
//!
//! - A number at or below the last applied gets the stored answer again.
//! - A number past the next is refused with the one expected; nothing after
//!   it is looked at.
//! - A mutation that can never apply is recorded as rejected with a code
//!   and a reason, and the queue goes on. An action refused because the
//!   case moved on (or left the device's hands) is also written into the
//!   case's history as a conflict, so both sides see it and nothing is lost.
//!   Each write is a savepoint, so a refused one leaves nothing behind.
//! - A store failure (or a failed commit) ends the push with `503`, no
//!   results and the last applied number from before it: the device sends
//!   it all again and gets each answer once (on SQLite nothing of the push
//!   was kept; on PostgreSQL what was applied answers from its receipt).

use super::SyncService;
use super::error::{SyncError, SyncResult};
use crate::auth::service::Identity;
use crate::cases::CaseService;
use crate::cases::error::CaseError;
use crate::cases::intake_sha256;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::store::sync::{DeviceRow, Receipt};
use crate::store::{Store, StoreError};
use crate::watch::WatchService;
use gridline_core::sync::{
    Command, Mutation, MutationResult, MutationStatus, PROTOCOL, PushRequest, PushResponse, Stop,
};
use serde_json::json;
use std::sync::Arc;

/// Tries of one mutation that loses a version race to another writer.
const TRIES: u32 = 3;

/// How one mutation ended, before its answer is written.
enum Verdict {
    /// Written with its effects (the answer is stored).
    Done,
    /// Refused for good: store this answer and go on.
    Reject { code: String, message: String },
    /// Already dealt with by someone else: read the stored answer.
    Stale,
}

fn result_of(r: &Receipt) -> MutationResult {
    MutationResult {
        number: r.number,
        status: r.status,
        code: r.code.clone(),
        message: r.message.clone(),
        id: r.entity_id.clone(),
    }
}

/// The client-facing code and message of a case error.
fn code_of(e: CaseError) -> (String, String) {
    let api = ApiError::from(e);
    let code = serde_json::to_value(api.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "invalid_input".into());
    (code, api.message)
}

/// One push under way: the services, each on the push's batch (or on the
/// store itself when there is no batch).
struct Pushing {
    store: Arc<dyn Store>,
    cases: CaseService,
    watches: WatchService,
    clock: Arc<dyn Clock>,
}

impl SyncService {
    pub async fn push(&self, who: &Identity, req: PushRequest) -> SyncResult<PushResponse> {
        if req.mutations.len() > super::MAX_BATCH {
            return Err(SyncError::Invalid(format!(
                "{} mutations in one push; send at most {}",
                req.mutations.len(),
                super::MAX_BATCH
            )));
        }
        if req.mutations.iter().any(|m| m.number == 0) {
            return Err(SyncError::Invalid("mutation numbers start at 1".into()));
        }
        let device = self.owned(who, req.device_id, true).await?;
        let who = &who.on_device(device.id);
        // A full disk passes later than a database restarting: the phone
        // waits as long as a REST client would be told to.
        let unavailable = |e: &StoreError| {
            tracing::warn!(error = %e, device = %device.id, "push undone");
            let retry_after_s = e
                .fault()
                .map_or(super::error::RETRY_AFTER_S, |f| f.told().1);
            SyncError::Unavailable(Box::new(PushResponse {
                protocol: PROTOCOL.into(),
                results: Vec::new(),
                last_applied: device.last_applied,
                stopped: Some(Stop::Unavailable { retry_after_s }),
            }))
        };
        // One mutation to carry out commits on its own: a batch would only
        // add its own begin and commit around it.
        let fresh = req
            .mutations
            .iter()
            .filter(|m| m.number > device.last_applied)
            .count();
        let batch = if fresh > 1 {
            Some(
                self.store
                    .begin_batch()
                    .await
                    .map_err(|e| unavailable(&e))?,
            )
        } else {
            None
        };
        let store = batch
            .as_ref()
            .map_or_else(|| self.store.clone(), |b| b.store());
        let pushing = Pushing {
            cases: self.cases.in_batch(store.clone()),
            watches: self.watches.in_batch(store.clone()),
            store,
            clock: self.clock.clone(),
        };
        let done = match pushing.run(who, &device, &req).await {
            Ok(done) => done,
            Err(SyncError::Store(e)) => return Err(unavailable(&e)),
            Err(e) => return Err(e),
        };
        drop(pushing);
        if let Some(batch) = batch {
            batch.commit().await.map_err(|e| unavailable(&e))?;
        }
        Ok(done)
    }
}

impl Pushing {
    /// Every mutation of the push in turn, up to a gap.
    /// (Another push from the same device at once may have moved it on since
    /// `device` was read: each mutation's claim of its number finds that, and
    /// the answer stored by the other push is given.)
    async fn run(
        &self,
        who: &Identity,
        device: &DeviceRow,
        req: &PushRequest,
    ) -> SyncResult<PushResponse> {
        let mut last = device.last_applied;
        let mut results = Vec::with_capacity(req.mutations.len());
        let mut stopped = None;
        for m in &req.mutations {
            if m.number <= last {
                results.push(self.stored(req.device_id, m.number).await?);
                continue;
            }
            if m.number > last + 1 {
                stopped = Some(Stop::Gap { expected: last + 1 });
                break;
            }
            results.push(self.carry_out(who, &device.id, m).await?);
            last = m.number;
        }
        Ok(PushResponse {
            protocol: PROTOCOL.into(),
            results,
            last_applied: last,
            stopped,
        })
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The stored answer to a mutation already dealt with.
    async fn stored(
        &self,
        device: gridline_core::DeviceId,
        number: u64,
    ) -> SyncResult<MutationResult> {
        Ok(match self.store.receipt(device, number).await? {
            Some(r) => result_of(&r),
            // Forgotten after the device acknowledged it.
            None => MutationResult {
                number,
                status: MutationStatus::Duplicate,
                code: None,
                message: None,
                id: None,
            },
        })
    }

    /// Carries out the next mutation and returns its answer.
    async fn carry_out(
        &self,
        who: &Identity,
        device: &gridline_core::DeviceId,
        m: &Mutation,
    ) -> SyncResult<MutationResult> {
        let mut receipt = Receipt {
            device_id: *device,
            number: m.number,
            name: m.name.clone(),
            status: MutationStatus::Applied,
            code: None,
            message: None,
            entity_id: None,
            device_time: m.device_time.clone(),
            at: self.now(),
        };
        let verdict = match m.command() {
            Err(r) => Verdict::Reject {
                code: r.code.into(),
                message: r.message,
            },
            Ok(cmd) => {
                let mut tries = 0;
                loop {
                    tries += 1;
                    receipt.status = MutationStatus::Applied;
                    receipt.code = None;
                    receipt.message = None;
                    match self.command(who, &mut receipt, cmd.clone(), m).await {
                        Err(CaseError::VersionConflict) if tries < TRIES => {}
                        Err(CaseError::Stale) => break Verdict::Stale,
                        Err(CaseError::Store(e)) => return Err(e.into()),
                        Err(e) => {
                            let (code, message) = code_of(e);
                            break Verdict::Reject { code, message };
                        }
                        Ok(v) => break v,
                    }
                }
            }
        };
        match verdict {
            Verdict::Done => Ok(result_of(&receipt)),
            Verdict::Stale => self.stored(*device, m.number).await,
            Verdict::Reject { code, message } => {
                receipt.status = MutationStatus::Rejected;
                receipt.code = Some(code);
                receipt.message = Some(message);
                if self.store.record_receipt(&receipt).await? {
                    Ok(result_of(&receipt))
                } else {
                    self.stored(*device, m.number).await
                }
            }
        }
    }

    /// Runs one command with `receipt` (its entity filled in); the answer is
    /// written with the effects.
    async fn command(
        &self,
        who: &Identity,
        receipt: &mut Receipt,
        cmd: Command,
        m: &Mutation,
    ) -> Result<Verdict, CaseError> {
        match cmd {
            Command::CaseCreate(mut new) => {
                let id = *new.id.get_or_insert_with(Default::default);
                receipt.entity_id = Some(id.to_string());
                if let Some(existing) = self.store.case(id).await? {
                    // The same id again from another device (a reinstall).
                    if existing.reporter_id != who.user_id {
                        return Err(CaseError::IdTaken(id.to_string()));
                    }
                    if self.store.case_intake(id).await?.as_deref() == Some(&intake_sha256(&new)) {
                        return self.duplicate(receipt).await;
                    }
                    let message = format!(
                        "case {id} already exists with different content; what this device sent is kept in its history as a conflict"
                    );
                    return self
                        .conflict(who, id, m, receipt, "conflict", message)
                        .await;
                }
                self.cases.create_with(who, new, Some(receipt)).await?;
                Ok(Verdict::Done)
            }
            Command::CaseAct { case, from, action } => {
                receipt.entity_id = Some(case.to_string());
                match self
                    .cases
                    .act_with(who, case, from, action, Some(receipt))
                    .await
                {
                    Ok(()) => Ok(Verdict::Done),
                    // Lost a race, or the case left this person's hands:
                    // kept in the case's history as a conflict.
                    Err(e @ CaseError::Refused(_)) => {
                        self.lost_race(who, case, m, receipt, e).await
                    }
                    Err(e @ CaseError::NotFound(_)) if self.had_a_hand(who, case).await? => {
                        self.lost_race(who, case, m, receipt, e).await
                    }
                    Err(e) => Err(e),
                }
            }
            Command::WatchRegister(mut new) => {
                let id = *new.id.get_or_insert_with(Default::default);
                receipt.entity_id = Some(id.to_string());
                if let Some(existing) = self.store.watch(id).await? {
                    if existing.created_by != who.user_id {
                        return Err(CaseError::IdTaken(id.to_string()));
                    }
                    return self.duplicate(receipt).await;
                }
                self.watches.register_with(who, new, Some(receipt)).await?;
                Ok(Verdict::Done)
            }
            Command::WatchVisit { watch, visit } => {
                receipt.entity_id = Some(watch.to_string());
                self.watches
                    .visit_with(who, watch, visit, Some(receipt))
                    .await?;
                Ok(Verdict::Done)
            }
            Command::PhotoAttach(meta) => {
                receipt.entity_id = Some(meta.photo.to_string());
                let photo = vec![meta.new_photo()];
                if self
                    .cases
                    .attach_photos(who, meta.case, photo, Some(receipt))
                    .await?
                {
                    return Ok(Verdict::Done);
                }
                self.duplicate(receipt).await
            }
        }
    }

    /// Answers `duplicate`: what the mutation asked for is already there.
    async fn duplicate(&self, receipt: &mut Receipt) -> Result<Verdict, CaseError> {
        receipt.status = MutationStatus::Duplicate;
        Ok(if self.store.record_receipt(receipt).await? {
            Verdict::Done
        } else {
            Verdict::Stale
        })
    }

    /// Whether the case exists and `who` reported it or acted on it: only
    /// then is their refused action written into its history (a stranger's
    /// is refused as not found, and leaves no trace).
    async fn had_a_hand(
        &self,
        who: &Identity,
        case: gridline_core::CaseId,
    ) -> Result<bool, CaseError> {
        let Some(row) = self.store.case(case).await? else {
            return Ok(false);
        };
        if row.reporter_id == who.user_id {
            return Ok(true);
        }
        let events = self.store.case_events(case).await?;
        Ok(events.iter().any(|e| e.actor_id == Some(who.user_id)))
    }

    async fn lost_race(
        &self,
        who: &Identity,
        case: gridline_core::CaseId,
        m: &Mutation,
        receipt: &mut Receipt,
        e: CaseError,
    ) -> Result<Verdict, CaseError> {
        let (code, message) = code_of(e);
        let message = format!("{message}; recorded in the case's history as a conflict");
        self.conflict(who, case, m, receipt, &code, message).await
    }

    /// Writes a conflict into the case's history with the rejected answer.
    async fn conflict(
        &self,
        who: &Identity,
        case: gridline_core::CaseId,
        m: &Mutation,
        receipt: &mut Receipt,
        code: &str,
        message: String,
    ) -> Result<Verdict, CaseError> {
        receipt.status = MutationStatus::Rejected;
        receipt.code = Some(code.to_owned());
        receipt.message = Some(message);
        let what = json!({
            "mutation": m.name,
            "args": m.args,
            "device": receipt.device_id,
            "number": m.number,
            "device_time": m.device_time,
            "refused": code,
        });
        self.cases.record_conflict(who, case, what, receipt).await?;
        Ok(Verdict::Done)
    }
}
