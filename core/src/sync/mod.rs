//! The offline sync protocol, shared by the server and the apps: device
//! registration, the mutation envelope and the commands it carries, push
//! results, pull pages and resets, and the checks a client makes before it
//! believes a response (a captive portal's `200 text/html` is not a sync).
//!
//! Mutations are numbered 1, 2, 3… per device; the server applies each in
//! one transaction with the device's last applied number, so a repeat is a
//! duplicate and a gap is refused. Pull reads a change log in commit order;
//! the acknowledgement comes in the same snapshot as the changes.

pub mod accept;
pub mod device;
pub mod mutation;
pub mod pull;
pub mod push;

pub use accept::{ResponseError, accept_pull, accept_push, accept_snapshot};
pub use device::{DeviceView, NewDevice, Platform};
pub use mutation::{Command, Mutation, MutationName, PhotoMeta, Rejection, Sha256};
pub use pull::{
    CaseRecord, Change, ChangeOp, Entity, PullPage, ResetBody, ResetReason, SnapshotPage,
};
pub use push::{MutationResult, MutationStatus, PushRequest, PushResponse, Stop};

/// Written into every sync response; a client drops nothing from its queue
/// on a response without it.
pub const PROTOCOL: &str = "gridline-sync/1";
