//! Photo bytes: resumable chunked uploads verified chunk by chunk and whole,
//! a content-addressed store with thumbnails, and reads allowed only to
//! people who may see a case the photo belongs to.
//!
//! A photo's metadata reaches the server with its case (or by
//! `photo.attach@1`), so the case syncs first and shows the photo pending.
//! The bytes follow: `HEAD /v1/blobs/{sha}` to skip what is there,
//! `POST /v1/uploads` to start or resume, one `PUT` per 256 KiB chunk with
//! its SHA-256, then `complete`, which checks size, digest and image type,
//! stores the blob and writes each case that shows it, so phones fetch it.
//!
//! Knowing a digest is not having the photo: a photo becomes available only
//! when someone who can see its case sends the bytes, or when whoever
//! attaches it could already read those bytes through another case. So a
//! digest seen once (by a cadre since moved elsewhere, say) does not open
//! the photo by attaching it to a case of one's own.

pub mod error;
pub mod range;
pub mod thumb;

use crate::auth::service::Identity;
use crate::cases::CaseService;
use crate::cases::hex_lower;
use crate::clock::Clock;
use crate::store::Store;
use crate::store::photos::{BlobMeta, NewBlob, PhotoRow, UploadRow, Variant};
use error::{PhotoError, PhotoResult};
use gridline_core::PhotoId;
use gridline_core::photo::{
    CHUNK_BYTES, ImageType, NewPhoto, PhotoBytes, Sha256, UploadIn, UploadStatus,
};
use sha2::Digest;
use std::sync::Arc;

/// Uploads not completed within this many days are dropped.
pub const UPLOAD_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

/// A photo's whole bytes, checked: within the size limit, of the type
/// they claim, decodable (their thumbnail is made). Nothing is stored yet.
#[derive(Debug, Clone)]
pub struct Whole {
    sha: Sha256,
    bytes: PhotoBytes,
    mime: ImageType,
    data: Vec<u8>,
    thumb: Vec<u8>,
}

impl Whole {
    pub async fn check(data: Vec<u8>, mime: ImageType) -> PhotoResult<Self> {
        let bytes = PhotoBytes::new(data.len() as u64).map_err(PhotoError::Invalid)?;
        if !mime.magic_matches(&data) {
            return Err(PhotoError::NotAnImage(format!(
                "the bytes do not begin as a {mime} file does"
            )));
        }
        let sha: Sha256 = sha256_hex(&data).parse().map_err(PhotoError::Invalid)?;
        let (data, thumb) = tokio::task::spawn_blocking(move || {
            let t = thumb::make(&data, mime);
            (data, t)
        })
        .await
        .map_err(|e| PhotoError::NotAnImage(format!("thumbnail: {e}")))?;
        let thumb = thumb.map_err(PhotoError::NotAnImage)?;
        Ok(Self {
            sha,
            bytes,
            mime,
            data,
            thumb,
        })
    }

    /// The metadata that attaches it to a case, under a new id.
    #[must_use]
    pub fn new_photo(&self) -> NewPhoto {
        NewPhoto {
            photo: PhotoId::new(),
            sha256: self.sha.clone(),
            bytes: self.bytes,
            mime: self.mime,
        }
    }
}

pub struct PhotoService {
    store: Arc<dyn Store>,
    cases: Arc<CaseService>,
    clock: Arc<dyn Clock>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex_lower(&sha2::Sha256::digest(bytes))
}

/// Whether any of `photos` is available (its bytes proven by someone).
fn available(photos: &[PhotoRow]) -> bool {
    photos.iter().any(|p| p.available_at.is_some())
}

fn no_photo(sha: &str) -> PhotoError {
    PhotoError::NotFound(format!(
        "no photo with SHA-256 {sha} is attached to a case you can see; attach it (photo.attach@1, or with the case) before sending its bytes"
    ))
}

impl PhotoService {
    pub fn new(store: Arc<dyn Store>, cases: Arc<CaseService>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            cases,
            clock,
        }
    }

    /// The photos with digest `sha` on cases `who` may read.
    async fn visible(&self, who: &Identity, sha: &Sha256) -> PhotoResult<Vec<PhotoRow>> {
        let mut out = Vec::new();
        for p in self.store.photos_with(sha.as_str()).await? {
            if self.cases.may_read(who, p.case_id).await? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The stored blob `sha`, if it is available on a case `who` may see.
    pub async fn head(&self, who: &Identity, sha: &Sha256) -> PhotoResult<BlobMeta> {
        let not_found = || PhotoError::NotFound(format!("no photo {sha} you can see"));
        if !available(&self.visible(who, sha).await?) {
            return Err(not_found());
        }
        self.store
            .blob_meta(sha.as_str())
            .await?
            .ok_or_else(not_found)
    }

    /// The bytes of blob `sha` (or its thumbnail) with its metadata.
    pub async fn read(
        &self,
        who: &Identity,
        sha: &Sha256,
        variant: Variant,
    ) -> PhotoResult<(BlobMeta, Vec<u8>)> {
        let meta = self.head(who, sha).await?;
        let data = self
            .store
            .blob(sha.as_str(), variant)
            .await?
            .ok_or_else(|| PhotoError::NotFound(format!("no photo {sha} you can see")))?;
        Ok((meta, data))
    }

    fn status(
        &self,
        up: Option<&UploadRow>,
        sha: &Sha256,
        bytes: PhotoBytes,
        have: Vec<u32>,
    ) -> UploadStatus {
        UploadStatus {
            upload_id: up.map(|u| u.id.clone()),
            sha256: sha.clone(),
            bytes: bytes.get(),
            chunk_size: CHUNK_BYTES,
            chunks: bytes.chunks(),
            complete: up.is_none(),
            have,
        }
    }

    /// Starts sending a photo's bytes, or says how far an earlier start got.
    /// Nothing to send if the server has the photo already.
    pub async fn open_upload(&self, who: &Identity, req: UploadIn) -> PhotoResult<UploadStatus> {
        let photos = self.visible(who, &req.sha256).await?;
        let Some(declared) = photos.first() else {
            return Err(no_photo(req.sha256.as_str()));
        };
        if declared.bytes != req.bytes.get() || declared.mime != req.mime.mime() {
            return Err(PhotoError::Invalid(format!(
                "photo {} was attached as {} bytes of {}; this upload says {} bytes of {}",
                declared.id,
                declared.bytes,
                declared.mime,
                req.bytes.get(),
                req.mime
            )));
        }
        // The server has the bytes and the caller can read them already: it
        // only needs to say so on the caller's other cases.
        if available(&photos) && self.store.blob_meta(req.sha256.as_str()).await?.is_some() {
            self.settle(who, &req.sha256).await?;
            let all = (0..req.bytes.chunks()).collect();
            return Ok(self.status(None, &req.sha256, req.bytes, all));
        }
        let fresh = UploadRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: who.user_id,
            sha256: req.sha256.as_str().to_owned(),
            bytes: req.bytes.get(),
            mime: req.mime.mime().to_owned(),
            created_at: self.clock.now_ms(),
        };
        let up = self.store.open_upload(&fresh).await?;
        let have = self.store.upload_have(&up.id).await?;
        Ok(self.status(Some(&up), &req.sha256, req.bytes, have))
    }

    /// The caller's upload `id`, with its parsed size and digest.
    async fn own_upload(
        &self,
        who: &Identity,
        id: &str,
    ) -> PhotoResult<(UploadRow, Sha256, PhotoBytes, ImageType)> {
        let not_found = || {
            PhotoError::NotFound(format!(
                "no upload {id} of yours is open; start it with POST /v1/uploads"
            ))
        };
        let up = self.store.upload(id).await?.ok_or_else(not_found)?;
        if up.user_id != who.user_id {
            return Err(not_found());
        }
        let corrupt = |e: String| crate::store::StoreError::Corrupt(e);
        let sha: Sha256 = up.sha256.parse().map_err(corrupt)?;
        let bytes = PhotoBytes::new(up.bytes).map_err(corrupt)?;
        let mime: ImageType = up.mime.parse().map_err(corrupt)?;
        Ok((up, sha, bytes, mime))
    }

    /// Stores chunk `n` if its length is right and it matches `digest`.
    pub async fn put_chunk(
        &self,
        who: &Identity,
        id: &str,
        n: u32,
        digest: Option<&str>,
        body: &[u8],
    ) -> PhotoResult<UploadStatus> {
        let (up, sha, bytes, _) = self.own_upload(who, id).await?;
        if n >= bytes.chunks() {
            return Err(PhotoError::Invalid(format!(
                "chunk {n} does not exist: this upload has chunks 0 to {}",
                bytes.chunks() - 1
            )));
        }
        let digest: Sha256 = digest
            .ok_or_else(|| {
                PhotoError::Invalid(
                    "the X-Chunk-Sha256 header (the chunk's SHA-256) is missing".into(),
                )
            })?
            .parse()
            .map_err(|e: String| PhotoError::Invalid(format!("X-Chunk-Sha256: {e}")))?;
        let want = bytes.chunk_len(n);
        if body.len() as u64 != want {
            return Err(PhotoError::ChunkCorrupt(format!(
                "chunk {n} arrived with {} bytes; it has {want}: send it again",
                body.len()
            )));
        }
        let got = sha256_hex(body);
        if got != digest.as_str() {
            return Err(PhotoError::ChunkCorrupt(format!(
                "chunk {n} arrived with SHA-256 {got}, not {digest}: send it again"
            )));
        }
        self.store.put_chunk(&up.id, n, body).await?;
        let have = self.store.upload_have(&up.id).await?;
        Ok(self.status(Some(&up), &sha, bytes, have))
    }

    /// Puts the chunks together, checks the whole and stores the photo.
    pub async fn complete(&self, who: &Identity, id: &str) -> PhotoResult<UploadStatus> {
        let (up, sha, bytes, mime) = self.own_upload(who, id).await?;
        let all: Vec<u32> = (0..bytes.chunks()).collect();
        let chunks = self.store.upload_chunks(&up.id).await?;
        let missing: Vec<u32> = all
            .iter()
            .copied()
            .filter(|n| !chunks.iter().any(|(m, _)| m == n))
            .collect();
        if !missing.is_empty() {
            return Err(PhotoError::UploadIncomplete(format!(
                "chunks {missing:?} of {} are still to send",
                bytes.chunks()
            )));
        }
        let mut data = Vec::with_capacity(usize::try_from(bytes.get()).unwrap_or(0));
        for (_, c) in &chunks {
            data.extend_from_slice(c);
        }
        let got = sha256_hex(&data);
        if data.len() as u64 != bytes.get() || got != sha.as_str() {
            self.store.clear_chunks(&up.id).await?;
            return Err(PhotoError::UploadCorrupt(format!(
                "the chunks make {} bytes with SHA-256 {got}, not {} bytes with {sha}; they were dropped: send them again",
                data.len(),
                bytes.get()
            )));
        }
        let whole = Whole::check(data, mime).await?;
        self.keep(who, &whole).await?;
        Ok(self.status(None, &sha, bytes, all))
    }

    /// Stores checked bytes and marks available the photos with their
    /// digest on cases `who` can see: `who` has shown they hold them.
    pub async fn keep(&self, who: &Identity, whole: &Whole) -> PhotoResult<()> {
        self.store
            .put_blob(&NewBlob {
                sha256: whole.sha.as_str(),
                mime: whole.mime.mime(),
                data: &whole.data,
                thumb: &whole.thumb,
                at: self.clock.now_ms(),
            })
            .await?;
        self.settle(who, &whole.sha).await
    }

    /// Marks the photos with digest `sha` on cases `who` can see available:
    /// `who` has shown they hold the bytes.
    async fn settle(&self, who: &Identity, sha: &Sha256) -> PhotoResult<()> {
        for p in self.visible(who, sha).await? {
            if p.available_at.is_none() {
                self.cases.photo_stored(&p).await?;
            }
        }
        Ok(())
    }

    /// Housekeeping: drops uploads not completed within [`UPLOAD_DAYS`];
    /// how many. (A server stopped between storing a blob and marking its
    /// photos leaves them pending; the phone, with no answer, sends the
    /// upload again and completing it marks them.)
    pub async fn tidy(&self) -> PhotoResult<u64> {
        let before = self.clock.now_ms() - UPLOAD_DAYS * DAY_MS;
        Ok(self.store.expire_uploads(before).await?)
    }
}
