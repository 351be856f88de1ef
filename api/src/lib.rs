//! The Gridline server: territory, assignment and auth over axum and sqlx,
//! and the `gridline` command that runs it.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod intake;
pub mod metrics;
pub mod open311;
pub mod photos;
pub mod privacy;
pub mod routes;
pub mod server;
pub mod spatial;
pub mod state;
pub mod store;
pub mod sync;
pub mod telemetry;
pub mod territory;
pub mod watch;
