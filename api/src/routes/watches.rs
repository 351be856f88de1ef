//! `/v1/watches`: the register of watched households and places, their
//! risk class and return visits.

use super::auth::json_body;
use super::cases::grid_param;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::watches::WatchFilter;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gridline_core::WatchId;
use gridline_core::risk::RiskLevel;
use gridline_core::time::Instant;
use gridline_core::wire::watch::{LevelChange, NewWatch, VisitIn, WatchPage, WatchView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register, list))
        .routes(routes!(one))
        .routes(routes!(level))
        .routes(routes!(visit))
}

fn watch_id(s: &str) -> ApiResult<WatchId> {
    s.parse()
        .map_err(|e: gridline_core::id::IdParseError| ApiError::invalid(e.to_string()))
}

/// Put a household or place on the register; its first visit is scheduled
/// by its colour.
#[utoipa::path(post, path = "/v1/watches", request_body = NewWatch,
    responses((status = 201, body = WatchView), (status = 400, description = "invalid_input, outside_territory"), (status = 403, description = "not_permitted")),
    security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewWatch>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<WatchView>)> {
    let view = state.watches.register(&who, json_body(body)?).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WatchQuery {
    /// A grid code or id.
    pub grid: Option<String>,
    /// `safe`, `micro`, `low`, `medium` or `high`.
    pub level: Option<String>,
    /// Only entries owing a visit by this instant (RFC 3339), soonest first.
    pub due_by: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// The entries the caller may see: newest first, or those owing a visit
/// by `due_by`, soonest first (a grid worker's visit list).
#[utoipa::path(get, path = "/v1/watches", params(WatchQuery),
    responses((status = 200, body = WatchPage), (status = 400, description = "invalid_input")),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<WatchQuery>, QueryRejection>,
) -> ApiResult<Json<WatchPage>> {
    let q = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::invalid(e.body_text()))?;
    let t = state.territory.current();
    let grid = q.grid.as_deref().map(|g| grid_param(&t, g)).transpose()?;
    let level =
        q.level
            .as_deref()
            .map(|l| {
                serde_json::from_value::<RiskLevel>(serde_json::Value::String(l.to_owned()))
                    .map_err(|_| {
                        ApiError::invalid(format!(
                            "level: unknown class {l:?}; use safe, micro, low, medium or high"
                        ))
                    })
            })
            .transpose()?;
    let due_by = q
        .due_by
        .as_deref()
        .map(|s| {
            s.parse::<Instant>()
                .map_err(|e| ApiError::invalid(format!("due_by: {e}")))
        })
        .transpose()?
        .map(Instant::ms);
    let bad_cursor = || ApiError::invalid("cursor: not one this list gave out");
    let after = match (q.cursor.as_deref(), due_by) {
        (None, _) => None,
        (Some(c), Some(_)) => {
            let (due, id) = c.split_once('_').ok_or_else(bad_cursor)?;
            Some((
                Some(due.parse().map_err(|_| bad_cursor())?),
                watch_id(id).map_err(|_| bad_cursor())?,
            ))
        }
        (Some(c), None) => Some((None, watch_id(c).map_err(|_| bad_cursor())?)),
    };
    let filter = WatchFilter {
        grid,
        level,
        due_by,
        after,
        limit: q.limit.unwrap_or(50),
        ..WatchFilter::default()
    };
    Ok(Json(state.watches.list(&who, filter).await?))
}

/// One entry with its history of class changes, visits and warnings.
#[utoipa::path(get, path = "/v1/watches/{id}",
    responses((status = 200, body = WatchView), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn one(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<WatchView>> {
    Ok(Json(state.watches.view(&who, watch_id(&id)?).await?))
}

/// Class the entry anew; its next visit is rescheduled by the new colour.
#[utoipa::path(post, path = "/v1/watches/{id}/level", request_body = LevelChange,
    responses((status = 200, body = WatchView), (status = 400, description = "invalid_input"), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn level(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: Result<Json<LevelChange>, JsonRejection>,
) -> ApiResult<Json<WatchView>> {
    let id = watch_id(&id)?;
    let change = json_body(body)?;
    Ok(Json(state.watches.change_level(&who, id, change).await?))
}

/// Record a return visit; the next is due one interval of the colour later.
#[utoipa::path(post, path = "/v1/watches/{id}/visits", request_body = VisitIn,
    responses((status = 200, body = WatchView), (status = 400, description = "invalid_input"), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn visit(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: Result<Json<VisitIn>, JsonRejection>,
) -> ApiResult<Json<WatchView>> {
    let id = watch_id(&id)?;
    let v = json_body(body)?;
    Ok(Json(state.watches.visit(&who, id, v).await?))
}
