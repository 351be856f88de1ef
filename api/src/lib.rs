//! The Gridline server: territory, assignment, auth, over axum and sqlx.

pub mod spatial;
