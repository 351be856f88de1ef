//! What the core holds: the session, the queue, the cached rows, the report
//! being written and where the sync loop stands.

use super::cache::Cache;
use super::draft::Draft;
use super::event::{ActionInput, Lang, Route};
use super::outbox::Outbox;
use super::photos::LocalPhoto;
use crate::wire::auth::Me;
use crate::wire::territory::DepartmentView;
use serde::{Deserialize, Serialize};

/// A logged-in user on a server. Stored, so a restart needs no password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub server: String,
    pub access: String,
    pub refresh: String,
    pub me: Me,
    /// The refresh token was refused: the user must log in again. The queue
    /// and the device stay; nothing waiting is lost.
    #[serde(default)]
    pub expired: bool,
}

/// Where this phone's copy of the server's log stands. Stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncMeta {
    pub cursor: Option<String>,
    pub epoch: Option<String>,
    /// The server's acknowledgement: every change up to it is applied and
    /// its effects are in the cache.
    pub ack: u64,
    /// The server asked for a fresh start: send the queue, then read a
    /// snapshot.
    pub reset: bool,
    pub last_synced_ms: Option<i64>,
}

/// What the sync loop has in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Idle,
    Registering,
    Refreshing,
    Pushing,
    Pulling,
    Snapshot,
    Uploading,
    /// Reading the departments for the co-handling picker.
    Departments,
}

/// Why the last attempt failed, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No network, a timeout, the server busy, or a portal in the way.
    Offline(String),
    /// The server refused something for good.
    Refused(String),
    /// The user must log in again.
    LoginNeeded,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncRun {
    pub phase: Phase,
    /// A long poll is out (in the foreground only).
    pub polling: bool,
    /// Somebody asked for a sync while one ran: run again after it.
    pub again: bool,
    /// Failures in a row, for the back-off.
    pub failures: u32,
    pub problem: Option<Problem>,
    /// The timer that counts; answers of older ones are ignored.
    pub timer: usize,
    pub foreground: bool,
    /// Rows seen in the snapshot being read (the others are dropped at its end).
    pub snapshot_seen: Option<std::collections::BTreeSet<String>>,
    /// The departments were asked for in this run of the app (once is
    /// enough: they change when the county reorganises, not daily).
    pub departments_asked: bool,
}

/// Something waiting for the phone's clock before it can be made.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Report,
    Act {
        case_id: String,
        input: ActionInput,
    },
    Visit {
        watch_id: String,
        note: String,
    },
    /// Just to know the time (on launch, on the foreground).
    Tick,
    /// A sync round ended well at this time.
    Synced,
}

/// The login form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginState {
    pub server: String,
    pub username: String,
    pub busy: bool,
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct Model {
    pub loaded: bool,
    pub lang: Lang,
    pub route: Route,
    pub back: Vec<Route>,
    pub session: Option<Session>,
    pub login: LoginState,
    pub outbox: Outbox,
    pub meta: SyncMeta,
    pub cache: Cache,
    pub run: SyncRun,
    pub draft: Draft,
    /// Photos whose bytes are still to be uploaded, oldest first.
    pub photos: Vec<LocalPhoto>,
    /// The departments the user may call in for co-handling, nearest
    /// first, as last fetched. Stored, so the picker works offline.
    pub departments: Vec<DepartmentView>,
    /// The phone's clock when last asked.
    pub now_ms: Option<i64>,
    /// A message for the user, shown once.
    pub toast: Option<String>,
    /// The phone's storage failed: shown until the user dismisses it (a
    /// later good sync says nothing about the storage).
    pub storage_error: Option<String>,
    /// Tokens of a login in progress, until `/v1/me` answers.
    pub provisional: Option<super::session::Provisional>,
    /// The platform and app version the shell gave at launch.
    pub device_info: (String, String),
}

impl Model {
    /// Drops the logged-in user's rows from memory (their stored copies
    /// stay under their own keys).
    pub fn forget_user(&mut self) {
        self.outbox = Outbox::default();
        self.meta = SyncMeta::default();
        self.cache = Cache::default();
        self.draft = Draft::default();
        self.photos.clear();
        self.departments.clear();
        self.run.departments_asked = false;
    }

    /// The storage prefix of the logged-in user's rows.
    #[must_use]
    pub fn user_prefix(&self) -> Option<String> {
        self.session
            .as_ref()
            .map(|s| super::persist::user_prefix(&s.me.id))
    }

    /// Whether the user holds a role that may call in departments (a
    /// resident never does).
    #[must_use]
    pub fn may_co_handle(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.me.roles.iter().any(|g| g.role != crate::Role::Resident))
    }
}
