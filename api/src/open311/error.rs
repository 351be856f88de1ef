//! Errors as the spec lists them: `[{"code": 400, "description": "…"}]`, or
//! `<errors><error><code>…</code><description>…</description></error></errors>`,
//! in the format the request asked for. 404 for what does not exist, 403
//! for a missing or wrong `api_key`, 400 for everything else. The
//! description names what is wrong; it is meant for the user.

use super::doc::Doc;
use super::format::{Format, Reply};
use crate::cases::error::CaseError;
use crate::photos::error::PhotoError;
use crate::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
    /// JSON unless the path said `.xml` (set once the format is known).
    pub format: Format,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Open311Error {
            status,
            description: description.into(),
            format: Format::Json,
        }
    }

    pub fn bad(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, description)
    }

    pub fn too_many(description: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, description)
    }

    #[must_use]
    pub fn in_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }
}

impl From<StoreError> for Open311Error {
    fn from(e: StoreError) -> Self {
        if let Some(fault) = e.fault() {
            tracing::warn!(error = %e, ?fault, "open311: the database failed");
            return Self::new(StatusCode::SERVICE_UNAVAILABLE, fault.told().0);
        }
        tracing::error!(error = %e, "open311: store failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the service is not available now; try again later",
        )
    }
}

impl From<CaseError> for Open311Error {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::Store(s) => s.into(),
            other => Self::bad(other.to_string()),
        }
    }
}

impl From<PhotoError> for Open311Error {
    fn from(e: PhotoError) -> Self {
        match e {
            PhotoError::Store(s) => s.into(),
            PhotoError::Case(c) => c.into(),
            other => Self::bad(format!("media: {other}")),
        }
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let doc = Doc::list(
            "error",
            vec![Doc::Record(vec![
                ("code", Doc::Int(i64::from(self.status.as_u16()))),
                ("description", Doc::Text(self.description)),
            ])],
        );
        Reply {
            format: self.format,
            status: self.status,
            root: "errors",
            doc,
        }
        .into_response()
    }
}
