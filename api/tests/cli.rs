//! The `gridline` binary as an operator runs it.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use support::{BIN, Server};

mod support;

const PASSWORD: &str = "demo-test-password";

/// Starts `gridline demo` on port 0.
fn start_demo(dir: &Path) -> Server {
    support::start(dir, &["demo", "--demo-password", PASSWORD])
}

async fn locate_shandan(base: &str) -> serde_json::Value {
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({ "username": "grid-worker", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().expect("token");
    // Shandan's DataV centroid, stated in GCJ-02 as the boundary file is.
    client
        .get(format!(
            "{base}/v1/locate?lat=38.523105&lon=101.178076&crs=gcj02"
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_starts_locates_in_shandan_and_restarts_on_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let body = {
        let demo = start_demo(dir.path());
        let health: serde_json::Value = reqwest::get(format!("{}/healthz", demo.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["grids"], 225);
        locate_shandan(&demo.base).await
    };
    assert_eq!(body["county"]["code"], "620725", "{body}");
    assert_eq!(body["county"]["name"], "山丹县");
    assert!(body["grid"]["code"].as_str().unwrap().starts_with("620725"));
    assert_eq!(body["distance_m"], 0.0);

    // Again on the same directory: reused, not loaded twice.
    let demo = start_demo(dir.path());
    let health: serde_json::Value = reqwest::get(format!("{}/healthz", demo.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["grids"], 225);
    assert_eq!(locate_shandan(&demo.base).await["grid"], body["grid"]);
}

fn square(code: &str, lon: f64, lat: f64) -> serde_json::Value {
    serde_json::json!({
        "type": "Feature",
        "properties": { "code": code, "name": code },
        "geometry": { "type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] }
    })
}

fn import(dir: &Path, file: &Path) -> std::process::Output {
    Command::new(BIN)
        .args(["grids", "import"])
        .arg(file)
        .args(["--crs", "gcj02", "--data-dir"])
        .arg(dir)
        .output()
        .expect("run gridline grids import")
}

#[test]
fn grids_import_exits_zero_on_success_and_non_zero_with_the_error_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grids.geojson");
    let good = serde_json::json!({ "type": "FeatureCollection", "features": [square("A1", 110.0, 30.0), square("A2", 110.01, 30.0)] });
    std::fs::write(&file, good.to_string()).unwrap();
    let out = import(dir.path(), &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 grids"));

    let refusals = [
        (
            serde_json::json!([square("B1", 111.0, 30.0)]),
            "bare JSON array",
        ),
        (
            serde_json::json!({ "type": "FeatureCollection", "features": [square("B2", 110.005, 30.0)] }),
            "overlaps stored grid",
        ),
        (
            serde_json::json!({ "type": "FeatureCollection", "features": [square("A1", 112.0, 30.0)] }),
            "already taken",
        ),
        (
            serde_json::json!({ "type": "FeatureCollection", "features": [square("B3", 2.3, 48.8)] }),
            "GCJ-02 is not defined",
        ),
    ];
    for (doc, needle) in refusals {
        std::fs::write(&file, doc.to_string()).unwrap();
        let out = import(dir.path(), &file);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{needle}: should have failed");
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    std::fs::write(&file, "{ not json").unwrap();
    let out = import(dir.path(), &file);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid JSON at line 1"));

    // Nothing the refusals touched was stored: the first two grids and no more.
    std::fs::write(
        &file,
        serde_json::json!({ "type": "FeatureCollection", "features": [square("C1", 113.0, 30.0)] })
            .to_string(),
    )
    .unwrap();
    let out = import(dir.path(), &file);
    assert!(out.status.success());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let grids = rt.block_on(async {
        let store = gridline_api::store::sql::SqlStore::open(&dir.path().join("gridline.db"))
            .await
            .unwrap();
        gridline_api::store::Store::grid_shapes(&store)
            .await
            .unwrap()
            .len()
    });
    assert_eq!(grids, 3);
}

#[test]
fn users_add_creates_an_account_at_a_unit_and_refuses_unknown_units() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grids.geojson");
    std::fs::write(
        &file,
        serde_json::json!({ "type": "FeatureCollection", "features": [square("U1", 110.0, 30.0)] })
            .to_string(),
    )
    .unwrap();
    assert!(import(dir.path(), &file).status.success());
    let add = |unit: &str| {
        Command::new(BIN)
            .args([
                "users",
                "add",
                "li-na",
                "--role",
                "grid_worker",
                "--unit",
                unit,
                "--data-dir",
            ])
            .arg(dir.path())
            .env("GRIDLINE_NEW_PASSWORD", "a long enough password")
            .output()
            .unwrap()
    };
    let out = add("NOPE");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no org unit has the code \"NOPE\""));
    let out = add("U1");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = add("U1");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already exists"),
        "a second li-na is refused"
    );
}

#[tokio::test]
async fn reset_epoch_gives_the_sync_log_a_new_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let run = |cmd: &str| {
        Command::new(BIN)
            .args([cmd, "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    assert!(run("migrate").status.success());
    let epoch = || async {
        let store = gridline_api::store::sql::SqlStore::open(&dir.path().join("gridline.db"))
            .await
            .unwrap();
        gridline_api::store::SyncStore::log_head(&store)
            .await
            .unwrap()
            .epoch
    };
    let before = epoch().await;
    let out = run("reset-epoch");
    assert!(out.status.success());
    let after = epoch().await;
    assert_ne!(before, after);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&after));
}

#[tokio::test]
async fn the_demo_on_postgresql_seeds_an_empty_database_once_and_a_second_replica_serves_it() {
    let Some(server) = support::database::postgres_server() else {
        eprintln!(
            "skipped: needs a PostgreSQL server in {}",
            support::database::URL_VAR
        );
        return;
    };
    let db = support::database::PgDatabase::create(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a = support::start(
        dir.path(),
        &[
            "demo",
            "--demo-password",
            PASSWORD,
            "--database-url",
            db.url(),
        ],
    );
    let located = locate_shandan(&a.base).await;
    assert!(
        located["grid"]["code"]
            .as_str()
            .unwrap()
            .starts_with("620725")
    );
    let mut pg = <sqlx::PgConnection as sqlx::Connection>::connect(db.url())
        .await
        .unwrap();
    let reports = "SELECT COUNT(*) FROM case_events WHERE action = 'submit'";
    let seeded: i64 = sqlx::query_scalar(reports)
        .fetch_one(&mut pg)
        .await
        .unwrap();
    // A second `demo` on the same database serves it as it is: the first
    // run's passwords still work, the month is not played again.
    let b = support::start(
        dir.path(),
        &[
            "demo",
            "--demo-password",
            "another-password",
            "--database-url",
            db.url(),
        ],
    );
    assert_eq!(locate_shandan(&b.base).await["grid"], located["grid"]);
    let health: serde_json::Value = reqwest::get(format!("{}/healthz", b.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["grids"], 225);
    drop((a, b));
    let again: i64 = sqlx::query_scalar(reports)
        .fetch_one(&mut pg)
        .await
        .unwrap();
    assert!(seeded > 100, "the month was played once: {seeded} reports");
    assert_eq!(seeded, again);
}
