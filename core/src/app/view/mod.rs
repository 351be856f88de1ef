//! What the shells draw: one view model, built from the model on demand.
//! Everything is ready to show (words in the user's language, times in
//! China time, colours decided), so a shell only lays it out.

pub mod cases;
pub mod text;

use super::event::{Lang, Route};
use super::model::{Model, Phase, Problem};
use facet::Facet;
use serde::{Deserialize, Serialize};
use text::tr;

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ViewModel {
    pub lang: Lang,
    pub screen: Screen,
    pub sync: SyncView,
    /// Who is logged in: "王芳 · 网格员".
    pub user: Option<String>,
    /// A message to show once.
    pub toast: Option<String>,
    pub can_go_back: bool,
}

// One screen is built per render and crosses the bridge serialised: the
// size of the in-memory enum does not matter, and a plain variant keeps the
// generated Kotlin and Swift types plain.
#[allow(clippy::large_enum_variant)]
#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[repr(C)]
pub enum Screen {
    #[default]
    Loading,
    Login(LoginView),
    Home(HomeView),
    NewReport(cases::ReportView),
    Case(cases::CaseDetail),
    Visits(cases::VisitsView),
    Visit(cases::VisitView),
    /// A route to something the phone no longer holds.
    Gone {
        message: String,
    },
}

#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoginView {
    pub server: String,
    pub username: String,
    pub busy: bool,
    pub error: Option<String>,
    /// The session ran out: log in again; nothing waiting is lost.
    pub expired: bool,
}

#[derive(Facet, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HomeView {
    /// `grid_worker`, `village_cadre`, `resident` or another role's code.
    pub role: String,
    pub title: String,
    /// The first [`cases::HOME_LIMIT`] rows, most pressing first.
    pub cases: Vec<cases::CaseItem>,
    /// Rows beyond those (shown as "and N more").
    pub more: u32,
    /// Watched households whose visit is due or late (grid workers).
    pub visits_due: u32,
    /// The label of the new-report button, when the role reports.
    pub new_label: Option<String>,
}

/// The sync status line and what stands behind it.
#[derive(Facet, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncView {
    /// Changes made here the server has not yet confirmed.
    pub waiting: u32,
    /// "3 waiting to send, last synced 14:02".
    pub line: String,
    pub busy: bool,
    /// What went wrong, in words; absent when all is well.
    pub problem: Option<String>,
    /// The phone's storage failed, in words; it stays until dismissed.
    pub storage: Option<String>,
    /// Changes the server refused, in words (a conflict, a state moved on).
    pub notices: Vec<String>,
}

fn sync_view(m: &Model) -> SyncView {
    let l = m.lang;
    let waiting = u32::try_from(m.outbox.waiting()).unwrap_or(u32::MAX);
    let last = m
        .meta
        .last_synced_ms
        .map(|t| text::clock(t, m.now_ms))
        .map_or_else(
            || tr(l, "尚未同步", "not synced yet"),
            |t| tr(l, &format!("上次同步 {t}"), &format!("last synced {t}")),
        );
    let line = if waiting > 0 {
        tr(
            l,
            &format!("{waiting} 条待发送，{last}"),
            &format!("{waiting} waiting to send, {last}"),
        )
    } else {
        tr(
            l,
            &format!("全部已发送，{last}"),
            &format!("all sent, {last}"),
        )
    };
    let problem = m.run.problem.as_ref().map(|p| match p {
        Problem::Offline(why) => tr(
            l,
            &format!("连不上服务器，稍后自动重试（{why}）"),
            &format!("cannot reach the server; will retry ({why})"),
        ),
        Problem::Refused(why) => tr(
            l,
            &format!("服务器拒绝了请求：{why}"),
            &format!("the server refused: {why}"),
        ),
        Problem::LoginNeeded => tr(
            l,
            "登录已过期，请重新登录；待发送的内容都还在",
            "your login has expired; log in again (nothing waiting is lost)",
        ),
    });
    let storage = m.storage_error.as_ref().map(|why| {
        tr(
            l,
            &format!("手机存储出错：{why}"),
            &format!("the phone's storage failed: {why}"),
        )
    });
    SyncView {
        waiting,
        line,
        busy: m.run.phase != Phase::Idle,
        problem,
        storage,
        notices: m
            .outbox
            .notices
            .iter()
            .map(|n| cases::notice(l, m, n))
            .collect(),
    }
}

fn user_line(m: &Model) -> Option<String> {
    let s = m.session.as_ref()?;
    let role =
        s.me.roles
            .first()
            .map(|g| tr(m.lang, g.role.name_zh(), &g.role.as_str().replace('_', " ")));
    Some(match role {
        Some(r) => format!("{} · {r}", s.me.display_name),
        None => s.me.display_name.clone(),
    })
}

#[must_use]
pub fn view(m: &Model) -> ViewModel {
    let screen = if !m.loaded {
        Screen::Loading
    } else {
        match &m.session {
            None => Screen::Login(LoginView {
                server: m.login.server.clone(),
                username: m.login.username.clone(),
                busy: m.login.busy,
                error: m.login.error.clone(),
                expired: false,
            }),
            Some(s) if s.expired => Screen::Login(LoginView {
                server: s.server.clone(),
                username: s.me.username.clone(),
                busy: m.login.busy,
                error: m.login.error.clone(),
                expired: true,
            }),
            Some(_) => match &m.route {
                Route::Home => Screen::Home(cases::home(m)),
                Route::NewReport => Screen::NewReport(cases::report(m)),
                Route::Case { id } => cases::detail(m, id).map_or_else(
                    || Screen::Gone {
                        message: tr(
                            m.lang,
                            "这个事件已不在您的范围内",
                            "this case is no longer in your hands",
                        ),
                    },
                    Screen::Case,
                ),
                Route::Visits => Screen::Visits(cases::visits(m)),
                Route::Visit { watch_id } => cases::visit(m, watch_id).map_or_else(
                    || Screen::Gone {
                        message: tr(
                            m.lang,
                            "这户已不在您的名单上",
                            "this household is no longer on your list",
                        ),
                    },
                    Screen::Visit,
                ),
            },
        }
    };
    ViewModel {
        lang: m.lang,
        screen,
        sync: sync_view(m),
        user: user_line(m),
        toast: m.toast.clone(),
        can_go_back: !m.back.is_empty(),
    }
}
