//! What the user makes on the phone: the draft's edits, a submitted report,
//! an action on a case, a visit. Each goes into the queue with an id made
//! on the phone, and the sync loop takes it from there.

use super::backoff;
use super::draft::{DraftLocation, DraftParty, DraftProblem, MAX_PHOTOS};
use super::effects::{self, Effect, Fix, LocationResult, PhotoOperation, PhotoResult};
use super::event::{ActionInput, DraftEdit, Event, Route};
use super::model::{Model, Pending};
use super::outbox::Subject;
use super::photos::{self, LocalPhoto};
use super::{persist, sync};
use crate::case::{Action, Channel, Outcome, Remark};
use crate::time::Instant;
use crate::{CaseId, Role};
use crux_core::Command;
use crux_core::render::render;
use uuid::Uuid;

/// How long the phone may look for a fix.
pub const FIX_TIMEOUT_MS: u32 = 15_000;

/// A UUIDv7 made on the phone: the clock's milliseconds, then bits drawn
/// from the device and a counter kept with the queue, so two ids from one
/// phone never collide and two phones' ids almost surely do not.
pub fn new_id(m: &mut Model) -> Uuid {
    m.outbox.made += 1;
    let who = m
        .outbox
        .device
        .clone()
        .or_else(|| m.session.as_ref().map(|s| s.me.id.clone()))
        .unwrap_or_default();
    let seed = backoff::seed_of(&who);
    let a = backoff::mix(seed ^ m.outbox.made);
    let b = backoff::mix(a ^ 0x5DEE_CE66_D1CE_4E5B);
    let mut rand = [0u8; 10];
    rand[..8].copy_from_slice(&a.to_le_bytes());
    rand[8..].copy_from_slice(&b.to_le_bytes()[..2]);
    let ms = u64::try_from(m.now_ms.unwrap_or(0).max(0)).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &rand).into_uuid()
}

pub fn edit_draft(m: &mut Model, edit: DraftEdit) -> Command<Effect, Event> {
    let d = &mut m.draft;
    d.problem = None;
    let ask = match edit {
        DraftEdit::Category { code } => {
            d.category = Some(code);
            None
        }
        DraftEdit::Description { text } => {
            d.description = text;
            None
        }
        DraftEdit::UseMyLocation => {
            d.locating = true;
            Some(effects::location(FIX_TIMEOUT_MS).then_send(Event::Located))
        }
        DraftEdit::Pin { lat, lon, crs } => {
            d.location = Some(DraftLocation {
                lat,
                lon,
                crs,
                accuracy_m: None,
            });
            None
        }
        DraftEdit::AddParty {
            name,
            side,
            phone,
            id_number,
        } => {
            d.parties.push(DraftParty {
                name,
                side,
                phone,
                id_number,
            });
            None
        }
        DraftEdit::RemoveParty { index } => {
            let i = index as usize;
            if i < d.parties.len() {
                d.parties.remove(i);
            }
            None
        }
        DraftEdit::PeopleAffected { count } => {
            d.people_affected = count;
            None
        }
        DraftEdit::AmountYuan { amount } => {
            d.amount_yuan = amount;
            None
        }
        DraftEdit::TakePhoto | DraftEdit::PickPhoto if d.photos.len() >= MAX_PHOTOS => {
            d.problem = Some(DraftProblem::TooManyPhotos);
            None
        }
        DraftEdit::TakePhoto => {
            Some(effects::photo(PhotoOperation::Take).then_send(Event::Photographed))
        }
        DraftEdit::PickPhoto => {
            Some(effects::photo(PhotoOperation::Pick).then_send(Event::Photographed))
        }
        DraftEdit::RemovePhoto { index } => {
            let i = index as usize;
            if i < d.photos.len() {
                let p = d.photos.remove(i);
                let gone = persist::drop_photo_bytes(m, &p.id);
                return persist::draft(m).and(gone).and(render());
            }
            None
        }
    };
    persist::draft(m)
        .and(ask.unwrap_or_else(Command::done))
        .and(render())
}

pub fn located(m: &mut Model, r: LocationResult) -> Command<Effect, Event> {
    m.draft.locating = false;
    match r {
        LocationResult::Fix(Fix {
            lat,
            lon,
            accuracy_m,
            crs,
        }) => {
            m.draft.location = Some(DraftLocation {
                lat,
                lon,
                crs,
                accuracy_m: Some(accuracy_m),
            });
        }
        LocationResult::Denied => {
            m.draft.problem = Some(DraftProblem::Location {
                why: "location access is off for this app; set a pin on the map".into(),
            });
        }
        LocationResult::Unavailable { reason } => {
            m.draft.problem = Some(DraftProblem::Location { why: reason });
        }
    }
    persist::draft(m).and(render())
}

pub fn photographed(m: &mut Model, r: PhotoResult) -> Command<Effect, Event> {
    let (bytes, mime) = match r {
        PhotoResult::Photo { bytes, mime } => (bytes, mime),
        PhotoResult::Cancelled => return render(),
        PhotoResult::Failed { reason } => {
            m.draft.problem = Some(DraftProblem::Photo { why: reason });
            return render();
        }
    };
    if m.draft.photos.len() >= MAX_PHOTOS {
        m.draft.problem = Some(DraftProblem::TooManyPhotos);
        return render();
    }
    if let Err(why) = photos::check(&bytes, &mime) {
        m.draft.problem = Some(DraftProblem::Photo { why });
        return render();
    }
    let id = new_id(m).to_string();
    let photo = LocalPhoto {
        id: id.clone(),
        sha256: photos::sha256_hex(&bytes),
        bytes: bytes.len() as u64,
        mime,
        case: None,
    };
    m.draft.photos.push(photo);
    // The bytes first: a draft never names a photo the phone lacks.
    persist::photo_bytes(m, &id, bytes)
        .then(persist::draft(m))
        .and(persist::outbox(m))
        .and(render())
}

/// Asks the clock, then makes the thing (its time goes with it).
pub fn at_now(p: Pending) -> Command<Effect, Event> {
    effects::now().then_send(move |t| Event::Clock(Box::new(p), t))
}

/// The clock answered for something waiting on it.
pub fn clocked(m: &mut Model, p: Pending, t: Option<i64>) -> Command<Effect, Event> {
    if let Some(t) = t {
        m.now_ms = Some(t);
    }
    let device_time = Instant(m.now_ms.unwrap_or(0)).to_string();
    match p {
        Pending::Tick => render(),
        Pending::Synced => {
            m.meta.last_synced_ms = m.now_ms;
            persist::meta(m).and(render())
        }
        Pending::Report => submit(m, device_time),
        Pending::Act { case_id, input } => act(m, &case_id, input, device_time),
        Pending::Visit { watch_id, note } => visit(m, &watch_id, &note, device_time),
    }
}

fn submit(m: &mut Model, device_time: String) -> Command<Effect, Event> {
    let channel = if super::view::cases::role(m) == Some(Role::Resident) {
        Channel::ResidentApp
    } else {
        Channel::GridPatrol
    };
    let id = CaseId::from_uuid(new_id(m));
    let new = match m.draft.to_new_case(id, channel) {
        Ok(n) => n,
        Err(p) => {
            m.draft.problem = Some(p);
            return persist::outbox(m).and(render());
        }
    };
    let args = serde_json::to_value(&new).unwrap_or_default();
    let case = id.to_string();
    m.outbox.add(
        "case.create@1",
        args,
        device_time,
        Subject::Case(case.clone()),
    );
    let mut taken = std::mem::take(&mut m.draft.photos);
    for p in &mut taken {
        p.case = Some(case.clone());
    }
    m.photos.extend(taken);
    m.draft = super::draft::Draft::default();
    m.back.push(Route::Home);
    m.route = Route::Case { id: case };
    // The queue first: once it holds the report, the draft may go.
    persist::outbox(m)
        .then(persist::photos(m).and(persist::draft(m)))
        .and(sync::kick(m))
        .and(render())
}

fn remark(s: &str, what: &str) -> Result<Remark, String> {
    Remark::parse(s).map_err(|e| format!("{what}: {e}"))
}

fn action_of(input: &ActionInput, now_ms: i64) -> Result<Action, String> {
    Ok(match input {
        ActionInput::SignFor => Action::SignFor,
        ActionInput::Start => Action::Start,
        ActionInput::Note { text } => Action::Note {
            text: remark(text, "note")?,
        },
        ActionInput::RequestCoHandling { units, task, days } => Action::RequestCoHandling {
            units: units
                .iter()
                .map(|u| u.parse().map_err(|e| format!("{e}")))
                .collect::<Result<_, _>>()?,
            task: remark(task, "task")?,
            deadline: Instant(now_ms + i64::from((*days).max(1)) * 86_400_000),
        },
        ActionInput::Resolve { outcome, summary } => Action::Resolve {
            outcome: serde_json::from_value::<Outcome>(serde_json::Value::String(outcome.clone()))
                .map_err(|_| format!("outcome {outcome:?} is not one of the outcomes"))?,
            summary: remark(summary, "summary")?,
        },
        ActionInput::Escalate { reason } => Action::Escalate {
            reason: remark(reason, "reason")?,
        },
        ActionInput::Return { reason } => Action::Return {
            reason: remark(reason, "reason")?,
        },
        ActionInput::Rate { stars, comment } => {
            if !(1..=5).contains(stars) {
                return Err(format!("{stars} stars: give 1 to 5"));
            }
            Action::Rate {
                stars: *stars,
                comment: if comment.trim().is_empty() {
                    None
                } else {
                    Some(remark(comment, "comment")?)
                },
            }
        }
    })
}

fn act(
    m: &mut Model,
    case_id: &str,
    input: ActionInput,
    device_time: String,
) -> Command<Effect, Event> {
    let Ok(case) = case_id.parse::<CaseId>() else {
        m.toast = Some(format!("case {case_id:?} is not a case id"));
        return render();
    };
    let action = match action_of(&input, m.now_ms.unwrap_or(0)) {
        Ok(a) => a,
        Err(e) => {
            m.toast = Some(e);
            return render();
        }
    };
    // The status the user saw: if the case has moved on by the time this
    // arrives, the server records a conflict instead of doing it anyway.
    let from = super::view::cases::shown_status(m, case_id);
    let args = serde_json::json!({ "case": case, "from": from, "action": action });
    m.outbox.add(
        "case.act@1",
        args,
        device_time,
        Subject::Case(case_id.to_owned()),
    );
    persist::outbox(m).and(sync::kick(m)).and(render())
}

fn visit(m: &mut Model, watch_id: &str, note: &str, device_time: String) -> Command<Effect, Event> {
    let note = match remark(note, "visit note") {
        Ok(n) => n,
        Err(e) => {
            m.toast = Some(e);
            return render();
        }
    };
    let at = Instant(m.now_ms.unwrap_or(0));
    let args = serde_json::json!({ "watch": watch_id, "note": note, "at": at });
    m.outbox.add(
        "watch.visit@1",
        args,
        device_time,
        Subject::Watch(watch_id.to_owned()),
    );
    if m.route
        == (Route::Visit {
            watch_id: watch_id.to_owned(),
        })
    {
        m.route = m.back.pop().unwrap_or_default();
    }
    persist::outbox(m).and(sync::kick(m)).and(render())
}
