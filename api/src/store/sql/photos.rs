//! [`PhotoStore`]: blobs, uploads in progress, and the photo rows a case
//! write carries.

use super::cases::opt_id;
use super::{SqlStore, parse_id};
use crate::store::StoreResult;
use crate::store::photos::{BlobMeta, NewBlob, PhotoRow, PhotoStore, UploadRow, Variant};
use async_trait::async_trait;
use gridline_core::{CaseId, PhotoId};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};

const PHOTO_COLUMNS: &str = "id, case_id, sha256, bytes, mime, added_by, added_at, available_at";

/// Every photo column, for a query that reads whole rows.
pub(super) fn photo_columns() -> &'static str {
    PHOTO_COLUMNS
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(super) fn photo_from_row(r: &AnyRow) -> StoreResult<PhotoRow> {
    Ok(PhotoRow {
        id: parse_id(r.try_get::<&str, _>("id")?)?,
        case_id: parse_id(r.try_get::<&str, _>("case_id")?)?,
        sha256: r.try_get("sha256")?,
        bytes: count(r.try_get("bytes")?),
        mime: r.try_get("mime")?,
        added_by: opt_id(r, "added_by")?,
        added_at: r.try_get("added_at")?,
        available_at: r.try_get("available_at")?,
    })
}

fn upload_from_row(r: &AnyRow) -> StoreResult<UploadRow> {
    Ok(UploadRow {
        id: r.try_get("id")?,
        user_id: parse_id(r.try_get::<&str, _>("user_id")?)?,
        sha256: r.try_get("sha256")?,
        bytes: count(r.try_get("bytes")?),
        mime: r.try_get("mime")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A case's photos in the order they were added, read on `e`.
pub(super) async fn fetch_photos<'c, E: Executor<'c, Database = Any>>(
    e: E,
    case: &str,
) -> StoreResult<Vec<PhotoRow>> {
    let sql =
        format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE case_id = $1 ORDER BY added_at, id");
    let rows = sqlx::query(&sql).bind(case).fetch_all(e).await?;
    rows.iter().map(photo_from_row).collect()
}

/// Writes a case's photo rows inside its transaction: new ones inserted,
/// known ones get their availability.
pub(super) async fn write_photos(tx: &mut AnyConnection, photos: &[PhotoRow]) -> StoreResult<()> {
    for p in photos {
        sqlx::query(
            "INSERT INTO photos (id, case_id, sha256, bytes, mime, added_by, added_at, available_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET available_at = excluded.available_at",
        )
        .bind(p.id.to_string())
        .bind(p.case_id.to_string())
        .bind(&p.sha256)
        .bind(i64::try_from(p.bytes).unwrap_or(i64::MAX))
        .bind(&p.mime)
        .bind(p.added_by.map(|u| u.to_string()))
        .bind(p.added_at)
        .bind(p.available_at)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

impl SqlStore {
    /// The photos with a digest, narrowed by `and` (SQL text, no parameters).
    async fn photos_where(&self, sha256: &str, and: &str) -> StoreResult<Vec<PhotoRow>> {
        let sql = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE sha256 = $1{and} ORDER BY id");
        let rows = sqlx::query(&sql)
            .bind(sha256)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(photo_from_row).collect()
    }
}

#[async_trait]
impl PhotoStore for SqlStore {
    async fn case_photos(&self, case: CaseId) -> StoreResult<Vec<PhotoRow>> {
        fetch_photos(&mut *self.conn().await?, &case.to_string()).await
    }

    async fn photo(&self, id: PhotoId) -> StoreResult<Option<PhotoRow>> {
        let sql = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(photo_from_row).transpose()
    }

    async fn photos_with(&self, sha256: &str) -> StoreResult<Vec<PhotoRow>> {
        self.photos_where(sha256, "").await
    }

    async fn available_photos_with(&self, sha256: &str) -> StoreResult<Vec<PhotoRow>> {
        self.photos_where(sha256, " AND available_at IS NOT NULL")
            .await
    }

    async fn blob_meta(&self, sha256: &str) -> StoreResult<Option<BlobMeta>> {
        let row = sqlx::query("SELECT sha256, bytes, mime FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.map(|r| {
            Ok(BlobMeta {
                sha256: r.try_get("sha256")?,
                bytes: count(r.try_get("bytes")?),
                mime: r.try_get("mime")?,
            })
        })
        .transpose()
    }

    async fn blob(&self, sha256: &str, variant: Variant) -> StoreResult<Option<Vec<u8>>> {
        let sql = match variant {
            Variant::Original => "SELECT data FROM blobs WHERE sha256 = $1",
            Variant::Thumb => "SELECT thumb FROM blobs WHERE sha256 = $1",
        };
        Ok(sqlx::query_scalar(sql)
            .bind(sha256)
            .fetch_optional(&mut *self.conn().await?)
            .await?)
    }

    async fn put_blob(&self, b: &NewBlob<'_>) -> StoreResult<()> {
        let mut tx = self.begin_exclusive().await?;
        sqlx::query(
            "INSERT INTO blobs (sha256, bytes, mime, data, thumb, stored_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(b.sha256)
        .bind(i64::try_from(b.data.len()).unwrap_or(i64::MAX))
        .bind(b.mime)
        .bind(b.data)
        .bind(b.thumb)
        .bind(b.at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM uploads WHERE sha256 = $1")
            .bind(b.sha256)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn open_upload(&self, fresh: &UploadRow) -> StoreResult<UploadRow> {
        let mut tx = self.begin_exclusive().await?;
        sqlx::query(
            "INSERT INTO uploads (id, user_id, sha256, bytes, mime, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id, sha256) DO NOTHING",
        )
        .bind(&fresh.id)
        .bind(fresh.user_id.to_string())
        .bind(&fresh.sha256)
        .bind(i64::try_from(fresh.bytes).unwrap_or(i64::MAX))
        .bind(&fresh.mime)
        .bind(fresh.created_at)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("SELECT * FROM uploads WHERE user_id = $1 AND sha256 = $2")
            .bind(fresh.user_id.to_string())
            .bind(&fresh.sha256)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        upload_from_row(&row)
    }

    async fn upload(&self, id: &str) -> StoreResult<Option<UploadRow>> {
        let row = sqlx::query("SELECT * FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(upload_from_row).transpose()
    }

    async fn upload_have(&self, id: &str) -> StoreResult<Vec<u32>> {
        let ns: Vec<i64> =
            sqlx::query_scalar("SELECT n FROM upload_chunks WHERE upload_id = $1 ORDER BY n")
                .bind(id)
                .fetch_all(&mut *self.conn().await?)
                .await?;
        Ok(ns
            .into_iter()
            .filter_map(|n| u32::try_from(n).ok())
            .collect())
    }

    async fn put_chunk(&self, id: &str, n: u32, data: &[u8]) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO upload_chunks (upload_id, n, data) VALUES ($1, $2, $3) \
             ON CONFLICT (upload_id, n) DO UPDATE SET data = excluded.data",
        )
        .bind(id)
        .bind(i64::from(n))
        .bind(data)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn upload_chunks(&self, id: &str) -> StoreResult<Vec<(u32, Vec<u8>)>> {
        let rows = sqlx::query("SELECT n, data FROM upload_chunks WHERE upload_id = $1 ORDER BY n")
            .bind(id)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                Ok((u32::try_from(n).unwrap_or(u32::MAX), r.try_get("data")?))
            })
            .collect()
    }

    async fn clear_chunks(&self, id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM upload_chunks WHERE upload_id = $1")
            .bind(id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn expire_uploads(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM uploads WHERE created_at < $1")
            .bind(before)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(done.rows_affected())
    }
}
