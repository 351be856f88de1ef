//! Black-box tests: the real server over real HTTP on a real SQLite file.

#![allow(clippy::unwrap_used)]

mod auth;
mod basics;
mod cases;
mod demo;
mod duplicates;
mod field;
mod grids;
mod hostile;
mod locate;
mod matrix;
mod open311;
mod open311_media;
mod open311_post;
mod open311_schema;
mod phones;
mod photos;
mod privacy;
mod stats;
mod sync;
mod transfers;
mod watches;
mod webhooks;
