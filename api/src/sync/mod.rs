//! The sync service: devices, push (numbered mutations applied once each, in
//! order), pull (the change log in the caller's scope, with the device's
//! acknowledgement from the same snapshot), the snapshot a device starts
//! from, and compaction of the log. The protocol's types are in
//! `gridline_core::sync`; the log itself is written by the store at the end
//! of every case and register transaction.

pub mod cursor;
pub mod error;
mod pull;
mod push;

use crate::auth::service::Identity;
use crate::cases::CaseService;
use crate::clock::Clock;
use crate::store::Store;
use crate::store::scopes;
use crate::store::sync::{Compacted, DeviceRow};
use crate::territory::{Territory, TerritoryService};
use crate::watch::WatchService;
use cursor::Signer;
use error::{SyncError, SyncResult};
use gridline_core::sync::{DeviceView, NewDevice};
use gridline_core::{DeviceId, Role};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Most mutations in one push.
pub const MAX_BATCH: usize = 1000;
/// Most changes on one pull page, and the default.
pub const MAX_PAGE: u32 = 1000;
pub const DEFAULT_PAGE: u32 = 500;
/// Longest long-poll, seconds.
pub const MAX_WAIT_S: u64 = 25;
/// The compaction job's lease.
const JOB: &str = "sync_compact";
const LEASE_MS: i64 = 10 * 60 * 1000;
const COMPACT_EVERY_MS: i64 = 60 * 60 * 1000;

pub struct SyncService {
    store: Arc<dyn Store>,
    territory: Arc<TerritoryService>,
    cases: Arc<CaseService>,
    watches: Arc<WatchService>,
    clock: Arc<dyn Clock>,
    signer: Signer,
    retention_ms: i64,
    /// When this process next tries to compact.
    next_compaction: AtomicI64,
}

impl SyncService {
    pub fn new(
        store: Arc<dyn Store>,
        territory: Arc<TerritoryService>,
        cases: Arc<CaseService>,
        watches: Arc<WatchService>,
        clock: Arc<dyn Clock>,
        secret: &[u8],
        retention_days: u32,
    ) -> Self {
        Self {
            store,
            territory,
            cases,
            watches,
            clock,
            signer: Signer::new(secret),
            retention_ms: i64::from(retention_days.max(1)) * 86_400_000,
            next_compaction: AtomicI64::new(i64::MIN),
        }
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Registers the phone the caller is logged in on and ties the login
    /// session to it, so revoking the device ends the session.
    pub async fn register_device(&self, who: &Identity, new: NewDevice) -> SyncResult<DeviceView> {
        if let Some(v) = &new.app_version
            && (v.is_empty() || v.len() > 64 || v.chars().any(char::is_control))
        {
            return Err(SyncError::Invalid(
                "app_version must be 1 to 64 printable characters".into(),
            ));
        }
        let now = self.now();
        let device = DeviceRow {
            id: DeviceId::default(),
            user_id: who.user_id,
            platform: new.platform,
            app_version: new.app_version,
            last_applied: 0,
            acked: 0,
            registered_at: now,
            revoked_at: None,
        };
        self.store.register_device(&device).await?;
        self.store
            .bind_session_device(&who.session_id, device.id)
            .await?;
        Ok(DeviceView {
            device_id: device.id,
            last_applied: 0,
        })
    }

    /// The device's state, for its owner.
    pub async fn device(&self, who: &Identity, id: DeviceId) -> SyncResult<DeviceView> {
        let d = self.owned(who, id, false).await?;
        Ok(DeviceView {
            device_id: d.id,
            last_applied: d.last_applied,
        })
    }

    /// Revokes a device (its owner, or an admin): its sessions end, and it
    /// can neither push nor pull. What it had not sent stays on the phone,
    /// to be sent again from the device registered after the next login.
    pub async fn revoke_device(&self, who: &Identity, id: DeviceId) -> SyncResult<()> {
        let admin = who.roles.iter().any(|(r, _)| *r == Role::Admin);
        let device = self
            .store
            .device(id)
            .await?
            .filter(|d| admin || d.user_id == who.user_id)
            .ok_or_else(|| SyncError::UnknownDevice(id.to_string()))?;
        if device.revoked_at.is_none() {
            self.store.revoke_device(id, self.now()).await?;
        }
        Ok(())
    }

    /// The caller's device; unknown if it is someone else's.
    async fn owned(&self, who: &Identity, id: DeviceId, live: bool) -> SyncResult<DeviceRow> {
        let d = self
            .store
            .device(id)
            .await?
            .filter(|d| d.user_id == who.user_id)
            .ok_or_else(|| SyncError::UnknownDevice(id.to_string()))?;
        if live && d.revoked_at.is_some() {
            return Err(SyncError::DeviceRevoked(id.to_string()));
        }
        Ok(d)
    }

    /// The scope keys the caller pulls, derived from their roles now.
    fn scope_keys(who: &Identity, t: &Territory) -> Vec<String> {
        let cases = crate::cases::standing::scope(who, t);
        let watches = crate::watch::scope(who, t);
        scopes::of_caller(&cases, &watches).into_iter().collect()
    }

    /// Drops what is older than the retention window, at most hourly and
    /// under a lease so one replica does it.
    pub async fn tick(&self, holder: &str) -> SyncResult<Option<Compacted>> {
        let now = self.now();
        if now < self.next_compaction.load(Ordering::Relaxed) {
            return Ok(None);
        }
        self.next_compaction
            .store(now + COMPACT_EVERY_MS, Ordering::Relaxed);
        self.compact_now(holder, now).await
    }

    /// Compacts now if this holder gets the lease.
    pub async fn compact_now(&self, holder: &str, now: i64) -> SyncResult<Option<Compacted>> {
        if !self
            .store
            .acquire_lease(JOB, holder, now, now + LEASE_MS)
            .await?
        {
            return Ok(None);
        }
        Ok(Some(self.store.compact(now - self.retention_ms).await?))
    }
}
