"""The bridge as the shells use it, from Python: an event in and its effect
requests out (with the bincode written and read in Python, as a shell
does), and the view model at home, on a village cadre's phone holding
1,000 cases, launched offline from its storage.

    cargo build -p gridline-mobile
    cargo run -p gridline-mobile --example phone_storage -- 1000 /tmp/phone.json
    GRIDLINE_MOBILE_LIB=.../libgridline_mobile.so python3 bench_ffi.py /tmp/phone.json
"""

import json
import os
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


def main():
    ffi = load_bindings(os.environ["GRIDLINE_MOBILE_LIB"])
    types = schema()
    with open(sys.argv[1], encoding="utf-8") as f:
        stored = {k: bytes.fromhex(v) for k, v in json.load(f).items()}
    shell = PythonShell(ffi, types)
    shell.kv = stored
    shell.online = False
    shell.send({"Start": {"platform": "other", "app_version": "bench"}})
    name, home = shell.screen()
    assert name == "Home", name
    cases = [k.rsplit("/", 1)[1] for k in stored if "/c/" in k]
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


if __name__ == "__main__":
    main()
