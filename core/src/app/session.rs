//! Logging in, registering the phone, refreshing tokens, logging out.
//!
//! A refused refresh does not end anything stored: the session is marked
//! expired, the login screen asks for the password again, and the queue,
//! device and cached rows wait for the same user to come back.

use super::effects::{Effect, http};
use super::event::Event;
use super::model::{Model, Phase, Problem, Session, SyncMeta};
use super::net::{self, Call, Reply};
use super::outbox::Outbox;
use super::{persist, sync};
use crate::sync::{DeviceView, NewDevice, Platform};
use crate::wire::auth::{LoginRequest, Me, RefreshRequest, TokenResponse};
use crux_core::Command;
use crux_core::render::render;

fn send(call: Call, req: crux_http::protocol::HttpRequest) -> Command<Effect, Event> {
    http(req).then_send(move |r| Event::Answer(Box::new(call), Box::new(r)))
}

pub fn login(
    m: &mut Model,
    server: &str,
    username: &str,
    password: &str,
) -> Command<Effect, Event> {
    m.login.username = username.trim().to_owned();
    m.login.server = server.trim().to_owned();
    m.login.error = None;
    let base = match net::server_base(server) {
        Ok(b) => b,
        Err(e) => {
            m.login.error = Some(e);
            return render();
        }
    };
    if m.login.username.is_empty() || password.is_empty() {
        m.login.error = Some("username and password are both needed".into());
        return render();
    }
    // Another user's unsent changes stay under that user; say so.
    if let Some(s) = &m.session
        && s.me.username != m.login.username
        && m.outbox.waiting() > 0
    {
        m.toast = Some(format!(
            "{} changes of {} wait to be sent; they stay on this phone until {} logs in again",
            m.outbox.waiting(),
            s.me.username,
            s.me.username
        ));
    }
    m.login.busy = true;
    let body = serde_json::to_vec(&LoginRequest {
        username: m.login.username.clone(),
        password: password.to_owned(),
    })
    .unwrap_or_default();
    send(
        Call::Login {
            server: base.clone(),
            username: m.login.username.clone(),
        },
        net::request("POST", &base, "/v1/auth/login", None, Some(body)),
    )
    .and(render())
}

/// Tokens from a login, waiting for `/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisional {
    pub server: String,
    pub tokens: TokenResponse,
}

pub fn answer(
    m: &mut Model,
    call: Call,
    r: crux_http::protocol::HttpResult,
) -> Command<Effect, Event> {
    match call {
        Call::Login { server, .. } => match net::sort(r, net::accept_json::<TokenResponse>) {
            Reply::Ok(tokens) => {
                let req = net::request("GET", &server, "/v1/me", Some(&tokens.access_token), None);
                m.provisional = Some(Provisional { server, tokens });
                send(Call::Me, req)
            }
            other => login_failed(m, other),
        },
        Call::Me => {
            let Some(p) = m.provisional.take() else {
                return Command::done();
            };
            match net::sort(r, net::accept_json::<Me>) {
                Reply::Ok(me) => logged_in(m, p, me),
                other => login_failed(m, other),
            }
        }
        Call::Register => registered(m, net::sort(r, net::accept_json::<DeviceView>)),
        Call::Refresh => refreshed(m, net::sort(r, net::accept_json::<TokenResponse>)),
        Call::Push { .. } | Call::Pull { .. } | Call::Snapshot { .. } | Call::Departments => {
            Command::done()
        }
    }
}

fn login_failed<T>(m: &mut Model, r: Reply<T>) -> Command<Effect, Event> {
    m.login.busy = false;
    m.provisional = None;
    m.login.error = Some(match r {
        Reply::Ok(_) => return render(),
        Reply::Unauthenticated => "wrong username or password".into(),
        Reply::Refused { code, .. } if code == "bad_credentials" => {
            "wrong username or password".into()
        }
        Reply::Refused { message, .. } => message,
        Reply::Reset(b) => b.message,
        Reply::Later { why, .. } => format!("cannot reach the server: {why}"),
    });
    render()
}

fn logged_in(m: &mut Model, p: Provisional, me: Me) -> Command<Effect, Event> {
    m.login.busy = false;
    m.login.error = None;
    let same_user = m
        .session
        .as_ref()
        .is_some_and(|s| s.me.id == me.id && s.server == p.server);
    let user_id = me.id.clone();
    m.session = Some(Session {
        server: p.server,
        access: p.tokens.access_token,
        refresh: p.tokens.refresh_token,
        me,
        expired: false,
    });
    m.run.problem = None;
    m.route = super::event::Route::Home;
    m.back.clear();
    let save = persist::session(m);
    if same_user {
        // The same user back after an expiry: everything is still here.
        return save.and(sync::kick(m)).and(render());
    }
    // Another user (or the first): read what this phone holds for them.
    m.forget_user();
    m.loaded = false;
    save.and(persist::user(&user_id)).and(render())
}

/// Registers this phone as a device of the logged-in user.
pub fn register(m: &mut Model) -> Command<Effect, Event> {
    let Some(s) = &m.session else {
        return Command::done();
    };
    let platform = match m.device_info.0.as_str() {
        "android" => Platform::Android,
        "ios" => Platform::Ios,
        _ => Platform::Other,
    };
    let app_version = Some(m.device_info.1.clone()).filter(|v| !v.is_empty());
    let body = serde_json::to_vec(&NewDevice {
        platform,
        app_version,
    })
    .unwrap_or_default();
    m.run.phase = Phase::Registering;
    send(
        Call::Register,
        net::request(
            "POST",
            &s.server,
            "/v1/devices",
            Some(&s.access),
            Some(body),
        ),
    )
}

fn registered(m: &mut Model, r: Reply<DeviceView>) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    match r {
        Reply::Ok(d) => {
            let id = d.device_id.to_string();
            if m.outbox.items.is_empty() {
                let notices = std::mem::take(&mut m.outbox.notices);
                let made = m.outbox.made;
                m.outbox = Outbox::for_device(id, d.last_applied);
                m.outbox.notices = notices;
                m.outbox.made = made;
            } else {
                m.outbox.move_to(id);
            }
            // A new device reads the rows afresh.
            m.meta = SyncMeta {
                reset: true,
                last_synced_ms: m.meta.last_synced_ms,
                ..SyncMeta::default()
            };
            persist::outbox(m)
                .and(persist::meta(m))
                .and(sync::kick(m))
                .and(render())
        }
        Reply::Unauthenticated => refresh(m),
        other => sync::failed(m, other),
    }
}

/// Swaps the refresh token for new tokens; the sync loop then starts over.
pub fn refresh(m: &mut Model) -> Command<Effect, Event> {
    let Some(s) = &m.session else {
        return Command::done();
    };
    let body = serde_json::to_vec(&RefreshRequest {
        refresh_token: s.refresh.clone(),
    })
    .unwrap_or_default();
    m.run.phase = Phase::Refreshing;
    send(
        Call::Refresh,
        net::request("POST", &s.server, "/v1/auth/refresh", None, Some(body)),
    )
}

fn refreshed(m: &mut Model, r: Reply<TokenResponse>) -> Command<Effect, Event> {
    m.run.phase = Phase::Idle;
    match r {
        Reply::Ok(t) => {
            if let Some(s) = &mut m.session {
                s.access = t.access_token;
                s.refresh = t.refresh_token;
            }
            persist::session(m).and(sync::kick(m))
        }
        Reply::Unauthenticated | Reply::Refused { .. } => {
            if let Some(s) = &mut m.session {
                s.expired = true;
                m.login.username = s.me.username.clone();
                m.login.server = s.server.clone();
            }
            m.run.problem = Some(Problem::LoginNeeded);
            persist::session(m).and(render())
        }
        other => sync::failed(m, other),
    }
}

/// Leaves the account, unless changes still wait to be sent: they would be
/// stranded.
pub fn logout(m: &mut Model) -> Command<Effect, Event> {
    if m.outbox.waiting() > 0 {
        m.toast = Some(format!(
            "{} changes still wait to be sent; log out after they are",
            m.outbox.waiting()
        ));
        return render();
    }
    m.session = None;
    m.forget_user();
    m.run = super::model::SyncRun::default();
    m.route = super::event::Route::Home;
    persist::session(m).and(render())
}
