//! Thumbnails, and the check that an upload is a readable image.

use gridline_core::photo::{ImageType, THUMB_PX};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest side decoded; a phone photo is at most a few thousand pixels.
const MAX_SIDE: u32 = 16_384;
/// Memory a decode may take, against crafted files.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Decodes `data` as `ty` and returns a JPEG no larger than [`THUMB_PX`]
/// on its longest side.
///
/// # Errors
/// The bytes are not a readable image of that type; the message says why.
pub fn make(data: &[u8], ty: ImageType) -> Result<Vec<u8>, String> {
    let format = match ty {
        ImageType::Jpeg => ImageFormat::Jpeg,
        ImageType::Png => ImageFormat::Png,
    };
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("not a readable {ty} image: {e}"))?;
    let small = img.thumbnail(THUMB_PX, THUMB_PX).to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| format!("thumbnail: {e}"))?;
    Ok(out)
}
