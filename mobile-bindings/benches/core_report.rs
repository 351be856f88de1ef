//! The phone core as the shells call it, in one Markdown report for
//! docs/BENCHMARKS.md: a village cadre's phone holding 1,000 and 10,000
//! cases (`gridline_core::app::fixtures`), launched offline from its storage
//! through `CoreFFI` (bytes in, bytes out), beside the core alone; the same
//! calls from Python through the uniffi module (`python/bench_ffi.py
//! --json`, run as a subprocess on the cdylib this build made); and the
//! core's heap, counted by this program's allocator, beside the bytes it
//! was launched from.
//!
//!     cargo bench -q -p gridline-mobile --bench core_report
//!
//! Markdown on stdout, progress on stderr. `GRIDLINE_BENCH_QUICK=1` makes a
//! tenth of the calls. `GRIDLINE_MOBILE_LIB` overrides the library Python
//! loads (by default the one beside this program, in `release/deps`).

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]
// A counting allocator needs `unsafe impl GlobalAlloc`; it only forwards.
#![allow(unsafe_code)]

#[path = "common/storage_file.rs"]
mod storage_file;

use crux_core::App;
use crux_core::bridge::Request;
use crux_http::HttpError;
use crux_http::protocol::{HttpResponse, HttpResult};
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use crux_time::{TimeRequest, TimeResponse};
use gridline_core::app::fixtures::{NOW, page, phone, pull_answer, storage};
use gridline_core::app::model::Phase;
use gridline_core::app::view::Screen;
use gridline_core::app::{EffectFfi, Event, Gridline, Route};
use gridline_mobile::CoreFFI;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

// ---- the heap, counted

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are only arithmetic on the sizes it is given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Starts a new peak from the heap now; returns the heap now.
fn reset_peak() -> usize {
    let now = live();
    PEAK.store(now, Ordering::Relaxed);
    now
}

// ---- timing

/// How many calls each row times.
struct Plan {
    quick: bool,
    events: usize,
    views_1k: usize,
    views_10k: usize,
    pulls: usize,
    /// Untimed calls before the views and pulls, and before the events.
    warm_up: usize,
    warm_up_events: usize,
}

impl Plan {
    fn new(quick: bool) -> Self {
        let scale = if quick { 10 } else { 1 };
        Self {
            quick,
            events: 20_000 / scale,
            views_1k: 1_000 / scale,
            views_10k: 300 / scale,
            pulls: 200 / scale,
            warm_up: 3,
            warm_up_events: 1_000 / scale,
        }
    }
    fn views(&self, cases: u64) -> usize {
        if cases > 1_000 {
            self.views_10k
        } else {
            self.views_1k
        }
    }
}

/// Median and p99 of single calls, in µs.
#[derive(Clone, Copy)]
struct Stats {
    median_us: f64,
    p99_us: f64,
}

impl Stats {
    fn of(mut us: Vec<f64>) -> Self {
        us.sort_by(f64::total_cmp);
        let at = |p: f64| us[((us.len() - 1) as f64 * p).round() as usize];
        Self {
            median_us: at(0.5),
            p99_us: at(0.99),
        }
    }
}

/// The µs `f` takes.
fn clock(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e6
}

/// Runs `a` and `b` in turn, `warm_up` times each untimed and then `n`
/// times each, so both see the same machine (other work on it comes and
/// goes); each returns the µs of the part it times.
fn alternate(
    n: usize,
    warm_up: usize,
    mut a: impl FnMut() -> f64,
    mut b: impl FnMut() -> f64,
) -> (Stats, Stats) {
    for _ in 0..warm_up {
        a();
        b();
    }
    let (mut us_a, mut us_b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        us_a.push(a());
        us_b.push(b());
    }
    (Stats::of(us_a), Stats::of(us_b))
}

// ---- the shell, in Rust

fn bytes<T: serde::Serialize>(v: &T) -> Vec<u8> {
    bincode::serialize(v).unwrap()
}

fn json_response(body: Vec<u8>) -> HttpResult {
    HttpResult::Ok(
        HttpResponse::status(200)
            .header("content-type", "application/json")
            .body(body)
            .build(),
    )
}

/// What the shell's answers to a batch of requests left behind.
#[derive(Default)]
struct Drained {
    /// The pull it holds for the bench to answer.
    pull: Option<u32>,
    /// Storage writes answered.
    writes: usize,
}

/// Runs the effects in `requests` and all they lead to, as a shell out of
/// coverage does: storage read from `kv` (writes answered, not kept), the
/// clock at the fixtures' `NOW`, the departments empty, and every other
/// HTTP request failing, except a pull when `hold_pull`, which is kept
/// unanswered. Timers and renders need no answer.
fn run(
    core: &CoreFFI,
    kv: &BTreeMap<String, Vec<u8>>,
    requests: &[u8],
    hold_pull: bool,
) -> Drained {
    let mut drained = Drained::default();
    let mut queue: Vec<Request<EffectFfi>> = bincode::deserialize(requests).unwrap();
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
            EffectFfi::KeyValue(KeyValueOperation::Set { .. }) => {
                drained.writes += 1;
                bytes(&KeyValueResult::Ok {
                    response: KeyValueResponse::Set {
                        previous: None.into(),
                    },
                })
            }
            EffectFfi::Time(TimeRequest::Now) => bytes(&TimeResponse::Now {
                instant: crux_time::Instant::new(u64::try_from(NOW).unwrap() / 1000, 0),
            }),
            EffectFfi::Http(req) if req.url.contains("/v1/departments") => {
                bytes(&json_response(b"[]".to_vec()))
            }
            EffectFfi::Http(req) if hold_pull && req.url.contains("/v1/sync/pull") => {
                drained.pull = Some(r.id.0);
                continue;
            }
            EffectFfi::Http(_) => bytes(&HttpResult::Err(HttpError::Io("offline".into()))),
            _ => continue,
        };
        let next = core.resolve(r.id.0, answer).unwrap();
        queue.extend(bincode::deserialize::<Vec<Request<EffectFfi>>>(&next).unwrap());
    }
    drained
}

// ---- one phone

/// Everything measured on a phone holding `cases` cases.
struct Phone {
    cases: u64,
    listed: usize,
    stored_bytes: usize,
    file_bytes: usize,
    heap_after_launch: usize,
    view_bytes: usize,
    answer_bytes: usize,
    pull_peak_above: usize,
    ffi: Calls,
    core_alone: Calls,
}

/// One event (open a case, or back), the home view, a pull page applied.
struct Calls {
    event: Stats,
    view: Stats,
    pull: Stats,
}

/// The pull page every row applies: cases 0..500 at revision 2, over a
/// cache at revision 1 (a row is skipped only when the phone holds a
/// higher revision, so each time every row is parsed, applied and written).
fn pull_body() -> Vec<u8> {
    page(0, 500, 2)
}

fn measure(cases: u64, plan: &Plan, storage_out: Option<&Path>) -> Phone {
    eprintln!("core_report: {cases} cases: filling the phone");
    let app = Gridline;
    let mut model = phone(cases);
    let listed = match app.view(&model).screen {
        Screen::Home(h) => h.cases.len(),
        _ => 0,
    };
    let some_case = model
        .cache
        .cases
        .keys()
        .nth(usize::try_from(cases / 2).unwrap())
        .cloned()
        .unwrap();
    let kv = storage(&model);
    let stored_bytes = kv.iter().map(|(k, v)| k.len() + v.len()).sum();
    let file = storage_file::to_json(&kv);
    if let Some(path) = storage_out {
        std::fs::write(path, &file).unwrap();
    }
    let file_bytes = file.len();
    drop(file);

    eprintln!("core_report: {cases} cases: launching CoreFFI from storage");
    let before = live();
    let core = CoreFFI::new();
    let start = bytes(&Event::Start {
        platform: "other".into(),
        app_version: "bench".into(),
    });
    run(&core, &kv, &core.update(start).unwrap(), false);
    let heap_after_launch = live() - before;
    let view_bytes = core.view().unwrap().len();
    assert!(view_bytes > 10_000, "the launch read the cached cases back");

    eprintln!("core_report: {cases} cases: events, views, pull pages");
    // Each row: a call through CoreFFI, then the same in the core alone.
    let open = |id: &str| Event::Open {
        route: Route::Case { id: id.to_owned() },
    };
    let mut ffi_events = [bytes(&open(&some_case)), bytes(&Event::Back)]
        .into_iter()
        .cycle();
    let mut back = false;
    let (ffi_event, alone_event) = alternate(
        plan.events,
        plan.warm_up_events,
        || {
            let event = ffi_events.next().unwrap();
            clock(|| {
                black_box(core.update(event).unwrap());
            })
        },
        || {
            back = !back;
            let event = if back { open(&some_case) } else { Event::Back };
            clock(|| drop(black_box(app.update(event, &mut model))))
        },
    );
    let (ffi_view, alone_view) = alternate(
        plan.views(cases),
        plan.warm_up,
        || {
            clock(|| {
                black_box(core.view().unwrap());
            })
        },
        || {
            clock(|| {
                black_box(app.view(&model));
            })
        },
    );

    // Over CoreFFI: `SyncNow` makes a pull, the shell holds it, the bench
    // answers it (timed), then the shell answers the storage writes.
    let body = pull_body();
    let answer = bytes(&json_response(body.clone()));
    let sync_now = bytes(&Event::SyncNow);
    let mut pull_peak_above = 0;
    let (ffi_pull, alone_pull) = alternate(
        plan.pulls,
        plan.warm_up,
        || {
            let requests = core.update(sync_now.clone()).unwrap();
            let pull = run(&core, &kv, &requests, true).pull;
            let pull = pull.expect("SyncNow made a pull");
            let input = answer.clone();
            let heap_before = reset_peak();
            let mut out = Vec::new();
            let us = clock(|| out = core.resolve(pull, input).unwrap());
            pull_peak_above = pull_peak_above.max(PEAK.load(Ordering::Relaxed) - heap_before);
            let drained = run(&core, &kv, &out, false);
            assert!(drained.writes > 500, "every row of the page was written");
            us
        },
        || {
            model.run.phase = Phase::Pulling;
            let event = pull_answer(&model, body.clone());
            clock(|| drop(app.update(event, &mut model)))
        },
    );
    assert!(
        model.cache.cases.values().any(|c| c.rev == 2),
        "the pages were applied"
    );

    Phone {
        cases,
        listed,
        stored_bytes,
        file_bytes,
        heap_after_launch,
        view_bytes,
        answer_bytes: answer.len(),
        pull_peak_above,
        ffi: Calls {
            event: ffi_event,
            view: ffi_view,
            pull: ffi_pull,
        },
        core_alone: Calls {
            event: alone_event,
            view: alone_view,
            pull: alone_pull,
        },
    }
}

// ---- the same from Python

/// The library this build made, for Python to load: `GRIDLINE_MOBILE_LIB`
/// if set, else the cdylib cargo built beside this program (`cargo bench`
/// leaves it in `release/deps` and does not copy it up to `release`).
fn mobile_lib() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("GRIDLINE_MOBILE_LIB") {
        return Ok(PathBuf::from(p));
    }
    let name = format!(
        "{}gridline_mobile{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let deps = exe.parent().ok_or("no directory for this program")?;
    let lib = deps.join(&name);
    if lib.exists() {
        Ok(lib)
    } else {
        Err(format!(
            "no {name} beside this program in {}",
            deps.display()
        ))
    }
}

/// What `bench_ffi.py --json` printed, or why there is nothing.
fn python(storage: &Path, page_file: &Path, quick: bool) -> Result<serde_json::Value, String> {
    let lib = mobile_lib()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/bench_ffi.py");
    eprintln!(
        "core_report: python3 {} with {}",
        script.display(),
        lib.display()
    );
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(&script)
        .arg(storage)
        .arg("--json")
        .arg(page_file)
        .env("GRIDLINE_MOBILE_LIB", &lib);
    if quick {
        cmd.env("GRIDLINE_BENCH_QUICK", "1");
    }
    let out = cmd
        .output()
        .map_err(|e| format!("python3 could not be run: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    if !out.status.success() {
        let last = stderr.lines().last().unwrap_or("no message");
        return Err(format!("bench_ffi.py failed ({}): {last}", out.status));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("bench_ffi.py printed no JSON: {e}"))
}

// ---- the report

fn time(us: f64) -> String {
    if us < 10.0 {
        format!("{us:.2} µs")
    } else if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 10_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.1} ms", us / 1e3)
    }
}

fn cell(s: Stats) -> String {
    format!("{} ({})", time(s.median_us), time(s.p99_us))
}

fn size(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}

fn ratio(a: f64, b: f64) -> String {
    let r = a / b;
    if r < 10.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.0}×")
    }
}

fn print_rust(small: &Phone, large: &Phone) {
    println!(
        "**Through `CoreFFI` from Rust**, as the shells call it (an event's bincode in, the effect requests' bincode out; the view model's bincode out), beside the core alone (`App::update` and `App::view` on the model: no bridge, no bytes). Median (p99) of single calls."
    );
    println!();
    println!(
        "| per call | {} cases, `CoreFFI` | {} cases, core alone | {} cases, `CoreFFI` | {} cases, core alone | `CoreFFI`, {} ÷ {} |",
        thousands(small.cases),
        thousands(small.cases),
        thousands(large.cases),
        thousands(large.cases),
        thousands(large.cases),
        thousands(small.cases),
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |what: &str, pick: fn(&Calls) -> Stats| {
        println!(
            "| {what} | {} | {} | {} | {} | {} |",
            cell(pick(&small.ffi)),
            cell(pick(&small.core_alone)),
            cell(pick(&large.ffi)),
            cell(pick(&large.core_alone)),
            ratio(pick(&large.ffi).median_us, pick(&small.ffi).median_us),
        );
    };
    row("one event: open a case, or back", |c| c.event);
    row("the view model at home", |c| c.view);
    row(
        "a pull page of 500 changed cases applied: the answer in, the storage writes out",
        |c| c.pull,
    );
    println!(
        "| view model size at home (bincode) | {} ({} listed) | | {} ({} listed) | | {} |",
        size(small.view_bytes),
        small.listed,
        size(large.view_bytes),
        large.listed,
        ratio(large.view_bytes as f64, small.view_bytes as f64),
    );
    println!();
}

fn print_python(small: &Phone, py: &Result<serde_json::Value, String>) {
    let none = serde_json::Value::Null;
    let v = py.as_ref().unwrap_or(&none);
    let stats = |key: &str| {
        Some(Stats {
            median_us: v[key]["median_us"].as_f64()?,
            p99_us: v[key]["p99_us"].as_f64()?,
        })
    };
    let n = |key: &str| thousands(v[key]["n"].as_u64().unwrap_or(0));
    match py {
        Ok(v) => println!(
            "**From Python {}** through the uniffi module (ctypes), the same calls on the same phone launched from the same storage; Python's shell answers the clock with the real time, so deadlines are worded differently. Median (p99) of single calls: {} events, {} views, {} views read into Python values, {} pull pages.",
            v["python"].as_str().unwrap_or("?"),
            n("update"),
            n("view"),
            n("view_decoded"),
            n("pull"),
        ),
        Err(why) => println!("**From Python**: not measured: {why}."),
    }
    println!();
    println!(
        "| {} cached cases | from Rust | from Python | Python ÷ Rust |",
        thousands(small.cases)
    );
    println!("|---|---:|---:|---:|");
    // `in_rust` false: Rust has no such step; the ratio is to its bytes.
    let row = |what: &str, rust: Stats, in_rust: bool, python: Option<Stats>| {
        let Some(python) = python else {
            let rust = if in_rust { cell(rust) } else { String::new() };
            println!("| {what} | {rust} | not measured | |");
            return;
        };
        let times = ratio(python.median_us, rust.median_us);
        if in_rust {
            println!("| {what} | {} | {} | {times} |", cell(rust), cell(python));
        } else {
            println!(
                "| {what} | | {} | {times} the bytes from Rust |",
                cell(python)
            );
        }
    };
    row(
        "one event round trip (open a case, or back): bytes in, requests out",
        small.ffi.event,
        true,
        stats("update"),
    );
    row(
        "the same, with the event written and the requests read in Python",
        small.ffi.event,
        false,
        stats("update_in_python"),
    );
    row(
        "view model at home, bytes",
        small.ffi.view,
        true,
        stats("view"),
    );
    row(
        "view model at home, read into Python values (the schema-driven decoder)",
        small.ffi.view,
        false,
        stats("view_decoded"),
    );
    row(
        &format!(
            "a pull page of 500 changed cases applied: `resolve` with the answer ({}), requests out",
            size(small.answer_bytes)
        ),
        small.ffi.pull,
        true,
        stats("pull"),
    );
    let rust_view = format!("{} ({} listed)", size(small.view_bytes), small.listed);
    match v["view_bytes"].as_u64() {
        Some(py_view) => println!(
            "| view model size at home | {rust_view} | {} ({} listed) | {} |",
            size(usize::try_from(py_view).unwrap()),
            v["listed"].as_u64().unwrap_or(0),
            ratio(py_view as f64, small.view_bytes as f64),
        ),
        None => println!("| view model size at home | {rust_view} | not measured | |"),
    }
    println!();
}

fn print_memory(phones: &[&Phone]) {
    println!(
        "**Core memory**, counted by this program's allocator: the live heap `CoreFFI` holds once launched from storage (the bridge, the model with every cached case), beside the bytes it was launched from."
    );
    println!();
    print!("| launched from storage |");
    for p in phones {
        print!(" {} cached cases |", thousands(p.cases));
    }
    println!();
    println!("|---|{}", "---:|".repeat(phones.len()));
    let row = |what: &str, f: &dyn Fn(&Phone) -> String| {
        print!("| {what} |");
        for p in phones {
            print!(" {} |", f(p));
        }
        println!();
    };
    row("live heap after the launch", &|p| size(p.heap_after_launch));
    row("per cached case", &|p| {
        size(p.heap_after_launch / usize::try_from(p.cases).unwrap())
    });
    row(
        "stored data: keys and values as the phone's storage holds them (JSON)",
        &|p| size(p.stored_bytes),
    );
    row("live heap ÷ stored data", &|p| {
        ratio(p.heap_after_launch as f64, p.stored_bytes as f64)
    });
    row(
        "the storage file the Python bench reads (values in hex, so twice the bytes)",
        &|p| size(p.file_bytes),
    );
    row(
        "peak during a pull page apply, above the heap before the call (the answer's bytes not counted)",
        &|p| size(p.pull_peak_above),
    );
    row(
        "the pull page's answer, as handed to `resolve` (bincode around 500 cases of JSON)",
        &|p| size(p.answer_bytes),
    );
    println!();
}

fn thousands(n: impl Into<u64>) -> String {
    let s = n.into().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

/// The 1-minute load average: other work on the machine.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench asks benches to list themselves
    }
    let quick = std::env::var_os("GRIDLINE_BENCH_QUICK").is_some();
    let plan = Plan::new(quick);
    let began = Instant::now();
    let load_at_start = load_average();
    let dir = std::env::temp_dir().join(format!("gridline-core-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let storage_1k = dir.join("phone-1000.json");
    let page_file = dir.join("pull-page.json");
    std::fs::write(&page_file, pull_body()).unwrap();

    let small = measure(1_000, &plan, Some(&storage_1k));
    let large = measure(10_000, &plan, None);
    let py = python(&storage_1k, &page_file, quick);
    if let Err(why) = &py {
        eprintln!("core_report: no Python figures: {why}");
    }
    std::fs::remove_dir_all(&dir).ok();

    println!(
        "*Phone core: {} run on {} CPUs ({}), {} profile, 1-minute load average {load_at_start} at the start and {} at the end; a village cadre's phone launched offline from its storage; {} single events, {} views at 1,000 cases and {} at 10,000, {} pull pages, after {} untimed calls ({} before the events), each call timed alone with `Instant`, the call through `CoreFFI` and the core alone's in turn; {:.0} s in all.*",
        if plan.quick {
            "quick (GRIDLINE_BENCH_QUICK=1)"
        } else {
            "full"
        },
        std::thread::available_parallelism().map_or(1, usize::from),
        cpu_model().unwrap_or_else(|| "model unknown".into()),
        if cfg!(debug_assertions) {
            "debug (figures not meaningful)"
        } else {
            "release"
        },
        load_average(),
        thousands(u64::try_from(plan.events).unwrap()),
        thousands(u64::try_from(plan.views_1k).unwrap()),
        thousands(u64::try_from(plan.views_10k).unwrap()),
        plan.pulls,
        plan.warm_up,
        thousands(u64::try_from(plan.warm_up_events).unwrap()),
        began.elapsed().as_secs_f64(),
    );
    println!();
    print_rust(&small, &large);
    print_python(&small, &py);
    print_memory(&[&small, &large]);
    println!(
        "The pull page is cases 0–499 at revision 2 over a cache at revision 1, the same page each time: a row is skipped only when the phone holds a higher revision, so every row is parsed, applied and written each time (over `CoreFFI` the 500 storage writes are answered after the clock stops). The core alone's model is filled by pull pages, as in `cargo bench -p gridline-core --bench app`; the one in `CoreFFI` was read back from storage at launch: the same cases, laid out differently in memory. KB and MB are 1,000 and 1,000,000 bytes. The allocator counts every allocation of this program, so timings include its two atomic additions per allocation."
    );
}
