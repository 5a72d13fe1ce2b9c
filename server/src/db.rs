//! The embedded database: one SQLite file in the data directory that holds
//! the uploaded files (every version) and the live events with their logs.
//!
//! Every write goes through one writer thread. It takes the first pending
//! write, drains every other write already queued, applies them all in one
//! transaction (each in a savepoint of its own, so one failing write does
//! not fail the others), commits, and only then answers each writer. With
//! `journal_mode=WAL` and `synchronous=FULL` the commit syncs the log file,
//! so a change is on stable storage before it is acknowledged, and
//! concurrent changes share one sync (group commit).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::{params, Connection, OptionalExtension};

use crate::storage::StoreError;

/// The database's file name inside the data directory.
pub const DATABASE_FILE: &str = "sengine.db";

/// The most writes committed in one transaction. A bound keeps one batch
/// from holding back the answers of its first writers for long.
const MAX_BATCH: usize = 1024;

/// The schema, created on first open. Times of events are Unix nanoseconds,
/// except `access_clock`: the engine's running time at the last access, on
/// a clock that stops while the engine is down (`settings.uptime`);
/// an entry is one row keyed by (event, index), so an append inserts only
/// the new entries and a rewrite replaces the event's rows.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    uploaded TEXT NOT NULL,
    deleted INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS file_versions (
    file_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    uploaded TEXT NOT NULL,
    bytes BLOB NOT NULL,
    UNIQUE (file_id, version)
);
CREATE TABLE IF NOT EXISTS seeded (file_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    file_id INTEGER NOT NULL,
    file_version INTEGER NOT NULL,
    created INTEGER NOT NULL,
    last_access INTEGER NOT NULL,
    access_clock INTEGER NOT NULL,
    log_length INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    event_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    entry BLOB NOT NULL,
    PRIMARY KEY (event_id, idx)
) WITHOUT ROWID;
";

/// One write, applied inside the batch's transaction.
pub type Write = Box<dyn FnOnce(&Connection) -> rusqlite::Result<()> + Send>;

/// Called by the writer thread after each commit has returned (the data is
/// synced) and before any writer of the batch is answered. A test seam: it
/// lets a test copy the files as they stand at each sync point.
pub type SyncHook = Arc<dyn Fn() + Send + Sync>;

type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

struct Job {
    write: Write,
    reply: Reply,
}

/// How the writer thread has batched its commits so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Transactions committed.
    pub batches: u64,
    /// Writes applied in them.
    pub writes: u64,
    /// The most writes one transaction held.
    pub largest: u64,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    writes: AtomicU64,
    largest: AtomicU64,
}

/// The open database: a writer thread and a connection for reads.
pub struct Database {
    path: PathBuf,
    writer: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    reader: Mutex<Connection>,
    counters: Arc<Counters>,
}

impl Database {
    /// Opens (creating if needed) the database in `dir`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] naming the file when it cannot be opened or set up.
    pub fn open(dir: &Path) -> Result<Arc<Database>, StoreError> {
        Database::open_with_hook(dir, None)
    }

    /// Like [`Database::open`], calling `hook` after every commit.
    ///
    /// # Errors
    ///
    /// As [`Database::open`].
    pub fn open_with_hook(dir: &Path, hook: Option<SyncHook>) -> Result<Arc<Database>, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(DATABASE_FILE);
        let failed = |what: &str, e: rusqlite::Error| {
            StoreError(format!("database {}: {what}: {e}", path.display()))
        };
        let writer = Connection::open(&path).map_err(|e| failed("cannot open", e))?;
        configure(&writer).map_err(|e| failed("cannot configure", e))?;
        writer.execute_batch(SCHEMA).map_err(|e| failed("cannot create the schema", e))?;
        let reader = Connection::open(&path).map_err(|e| failed("cannot open", e))?;
        configure(&reader).map_err(|e| failed("cannot configure", e))?;
        let (sender, jobs) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let thread = std::thread::Builder::new()
            .name("sengine-db-writer".into())
            .spawn(move || run_writer(writer, &jobs, hook.as_deref(), &thread_counters))
            .map_err(|e| StoreError(format!("cannot start the database writer: {e}")))?;
        Ok(Arc::new(Database {
            path,
            writer: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
            reader: Mutex::new(reader),
            counters,
        }))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues `write`; `reply` gets its outcome once its batch is committed.
    fn submit(&self, write: Write, reply: Reply) {
        let job = Job { write, reply };
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let refused = match writer.as_ref() {
            Some(sender) => sender.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        drop(writer);
        if let Some(job) = refused {
            (job.reply)(Err(StoreError("the database is closed".into())));
        }
    }

    /// Queues `write` now and resolves once it is committed and synced.
    /// Queuing happens before the first poll, so dropping the future does
    /// not withdraw the write.
    pub fn write(
        &self,
        write: Write,
    ) -> impl std::future::Future<Output = Result<(), StoreError>> + Send + 'static {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        self.submit(
            write,
            Box::new(move |outcome| {
                // The waiting side may have gone away; the write stands regardless.
                let _ = sender.send(outcome);
            }),
        );
        async move {
            receiver.await.unwrap_or_else(|_| Err(StoreError("the database writer stopped".into())))
        }
    }

    /// Applies `write` and waits, blocking the thread, until it is synced.
    ///
    /// # Errors
    ///
    /// The write's own failure, or the database being closed.
    pub fn write_blocking(&self, write: Write) -> Result<(), StoreError> {
        let (sender, receiver) = mpsc::channel();
        self.submit(
            write,
            Box::new(move |outcome| {
                let _ = sender.send(outcome);
            }),
        );
        receiver.recv().unwrap_or_else(|_| Err(StoreError("the database writer stopped".into())))
    }

    /// Runs `read` on the reading connection.
    ///
    /// # Errors
    ///
    /// The query's failure, with the database file named.
    pub fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        read(&reader)
            .map_err(|e| StoreError(format!("database {}: read failed: {e}", self.path.display())))
    }

    /// How commits were batched so far.
    pub fn batch_stats(&self) -> BatchStats {
        BatchStats {
            batches: self.counters.batches.load(Ordering::Relaxed),
            writes: self.counters.writes.load(Ordering::Relaxed),
            largest: self.counters.largest.load(Ordering::Relaxed),
        }
    }

    /// Lets the writer finish every queued write, then stops it. Later
    /// writes fail with "the database is closed".
    pub fn close(&self) {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            if thread.join().is_err() {
                tracing::error!(path = %self.path.display(), "the database writer panicked");
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        self.close();
    }
}

/// Settings every connection needs: the write-ahead log synced at every
/// commit, and a wait instead of an error when another connection writes.
fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.busy_timeout(std::time::Duration::from_secs(10))
}

/// The writer thread: batches, commits, answers, until every sender is gone.
fn run_writer(
    mut connection: Connection,
    jobs: &mpsc::Receiver<Job>,
    hook: Option<&(dyn Fn() + Send + Sync)>,
    counters: &Counters,
) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (writes, replies): (Vec<Write>, Vec<Reply>) =
            batch.into_iter().map(|job| (job.write, job.reply)).unzip();
        let count = writes.len() as u64;
        let outcomes = commit(&mut connection, writes);
        if let Some(hook) = hook {
            hook();
        }
        counters.batches.fetch_add(1, Ordering::Relaxed);
        counters.writes.fetch_add(count, Ordering::Relaxed);
        counters.largest.fetch_max(count, Ordering::Relaxed);
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            reply(outcome);
        }
    }
    // A last checkpoint folds the log into the database file, so a clean
    // stop leaves one file; a failure only leaves the log for the next open.
    if let Err(e) = connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
        tracing::warn!(error = %e, "final checkpoint failed");
    }
}

/// Applies `writes` in one transaction, each in a savepoint, and commits.
/// Returns each write's outcome; a failed commit fails them all.
fn commit(connection: &mut Connection, writes: Vec<Write>) -> Vec<Result<(), StoreError>> {
    let failed = |e: &rusqlite::Error| StoreError(format!("database write failed: {e}"));
    let count = writes.len();
    let mut transaction = match connection.transaction() {
        Ok(transaction) => transaction,
        Err(e) => return (0..count).map(|_| Err(failed(&e))).collect(),
    };
    let mut outcomes = Vec::with_capacity(count);
    for write in writes {
        let outcome = match transaction.savepoint() {
            // A savepoint dropped without commit rolls back, so a failed
            // write leaves nothing behind.
            Ok(savepoint) => write(&savepoint).and_then(|()| savepoint.commit()),
            Err(e) => Err(e),
        };
        outcomes.push(outcome.map_err(|e| failed(&e)));
    }
    match transaction.commit() {
        Ok(()) => outcomes,
        Err(e) => (0..count).map(|_| Err(failed(&e))).collect(),
    }
}

/// A file's row in the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub id: u64,
    pub name: String,
    pub version: u32,
    /// RFC 3339 time of the current version's upload.
    pub uploaded: String,
    pub deleted: bool,
}

/// The catalog as stored: the next id to give, the fixtures ever seeded,
/// and every file.
#[derive(Clone, Debug, Default)]
pub struct StoredCatalog {
    pub next_id: Option<u64>,
    pub seeded: Vec<u64>,
    pub files: Vec<FileRow>,
}

impl Database {
    /// The whole catalog.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub fn catalog(&self) -> Result<StoredCatalog, StoreError> {
        self.read(|db| {
            let next_id = db
                .query_row("SELECT value FROM settings WHERE key = 'next_file_id'", [], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()?
                .map(|n| n as u64);
            let mut seeded = db.prepare("SELECT file_id FROM seeded ORDER BY file_id")?;
            let seeded = seeded
                .query_map([], |r| r.get::<_, i64>(0).map(|n| n as u64))?
                .collect::<rusqlite::Result<Vec<u64>>>();
            let mut files =
                db.prepare("SELECT id, name, version, uploaded, deleted FROM files ORDER BY id")?;
            let files = files
                .query_map([], |r| {
                    Ok(FileRow {
                        id: r.get::<_, i64>(0)? as u64,
                        name: r.get(1)?,
                        version: r.get(2)?,
                        uploaded: r.get(3)?,
                        deleted: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(StoredCatalog { next_id, seeded: seeded?, files })
        })
    }

    /// The name and bytes of one version of a file, if stored.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub fn file_version(
        &self,
        id: u64,
        version: u32,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        self.read(|db| {
            db.query_row(
                "SELECT name, bytes FROM file_versions WHERE file_id = ?1 AND version = ?2",
                params![id as i64, version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
    }

    /// Stores a version of a file and makes it the file's current row, in
    /// one transaction; `seeded` also records the id as a seeded fixture and
    /// `next_id` moves the next upload id. Blocks until synced.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the write fails; nothing is then stored.
    pub fn put_file_version(
        &self,
        row: &FileRow,
        bytes: &[u8],
        next_id: Option<u64>,
        seeded: bool,
    ) -> Result<(), StoreError> {
        let row = row.clone();
        let bytes = bytes.to_vec();
        self.write_blocking(Box::new(move |db| {
            db.execute(
                "INSERT OR REPLACE INTO file_versions (file_id, version, name, uploaded, bytes) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row.id as i64, row.version, row.name, row.uploaded, bytes],
            )?;
            put_file_row(db, &row)?;
            if let Some(next) = next_id {
                db.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES ('next_file_id', ?1)",
                    params![next as i64],
                )?;
            }
            if seeded {
                db.execute(
                    "INSERT OR IGNORE INTO seeded (file_id) VALUES (?1)",
                    params![row.id as i64],
                )?;
            }
            Ok(())
        }))
    }

    /// Records fixture `id` as seeded, so it is never seeded again.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the write fails.
    pub fn mark_seeded(&self, id: u64) -> Result<(), StoreError> {
        self.write_blocking(Box::new(move |db| {
            db.execute("INSERT OR IGNORE INTO seeded (file_id) VALUES (?1)", params![id as i64])
                .map(|_| ())
        }))
    }

    /// Replaces a file's catalog row (a delete marks it). Blocks until synced.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the write fails.
    pub fn put_file_row(&self, row: &FileRow) -> Result<(), StoreError> {
        let row = row.clone();
        self.write_blocking(Box::new(move |db| put_file_row(db, &row)))
    }
}

fn put_file_row(db: &Connection, row: &FileRow) -> rusqlite::Result<()> {
    db.execute(
        "INSERT OR REPLACE INTO files (id, name, version, uploaded, deleted) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![row.id as i64, row.name, row.version, row.uploaded, row.deleted],
    )
    .map(|_| ())
}
