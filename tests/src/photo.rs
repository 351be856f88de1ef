//! A phone's photo channel: make test images, start or resume an upload,
//! send chunks (whole, corrupted, or cut off mid-body on a raw socket) and
//! complete it, as the apps do after the case has synced.

#![allow(clippy::unwrap_used)] // a fixture: a failure here is a broken test

use crate::TestApp;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, RgbImage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;
use std::io::Cursor;
use tokio::io::AsyncWriteExt;

/// Lowercase hex SHA-256.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn noise(w: u32, h: u32, seed: u64) -> RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    RgbImage::from_fn(w, h, |_, _| {
        image::Rgb([rng.random(), rng.random(), rng.random()])
    })
}

/// A JPEG of noise: it barely compresses, so it spans several chunks.
#[must_use]
pub fn jpeg(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&noise(w, h, seed))
        .unwrap();
    out
}

/// A small PNG.
#[must_use]
pub fn png(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    noise(w, h, seed)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A photo's metadata as the phone attaches it.
#[must_use]
pub fn meta(photo: &str, bytes: &[u8], mime: &str) -> Value {
    json!({ "photo": photo, "sha256": sha256_hex(bytes), "bytes": bytes.len(), "mime": mime })
}

pub struct Uploader<'a> {
    pub app: &'a TestApp,
    pub token: &'a str,
}

impl Uploader<'_> {
    async fn json(r: reqwest::Response) -> (StatusCode, Value) {
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    /// `POST /v1/uploads` for `bytes`.
    pub async fn open(&self, bytes: &[u8], mime: &str) -> (StatusCode, Value) {
        let r = self
            .app
            .client
            .post(self.app.url("/v1/uploads"))
            .bearer_auth(self.token)
            .json(&json!({ "sha256": sha256_hex(bytes), "bytes": bytes.len(), "mime": mime }))
            .send()
            .await
            .unwrap();
        Self::json(r).await
    }

    /// `PUT` chunk `n` with the digest `digest` claims.
    pub async fn put(&self, id: &str, n: u32, body: &[u8], digest: &str) -> (StatusCode, Value) {
        let r = self
            .app
            .client
            .put(self.app.url(&format!("/v1/uploads/{id}/chunks/{n}")))
            .bearer_auth(self.token)
            .header("X-Chunk-Sha256", digest)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        Self::json(r).await
    }

    /// Starts a `PUT` of chunk `n` and drops the connection after `cut`
    /// bytes of its body, as a phone losing signal does.
    pub async fn put_cut(&self, id: &str, n: u32, body: &[u8], cut: usize) {
        let mut s = tokio::net::TcpStream::connect(self.app.addr).await.unwrap();
        let head = format!(
            "PUT /v1/uploads/{id}/chunks/{n} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
             X-Chunk-Sha256: {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            self.app.addr,
            self.token,
            sha256_hex(body),
            body.len()
        );
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&body[..cut]).await.unwrap();
        s.flush().await.unwrap();
        drop(s);
    }

    pub async fn complete(&self, id: &str) -> (StatusCode, Value) {
        let r = self
            .app
            .client
            .post(self.app.url(&format!("/v1/uploads/{id}/complete")))
            .bearer_auth(self.token)
            .send()
            .await
            .unwrap();
        Self::json(r).await
    }

    /// Sends every chunk the server lacks and completes; the final status.
    pub async fn send_all(&self, bytes: &[u8], mime: &str) -> (StatusCode, Value) {
        let (s, st) = self.open(bytes, mime).await;
        if s != StatusCode::OK || st["complete"] == true {
            return (s, st);
        }
        let id = st["upload_id"].as_str().unwrap().to_owned();
        let size = st["chunk_size"].as_u64().unwrap() as usize;
        for (n, chunk) in bytes.chunks(size).enumerate() {
            let n = u32::try_from(n).unwrap();
            if st["have"].as_array().unwrap().contains(&json!(n)) {
                continue;
            }
            let (s, body) = self.put(&id, n, chunk, &sha256_hex(chunk)).await;
            assert_eq!(s, StatusCode::OK, "chunk {n}: {body}");
        }
        self.complete(&id).await
    }
}
