//! The territory: county → township/street → village/community → grid
//! (→ micro-grid). A grid is an administrative polygon drawn by the county.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The level of an org unit in the territory tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgUnitKind {
    /// 县/区
    County,
    /// 乡镇/街道
    Township,
    /// 村/社区
    Village,
    /// 网格
    Grid,
    /// 微网格
    MicroGrid,
    /// 部门: a department at a township or the county (司法所, 派出所, 人社…).
    Department,
}

impl OrgUnitKind {
    pub const ALL: [OrgUnitKind; 6] = [
        OrgUnitKind::County,
        OrgUnitKind::Township,
        OrgUnitKind::Village,
        OrgUnitKind::Grid,
        OrgUnitKind::MicroGrid,
        OrgUnitKind::Department,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            OrgUnitKind::County => "county",
            OrgUnitKind::Township => "township",
            OrgUnitKind::Village => "village",
            OrgUnitKind::Grid => "grid",
            OrgUnitKind::MicroGrid => "micro_grid",
            OrgUnitKind::Department => "department",
        }
    }

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            OrgUnitKind::County => "县(区)",
            OrgUnitKind::Township => "乡镇(街道)",
            OrgUnitKind::Village => "村(社区)",
            OrgUnitKind::Grid => "网格",
            OrgUnitKind::MicroGrid => "微网格",
            OrgUnitKind::Department => "部门",
        }
    }

    /// The kind a unit of this kind hangs under, if any (a department may
    /// hang under a township or the county, so it names none).
    #[must_use]
    pub const fn parent_kind(self) -> Option<OrgUnitKind> {
        match self {
            OrgUnitKind::County => None,
            OrgUnitKind::Township => Some(OrgUnitKind::County),
            OrgUnitKind::Village => Some(OrgUnitKind::Township),
            OrgUnitKind::Grid => Some(OrgUnitKind::Village),
            OrgUnitKind::MicroGrid => Some(OrgUnitKind::Grid),
            OrgUnitKind::Department => None,
        }
    }

    /// Whether this kind carries a polygon that points are assigned to.
    #[must_use]
    pub const fn has_polygon(self) -> bool {
        matches!(self, OrgUnitKind::Grid | OrgUnitKind::MicroGrid)
    }
}

impl fmt::Display for OrgUnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgUnitKind {
    type Err = TerritoryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| TerritoryError::UnknownKind(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TerritoryError {
    #[error("a code cannot be empty")]
    EmptyCode,
    #[error("code {0:?} is longer than 32 characters")]
    CodeTooLong(String),
    #[error("code {0:?} may hold only letters, digits, '-', '_' and '.'")]
    CodeCharacters(String),
    #[error("a name cannot be empty")]
    EmptyName,
    #[error("name {0:?} is longer than 64 characters")]
    NameTooLong(String),
    #[error(
        "unknown org unit kind {0:?}: use county, township, village, grid, micro_grid or department"
    )]
    UnknownKind(String),
}

/// The code of an org unit: a statistical division code such as 620725 or
/// 620725100000, or a grid code. Non-empty, at most 32 characters of
/// `[0-9A-Za-z._-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OrgCode(String);

impl OrgCode {
    pub fn parse(s: &str) -> Result<Self, TerritoryError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(TerritoryError::EmptyCode);
        }
        if s.chars().count() > 32 {
            return Err(TerritoryError::CodeTooLong(s.to_owned()));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(TerritoryError::CodeCharacters(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The display name of an org unit, e.g. 清泉镇 or 城南社区第3网格.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(s: &str) -> Result<Self, TerritoryError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(TerritoryError::EmptyName);
        }
        if s.chars().count() > 64 {
            return Err(TerritoryError::NameTooLong(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for OrgCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for OrgName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_code_cannot_be_empty() {
        assert_eq!(OrgCode::parse("  "), Err(TerritoryError::EmptyCode));
        assert_eq!(
            OrgCode::parse(" 620725100201001 ").unwrap().as_str(),
            "620725100201001"
        );
        assert!(matches!(
            OrgCode::parse("62 07"),
            Err(TerritoryError::CodeCharacters(_))
        ));
        assert!(matches!(
            OrgCode::parse(&"9".repeat(33)),
            Err(TerritoryError::CodeTooLong(_))
        ));
    }

    #[test]
    fn names_hold_chinese_and_are_bounded() {
        assert_eq!(OrgName::parse("清泉镇").unwrap().as_str(), "清泉镇");
        assert_eq!(OrgName::parse(""), Err(TerritoryError::EmptyName));
        assert!(OrgName::parse(&"网".repeat(64)).is_ok());
        assert!(OrgName::parse(&"网".repeat(65)).is_err());
    }

    #[test]
    fn the_tree_has_five_levels_in_order() {
        let mut kind = OrgUnitKind::MicroGrid;
        let mut depth = 1;
        while let Some(parent) = kind.parent_kind() {
            assert!(parent < kind);
            kind = parent;
            depth += 1;
        }
        assert_eq!((kind, depth), (OrgUnitKind::County, 5));
        assert_eq!(
            "micro_grid".parse::<OrgUnitKind>(),
            Ok(OrgUnitKind::MicroGrid)
        );
    }
}
