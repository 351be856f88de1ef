//! Criterion: mean time of one point assignment, through the index and
//! through a plain linear scan of every polygon (the baseline).

#![allow(clippy::unwrap_used)]

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let counties = common::counties();
    let datasets = [
        ("shandan_225", common::shandan_grids()),
        ("counties_2884", common::county_grids(&counties)),
        ("generated_115k", common::generated_grids(&counties, 40)),
    ];
    let mut group = c.benchmark_group("assign");
    for (name, grids) in &datasets {
        let index = common::build(grids);
        let points = common::queries(&index, 4096, 1);
        let mut i = 0usize;
        group.bench_function(BenchmarkId::new("rtree", name), |b| {
            b.iter(|| {
                i = (i + 1) % points.len();
                let [lon, lat] = points[i];
                black_box(index.locate(black_box(lon), black_box(lat)))
            });
        });
        group.bench_function(BenchmarkId::new("linear_scan", name), |b| {
            b.iter(|| {
                i = (i + 1) % points.len();
                let [lon, lat] = points[i];
                black_box(index.locate_linear(black_box(lon), black_box(lat)))
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
