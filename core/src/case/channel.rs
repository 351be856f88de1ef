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
    /// 12345 government hotline. (Its serde name was `hotline12345` before
    /// it matched [`Channel::as_str`]; stored rows may still say so.)
    #[serde(rename = "hotline_12345", alias = "hotline12345")]
    Hotline12345,
    /// Non-police matters moved from the 110 platform
    #[serde(rename = "police_110", alias = "police110")]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_name_is_the_stored_and_parsed_name() {
        for c in Channel::ALL {
            let wire = serde_json::to_value(c).unwrap();
            assert_eq!(wire, c.as_str(), "{c:?}");
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
        }
        let old: Channel = serde_json::from_value("hotline12345".into()).unwrap();
        assert_eq!(old, Channel::Hotline12345, "rows written before still read");
    }
}
