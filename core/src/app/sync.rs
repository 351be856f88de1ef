//! The sync loop: push what waits, then pull until the server has nothing
//! more; in the foreground keep a long poll open, in the background retry
//! on a timer. Failures back off with jitter and honour `Retry-After`. A
//! reset sends the queue first, then reads a snapshot: nothing waiting is
//! dropped. The queue shrinks only on a pull's acknowledgement.

use super::backoff;
use super::effects::{self, Effect, http};
use super::event::Event;
use super::model::{Model, Pending, Phase, Problem};
use super::net::{self, Call, Reply};
use super::outbox::GapFix;
use super::{persist, photos, session};
use crate::sync::{PullPage, PushResponse, SnapshotPage, Stop};
use crux_core::Command;
use crux_core::render::render;
use crux_http::protocol::HttpResult;

/// Mutations per push.
pub const BATCH: usize = 50;
/// Changes per pull page.
pub const PAGE: u32 = 500;
/// Seconds a long poll waits on the server.
pub const WAIT_S: u32 = 25;
/// How often a phone in the background looks for news.
pub const IDLE_MS: u64 = 5 * 60 * 1000;

fn send(call: Call, req: crux_http::protocol::HttpRequest) -> Command<Effect, Event> {
    http(req).then_send(move |r| Event::Answer(Box::new(call), Box::new(r)))
}

fn ready(m: &Model) -> bool {
    m.loaded && m.session.as_ref().is_some_and(|s| !s.expired)
}

/// Starts a round unless one is running (then it runs again after).
pub fn kick(m: &mut Model) -> Command<Effect, Event> {
    if !ready(m) {
        return Command::done();
    }
    if m.run.phase != Phase::Idle {
        m.run.again = true;
        return Command::done();
    }
    step(m)
}

/// The next thing to do, in order: register, push, the snapshot a reset
/// asked for, photos whose case the server holds, the departments (once a
/// run), pull.
fn step(m: &mut Model) -> Command<Effect, Event> {
    let Some(s) = m.session.clone() else {
        return Command::done();
    };
    if m.outbox.device.is_none() {
        return session::register(m);
    }
    let device = m.outbox.device.clone().unwrap_or_default();
    if m.outbox.has_unsent() {
        let batch = m.outbox.batch(BATCH);
        let last = batch.last().map_or(0, |q| q.number);
        let body = serde_json::json!({ "device_id": device, "mutations": batch });
        m.run.phase = Phase::Pushing;
        return send(
            Call::Push { last },
            net::request(
                "POST",
                &s.server,
                "/v1/sync/push",
                Some(&s.access),
                Some(body.to_string().into_bytes()),
            ),
        )
        .and(render());
    }
    if m.meta.reset {
        return snapshot(m, None);
    }
    if let Some(p) = next_photo(m) {
        m.run.phase = Phase::Uploading;
        let prefix = m.user_prefix().unwrap_or_default();
        return photos::upload(s.server, s.access, prefix, p).and(render());
    }
    if !m.run.departments_asked && m.may_co_handle() {
        m.run.phase = Phase::Departments;
        return send(
            Call::Departments,
            net::request("GET", &s.server, "/v1/departments", Some(&s.access), None),
        );
    }
    m.run.phase = Phase::Pulling;
    pull(m, false)
}

/// A photo whose case the server has acknowledged.
fn next_photo(m: &Model) -> Option<photos::LocalPhoto> {
    m.photos
        .iter()
        .find(|p| {
            p.case
                .as_deref()
                .is_some_and(|c| m.outbox.for_case(c).next().is_none())
        })
        .cloned()
}

fn pull(m: &Model, wait: bool) -> Command<Effect, Event> {
    let Some(s) = &m.session else {
        return Command::done();
    };
    let device = m.outbox.device.clone().unwrap_or_default();
    let mut path = format!(
        "/v1/sync/pull?device_id={}&limit={PAGE}",
        net::query_value(&device)
    );
    if let Some(c) = &m.meta.cursor {
        path.push_str(&format!("&cursor={}", net::query_value(c)));
    }
    if wait {
        path.push_str(&format!("&wait={WAIT_S}"));
    }
    send(
        Call::Pull {
            cursor: m.meta.cursor.clone(),
            wait,
        },
        net::request("GET", &s.server, &path, Some(&s.access), None),
    )
}

fn snapshot(m: &mut Model, page: Option<String>) -> Command<Effect, Event> {
    let Some(s) = &m.session else {
        return Command::done();
    };
    m.run.phase = Phase::Snapshot;
    let device = m.outbox.device.clone().unwrap_or_default();
    let mut path = format!(
        "/v1/sync/snapshot?device_id={}&limit={PAGE}",
        net::query_value(&device)
    );
    if let Some(p) = &page {
        path.push_str(&format!("&page={}", net::query_value(p)));
    }
    send(
        Call::Snapshot { page },
        net::request("GET", &s.server, &path, Some(&s.access), None),
    )
}

/// A round ended well: note the time, then long-poll in the foreground or
/// wait for the idle timer.
fn finished(m: &mut Model) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    m.run.failures = 0;
    m.run.problem = None;
    let clock = effects::now().then_send(|t| Event::Clock(Box::new(Pending::Synced), t));
    if std::mem::take(&mut m.run.again) {
        return clock.and(step(m)).and(render());
    }
    clock.and(idle(m)).and(render())
}

/// Nothing to do: keep a long poll open in the foreground, else arm the
/// idle timer.
fn idle(m: &mut Model) -> Command<Effect, Event> {
    if m.run.foreground {
        if m.run.polling {
            return Command::done();
        }
        m.run.polling = true;
        return pull(m, true);
    }
    timer(m, IDLE_MS)
}

fn timer(m: &mut Model, ms: u64) -> Command<Effect, Event> {
    m.run.timer += 1;
    effects::after(m.run.timer, ms).then_send(Event::Timer)
}

/// A failed attempt: wait, then try again.
pub fn failed<T>(m: &mut Model, r: Reply<T>) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    m.run.again = false;
    let (retry_after, problem) = match r {
        Reply::Later { retry_after_s, why } => (retry_after_s, Problem::Offline(why)),
        Reply::Refused { message, code, .. } => {
            (None, Problem::Refused(format!("{code}: {message}")))
        }
        Reply::Reset(b) => (None, Problem::Refused(b.message)),
        Reply::Unauthenticated => (None, Problem::LoginNeeded),
        Reply::Ok(_) => (None, Problem::Offline(String::new())),
    };
    m.run.failures = m.run.failures.saturating_add(1);
    m.run.problem = Some(problem);
    let seed = backoff::seed_of(m.outbox.device.as_deref().unwrap_or("")) ^ m.outbox.made;
    let delay = backoff::delay_ms(m.run.failures, seed, retry_after);
    timer(m, delay).and(render())
}

/// A timer went off: only the latest counts.
pub fn timer_fired(m: &mut Model, id: usize) -> Command<Effect, Event> {
    if id != m.run.timer {
        return Command::done();
    }
    kick(m)
}

/// The app came to the foreground: sync now.
pub fn foreground(m: &mut Model) -> Command<Effect, Event> {
    m.run.foreground = true;
    if m.run.phase == Phase::Idle {
        m.run.failures = 0;
    }
    kick(m).and(render())
}

pub fn answer(m: &mut Model, call: Call, r: HttpResult) -> Command<Effect, Event> {
    match call {
        Call::Push { .. } => pushed(m, net::sort(r, crate::sync::accept_push)),
        Call::Pull { cursor, wait } => {
            if wait {
                m.run.polling = false;
                // An answer to a long poll from an older position is stale:
                // a regular pull went past it meanwhile.
                if cursor != m.meta.cursor || m.run.phase != Phase::Idle {
                    return if m.run.phase == Phase::Idle {
                        idle(m)
                    } else {
                        Command::done()
                    };
                }
                m.run.phase = Phase::Pulling;
            }
            pulled(m, net::sort(r, crate::sync::accept_pull))
        }
        Call::Snapshot { page } => {
            let first = page.is_none();
            snapshotted(m, first, net::sort(r, crate::sync::accept_snapshot))
        }
        Call::Departments => departments(m, net::sort(r, net::accept_json)),
        Call::Login { .. } | Call::Me | Call::Register | Call::Refresh => Command::done(),
    }
}

/// The departments came: keep them for the picker. A refusal (an older
/// server without the list) is not worth a retry; the picker stays as it
/// was and the round goes on.
fn departments(
    m: &mut Model,
    r: Reply<Vec<crate::wire::territory::DepartmentView>>,
) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    match r {
        Reply::Ok(list) => {
            m.run.departments_asked = true;
            m.departments = list;
            persist::departments(m).and(step(m))
        }
        Reply::Refused { .. } | Reply::Reset(_) => {
            m.run.departments_asked = true;
            step(m)
        }
        Reply::Unauthenticated => session::refresh(m),
        other => failed(m, other),
    }
}

fn refused_device(code: &str) -> bool {
    code == "device_revoked" || code == "unknown_device"
}

fn pushed(m: &mut Model, r: Reply<PushResponse>) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    match r {
        Reply::Ok(p) => {
            m.outbox.answered(&p.results, p.last_applied);
            let save = persist::outbox(m);
            match p.stopped {
                Some(Stop::Gap { expected }) => match m.outbox.gap(expected) {
                    GapFix::ResendFrom(_) => save.and(step(m)),
                    GapFix::NewDevice => {
                        m.outbox.device = None;
                        save.and(session::register(m))
                    }
                },
                Some(Stop::Unavailable { retry_after_s }) => save.and(failed::<()>(
                    m,
                    Reply::Later {
                        retry_after_s: Some(retry_after_s),
                        why: "the server is busy".into(),
                    },
                )),
                None => save.and(step(m)),
            }
        }
        Reply::Unauthenticated => session::refresh(m),
        Reply::Reset(_) => {
            m.meta.reset = true;
            persist::meta(m).and(step(m))
        }
        Reply::Refused { code, .. } if refused_device(&code) => {
            m.outbox.device = None;
            session::register(m)
        }
        other => failed(m, other),
    }
}

fn pulled(m: &mut Model, r: Reply<PullPage>) -> Command<Effect, Event> {
    match r {
        Reply::Ok(page) => {
            if m.meta.epoch.as_ref().is_some_and(|e| *e != page.epoch) {
                // The server was rebuilt or restored and did not say so:
                // start again the safe way.
                m.run.phase = Phase::Idle;
                m.meta.reset = true;
                return persist::meta(m).and(step(m));
            }
            let mut touched = Vec::new();
            for c in &page.changes {
                match m.cache.apply(c) {
                    Ok(Some(t)) => touched.push(t),
                    Ok(None) => {}
                    Err(e) => m.run.problem = Some(Problem::Refused(e.to_string())),
                }
            }
            let dropped = m.outbox.acknowledge(page.ack);
            m.meta.ack = page.ack;
            m.meta.cursor = Some(page.cursor);
            m.meta.epoch = Some(page.epoch);
            let mut save = persist::rows_then_meta(m, &touched);
            if dropped > 0 {
                save = save.and(persist::outbox(m));
            }
            if page.has_more || m.outbox.has_unsent() {
                m.run.phase = Phase::Idle;
                return save.and(step(m)).and(render());
            }
            if next_photo(m).is_some() {
                m.run.phase = Phase::Idle;
                return save.and(step(m)).and(render());
            }
            save.and(finished(m))
        }
        Reply::Unauthenticated => {
            m.run.phase = Phase::Idle;
            session::refresh(m)
        }
        Reply::Reset(_) => {
            m.run.phase = Phase::Idle;
            m.meta.reset = true;
            persist::meta(m).and(step(m))
        }
        Reply::Refused { code, .. } if refused_device(&code) => {
            m.run.phase = Phase::Idle;
            m.outbox.device = None;
            session::register(m)
        }
        other => failed(m, other),
    }
}

fn snapshotted(m: &mut Model, first: bool, r: Reply<SnapshotPage>) -> Command<Effect, Event> {
    match r {
        Reply::Ok(page) => {
            if first {
                m.run.snapshot_seen = Some(std::collections::BTreeSet::new());
            }
            let mut touched = Vec::new();
            for c in &page.changes {
                match m.cache.replace(c) {
                    Ok(t) => {
                        if let Some(seen) = &mut m.run.snapshot_seen {
                            seen.insert(c.id.clone());
                        }
                        touched.push(t);
                    }
                    Err(e) => m.run.problem = Some(Problem::Refused(e.to_string())),
                }
            }
            if let Some(next) = page.next_page {
                let save = persist::rows_then_meta(m, &touched);
                return save.and(snapshot(m, Some(next)));
            }
            // The last page: rows the snapshot did not have left the scope.
            let seen = m.run.snapshot_seen.take().unwrap_or_default();
            touched.extend(m.cache.retain(&seen));
            m.meta.cursor = Some(page.cursor);
            m.meta.epoch = Some(page.epoch);
            m.meta.reset = false;
            m.run.phase = Phase::Idle;
            persist::rows_then_meta(m, &touched)
                .and(step(m))
                .and(render())
        }
        other => {
            m.run.snapshot_seen = None;
            match other {
                Reply::Unauthenticated => {
                    m.run.phase = Phase::Idle;
                    session::refresh(m)
                }
                other => failed(m, other),
            }
        }
    }
}

/// A photo's upload ended.
pub fn uploaded(m: &mut Model, id: &str, r: photos::Uploaded) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    match r {
        Reply::Ok(()) => {
            m.photos.retain(|p| p.id != id);
            persist::photos(m)
                .and(persist::drop_photo_bytes(m, id))
                .and(step(m))
        }
        Reply::Unauthenticated => session::refresh(m),
        Reply::Refused { code, message, .. } if code == "photo_lost" || code == "not_an_image" => {
            // Nothing to send any more: say so and go on without it.
            m.photos.retain(|p| p.id != id);
            m.toast = Some(message);
            persist::photos(m).and(step(m))
        }
        other => failed(m, other),
    }
}
