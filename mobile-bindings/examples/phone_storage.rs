//! Writes the storage of a village cadre's phone holding N cases as JSON
//! (each value as hex), for the Python
//! benchmark: `cargo run -p gridline-mobile --example phone_storage -- 1000 OUT`.

use gridline_core::app::fixtures::{phone, storage};
use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().ok_or("give the number of cases")?.parse()?;
    let out = args.next().ok_or("give the file to write")?;
    let kv = storage(&phone(n));
    let mut hex = serde_json::Map::new();
    for (k, v) in kv {
        let mut s = String::with_capacity(v.len() * 2);
        for b in v {
            write!(s, "{b:02x}")?;
        }
        hex.insert(k, serde_json::Value::String(s));
    }
    std::fs::write(&out, serde_json::to_vec(&hex)?)?;
    println!("wrote {out}");
    Ok(())
}
