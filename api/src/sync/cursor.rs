//! Opaque, signed positions: the pull cursor and the snapshot page token.
//! A client hands them back unread; the server signs them (HMAC-SHA256 with
//! a key derived from its signing secret), so a tampered or foreign one is
//! refused instead of silently reading from the wrong place.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where a device is in the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub epoch: String,
    /// The last log position delivered.
    pub seq: i64,
    /// Which scopes the positions are of (a hash of the scope keys).
    pub scopes: String,
    /// The highest acknowledgement delivered.
    pub ack: u64,
}

/// Where a snapshot is: the part and the last id sent, and the cursor it
/// hands over to once done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageToken {
    pub part: u8,
    pub after_id: Option<String>,
    pub resume: Cursor,
}

#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the {0} was not issued by this server or was altered; start again without it")]
pub struct BadToken(pub &'static str);

impl Signer {
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(b"gridline sync cursor\0");
        h.update(secret);
        Self {
            key: h.finalize().into(),
        }
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(payload.as_bytes());
        mac
    }

    pub fn sign<T: Serialize>(&self, value: &T) -> String {
        let json = serde_json::to_vec(value).unwrap_or_default();
        let payload = B64.encode(json);
        let tag = B64.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{tag}")
    }

    /// Checks the signature (in constant time) and reads the value.
    pub fn verify<T: DeserializeOwned>(
        &self,
        token: &str,
        what: &'static str,
    ) -> Result<T, BadToken> {
        let bad = || BadToken(what);
        let (payload, tag) = token.split_once('.').ok_or_else(bad)?;
        let tag = B64.decode(tag).map_err(|_| bad())?;
        self.mac(payload).verify_slice(&tag).map_err(|_| bad())?;
        let json = B64.decode(payload).map_err(|_| bad())?;
        serde_json::from_slice(&json).map_err(|_| bad())
    }
}

/// A short stable name for a set of scope keys.
#[must_use]
pub fn scopes_hash<'a>(keys: impl IntoIterator<Item = &'a String>) -> String {
    let mut h = Sha256::new();
    for k in keys {
        h.update(k.as_bytes());
        h.update([0]);
    }
    crate::cases::hex_lower(&h.finalize()[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor {
            epoch: "e1".into(),
            seq: 42,
            scopes: "abc".into(),
            ack: 7,
        }
    }

    #[test]
    fn a_signed_cursor_reads_back() {
        let s = Signer::new(b"secret");
        let token = s.sign(&cursor());
        assert_eq!(s.verify::<Cursor>(&token, "cursor"), Ok(cursor()));
    }

    #[test]
    fn an_altered_or_foreign_cursor_is_refused() {
        let s = Signer::new(b"secret");
        let token = s.sign(&cursor());
        let (payload, tag) = token.split_once('.').unwrap_or_default();
        let mut forged = cursor();
        forged.seq = 0;
        let forged_payload = B64.encode(serde_json::to_vec(&forged).unwrap_or_default());
        for bad in [
            format!("{forged_payload}.{tag}"),
            format!("{payload}.{}", &tag[1..]),
            payload.to_owned(),
            String::new(),
            Signer::new(b"other").sign(&cursor()),
        ] {
            assert!(s.verify::<Cursor>(&bad, "cursor").is_err(), "{bad}");
        }
    }
}
