//! The phone core's cost per event with a full cache: a cadre's phone
//! holding 1,000 or 10,000 cases. Measured through the same `update` and
//! `view` the shells call, and the bytes of the view model as they cross the
//! FFI (crux's bridge, bincode and JSON). Run: `cargo bench -p gridline-core`.

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use crux_core::bridge::{Bridge, JsonFfiFormat};
use crux_core::{App, Core};
use gridline_core::app::fixtures::{page, phone, pull_answer};
use gridline_core::app::model::Phase;
use gridline_core::app::{Event, Gridline, Route};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let app = Gridline;
    let mut g = c.benchmark_group("core");
    for n in [1_000u64, 10_000] {
        let base = phone(n);
        let some_case = base
            .cache
            .cases
            .keys()
            .nth(usize::try_from(n / 2).unwrap_or(0))
            .cloned()
            .unwrap_or_default();

        // The home screen: every open case, sorted by deadline, in words.
        g.bench_function(BenchmarkId::new("view_home", n), |b| {
            b.iter(|| black_box(app.view(&base)));
        });
        // A tap: open a case and draw it; then back home and draw that.
        let mut m = phone(n);
        g.bench_function(BenchmarkId::new("open_case_and_back", n), |b| {
            b.iter(|| {
                drop(app.update(
                    Event::Open {
                        route: Route::Case {
                            id: some_case.clone(),
                        },
                    },
                    &mut m,
                ));
                black_box(app.view(&m));
                drop(app.update(Event::Back, &mut m));
                black_box(app.view(&m));
            });
        });
        // A pull page of 500 changed cases arriving (each page a higher
        // revision, so every row is applied): JSON parsed, rows applied,
        // storage writes and the next step queued.
        let mut rev = 1;
        g.bench_function(BenchmarkId::new("apply_pull_page_500", n), |b| {
            b.iter_batched(
                || {
                    rev += 1;
                    page(0, 500, rev)
                },
                |body| {
                    m.run.phase = Phase::Pulling;
                    let ev = pull_answer(&m, body);
                    drop(app.update(ev, &mut m));
                },
                BatchSize::LargeInput,
            );
        });
        assert!(
            m.cache.cases.values().any(|c| c.rev == rev),
            "the pages were applied"
        );
        // The view model over crux's bridge, as the shells receive it.
        let bridge: Bridge<Gridline> = Bridge::new(Core::new_with(Gridline, phone(n)));
        let json: Bridge<Gridline, JsonFfiFormat> = Bridge::new(Core::new_with(Gridline, phone(n)));
        let mut out = Vec::new();
        g.bench_function(BenchmarkId::new("view_over_bridge_bincode", n), |b| {
            b.iter(|| {
                out.clear();
                bridge.view(&mut out).ok();
                black_box(out.len())
            });
        });
        let mut bytes = Vec::new();
        bridge.view(&mut bytes).ok();
        let mut json_bytes = Vec::new();
        json.view(&mut json_bytes).ok();
        let listed = match app.view(&base).screen {
            gridline_core::app::view::Screen::Home(h) => h.cases.len(),
            _ => 0,
        };
        println!(
            "view model at home with {n} cached cases ({listed} listed): {} bytes bincode, {} bytes JSON",
            bytes.len(),
            json_bytes.len()
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
