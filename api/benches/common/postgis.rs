//! The PostGIS peer of the in-process index: the same polygons in a table with
//! a GiST index, asked the same question one prepared statement at a time over
//! loopback TCP, as a server that kept its grids only in PostGIS would ask it.
//!
//! Runs on the PostgreSQL server in `GRIDLINE_TEST_DATABASE_URL`, or on a
//! throw-away cluster from `scripts/pg start` (stopped again on drop), with
//! PostGIS installed by `scripts/pg postgis` when it is missing.

#![allow(clippy::unwrap_used)]

/// The tests' fresh-database helper (its own unit test imports count as unused here).
#[allow(dead_code, unused_imports)]
#[path = "../../../tests/src/database.rs"]
mod database;

use gridline_api::spatial::index::{Assignment, GridIndex, Rings};
use gridline_api::spatial::pip::UNITS_PER_DEGREE;
use gridline_api::spatial::wkb;
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The lookup, exactly as the comparison states it.
const CONTAINS: &str =
    "SELECT id FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1";

/// EWKB's flag for "an SRID follows the type".
const EWKB_SRID_FLAG: u32 = 0x2000_0000;
const WGS84: u32 = 4326;

/// A database with PostGIS, on a server this run may have started.
pub struct PostGis {
    runtime: tokio::runtime::Runtime,
    /// `Option` so that `drop` can drop the database before stopping the
    /// cluster it lives on.
    db: Option<database::PgDatabase>,
    own_cluster: Option<PathBuf>,
    pub version: String,
}

/// What loading one dataset cost.
pub struct Loaded {
    /// COPY, GiST build and ANALYZE, in seconds.
    pub seconds: f64,
    /// Table, TOAST and index on disk.
    pub bytes: u64,
}

/// PostGIS's answers for a sample from one connection, one query at a time.
pub struct Answers {
    /// Each query's round trip, nanoseconds, sorted.
    pub latency_ns: Vec<u64>,
    /// Queries per second over the whole pass.
    pub per_second: f64,
    /// Points where PostGIS and the index disagree (see [`compare`]).
    pub disagreements: usize,
    /// Points in two overlapping grids where each picked a different one,
    /// both containing the point: not disagreements.
    pub overlaps: usize,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `scripts/pg ARGS…` and returns its stdout; its stderr passes through.
fn scripts_pg(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(repo_root().join("scripts/pg"))
        .args(args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "scripts/pg {args:?} failed");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl PostGis {
    /// Connects to (or starts) the server, makes a fresh database there and
    /// enables PostGIS in it.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (server, own_cluster) = match database::postgres_server() {
            Some(url) => (url, None),
            None => {
                scripts_pg(&["postgis".as_ref()]);
                // Not replicas_report's directory: the two may run at once.
                let dir = repo_root().join("target/pg-assign-bench");
                let url = scripts_pg(&["start".as_ref(), dir.as_os_str()]);
                (url, Some(dir))
            }
        };
        let mut this = Self {
            runtime,
            db: None,
            own_cluster,
            version: String::new(),
        };
        this.db = Some(this.runtime.block_on(database::PgDatabase::create(&server)));
        this.version = this.runtime.block_on(this.enable_postgis());
        this
    }

    fn url(&self) -> &str {
        self.db.as_ref().unwrap().url()
    }

    async fn connect(&self) -> PgConnection {
        PgConnection::connect(self.url()).await.unwrap()
    }

    /// `CREATE EXTENSION postgis`; a server named by the environment may lack
    /// it, so on failure install it locally (it may be this machine's) and
    /// try once more. Returns "PostgreSQL x, PostGIS y, on …".
    async fn enable_postgis(&self) -> String {
        let mut conn = self.connect().await;
        const CREATE: &str = "CREATE EXTENSION IF NOT EXISTS postgis";
        if let Err(e) = conn.execute(CREATE).await {
            eprintln!("CREATE EXTENSION postgis failed ({e}); running scripts/pg postgis");
            scripts_pg(&["postgis".as_ref()]);
            conn.execute(CREATE).await.unwrap();
        }
        let (pg, gis): (String, String) =
            sqlx::query_as("SELECT current_setting('server_version'), postgis_lib_version()")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let server = if self.own_cluster.is_some() {
            "a throw-away cluster from scripts/pg"
        } else {
            "the server in GRIDLINE_TEST_DATABASE_URL"
        };
        format!("PostgreSQL {pg}, PostGIS {gis}, on {server}")
    }

    /// Replaces the table `grids` with the index's grids: id = position in
    /// the index, geometry = the dataset's polygon snapped to the index's
    /// 1e-7° grid, so both sides test the very same edges.
    pub fn load(&self, index: &GridIndex<u32>, dataset: &[Rings]) -> Loaded {
        self.runtime.block_on(async {
            let mut conn = self.connect().await;
            let t = Instant::now();
            // UNLOGGED: no WAL for a table thrown away at the end (and no
            // gigabyte of WAL segments on a nearly full disk); reads are the
            // same as from a logged table.
            conn.execute(
                "DROP TABLE IF EXISTS grids; \
                 CREATE UNLOGGED TABLE grids (id integer NOT NULL, \
                 geom geometry(MultiPolygon, 4326) NOT NULL)",
            )
            .await
            .unwrap();
            copy_grids(&mut conn, index, dataset).await;
            conn.execute("CREATE INDEX grids_geom ON grids USING gist (geom)")
                .await
                .unwrap();
            conn.execute("VACUUM ANALYZE grids").await.unwrap();
            let seconds = t.elapsed().as_secs_f64();
            let bytes: i64 = sqlx::query_scalar("SELECT pg_total_relation_size('grids')")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            Loaded {
                seconds,
                bytes: u64::try_from(bytes).unwrap(),
            }
        })
    }

    /// Asks for every point from one connection, timing each round trip, and
    /// checks the answers against the index. The first `warm_up` points are
    /// asked once beforehand so that the pages they touch are cached, as
    /// the in-process index is when it is timed.
    pub fn answers(&self, index: &GridIndex<u32>, points: &[[f64; 2]], warm_up: usize) -> Answers {
        self.runtime.block_on(async {
            let mut conn = self.connect().await;
            for &p in &points[..warm_up.min(points.len())] {
                ask(&mut conn, p).await;
            }
            let mut latency_ns = Vec::with_capacity(points.len());
            let mut found = Vec::with_capacity(points.len());
            let pass = Instant::now();
            for &p in points {
                let t = Instant::now();
                found.push(ask(&mut conn, p).await);
                latency_ns.push(t.elapsed().as_nanos() as u64);
            }
            let per_second = points.len() as f64 / pass.elapsed().as_secs_f64();
            latency_ns.sort_unstable();
            let (disagreements, overlaps) = compare(index, points, &found);
            Answers {
                latency_ns,
                per_second,
                disagreements,
                overlaps,
            }
        })
    }

    /// Queries per second with `connections` clients at once, each asking its
    /// share of the points in turn (the clients run on the same two cores as
    /// the server, as the app's handlers would).
    pub fn throughput(&self, points: &[[f64; 2]], connections: usize) -> f64 {
        self.runtime.block_on(async {
            let mut conns = Vec::with_capacity(connections);
            for _ in 0..connections {
                let mut conn = self.connect().await;
                // Prepares the statement before the clock starts.
                ask(&mut conn, points[0]).await;
                conns.push(conn);
            }
            let share = points.len().div_ceil(connections);
            let t = Instant::now();
            let tasks: Vec<_> = conns
                .into_iter()
                .zip(points.chunks(share))
                .map(|(mut conn, mine)| {
                    let mine = mine.to_vec();
                    tokio::spawn(async move {
                        for p in mine {
                            ask(&mut conn, p).await;
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
            points.len() as f64 / t.elapsed().as_secs_f64()
        })
    }
}

impl Drop for PostGis {
    /// Drops the database, then stops the cluster this run started (also
    /// when a check failed and the bench is unwinding).
    fn drop(&mut self) {
        drop(self.db.take());
        if let Some(dir) = &self.own_cluster {
            let _ = Command::new(repo_root().join("scripts/pg"))
                .arg("stop")
                .arg(dir)
                .status();
        }
    }
}

/// The grid PostGIS places the point in, if any. The point is snapped to
/// 1e-7° as the index snaps it, so both place the same point.
async fn ask(conn: &mut PgConnection, [lon, lat]: [f64; 2]) -> Option<i32> {
    sqlx::query_scalar(CONTAINS)
        .bind(snap(lon))
        .bind(snap(lat))
        .fetch_optional(conn)
        .await
        .unwrap()
}

fn snap(degrees: f64) -> f64 {
    (degrees * UNITS_PER_DEGREE).round() / UNITS_PER_DEGREE
}

/// Counts the points where the two answers differ: one finds a grid and the
/// other none, or they name different grids and the index says PostGIS's
/// grid does not hold the point. Different grids that both hold it (counties
/// overlapping within the import tolerance; each side picks one) are counted
/// apart as overlaps.
fn compare(index: &GridIndex<u32>, points: &[[f64; 2]], found: &[Option<i32>]) -> (usize, usize) {
    let (mut disagreements, mut overlaps) = (0, 0);
    for (&[lon, lat], &theirs) in points.iter().zip(found) {
        let ours = match index.locate(lon, lat) {
            Assignment::Inside(g) => Some(g),
            Assignment::Near(..) | Assignment::Unassigned => None,
        };
        let theirs = theirs.map(|id| usize::try_from(id).unwrap());
        match (ours, theirs) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => {}
            (Some(_), Some(b)) if index.contains(b, lon, lat) => overlaps += 1,
            _ => disagreements += 1,
        }
    }
    (disagreements, overlaps)
}

/// Streams the grids into the table with COPY (text format, geometry as hex
/// EWKB), a few megabytes per message.
async fn copy_grids(conn: &mut PgConnection, index: &GridIndex<u32>, dataset: &[Rings]) {
    const BATCH: usize = 4 << 20;
    let mut copy = conn
        .copy_in_raw("COPY grids (id, geom) FROM STDIN")
        .await
        .unwrap();
    let mut buf = Vec::with_capacity(BATCH + (1 << 16));
    for (id, grid) in index.grids().iter().enumerate() {
        let ewkb = ewkb_wgs84(&snapped(&dataset[grid.data as usize]));
        buf.extend_from_slice(id.to_string().as_bytes());
        buf.push(b'\t');
        put_hex(&mut buf, &ewkb);
        buf.push(b'\n');
        if buf.len() >= BATCH {
            copy.send(std::mem::take(&mut buf)).await.unwrap();
            buf.reserve(BATCH + (1 << 16));
        }
    }
    copy.send(buf).await.unwrap();
    copy.finish().await.unwrap();
}

fn snapped(parts: &Rings) -> Rings {
    parts
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|ring| ring.iter().map(|&[x, y]| [snap(x), snap(y)]).collect())
                .collect()
        })
        .collect()
}

/// The crate's WKB with SRID 4326 written in (EWKB), so the column's
/// `geometry(MultiPolygon, 4326)` type takes it as it is.
fn ewkb_wgs84(parts: &Rings) -> Vec<u8> {
    let plain = wkb::encode(parts);
    assert_eq!(plain[0], 1, "the crate writes little-endian WKB");
    let kind = u32::from_le_bytes(plain[1..5].try_into().unwrap());
    let mut out = Vec::with_capacity(plain.len() + 4);
    out.push(1);
    out.extend_from_slice(&(kind | EWKB_SRID_FLAG).to_le_bytes());
    out.extend_from_slice(&WGS84.to_le_bytes());
    out.extend_from_slice(&plain[5..]);
    out
}

fn put_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0xF)]);
    }
}
