//! Photos taken for a report: checked and hashed when taken, their bytes kept
//! on the phone until the server has them. The case syncs first (it carries
//! the photos' metadata, so other phones show them as pending); the bytes
//! follow in resumable chunks, each with its SHA-256.

use super::effects::Effect;
use super::event::Event;
use super::net::{self, Reply};
use super::persist;
use crate::photo::{ImageType, PhotoBytes, UploadStatus};
use crux_core::Command;
use crux_http::protocol::HttpResult;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalPhoto {
    pub id: String,
    pub sha256: String,
    pub bytes: u64,
    pub mime: String,
    /// The case it went with, once the report was submitted.
    #[serde(default)]
    pub case: Option<String>,
}

/// Lowercase hex SHA-256.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks what the camera gave: a JPEG or PNG of an accepted size whose
/// bytes are what the type says.
///
/// # Errors
/// Words naming what is wrong.
pub fn check(bytes: &[u8], mime: &str) -> Result<(ImageType, PhotoBytes), String> {
    let kind: ImageType = mime.parse()?;
    if !kind.magic_matches(bytes) {
        return Err(format!("the photo's bytes are not a {mime} image"));
    }
    let size = PhotoBytes::new(bytes.len() as u64)?;
    Ok((kind, size))
}

/// How an upload ended.
pub type Uploaded = Reply<()>;

/// Sends one photo's bytes: opens (or resumes) the upload, sends each chunk
/// the server lacks, completes it. Any failure ends the attempt; the next
/// one resumes from the chunks the server holds.
pub fn upload(
    base: String,
    token: String,
    prefix: String,
    photo: LocalPhoto,
) -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let id = photo.id.clone();
        let done = |r: Uploaded| Event::Uploaded(id.clone(), Box::new(r));
        let open = serde_json::json!({
            "sha256": photo.sha256, "bytes": photo.bytes, "mime": photo.mime
        });
        let req = net::request(
            "POST",
            &base,
            "/v1/uploads",
            Some(&token),
            Some(open.to_string().into_bytes()),
        );
        let answer: HttpResult = ctx.request_from_shell(req).await;
        let status: UploadStatus = match net::sort(answer, net::accept_json::<UploadStatus>) {
            Reply::Ok(s) => s,
            other => return ctx.send_event(done(other.map_ok(|_| ()))),
        };
        if status.complete {
            return ctx.send_event(done(Reply::Ok(())));
        }
        let Some(upload_id) = status.upload_id.clone() else {
            return ctx.send_event(done(Reply::Refused {
                status: 200,
                code: "invalid_upload".into(),
                message: "the server opened no upload".into(),
            }));
        };
        let key = persist::photo_key(&prefix, &photo.id);
        let bytes = match ctx
            .request_from_shell(KeyValueOperation::Get { key: key.clone() })
            .await
        {
            KeyValueResult::Ok {
                response: KeyValueResponse::Get { value },
            } => Option::<Vec<u8>>::from(value),
            _ => None,
        };
        let Some(bytes) = bytes.filter(|b| sha256_hex(b) == photo.sha256) else {
            return ctx.send_event(done(Reply::Refused {
                status: 0,
                code: "photo_lost".into(),
                message: format!("the photo's bytes are gone from the phone ({key})"),
            }));
        };
        let size = usize::try_from(status.chunk_size.max(1)).unwrap_or(usize::MAX);
        for (n, chunk) in bytes.chunks(size).enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if status.have.contains(&n) {
                continue;
            }
            let mut req = net::request(
                "PUT",
                &base,
                &format!("/v1/uploads/{upload_id}/chunks/{n}"),
                Some(&token),
                None,
            );
            req.headers.push(crux_http::protocol::HttpHeader {
                name: "x-chunk-sha256".into(),
                value: sha256_hex(chunk),
            });
            req.headers.push(crux_http::protocol::HttpHeader {
                name: "content-type".into(),
                value: "application/octet-stream".into(),
            });
            req.body = chunk.to_vec();
            let answer = ctx.request_from_shell(req).await;
            if let r @ (Reply::Unauthenticated
            | Reply::Later { .. }
            | Reply::Refused { .. }
            | Reply::Reset(_)) = net::sort(answer, net::accept_status)
            {
                return ctx.send_event(done(r));
            }
        }
        let req = net::request(
            "POST",
            &base,
            &format!("/v1/uploads/{upload_id}/complete"),
            Some(&token),
            None,
        );
        let answer = ctx.request_from_shell(req).await;
        ctx.send_event(done(net::sort(answer, net::accept_status)));
    })
}
