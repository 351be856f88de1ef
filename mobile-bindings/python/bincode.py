"""Bincode as crux's bridge speaks it, read and written from the schema
`gridline-typegen --schema` writes (crux generates no Python types).

The format is bincode 1.3 with fixed-width integers: little-endian; enum
variant tags are u32; sequence, string and byte lengths are u64; an option
is a one-byte tag.

Values in Python:
  struct             dict of field name to value
  enum               {"Variant": payload}; a unit variant's payload is None
                     (and "Variant" alone is accepted when writing)
  newtype struct     its inner value
  option             None or the value
  sequence           list (bytes for a sequence of u8)
  bytes              bytes
"""

import json
import struct

_FIXED = {
    "BOOL": "<?",
    "U8": "<B",
    "U16": "<H",
    "U32": "<I",
    "U64": "<Q",
    "I8": "<b",
    "I16": "<h",
    "I32": "<i",
    "I64": "<q",
    "F32": "<f",
    "F64": "<d",
}


class SchemaError(Exception):
    """The value does not fit the type, or the bytes do not."""


def _fields(entries):
    """[{name: [format, docs]}] -> [(name, format)]"""
    out = []
    for e in entries:
        ((name, (fmt, _docs)),) = e.items()
        out.append((name, fmt))
    return out


class Schema:
    def __init__(self, entries):
        self.types = {e["type"]["name"]: e["format"] for e in entries}

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    def variants(self, name):
        """The variant names of enum `name`, by tag."""
        (kind, body), = self.types[name].items()
        if kind != "ENUM":
            raise SchemaError(f"{name} is not an enum")
        return {int(i): next(iter(v)) for i, v in body[0].items()}

    # ---- writing

    def encode(self, name, value):
        out = bytearray()
        self._container(name, value, out)
        return bytes(out)

    def _container(self, name, value, out):
        try:
            (kind, body), = self.types[name].items()
        except KeyError:
            raise SchemaError(f"unknown type {name}") from None
        if kind == "STRUCT":
            self._struct(name, _fields(body[0]), value, out)
        elif kind == "NEWTYPESTRUCT":
            self._format(body[0], value, out)
        elif kind == "UNITSTRUCT":
            pass
        elif kind == "TUPLESTRUCT":
            for f, v in zip(body[0], value, strict=True):
                self._format(f, v, out)
        elif kind == "ENUM":
            if isinstance(value, str):
                value = {value: None}
            if not isinstance(value, dict) or len(value) != 1:
                raise SchemaError(f"{name}: an enum value is {{variant: payload}}, not {value!r}")
            (variant, payload), = value.items()
            for tag, v in body[0].items():
                if variant in v:
                    out += struct.pack("<I", int(tag))
                    self._variant(f"{name}::{variant}", v[variant][0], payload, out)
                    return
            raise SchemaError(f"{name} has no variant {variant!r}")
        else:
            raise SchemaError(f"{name}: unsupported container {kind}")

    def _struct(self, where, fields, value, out):
        if not isinstance(value, dict):
            raise SchemaError(f"{where}: expected a dict, got {value!r}")
        unknown = set(value) - {n for n, _ in fields}
        if unknown:
            raise SchemaError(f"{where}: unknown fields {sorted(unknown)}")
        for n, f in fields:
            if n not in value:
                raise SchemaError(f"{where}: missing field {n!r}")
            self._format(f, value[n], out)

    def _variant(self, where, fmt, payload, out):
        if fmt == "UNIT":
            return
        (kind, body), = fmt.items()
        if kind == "NEWTYPE":
            self._format(body, payload, out)
        elif kind == "STRUCT":
            self._struct(where, _fields(body), payload, out)
        elif kind == "TUPLE":
            for f, v in zip(body, payload, strict=True):
                self._format(f, v, out)
        else:
            raise SchemaError(f"{where}: unsupported variant {kind}")

    def _format(self, fmt, value, out):
        if isinstance(fmt, str):
            if fmt in _FIXED:
                out += struct.pack(_FIXED[fmt], value)
            elif fmt == "STR":
                b = value.encode("utf-8")
                out += struct.pack("<Q", len(b)) + b
            elif fmt == "BYTES":
                out += struct.pack("<Q", len(value)) + bytes(value)
            elif fmt == "UNIT":
                pass
            else:
                raise SchemaError(f"unsupported format {fmt}")
            return
        (kind, body), = fmt.items()
        if kind == "TYPENAME":
            self._container(body["name"], value, out)
        elif kind == "OPTION":
            if value is None:
                out.append(0)
            else:
                out.append(1)
                self._format(body, value, out)
        elif kind == "SEQ":
            out += struct.pack("<Q", len(value))
            if body == "U8":
                out += bytes(value)
            else:
                for v in value:
                    self._format(body, v, out)
        elif kind == "TUPLE":
            for f, v in zip(body, value, strict=True):
                self._format(f, v, out)
        elif kind == "MAP":
            out += struct.pack("<Q", len(value))
            for k, v in value.items():
                self._format(body["key"], k, out)
                self._format(body["value"], v, out)
        else:
            raise SchemaError(f"unsupported format {kind}")

    # ---- reading

    def decode(self, name, data):
        r = _Reader(data)
        v = self._read_container(name, r)
        if r.pos != len(data):
            raise SchemaError(f"{name}: {len(data) - r.pos} bytes left over")
        return v

    def _read_container(self, name, r):
        (kind, body), = self.types[name].items()
        if kind == "STRUCT":
            return {n: self._read(f, r) for n, f in _fields(body[0])}
        if kind == "NEWTYPESTRUCT":
            return self._read(body[0], r)
        if kind == "UNITSTRUCT":
            return None
        if kind == "TUPLESTRUCT":
            return [self._read(f, r) for f in body[0]]
        if kind == "ENUM":
            tag = r.unpack("<I")
            v = body[0].get(str(tag))
            if v is None:
                raise SchemaError(f"{name}: no variant with tag {tag}")
            (variant, (fmt, _docs)), = v.items()
            return {variant: self._read_variant(fmt, r)}
        raise SchemaError(f"{name}: unsupported container {kind}")

    def _read_variant(self, fmt, r):
        if fmt == "UNIT":
            return None
        (kind, body), = fmt.items()
        if kind == "NEWTYPE":
            return self._read(body, r)
        if kind == "STRUCT":
            return {n: self._read(f, r) for n, f in _fields(body)}
        if kind == "TUPLE":
            return [self._read(f, r) for f in body]
        raise SchemaError(f"unsupported variant {kind}")

    def _read(self, fmt, r):
        if isinstance(fmt, str):
            if fmt in _FIXED:
                return r.unpack(_FIXED[fmt])
            if fmt == "STR":
                return r.take(r.unpack("<Q")).decode("utf-8")
            if fmt == "BYTES":
                return r.take(r.unpack("<Q"))
            if fmt == "UNIT":
                return None
            raise SchemaError(f"unsupported format {fmt}")
        (kind, body), = fmt.items()
        if kind == "TYPENAME":
            return self._read_container(body["name"], r)
        if kind == "OPTION":
            tag = r.take(1)[0]
            if tag > 1:
                raise SchemaError(f"option tag {tag}")
            return self._read(body, r) if tag else None
        if kind == "SEQ":
            n = r.unpack("<Q")
            if body == "U8":
                return r.take(n)
            return [self._read(body, r) for _ in range(n)]
        if kind == "TUPLE":
            return [self._read(f, r) for f in body]
        if kind == "MAP":
            n = r.unpack("<Q")
            return {self._read(body["key"], r): self._read(body["value"], r) for _ in range(n)}
        raise SchemaError(f"unsupported format {kind}")


class _Reader:
    def __init__(self, data):
        self.data = memoryview(data)
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise SchemaError("the bytes end too soon")
        b = bytes(self.data[self.pos : self.pos + n])
        self.pos += n
        return b

    def unpack(self, fmt):
        (v,) = struct.unpack(fmt, self.take(struct.calcsize(fmt)))
        return v
