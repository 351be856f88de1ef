//! `/v1/users`: accounts, for admins. A county's admin creates the grid
//! workers, cadres and operators of its units and resets a forgotten
//! password; the same work the `gridline users` command does on the server.

use super::auth::json_body;
use crate::auth::Caller;
use crate::auth::password;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::NewUser;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gridline_core::UserId;
use gridline_core::user::{DisplayName, NewPassword, Username};
use gridline_core::wire::auth::{Me, NewUserRequest, PasswordReset, RoleGrant};
use gridline_core::wire::territory::UnitRef;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(reset_password))
}

fn admin(who: &crate::auth::service::Identity) -> ApiResult<()> {
    super::require_admin(who, "manage accounts")
}

fn user_error(field: &str, e: &gridline_core::user::UserError) -> ApiError {
    ApiError::invalid(format!("{field}: {e}"))
}

/// Creates an account with its roles; 409 when the username is taken.
#[utoipa::path(post, path = "/v1/users", request_body = NewUserRequest,
    responses((status = 201, body = Me), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden"), (status = 409, description = "conflict")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewUserRequest>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Me>)> {
    admin(&who)?;
    let body = json_body(body)?;
    let username = Username::parse(&body.username).map_err(|e| user_error("username", &e))?;
    let display = DisplayName::parse(body.display_name.as_deref().unwrap_or(&body.username))
        .map_err(|e| user_error("display_name", &e))?;
    let pw = NewPassword::parse(&body.password).map_err(|e| user_error("password", &e))?;
    if body.roles.is_empty() {
        return Err(ApiError::invalid(
            "roles: an account needs at least one role",
        ));
    }
    let t = state.territory.current();
    let mut roles = Vec::with_capacity(body.roles.len());
    let mut grants = Vec::with_capacity(body.roles.len());
    for (i, r) in body.roles.iter().enumerate() {
        let node = t.by_code(&r.unit).map(|u| t.unit(u)).ok_or_else(|| {
            ApiError::invalid(format!("roles[{i}].unit: no org unit {:?}", r.unit))
        })?;
        roles.push((r.role, node.id));
        grants.push(RoleGrant {
            role: r.role,
            org_unit: UnitRef {
                code: node.code.clone(),
                name: node.name.clone(),
            },
        });
    }
    let id = UserId::new();
    let hash = password::hash_off_runtime(pw.expose().to_owned())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    state
        .store
        .create_user(&NewUser {
            id,
            username: username.to_string(),
            display_name: display.as_str().to_owned(),
            password_hash: hash,
            roles,
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Me {
            id: id.to_string(),
            username: username.to_string(),
            display_name: display.as_str().to_owned(),
            roles: grants,
        }),
    ))
}

/// Sets a new password for an account (the old one stops working at once;
/// sessions already open stay open until they end or the device is revoked).
#[utoipa::path(put, path = "/v1/users/{username}/password", params(("username" = String, Path)), request_body = PasswordReset,
    responses((status = 204, description = "Password set"), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden"), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn reset_password(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(username): Path<String>,
    body: Result<Json<PasswordReset>, JsonRejection>,
) -> ApiResult<StatusCode> {
    admin(&who)?;
    let body = json_body(body)?;
    let pw = NewPassword::parse(&body.password).map_err(|e| user_error("password", &e))?;
    let hash = password::hash_off_runtime(pw.expose().to_owned())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    state.store.set_password_hash(&username, &hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
