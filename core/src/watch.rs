//! The register of watched households and places (重点户、重点场所): each
//! carries one of the five risk classes, and its colour sets when the grid
//! worker must visit next. Pure scheduling rules; the server stores them.

use crate::risk::{RiskColour, RiskLevel};
use crate::time::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WatchKind {
    Household,
    Place,
}

/// When the next return visit is due for a household at `level`, counting
/// from `from` (the last visit, or the moment it was registered or its
/// class changed): the end of the day a colour's interval later (blue 30,
/// yellow 15, orange 7, red 3 days), China time. `None` once it is safe.
#[must_use]
pub fn next_visit_due(level: RiskLevel, from_ms: i64) -> Option<i64> {
    let colour: RiskColour = level.colour()?;
    let days = i32::try_from(colour.max_days_between_visits()).unwrap_or(i32::MAX);
    Some(Date::of_instant(from_ms).plus_days(days).end_ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_colour_sets_its_own_interval_and_safe_needs_no_visit() {
        let monday_10am = "2025-11-03".parse::<Date>().unwrap().start_ms() + 10 * 3_600_000;
        let due = |l| next_visit_due(l, monday_10am).map(|ms| Date::of_instant(ms).to_string());
        assert_eq!(due(RiskLevel::Micro).as_deref(), Some("2025-12-03"));
        assert_eq!(due(RiskLevel::Low).as_deref(), Some("2025-11-18"));
        assert_eq!(due(RiskLevel::Medium).as_deref(), Some("2025-11-10"));
        assert_eq!(due(RiskLevel::High).as_deref(), Some("2025-11-06"));
        assert_eq!(due(RiskLevel::Safe), None);
        // Due at the very end of that day.
        let end = next_visit_due(RiskLevel::High, monday_10am).unwrap();
        assert_eq!(Date::of_instant(end + 1).to_string(), "2025-11-07");
    }
}
