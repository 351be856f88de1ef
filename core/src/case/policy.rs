//! "May this user do this action on this case now?" One function answers it,
//! for the server before it acts and for the apps before they show a button.
//!
//! The answer depends on the case's state and on the caller's *standing*
//! towards the case, which the server works out from the territory tree and
//! the case's record (the core does not hold the tree):
//! - a **handler** is the assignee, or holds a handling role at the lead unit;
//! - a **co-handler** holds a role at a unit with an open co-handling task;
//! - a **dispatcher** is a township or county operator whose unit contains the
//!   case (or an admin): accepts, assigns, reassigns, closes;
//! - a **supervisor** watches the cases in their unit;
//! - the **reporter** follows their own case.

use super::action::ActionKind;
use super::status::Status;
use crate::Role;
use serde::{Deserialize, Serialize};

/// Who the caller is to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// The caller holds this role…
    pub role: Option<Role>,
    /// …at a unit that contains the case's place or its lead unit.
    pub in_jurisdiction: bool,
    /// The caller reported the case.
    pub reporter: bool,
    /// The caller is the person the case is assigned to.
    pub assignee: bool,
    /// The caller holds the role at the lead unit itself.
    pub at_lead_unit: bool,
    /// The caller holds the role at a unit with an open co-handling task.
    pub co_handler: bool,
}

/// The facts about a case the answer depends on besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub status: Status,
    /// Co-handling tasks not yet reported on.
    pub open_tasks: u32,
    /// Supervision orders not yet answered.
    pub open_orders: u32,
    pub rated: bool,
    /// The case is on the top rung of its ladder.
    pub at_top_tier: bool,
}

impl Facts {
    #[must_use]
    pub const fn new(status: Status) -> Self {
        Self {
            status,
            open_tasks: 0,
            open_orders: 0,
            rated: false,
            at_top_tier: false,
        }
    }
}

/// Why an action is refused. Each has a stable code for clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Refusal {
    #[error("this action is not possible while the case is in this state")]
    WrongState,
    #[error("your role on this case does not allow this action")]
    NotPermitted,
    #[error("co-handling tasks are still open; each unit must report first")]
    CoHandlingOpen,
    #[error("the case is already at the top tier")]
    TopTier,
    #[error("the case has already been rated")]
    AlreadyRated,
    #[error("there is no open supervision order to answer")]
    NoOpenOrder,
    #[error("you have no open co-handling task on this case")]
    NoOpenTask,
}

impl Refusal {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Refusal::WrongState => "wrong_state",
            Refusal::NotPermitted => "not_permitted",
            Refusal::CoHandlingOpen => "co_handling_open",
            Refusal::TopTier => "top_tier",
            Refusal::AlreadyRated => "already_rated",
            Refusal::NoOpenOrder => "no_open_order",
            Refusal::NoOpenTask => "no_open_task",
        }
    }
}

/// Roles that handle cases at a unit they belong to.
const fn handles_cases(role: Role) -> bool {
    matches!(
        role,
        Role::GridWorker
            | Role::VillageCadre
            | Role::TownshipOperator
            | Role::CountyOperator
            | Role::DepartmentHandler
    )
}

impl Standing {
    fn is(&self, role: Role) -> bool {
        self.role == Some(role)
    }

    /// Assignee, or a handling role at the lead unit.
    #[must_use]
    pub fn handler(&self) -> bool {
        self.assignee || (self.at_lead_unit && self.role.is_some_and(handles_cases))
    }

    #[must_use]
    pub fn dispatcher(&self) -> bool {
        self.is(Role::Admin)
            || (self.in_jurisdiction
                && (self.is(Role::TownshipOperator) || self.is(Role::CountyOperator)))
    }

    #[must_use]
    pub fn supervisor(&self) -> bool {
        self.is(Role::Admin)
            || (self.in_jurisdiction
                && (self.is(Role::Supervisor) || self.is(Role::CountyOperator)))
    }

    /// May this caller see the case at all (and so learn it exists)?
    #[must_use]
    pub fn may_read(&self) -> bool {
        self.reporter
            || self.handler()
            || self.co_handler
            || self.dispatcher()
            || self.supervisor()
            || (self.in_jurisdiction && self.role.is_some_and(handles_cases))
    }

    /// May this caller see the parties' names, phones and ID numbers? Only
    /// the people handling the case and those above it, never a bystander.
    #[must_use]
    pub fn may_see_parties(&self) -> bool {
        self.handler() || self.co_handler || self.dispatcher() || self.supervisor()
    }
}

/// Whether `who` may take `action` on a case with `facts` now, and if not, why.
///
/// # Errors
/// The [`Refusal`] naming what stands in the way. The state is checked
/// first, so a button for an impossible transition says so whoever asks.
pub fn check(who: &Standing, facts: &Facts, action: ActionKind) -> Result<(), Refusal> {
    use ActionKind as A;
    use Status as S;
    let s = facts.status;
    let in_state = |states: &[Status]| states.contains(&s);
    let with_unit = [S::Assigned, S::SignedFor, S::InProgress];
    let pending = [
        S::Submitted,
        S::Assigned,
        S::SignedFor,
        S::InProgress,
        S::Returned,
    ];
    let (state_ok, allowed) = match action {
        A::Submit => (
            true,
            who.role
                .is_some_and(|r| r != Role::Supervisor && r != Role::DepartmentHandler),
        ),
        A::Accept | A::Reject => (in_state(&[S::Submitted]), who.dispatcher()),
        A::Assign => (in_state(&[S::Submitted, S::Returned]), who.dispatcher()),
        A::SignFor => (in_state(&[S::Assigned]), who.handler()),
        A::Return => (in_state(&[S::Assigned, S::SignedFor]), who.handler()),
        A::Start => (in_state(&[S::SignedFor]), who.handler()),
        A::Note => (
            in_state(&[
                S::Submitted,
                S::Assigned,
                S::SignedFor,
                S::InProgress,
                S::Returned,
                S::Resolved,
            ]),
            who.handler() || who.co_handler || who.dispatcher() || who.supervisor() || who.reporter,
        ),
        A::RequestCoHandling => (
            in_state(&[S::SignedFor, S::InProgress]),
            who.handler() || who.dispatcher(),
        ),
        A::ReportTask => (in_state(&[S::SignedFor, S::InProgress]), who.co_handler),
        A::Resolve => (in_state(&[S::InProgress]), who.handler()),
        A::Escalate => (in_state(&with_unit), who.handler() || who.dispatcher()),
        A::Reassign => (
            in_state(&[S::Assigned, S::SignedFor, S::InProgress, S::Returned]),
            who.dispatcher(),
        ),
        A::Merge => (in_state(&pending), who.dispatcher()),
        A::Close => (in_state(&[S::Resolved]), who.dispatcher()),
        A::Rate => (
            in_state(&[S::Resolved, S::Closed]),
            who.reporter || who.dispatcher(),
        ),
        A::Reopen => (
            in_state(&[S::Resolved, S::Closed]),
            who.reporter || who.dispatcher(),
        ),
        A::Extend => (in_state(&with_unit), who.dispatcher() || who.supervisor()),
        A::Supervise => (in_state(&pending), who.supervisor()),
        A::AnswerSupervision => (in_state(&pending), who.handler()),
    };
    if !state_ok {
        return Err(Refusal::WrongState);
    }
    if !allowed {
        return Err(Refusal::NotPermitted);
    }
    match action {
        A::Resolve if facts.open_tasks > 0 => Err(Refusal::CoHandlingOpen),
        A::Escalate if facts.at_top_tier => Err(Refusal::TopTier),
        A::Rate if facts.rated => Err(Refusal::AlreadyRated),
        A::AnswerSupervision if facts.open_orders == 0 => Err(Refusal::NoOpenOrder),
        _ => Ok(()),
    }
}

/// The actions `who` may take now, in the order the apps show them.
#[must_use]
pub fn available(who: &Standing, facts: &Facts) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|&a| a != ActionKind::Submit && check(who, facts, a).is_ok())
        .collect()
}
