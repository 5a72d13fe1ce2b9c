//! The durable event store in process: recovery after a restart, idle time
//! across a restart, the entry encoding, group commit, a power cut that
//! drops every write not yet synced, and retried appends.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use http_body_util::BodyExt;
use runtime::value::{ExcelError, Value};
use serde_json::{json, Value as Json};
use server::config::Config;
use server::db::{Database, SyncHook, DATABASE_FILE};
use server::durable::{decode_entry, encode_entry, SqliteEventStore};
use server::files::FileRegistry;
use server::loader::WorkbookLoader;
use server::state::AppState;
use server::storage::{EventStore, LiveEvent, Snapshot, StoreFuture};
use tower::ServiceExt;

use crate::support::{code, request, result, FakeLoader, TempDir};

/// One engine in process over a data directory.
struct Node {
    app: Router,
    state: AppState,
    db: Arc<Database>,
}

/// How a test builds a node.
struct Setup<'a> {
    idle: Duration,
    hook: Option<SyncHook>,
    loader: Arc<dyn WorkbookLoader>,
    fixtures: &'a [(u64, &'a str, &'a [u8])],
    /// Wraps the durable store, to test a broken one.
    wrap: fn(Arc<SqliteEventStore>) -> Arc<dyn EventStore>,
}

impl Default for Setup<'_> {
    fn default() -> Self {
        Setup {
            idle: Duration::from_secs(900),
            hook: None,
            loader: Arc::new(FakeLoader { gate: Arc::default() }),
            fixtures: &[],
            wrap: |store| store,
        }
    }
}

impl Node {
    fn open(dir: &Path, setup: Setup<'_>) -> Node {
        let db = Database::open_with_hook(dir, setup.hook).unwrap();
        let files = FileRegistry::open_in(db.clone(), setup.loader, setup.fixtures).unwrap();
        let store = Arc::new(SqliteEventStore::open(db.clone(), &files).unwrap());
        let config =
            Config { data_dir: dir.to_path_buf(), idle_timeout: setup.idle, ..Config::default() };
        let state = AppState::new(config, files, (setup.wrap)(store));
        Node { app: server::app(state.clone()), state, db }
    }

    async fn call(&self, method: &str, uri: &str, body: Option<&str>) -> (StatusCode, Json) {
        send(&self.app, method, uri, body).await
    }

    async fn close(self) {
        self.state.events.close().await.unwrap();
    }
}

async fn send(app: &Router, method: &str, uri: &str, body: Option<&str>) -> (StatusCode, Json) {
    let response = app.clone().oneshot(request(method, uri, body, None)).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() { Json::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, json)
}

fn create_body(file: u64, id: &str) -> String {
    json!({"params": {"file-id": file, "event-id": id}}).to_string()
}

fn log_body(entries: &Json, length: Option<usize>) -> String {
    match length {
        Some(n) => json!({"params": {"log-length": n, "event-log": entries}}).to_string(),
        None => json!({"params": {"event-log": entries}}).to_string(),
    }
}

/// Events (their file version, log, creation time), files and releases
/// survive a restart; outcomes are recomputed with the event's own version.
// One scenario on purpose: the restart must meet every kind of stored
// state at once (appended, rewritten, released, bound to an old version).
#[tokio::test]
async fn events_and_files_survive_a_restart() {
    let dir = TempDir::new();
    let node = Node::open(dir.path(), Setup::default());
    node.state.files.upload("football.xlsx", b"v1").unwrap();
    for id in ["a", "b", "c"] {
        assert_eq!(
            node.call("POST", "/api/events", Some(&create_body(100, id))).await.0,
            StatusCode::OK
        );
    }
    let two =
        json!([{"type": "goal", "minute": 3}, {"type": "red", "Team": "away", "player": "Kane"}]);
    let three = json!([[1, "yellow"], [2, "goal", true], [4, "red", null, "Saka"]]);
    let uri = |id: &str| format!("/api/events/{id}/event-log");
    assert_eq!(
        node.call("POST", &uri("a"), Some(&log_body(&two, Some(0)))).await.0,
        StatusCode::OK
    );
    assert_eq!(
        node.call("POST", &uri("b"), Some(&log_body(&json!([{"type": "red"}]), None))).await.0,
        StatusCode::OK
    );
    assert_eq!(node.call("PUT", &uri("b"), Some(&log_body(&three, None))).await.0, StatusCode::OK);
    node.state.files.replace(100, "football.xlsx", b"v2").unwrap();
    let gone = node.state.files.upload("gone.xlsx", b"w1").unwrap();
    assert_eq!(
        node.call("POST", "/api/events", Some(&create_body(gone.id, "e"))).await.0,
        StatusCode::OK
    );
    node.state.files.delete(gone.id).unwrap();
    assert_eq!(
        node.call("POST", "/api/events", Some(&create_body(100, "d"))).await.0,
        StatusCode::OK
    );
    assert_eq!(node.call("DELETE", "/api/events/c", None).await.0, StatusCode::NO_CONTENT);
    let before: Vec<Json> = {
        let mut logs = Vec::new();
        for id in ["a", "b", "d"] {
            logs.push(node.call("GET", &uri(id), None).await.1["data"].clone());
        }
        logs
    };
    let described = node.call("GET", "/api/events/a", None).await.1["data"].clone();
    node.close().await;

    let node = Node::open(dir.path(), Setup::default());
    let (_, list) = node.call("GET", "/api/events", None).await;
    let ids: Vec<&str> =
        list["data"].as_array().unwrap().iter().map(|e| e["event-id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "d", "e"]);
    for (id, log) in ["a", "b", "d"].iter().zip(&before) {
        assert_eq!(&node.call("GET", &uri(id), None).await.1["data"], log, "{id}");
    }
    assert_eq!(before[1].as_array().unwrap().len(), 3, "the rewrite replaced the log");
    let again = node.call("GET", "/api/events/a", None).await.1["data"].clone();
    assert_eq!((&again["created"], &again["file-version"]), (&described["created"], &json!(1)));
    // The fake evaluator counts the entries and names the workbook's bytes.
    let outcomes = |id: &'static str| {
        let node = &node;
        async move {
            node.call("GET", &format!("/api/events/{id}/outcomes"), None).await.1["data"].clone()
        }
    };
    let (a, b, d) = (outcomes("a").await, outcomes("b").await, outcomes("d").await);
    assert_eq!((result(&a, 0), result(&a, 4)), (json!(2), json!("v1")));
    assert_eq!((result(&b, 0), result(&b, 4)), (json!(3), json!("v1")));
    assert_eq!((result(&d, 0), result(&d, 4)), (json!(0), json!("v2")));
    // An event keeps the version of a file deleted since.
    assert_eq!(result(&outcomes("e").await, 4), json!("w1"));
    assert_eq!(node.call("GET", "/api/files/101", None).await.0, StatusCode::NOT_FOUND);
    let (status, json) = node.call("GET", "/api/events/c", None).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
    let (_, file) = node.call("GET", "/api/files/100", None).await;
    assert_eq!(file["data"]["version"], json!(2));
    // The released id is free again, and a recovered log goes on growing.
    assert_eq!(
        node.call("POST", "/api/events", Some(&create_body(100, "c"))).await.0,
        StatusCode::OK
    );
    let (status, _) =
        node.call("POST", &uri("a"), Some(&log_body(&json!([[1, "goal"]]), Some(2)))).await;
    assert_eq!(status, StatusCode::OK);
    node.close().await;

    let node = Node::open(dir.path(), Setup::default());
    assert_eq!(node.call("GET", &uri("a"), None).await.1["data"].as_array().unwrap().len(), 3);
    assert_eq!(node.call("GET", &uri("c"), None).await.1["data"], json!([]));
    node.close().await;
}

/// Time while the engine is down does not count, and after each restart an
/// event has its full idle timeout again: with a 2 s timeout, an event
/// survives two downtimes of 2.2 s and 1.2 s into the third run, and is
/// released 2.4 s into it, while an event created 1.2 s before stays.
#[tokio::test]
async fn restart_gives_a_full_idle_timeout() {
    let dir = TempDir::new();
    let setup = || Setup { idle: Duration::from_secs(2), ..Setup::default() };
    let node = Node::open(dir.path(), setup());
    node.state.files.upload("football.xlsx", b"v1").unwrap();
    let create = create_body(100, "quiet");
    assert_eq!(node.call("POST", "/api/events", Some(&create)).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(600)).await;
    node.close().await;
    tokio::time::sleep(Duration::from_millis(2200)).await;

    let node = Node::open(dir.path(), setup());
    assert_eq!(node.state.reap_idle().await, 0, "downtime counted as idle time");
    tokio::time::sleep(Duration::from_millis(400)).await;
    node.close().await;
    tokio::time::sleep(Duration::from_millis(2200)).await;

    let node = Node::open(dir.path(), setup());
    assert_eq!(node.state.reap_idle().await, 0, "the second downtime counted as idle time");
    // After a restart the event has its full idle timeout again (api.md):
    // 1.2 s in, the idle time before the stop does not add to it.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(node.state.reap_idle().await, 0, "idle time from before the restart counted");
    let create = create_body(100, "fresh");
    assert_eq!(node.call("POST", "/api/events", Some(&create)).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(node.state.reap_idle().await, 1);
    let (status, json) = node.call("GET", "/api/events/quiet", None).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
    assert_eq!(node.call("GET", "/api/events/fresh", None).await.0, StatusCode::OK);
    node.close().await;

    // The release itself is durable.
    let node = Node::open(dir.path(), setup());
    assert_eq!(node.call("GET", "/api/events/quiet", None).await.0, StatusCode::NOT_FOUND);
    node.close().await;
}

/// Runs `sql` through the database's writer.
async fn execute(node: &Node, sql: &'static str) {
    node.db.write(Box::new(move |c| c.execute_batch(sql))).await.unwrap();
}

/// A create or a change the database refuses answers `ISE` and leaves
/// nothing behind, in memory or on disk; once the database accepts writes
/// again, the event goes on where it was.
#[tokio::test]
async fn refused_writes_change_nothing() {
    let dir = TempDir::new();
    let node = Node::open(dir.path(), Setup::default());
    node.state.files.upload("football.xlsx", b"v1").unwrap();
    let uri = "/api/events/e/event-log";
    assert_eq!(
        node.call("POST", "/api/events", Some(&create_body(100, "e"))).await.0,
        StatusCode::OK
    );
    let one = log_body(&json!([{"type": "goal"}]), Some(0));
    assert_eq!(node.call("POST", uri, Some(&one)).await.0, StatusCode::OK);
    let before = node.call("GET", "/api/events/e/outcomes", None).await.1;

    execute(
        &node,
        "CREATE TRIGGER refuse_entry BEFORE INSERT ON entries \
                    BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .await;
    execute(
        &node,
        "CREATE TRIGGER refuse_event BEFORE INSERT ON events \
                    BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .await;
    let two = log_body(&json!([{"type": "red"}]), Some(1));
    let (status, json) = node.call("POST", uri, Some(&two)).await;
    assert_eq!((status, code(&json)), (StatusCode::INTERNAL_SERVER_ERROR, "ISE"));
    assert!(!json.to_string().contains("disk full"), "{json}");
    assert_eq!(node.call("GET", "/api/events/e/outcomes", None).await.1, before);
    let (status, json) = node.call("POST", "/api/events", Some(&create_body(100, "f"))).await;
    assert_eq!((status, code(&json)), (StatusCode::INTERNAL_SERVER_ERROR, "ISE"));
    assert_eq!(node.call("GET", "/api/events/f", None).await.0, StatusCode::NOT_FOUND);

    execute(&node, "DROP TRIGGER refuse_entry; DROP TRIGGER refuse_event;").await;
    assert_eq!(node.call("POST", uri, Some(&two)).await.0, StatusCode::OK);
    assert_eq!(
        node.call("POST", "/api/events", Some(&create_body(100, "f"))).await.0,
        StatusCode::OK
    );
    node.close().await;
    let node = Node::open(dir.path(), Setup::default());
    let (_, log) = node.call("GET", uri, None).await;
    assert_eq!(log["data"], json!([{"type": "goal"}, {"type": "red"}]));
    assert_eq!(node.call("GET", "/api/events/f", None).await.0, StatusCode::OK);
    node.close().await;
}

/// Entries come back exactly: numbers bit for bit, texts, booleans, empties.
#[test]
fn entry_encoding_round_trips() {
    let entry = vec![
        Value::Number(0.1 + 0.2),
        Value::Number(-0.0),
        Value::Number(f64::MIN_POSITIVE / 4.0),
        Value::Number(1.797_693_134_862_315_7e308),
        Value::text("голы ⚽"),
        Value::text(""),
        Value::Bool(true),
        Value::Bool(false),
        Value::Empty,
        Value::Error(ExcelError::NA),
    ];
    let decoded = decode_entry(&encode_entry(&entry).unwrap()).unwrap();
    assert_eq!(decoded.len(), entry.len());
    for (got, sent) in decoded.iter().zip(&entry) {
        match (got, sent) {
            (Value::Number(a), Value::Number(b)) => assert_eq!(a.to_bits(), b.to_bits()),
            _ => assert_eq!(got, sent),
        }
    }
    assert_eq!(decode_entry(&[]), Some(Vec::new()));
    for broken in [&[9u8][..], &[1, 0, 0], &[2, 255, 255, 255, 255, b'a'], &[2, 1, 0, 0, 0, 0xFF]] {
        assert_eq!(decode_entry(broken), None, "{broken:?}");
    }
}

/// Every connection syncs the write-ahead log at each commit.
#[test]
fn commits_are_synced() {
    let dir = TempDir::new();
    let db = Database::open(dir.path()).unwrap();
    let mode: String =
        db.read(|c| c.pragma_query_value(None, "journal_mode", |r| r.get(0))).unwrap();
    let sync: i64 = db.read(|c| c.pragma_query_value(None, "synchronous", |r| r.get(0))).unwrap();
    assert_eq!((mode.as_str(), sync), ("wal", 2), "2 is FULL");
}

/// Writes queued together are committed together, and each is answered.
#[tokio::test]
async fn concurrent_writes_share_commits() {
    let dir = TempDir::new();
    let db = Database::open(dir.path()).unwrap();
    let pending: Vec<_> = (0..200)
        .map(|n| {
            db.write(Box::new(move |c| {
                c.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", (format!("k{n}"), n))
                    .map(|_| ())
            }))
        })
        .collect();
    // One write fails alone: the others of its batch stand.
    let failing =
        db.write(Box::new(|c| c.execute("INSERT INTO nowhere VALUES (1)", []).map(|_| ())));
    for write in pending {
        write.await.unwrap();
    }
    assert!(failing.await.is_err());
    let stored: i64 =
        db.read(|c| c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))).unwrap();
    assert_eq!(stored, 200);
    let stats = db.batch_stats();
    assert_eq!(stats.writes, 201);
    assert!(stats.batches < 200 && stats.largest > 1, "{stats:?}");
}

/// The files as they stood at the last sync point, copied by the hook.
struct SyncedFiles {
    live: PathBuf,
    synced: PathBuf,
    /// Set at the power cut: later syncs never happened.
    cut: Mutex<bool>,
}

impl SyncedFiles {
    fn copy(&self) {
        let cut = self.cut.lock().unwrap();
        if *cut {
            return;
        }
        // A slow disk: the sync takes a while, as a real one may.
        std::thread::sleep(Duration::from_millis(2));
        for suffix in ["", "-wal"] {
            let name = format!("{DATABASE_FILE}{suffix}");
            match std::fs::read(self.live.join(&name)) {
                Ok(bytes) => std::fs::write(self.synced.join(&name), bytes).unwrap(),
                Err(_) => drop(std::fs::remove_file(self.synced.join(&name))),
            }
        }
    }
}

/// A broken store: it answers a change before the database has synced it.
struct AckBeforeSync(Arc<SqliteEventStore>);

impl EventStore for AckBeforeSync {
    fn insert(&self, event: Arc<LiveEvent>) -> StoreFuture<'_, bool> {
        self.0.insert(event)
    }
    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Arc<LiveEvent>>> {
        self.0.get(id)
    }
    fn list(&self) -> StoreFuture<'_, Vec<Arc<LiveEvent>>> {
        self.0.list()
    }
    fn save<'a>(&'a self, event: &'a LiveEvent, snapshot: &'a Snapshot) -> StoreFuture<'a, ()> {
        // The write is queued at once; not waiting for it is the bug.
        drop(self.0.save(event, snapshot));
        Box::pin(std::future::ready(Ok(())))
    }
    fn remove<'a>(&'a self, id: &'a str) -> StoreFuture<'a, bool> {
        self.0.remove(id)
    }
    fn close(&self) -> StoreFuture<'_, ()> {
        self.0.close()
    }
}

const WRITERS: usize = 6;

/// Runs appends of one entry to `WRITERS` events until a power cut, then
/// recovers from the files as synced at the cut. Returns, per event, the
/// acknowledged length and the recovered log.
// Long because the load, the cut and the recovery must share one data
// directory and one view of what was acknowledged.
async fn power_cut(wrap: fn(Arc<SqliteEventStore>) -> Arc<dyn EventStore>) -> Vec<(usize, Json)> {
    let dir = TempDir::new();
    let (live, synced) = (dir.path().join("live"), dir.path().join("synced"));
    std::fs::create_dir_all(&synced).unwrap();
    let files = Arc::new(SyncedFiles {
        live: live.clone(),
        synced: synced.clone(),
        cut: Mutex::new(false),
    });
    let hook_files = files.clone();
    let hook: SyncHook = Arc::new(move || hook_files.copy());
    let node = Arc::new(Node::open(&live, Setup { hook: Some(hook), wrap, ..Setup::default() }));
    node.state.files.upload("football.xlsx", b"v1").unwrap();
    for n in 0..WRITERS {
        assert_eq!(
            node.call("POST", "/api/events", Some(&create_body(100, &format!("e{n}")))).await.0,
            StatusCode::OK
        );
    }
    let acked = Arc::new(Mutex::new(vec![0usize; WRITERS]));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| {
            let (node, acked, stop) = (node.clone(), acked.clone(), stop.clone());
            tokio::spawn(async move {
                // Capacity 5: rewrite to empty at the end of each round of four.
                let mut length = 0;
                while !stop.load(Ordering::Relaxed) {
                    let uri = format!("/api/events/e{n}/event-log");
                    let (method, entries) = if length == 4 {
                        ("PUT", json!([]))
                    } else {
                        ("POST", json!([{"type": "goal", "minute": length}]))
                    };
                    let (status, json) =
                        node.call(method, &uri, Some(&log_body(&entries, Some(length)))).await;
                    assert_eq!(status, StatusCode::OK, "{json}");
                    length = if length == 4 { 0 } else { length + 1 };
                    acked.lock().unwrap()[n] = length;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let at_cut = {
        let mut cut = files.cut.lock().unwrap();
        *cut = true;
        acked.lock().unwrap().clone()
    };
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    if let Ok(node) = Arc::try_unwrap(node) {
        node.close().await;
    }

    let node = Node::open(&synced, Setup::default());
    let mut recovered = Vec::new();
    for (n, &length) in at_cut.iter().enumerate() {
        let (_, log) = node.call("GET", &format!("/api/events/e{n}/event-log"), None).await;
        recovered.push((length, log["data"].clone()));
    }
    node.close().await;
    recovered
}

/// The log `e{n}` holds after `length` appends of the current round.
fn expected_log(length: usize) -> Json {
    Json::Array((0..length).map(|m| json!({"minute": m, "type": "goal"})).collect())
}

/// A power cut loses nothing acknowledged: each event holds exactly what was
/// acknowledged last (its next change was unanswered at the cut).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_cut_loses_nothing_acknowledged() {
    for (length, log) in power_cut(|store| store).await {
        let next = if length == 4 { 0 } else { length + 1 };
        assert!(
            log == expected_log(length) || log == expected_log(next),
            "acknowledged {length}, recovered {log}"
        );
    }
}

/// The same power cut catches a store that answers before it syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_cut_catches_a_store_that_answers_before_syncing() {
    let recovered = power_cut(|store| Arc::new(AckBeforeSync(store))).await;
    let lost = recovered.iter().filter(|(length, log)| {
        let next = if *length == 4 { 0 } else { length + 1 };
        *log != expected_log(*length) && *log != expected_log(next)
    });
    assert!(lost.count() > 0, "the broken store lost nothing: {recovered:?}");
}

/// A data directory written before the database (`catalog.json` and
/// `files/<id>/<version>.xlsx`) is imported once: every version, the
/// deleted flag, the seeded fixtures and the next id.
#[tokio::test]
async fn catalog_json_is_imported() {
    let dir = TempDir::new();
    let catalog = json!({
        "next_id": 102,
        "seeded": [1],
        "files": [
            {"id": 100, "name": "a.xlsx", "version": 2, "uploaded": "2026-12-01T10:00:00Z", "deleted": false},
            {"id": 101, "name": "b.xlsx", "version": 1, "uploaded": "2026-12-01T11:00:00Z", "deleted": true}
        ]
    });
    std::fs::write(dir.path().join("catalog.json"), catalog.to_string()).unwrap();
    for (id, version, bytes) in [(100, 1, "old"), (100, 2, "new"), (101, 1, "b")] {
        let folder = dir.path().join("files").join(id.to_string());
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{version}.xlsx")), bytes).unwrap();
    }
    let fixtures: [(u64, &str, &[u8]); 1] = [(1, "football.xlsx", b"f")];
    let node = Node::open(dir.path(), Setup { fixtures: &fixtures, ..Setup::default() });
    let (_, list) = node.call("GET", "/api/files", None).await;
    let ids: Vec<(u64, u64)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file-id"].as_u64().unwrap(), f["version"].as_u64().unwrap()))
        .collect();
    // Fixture 1 was seeded before, so it is not brought back.
    assert_eq!(ids, [(100, 2)]);
    let old = node.state.files.version_workbook(100, 1).unwrap();
    let label = old.evaluator.evaluate(&[]).unwrap().rows[4][1].clone();
    assert_eq!(label, Value::text("old"));
    assert_eq!(node.state.files.upload("c.xlsx", b"c").unwrap().id, 102);
    node.close().await;

    // Once imported, the old catalog is not read again.
    std::fs::write(dir.path().join("catalog.json"), "not json").unwrap();
    let node = Node::open(dir.path(), Setup::default());
    assert_eq!(node.state.files.list().len(), 2);
    node.close().await;
}
