//! The app the phones run, written once: crux's `App` for grid workers,
//! village cadres and residents. Every side effect is a request to the shell
//! (`effects`); `update` never panics and never blocks.
//!
//! - `event`: what the user does and what the shell answers;
//! - `model`: what the core holds; `persist`: what it keeps on the phone;
//! - `session`: login, device, tokens; `sync`: the push/pull loop with
//!   `backoff`; `outbox`: the numbered queue; `cache`: the rows held;
//! - `actions`: reports, case actions and visits made on the phone, with
//!   `draft` and `photos`;
//! - `view`: the view model the shells draw.

pub mod actions;
pub mod backoff;
pub mod cache;
pub mod draft;
pub mod effects;
pub mod event;
/// Test data for benchmarks: a cadre's phone holding many cases.
#[doc(hidden)]
pub mod fixtures;
pub mod model;
pub mod net;
pub mod outbox;
pub mod persist;
pub mod photos;
pub mod session;
pub mod sync;
pub mod view;

#[cfg(test)]
mod tests;

pub use effects::{
    Effect, EffectFfi, Fix, LocationOperation, LocationResult, PhotoOperation, PhotoResult,
};
pub use event::{ActionInput, DraftEdit, Event, Lang, Route};
pub use model::Model;
pub use view::ViewModel;

use crux_core::Command;
use crux_core::render::render;
use model::Pending;

/// The Gridline phone app.
#[derive(Debug, Default)]
pub struct Gridline;

impl crux_core::App for Gridline {
    type Event = Event;
    type Model = Model;
    type ViewModel = ViewModel;
    type Effect = Effect;

    fn update(&self, event: Event, m: &mut Model) -> Command<Effect, Event> {
        match event {
            Event::Start {
                platform,
                app_version,
            } => {
                m.device_info = (platform, app_version);
                persist::launch().and(actions::at_now(Pending::Tick))
            }
            Event::Loaded(l) => loaded(m, *l),
            Event::Foreground => sync::foreground(m).and(actions::at_now(Pending::Tick)),
            Event::Background => {
                m.run.foreground = false;
                render()
            }
            Event::SetLanguage { lang } => {
                m.lang = lang;
                persist::lang(m).and(render())
            }
            Event::Login {
                server,
                username,
                password,
            } => session::login(m, &server, &username, &password),
            Event::Logout => session::logout(m),
            Event::Open { route } => {
                if route != m.route {
                    m.back.push(std::mem::replace(&mut m.route, route));
                }
                m.toast = None;
                render()
            }
            Event::Back => {
                m.route = m.back.pop().unwrap_or_default();
                m.toast = None;
                render()
            }
            Event::Draft { edit } => actions::edit_draft(m, edit),
            Event::SubmitReport => actions::at_now(Pending::Report),
            Event::DiscardDraft => {
                let photos: Vec<String> = m.draft.photos.iter().map(|p| p.id.clone()).collect();
                m.draft = draft::Draft::default();
                let gone = Command::all(photos.iter().map(|id| persist::drop_photo_bytes(m, id)));
                if m.route == Route::NewReport {
                    m.route = m.back.pop().unwrap_or_default();
                }
                persist::draft(m).and(gone).and(render())
            }
            Event::Act { case_id, input } => actions::at_now(Pending::Act { case_id, input }),
            Event::RecordVisit { watch_id, note } => {
                actions::at_now(Pending::Visit { watch_id, note })
            }
            Event::SyncNow => {
                m.run.failures = 0;
                sync::kick(m).and(render())
            }
            Event::DismissNotices => {
                m.outbox.notices.clear();
                m.storage_error = None;
                persist::outbox(m).and(render())
            }
            Event::Answer(call, r) => match *call {
                c @ (net::Call::Login { .. }
                | net::Call::Me
                | net::Call::Register
                | net::Call::Refresh) => session::answer(m, c, *r),
                c => sync::answer(m, c, *r),
            },
            Event::Clock(p, t) => actions::clocked(m, *p, t),
            Event::Timer(id) => sync::timer_fired(m, id),
            Event::Located(r) => actions::located(m, r),
            Event::Photographed(r) => actions::photographed(m, r),
            Event::Uploaded(id, r) => sync::uploaded(m, &id, *r),
            Event::Stored(Ok(())) => Command::done(),
            Event::Stored(Err(e)) => {
                m.storage_error = Some(e.0);
                render()
            }
        }
    }

    fn view(&self, m: &Model) -> ViewModel {
        view::view(m)
    }
}

/// What was stored came back: install it and start syncing.
fn loaded(m: &mut Model, l: persist::Loaded) -> Command<Effect, Event> {
    if let Some(e) = l.error {
        m.storage_error = Some(e.0);
    }
    if let Some(lang) = l.lang {
        m.lang = lang;
    }
    if let Some(s) = l.session {
        m.session = s;
    }
    if let Some(u) = l.user {
        if let Some(o) = u.outbox {
            m.outbox = o;
        }
        if let Some(meta) = u.meta {
            m.meta = meta;
        }
        if let Some(d) = u.draft {
            m.draft = d;
        }
        if let Some(p) = u.photos {
            m.photos = p;
        }
        if let Some(d) = u.departments {
            m.departments = d;
        }
        m.cache.cases = u.cases.into_iter().collect();
        m.cache.watches = u.watches.into_iter().collect();
        if !u.unreadable.is_empty() {
            m.storage_error = Some(format!("could not read {}", u.unreadable.join(", ")));
        }
    }
    m.loaded = true;
    sync::kick(m).and(render())
}
