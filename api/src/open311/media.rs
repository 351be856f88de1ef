//! `POST requests` as `multipart/form-data`, as the GeoReport v2.1 draft
//! adds: the text parts are the same fields as the plain form's, and one
//! part named `media` is a photo. The photo is checked as a phone's is
//! (JPEG or PNG by its bytes, at most 10 MiB, decodable) before anything
//! is stored, and is attached to the case the request makes.

use super::error::Open311Error;
use crate::photos::Whole;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use gridline_core::photo::{ImageType, MAX_BYTES};

/// A posted request's fields, and its photo if one came.
#[derive(Debug, Default)]
pub struct Posted {
    pub pairs: Vec<(String, String)>,
    pub media: Option<Whole>,
}

/// Text parts longer than this are not a field of the spec's.
const MAX_FIELD_BYTES: u64 = 64 * 1024;

fn is_multipart(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("multipart/form-data"))
        })
}

/// The body's fields: a form, or multipart with at most one `media` photo.
pub async fn read(headers: &HeaderMap, body: Bytes) -> Result<Posted, Open311Error> {
    let Some(content_type) = is_multipart(headers) else {
        return Ok(Posted {
            pairs: form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            media: None,
        });
    };
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| Open311Error::bad(format!("the multipart body cannot be read: {e}")))?;
    let limits = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .per_field(MAX_FIELD_BYTES)
            .for_field("media", MAX_BYTES),
    );
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut parts = multer::Multipart::with_constraints(stream, boundary, limits);
    let mut posted = Posted::default();
    let mut photo: Option<Vec<u8>> = None;
    while let Some(part) = parts.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_owned();
        if name == "media" {
            if photo.is_some() {
                return Err(Open311Error::bad(
                    "only one media part is taken; send further photos by media_url",
                ));
            }
            photo = Some(part.bytes().await.map_err(unreadable)?.to_vec());
        } else if part.file_name().is_some() {
            return Err(Open311Error::bad(format!(
                "part '{name}' is a file; only media may be one"
            )));
        } else {
            let text = part.text().await.map_err(unreadable)?;
            posted.pairs.push((name, text));
        }
    }
    if let Some(data) = photo {
        posted.media = Some(checked(data).await?);
    }
    Ok(posted)
}

fn unreadable(e: multer::Error) -> Open311Error {
    match e {
        multer::Error::FieldSizeExceeded { field_name, .. } => {
            let name = field_name.unwrap_or_default();
            if name == "media" {
                Open311Error::bad(format!(
                    "media is larger than {} MiB; send a smaller photo",
                    MAX_BYTES / (1024 * 1024)
                ))
            } else {
                Open311Error::bad(format!(
                    "part '{name}' is longer than {} KiB",
                    MAX_FIELD_BYTES / 1024
                ))
            }
        }
        other => Open311Error::bad(format!("the multipart body cannot be read: {other}")),
    }
}

/// The photo's type by its first bytes, then the same checks as a phone's.
async fn checked(data: Vec<u8>) -> Result<Whole, Open311Error> {
    if data.is_empty() {
        return Err(Open311Error::bad("media is empty"));
    }
    let Some(ty) = [ImageType::Jpeg, ImageType::Png]
        .into_iter()
        .find(|t| t.magic_matches(&data))
    else {
        return Err(Open311Error::bad(
            "media is not a JPEG or PNG photo; other types are not taken",
        ));
    };
    Ok(Whole::check(data, ty).await?)
}
