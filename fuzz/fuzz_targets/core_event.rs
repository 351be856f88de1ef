//! The phone core's event decoder, through the FFI the shells call: any
//! bytes handed to `update` are an event or a `BadEvent` error, and the core
//! still answers afterwards; never a panic across the FFI.
#![no_main]

use gridline_mobile::CoreFFI;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let core = CoreFFI::new();
    let _ = core.update(data.to_vec());
    assert!(core.view().is_ok(), "the core still renders its view");
});
