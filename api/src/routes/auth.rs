//! `/v1/auth/*` and `/v1/me`.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use gridline_core::wire::auth::{LoginRequest, Me, RefreshRequest, RoleGrant, TokenResponse};
use gridline_core::wire::territory::UnitRef;
use serde::Deserialize;
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
}

pub(crate) fn json_body<T>(
    body: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<T> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::invalid(e.body_text()))
}

/// Username and password in, access and refresh tokens out.
#[utoipa::path(post, path = "/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "bad_credentials"), (status = 429, description = "rate_limited")))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<LoginRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<TokenResponse>> {
    let req = json_body(body)?;
    Ok(Json(
        state
            .auth
            .login(req.username.trim(), &req.password, Some(peer.ip()))
            .await?,
    ))
}

/// A refresh token in, a new pair out; the old refresh token is spent.
#[utoipa::path(post, path = "/v1/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "invalid_refresh_token")))]
pub async fn refresh(
    State(state): State<AppState>,
    body: Result<Json<RefreshRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<TokenResponse>> {
    let req = json_body(body)?;
    Ok(Json(state.auth.refresh(&req.refresh_token).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct LogoutRequest {
    pub refresh_token: Option<String>,
}

/// Ends the session: its access and refresh tokens stop working.
#[utoipa::path(post, path = "/v1/auth/logout", responses((status = 204, description = "Logged out")), security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    Caller(caller): Caller,
    body: Option<Json<LogoutRequest>>,
) -> ApiResult<axum::http::StatusCode> {
    let refresh = body.and_then(|Json(b)| b.refresh_token);
    state.auth.logout(&caller, refresh.as_deref()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The caller and their roles.
#[utoipa::path(get, path = "/v1/me", responses((status = 200, body = Me)), security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, Caller(caller): Caller) -> ApiResult<Json<Me>> {
    let territory = state.territory.current();
    let roles = caller
        .roles
        .iter()
        .filter_map(|(role, unit)| {
            let node = territory.unit(territory.by_id(*unit)?);
            Some(RoleGrant {
                role: *role,
                org_unit: UnitRef {
                    code: node.code.clone(),
                    name: node.name.clone(),
                },
            })
        })
        .collect();
    Ok(Json(Me {
        id: caller.user_id.to_string(),
        username: caller.username,
        display_name: caller.display_name,
        roles,
    }))
}
