//! The app's flows, driven through crux commands with every effect resolved
//! by hand: a key-value store in a map, a clock the test sets, and a small
//! stand-in for the server that speaks the sync protocol. End-to-end tests
//! against the real server are in `tests/`.

#![allow(clippy::unwrap_used)] // a test fixture: a failure here is a broken test

mod flows;
mod harness;
