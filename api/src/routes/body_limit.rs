//! How big a request body may be. A grid import (a county's boundaries) has
//! a limit of its own; every other route the general one, so that nobody
//! makes the server hold 64 MiB for a login or a case.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gridline_core::wire::error::ErrorCode;

/// The one route that takes the larger limit.
pub const IMPORT_PATH: &str = "/v1/grids/import";

/// The limits in effect, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub general: usize,
    pub import: usize,
}

impl BodyLimits {
    /// The limit for a request to `path`, and how the refusal names it.
    fn for_path(self, path: &str) -> (usize, &'static str) {
        if path == IMPORT_PATH {
            (self.import, "a grid import")
        } else {
            (self.general, "a request")
        }
    }

    /// The largest of the two: what extractors may buffer at most.
    #[must_use]
    pub fn largest(self) -> usize {
        self.general.max(self.import)
    }
}

/// Refuses a body declared too large before reading it, and cuts off one
/// that grows past the limit while being read (the extractor then answers
/// 413, made JSON by the error rewriting in `routes`).
pub async fn enforce(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let (limit, what) = limits.for_path(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if let Some(n) = declared
        && n > limit as u64
    {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("the body is {n} bytes; {what} may be at most {limit} bytes"),
        )
        .into_response();
    }
    next.run(req.map(|body| Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_grid_import_gets_the_larger_limit() {
        let l = BodyLimits {
            general: 10,
            import: 100,
        };
        assert_eq!(l.for_path(IMPORT_PATH).0, 100);
        for path in [
            "/v1/cases",
            "/v1/grids",
            "/v1/grids/import/x",
            "/v1/sync/push",
        ] {
            assert_eq!(l.for_path(path).0, 10, "{path}");
        }
        assert_eq!(l.largest(), 100);
    }
}
