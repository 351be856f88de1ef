//! `gridline field`: grid workers and village cadres of the demo county,
//! each driving their own phone core against a running server, some losing
//! the network for a while. At the end every phone comes back online and
//! must converge with the server; the run says what was reported, synced
//! and handled, and which phones (if any) did not converge.
//!
//! - `admin`: accounts and grids through the admin API;
//! - `people`: what grid workers and cadres do; `geometry`: points in grids;
//! - `check`: the convergence test.

pub mod admin;
pub mod check;
pub mod geometry;
pub mod people;

use crate::{Phone, PhoneOptions};
use admin::{Admin, GridPlace};
use anyhow::{Context, bail};
use gridline_core::Role;
use gridline_core::app::Event;
use people::{Outage, Script};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct FieldOptions {
    pub server: String,
    pub admin_user: String,
    pub admin_password: String,
    /// Grid workers; each village they work in gets a cadre.
    pub workers: usize,
    pub minutes: f64,
    /// Mean seconds between two reports of a worker (cadres look at their
    /// inbox three times as often).
    pub report_every_s: f64,
    /// Share of phones that lose the network once during the run.
    pub offline_share: f64,
    /// How long the phones get to converge at the end.
    pub settle: Duration,
    pub seed: u64,
    /// Where the phones keep their storage (one folder each).
    pub dir: PathBuf,
}

/// What happened, counted as it happened.
#[derive(Debug, Default)]
pub struct Tally {
    pub reported: AtomicU64,
    pub photos: AtomicU64,
    pub refused_forms: AtomicU64,
    pub signed: AtomicU64,
    pub started: AtomicU64,
    pub resolved: AtomicU64,
    pub escalated: AtomicU64,
    pub outages: AtomicU64,
}

/// One phone at the end.
#[derive(Debug, Clone)]
pub struct DeviceOutcome {
    pub username: String,
    pub role: Role,
    /// Changes (reports, actions) made on the phone, and how many the
    /// server acknowledged.
    pub made: u64,
    pub acknowledged: u64,
    /// Changes the server refused (conflicts), as the phone shows them.
    pub refused: usize,
    pub cases_held: usize,
    pub converged: Result<(), String>,
}

#[derive(Debug)]
pub struct FieldReport {
    pub tally: Arc<Tally>,
    pub devices: Vec<DeviceOutcome>,
}

impl FieldReport {
    #[must_use]
    pub fn diverged(&self) -> usize {
        self.devices.iter().filter(|d| d.converged.is_err()).count()
    }
}

struct Person {
    username: String,
    display: String,
    role: Role,
    unit: String,
    place: Option<GridPlace>,
}

/// Picks `workers` grids spread over as many villages as possible.
fn cast(grids: &[GridPlace], workers: usize, seed: u64) -> Vec<Person> {
    let mut by_village: BTreeMap<&str, Vec<&GridPlace>> = BTreeMap::new();
    for g in grids {
        by_village.entry(&g.village_code).or_default().push(g);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut villages: Vec<Vec<&GridPlace>> = by_village.into_values().collect();
    for v in &mut villages {
        let k = rng.random_range(0..v.len());
        v.rotate_left(k);
    }
    let mut picked: Vec<&GridPlace> = Vec::new();
    let mut round = 0;
    while picked.len() < workers && round < grids.len() {
        for v in &villages {
            if picked.len() < workers
                && let Some(g) = v.get(round)
            {
                picked.push(g);
            }
        }
        round += 1;
    }
    let mut people = Vec::new();
    let mut cadres: BTreeMap<String, String> = BTreeMap::new();
    for (i, g) in picked.into_iter().enumerate() {
        people.push(Person {
            username: format!("field-gw-{}", g.code),
            display: format!("网格员{}({})", i + 1, g.name),
            role: Role::GridWorker,
            unit: g.code.clone(),
            place: Some(g.clone()),
        });
        cadres
            .entry(g.village_code.clone())
            .or_insert_with(|| g.village_name.clone());
    }
    for (code, name) in cadres {
        people.push(Person {
            username: format!("field-cadre-{code}"),
            display: format!("村干部({name})"),
            role: Role::VillageCadre,
            unit: code,
            place: None,
        });
    }
    people
}

/// Runs the simulation; `say` gets the progress lines.
pub async fn run(opts: &FieldOptions, say: impl Fn(&str)) -> anyhow::Result<FieldReport> {
    if opts.workers == 0 {
        bail!("--workers must be at least 1");
    }
    if !(opts.minutes > 0.0 && opts.minutes.is_finite()) {
        bail!("--minutes must be a positive number, not {}", opts.minutes);
    }
    let admin = Admin::login(&opts.server, &opts.admin_user, &opts.admin_password).await?;
    let grids = admin.grids().await?;
    if grids.is_empty() {
        bail!("the server has no grids the admin can see: import some or run `gridline demo`");
    }
    let people = cast(&grids, opts.workers, opts.seed);
    let password = format!("field-{:016x}", rand::random::<u64>());
    for p in &people {
        admin
            .ensure_user(&p.username, &p.display, p.role, &p.unit, &password)
            .await?;
    }
    say(&format!(
        "{} grid workers and {} cadres, {:.1} minutes, against {}",
        people.iter().filter(|p| p.role == Role::GridWorker).count(),
        people
            .iter()
            .filter(|p| p.role == Role::VillageCadre)
            .count(),
        opts.minutes,
        opts.server
    ));

    let mut phones = Vec::new();
    for p in &people {
        let phone = Phone::launch(&PhoneOptions::new(opts.dir.join(&p.username)))?;
        phone.send(Event::Login {
            server: opts.server.clone(),
            username: p.username.clone(),
            password: password.clone(),
        });
        phones.push(phone);
    }
    for (p, phone) in people.iter().zip(&phones) {
        phone
            .until(
                &format!("{} to log in", p.username),
                Duration::from_secs(60),
                |_, m| m.session.is_some() && m.outbox.device.is_some(),
            )
            .await
            .with_context(|| format!("{} could not log in", p.username))?;
    }

    let tally = Arc::new(Tally::default());
    let length = Duration::from_secs_f64(opts.minutes * 60.0);
    let until = Instant::now() + length;
    let mut rng = StdRng::seed_from_u64(opts.seed ^ 0x5eed);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (p, phone)) in people.iter().zip(&phones).enumerate() {
        let outage = rng
            .random_bool(opts.offline_share.clamp(0.0, 1.0))
            .then(|| Outage {
                after: length.mul_f64(rng.random_range(0.1..0.5)),
                length: length.mul_f64(rng.random_range(0.2..0.4)),
            });
        let pace = Duration::from_secs_f64(if p.role == Role::GridWorker {
            opts.report_every_s
        } else {
            opts.report_every_s / 3.0
        });
        let script = Script {
            phone: phone.clone(),
            until,
            pace,
            outage,
            back_online: None,
            seed: opts.seed.wrapping_add(i as u64),
            tally: Arc::clone(&tally),
        };
        match &p.place {
            Some(place) => tasks.spawn(people::grid_worker(script, place.clone())),
            None => tasks.spawn(people::cadre(script)),
        };
    }
    let mut tick = tokio::time::interval(Duration::from_secs(15));
    tick.tick().await;
    let begun = Instant::now();
    loop {
        tokio::select! {
            done = tasks.join_next() => if done.is_none() { break },
            _ = tick.tick() => say(&progress(begun, &tally, &phones)),
        }
    }

    say("time is up: every phone back online, waiting for them to converge");
    let client = reqwest::Client::new();
    for phone in &phones {
        phone.set_online(true);
        phone.send(Event::SyncNow);
    }
    let deadline = Instant::now() + opts.settle;
    let mut devices = Vec::new();
    for (p, phone) in people.iter().zip(&phones) {
        let mut verdict = check::converged(phone, &client).await;
        while verdict.is_err() && Instant::now() < deadline {
            phone.send(Event::SyncNow);
            tokio::time::sleep(Duration::from_millis(500)).await;
            verdict = check::converged(phone, &client).await;
        }
        let (made, waiting, refused, held) = phone.model(|m| {
            (
                // Mutation numbers run from 1 on a device.
                m.outbox.next.saturating_sub(1),
                m.outbox.waiting() as u64,
                m.outbox.notices.len(),
                m.cache.cases.len(),
            )
        });
        devices.push(DeviceOutcome {
            username: p.username.clone(),
            role: p.role,
            made,
            acknowledged: made.saturating_sub(waiting),
            refused,
            cases_held: held,
            converged: verdict,
        });
    }
    for phone in phones {
        phone.kill();
    }
    Ok(FieldReport { tally, devices })
}

fn progress(begun: Instant, t: &Tally, phones: &[Phone]) -> String {
    let s = begun.elapsed().as_secs();
    let waiting: usize = phones.iter().map(|p| p.model(|m| m.outbox.waiting())).sum();
    let offline = phones.iter().filter(|p| !p.online()).count();
    format!(
        "{:02}:{:02}  reported {} ({} with photos) · signed {} · started {} · resolved {} · escalated {} · {} waiting to send · {} phones offline",
        s / 60,
        s % 60,
        t.reported.load(Relaxed),
        t.photos.load(Relaxed),
        t.signed.load(Relaxed),
        t.started.load(Relaxed),
        t.resolved.load(Relaxed),
        t.escalated.load(Relaxed),
        waiting,
        offline
    )
}

impl std::fmt::Display for FieldReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = &self.tally;
        writeln!(
            f,
            "reported {} cases ({} with a photo); signed for {}, started {}, resolved {}, escalated {}; {} network outages",
            t.reported.load(Relaxed),
            t.photos.load(Relaxed),
            t.signed.load(Relaxed),
            t.started.load(Relaxed),
            t.resolved.load(Relaxed),
            t.escalated.load(Relaxed),
            t.outages.load(Relaxed),
        )?;
        writeln!(
            f,
            "{:<34} {:<13} {:>5} {:>6} {:>7} {:>6}  converged",
            "phone", "role", "made", "synced", "refused", "cases"
        )?;
        for d in &self.devices {
            writeln!(
                f,
                "{:<34} {:<13} {:>5} {:>6} {:>7} {:>6}  {}",
                d.username,
                d.role.to_string(),
                d.made,
                d.acknowledged,
                d.refused,
                d.cases_held,
                match &d.converged {
                    Ok(()) => "yes".to_owned(),
                    Err(why) => format!("NO: {why}"),
                }
            )?;
        }
        Ok(())
    }
}
