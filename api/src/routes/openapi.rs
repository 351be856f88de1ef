//! `/openapi.json`: the API as OpenAPI 3.1, generated from the handlers.

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Gridline API", description = "Grid-based governance: territory, assignment, auth, cases and statistics."),
    paths(
        super::health::healthz,
        super::health::metrics,
        super::auth::login,
        super::auth::refresh,
        super::auth::logout,
        super::auth::me,
        super::users::create,
        super::users::reset_password,
        super::territory::locate,
        super::territory::grids,
        super::territory::org_units,
        super::territory::import,
        super::cases::create,
        super::cases::list,
        super::cases::one,
        super::cases::history,
        super::cases::duplicates,
        super::cases::act,
        super::cases::categories,
        super::cases::rules,
        super::cases::set_rules,
        super::cases::ladder,
        super::cases::set_ladder,
        super::cases::calendar,
        super::cases::set_day,
        super::cases::delete_day,
        super::cases::add_department,
        super::cases::departments,
        super::cases::set_duty,
        super::stats::stats,
        super::stats::map,
        super::watches::register,
        super::watches::list,
        super::watches::one,
        super::watches::level,
        super::watches::visit,
        super::sync::register,
        super::sync::device,
        super::sync::revoke,
        super::sync::push,
        super::sync::pull,
        super::sync::snapshot,
        super::photos::check,
        super::photos::download,
        super::photos::open,
        super::photos::chunk,
        super::photos::complete,
        super::photos::attach,
        super::intake::transfer,
        super::intake::issue,
        super::intake::list,
        super::intake::revoke,
        super::intake::contact,
        super::intake::subscribe,
        super::intake::webhooks,
        super::intake::deliveries,
    ),
    components(schemas(gridline_core::wire::error::ErrorBody, gridline_core::wire::error::ErrorCode)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
