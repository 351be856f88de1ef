//! Errors of intake from outside systems, answered as the API's errors
//! (transfers, key management) or as Open311's error list.

use crate::cases::error::CaseError;
use crate::error::ApiError;
use crate::open311::error::Open311Error;
use crate::store::StoreError;
use axum::http::StatusCode;
use gridline_core::wire::error::ErrorCode;

pub type IntakeResult<T> = Result<T, IntakeError>;

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The input names what is wrong with it.
    #[error("{0}")]
    Invalid(String),
    /// No key, or a key that is unknown, revoked or for another county.
    #[error("{0}")]
    BadKey(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error(
        "too many requests without an api_key from this address; try again in {retry_after_s} s"
    )]
    RateLimited { retry_after_s: u64 },
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> Self {
        match e {
            IntakeError::Invalid(m) => ApiError::invalid(m),
            IntakeError::BadKey(m) => {
                ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, m)
            }
            IntakeError::NotFound(m) => ApiError::not_found(m),
            IntakeError::Forbidden(m) => ApiError::forbidden(m),
            IntakeError::RateLimited { retry_after_s } => ApiError {
                retry_after_s: Some(retry_after_s),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    e.to_string(),
                )
            },
            IntakeError::Case(c) => c.into(),
            IntakeError::Store(s) => s.into(),
        }
    }
}

impl From<IntakeError> for Open311Error {
    fn from(e: IntakeError) -> Self {
        match e {
            IntakeError::Invalid(m) => Open311Error::bad(m),
            IntakeError::BadKey(m) | IntakeError::Forbidden(m) => Open311Error::forbidden(m),
            IntakeError::NotFound(m) => Open311Error::not_found(m),
            IntakeError::RateLimited { .. } => Open311Error::too_many(e.to_string()),
            IntakeError::Case(c) => c.into(),
            IntakeError::Store(s) => s.into(),
        }
    }
}
