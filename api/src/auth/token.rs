//! Access tokens (JWT, HS256 only) and refresh tokens (random, opaque).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const ISSUER: &str = "gridline";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The login session.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

/// The signing key. Only HS256 is accepted: `alg: none`, other algorithms and
/// tokens signed with another key are refused.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(
        &self,
        user: &str,
        session: &str,
        now_s: i64,
        ttl_s: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user.to_owned(),
            sid: session.to_owned(),
            iat: now_s,
            exp: now_s + ttl_s,
            iss: ISSUER.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }
}

/// A new refresh token: 256 random bits, URL-safe.
#[must_use]
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("glr_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the store keeps of a refresh token.
#[must_use]
pub fn refresh_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A fresh random secret for signing, used when none is configured.
#[must_use]
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> i64 {
        crate::clock::now_ms() / 1000
    }

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let t = keys.issue("u1", "s1", now(), 60).unwrap();
        assert_eq!(keys.verify(&t).unwrap().sid, "s1");
        let other = TokenKeys::new(b"another key, also 32 bytes long!");
        assert!(other.verify(&t).is_err());
    }

    #[test]
    fn expired_none_and_other_algorithms_are_refused() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let old = keys.issue("u1", "s1", now() - 3600, 60).unwrap();
        assert!(keys.verify(&old).is_err(), "expired");

        let claims = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"u1","sid":"s1","iat":0,"exp":{},"iss":"gridline"}}"#,
            now() + 600
        ));
        let none = format!(
            "{}.{claims}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
        );
        assert!(keys.verify(&none).is_err(), "alg none");
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &Claims {
                sub: "u1".into(),
                sid: "s1".into(),
                iat: 0,
                exp: now() + 600,
                iss: ISSUER.into(),
            },
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert!(keys.verify(&hs512).is_err(), "HS512 with the same secret");
    }

    #[test]
    fn refresh_tokens_are_random_and_hash_stably() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert_eq!(refresh_hash(&a), refresh_hash(&a));
        assert_eq!(refresh_hash(&a).len(), 32);
    }
}
