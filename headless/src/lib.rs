//! A shell without a screen for Gridline's phone core.
//!
//! It runs the very core the Android and iOS apps carry and carries out its
//! effects for real: HTTP with reqwest against a live server, storage in
//! files with atomic replacement, real time (timers optionally sped up), and
//! a scripted location service and camera. The end-to-end tests in `tests/`
//! and the `gridline field` simulation stand on it.
//!
//! - `phone`: the runtime and the effect handlers;
//! - `network`: HTTP and the offline switch; `store`: key-value files;
//! - `hardware`: scripted position fixes and photos;
//! - `field`: simulated grid workers and cadres in the demo county.

pub mod field;
pub mod hardware;
pub mod network;
pub mod phone;
pub mod store;

pub use hardware::Hardware;
pub use phone::{Phone, PhoneOptions, Stuck};
pub use store::FileStore;
