//! What the core keeps on the phone, under which keys, and reading it back
//! on launch. Everything is JSON under one key per thing: the session, and
//! per user the queue, the sync position, the draft, the departments for
//! the co-handling picker, the photos waiting to upload (their bytes under
//! their own keys) and one key per cached row, so a pull writes only the
//! rows it changed.
//!
//! Write order keeps a crash harmless: rows before the cursor (a crash in
//! between re-reads changes, which a higher-revision rule makes idempotent),
//! and the queue whenever it changes (a crash before it loses nothing the
//! server has not acknowledged).

use super::cache::{CachedCase, CachedWatch, Touched};
use super::draft::Draft;
use super::effects::{Effect, StorageError};
use super::event::{Event, Lang};
use super::model::{Model, Session, SyncMeta};
use super::outbox::Outbox;
use super::photos::LocalPhoto;
use crate::wire::territory::DepartmentView;
use crux_core::Command;
use crux_core::command::CommandContext;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const SESSION: &str = "session";
pub const LANG: &str = "lang";

#[must_use]
pub fn user_prefix(user_id: &str) -> String {
    format!("u/{user_id}/")
}

#[must_use]
pub fn case_key(prefix: &str, id: &str) -> String {
    format!("{prefix}c/{id}")
}

#[must_use]
pub fn watch_key(prefix: &str, id: &str) -> String {
    format!("{prefix}w/{id}")
}

#[must_use]
pub fn photo_key(prefix: &str, id: &str) -> String {
    format!("{prefix}p/{id}")
}

/// One user's rows as read back.
#[derive(Debug, Default)]
pub struct UserData {
    pub outbox: Option<Outbox>,
    pub meta: Option<SyncMeta>,
    pub draft: Option<Draft>,
    pub photos: Option<Vec<LocalPhoto>>,
    pub departments: Option<Vec<DepartmentView>>,
    pub cases: Vec<(String, CachedCase)>,
    pub watches: Vec<(String, CachedWatch)>,
    /// Keys that could not be read (kept out of the model, reported).
    pub unreadable: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    /// Set when the launch read the session; absent after a login, which
    /// reads only the user's rows.
    pub session: Option<Option<Session>>,
    pub lang: Option<Lang>,
    pub user: Option<UserData>,
    pub error: Option<StorageError>,
}

type Ctx = CommandContext<Effect, Event>;

async fn read(ctx: &Ctx, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
    match ctx
        .request_from_shell(KeyValueOperation::Get { key: key.into() })
        .await
    {
        KeyValueResult::Ok {
            response: KeyValueResponse::Get { value },
        } => Ok(value.into()),
        KeyValueResult::Ok { response } => Err(StorageError(format!(
            "the storage answered {response:?} to reading {key}"
        ))),
        KeyValueResult::Err { error } => Err(StorageError(format!("reading {key}: {error}"))),
    }
}

async fn keys(ctx: &Ctx, prefix: &str) -> Result<Vec<String>, StorageError> {
    let mut out = Vec::new();
    let mut cursor = 0;
    loop {
        match ctx
            .request_from_shell(KeyValueOperation::ListKeys {
                prefix: prefix.into(),
                cursor,
            })
            .await
        {
            KeyValueResult::Ok {
                response: KeyValueResponse::ListKeys { keys, next_cursor },
            } => {
                out.extend(keys);
                if next_cursor == 0 {
                    return Ok(out);
                }
                cursor = next_cursor;
            }
            KeyValueResult::Ok { response } => {
                return Err(StorageError(format!(
                    "the storage answered {response:?} to listing {prefix}"
                )));
            }
            KeyValueResult::Err { error } => {
                return Err(StorageError(format!("listing {prefix}: {error}")));
            }
        }
    }
}

/// Reads a JSON value; an unreadable one is named in `unreadable`.
async fn json<T: DeserializeOwned>(
    ctx: &Ctx,
    key: &str,
    unreadable: &mut Vec<String>,
) -> Result<Option<T>, StorageError> {
    Ok(read(ctx, key).await?.and_then(|b| {
        serde_json::from_slice(&b)
            .map_err(|_| unreadable.push(key.to_owned()))
            .ok()
    }))
}

async fn user_data(ctx: &Ctx, prefix: &str) -> Result<UserData, StorageError> {
    let mut d = UserData::default();
    let mut bad = Vec::new();
    d.outbox = json(ctx, &format!("{prefix}outbox"), &mut bad).await?;
    d.meta = json(ctx, &format!("{prefix}sync"), &mut bad).await?;
    d.draft = json(ctx, &format!("{prefix}draft"), &mut bad).await?;
    d.photos = json(ctx, &format!("{prefix}photos"), &mut bad).await?;
    d.departments = json(ctx, &format!("{prefix}departments"), &mut bad).await?;
    for key in keys(ctx, &format!("{prefix}c/")).await? {
        if let Some(c) = json::<CachedCase>(ctx, &key, &mut bad).await? {
            d.cases.push((key[prefix.len() + 2..].to_owned(), c));
        }
    }
    for key in keys(ctx, &format!("{prefix}w/")).await? {
        if let Some(w) = json::<CachedWatch>(ctx, &key, &mut bad).await? {
            d.watches.push((key[prefix.len() + 2..].to_owned(), w));
        }
    }
    d.unreadable = bad;
    Ok(d)
}

/// On launch: the language, the session and its user's rows.
pub fn launch() -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let mut loaded = Loaded::default();
        let mut bad = Vec::new();
        let result: Result<(), StorageError> = async {
            loaded.lang = json(&ctx, LANG, &mut bad).await?;
            let session: Option<Session> = json(&ctx, SESSION, &mut bad).await?;
            if let Some(s) = &session {
                loaded.user = Some(user_data(&ctx, &user_prefix(&s.me.id)).await?);
            }
            loaded.session = Some(session);
            Ok(())
        }
        .await;
        loaded.error = result.err();
        ctx.send_event(Event::Loaded(Box::new(loaded)));
    })
}

/// After a login: that user's rows (another user's stay where they are).
pub fn user(user_id: &str) -> Command<Effect, Event> {
    let prefix = user_prefix(user_id);
    Command::new(|ctx| async move {
        let mut loaded = Loaded::default();
        match user_data(&ctx, &prefix).await {
            Ok(d) => loaded.user = Some(d),
            Err(e) => loaded.error = Some(e),
        }
        ctx.send_event(Event::Loaded(Box::new(loaded)));
    })
}

fn write(key: String, value: Vec<u8>) -> Command<Effect, Event> {
    super::effects::kv_set(key, value).then_send(|r| Event::Stored(r.map(|_| ())))
}

fn write_json(key: String, value: &impl Serialize) -> Command<Effect, Event> {
    match serde_json::to_vec(value) {
        Ok(b) => write(key, b),
        Err(e) => Command::event(Event::Stored(Err(StorageError(format!(
            "{key} could not be written: {e}"
        ))))),
    }
}

fn remove(key: String) -> Command<Effect, Event> {
    super::effects::kv_delete(key).then_send(|r| Event::Stored(r.map(|_| ())))
}

pub fn session(m: &Model) -> Command<Effect, Event> {
    match &m.session {
        Some(s) => write_json(SESSION.into(), s),
        None => remove(SESSION.into()),
    }
}

pub fn lang(m: &Model) -> Command<Effect, Event> {
    write_json(LANG.into(), &m.lang)
}

fn per_user(m: &Model, name: &str, value: &impl Serialize) -> Command<Effect, Event> {
    m.user_prefix()
        .map_or_else(Command::done, |p| write_json(format!("{p}{name}"), value))
}

pub fn outbox(m: &Model) -> Command<Effect, Event> {
    per_user(m, "outbox", &m.outbox)
}

pub fn meta(m: &Model) -> Command<Effect, Event> {
    per_user(m, "sync", &m.meta)
}

pub fn draft(m: &Model) -> Command<Effect, Event> {
    per_user(m, "draft", &m.draft)
}

pub fn photos(m: &Model) -> Command<Effect, Event> {
    per_user(m, "photos", &m.photos)
}

pub fn departments(m: &Model) -> Command<Effect, Event> {
    per_user(m, "departments", &m.departments)
}

pub fn photo_bytes(m: &Model, id: &str, bytes: Vec<u8>) -> Command<Effect, Event> {
    m.user_prefix()
        .map_or_else(Command::done, |p| write(photo_key(&p, id), bytes))
}

pub fn drop_photo_bytes(m: &Model, id: &str) -> Command<Effect, Event> {
    m.user_prefix()
        .map_or_else(Command::done, |p| remove(photo_key(&p, id)))
}

/// Writes (or removes) the rows a pull touched, then the sync position:
/// rows first, so a crash between them re-reads, never skips.
pub fn rows_then_meta(m: &Model, touched: &[Touched]) -> Command<Effect, Event> {
    let Some(p) = m.user_prefix() else {
        return Command::done();
    };
    let rows = Command::all(touched.iter().map(|t| match t {
        Touched::Case(id) => m.cache.cases.get(id).map_or_else(
            || remove(case_key(&p, id)),
            |c| write_json(case_key(&p, id), c),
        ),
        Touched::Watch(id) => m.cache.watches.get(id).map_or_else(
            || remove(watch_key(&p, id)),
            |w| write_json(watch_key(&p, id), w),
        ),
    }));
    rows.then(meta(m))
}
