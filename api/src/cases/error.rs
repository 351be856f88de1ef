//! Errors of the case service, each with the stable code clients see.

use crate::error::ApiError;
use crate::store::StoreError;
use axum::http::StatusCode;
use gridline_core::case::Refusal;
use gridline_core::case::ladder::LadderError;
use gridline_core::case::routing::RuleError;
use gridline_core::wire::error::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("unknown category {0:?}; GET /v1/categories lists them")]
    UnknownCategory(String),
    #[error("{0}")]
    Invalid(String),
    /// Not found, or not visible to the caller: the same answer, so a
    /// case's existence does not leak.
    #[error("no case {0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(Refusal),
    /// Refused for the caller's role outside any one case; the message says
    /// what the role may do instead.
    #[error("{0}")]
    RoleRefused(String),
    #[error("the deadline {0} is already past")]
    DeadlineInPast(String),
    #[error("{0}")]
    Ladder(#[from] LadderError),
    #[error("{0}")]
    Rule(#[from] RuleError),
    #[error("the location ({lat}, {lon}) is not in or near any grid served here")]
    OutsideTerritory { lat: f64, lon: f64 },
    #[error("the case changed while this action was applied; read it again and retry")]
    VersionConflict,
    #[error("a case with id {0} already exists and is not yours")]
    IdTaken(String),
    #[error("photo {0} is already attached to another case, or with other bytes")]
    PhotoIdTaken(String),
    #[error("case {case} has {have} photos; {adding} more would pass the limit of 9")]
    TooManyPhotos {
        case: String,
        have: usize,
        adding: usize,
    },
    /// The device mutation being carried out had already been dealt with.
    #[error("this mutation was already dealt with")]
    Stale,
    #[error(transparent)]
    Coord(#[from] gridline_core::coord::CoordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Refusal> for CaseError {
    fn from(r: Refusal) -> Self {
        CaseError::Refused(r)
    }
}

impl From<CaseError> for ApiError {
    fn from(e: CaseError) -> Self {
        let e = match e {
            CaseError::Store(s) => return s.into(),
            CaseError::Coord(c) => return c.into(),
            other => other,
        };
        let msg = e.to_string();
        let (status, code) = match &e {
            CaseError::UnknownCategory(_) => (StatusCode::BAD_REQUEST, ErrorCode::UnknownCategory),
            CaseError::Invalid(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput),
            CaseError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            CaseError::Refused(r) => match r {
                Refusal::NotPermitted => (StatusCode::FORBIDDEN, ErrorCode::NotPermitted),
                Refusal::WrongState => (StatusCode::CONFLICT, ErrorCode::WrongState),
                Refusal::CoHandlingOpen => (StatusCode::CONFLICT, ErrorCode::CoHandlingOpen),
                Refusal::TopTier => (StatusCode::CONFLICT, ErrorCode::TopTier),
                Refusal::AlreadyRated => (StatusCode::CONFLICT, ErrorCode::AlreadyRated),
                Refusal::NoOpenOrder => (StatusCode::CONFLICT, ErrorCode::NoOpenOrder),
                Refusal::NoOpenTask => (StatusCode::CONFLICT, ErrorCode::NoOpenTask),
            },
            CaseError::RoleRefused(_) => (StatusCode::FORBIDDEN, ErrorCode::NotPermitted),
            CaseError::DeadlineInPast(_) => (StatusCode::BAD_REQUEST, ErrorCode::DeadlineInPast),
            CaseError::Ladder(l) if l.code() == "routing_loop" => {
                (StatusCode::BAD_REQUEST, ErrorCode::RoutingLoop)
            }
            CaseError::Rule(r) if r.code() == "routing_loop" => {
                (StatusCode::BAD_REQUEST, ErrorCode::RoutingLoop)
            }
            CaseError::Rule(r) if r.code() == "unknown_category" => {
                (StatusCode::BAD_REQUEST, ErrorCode::UnknownCategory)
            }
            CaseError::Ladder(_) | CaseError::Rule(_) => {
                (StatusCode::BAD_REQUEST, ErrorCode::InvalidRule)
            }
            CaseError::OutsideTerritory { .. } => {
                (StatusCode::BAD_REQUEST, ErrorCode::OutsideTerritory)
            }
            CaseError::VersionConflict => (StatusCode::CONFLICT, ErrorCode::VersionConflict),
            CaseError::TooManyPhotos { .. } => (StatusCode::CONFLICT, ErrorCode::TooManyPhotos),
            CaseError::IdTaken(_) | CaseError::PhotoIdTaken(_) | CaseError::Stale => {
                (StatusCode::CONFLICT, ErrorCode::Conflict)
            }
            CaseError::Store(_) | CaseError::Coord(_) => unreachable!("handled above"),
        };
        ApiError::new(status, code, msg)
    }
}

pub type CaseResult<T> = Result<T, CaseError>;
