//! `GET /v1/stats`: the figures a centre reports, computed from case history.
//!
//! The figures follow one cohort: the cases first dispatched (accepted,
//! 受理) within the period, in the caller's jurisdiction, as their history
//! stood at the period's end. A period that has ended therefore gives the
//! same figures whenever it is asked for.

use crate::time::Date;
use serde::{Deserialize, Serialize};

/// What the groups are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GroupBy {
    /// The unit holding the case at the period's end (the one that resolved
    /// it, if it was resolved).
    Unit,
    /// The grid the case is in; `none` for cases outside every grid.
    Grid,
    Category,
    /// The tier the case reached by the period's end.
    Tier,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::Unit,
        GroupBy::Grid,
        GroupBy::Category,
        GroupBy::Tier,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Unit => "unit",
            GroupBy::Grid => "grid",
            GroupBy::Category => "category",
            GroupBy::Tier => "tier",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<GroupBy> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// How many cases were settled at one tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierShare {
    /// Rung of the ladder, 0 = the first.
    pub tier: u32,
    pub name: String,
    pub settled: u64,
    /// `settled` over all cases settled in the group.
    pub share: f64,
}

/// The figures of one group (or of everything).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// Cases first dispatched in the period (受理).
    pub accepted: u64,
    /// Of those, resolved by the period's end (and not reopened since).
    pub resolved: u64,
    /// Of the resolved, settled by agreement rather than referred to
    /// arbitration or court.
    pub settled: u64,
    /// `settled / accepted` (化解率); absent with nothing accepted.
    pub resolution_rate: Option<f64>,
    /// Of the resolved, resolved within the deadline of their tier.
    pub on_time: u64,
    /// `on_time / resolved`.
    pub on_time_rate: Option<f64>,
    /// Mean minutes from report to dispatch.
    pub mean_minutes_to_accept: Option<f64>,
    /// Mean hours from dispatch to resolution, over the resolved.
    pub mean_hours_to_resolve: Option<f64>,
    /// Cases moved up a tier at least once.
    pub escalated: u64,
    /// Where the settled cases were settled, lowest tier first.
    pub settled_by_tier: Vec<TierShare>,
    /// Cases rated by their reporter or on a return visit.
    pub rated: u64,
    /// Mean stars (1–5) of the rated.
    pub mean_rating: Option<f64>,
}

/// One group's key and figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsGroup {
    /// A unit or grid code, a category code or a tier number.
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The answer of `GET /v1/stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    pub group_by: Option<GroupBy>,
    pub total: Figures,
    /// By `group_by`, most accepted first; empty without `group_by`.
    pub groups: Vec<StatsGroup>,
}
