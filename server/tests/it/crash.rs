//! Crash and shutdown of the real `sengine` binary under concurrent appends.
//!
//! Clients append pairs of entries with `log-length` to many events. The
//! engine is then killed with SIGKILL at a random moment (or stopped with
//! SIGTERM), and restarted on the same data directory. Every acknowledged
//! pair must be there, in order; an unacknowledged pair is whole or absent;
//! and the recovered outcomes are those of the log evaluated afresh.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value as Json};
use server::files::builtin_fixtures;
use server::loader::{CompilerLoader, LoadedWorkbook, WorkbookLoader};

use crate::engine::{call, Engine, Random};
use crate::support::TempDir;

const EVENTS: usize = 12;
const CLIENTS: usize = 4;
/// Entries per append: a half-applied append would leave an odd length.
const PAIR: usize = 2;

/// Entry `index` of event `event`'s planned log: distinct per position, so
/// a duplicated or lost entry shows.
fn planned(event: usize, index: usize) -> Json {
    let kind = ["corner", "foul", "foul"][index % 3];
    let team = ["home", "away"][(event + index) % 2];
    json!({"minute": index % 90 + 1, "period": "1H", "type": kind, "team": team,
           "player": format!("p{event}x{index}")})
}

fn event_id(event: usize) -> String {
    format!("match-{event}")
}

/// What the clients know: per event, the log length last acknowledged.
struct Ledger {
    acked: Mutex<Vec<usize>>,
    answers: Mutex<Vec<u16>>,
}

impl Ledger {
    fn new() -> Arc<Ledger> {
        Arc::new(Ledger { acked: Mutex::new(vec![0; EVENTS]), answers: Mutex::default() })
    }

    fn acked(&self, event: usize) -> usize {
        self.acked.lock().unwrap()[event]
    }
}

/// Starts `CLIENTS` threads appending pairs until `stop` is set or the
/// engine stops answering; each records what was acknowledged in `ledger`.
fn run_clients(
    engine: &Engine,
    ledger: &Arc<Ledger>,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..CLIENTS)
        .map(|client| {
            let (address, ledger, stop) = (engine.address, ledger.clone(), stop.clone());
            std::thread::spawn(move || {
                let mine: Vec<usize> = (client..EVENTS).step_by(CLIENTS).collect();
                let mut known: Vec<usize> = mine.iter().map(|&e| ledger.acked(e)).collect();
                for turn in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let slot = turn % mine.len();
                    let (event, length) = (mine[slot], known[slot]);
                    let entries: Vec<Json> =
                        (length..length + PAIR).map(|i| planned(event, i)).collect();
                    let body = json!({"params": {"log-length": length, "event-log": entries}});
                    let path = format!("/api/events/{}/event-log", event_id(event));
                    match call(address, "POST", &path, Some(&body.to_string())) {
                        Ok((status, answer)) => {
                            ledger.answers.lock().unwrap().push(status);
                            match status {
                                200 => {
                                    known[slot] += PAIR;
                                    ledger.acked.lock().unwrap()[event] = known[slot];
                                }
                                503 => assert_eq!(answer["errors"][0]["code"], "STU"),
                                _ => panic!("append to {event} at {length}: {status} {answer}"),
                            }
                        }
                        // The engine went away: this append may or may not have landed.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect()
}

/// The football fixture compiled in this process, to evaluate logs afresh.
fn football() -> LoadedWorkbook {
    let (_, name, bytes) = builtin_fixtures().iter().find(|f| f.0 == 1).unwrap();
    CompilerLoader::default().load(name, bytes).unwrap()
}

/// The outcomes of `log` evaluated by a freshly compiled workbook.
fn fresh_outcomes(workbook: &LoadedWorkbook, log: &Json) -> Json {
    let raw = serde_json::value::to_raw_value(log).unwrap();
    let entries = server::entries::read_entries(&raw, &workbook.program.input).unwrap();
    let outcomes = workbook.evaluator.evaluate(&entries).unwrap();
    let rendered = server::json::render_outcomes(&workbook.program.output, &outcomes).unwrap();
    serde_json::from_str(rendered.get()).unwrap()
}

/// Checks every event after a restart and brings the ledger up to date
/// with appends that landed without an answer.
fn verify(engine: &Engine, ledger: &Ledger, workbook: &LoadedWorkbook, round: usize) {
    for event in 0..EVENTS {
        let id = event_id(event);
        let (status, log) = engine.call("GET", &format!("/api/events/{id}/event-log"), None);
        assert_eq!(status, 200, "round {round}: {id} was not recovered: {log}");
        let log = &log["data"];
        let length = log.as_array().unwrap().len();
        let acked = ledger.acked(event);
        // One append per event can be in flight when the engine dies.
        assert!(
            length == acked || length == acked + PAIR,
            "round {round}: {id} holds {length} entries, {acked} were acknowledged"
        );
        let expected: Vec<Json> = (0..length).map(|i| planned(event, i)).collect();
        assert_eq!(log, &Json::Array(expected), "round {round}: {id}'s log");
        let (status, outcomes) = engine.call("GET", &format!("/api/events/{id}/outcomes"), None);
        assert_eq!(status, 200);
        assert_eq!(outcomes["data"], fresh_outcomes(workbook, log), "round {round}: {id}");
        ledger.acked.lock().unwrap()[event] = length;
    }
}

fn create_events(engine: &Engine) {
    for event in 0..EVENTS {
        let body = json!({"params": {"file-id": 1, "event-id": event_id(event)}}).to_string();
        let (status, answer) = engine.call("POST", "/api/events", Some(&body));
        assert_eq!(status, 200, "{answer}");
    }
}

/// Five SIGKILLs at random moments under load; after each restart nothing
/// acknowledged is lost, nothing is half-applied, outcomes are recomputed.
#[test]
fn acknowledged_appends_survive_sigkill() {
    let mut random = Random::from_clock("acknowledged_appends_survive_sigkill");
    let data = TempDir::new();
    let workbook = football();
    let ledger = Ledger::new();
    let mut engine = Engine::start(data.path(), &[]);
    create_events(&engine);
    for round in 0..5 {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = run_clients(&engine, &ledger, &stop);
        std::thread::sleep(Duration::from_millis(random.between(150, 600)));
        engine.kill();
        for client in clients {
            client.join().unwrap();
        }
        let before: usize = (0..EVENTS).map(|e| ledger.acked(e)).sum();
        engine = Engine::start(data.path(), &[]);
        verify(&engine, &ledger, &workbook, round);
        assert!(before > 0, "round {round}: no append was acknowledged");
    }
}

/// SIGTERM under load: changes in flight finish, later requests answer
/// `STU`, the process exits 0, and every acknowledged append is there.
#[test]
fn sigterm_finishes_changes_and_exits_cleanly() {
    let data = TempDir::new();
    let workbook = football();
    let ledger = Ledger::new();
    let mut engine = Engine::start(data.path(), &["--shutdown-grace", "400ms"]);
    create_events(&engine);
    let stop = Arc::new(AtomicBool::new(false));
    let clients = run_clients(&engine, &ledger, &stop);
    std::thread::sleep(Duration::from_millis(300));
    engine.terminate();
    let status = engine.wait(Duration::from_secs(30));
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    assert_eq!(status.code(), Some(0), "exit status {status}");
    let answers = ledger.answers.lock().unwrap().clone();
    let count = |code| answers.iter().filter(|&&s| s == code).count();
    assert!(count(200) > 0, "no append was acknowledged before SIGTERM");
    assert!(count(503) > 0, "no request arrived during shutdown: {} answers", answers.len());
    // After the first STU a client gets only STU or no connection: no
    // change is applied once shutdown began.
    let first_stu = answers.iter().position(|&s| s == 503).unwrap();
    let late_ok = answers[first_stu..].iter().filter(|&&s| s == 200).count();
    assert!(late_ok <= CLIENTS, "{late_ok} changes applied after the first STU");

    let engine = Engine::start(data.path(), &[]);
    for event in 0..EVENTS {
        let id = event_id(event);
        let (_, log) = engine.call("GET", &format!("/api/events/{id}/event-log"), None);
        let log = &log["data"];
        // A clean stop answers every change it applied.
        assert_eq!(log.as_array().unwrap().len(), ledger.acked(event), "{id}");
        let expected: Vec<Json> = (0..ledger.acked(event)).map(|i| planned(event, i)).collect();
        assert_eq!(log, &Json::Array(expected));
        let (_, outcomes) = engine.call("GET", &format!("/api/events/{id}/outcomes"), None);
        assert_eq!(outcomes["data"], fresh_outcomes(&workbook, log));
    }
}
