//! What the core asks of the shell: draw, HTTP, key-value storage, time, and
//! two operations of the phone itself (its position and a photo).
//!
//! crux's own capability helpers `panic!` when a shell answers with the wrong
//! variant; the core must not panic (a panic inside the bridge poisons the
//! model for ever), so these helpers map every answer, the wrong ones to an
//! error the update function handles.

use super::event::Event;
use crux_core::Command;
use crux_core::command::RequestBuilder;
use crux_core::macros::effect;
use crux_core::render::RenderOperation;
use crux_http::protocol::{HttpRequest, HttpResult};
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use crux_time::{TimeRequest, TimeResponse, TimerId};
use facet::Facet;
use facet_generate_attrs as typegen;
use serde::{Deserialize, Serialize};
use std::future::Future;

#[effect(facet_typegen)]
pub enum Effect {
    Render(RenderOperation),
    Http(HttpRequest),
    KeyValue(KeyValueOperation),
    Time(TimeRequest),
    Location(LocationOperation),
    Photo(PhotoOperation),
}

/// Ask the phone where it is.
#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[repr(C)]
pub enum LocationOperation {
    /// One fix, as good as the phone can get within `timeout_ms`.
    Current { timeout_ms: u32 },
}

/// A position fix, in the coordinate system the phone's location service
/// reports: WGS84 from GPS and the platform APIs (`crs` "wgs84"); some
/// Chinese map SDKs report GCJ-02 ("gcj02").
#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    /// Radius of 68 % confidence, metres.
    pub accuracy_m: f64,
    pub crs: String,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[repr(C)]
pub enum LocationResult {
    Fix(Fix),
    /// The user refused location access.
    Denied,
    /// No fix in time (indoors, no signal).
    Unavailable {
        reason: String,
    },
}

impl crux_core::capability::Operation for LocationOperation {
    type Output = LocationResult;
}

/// Ask the phone for a photo.
#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[repr(C)]
pub enum PhotoOperation {
    /// Open the camera.
    Take,
    /// Pick one from the gallery.
    Pick,
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[repr(C)]
pub enum PhotoResult {
    /// JPEG or PNG bytes, already scaled down by the shell if it wishes.
    Photo {
        #[facet(typegen::bytes)]
        bytes: Vec<u8>,
        mime: String,
    },
    Cancelled,
    Failed {
        reason: String,
    },
}

impl crux_core::capability::Operation for PhotoOperation {
    type Output = PhotoResult;
}

/// An HTTP exchange. Every status comes back as a response; only a failure
/// to talk to the server at all is an error.
pub fn http(req: HttpRequest) -> RequestBuilder<Effect, Event, impl Future<Output = HttpResult>> {
    Command::request_from_shell(req)
}

/// The shell's storage failed or answered another question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

fn kv_value(r: KeyValueResult) -> Result<Option<Vec<u8>>, StorageError> {
    match r {
        KeyValueResult::Ok {
            response:
                KeyValueResponse::Get { value }
                | KeyValueResponse::Set { previous: value }
                | KeyValueResponse::Delete { previous: value },
        } => Ok(value.into()),
        KeyValueResult::Ok { response } => Err(StorageError(format!(
            "the storage answered {response:?} to a read or write"
        ))),
        KeyValueResult::Err { error } => Err(StorageError(error.to_string())),
    }
}

pub fn kv_set(
    key: impl Into<String>,
    value: Vec<u8>,
) -> RequestBuilder<Effect, Event, impl Future<Output = Result<Option<Vec<u8>>, StorageError>>> {
    Command::request_from_shell(KeyValueOperation::Set {
        key: key.into(),
        value,
    })
    .map(kv_value)
}

pub fn kv_delete(
    key: impl Into<String>,
) -> RequestBuilder<Effect, Event, impl Future<Output = Result<Option<Vec<u8>>, StorageError>>> {
    Command::request_from_shell(KeyValueOperation::Delete { key: key.into() }).map(kv_value)
}

/// The phone's clock, in milliseconds since 1970; `None` when the shell
/// answered something else.
pub fn now() -> RequestBuilder<Effect, Event, impl Future<Output = Option<i64>>> {
    Command::request_from_shell(TimeRequest::Now).map(|r| match r {
        TimeResponse::Now { instant } => {
            let t: std::time::SystemTime = instant.into();
            t.duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|d| i64::try_from(d.as_millis()).ok())
        }
        _ => None,
    })
}

/// A timer: resolves when `ms` have passed (or the shell cleared it).
pub fn after(id: usize, ms: u64) -> RequestBuilder<Effect, Event, impl Future<Output = usize>> {
    Command::request_from_shell(TimeRequest::NotifyAfter {
        id: TimerId(id),
        duration: crux_time::Duration::from_millis(ms),
    })
    .map(move |_| id)
}

pub fn location(
    timeout_ms: u32,
) -> RequestBuilder<Effect, Event, impl Future<Output = LocationResult>> {
    Command::request_from_shell(LocationOperation::Current { timeout_ms })
}

pub fn photo(
    op: PhotoOperation,
) -> RequestBuilder<Effect, Event, impl Future<Output = PhotoResult>> {
    Command::request_from_shell(op)
}
