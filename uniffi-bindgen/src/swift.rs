//! Headers, modulemap and sources for an xcframework:
//! `cargo run -p uniffi-bindgen --bin uniffi-bindgen-swift -- LIB OUT --headers`

fn main() {
    uniffi::uniffi_bindgen_swift();
}
