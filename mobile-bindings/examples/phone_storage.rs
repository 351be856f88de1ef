//! Writes the storage of a village cadre's phone holding N cases as JSON
//! (each value as hex), for the Python
//! benchmark: `cargo run -p gridline-mobile --example phone_storage -- 1000 OUT`.

#[path = "../benches/common/storage_file.rs"]
mod storage_file;

use gridline_core::app::fixtures::{phone, storage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().ok_or("give the number of cases")?.parse()?;
    let out = args.next().ok_or("give the file to write")?;
    std::fs::write(&out, storage_file::to_json(&storage(&phone(n))))?;
    println!("wrote {out}");
    Ok(())
}
