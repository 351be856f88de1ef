//! Intake from other systems: `/v1/transfers` (a ticket from the 12345
//! hotline, the 110 platform or a court, authenticated by the source's API
//! key), the keys themselves and the webhooks that tell a key's system of
//! its cases' status changes, for admins (`/v1/api-keys`, `/v1/webhooks`),
//! and the contact an outside sender gave (`/v1/cases/{id}/contact`).

use super::auth::json_body;
use crate::auth::Caller;
use crate::auth::service::Identity;
use crate::error::{ApiError, ApiResult};
use crate::intake::error::IntakeError;
use crate::intake::transfer::{TransferIn, TransferOut, TransferOutcome, presented_key};
use crate::intake::{NewKey, keys};
use crate::state::AppState;
use crate::store::intake::{ApiKeyRow, Contact};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use gridline_core::time::Instant;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(transfer))
        .routes(routes!(issue, list))
        .routes(routes!(revoke))
        .routes(routes!(contact))
        .routes(routes!(subscribe, webhooks))
        .routes(routes!(deliveries))
}

fn admin(who: &Identity) -> ApiResult<()> {
    super::require_admin(who, "manage API keys and webhooks")
}

/// Creates the ticket's case, or updates it when the ticket changed.
#[utoipa::path(post, path = "/v1/transfers", request_body = TransferIn,
    responses((status = 201, body = TransferOut, description = "created"), (status = 200, body = TransferOut, description = "unchanged or updated"),
        (status = 400, description = "invalid_input, unknown_category, outside_territory"), (status = 401, description = "unauthenticated: no API key, or an unknown or revoked one")),
    security(("api_key" = [])))]
pub async fn transfer(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<TransferIn>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<TransferOut>)> {
    let presented = presented_key(&headers).ok_or_else(|| {
        ApiError::from(IntakeError::BadKey(
            "send the source's API key in X-Api-Key".into(),
        ))
    })?;
    let key = state.intake.key(&presented).await?;
    let body = json_body(body)?;
    let out = state.intake.transfer(&key, body).await?;
    let status = match out.outcome {
        TransferOutcome::Created => StatusCode::CREATED,
        TransferOutcome::Unchanged | TransferOutcome::Updated => StatusCode::OK,
    };
    Ok((status, Json(out)))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// The system's name, e.g. `临泽县12345热线`.
    pub name: String,
    /// `open311`, `hotline_12345`, `police_110` or `court_referral`.
    pub source: String,
    /// The county's code.
    pub county: String,
}

/// A key as listed; `key` only in the answer that made it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    pub source: String,
    pub county: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

fn key_view(state: &AppState, k: &ApiKeyRow, key: Option<String>) -> ApiKeyView {
    let t = state.territory.current();
    ApiKeyView {
        id: k.id.clone(),
        name: k.name.clone(),
        source: k.source.as_str().to_owned(),
        county: t
            .by_id(k.county_id)
            .map_or_else(|| k.county_id.to_string(), |u| t.unit(u).code.clone()),
        created_at: Instant(k.created_at).to_string(),
        revoked_at: k.revoked_at.map(|at| Instant(at).to_string()),
        key,
    }
}

/// Makes an API key for a system of one county; the key is shown only here.
#[utoipa::path(post, path = "/v1/api-keys", request_body = NewApiKey,
    responses((status = 201, body = ApiKeyView), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn issue(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewApiKey>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<ApiKeyView>)> {
    admin(&who)?;
    let body = json_body(body)?;
    let source = keys::parse_source(body.source.trim())
        .map_err(|e| ApiError::invalid(format!("source: {e}")))?;
    let (row, key) = state
        .intake
        .issue_key(
            who.user_id,
            NewKey {
                name: body.name,
                source,
                county: body.county,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(key_view(&state, &row, Some(key)))))
}

/// Every key made, revoked ones too; never the keys themselves.
#[utoipa::path(get, path = "/v1/api-keys",
    responses((status = 200, body = [ApiKeyView]), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> ApiResult<Json<Vec<ApiKeyView>>> {
    admin(&who)?;
    let rows = state.store.api_keys().await?;
    Ok(Json(
        rows.iter().map(|k| key_view(&state, k, None)).collect(),
    ))
}

/// Revokes a key: it stops working at once.
#[utoipa::path(delete, path = "/v1/api-keys/{id}",
    responses((status = 204, description = "revoked"), (status = 403, description = "forbidden"), (status = 404, description = "not_found: no such key, or revoked already")),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    admin(&who)?;
    if state
        .store
        .revoke_api_key(&id, state.clock.now_ms())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "no API key {id:?} that is still in use"
        )))
    }
}

/// The contact the sender of a case from outside gave (Open311, a
/// transfer); for those who may see the case's parties, and logged.
#[utoipa::path(get, path = "/v1/cases/{id}/contact",
    responses((status = 200, body = Contact), (status = 403, description = "not_permitted"), (status = 404, description = "not_found: no such case, or no outside contact")),
    security(("bearer" = [])))]
pub async fn contact(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Contact>> {
    let id = id
        .parse()
        .map_err(|e: gridline_core::id::IdParseError| ApiError::invalid(e.to_string()))?;
    let c = state.cases.contact(&who, id).await?.ok_or_else(|| {
        ApiError::not_found(format!("case {id} came from inside: no outside contact"))
    })?;
    Ok(Json(c))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// The key whose cases it hears about.
    pub api_key_id: String,
    /// Where notifications are POSTed (https or http).
    pub url: String,
}

/// A subscriber and its queue; `secret` only in the answer that made it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub api_key_id: String,
    pub url: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Not delivered yet.
    pub pending: i64,
    /// Not delivered and tried at least once.
    pub failing: i64,
    pub delivered: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oldest_pending_at: Option<String>,
    /// What went wrong with the oldest failing notification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

async fn webhook_view(
    state: &AppState,
    w: crate::store::webhooks::WebhookRow,
    secret: bool,
) -> ApiResult<WebhookView> {
    let q = state.store.queue_state(&w.id).await?;
    Ok(WebhookView {
        secret: secret.then_some(w.secret),
        id: w.id,
        api_key_id: w.api_key_id,
        url: w.url,
        created_at: Instant(w.created_at).to_string(),
        pending: q.pending,
        failing: q.failing,
        delivered: q.delivered,
        oldest_pending_at: q.oldest_pending_at.map(|at| Instant(at).to_string()),
        last_error: q.last_error,
    })
}

/// Subscribes a URL to the status changes of one key's cases.
#[utoipa::path(post, path = "/v1/webhooks", request_body = NewWebhook,
    responses((status = 201, body = WebhookView), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn subscribe(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<NewWebhook>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    admin(&who)?;
    let body = json_body(body)?;
    let w = state
        .intake
        .webhooks
        .register(body.api_key_id.trim(), &body.url)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(webhook_view(&state, w, true).await?),
    ))
}

/// Every subscriber with the state of its queue.
#[utoipa::path(get, path = "/v1/webhooks",
    responses((status = 200, body = [WebhookView]), (status = 403, description = "forbidden")),
    security(("bearer" = [])))]
pub async fn webhooks(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> ApiResult<Json<Vec<WebhookView>>> {
    admin(&who)?;
    let mut out = Vec::new();
    for w in state.store.webhooks().await? {
        out.push(webhook_view(&state, w, false).await?);
    }
    Ok(Json(out))
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
pub struct DeliveryQuery {
    /// `pending` (default), `failing` or `delivered`.
    pub state: Option<String>,
}

/// One notification and what became of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub case_id: String,
    pub created_at: String,
    pub attempts: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// What is (or was) sent.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// A subscriber's notifications in one state, newest first (at most 200).
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", params(DeliveryQuery),
    responses((status = 200, body = [DeliveryView]), (status = 400, description = "invalid_input"), (status = 403, description = "forbidden"), (status = 404, description = "not_found")),
    security(("bearer" = [])))]
pub async fn deliveries(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<DeliveryQuery>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    use crate::store::webhooks::Delivery;
    admin(&who)?;
    let which = match q.state.as_deref().unwrap_or("pending") {
        "pending" => Delivery::Pending,
        "failing" => Delivery::Failing,
        "delivered" => Delivery::Delivered,
        other => {
            return Err(ApiError::invalid(format!(
                "state: {other:?} is not pending, failing or delivered"
            )));
        }
    };
    if state.store.webhook(&id).await?.is_none() {
        return Err(ApiError::not_found(format!("no webhook {id:?}")));
    }
    let rows = state.store.deliveries(&id, which, 200).await?;
    Ok(Json(
        rows.into_iter()
            .map(|n| DeliveryView {
                id: n.id,
                case_id: n.case_id.to_string(),
                created_at: Instant(n.created_at).to_string(),
                attempts: n.attempts,
                next_attempt_at: n
                    .delivered_at
                    .is_none()
                    .then(|| Instant(n.next_at).to_string()),
                delivered_at: n.delivered_at.map(|at| Instant(at).to_string()),
                last_status: n.last_status,
                last_error: n.last_error,
                body: serde_json::from_str(&n.body).unwrap_or(serde_json::Value::String(n.body)),
            })
            .collect(),
    ))
}
