//! Identifiers. Every id is a UUIDv7: time-ordered, so rows created together
//! sit together in an index, and creatable offline without asking the server.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The text was not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {input:?} is not a UUID")]
pub struct IdParseError {
    pub kind: &'static str,
    pub input: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7).
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            #[must_use]
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdParseError {
                    kind: $kind,
                    input: s.to_owned(),
                })
            }
        }
    };
}

id_type!(
    /// An org unit: county, township, village, grid or micro-grid.
    OrgUnitId,
    "org unit"
);
id_type!(
    /// A grid. Grids are org units too; the id is the same value.
    GridId,
    "grid"
);
id_type!(
    /// A user account.
    UserId,
    "user"
);

id_type!(
    /// A case. Created on the phone, offline if need be.
    CaseId,
    "case"
);
id_type!(
    /// A co-handling task: one unit's share of a joint case.
    TaskId,
    "task"
);
id_type!(
    /// A supervision order (督办).
    OrderId,
    "supervision order"
);
id_type!(
    /// A watched household or place in the risk register.
    WatchId,
    "watched household"
);
id_type!(
    /// A registered phone: its mutations are numbered per device.
    DeviceId,
    "device"
);
id_type!(
    /// A photo attached to a case (its bytes are addressed by SHA-256).
    PhotoId,
    "photo"
);

impl From<GridId> for OrgUnitId {
    fn from(id: GridId) -> Self {
        Self(id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_ordered_by_creation() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b, "UUIDv7 ids created later sort later");
    }

    #[test]
    fn parse_round_trips_and_names_the_kind_on_error() {
        let id = OrgUnitId::new();
        assert_eq!(id.to_string().parse::<OrgUnitId>(), Ok(id));
        let err = "not-a-uuid".parse::<GridId>().unwrap_err();
        assert_eq!(err.to_string(), "grid id \"not-a-uuid\" is not a UUID");
    }
}
