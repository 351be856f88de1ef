//! Where a case came in ("no wrong door": every channel lands in one pipeline).

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    /// 网格员巡查
    #[default]
    GridPatrol,
    /// 群众 app / mini-program
    ResidentApp,
    /// 12345 government hotline
    Hotline12345,
    /// Non-police matters moved from the 110 platform
    Police110,
    /// 来访: in person at a centre
    WalkIn,
    /// 诉前调解: referred by a court before litigation
    CourtReferral,
    /// Open311 GeoReport v2 clients
    Open311,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::GridPatrol,
        Channel::ResidentApp,
        Channel::Hotline12345,
        Channel::Police110,
        Channel::WalkIn,
        Channel::CourtReferral,
        Channel::Open311,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::GridPatrol => "grid_patrol",
            Channel::ResidentApp => "resident_app",
            Channel::Hotline12345 => "hotline_12345",
            Channel::Police110 => "police_110",
            Channel::WalkIn => "walk_in",
            Channel::CourtReferral => "court_referral",
            Channel::Open311 => "open311",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}")]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}
