//! The tiers a case climbs and each one's budget in working days: by default
//! grid → village → township centre → county centre, "four levels in seven
//! days" (1 + 2 + 2 + 2). A county can set its own split, or its own rungs
//! (Huocheng's fourth rung is the township party committee and government).

use serde::{Deserialize, Serialize};

/// Which level of the territory tree a rung's cases are handled at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    Grid,
    Village,
    Township,
    County,
}

impl Level {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Grid => "grid",
            Level::Village => "village",
            Level::Township => "township",
            Level::County => "county",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rung {
    /// Stable name, e.g. `township_centre`.
    pub name: String,
    pub level: Level,
    /// Working days the unit has once it signs for the case.
    pub working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ladder {
    pub rungs: Vec<Rung>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    #[error("a ladder needs at least one rung")]
    Empty,
    #[error("a ladder has at most 8 rungs; this one has {0}")]
    TooManyRungs(usize),
    #[error("rung {0:?}: the budget must be 1 to 30 working days, not {1}")]
    BadBudget(String, u32),
    #[error("rung name {0:?} must be 1 to 40 characters of a-z, 0-9 and _")]
    BadName(String),
    #[error("rung name {0:?} appears twice")]
    DuplicateName(String),
    /// Escalation must only go up: a rung below the one before would send a
    /// case back to a unit it already left, round and round.
    #[error(
        "rung {to:?} ({to_level}) comes after {from:?} ({from_level}): escalation would loop back down"
    )]
    Loop {
        from: String,
        from_level: &'static str,
        to: String,
        to_level: &'static str,
    },
}

impl LadderError {
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            LadderError::Loop { .. } => "routing_loop",
            _ => "invalid_ladder",
        }
    }
}

fn rung(name: &str, level: Level, working_days: u32) -> Rung {
    Rung {
        name: name.to_owned(),
        level,
        working_days,
    }
}

impl Default for Ladder {
    /// Four levels in seven days.
    fn default() -> Self {
        Ladder {
            rungs: vec![
                rung("grid", Level::Grid, 1),
                rung("village", Level::Village, 2),
                rung("township_centre", Level::Township, 2),
                rung("county_centre", Level::County, 2),
            ],
        }
    }
}

impl Ladder {
    /// # Errors
    /// Empty, too long, a bad name or budget, or a rung below the one before.
    pub fn validate(&self) -> Result<(), LadderError> {
        if self.rungs.is_empty() {
            return Err(LadderError::Empty);
        }
        if self.rungs.len() > 8 {
            return Err(LadderError::TooManyRungs(self.rungs.len()));
        }
        for (i, r) in self.rungs.iter().enumerate() {
            let name_ok = (1..=40).contains(&r.name.len())
                && r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !name_ok {
                return Err(LadderError::BadName(r.name.clone()));
            }
            if !(1..=30).contains(&r.working_days) {
                return Err(LadderError::BadBudget(r.name.clone(), r.working_days));
            }
            if self.rungs[..i].iter().any(|p| p.name == r.name) {
                return Err(LadderError::DuplicateName(r.name.clone()));
            }
            if let Some(prev) = i.checked_sub(1).map(|p| &self.rungs[p])
                && r.level < prev.level
            {
                return Err(LadderError::Loop {
                    from: prev.name.clone(),
                    from_level: prev.level.as_str(),
                    to: r.name.clone(),
                    to_level: r.level.as_str(),
                });
            }
        }
        Ok(())
    }

    /// The first rung at `level` or, if none is, the first above it.
    #[must_use]
    pub fn start_at(&self, level: Level) -> usize {
        self.rungs
            .iter()
            .position(|r| r.level >= level)
            .unwrap_or(self.rungs.len().saturating_sub(1))
    }

    /// Total budget over every rung.
    #[must_use]
    pub fn total_days(&self) -> u32 {
        self.rungs.iter().map(|r| r.working_days).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_four_levels_in_seven_days() {
        let l = Ladder::default();
        assert_eq!(l.rungs.len(), 4);
        assert_eq!(l.total_days(), 7);
        assert_eq!(l.validate(), Ok(()));
        assert_eq!(l.start_at(Level::Township), 2);
    }

    #[test]
    fn a_ladder_that_goes_back_down_is_a_loop() {
        let mut l = Ladder::default();
        l.rungs.push(rung("back_to_village", Level::Village, 1));
        let e = l.validate().unwrap_err();
        assert_eq!(e.code(), "routing_loop");
        assert!(e.to_string().contains("back_to_village"), "{e}");
    }

    #[test]
    fn two_rungs_on_one_level_are_fine_bad_budgets_are_not() {
        let mut l = Ladder::default();
        l.rungs[3] = rung("township_government", Level::Township, 2);
        assert_eq!(l.validate(), Ok(()));
        l.rungs[0].working_days = 0;
        assert!(matches!(l.validate(), Err(LadderError::BadBudget(..))));
    }
}
