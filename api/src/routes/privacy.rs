//! `/v1/privacy/*` and `/v1/audit/*`, for admins: a person's data exported
//! or erased on request, and the logs of who did what and who read whose
//! data (see [`crate::privacy`] and [`crate::audit`]).

use super::auth::json_body;
use crate::audit::Trail;
use crate::auth::Caller;
use crate::auth::service::Identity;
use crate::error::{ApiError, ApiResult};
use crate::privacy::{ErasureReport, PersonExport, PersonQuery};
use crate::state::AppState;
use crate::store::privacy::LogFilter;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use gridline_core::CaseId;
use gridline_core::time::Instant;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most log entries on one page.
const MAX_PAGE: u32 = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(erase))
        .routes(routes!(actions))
        .routes(routes!(reads))
}

/// Everything held about one person: the cases they are in with their
/// part and every read of it, and their resident account. Logged as a read
/// of each case shown.
#[utoipa::path(post, path = "/v1/privacy/export", request_body = PersonQuery,
    responses((status = 200, body = PersonExport), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Caller(who): Caller,
    trail: Trail,
    body: Result<Json<PersonQuery>, JsonRejection>,
) -> ApiResult<Json<PersonExport>> {
    super::require_admin(&who, "export a person's data")?;
    let key = json_body(body)?.key()?;
    let out = crate::privacy::export(&state, &who, &key).await?;
    trail.detail(json!({
        "cases": out.cases.len(),
        "account": out.account.is_some(),
    }));
    Ok(Json(out))
}

/// Erases a person at their request: their names, phone numbers, ID
/// numbers and contacts leave every case (each case gets an `erase` event
/// and stays, with its history), and a resident account is closed.
#[utoipa::path(post, path = "/v1/privacy/erase", request_body = PersonQuery,
    responses((status = 200, body = ErasureReport), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden"),
        (status = 409, description = "conflict: a staff account")),
    security(("bearer" = [])))]
pub async fn erase(
    State(state): State<AppState>,
    Caller(who): Caller,
    trail: Trail,
    body: Result<Json<PersonQuery>, JsonRejection>,
) -> ApiResult<Json<ErasureReport>> {
    super::require_admin(&who, "erase a person's data")?;
    let key = json_body(body)?.key()?;
    let out = crate::privacy::erase(&state, &who, &key).await?;
    trail.detail(json!({
        "cases": out.cases.len(),
        "parties": out.parties,
        "contacts": out.contacts,
        "account": out.account,
    }));
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogQuery {
    /// Only this account's entries.
    pub user: Option<String>,
    /// Only reads of this case (reads only).
    pub case: Option<String>,
    /// From the previous page's `next_after`.
    pub after: Option<i64>,
    /// Entries per page (default and most 500).
    pub limit: Option<u32>,
}

/// One request that changed something (or a privacy request).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionView {
    pub id: i64,
    #[schema(value_type = String)]
    pub at: Instant,
    /// The account; absent when nobody was signed in.
    pub user: Option<String>,
    pub device: Option<String>,
    pub method: String,
    pub route: String,
    pub path: String,
    pub status: u16,
    #[schema(value_type = Object)]
    pub detail: Option<serde_json::Value>,
}

/// One read of a case's personal data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReadView {
    pub id: i64,
    #[schema(value_type = String)]
    pub at: Instant,
    pub user: String,
    pub device: Option<String>,
    pub case_id: String,
    pub via: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogPage<T> {
    pub items: Vec<T>,
    /// Where the next page starts; absent on the last.
    pub next_after: Option<i64>,
}

fn page<T>(items: Vec<T>, limit: u32, id: impl Fn(&T) -> i64) -> LogPage<T> {
    let next_after = if items.len() == limit as usize {
        items.last().map(id)
    } else {
        None
    };
    LogPage { items, next_after }
}

/// The filter a query asks for; an unknown account or a malformed case id
/// is named.
async fn filter(
    state: &AppState,
    who: &Identity,
    q: Result<Query<LogQuery>, QueryRejection>,
) -> ApiResult<LogFilter> {
    super::require_admin(who, "read the audit logs")?;
    let Query(q) = q.map_err(|e| ApiError::invalid(e.body_text()))?;
    let user = match &q.user {
        Some(name) => Some(
            state
                .store
                .user_by_username(name)
                .await?
                .ok_or_else(|| ApiError::invalid(format!("user: no account {name:?}")))?
                .id,
        ),
        None => None,
    };
    let case = q
        .case
        .as_deref()
        .map(str::parse::<CaseId>)
        .transpose()
        .map_err(|e| ApiError::invalid(format!("case: {e}")))?;
    Ok(LogFilter {
        user,
        case,
        after: q.after.unwrap_or(0),
        limit: q.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE),
    })
}

/// The audit log: every request that changed something, refused or not,
/// with who, from which device, when and its status; oldest first.
#[utoipa::path(get, path = "/v1/audit/actions", params(LogQuery),
    responses((status = 200, body = LogPage<ActionView>), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn actions(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<LogQuery>, QueryRejection>,
) -> ApiResult<Json<LogPage<ActionView>>> {
    let f = filter(&state, &who, q).await?;
    if f.case.is_some() {
        return Err(ApiError::invalid(
            "case: the audit log is listed by user; GET /v1/audit/reads lists a case's reads and GET /v1/cases/{id}/history what was done to it",
        ));
    }
    let rows = state.store.actions(&f).await?;
    let mut names = crate::privacy::Usernames::default();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let e = r.entry;
        items.push(ActionView {
            id: r.id,
            at: Instant(e.at),
            user: match e.user_id {
                Some(u) => Some(names.of(&state, u).await?),
                None => None,
            },
            device: e.device_id.map(|d| d.to_string()),
            method: e.method,
            route: e.route,
            path: e.path,
            status: e.status,
            detail: e.detail.and_then(|d| serde_json::from_str(&d).ok()),
        });
    }
    Ok(Json(page(items, f.limit, |a| a.id)))
}

/// The log of personal-data reads: who was shown whose parties, when,
/// through what and from which device; oldest first.
#[utoipa::path(get, path = "/v1/audit/reads", params(LogQuery),
    responses((status = 200, body = LogPage<ReadView>), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn reads(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<LogQuery>, QueryRejection>,
) -> ApiResult<Json<LogPage<ReadView>>> {
    let f = filter(&state, &who, q).await?;
    let rows = state.store.reads(&f).await?;
    let mut names = crate::privacy::Usernames::default();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(ReadView {
            id: r.id,
            at: Instant(r.at),
            user: names.of(&state, r.user_id).await?,
            device: r.device_id.map(|d| d.to_string()),
            case_id: r.case_id.to_string(),
            via: r.via,
        });
    }
    Ok(Json(page(items, f.limit, |r| r.id)))
}
