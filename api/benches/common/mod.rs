//! Datasets and query points shared by the assignment benchmarks. Reads the
//! real boundaries from `../shared/data` (or `GRIDLINE_SHARED_DATA`).

#![allow(dead_code)]

use gridline_api::spatial::generate::{self, SplitMix64};
use gridline_api::spatial::geojson_in::{self, GridFeature, ReadOptions};
use gridline_api::spatial::index::{GridIndex, Rings};
use gridline_core::Crs;
use std::io::Read;
use std::path::PathBuf;

pub fn shared_data() -> PathBuf {
    std::env::var_os("GRIDLINE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        PathBuf::from,
    )
}

pub fn counties() -> Vec<GridFeature> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(shared_data().join("boundaries/china_counties.geojson.gz"))
            .expect("counties file"),
    )
    .read_to_end(&mut bytes)
    .expect("gunzip");
    geojson_in::read(
        &bytes,
        ReadOptions {
            crs: Crs::Gcj02,
            repair: true,
        },
    )
    .expect("counties")
}

pub fn shandan() -> GridFeature {
    let bytes =
        std::fs::read(shared_data().join("boundaries/county/620725.json")).expect("Shandan file");
    geojson_in::read(
        &bytes,
        ReadOptions {
            crs: Crs::Gcj02,
            repair: true,
        },
    )
    .expect("Shandan")
    .remove(0)
}

/// (a) Shandan split into its 225 grids.
pub fn shandan_grids() -> Vec<Rings> {
    generate::split(&shandan().rings, 225, 620_725).expect("split Shandan")
}

/// (b) All 2,884 county-level units as grids.
pub fn county_grids(counties: &[GridFeature]) -> Vec<Rings> {
    counties.iter().map(|c| c.rings.clone()).collect()
}

/// (c) Every county split into `per_county` grids.
pub fn generated_grids(counties: &[GridFeature], per_county: usize) -> Vec<Rings> {
    counties
        .iter()
        .enumerate()
        .flat_map(|(i, c)| generate::split(&c.rings, per_county, i as u64).expect("split county"))
        .collect()
}

pub fn build(grids: &[Rings]) -> GridIndex<u32> {
    GridIndex::build(
        grids
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, g)| (i as u32, g)),
        150.0,
    )
}

/// Query points: a grid picked uniformly at random, then a point uniformly in
/// its bounding box (so most land inside a grid, some just outside).
pub fn queries(index: &GridIndex<u32>, n: usize, seed: u64) -> Vec<[f64; 2]> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let b = index.grids()[rng.below(index.len())].bbox;
            [
                b[0] + rng.next_f64() * (b[2] - b[0]),
                b[1] + rng.next_f64() * (b[3] - b[1]),
            ]
        })
        .collect()
}
