//! What a client believes. A phone on hotel or station Wi-Fi gets
//! `200 text/html` from a captive portal for every request; taking that as
//! "pushed" would drop its queue. A sync response counts only if it is JSON,
//! parses as the expected type and carries the protocol marker.

use super::PROTOCOL;
use super::pull::{PullPage, ResetBody, SnapshotPage};
use super::push::PushResponse;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("the response is {0:?}, not JSON (a captive portal or proxy?); nothing was synced")]
    NotJson(String),
    #[error("the response is not a Gridline sync response ({0}); nothing was synced")]
    NotProtocol(String),
    /// The server asks for a fresh start from a snapshot.
    #[error("the server asks for a reset: {0:?}")]
    Reset(ResetBody),
    /// Any other non-2xx answer: retry later, keep the queue.
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String },
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| {
        let essence = c.split(';').next().unwrap_or("").trim();
        essence.eq_ignore_ascii_case("application/json")
    })
}

fn accept<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    protocol_of: impl Fn(&T) -> &str,
) -> Result<T, ResponseError> {
    if status == 409
        && is_json(content_type)
        && let Ok(reset) = serde_json::from_slice::<ResetBody>(body)
        && reset.code == "reset_required"
    {
        return Err(ResponseError::Reset(reset));
    }
    if !(200..300).contains(&status) {
        let message = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned());
        return Err(ResponseError::Status { status, message });
    }
    if !is_json(content_type) {
        return Err(ResponseError::NotJson(
            content_type.unwrap_or("no content type").to_owned(),
        ));
    }
    let value: T =
        serde_json::from_slice(body).map_err(|e| ResponseError::NotProtocol(e.to_string()))?;
    if protocol_of(&value) != PROTOCOL {
        return Err(ResponseError::NotProtocol(format!(
            "protocol {:?}, expected {PROTOCOL:?}",
            protocol_of(&value)
        )));
    }
    Ok(value)
}

/// The push response, if this HTTP answer is one.
///
/// # Errors
/// Not 2xx, not JSON, not the protocol, or a reset.
pub fn accept_push(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<PushResponse, ResponseError> {
    accept(status, content_type, body, |r: &PushResponse| &r.protocol)
}

/// The pull page, if this HTTP answer is one.
///
/// # Errors
/// Not 2xx, not JSON, not the protocol, or a reset.
pub fn accept_pull(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<PullPage, ResponseError> {
    accept(status, content_type, body, |r: &PullPage| &r.protocol)
}

/// The snapshot page, if this HTTP answer is one.
///
/// # Errors
/// Not 2xx, not JSON, not the protocol, or a reset.
pub fn accept_snapshot(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<SnapshotPage, ResponseError> {
    accept(status, content_type, body, |r: &SnapshotPage| &r.protocol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::pull::ResetReason;
    use crate::sync::push::{MutationResult, MutationStatus};

    const JSON: Option<&str> = Some("application/json; charset=utf-8");

    fn push_body() -> Vec<u8> {
        serde_json::to_vec(&PushResponse {
            protocol: PROTOCOL.into(),
            results: vec![MutationResult {
                number: 1,
                status: MutationStatus::Applied,
                code: None,
                message: None,
                id: None,
            }],
            last_applied: 1,
            stopped: None,
        })
        .unwrap()
    }

    #[test]
    fn a_real_push_response_is_believed() {
        let r = accept_push(200, JSON, &push_body()).unwrap();
        assert_eq!(r.last_applied, 1);
        // The wire shape the contract names.
        let v: serde_json::Value = serde_json::from_slice(&push_body()).unwrap();
        assert_eq!(v["results"][0]["status"], "applied");
        assert_eq!(v["results"][0]["number"], 1);
        assert!(v["results"][0].get("code").is_none());
    }

    #[test]
    fn a_captive_portal_page_is_never_success() {
        let html = b"<html><body>Please log in to the hotel Wi-Fi</body></html>";
        assert!(matches!(
            accept_push(200, Some("text/html"), html),
            Err(ResponseError::NotJson(_))
        ));
        assert!(matches!(
            accept_pull(200, None, html),
            Err(ResponseError::NotJson(_))
        ));
        // JSON that is not ours, even shaped alike, is not success either.
        let other = serde_json::json!({"protocol": "other/1", "results": [], "last_applied": 9});
        assert!(matches!(
            accept_push(200, JSON, other.to_string().as_bytes()),
            Err(ResponseError::NotProtocol(_))
        ));
        assert!(matches!(
            accept_push(200, JSON, b"{\"ok\": true}"),
            Err(ResponseError::NotProtocol(_))
        ));
    }

    #[test]
    fn errors_and_resets_are_told_apart() {
        let reset = serde_json::json!({"code": "reset_required", "reset": "retention", "message": "too old"});
        match accept_pull(409, JSON, reset.to_string().as_bytes()) {
            Err(ResponseError::Reset(r)) => assert_eq!(r.reset, ResetReason::Retention),
            other => panic!("{other:?}"),
        }
        let busy = serde_json::json!({"code": "unavailable", "message": "try again"});
        assert_eq!(
            accept_push(503, JSON, busy.to_string().as_bytes()),
            Err(ResponseError::Status {
                status: 503,
                message: "try again".into()
            })
        );
    }
}
