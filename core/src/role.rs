//! Roles. A user holds one or more roles, each scoped to an org unit: a grid
//! worker to a grid, a cadre to a village, an operator to a township or county.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// 群众: submits requests and follows them.
    Resident,
    /// 网格员: patrols one grid, reports, does first mediation.
    GridWorker,
    /// 村(社区)干部: handles what is assigned to the village.
    VillageCadre,
    /// 乡镇(街道)综治中心 operator.
    TownshipOperator,
    /// 县(区)综治中心 operator.
    CountyOperator,
    /// 部门 handler: judicial office, police station, court, labour bureau…
    DepartmentHandler,
    /// 督查: watches deadlines, issues supervision orders.
    Supervisor,
    /// Runs the system: territory, users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Resident,
        Role::GridWorker,
        Role::VillageCadre,
        Role::TownshipOperator,
        Role::CountyOperator,
        Role::DepartmentHandler,
        Role::Supervisor,
        Role::Admin,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::GridWorker => "grid_worker",
            Role::VillageCadre => "village_cadre",
            Role::TownshipOperator => "township_operator",
            Role::CountyOperator => "county_operator",
            Role::DepartmentHandler => "department_handler",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            Role::Resident => "群众",
            Role::GridWorker => "网格员",
            Role::VillageCadre => "村(社区)干部",
            Role::TownshipOperator => "乡镇(街道)综治中心",
            Role::CountyOperator => "县(区)综治中心",
            Role::DepartmentHandler => "部门办理人",
            Role::Supervisor => "督查",
            Role::Admin => "管理员",
        }
    }

    /// Whether this role may change the territory (import or generate grids)
    /// within its org unit.
    #[must_use]
    pub const fn manages_territory(self) -> bool {
        matches!(self, Role::Admin | Role::CountyOperator)
    }

    /// Whether this role may create users within its org unit.
    #[must_use]
    pub const fn manages_users(self) -> bool {
        matches!(self, Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?}: use one of resident, grid_worker, village_cadre, township_operator, county_operator, department_handler, supervisor, admin"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text_and_json() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!("grid-worker".parse::<Role>(), Ok(Role::GridWorker));
        assert!("mayor".parse::<Role>().is_err());
    }
}
