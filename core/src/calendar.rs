//! The working-day calendar deadlines are counted on. Saturdays and Sundays
//! are rest days and Monday to Friday working days, except where the State
//! Council's yearly notice says otherwise: public holidays (放假) and the
//! weekend days worked in exchange (调休上班). Those exceptions are data: the
//! real 2025 and 2026 notices ship here, and a county adds its own through the
//! API.
//!
//! Counting follows the Civil Code (art. 201): the day a period starts is
//! not counted, so "N working days" from a moment ends at the end of the Nth
//! working day after that moment's date.

use crate::time::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DayKind {
    /// A day off, whatever weekday it falls on.
    Holiday,
    /// A working day, even on a weekend (调休上班).
    Workday,
}

/// One exception to the weekday rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecialDay {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-02-14"))]
    pub date: Date,
    pub kind: DayKind,
    /// What it is for, e.g. "春节".
    pub name: String,
}

/// Holidays and make-up working days of one State Council notice.
struct Notice {
    holidays: &'static [(&'static str, &'static str, &'static str)],
    workdays: &'static [(&'static str, &'static str)],
}

/// 国办发明电〔2024〕12号: 2025.
const NOTICE_2025: Notice = Notice {
    holidays: &[
        ("2025-01-01", "2025-01-01", "元旦"),
        ("2025-01-28", "2025-02-04", "春节"),
        ("2025-04-04", "2025-04-06", "清明节"),
        ("2025-05-01", "2025-05-05", "劳动节"),
        ("2025-05-31", "2025-06-02", "端午节"),
        ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ],
    workdays: &[
        ("2025-01-26", "春节"),
        ("2025-02-08", "春节"),
        ("2025-04-27", "劳动节"),
        ("2025-09-28", "国庆节、中秋节"),
        ("2025-10-11", "国庆节、中秋节"),
    ],
};

/// The State Council's notice of 4 November 2025: 2026.
const NOTICE_2026: Notice = Notice {
    holidays: &[
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ],
    workdays: &[
        ("2026-01-04", "元旦"),
        ("2026-02-14", "春节"),
        ("2026-02-28", "春节"),
        ("2026-05-09", "劳动节"),
        ("2026-09-20", "国庆节"),
        ("2026-10-10", "国庆节"),
    ],
};

/// Years whose official exceptions ship with Gridline.
pub const SHIPPED_YEARS: [i32; 2] = [2025, 2026];

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    special: BTreeMap<Date, SpecialDay>,
}

/// Counting ran past the end of what a calendar can know (a bound on loops).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} working days is more than a calendar counts (at most 366)")]
pub struct TooManyDays(pub u32);

impl Calendar {
    /// Weekends only, no exceptions.
    #[must_use]
    pub fn weekends_only() -> Self {
        Self::default()
    }

    /// Mainland China's official 2025 and 2026 calendars.
    #[must_use]
    pub fn china() -> Self {
        let mut c = Self::default();
        for notice in [NOTICE_2025, NOTICE_2026] {
            for &(from, to, name) in notice.holidays {
                if let (Ok(mut d), Ok(to)) = (from.parse::<Date>(), to.parse::<Date>()) {
                    while d <= to {
                        c.set(SpecialDay {
                            date: d,
                            kind: DayKind::Holiday,
                            name: name.to_owned(),
                        });
                        d = d.next();
                    }
                }
            }
            for &(day, name) in notice.workdays {
                if let Ok(d) = day.parse() {
                    c.set(SpecialDay {
                        date: d,
                        kind: DayKind::Workday,
                        name: name.to_owned(),
                    });
                }
            }
        }
        c
    }

    /// Adds or replaces the exception for one date.
    pub fn set(&mut self, day: SpecialDay) {
        self.special.insert(day.date, day);
    }

    /// Removes the exception for a date, if any.
    pub fn unset(&mut self, date: Date) -> Option<SpecialDay> {
        self.special.remove(&date)
    }

    /// Every exception, in date order.
    pub fn special_days(&self) -> impl Iterator<Item = &SpecialDay> {
        self.special.values()
    }

    #[must_use]
    pub fn is_working_day(&self, d: Date) -> bool {
        match self.special.get(&d).map(|s| s.kind) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !d.is_weekend(),
        }
    }

    /// The `n`th working day after `from` (`from` itself not counted); `n = 0` is `from`.
    ///
    /// # Errors
    /// `n` above 366.
    pub fn add_working_days(&self, from: Date, n: u32) -> Result<Date, TooManyDays> {
        if n > 366 {
            return Err(TooManyDays(n));
        }
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.next();
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The deadline `n` working days after the instant `start_ms`: the last
    /// millisecond of the `n`th working day after its date in China.
    ///
    /// # Errors
    /// `n` above 366.
    pub fn deadline(&self, start_ms: i64, n: u32) -> Result<i64, TooManyDays> {
        Ok(self
            .add_working_days(Date::of_instant(start_ms), n)?
            .end_ms())
    }

    /// Working days in `(from, to]`: how many a period used up.
    #[must_use]
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.next();
            n += u32::from(self.is_working_day(d));
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_2025_and_2026_notices_are_in() {
        let c = Calendar::china();
        // Holidays on weekdays, make-up Saturdays and Sundays, ordinary days.
        for (day, working) in [
            ("2025-01-01", false),
            ("2025-01-26", true),
            ("2025-02-04", false),
            ("2025-02-08", true),
            ("2025-09-28", true),
            ("2025-10-08", false),
            ("2025-10-11", true),
            ("2025-10-12", false),
            ("2026-01-04", true),
            ("2026-02-14", true),
            ("2026-02-23", false),
            ("2026-02-24", true),
            ("2026-09-25", false),
            ("2026-10-10", true),
            ("2026-11-20", true),
            ("2026-11-21", false),
        ] {
            assert_eq!(c.is_working_day(d(day)), working, "{day}");
        }
        let holidays_2025 = c
            .special_days()
            .filter(|s| s.kind == DayKind::Holiday && s.date < d("2026-01-01"))
            .count();
        assert_eq!(holidays_2025, 1 + 8 + 3 + 5 + 3 + 8);
    }

    #[test]
    fn counting_skips_the_start_day_weekends_and_holidays_and_counts_make_up_days() {
        let c = Calendar::china();
        // Thursday 25 Sep 2025: Fri 26 is the first working day, Sun 28 (make-up) the second.
        assert_eq!(
            c.add_working_days(d("2025-09-25"), 1).unwrap(),
            d("2025-09-26")
        );
        assert_eq!(
            c.add_working_days(d("2025-09-25"), 2).unwrap(),
            d("2025-09-28")
        );
        // Over the National Day week: Tue 30 Sep, then Thu 9 Oct.
        assert_eq!(
            c.add_working_days(d("2025-09-29"), 2).unwrap(),
            d("2025-10-09")
        );
        assert_eq!(
            c.add_working_days(d("2025-09-29"), 0).unwrap(),
            d("2025-09-29")
        );
        assert_eq!(
            Calendar::weekends_only()
                .add_working_days(d("2025-09-26"), 1)
                .unwrap(),
            d("2025-09-29")
        );
        assert_eq!(c.working_days_between(d("2025-09-25"), d("2025-10-10")), 6);
        assert!(c.add_working_days(d("2025-09-25"), 367).is_err());
    }

    #[test]
    fn a_deadline_is_the_end_of_its_day_in_china() {
        let c = Calendar::china();
        // 01:30 UTC on 25 Sep is 09:30 in China: one working day ends 26 Sep 23:59:59.999 +08:00.
        let start = d("2025-09-25").start_ms() + 9 * 3_600_000 + 1_800_000;
        assert_eq!(c.deadline(start, 1).unwrap(), d("2025-09-26").end_ms());
        // 23:30 in China on a Friday is still Friday.
        let late = d("2025-09-26").start_ms() + 23 * 3_600_000 + 1_800_000;
        assert_eq!(Date::of_instant(late), d("2025-09-26"));
    }

    #[test]
    fn a_county_can_add_and_remove_its_own_days() {
        let mut c = Calendar::china();
        c.set(SpecialDay {
            date: d("2026-11-20"),
            kind: DayKind::Holiday,
            name: "local".into(),
        });
        assert!(!c.is_working_day(d("2026-11-20")));
        assert!(c.unset(d("2026-11-20")).is_some());
        assert!(c.is_working_day(d("2026-11-20")));
    }
}
