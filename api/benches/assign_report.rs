//! The figures criterion does not give: per-lookup p50/p99, lookups per
//! second on one and on both cores, index memory per vertex (counted by the
//! allocator), and the same points through a linear scan. Prints a Markdown
//! table for docs/BENCHMARKS.md.
//!
//!     cargo bench -p gridline-api --bench assign_report

#![allow(clippy::unwrap_used)]
// A counting allocator needs `unsafe impl GlobalAlloc`; it only forwards.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is only arithmetic on the sizes it is given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn percentile(sorted: &[u64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize] as f64
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench asks benches to list themselves
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let t = Instant::now();
    let counties = common::counties();
    eprintln!("read counties in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let generated = common::generated_grids(&counties, 40);
    eprintln!(
        "generated {} grids in {:.1} s",
        generated.len(),
        t.elapsed().as_secs_f64()
    );
    let datasets = [
        ("(a) Shandan, 225 grids", common::shandan_grids()),
        ("(b) 2,884 real counties", common::county_grids(&counties)),
        ("(c) every county split in 40", generated),
    ];
    println!(
        "| dataset | grids | vertices | build | index bytes/vertex | p50 | p99 | lookups/s, 1 thread | lookups/s, 2 threads | linear scan p50 | speed-up (p50) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, grids) in &datasets {
        let before = LIVE.load(Ordering::Relaxed);
        let t = Instant::now();
        let index = common::build(grids);
        let build = t.elapsed();
        let bytes = LIVE.load(Ordering::Relaxed) - before;
        let n = if quick { 20_000 } else { 1_000_000 };
        let points = common::queries(&index, n, 2);

        // Per-lookup latency (each timed alone: includes ~20 ns of clock reads).
        let mut lat: Vec<u64> = points
            .iter()
            .map(|&[lon, lat]| {
                let t = Instant::now();
                black_box(index.locate(lon, lat));
                t.elapsed().as_nanos() as u64
            })
            .collect();
        lat.sort_unstable();

        // Throughput: the whole batch, then the same on two threads.
        let t = Instant::now();
        for &[lon, lat] in &points {
            black_box(index.locate(lon, lat));
        }
        let one = points.len() as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        std::thread::scope(|s| {
            for half in points.chunks(points.len().div_ceil(2)) {
                let index = &index;
                s.spawn(move || {
                    for &[lon, lat] in half {
                        black_box(index.locate(lon, lat));
                    }
                });
            }
        });
        let two = points.len() as f64 / t.elapsed().as_secs_f64();

        // The baseline on a sample (it is slow), and a cross-check.
        let sample = &points[..points
            .len()
            .min(if grids.len() > 10_000 { 2_000 } else { 20_000 })];
        let mut linear: Vec<u64> = sample
            .iter()
            .map(|&[lon, lat]| {
                let t = Instant::now();
                black_box(index.locate_linear(lon, lat));
                t.elapsed().as_nanos() as u64
            })
            .collect();
        linear.sort_unstable();
        for &[lon, lat] in sample {
            let tree = index.locate(lon, lat);
            if let gridline_api::spatial::index::Assignment::Inside(g) = tree {
                assert_eq!(Some(g), index.locate_linear(lon, lat));
            }
        }
        let (p50, p99, lp50) = (
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            percentile(&linear, 0.5),
        );
        println!(
            "| {name} | {} | {} | {:.1} ms | {:.1} | {:.0} ns | {:.0} ns | {:.2} M | {:.2} M | {:.1} µs | {:.0}× |",
            index.len(),
            index.vertex_count(),
            build.as_secs_f64() * 1e3,
            bytes as f64 / index.vertex_count() as f64,
            p50,
            p99,
            one / 1e6,
            two / 1e6,
            lp50 / 1e3,
            lp50 / p50
        );
    }
}
