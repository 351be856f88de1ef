//! `/openapi.json`: the API as OpenAPI 3.1. Its paths come from the router
//! itself (each module registers its handlers with `routes!`, which carries
//! their `#[utoipa::path]` along), so a route cannot be served undocumented;
//! the authorization matrix test reads this document to find every endpoint.

use crate::state::AppState;
use axum::Extension;
use axum::Json;
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Gridline API", description = "Grid-based governance: territory, assignment, auth, cases and statistics."),
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

/// The document's title, security schemes and shared schemas; the router
/// adds the paths.
#[must_use]
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document))
}

/// The document itself, put in by [`super::router`] once the paths are known.
#[derive(Clone)]
pub struct Document(pub Arc<utoipa::openapi::OpenApi>);

#[utoipa::path(get, path = "/openapi.json",
    responses((status = 200, description = "this document")))]
pub async fn document(Extension(doc): Extension<Document>) -> Json<utoipa::openapi::OpenApi> {
    Json(doc.0.as_ref().clone())
}
