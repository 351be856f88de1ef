//! One phone: the core that ships in the apps, and a shell that carries out
//! every effect it asks for — HTTP over the network, storage in files, the
//! clock and timers, the location service and the camera from a script.
//!
//! The core runs as crux's `Core` runs it (one root command; events from
//! commands fed back through `update`), with the model held here so a test
//! can look at what the phone holds. Answers arrive from tasks (an HTTP
//! exchange, a timer) which resolve their request and wake the phone.

use crate::hardware::Hardware;
use crate::network::Network;
use crate::store::FileStore;
use crux_core::{App, Command};
use crux_time::{Instant as CruxInstant, TimeRequest, TimeResponse};
use gridline_core::app::{Effect, Event, Gridline, Model, ViewModel};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How a phone is set up.
#[derive(Debug, Clone)]
pub struct PhoneOptions {
    /// Where its storage lives; the same folder again is the same phone after
    /// the app was killed.
    pub dir: PathBuf,
    /// Timers run this much faster than asked (10.0: the 5-minute idle
    /// retry comes after 30 s). The clock itself stays the real one.
    pub speed: f64,
    pub app_version: String,
}

impl PhoneOptions {
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            speed: 1.0,
            app_version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    #[must_use]
    pub fn speed(mut self, speed: f64) -> Self {
        self.speed = speed.max(1e-3);
        self
    }
}

/// The phone did not reach what was waited for in time.
#[derive(Debug)]
pub struct Stuck(pub String);

impl std::fmt::Display for Stuck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Stuck {}

struct Runtime {
    app: Gridline,
    model: Model,
    root: Command<Effect, Event>,
}

struct Shared {
    rt: Mutex<Runtime>,
    view: watch::Sender<ViewModel>,
    store: FileStore,
    net: Network,
    hardware: Mutex<Hardware>,
    timers: Mutex<HashMap<usize, tokio::task::AbortHandle>>,
    tasks: Mutex<JoinSet<()>>,
    speed: f64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take every later call down with it.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A phone running Gridline. Cloning gives another handle to the same phone.
#[derive(Clone)]
pub struct Phone {
    shared: Arc<Shared>,
}

impl Phone {
    /// Launches the app (reading what its storage holds) and brings it to
    /// the foreground. Must be called inside a tokio runtime.
    pub fn launch(opts: &PhoneOptions) -> anyhow::Result<Self> {
        let shared = Arc::new(Shared {
            rt: Mutex::new(Runtime {
                app: Gridline,
                model: Model::default(),
                root: Command::done(),
            }),
            view: watch::Sender::new(ViewModel::default()),
            store: FileStore::open(&opts.dir)?,
            net: Network::new()?,
            hardware: Mutex::new(Hardware::default()),
            timers: Mutex::new(HashMap::new()),
            tasks: Mutex::new(JoinSet::new()),
            speed: opts.speed,
        });
        let phone = Self { shared };
        phone.send(Event::Start {
            platform: "headless".into(),
            app_version: opts.app_version.clone(),
        });
        phone.send(Event::Foreground);
        Ok(phone)
    }

    /// What the user (or the platform) does.
    pub fn send(&self, event: Event) {
        Shared::event(&self.shared, event);
    }

    #[must_use]
    pub fn view(&self) -> ViewModel {
        self.shared.view.borrow().clone()
    }

    /// A look at what the core holds (the queue, the cached rows).
    pub fn model<R>(&self, f: impl FnOnce(&Model) -> R) -> R {
        f(&lock(&self.shared.rt).model)
    }

    /// The location service and the camera.
    pub fn hardware<R>(&self, f: impl FnOnce(&mut Hardware) -> R) -> R {
        f(&mut lock(&self.shared.hardware))
    }

    /// Flight mode on (false) or off (true). Coming back online, the shell
    /// tells the core, as the platforms' connectivity callbacks do.
    pub fn set_online(&self, on: bool) {
        if self.shared.net.set_online(on) && on {
            self.send(Event::SyncNow);
        }
    }

    #[must_use]
    pub fn online(&self) -> bool {
        self.shared.net.online()
    }

    #[must_use]
    pub fn storage(&self) -> &FileStore {
        &self.shared.store
    }

    /// Waits until `done` holds for the view and the model, re-checking on
    /// every render and every 100 ms; `Stuck` with `what` and the last view
    /// after `limit`.
    pub async fn until(
        &self,
        what: &str,
        limit: Duration,
        done: impl Fn(&ViewModel, &Model) -> bool,
    ) -> Result<ViewModel, Stuck> {
        let mut renders = self.shared.view.subscribe();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let v = self.view();
            if self.model(|m| done(&v, m)) {
                return Ok(v);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Stuck(format!(
                    "waited {limit:?} for {what}; the phone shows {:?}, sync: {:?}",
                    v.screen, v.sync
                )));
            }
            let tick = tokio::time::sleep(Duration::from_millis(100));
            tokio::select! {
                _ = renders.changed() => {}
                () = tick => {}
            }
        }
    }

    /// The app is killed: everything under way stops, memory is gone, the
    /// storage stays for the next [`Phone::launch`] on the same folder.
    pub fn kill(self) {
        lock(&self.shared.tasks).abort_all();
        lock(&self.shared.timers).clear();
        let mut rt = lock(&self.shared.rt);
        rt.root = Command::done();
        rt.model = Model::default();
    }
}

impl Shared {
    fn event(this: &Arc<Self>, event: Event) {
        let effects = {
            let mut rt = lock(&this.rt);
            let Runtime { app, model, root } = &mut *rt;
            let cmd = app.update(event, model);
            root.spawn(|ctx| cmd.into_future(ctx));
            Self::process(&mut rt)
        };
        Self::dispatch(this, effects);
    }

    /// A request was resolved by a task: run what it unblocked.
    fn wake(this: &Arc<Self>) {
        let effects = Self::process(&mut lock(&this.rt));
        Self::dispatch(this, effects);
    }

    /// Runs the root command until it waits on the shell; events it emits
    /// go through `update` first, as crux's `Core` does.
    fn process(rt: &mut Runtime) -> Vec<Effect> {
        let mut events: VecDeque<Event> = rt.root.events().collect();
        while let Some(ev) = events.pop_front() {
            let Runtime { app, model, root } = &mut *rt;
            let cmd = app.update(ev, model);
            root.spawn(|ctx| cmd.into_future(ctx));
            events.extend(rt.root.events());
        }
        rt.root.effects().collect()
    }

    fn dispatch(this: &Arc<Self>, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            // Answers given at once (storage, the clock, the hardware)
            // unblock more work here; answers that take time come from tasks.
            let answered = match effect {
                Effect::Render(_) => {
                    let v = {
                        let rt = lock(&this.rt);
                        rt.app.view(&rt.model)
                    };
                    this.view.send_replace(v);
                    false
                }
                Effect::KeyValue(mut r) => {
                    let out = this.store.run(r.operation.clone());
                    r.resolve(out).is_ok()
                }
                Effect::Time(r) => Self::time(this, r),
                Effect::Http(mut r) => {
                    let req = r.operation.clone();
                    let me = Arc::clone(this);
                    Self::spawn(this, async move {
                        let out = me.net.send(req).await;
                        if r.resolve(out).is_ok() {
                            Self::wake(&me);
                        }
                    });
                    false
                }
                Effect::Location(mut r) => {
                    let fix = lock(&this.hardware).next_fix();
                    r.resolve(fix).is_ok()
                }
                Effect::Photo(mut r) => {
                    let photo = lock(&this.hardware).next_photo();
                    r.resolve(photo).is_ok()
                }
            };
            if answered {
                queue.extend(Self::process(&mut lock(&this.rt)));
            }
        }
    }

    fn time(this: &Arc<Self>, mut r: crux_core::Request<TimeRequest>) -> bool {
        match r.operation.clone() {
            TimeRequest::Now => {
                let instant = CruxInstant::from(SystemTime::now());
                r.resolve(TimeResponse::Now { instant }).is_ok()
            }
            TimeRequest::NotifyAfter { id, duration } => {
                let d: Duration = duration.into();
                Self::timer(this, id, d, TimeResponse::DurationElapsed { id }, r);
                false
            }
            TimeRequest::NotifyAt { id, instant } => {
                let at: SystemTime = instant.into();
                let d = at
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO);
                Self::timer(this, id, d, TimeResponse::InstantArrived { id }, r);
                false
            }
            TimeRequest::Clear { id } => {
                if let Some(h) = lock(&this.timers).remove(&id.0) {
                    h.abort();
                }
                r.resolve(TimeResponse::Cleared { id }).is_ok()
            }
        }
    }

    fn timer(
        this: &Arc<Self>,
        id: crux_time::TimerId,
        after: Duration,
        answer: TimeResponse,
        mut r: crux_core::Request<TimeRequest>,
    ) {
        let me = Arc::clone(this);
        let scaled = after.div_f64(this.speed);
        let h = Self::spawn(this, async move {
            tokio::time::sleep(scaled).await;
            lock(&me.timers).remove(&id.0);
            if r.resolve(answer).is_ok() {
                Self::wake(&me);
            }
        });
        if let Some(old) = lock(&this.timers).insert(id.0, h) {
            old.abort();
        }
    }

    fn spawn(
        this: &Arc<Self>,
        task: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> tokio::task::AbortHandle {
        let mut tasks = lock(&this.tasks);
        while tasks.try_join_next().is_some() {}
        tasks.spawn(task)
    }
}
