//! Case bodies: `POST /v1/cases`, `GET /v1/cases[/{id}[/history]]`,
//! `POST /v1/cases/{id}/actions`.

use crate::case::{ActionKind, Channel, Outcome, Party, Remark, Status};
use crate::photo::{NewPhoto, PhotoView};
use crate::risk::RiskColour;
use crate::time::Instant;
use crate::{CaseId, OrderId, OrgUnitKind, TaskId};
use serde::{Deserialize, Serialize};

/// Where a case happened, in the system the phone reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationIn {
    pub lat: f64,
    pub lon: f64,
    /// `wgs84` (default), `gcj02` or `cgcs2000`.
    #[serde(default)]
    pub crs: Option<String>,
}

/// A new case. `id` is the phone's UUIDv7 when it was created offline;
/// sending the same id again returns the case already stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCase {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub id: Option<CaseId>,
    /// A category code such as `neighbour_dispute`.
    pub category: String,
    pub description: Remark,
    pub location: LocationIn,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub parties: Vec<Party>,
    #[serde(default)]
    pub people_affected: Option<u32>,
    #[serde(default)]
    pub amount_yuan: Option<u64>,
    #[serde(default)]
    pub risk: Option<RiskColour>,
    /// Photos taken for it, by their metadata; their bytes follow through
    /// `POST /v1/uploads`, and until then they show as pending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<NewPhoto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitBrief {
    pub id: String,
    pub kind: OrgUnitKind,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonBrief {
    pub id: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierView {
    /// Position on the county's ladder, from 0.
    pub index: u32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: TaskId,
    pub unit: UnitBrief,
    pub task: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub deadline: Instant,
    pub report: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub reported_at: Option<Instant>,
    /// Reported after its deadline, or still open past it.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: OrderId,
    pub issued_by: PersonBrief,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub issued_at: Instant,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub deadline: Instant,
    pub answer: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub answered_at: Option<Instant>,
    /// Answered after its deadline, or still open past it.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointView {
    pub lat: f64,
    pub lon: f64,
}

/// A case as its reader may see it. `parties` is absent for readers who may
/// not see personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CaseId,
    pub version: i64,
    pub status: Status,
    pub category: String,
    pub description: String,
    pub channel: Channel,
    /// WGS84.
    pub location: PointView,
    pub grid: Option<UnitBrief>,
    /// Metres to the grid when the point lay just outside it; 0 inside.
    pub distance_m: f64,
    pub tier: TierView,
    pub lead_unit: UnitBrief,
    pub assignee: Option<PersonBrief>,
    /// The routing rule that sent the case where it started.
    pub rule: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub sign_by: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub deadline: Option<Instant>,
    /// Past its sign-by time or deadline and still with the unit.
    pub overdue: bool,
    pub risk: Option<RiskColour>,
    pub people_affected: u32,
    pub amount_yuan: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<Party>>,
    pub co_handling: Vec<TaskView>,
    pub supervision: Vec<OrderView>,
    pub outcome: Option<Outcome>,
    pub summary: Option<String>,
    pub rating: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub merged_into: Option<CaseId>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Instant,
    /// What the reader may do now: the buttons to show.
    pub actions: Vec<ActionKind>,
    /// In the order they were added.
    pub photos: Vec<PhotoView>,
}

/// One page of a case list, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CasePage {
    pub items: Vec<CaseView>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub seq: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    /// Who did it; absent for the scheduler.
    pub actor: Option<PersonBrief>,
    pub action: String,
    /// The arguments and what the action did: tier, unit, assignee, deadline…
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}
