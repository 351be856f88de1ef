//! Intake from outside systems ("no wrong door"): Open311 submissions,
//! with an API key or anonymous and rate-limited, and tickets transferred
//! from the 12345 hotline, the 110 platform and the courts. Every one
//! becomes a case through the same [`CaseService`] path as the app's, as a
//! resident's report that waits for acceptance; what the sender said about
//! themselves is kept beside it ([`crate::store::intake::Contact`]).
//!
//! Cases are reported by accounts that cannot log in: one per API key,
//! and one anonymous Open311 account per county.

pub mod error;
pub mod keys;
pub mod limit;
pub mod transfer;
pub mod webhooks;

use crate::auth::service::Identity;
use crate::cases::CaseService;
use crate::clock::Clock;
use crate::store::intake::{ApiKeyRow, Contact, Outside};
use crate::store::{NewUser, Store, StoreError};
use crate::territory::TerritoryService;
use error::{IntakeError, IntakeResult};
use gridline_core::case::Channel;
use gridline_core::wire::case::NewCase;
use gridline_core::{CaseId, OrgUnitId, OrgUnitKind, Role, UserId};
use limit::Limiter;
use std::net::IpAddr;
use std::sync::Arc;

/// The password hash of an outside account: not a hash, so no password
/// ever matches it and nobody logs in as one.
pub const NO_LOGIN: &str = "!outside-account";

/// Anonymous submissions are counted over this window.
const WINDOW_MS: i64 = 60 * 60 * 1000;

/// A key to make: its name, source channel and county (by code).
#[derive(Debug, Clone)]
pub struct NewKey {
    pub name: String,
    pub source: Channel,
    pub county: String,
}

pub struct IntakeService {
    store: Arc<dyn Store>,
    territory: Arc<TerritoryService>,
    cases: Arc<CaseService>,
    clock: Arc<dyn Clock>,
    limiter: Limiter,
    pub webhooks: webhooks::Deliverer,
}

impl IntakeService {
    pub fn new(
        store: Arc<dyn Store>,
        territory: Arc<TerritoryService>,
        cases: Arc<CaseService>,
        clock: Arc<dyn Clock>,
        anonymous_per_hour: u32,
    ) -> Self {
        Self {
            webhooks: webhooks::Deliverer::new(Arc::clone(&store), Arc::clone(&clock)),
            store,
            territory,
            cases,
            clock,
            limiter: Limiter::new(anonymous_per_hour, WINDOW_MS),
        }
    }

    pub fn cases(&self) -> &CaseService {
        &self.cases
    }

    /// Makes a key for `new.county`; the key is in the answer only.
    ///
    /// # Errors
    /// A bad name or county, or a name in use.
    pub async fn issue_key(&self, by: UserId, new: NewKey) -> IntakeResult<(ApiKeyRow, String)> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(IntakeError::Invalid(
                "name: give the system's name, 1 to 100 characters".into(),
            ));
        }
        let t = self.territory.current();
        let county = t
            .by_code(new.county.trim())
            .map(|i| t.unit(i))
            .filter(|u| u.kind == OrgUnitKind::County)
            .ok_or_else(|| {
                IntakeError::Invalid(format!("county: no county with code {:?}", new.county))
            })?;
        let taken = || IntakeError::Invalid(format!("name: a key named {name:?} exists already"));
        // Checked before the key's account is made, so a refusal leaves none.
        if self.store.api_keys().await?.iter().any(|k| k.name == name) {
            return Err(taken());
        }
        let id = uuid::Uuid::now_v7().simple().to_string();
        let user = self
            .account(&format!("key-{}", &id[id.len() - 12..]), name, county.id)
            .await?;
        let key = keys::new_key();
        let row = ApiKeyRow {
            id,
            name: name.to_owned(),
            source: new.source,
            key_sha256: keys::key_sha256(&key),
            user_id: user.user_id,
            county_id: county.id,
            created_by: by,
            created_at: self.clock.now_ms(),
            revoked_at: None,
        };
        match self.store.insert_api_key(&row).await {
            Ok(()) => Ok((row, key)),
            Err(StoreError::Conflict { .. }) => Err(taken()),
            Err(e) => Err(e.into()),
        }
    }

    /// The key presented, if it is known and not revoked.
    ///
    /// # Errors
    /// [`IntakeError::BadKey`] otherwise.
    pub async fn key(&self, presented: &str) -> IntakeResult<ApiKeyRow> {
        self.store
            .api_key_by_hash(&keys::key_sha256(presented))
            .await?
            .filter(|k| k.revoked_at.is_none())
            .ok_or_else(|| IntakeError::BadKey("the API key is unknown or revoked".into()))
    }

    /// The account a key's cases are reported by.
    ///
    /// # Errors
    /// Store failures; a key whose account is gone is corrupt.
    pub async fn key_identity(&self, key: &ApiKeyRow) -> IntakeResult<Identity> {
        let user = self
            .store
            .user_by_id(key.user_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("API key {} has no account", key.id)))?;
        Ok(Identity {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            session_id: format!("api-key:{}", key.id),
            roles: self.store.roles_of(user.id).await?,
            device: None,
        })
    }

    /// The anonymous Open311 account of a county, made when first needed.
    ///
    /// # Errors
    /// Store failures.
    pub async fn anonymous(&self, county: OrgUnitId, code: &str) -> IntakeResult<Identity> {
        self.account(
            &format!("open311.{}", code.to_ascii_lowercase()),
            "Open311",
            county,
        )
        .await
    }

    /// Counts an anonymous submission from `ip`.
    ///
    /// # Errors
    /// [`IntakeError::RateLimited`] past the hourly limit.
    pub fn admit(&self, ip: IpAddr) -> IntakeResult<()> {
        self.limiter
            .admit(ip, self.clock.now_ms())
            .map_err(|retry_after_s| IntakeError::RateLimited { retry_after_s })
    }

    /// Takes in a case from outside as `who`, keeping the sender's contact.
    ///
    /// # Errors
    /// What the case service refuses.
    pub async fn submit(
        &self,
        who: &Identity,
        key: Option<&ApiKeyRow>,
        new: NewCase,
        contact: Contact,
    ) -> IntakeResult<CaseId> {
        let outside = Outside {
            api_key_id: key.map(|k| k.id.clone()),
            contact: Some(contact),
            ticket: None,
        };
        Ok(self.cases.create_outside(who, new, &outside).await?)
    }

    /// An outside account by username: a resident of `county` that cannot
    /// log in. An account of that name that can log in is not used.
    async fn account(
        &self,
        username: &str,
        display: &str,
        county: OrgUnitId,
    ) -> IntakeResult<Identity> {
        for _ in 0..2 {
            if let Some(u) = self.store.user_by_username(username).await? {
                if u.password_hash != NO_LOGIN {
                    return Err(StoreError::Conflict {
                        what: "username",
                        value: username.to_owned(),
                    }
                    .into());
                }
                return Ok(Identity {
                    roles: self.store.roles_of(u.id).await?,
                    user_id: u.id,
                    username: u.username,
                    display_name: u.display_name,
                    session_id: "outside".into(),
                    device: None,
                });
            }
            let made = self
                .store
                .create_user(&NewUser {
                    id: UserId::new(),
                    username: username.to_owned(),
                    display_name: display.to_owned(),
                    password_hash: NO_LOGIN.to_owned(),
                    roles: vec![(Role::Resident, county)],
                })
                .await;
            match made {
                // Made, or made by a request at the same moment: read it.
                Ok(()) | Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::NotFound(format!("account {username}")).into())
    }
}
