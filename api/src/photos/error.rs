//! Errors of the photo service, each with the stable code clients see.

use crate::cases::error::CaseError;
use crate::error::ApiError;
use crate::store::StoreError;
use axum::http::StatusCode;
use gridline_core::wire::error::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// Not there, or not the caller's to see: the same answer.
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    ChunkCorrupt(String),
    #[error("{0}")]
    UploadCorrupt(String),
    #[error("{0}")]
    UploadIncomplete(String),
    #[error("{0}")]
    NotAnImage(String),
    #[error("bytes {start}- lie outside the file of {size} bytes")]
    RangeNotSatisfiable { start: u64, size: u64 },
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<PhotoError> for ApiError {
    fn from(e: PhotoError) -> Self {
        let msg = e.to_string();
        let (status, code) = match e {
            PhotoError::Case(c) => return c.into(),
            PhotoError::Store(s) => return s.into(),
            PhotoError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            PhotoError::Invalid(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput),
            PhotoError::ChunkCorrupt(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ChunkCorrupt)
            }
            PhotoError::UploadCorrupt(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::UploadCorrupt)
            }
            PhotoError::UploadIncomplete(_) => (StatusCode::CONFLICT, ErrorCode::UploadIncomplete),
            PhotoError::NotAnImage(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::NotAnImage),
            PhotoError::RangeNotSatisfiable { .. } => (
                StatusCode::RANGE_NOT_SATISFIABLE,
                ErrorCode::RangeNotSatisfiable,
            ),
        };
        ApiError::new(status, code, msg)
    }
}

pub type PhotoResult<T> = Result<T, PhotoError>;
