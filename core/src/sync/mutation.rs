//! The mutation envelope and the commands it carries.
//!
//! The envelope is read leniently (any name, any arguments) and the command
//! strictly: a mutation whose name or arguments can never make sense is
//! rejected on its own, with a code and a message naming what is wrong, and
//! the rest of the queue goes on. A malformed batch would block a phone's
//! queue for ever.

use crate::case::{Action, Status};
pub use crate::photo::Sha256;
use crate::photo::{ImageType, NewPhoto, PhotoBytes};
use crate::time::Instant;
use crate::wire::case::NewCase;
use crate::wire::watch::{NewWatch, VisitIn};
use crate::{CaseId, PhotoId, WatchId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// `case.create@1`: what a mutation does and the version of its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MutationName {
    name: String,
    version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mutation name {0:?} is not of the form entity.verb@version, e.g. case.create@1")]
pub struct MutationNameError(String);

impl FromStr for MutationName {
    type Err = MutationNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MutationNameError(s.to_owned());
        let (name, version) = s.split_once('@').ok_or_else(err)?;
        let word = |w: &str| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
                && w.as_bytes()[0].is_ascii_lowercase()
        };
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() < 2 || !parts.iter().all(|p| word(p)) {
            return Err(err());
        }
        if version.is_empty()
            || version.starts_with('0')
            || !version.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let version = version.parse().map_err(|_| err())?;
        Ok(Self {
            name: name.to_owned(),
            version,
        })
    }
}

impl fmt::Display for MutationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

impl MutationName {
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    #[must_use]
    pub const fn version(&self) -> u32 {
        self.version
    }
}

/// One queued change, as the phone numbered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// 1, 2, 3… per device, with no gaps.
    pub number: u64,
    /// `case.create@1`, `case.act@1`, `watch.visit@1`…
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub args: serde_json::Value,
    /// The phone's clock when it was made: kept for the record, never used
    /// to order anything (phones' clocks are wrong).
    #[serde(default)]
    pub device_time: Option<String>,
}

/// Why a mutation can never apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
}

impl Rejection {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// A photo's metadata: it syncs before the bytes, so other phones show it
/// as pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoMeta {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub photo: PhotoId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub case: CaseId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sha256: Sha256,
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub bytes: PhotoBytes,
    pub mime: ImageType,
}

impl PhotoMeta {
    /// The photo, without the case it goes to.
    #[must_use]
    pub fn new_photo(&self) -> NewPhoto {
        NewPhoto {
            photo: self.photo,
            sha256: self.sha256.clone(),
            bytes: self.bytes,
            mime: self.mime,
        }
    }
}

/// An action on a case made offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActArgs {
    case: CaseId,
    /// The status the phone saw when the action was taken: if the case has
    /// moved on and the action no longer applies, the server records a
    /// conflict both sides see instead of failing silently.
    #[serde(default)]
    from: Option<Status>,
    action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VisitArgs {
    watch: WatchId,
    #[serde(flatten)]
    visit: VisitIn,
}

/// What a mutation asks for, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `case.create@1`: the body of `POST /v1/cases`.
    CaseCreate(NewCase),
    /// `case.act@1`: `{case, from?, action: {"action": …}}`.
    CaseAct {
        case: CaseId,
        from: Option<Status>,
        action: Action,
    },
    /// `watch.register@1`: the body of `POST /v1/watches`.
    WatchRegister(NewWatch),
    /// `watch.visit@1`: `{watch, note, at?}`.
    WatchVisit { watch: WatchId, visit: VisitIn },
    /// `photo.attach@1`: a photo's metadata.
    PhotoAttach(PhotoMeta),
}

/// Every mutation the server knows, for clients and error messages.
pub const KNOWN: [&str; 5] = [
    "case.create@1",
    "case.act@1",
    "watch.register@1",
    "watch.visit@1",
    "photo.attach@1",
];

fn args<T: DeserializeOwned>(name: &MutationName, v: &serde_json::Value) -> Result<T, Rejection> {
    serde_json::from_value(v.clone())
        .map_err(|e| Rejection::new("invalid_args", format!("{name}: {e}")))
}

impl Mutation {
    /// The command this mutation carries, or why it can never apply.
    ///
    /// # Errors
    /// An unknown name or version, or arguments that do not fit it.
    pub fn command(&self) -> Result<Command, Rejection> {
        let name: MutationName = self
            .name
            .parse()
            .map_err(|e: MutationNameError| Rejection::new("unknown_mutation", e.to_string()))?;
        let a = &self.args;
        Ok(match (name.name(), name.version()) {
            ("case.create", 1) => Command::CaseCreate(args(&name, a)?),
            ("case.act", 1) => {
                let ActArgs { case, from, action } = args(&name, a)?;
                Command::CaseAct { case, from, action }
            }
            ("watch.register", 1) => Command::WatchRegister(args(&name, a)?),
            ("watch.visit", 1) => {
                let VisitArgs { watch, visit } = args(&name, a)?;
                Command::WatchVisit { watch, visit }
            }
            ("photo.attach", 1) => Command::PhotoAttach(args(&name, a)?),
            _ => {
                return Err(Rejection::new(
                    "unknown_mutation",
                    format!(
                        "this server does not know {name}; it knows {}",
                        KNOWN.join(", ")
                    ),
                ));
            }
        })
    }

    /// The phone's clock, if it sent a readable one. Only for the record.
    #[must_use]
    pub fn device_instant(&self) -> Option<Instant> {
        self.device_time.as_deref().and_then(|t| t.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(name: &str, args: serde_json::Value) -> Mutation {
        Mutation {
            number: 1,
            name: name.into(),
            args,
            device_time: Some("1970-01-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn names_carry_a_version_and_nothing_else_passes() {
        let n: MutationName = "case.create@1".parse().unwrap();
        assert_eq!((n.name(), n.version()), ("case.create", 1));
        assert_eq!(n.to_string(), "case.create@1");
        for bad in [
            "case.create",
            "create@1",
            "case.create@0",
            "case.create@01",
            "Case.create@1",
            "case..x@1",
            "case.create@",
            "case.create@1.2",
            "",
        ] {
            assert!(bad.parse::<MutationName>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn case_create_takes_the_body_of_post_cases() {
        let c = m(
            "case.create@1",
            json!({"id": "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6", "category": "noise",
                   "description": "夜间噪音", "location": {"lat": 38.5, "lon": 101.2, "crs": "gcj02"}}),
        )
        .command()
        .unwrap();
        let Command::CaseCreate(new) = c else {
            panic!("{c:?}")
        };
        assert_eq!(new.category, "noise");
        assert!(new.id.is_some());
    }

    #[test]
    fn case_act_carries_the_status_the_phone_saw() {
        let c = m(
            "case.act@1",
            json!({"case": "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6", "from": "signed_for",
                   "action": {"action": "start"}}),
        )
        .command()
        .unwrap();
        assert!(matches!(
            c,
            Command::CaseAct {
                from: Some(Status::SignedFor),
                action: Action::Start,
                ..
            }
        ));
    }

    #[test]
    fn what_can_never_apply_is_rejected_with_a_code_that_names_it() {
        let unknown = m("case.delete@1", json!({})).command().unwrap_err();
        assert_eq!(unknown.code, "unknown_mutation");
        assert!(
            unknown.message.contains("case.create@1"),
            "{}",
            unknown.message
        );
        let future = m("case.create@9", json!({})).command().unwrap_err();
        assert_eq!(future.code, "unknown_mutation");
        let bad = m("watch.visit@1", json!({"watch": "x", "note": "到访"}))
            .command()
            .unwrap_err();
        assert_eq!(bad.code, "invalid_args");
        assert!(bad.message.starts_with("watch.visit@1"), "{}", bad.message);
        let extra = m(
            "photo.attach@1",
            json!({"photo": "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6", "case": "0190d7e2-7a8b-7c3d-9e4f-a1b2c3d4e5f6",
                   "sha256": "ABC", "bytes": 10, "mime": "image/jpeg"}),
        )
        .command()
        .unwrap_err();
        assert!(extra.message.contains("SHA-256"), "{}", extra.message);
    }

    #[test]
    fn device_clocks_anywhere_in_time_are_only_recorded() {
        for t in ["1970-01-01T00:00:00Z", "2099-12-31T23:59:59+08:00"] {
            let mut x = m("case.act@1", json!({}));
            x.device_time = Some(t.into());
            assert!(x.device_instant().is_some(), "{t}");
        }
        let mut x = m("case.act@1", json!({}));
        x.device_time = Some("yesterday".into());
        assert_eq!(x.device_instant(), None);
    }
}
