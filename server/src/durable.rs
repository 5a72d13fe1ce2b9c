//! [`SqliteEventStore`]: live events kept in the embedded database
//! ([`crate::db`]) and recovered, outcomes recomputed, when the engine starts.
//!
//! The table of live events stays in memory, as in [`MemoryEventStore`];
//! every insert, change and release is also written to the database, and
//! resolves only once that write is synced. A change that extends the log
//! writes only the new entries; any other change replaces the event's rows.
//!
//! A read names an event without changing it, so its last access is kept
//! in memory and written by the reaper's periodic checkpoint: after a crash
//! an event may find its idle clock up to one reaper period ahead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtime::evaluator::Entry;
use runtime::value::{ExcelError, Value};
use rusqlite::{params, Connection, OptionalExtension};
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::db::{Database, Write};
use crate::files::FileRegistry;
use crate::json::render_outcomes;
use crate::loader::LoadedWorkbook;
use crate::storage::{EventStore, LiveEvent, MemoryEventStore, Snapshot, StoreError, StoreFuture};

/// Events in the embedded database; see the module documentation.
pub struct SqliteEventStore {
    db: Arc<Database>,
    table: MemoryEventStore,
    /// Held while the table changes and the matching write is queued, so
    /// the database sees inserts and removes in the table's order.
    order: Mutex<()>,
    /// The last access of each event as last written, so a checkpoint
    /// writes only the events named since.
    written_access: Mutex<HashMap<String, i64>>,
    /// The engine's running time, summed over every run, when this run
    /// opened the store; `started` is when that was.
    // FIXME: the running-time clock (`uptime`, the `access_clock` column) is
    // still written but no longer read, since a restart gives every event its
    // full idle timeout; it costs a small write per checkpoint and should go
    // with its column.
    uptime_base: i64,
    started: Instant,
}

impl SqliteEventStore {
    /// Opens the store on `db` and recovers every stored event, loading the
    /// workbook of its file version from `files` and recomputing its
    /// outcomes. An event that can no longer be evaluated is logged and
    /// left in the database, but not served. Blocking.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub fn open(db: Arc<Database>, files: &FileRegistry) -> Result<SqliteEventStore, StoreError> {
        let uptime = db.read(|c| setting(c, "uptime"))?.unwrap_or(0);
        let store = SqliteEventStore {
            db: db.clone(),
            table: MemoryEventStore::default(),
            order: Mutex::new(()),
            written_access: Mutex::new(HashMap::new()),
            uptime_base: uptime,
            started: Instant::now(),
        };
        let stored = db.read(read_events)?;
        let mut workbooks: Workbooks = HashMap::new();
        for event in &stored {
            let key = (event.file_id, event.file_version);
            workbooks.entry(key).or_insert_with(|| files.version_workbook(key.0, key.1));
        }
        let mut recovered = 0;
        for outcome in recover_all(stored, &workbooks) {
            match outcome {
                Ok(live) => {
                    store.remember_access(&live);
                    store.table.insert_now(Arc::new(live));
                    recovered += 1;
                }
                Err((id, why)) => {
                    tracing::error!(event_id = %id, reason = %why, "stored event not recovered");
                }
            }
        }
        tracing::info!(events = recovered, "events recovered");
        Ok(store)
    }

    /// The database under the store.
    pub fn database(&self) -> &Arc<Database> {
        &self.db
    }

    /// The engine's running time now, summed over every run.
    fn uptime(&self) -> i64 {
        self.uptime_base.saturating_add(duration_nanos(self.started.elapsed()))
    }

    /// The engine's running time at `event`'s last access.
    fn access_clock(&self, event: &LiveEvent) -> i64 {
        self.uptime().saturating_sub(duration_nanos(event.last_access_instant().elapsed()))
    }

    fn remember_access(&self, event: &LiveEvent) {
        let mut written = self.written_access.lock().unwrap_or_else(|p| p.into_inner());
        written.insert(event.id.clone(), nanos(event.last_access()));
    }

    fn ordered(&self) -> std::sync::MutexGuard<'_, ()> {
        self.order.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One event as read from the database.
struct StoredEvent {
    id: String,
    file_id: u64,
    file_version: u32,
    created: i64,
    last_access: i64,
    log: Result<Vec<Entry>, String>,
}

fn read_events(db: &Connection) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut events = db.prepare(
        "SELECT id, file_id, file_version, created, last_access, log_length \
         FROM events ORDER BY id",
    )?;
    let mut entries =
        db.prepare("SELECT idx, entry FROM entries WHERE event_id = ?1 ORDER BY idx")?;
    let rows = events.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, u32>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut stored = Vec::new();
    for row in rows {
        let (id, file_id, file_version, created, last_access, length) = row?;
        let blobs = entries
            .query_map([&id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let log = decode_log(&blobs, length);
        stored.push(StoredEvent {
            id,
            file_id: file_id as u64,
            file_version,
            created,
            last_access,
            log,
        });
    }
    Ok(stored)
}

/// The entries of a log, checked to be exactly indexes `0..length`.
fn decode_log(blobs: &[(i64, Vec<u8>)], length: i64) -> Result<Vec<Entry>, String> {
    if blobs.len() as i64 != length {
        return Err(format!("the log should hold {length} entries but {} are stored", blobs.len()));
    }
    blobs
        .iter()
        .enumerate()
        .map(|(position, (index, blob))| {
            if *index != position as i64 {
                return Err(format!("entry {position} is stored at index {index}"));
            }
            decode_entry(blob).ok_or_else(|| format!("entry {position} is not a stored entry"))
        })
        .collect()
}

/// The workbook of each file version that stored events use.
type Workbooks = HashMap<(u64, u32), Result<Arc<LoadedWorkbook>, String>>;

/// Rebuilds every stored event, its outcomes recomputed on as many threads
/// as there are cores, since evaluation is what makes a start slow.
fn recover_all(
    stored: Vec<StoredEvent>,
    workbooks: &Workbooks,
) -> Vec<Result<LiveEvent, (String, String)>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let size = stored.len().div_ceil(threads).max(1);
    let mut chunks: Vec<Vec<StoredEvent>> = Vec::new();
    let mut rest = stored.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(size).collect());
    }
    let recover_chunk = |chunk: Vec<StoredEvent>| {
        let one = |event: StoredEvent| {
            let key = (event.file_id, event.file_version);
            match workbooks.get(&key) {
                Some(workbook) => recover(event, workbook),
                None => Err((event.id, "its workbook was not loaded".to_string())),
            }
        };
        chunk.into_iter().map(one).collect::<Vec<_>>()
    };
    std::thread::scope(|scope| {
        let running: Vec<_> =
            chunks.into_iter().map(|c| scope.spawn(|| recover_chunk(c))).collect();
        let joined = running.into_iter().map(|thread| {
            thread.join().unwrap_or_else(|_| {
                tracing::error!(
                    "an evaluator panicked while recovering events; they are not served"
                );
                Vec::new()
            })
        });
        joined.flatten().collect()
    })
}

/// Rebuilds a live event, recomputing its outcomes.
fn recover(
    event: StoredEvent,
    workbook: &Result<Arc<LoadedWorkbook>, String>,
) -> Result<LiveEvent, (String, String)> {
    let id = event.id;
    let workbook = match workbook {
        Ok(workbook) => workbook.clone(),
        Err(why) => return Err((id, why.clone())),
    };
    let log = match event.log {
        Ok(log) => log,
        Err(why) => return Err((id, why)),
    };
    let outcomes = match workbook.evaluator.evaluate(&log) {
        Ok(outcomes) => outcomes,
        Err(e) => return Err((id, format!("its log no longer evaluates: {e}"))),
    };
    let outcomes = match render_outcomes(&workbook.program.output, &outcomes) {
        Ok(rendered) => rendered,
        Err(e) => return Err((id, format!("its outcomes cannot be rendered: {e}"))),
    };
    // The API gives every event its full idle timeout again after a
    // restart: time while the engine is down never counts.
    let idle = Duration::ZERO;
    let snapshot = Snapshot { log, outcomes };
    let live = LiveEvent::new(id, event.file_id, event.file_version, workbook, snapshot);
    Ok(live.resumed(time_of(event.created), time_of(event.last_access), idle))
}

impl EventStore for SqliteEventStore {
    fn insert(&self, event: Arc<LiveEvent>) -> StoreFuture<'_, bool> {
        let write = match insert_write(&event, self.access_clock(&event)) {
            Ok(write) => write,
            Err(e) => return Box::pin(std::future::ready(Err(e))),
        };
        // The write is queued before the event is visible in the table, so
        // no change of the new event can be queued before its insert.
        let pending = {
            let _order = self.ordered();
            if self.table.get_now(&event.id).is_some() {
                return Box::pin(std::future::ready(Ok(false)));
            }
            let pending = self.db.write(write);
            self.table.insert_now(event.clone());
            pending
        };
        self.remember_access(&event);
        Box::pin(async move {
            if let Err(e) = pending.await {
                // Not stored, so not live: changes queued after it fail too.
                let _order = self.ordered();
                if self.table.get_now(&event.id).is_some_and(|e| Arc::ptr_eq(&e, &event)) {
                    self.table.remove_now(&event.id);
                }
                return Err(e);
            }
            Ok(true)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Arc<LiveEvent>>> {
        Box::pin(std::future::ready(Ok(self.table.get_now(id))))
    }

    fn list(&self) -> StoreFuture<'_, Vec<Arc<LiveEvent>>> {
        Box::pin(std::future::ready(Ok(self.table.list_now())))
    }

    fn save<'a>(&'a self, event: &'a LiveEvent, snapshot: &'a Snapshot) -> StoreFuture<'a, ()> {
        // The published snapshot is still the one before this change, and
        // the database holds exactly its log.
        let before = event.snapshot();
        let clock = self.access_clock(event);
        let write = match change_write(event, clock, &before.log, &snapshot.log) {
            Ok(write) => write,
            Err(e) => return Box::pin(std::future::ready(Err(e))),
        };
        let pending = self.db.write(write);
        self.remember_access(event);
        Box::pin(pending)
    }

    fn remove<'a>(&'a self, id: &'a str) -> StoreFuture<'a, bool> {
        let owned = id.to_string();
        let write: Write = Box::new(move |db| {
            db.execute("DELETE FROM entries WHERE event_id = ?1", [&owned])?;
            db.execute("DELETE FROM events WHERE id = ?1", [&owned]).map(|_| ())
        });
        let (removed, pending) = {
            let _order = self.ordered();
            (self.table.remove_now(id), self.db.write(write))
        };
        self.written_access.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
        Box::pin(async move {
            pending.await?;
            Ok(removed)
        })
    }

    fn checkpoint(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let events = self.table.list_now();
            let mut changed = Vec::new();
            {
                let written = self.written_access.lock().unwrap_or_else(|p| p.into_inner());
                for event in &events {
                    let at = nanos(event.last_access());
                    if written.get(&event.id) != Some(&at) {
                        changed.push((event.id.clone(), at, self.access_clock(event)));
                    }
                }
            }
            let uptime = self.uptime();
            let accesses = changed.clone();
            self.db
                .write(Box::new(move |db| {
                    for (id, at, clock) in &accesses {
                        db.execute(
                            "UPDATE events SET last_access = max(last_access, ?2), \
                             access_clock = max(access_clock, ?3) WHERE id = ?1",
                            params![id, at, clock],
                        )?;
                    }
                    db.execute(
                        "INSERT OR REPLACE INTO settings (key, value) VALUES ('uptime', ?1)",
                        [uptime],
                    )
                    .map(|_| ())
                }))
                .await?;
            let mut written = self.written_access.lock().unwrap_or_else(|p| p.into_inner());
            written.extend(changed.into_iter().map(|(id, at, _)| (id, at)));
            Ok(())
        })
    }

    fn close(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.checkpoint().await?;
            let stats = self.db.batch_stats();
            tracing::info!(
                batches = stats.batches,
                writes = stats.writes,
                largest = stats.largest,
                "database writes committed"
            );
            let db = self.db.clone();
            tokio::task::spawn_blocking(move || db.close())
                .await
                .map_err(|e| StoreError(format!("closing the database failed: {e}")))
        })
    }
}

/// The write that stores a new event and its log.
fn insert_write(event: &LiveEvent, clock: i64) -> Result<Write, StoreError> {
    let log = event.snapshot();
    let entries = encode_entries(&event.id, &log.log, 0)?;
    let id = event.id.clone();
    let (file_id, version) = (event.file_id as i64, event.file_version);
    let (created, access) = (nanos(event.created), nanos(event.last_access()));
    let length = log.log.len() as i64;
    Ok(Box::new(move |db| {
        // Rows left by an event that could not be recovered give way to the new one.
        db.execute("DELETE FROM entries WHERE event_id = ?1", [&id])?;
        db.execute(
            "INSERT OR REPLACE INTO events \
             (id, file_id, file_version, created, last_access, access_clock, log_length) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, file_id, version, created, access, clock, length],
        )?;
        insert_entries(db, &id, &entries)
    }))
}

/// The write that turns the stored log `before` into `after`: the new
/// entries only when `after` extends `before`, else every entry.
fn change_write(
    event: &LiveEvent,
    clock: i64,
    before: &[Entry],
    after: &[Entry],
) -> Result<Write, StoreError> {
    let extends = after.len() >= before.len() && after[..before.len()] == *before;
    let from = if extends { before.len() } else { 0 };
    let entries = encode_entries(&event.id, &after[from..], from)?;
    let id = event.id.clone();
    let access = nanos(event.last_access());
    let length = after.len() as i64;
    Ok(Box::new(move |db| {
        let updated = db.execute(
            "UPDATE events SET log_length = ?2, last_access = max(last_access, ?3), \
             access_clock = max(access_clock, ?4) WHERE id = ?1",
            params![id, length, access, clock],
        )?;
        if updated == 0 {
            // The event's insert failed or it was released: nothing to change.
            return Err(rusqlite::Error::QueryReturnedNoRows);
        }
        if !extends {
            db.execute("DELETE FROM entries WHERE event_id = ?1", [&id])?;
        }
        insert_entries(db, &id, &entries)
    }))
}

fn insert_entries(db: &Connection, id: &str, entries: &[(i64, Vec<u8>)]) -> rusqlite::Result<()> {
    let mut insert =
        db.prepare_cached("INSERT INTO entries (event_id, idx, entry) VALUES (?1, ?2, ?3)")?;
    for (index, blob) in entries {
        insert.execute(params![id, index, blob])?;
    }
    Ok(())
}

/// `entries` encoded, numbered from `first`.
fn encode_entries(
    id: &str,
    entries: &[Entry],
    first: usize,
) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
    entries
        .iter()
        .enumerate()
        .map(|(offset, entry)| {
            let index = first + offset;
            let blob = encode_entry(entry).ok_or_else(|| {
                StoreError(format!("event '{id}', entry {}: an array cannot be stored", index + 1))
            })?;
            Ok((index as i64, blob))
        })
        .collect()
}

/// The value tags of the entry encoding.
const EMPTY: u8 = 0;
const NUMBER: u8 = 1;
const TEXT: u8 = 2;
const FALSE: u8 = 3;
const TRUE: u8 = 4;
const ERROR: u8 = 5;

/// An entry as bytes: per value a tag, then for a number its 8 bytes (so it
/// comes back bit for bit), for a text or an error its length (4 bytes)
/// and UTF-8 bytes. `None` for an array, which no entry holds.
pub fn encode_entry(entry: &[Value]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(entry.len() * 9);
    for value in entry {
        match value {
            Value::Empty => out.push(EMPTY),
            Value::Number(n) => {
                out.push(NUMBER);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::Text(text) => push_text(&mut out, TEXT, text),
            Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
            Value::Error(error) => push_text(&mut out, ERROR, error.as_str()),
            Value::Array(_) => return None,
        }
    }
    Some(out)
}

fn push_text(out: &mut Vec<u8>, tag: u8, text: &str) {
    out.push(tag);
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// The entry [`encode_entry`] wrote, or `None` for bytes it cannot have written.
pub fn decode_entry(mut bytes: &[u8]) -> Option<Entry> {
    let mut entry = Vec::new();
    while let Some((&tag, rest)) = bytes.split_first() {
        bytes = rest;
        let value = match tag {
            EMPTY => Value::Empty,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => {
                let (number, rest) = bytes.split_first_chunk::<8>()?;
                bytes = rest;
                Value::Number(f64::from_le_bytes(*number))
            }
            TEXT | ERROR => {
                let (length, rest) = bytes.split_first_chunk::<4>()?;
                let length = u32::from_le_bytes(*length) as usize;
                let text = std::str::from_utf8(rest.get(..length)?).ok()?;
                bytes = &rest[length..];
                if tag == TEXT {
                    Value::text(text)
                } else {
                    Value::Error(ExcelError::parse(text)?)
                }
            }
            _ => return None,
        };
        entry.push(value);
    }
    Some(entry)
}

fn setting(db: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    db.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()
}

/// Unix nanoseconds, saturating (a year beyond 2262 is not a real time).
fn nanos(time: OffsetDateTime) -> i64 {
    i64::try_from(time.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn duration_nanos(duration: Duration) -> i64 {
    i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX)
}

fn time_of(nanos: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
