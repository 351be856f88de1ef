//! Where a case is in its life.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// submitted → assigned → signed for → in progress → resolved → closed, with
/// the side roads: rejected, returned (wrongly assigned), merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Registered, waiting for a centre to accept it (登记).
    Submitted,
    /// Dispatched to a unit and person with a deadline to sign for it (交办).
    Assigned,
    /// The unit signed for it (签收); its tier clock runs.
    SignedFor,
    /// Being handled.
    InProgress,
    /// Sent back by the unit as not theirs (退回); a centre reassigns it.
    Returned,
    /// Settled with an outcome, waiting for review and the return visit.
    Resolved,
    /// Reviewed and closed (办结).
    Closed,
    /// Not accepted, with a reason.
    Rejected,
    /// A duplicate folded into another case.
    Merged,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Submitted,
        Status::Assigned,
        Status::SignedFor,
        Status::InProgress,
        Status::Returned,
        Status::Resolved,
        Status::Closed,
        Status::Rejected,
        Status::Merged,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Assigned => "assigned",
            Status::SignedFor => "signed_for",
            Status::InProgress => "in_progress",
            Status::Returned => "returned",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
        }
    }

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            Status::Submitted => "待受理",
            Status::Assigned => "已交办",
            Status::SignedFor => "已签收",
            Status::InProgress => "办理中",
            Status::Returned => "已退回",
            Status::Resolved => "已化解",
            Status::Closed => "已办结",
            Status::Rejected => "不予受理",
            Status::Merged => "已合并",
        }
    }

    /// Somebody still has to act: not settled, closed, rejected or merged.
    #[must_use]
    pub const fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Submitted
                | Status::Assigned
                | Status::SignedFor
                | Status::InProgress
                | Status::Returned
        )
    }

    /// A unit holds it and its clock matters.
    #[must_use]
    pub const fn is_with_unit(self) -> bool {
        matches!(
            self,
            Status::Assigned | Status::SignedFor | Status::InProgress
        )
    }

    /// Nothing more happens to it, except reopening a closed case.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Merged)
    }
}

impl Status {
    /// The status a successful `action` leads to: what a phone shows while
    /// the action waits to be sent. The server decides; its answer replaces
    /// this as soon as it arrives.
    #[must_use]
    pub const fn after(self, action: super::ActionKind) -> Status {
        use super::ActionKind as A;
        match action {
            A::SignFor => Status::SignedFor,
            A::Start => Status::InProgress,
            A::Resolve => Status::Resolved,
            A::Return => Status::Returned,
            A::Close => Status::Closed,
            A::Reject => Status::Rejected,
            A::Merge => Status::Merged,
            A::Accept | A::Assign | A::Reassign | A::Reopen | A::Escalate => Status::Assigned,
            A::Submit
            | A::Note
            | A::RequestCoHandling
            | A::ReportTask
            | A::Rate
            | A::Extend
            | A::Supervise
            | A::AnswerSupervision => self,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown case status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}
