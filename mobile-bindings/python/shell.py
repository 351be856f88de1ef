"""A shell for the phone core, in Python, through the real FFI: the uniffi
module `gridline_mobile` and the built library. It does what a phone's
shell does, and no more: sends events, runs the effects the core asks for
(HTTP with urllib, storage in a dict, the clock, a fixed position and a
picture), and hands back the answers.

Long polls (`wait=` in the URL) are held, as a phone holds an open request,
and never answered: a test has no foreground to keep.
"""

import importlib.util
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque

from bincode import Schema

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATED = os.path.join(HERE, "generated")


def load_bindings(library):
    """Imports the generated module with `library` beside it (uniffi's Python
    looks for the library next to the module, nowhere else)."""
    where = tempfile.mkdtemp(prefix="gridline-ffi-")
    shutil.copy(os.path.join(GENERATED, "gridline_mobile.py"), where)
    shutil.copy(library, os.path.join(where, os.path.basename(library)))
    spec = importlib.util.spec_from_file_location(
        "gridline_mobile", os.path.join(where, "gridline_mobile.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["gridline_mobile"] = module
    spec.loader.exec_module(module)
    return module


def schema():
    return Schema.load(os.path.join(GENERATED, "types.json"))


class Offline(Exception):
    pass


class PythonShell:
    def __init__(self, ffi, types, platform="other"):
        self.core = ffi.CoreFfi()
        self.types = types
        self.platform = platform
        self.kv = {}
        self.online = True
        self.fix = None
        self.picture = None
        self.timers = {}
        self.held = []
        self.http_log = []

    # ---- what the user does

    def send(self, event):
        self._run(self.core.update(self.types.encode("Event", event)))

    def view(self):
        return self.types.decode("ViewModel", self.core.view())

    def screen(self):
        (name, body), = self.view()["screen"].items()
        return name, body

    def fire_timers(self):
        """Lets every timer go off now (the test's clock jumps)."""
        due, self.timers = self.timers, {}
        for rid, (kind, timer) in due.items():
            self._resolve(rid, "TimeResponse", {kind: {"id": timer}})

    # ---- the effect loop

    def _run(self, requests_bytes):
        queue = deque(self.types.decode("Requests", requests_bytes))
        while queue:
            req = queue.popleft()
            (kind, op), = req["effect"].items()
            answer = getattr(self, "_" + kind.lower())(req["id"], op)
            if answer is not None:
                type_name, value = answer
                out = self.core.resolve(req["id"], self.types.encode(type_name, value))
                queue.extend(self.types.decode("Requests", out))

    def _resolve(self, rid, type_name, value):
        self._run(self.core.resolve(rid, self.types.encode(type_name, value)))

    def _render(self, rid, op):
        return None

    def _http(self, rid, req):
        self.http_log.append((req["method"], req["url"]))
        if "wait=" in req["url"]:
            self.held.append(rid)
            return None
        if not self.online:
            return "HttpResult", {"Err": {"Io": "network unreachable"}}
        r = urllib.request.Request(
            req["url"],
            data=req["body"] if req["body"] else None,
            method=req["method"],
            headers={h["name"]: h["value"] for h in req["headers"]},
        )
        try:
            with urllib.request.urlopen(r, timeout=30) as resp:
                status, headers, body = resp.status, resp.getheaders(), resp.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, list(e.headers.items()), e.read()
        except (urllib.error.URLError, OSError) as e:
            return "HttpResult", {"Err": {"Io": str(e)}}
        return "HttpResult", {
            "Ok": {
                "status": status,
                "headers": [{"name": k.lower(), "value": v} for k, v in headers],
                "body": body,
            }
        }

    def _keyvalue(self, rid, op):
        (kind, a), = op.items()
        if kind == "Get":
            v = self.kv.get(a["key"])
            response = {"Get": {"value": "None" if v is None else {"Bytes": v}}}
        elif kind == "Set":
            old = self.kv.get(a["key"])
            self.kv[a["key"]] = bytes(a["value"])
            response = {"Set": {"previous": "None" if old is None else {"Bytes": old}}}
        elif kind == "Delete":
            old = self.kv.pop(a["key"], None)
            response = {"Delete": {"previous": "None" if old is None else {"Bytes": old}}}
        elif kind == "Exists":
            response = {"Exists": {"is_present": a["key"] in self.kv}}
        elif kind == "ListKeys":
            keys = sorted(k for k in self.kv if k.startswith(a["prefix"]))
            response = {"ListKeys": {"keys": keys, "next_cursor": 0}}
        else:
            return "KeyValueResult", {"Err": {"error": {"Other": {"message": f"no {kind} here"}}}}
        return "KeyValueResult", {"Ok": {"response": response}}

    def _time(self, rid, op):
        (kind, a), = op.items()
        if kind == "Now":
            t = time.time_ns()
            instant = {"seconds": t // 1_000_000_000, "nanos": t % 1_000_000_000}
            return "TimeResponse", {"Now": {"instant": instant}}
        if kind == "NotifyAfter":
            self.timers[rid] = ("DurationElapsed", a["id"])
            return None
        if kind == "NotifyAt":
            self.timers[rid] = ("InstantArrived", a["id"])
            return None
        if kind == "Clear":
            for other, (_, timer) in list(self.timers.items()):
                if timer == a["id"]:
                    del self.timers[other]
            return "TimeResponse", {"Cleared": {"id": a["id"]}}
        raise ValueError(f"unknown time request {kind}")

    def _location(self, rid, op):
        if self.fix is None:
            return "LocationResult", {"Unavailable": {"reason": "no fix in the test"}}
        return "LocationResult", {"Fix": self.fix}

    def _photo(self, rid, op):
        if self.picture is None:
            return "PhotoResult", "Cancelled"
        return "PhotoResult", {"Photo": {"bytes": self.picture, "mime": "image/png"}}
