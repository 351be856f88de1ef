//! What the simulated people do with their phones: grid workers walk their
//! grid and report what they find (a photo now and then), cadres work
//! through their inbox — sign for, start, resolve — and some of each lose
//! the network for a while.

use super::Tally;
use super::admin::GridPlace;
use crate::Phone;
use crate::hardware::jpeg;
use gridline_core::app::view::Screen;
use gridline_core::app::{ActionInput, DraftEdit, Event, Fix, Route};
use gridline_core::category::CATEGORIES;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio::time::Instant;

/// When a phone loses the network, if it does.
#[derive(Debug, Clone, Copy)]
pub struct Outage {
    pub after: Duration,
    pub length: Duration,
}

/// How one person behaves.
pub struct Script {
    pub phone: Phone,
    pub until: Instant,
    /// Mean pause between two things done.
    pub pace: Duration,
    pub outage: Option<Outage>,
    /// When a phone that lost the network gets it back.
    pub back_online: Option<Instant>,
    pub seed: u64,
    pub tally: Arc<Tally>,
}

impl Script {
    async fn pause(&mut self, rng: &mut StdRng, started: Instant) -> bool {
        let pace = self.pace.as_secs_f64();
        let wait = Duration::from_secs_f64(rng.random_range(pace * 0.5..pace * 1.5));
        let wake = (Instant::now() + wait).min(self.until);
        // The outage starts on time, or at the first pause after it when the
        // person was still busy (a slow server), and lasts its full length
        // either way: every phone loses the network exactly once.
        if let Some(o) = self.outage
            && wake >= started + o.after
        {
            tokio::time::sleep_until(started + o.after).await;
            self.phone.set_online(false);
            self.tally.outages.fetch_add(1, Relaxed);
            self.outage = None;
            self.back_online = Some(Instant::now() + o.length);
        }
        if let Some(up) = self.back_online
            && wake >= up
        {
            tokio::time::sleep_until(up).await;
            self.phone.set_online(true);
            self.back_online = None;
        }
        tokio::time::sleep_until(wake).await;
        Instant::now() < self.until
    }
}

/// Reports a case every so often from a point inside `place`, and mediates
/// what is theirs first (most disputes start with the grid worker): settles
/// it or passes it up to the village.
pub async fn grid_worker(mut s: Script, place: GridPlace) {
    let mut rng = StdRng::seed_from_u64(s.seed);
    let started = Instant::now();
    let mut photo_seed = s.seed.wrapping_mul(1000);
    while s.pause(&mut rng, started).await {
        work_inbox(&s, &mut rng, 0.4);
        let category = CATEGORIES[rng.random_range(0..CATEGORIES.len())];
        let (lon, lat) = near(&mut rng, &place);
        let p = &s.phone;
        p.hardware(|h| {
            h.stand_at(Fix {
                lat,
                lon,
                accuracy_m: rng.random_range(4.0..25.0),
                crs: "wgs84".into(),
            });
        });
        p.send(Event::Open {
            route: Route::NewReport,
        });
        p.send(Event::Draft {
            edit: DraftEdit::Category {
                code: category.code.into(),
            },
        });
        p.send(Event::Draft {
            edit: DraftEdit::Description {
                text: format!("{}：{}巡查发现，需村里处理", category.name_zh, place.name),
            },
        });
        p.send(Event::Draft {
            edit: DraftEdit::UseMyLocation,
        });
        if rng.random_bool(0.3) {
            photo_seed += 1;
            if let Ok(photo) = jpeg(320, 240, photo_seed) {
                p.hardware(|h| h.queue_photo(photo));
                p.send(Event::Draft {
                    edit: DraftEdit::TakePhoto,
                });
                s.tally.photos.fetch_add(1, Relaxed);
            }
        }
        let before = p.model(|m| m.outbox.next);
        p.send(Event::SubmitReport);
        if p.model(|m| m.outbox.next) > before {
            s.tally.reported.fetch_add(1, Relaxed);
        } else {
            // The form refused it (the toast says why): start over.
            s.tally.refused_forms.fetch_add(1, Relaxed);
            p.send(Event::DiscardDraft);
        }
    }
}

/// A point near the middle of the grid, jittered but inside it.
fn near(rng: &mut StdRng, place: &GridPlace) -> (f64, f64) {
    let (lon, lat) = place.inside;
    let p = (
        lon + rng.random_range(-0.002..0.002),
        lat + rng.random_range(-0.002..0.002),
    );
    if super::geometry::contains(&place.rings, p) {
        p
    } else {
        place.inside
    }
}

/// Works the inbox: each round, one step on each case that allows one.
pub async fn cadre(mut s: Script) {
    let mut rng = StdRng::seed_from_u64(s.seed);
    let started = Instant::now();
    while s.pause(&mut rng, started).await {
        work_inbox(&s, &mut rng, 0.1);
    }
}

/// One step on each case of the home list that allows one: sign for,
/// start, then resolve or (with chance `escalate`) pass it up a tier.
fn work_inbox(s: &Script, rng: &mut StdRng, escalate: f64) {
    let p = &s.phone;
    if !matches!(p.view().screen, Screen::Home(_)) {
        p.send(Event::Open { route: Route::Home });
    }
    let ids: Vec<String> = match p.view().screen {
        Screen::Home(h) => h
            .cases
            .into_iter()
            .filter(|c| !c.waiting && !c.conflict)
            .map(|c| c.id)
            .collect(),
        _ => return,
    };
    let t = &s.tally;
    for id in ids {
        p.send(Event::Open {
            route: Route::Case { id: id.clone() },
        });
        let (actions, outcome): (Vec<String>, String) = match p.view().screen {
            Screen::Case(d) => (
                d.actions.into_iter().map(|a| a.action).collect(),
                // The resolve form's first choice: mediated, or handled.
                d.outcomes
                    .into_iter()
                    .next()
                    .map(|c| c.code)
                    .unwrap_or_default(),
            ),
            _ => (Vec::new(), String::new()),
        };
        let has = |a: &str| actions.iter().any(|x| x == a);
        let step = if has("sign_for") {
            Some((ActionInput::SignFor, &t.signed))
        } else if has("start") {
            Some((ActionInput::Start, &t.started))
        } else if has("escalate") && rng.random_bool(escalate) {
            Some((
                ActionInput::Escalate {
                    reason: "调解未果，请上级协调".into(),
                },
                &t.escalated,
            ))
        } else if has("resolve") {
            Some((
                ActionInput::Resolve {
                    outcome,
                    summary: "上门处理，当事人认可".into(),
                },
                &t.resolved,
            ))
        } else {
            None
        };
        if let Some((input, count)) = step {
            p.send(Event::Act {
                case_id: id.clone(),
                input,
            });
            count.fetch_add(1, Relaxed);
        }
        p.send(Event::Back);
    }
}
