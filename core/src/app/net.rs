//! Talking to the server: the requests the core makes, and what it believes
//! of an answer. Only JSON from the server counts: a captive portal's
//! `200 text/html` is a failure that keeps everything queued.

use crate::sync::{ResetBody, ResponseError};
use crux_http::protocol::{HttpHeader, HttpRequest, HttpResponse, HttpResult};
use serde::de::DeserializeOwned;

/// What an HTTP request was for, carried back with its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Login {
        server: String,
        username: String,
    },
    Me,
    Register,
    Refresh,
    /// A batch ending at this number.
    Push {
        last: u64,
    },
    /// From this cursor; `wait` when it is the long poll.
    Pull {
        cursor: Option<String>,
        wait: bool,
    },
    Snapshot {
        page: Option<String>,
    },
    /// The departments this user may call in for co-handling.
    Departments,
}

/// An answer, sorted by what the core does with it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<T> {
    Ok(T),
    /// The access token is not (or no longer) good: refresh, then retry.
    Unauthenticated,
    /// Start again from a snapshot (`409 reset_required`).
    Reset(ResetBody),
    /// The server is busy or down, or the network is: try again later, no
    /// sooner than `retry_after_s` if given.
    Later {
        retry_after_s: Option<u64>,
        why: String,
    },
    /// The server refused this request for good (`code` from its error body).
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

impl<T> Reply<T> {
    pub fn map_ok<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        match self {
            Reply::Ok(v) => Reply::Ok(f(v)),
            Reply::Unauthenticated => Reply::Unauthenticated,
            Reply::Reset(b) => Reply::Reset(b),
            Reply::Later { retry_after_s, why } => Reply::Later { retry_after_s, why },
            Reply::Refused {
                status,
                code,
                message,
            } => Reply::Refused {
                status,
                code,
                message,
            },
        }
    }
}

/// Builds a request to `base` + `path` with the bearer token, if any.
#[must_use]
pub fn request(
    method: &str,
    base: &str,
    path: &str,
    token: Option<&str>,
    json: Option<Vec<u8>>,
) -> HttpRequest {
    let mut headers = vec![HttpHeader {
        name: "accept".into(),
        value: "application/json".into(),
    }];
    if let Some(t) = token {
        headers.push(HttpHeader {
            name: "authorization".into(),
            value: format!("Bearer {t}"),
        });
    }
    let body = json.map_or_else(Vec::new, |b| {
        headers.push(HttpHeader {
            name: "content-type".into(),
            value: "application/json".into(),
        });
        b
    });
    HttpRequest {
        method: method.into(),
        url: format!("{base}{path}"),
        headers,
        body,
    }
}

/// Percent-encodes a query value (cursors are opaque to the phone).
#[must_use]
pub fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The server's base URL from what the user typed: `http(s)://host[:port][/prefix]`
/// with no trailing slash.
///
/// # Errors
/// Words for the login screen naming what is wrong.
pub fn server_base(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("server address {s:?} must start with http:// or https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let name = if host.starts_with('[') {
        host
    } else {
        host.split(':').next().unwrap_or("")
    };
    if name.is_empty()
        || rest.contains(['?', '#', ' '])
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return Err(format!("server address {s:?} has no valid host name"));
    }
    Ok(s.to_owned())
}

pub fn header<'a>(r: &'a HttpResponse, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn retry_after(r: &HttpResponse) -> Option<u64> {
    header(r, "retry-after").and_then(|v| v.trim().parse().ok())
}

fn error_fields(body: &[u8]) -> (String, String) {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let code = v["code"].as_str().unwrap_or("unknown").to_owned();
    let message = v["message"].as_str().map_or_else(
        || String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
        str::to_owned,
    );
    (code, message)
}

/// Sorts an answer, believing a 2xx only through `accept`.
pub fn sort<T>(
    result: HttpResult,
    accept: impl FnOnce(u16, Option<&str>, &[u8]) -> Result<T, ResponseError>,
) -> Reply<T> {
    let r = match result {
        HttpResult::Ok(r) => r,
        HttpResult::Err(e) => {
            return Reply::Later {
                retry_after_s: None,
                why: e.to_string(),
            };
        }
    };
    match r.status {
        401 => return Reply::Unauthenticated,
        408 | 429 | 500..=599 => {
            let (_, message) = error_fields(&r.body);
            return Reply::Later {
                retry_after_s: retry_after(&r),
                why: format!("HTTP {}: {message}", r.status),
            };
        }
        _ => {}
    }
    match accept(r.status, header(&r, "content-type"), &r.body) {
        Ok(v) => Reply::Ok(v),
        Err(ResponseError::Reset(body)) => Reply::Reset(body),
        // Not the server's JSON: a portal or a proxy is in the way. Nothing
        // was done; try later.
        Err(e @ (ResponseError::NotJson(_) | ResponseError::NotProtocol(_))) => Reply::Later {
            retry_after_s: None,
            why: e.to_string(),
        },
        Err(ResponseError::Status { status, .. }) => {
            let (code, message) = error_fields(&r.body);
            Reply::Refused {
                status,
                code,
                message,
            }
        }
    }
}

/// Accepts a plain JSON answer of the API (login, devices, uploads): 2xx,
/// JSON, and of the expected shape.
///
/// # Errors
/// As [`crate::sync::accept_push`] does, without the protocol marker.
pub fn accept_json<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ResponseError> {
    if !(200..300).contains(&status) {
        let (_, message) = error_fields(body);
        return Err(ResponseError::Status { status, message });
    }
    let json = content_type.is_some_and(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("application/json")
    });
    if !json {
        return Err(ResponseError::NotJson(
            content_type.unwrap_or("no content type").to_owned(),
        ));
    }
    serde_json::from_slice(body).map_err(|e| ResponseError::NotProtocol(e.to_string()))
}

/// Accepts any 2xx with no body expected (the chunk `PUT`s answer JSON too,
/// but only the status matters).
///
/// # Errors
/// Not 2xx.
pub fn accept_status(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), ResponseError> {
    accept_json::<serde_json::Value>(status, content_type, body).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_checked_before_use() {
        assert_eq!(
            server_base(" https://gl.example.cn/ ").unwrap(),
            "https://gl.example.cn"
        );
        assert_eq!(
            server_base("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(
            server_base("gl.example.cn")
                .unwrap_err()
                .contains("http://")
        );
        assert!(server_base("https://:8080").unwrap_err().contains("host"));
        assert!(server_base("http:///v1").unwrap_err().contains("host"));
        assert!(server_base("http://a b").is_err());
    }

    #[test]
    fn a_portal_page_is_later_not_ok() {
        let portal = HttpResult::Ok(
            HttpResponse::ok()
                .header("content-type", "text/html")
                .body(b"<html>log in</html>".to_vec())
                .build(),
        );
        assert!(matches!(
            sort(portal, accept_json::<serde_json::Value>),
            Reply::Later { .. }
        ));
        let busy = HttpResult::Ok(
            HttpResponse::status(503)
                .header("Retry-After", "30")
                .build(),
        );
        assert_eq!(
            sort(busy, accept_json::<serde_json::Value>),
            Reply::Later {
                retry_after_s: Some(30),
                why: "HTTP 503: ".into()
            }
        );
        let refused = HttpResult::Ok(
            HttpResponse::status(400)
                .header("content-type", "application/json")
                .json(
                    serde_json::json!({"code": "invalid_input", "message": "description is empty"}),
                )
                .build(),
        );
        assert!(matches!(
            sort(refused, accept_json::<serde_json::Value>),
            Reply::Refused { status: 400, code, .. } if code == "invalid_input"
        ));
    }
}
