//! Territory bodies: `/v1/locate`, `/v1/org-units`.

use crate::OrgUnitKind;
use serde::{Deserialize, Serialize};

/// A short reference to an org unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub code: String,
    pub name: String,
}

/// A person responsible for the place located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Responsible {
    pub username: String,
    pub display_name: String,
    pub role: crate::Role,
}

/// Where a point falls. `grid` is `None` when the point is in no grid and not
/// near one: it belongs to the county centre's unassigned queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocateResponse {
    pub grid: Option<UnitRef>,
    pub village: Option<UnitRef>,
    pub township: Option<UnitRef>,
    pub county: Option<UnitRef>,
    /// 0 inside a grid; the distance to the nearest grid when the point lay
    /// outside every grid but within the configured tolerance.
    pub distance_m: f64,
    /// The grid workers of the grid and the cadres of its village.
    pub responsible: Vec<Responsible>,
}

/// An org unit as listed by `/v1/org-units`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnitView {
    pub id: String,
    pub kind: OrgUnitKind,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
}

/// A department a case can be handed to for co-handling
/// (`GET /v1/departments`): the caller's township's and county's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentView {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: crate::department::DepartmentKind,
    /// The township or county it belongs to.
    pub parent_code: String,
}
