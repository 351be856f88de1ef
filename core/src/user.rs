//! Accounts: usernames and the password rule.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error(
        "username {0:?} must be 3 to 32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
    )]
    BadUsername(String),
    #[error("a password must be at least 8 characters")]
    PasswordTooShort,
    #[error("a password must be at most 256 characters")]
    PasswordTooLong,
    #[error("a display name cannot be empty or longer than 64 characters")]
    BadDisplayName,
}

/// A login name: lower-case ASCII, 3–32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let ok = (3..=32).contains(&s.len())
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
            && s.starts_with(|c: char| c.is_ascii_alphanumeric());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(UserError::BadUsername(s.to_owned()))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Username {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A new password, checked for length. Never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, UserError> {
        match s.chars().count() {
            0..8 => Err(UserError::PasswordTooShort),
            8..=256 => Ok(Self(s.to_owned())),
            _ => Err(UserError::PasswordTooLong),
        }
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A person's name as shown to others, e.g. 张伟.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 64 {
            return Err(UserError::BadDisplayName);
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_plain_lower_case() {
        assert!(Username::parse("grid-worker").is_ok());
        assert!(Username::parse("Admin").is_err());
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("-lead").is_err());
        assert!(Username::parse("张伟").is_err());
    }

    #[test]
    fn passwords_have_a_floor_and_never_show_in_debug() {
        assert_eq!(
            NewPassword::parse("short"),
            Err(UserError::PasswordTooShort)
        );
        let p = NewPassword::parse("correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }
}
