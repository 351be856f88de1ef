//! The people involved in a case. Their names, phone numbers and ID numbers
//! are personal data: only people handling the case and those above it see
//! them (see [`super::policy::Standing::may_see_parties`]).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A mainland phone number: 7 to 15 digits, optionally `+` first; spaces and
/// dashes are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct Phone(String);

/// A resident identity card number (GB 11643): 17 digits and a check
/// character, digit or `X`, that must agree with the rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartyError {
    #[error("phone number {0:?} must be 7 to 15 digits, optionally starting with +")]
    Phone(String),
    #[error("ID number {0:?} must be 17 digits and a check digit or X")]
    IdShape(String),
    #[error("ID number {0:?} has a wrong check character")]
    IdCheck(String),
}

impl Phone {
    /// # Errors
    /// Not a phone number.
    pub fn parse(s: &str) -> Result<Self, PartyError> {
        let kept: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = kept.strip_prefix('+').unwrap_or(&kept);
        if (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(kept))
        } else {
            Err(PartyError::Phone(s.to_owned()))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl IdNumber {
    /// # Errors
    /// Wrong shape or check character.
    pub fn parse(s: &str) -> Result<Self, PartyError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() != 18
            || !b[..17].iter().all(u8::is_ascii_digit)
            || !(b[17].is_ascii_digit() || b[17] == b'X')
        {
            return Err(PartyError::IdShape(s.to_owned()));
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = b[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(&d, w)| u32::from(d - b'0') * w)
            .sum();
        let check = b"10X98765432"[(sum % 11) as usize];
        if b[17] == check {
            Ok(Self(t))
        } else {
            Err(PartyError::IdCheck(s.to_owned()))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = PartyError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> Self {
                v.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype!(Phone);
string_newtype!(IdNumber);

/// The part a party plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PartySide {
    /// 申请人: who brings the matter.
    #[default]
    Applicant,
    /// 被申请人: who it is brought against.
    Respondent,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Party {
    pub name: super::text::Remark,
    #[serde(default)]
    pub side: PartySide,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub id_number: Option<IdNumber>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_need_the_right_check_character() {
        // The GB 11643 example number.
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(
            IdNumber::parse("11010519491231002x").is_ok(),
            "lower-case x is read as X"
        );
        assert!(matches!(
            IdNumber::parse("110105194912310021"),
            Err(PartyError::IdCheck(_))
        ));
        assert!(matches!(
            IdNumber::parse("1101051949123100"),
            Err(PartyError::IdShape(_))
        ));
    }

    #[test]
    fn phones_keep_digits_and_refuse_letters() {
        assert_eq!(
            Phone::parse("138-0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("12345").is_err());
    }
}
