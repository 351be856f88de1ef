//! `/v1/locate`, `/v1/grids`, `/v1/org-units`, `/v1/grids/import`.

use crate::auth::Caller;
use crate::auth::service::Identity;
use crate::error::{ApiError, ApiResult};
use crate::spatial::geojson_in::{self, ReadOptions};
use crate::spatial::index::Assignment;
use crate::state::AppState;
use crate::territory::{ImportOptions, ImportReport, Territory, UnitNode};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use gridline_core::wire::territory::{LocateResponse, OrgUnitView, Responsible, UnitRef};
use gridline_core::{Crs, GeoPoint, OrgUnitKind, Role};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(locate))
        .routes(routes!(grids))
        .routes(routes!(import))
        .routes(routes!(org_units))
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::invalid(e.body_text()))
}

pub(crate) fn parse_crs(crs: Option<&str>) -> ApiResult<Crs> {
    crs.map_or(Ok(Crs::Wgs84), |c| c.parse().map_err(ApiError::from))
}

fn unit_ref(node: Option<&UnitNode>) -> Option<UnitRef> {
    node.map(|n| UnitRef {
        code: n.code.clone(),
        name: n.name.clone(),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LocateQuery {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// `wgs84` (default), `gcj02` or `cgcs2000`.
    pub crs: Option<String>,
}

/// Which grid, village, township and county a point is in, and who answers for it.
#[utoipa::path(get, path = "/v1/locate", params(LocateQuery),
    responses((status = 200, body = LocateResponse), (status = 400, description = "invalid_coordinate")), security(("bearer" = [])))]
pub async fn locate(
    State(state): State<AppState>,
    Caller(_caller): Caller,
    q: Result<Query<LocateQuery>, QueryRejection>,
) -> ApiResult<Json<LocateResponse>> {
    let q = query(q)?;
    let point = GeoPoint::parse(q.lat, q.lon, parse_crs(q.crs.as_deref())?)?;
    let territory = state.territory.current();
    let (assignment, unit) = territory.locate(point);
    let outcome = match assignment {
        Assignment::Inside(_) => "inside",
        Assignment::Near(..) => "near",
        Assignment::Unassigned => "unassigned",
    };
    state
        .metrics
        .locates
        .get_or_create(&crate::metrics::OutcomeLabels { outcome })
        .inc();
    let chain = unit.map(|u| territory.chain(u)).unwrap_or_default();
    let mut at = Vec::new();
    at.extend(chain.grid.map(|g| g.id));
    at.extend(chain.village.map(|v| v.id));
    let responsible = state
        .store
        .role_holders_at(&at)
        .await?
        .into_iter()
        .filter(|h| matches!(h.role, Role::GridWorker | Role::VillageCadre))
        .map(|h| Responsible {
            username: h.username,
            display_name: h.display_name,
            role: h.role,
        })
        .collect();
    Ok(Json(LocateResponse {
        grid: unit_ref(chain.grid),
        village: unit_ref(chain.village),
        township: unit_ref(chain.township),
        county: unit_ref(chain.county),
        distance_m: (assignment.distance_m() * 10.0).round() / 10.0,
        responsible,
    }))
}

/// Whether the caller may see unit `i`: admins see everything; everyone
/// else sees the subtree of the units their roles are held at.
fn visible(territory: &Territory, caller: &Identity, i: u32) -> bool {
    caller.roles.iter().any(|(role, unit)| {
        *role == Role::Admin
            || territory
                .by_id(*unit)
                .is_some_and(|root| territory.within(i, root))
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CrsQuery {
    /// The system for the coordinates returned: `wgs84` (default), `gcj02`, `cgcs2000`.
    pub crs: Option<String>,
}

/// The grids the caller may see, as a GeoJSON FeatureCollection.
#[utoipa::path(get, path = "/v1/grids", params(CrsQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection (RFC 7946; WGS84 unless crs says otherwise)")), security(("bearer" = [])))]
pub async fn grids(
    State(state): State<AppState>,
    Caller(caller): Caller,
    q: Result<Query<CrsQuery>, QueryRejection>,
) -> ApiResult<impl IntoResponse> {
    let crs = parse_crs(query(q)?.crs.as_deref())?;
    let territory = state.territory.current();
    let body = tokio::task::spawn_blocking(move || feature_collection(&territory, &caller, crs))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body))
}

fn feature_collection(territory: &Territory, caller: &Identity, crs: Crs) -> String {
    let unit = |n: Option<&UnitNode>| n.map(|n| json!({ "code": n.code, "name": n.name }));
    grid_features(territory, caller, crs, |chain| {
        json!({
            "code": chain.grid.map(|n| &n.code),
            "name": chain.grid.map(|n| &n.name),
            "village": unit(chain.village),
            "township": unit(chain.township),
            "county": unit(chain.county),
        })
    })
}

/// The grids `caller` may see as a GeoJSON FeatureCollection in `crs`, each
/// with the properties `props` gives for its chain of units.
pub(crate) fn grid_features(
    territory: &Territory,
    caller: &Identity,
    crs: Crs,
    mut props: impl FnMut(&crate::territory::Chain<'_>) -> Value,
) -> String {
    let index = &territory.index;
    let features: Vec<Value> = (0..index.len())
        .filter(|&g| visible(territory, caller, index.grids()[g].data))
        .map(|g| {
            let chain = territory.chain(index.grids()[g].data);
            let rings: Vec<Vec<[f64; 2]>> = index
                .rings(g)
                .map(|ring| {
                    ring.into_iter()
                        .map(|[lon, lat]| round7(crs.from_wgs84(lon, lat)))
                        .collect()
                })
                .collect();
            json!({
                "type": "Feature",
                "properties": props(&chain),
                "geometry": { "type": "MultiPolygon", "coordinates": regroup(rings) },
            })
        })
        .collect();
    let mut doc = json!({ "type": "FeatureCollection", "features": features });
    if crs != Crs::Wgs84 {
        doc["crs_name"] = json!(crs.as_str());
    }
    doc.to_string()
}

/// 7 decimals of a degree is about 1 cm: plenty, and half the bytes.
fn round7((lon, lat): (f64, f64)) -> [f64; 2] {
    [(lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7]
}

/// Splits a flat ring list back into polygons: a ring wound clockwise (by the
/// shoelace sign) after an outer ring is taken as its hole. Grids stored from
/// GeoJSON or generation keep holes right after their outer ring.
fn regroup(rings: Vec<Vec<[f64; 2]>>) -> Vec<Vec<Vec<[f64; 2]>>> {
    let mut out: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut outer_sign = 0.0f64;
    for ring in rings {
        let signed: f64 = ring
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        match out.last_mut() {
            Some(polygon) if signed.signum() == -outer_sign => polygon.push(ring),
            _ => {
                outer_sign = signed.signum();
                out.push(vec![ring]);
            }
        }
    }
    out
}

/// Org units the caller may see.
#[utoipa::path(get, path = "/v1/org-units", responses((status = 200, body = [OrgUnitView])), security(("bearer" = [])))]
pub async fn org_units(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Json<Vec<OrgUnitView>> {
    let territory = state.territory.current();
    let units = territory
        .units()
        .iter()
        .enumerate()
        .filter(|(i, _)| visible(&territory, &caller, u32::try_from(*i).unwrap_or(u32::MAX)))
        .map(|(_, u)| OrgUnitView {
            id: u.id.to_string(),
            kind: u.kind,
            code: u.code.clone(),
            name: u.name.clone(),
            parent_code: u.parent.map(|p| territory.unit(p).code.clone()),
        })
        .collect();
    Json(units)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The system the file's coordinates are in: `wgs84` (default), `gcj02`, `cgcs2000`.
    pub crs: Option<String>,
    /// Re-node self-intersecting polygons instead of refusing them.
    #[serde(default)]
    pub repair: bool,
    /// Tolerated overlap width in metres (default from the server settings).
    pub overlap_tolerance_m: Option<f64>,
}

/// Imports grids from a GeoJSON FeatureCollection: all of them or, on any
/// fault, none. Admins may import anywhere; a county operator only grids
/// whose `county` is theirs.
#[utoipa::path(post, path = "/v1/grids/import", params(ImportQuery), request_body(content = String, content_type = "application/geo+json"),
    responses((status = 200, description = "Imported"), (status = 422, description = "invalid_geojson: names the feature and the fault"), (status = 409, description = "conflict")),
    security(("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    Caller(caller): Caller,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    let q = query(q)?;
    let admin = caller.roles.iter().any(|(r, _)| *r == Role::Admin);
    let territory = state.territory.current();
    let counties: Vec<String> = caller
        .roles
        .iter()
        .filter(|(r, _)| *r == Role::CountyOperator)
        .filter_map(|(_, u)| territory.by_id(*u).map(|i| territory.unit(i)))
        .filter(|n| n.kind == OrgUnitKind::County)
        .map(|n| n.code.clone())
        .collect();
    if !admin && counties.is_empty() {
        return Err(ApiError::forbidden(
            "only an admin or a county operator may import grids",
        ));
    }
    let options = ReadOptions {
        crs: parse_crs(q.crs.as_deref())?,
        repair: q.repair,
    };
    let tolerance = q
        .overlap_tolerance_m
        .unwrap_or(state.settings.overlap_tolerance_m);
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(ApiError::invalid(
            "overlap_tolerance_m must be a number of metres, 0 or more",
        ));
    }
    let features = tokio::task::spawn_blocking(move || geojson_in::read(&body, options))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    if !admin
        && let Some(f) = features.iter().find(|f| {
            f.county
                .as_ref()
                .is_none_or(|c| !counties.contains(&c.code.to_string()))
        })
    {
        return Err(ApiError::forbidden(format!(
            "feature {} (code {:?}) is not in your county: its \"county\" property must be one of {counties:?}",
            f.position,
            f.code.as_str()
        )));
    }
    let report = state
        .territory
        .import(
            features,
            ImportOptions {
                overlap_tolerance_m: tolerance,
            },
        )
        .await?;
    tracing::info!(user = %caller.username, grids = report.grids_created, "grids imported");
    Ok(Json(report))
}
