//! The GeoJSON grid importer (`POST /v1/grids/import`, `gridline import`):
//! any bytes give features or an error, never a panic. The first byte picks
//! the coordinate system and whether to repair.
#![no_main]

use gridline_api::spatial::geojson_in::{ReadOptions, read};
use gridline_core::Crs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let crs = match first % 3 {
        0 => Crs::Wgs84,
        1 => Crs::Gcj02,
        _ => Crs::Cgcs2000,
    };
    let _ = read(rest, ReadOptions { crs, repair: first & 0x80 != 0 });
});
