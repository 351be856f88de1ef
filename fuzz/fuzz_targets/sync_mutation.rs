//! The sync push decoder (`POST /v1/sync/push`): a body becomes a push
//! request, and each mutation its command and device time, or an error
//! with a code; never a panic.
#![no_main]

use gridline_core::sync::push::PushRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(push) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    for m in &push.mutations {
        if let Err(r) = m.command() {
            assert!(!r.code.is_empty(), "a rejection without a code");
        }
        let _ = m.device_instant();
    }
});
