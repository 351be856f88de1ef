//! Departments a case can be handed to or shared with (部门): they sit at a
//! township or at the county and are called in by routing rules and by
//! operators ("the centre blows the whistle, the departments report").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DepartmentKind {
    /// 司法所
    JudicialOffice,
    /// 派出所
    PoliceStation,
    /// 人民法庭 / 法院
    Court,
    /// 人力资源和社会保障
    Labour,
    /// 信访
    Petitions,
    /// 妇联
    WomensFederation,
    /// 住房和城乡建设
    Housing,
    /// 市场监督管理
    MarketSupervision,
    /// 金融监管
    FinancialRegulator,
    /// 物业纠纷调处中心
    PropertyDisputeCentre,
    /// 法律援助 / 值班律师
    LegalAid,
}

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 11] = [
        DepartmentKind::JudicialOffice,
        DepartmentKind::PoliceStation,
        DepartmentKind::Court,
        DepartmentKind::Labour,
        DepartmentKind::Petitions,
        DepartmentKind::WomensFederation,
        DepartmentKind::Housing,
        DepartmentKind::MarketSupervision,
        DepartmentKind::FinancialRegulator,
        DepartmentKind::PropertyDisputeCentre,
        DepartmentKind::LegalAid,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DepartmentKind::JudicialOffice => "judicial_office",
            DepartmentKind::PoliceStation => "police_station",
            DepartmentKind::Court => "court",
            DepartmentKind::Labour => "labour",
            DepartmentKind::Petitions => "petitions",
            DepartmentKind::WomensFederation => "womens_federation",
            DepartmentKind::Housing => "housing",
            DepartmentKind::MarketSupervision => "market_supervision",
            DepartmentKind::FinancialRegulator => "financial_regulator",
            DepartmentKind::PropertyDisputeCentre => "property_dispute_centre",
            DepartmentKind::LegalAid => "legal_aid",
        }
    }

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            DepartmentKind::JudicialOffice => "司法所",
            DepartmentKind::PoliceStation => "派出所",
            DepartmentKind::Court => "人民法庭",
            DepartmentKind::Labour => "人力资源和社会保障局",
            DepartmentKind::Petitions => "信访局",
            DepartmentKind::WomensFederation => "妇联",
            DepartmentKind::Housing => "住房和城乡建设局",
            DepartmentKind::MarketSupervision => "市场监督管理局",
            DepartmentKind::FinancialRegulator => "金融监管局",
            DepartmentKind::PropertyDisputeCentre => "物业纠纷调处中心",
            DepartmentKind::LegalAid => "法律援助中心",
        }
    }
}

impl fmt::Display for DepartmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown department kind {0:?}")]
pub struct UnknownDepartment(pub String);

impl FromStr for DepartmentKind {
    type Err = UnknownDepartment;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownDepartment(s.to_owned()))
    }
}
