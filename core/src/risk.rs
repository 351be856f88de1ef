//! "Five classes, four colours" (五级分类管理、四色风险预警): a watched
//! household or place is classed safe, micro, low, medium or high risk; the
//! four risky classes raise blue, yellow, orange or red and set how often the
//! grid worker must visit.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RiskLevel {
    Safe,
    Micro,
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RiskColour {
    Blue,
    Yellow,
    Orange,
    Red,
}

impl RiskLevel {
    /// The warning colour, or `None` for a safe household.
    #[must_use]
    pub const fn colour(self) -> Option<RiskColour> {
        match self {
            RiskLevel::Safe => None,
            RiskLevel::Micro => Some(RiskColour::Blue),
            RiskLevel::Low => Some(RiskColour::Yellow),
            RiskLevel::Medium => Some(RiskColour::Orange),
            RiskLevel::High => Some(RiskColour::Red),
        }
    }
}

impl RiskColour {
    pub const ALL: [RiskColour; 4] = [
        RiskColour::Blue,
        RiskColour::Yellow,
        RiskColour::Orange,
        RiskColour::Red,
    ];

    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            RiskColour::Blue => "蓝色",
            RiskColour::Yellow => "黄色",
            RiskColour::Orange => "橙色",
            RiskColour::Red => "红色",
        }
    }

    /// Return visits per 28 days: monthly, every half month, weekly, twice a week.
    #[must_use]
    pub const fn visits_per_four_weeks(self) -> u32 {
        match self {
            RiskColour::Blue => 1,
            RiskColour::Yellow => 2,
            RiskColour::Orange => 4,
            RiskColour::Red => 8,
        }
    }

    /// The longest gap between two visits, in days.
    #[must_use]
    pub const fn max_days_between_visits(self) -> u32 {
        match self {
            RiskColour::Blue => 30,
            RiskColour::Yellow => 15,
            RiskColour::Orange => 7,
            RiskColour::Red => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_risk_means_a_hotter_colour_and_more_visits() {
        let levels = [
            RiskLevel::Micro,
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
        ];
        let colours: Vec<_> = levels.iter().filter_map(|l| l.colour()).collect();
        assert_eq!(colours, RiskColour::ALL);
        assert!(
            colours
                .windows(2)
                .all(|w| w[0].visits_per_four_weeks() < w[1].visits_per_four_weeks())
        );
        assert!(
            colours
                .windows(2)
                .all(|w| w[0].max_days_between_visits() > w[1].max_days_between_visits())
        );
        assert_eq!(RiskLevel::Safe.colour(), None);
    }
}
