//! Photo bytes: `/v1/blobs/{sha256}` to check and download, `/v1/uploads`
//! to send them in resumable chunks; `/v1/cases/{id}/photos` to attach a
//! photo's metadata from the web (phones use `photo.attach@1`).

use super::auth::json_body;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::photos::error::PhotoError;
use crate::photos::range;
use crate::state::AppState;
use crate::store::photos::{BlobMeta, Variant};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gridline_core::CaseId;
use gridline_core::photo::{NewPhoto, Sha256, UploadIn, UploadStatus};
use gridline_core::wire::case::CaseView;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Photos never change under their digest.
const CACHE: &str = "private, max-age=31536000, immutable";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download, check))
        .routes(routes!(open))
        .routes(routes!(chunk))
        .routes(routes!(complete))
        .routes(routes!(attach))
}

fn sha(s: &str) -> ApiResult<Sha256> {
    s.parse().map_err(|e: String| ApiError::invalid(e))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlobQuery {
    /// `original` (default) or `thumb`: a JPEG at most 320 px on a side.
    #[serde(default)]
    variant: Option<String>,
}

fn variant(q: Result<Query<BlobQuery>, QueryRejection>) -> ApiResult<Variant> {
    let Query(q) = q.map_err(|e| ApiError::invalid(e.body_text()))?;
    match q.variant.as_deref() {
        None | Some("original") => Ok(Variant::Original),
        Some("thumb") => Ok(Variant::Thumb),
        Some(other) => Err(ApiError::invalid(format!(
            "variant {other:?} is not original or thumb"
        ))),
    }
}

/// The validator and type of one variant of a blob.
fn etag_and_type(meta: &BlobMeta, v: Variant) -> (String, &str) {
    match v {
        Variant::Original => (format!("\"{}\"", meta.sha256), meta.mime.as_str()),
        Variant::Thumb => (format!("\"{}-thumb\"", meta.sha256), "image/jpeg"),
    }
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether the client holds this very version already.
fn fresh(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// Whether the server holds the photo and the caller may see it: `200`
/// with its size, or `404` (send it then).
#[utoipa::path(head, path = "/v1/blobs/{sha256}", params(("sha256" = String, Path)),
    responses((status = 200, description = "stored; Content-Length, ETag"), (status = 404, description = "not stored, or not yours to see")),
    security(("bearer" = [])))]
pub async fn check(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(digest): Path<String>,
) -> ApiResult<Response> {
    let meta = state.photos.head(&who, &sha(&digest)?).await?;
    let (etag, mime) = etag_and_type(&meta, Variant::Original);
    let mut r = StatusCode::OK.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(meta.bytes));
    h.insert(header::CONTENT_TYPE, header_value(mime));
    h.insert(header::ETAG, header_value(&etag));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    Ok(r)
}

/// A photo's bytes, or its thumbnail. Cached for good (`ETag` is the
/// digest); `Range: bytes=N-` resumes a cut download with `206`.
#[utoipa::path(get, path = "/v1/blobs/{sha256}",
    params(("sha256" = String, Path), ("variant" = Option<String>, Query, description = "original or thumb")),
    responses((status = 200, description = "the image"), (status = 206, description = "the range asked for"), (status = 304, description = "If-None-Match matched"),
        (status = 404, description = "not_found: not stored, or not on a case you can see"), (status = 416, description = "range_not_satisfiable")),
    security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(digest): Path<String>,
    q: Result<Query<BlobQuery>, QueryRejection>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let v = variant(q)?;
    let (meta, data) = state.photos.read(&who, &sha(&digest)?, v).await?;
    let (etag, mime) = etag_and_type(&meta, v);
    let common = |r: &mut Response| {
        let h = r.headers_mut();
        h.insert(header::ETAG, header_value(&etag));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    };
    if fresh(&headers, &etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        common(&mut r);
        return Ok(r);
    }
    let size = data.len() as u64;
    let asked = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    // A Range with an If-Range naming another version: the whole file.
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let span = if if_range_ok {
        range::parse(asked, size).map_err(|start| {
            let e: ApiError = PhotoError::RangeNotSatisfiable { start, size }.into();
            e
        })
    } else {
        Ok(None)
    };
    let span = match span {
        Ok(s) => s,
        Err(e) => {
            let mut r = e.into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes */{size}")),
            );
            return Ok(r);
        }
    };
    let mut r = match span {
        None => (StatusCode::OK, Body::from(data)).into_response(),
        Some((start, end)) => {
            let slice = data
                .get(
                    usize::try_from(start).unwrap_or(usize::MAX)
                        ..=usize::try_from(end).unwrap_or(0),
                )
                .unwrap_or_default()
                .to_vec();
            let mut r = (StatusCode::PARTIAL_CONTENT, Body::from(slice)).into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes {start}-{end}/{size}")),
            );
            r
        }
    };
    r.headers_mut()
        .insert(header::CONTENT_TYPE, header_value(mime));
    common(&mut r);
    Ok(r)
}

/// Start sending a photo's bytes, or resume: `have` lists the chunks the
/// server holds. Nothing to send (`complete`) if it has the photo already.
/// The photo must be attached to a case first.
#[utoipa::path(post, path = "/v1/uploads", request_body = UploadIn,
    responses((status = 200, body = UploadStatus), (status = 400, description = "invalid_input"), (status = 404, description = "not_found: no such photo attached to a case you can see")),
    security(("bearer" = [])))]
pub async fn open(
    State(state): State<AppState>,
    Caller(who): Caller,
    body: Result<Json<UploadIn>, JsonRejection>,
) -> ApiResult<Json<UploadStatus>> {
    Ok(Json(
        state.photos.open_upload(&who, json_body(body)?).await?,
    ))
}

/// Send chunk `n` (from 0) of 256 KiB (the last may be shorter), with its
/// SHA-256 in `X-Chunk-Sha256`. Sending a chunk again replaces it.
#[utoipa::path(put, path = "/v1/uploads/{id}/chunks/{n}",
    params(("id" = String, Path), ("n" = u32, Path), ("X-Chunk-Sha256" = String, Header)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = UploadStatus), (status = 400, description = "invalid_input"), (status = 404, description = "not_found"),
        (status = 422, description = "chunk_corrupt: wrong length or digest; send it again")),
    security(("bearer" = [])))]
pub async fn chunk(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path((id, n)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<UploadStatus>> {
    let n: u32 = n
        .parse()
        .map_err(|_| ApiError::invalid(format!("chunk number {n:?} is not a whole number")))?;
    let digest = headers.get("x-chunk-sha256").and_then(|v| v.to_str().ok());
    Ok(Json(
        state.photos.put_chunk(&who, &id, n, digest, &body).await?,
    ))
}

/// Finish an upload: the server checks the whole file's size, SHA-256 and
/// image type, stores it and marks the photo available on its case.
#[utoipa::path(post, path = "/v1/uploads/{id}/complete", params(("id" = String, Path)),
    responses((status = 200, body = UploadStatus), (status = 404, description = "not_found"), (status = 409, description = "upload_incomplete"),
        (status = 422, description = "upload_corrupt (chunks dropped: send them again), not_an_image")),
    security(("bearer" = [])))]
pub async fn complete(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UploadStatus>> {
    Ok(Json(state.photos.complete(&who, &id).await?))
}

/// Attach a photo's metadata to a case (its reporter, or anyone who may add
/// a note); its bytes follow through `/v1/uploads`.
#[utoipa::path(post, path = "/v1/cases/{id}/photos", params(("id" = String, Path)), request_body = NewPhoto,
    responses((status = 201, body = CaseView), (status = 400, description = "invalid_input"), (status = 403, description = "not_permitted"),
        (status = 404, description = "not_found"), (status = 409, description = "too_many_photos, conflict")),
    security(("bearer" = [])))]
pub async fn attach(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    body: Result<Json<NewPhoto>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let id: CaseId = id
        .parse()
        .map_err(|e: gridline_core::id::IdParseError| ApiError::invalid(format!("case id: {e}")))?;
    let photo = json_body(body)?;
    state
        .cases
        .attach_photos(&who, id, vec![photo], None)
        .await?;
    Ok((StatusCode::CREATED, Json(state.cases.view(&who, id).await?)))
}
