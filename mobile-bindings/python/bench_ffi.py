"""The bridge as the shells use it, from Python: an event in and its effect
requests out (with the bincode written and read in Python, as a shell
does), and the view model at home, on a village cadre's phone holding
1,000 cases, launched offline from its storage.

    cargo build -p gridline-mobile
    cargo run -p gridline-mobile --example phone_storage -- 1000 /tmp/phone.json
    GRIDLINE_MOBILE_LIB=.../libgridline_mobile.so python3 bench_ffi.py /tmp/phone.json

With `--json PAGE` after the storage file it prints one JSON object
instead, for `cargo bench -p gridline-mobile --bench core_report`, which
runs it: the median and p99 of single calls, and a pull page (the body of
a pull's answer, in file PAGE) applied through `resolve`.
`GRIDLINE_BENCH_QUICK=1` makes that a tenth of the calls.

    GRIDLINE_MOBILE_LIB=... python3 bench_ffi.py /tmp/phone.json --json /tmp/page.json
"""

import itertools
import json
import os
import shutil
import statistics
import sys
import time

from shell import PythonShell, load_bindings, schema


def per_call(f, rounds=7, calls=200):
    """Median over `rounds` of the mean time of `calls` calls, in µs."""
    means = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            f()
        means.append((time.perf_counter() - t) / calls * 1e6)
    return statistics.median(means)


def launch(ffi, types, path, shell_class=PythonShell):
    """A shell over a new core launched offline from the storage in `path`."""
    with open(path, encoding="utf-8") as f:
        stored = {k: bytes.fromhex(v) for k, v in json.load(f).items()}
    shell = shell_class(ffi, types)
    shell.kv = stored
    shell.online = False
    shell.send({"Start": {"platform": "other", "app_version": "bench"}})
    name, home = shell.screen()
    assert name == "Home", name
    cases = [k.rsplit("/", 1)[1] for k in stored if "/c/" in k]
    return shell, home, cases


def main():
    if len(sys.argv) > 2 and sys.argv[2] == "--json":
        return main_json(sys.argv[1], sys.argv[3])
    ffi = load_bindings(os.environ["GRIDLINE_MOBILE_LIB"])
    types = schema()
    shell, home, cases = launch(ffi, types, sys.argv[1])
    some = cases[len(cases) // 2]
    core = shell.core
    open_case = {"Open": {"route": {"Case": {"id": some}}}}

    def round_trip_raw():
        core.update(types.encode("Event", open_case))
        core.update(types.encode("Event", "Back"))

    def round_trip_decoded():
        types.decode("Requests", core.update(types.encode("Event", open_case)))
        types.decode("Requests", core.update(types.encode("Event", "Back")))

    view = core.view()
    print(f"{len(cases)} cached cases, {len(home['cases'])} listed at home, view model {len(view)} bytes")
    print(f"update (Open case, then Back), bytes only:      {per_call(round_trip_raw) / 2:8.1f} µs per event")
    print(f"update, with the event and requests in Python:  {per_call(round_trip_decoded) / 2:8.1f} µs per event")
    print(f"view at home, bytes only:                       {per_call(core.view, calls=50):8.1f} µs")
    print(f"view at home, read into Python values:          {per_call(lambda: types.decode('ViewModel', core.view()), calls=20):8.1f} µs")


# ---- --json: single calls timed, for core_report


class BenchShell(PythonShell):
    """Offline, except that the departments come back empty (so a sync
    round goes on to pull) and, when `hold_pull`, a pull is held for the
    bench to answer. Counts the storage writes."""

    hold_pull = False
    pull = None
    writes = 0

    def _http(self, rid, req):
        if "/v1/departments" in req["url"]:
            return "HttpResult", json_answer(b"[]")
        if self.hold_pull and "/v1/sync/pull" in req["url"]:
            self.pull = rid
            return None
        return super()._http(rid, req)

    def _keyvalue(self, rid, op):
        if "Set" in op:
            self.writes += 1
        return super()._keyvalue(rid, op)


def json_answer(body):
    return {
        "Ok": {
            "status": 200,
            "headers": [{"name": "content-type", "value": "application/json"}],
            "body": body,
        }
    }


def timed(f, n, warm_up):
    """Times `n` single calls of `f` after `warm_up` untimed ones, in µs."""
    for _ in range(warm_up):
        f()
    out = []
    clock = time.perf_counter_ns
    for _ in range(n):
        t = clock()
        f()
        out.append((clock() - t) / 1e3)
    return out


def summary(samples_us):
    s = sorted(samples_us)
    return {
        "n": len(s),
        "median_us": s[round((len(s) - 1) * 0.5)],
        "p99_us": s[round((len(s) - 1) * 0.99)],
    }


def main_json(storage_path, page_path):
    scale = 10 if os.environ.get("GRIDLINE_BENCH_QUICK") else 1
    ffi = load_bindings(os.environ["GRIDLINE_MOBILE_LIB"])
    types = schema()
    shell, home, cases = launch(ffi, types, storage_path, BenchShell)
    core = shell.core
    open_case = {"Open": {"route": {"Case": {"id": cases[len(cases) // 2]}}}}
    # Open a case, back, open, back...: each call one event.
    in_bytes = itertools.cycle([types.encode("Event", open_case), types.encode("Event", "Back")])
    in_python = itertools.cycle([open_case, "Back"])

    def one_event():
        core.update(next(in_bytes))

    def one_event_in_python():
        types.decode("Requests", core.update(types.encode("Event", next(in_python))))

    print(f"python: {len(cases)} cached cases, events", file=sys.stderr)
    update = timed(one_event, 20_000 // scale, 1_000 // scale)
    update_in_python = timed(one_event_in_python, 4_000 // scale, 200 // scale)
    print("python: view", file=sys.stderr)
    view = timed(core.view, 1_000 // scale, 50 // scale)
    view_decoded = timed(lambda: types.decode("ViewModel", core.view()), 200 // scale, 10 // scale)
    view_bytes = len(core.view())

    print("python: pull pages", file=sys.stderr)
    with open(page_path, "rb") as f:
        answer = types.encode("HttpResult", json_answer(f.read()))
    shell.hold_pull = True
    pull = []
    rounds = 100 // scale
    for i in range(rounds + 3):
        shell.send("SyncNow")
        rid, shell.pull = shell.pull, None
        assert rid is not None, "SyncNow made no pull"
        shell.writes = 0
        t = time.perf_counter_ns()
        out = core.resolve(rid, answer)
        dt = (time.perf_counter_ns() - t) / 1e3
        shell._run(out)
        assert shell.writes > 500, f"the page was not applied ({shell.writes} writes)"
        if i >= 3:
            pull.append(dt)

    # The copy of the library load_bindings made (it stays loaded).
    shutil.rmtree(os.path.dirname(ffi.__file__), ignore_errors=True)
    print(json.dumps({
        "python": sys.version.split()[0],
        "cases": len(cases),
        "listed": len(home["cases"]),
        "view_bytes": view_bytes,
        "answer_bytes": len(answer),
        "update": summary(update),
        "update_in_python": summary(update_in_python),
        "view": summary(view),
        "view_decoded": summary(view_decoded),
        "pull": summary(pull),
    }))


if __name__ == "__main__":
    main()
