//! Sync cursors and snapshot page tokens (`GET /v1/sync/pull?cursor=`,
//! `GET /v1/sync/snapshot?page=`): a token from outside is read or refused,
//! never a panic; a genuine token over any JSON decodes or is refused, and
//! a cursor signed by the server always reads back as itself.
#![no_main]

use gridline_api::sync::cursor::{Cursor, PageToken, Signer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let signer = Signer::new(b"fuzzing key, 32 bytes, not real!");
    if let Ok(token) = std::str::from_utf8(data) {
        let _ = signer.verify::<Cursor>(token, "cursor");
        let _ = signer.verify::<PageToken>(token, "page token");
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let token = signer.sign(&value);
        if let Ok(c) = signer.verify::<Cursor>(&token, "cursor") {
            let again = signer.sign(&c);
            assert_eq!(signer.verify::<Cursor>(&again, "cursor").ok(), Some(c));
        }
        let _ = signer.verify::<PageToken>(&token, "page token");
    }
});
