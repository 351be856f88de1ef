//! `ApiError`: the one error type handlers return. It carries a stable code
//! from `gridline_core::wire::error::ErrorCode` and a message for people;
//! internal causes are logged, never sent.

use crate::auth::AuthError;
use crate::spatial::geojson_in::GeojsonError;
use crate::store::StoreError;
use crate::territory::ImportError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gridline_core::coord::CoordError;
use gridline_core::wire::error::{ErrorBody, ErrorCode};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub retry_after_s: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after_s: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidInput, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// A server-side failure: the cause goes to the log, the client gets a
    /// generic message.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error; the server log has the cause",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: self.message,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after_s
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } | StoreError::KindMismatch { .. } => {
                Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, e.to_string())
            }
            StoreError::NotFound(_) => Self::not_found(e.to_string()),
            other => match other.fault() {
                Some(fault) => {
                    tracing::warn!(error = %other, ?fault, "the database failed");
                    let (message, retry) = fault.told();
                    Self {
                        retry_after_s: Some(retry),
                        ..Self::new(
                            StatusCode::SERVICE_UNAVAILABLE,
                            ErrorCode::Unavailable,
                            message,
                        )
                    }
                }
                None => Self::internal(&other),
            },
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        // A database that is full or away is said as such, not as a bug.
        let e = match e {
            AuthError::Store(s) if s.fault().is_some() => return s.into(),
            other => other,
        };
        let unauth = |code| Self::new(StatusCode::UNAUTHORIZED, code, e.to_string());
        match &e {
            AuthError::BadCredentials => unauth(ErrorCode::BadCredentials),
            AuthError::MissingToken | AuthError::InvalidToken | AuthError::SessionEnded => {
                unauth(ErrorCode::Unauthenticated)
            }
            AuthError::InvalidRefreshToken => unauth(ErrorCode::InvalidRefreshToken),
            AuthError::RateLimited { retry_after_s } => Self {
                retry_after_s: Some(*retry_after_s),
                ..Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    e.to_string(),
                )
            },
            AuthError::Store(_) | AuthError::Internal(_) => Self::internal(&e),
        }
    }
}

impl From<CoordError> for ApiError {
    fn from(e: CoordError) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCoordinate,
            e.to_string(),
        )
    }
}

impl From<GeojsonError> for ApiError {
    fn from(e: GeojsonError) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidGeojson,
            e.to_string(),
        )
    }
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Geojson(g) => g.into(),
            ImportError::CodeTaken { .. } => {
                Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, e.to_string())
            }
            ImportError::Overlap { .. } | ImportError::Generate(_) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidGeojson,
                e.to_string(),
            ),
            ImportError::Store(s) => s.into(),
            ImportError::Internal(_) => Self::internal(&e),
        }
    }
}
