//! Open311 GeoReport v2 under `/open311/v2/` (and the same surface under
//! `/open311/test/v2/`, the discovery document's test endpoint): service
//! discovery, the service list and definitions, and requests, in JSON or
//! XML by the path's extension. Public: no access token; `jurisdiction_id`
//! is a county's code (optional when the server holds one county).
//! Requests are posted with a trusted system's `api_key`, or without one,
//! as the county's anonymous Open311 account, a limited number an hour
//! from one address. The test endpoint checks a posted request as the
//! production one would and stores nothing.
//! Errors are the spec's error list, in the format asked for.

pub mod doc;
pub mod error;
pub mod format;
pub mod lang;
pub mod media;
pub mod requests;
pub mod services;
pub mod submit;

use crate::photos::Whole;
use crate::state::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use doc::Doc;
use error::Open311Error;
use format::{Format, Reply};
use gridline_core::OrgUnitKind;
use gridline_core::case::Channel;
use gridline_core::category;
use lang::Lang;
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    let api = |endpoint: Endpoint| {
        OpenApiRouter::new()
            .routes(routes!(top, post))
            .routes(routes!(definition))
            .routes(routes!(one))
            .routes(routes!(token))
            .fallback(|| async { Open311Error::not_found("no such Open311 resource") })
            .layer(Extension(endpoint))
    };
    OpenApiRouter::new()
        .nest("/open311/v2", api(Endpoint::Production))
        .nest("/open311/test/v2", api(Endpoint::Test))
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
#[utoipa::path(get, path = "/{file}", tag = "open311", params(("file" = String, Path, description = "the resource and its format, e.g. `services.json` or `requests.xml`")),
    responses((status = 200, description = "discovery, the service list or requests, in JSON or XML"), (status = 400, description = "the spec's error list")))]
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

#[utoipa::path(get, path = "/services/{file}", tag = "open311", params(("file" = String, Path, description = "the resource and its format, e.g. `services.json` or `requests.xml`")),
    responses((status = 200, description = "a service definition"), (status = 404, description = "the spec's error list")))]
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

#[utoipa::path(get, path = "/requests/{file}", tag = "open311", params(("file" = String, Path, description = "the resource and its format, e.g. `services.json` or `requests.xml`")),
    responses((status = 200, description = "one service request"), (status = 404, description = "the spec's error list")))]
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
    let rows: Vec<_> = rows.iter().filter(|c| requests::public(c)).collect();
    let ids: Vec<_> = rows.iter().map(|c| c.id).collect();
    let media: std::collections::HashMap<_, _> =
        state.store.media_urls(&ids).await?.into_iter().collect();
    let items = rows
        .iter()
        .map(|c| {
            let media_url = media.get(&c.id).map(String::as_str);
            requests::request(c, &t, lang, query.extensions, media_url)
        })
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

/// Which endpoint of the discovery document a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Production,
    /// Checks what is posted, stores nothing.
    Test,
}

/// `POST requests.{fmt}`: a new service request.
#[utoipa::path(post, path = "/{file}", tag = "open311", params(("file" = String, Path, description = "the resource and its format, e.g. `services.json` or `requests.xml`")),
    request_body(content_type = "application/x-www-form-urlencoded", description = "the request's fields, or multipart with `media`"),
    responses((status = 201, description = "the new request's id"), (status = 400, description = "the spec's error list"), (status = 403, description = "a bad api_key, or too many anonymous requests")))]
async fn post(
    State(state): State<AppState>,
    Extension(endpoint): Extension<Endpoint>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (stem, format) = match Format::split(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let reply = if stem == "requests" {
        let test = endpoint == Endpoint::Test;
        match media::read(&headers, body).await {
            Ok(posted) => {
                let mut all = pairs(q.as_deref());
                all.extend(posted.pairs);
                create(&state, &all, posted.media, Lang::of(&headers), peer, test).await
            }
            Err(e) => Err(e),
        }
    } else {
        Err(Open311Error::not_found(format!(
            "only requests.{} takes a POST",
            ext(format)
        )))
    };
    reply
        .map(|doc| Reply::ok(format, "service_requests", doc))
        .map_err(|e| e.in_format(format))
        .into_response()
}

async fn create(
    state: &AppState,
    pairs: &[(String, String)],
    media: Option<Whole>,
    lang: Lang,
    peer: SocketAddr,
    test: bool,
) -> Result<Doc, Open311Error> {
    let (county, code) = jurisdiction(state, pairs)?;
    // The sender first: 403 for a bad key before anything else is read.
    let key = match param(pairs, "api_key") {
        Some(k) => {
            let key = state.intake.key(k).await.map_err(|_| {
                Open311Error::forbidden("invalid api_key: it is unknown or revoked")
            })?;
            if key.county_id != county {
                return Err(Open311Error::forbidden(format!(
                    "this api_key is not for jurisdiction_id {code}"
                )));
            }
            Some(key)
        }
        None => {
            state.intake.admit(peer.ip())?;
            None
        }
    };
    let s = submit::parse(pairs, lang)?;
    state.cases.placeable(s.point)?;
    let account_id = s.contact.account_id.clone();
    let receipt = |id: (&'static str, Doc), notice: String| {
        let mut fields = vec![id, ("service_notice", Doc::Text(notice))];
        if let Some(a) = &account_id {
            fields.push(("account_id", Doc::text(a.clone())));
        }
        Doc::list("request", vec![Doc::Record(fields)])
    };
    if test {
        let notice = match lang {
            Lang::Zh => "测试端点：请求有效，未保存。",
            Lang::En => "Test endpoint: the request is valid and was not stored.",
        };
        return Ok(receipt(("token", Doc::text("test")), notice.into()));
    }
    let who = match &key {
        Some(k) => state.intake.key_identity(k).await?,
        None => state.intake.anonymous(county, &code).await?,
    };
    let new = gridline_core::wire::case::NewCase {
        id: None,
        category: s.category.code.to_owned(),
        description: s.description,
        location: gridline_core::wire::case::LocationIn {
            lat: s.point.lat.degrees(),
            lon: s.point.lon.degrees(),
            crs: None,
        },
        channel: Some(key.as_ref().map_or(Channel::Open311, |k| k.source)),
        parties: Vec::new(),
        people_affected: s.people_affected,
        amount_yuan: s.amount_yuan,
        risk: None,
        photos: media.iter().map(Whole::new_photo).collect(),
    };
    let id = state
        .intake
        .submit(&who, key.as_ref(), new, s.contact)
        .await?;
    if let Some(photo) = &media {
        // The case is stored; a failure here leaves its photo pending.
        state.photos.keep(&who, photo).await?;
    }
    let (lead, repeats) = match state.store.case(id).await? {
        Some(c) => {
            let t = state.territory.current();
            let lead = t.by_id(c.lead_unit_id).map(|u| t.unit(u).name.clone());
            (lead, state.cases.likely_duplicates(&c).await?.len())
        }
        None => (None, 0),
    };
    let lead = lead.unwrap_or_default();
    let mut notice = match lang {
        Lang::Zh => format!("已收到，由{lead}受理；可凭 service_request_id 查询办理进度。"),
        Lang::En => format!(
            "Received; {lead} will take it up. Follow it with GET requests/{id} by its service_request_id."
        ),
    };
    if repeats > 0 {
        notice.push_str(&match lang {
            Lang::Zh => format!("附近已有{repeats}件未办结的同类诉求，可能为同一事项，将一并处理。"),
            Lang::En => format!(
                " {repeats} open request(s) of this kind nearby may be the same matter; they will be handled together."
            ),
        });
    }
    Ok(receipt(
        ("service_request_id", Doc::text(id.to_string())),
        notice,
    ))
}

/// `GET tokens/{token}.{fmt}`: requests get their id at once, so a token
/// is the id itself; test-endpoint tokens stand for nothing stored.
#[utoipa::path(get, path = "/tokens/{file}", tag = "open311", params(("file" = String, Path, description = "the resource and its format, e.g. `services.json` or `requests.xml`")),
    responses((status = 200, description = "the request id a token stands for"), (status = 404, description = "the spec's error list")))]
async fn token(
    State(state): State<AppState>,
    Extension(endpoint): Extension<Endpoint>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (token, format) = match Format::split(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let missing = || Open311Error::not_found(format!("no service request with token '{token}'"));
    let reply = if endpoint == Endpoint::Test {
        Err(Open311Error::not_found(
            "requests sent to the test endpoint are not stored",
        ))
    } else if token.parse::<gridline_core::CaseId>().is_err() {
        Err(missing())
    } else {
        let mut pairs = pairs(q.as_deref());
        pairs.retain(|(k, _)| k == "jurisdiction_id");
        pairs.push(("service_request_id".into(), token.to_owned()));
        match list(&state, &pairs, Lang::of(&headers), format).await {
            Ok(r) if matches!(&r.doc, Doc::List { items, .. } if items.is_empty()) => {
                Err(missing())
            }
            Ok(_) => Ok(Reply::ok(
                format,
                "service_requests",
                Doc::list(
                    "request",
                    vec![Doc::Record(vec![
                        ("service_request_id", Doc::text(token)),
                        ("token", Doc::text(token)),
                    ])],
                ),
            )),
            Err(e) => Err(e),
        }
    };
    reply.map_err(|e| e.in_format(format)).into_response()
}
