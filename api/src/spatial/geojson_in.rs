//! Reading grids from GeoJSON (RFC 7946 FeatureCollection) and refusing what
//! is wrong with an error that names the feature and the fault.
//!
//! A feature is a grid: `properties.code` (or DataV's `adcode`) and
//! `properties.name` are required; `village`, `township` and `county` may each
//! be `{"code", "name"}` and place the grid in the tree. Geometry is a Polygon
//! or MultiPolygon in the coordinate system the caller states; it comes out in
//! WGS84.

use super::index::Rings;
use super::overlay;
use geo::{Area, Coord, LineString, MultiPolygon, Polygon, Validation};
use gridline_core::{Crs, OrgCode, OrgName, gcj02};
use serde::Deserialize;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;

/// The parent units a feature names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSpec {
    pub code: OrgCode,
    pub name: OrgName,
}

/// A grid read from a file, checked and converted to WGS84.
#[derive(Debug, Clone)]
pub struct GridFeature {
    /// 0-based position in the file's `features` array.
    pub position: usize,
    pub code: OrgCode,
    pub name: OrgName,
    pub village: Option<UnitSpec>,
    pub township: Option<UnitSpec>,
    pub county: Option<UnitSpec>,
    pub rings: Rings,
    /// The geometry self-intersected and was repaired (only with `repair`).
    pub repaired: bool,
}

/// Which feature a fault is in: its position and, when it has one, its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureRef {
    pub position: usize,
    pub code: Option<String>,
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "feature {} (code {code:?})", self.position),
            None => write!(f, "feature {}", self.position),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeojsonError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "expected a GeoJSON FeatureCollection, found a bare JSON array; wrap the features as {{\"type\": \"FeatureCollection\", \"features\": [...]}}"
    )]
    BareArray,
    #[error("expected a GeoJSON FeatureCollection, found {0}")]
    NotFeatureCollection(String),
    #[error("the FeatureCollection holds no features")]
    NoFeatures,
    #[error("{feature}: {fault}")]
    Feature { feature: FeatureRef, fault: Fault },
    #[error("{second} repeats the code {code:?} of {first}")]
    DuplicateCode {
        first: FeatureRef,
        second: FeatureRef,
        code: String,
    },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Fault {
    #[error("not a GeoJSON Feature: {0}")]
    NotAFeature(String),
    #[error("property {0:?} is missing")]
    MissingProperty(&'static str),
    #[error("property {name:?} is invalid: {reason}")]
    BadProperty { name: &'static str, reason: String },
    #[error("has no geometry")]
    MissingGeometry,
    #[error("geometry type {0:?} is not a Polygon or MultiPolygon")]
    UnsupportedGeometry(String),
    #[error("coordinates are malformed: {0}")]
    MalformedCoordinates(String),
    #[error("ring {ring} of polygon {part} has {count} positions; a ring needs at least 4")]
    TooFewPositions {
        part: usize,
        ring: usize,
        count: usize,
    },
    #[error(
        "ring {ring} of polygon {part} is not closed: it starts at {first:?} and ends at {last:?}"
    )]
    UnclosedRing {
        part: usize,
        ring: usize,
        first: [f64; 2],
        last: [f64; 2],
    },
    #[error("position {position} of ring {ring} of polygon {part}, {point:?}, is {why}")]
    OutOfRange {
        part: usize,
        ring: usize,
        position: usize,
        point: [f64; 2],
        why: &'static str,
    },
    #[error("has {count} positions; a grid may have at most {max} (simplify the boundary first)")]
    TooManyPositions { count: usize, max: usize },
    #[error("geometry is not valid: {0}")]
    SelfIntersection(String),
    #[error("geometry encloses no area")]
    ZeroArea,
}

/// How to read a file.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// The coordinate system the file is in.
    pub crs: Crs,
    /// Re-node self-intersecting geometry instead of refusing it.
    pub repair: bool,
}

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    properties: Option<Map<String, Value>>,
    #[serde(borrow)]
    geometry: Option<RawGeometry<'a>>,
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    coordinates: Option<&'a RawValue>,
}

/// Reads every feature, or refuses the whole file at the first fault.
pub fn read(bytes: &[u8], options: ReadOptions) -> Result<Vec<GridFeature>, GeojsonError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') {
        serde_json::from_slice::<IgnoredAny>(bytes).map_err(json_error)?;
        return Err(match first {
            Some(b'[') => GeojsonError::BareArray,
            _ => GeojsonError::NotFeatureCollection("a JSON value that is not an object".into()),
        });
    }
    let top: Top<'_> = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            GeojsonError::NotFeatureCollection(format!("an object whose members are wrong: {e}"))
        }
        _ => json_error(e),
    })?;
    match top.kind.as_deref() {
        Some("FeatureCollection") => {}
        Some(other) => {
            return Err(GeojsonError::NotFeatureCollection(format!(
                "type {other:?}"
            )));
        }
        None => {
            return Err(GeojsonError::NotFeatureCollection(
                "an object without \"type\"".into(),
            ));
        }
    }
    let raw = top.features.ok_or(GeojsonError::NotFeatureCollection(
        "a FeatureCollection without \"features\"".into(),
    ))?;
    if raw.is_empty() {
        return Err(GeojsonError::NoFeatures);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut seen = std::collections::HashMap::with_capacity(raw.len());
    for (position, value) in raw.into_iter().enumerate() {
        let feature = read_feature(position, value, options)?;
        if let Some(&earlier) = seen.get(&feature.code) {
            return Err(GeojsonError::DuplicateCode {
                first: FeatureRef {
                    position: earlier,
                    code: Some(feature.code.to_string()),
                },
                second: FeatureRef {
                    position,
                    code: Some(feature.code.to_string()),
                },
                code: feature.code.to_string(),
            });
        }
        seen.insert(feature.code.clone(), position);
        out.push(feature);
    }
    Ok(out)
}

fn json_error(e: serde_json::Error) -> GeojsonError {
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    GeojsonError::InvalidJson {
        line: e.line(),
        column: e.column(),
        message,
    }
}

fn read_feature(
    position: usize,
    value: &RawValue,
    options: ReadOptions,
) -> Result<GridFeature, GeojsonError> {
    let mut feature = FeatureRef {
        position,
        code: None,
    };
    let fail = |feature: &FeatureRef, fault: Fault| GeojsonError::Feature {
        feature: feature.clone(),
        fault,
    };

    let raw: RawFeature<'_> = serde_json::from_str(value.get())
        .map_err(|e| fail(&feature, Fault::NotAFeature(e.to_string())))?;
    if raw.kind.as_deref() != Some("Feature") {
        let found = raw
            .kind
            .map_or_else(|| "no \"type\"".to_owned(), |k| format!("type {k:?}"));
        return Err(fail(&feature, Fault::NotAFeature(found)));
    }
    let props = raw.properties.unwrap_or_default();
    let code_value = props.get("code").or_else(|| props.get("adcode"));
    if let Some(text) = code_value.and_then(scalar_text) {
        feature.code = Some(text);
    }
    let code = match code_value {
        None | Some(Value::Null) => return Err(fail(&feature, Fault::MissingProperty("code"))),
        Some(v) => parse_code("code", v).map_err(|f| fail(&feature, f))?,
    };
    let name = match props.get("name") {
        None | Some(Value::Null) => return Err(fail(&feature, Fault::MissingProperty("name"))),
        Some(v) => parse_name("name", v).map_err(|f| fail(&feature, f))?,
    };
    let village = parent(&props, "village").map_err(|f| fail(&feature, f))?;
    let township = parent(&props, "township").map_err(|f| fail(&feature, f))?;
    let county = parent(&props, "county").map_err(|f| fail(&feature, f))?;

    let geometry = raw
        .geometry
        .ok_or_else(|| fail(&feature, Fault::MissingGeometry))?;
    let coordinates = geometry
        .coordinates
        .ok_or_else(|| fail(&feature, Fault::MissingGeometry))?;
    let parts: Vec<Vec<Vec<Position>>> = match geometry.kind.as_str() {
        "Polygon" => vec![
            serde_json::from_str(coordinates.get())
                .map_err(|e| fail(&feature, Fault::MalformedCoordinates(e.to_string())))?,
        ],
        "MultiPolygon" => serde_json::from_str(coordinates.get())
            .map_err(|e| fail(&feature, Fault::MalformedCoordinates(e.to_string())))?,
        other => return Err(fail(&feature, Fault::UnsupportedGeometry(other.to_owned()))),
    };
    let (rings, repaired) = check_geometry(parts, options).map_err(|f| fail(&feature, f))?;
    Ok(GridFeature {
        position,
        code,
        name,
        village,
        township,
        county,
        rings,
        repaired,
    })
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_code(name: &'static str, v: &Value) -> Result<OrgCode, Fault> {
    let text = scalar_text(v).ok_or_else(|| Fault::BadProperty {
        name,
        reason: "must be a string or a number".into(),
    })?;
    OrgCode::parse(&text).map_err(|e| Fault::BadProperty {
        name,
        reason: e.to_string(),
    })
}

fn parse_name(name: &'static str, v: &Value) -> Result<OrgName, Fault> {
    let text = v.as_str().ok_or_else(|| Fault::BadProperty {
        name,
        reason: "must be a string".into(),
    })?;
    OrgName::parse(text).map_err(|e| Fault::BadProperty {
        name,
        reason: e.to_string(),
    })
}

fn parent(props: &Map<String, Value>, key: &'static str) -> Result<Option<UnitSpec>, Fault> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(unit)) => {
            let code = unit.get("code").ok_or(Fault::BadProperty {
                name: key,
                reason: "needs a \"code\"".into(),
            })?;
            let name = unit.get("name").ok_or(Fault::BadProperty {
                name: key,
                reason: "needs a \"name\"".into(),
            })?;
            Ok(Some(UnitSpec {
                code: parse_code(key, code)?,
                name: parse_name(key, name)?,
            }))
        }
        Some(_) => Err(Fault::BadProperty {
            name: key,
            reason: "must be an object {\"code\", \"name\"}".into(),
        }),
    }
}

/// A GeoJSON position: two or more numbers, of which the first two are kept.
struct Position([f64; 2]);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a position [longitude, latitude]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Position([x, y]))
            }
        }
        d.deserialize_seq(V)
    }
}

/// The most positions one feature may have. The real county boundaries in
/// use have at most a little over a thousand per ring; a hundred times that
/// keeps a hostile or unsimplified file from holding the validity check (and
/// the request) for minutes.
pub const MAX_POSITIONS: usize = 100_000;

fn check_geometry(
    parts: Vec<Vec<Vec<Position>>>,
    options: ReadOptions,
) -> Result<(Rings, bool), Fault> {
    let count: usize = parts.iter().flatten().map(Vec::len).sum();
    if count > MAX_POSITIONS {
        return Err(Fault::TooManyPositions {
            count,
            max: MAX_POSITIONS,
        });
    }
    let mut out: Rings = Vec::with_capacity(parts.len());
    for (part, rings) in parts.into_iter().enumerate() {
        if rings.is_empty() {
            return Err(Fault::MalformedCoordinates(format!(
                "polygon {part} has no rings"
            )));
        }
        let mut checked = Vec::with_capacity(rings.len());
        for (ring, positions) in rings.into_iter().enumerate() {
            let ring_pts: Vec<[f64; 2]> = positions.into_iter().map(|p| p.0).collect();
            if ring_pts.len() < 4 {
                return Err(Fault::TooFewPositions {
                    part,
                    ring,
                    count: ring_pts.len(),
                });
            }
            let (first, last) = (ring_pts[0], ring_pts[ring_pts.len() - 1]);
            if first != last {
                return Err(Fault::UnclosedRing {
                    part,
                    ring,
                    first,
                    last,
                });
            }
            let mut wgs = Vec::with_capacity(ring_pts.len());
            for (position, &point) in ring_pts.iter().enumerate() {
                if let Some(why) = range_fault(point, options.crs) {
                    return Err(Fault::OutOfRange {
                        part,
                        ring,
                        position,
                        point,
                        why,
                    });
                }
                let (lon, lat) = options.crs.to_wgs84(point[0], point[1]);
                wgs.push([lon, lat]);
            }
            checked.push(wgs);
        }
        out.push(checked);
    }
    let geometry = to_geo(&out);
    if let Err(e) = geometry.check_validation() {
        if !options.repair {
            return Err(Fault::SelfIntersection(e.to_string()));
        }
        let repaired = overlay::repair(&out);
        if let Err(e) = to_geo(&repaired).check_validation() {
            return Err(Fault::SelfIntersection(format!(
                "{e}, and repair could not fix it"
            )));
        }
        if to_geo(&repaired).unsigned_area() == 0.0 {
            return Err(Fault::ZeroArea);
        }
        return Ok((repaired, true));
    }
    if geometry.unsigned_area() == 0.0 {
        return Err(Fault::ZeroArea);
    }
    Ok((out, false))
}

fn range_fault([lon, lat]: [f64; 2], crs: Crs) -> Option<&'static str> {
    if !(-180.0..=180.0).contains(&lon) {
        return Some("not a longitude (-180 to 180): are the coordinates projected?");
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Some(
            "not a latitude (-90 to 90): are longitude and latitude swapped, or projected?",
        );
    }
    if lon == 0.0 && lat == 0.0 {
        return Some("(0, 0), a missing position");
    }
    if crs == Crs::Gcj02 && gcj02::outside_china(lon, lat) {
        return Some("outside China, where GCJ-02 is not defined: is the system wgs84?");
    }
    None
}

/// The rings as a geo `MultiPolygon`.
#[must_use]
pub fn to_geo(parts: &Rings) -> MultiPolygon<f64> {
    MultiPolygon(
        parts
            .iter()
            .map(|rings| {
                let mut it = rings
                    .iter()
                    .map(|r| LineString(r.iter().map(|&[x, y]| Coord { x, y }).collect()));
                let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
                Polygon::new(exterior, it.collect())
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const WGS: ReadOptions = ReadOptions {
        crs: Crs::Wgs84,
        repair: false,
    };

    fn fc(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    fn feature(code: &str, coords: &str) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","name":"网格{code}","village":{{"code":"620725101201","name":"南关村"}}}},"geometry":{{"type":"Polygon","coordinates":{coords}}}}}"#
        )
    }

    const SQUARE: &str = "[[[101.0,38.0],[101.01,38.0],[101.01,38.01],[101.0,38.01],[101.0,38.0]]]";

    #[test]
    fn reads_a_good_collection() {
        let out = read(fc(&feature("g1", SQUARE)).as_bytes(), WGS).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code.as_str(), "g1");
        assert_eq!(
            out[0].village.as_ref().map(|v| v.name.as_str()),
            Some("南关村")
        );
        assert!(!out[0].repaired);
    }

    #[test]
    fn invalid_json_says_where() {
        let err = read(b"{\"type\": \"FeatureCollection\", \"features\": [", WGS).unwrap_err();
        assert!(
            matches!(err, GeojsonError::InvalidJson { line: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_bare_array_is_named_as_such() {
        let err = read(format!("[{}]", feature("g1", SQUARE)).as_bytes(), WGS).unwrap_err();
        assert_eq!(err, GeojsonError::BareArray);
        assert!(err.to_string().contains("FeatureCollection"));
    }

    #[test]
    fn a_single_feature_is_not_a_collection() {
        let err = read(feature("g1", SQUARE).as_bytes(), WGS).unwrap_err();
        assert_eq!(
            err,
            GeojsonError::NotFeatureCollection("type \"Feature\"".into())
        );
    }

    #[test]
    fn an_unclosed_ring_names_the_feature() {
        let open = "[[[101.0,38.0],[101.01,38.0],[101.01,38.01],[101.0,38.01]]]";
        let err = read(
            fc(&format!(
                "{},{}",
                feature("g1", SQUARE),
                feature("g2", open)
            ))
            .as_bytes(),
            WGS,
        )
        .unwrap_err();
        assert!(
            matches!(
                &err,
                GeojsonError::Feature {
                    feature: FeatureRef { position: 1, .. },
                    fault: Fault::UnclosedRing { .. }
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("feature 1 (code \"g2\"): ring 0 of polygon 0 is not closed"),
            "{err}"
        );
    }

    #[test]
    fn a_bow_tie_is_refused_unless_repair_is_asked_for() {
        let bow = "[[[101.0,38.0],[101.01,38.01],[101.01,38.0],[101.0,38.01],[101.0,38.0]]]";
        let doc = fc(&feature("g1", bow));
        let err = read(doc.as_bytes(), WGS).unwrap_err();
        assert!(
            matches!(
                &err,
                GeojsonError::Feature {
                    fault: Fault::SelfIntersection(_),
                    ..
                }
            ),
            "{err}"
        );
        let fixed = read(
            doc.as_bytes(),
            ReadOptions {
                repair: true,
                ..WGS
            },
        )
        .unwrap();
        assert!(fixed[0].repaired);
        assert!(to_geo(&fixed[0].rings).is_valid());
    }

    #[test]
    fn out_of_range_coordinates_name_the_position() {
        let projected = "[[[500000.0,4200000.0],[500100.0,4200000.0],[500100.0,4200100.0],[500000.0,4200000.0]]]";
        let err = read(fc(&feature("g1", projected)).as_bytes(), WGS).unwrap_err();
        assert!(
            err.to_string()
                .contains("position 0 of ring 0 of polygon 0"),
            "{err}"
        );
        let paris = "[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]";
        let err = read(
            fc(&feature("g1", paris)).as_bytes(),
            ReadOptions {
                crs: Crs::Gcj02,
                repair: false,
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("GCJ-02 is not defined"), "{err}");
    }

    #[test]
    fn duplicate_codes_in_one_file_name_both_features() {
        let err = read(
            fc(&format!(
                "{},{}",
                feature("g1", SQUARE),
                feature("g1", SQUARE)
            ))
            .as_bytes(),
            WGS,
        )
        .unwrap_err();
        assert!(
            matches!(err, GeojsonError::DuplicateCode { ref first, ref second, .. } if first.position == 0 && second.position == 1)
        );
    }

    #[test]
    fn missing_code_and_wrong_geometry_are_named() {
        let no_code = r#"{"type":"Feature","properties":{"name":"x"},"geometry":null}"#;
        let err = read(fc(no_code).as_bytes(), WGS).unwrap_err();
        assert!(
            err.to_string().contains("property \"code\" is missing"),
            "{err}"
        );
        let line = r#"{"type":"Feature","properties":{"code":"a","name":"x"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}"#;
        let err = read(fc(line).as_bytes(), WGS).unwrap_err();
        assert!(
            err.to_string().contains("\"LineString\" is not a Polygon"),
            "{err}"
        );
    }

    #[test]
    fn gcj02_input_comes_out_in_wgs84() {
        let out = read(
            fc(&feature("g1", SQUARE)).as_bytes(),
            ReadOptions {
                crs: Crs::Gcj02,
                repair: false,
            },
        )
        .unwrap();
        let [lon, lat] = out[0].rings[0][0][0];
        assert_eq!(
            gridline_core::gcj02::wgs84_to_gcj02(lon, lat)
                .0
                .mul_add(1e6, 0.0)
                .round(),
            101.0e6
        );
        assert!((lat - 38.0).abs() > 1e-4, "shifted");
    }
}
