//! Liveness and readiness, and the metrics endpoint.

use crate::error::ApiResult;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
}

/// 200 when the database answers and the territory is loaded.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Ready")))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let version = state.store.territory_version().await?;
    let territory = state.territory.current();
    Ok(Json(
        json!({ "status": "ok", "grids": territory.index.len(), "territory_version": version }),
    ))
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text exposition")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    state
        .metrics
        .grids
        .set(i64::try_from(state.territory.current().index.len()).unwrap_or(i64::MAX));
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
