//! What people do to a case. [`ActionKind`] names an action (the permission
//! table speaks of these); [`Action`] is one with its arguments, as the apps
//! send it: `{"action": "resolve", "outcome": "mediated", "summary": "…"}`.

use super::outcome::Outcome;
use super::text::Remark;
use crate::time::Instant;
use crate::{CaseId, OrderId, OrgUnitId, TaskId, UserId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionKind {
    /// Report a new case.
    Submit,
    /// A centre takes a submitted case in; routing dispatches it.
    Accept,
    /// A centre refuses a submitted case, with a reason.
    Reject,
    /// A centre dispatches a case to a unit (and person) it chooses.
    Assign,
    /// The unit signs for the case (签收); its clock starts.
    SignFor,
    /// The unit sends it back as wrongly assigned (退回).
    Return,
    Start,
    Note,
    /// The lead calls in departments (会办), each with a task and deadline.
    RequestCoHandling,
    /// A co-handling unit reports on its task.
    ReportTask,
    Resolve,
    /// Up one tier: what this tier cannot settle.
    Escalate,
    /// A centre moves the case to another unit or person.
    Reassign,
    /// Fold a duplicate into another case.
    Merge,
    Close,
    Rate,
    Reopen,
    /// A centre or supervisor grants more working days (the clock pauses).
    Extend,
    /// Issue a supervision order (督办).
    Supervise,
    /// The lead answers a supervision order.
    AnswerSupervision,
}

impl ActionKind {
    pub const ALL: [ActionKind; 20] = [
        ActionKind::Submit,
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Assign,
        ActionKind::SignFor,
        ActionKind::Return,
        ActionKind::Start,
        ActionKind::Note,
        ActionKind::RequestCoHandling,
        ActionKind::ReportTask,
        ActionKind::Resolve,
        ActionKind::Escalate,
        ActionKind::Reassign,
        ActionKind::Merge,
        ActionKind::Close,
        ActionKind::Rate,
        ActionKind::Reopen,
        ActionKind::Extend,
        ActionKind::Supervise,
        ActionKind::AnswerSupervision,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::Accept => "accept",
            ActionKind::Reject => "reject",
            ActionKind::Assign => "assign",
            ActionKind::SignFor => "sign_for",
            ActionKind::Return => "return",
            ActionKind::Start => "start",
            ActionKind::Note => "note",
            ActionKind::RequestCoHandling => "request_co_handling",
            ActionKind::ReportTask => "report_task",
            ActionKind::Resolve => "resolve",
            ActionKind::Escalate => "escalate",
            ActionKind::Reassign => "reassign",
            ActionKind::Merge => "merge",
            ActionKind::Close => "close",
            ActionKind::Rate => "rate",
            ActionKind::Reopen => "reopen",
            ActionKind::Extend => "extend",
            ActionKind::Supervise => "supervise",
            ActionKind::AnswerSupervision => "answer_supervision",
        }
    }

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            ActionKind::Submit => "上报",
            ActionKind::Accept => "受理",
            ActionKind::Reject => "不予受理",
            ActionKind::Assign => "交办",
            ActionKind::SignFor => "签收",
            ActionKind::Return => "退回",
            ActionKind::Start => "开始办理",
            ActionKind::Note => "备注",
            ActionKind::RequestCoHandling => "申请协办",
            ActionKind::ReportTask => "协办反馈",
            ActionKind::Resolve => "化解",
            ActionKind::Escalate => "上报上级",
            ActionKind::Reassign => "改派",
            ActionKind::Merge => "合并重复",
            ActionKind::Close => "办结",
            ActionKind::Rate => "评价",
            ActionKind::Reopen => "重新办理",
            ActionKind::Extend => "延期",
            ActionKind::Supervise => "督办",
            ActionKind::AnswerSupervision => "督办回复",
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action on an existing case with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    Accept,
    Reject {
        reason: Remark,
    },
    Assign {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        unit: OrgUnitId,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
        #[serde(default)]
        assignee: Option<UserId>,
    },
    SignFor,
    Return {
        reason: Remark,
    },
    Start,
    Note {
        text: Remark,
    },
    RequestCoHandling {
        /// Department units (or any org units) to call in.
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
        units: Vec<OrgUnitId>,
        task: Remark,
        /// When each must have reported.
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        deadline: Instant,
    },
    ReportTask {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        task: TaskId,
        report: Remark,
    },
    Resolve {
        outcome: Outcome,
        summary: Remark,
    },
    Escalate {
        reason: Remark,
    },
    Reassign {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        unit: OrgUnitId,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
        #[serde(default)]
        assignee: Option<UserId>,
        reason: Remark,
    },
    Merge {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        into: CaseId,
    },
    Close,
    Rate {
        /// 1 (very dissatisfied) to 5 (very satisfied).
        stars: u8,
        #[serde(default)]
        comment: Option<Remark>,
    },
    Reopen {
        reason: Remark,
    },
    Extend {
        /// Working days added to the current deadline.
        days: u32,
        reason: Remark,
    },
    Supervise {
        text: Remark,
        /// When the answer is due.
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        deadline: Instant,
    },
    AnswerSupervision {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        order: OrderId,
        text: Remark,
    },
}

impl Action {
    #[must_use]
    pub const fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Assign { .. } => ActionKind::Assign,
            Action::SignFor => ActionKind::SignFor,
            Action::Return { .. } => ActionKind::Return,
            Action::Start => ActionKind::Start,
            Action::Note { .. } => ActionKind::Note,
            Action::RequestCoHandling { .. } => ActionKind::RequestCoHandling,
            Action::ReportTask { .. } => ActionKind::ReportTask,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::Escalate { .. } => ActionKind::Escalate,
            Action::Reassign { .. } => ActionKind::Reassign,
            Action::Merge { .. } => ActionKind::Merge,
            Action::Close => ActionKind::Close,
            Action::Rate { .. } => ActionKind::Rate,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Supervise { .. } => ActionKind::Supervise,
            Action::AnswerSupervision { .. } => ActionKind::AnswerSupervision,
        }
    }
}
