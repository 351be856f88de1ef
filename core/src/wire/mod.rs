//! The HTTP wire format shared by the server and the apps. Defined once here;
//! the server serializes these types and the core deserializes them.

pub mod auth;
pub mod case;
pub mod error;
pub mod stats;
pub mod territory;
pub mod watch;
