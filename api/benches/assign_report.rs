//! The figures criterion does not give: per-lookup p50/p99, lookups per
//! second on one and on both cores, index memory per vertex (counted by the
//! allocator), each beside its peers from the same run: the same points
//! through a linear scan, and through PostGIS (`ST_Contains` with a GiST
//! index on the same polygons, over loopback TCP). Four datasets, uniform and
//! clustered points. Prints Markdown tables for docs/BENCHMARKS.md on stdout,
//! progress on stderr.
//!
//!     cargo bench -p gridline-api --bench assign_report
//!
//! PostGIS runs on the server in `GRIDLINE_TEST_DATABASE_URL`, or on a
//! throw-away cluster from `scripts/pg` (PostGIS installed by `scripts/pg
//! postgis` if missing). `GRIDLINE_BENCH_QUICK=1`: fewer points, no (d).

#![allow(clippy::unwrap_used)]
// A counting allocator needs `unsafe impl GlobalAlloc`; it only forwards.
#![allow(unsafe_code)]

mod common;
#[path = "common/postgis.rs"]
mod postgis;

use gridline_api::spatial::index::{Assignment, GridIndex, Rings};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
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

/// Grids per county in datasets (c) and (d).
const SPLIT_C: usize = 40;
const SPLIT_D: usize = 175;
/// Clustered points: this many hotspots, this spread (degrees) round each.
const HOTSPOTS: usize = 50;
const SIGMA_DEG: f64 = 0.03;

/// How many points each method gets per point set.
struct Sizes {
    /// The index: every point, timed one by one and then in batches.
    local: usize,
    /// The linear scan, a prefix of the same points (it is slow).
    linear_small: usize,
    linear_large: usize,
    /// PostGIS, a prefix of the same points, after `warm_up` of them.
    postgis: usize,
    warm_up: usize,
    /// Whether (d) runs.
    with_d: bool,
}

impl Sizes {
    fn new(quick: bool) -> Self {
        Self {
            local: if quick { 20_000 } else { 1_000_000 },
            linear_small: 20_000,
            linear_large: 2_000,
            postgis: if quick { 2_000 } else { 20_000 },
            warm_up: if quick { 200 } else { 2_000 },
            with_d: !quick,
        }
    }

    fn linear(&self, grids: usize) -> usize {
        if grids > 10_000 {
            self.linear_large
        } else {
            self.linear_small
        }
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize] as f64
}

/// The index's figures for one point set.
struct Local {
    p50_ns: f64,
    p99_ns: f64,
    one_thread: f64,
    two_threads: f64,
    inside: f64,
}

fn measure_local(index: &GridIndex<u32>, points: &[[f64; 2]]) -> Local {
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

    // Throughput: the whole batch, then the same split over two threads.
    let t = Instant::now();
    for &[lon, lat] in points {
        black_box(index.locate(lon, lat));
    }
    let one_thread = points.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    std::thread::scope(|s| {
        for half in points.chunks(points.len().div_ceil(2)) {
            s.spawn(move || {
                for &[lon, lat] in half {
                    black_box(index.locate(lon, lat));
                }
            });
        }
    });
    let two_threads = points.len() as f64 / t.elapsed().as_secs_f64();

    let inside = points
        .iter()
        .filter(|&&[lon, lat]| matches!(index.locate(lon, lat), Assignment::Inside(_)))
        .count();
    Local {
        p50_ns: percentile(&lat, 0.5),
        p99_ns: percentile(&lat, 0.99),
        one_thread,
        two_threads,
        inside: inside as f64 / points.len() as f64,
    }
}

/// p50 of the linear scan over `sample`, in nanoseconds; checks on the way
/// that it finds the index's grid for every point inside one.
fn linear_p50(index: &GridIndex<u32>, sample: &[[f64; 2]]) -> f64 {
    let mut lat: Vec<u64> = sample
        .iter()
        .map(|&[lon, lat]| {
            let t = Instant::now();
            black_box(index.locate_linear(lon, lat));
            t.elapsed().as_nanos() as u64
        })
        .collect();
    lat.sort_unstable();
    for &[lon, lat] in sample {
        if let Assignment::Inside(g) = index.locate(lon, lat) {
            assert_eq!(Some(g), index.locate_linear(lon, lat));
        }
    }
    percentile(&lat, 0.5)
}

/// The process's peak resident memory so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The first three fields of /proc/loadavg, or "?" off Linux.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "?".to_owned(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// A dataset: its name and how to make it (made only when its turn comes,
/// so that at most one generated set is in memory at a time).
type Dataset<'a> = (&'static str, Box<dyn Fn() -> Vec<Rings> + 'a>);

/// Markdown rows, one table per question.
#[derive(Default)]
struct Report {
    datasets: String,
    lookups: String,
    notes: Vec<String>,
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench asks benches to list themselves
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let sizes = Sizes::new(quick);
    let run = Instant::now();
    let load_at_start = load_average();
    let pg = postgis::PostGis::start();
    eprintln!("{} ready", pg.version);

    let t = Instant::now();
    let counties = common::counties();
    eprintln!("read counties in {:.1} s", t.elapsed().as_secs_f64());
    let mut datasets: Vec<Dataset> = vec![
        ("(a) Shandan, 225 grids", Box::new(common::shandan_grids)),
        (
            "(b) 2,884 real counties",
            Box::new(|| common::county_grids(&counties)),
        ),
        (
            "(c) every county split in 40",
            Box::new(|| common::generated_grids(&counties, SPLIT_C)),
        ),
    ];
    if sizes.with_d {
        datasets.push((
            "(d) every county split in 175",
            Box::new(|| common::generated_grids(&counties, SPLIT_D)),
        ));
    }

    let mut report = Report::default();
    for (name, make) in &datasets {
        run_dataset(name, make, &sizes, &pg, &mut report);
    }
    if let Some(peak) = peak_rss() {
        report.notes.push(format!(
            "Peak resident memory of the bench process: {:.1} GB.",
            peak as f64 / 1e9
        ));
    }
    // Anything else busy on the two cores shows in every figure: say so.
    report.notes.push(format!(
        "Whole run: {:.1} min; load average (1, 5, 15 min) {load_at_start} at the start, {} at the end.",
        run.elapsed().as_secs_f64() / 60.0,
        load_average()
    ));
    print_report(&report, &sizes, quick, &pg.version);
}

fn run_dataset(
    name: &str,
    make: &dyn Fn() -> Vec<Rings>,
    sizes: &Sizes,
    pg: &postgis::PostGis,
    report: &mut Report,
) {
    let (before, t) = (LIVE.load(Ordering::Relaxed), Instant::now());
    let grids = make();
    let made = t.elapsed().as_secs_f64();
    let rings_bytes = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    eprintln!(
        "{name}: {} grids made in {made:.1} s ({:.0} MB as rings)",
        grids.len(),
        rings_bytes as f64 / 1e6
    );
    if name.starts_with("(d)") {
        report.notes.push(format!(
            "(d) took {made:.0} s to generate ({} grids; {:.0} MB as plain rings before indexing).",
            grids.len(),
            rings_bytes as f64 / 1e6
        ));
    }

    let before = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    let index = common::build(&grids);
    let build = t.elapsed().as_secs_f64();
    let index_bytes = LIVE.load(Ordering::Relaxed) - before;
    let loaded = pg.load(&index, &grids);
    drop(grids);
    let vertices = index.vertex_count() as f64;
    eprintln!(
        "{name}: index built in {build:.2} s; PostGIS loaded and indexed in {:.1} s",
        loaded.seconds
    );
    let _ = writeln!(
        report.datasets,
        "| {name} | {} | {} | {:.1} ms | {:.1} | {:.1} s | {:.0} |",
        index.len(),
        index.vertex_count(),
        build * 1e3,
        index_bytes as f64 / vertices,
        loaded.seconds,
        loaded.bytes as f64 / vertices,
    );

    let point_sets = [
        ("uniform", common::queries(&index, sizes.local, 2)),
        (
            "clustered",
            common::clustered_queries(&index, sizes.local, HOTSPOTS, SIGMA_DEG, 3),
        ),
    ];
    for (kind, points) in &point_sets {
        let local = measure_local(&index, points);
        let linear = linear_p50(
            &index,
            &points[..sizes.linear(index.len()).min(points.len())],
        );
        let sample = &points[..sizes.postgis.min(points.len())];
        let answers = pg.answers(&index, sample, sizes.warm_up);
        // Only points on a shared edge may legitimately differ (PostGIS
        // gives a boundary point to no grid, the index to exactly one).
        assert!(
            answers.disagreements * 1000 < sample.len(),
            "{name}, {kind}: PostGIS and the index disagree on {} of {} points",
            answers.disagreements,
            sample.len()
        );
        let two = pg.throughput(sample, 2);
        let four = pg.throughput(sample, 4);
        let best = answers.per_second.max(two).max(four);
        let pg_p50 = percentile(&answers.latency_ns, 0.5);
        let pg_p99 = percentile(&answers.latency_ns, 0.99);
        let row = format!(
            "| {name} | {kind} | {:.1}% | {:.0} ns | {:.0} ns | {:.2} M | {:.2} M | {:.1} µs | {:.0}× | {:.0} µs | {:.0} µs | {:.1} k / {:.1} k / {:.1} k | {:.0}× | {:.0}× | {} of {} ({} overlaps) |",
            local.inside * 100.0,
            local.p50_ns,
            local.p99_ns,
            local.one_thread / 1e6,
            local.two_threads / 1e6,
            linear / 1e3,
            linear / local.p50_ns,
            pg_p50 / 1e3,
            pg_p99 / 1e3,
            answers.per_second / 1e3,
            two / 1e3,
            four / 1e3,
            pg_p50 / local.p50_ns,
            local.two_threads / best,
            answers.disagreements,
            sample.len(),
            answers.overlaps,
        );
        eprintln!("{row}");
        report.lookups.push_str(&row);
        report.lookups.push('\n');
    }
}

/// What the columns mean, printed under the tables.
const EXPLAINED: &[&str] = &[
    "Uniform points: a grid drawn at random, then a point uniform in its bounding box (most inside a grid, some just outside, which take the nearest-grid path). Clustered: 50 hotspots at the box centres of random grids, points gaussian round them with σ = 0.03° on each axis.",
    "p50/p99 time each lookup alone (two clock reads add about 20–40 ns); lookups/s run the batch on one thread, then split over both cores. Index bytes/vertex is what the allocator holds for the whole index; PostGIS bytes/vertex is pg_total_relation_size (table, TOAST, GiST index) per vertex.",
    "PostGIS: `SELECT id FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1,$2),4326)) LIMIT 1`, prepared, sqlx over loopback TCP; geometry(MultiPolygon, 4326) in an UNLOGGED table with a GiST index, polygons snapped to the index's 1e-7° so both test the same edges. p50/p99 and the 1-connection rate time each round trip from one connection after a warm-up; 2 and 4 connections are concurrent tokio tasks sharing the two cores with the server. A point outside every grid costs PostGIS an empty index probe but the index a nearest-grid search.",
    "vs linear (p50): linear scan p50 ÷ index p50. vs PostGIS (p50): PostGIS p50 ÷ index p50. vs PostGIS (throughput): index lookups/s on 2 threads ÷ PostGIS's best q/s over 1, 2 and 4 connections.",
    "Disagreements: points of the PostGIS sample where one side finds a grid and the other none, or PostGIS's grid does not contain the point by the index's test (the bench fails at 0.1%). Overlaps: the point lies in two grids (neighbouring counties overlap slightly, and so do grids cut from them) and each side picked a different one; not counted as disagreements.",
];

fn print_report(report: &Report, sizes: &Sizes, quick: bool, version: &str) {
    println!(
        "Point → grid assignment, {} run on {} cores: {} points per dataset and point set through the index, the first {} of them through PostGIS ({version}, loopback TCP) and the first {}/{} through the linear scan (under/over 10,000 grids).",
        if quick {
            "quick (GRIDLINE_BENCH_QUICK=1)"
        } else {
            "full"
        },
        std::thread::available_parallelism().map_or(1, usize::from),
        sizes.local,
        sizes.postgis,
        sizes.linear_small,
        sizes.linear_large,
    );
    println!();
    println!(
        "| dataset | grids | vertices | index build | index bytes/vertex | PostGIS load + GiST | PostGIS bytes/vertex |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    print!("{}", report.datasets);
    println!();
    println!(
        "| dataset | points | inside a grid | p50 | p99 | lookups/s, 1 thread | lookups/s, 2 threads | linear scan p50 | vs linear (p50) | PostGIS p50 | PostGIS p99 | PostGIS q/s, 1 / 2 / 4 conns | vs PostGIS (p50) | vs PostGIS (throughput) | PostGIS disagreements |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    print!("{}", report.lookups);
    println!();
    for note in EXPLAINED
        .iter()
        .copied()
        .map(str::to_owned)
        .chain(report.notes.iter().cloned())
    {
        println!("- {note}");
    }
}
