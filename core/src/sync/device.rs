//! `POST /v1/devices`: a phone registers after login and numbers its
//! mutations from then on.

use crate::DeviceId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Platform {
    Android,
    Ios,
    #[default]
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDevice {
    #[serde(default)]
    pub platform: Platform,
    /// The app's version, for support ("1.4.2").
    #[serde(default)]
    pub app_version: Option<String>,
}

/// A registered device and how far the server has applied its queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub device_id: DeviceId,
    /// The number of the last mutation applied (0: none yet).
    pub last_applied: u64,
}
