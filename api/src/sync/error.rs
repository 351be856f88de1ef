//! Errors of the sync service, each with the stable code clients see.

use crate::cases::error::CaseError;
use crate::error::ApiError;
use crate::store::StoreError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gridline_core::sync::{PushResponse, ResetBody, ResetReason, Stop};
use gridline_core::wire::error::ErrorCode;

/// Seconds a device waits before sending again after a `503`.
pub const RETRY_AFTER_S: u64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no device {0} is registered to you; register with POST /v1/devices")]
    UnknownDevice(String),
    #[error(
        "device {0} was revoked; log in again and register the phone anew (its queue is kept and sent from the new device)"
    )]
    DeviceRevoked(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    BadToken(#[from] super::cursor::BadToken),
    #[error("{message}")]
    Reset {
        reason: ResetReason,
        message: String,
    },
    /// The store failed part way: what was done, and where it stopped.
    #[error("the server cannot take more now; send the rest again")]
    Unavailable(Box<PushResponse>),
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Refused before sync looked at it (a malformed body or query).
    #[error("{}", .0.message)]
    Api(ApiError),
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

pub type SyncResult<T> = Result<T, SyncError>;

/// How long a push stopped as unavailable tells the phone to wait.
fn retry_after_s(progress: &PushResponse) -> u64 {
    match progress.stopped {
        Some(Stop::Unavailable { retry_after_s }) => retry_after_s,
        _ => RETRY_AFTER_S,
    }
}

impl IntoResponse for SyncError {
    fn into_response(self) -> Response {
        match self {
            SyncError::Reset { reason, message } => {
                let body = ResetBody {
                    code: "reset_required".into(),
                    reset: reason,
                    message,
                };
                (StatusCode::CONFLICT, axum::Json(body)).into_response()
            }
            SyncError::Unavailable(progress) => {
                let retry_after_s = retry_after_s(&progress);
                let mut r =
                    (StatusCode::SERVICE_UNAVAILABLE, axum::Json(*progress)).into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
                r
            }
            other => ApiError::from(other).into_response(),
        }
    }
}

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> Self {
        let msg = e.to_string();
        match e {
            SyncError::UnknownDevice(_) => {
                ApiError::new(StatusCode::NOT_FOUND, ErrorCode::UnknownDevice, msg)
            }
            SyncError::DeviceRevoked(_) => {
                ApiError::new(StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked, msg)
            }
            SyncError::Invalid(_) => ApiError::invalid(msg),
            SyncError::BadToken(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidCursor, msg)
            }
            SyncError::Reset { .. } => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::ResetRequired, msg)
            }
            SyncError::Unavailable(progress) => {
                let mut a =
                    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable, msg);
                a.retry_after_s = Some(retry_after_s(&progress));
                a
            }
            SyncError::Case(c) => c.into(),
            SyncError::Store(s) => s.into(),
            SyncError::Api(a) => a,
        }
    }
}
