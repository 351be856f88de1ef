//! Photos of a case: content-addressed by SHA-256, their metadata synced
//! with the case, their bytes uploaded in resumable chunks afterwards.
//!
//! A phone attaches a photo's metadata (id, digest, size, type) to a case as
//! it is taken; the case syncs at once and shows the photo as pending until
//! the bytes arrive. The limits here are the ones the server enforces.

use crate::PhotoId;
use crate::time::Instant;
use crate::wire::case::PersonBrief;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Most photos one case may carry (the report screen's nine tiles).
pub const MAX_PER_CASE: usize = 9;
/// Largest photo accepted, in bytes (phones downscale before this).
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Chunk size of a resumable upload: small enough to finish on a poor link.
pub const CHUNK_BYTES: u32 = 256 * 1024;
/// Longest side of a thumbnail, in pixels.
pub const THUMB_PX: u32 = 320;

/// A SHA-256 digest as 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(String);

impl FromStr for Sha256 {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "{s:?} is not a SHA-256 digest (64 lowercase hex digits)"
            ))
        }
    }
}

impl Sha256 {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Sha256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Sha256 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The image types a photo may be: what every phone camera can produce and
/// every browser can show. HEIC and WebP are converted on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImageType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl ImageType {
    #[must_use]
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// Whether `bytes` start the way a file of this type does.
    #[must_use]
    pub fn magic_matches(self, bytes: &[u8]) -> bool {
        match self {
            Self::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        }
    }
}

impl FromStr for ImageType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "image/jpeg" => Ok(Self::Jpeg),
            "image/png" => Ok(Self::Png),
            other => Err(format!(
                "photos must be image/jpeg or image/png, not {other:?}"
            )),
        }
    }
}

impl fmt::Display for ImageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// A photo's size, checked against [`MAX_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PhotoBytes(u64);

impl PhotoBytes {
    /// # Errors
    /// Zero, or over [`MAX_BYTES`].
    pub fn new(n: u64) -> Result<Self, String> {
        if n == 0 {
            Err("a photo cannot be empty (bytes is 0)".into())
        } else if n > MAX_BYTES {
            Err(format!(
                "a photo may be at most {MAX_BYTES} bytes (10 MiB); this one is {n}"
            ))
        } else {
            Ok(Self(n))
        }
    }

    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// How many chunks of [`CHUNK_BYTES`] an upload of this size takes.
    #[must_use]
    pub const fn chunks(self) -> u32 {
        // At most 10 MiB / 256 KiB = 40 chunks.
        #[allow(clippy::cast_possible_truncation)]
        let n = self.0.div_ceil(CHUNK_BYTES as u64) as u32;
        n
    }

    /// The length of chunk `n` (the last may be short).
    #[must_use]
    pub const fn chunk_len(self, n: u32) -> u64 {
        let start = n as u64 * CHUNK_BYTES as u64;
        let end = start + CHUNK_BYTES as u64;
        if end > self.0 {
            self.0.saturating_sub(start)
        } else {
            CHUNK_BYTES as u64
        }
    }
}

impl<'de> Deserialize<'de> for PhotoBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::new(u64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A photo taken for a case: its metadata, sent before its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPhoto {
    /// The phone's UUIDv7 for it.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub photo: PhotoId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sha256: Sha256,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub bytes: PhotoBytes,
    pub mime: ImageType,
}

/// A photo as a case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: PhotoId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sha256: Sha256,
    pub bytes: u64,
    pub mime: ImageType,
    /// The bytes are on the server: `GET /v1/blobs/{sha256}` serves them.
    /// Until then the photo shows as pending.
    pub available: bool,
    pub added_by: Option<PersonBrief>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub added_at: Instant,
}

/// `POST /v1/uploads`: start or resume sending a photo's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadIn {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sha256: Sha256,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub bytes: PhotoBytes,
    pub mime: ImageType,
}

/// Where an upload stands. Send the chunks not in `have`, each with its
/// SHA-256 in `X-Chunk-Sha256`, then complete it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    /// Absent when nothing is left to send.
    pub upload_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sha256: Sha256,
    pub bytes: u64,
    pub chunk_size: u32,
    pub chunks: u32,
    /// Chunks the server holds, in order.
    pub have: Vec<u32>,
    /// The server has the whole photo: nothing to send.
    pub complete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_chunks() {
        assert!(PhotoBytes::new(0).is_err());
        assert!(PhotoBytes::new(MAX_BYTES + 1).is_err());
        let b = PhotoBytes::new(u64::from(CHUNK_BYTES) * 2 + 5).unwrap();
        assert_eq!(b.chunks(), 3);
        assert_eq!(b.chunk_len(0), u64::from(CHUNK_BYTES));
        assert_eq!(b.chunk_len(2), 5);
        assert_eq!(b.chunk_len(3), 0);
        let exact = PhotoBytes::new(u64::from(CHUNK_BYTES)).unwrap();
        assert_eq!(exact.chunks(), 1);
        assert_eq!(PhotoBytes::new(MAX_BYTES).unwrap().chunks(), 40);
    }

    #[test]
    fn types_by_name_and_magic() {
        assert_eq!("image/png".parse::<ImageType>(), Ok(ImageType::Png));
        let e = "image/heic".parse::<ImageType>().unwrap_err();
        assert!(e.contains("image/heic"), "{e}");
        assert!(ImageType::Jpeg.magic_matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!ImageType::Png.magic_matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        let bad: Result<NewPhoto, _> = serde_json::from_value(serde_json::json!({
            "photo": "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6",
            "sha256": "0".repeat(64), "bytes": 20_000_000u64, "mime": "image/jpeg"}));
        assert!(bad.unwrap_err().to_string().contains("at most"));
    }
}
