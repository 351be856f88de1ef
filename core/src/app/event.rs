//! What happens to the core: what the user does (sent by the shell) and what
//! the shell answers (internal: never serialised, never in generated types).

use super::effects::{LocationResult, PhotoResult, StorageError};
use super::net::Call;
use super::persist::Loaded;
use crux_http::protocol::HttpResult;
use facet::Facet;
use serde::{Deserialize, Serialize};

/// The language the screens speak.
#[derive(Facet, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[repr(C)]
pub enum Lang {
    /// Simplified Chinese (zh-Hans), the default.
    #[default]
    Zh,
    En,
}

/// Where the user is.
#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[repr(C)]
pub enum Route {
    /// The role's home: a grid worker's open cases and due visits, a cadre's
    /// inbox, a resident's requests.
    #[default]
    Home,
    /// A new report (a grid worker) or request (a resident).
    NewReport,
    Case {
        id: String,
    },
    /// Watched households with their next visit.
    Visits,
    Visit {
        watch_id: String,
    },
}

/// A change to the report being written.
#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[repr(C)]
pub enum DraftEdit {
    Category {
        code: String,
    },
    Description {
        text: String,
    },
    /// Ask the phone where it is.
    UseMyLocation,
    /// A point set on the map (WGS84, or GCJ-02 from a Chinese map).
    Pin {
        lat: f64,
        lon: f64,
        crs: String,
    },
    AddParty {
        name: String,
        /// `applicant`, `respondent` or `other`.
        side: String,
        phone: String,
        id_number: String,
    },
    RemoveParty {
        index: u32,
    },
    PeopleAffected {
        count: u32,
    },
    AmountYuan {
        amount: u64,
    },
    TakePhoto,
    PickPhoto,
    RemovePhoto {
        index: u32,
    },
}

/// An action on a case, as its form collects it.
#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[repr(C)]
pub enum ActionInput {
    SignFor,
    Start,
    Note {
        text: String,
    },
    /// Ask the township to bring in departments (by unit id) with a task,
    /// due in `days` days.
    RequestCoHandling {
        units: Vec<String>,
        task: String,
        days: u32,
    },
    /// `outcome`: `mediated`, `agreement_signed`, `handled`…
    Resolve {
        outcome: String,
        summary: String,
    },
    Escalate {
        reason: String,
    },
    /// Not ours: send it back to be reassigned.
    Return {
        reason: String,
    },
    /// 1 to 5 stars, by the resident who asked.
    Rate {
        stars: u8,
        comment: String,
    },
}

#[derive(Facet, Debug, Serialize, Deserialize)]
#[repr(C)]
pub enum Event {
    /// The app was launched: read what was stored. `platform` is
    /// `android`, `ios` or `other`; both go to the server when the phone
    /// registers.
    Start {
        platform: String,
        app_version: String,
    },
    /// The app is on screen: sync now and keep a long poll open.
    Foreground,
    /// The app went to the background: no long poll; a timer retries.
    Background,
    SetLanguage {
        lang: Lang,
    },
    Login {
        server: String,
        username: String,
        password: String,
    },
    /// Leave the account. Refused while changes wait to be sent.
    Logout,
    Open {
        route: Route,
    },
    Back,
    Draft {
        edit: DraftEdit,
    },
    SubmitReport,
    DiscardDraft,
    Act {
        case_id: String,
        input: ActionInput,
    },
    RecordVisit {
        watch_id: String,
        note: String,
    },
    /// Try to sync now (pull to refresh).
    SyncNow,
    /// The user has read the refused changes and the storage error.
    DismissNotices,

    // What the shell answered. Internal.
    #[serde(skip)]
    #[facet(skip)]
    Loaded(#[facet(opaque)] Box<Loaded>),
    #[serde(skip)]
    #[facet(skip)]
    Answer(#[facet(opaque)] Box<Call>, #[facet(opaque)] Box<HttpResult>),
    #[serde(skip)]
    #[facet(skip)]
    Clock(#[facet(opaque)] Box<super::model::Pending>, Option<i64>),
    #[serde(skip)]
    #[facet(skip)]
    Timer(usize),
    #[serde(skip)]
    #[facet(skip)]
    Located(#[facet(opaque)] LocationResult),
    #[serde(skip)]
    #[facet(skip)]
    Photographed(#[facet(opaque)] PhotoResult),
    #[serde(skip)]
    #[facet(skip)]
    Uploaded(String, #[facet(opaque)] Box<super::photos::Uploaded>),
    #[serde(skip)]
    #[facet(skip)]
    Stored(#[facet(opaque)] Result<(), StorageError>),
}
