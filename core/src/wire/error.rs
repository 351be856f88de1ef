//! Errors as clients see them: a stable code to branch on, and a message for
//! people. The code strings never change meaning once released.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// The request is malformed or a field is invalid; `message` names it.
    InvalidInput,
    /// A coordinate is out of range, NaN, (0, 0) or in an unknown system.
    InvalidCoordinate,
    /// An uploaded GeoJSON document was refused; nothing was stored.
    InvalidGeojson,
    /// No token, or the token is expired, forged or revoked.
    Unauthenticated,
    /// Username or password wrong.
    BadCredentials,
    /// The refresh token was already used, revoked or is unknown.
    InvalidRefreshToken,
    /// Too many failed attempts; retry after the `Retry-After` header.
    RateLimited,
    /// The caller's roles do not allow this.
    Forbidden,
    NotFound,
    /// A unique thing (code, username) already exists.
    Conflict,
    /// The request body is larger than the server accepts.
    PayloadTooLarge,
    /// The server did not finish in time.
    Timeout,
    /// Something broke on the server; it is logged there.
    Internal,
    /// The category code is not one of `/v1/categories`.
    UnknownCategory,
    /// The action is not possible in the case's current state.
    WrongState,
    /// The caller's part in this case does not allow the action.
    NotPermitted,
    /// Co-handling tasks are open; the lead resolves only after every report.
    CoHandlingOpen,
    /// The case is already at the top tier of its ladder.
    TopTier,
    AlreadyRated,
    /// No open supervision order to answer.
    NoOpenOrder,
    /// The caller has no open co-handling task on this case.
    NoOpenTask,
    /// A deadline given is already in the past.
    DeadlineInPast,
    /// A routing rule or ladder would send cases round in a loop.
    RoutingLoop,
    /// A routing rule set, ladder or calendar entry is invalid; `message` says how.
    InvalidRule,
    /// The location is not in or near any grid of any county served.
    OutsideTerritory,
    /// Someone changed the case at the same moment; read it again and retry.
    VersionConflict,
    /// The device id is not registered to the caller.
    UnknownDevice,
    /// The device was revoked: log in again and register anew.
    DeviceRevoked,
    /// A sync cursor or page token that was not issued by this server.
    InvalidCursor,
    /// The device must start again from a snapshot (`409`, with `reset`).
    ResetRequired,
    /// The server cannot go on for now; retry after `Retry-After`.
    Unavailable,
    /// A case may carry at most 9 photos.
    TooManyPhotos,
    /// A chunk's bytes do not match its `X-Chunk-Sha256`, or its length is
    /// wrong; send it again.
    ChunkCorrupt,
    /// The whole upload does not match its SHA-256 or size; its chunks were
    /// dropped: send them again.
    UploadCorrupt,
    /// Chunks are missing; `message` names them.
    UploadIncomplete,
    /// The bytes are not a readable image of the type declared.
    NotAnImage,
    /// The `Range` asked for lies outside the file.
    RangeNotSatisfiable,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}
