//! Safe retries (`api.md`, `log-length`): clients that send every append
//! twice, dropping the first answer at a random moment, interleaved on one
//! event, never duplicate or lose an entry, before or after a restart.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Value as Json};
use server::config::Config;
use server::db::Database;
use server::durable::SqliteEventStore;
use server::files::{builtin_fixtures, FileRegistry};
use server::loader::CompilerLoader;
use server::state::AppState;

use crate::engine::Random;
use crate::support::{code, TempDir};

const CLIENTS: usize = 4;
const PER_CLIENT: usize = 8;

fn football_only() -> Vec<(u64, &'static str, &'static [u8])> {
    builtin_fixtures().iter().copied().filter(|f| f.0 == 1).collect()
}

fn open(dir: &std::path::Path) -> AppState {
    let db = Database::open(dir).unwrap();
    let files =
        FileRegistry::open_in(db.clone(), Arc::new(CompilerLoader::default()), &football_only())
            .unwrap();
    let store = Arc::new(SqliteEventStore::open(db, &files).unwrap());
    AppState::new(Config { data_dir: dir.to_path_buf(), ..Config::default() }, files, store)
}

/// Entry `k` of client `c`: its player names both, so each is unique.
fn entry(c: usize, k: usize) -> Json {
    let team = ["home", "away"][c % 2];
    json!({"minute": k + 1, "period": "1H", "type": "foul", "team": team, "player": format!("c{c}k{k}")})
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
) -> (StatusCode, Json) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = crate::support::request(method, uri, body, None);
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn length(app: &axum::Router) -> usize {
    let (_, json) = call(app, "GET", "/api/events/derby", None).await;
    json["data"]["log-length"].as_u64().unwrap() as usize
}

/// One client: appends its entries one at a time with `log-length`, each
/// sent twice with the first answer dropped after a random few hundred
/// microseconds (the change may have landed or not).
async fn client(app: axum::Router, c: usize, seed: u64) {
    let mut random = Random::seeded(seed);
    let uri = "/api/events/derby/event-log";
    for k in 0..PER_CLIENT {
        let mut known = length(&app).await;
        loop {
            let body =
                json!({"params": {"log-length": known, "event-log": [entry(c, k)]}}).to_string();
            let wait = Duration::from_micros(random.between(0, 800));
            let _dropped = tokio::time::timeout(wait, call(&app, "POST", uri, Some(&body))).await;
            let (status, answer) = call(&app, "POST", uri, Some(&body)).await;
            match (status, code(&answer)) {
                (StatusCode::OK, _) => break,
                (StatusCode::CONFLICT, "LLM") => known = length(&app).await,
                (StatusCode::LOCKED, "CIP") => tokio::time::sleep(Duration::from_millis(1)).await,
                _ => panic!("client {c}, entry {k}: {status} {answer}"),
            }
        }
    }
}

/// Checks that the log holds every client's entries once, each client's in order.
fn check(log: &Json) {
    let players: Vec<&str> =
        log.as_array().unwrap().iter().map(|e| e["player"].as_str().unwrap()).collect();
    assert_eq!(players.len(), CLIENTS * PER_CLIENT, "{players:?}");
    for c in 0..CLIENTS {
        let mine: Vec<String> = players
            .iter()
            .filter(|p| p.starts_with(&format!("c{c}k")))
            .map(|p| p.to_string())
            .collect();
        let expected: Vec<String> = (0..PER_CLIENT).map(|k| format!("c{c}k{k}")).collect();
        assert_eq!(mine, expected, "client {c}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doubled_and_interleaved_appends_apply_once() {
    let mut random = Random::from_clock("doubled_and_interleaved_appends_apply_once");
    let dir = TempDir::new();
    let state = open(dir.path());
    let app = server::app(state.clone());
    let body = json!({"params": {"file-id": 1, "event-id": "derby"}}).to_string();
    assert_eq!(call(&app, "POST", "/api/events", Some(&body)).await.0, StatusCode::OK);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| tokio::spawn(client(app.clone(), c, random.between(1, u64::MAX))))
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let (_, log) = call(&app, "GET", "/api/events/derby/event-log", None).await;
    check(&log["data"]);
    state.events.close().await.unwrap();

    let app = server::app(open(dir.path()));
    let (_, recovered) = call(&app, "GET", "/api/events/derby/event-log", None).await;
    assert_eq!(recovered["data"], log["data"]);
}

/// A retry that arrives after another client appended still finds its
/// entries at its position and answers the current outcomes; a different
/// entry at that position is a mismatch naming the current length.
#[tokio::test]
async fn late_retry_answers_current_outcomes() {
    let dir = TempDir::new();
    let state = open(dir.path());
    let app = server::app(state.clone());
    let body = json!({"params": {"file-id": 1, "event-id": "derby"}}).to_string();
    assert_eq!(call(&app, "POST", "/api/events", Some(&body)).await.0, StatusCode::OK);
    let uri = "/api/events/derby/event-log";
    let first = json!({"params": {"log-length": 0, "event-log": [entry(0, 0)]}}).to_string();
    let other = json!({"params": {"log-length": 1, "event-log": [entry(1, 0)]}}).to_string();
    assert_eq!(call(&app, "POST", uri, Some(&first)).await.0, StatusCode::OK);
    let (_, after_other) = call(&app, "POST", uri, Some(&other)).await;
    let (status, retried) = call(&app, "POST", uri, Some(&first)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(retried["data"], after_other["data"], "the retry answers the current outcomes");
    let wrong = json!({"params": {"log-length": 0, "event-log": [entry(2, 0)]}}).to_string();
    let (status, json) = call(&app, "POST", uri, Some(&wrong)).await;
    assert_eq!((status, code(&json)), (StatusCode::CONFLICT, "LLM"));
    assert!(json["errors"][0]["message"].as_str().unwrap().contains("holds 2"), "{json}");
    assert_eq!(length(&app).await, 2);
    state.events.close().await.unwrap();
}
