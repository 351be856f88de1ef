//! Open311 GeoReport v2 under `/open311/v2/` (and the same surface under
//! `/open311/test/v2/`, the discovery document's test endpoint): service
//! discovery, the service list and definitions, and requests, in JSON or
//! XML by the path's extension. Public: no access token; `jurisdiction_id`
//! is a county's code (optional when the server holds one county).
//! Errors are the spec's error list, in the format asked for.

pub mod doc;
pub mod error;
pub mod format;
pub mod lang;
pub mod requests;
pub mod services;

use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use doc::Doc;
use error::Open311Error;
use format::{Format, Reply};
use gridline_core::OrgUnitKind;
use gridline_core::category;
use lang::Lang;

pub fn router() -> Router<AppState> {
    let api = || {
        Router::new()
            .route("/{file}", get(top))
            .route("/services/{file}", get(definition))
            .route("/requests/{file}", get(one))
            .fallback(|| async { Open311Error::not_found("no such Open311 resource") })
    };
    Router::new()
        .nest("/open311/v2", api())
        .nest("/open311/test/v2", api())
}

/// The query's pairs, decoded.
fn pairs(q: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(q.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// The county a request is about: `jurisdiction_id`, or the only county.
fn jurisdiction(
    state: &AppState,
    pairs: &[(String, String)],
) -> Result<(gridline_core::OrgUnitId, String), Open311Error> {
    let t = state.territory.current();
    let counties: Vec<_> = t
        .units()
        .iter()
        .filter(|u| u.kind == OrgUnitKind::County)
        .collect();
    match param(pairs, "jurisdiction_id") {
        Some(code) => counties
            .iter()
            .find(|u| u.code == code)
            .map(|u| (u.id, u.code.clone()))
            .ok_or_else(|| {
                Open311Error::not_found(format!(
                    "unknown jurisdiction_id '{code}': it is a county's code"
                ))
            }),
        None => match counties.as_slice() {
            [one] => Ok((one.id, one.code.clone())),
            [] => Err(Open311Error::not_found("this server serves no county yet")),
            many => Err(Open311Error::bad(format!(
                "jurisdiction_id is required here: one of {}",
                many.iter()
                    .map(|u| u.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

/// This server's address as the client reached it, for discovery.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|s| *s == "https" || *s == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

/// `discovery`, `services` and `requests`, each `.json` or `.xml`.
async fn top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (stem, format) = match Format::split(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let pairs = pairs(q.as_deref());
    let lang = Lang::of(&headers);
    let reply = match stem {
        "discovery" => Ok(Reply::ok(
            format,
            "discovery",
            services::discovery(&base(&headers)),
        )),
        "services" => jurisdiction(&state, &pairs)
            .map(|_| Reply::ok(format, "services", services::list(lang))),
        "requests" => list(&state, &pairs, lang, format).await,
        _ => Err(Open311Error::not_found(format!(
            "no Open311 resource '{stem}'"
        ))),
    };
    reply.map_err(|e| e.in_format(format)).into_response()
}

async fn definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (code, format) = match Format::split(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let pairs = pairs(q.as_deref());
    let reply = jurisdiction(&state, &pairs).and_then(|_| {
        let c = category::by_code(code).ok_or_else(|| {
            Open311Error::not_found(format!(
                "unknown service_code '{code}'; services.{} lists them",
                ext(format)
            ))
        })?;
        Ok(Reply::ok(
            format,
            "service_definition",
            services::definition(c, Lang::of(&headers)),
        ))
    });
    reply.map_err(|e| e.in_format(format)).into_response()
}

async fn one(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (id, format) = match Format::split(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let mut pairs = pairs(q.as_deref());
    pairs.retain(|(k, _)| k == "jurisdiction_id" || k == "extensions");
    pairs.push(("service_request_id".into(), id.to_owned()));
    let missing = || Open311Error::not_found(format!("no service request '{id}'"));
    let reply = if id.parse::<gridline_core::CaseId>().is_err() {
        Err(missing())
    } else {
        match list(&state, &pairs, Lang::of(&headers), format).await {
            Ok(r) if matches!(&r.doc, Doc::List { items, .. } if items.is_empty()) => {
                Err(missing())
            }
            other => other,
        }
    };
    reply.map_err(|e| e.in_format(format)).into_response()
}

async fn list(
    state: &AppState,
    pairs: &[(String, String)],
    lang: Lang,
    format: Format,
) -> Result<Reply, Open311Error> {
    let (county, _) = jurisdiction(state, pairs)?;
    let query = requests::Query::parse(pairs)?;
    let filter = query.filter(county, state.cases.now())?;
    let rows = state.store.list_cases(&filter).await?;
    let t = state.territory.current();
    let items = rows
        .iter()
        .filter(|c| requests::public(c))
        .map(|c| requests::request(c, &t, lang, query.extensions))
        .collect();
    Ok(Reply::ok(
        format,
        "service_requests",
        Doc::list("request", items),
    ))
}

const fn ext(f: Format) -> &'static str {
    match f {
        Format::Json => "json",
        Format::Xml => "xml",
    }
}
