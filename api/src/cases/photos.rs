//! Photos on a case: attaching their metadata (with the case, or later) and
//! marking them available once their bytes are stored. Both are case writes,
//! so the case's version moves and every phone that holds it fetches it again.

use super::error::{CaseError, CaseResult};
use super::{CaseService, Readable, detail, standing, written};
use crate::auth::service::Identity;
use crate::store::cases::{CaseWrite, NewEvent};
use crate::store::photos::PhotoRow;
use crate::store::sync::Receipt;
use gridline_core::CaseId;
use gridline_core::case::ActionKind;
use gridline_core::photo::{MAX_PER_CASE, NewPhoto};
use serde_json::json;

/// Rows for `photos` joining a case that has `have` already; refused whole
/// if they would take it past the limit or repeat an id.
pub(super) fn photo_rows(
    case: CaseId,
    who: &Identity,
    now: i64,
    photos: Vec<NewPhoto>,
    have: usize,
) -> CaseResult<Vec<PhotoRow>> {
    if have + photos.len() > MAX_PER_CASE {
        return Err(CaseError::TooManyPhotos {
            case: case.to_string(),
            have,
            adding: photos.len(),
        });
    }
    let mut rows: Vec<PhotoRow> = Vec::with_capacity(photos.len());
    for p in photos {
        if rows.iter().any(|r| r.id == p.photo) {
            return Err(CaseError::Invalid(format!(
                "photo {} is listed twice",
                p.photo
            )));
        }
        rows.push(PhotoRow {
            id: p.photo,
            case_id: case,
            sha256: p.sha256.as_str().to_owned(),
            bytes: p.bytes.get(),
            mime: p.mime.mime().to_owned(),
            added_by: Some(who.user_id),
            added_at: now,
            available_at: None,
        });
    }
    Ok(rows)
}

/// The history entry of a photo added.
pub(super) fn photo_event(who: &Identity, now: i64, p: &PhotoRow) -> NewEvent {
    NewEvent {
        at: now,
        actor_id: Some(who.user_id),
        action: "photo".into(),
        detail: detail(json!({
            "photo": p.id, "sha256": p.sha256, "bytes": p.bytes, "mime": p.mime,
        })),
    }
}

impl CaseService {
    /// Marks available at once the photos whose bytes `who` can already
    /// read through another case (nothing to upload); the rest wait for
    /// their bytes.
    pub(super) async fn mark_known(
        &self,
        who: &Identity,
        rows: &mut [PhotoRow],
        now: i64,
    ) -> CaseResult<()> {
        for row in rows.iter_mut() {
            // Only stored copies count; the digest alone proves nothing.
            for other in self.store.available_photos_with(&row.sha256).await? {
                if self.may_read(who, other.case_id).await? {
                    row.available_at = Some(now);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Whether `who` may read case `id` (a missing case: no).
    pub async fn may_read(&self, who: &Identity, id: CaseId) -> CaseResult<bool> {
        match self.readable(who, id).await {
            Ok(_) => Ok(true),
            Err(CaseError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Attaches photos' metadata to a case: its reporter may, and anyone
    /// who may add a note to it. Sending a photo already attached (same id,
    /// same digest, same case) is a no-op: false when nothing was written.
    pub async fn attach_photos(
        &self,
        who: &Identity,
        id: CaseId,
        photos: Vec<NewPhoto>,
        receipt: Option<&Receipt>,
    ) -> CaseResult<bool> {
        let Readable {
            case, tasks, st, ..
        } = self.readable(who, id).await?;
        if case.reporter_id != who.user_id {
            let orders = self.store.case_orders(id).await?;
            let facts = self.facts(&case, &tasks, &orders).await?;
            standing::check_any(&st, &facts, ActionKind::Note)?;
        }
        let existing = self.store.case_photos(id).await?;
        let mut fresh = Vec::with_capacity(photos.len());
        for p in photos {
            let known = match existing.iter().find(|e| e.id == p.photo) {
                Some(e) => Some(e.clone()),
                None => self.store.photo(p.photo).await?,
            };
            match known {
                Some(k) if k.case_id == id && k.sha256 == p.sha256.as_str() => {}
                Some(_) => return Err(CaseError::PhotoIdTaken(p.photo.to_string())),
                None => fresh.push(p),
            }
        }
        if fresh.is_empty() {
            return Ok(false);
        }
        let now = self.now();
        let mut rows = photo_rows(id, who, now, fresh, existing.len())?;
        self.mark_known(who, &mut rows, now).await?;
        let events: Vec<NewEvent> = rows.iter().map(|p| photo_event(who, now, p)).collect();
        let mut case = case;
        let expected = case.version;
        case.version += 1;
        case.updated_at = now;
        let write = CaseWrite {
            case: &case,
            expected_version: Some(expected),
            events: &events,
            parties: &[],
            tasks: &[],
            orders: &[],
            photos: &rows,
            receipt,
            intake_sha256: None,
            outside: None,
            redact: None,
        };
        written(self.store.write_case(&write).await?).map(|()| true)
    }

    /// Marks `photo` available on its case now that its bytes are stored:
    /// a case write, so phones holding the case fetch it again. Retries a
    /// few times if the case is changing under it.
    pub async fn photo_stored(&self, photo: &PhotoRow) -> CaseResult<()> {
        for _ in 0..3 {
            // Someone else (another replica's tidy, a retried upload) may
            // have said so meanwhile.
            match self.store.photo(photo.id).await? {
                Some(p) if p.available_at.is_none() => {}
                _ => return Ok(()),
            }
            let Some(mut case) = self.store.case(photo.case_id).await? else {
                return Ok(());
            };
            let now = self.now();
            let expected = case.version;
            case.version += 1;
            case.updated_at = now;
            let row = PhotoRow {
                available_at: Some(now),
                ..photo.clone()
            };
            let events = [NewEvent {
                at: now,
                actor_id: None,
                action: "photo_stored".into(),
                detail: detail(json!({ "photo": photo.id, "sha256": photo.sha256 })),
            }];
            let write = CaseWrite {
                case: &case,
                expected_version: Some(expected),
                events: &events,
                parties: &[],
                tasks: &[],
                orders: &[],
                photos: std::slice::from_ref(&row),
                receipt: None,
                intake_sha256: None,
                outside: None,
                redact: None,
            };
            match written(self.store.write_case(&write).await?) {
                Err(CaseError::VersionConflict) => {}
                other => return other,
            }
        }
        Err(CaseError::VersionConflict)
    }
}
