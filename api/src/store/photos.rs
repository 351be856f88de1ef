//! What the store keeps about photos: their rows (written with the case they
//! belong to, through `CaseWrite`), the blobs by SHA-256, and uploads in
//! progress with their chunks.

use super::StoreResult;
use async_trait::async_trait;
use gridline_core::{CaseId, PhotoId, UserId};

/// A photo attached to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRow {
    pub id: PhotoId,
    pub case_id: CaseId,
    pub sha256: String,
    pub bytes: u64,
    pub mime: String,
    pub added_by: Option<UserId>,
    pub added_at: i64,
    /// When the case learnt its bytes were stored and that whoever attached
    /// it has them (see `PhotoService`).
    pub available_at: Option<i64>,
}

/// A stored blob without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobMeta {
    pub sha256: String,
    pub bytes: u64,
    pub mime: String,
}

/// Which bytes of a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumb,
}

/// A blob to store.
#[derive(Debug, Clone)]
pub struct NewBlob<'a> {
    pub sha256: &'a str,
    pub mime: &'a str,
    pub data: &'a [u8],
    pub thumb: &'a [u8],
    pub at: i64,
}

/// An upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    pub id: String,
    pub user_id: UserId,
    pub sha256: String,
    pub bytes: u64,
    pub mime: String,
    pub created_at: i64,
}

#[async_trait]
pub trait PhotoStore: Send + Sync {
    async fn case_photos(&self, case: CaseId) -> StoreResult<Vec<PhotoRow>>;
    async fn photo(&self, id: PhotoId) -> StoreResult<Option<PhotoRow>>;
    async fn photos_with(&self, sha256: &str) -> StoreResult<Vec<PhotoRow>>;
    /// The photos with this digest whose bytes are stored (`available_at` set).
    async fn available_photos_with(&self, sha256: &str) -> StoreResult<Vec<PhotoRow>>;

    async fn blob_meta(&self, sha256: &str) -> StoreResult<Option<BlobMeta>>;
    async fn blob(&self, sha256: &str, variant: Variant) -> StoreResult<Option<Vec<u8>>>;
    /// Stores a blob unless it is there already; ends the uploads of it.
    async fn put_blob(&self, blob: &NewBlob<'_>) -> StoreResult<()>;

    /// The caller's upload of `sha256`, created with `fresh` if there is none.
    async fn open_upload(&self, fresh: &UploadRow) -> StoreResult<UploadRow>;
    async fn upload(&self, id: &str) -> StoreResult<Option<UploadRow>>;
    /// The chunk numbers held, in order.
    async fn upload_have(&self, id: &str) -> StoreResult<Vec<u32>>;
    /// Stores (or replaces) chunk `n`.
    async fn put_chunk(&self, id: &str, n: u32, data: &[u8]) -> StoreResult<()>;
    /// Every chunk held, in order.
    async fn upload_chunks(&self, id: &str) -> StoreResult<Vec<(u32, Vec<u8>)>>;
    /// Forgets the chunks held (a whole that did not verify).
    async fn clear_chunks(&self, id: &str) -> StoreResult<()>;
    /// Drops uploads started before `before`; how many.
    async fn expire_uploads(&self, before: i64) -> StoreResult<u64>;
}
