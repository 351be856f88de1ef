//! Checks that need the stored territory: codes already taken and overlaps
//! with stored grids (or between new ones) beyond the tolerance. Builds the
//! batch the store writes in one transaction.

use super::snapshot::Territory;
use crate::spatial::geojson_in::{FeatureRef, GeojsonError, GridFeature};
use crate::spatial::index::{GridIndex, Rings};
use crate::spatial::metric::{metres_per_degree, ring_area_m2};
use crate::spatial::{generate, overlay, wkb};
use crate::store::{NewGrid, StoreError, TerritoryBatch, UnitUpsert};
use gridline_core::OrgUnitKind;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Overlaps between grids whose mean width (area ÷ half the perimeter) is
    /// at most this many metres are tolerated as digitising slivers.
    pub overlap_tolerance_m: f64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            overlap_tolerance_m: 2.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportReport {
    pub grids_created: usize,
    pub units_created: usize,
    /// Codes of the grids whose self-intersections were repaired.
    pub repaired: Vec<String>,
    /// Overlaps within the tolerance that were let through.
    pub tolerated_overlaps: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Geojson(#[from] GeojsonError),
    #[error("{feature}: code {code:?} is already taken by a stored unit")]
    CodeTaken { feature: FeatureRef, code: String },
    #[error(
        "{feature} overlaps {other} over {area_m2:.0} m² with a mean width of {width_m:.1} m, beyond the tolerance of {tolerance_m} m"
    )]
    Overlap {
        feature: FeatureRef,
        other: String,
        area_m2: f64,
        width_m: f64,
        tolerance_m: f64,
    },
    #[error(transparent)]
    Generate(#[from] generate::GenerateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("import failed: {0}")]
    Internal(String),
}

pub struct Checked {
    pub batch: TerritoryBatch,
    pub tolerated_overlaps: usize,
}

fn feature_ref(f: &GridFeature) -> FeatureRef {
    FeatureRef {
        position: f.position,
        code: Some(f.code.to_string()),
    }
}

/// Every check that needs the stored territory, then the batch to write.
pub fn check_and_build(
    features: &[GridFeature],
    existing: &Territory,
    options: ImportOptions,
) -> Result<Checked, ImportError> {
    for f in features {
        if existing.by_code(f.code.as_str()).is_some() {
            return Err(ImportError::CodeTaken {
                feature: feature_ref(f),
                code: f.code.to_string(),
            });
        }
    }
    let tolerated_overlaps = check_overlaps(features, existing, options.overlap_tolerance_m)?;
    Ok(Checked {
        batch: build_batch(features),
        tolerated_overlaps,
    })
}

/// A multipolygon as one list of rings, read with the even-odd rule: the
/// same parity rule the index uses.
fn as_single_part(parts: &Rings) -> Rings {
    vec![parts.iter().flatten().cloned().collect()]
}

fn check_overlaps(
    features: &[GridFeature],
    existing: &Territory,
    tolerance_m: f64,
) -> Result<usize, ImportError> {
    let fresh = GridIndex::build(
        features
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.rings.clone())),
        0.0,
    );
    let mut tolerated = 0;
    for (slot, grid) in fresh.grids().iter().enumerate() {
        let f = &features[grid.data];
        let mine = as_single_part(&f.rings);
        for other in fresh.intersecting_bbox(grid.bbox) {
            if other <= slot {
                continue;
            }
            let g = &features[fresh.grids()[other].data];
            let theirs = as_single_part(&g.rings);
            if let Some((area_m2, width_m)) = overlap(&mine, &theirs) {
                if width_m > tolerance_m {
                    return Err(ImportError::Overlap {
                        feature: feature_ref(g),
                        other: feature_ref(f).to_string(),
                        area_m2,
                        width_m,
                        tolerance_m,
                    });
                }
                tolerated += 1;
            }
        }
        for stored in existing.index.intersecting_bbox(grid.bbox) {
            let theirs: Rings = vec![existing.index.rings(stored).collect()];
            if let Some((area_m2, width_m)) = overlap(&mine, &theirs) {
                if width_m > tolerance_m {
                    let unit = existing.unit(existing.index.grids()[stored].data);
                    return Err(ImportError::Overlap {
                        feature: feature_ref(f),
                        other: format!("stored grid {:?} ({})", unit.code, unit.name),
                        area_m2,
                        width_m,
                        tolerance_m,
                    });
                }
                tolerated += 1;
            }
        }
    }
    Ok(tolerated)
}

/// The overlap of two areas: its size in m² and mean width in metres, or
/// `None` when they only touch.
fn overlap(a: &Rings, b: &Rings) -> Option<(f64, f64)> {
    let common = overlay::intersection_even_odd(a, b);
    if common.is_empty() {
        return None;
    }
    let lat = common[0][0][0][1];
    let k = metres_per_degree(lat);
    let mut area = 0.0;
    let mut perimeter = 0.0;
    for rings in &common {
        for (i, ring) in rings.iter().enumerate() {
            let a = ring_area_m2(ring, k);
            area += if i == 0 { a } else { -a };
            perimeter += ring
                .windows(2)
                .map(|w| ((w[1][0] - w[0][0]) * k.0).hypot((w[1][1] - w[0][1]) * k.1))
                .sum::<f64>();
        }
    }
    (area > 0.0 && perimeter > 0.0).then(|| (area, area / (perimeter / 2.0)))
}

fn build_batch(features: &[GridFeature]) -> TerritoryBatch {
    let mut batch = TerritoryBatch::default();
    let mut seen = HashSet::new();
    for level in [
        OrgUnitKind::County,
        OrgUnitKind::Township,
        OrgUnitKind::Village,
    ] {
        for f in features {
            let (unit, parent) = match level {
                OrgUnitKind::County => (&f.county, None),
                OrgUnitKind::Township => (&f.township, f.county.as_ref()),
                _ => (&f.village, f.township.as_ref().or(f.county.as_ref())),
            };
            if let Some(u) = unit
                && seen.insert(u.code.to_string())
            {
                batch.units.push(UnitUpsert {
                    kind: level,
                    code: u.code.to_string(),
                    name: u.name.to_string(),
                    parent_code: parent.map(|p| p.code.to_string()),
                });
            }
        }
    }
    for f in features {
        let parent = f
            .village
            .as_ref()
            .or(f.township.as_ref())
            .or(f.county.as_ref());
        let b = generate::bbox(&f.rings);
        let k = metres_per_degree((b[1] + b[3]) / 2.0);
        let area_m2 = f
            .rings
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        if i == 0 {
                            ring_area_m2(r, k)
                        } else {
                            -ring_area_m2(r, k)
                        }
                    })
                    .sum::<f64>()
            })
            .sum();
        batch.grids.push(NewGrid {
            code: f.code.to_string(),
            name: f.name.to_string(),
            parent_code: parent.map(|p| p.code.to_string()),
            wkb: wkb::encode(&f.rings),
            bbox: b,
            vertex_count: f.rings.iter().flatten().map(Vec::len).sum(),
            area_m2,
        });
    }
    batch
}
