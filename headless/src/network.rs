//! The phone's network: real HTTP with reqwest, and a switch that takes the
//! phone offline (flight mode, a dead zone in the hills). Offline, a request
//! fails at once as a phone's would, and requests under way are cut off.

use crux_http::HttpError;
use crux_http::protocol::{HttpHeader, HttpRequest, HttpResponse, HttpResult};
use std::time::Duration;
use tokio::sync::watch;

/// Longer than the core's long poll (25 s), so only a stuck server times out.
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Network {
    client: reqwest::Client,
    online: watch::Sender<bool>,
}

impl Network {
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            client,
            online: watch::Sender::new(true),
        })
    }

    /// Turns the network on or off; returns whether it changed.
    pub fn set_online(&self, on: bool) -> bool {
        self.online.send_if_modified(|now| {
            let changed = *now != on;
            *now = on;
            changed
        })
    }

    #[must_use]
    pub fn online(&self) -> bool {
        *self.online.borrow()
    }

    /// One exchange. Every status is a response; only not reaching the
    /// server is an error.
    pub async fn send(&self, req: HttpRequest) -> HttpResult {
        let mut lost = self.online.subscribe();
        if !*lost.borrow_and_update() {
            return HttpResult::Err(HttpError::Io("the phone is offline".into()));
        }
        let exchange = self.exchange(req);
        tokio::select! {
            r = exchange => r,
            _ = lost.wait_for(|on| !*on) => {
                HttpResult::Err(HttpError::Io("the connection dropped".into()))
            }
        }
    }

    async fn exchange(&self, req: HttpRequest) -> HttpResult {
        let Ok(method) = reqwest::Method::from_bytes(req.method.as_bytes()) else {
            return HttpResult::Err(HttpError::Url(format!("bad method {:?}", req.method)));
        };
        let url = match reqwest::Url::parse(&req.url) {
            Ok(u) => u,
            Err(e) => return HttpResult::Err(HttpError::Url(format!("{}: {e}", req.url))),
        };
        let mut builder = self.client.request(method, url);
        for h in &req.headers {
            builder = builder.header(&h.name, &h.value);
        }
        let response = match builder.body(req.body).send().await {
            Ok(r) => r,
            Err(e) => return HttpResult::Err(transport(&e)),
        };
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| HttpHeader {
                name: n.as_str().to_owned(),
                value: String::from_utf8_lossy(v.as_bytes()).into_owned(),
            })
            .collect();
        match response.bytes().await {
            Ok(body) => HttpResult::Ok(HttpResponse {
                status,
                headers,
                body: body.to_vec(),
            }),
            Err(e) => HttpResult::Err(transport(&e)),
        }
    }
}

fn transport(e: &reqwest::Error) -> HttpError {
    if e.is_timeout() {
        HttpError::Timeout
    } else {
        // The chain names the cause ("connection refused"), the top only "error sending request".
        let mut words = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            words.push_str(": ");
            words.push_str(&s.to_string());
            source = s.source();
        }
        HttpError::Io(words)
    }
}
