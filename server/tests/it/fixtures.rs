//! The fixture workbooks served through the API: seeded as files 1 and 2,
//! compiled by the real pipeline, and answering LibreOffice's values for
//! every fixture log (`fixtures/expected`, computed by LibreOffice, never by us).

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{json, Value as Json};
use server::config::Config;
use server::files::{builtin_fixtures, FileRegistry};
use server::loader::CompilerLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;
use tower::ServiceExt;

use crate::support::{code, request, TempDir};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures")
}

fn read_json(path: PathBuf) -> Json {
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
) -> (StatusCode, Json) {
    let response = app.clone().oneshot(request(method, uri, body, None)).await.unwrap();
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Json::Null))
}

fn app(dir: &TempDir) -> axum::Router {
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let loader = Arc::new(CompilerLoader::default());
    let files = FileRegistry::open(dir.path(), loader, builtin_fixtures()).unwrap();
    server::app(AppState::new(config, files, Arc::new(MemoryEventStore::default())))
}

/// The logs of a fixture, as (log name, entries), in name order.
fn logs(stem: &str) -> Vec<(String, Json)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join("logs").join(stem))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let name = |p: &PathBuf| p.file_stem().unwrap().to_string_lossy().into_owned();
    paths.into_iter().map(|p| (name(&p), read_json(p))).collect()
}

/// A new data directory is seeded with the fixtures as files 1 and 2.
#[tokio::test]
async fn fixtures_are_files_1_and_2() {
    let dir = TempDir::new();
    let (status, json) = send(&app(&dir), "GET", "/api/files", None).await;
    assert_eq!(status, StatusCode::OK);
    let files: Vec<(Json, Json)> = json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file-id"].clone(), f["name"].clone()))
        .collect();
    assert_eq!(files, [(json!(1), json!("football.xlsx")), (json!(2), json!("basketball.xlsx"))]);
    assert_eq!(json["data"][0]["capacity"], json!(300));
    assert_eq!(json["data"][1]["capacity"], json!(400));
}

/// Every fixture log, rewritten into an event, answers LibreOffice's `OUT` values.
#[tokio::test]
async fn every_fixture_log_answers_libreoffice_values() {
    let dir = TempDir::new();
    let app = app(&dir);
    let mut checked = 0;
    for (file_id, stem) in [(1, "football"), (2, "basketball")] {
        for (log_name, entries) in logs(stem) {
            let expected = read_json(
                fixtures_dir().join("expected").join(stem).join(format!("{log_name}.json")),
            );
            let id = format!("{stem}-{log_name}");
            let create = json!({"params": {"file-id": file_id, "event-id": id}}).to_string();
            assert_eq!(send(&app, "POST", "/api/events", Some(&create)).await.0, StatusCode::OK);
            let rewrite = json!({"params": {"event-log": entries}}).to_string();
            let (status, json) =
                send(&app, "PUT", &format!("/api/events/{id}/event-log"), Some(&rewrite)).await;
            assert_eq!(status, StatusCode::OK, "{id}: {json}");
            assert_eq!(json["data"], expected["out"], "{id}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} fixture logs found");
}

/// Whether two `OUT` answers agree: numbers to a relative 1e-9 (exactly
/// where LibreOffice's value is 0), everything else exactly.
fn same_outcomes(expected: &Json, got: &Json) -> bool {
    match (expected, got) {
        (Json::Number(e), Json::Number(g)) => {
            let (e, g) = (e.as_f64().unwrap(), g.as_f64().unwrap());
            if e == 0.0 {
                g == 0.0
            } else {
                ((g - e) / e).abs() <= 1e-9
            }
        }
        (Json::Array(e), Json::Array(g)) => {
            e.len() == g.len() && e.iter().zip(g).all(|(e, g)| same_outcomes(e, g))
        }
        (Json::Object(e), Json::Object(g)) => {
            e.len() == g.len()
                && e.iter().all(|(k, v)| g.get(k).is_some_and(|w| same_outcomes(v, w)))
        }
        _ => expected == got,
    }
}

/// Every fixture log gives LibreOffice's values whether it is appended one
/// entry at a time, appended all at once, or written by rewrite.
#[tokio::test]
async fn every_fixture_log_three_ways() {
    let dir = TempDir::new();
    let app = app(&dir);
    let mut checked = 0;
    for (file_id, stem) in [(1, "football"), (2, "basketball")] {
        for (log_name, entries) in logs(stem) {
            let path = fixtures_dir().join("expected").join(stem).join(format!("{log_name}.json"));
            let expected = read_json(path)["out"].clone();
            let entries = entries.as_array().unwrap().clone();
            let mut answers = Vec::new();
            for way in ["one-by-one", "all-at-once", "rewrite"] {
                let id = format!("{stem}-{log_name}-{way}");
                let create = json!({"params": {"file-id": file_id, "event-id": id}}).to_string();
                assert_eq!(
                    send(&app, "POST", "/api/events", Some(&create)).await.0,
                    StatusCode::OK
                );
                let uri = format!("/api/events/{id}/event-log");
                let batches: Vec<Vec<Json>> = match way {
                    "one-by-one" => entries.iter().map(|e| vec![e.clone()]).collect(),
                    _ => vec![entries.clone()],
                };
                let method = if way == "rewrite" { "PUT" } else { "POST" };
                let mut last = Json::Null;
                for batch in batches {
                    let body = json!({"params": {"event-log": batch}}).to_string();
                    let (status, json) = send(&app, method, &uri, Some(&body)).await;
                    assert_eq!(status, StatusCode::OK, "{id}: {json}");
                    last = json["data"].clone();
                }
                if entries.is_empty() {
                    last = send(&app, "GET", &format!("/api/events/{id}/outcomes"), None).await.1
                        ["data"]
                        .clone();
                }
                assert!(
                    same_outcomes(&expected, &last),
                    "{id}: LibreOffice {expected}\ngot {last}"
                );
                answers.push(last);
            }
            assert!(answers.windows(2).all(|w| w[0] == w[1]), "{stem}/{log_name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} fixture logs found");
}

/// A log at the fixture's capacity is served; one entry more is `LOF`.
#[tokio::test]
async fn fixture_capacity_is_enforced() {
    let dir = TempDir::new();
    let app = app(&dir);
    let entries = read_json(fixtures_dir().join("logs").join("football").join("capacity.json"));
    assert_eq!(entries.as_array().unwrap().len(), 300);
    let create = r#"{"params": {"file-id": 1, "event-id": "full"}}"#;
    assert_eq!(send(&app, "POST", "/api/events", Some(create)).await.0, StatusCode::OK);
    let rewrite = json!({"params": {"event-log": entries}}).to_string();
    assert_eq!(
        send(&app, "PUT", "/api/events/full/event-log", Some(&rewrite)).await.0,
        StatusCode::OK
    );
    let one_more = json!({"params": {"event-log": [entries[0].clone()]}}).to_string();
    let (status, json) = send(&app, "POST", "/api/events/full/event-log", Some(&one_more)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "LOF"));
}
