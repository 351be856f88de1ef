//! argon2id password hashes in PHC string form.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::LazyLock;

/// Hashes a password with argon2id and a random salt. CPU-heavy (tens of
/// milliseconds): call it off the async runtime.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// [`hash`] on the blocking pool, for async callers.
pub async fn hash_off_runtime(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await?
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
#[must_use]
pub fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the username is unknown, so that a wrong
/// username costs as much time as a wrong password.
pub static DECOY: LazyLock<String> =
    LazyLock::new(|| hash("decoy password for timing").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse").unwrap();
        let b = hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify(&a, "correct horse"));
        assert!(!verify(&a, "wrong horse"));
        assert!(!verify("not a hash", "correct horse"));
    }

    #[test]
    fn hashes_meet_owasps_argon2id_minimum() {
        // OWASP's password storage minimum for argon2id: 19 MiB of memory,
        // two passes, one lane.
        let h = hash("correct horse").unwrap();
        let parsed = PasswordHash::new(&h).unwrap();
        let get = |name: &str| {
            parsed
                .params
                .get_decimal(name)
                .unwrap_or_else(|| panic!("{name} missing in {h}"))
        };
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(get("m") >= 19_456, "{h}");
        assert!(get("t") >= 2, "{h}");
        assert!(get("p") >= 1, "{h}");
        assert!(parsed.salt.is_some_and(|s| s.len() >= 16), "{h}");
    }
}
