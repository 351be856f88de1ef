//! Storage. One `Store` trait, written so that SQLite (the embedded default)
//! and PostgreSQL (scale-out) can both implement it; the only SQL in the
//! project lives in its implementations, and handlers never see sqlx types.

pub mod cases;
pub mod intake;
pub mod photos;
pub mod privacy;
pub mod scopes;
pub mod sql;
pub mod sync;
pub mod watches;
pub mod webhooks;

pub use cases::CaseStore;
pub use intake::IntakeStore;
pub use photos::PhotoStore;
pub use privacy::PrivacyStore;
pub use sync::SyncStore;
pub use watches::WatchStore;
pub use webhooks::WebhookStore;

use async_trait::async_trait;
use gridline_core::department::DepartmentKind;
use gridline_core::{OrgUnitId, OrgUnitKind, Role, UserId};
use std::sync::Arc;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (a code, a username) is taken.
    #[error("{what} {value:?} already exists")]
    Conflict { what: &'static str, value: String },
    /// A code names an existing unit of another kind.
    #[error("code {code:?} already names a {existing}, not a {wanted}")]
    KindMismatch {
        code: String,
        existing: OrgUnitKind,
        wanted: OrgUnitKind,
    },
    #[error("{0} not found")]
    NotFound(String),
    /// Stored data that cannot be read back (a bug or tampering).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The store cannot be opened as configured.
    #[error("{0}")]
    Config(String),
    /// A bug: the store used in a way it cannot serve.
    #[error("store misused: {0}")]
    Misuse(&'static str),
}

/// A failure of the database itself, as clients may be told of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFault {
    /// The disk (or the database's quota) is full: nothing was written.
    Full,
    /// The database cannot be reached now: down, restarting, or no
    /// connection free in time.
    Unreachable,
}

impl StoreFault {
    /// What a client is told of it, and in how many seconds to retry.
    #[must_use]
    pub fn told(self) -> (&'static str, u64) {
        match self {
            Self::Full => (
                "the server's storage is full, so nothing from this request was kept; try again later",
                60,
            ),
            Self::Unreachable => (
                "the server cannot reach its database now, so nothing from this request was kept; try again shortly",
                5,
            ),
        }
    }
}

impl StoreError {
    /// Whether this is the database failing rather than the request or a
    /// bug: a full disk or an unreachable server, which pass once the
    /// operator acts, so clients are told to retry (`503 unavailable`).
    #[must_use]
    pub fn fault(&self) -> Option<StoreFault> {
        let StoreError::Database(e) = self else {
            return None;
        };
        match e {
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                Some(StoreFault::Full)
            }
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Some(StoreFault::Unreachable),
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // SQLITE_FULL; PostgreSQL's disk_full.
                Some("13" | "53100") => Some(StoreFault::Full),
                // PostgreSQL: connection exceptions, shutting down, starting up.
                Some(c) if c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03") => {
                    Some(StoreFault::Unreachable)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// Writes made through [`Batch::store`], grouped. On SQLite they run in one
/// transaction, each write a savepoint in it, and last only once
/// [`Batch::commit`] returns (a batch dropped without it leaves nothing
/// behind); on PostgreSQL each write commits on its own, as outside a
/// batch. Either way a caller that answers for the writes only after the
/// commit never claims more than is stored.
#[async_trait]
pub trait Batch: Send + Sync {
    /// The store whose statements run in this batch. Use it for one thing
    /// at a time: a second statement while one runs is refused.
    fn store(&self) -> Arc<dyn Store>;
    /// Makes the batch durable at once.
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// An org unit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub kind: OrgUnitKind,
    pub code: String,
    pub name: String,
    pub parent_id: Option<OrgUnitId>,
    /// What a department unit is; `None` for every other kind.
    pub department: Option<DepartmentKind>,
}

/// A department to create under a township or county.
#[derive(Debug, Clone)]
pub struct NewDepartment {
    pub id: OrgUnitId,
    pub kind: DepartmentKind,
    pub code: String,
    pub name: String,
    pub parent_id: OrgUnitId,
}

/// A grid's polygon as stored (WKB, WGS84).
#[derive(Debug, Clone)]
pub struct GridShape {
    pub org_unit_id: OrgUnitId,
    pub wkb: Vec<u8>,
}

/// A unit to create if no unit has its code yet.
#[derive(Debug, Clone)]
pub struct UnitUpsert {
    pub kind: OrgUnitKind,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
}

/// A grid to create; its code must be new.
#[derive(Debug, Clone)]
pub struct NewGrid {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub wkb: Vec<u8>,
    pub bbox: [f64; 4],
    pub vertex_count: usize,
    pub area_m2: f64,
}

/// Everything one import writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct TerritoryBatch {
    /// Parents first: counties, then townships, then villages.
    pub units: Vec<UnitUpsert>,
    pub grids: Vec<NewGrid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub units_created: usize,
    pub grids_created: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<(Role, OrgUnitId)>,
}

/// A person holding a role at a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHolder {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: OrgUnitId,
    /// Takes new cases now.
    pub on_duty: bool,
}

/// What presenting a refresh token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshUse {
    /// The token was good and is now used; issue the next one in `session_id`.
    Valid { session_id: String, user_id: UserId },
    /// The token had been used before: the session is now revoked.
    Replayed,
    /// Unknown, expired, or its session ended.
    Invalid,
}

#[async_trait]
pub trait Store:
    CaseStore
    + IntakeStore
    + PhotoStore
    + PrivacyStore
    + WatchStore
    + WebhookStore
    + SyncStore
    + Send
    + Sync
    + 'static
{
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;

    // Territory.
    /// Writes the batch in one transaction: all of it or, on any error, none.
    async fn import_territory(&self, batch: &TerritoryBatch) -> StoreResult<ImportCounts>;
    async fn org_units(&self) -> StoreResult<Vec<OrgUnit>>;
    /// Creates a department unit; its code must be new.
    async fn add_department(&self, department: &NewDepartment) -> StoreResult<()>;
    async fn grid_shapes(&self) -> StoreResult<Vec<GridShape>>;
    /// A number that changes whenever the territory does.
    async fn territory_version(&self) -> StoreResult<i64>;

    // Users.
    async fn create_user(&self, user: &NewUser) -> StoreResult<()>;
    /// Replaces a user's password hash; `NotFound` if there is no such user.
    async fn set_password_hash(&self, username: &str, hash: &str) -> StoreResult<()>;
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;
    async fn user_by_id(&self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn roles_of(&self, user: UserId) -> StoreResult<Vec<(Role, OrgUnitId)>>;
    async fn role_holders_at(&self, units: &[OrgUnitId]) -> StoreResult<Vec<RoleHolder>>;
    /// Puts a role holder on or off duty; false if they hold no role there.
    async fn set_on_duty(&self, user: UserId, unit: OrgUnitId, on_duty: bool) -> StoreResult<bool>;
    async fn user_count(&self) -> StoreResult<u64>;

    // Sessions and refresh tokens.
    async fn create_session(&self, session_id: &str, user: UserId, now_ms: i64) -> StoreResult<()>;
    async fn session_active(&self, session_id: &str) -> StoreResult<bool>;
    async fn revoke_session(&self, session_id: &str, now_ms: i64) -> StoreResult<()>;
    async fn insert_refresh_token(
        &self,
        hash: &[u8],
        session_id: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> StoreResult<()>;
    /// Marks the token used if it is valid; see [`RefreshUse`].
    async fn use_refresh_token(&self, hash: &[u8], now_ms: i64) -> StoreResult<RefreshUse>;
    /// The session a refresh token belongs to, used or not.
    async fn refresh_token_session(&self, hash: &[u8]) -> StoreResult<Option<String>>;

    // Login throttling.
    async fn record_login_failure(&self, keys: &[String], now_ms: i64) -> StoreResult<()>;
    /// Failures for `key` since `since_ms`: how many, and the oldest one's time.
    async fn login_failures_since(
        &self,
        key: &str,
        since_ms: i64,
    ) -> StoreResult<(u32, Option<i64>)>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;

    // Small settings shared by every replica.
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    /// Stores `value` unless the key has one, and returns what is stored.
    async fn meta_or_insert(&self, key: &str, value: &str) -> StoreResult<String>;

    /// Opens a [`Batch`]: on SQLite it holds the write lock until it ends,
    /// so keep it short (one push).
    async fn begin_batch(&self) -> StoreResult<Box<dyn Batch>>;
}
