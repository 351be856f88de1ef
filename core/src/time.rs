//! Civil dates and instants in China Standard Time (UTC+8, no daylight
//! saving), written here because the rules the core needs are few: a date's
//! weekday, its start and end as instants, and RFC 3339 text with the +08:00
//! offset people in a county centre read.
//!
//! Instants are Unix milliseconds (`i64`), the form the store keeps.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// UTC+8 in milliseconds.
pub const CST_OFFSET_MS: i64 = 8 * 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// A calendar date, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// A date or time that could not be read; says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not {expected}")]
pub struct TimeParseError {
    pub input: String,
    pub expected: &'static str,
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    // Howard Hinnant's days-from-civil, on a March-based year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = i32::try_from((153 * mp + 2) / 5 + d - 1).unwrap_or(0);
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// The date, if it exists (years 1900–2200).
    #[must_use]
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        ((1900..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
            .then(|| Date(days_from_civil(y, m, d)))
    }

    /// (year, month, day).
    #[must_use]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_sign_loss
    )]
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Monday is 1, Sunday 7.
    #[must_use]
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        u32::try_from((self.0 + 3).rem_euclid(7)).unwrap_or(0) + 1
    }

    #[must_use]
    pub fn is_weekend(self) -> bool {
        self.iso_weekday() >= 6
    }

    #[must_use]
    pub fn next(self) -> Date {
        Date(self.0 + 1)
    }

    #[must_use]
    pub fn plus_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    #[must_use]
    pub fn days_until(self, other: Date) -> i32 {
        other.0 - self.0
    }

    /// The date in China of an instant.
    #[must_use]
    #[allow(clippy::cast_possible_truncation)]
    pub fn of_instant(ms: i64) -> Date {
        Date((ms + CST_OFFSET_MS).div_euclid(DAY_MS) as i32)
    }

    /// 00:00 of this date in China, as an instant.
    #[must_use]
    pub fn start_ms(self) -> i64 {
        i64::from(self.0) * DAY_MS - CST_OFFSET_MS
    }

    /// The last millisecond of this date in China (23:59:59.999).
    #[must_use]
    pub fn end_ms(self) -> i64 {
        self.next().start_ms() - 1
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for Date {
    type Err = TimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TimeParseError {
            input: s.to_owned(),
            expected: "a date YYYY-MM-DD",
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let y = digits(&s[0..4])
            .and_then(|y| i32::try_from(y).ok())
            .ok_or_else(err)?;
        let m = digits(&s[5..7]).ok_or_else(err)?;
        let d = digits(&s[8..10]).ok_or_else(err)?;
        Date::from_ymd(y, m, d).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An instant, written as RFC 3339 in China time (`2025-09-26T09:30:00+08:00`,
/// with milliseconds when it has any: `2025-09-26T23:59:59.999+08:00`)
/// and read from RFC 3339 with any offset or `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    #[must_use]
    pub const fn ms(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0 + CST_OFFSET_MS;
        let date = Date::of_instant(self.0);
        let ms = local.rem_euclid(1000);
        let of_day = local.rem_euclid(DAY_MS) / 1000;
        write!(
            f,
            "{date}T{:02}:{:02}:{:02}",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )?;
        // Milliseconds only when there are some, so that what is written
        // reads back as the same instant.
        if ms != 0 {
            write!(f, ".{ms:03}")?;
        }
        f.write_str("+08:00")
    }
}

impl FromStr for Instant {
    type Err = TimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TimeParseError {
            input: s.to_owned(),
            expected: "an RFC 3339 time such as 2025-09-26T09:30:00+08:00",
        };
        // RFC 3339 is ASCII; refusing anything else up front also keeps the
        // byte offsets below on character boundaries.
        if s.len() < 20 || !s.is_ascii() {
            return Err(err());
        }
        let date: Date = s[..10].parse().map_err(|_| err())?;
        let b = s.as_bytes();
        if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
            return Err(err());
        }
        let (h, mi, se) = (
            digits(&s[11..13]).ok_or_else(err)?,
            digits(&s[14..16]).ok_or_else(err)?,
            digits(&s[17..19]).ok_or_else(err)?,
        );
        if h > 23 || mi > 59 || se > 59 {
            return Err(err());
        }
        let mut rest = &s[19..];
        let mut frac_ms = 0i64;
        if let Some(r) = rest.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err(err());
            }
            let ms_digits: String = r[..n].chars().chain("000".chars()).take(3).collect();
            frac_ms = i64::from(digits(&ms_digits).ok_or_else(err)?);
            rest = &r[n..];
        }
        let offset_ms = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6
                && (rest.starts_with('+') || rest.starts_with('-'))
                && &rest[3..4] == ":" =>
            {
                let oh = i64::from(digits(&rest[1..3]).ok_or_else(err)?);
                let om = i64::from(digits(&rest[4..6]).ok_or_else(err)?);
                if oh > 23 || om > 59 {
                    return Err(err());
                }
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (oh * 3_600_000 + om * 60_000)
            }
            _ => return Err(err()),
        };
        let local =
            date.start_ms() + CST_OFFSET_MS + i64::from(h * 3600 + mi * 60 + se) * 1000 + frac_ms;
        Ok(Instant(local - offset_ms))
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {

    /// Found by the `open311_form` fuzz target: an offset whose bytes end
    /// inside a multi-byte character (a `%F3` decoded to U+FFFD) made the
    /// parser slice through the character and panic.
    #[test]
    fn a_time_with_a_multibyte_character_in_its_offset_is_refused_not_a_panic() {
        for s in [
            "2025-11-30T00:00:00+e0\u{FFFD}",
            "2025-11-30T00:00:00\u{FFFD}00",
            "2025-11-30T00:00:00.5+0\u{FFFD}",
            "2025-11-3\u{FFFD}T00:00:00Z",
        ] {
            assert!(s.parse::<Instant>().is_err(), "{s}");
        }
    }

    use super::*;

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        let d = Date::from_ymd(2025, 9, 28).unwrap();
        assert_eq!(d.ymd(), (2025, 9, 28));
        assert_eq!(d.iso_weekday(), 7, "2025-09-28 was a Sunday");
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().iso_weekday(), 4);
        assert_eq!(
            Date::from_ymd(2024, 2, 29).unwrap().next().to_string(),
            "2024-03-01"
        );
        assert!(Date::from_ymd(2025, 2, 29).is_none());
        for n in -800_000..800_000 {
            let d = Date(n / 10);
            let (y, m, dd) = d.ymd();
            if (1900..=2200).contains(&y) {
                assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            }
        }
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!("2026-02-14".parse::<Date>().unwrap().iso_weekday(), 6);
        for bad in ["2026-2-14", "2026-02-30", "20260214", "2026-02-1x", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn instants_print_in_china_time_and_read_any_offset() {
        let end = Date::from_ymd(2025, 9, 26).unwrap().end_ms();
        assert_eq!(Instant(end).to_string(), "2025-09-26T23:59:59.999+08:00");
        assert_eq!(
            Instant(end).to_string().parse::<Instant>().unwrap(),
            Instant(end)
        );
        let t: Instant = "2025-09-26T15:59:59.999Z".parse().unwrap();
        assert_eq!(t.ms(), end);
        let t: Instant = "2025-09-26T09:30:00+08:00".parse().unwrap();
        assert_eq!(Date::of_instant(t.ms()).to_string(), "2025-09-26");
        assert_eq!(t.to_string(), "2025-09-26T09:30:00+08:00");
        let early: Instant = "2025-09-25T17:00:00-01:00".parse().unwrap();
        assert_eq!(early.to_string(), "2025-09-26T02:00:00+08:00");
        for bad in [
            "2025-09-26",
            "2025-09-26T25:00:00Z",
            "2025-09-26T09:30:00",
            "2025-09-26T09:30:00+8",
            "2025-09-26T09:30:00.Z",
        ] {
            assert!(bad.parse::<Instant>().is_err(), "{bad}");
        }
    }
}
