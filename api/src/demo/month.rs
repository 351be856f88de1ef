//! A realistic past month for the demo: a few hundred cases over Shandan's
//! grids, reported by grid workers and residents, accepted, mediated,
//! escalated by people and by the deadline scheduler, resolved, rated and
//! closed, with some still open, returned, merged or rejected; and a
//! register of watched households with their return visits, some missed.
//!
//! Everything goes through the real case and register services on a clock
//! stepped through the month, so the history, the deadlines and the
//! statistics are what the system itself produced. The simulated colleagues
//! (one grid worker per grid used, a cadre per village, an operator per
//! township) share one random password nobody is told: they are actors in
//! the story, not logins.

use crate::auth::password;
use crate::auth::service::Identity;
use crate::cases::CaseService;
use crate::clock::ManualClock;
use crate::spatial::generate::SplitMix64;
use crate::store::cases::{CaseFilter, CaseScope};
use crate::store::{NewUser, Store, StoreError};
use crate::territory::{Territory, TerritoryService};
use crate::watch::WatchService;
use gridline_core::case::{Action, Channel, Outcome, Party, PartySide, Phone, Remark, Status};
use gridline_core::risk::RiskLevel;
use gridline_core::watch::WatchKind;
use gridline_core::wire::case::{LocationIn, NewCase};
use gridline_core::wire::watch::{LevelChange, NewWatch, VisitIn};
use gridline_core::{CaseId, OrgUnitId, OrgUnitKind, Role, UserId, WatchId};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const SEED: u64 = 0x5AD_A200;
const CASES: usize = 320;
const WATCHES: usize = 48;
const LATE_REPORTS: usize = 4;
const GRIDS_PER_TOWNSHIP: usize = 4;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// What the month left behind.
#[derive(Debug, Clone, Default)]
pub struct MonthReport {
    pub cases: usize,
    pub by_status: BTreeMap<Status, usize>,
    /// Cases the deadline scheduler moved up a tier.
    pub escalated_by_scheduler: u32,
    pub watches: usize,
    pub missed_visits: u32,
    /// Steps the story wanted that the system refused (an action no longer
    /// allowed because the scheduler got there first, say).
    pub refused_steps: usize,
}

/// (category, description, disputes have parties)
const STORIES: &[(&str, &[&str], u32)] = &[
    (
        "neighbour_dispute",
        &[
            "邻里因院墙排水沟走向发生争执",
            "楼上卫生间漏水，楼下住户要求赔偿",
            "两户因门前堆放柴草互不相让",
        ],
        24,
    ),
    (
        "family_dispute",
        &[
            "兄弟三人因赡养老人费用分担争吵",
            "夫妻感情不和，女方要求调解",
        ],
        12,
    ),
    (
        "land_dispute",
        &[
            "土地流转租金逾期未付，农户要求收回承包地",
            "承包地边界界桩被移动引发争议",
        ],
        12,
    ),
    (
        "wage_arrears",
        &["建筑工地拖欠农民工工资", "养殖场拖欠季节工工钱"],
        7,
    ),
    ("property_management", &["小区电梯停运，业主拒交物业费"], 7),
    ("noise", &["夜间广场舞音响扰民"], 7),
    (
        "traffic_accident",
        &["电动车与三轮车剐蹭，双方就赔偿金额争执"],
        5,
    ),
    ("debt", &["民间借贷到期未还，出借人多次催讨无果"], 6),
    (
        "safety_hazard",
        &[
            "村道护栏损坏，临水路段存在安全隐患",
            "空置民房墙体开裂有倒塌风险",
        ],
        9,
    ),
    ("rental_deposit", &["租客退租后房东拒退押金"], 3),
    ("labour_dispute", &["企业解除劳动合同未支付经济补偿"], 3),
    ("inheritance", &["老宅继承份额分割争议"], 3),
];

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "马", "周", "孙"];

/// One thing the story does to a case, at a time.
#[derive(Debug, Clone)]
enum Step {
    Report {
        grid: u32,
        story: usize,
        by_resident: bool,
    },
    Accept,
    Reject,
    SignFor,
    Start,
    Return,
    Merge,
    Escalate,
    Resolve(Outcome),
    RateByReporter(u8),
    RateOnReturnVisit(u8),
    Close,
    Register {
        grid: u32,
        level: RiskLevel,
    },
    Visit,
    Reclass(RiskLevel),
    /// The deadline and visit schedulers' pass.
    Tick,
}

struct Script {
    at: i64,
    order: usize,
    subject: usize,
    step: Step,
}

struct Rng(SplitMix64);

impl Rng {
    fn chance(&mut self, p: f64) -> bool {
        self.0.next_f64() < p
    }
    #[allow(clippy::cast_possible_truncation)]
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.0.next_f64() * (hi - lo) as f64) as i64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.0.below(xs.len())]
    }
    fn text(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.0.below(xs.len())]
    }
}

/// The cast: who works where.
struct Cast {
    people: HashMap<UserId, Identity>,
    grid_worker: HashMap<OrgUnitId, UserId>,
    operator: HashMap<OrgUnitId, UserId>,
    county_operator: UserId,
    residents: Vec<UserId>,
    grids: Vec<u32>,
}

fn identity(id: UserId, username: &str, display: &str, roles: Vec<(Role, OrgUnitId)>) -> Identity {
    Identity {
        user_id: id,
        username: username.to_owned(),
        display_name: display.to_owned(),
        session_id: "demo-month".into(),
        roles,
        device: None,
    }
}

async fn existing(store: &dyn Store, username: &str) -> anyhow::Result<Option<Identity>> {
    let Some(u) = store.user_by_username(username).await? else {
        return Ok(None);
    };
    let roles = store.roles_of(u.id).await?;
    Ok(Some(identity(u.id, username, &u.display_name, roles)))
}

/// The demo account `username`, or a simulated colleague created for the story.
async fn colleague(
    store: &dyn Store,
    username: String,
    display: String,
    role: Role,
    unit: OrgUnitId,
    hash: &str,
) -> anyhow::Result<Identity> {
    if let Some(i) = existing(store, &username).await? {
        return Ok(i);
    }
    let id = UserId::new();
    match store
        .create_user(&NewUser {
            id,
            username: username.clone(),
            display_name: display.clone(),
            password_hash: hash.to_owned(),
            roles: vec![(role, unit)],
        })
        .await
    {
        Ok(()) | Err(StoreError::Conflict { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    existing(store, &username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {username} vanished"))
}

fn children(t: &Territory, parent: u32, kind: OrgUnitKind) -> Vec<u32> {
    (0..t.units().len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .filter(|&i| t.unit(i).kind == kind && t.unit(i).parent == Some(parent))
        .collect()
}

async fn cast(store: &dyn Store, t: &Territory, county: u32) -> anyhow::Result<Cast> {
    let secret = crate::auth::token::new_secret();
    let hash = password::hash_off_runtime(secret).await?;
    let demo = |name: &'static str| async move {
        existing(store, name).await?.ok_or_else(|| {
            anyhow::anyhow!("the demo account {name} is missing; seed the demo first")
        })
    };
    let (gw, cadre, op, county_op, resident) = (
        demo("grid-worker").await?,
        demo("cadre").await?,
        demo("township-operator").await?,
        demo("county-operator").await?,
        demo("resident").await?,
    );
    let unit_of = |i: &Identity| i.roles.first().map(|r| r.1);
    let mut c = Cast {
        people: HashMap::new(),
        grid_worker: HashMap::new(),
        operator: HashMap::new(),
        county_operator: county_op.user_id,
        residents: vec![resident.user_id],
        grids: Vec::new(),
    };
    let mut roster = vec![
        (unit_of(&gw), gw),
        (unit_of(&cadre), cadre),
        (unit_of(&op), op),
        (None, county_op),
        (None, resident),
    ];
    let mut cadre_of: HashMap<OrgUnitId, UserId> = HashMap::new();
    for (unit, who) in &roster {
        if let Some(u) = unit {
            match who.roles.first().map(|r| r.0) {
                Some(Role::GridWorker) => {
                    c.grid_worker.insert(*u, who.user_id);
                }
                Some(Role::VillageCadre) => {
                    cadre_of.insert(*u, who.user_id);
                }
                Some(Role::TownshipOperator) => {
                    c.operator.insert(*u, who.user_id);
                }
                _ => {}
            }
        }
    }
    for township in children(t, county, OrgUnitKind::Township) {
        let tw = t.unit(township);
        if let std::collections::hash_map::Entry::Vacant(slot) = c.operator.entry(tw.id) {
            let who = colleague(
                store,
                format!("op-{}", tw.code),
                format!("{}综治中心值班员", tw.name),
                Role::TownshipOperator,
                tw.id,
                &hash,
            )
            .await?;
            slot.insert(who.user_id);
            roster.push((Some(tw.id), who));
        }
        let mut taken = 0;
        for village in children(t, township, OrgUnitKind::Village) {
            if taken >= GRIDS_PER_TOWNSHIP {
                break;
            }
            let v = t.unit(village);
            for grid in children(t, village, OrgUnitKind::Grid) {
                if taken >= GRIDS_PER_TOWNSHIP {
                    break;
                }
                taken += 1;
                c.grids.push(grid);
                let g = t.unit(grid);
                if let std::collections::hash_map::Entry::Vacant(slot) = c.grid_worker.entry(g.id) {
                    let who = colleague(
                        store,
                        format!("gw-{}", g.code),
                        format!("{}网格员", g.name),
                        Role::GridWorker,
                        g.id,
                        &hash,
                    )
                    .await?;
                    slot.insert(who.user_id);
                    roster.push((Some(g.id), who));
                }
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = cadre_of.entry(v.id) {
                let who = colleague(
                    store,
                    format!("cadre-{}", v.code),
                    format!("{}村委会干部", v.name),
                    Role::VillageCadre,
                    v.id,
                    &hash,
                )
                .await?;
                slot.insert(who.user_id);
                roster.push((Some(v.id), who));
            }
            if c.residents.len() < 8 {
                let n = c.residents.len();
                let who = colleague(
                    store,
                    format!("resident-{n}"),
                    format!("{}村民{n}", v.name),
                    Role::Resident,
                    v.id,
                    &hash,
                )
                .await?;
                c.residents.push(who.user_id);
                roster.push((None, who));
            }
        }
    }
    // The demo's own grid comes first, so its grid worker has plenty to do.
    if let Some(gw_grid) = roster[0].0.and_then(|u| t.by_id(u))
        && let Some(pos) = c.grids.iter().position(|&g| g == gw_grid)
    {
        c.grids.swap(0, pos);
    }
    c.people = roster.into_iter().map(|(_, i)| (i.user_id, i)).collect();
    Ok(c)
}

/// A working-hours moment on the day of `at` (China time).
fn working_hours(rng: &mut Rng, at: i64) -> i64 {
    let day = gridline_core::time::Date::of_instant(at);
    day.start_ms() + rng.between(8 * HOUR, 19 * HOUR)
}

fn outcome(rng: &mut Rng, climbs: u32) -> Outcome {
    let court = 0.04 + 0.08 * f64::from(climbs);
    if rng.chance(court) {
        return if rng.chance(0.6) {
            Outcome::ReferredToLitigation
        } else {
            Outcome::ReferredToArbitration
        };
    }
    *rng.pick(&[
        Outcome::Mediated,
        Outcome::Mediated,
        Outcome::Mediated,
        Outcome::AgreementSigned,
        Outcome::AgreementSigned,
        Outcome::JudiciallyConfirmed,
        Outcome::Handled,
        Outcome::Handled,
        Outcome::Explained,
    ])
}

fn stars(rng: &mut Rng) -> u8 {
    *rng.pick(&[5, 5, 5, 5, 4, 4, 4, 3, 2, 1])
}

/// The life of one case, from its report on.
fn case_story(
    rng: &mut Rng,
    subject: usize,
    t0: i64,
    grid: u32,
    story: usize,
    by_resident: bool,
) -> Vec<(i64, usize, Step)> {
    let mut out = Vec::new();
    let mut t = t0;
    let mut push = |t: i64, s: Step| out.push((t, subject, s));
    push(
        t,
        Step::Report {
            grid,
            story,
            by_resident,
        },
    );
    if by_resident {
        t += rng.between(5 * MIN, 4 * HOUR);
        if rng.chance(0.08) {
            push(t, Step::Reject);
            return out;
        }
        push(t, Step::Accept);
    }
    // The unit given the case signs for it (a grid worker's own report is
    // signed for as it is made).
    t += rng.between(10 * MIN, 5 * HOUR);
    push(t, Step::SignFor);
    let path = rng.0.next_f64();
    if path < 0.03 {
        t += rng.between(10 * MIN, 3 * HOUR);
        push(t, Step::Return);
        return out;
    }
    if path < 0.05 {
        t += rng.between(HOUR, DAY);
        push(t, Step::Merge);
        return out;
    }
    t += rng.between(10 * MIN, 3 * HOUR);
    push(t, Step::Start);
    let climbs = if path < 0.62 {
        0
    } else if path < 0.80 {
        1
    } else if path < 0.88 {
        2
    } else {
        // Nobody settles it in time: the scheduler moves it up a tier or
        // two; the unit holding it then takes over.
        t += rng.between(2 * DAY, 3 * DAY);
        push(t, Step::SignFor);
        t += rng.between(HOUR, 4 * HOUR);
        push(t, Step::Start);
        t += rng.between(4 * HOUR, 2 * DAY);
        push(t, Step::Resolve(outcome(rng, 2)));
        rate_and_close(rng, &mut push, t, by_resident);
        return out;
    };
    for _ in 0..climbs {
        t += rng.between(2 * HOUR, 20 * HOUR);
        push(t, Step::Escalate);
        t += rng.between(30 * MIN, 6 * HOUR);
        push(t, Step::SignFor);
        t += rng.between(10 * MIN, 2 * HOUR);
        push(t, Step::Start);
    }
    t += rng.between(30 * MIN, 20 * HOUR) * i64::from(1 + climbs);
    push(t, Step::Resolve(outcome(rng, climbs)));
    rate_and_close(rng, &mut push, t, by_resident);
    out
}

fn rate_and_close(rng: &mut Rng, push: &mut impl FnMut(i64, Step), mut t: i64, by_resident: bool) {
    if rng.chance(0.65) {
        t += rng.between(2 * HOUR, 2 * DAY);
        let s = stars(rng);
        push(
            t,
            if by_resident {
                Step::RateByReporter(s)
            } else {
                Step::RateOnReturnVisit(s)
            },
        );
    }
    if rng.chance(0.7) {
        t += rng.between(HOUR, 3 * DAY);
        push(t, Step::Close);
    }
}

/// The life of one watched household: registered, visited about as often
/// as its colour asks (sometimes late), now and then reclassed.
fn watch_story(
    rng: &mut Rng,
    subject: usize,
    t0: i64,
    end: i64,
    grid: u32,
) -> Vec<(i64, usize, Step)> {
    let mut level = *rng.pick(&[
        RiskLevel::Micro,
        RiskLevel::Micro,
        RiskLevel::Low,
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
    ]);
    let mut out = vec![(t0, subject, Step::Register { grid, level })];
    let mut t = t0;
    while let Some(colour) = level.colour() {
        let days = i64::from(colour.max_days_between_visits());
        // Mostly on time, sometimes a day or two late.
        #[allow(clippy::cast_possible_truncation)]
        let gap = (days as f64 * DAY as f64 * (0.5 + 0.65 * rng.0.next_f64())) as i64;
        t = working_hours(rng, t + gap.max(DAY));
        if t >= end {
            break;
        }
        out.push((t, subject, Step::Visit));
        if rng.chance(0.12) {
            level = *rng.pick(&[RiskLevel::Safe, RiskLevel::Low, RiskLevel::High]);
            t += rng.between(10 * MIN, HOUR);
            out.push((t, subject, Step::Reclass(level)));
        }
    }
    out
}

fn point_in(t: &Territory, rng: &mut Rng, unit: u32) -> (f64, f64) {
    let index = &t.index;
    let Some(g) = (0..index.len()).find(|&g| index.grids()[g].data == unit) else {
        return (0.0, 0.0);
    };
    let ring: Vec<[f64; 2]> = index.rings(g).next().unwrap_or_default();
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for [x, y] in &ring {
        lo = [lo[0].min(*x), lo[1].min(*y)];
        hi = [hi[0].max(*x), hi[1].max(*y)];
    }
    for _ in 0..200 {
        let lon = lo[0] + (hi[0] - lo[0]) * rng.0.next_f64();
        let lat = lo[1] + (hi[1] - lo[1]) * rng.0.next_f64();
        if index.contains(g, lon, lat) {
            return (lon, lat);
        }
    }
    ring.first().map_or((0.0, 0.0), |p| (p[0], p[1]))
}

fn parties(rng: &mut Rng) -> Vec<Party> {
    let mut person = |side| -> Option<Party> {
        let name = format!(
            "{}某{}",
            rng.pick(SURNAMES),
            rng.pick(&["", "某", "甲", "乙"][..])
        );
        let phone = format!("1{}{:09}", rng.pick(&[3, 5, 8]), rng.0.below(1_000_000_000));
        Some(Party {
            name: Remark::parse(&name).ok()?,
            side,
            phone: Phone::parse(&phone).ok(),
            id_number: None,
        })
    };
    [PartySide::Applicant, PartySide::Respondent]
        .into_iter()
        .filter_map(&mut person)
        .collect()
}

/// Seeds the month ending at `end_ms` unless cases exist already; `None`
/// when it did nothing. The demo accounts must exist (see [`super::seed`]).
pub async fn seed_month(
    store: Arc<dyn Store>,
    territory: Arc<TerritoryService>,
    end_ms: i64,
) -> anyhow::Result<Option<MonthReport>> {
    let any = store
        .list_cases(&CaseFilter {
            scope: CaseScope {
                everything: true,
                ..CaseScope::default()
            },
            limit: 1,
            ..CaseFilter::default()
        })
        .await?;
    if !any.is_empty() {
        return Ok(None);
    }
    let t = territory.current();
    let county = t
        .by_code(super::SHANDAN_CODE)
        .ok_or_else(|| anyhow::anyhow!("Shandan is not loaded"))?;
    let cast = cast(store.as_ref(), &t, county).await?;
    let start = end_ms - 30 * DAY;
    let clock = Arc::new(ManualClock::at(start));
    let cases = CaseService::new(Arc::clone(&store), Arc::clone(&territory), clock.clone());
    let watches = WatchService::new(Arc::clone(&store), Arc::clone(&territory), clock.clone());

    let mut rng = Rng(SplitMix64::new(SEED));
    let weights: Vec<usize> = STORIES.iter().map(|s| s.2 as usize).collect();
    let total_weight: usize = weights.iter().sum();
    let mut plan: Vec<(i64, usize, Step)> = Vec::new();
    for subject in 0..CASES {
        // Weekdays busier than weekends; the demo's own grid busier than most.
        let mut t0;
        loop {
            let day = start + rng.between(0, 30 * DAY);
            t0 = working_hours(&mut rng, day);
            let weekend = gridline_core::time::Date::of_instant(t0).is_weekend();
            if !weekend || rng.chance(0.4) {
                break;
            }
        }
        let grid = if rng.chance(0.12) {
            cast.grids[0]
        } else {
            *rng.pick(&cast.grids)
        };
        let mut w = rng.0.below(total_weight);
        let story = weights
            .iter()
            .position(|&x| {
                if w < x {
                    true
                } else {
                    w -= x;
                    false
                }
            })
            .unwrap_or(0);
        let by_resident = rng.chance(0.3);
        plan.extend(case_story(&mut rng, subject, t0, grid, story, by_resident));
    }
    // Residents' requests of the last hours, not all accepted yet.
    for k in 0..LATE_REPORTS {
        let t0 = end_ms - rng.between(10 * MIN, 2 * HOUR);
        let grid = *rng.pick(&cast.grids);
        let story = rng.0.below(STORIES.len());
        plan.extend(case_story(
            &mut rng,
            CASES + WATCHES + k,
            t0,
            grid,
            story,
            true,
        ));
    }
    for k in 0..WATCHES {
        let grid = if k < 6 {
            cast.grids[0]
        } else {
            *rng.pick(&cast.grids)
        };
        let day = start + rng.between(0, 4 * DAY);
        let t0 = working_hours(&mut rng, day);
        plan.extend(watch_story(&mut rng, CASES + k, t0, end_ms, grid));
    }
    let mut at = start;
    while at < end_ms {
        plan.push((at, usize::MAX, Step::Tick));
        at += HOUR;
    }
    let mut script: Vec<Script> = plan
        .into_iter()
        .filter(|(at, _, _)| *at < end_ms)
        .enumerate()
        .map(|(order, (at, subject, step))| Script {
            at,
            order,
            subject,
            step,
        })
        .collect();
    script.sort_by_key(|s| (s.at, s.order));

    let mut report = MonthReport::default();
    let mut case_ids: HashMap<usize, CaseId> = HashMap::new();
    let mut watch_ids: HashMap<usize, WatchId> = HashMap::new();
    let mut last_in_township: HashMap<OrgUnitId, CaseId> = HashMap::new();
    for s in script {
        clock.set(s.at);
        let done = act(
            &cast,
            &cases,
            &watches,
            store.as_ref(),
            &t,
            &mut rng,
            &s,
            &mut case_ids,
            &mut watch_ids,
            &mut last_in_township,
            &mut report,
        )
        .await;
        if let Err(e) = done {
            // A refusal is part of the story; anything else is a bug.
            match e.downcast_ref::<crate::cases::error::CaseError>() {
                Some(
                    crate::cases::error::CaseError::Refused(_)
                    | crate::cases::error::CaseError::Invalid(_),
                ) => {
                    report.refused_steps += 1;
                }
                _ => return Err(e.context(format!("demo month step {:?}", s.step))),
            }
        }
    }
    for id in case_ids.values() {
        if let Some(c) = store.case(*id).await? {
            *report.by_status.entry(c.status).or_default() += 1;
        }
    }
    report.cases = case_ids.len();
    report.watches = watch_ids.len();
    Ok(Some(report))
}

#[allow(clippy::too_many_arguments)]
async fn act(
    cast: &Cast,
    cases: &CaseService,
    watches: &WatchService,
    store: &dyn Store,
    t: &Territory,
    rng: &mut Rng,
    s: &Script,
    case_ids: &mut HashMap<usize, CaseId>,
    watch_ids: &mut HashMap<usize, WatchId>,
    last_in_township: &mut HashMap<OrgUnitId, CaseId>,
    report: &mut MonthReport,
) -> anyhow::Result<()> {
    // Someone outside the cast (a handler an admin added) is left alone:
    // counted as a refused step, like any other the story cannot take.
    let who = |id: UserId| {
        cast.people.get(&id).ok_or_else(|| {
            crate::cases::error::CaseError::Invalid(format!("user {id} is not in the demo's cast"))
        })
    };
    let op_of = |township: Option<OrgUnitId>| {
        township
            .and_then(|tw| cast.operator.get(&tw).copied())
            .unwrap_or(cast.county_operator)
    };
    match &s.step {
        Step::Tick => {
            // The demo plays its month out alone, before the server serves:
            // no lease to take (a live scheduler's lease is in real time).
            report.escalated_by_scheduler += cases.run_due(s.at).await?.escalated;
            report.missed_visits += watches.warn_missed(s.at).await?.missed;
            return Ok(());
        }
        Step::Report {
            grid,
            story,
            by_resident,
        } => {
            let g = t.unit(*grid).id;
            let reporter = if *by_resident {
                *rng.pick(&cast.residents)
            } else {
                cast.grid_worker[&g]
            };
            let (category, texts, _) = STORIES[*story];
            let (lon, lat) = point_in(t, rng, *grid);
            let wage = category == "wage_arrears";
            let is_dispute =
                gridline_core::category::by_code(category).is_some_and(|c| c.is_dispute);
            let new = NewCase {
                id: None,
                category: category.into(),
                description: Remark::parse(rng.text(texts))?,
                location: LocationIn {
                    lat,
                    lon,
                    crs: None,
                },
                channel: Some(if *by_resident {
                    *rng.pick(&[Channel::ResidentApp, Channel::Hotline12345, Channel::WalkIn])
                } else {
                    Channel::GridPatrol
                }),
                parties: if is_dispute { parties(rng) } else { Vec::new() },
                people_affected: wage.then(|| u32::try_from(rng.between(3, 45)).unwrap_or(3)),
                amount_yuan: wage
                    .then(|| u64::try_from(rng.between(20, 400)).unwrap_or(20) * 1_000),
                risk: None,
                photos: Vec::new(),
            };
            let view = cases.create(who(reporter)?, new).await?;
            case_ids.insert(s.subject, view.id);
            return Ok(());
        }
        Step::Register { grid, level } => {
            let g = t.unit(*grid).id;
            let (lon, lat) = point_in(t, rng, *grid);
            let surname = rng.pick(SURNAMES);
            let view = watches
                .register(
                    who(cast.grid_worker[&g])?,
                    NewWatch {
                        id: None,
                        kind: WatchKind::Household,
                        label: Remark::parse(&format!("{surname}家"))?,
                        address: None,
                        location: LocationIn {
                            lat,
                            lon,
                            crs: None,
                        },
                        level: *level,
                        reason: Remark::parse(rng.text(&[
                            "婚姻家庭矛盾反复",
                            "邻里纠纷调解后仍有积怨",
                            "独居老人与子女赡养争议",
                        ]))?,
                    },
                )
                .await?;
            watch_ids.insert(s.subject, view.id.parse()?);
            return Ok(());
        }
        Step::Visit | Step::Reclass(_) => {
            let Some(&id) = watch_ids.get(&s.subject) else {
                return Ok(());
            };
            let Some(row) = store.watch(id).await? else {
                return Ok(());
            };
            let visitor = who(row.responsible_id.unwrap_or(row.created_by))?;
            match &s.step {
                Step::Visit => {
                    watches
                        .visit(
                            visitor,
                            id,
                            VisitIn {
                                note: Remark::parse(rng.text(&[
                                    "家中情绪稳定",
                                    "双方仍有口角，已再次疏导",
                                    "老人生活费已落实",
                                ]))?,
                                at: None,
                            },
                        )
                        .await?;
                }
                Step::Reclass(level) if *level != row.level => {
                    watches
                        .change_level(
                            visitor,
                            id,
                            LevelChange {
                                level: *level,
                                reason: Remark::parse("走访后重新研判")?,
                            },
                        )
                        .await?;
                }
                _ => {}
            }
            return Ok(());
        }
        _ => {}
    }
    // Steps on an existing case: the actor depends on where it is now.
    let Some(&id) = case_ids.get(&s.subject) else {
        return Ok(()); // its report was refused
    };
    let Some(case) = store.case(id).await? else {
        return Ok(());
    };
    let op = op_of(case.township_id);
    // Signing for or starting what is already signed for or started is no
    // refusal, just a step the story did not need.
    match (&s.step, case.status) {
        (Step::SignFor, st) if st != Status::Assigned => return Ok(()),
        (Step::Start, Status::InProgress) => return Ok(()),
        _ => {}
    }
    let (actor, action) = match &s.step {
        Step::Accept => (op, Action::Accept),
        Step::Reject => (
            op,
            Action::Reject {
                reason: Remark::parse("不属于综治中心受理范围，已告知向相关部门反映")?,
            },
        ),
        Step::Close => (op, Action::Close),
        Step::RateOnReturnVisit(n) => (
            op,
            Action::Rate {
                stars: *n,
                comment: Some(Remark::parse("电话回访")?),
            },
        ),
        Step::RateByReporter(n) => (
            case.reporter_id,
            Action::Rate {
                stars: *n,
                comment: None,
            },
        ),
        Step::Merge => {
            let Some(township) = case.township_id else {
                return Ok(());
            };
            let Some(&into) = last_in_township.get(&township).filter(|&&c| c != id) else {
                return Ok(());
            };
            (op, Action::Merge { into })
        }
        step => {
            let Some(assignee) = case.assignee_id else {
                return Ok(()); // waiting in a unit's queue
            };
            let action = match step {
                Step::SignFor => Action::SignFor,
                Step::Start => Action::Start,
                Step::Return => Action::Return {
                    reason: Remark::parse("该事项不属于本网格，请重新分派")?,
                },
                Step::Escalate => Action::Escalate {
                    reason: Remark::parse("初次调解未成，双方分歧较大")?,
                },
                Step::Resolve(o) => Action::Resolve {
                    outcome: *o,
                    summary: Remark::parse(match o {
                        Outcome::ReferredToLitigation => "调解不成，引导当事人依法诉讼",
                        Outcome::ReferredToArbitration => "引导申请劳动人事争议仲裁",
                        Outcome::Handled => "已现场处置完毕",
                        Outcome::Explained => "已向当事人解释政策",
                        _ => "经调解双方达成一致",
                    })?,
                },
                _ => return Ok(()),
            };
            (assignee, action)
        }
    };
    cases.act(who(actor)?, id, action).await?;
    if let Some(tw) = case.township_id
        && !matches!(s.step, Step::Merge)
    {
        last_in_township.insert(tw, id);
    }
    Ok(())
}
