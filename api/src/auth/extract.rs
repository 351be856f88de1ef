//! The axum extractor that makes a handler require a valid access token.

use super::service::Identity;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The authenticated caller. A handler that takes a `Caller` can only be
/// reached with a valid, unrevoked access token.
#[derive(Debug, Clone)]
pub struct Caller(pub Identity);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(super::AuthError::MissingToken)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or(super::AuthError::MissingToken)?;
        let mut who = state.auth.authenticate(token.trim()).await?;
        let trail = crate::audit::Trail::of(parts);
        if let Some(trail) = &trail {
            // Noted first: a request refused for its device is logged as theirs.
            trail.caller(&who);
        }
        if let Some(device) = parts.headers.get(crate::audit::DEVICE_HEADER) {
            who.device = Some(own_device(state, &who, device).await?);
            if let Some(trail) = &trail {
                trail.caller(&who);
            }
        }
        Ok(Caller(who))
    }
}

/// The device a request names in `X-Gridline-Device`: it must be one the
/// caller registered and has not revoked, or the request is refused.
async fn own_device(
    state: &AppState,
    who: &Identity,
    header: &axum::http::HeaderValue,
) -> Result<gridline_core::DeviceId, ApiError> {
    let named = || {
        format!(
            "{}: {:?} is not a device registered to you; register one with POST /v1/devices",
            crate::audit::DEVICE_HEADER,
            String::from_utf8_lossy(header.as_bytes())
        )
    };
    let id: gridline_core::DeviceId = header
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| ApiError::invalid(named()))?;
    match state.store.device(id).await.map_err(ApiError::from)? {
        Some(d) if d.user_id == who.user_id && d.revoked_at.is_none() => Ok(id),
        _ => Err(ApiError::invalid(named())),
    }
}
