//! Free text people write on a case: a reason, a note, a summary.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest remark accepted, in characters.
pub const MAX_REMARK_CHARS: usize = 4000;

/// Trimmed, not empty, at most [`MAX_REMARK_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct Remark(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemarkError {
    #[error("text is empty")]
    Empty,
    #[error("text is {0} characters; at most {MAX_REMARK_CHARS} are accepted")]
    TooLong(usize),
}

impl Remark {
    /// # Errors
    /// Empty after trimming, or too long.
    pub fn parse(s: &str) -> Result<Self, RemarkError> {
        let t = s.trim();
        let n = t.chars().count();
        if n == 0 {
            Err(RemarkError::Empty)
        } else if n > MAX_REMARK_CHARS {
            Err(RemarkError::TooLong(n))
        } else {
            Ok(Self(t.to_owned()))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Remark {
    type Error = RemarkError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Remark> for String {
    fn from(r: Remark) -> Self {
        r.0
    }
}

impl fmt::Display for Remark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
