//! The register of watched households and places: `POST /v1/watches`,
//! `GET /v1/watches[/{id}]`, `POST /v1/watches/{id}/level`,
//! `POST /v1/watches/{id}/visits`.

use super::case::{EventView, LocationIn, PersonBrief, PointView, UnitBrief};
use crate::WatchId;
use crate::case::Remark;
use crate::risk::{RiskColour, RiskLevel};
use crate::time::Instant;
use crate::watch::WatchKind;
use serde::{Deserialize, Serialize};

/// A household or place to watch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWatch {
    /// The phone's UUIDv7 when registered offline; sending it again returns
    /// the entry already stored.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub id: Option<WatchId>,
    pub kind: WatchKind,
    /// How the grid worker knows it: "张家 (3 口人)", "城南农贸市场".
    pub label: Remark,
    #[serde(default)]
    pub address: Option<Remark>,
    pub location: LocationIn,
    pub level: RiskLevel,
    /// Why it is watched.
    pub reason: Remark,
}

/// A new risk class, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelChange {
    pub level: RiskLevel,
    pub reason: Remark,
}

/// A return visit made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitIn {
    /// What the visit found.
    pub note: Remark,
    /// When it was made, if earlier than now (a visit recorded offline);
    /// never in the future.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub at: Option<Instant>,
}

/// The visit owed next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitDue {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: Instant,
    /// Past due now.
    pub late: bool,
    /// When the scheduler warned that it was missed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub missed_warned_at: Option<Instant>,
}

/// A watched household or place as its reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchView {
    pub id: String,
    pub version: i64,
    pub kind: WatchKind,
    pub label: String,
    pub address: Option<String>,
    pub location: PointView,
    pub grid: UnitBrief,
    pub level: RiskLevel,
    pub colour: Option<RiskColour>,
    pub reason: String,
    /// The grid worker who visits; absent while the grid has none on duty.
    pub responsible: Option<PersonBrief>,
    /// Absent once the household is safe.
    pub next_visit: Option<VisitDue>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub last_visit_at: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Instant,
    /// Registration, class changes, visits and missed-visit warnings; only
    /// on `GET /v1/watches/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<EventView>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchPage {
    pub items: Vec<WatchView>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}
