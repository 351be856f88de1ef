"""The phone core through the real FFI, from Python, against a live server.

Needs GRIDLINE_BIN (the `gridline` binary, which serves the demo county on
a free port) and GRIDLINE_MOBILE_LIB (the built `libgridline_mobile`).
Run by scripts/test; alone:

    GRIDLINE_BIN=... GRIDLINE_MOBILE_LIB=... python3 -m unittest -v test_ffi
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

from picture import png
from shell import PythonShell, load_bindings, schema

PASSWORD = "ffi-test-password"
WORKER_GRID = "620725101201001"


class DemoServer:
    """`gridline demo` on a free loopback port, in a scratch folder."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="gridline-ffi-server-")
        self.proc = subprocess.Popen(
            [os.environ["GRIDLINE_BIN"], "--data-dir", self.dir, "demo",
             "--listen", "127.0.0.1:0", "--demo-password", PASSWORD],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.url = None
        for line in self.proc.stdout:
            if "serving on http://" in line:
                self.url = line.strip().rsplit(" ", 1)[-1]
                break
        if self.url is None:
            raise RuntimeError(f"the demo server did not start (exit {self.proc.wait()})")
        # Keep reading so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def call(self, path, token=None, body=None):
        headers = {"accept": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def token(self, user):
        status, body = self.call("/v1/auth/login", body={"username": user, "password": PASSWORD})
        assert status == 200, body
        return body["access_token"]


def inside(rings):
    """A point inside the polygon: its vertex average, else the middle of the
    widest stretch of the horizontal line through it that lies inside."""
    outer = rings[0][:-1]
    lon = sum(p[0] for p in outer) / len(outer)
    lat = sum(p[1] for p in outer) / len(outer)
    xs = sorted(
        a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
        for ring in rings for a, b in zip(ring, ring[1:])
        if (a[1] > lat) != (b[1] > lat)
    )
    spans = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
    if any(x0 <= lon <= x1 for x0, x1 in spans):
        return lon, lat
    x0, x1 = max(spans, key=lambda s: s[1] - s[0])
    return (x0 + x1) / 2, lat


class PhoneCoreOverFfi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ffi = load_bindings(os.environ["GRIDLINE_MOBILE_LIB"])
        cls.types = schema()
        cls.server = DemoServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def phone(self, user):
        shell = PythonShell(self.ffi, self.types)
        shell.send({"Start": {"platform": "other", "app_version": "ffi-test"}})
        self.assertEqual(shell.screen()[0], "Login")
        shell.send({"Login": {"server": self.server.url, "username": user, "password": PASSWORD}})
        name, home = shell.screen()
        self.assertEqual(name, "Home", shell.view())
        return shell, home

    def test_a_report_made_offline_is_sent_and_placed_in_the_workers_grid(self):
        shell, home = self.phone("grid-worker")
        self.assertEqual(home["role"], "grid_worker")
        token = self.server.token("grid-worker")
        status, grids = self.server.call("/v1/grids", token)
        self.assertEqual(status, 200, grids)
        mine = [f for f in grids["features"] if f["properties"]["code"] == WORKER_GRID]
        self.assertEqual(len(mine), 1, "the worker's grid is listed")
        lon, lat = inside(mine[0]["geometry"]["coordinates"][0])

        # In a dead zone: the report and its photo wait on the phone.
        shell.online = False
        shell.fix = {"lat": lat, "lon": lon, "accuracy_m": 6.0, "crs": "wgs84"}
        shell.picture = png(64, 48, seed=3)
        shell.send({"Open": {"route": "NewReport"}})
        for edit in [
            {"Category": {"code": "neighbour_dispute"}},
            {"Description": {"text": "两户因排水沟堵塞争吵，需调解"}},
            "UseMyLocation",
            "TakePhoto",
        ]:
            shell.send({"Draft": {"edit": edit}})
        name, report = shell.screen()
        self.assertEqual(name, "NewReport")
        self.assertEqual(report["photos"], 1, report)
        self.assertIn("±6 m", report["location"])
        shell.send("SubmitReport")
        name, detail = shell.screen()
        self.assertEqual(name, "Case", "submitting opens the new case")
        case_id = detail["item"]["id"]
        self.assertTrue(detail["item"]["waiting"])
        sync = shell.view()["sync"]
        self.assertEqual(sync["waiting"], 1, sync)
        self.assertIsNotNone(sync["problem"], "the failed send is said in words")
        status, _ = self.server.call(f"/v1/cases/{case_id}", token)
        self.assertEqual(status, 404, "the server has not heard of it yet")

        # Back in range: the retry timer goes off, the queue drains and the
        # photo goes up.
        shell.online = True
        shell.fire_timers()
        sync = shell.view()["sync"]
        self.assertEqual(sync["waiting"], 0, sync)
        self.assertIsNone(sync["problem"], sync)
        status, case = self.server.call(f"/v1/cases/{case_id}", token)
        self.assertEqual(status, 200, case)
        self.assertEqual(case["grid"]["code"], WORKER_GRID, "placed in the grid it was made in")
        self.assertEqual(case["category"], "neighbour_dispute")
        self.assertEqual(case["channel"], "grid_patrol")
        # A neighbour dispute is the grid worker's to mediate first.
        self.assertEqual(case["status"], "signed_for")
        self.assertEqual(len(case["photos"]), 1, case)
        self.assertTrue(case["photos"][0]["available"], "the photo's bytes arrived")
        self.assertAlmostEqual(case["location"]["lat"], lat, places=6)

        # What the phone now shows is what the server says.
        shell.send({"Open": {"route": {"Case": {"id": case_id}}}})
        name, detail = shell.screen()
        self.assertEqual(detail["item"]["status"], "signed_for")
        self.assertFalse(detail["item"]["waiting"])
        self.assertIn("start", [a["action"] for a in detail["actions"]])

    def test_bad_calls_are_errors_the_shell_catches_and_the_core_goes_on(self):
        shell = PythonShell(self.ffi, self.types)
        with self.assertRaises(self.ffi.CoreError.BadEvent):
            shell.core.update(b"\xff\xff\xff\x7f")
        with self.assertRaises(self.ffi.CoreError.UnknownEffect) as e:
            shell.core.resolve(4242, self.types.encode("TimeResponse", {"Cleared": {"id": 1}}))
        self.assertEqual(e.exception.id, 4242)
        # An answer given twice: the second is refused.
        out = self.types.decode("Requests", shell.core.update(
            self.types.encode("Event", {"Start": {"platform": "other", "app_version": "t"}})))
        read = next(r for r in out if "KeyValue" in r["effect"])
        nothing = self.types.encode("KeyValueResult", {"Ok": {"response": {"Get": {"value": "None"}}}})
        shell._run(shell.core.resolve(read["id"], nothing))
        with self.assertRaises(self.ffi.CoreError.UnknownEffect):
            shell.core.resolve(read["id"], nothing)
        # Still a working core: it logs in and lists the worker's cases.
        shell.send({"Login": {"server": self.server.url, "username": "cadre", "password": PASSWORD}})
        name, home = shell.screen()
        self.assertEqual(name, "Home", shell.view())
        self.assertEqual(home["role"], "village_cadre")


if __name__ == "__main__":
    unittest.main()
