//! Cases: the state machine and who may move it, routing rules, the tier
//! ladder, and the parts of a case (parties, outcome, free text). Shared by
//! the server, which enforces it, and the apps, which show only what the
//! server would accept.

pub mod action;
pub mod channel;
pub mod ladder;
pub mod outcome;
pub mod party;
pub mod policy;
pub mod routing;
pub mod status;
pub mod text;

#[cfg(test)]
mod policy_matrix;

pub use action::{Action, ActionKind};
pub use channel::Channel;
pub use ladder::{Ladder, Level, Rung};
pub use outcome::Outcome;
pub use party::{IdNumber, Party, PartySide, Phone};
pub use policy::{Facts, Refusal, Standing, available, check};
pub use routing::{Rule, Subject};
pub use status::Status;
pub use text::Remark;
