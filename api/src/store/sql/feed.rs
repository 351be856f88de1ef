//! Wake-ups for long polls: a counter that ticks after a logged change
//! commits. On SQLite every writer is in this process, so the writer ticks
//! it. On PostgreSQL other replicas write too: each logged transaction sends
//! a notice on [`CHANNEL`] that PostgreSQL delivers when it commits, and
//! every replica listens on a connection of its own and ticks on each one.

use super::StoreResult;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use tokio::sync::watch;

/// The PostgreSQL notification channel logged commits announce themselves on.
pub(super) const CHANNEL: &str = "gridline_changes";

#[derive(Debug, Clone)]
pub(super) struct ChangeFeed {
    ticks: Arc<watch::Sender<u64>>,
    /// The listening task, stopped when the last clone of the store goes.
    _listener: Option<Arc<Abort>>,
}

#[derive(Debug)]
struct Abort(tokio::task::JoinHandle<()>);

impl Drop for Abort {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl ChangeFeed {
    /// A feed only this process's writers tick.
    pub(super) fn local() -> Self {
        Self {
            ticks: Arc::new(watch::Sender::new(0)),
            _listener: None,
        }
    }

    /// A feed that also ticks on every notice any replica's commit sends.
    pub(super) async fn listening(url: &str) -> StoreResult<Self> {
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        let ticks = Arc::new(watch::Sender::<u64>::new(0));
        let sender = Arc::downgrade(&ticks);
        let task = tokio::spawn(async move {
            loop {
                // `Ok(None)`: the connection dropped and the listener will
                // reconnect on the next call. Notices sent meanwhile are
                // lost, so wake every poll to look again.
                let outcome = listener.try_recv().await;
                let Some(ticks) = sender.upgrade() else {
                    return;
                };
                ticks.send_modify(|n| *n = n.wrapping_add(1));
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "change notices: listener failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        });
        Ok(Self {
            ticks,
            _listener: Some(Arc::new(Abort(task))),
        })
    }

    pub(super) fn tick(&self) {
        self.ticks.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(super) fn subscribe(&self) -> watch::Receiver<u64> {
        self.ticks.subscribe()
    }
}
