//! `/v1/cases`, their history and actions; `/v1/categories`; the routing
//! data admins edit: `/v1/routing-rules`, `/v1/ladders/{county}`,
//! `/v1/calendar`; the scheduler tick for operators.

use super::auth::json_body;
use crate::auth::Caller;
use crate::auth::service::Identity;
use crate::cases::error::CaseError;
use crate::cases::rulebook;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::NewDepartment;
use crate::store::cases::CaseFilter;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use gridline_core::calendar::{DayKind, SpecialDay};
use gridline_core::case::routing::Rule;
use gridline_core::case::{Action, Ladder, Status};
use gridline_core::category::{CATEGORIES, Category};
use gridline_core::department::DepartmentKind;
use gridline_core::time::Date;
use gridline_core::wire::case::UnitBrief;
use gridline_core::wire::case::{CasePage, CaseView, EventView, NewCase};
use gridline_core::{CaseId, OrgCode, OrgName, OrgUnitKind};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(one))
        .routes(routes!(history))
        .routes(routes!(duplicates))
        .routes(routes!(act))
        .routes(routes!(categories))
        .routes(routes!(rules, set_rules))
        .routes(routes!(ladder, set_ladder))
        .routes(routes!(calendar))
        .routes(routes!(set_day, delete_day))
        .routes(routes!(add_department, departments))
        .routes(routes!(set_duty))
}

fn case_id(s: &str) -> ApiResult<CaseId> {
    s.parse()
        .map_err(|e: gridline_core::id::IdParseError| ApiError::invalid(e.to_string()))
}

/// A grid named by code or id in a query.
pub(crate) fn grid_param(
    t: &crate::territory::Territory,
    g: &str,
) -> ApiResult<gridline_core::OrgUnitId> {
    t.by_code(g)
        .or_else(|| g.parse().ok().and_then(|id| t.by_id(id)))
        .filter(|&u| matches!(t.unit(u).kind, OrgUnitKind::Grid | OrgUnitKind::MicroGrid))
        .map(|u| t.unit(u).id)
        .ok_or_else(|| ApiError::invalid(format!("grid: no grid {g:?}")))
}

fn admin(who: &Identity) -> ApiResult<()> {
    super::require_admin(who, "change routing data")
}

/// Report a case. Staff reports are routed and dispatched at once; residents'
/// wait for a centre to accept them.
#[utoipa::path(post, path = "/v1/cases", request_body = NewCase,
    responses((status = 201, body = CaseView), (status = 400, description = "invalid_input, unknown_category, invalid_coordinate, outside_territory"), (status = 403, description = "not_permitted")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewCase>, JsonRejection>,
) -> ApiResult<(axum::http::StatusCode, Json<CaseView>)> {
    let new = json_body(body)?;
    let view = state.cases.create(&who, new).await?;
    Ok((axum::http::StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    /// A grid code or id.
    pub grid: Option<String>,
    pub category: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// The cases the caller may see, newest first, a page at a time.
#[utoipa::path(get, path = "/v1/cases", params(ListQuery),
    responses((status = 200, body = CasePage), (status = 400, description = "invalid_input, unknown_category")),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<CasePage>> {
    let q = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::invalid(e.body_text()))?;
    let status = q
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let t = state.territory.current();
    let grid = q.grid.as_deref().map(|g| grid_param(&t, g)).transpose()?;
    if let Some(c) = &q.category
        && gridline_core::category::by_code(c).is_none()
    {
        return Err(CaseError::UnknownCategory(c.clone()).into());
    }
    let before = q.cursor.as_deref().map(case_id).transpose()?;
    let filter = CaseFilter {
        status,
        grid,
        category: q.category,
        before,
        limit: q.limit.unwrap_or(50),
        ..CaseFilter::default()
    };
    Ok(Json(state.cases.list(&who, filter).await?))
}

/// One case as the caller may see it (parties only to its handlers and those above).
#[utoipa::path(get, path = "/v1/cases/{id}",
    responses((status = 200, body = CaseView), (status = 404, description = "not_found: missing, or outside the caller's scope")),
    security(("bearer" = [])))]
pub async fn one(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseView>> {
    Ok(Json(state.cases.view(&who, case_id(&id)?).await?))
}

/// Everything that happened to the case, in order, and who did it.
#[utoipa::path(get, path = "/v1/cases/{id}/history",
    responses((status = 200, body = [EventView]), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<EventView>>> {
    Ok(Json(state.cases.history(&who, case_id(&id)?).await?))
}

/// Open cases this one likely repeats (same category, near, recent), and
/// the cases merged into it with their reports, reporters and photos.
#[utoipa::path(get, path = "/v1/cases/{id}/duplicates",
    responses((status = 200, body = crate::cases::duplicates::Duplicates), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn duplicates(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<crate::cases::duplicates::Duplicates>> {
    Ok(Json(state.cases.duplicates(&who, case_id(&id)?).await?))
}

/// Take an action on the case; the case lists the ones the caller may take now.
#[utoipa::path(post, path = "/v1/cases/{id}/actions", request_body = Action,
    responses((status = 200, body = CaseView), (status = 400, description = "invalid_input, deadline_in_past"), (status = 403, description = "not_permitted"),
        (status = 404, description = "not_found"), (status = 409, description = "wrong_state, co_handling_open, top_tier, already_rated, no_open_order, no_open_task, version_conflict")),
    security(("bearer" = [])))]
pub async fn act(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: Result<Json<Action>, JsonRejection>,
) -> ApiResult<Json<CaseView>> {
    let id = case_id(&id)?;
    let action = json_body(body)?;
    Ok(Json(state.cases.act(&who, id, action).await?))
}

/// The case categories: stable codes with Chinese and English names.
#[utoipa::path(get, path = "/v1/categories", responses((status = 200, description = "[{code, name_zh, name_en, is_dispute}]")), security(("bearer" = [])))]
pub async fn categories(Caller(_): Caller) -> Json<&'static [Category]> {
    Json(CATEGORIES)
}

/// The routing rules in force, tried by priority.
#[utoipa::path(get, path = "/v1/routing-rules", responses((status = 200, body = [Rule])), security(("bearer" = [])))]
pub async fn rules(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Vec<Rule>>> {
    Ok(Json(rulebook::rules(state.store.as_ref()).await?))
}

/// Replaces the whole rule set; refused, with nothing changed, if any rule is bad.
/// (admin) Replace the routing rules; a set that loops or lacks a catch-all is refused.
#[utoipa::path(put, path = "/v1/routing-rules", request_body = [Rule],
    responses((status = 200, body = [Rule]), (status = 400, description = "invalid_rule, routing_loop, unknown_category"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn set_rules(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<Vec<Rule>>, JsonRejection>,
) -> ApiResult<Json<Vec<Rule>>> {
    admin(&who)?;
    let rules = json_body(body)?;
    rulebook::set_rules(state.store.as_ref(), &rules).await?;
    Ok(Json(rules))
}

fn county(state: &AppState, code: &str) -> ApiResult<gridline_core::OrgUnitId> {
    let t = state.territory.current();
    t.by_code(code)
        .filter(|&u| t.unit(u).kind == OrgUnitKind::County)
        .map(|u| t.unit(u).id)
        .ok_or_else(|| ApiError::not_found(format!("no county {code:?}")))
}

/// A county's tier ladder (the default, four levels in seven days, unless set).
#[utoipa::path(get, path = "/v1/ladders/{county}", responses((status = 200, body = Ladder), (status = 400, description = "invalid_input")), security(("bearer" = [])))]
pub async fn ladder(
    State(state): State<AppState>,
    Caller(_): Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Ladder>> {
    let id = county(&state, &code)?;
    Ok(Json(
        rulebook::ladder(state.store.as_ref(), Some(id)).await?,
    ))
}

/// (admin) Set a county's ladder; rungs that go back down are refused.
#[utoipa::path(put, path = "/v1/ladders/{county}", request_body = Ladder,
    responses((status = 200, body = Ladder), (status = 400, description = "invalid_rule, routing_loop"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn set_ladder(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(code): Path<String>,
    body: Result<Json<Ladder>, JsonRejection>,
) -> ApiResult<Json<Ladder>> {
    admin(&who)?;
    let id = county(&state, &code)?;
    let ladder = json_body(body)?;
    rulebook::set_ladder(state.store.as_ref(), id, &ladder).await?;
    Ok(Json(ladder))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CalendarQuery {
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    pub year: Option<i32>,
    /// Holidays and make-up working days; other weekdays work, weekends rest.
    pub special_days: Vec<SpecialDay>,
}

/// The working-day calendar's exceptions: holidays and make-up working days.
#[utoipa::path(get, path = "/v1/calendar", params(CalendarQuery), responses((status = 200, body = CalendarView)), security(("bearer" = [])))]
pub async fn calendar(
    State(state): State<AppState>,
    Caller(_): Caller,
    q: Result<Query<CalendarQuery>, QueryRejection>,
) -> ApiResult<Json<CalendarView>> {
    let q = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::invalid(e.body_text()))?;
    let c = rulebook::calendar(state.store.as_ref()).await?;
    let special_days = c
        .special_days()
        .filter(|d| q.year.is_none_or(|y| d.date.ymd().0 == y))
        .cloned()
        .collect();
    Ok(Json(CalendarView {
        year: q.year,
        special_days,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayBody {
    pub kind: DayKind,
    pub name: String,
}

fn date(s: &str) -> ApiResult<Date> {
    s.parse()
        .map_err(|e: gridline_core::time::TimeParseError| ApiError::invalid(e.to_string()))
}

/// (admin) Mark a day a holiday or a working day (a county's own exception).
#[utoipa::path(put, path = "/v1/calendar/{date}", request_body = DayBody,
    responses((status = 200, body = SpecialDay), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn set_day(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(d): Path<String>,
    body: Result<Json<DayBody>, JsonRejection>,
) -> ApiResult<Json<SpecialDay>> {
    admin(&who)?;
    let date = date(&d)?;
    let body = json_body(body)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(ApiError::invalid(
            "a calendar day needs a name of 1 to 40 characters",
        ));
    }
    let day = SpecialDay {
        date,
        kind: body.kind,
        name: name.to_owned(),
    };
    state.store.set_calendar_day(&day).await?;
    Ok(Json(day))
}

/// (admin) Remove a county-set exception.
#[utoipa::path(delete, path = "/v1/calendar/{date}",
    responses((status = 204), (status = 404, description = "not_found"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn delete_day(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(d): Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    admin(&who)?;
    if state.store.delete_calendar_day(date(&d)?).await? {
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "no county-set calendar day {d}"
        )))
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartmentBody {
    pub kind: DepartmentKind,
    pub code: String,
    pub name: String,
    /// Code of the township or county it belongs to.
    pub parent: String,
}

/// Adds a department (司法所, 人社局…) under a township or the county, so
/// routing rules and co-handling requests can reach it.
#[utoipa::path(post, path = "/v1/departments", request_body = NewDepartmentBody,
    responses((status = 201, body = UnitBrief), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden"), (status = 409, description = "conflict")),
    security(("bearer" = [])))]
pub async fn add_department(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewDepartmentBody>, JsonRejection>,
) -> ApiResult<(axum::http::StatusCode, Json<UnitBrief>)> {
    admin(&who)?;
    let body = json_body(body)?;
    let code = OrgCode::parse(&body.code).map_err(|e| ApiError::invalid(e.to_string()))?;
    let name = OrgName::parse(&body.name).map_err(|e| ApiError::invalid(e.to_string()))?;
    let t = state.territory.current();
    let parent = t
        .by_code(&body.parent)
        .filter(|&p| matches!(t.unit(p).kind, OrgUnitKind::Township | OrgUnitKind::County))
        .ok_or_else(|| ApiError::invalid(format!("no township or county {:?}", body.parent)))?;
    let id = gridline_core::OrgUnitId::new();
    state
        .store
        .add_department(&NewDepartment {
            id,
            kind: body.kind,
            code: code.as_str().to_owned(),
            name: name.as_str().to_owned(),
            parent_id: t.unit(parent).id,
        })
        .await?;
    state.territory.refresh_if_changed().await?;
    let t = state.territory.current();
    Ok((
        axum::http::StatusCode::CREATED,
        Json(crate::cases::view::unit_brief(&t, id)),
    ))
}

/// The departments the caller may ask to co-handle a case: those of the
/// caller's township and county (and, for a centre, those below it), for
/// the phone's co-handling picker.
#[utoipa::path(get, path = "/v1/departments",
    responses((status = 200, body = [gridline_core::wire::territory::DepartmentView])),
    security(("bearer" = [])))]
pub async fn departments(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Json<Vec<gridline_core::wire::territory::DepartmentView>> {
    let t = state.territory.current();
    let mut found: Vec<u32> = Vec::new();
    for (_, unit) in &who.roles {
        let Some(u) = t.by_id(*unit) else { continue };
        found.extend(t.departments_above(u));
        found.extend((0..t.units().len()).filter_map(|i| {
            let i = u32::try_from(i).ok()?;
            (t.unit(i).department.is_some() && t.within(i, u)).then_some(i)
        }));
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|d| seen.insert(*d));
    Json(
        found
            .into_iter()
            .filter_map(|d| {
                let n = t.unit(d);
                Some(gridline_core::wire::territory::DepartmentView {
                    id: n.id.to_string(),
                    code: n.code.clone(),
                    name: n.name.clone(),
                    kind: n.department?,
                    parent_code: t.unit(n.parent?).code.clone(),
                })
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyBody {
    /// Code of the unit where the caller holds a role.
    pub unit: String,
    pub on_duty: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DutyView {
    pub unit: String,
    pub on_duty: bool,
}

/// Puts the caller on or off duty at one of their units: off duty, new
/// cases go to colleagues (or the unit's queue), not to them.
#[utoipa::path(put, path = "/v1/duty", request_body = DutyBody,
    responses((status = 200, body = DutyView), (status = 400, description = "invalid_input")),
    security(("bearer" = [])))]
pub async fn set_duty(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<DutyBody>, JsonRejection>,
) -> ApiResult<Json<DutyView>> {
    let body = json_body(body)?;
    let t = state.territory.current();
    let unit = t
        .by_code(&body.unit)
        .map(|u| t.unit(u).id)
        .filter(|u| who.roles.iter().any(|(_, at)| at == u))
        .ok_or_else(|| ApiError::invalid(format!("you hold no role at unit {:?}", body.unit)))?;
    state
        .store
        .set_on_duty(who.user_id, unit, body.on_duty)
        .await?;
    Ok(Json(DutyView {
        unit: body.unit,
        on_duty: body.on_duty,
    }))
}
