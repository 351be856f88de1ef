//! `/v1/devices` and `/v1/sync/*`: what a phone uses to work offline.

use super::auth::json_body;
use crate::audit::Trail;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::sync::error::SyncError;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gridline_core::DeviceId;
use gridline_core::sync::{
    DeviceView, NewDevice, PullPage, PushRequest, PushResponse, SnapshotPage,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(device, revoke))
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(snapshot))
}

fn device_id(s: &str) -> ApiResult<DeviceId> {
    s.parse()
        .map_err(|e: gridline_core::id::IdParseError| ApiError::invalid(format!("device_id: {e}")))
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(q)| q)
        .map_err(|e| ApiError::invalid(e.body_text()))
}

/// Register the phone the caller is logged in on; it numbers its mutations
/// from 1. Revoking it later ends this login.
#[utoipa::path(post, path = "/v1/devices", request_body = NewDevice,
    responses((status = 201, body = DeviceView), (status = 400, description = "invalid_input")),
    security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewDevice>, JsonRejection>,
) -> Result<(StatusCode, Json<DeviceView>), ApiError> {
    let v = state.sync.register_device(&who, json_body(body)?).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The device's last applied mutation number.
#[utoipa::path(get, path = "/v1/devices/{id}", params(("id" = String, Path)),
    responses((status = 200, body = DeviceView), (status = 404, description = "unknown_device")),
    security(("bearer" = [])))]
pub async fn device(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DeviceView>> {
    Ok(Json(state.sync.device(&who, device_id(&id)?).await?))
}

/// Revoke a device (its owner or an admin): its logins end and it can no
/// longer sync. Its unsent work stays on the phone for the next login.
#[utoipa::path(delete, path = "/v1/devices/{id}", params(("id" = String, Path)),
    responses((status = 204), (status = 404, description = "unknown_device")),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.sync.revoke_device(&who, device_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send numbered mutations. Each is applied once, in order; a repeat gets
/// its stored result; a gap stops the batch with the number expected; one
/// that can never apply is rejected with a reason and the rest go on.
#[utoipa::path(post, path = "/v1/sync/push", request_body = PushRequest,
    responses((status = 200, body = PushResponse),
        (status = 400, description = "invalid_input"),
        (status = 403, description = "device_revoked"),
        (status = 404, description = "unknown_device"),
        (status = 503, body = PushResponse, description = "stopped part way; Retry-After")),
    security(("bearer" = [])))]
pub async fn push(
    State(state): State<AppState>,
    Caller(who): Caller,
    trail: Trail,
    body: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, SyncError> {
    let req = json_body(body)?;
    trail.device(req.device_id);
    Ok(Json(state.sync.push(&who, req).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    pub device_id: String,
    /// From the previous page; absent on a device's first pull.
    pub cursor: Option<String>,
    /// Changes per page (default 500, at most 1000).
    pub limit: Option<u32>,
    /// Seconds to wait for a change when there is none (at most 25).
    pub wait: Option<u64>,
}

/// The changes in the caller's scope after `cursor`, in commit order, with
/// the device's acknowledgement; `409` with `reset` when the device must
/// start again from a snapshot.
#[utoipa::path(get, path = "/v1/sync/pull", params(PullQuery),
    responses((status = 200, body = PullPage),
        (status = 400, description = "invalid_input, invalid_cursor"),
        (status = 409, body = gridline_core::sync::ResetBody, description = "reset_required")),
    security(("bearer" = [])))]
pub async fn pull(
    State(state): State<AppState>,
    Caller(who): Caller,
    trail: Trail,
    q: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullPage>, SyncError> {
    let q = query(q)?;
    let device = device_id(&q.device_id)?;
    trail.device(device);
    let page = state
        .sync
        .pull(
            &who,
            device,
            q.cursor.as_deref(),
            q.limit.unwrap_or(crate::sync::DEFAULT_PAGE),
            q.wait.unwrap_or(0),
        )
        .await?;
    Ok(Json(page))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    pub device_id: String,
    /// From the previous page; absent on the first.
    pub page: Option<String>,
    pub limit: Option<u32>,
}

/// The current rows in the caller's scope, open cases first, for a device
/// starting afresh; then pull from the returned `cursor`.
#[utoipa::path(get, path = "/v1/sync/snapshot", params(SnapshotQuery),
    responses((status = 200, body = SnapshotPage),
        (status = 400, description = "invalid_input, invalid_cursor"),
        (status = 409, body = gridline_core::sync::ResetBody, description = "reset_required")),
    security(("bearer" = [])))]
pub async fn snapshot(
    State(state): State<AppState>,
    Caller(who): Caller,
    trail: Trail,
    q: Result<Query<SnapshotQuery>, QueryRejection>,
) -> Result<Json<SnapshotPage>, SyncError> {
    let q = query(q)?;
    let device = device_id(&q.device_id)?;
    trail.device(device);
    let page = state
        .sync
        .snapshot(
            &who,
            device,
            q.page.as_deref(),
            q.limit.unwrap_or(crate::sync::DEFAULT_PAGE),
        )
        .await?;
    Ok(Json(page))
}
