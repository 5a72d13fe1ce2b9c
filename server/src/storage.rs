//! Events: the live state of each one, and the [`EventStore`] that holds them.
//!
//! Per event the engine keeps only its id, its file version, its log, two
//! timestamps and, as a cache, the outcomes of the last change. The store is
//! an interface with two implementations: [`MemoryEventStore`] (tests, and
//! nothing kept across a restart) and [`crate::durable::SqliteEventStore`]
//! (the embedded database). A shared database serving several engine nodes
//! would be a third.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use runtime::evaluator::Entry;
use serde_json::value::RawValue;
use time::OffsetDateTime;
use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;

use crate::error::ApiError;
use crate::loader::LoadedWorkbook;

/// The state of an event after a completed change.
#[derive(Debug)]
pub struct Snapshot {
    pub log: Vec<Entry>,
    /// The `OUT` data for `log`, already rendered as JSON.
    pub outcomes: Box<RawValue>,
}

/// The last call that named an event, on both clocks.
#[derive(Clone, Copy, Debug)]
struct Access {
    /// Monotonic, for the idle timer (and pausable in tests).
    at: Instant,
    /// Wall clock, for descriptions.
    wall: OffsetDateTime,
}

/// One live event.
pub struct LiveEvent {
    pub id: String,
    pub file_id: u64,
    pub file_version: u32,
    /// The workbook of `file_version`, kept even if the file is replaced or deleted.
    pub workbook: Arc<LoadedWorkbook>,
    pub created: OffsetDateTime,
    /// Held by the one change being applied. Changes take it with `try_lock`,
    /// so a second change answers `CIP` instead of queueing.
    change: Arc<tokio::sync::Mutex<()>>,
    /// What reads see: replaced whole by each completed change, so a read
    /// only clones an `Arc` and never waits for a change in progress.
    snapshot: RwLock<Arc<Snapshot>>,
    access: Mutex<Access>,
    /// Set under the change lock by release, so a change that looked the
    /// event up before the release cannot apply afterwards.
    released: AtomicBool,
}

impl LiveEvent {
    /// A new event whose log is `snapshot` (normally empty).
    pub fn new(
        id: String,
        file_id: u64,
        file_version: u32,
        workbook: Arc<LoadedWorkbook>,
        snapshot: Snapshot,
    ) -> LiveEvent {
        let wall = OffsetDateTime::now_utc();
        LiveEvent {
            id,
            file_id,
            file_version,
            workbook,
            created: wall,
            change: Arc::new(tokio::sync::Mutex::new(())),
            snapshot: RwLock::new(Arc::new(snapshot)),
            access: Mutex::new(Access { at: Instant::now(), wall }),
            released: AtomicBool::new(false),
        }
    }

    /// The same event as recovered from storage: created at `created`, last
    /// named at `last_access`, and already idle for `idle` of engine
    /// running time, so its idle clock goes on from where it stopped.
    pub fn resumed(
        mut self,
        created: OffsetDateTime,
        last_access: OffsetDateTime,
        idle: Duration,
    ) -> LiveEvent {
        let now = Instant::now();
        let at = now.checked_sub(idle).unwrap_or(now);
        self.created = created;
        self.access = Mutex::new(Access { at, wall: last_access });
        self
    }

    /// The state after the last completed change.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // Writers only swap an Arc under this lock and cannot panic while
        // holding it, so a poisoned lock still holds a whole snapshot.
        self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Records a call naming this event: it resets the idle timer.
    pub fn touch(&self) {
        let now = Access { at: Instant::now(), wall: OffsetDateTime::now_utc() };
        *self.access.lock().unwrap_or_else(|p| p.into_inner()) = now;
    }

    /// The wall-clock time of the last call naming this event.
    pub fn last_access(&self) -> OffsetDateTime {
        self.access.lock().unwrap_or_else(|p| p.into_inner()).wall
    }

    /// The monotonic time of the last call naming this event.
    pub fn last_access_instant(&self) -> Instant {
        self.access.lock().unwrap_or_else(|p| p.into_inner()).at
    }

    /// Takes the change lock without waiting.
    ///
    /// # Errors
    ///
    /// `Busy` when another change holds it; `EventNotFound` when the event
    /// was released meanwhile.
    pub fn try_change(self: &Arc<Self>) -> Result<ChangeGuard, ApiError> {
        let guard = self.change.clone().try_lock_owned().map_err(|_| ApiError::Busy)?;
        if self.released.load(Ordering::Acquire) {
            return Err(ApiError::EventNotFound(self.id.clone()));
        }
        Ok(ChangeGuard { event: self.clone(), _guard: guard })
    }
}

/// The right to change one event, held for the duration of the change.
/// It owns what it needs, so a change can finish in a task of its own.
pub struct ChangeGuard {
    event: Arc<LiveEvent>,
    _guard: OwnedMutexGuard<()>,
}

impl ChangeGuard {
    /// The event being changed.
    pub fn event(&self) -> &Arc<LiveEvent> {
        &self.event
    }

    /// Makes `snapshot` what reads see.
    pub fn publish(&self, snapshot: Snapshot) {
        *self.event.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(snapshot);
    }

    /// Marks the event released: no later change applies to it.
    pub fn mark_released(&self) {
        self.event.released.store(true, Ordering::Release);
    }
}

/// A failure of the event store's backend.
#[derive(Debug, thiserror::Error)]
#[error("event store failure: {0}")]
pub struct StoreError(pub String);

/// What every [`EventStore`] method returns: a boxed future, so that the
/// trait can be used as `dyn EventStore` and a backend may do I/O.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where live events are kept.
///
/// The store owns the table of live events; the per-event lock and snapshot
/// live in [`LiveEvent`]. A durable store writes the change in `save` before
/// it resolves, because the answer is sent only after it.
pub trait EventStore: Send + Sync {
    /// Adds an event; resolves to `false` (and adds nothing) if its id is taken.
    fn insert(&self, event: Arc<LiveEvent>) -> StoreFuture<'_, bool>;

    /// The live event with this id.
    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Arc<LiveEvent>>>;

    /// Every live event, in id order.
    fn list(&self) -> StoreFuture<'_, Vec<Arc<LiveEvent>>>;

    /// Persists a change of `event`'s log, made under its change lock.
    fn save<'a>(&'a self, event: &'a LiveEvent, snapshot: &'a Snapshot) -> StoreFuture<'a, ()>;

    /// Removes an event; resolves to whether it was there.
    fn remove<'a>(&'a self, id: &'a str) -> StoreFuture<'a, bool>;

    /// Persists what changes without a change: each event's last access,
    /// and how long the engine has been running (so that time while it is
    /// down does not count towards idle release). Called a few times per
    /// idle timeout; a store that keeps nothing across restarts does nothing.
    fn checkpoint(&self) -> StoreFuture<'_, ()> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// Called once at shutdown, after the last change: persists what
    /// `checkpoint` does and closes the backend.
    fn close(&self) -> StoreFuture<'_, ()> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// How many events are live; checked before each creation (`--max-events`).
    fn count(&self) -> StoreFuture<'_, usize> {
        Box::pin(async move { Ok(self.list().await?.len()) })
    }
}

/// Events in memory only: they do not survive a restart. Tests use it, and
/// it is the table the durable store keeps in front of its database.
#[derive(Default)]
pub struct MemoryEventStore {
    events: RwLock<HashMap<String, Arc<LiveEvent>>>,
}

impl MemoryEventStore {
    fn table(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<LiveEvent>>> {
        // Map operations cannot panic half-way, so a poisoned table is whole.
        self.events.read().unwrap_or_else(|p| p.into_inner())
    }

    fn table_mut(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<LiveEvent>>> {
        self.events.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds an event unless its id is taken; returns whether it was added.
    pub fn insert_now(&self, event: Arc<LiveEvent>) -> bool {
        let mut table = self.table_mut();
        let inserted = !table.contains_key(&event.id);
        if inserted {
            table.insert(event.id.clone(), event);
        }
        inserted
    }

    /// The live event with this id.
    pub fn get_now(&self, id: &str) -> Option<Arc<LiveEvent>> {
        self.table().get(id).cloned()
    }

    /// Every live event, in id order.
    pub fn list_now(&self) -> Vec<Arc<LiveEvent>> {
        let mut events: Vec<Arc<LiveEvent>> = self.table().values().cloned().collect();
        events.sort_by(|a, b| a.id.cmp(&b.id));
        events
    }

    /// Removes an event; returns whether it was there.
    pub fn remove_now(&self, id: &str) -> bool {
        self.table_mut().remove(id).is_some()
    }
}

impl EventStore for MemoryEventStore {
    fn insert(&self, event: Arc<LiveEvent>) -> StoreFuture<'_, bool> {
        Box::pin(std::future::ready(Ok(self.insert_now(event))))
    }

    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Arc<LiveEvent>>> {
        Box::pin(std::future::ready(Ok(self.get_now(id))))
    }

    fn list(&self) -> StoreFuture<'_, Vec<Arc<LiveEvent>>> {
        Box::pin(std::future::ready(Ok(self.list_now())))
    }

    fn save<'a>(&'a self, _event: &'a LiveEvent, _snapshot: &'a Snapshot) -> StoreFuture<'a, ()> {
        // The snapshot published by the handler is the only copy in memory.
        Box::pin(std::future::ready(Ok(())))
    }

    fn remove<'a>(&'a self, id: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(self.remove_now(id))))
    }

    fn count(&self) -> StoreFuture<'_, usize> {
        Box::pin(std::future::ready(Ok(self.table().len())))
    }
}
