//! Where a store's statements run. Outside a batch each statement takes a
//! connection from the pool and each write opens its own transaction. In a
//! batch (one push) on SQLite every statement runs in the batch's one
//! transaction, and each write is a savepoint in it: a write that fails or
//! is abandoned undoes only itself, and the batch commits, durably, once.
//!
//! On PostgreSQL a batch does not pin a transaction: each write still
//! commits on its own. A transaction held across a push would keep every
//! row it wrote locked, the log's sequencer row among them, until the end;
//! a writer outside the push that locked a case first and then waits for
//! the sequencer would deadlock with it. SQLite cannot deadlock that way:
//! the batch takes the database's one write lock before its first write.

use super::{Backend, SqlStore, StoreError, StoreResult};
use crate::store::{Batch, Store};
use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Executor, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

/// The savepoint each write in a batch runs in (writes never nest).
const SAVEPOINT: &str = "gridline_write";

/// A batch's transaction, shared by the clones of the store that run in it.
#[derive(Debug)]
pub(super) struct Pinned {
    /// `None` once committed.
    tx: Arc<Mutex<Option<Transaction<'static, Any>>>>,
    /// A write's savepoint was left without being released: roll back to
    /// it before the next statement.
    undo: AtomicBool,
    /// A logged change was written: wake the long polls after the commit.
    changed: AtomicBool,
    /// The batch's turn to write, given up when it commits (or, dropped,
    /// when the last clone of its store goes).
    turn: std::sync::Mutex<Option<WriteTurn>>,
}

impl Pinned {
    /// The batch's connection, with any abandoned write undone first. A
    /// batch runs one statement at a time: a second caller at once is a bug
    /// (it would wait for ever on SQLite's write lock), refused here.
    async fn lock(
        self: &Arc<Self>,
    ) -> StoreResult<OwnedMappedMutexGuard<Option<Transaction<'static, Any>>, AnyConnection>> {
        let mut guard: OwnedMutexGuard<_> = self
            .tx
            .clone()
            .try_lock_owned()
            .map_err(|_| StoreError::Misuse("two statements at once in one batch"))?;
        if self.undo.swap(false, Ordering::SeqCst)
            && let Some(tx) = guard.as_mut()
        {
            tx.execute(format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}").as_str())
                .await?;
            tx.execute(format!("RELEASE SAVEPOINT {SAVEPOINT}").as_str())
                .await?;
        }
        OwnedMutexGuard::try_map(guard, |tx| tx.as_deref_mut())
            .map_err(|_| StoreError::Misuse("statement in a batch already committed"))
    }
}

/// The connection one statement runs on; see [`SqlStore::conn`].
pub(super) enum Conn {
    Pool(PoolConnection<Any>),
    Batch(OwnedMappedMutexGuard<Option<Transaction<'static, Any>>, AnyConnection>),
}

impl Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Self::Pool(c) => c,
            Self::Batch(c) => c,
        }
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Self::Pool(c) => c,
            Self::Batch(c) => c,
        }
    }
}

/// A write's transaction: its own, or its savepoint in a batch. Dropped
/// without [`Tx::commit`], what it wrote is undone.
pub(super) struct Tx(TxKind);

enum TxKind {
    /// With this process's turn to write (SQLite writes only).
    Own(Transaction<'static, Any>, Option<WriteTurn>),
    Savepoint(Savepoint),
}

/// A writer's turn at SQLite's one write lock, held until its transaction
/// ends. Writers in this process queue for it in order and are woken as
/// soon as it is free, rather than each polling the lock with SQLite's
/// busy handler, which sleeps between tries (up to 100 ms) and lets a
/// late writer overtake one that has waited longer.
pub(super) type WriteTurn = OwnedMutexGuard<()>;

struct Savepoint {
    conn: OwnedMappedMutexGuard<Option<Transaction<'static, Any>>, AnyConnection>,
    pinned: Arc<Pinned>,
    released: bool,
}

impl Drop for Savepoint {
    fn drop(&mut self) {
        if !self.released {
            self.pinned.undo.store(true, Ordering::SeqCst);
        }
    }
}

impl Tx {
    pub(super) async fn commit(self) -> StoreResult<()> {
        match self.0 {
            TxKind::Own(tx, turn) => {
                tx.commit().await?;
                drop(turn);
            }
            TxKind::Savepoint(mut s) => {
                s.conn
                    .execute(format!("RELEASE SAVEPOINT {SAVEPOINT}").as_str())
                    .await?;
                s.released = true;
            }
        }
        Ok(())
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            TxKind::Own(tx, _) => tx,
            TxKind::Savepoint(s) => &s.conn,
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            TxKind::Own(tx, _) => tx,
            TxKind::Savepoint(s) => &mut s.conn,
        }
    }
}

impl SqlStore {
    /// The connection for one statement: bind it for that statement only
    /// (`.fetch_one(&mut *self.conn().await?)`), never across a call to
    /// another of the store's methods.
    pub(super) async fn conn(&self) -> StoreResult<Conn> {
        Ok(match &self.pinned {
            None => Conn::Pool(self.pool.acquire().await?),
            Some(p) => Conn::Batch(p.lock().await?),
        })
    }

    /// A write's transaction, begun with `begin` on a pooled connection
    /// (after waiting for this process's turn to write, if `write`) or as a
    /// savepoint in the batch.
    pub(super) async fn begin_with(&self, begin: &'static str, write: bool) -> StoreResult<Tx> {
        Ok(Tx(match &self.pinned {
            None => {
                let turn = match (&self.write_gate, write) {
                    (Some(gate), true) => Some(gate.clone().lock_owned().await),
                    _ => None,
                };
                TxKind::Own(self.pool.begin_with(begin).await?, turn)
            }
            Some(p) => {
                let mut conn = p.lock().await?;
                conn.execute(format!("SAVEPOINT {SAVEPOINT}").as_str())
                    .await?;
                TxKind::Savepoint(Savepoint {
                    conn,
                    pinned: p.clone(),
                    released: false,
                })
            }
        }))
    }

    /// A logged change was written: wake this replica's long polls now, or
    /// once the batch it is in commits.
    pub(super) fn changed(&self) {
        match &self.pinned {
            None => self.feed.tick(),
            Some(p) => p.changed.store(true, Ordering::SeqCst),
        }
    }

    /// Opens a batch: on SQLite a clone of this store whose statements all
    /// run in one transaction, holding the write lock from the start; on
    /// PostgreSQL this store as it is (see the module's note).
    pub(super) async fn open_batch(&self) -> StoreResult<Box<dyn Batch>> {
        if self.backend == Backend::Postgres {
            return Ok(Box::new(Unpinned(Arc::new(self.clone()))));
        }
        Ok(Box::new(self.pin().await?))
    }

    /// The SQLite batch: this store pinned to one transaction.
    async fn pin(&self) -> StoreResult<SqlBatch> {
        let TxKind::Own(tx, turn) = self.begin_exclusive().await?.0 else {
            return Err(StoreError::Misuse("a batch opened inside a batch"));
        };
        let pinned = Arc::new(Pinned {
            tx: Arc::new(Mutex::new(Some(tx))),
            turn: std::sync::Mutex::new(turn),
            undo: AtomicBool::new(false),
            changed: AtomicBool::new(false),
        });
        let store = Self {
            pinned: Some(pinned.clone()),
            ..self.clone()
        };
        Ok(SqlBatch {
            store: Arc::new(store),
            pinned,
        })
    }
}

/// A batch on PostgreSQL: every write has already committed.
struct Unpinned(Arc<SqlStore>);

#[async_trait]
impl Batch for Unpinned {
    fn store(&self) -> Arc<dyn Store> {
        self.0.clone()
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        Ok(())
    }
}

struct SqlBatch {
    store: Arc<SqlStore>,
    pinned: Arc<Pinned>,
}

#[async_trait]
impl Batch for SqlBatch {
    fn store(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        // Undo an abandoned write first, then take the transaction out.
        drop(self.pinned.lock().await?);
        let tx = self
            .pinned
            .tx
            .try_lock()
            .map_err(|_| StoreError::Misuse("a batch committed while in use"))?
            .take()
            .ok_or(StoreError::Misuse("a batch committed twice"))?;
        tx.commit().await?;
        if let Ok(mut turn) = self.pinned.turn.lock() {
            turn.take();
        }
        if self.pinned.changed.load(Ordering::SeqCst) {
            self.store.feed.tick();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store(dir: &tempfile::TempDir) -> SqlStore {
        let store = SqlStore::open(&dir.path().join("gridline.db"))
            .await
            .expect("open");
        store.migrate().await.expect("migrate");
        store
    }

    /// Writes `key` in a write transaction of `s`, committed or abandoned.
    async fn write(s: &SqlStore, key: &str, commit: bool) {
        let mut tx = s.begin_exclusive().await.expect("begin");
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, 'v')")
            .bind(key)
            .execute(&mut *tx)
            .await
            .expect("insert");
        if commit {
            tx.commit().await.expect("release");
        }
    }

    async fn has(s: &SqlStore, key: &str) -> bool {
        s.meta(key).await.expect("meta").is_some()
    }

    #[tokio::test]
    async fn a_batch_keeps_what_it_released_undoes_what_it_abandoned_and_shows_nothing_before_its_commit()
     {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let batch = store.pin().await.expect("batch");
        let inside = batch.store.clone();
        inside.meta_or_insert("plain", "v").await.expect("plain");
        write(&inside, "released", true).await;
        write(&inside, "abandoned", false).await;
        write(&inside, "after", true).await;
        assert!(has(&inside, "plain").await && has(&inside, "released").await);
        assert!(
            !has(&inside, "abandoned").await,
            "an abandoned write is undone"
        );
        assert!(has(&inside, "after").await, "a write after it stands");
        assert!(
            !has(&store, "released").await,
            "nothing shows before the commit"
        );
        Box::new(batch).commit().await.expect("commit");
        for key in ["plain", "released", "after"] {
            assert!(has(&store, key).await, "{key} committed");
        }
        assert!(!has(&store, "abandoned").await);
    }

    #[tokio::test]
    async fn a_batch_dropped_without_its_commit_leaves_nothing_and_frees_the_write_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let batch = store.pin().await.expect("batch");
        write(&batch.store, "lost", true).await;
        drop(batch);
        write(&store, "next", true).await;
        assert!(
            !has(&store, "lost").await,
            "an uncommitted batch leaves nothing"
        );
        assert!(has(&store, "next").await);
    }

    #[tokio::test]
    async fn a_second_statement_while_a_write_is_open_in_a_batch_is_refused_not_left_waiting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir).await;
        let batch = store.pin().await.expect("batch");
        let tx = batch.store.begin_exclusive().await.expect("begin");
        let err = batch.store.meta("k").await.expect_err("refused");
        assert!(matches!(err, StoreError::Misuse(_)), "{err}");
        drop(tx);
        assert!(!has(&batch.store, "k").await, "usable again once it ends");
    }
}
