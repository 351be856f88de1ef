//! The phone's own parts, scripted: where the location service says the
//! phone is, and what the camera returns. A test or the field simulation
//! queues answers; with none queued the phone has no fix and the user
//! cancels the camera, as a real phone indoors with a hesitant user would.

use gridline_core::app::{Fix, LocationResult, PhotoResult};
use std::collections::VecDeque;
use std::io::Cursor;

#[derive(Debug, Default)]
pub struct Hardware {
    fixes: VecDeque<LocationResult>,
    /// Answered for every request once the queue is empty.
    standing_fix: Option<Fix>,
    photos: VecDeque<PhotoResult>,
}

impl Hardware {
    /// The next location request gets `r`.
    pub fn queue_fix(&mut self, r: LocationResult) {
        self.fixes.push_back(r);
    }

    /// Every location request from now on gets this fix (a phone standing still).
    pub fn stand_at(&mut self, fix: Fix) {
        self.standing_fix = Some(fix);
    }

    /// The next camera or gallery request gets `r`.
    pub fn queue_photo(&mut self, r: PhotoResult) {
        self.photos.push_back(r);
    }

    pub fn next_fix(&mut self) -> LocationResult {
        self.fixes.pop_front().unwrap_or_else(|| {
            self.standing_fix.clone().map_or_else(
                || LocationResult::Unavailable {
                    reason: "no fix indoors".into(),
                },
                LocationResult::Fix,
            )
        })
    }

    pub fn next_photo(&mut self) -> PhotoResult {
        self.photos.pop_front().unwrap_or(PhotoResult::Cancelled)
    }
}

/// A real JPEG of `w`×`h` pixels, different for each `seed` (so each photo
/// has its own digest), as a phone camera scaled down would hand over.
pub fn jpeg(w: u32, h: u32, seed: u64) -> anyhow::Result<PhotoResult> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let v = u64::from(x) * 31 + u64::from(y) * 17 + seed * 101;
        image::Rgb([
            (v % 251) as u8,
            ((v / 3) % 241) as u8,
            ((v / 7 + seed) % 239) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)?;
    Ok(PhotoResult::Photo {
        bytes: out.into_inner(),
        mime: "image/jpeg".into(),
    })
}
