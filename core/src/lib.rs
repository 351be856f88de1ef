//! Gridline's shared domain. Everything here is pure: no I/O, no async runtime,
//! no database, no FFI. The `app` module is the crux app the phones run:
//! its side effects are requests to the shell. The server and the mobile core both build on it, so a
//! rule written here is the one rule there is.

#[cfg(feature = "app")]
pub mod app;
pub mod calendar;
pub mod case;
pub mod category;
pub mod coord;
pub mod department;
pub mod gcj02;
pub mod id;
pub mod photo;
pub mod risk;
pub mod role;
pub mod sync;
pub mod territory;
pub mod time;
pub mod user;
pub mod watch;
pub mod wire;

pub use coord::{Crs, GeoPoint, Latitude, Longitude};
pub use id::{CaseId, DeviceId, GridId, OrderId, OrgUnitId, PhotoId, TaskId, UserId, WatchId};
pub use role::Role;
pub use territory::{OrgCode, OrgName, OrgUnitKind};
