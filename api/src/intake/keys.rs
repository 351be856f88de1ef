//! API keys for trusted systems: made by an admin for one county and one
//! source channel, shown once, kept only as a SHA-256.

use crate::cases::hex_lower;
use gridline_core::case::Channel;
use rand::RngCore;

/// The channels a key may bring cases in by.
pub const KEY_SOURCES: [Channel; 4] = [
    Channel::Open311,
    Channel::Hotline12345,
    Channel::Police110,
    Channel::CourtReferral,
];

/// A new key: `glk_` and 64 hex digits (256 random bits).
#[must_use]
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("glk_{}", hex_lower(&bytes))
}

/// What is stored of a key, and looked up when one is presented.
#[must_use]
pub fn key_sha256(key: &str) -> String {
    use sha2::Digest;
    hex_lower(&sha2::Sha256::digest(key.trim().as_bytes()))
}

/// A key's source, from its name (`hotline_12345`, …).
///
/// # Errors
/// Names the accepted sources.
pub fn parse_source(s: &str) -> Result<Channel, String> {
    KEY_SOURCES
        .iter()
        .copied()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| {
            format!(
                "source {s:?} is not one of {}",
                KEY_SOURCES
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_and_hash_the_same_with_stray_space() {
        let (a, b) = (new_key(), new_key());
        assert_ne!(a, b);
        assert!(a.starts_with("glk_") && a.len() == 68);
        assert_eq!(key_sha256(&a), key_sha256(&format!(" {a}\n")));
        assert_ne!(key_sha256(&a), key_sha256(&b));
    }

    #[test]
    fn only_outside_channels_are_key_sources() {
        assert_eq!(parse_source("police_110"), Ok(Channel::Police110));
        let e = parse_source("grid_patrol").unwrap_err();
        assert!(e.contains("hotline_12345"), "{e}");
    }
}
