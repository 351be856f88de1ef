//! `/v1/stats` (a centre's figures, optionally grouped) and `/v1/stats/map`
//! (the same figures per grid as a GeoJSON FeatureCollection).

use super::territory::{grid_features, parse_crs};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use gridline_core::time::Date;
use gridline_core::wire::stats::{Figures, GroupBy, Stats};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(map))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD` (China time); default the first of this month.
    pub from: Option<String>,
    /// Last day, included; default today.
    pub to: Option<String>,
    /// `unit`, `grid`, `category` or `tier`.
    pub group_by: Option<String>,
    /// For the map: `wgs84` (default), `gcj02` or `cgcs2000`.
    pub crs: Option<String>,
}

fn day(name: &str, v: Option<&str>, default: Date) -> ApiResult<Date> {
    v.map_or(Ok(default), |s| {
        s.parse().map_err(|e: gridline_core::time::TimeParseError| {
            ApiError::invalid(format!("{name}: {e}"))
        })
    })
}

/// The period asked for, defaulting to this month so far.
fn period(state: &AppState, q: &StatsQuery) -> ApiResult<(Date, Date)> {
    let today = Date::of_instant(state.cases.now());
    let (y, m, _) = today.ymd();
    let first = Date::from_ymd(y, m, 1).unwrap_or(today);
    Ok((
        day("from", q.from.as_deref(), first)?,
        day("to", q.to.as_deref(), today)?,
    ))
}

fn query(q: Result<Query<StatsQuery>, QueryRejection>) -> ApiResult<StatsQuery> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::invalid(e.body_text()))
}

/// Accepted, resolved, resolution and on-time rates, mean times, share
/// settled at each tier and rating, for the cases dispatched in the period
/// in the caller's jurisdiction, as their history stood at its end.
#[utoipa::path(get, path = "/v1/stats", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 400, description = "invalid_input"), (status = 403, description = "not_permitted")),
    security(("bearer" = [])))]
pub async fn stats(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<StatsQuery>, QueryRejection>,
) -> ApiResult<Json<Stats>> {
    let q = query(q)?;
    let (from, to) = period(&state, &q)?;
    let by = match q.group_by.as_deref() {
        None => None,
        Some(s) => Some(GroupBy::parse(s).ok_or_else(|| {
            ApiError::invalid(format!(
                "group_by: unknown grouping {s:?}; use unit, grid, category or tier"
            ))
        })?),
    };
    Ok(Json(state.cases.stats(&who, from, to, by).await?))
}

/// The figures of each grid the caller may see, as GeoJSON features whose
/// properties are the grid's code, name and figures (zeros where nothing
/// was dispatched).
#[utoipa::path(get, path = "/v1/stats/map", params(StatsQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection of grids with their figures"), (status = 400, description = "invalid_input")),
    security(("bearer" = [])))]
pub async fn map(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<StatsQuery>, QueryRejection>,
) -> ApiResult<impl IntoResponse> {
    let q = query(q)?;
    if q.group_by.is_some() {
        return Err(ApiError::invalid(
            "group_by: the map is always by grid; leave group_by out",
        ));
    }
    let (from, to) = period(&state, &q)?;
    let crs = parse_crs(q.crs.as_deref())?;
    let stats = state
        .cases
        .stats(&who, from, to, Some(GroupBy::Grid))
        .await?;
    let territory = state.territory.current();
    let body = tokio::task::spawn_blocking(move || {
        let by_code: HashMap<&str, &Figures> = stats
            .groups
            .iter()
            .map(|g| (g.key.as_str(), &g.figures))
            .collect();
        let zero = crate::cases::tally::Sums::default().figures();
        grid_features(&territory, &who, crs, |chain| {
            let code = chain.grid.map_or("", |g| g.code.as_str());
            let figures = by_code.get(code).copied().unwrap_or(&zero);
            let mut props = serde_json::to_value(figures).unwrap_or_else(|_| json!({}));
            if let Value::Object(m) = &mut props {
                m.insert("code".into(), json!(code));
                m.insert("name".into(), json!(chain.grid.map(|g| &g.name)));
                m.insert("from".into(), json!(from));
                m.insert("to".into(), json!(to));
            }
            props
        })
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body))
}
