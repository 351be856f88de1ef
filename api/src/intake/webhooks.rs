//! Webhooks out: subscribers registered for an API key hear of the status
//! changes of the cases that key brought in. Notifications wait in the
//! store's outbox (written with the change itself) and are delivered at
//! least once, in order per case: a case's next notification waits until
//! the one before it is answered 2xx. A failed attempt is retried with
//! exponential backoff; its status and error stay visible in the API.
//!
//! Each delivery is a JSON POST signed with the subscriber's secret:
//! `X-Gridline-Signature: sha256=HEX(HMAC-SHA256(secret, "{timestamp}.{body}"))`
//! with `X-Gridline-Timestamp` (Unix seconds) and `X-Gridline-Delivery`
//! (the notification's number, the same on every retry).

use super::error::{IntakeError, IntakeResult};
use crate::cases::hex_lower;
use crate::clock::Clock;
use crate::store::Store;
use crate::store::webhooks::{OutboxRow, WebhookRow};
use hmac::{Hmac, Mac};
use rand::RngCore;
use std::sync::Arc;
use std::time::Duration;

/// The first retry waits this long; each next one twice as long.
const FIRST_RETRY_MS: i64 = 10_000;
/// No wait is longer than this.
const MAX_RETRY_MS: i64 = 60 * 60 * 1000;
/// How long a subscriber has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Notifications tried in one round.
const ROUND: u32 = 100;
/// A round stops starting deliveries after this, well inside its lease.
const ROUND_TIME: Duration = Duration::from_secs(15);
const JOB: &str = "webhooks";

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: u32,
    pub failed: u32,
}

/// The wait before attempt `attempts + 1`, after `attempts` failures.
#[must_use]
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    FIRST_RETRY_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_RETRY_MS)
}

/// The signature of `body` sent at `timestamp` (Unix seconds).
#[must_use]
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex_lower(&mac.finalize().into_bytes()))
}

/// A URL a subscriber may be reached at: http or https, with a host.
///
/// # Errors
/// Says what is wrong with it.
pub fn parse_url(url: &str) -> IntakeResult<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| IntakeError::Invalid("url: must start with https:// or http://".into()))?;
    if rest.is_empty()
        || rest.starts_with('/')
        || url.len() > 2000
        || url.contains(char::is_whitespace)
    {
        return Err(IntakeError::Invalid(format!(
            "url: {url:?} is not a URL with a host"
        )));
    }
    Ok(url.to_owned())
}

pub struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
}

impl Deliverer {
    /// # Panics
    /// If the HTTP client cannot be built (no TLS roots): a start-up bug.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("webhook HTTP client: {e}"));
        Self {
            store,
            clock,
            client,
        }
    }

    /// Registers a subscriber for the cases of key `api_key_id`; the
    /// secret it verifies signatures with is in the answer only.
    ///
    /// # Errors
    /// A bad URL or an unknown or revoked key.
    pub async fn register(&self, api_key_id: &str, url: &str) -> IntakeResult<WebhookRow> {
        let url = parse_url(url)?;
        let live = self
            .store
            .api_keys()
            .await?
            .into_iter()
            .any(|k| k.id == api_key_id && k.revoked_at.is_none());
        if !live {
            return Err(IntakeError::Invalid(format!(
                "api_key_id: no API key {api_key_id:?} in use"
            )));
        }
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let row = WebhookRow {
            id: uuid::Uuid::now_v7().simple().to_string(),
            api_key_id: api_key_id.to_owned(),
            url,
            secret: format!("whsec_{}", hex_lower(&secret)),
            created_at: self.clock.now_ms(),
            disabled_at: None,
        };
        self.store.insert_webhook(&row).await?;
        Ok(row)
    }

    /// One round, by the replica that holds the `webhooks` lease (`None`
    /// on the others).
    ///
    /// # Errors
    /// Store failures.
    pub async fn tick(&self, holder: &str) -> IntakeResult<Option<Round>> {
        let now = self.clock.now_ms();
        let lease = crate::cases::scheduler::LEASE_MS;
        if !self
            .store
            .acquire_lease(JOB, holder, now, now + lease)
            .await?
        {
            return Ok(None);
        }
        self.deliver_due().await.map(Some)
    }

    /// Tries every due notification once: the oldest undelivered one of
    /// each (subscriber, case), so a case's notifications never overtake.
    ///
    /// # Errors
    /// Store failures (a subscriber's failure is recorded, not returned).
    pub async fn deliver_due(&self) -> IntakeResult<Round> {
        let due = self
            .store
            .due_deliveries(self.clock.now_ms(), ROUND)
            .await?;
        let mut round = Round::default();
        let started = std::time::Instant::now();
        // A subscriber that failed once this round is not tried again in it.
        let mut down: Vec<&str> = Vec::new();
        for (n, hook) in &due {
            if down.contains(&hook.id.as_str()) {
                continue;
            }
            if started.elapsed() > ROUND_TIME {
                break;
            }
            match self.send(n, hook).await {
                Ok(status) => {
                    self.store
                        .mark_delivered(n.id, self.clock.now_ms(), status)
                        .await?;
                    round.delivered += 1;
                }
                Err((status, error)) => {
                    let next = self.clock.now_ms() + backoff_ms(n.attempts + 1);
                    tracing::warn!(webhook = %hook.id, notification = n.id, %error, "webhook delivery failed");
                    self.store.mark_failed(n.id, next, status, &error).await?;
                    round.failed += 1;
                    down.push(&hook.id);
                }
            }
        }
        Ok(round)
    }

    /// One attempt: the status of a 2xx answer, or what went wrong.
    async fn send(&self, n: &OutboxRow, hook: &WebhookRow) -> Result<i64, (Option<i64>, String)> {
        let timestamp = self.clock.now_ms() / 1000;
        let answer = self
            .client
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("x-gridline-delivery", n.id.to_string())
            .header("x-gridline-timestamp", timestamp.to_string())
            .header(
                "x-gridline-signature",
                signature(&hook.secret, timestamp, &n.body),
            )
            .body(n.body.clone())
            .send()
            .await
            .map_err(|e| (None, format!("no answer: {e}")))?;
        let status = i64::from(answer.status().as_u16());
        if answer.status().is_success() {
            Ok(status)
        } else {
            Err((Some(status), format!("answered HTTP {status}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(2), 20_000);
        assert_eq!(backoff_ms(3), 40_000);
        assert_eq!(backoff_ms(30), MAX_RETRY_MS);
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_time_and_body() {
        // Computed apart: python3 -c "import hmac, hashlib; print(hmac.new(
        // b'whsec_k', b'1700000000.{\"a\":1}', hashlib.sha256).hexdigest())"
        assert_eq!(
            signature("whsec_k", 1_700_000_000, r#"{"a":1}"#),
            "sha256=a252a4340d8bbbdbac8643a2812cc7d628ad79bfba544bff054ac2fa10f795a2"
        );
        assert_ne!(signature("k", 1, "{}"), signature("k", 2, "{}"));
    }

    #[test]
    fn a_subscriber_url_needs_a_scheme_and_a_host() {
        assert!(parse_url("https://12345.gansu.gov.cn/hook").is_ok());
        for bad in ["ftp://x", "https://", "https:///x", "hook", "https://a b"] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
