//! The HTTP surface. Each module exports a `router()`; this one puts them
//! together with the cross-cutting layers (tracing, metrics, body limit,
//! timeout). Only `/healthz`, `/metrics`, `/openapi.json`, the login and
//! refresh calls and Open311 (`/open311/`, public by its spec) are reachable
//! without an access token; `/v1/transfers` takes a source's API key
//! instead.

pub mod auth;
pub mod body_limit;
pub mod cases;
pub mod health;
pub mod intake;
pub mod openapi;
pub mod photos;
pub mod privacy;
pub mod stats;
pub mod sync;
pub mod territory;
pub mod users;
pub mod watches;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use gridline_core::wire::error::ErrorCode;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Refuses anyone but an admin, saying what only an admin may `do_what`.
pub(crate) fn require_admin(
    who: &crate::auth::service::Identity,
    do_what: &str,
) -> Result<(), ApiError> {
    if who
        .roles
        .iter()
        .any(|(r, _)| *r == gridline_core::Role::Admin)
    {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!("only an admin may {do_what}")))
    }
}

/// Every route the server has: the API under `/v1`, health, the document
/// and Open311, with the OpenAPI document built from those same
/// registrations (so a route cannot be added without its entry).
pub fn documented() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::with_openapi(openapi::base())
        .merge(health::router())
        .merge(openapi::router())
        .merge(crate::open311::router())
        .merge(auth::router())
        .merge(territory::router())
        .merge(cases::router())
        .merge(stats::router())
        .merge(watches::router())
        .merge(sync::router())
        .merge(photos::router())
        .merge(intake::router())
        .merge(users::router())
        .merge(privacy::router())
}

pub fn router(state: AppState) -> Router {
    let limits = body_limit::BodyLimits {
        general: state.settings.body_limit_bytes,
        import: state.settings.import_body_limit_bytes,
    };
    let timeout = Duration::from_secs(state.settings.request_timeout_s);
    let (routes, doc) = documented().split_for_parts();
    routes
        .layer(axum::Extension(openapi::Document(std::sync::Arc::new(doc))))
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::audit::record,
        ))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::track,
        ))
        .layer(DefaultBodyLimit::max(limits.largest()))
        .layer(middleware::from_fn_with_state(limits, body_limit::enforce))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::map_response(rewrite_bare_errors))
        .with_state(state)
}

/// Turns the plain-text rejections of lower layers (body too large, timeout,
/// malformed JSON or query) into the JSON error body every client parses
/// (an error already in JSON, or in Open311's XML, passes as it is).
async fn rewrite_bare_errors(response: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            // Open311's XML errors are already the spec's error list.
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/xml")
        });
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::Timeout,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::InvalidInput,
    };
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let message = if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text.trim().to_owned()
    };
    ApiError::new(status, code, message).into_response()
}
