//! Coordinates and the systems they are stated in.
//!
//! Phones report WGS84; Chinese basemaps and the public boundaries are GCJ-02;
//! Tianditu and surveys use CGCS2000. Gridline stores WGS84 and converts at the
//! edge, so every input that carries coordinates must say which system it is in.

use crate::gcj02;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A coordinate reference system a caller may state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// GPS, what phones report, what RFC 7946 GeoJSON means. The stored system.
    #[default]
    Wgs84,
    /// The obfuscated "Mars" system of Chinese commercial maps (Amap, Tencent).
    Gcj02,
    /// China Geodetic Coordinate System 2000 (Tianditu, surveys). Within
    /// centimetres of WGS84, so it is taken as WGS84.
    Cgcs2000,
}

impl Crs {
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Cgcs2000];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Cgcs2000 => "cgcs2000",
        }
    }

    /// Converts `(lon, lat)` stated in this system to WGS84.
    #[must_use]
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 | Crs::Cgcs2000 => (lon, lat),
            Crs::Gcj02 => gcj02::gcj02_to_wgs84(lon, lat),
        }
    }

    /// Converts WGS84 `(lon, lat)` to this system.
    #[must_use]
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 | Crs::Cgcs2000 => (lon, lat),
            Crs::Gcj02 => gcj02::wgs84_to_gcj02(lon, lat),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Crs {
    type Err = CoordError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "wgs84" | "epsg4326" => Ok(Crs::Wgs84),
            "gcj02" => Ok(Crs::Gcj02),
            "cgcs2000" | "epsg4490" => Ok(Crs::Cgcs2000),
            _ => Err(CoordError::UnknownCrs(s.to_owned())),
        }
    }
}

/// Why a coordinate was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordError {
    #[error("latitude {0} is not a number between -90 and 90")]
    LatitudeOutOfRange(f64),
    #[error("longitude {0} is not a number between -180 and 180")]
    LongitudeOutOfRange(f64),
    #[error("the point (0, 0) is \"null island\": a missing position, not a place")]
    NullIsland,
    #[error("unknown coordinate system {0:?}: use wgs84, gcj02 or cgcs2000")]
    UnknownCrs(String),
}

/// Degrees north, always finite and within [-90, 90].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Latitude(f64);

impl Latitude {
    pub fn parse(value: f64) -> Result<Self, CoordError> {
        if value.is_finite() && (-90.0..=90.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(CoordError::LatitudeOutOfRange(value))
        }
    }

    #[must_use]
    pub const fn degrees(self) -> f64 {
        self.0
    }
}

/// Degrees east, always finite and within [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Longitude(f64);

impl Longitude {
    pub fn parse(value: f64) -> Result<Self, CoordError> {
        if value.is_finite() && (-180.0..=180.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(CoordError::LongitudeOutOfRange(value))
        }
    }

    #[must_use]
    pub const fn degrees(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Latitude {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Longitude {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A position in WGS84, the stored system: in range, not NaN, not (0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: Latitude,
    pub lon: Longitude,
}

impl GeoPoint {
    /// Parses a point stated in `crs` and converts it to WGS84.
    pub fn parse(lat: f64, lon: f64, crs: Crs) -> Result<Self, CoordError> {
        let lat = Latitude::parse(lat)?;
        let lon = Longitude::parse(lon)?;
        if lat.0 == 0.0 && lon.0 == 0.0 {
            return Err(CoordError::NullIsland);
        }
        let (wlon, wlat) = crs.to_wgs84(lon.0, lat.0);
        Ok(Self {
            lat: Latitude::parse(wlat)?,
            lon: Longitude::parse(wlon)?,
        })
    }

    /// The point expressed in `crs`, as `(lon, lat)`.
    #[must_use]
    pub fn in_crs(self, crs: Crs) -> (f64, f64) {
        crs.from_wgs84(self.lon.0, self.lat.0)
    }

    /// Great-circle distance in metres (haversine on the mean Earth radius).
    #[must_use]
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        haversine_m(self.lon.0, self.lat.0, other.lon.0, other.lat.0)
    }
}

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two WGS84 `(lon, lat)` positions.
#[must_use]
pub fn haversine_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latitude_cannot_hold_91_or_nan() {
        assert_eq!(
            Latitude::parse(91.0),
            Err(CoordError::LatitudeOutOfRange(91.0))
        );
        assert!(Latitude::parse(f64::NAN).is_err());
        assert!(Latitude::parse(-90.0).is_ok());
        assert!(Longitude::parse(180.5).is_err());
        assert!(Longitude::parse(f64::INFINITY).is_err());
    }

    #[test]
    fn null_island_is_refused_with_its_own_error() {
        assert_eq!(
            GeoPoint::parse(0.0, 0.0, Crs::Wgs84),
            Err(CoordError::NullIsland)
        );
    }

    #[test]
    fn deserializing_checks_the_range() {
        let err = serde_json::from_str::<GeoPoint>(r#"{"lat": 95, "lon": 100}"#).unwrap_err();
        assert!(err.to_string().contains("latitude 95"), "{err}");
    }

    #[test]
    fn crs_names_parse_in_the_spellings_people_use() {
        assert_eq!("GCJ-02".parse::<Crs>(), Ok(Crs::Gcj02));
        assert_eq!("wgs84".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!(
            "EPSG:4490".replace(':', "").parse::<Crs>(),
            Ok(Crs::Cgcs2000)
        );
        assert_eq!(
            "bd09".parse::<Crs>(),
            Err(CoordError::UnknownCrs("bd09".into()))
        );
    }

    #[test]
    fn gcj02_input_is_converted_to_wgs84() {
        // Shandan county seat as a Chinese map shows it.
        let p = GeoPoint::parse(38.784839, 101.088442, Crs::Gcj02).unwrap();
        let shift = p.distance_m(GeoPoint::parse(38.784839, 101.088442, Crs::Wgs84).unwrap());
        assert!(
            (100.0..800.0).contains(&shift),
            "GCJ-02 offset was {shift} m"
        );
    }

    #[test]
    fn haversine_matches_a_known_distance() {
        // One degree of latitude is about 111.2 km.
        let d = haversine_m(100.0, 38.0, 100.0, 39.0);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }
}
