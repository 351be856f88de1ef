//! The `gridline` command line.

use crate::config::Settings;
use crate::server;
use crate::spatial::geojson_in::{self, GridFeature, ReadOptions};
use crate::spatial::{generate, naming};
use crate::store::{NewUser, Store};
use crate::territory::{ImportOptions, TerritoryService};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use gridline_core::user::{DisplayName, NewPassword, Username};
use gridline_core::{Crs, Role, UserId};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(
    name = "gridline",
    version,
    about = "Gridline: grid-based governance server and tools"
)]
pub struct Cli {
    /// A TOML settings file (see docs/OPERATIONS.md); GRIDLINE_* variables override it.
    #[arg(long, global = true, env = "GRIDLINE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where the embedded database lives.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// The database: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`
    /// (default: gridline.db in the data directory). Also GRIDLINE_DATABASE_URL.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Log as JSON lines instead of text.
    #[arg(long, global = true)]
    pub json_logs: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Create the database or bring it up to date, then exit.
    Migrate,
    /// After restoring a backup: give the sync log a new epoch, so every
    /// phone sends what it holds and starts again from a snapshot.
    ResetEpoch,
    /// Import or generate grids.
    #[command(subcommand)]
    Grids(GridsCommand),
    /// Manage accounts.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Grid workers and village cadres of the county, each driving their own
    /// phone core against a running server, some losing the network for a
    /// while; fails unless every phone converges with the server at the end.
    Field(FieldArgs),
    /// Load Shandan county split into 225 grids, create one account per role, and
    /// serve. A database that already has accounts is served as it is.
    Demo {
        #[arg(long)]
        listen: Option<String>,
        /// Give every demo account this password (else random ones are printed).
        #[arg(long, env = "GRIDLINE_DEMO_PASSWORD")]
        demo_password: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct FieldArgs {
    /// The server's base address, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub server: String,
    #[arg(long, default_value = "admin")]
    pub admin_user: String,
    /// Also GRIDLINE_ADMIN_PASSWORD.
    #[arg(long, env = "GRIDLINE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: String,
    /// Grid workers (each village they work in gets a cadre too).
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
    #[arg(long, default_value_t = 2.0)]
    pub minutes: f64,
    /// Mean seconds between two reports of one grid worker.
    #[arg(long, default_value_t = 20.0)]
    pub report_every: f64,
    /// Share of phones that lose the network once during the run.
    #[arg(long, default_value_t = 0.34)]
    pub offline_share: f64,
    /// Seconds the phones get to converge at the end.
    #[arg(long, default_value_t = 120)]
    pub settle_s: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where the phones keep their storage (default: a temporary folder,
    /// removed afterwards).
    #[arg(long)]
    pub phones_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum GridsCommand {
    /// Import grids from a GeoJSON FeatureCollection: all of them or, on any fault, none.
    Import {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Tolerated overlap between grids, as mean width in metres.
        #[arg(long)]
        overlap_tolerance_m: Option<f64>,
    },
    /// Split each county of a GeoJSON file into grids and import them.
    Generate {
        /// A FeatureCollection of counties (`adcode`/`code` and `name` per feature).
        #[arg(long)]
        county: PathBuf,
        /// Grids per county.
        #[arg(long)]
        count: usize,
        #[arg(long, value_parser = parse_crs, default_value = "gcj02")]
        crs: Crs,
        /// The same seed gives the same grids.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the grids to this GeoJSON file (WGS84) instead of importing them.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The system the file's coordinates are in: wgs84, gcj02 or cgcs2000.
    #[arg(long, value_parser = parse_crs, default_value = "wgs84")]
    pub crs: Crs,
    /// Re-node self-intersecting polygons instead of refusing them.
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account with one role at one org unit.
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The code of the org unit the role is held at.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input (else
        /// GRIDLINE_NEW_PASSWORD, else a random one is printed).
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_crs(s: &str) -> Result<Crs, String> {
    s.parse()
        .map_err(|e: gridline_core::coord::CoordError| e.to_string())
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|e: gridline_core::role::UnknownRole| e.to_string())
}

fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message(message);
    bar
}

/// Runs the command line; the caller prints the error and exits non-zero.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref()).context("reading settings")?;
    if let Some(dir) = cli.data_dir {
        settings.data_dir = dir;
    }
    if let Some(url) = cli.database_url {
        settings.database_url = Some(crate::config::Secret::new(url));
    }
    if cli.json_logs {
        settings.log_format = crate::config::LogFormat::Json;
    }
    crate::telemetry::init(settings.log_format, &settings.log_level);
    match cli.command {
        Command::Serve { listen } => {
            if let Some(l) = listen {
                settings.listen = l;
            }
            let store = server::open_store(&settings).await?;
            serve(settings, store, None).await
        }
        Command::Migrate => {
            server::open_store(&settings).await?;
            println!(
                "database at {} is up to date",
                settings.database_url_for_display()
            );
            Ok(())
        }
        Command::ResetEpoch => {
            let store = server::open_store(&settings).await?;
            let epoch = store.new_epoch().await?;
            println!(
                "sync epoch of {} is now {epoch}: phones start again from a snapshot",
                settings.database_url_for_display()
            );
            Ok(())
        }
        Command::Grids(cmd) => grids(settings, cmd).await,
        Command::Users(cmd) => users(settings, cmd).await,
        Command::Field(args) => field(args).await,
        Command::Demo {
            listen,
            demo_password,
        } => {
            if let Some(l) = listen {
                settings.listen = l;
            }
            if let Some(p) = &demo_password {
                NewPassword::parse(p).context("--demo-password")?;
            }
            let store = server::open_store(&settings).await?;
            serve(settings, store, Some(demo_password)).await
        }
    }
}

async fn serve(
    settings: Settings,
    store: Arc<dyn Store>,
    demo: Option<Option<String>>,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("binding {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let state = server::build_state(settings, store).await?;
    let demo = match demo {
        Some(_) if state.store.user_count().await? > 0 => {
            println!(
                "The database already has accounts: serving it as it is (demo passwords unchanged)."
            );
            None
        }
        other => other,
    };
    if let Some(password) = demo {
        let bar = spinner("loading Shandan county (620725) as 225 grids".into());
        let accounts =
            crate::demo::seed(state.store.as_ref(), &state.territory, password.as_deref()).await?;
        bar.finish_and_clear();
        let bar = spinner("playing out a month of cases".into());
        let month = crate::demo::seed_month(
            Arc::clone(&state.store),
            Arc::clone(&state.territory),
            state.clock.now_ms(),
        )
        .await?;
        bar.finish_and_clear();
        print_demo(&accounts, addr, state.territory.current().index.len());
        if let Some(m) = month {
            let states: Vec<String> = m
                .by_status
                .iter()
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect();
            println!(
                "Seeded the past month: {} cases ({}), {} moved up by the deadline scheduler; {} watched households, {} missed visits warned.",
                m.cases,
                states.join(", "),
                m.escalated_by_scheduler,
                m.watches,
                m.missed_visits
            );
            println!();
        }
    } else {
        println!("Gridline serving on http://{addr}");
    }
    tracing::info!(%addr, grids = state.territory.current().index.len(), "listening");
    server::serve(listener, state, server::shutdown_signal()).await?;
    Ok(())
}

fn print_demo(accounts: &[crate::demo::DemoAccount], addr: std::net::SocketAddr, grids: usize) {
    println!("Gridline demo: Shandan county, {grids} grids, serving on http://{addr}");
    println!();
    for a in accounts {
        let password = a
            .password
            .as_deref()
            .unwrap_or("(unchanged from the first run)");
        println!(
            "  {:<18} {:<18} {:<28} password: {password}",
            a.username,
            a.role.as_str(),
            a.unit
        );
    }
    println!();
    println!("Try:");
    println!("  curl -s http://{addr}/v1/auth/login -H 'content-type: application/json' \\");
    println!("       -d '{{\"username\":\"grid-worker\",\"password\":\"PASSWORD\"}}'");
    println!(
        "  curl -s 'http://{addr}/v1/locate?lat=38.523105&lon=101.178076&crs=gcj02' -H \"authorization: Bearer $TOKEN\""
    );
}

async fn open_territory(settings: &Settings) -> anyhow::Result<(Arc<dyn Store>, TerritoryService)> {
    let store = server::open_store(settings).await?;
    let territory = TerritoryService::load(Arc::clone(&store), settings.near_grid_m).await?;
    Ok((store, territory))
}

async fn grids(settings: Settings, cmd: GridsCommand) -> anyhow::Result<()> {
    match cmd {
        GridsCommand::Import {
            file,
            read,
            overlap_tolerance_m,
        } => {
            let started = Instant::now();
            let bar = spinner(format!("reading {}", file.display()));
            let bytes = read_input(&file).await?;
            let options = ReadOptions {
                crs: read.crs,
                repair: read.repair,
            };
            let features =
                tokio::task::spawn_blocking(move || geojson_in::read(&bytes, options)).await??;
            bar.set_message(format!("checking and writing {} grids", features.len()));
            let (_store, territory) = open_territory(&settings).await?;
            let tolerance = overlap_tolerance_m.unwrap_or(settings.overlap_tolerance_m);
            let report = territory
                .import(
                    features,
                    ImportOptions {
                        overlap_tolerance_m: tolerance,
                    },
                )
                .await?;
            bar.finish_and_clear();
            println!(
                "imported {} grids and {} parent units in {:.1} s",
                report.grids_created,
                report.units_created,
                started.elapsed().as_secs_f64()
            );
            if !report.repaired.is_empty() {
                println!(
                    "repaired self-intersections in {} grids: {}",
                    report.repaired.len(),
                    report.repaired.join(", ")
                );
            }
            if report.tolerated_overlaps > 0 {
                println!(
                    "tolerated {} overlaps narrower than {tolerance} m",
                    report.tolerated_overlaps
                );
            }
            Ok(())
        }
        GridsCommand::Generate {
            county,
            count,
            crs,
            seed,
            out,
        } => {
            let started = Instant::now();
            let bytes = read_input(&county).await?;
            let counties = tokio::task::spawn_blocking(move || {
                geojson_in::read(&bytes, ReadOptions { crs, repair: true })
            })
            .await??;
            let bar = ProgressBar::new(counties.len() as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} counties {msg} ({elapsed}, eta {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let features =
                tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<GridFeature>> {
                    let mut all = Vec::new();
                    for c in &counties {
                        bar.set_message(c.name.to_string());
                        let grids =
                            generate::split(&c.rings, count, seed ^ hash_code(c.code.as_str()))
                                .with_context(|| format!("splitting {} ({})", c.code, c.name))?;
                        let townships = naming::known_townships(c.code.as_str());
                        let named = naming::name_grids(
                            c.code.as_str(),
                            c.name.as_str(),
                            grids,
                            &townships,
                            seed,
                        );
                        for mut f in named {
                            f.position = all.len();
                            all.push(f);
                        }
                        bar.inc(1);
                    }
                    bar.finish_and_clear();
                    Ok(all)
                })
                .await??;
            let generated = started.elapsed();
            if let Some(path) = out {
                let doc = features_to_geojson(&features);
                tokio::fs::write(&path, doc)
                    .await
                    .with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "wrote {} grids to {} in {:.1} s",
                    features.len(),
                    path.display(),
                    generated.as_secs_f64()
                );
                return Ok(());
            }
            let (_store, territory) = open_territory(&settings).await?;
            let bar = spinner(format!("checking and writing {} grids", features.len()));
            let report = territory
                .import(
                    features,
                    ImportOptions {
                        overlap_tolerance_m: settings.overlap_tolerance_m,
                    },
                )
                .await?;
            bar.finish_and_clear();
            println!(
                "generated {} grids in {:.1} s and imported them with {} parent units in {:.1} s",
                report.grids_created,
                generated.as_secs_f64(),
                report.units_created,
                (started.elapsed() - generated).as_secs_f64()
            );
            Ok(())
        }
    }
}

/// Reads a file, gunzipping it when its name ends in `.gz`.
async fn read_input(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let bytes = tokio::fs::read(path)
        .await
        .with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .with_context(|| format!("gunzipping {}", path.display()))?;
        return Ok(out);
    }
    Ok(bytes)
}

/// A stable per-county seed offset, so counties in one run differ.
fn hash_code(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Grids as a GeoJSON FeatureCollection in WGS84, in the shape `grids import` reads.
#[must_use]
pub fn features_to_geojson(features: &[GridFeature]) -> String {
    use serde_json::json;
    let unit = |u: &Option<geojson_in::UnitSpec>| {
        u.as_ref()
            .map(|u| json!({ "code": u.code, "name": u.name }))
    };
    let out: Vec<_> = features
        .iter()
        .map(|f| {
            json!({
                "type": "Feature",
                "properties": { "code": f.code, "name": f.name, "village": unit(&f.village), "township": unit(&f.township), "county": unit(&f.county) },
                "geometry": { "type": "MultiPolygon", "coordinates": f.rings },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": out }).to_string()
}

async fn field(a: FieldArgs) -> anyhow::Result<()> {
    let (dir, temporary) = match a.phones_dir {
        Some(d) => (d, false),
        None => (
            std::env::temp_dir().join(format!("gridline-field-{}", std::process::id())),
            true,
        ),
    };
    let opts = gridline_headless::field::FieldOptions {
        server: a.server,
        admin_user: a.admin_user,
        admin_password: a.admin_password,
        workers: a.workers,
        minutes: a.minutes,
        report_every_s: a.report_every,
        offline_share: a.offline_share,
        settle: Duration::from_secs(a.settle_s),
        seed: a.seed,
        dir: dir.clone(),
    };
    let report = gridline_headless::field::run(&opts, |line| println!("{line}")).await;
    if temporary {
        // The phones' storage is only evidence while the run lasts.
        let _ = std::fs::remove_dir_all(&dir);
    }
    let report = report?;
    print!("{report}");
    match report.diverged() {
        0 => {
            println!("every phone converged with the server");
            Ok(())
        }
        n => anyhow::bail!("{n} phones did not converge with the server"),
    }
}

async fn users(settings: Settings, cmd: UsersCommand) -> anyhow::Result<()> {
    match cmd {
        UsersCommand::Add {
            username,
            role,
            unit,
            display_name,
            password_stdin,
        } => {
            let username = Username::parse(&username)?;
            let display = DisplayName::parse(display_name.as_deref().unwrap_or(username.as_str()))?;
            let (given, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else if let Ok(p) = std::env::var("GRIDLINE_NEW_PASSWORD") {
                (p, false)
            } else {
                (crate::auth::token::new_secret()[..16].to_owned(), true)
            };
            let password = NewPassword::parse(&given)?;
            let (store, territory) = open_territory(&settings).await?;
            let t = territory.current();
            let node = t
                .by_code(&unit)
                .map(|i| t.unit(i))
                .with_context(|| format!("no org unit has the code {unit:?}"))?;
            let hash =
                crate::auth::password::hash_off_runtime(password.expose().to_owned()).await?;
            store
                .create_user(&NewUser {
                    id: UserId::new(),
                    username: username.to_string(),
                    display_name: display.as_str().to_owned(),
                    password_hash: hash,
                    roles: vec![(role, node.id)],
                })
                .await?;
            println!(
                "created {username} as {role} at {} {}",
                node.code, node.name
            );
            if generated {
                println!("password: {given}");
            }
            Ok(())
        }
    }
}
