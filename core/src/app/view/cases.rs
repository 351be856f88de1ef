//! The case screens: the role's list, the report form, a case with its
//! history, photos and buttons, and the watched households. Changes still
//! waiting to be sent are shown on top of the rows the server sent.

use super::text::{self, tr};
use crate::Role;
use crate::app::event::Lang;
use crate::app::model::Model;
use crate::app::outbox::{Notice, Queued, Subject};
use crate::case::{ActionKind, Status};
use crate::category::CATEGORIES;
use crate::coord::Crs;
use crate::sync::CaseRecord;
use crate::time::Date;
use crate::wire::case::{CaseView, LocationIn};
use facet::Facet;
use serde::{Deserialize, Serialize};

/// How pressing a deadline is: the colour of a row.
#[derive(
    Facet, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[repr(C)]
pub enum Urgency {
    /// No deadline runs.
    #[default]
    None,
    Normal,
    /// Due within two days.
    Warning,
    DueToday,
    Overdue,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CaseItem {
    pub id: String,
    pub category: String,
    pub summary: String,
    pub status: String,
    pub status_label: String,
    pub place: String,
    /// "sign for by 11-22 17:00", "due 11-28 17:00".
    pub deadline: Option<String>,
    pub urgency: Urgency,
    /// Changes made here wait to be sent.
    pub waiting: bool,
    /// A change made here was refused (a conflict).
    pub conflict: bool,
    /// Where it is, for a map; absent when unknown.
    pub point: Option<MapPoint>,
}

/// A place in both systems a phone's basemap may use: WGS84 (OpenStreetMap,
/// Tianditu) and GCJ-02 (Amap, Tencent). The shell draws the pair that
/// matches its tile source; it never converts.
#[derive(Facet, Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    pub gcj02_lat: f64,
    pub gcj02_lon: f64,
}

impl MapPoint {
    /// The point `(lon, lat)` stated in `crs`.
    #[must_use]
    pub fn new(lon: f64, lat: f64, crs: Crs) -> Self {
        let (lon, lat) = crs.to_wgs84(lon, lat);
        let (gcj02_lon, gcj02_lat) = Crs::Gcj02.from_wgs84(lon, lat);
        Self {
            lat,
            lon,
            gcj02_lat,
            gcj02_lon,
        }
    }
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReportView {
    /// A resident's request rather than a grid worker's report.
    pub is_request: bool,
    pub categories: Vec<Choice>,
    pub description: String,
    /// "36.0512, 103.8301 ±8 m", or absent.
    pub location: Option<String>,
    pub locating: bool,
    pub parties: Vec<String>,
    pub photos: u32,
    pub photo_limit: u32,
    pub people_affected: u32,
    pub amount_yuan: u64,
    pub problem: Option<String>,
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub what: String,
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PhotoRow {
    pub id: String,
    pub sha256: String,
    /// The server has the bytes (`GET /v1/blobs/{sha256}`).
    pub available: bool,
    /// The bytes are on this phone, waiting to be uploaded.
    pub uploading: bool,
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActionButton {
    /// `sign_for`, `resolve`…: which form to open.
    pub action: String,
    pub label: String,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CaseDetail {
    pub item: CaseItem,
    pub description: String,
    pub assignee: Option<String>,
    pub tier: String,
    /// Names and roles of the parties, when this user may see them.
    pub parties: Vec<String>,
    pub outcome: Option<String>,
    pub rating: Option<u8>,
    pub history: Vec<HistoryRow>,
    pub photos: Vec<PhotoRow>,
    /// What the user may do now.
    pub actions: Vec<ActionButton>,
    /// Changes made here, waiting to be sent.
    pub waiting: Vec<String>,
    /// Changes made here the server refused, and why.
    pub conflicts: Vec<String>,
    /// The resolve form's choices (first mediation and every later tier):
    /// how the matter ended, disputes' outcomes first. Empty unless
    /// `resolve` is among the actions.
    pub outcomes: Vec<Choice>,
    /// The co-handling form's choices: the departments this user may call
    /// in, nearest first, `code` being the unit id the action takes. Empty
    /// unless `request_co_handling` is among the actions.
    pub departments: Vec<Choice>,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VisitItem {
    pub watch_id: String,
    pub label: String,
    /// `blue`, `yellow`, `orange`, `red`, or empty when safe.
    pub colour: String,
    pub due: Option<String>,
    pub urgency: Urgency,
    pub waiting: bool,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VisitsView {
    pub items: Vec<VisitItem>,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VisitView {
    pub item: VisitItem,
    pub address: Option<String>,
    pub reason: String,
    pub last_visit: Option<String>,
}

/// The role the app is shaped for: grid worker, village cadre or resident
/// when the user holds one (in that order), else the first held.
#[must_use]
pub fn role(m: &Model) -> Option<Role> {
    let roles = &m.session.as_ref()?.me.roles;
    [Role::GridWorker, Role::VillageCadre, Role::Resident]
        .into_iter()
        .find(|r| roles.iter().any(|g| g.role == *r))
        .or_else(|| roles.first().map(|g| g.role))
}

fn pending_kinds<'a>(m: &'a Model, id: &'a str) -> impl Iterator<Item = ActionKind> + 'a {
    m.outbox.for_case(id).filter_map(|q| {
        serde_json::from_value::<ActionKind>(q.args["action"]["action"].clone()).ok()
    })
}

/// The status shown: the server's, moved on by the actions waiting here.
#[must_use]
pub fn shown_status(m: &Model, id: &str) -> Option<Status> {
    let base = m
        .cache
        .cases
        .get(id)
        .map(|c| c.record.case.status)
        .or_else(|| m.outbox.for_case(id).next().map(|_| Status::Submitted))?;
    Some(pending_kinds(m, id).fold(base, Status::after))
}

fn urgency(due_ms: Option<i64>, overdue: bool, now: Option<i64>) -> Urgency {
    let (Some(due), Some(now)) = (due_ms, now) else {
        return if overdue {
            Urgency::Overdue
        } else if due_ms.is_some() {
            Urgency::Normal
        } else {
            Urgency::None
        };
    };
    if overdue || now > due {
        Urgency::Overdue
    } else if Date::of_instant(due) == Date::of_instant(now) {
        Urgency::DueToday
    } else if due - now <= 2 * 86_400_000 {
        Urgency::Warning
    } else {
        Urgency::Normal
    }
}

/// The deadline that runs now: sign for by, while assigned; else the deadline.
fn running_deadline(c: &CaseView, status: Status) -> Option<(i64, bool)> {
    if !status.is_with_unit() && status != Status::Returned {
        return None;
    }
    match (status, c.sign_by, c.deadline) {
        (Status::Assigned, Some(s), _) => Some((s.ms(), true)),
        (_, _, Some(d)) => Some((d.ms(), false)),
        _ => None,
    }
}

fn item_of(m: &Model, id: &str, c: &CaseView) -> CaseItem {
    let l = m.lang;
    let status = shown_status(m, id).unwrap_or(c.status);
    let due = running_deadline(c, status);
    let deadline = due.map(|(ms, sign)| {
        let t = text::clock(ms, m.now_ms);
        if sign {
            tr(l, &format!("{t} 前签收"), &format!("sign for by {t}"))
        } else {
            tr(l, &format!("{t} 前办结"), &format!("due {t}"))
        }
    });
    CaseItem {
        id: id.to_owned(),
        category: text::category(l, &c.category),
        summary: c.description.chars().take(80).collect(),
        status: status.as_str().to_owned(),
        status_label: text::status(l, status),
        place: c
            .grid
            .as_ref()
            .map_or_else(|| c.lead_unit.name.clone(), |g| g.name.clone()),
        deadline,
        urgency: urgency(due.map(|d| d.0), c.overdue && status == c.status, m.now_ms),
        waiting: m.outbox.for_case(id).next().is_some(),
        conflict: m.outbox.notices_for(id).next().is_some(),
        point: Some(MapPoint::new(c.location.lon, c.location.lat, Crs::Wgs84)),
    }
}

/// A report made here that the server has not yet sent back.
fn queued_case(m: &Model, q: &Queued) -> Option<(String, CaseItem)> {
    let Subject::Case(id) = &q.subject else {
        return None;
    };
    if q.name != "case.create@1" || m.cache.cases.contains_key(id) {
        return None;
    }
    let l = m.lang;
    let code = q.args["category"].as_str().unwrap_or("");
    let point = serde_json::from_value::<LocationIn>(q.args["location"].clone())
        .ok()
        .map(|p| {
            let crs = p
                .crs
                .as_deref()
                .and_then(|c| c.parse().ok())
                .unwrap_or_default();
            MapPoint::new(p.lon, p.lat, crs)
        });
    Some((
        id.clone(),
        CaseItem {
            id: id.clone(),
            category: text::category(l, code),
            summary: q.args["description"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(80)
                .collect(),
            status: Status::Submitted.as_str().into(),
            status_label: tr(l, "待发送", "waiting to send"),
            place: String::new(),
            deadline: None,
            urgency: Urgency::None,
            waiting: true,
            conflict: false,
            point,
        },
    ))
}

/// Rows a home list carries; the rest are counted in `more`. A phone list
/// is read from the top, and every row crosses the bridge on every render.
pub const HOME_LIMIT: usize = 200;

/// How a home list is ordered.
#[derive(Clone, Copy)]
enum Order {
    /// Overdue, due today, warning first; then by deadline.
    Pressing,
    /// By the running deadline (the cadre's inbox).
    Deadline,
    /// Newest first (a resident's requests).
    Newest,
}

/// A candidate row before it is written out.
struct Row<'a> {
    id: &'a str,
    urgency: Urgency,
    due: i64,
    /// A report waiting to be sent, already written out.
    queued: Option<CaseItem>,
}

/// The home rows: cases held whose shown status `keep` accepts (or with
/// changes waiting here) and reports waiting, ordered, the first
/// [`HOME_LIMIT`] written out; and how many more there were. Sorting works
/// on plain keys, so only the rows shown are turned into words.
fn home_rows(m: &Model, keep: impl Fn(Status) -> bool, order: Order) -> (Vec<CaseItem>, usize) {
    let mut rows: Vec<Row<'_>> = m
        .cache
        .cases
        .iter()
        .filter_map(|(id, c)| {
            let v = &c.record.case;
            let status = shown_status(m, id).unwrap_or(v.status);
            if !keep(status) && m.outbox.for_case(id).next().is_none() {
                return None;
            }
            let due = running_deadline(v, status);
            Some(Row {
                id,
                urgency: urgency(due.map(|d| d.0), v.overdue && status == v.status, m.now_ms),
                due: due.map_or(i64::MAX, |d| d.0),
                queued: None,
            })
        })
        .collect();
    for q in &m.outbox.items {
        if let Some((_, item)) = queued_case(m, q) {
            let Subject::Case(id) = &q.subject else {
                continue;
            };
            rows.push(Row {
                id,
                urgency: item.urgency,
                due: i64::MAX,
                queued: Some(item),
            });
        }
    }
    match order {
        Order::Pressing => rows.sort_by(|a, b| {
            b.urgency
                .cmp(&a.urgency)
                .then(a.due.cmp(&b.due))
                .then(a.id.cmp(b.id))
        }),
        Order::Deadline => rows.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(b.id))),
        Order::Newest => rows.sort_by(|a, b| b.id.cmp(a.id)),
    }
    let more = rows.len().saturating_sub(HOME_LIMIT);
    rows.truncate(HOME_LIMIT);
    let items = rows
        .into_iter()
        .filter_map(|r| match r.queued {
            Some(item) => Some(item),
            None => m
                .cache
                .cases
                .get(r.id)
                .map(|c| item_of(m, r.id, &c.record.case)),
        })
        .collect();
    (items, more)
}

#[must_use]
pub fn home(m: &Model) -> super::HomeView {
    let l = m.lang;
    let role = role(m);
    let (title, new_label, (items, more)) = match role {
        Some(Role::GridWorker) => (
            tr(l, "我的网格", "My grid"),
            Some(tr(l, "上报事件", "New report")),
            home_rows(m, Status::is_pending, Order::Pressing),
        ),
        // The inbox: what is with the village, by deadline.
        Some(Role::VillageCadre) => (
            tr(l, "待办事项", "Assignments"),
            None,
            home_rows(
                m,
                |s| s.is_with_unit() || s == Status::Returned,
                Order::Deadline,
            ),
        ),
        Some(Role::Resident) => (
            tr(l, "我的诉求", "My requests"),
            Some(tr(l, "提交诉求", "New request")),
            home_rows(m, |_| true, Order::Newest),
        ),
        _ => (
            tr(l, "事件", "Cases"),
            None,
            home_rows(m, |_| true, Order::Pressing),
        ),
    };
    let visits_due = if role == Some(Role::GridWorker) {
        visits(m)
            .items
            .iter()
            .filter(|v| v.urgency >= Urgency::DueToday)
            .count()
    } else {
        0
    };
    super::HomeView {
        role: role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        title,
        cases: items,
        more: u32::try_from(more).unwrap_or(u32::MAX),
        visits_due: u32::try_from(visits_due).unwrap_or(u32::MAX),
        new_label,
    }
}

#[must_use]
pub fn report(m: &Model) -> ReportView {
    let l = m.lang;
    let d = &m.draft;
    let is_request = role(m) == Some(Role::Resident);
    ReportView {
        is_request,
        categories: CATEGORIES
            .iter()
            .map(|c| Choice {
                code: c.code.into(),
                label: tr(l, c.name_zh, c.name_en),
                selected: d.category.as_deref() == Some(c.code),
            })
            .collect(),
        description: d.description.clone(),
        location: d.location.as_ref().map(|p| match p.accuracy_m {
            Some(a) => format!("{:.5}, {:.5} ±{a:.0} m", p.lat, p.lon),
            None => format!("{:.5}, {:.5}", p.lat, p.lon),
        }),
        locating: d.locating,
        parties: d
            .parties
            .iter()
            .map(|p| format!("{} ({})", p.name, p.side))
            .collect(),
        photos: u32::try_from(d.photos.len()).unwrap_or(u32::MAX),
        photo_limit: u32::try_from(crate::app::draft::MAX_PHOTOS).unwrap_or(9),
        people_affected: d.people_affected,
        amount_yuan: d.amount_yuan,
        problem: d.problem.as_ref().map(|p| draft_problem(l, p)),
    }
}

fn draft_problem(l: Lang, p: &crate::app::draft::DraftProblem) -> String {
    use crate::app::draft::DraftProblem as P;
    match p {
        P::NoCategory => tr(l, "请选择事件类别", "choose a category"),
        P::UnknownCategory { code } => tr(
            l,
            &format!("未知类别 {code}"),
            &format!("unknown category {code}"),
        ),
        P::Description { why } => tr(
            l,
            &format!("请填写描述（{why}）"),
            &format!("describe what happened ({why})"),
        ),
        P::NoLocation => tr(l, "请定位或在地图上选点", "use your location or set a pin"),
        P::Party { index, why } => tr(
            l,
            &format!("第 {} 位当事人：{why}", index + 1),
            &format!("party {}: {why}", index + 1),
        ),
        P::TooManyPhotos => tr(l, "最多 9 张照片", "at most 9 photos"),
        P::Location { why } => tr(
            l,
            &format!("无法定位：{why}"),
            &format!("no location: {why}"),
        ),
        P::Photo { why } => tr(
            l,
            &format!("照片不可用：{why}"),
            &format!("photo not usable: {why}"),
        ),
    }
}

fn queued_words(l: Lang, q: &Queued) -> String {
    match q.name.as_str() {
        "case.create@1" => tr(l, "上报（待发送）", "report (waiting to send)"),
        "case.act@1" => {
            let a = serde_json::from_value::<ActionKind>(q.args["action"]["action"].clone())
                .map_or_else(|_| q.name.clone(), |k| text::action(l, k));
            tr(
                l,
                &format!("{a}（待发送）"),
                &format!("{a} (waiting to send)"),
            )
        }
        other => format!("{other} …"),
    }
}

/// A refused change in words.
#[must_use]
pub fn notice(l: Lang, m: &Model, n: &Notice) -> String {
    let what = n
        .action
        .as_deref()
        .and_then(|a| {
            serde_json::from_value::<ActionKind>(serde_json::Value::String(a.into())).ok()
        })
        .map_or_else(|| n.name.clone(), |k| text::action(l, k));
    let on = match &n.subject {
        Subject::Case(id) => m
            .cache
            .cases
            .get(id)
            .map(|c| text::category(l, &c.record.case.category))
            .unwrap_or_else(|| id.chars().take(8).collect()),
        Subject::Watch(id) => id.chars().take(8).collect(),
    };
    if n.code == "conflict" || n.code == "wrong_state" {
        tr(
            l,
            &format!("冲突：“{what}”未执行（{on}），别人已先处理：{}", n.message),
            &format!(
                "conflict: \"{what}\" on {on} was not applied; someone acted first: {}",
                n.message
            ),
        )
    } else {
        tr(
            l,
            &format!("“{what}”未执行（{on}）：{}", n.message),
            &format!("\"{what}\" on {on} was not applied: {}", n.message),
        )
    }
}

fn history(l: Lang, now: Option<i64>, r: &CaseRecord) -> Vec<HistoryRow> {
    r.history
        .iter()
        .map(|e| HistoryRow {
            at: text::clock(e.at.ms(), now),
            who: e
                .actor
                .as_ref()
                .map_or_else(|| tr(l, "系统", "system"), |a| a.display_name.clone()),
            what: serde_json::from_value::<ActionKind>(serde_json::Value::String(e.action.clone()))
                .map_or_else(
                    |_| match e.action.as_str() {
                        "conflict" => tr(
                            l,
                            "冲突（离线操作未执行）",
                            "conflict (an offline action was not applied)",
                        ),
                        "created" => tr(l, "登记", "reported"),
                        "erase" => tr(
                            l,
                            "当事人信息已按本人要求删除",
                            "a person's data erased at their request",
                        ),
                        other => other.replace('_', " "),
                    },
                    |k| text::action(l, k),
                ),
        })
        .collect()
}

#[must_use]
pub fn detail(m: &Model, id: &str) -> Option<CaseDetail> {
    let l = m.lang;
    let waiting: Vec<String> = m.outbox.for_case(id).map(|q| queued_words(l, q)).collect();
    let conflicts: Vec<String> = m.outbox.notices_for(id).map(|n| notice(l, m, n)).collect();
    let Some(c) = m.cache.cases.get(id) else {
        // Made here and not back from the server yet.
        let (_, item) = m
            .outbox
            .items
            .iter()
            .find_map(|q| queued_case(m, q).filter(|(i, _)| i == id))?;
        let q = m.outbox.for_case(id).next()?;
        return Some(CaseDetail {
            description: q.args["description"].as_str().unwrap_or("").to_owned(),
            item,
            photos: m
                .photos
                .iter()
                .filter(|p| p.case.as_deref() == Some(id))
                .map(|p| PhotoRow {
                    id: p.id.clone(),
                    sha256: p.sha256.clone(),
                    available: false,
                    uploading: true,
                })
                .collect(),
            waiting,
            conflicts,
            ..CaseDetail::default()
        });
    };
    let v = &c.record.case;
    let busy = !waiting.is_empty();
    // While an action waits, only a note may be added on top of it.
    let actions = v
        .actions
        .iter()
        .filter(|a| !busy || **a == ActionKind::Note)
        .map(|a| ActionButton {
            action: a.as_str().into(),
            label: text::action(l, *a),
        })
        .collect();
    Some(CaseDetail {
        item: item_of(m, id, v),
        description: v.description.clone(),
        assignee: v.assignee.as_ref().map(|p| p.display_name.clone()),
        tier: v.tier.name.clone(),
        parties: v
            .parties
            .iter()
            .flatten()
            .map(|p| format!("{} ({:?})", p.name.as_str(), p.side).to_lowercase())
            .collect(),
        outcome: v.outcome.map(|o| text::outcome(l, o)),
        rating: v.rating,
        history: history(l, m.now_ms, &c.record),
        photos: v
            .photos
            .iter()
            .map(|p| PhotoRow {
                id: p.id.to_string(),
                sha256: p.sha256.to_string(),
                available: p.available,
                uploading: m.photos.iter().any(|lp| lp.id == p.id.to_string()),
            })
            .collect(),
        outcomes: if v.actions.contains(&ActionKind::Resolve) && !busy {
            outcome_choices(l, v.category.as_str())
        } else {
            Vec::new()
        },
        departments: if v.actions.contains(&ActionKind::RequestCoHandling) && !busy {
            m.departments
                .iter()
                .map(|d| Choice {
                    code: d.id.clone(),
                    label: text::department(l, d.kind, &d.name),
                    selected: false,
                })
                .collect()
        } else {
            Vec::new()
        },
        actions,
        waiting,
        conflicts,
    })
}

/// Outcomes in the order a form offers them: for a dispute, the ways a
/// mediation ends; for other matters, handled or explained first.
fn outcome_choices(l: Lang, category: &str) -> Vec<Choice> {
    use crate::case::Outcome as O;
    let dispute = crate::category::by_code(category).is_some_and(|c| c.is_dispute);
    let order: &[O] = if dispute {
        &[
            O::Mediated,
            O::AgreementSigned,
            O::JudiciallyConfirmed,
            O::ReferredToArbitration,
            O::ReferredToLitigation,
            O::Explained,
            O::Withdrawn,
        ]
    } else {
        &[O::Handled, O::Explained, O::Withdrawn]
    };
    order
        .iter()
        .map(|&o| Choice {
            code: serde_json::to_value(o)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            label: text::outcome(l, o),
            selected: false,
        })
        .collect()
}

fn visit_item(m: &Model, id: &str, w: &crate::wire::watch::WatchView) -> VisitItem {
    let l = m.lang;
    let waiting = m
        .outbox
        .items
        .iter()
        .any(|q| q.subject == Subject::Watch(id.to_owned()));
    let due = w.next_visit.as_ref();
    VisitItem {
        watch_id: id.to_owned(),
        label: w.label.clone(),
        colour: w
            .colour
            .and_then(|c| serde_json::to_value(c).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        due: due.map(|d| {
            let t = text::clock(d.due.ms(), m.now_ms);
            tr(l, &format!("{t} 前回访"), &format!("visit by {t}"))
        }),
        urgency: if waiting {
            Urgency::Normal
        } else {
            urgency(
                due.map(|d| d.due.ms()),
                due.is_some_and(|d| d.late),
                m.now_ms,
            )
        },
        waiting,
    }
}

#[must_use]
pub fn visits(m: &Model) -> VisitsView {
    let mut items: Vec<(i64, VisitItem)> = m
        .cache
        .watches
        .iter()
        .filter(|(_, w)| w.watch.next_visit.is_some())
        .map(|(id, w)| {
            let due = w.watch.next_visit.as_ref().map_or(i64::MAX, |d| d.due.ms());
            (due, visit_item(m, id, &w.watch))
        })
        .collect();
    items.sort_by_key(|(due, i)| (*due, i.watch_id.clone()));
    VisitsView {
        items: items.into_iter().map(|(_, i)| i).collect(),
    }
}

#[must_use]
pub fn visit(m: &Model, id: &str) -> Option<VisitView> {
    let w = &m.cache.watches.get(id)?.watch;
    Some(VisitView {
        item: visit_item(m, id, w),
        address: w.address.clone(),
        reason: w.reason.clone(),
        last_visit: w.last_visit_at.map(|t| text::clock(t.ms(), m.now_ms)),
    })
}
