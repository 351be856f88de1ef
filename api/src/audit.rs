//! The audit layer: every request that changes something, refused or not,
//! is written to the audit log with who made it, from which device, when,
//! the route and the status it got. Reads of personal data are logged where
//! they happen (see `CaseService::view`); privacy requests add their counts.
//!
//! The layer puts a [`Trail`] into the request; the `Caller` extractor
//! notes the identity there, sync handlers the device their body names,
//! handlers any detail. After the handler answered, the layer writes one
//! row. A failed write is logged and does not change the answer: the
//! change itself (and a case's own history) is already committed.

use crate::auth::service::Identity;
use crate::state::AppState;
use crate::store::privacy::AuditEntry;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use gridline_core::{DeviceId, UserId};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

/// The header a phone names its registered device with.
pub const DEVICE_HEADER: &str = "x-gridline-device";

#[derive(Debug, Default)]
struct Seen {
    user: Option<UserId>,
    device: Option<DeviceId>,
    detail: Option<serde_json::Value>,
}

/// What a request's handler tells the audit layer. Taken as an extractor;
/// outside the layer (in unit tests) it records nowhere.
#[derive(Debug, Clone, Default)]
pub struct Trail(Arc<Mutex<Seen>>);

impl Trail {
    fn with<R>(&self, f: impl FnOnce(&mut Seen) -> R) -> R {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Notes the authenticated caller (and the device they named).
    pub fn caller(&self, who: &Identity) {
        self.with(|s| {
            s.user = Some(who.user_id);
            s.device = who.device.or(s.device);
        });
    }

    /// Notes the device a sync call came from.
    pub fn device(&self, device: DeviceId) {
        self.with(|s| s.device = Some(device));
    }

    /// Adds what the handler wants kept with the entry; never personal data.
    pub fn detail(&self, detail: serde_json::Value) {
        self.with(|s| s.detail = Some(detail));
    }

    /// The trail of the request in `parts`, if the audit layer runs.
    #[must_use]
    pub fn of(parts: &Parts) -> Option<Self> {
        parts.extensions.get::<Self>().cloned()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Trail {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts).unwrap_or_default())
    }
}

/// Reads are not logged here (personal-data reads are, where they happen);
/// a handler that adds detail is logged whatever its method.
fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The middleware: runs the request, then writes its audit entry.
pub async fn record(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let trail = Trail::default();
    req.extensions_mut().insert(trail.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| path.clone(), |m| m.as_str().to_owned());
    let response = next.run(req).await;
    let seen = std::mem::take(&mut *trail.0.lock().unwrap_or_else(PoisonError::into_inner));
    if changes_something(&method) || seen.detail.is_some() {
        let entry = AuditEntry {
            at: state.clock.now_ms(),
            user_id: seen.user,
            device_id: seen.device,
            method: method.to_string(),
            route,
            path,
            status: response.status().as_u16(),
            detail: seen.detail.map(|d| d.to_string()),
        };
        if let Err(e) = state.store.record_action(&entry).await {
            tracing::warn!(error = %e, route = %entry.route, "audit entry not written");
        }
    }
    response
}
