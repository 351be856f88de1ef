//! Assignment on real boundaries: all 2,884 county-level units of China, and
//! the five seed counties split into grids. Reads `../shared/data` (or
//! `GRIDLINE_SHARED_DATA`); the files are never copied into the repository.

#![allow(clippy::unwrap_used)]

use gridline_api::spatial::generate::{self, SplitMix64, sample_inside};
use gridline_api::spatial::geojson_in::{self, ReadOptions};
use gridline_api::spatial::index::Assignment;
use gridline_api::spatial::naming;
use gridline_api::spatial::pip;
use gridline_api::store::Store;
use gridline_api::store::sql::SqlStore;
use gridline_api::territory::{ImportOptions, TerritoryService};
use gridline_core::{Crs, GeoPoint};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

fn shared_data() -> PathBuf {
    let dir = std::env::var_os("GRIDLINE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        PathBuf::from,
    );
    assert!(
        dir.join("boundaries").is_dir(),
        "shared data not found at {}: set GRIDLINE_SHARED_DATA",
        dir.display()
    );
    dir
}

async fn territory(dir: &tempfile::TempDir, near_m: f64) -> TerritoryService {
    let store = SqlStore::open(&dir.path().join("gridline.db"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    TerritoryService::load(Arc::new(store), near_m)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_county_centroid_falls_in_exactly_its_own_county() {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(shared_data().join("boundaries/china_counties.geojson.gz")).unwrap(),
    )
    .read_to_end(&mut bytes)
    .unwrap();
    let raw: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let counties = geojson_in::read(
        &bytes,
        ReadOptions {
            crs: Crs::Gcj02,
            repair: true,
        },
    )
    .unwrap();
    assert_eq!(counties.len(), 2884);
    let repaired = counties.iter().filter(|c| c.repaired).count();
    // The real data self-intersects in places (GEOS finds 180 invalid polygons).
    assert!(repaired > 100, "{repaired} repaired");

    let dir = tempfile::tempdir().unwrap();
    let service = territory(&dir, 0.0).await;
    // Neighbouring counties overlap as slivers up to 76 m wide on average.
    let report = service
        .import(
            counties,
            ImportOptions {
                overlap_tolerance_m: 100.0,
            },
        )
        .await
        .unwrap();
    assert_eq!(report.grids_created, 2884);
    assert!(report.tolerated_overlaps > 1000, "{report:?}");

    let t = service.current();
    let mut checked = 0;
    for f in raw["features"].as_array().unwrap() {
        let Some(c) = f["properties"]["centroid"].as_array() else {
            continue;
        };
        let code = f["properties"]["adcode"].to_string();
        let p =
            GeoPoint::parse(c[1].as_f64().unwrap(), c[0].as_f64().unwrap(), Crs::Gcj02).unwrap();
        let (assignment, unit) = t.locate(p);
        assert!(
            matches!(assignment, Assignment::Inside(_)),
            "{code}: {assignment:?}"
        );
        assert_eq!(t.unit(unit.unwrap()).code, code, "centroid of {code}");
        let hits = t.index.all_containing(p.lon.degrees(), p.lat.degrees());
        assert_eq!(
            hits.len(),
            1,
            "centroid of {code} is in {} counties",
            hits.len()
        );
        checked += 1;
    }
    assert_eq!(checked, 2841);
}

#[tokio::test(flavor = "multi_thread")]
async fn random_points_in_the_five_seed_counties_land_in_exactly_one_grid() {
    const NEAR_M: f64 = 150.0;
    let dir = tempfile::tempdir().unwrap();
    let service = territory(&dir, NEAR_M).await;
    let seeds = [
        ("620725", 225),
        ("620102", 120),
        ("441803", 180),
        ("530112", 150),
        ("140403", 100),
    ];
    let mut boundaries = Vec::new();
    for (code, count) in seeds {
        let bytes =
            std::fs::read(shared_data().join(format!("boundaries/county/{code}.json"))).unwrap();
        let county = geojson_in::read(
            &bytes,
            ReadOptions {
                crs: Crs::Gcj02,
                repair: true,
            },
        )
        .unwrap()
        .remove(0);
        let grids = generate::split(&county.rings, count, 42).unwrap();
        assert_eq!(grids.len(), count, "{code}");
        let named = naming::name_grids(
            code,
            county.name.as_str(),
            grids,
            &naming::known_townships(code),
            42,
        );
        assert!(named.iter().all(|g| {
            g.township
                .as_ref()
                .is_some_and(|t| t.code.as_str().starts_with(code))
        }));
        service
            .import(named, ImportOptions::default())
            .await
            .unwrap();
        boundaries.push((code, county.rings));
    }
    let t = service.current();
    assert_eq!(t.index.len(), seeds.iter().map(|s| s.1).sum::<usize>());
    for (code, rings) in &boundaries {
        let mut rng = SplitMix64::new(7);
        let inside = sample_inside(rings, 10_000, &mut rng);
        assert_eq!(inside.len(), 10_000);
        for &[lon, lat] in &inside {
            let hits = t.index.all_containing(lon, lat);
            assert_eq!(
                hits.len(),
                1,
                "{code}: ({lon}, {lat}) is in {} grids",
                hits.len()
            );
            let p = GeoPoint::parse(lat, lon, Crs::Wgs84).unwrap();
            let (a, unit) = t.locate(p);
            assert_eq!(a, Assignment::Inside(hits[0]));
            assert_eq!(
                t.chain(unit.unwrap()).county.map(|c| c.code.as_str()),
                Some(*code)
            );
        }

        // Points around the county but outside it: in no grid; either near one
        // (within the tolerance, and then truly that close) or unassigned.
        let b = generate::bbox(rings);
        let (coords, ends) = generate::flatten(rings);
        let (mut near, mut far) = (0, 0);
        let margin = 0.02;
        while near + far < 2_000 {
            let lon = b[0] - margin + rng.next_f64() * (b[2] - b[0] + 2.0 * margin);
            let lat = b[1] - margin + rng.next_f64() * (b[3] - b[1] + 2.0 * margin);
            if gridline_api::spatial::pip::contains_fixed(
                &coords,
                &ends,
                pip::to_fixed(lon),
                pip::to_fixed(lat),
            ) {
                continue;
            }
            assert!(
                t.index.all_containing(lon, lat).is_empty(),
                "{code}: outside point ({lon}, {lat}) hit a grid"
            );
            match t.locate(GeoPoint::parse(lat, lon, Crs::Wgs84).unwrap()).0 {
                Assignment::Near(g, d) => {
                    assert!(d > 0.0 && d <= NEAR_M, "{d}");
                    let county = t.chain(t.index.grids()[g].data).county.unwrap();
                    assert_eq!(county.code, *code);
                    near += 1;
                }
                Assignment::Unassigned => far += 1,
                Assignment::Inside(_) => unreachable!(),
            }
        }
        assert!(near > 0 && far > 0, "{code}: {near} near, {far} far");
    }
}
