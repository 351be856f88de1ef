//! What the store keeps for privacy and audit: the log of requests that
//! changed something, the log of personal-data reads, and what is held
//! about one person (found by ID number, phone, email or account) so that
//! it can be exported or erased.

use super::StoreResult;
use super::intake::Contact;
use async_trait::async_trait;
use gridline_core::case::Party;
use gridline_core::{CaseId, DeviceId, OrgUnitId, Role, UserId};

/// One request, as the audit layer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub user_id: Option<UserId>,
    pub device_id: Option<DeviceId>,
    pub method: String,
    /// The route as registered, or the path when no route matched.
    pub route: String,
    pub path: String,
    pub status: u16,
    /// JSON; never personal data.
    pub detail: Option<String>,
}

/// An entry of the audit log with its place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub entry: AuditEntry,
}

/// A logged read of a case's personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRow {
    pub id: i64,
    pub at: i64,
    pub user_id: UserId,
    pub device_id: Option<DeviceId>,
    pub case_id: CaseId,
    pub via: String,
}

/// Which log entries to list: all of them, one person's, or one case's
/// (reads only), after a position, at most `limit`.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub user: Option<UserId>,
    pub case: Option<CaseId>,
    pub after: i64,
    pub limit: u32,
}

/// How a person is recognised. Every part given must be matched by itself
/// (any of them finds the person); at least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKey {
    pub id_number: Option<String>,
    /// In the form [`gridline_core::case::Phone`] keeps (no spaces or dashes).
    pub phone: Option<String>,
    /// Lower case.
    pub email: Option<String>,
    pub username: Option<String>,
}

/// A case party that is the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyHit {
    pub case_id: CaseId,
    pub position: i64,
    pub party: Party,
}

/// A resident's account that is the person, with what hangs off it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountHit {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
    pub disabled: bool,
    pub roles: Vec<(Role, OrgUnitId)>,
    /// Devices: id, platform, registered, last seen.
    pub devices: Vec<(DeviceId, String, i64, i64)>,
    /// The cases the account reported.
    pub reported: Vec<CaseId>,
}

/// Everything stored about one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFound {
    pub parties: Vec<PartyHit>,
    /// Contacts left with requests from outside (Open311, transfers).
    pub contacts: Vec<(CaseId, Contact)>,
    pub account: Option<AccountHit>,
}

/// What erasing a case's share of a person removes: the parties at these
/// positions, and the case's outside contact if `contact`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    pub parties: Vec<i64>,
    pub contact: bool,
}

/// What an erased party's name becomes; its phone and ID number are cleared.
pub const ERASED_NAME: &str = "（已删除）";

#[async_trait]
pub trait PrivacyStore {
    async fn record_action(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The audit log, oldest first, after `filter.after`.
    async fn actions(&self, filter: &LogFilter) -> StoreResult<Vec<AuditRow>>;
    /// The log of personal-data reads, oldest first, after `filter.after`.
    async fn reads(&self, filter: &LogFilter) -> StoreResult<Vec<ReadRow>>;
    async fn find_person(&self, key: &PersonKey) -> StoreResult<PersonFound>;
    /// Takes a resident's name off their account and closes it: the display
    /// name and username become `alias`, the password can no longer match,
    /// and its sessions and devices are revoked. The id (and with it every
    /// case event the account made) stays.
    async fn erase_account(&self, user: UserId, alias: &str, now: i64) -> StoreResult<()>;
}
