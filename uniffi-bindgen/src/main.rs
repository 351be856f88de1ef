//! `cargo run -p uniffi-bindgen -- generate LIB --language python --out-dir DIR`

fn main() {
    uniffi::uniffi_bindgen_main();
}
