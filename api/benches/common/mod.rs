//! Datasets and query points shared by the assignment benchmarks. Reads the
//! real boundaries from `../shared/data` (or `GRIDLINE_SHARED_DATA`).

#![allow(dead_code)]

use gridline_api::spatial::generate::{self, SplitMix64};
use gridline_api::spatial::geojson_in::{self, GridFeature, ReadOptions};
use gridline_api::spatial::index::{GridIndex, Rings};
use gridline_core::Crs;
use std::f64::consts::TAU;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// (c) and (d): every county split into `per_county` grids, county by
/// county in input order. Counties are split on every core (the 175-way split
/// of all 2,884 takes minutes on one); each county's seed is its position, so
/// the grids are the same whatever the number of threads.
pub fn generated_grids(counties: &[GridFeature], per_county: usize) -> Vec<Rings> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<Rings>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(county) = counties.get(i) else {
                            return mine;
                        };
                        let grids = generate::split(&county.rings, per_county, i as u64)
                            .expect("split county");
                        mine.push((i, grids));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("split thread"))
            .collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().flat_map(|(_, grids)| grids).collect()
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

/// Query points gathered round `hotspots` places, as reports come from towns
/// and villages rather than evenly from the map: each hotspot is the centre of
/// a grid's bounding box drawn at random, each point a hotspot drawn at random
/// plus a gaussian offset of `sigma` degrees on each axis.
pub fn clustered_queries(
    index: &GridIndex<u32>,
    n: usize,
    hotspots: usize,
    sigma: f64,
    seed: u64,
) -> Vec<[f64; 2]> {
    let mut rng = SplitMix64::new(seed);
    let centres: Vec<[f64; 2]> = (0..hotspots)
        .map(|_| {
            let b = index.grids()[rng.below(index.len())].bbox;
            [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
        })
        .collect();
    (0..n)
        .map(|_| {
            let c = centres[rng.below(centres.len())];
            let [dx, dy] = gaussian_pair(&mut rng);
            [c[0] + sigma * dx, c[1] + sigma * dy]
        })
        .collect()
}

/// Two independent standard normal values (Box–Muller).
fn gaussian_pair(rng: &mut SplitMix64) -> [f64; 2] {
    // 1 - [0, 1) is (0, 1]: the logarithm never sees zero.
    let radius = (-2.0 * (1.0 - rng.next_f64()).ln()).sqrt();
    let angle = TAU * rng.next_f64();
    [radius * angle.cos(), radius * angle.sin()]
}
