//! Likely duplicates: open cases of the same category, in the same county,
//! reported near a case and not long before it. Each category has its own
//! reach: a hazard is one spot and soon fixed, a dispute runs for weeks
//! between neighbours a few doors apart. An operator who agrees merges
//! the newer case into the older (the `merge` action); the older one then
//! lists every case merged into it with its report, reporter and photos.

use super::error::CaseResult;
use super::{CaseService, Readable};
use crate::auth::service::Identity;
use crate::store::cases::{CaseFilter, CaseRow, CaseScope};
use gridline_core::CaseId;
use gridline_core::case::Status;
use gridline_core::category;
use gridline_core::coord::haversine_m;
use gridline_core::time::Instant;
use serde::Serialize;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Most candidates read for one case.
const CANDIDATES: u32 = 500;

/// How near (metres) and how recent (days) a case must be to repeat one
/// of `category`.
#[must_use]
pub fn reach(category: &str) -> (f64, i64) {
    match category {
        "safety_hazard" => (100.0, 7),
        "noise" => (150.0, 14),
        c if category::by_code(c).is_some_and(|k| k.is_dispute) => (300.0, 30),
        _ => (150.0, 14),
    }
}

/// A box holding every point within `radius_m` of (lon, lat), with a
/// margin; the exact distance is checked afterwards.
fn box_around(lon: f64, lat: f64, radius_m: f64) -> [f64; 4] {
    const M_PER_DEGREE: f64 = 111_000.0;
    let dlat = 1.1 * radius_m / M_PER_DEGREE;
    let dlon = dlat / lat.to_radians().cos().max(0.01);
    [lon - dlon, lat - dlat, lon + dlon, lat + dlat]
}

/// A case offered as a likely duplicate of another.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Likely {
    pub id: String,
    pub status: String,
    pub description: String,
    pub distance_m: f64,
    pub created_at: String,
}

/// A case merged into another, with what it brought.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Merged {
    pub id: String,
    pub description: String,
    pub channel: String,
    pub reporter: String,
    pub created_at: String,
    /// Its photos' ids.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Duplicates {
    /// Open cases this one likely repeats, nearest first.
    pub likely: Vec<Likely>,
    /// Cases merged into this one, oldest first.
    pub merged: Vec<Merged>,
}

impl CaseService {
    /// The open cases `case` likely repeats, nearest first.
    ///
    /// # Errors
    /// Store failures.
    pub async fn likely_duplicates(&self, case: &CaseRow) -> CaseResult<Vec<(CaseRow, f64)>> {
        let (radius, days) = reach(&case.category);
        let filter = CaseFilter {
            scope: CaseScope {
                everything: case.county_id.is_none(),
                counties: case.county_id.into_iter().collect(),
                ..CaseScope::default()
            },
            categories: vec![case.category.clone()],
            created_between: Some((case.created_at - days * DAY_MS, case.created_at)),
            // Only what could be within reach: the store need not read
            // every recent case of the category in the county.
            within: Some(box_around(case.lon, case.lat, radius)),
            limit: CANDIDATES,
            ..CaseFilter::default()
        };
        let mut near: Vec<(CaseRow, f64)> = self
            .store()
            .list_cases(&filter)
            .await?
            .into_iter()
            .filter(|c| c.id != case.id && c.status.is_pending() && c.status != Status::Merged)
            .map(|c| {
                let d = haversine_m(case.lon, case.lat, c.lon, c.lat);
                (c, d)
            })
            .filter(|(_, d)| *d <= radius)
            .collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ok(near)
    }

    /// What `who` may know of a case's duplicates: the likely ones among
    /// the cases they may see, and those merged into it.
    ///
    /// # Errors
    /// Not found when `who` may not read the case.
    pub async fn duplicates(&self, who: &Identity, id: CaseId) -> CaseResult<Duplicates> {
        let Readable { case, .. } = self.readable(who, id).await?;
        let mut likely = Vec::new();
        for (c, d) in self.likely_duplicates(&case).await? {
            if self.readable(who, c.id).await.is_ok() {
                likely.push(Likely {
                    id: c.id.to_string(),
                    status: c.status.as_str().to_owned(),
                    description: c.description,
                    distance_m: (d * 10.0).round() / 10.0,
                    created_at: Instant(c.created_at).to_string(),
                });
            }
        }
        let mut rows = self
            .store()
            .list_cases(&CaseFilter {
                scope: CaseScope {
                    everything: true,
                    ..CaseScope::default()
                },
                merged_into: Some(id),
                limit: CANDIDATES,
                ..CaseFilter::default()
            })
            .await?;
        rows.sort_by_key(|c| c.created_at);
        let mut merged = Vec::with_capacity(rows.len());
        for c in rows {
            let reporter = self
                .store()
                .user_by_id(c.reporter_id)
                .await?
                .map_or_else(|| c.reporter_id.to_string(), |u| u.display_name);
            let photos = self.store().case_photos(c.id).await?;
            merged.push(Merged {
                id: c.id.to_string(),
                description: c.description,
                channel: c.channel.as_str().to_owned(),
                reporter,
                created_at: Instant(c.created_at).to_string(),
                photos: photos.iter().map(|p| p.id.to_string()).collect(),
            });
        }
        Ok(Duplicates { likely, merged })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disputes_reach_further_and_longer_than_hazards() {
        let (hazard_m, hazard_days) = reach("safety_hazard");
        let (dispute_m, dispute_days) = reach("neighbour_dispute");
        assert!(dispute_m > hazard_m && dispute_days > hazard_days);
        assert_eq!(reach("other"), (150.0, 14));
    }

    #[test]
    fn the_box_holds_every_point_within_reach() {
        for (lon, lat) in [(101.18, 38.52), (87.6, 43.8), (126.6, 45.7), (110.3, 20.0)] {
            let radius = 300.0;
            let [west, south, east, north] = box_around(lon, lat, radius);
            for k in 0..360 {
                let a = f64::from(k).to_radians();
                // A point just inside the radius in direction `a`.
                let dlat = 0.999 * radius * a.cos() / 111_195.0;
                let dlon = 0.999 * radius * a.sin() / (111_195.0 * lat.to_radians().cos());
                let (x, y) = (lon + dlon, lat + dlat);
                assert!(haversine_m(lon, lat, x, y) <= radius, "{k}°");
                assert!(
                    (west..=east).contains(&x) && (south..=north).contains(&y),
                    "({lon}, {lat}), {k}°: ({x}, {y}) outside the box"
                );
            }
        }
    }
}
