//! The Gridline server: territory, assignment, auth, over axum and sqlx.

pub mod clock;
pub mod spatial;
pub mod store;
