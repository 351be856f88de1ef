//! The bridge as the shells use it, from Rust: an event in as bytes, the
//! effect requests out as bytes, and the view model's bytes, on a village
//! cadre's phone holding 1,000 cases (launched from its storage, offline).
//! Run: `cargo bench -p gridline-mobile`. The same from Python:
//! `mobile-bindings/python/bench_ffi.py`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crux_core::bridge::Request;
use crux_http::HttpError;
use crux_http::protocol::HttpResult;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use crux_time::{TimeRequest, TimeResponse};
use gridline_core::app::fixtures::{NOW, phone, storage};
use gridline_core::app::{EffectFfi, Event, Route};
use gridline_mobile::CoreFFI;
use std::collections::BTreeMap;
use std::hint::black_box;

fn bytes<T: serde::Serialize>(v: &T) -> Vec<u8> {
    bincode::serialize(v).unwrap_or_default()
}

/// Answers what a launch asks: storage from `kv`, the clock, and no network.
fn launch(core: &CoreFFI, kv: &BTreeMap<String, Vec<u8>>) {
    let start = Event::Start {
        platform: "other".into(),
        app_version: "bench".into(),
    };
    let mut queue: Vec<Request<EffectFfi>> =
        bincode::deserialize(&core.update(bytes(&start)).unwrap_or_default()).unwrap_or_default();
    while let Some(r) = queue.pop() {
        let answer = match r.effect {
            EffectFfi::KeyValue(KeyValueOperation::Get { key }) => bytes(&KeyValueResult::Ok {
                response: KeyValueResponse::Get {
                    value: kv.get(&key).cloned().into(),
                },
            }),
            EffectFfi::KeyValue(KeyValueOperation::ListKeys { prefix, .. }) => {
                bytes(&KeyValueResult::Ok {
                    response: KeyValueResponse::ListKeys {
                        keys: kv
                            .keys()
                            .filter(|k| k.starts_with(&prefix))
                            .cloned()
                            .collect(),
                        next_cursor: 0,
                    },
                })
            }
            EffectFfi::KeyValue(KeyValueOperation::Set { .. }) => bytes(&KeyValueResult::Ok {
                response: KeyValueResponse::Set {
                    previous: None.into(),
                },
            }),
            EffectFfi::Time(TimeRequest::Now) => {
                let ms = u64::try_from(NOW).unwrap_or(0);
                bytes(&TimeResponse::Now {
                    instant: crux_time::Instant::new(ms / 1000, 0),
                })
            }
            EffectFfi::Http(_) => bytes(&HttpResult::Err(HttpError::Io("offline".into()))),
            _ => continue,
        };
        if let Ok(out) = core.resolve(r.id.0, answer) {
            queue.extend(bincode::deserialize::<Vec<Request<EffectFfi>>>(&out).unwrap_or_default());
        }
    }
}

fn bench(c: &mut Criterion) {
    let n = 1_000u64;
    let model = phone(n);
    let some_case = model
        .cache
        .cases
        .keys()
        .nth(500)
        .cloned()
        .unwrap_or_default();
    let kv = storage(&model);
    let core = CoreFFI::new();
    launch(&core, &kv);
    assert!(
        core.view().unwrap_or_default().len() > 10_000,
        "the launch read the cached cases back"
    );
    let open = bytes(&Event::Open {
        route: Route::Case { id: some_case },
    });
    let back = bytes(&Event::Back);
    let mut g = c.benchmark_group("ffi");
    // One event each way: the bytes in, the core's update, the requests out.
    g.bench_function(BenchmarkId::new("update_open_case_then_back", n), |b| {
        b.iter(|| {
            black_box(core.update(open.clone()).ok());
            black_box(core.update(back.clone()).ok());
        });
    });
    g.bench_function(BenchmarkId::new("view_home", n), |b| {
        b.iter(|| black_box(core.view().map(|v| v.len()).ok()));
    });
    g.finish();
    let view = core.view().unwrap_or_default();
    let requests = core.update(open).unwrap_or_default();
    println!(
        "through the FFI with {n} cached cases: view model at home {} bytes; an Open event's requests {} bytes",
        view.len(),
        requests.len()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
