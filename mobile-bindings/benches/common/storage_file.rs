//! A phone's storage as one JSON file, each key's value as hex: what the
//! Python shell's benchmark launches from. Shared by the `phone_storage`
//! example and the `core_report` bench.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The file's bytes: `{"key": "hex of the value", ...}`.
#[must_use]
pub fn to_json(kv: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut hex = serde_json::Map::new();
    for (k, v) in kv {
        let mut s = String::with_capacity(v.len() * 2);
        for b in v {
            let _ = write!(s, "{b:02x}");
        }
        hex.insert(k.clone(), serde_json::Value::String(s));
    }
    serde_json::to_vec(&hex).unwrap_or_default()
}
