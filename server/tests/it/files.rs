//! The file routes, persistence of the data directory, and fixture seeding.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;
use server::files::{seed_fixtures, FileRegistry};

use crate::support::{code, upload, FakeLoader, TempDir, TestApp};

/// An upload answers the full description, with ids from 100 and integers where the spec says so.
#[tokio::test]
async fn upload_describes_the_file() {
    let t = TestApp::new().await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", b"v1", None)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let data = &json["data"];
    assert_eq!(data["file-id"], json!(101));
    assert_eq!(data["name"], "book.xlsx");
    assert_eq!(data["version"], json!(1));
    assert_eq!(data["input-columns"], json!(["minute", "type", "Team", "player"]));
    assert_eq!(data["derived-columns"], json!(["home_goals"]));
    assert_eq!(data["capacity"], json!(5));
    assert_eq!(data["out-headers"], json!(["market", "result", "D"]));
    assert_eq!(data["out-rows"], json!(5));
    assert_eq!(data["events"], json!(0));
    assert_eq!(data["evaluator"], json!({"state": "interpreted", "reason": null}));
    assert!(json.get("warnings").is_none());
}

/// A refused workbook answers `IWF` with one located item per error, warnings apart.
#[tokio::test]
async fn refused_workbook_is_iwf() {
    let t = TestApp::new().await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", b"bad", None)).await;
    assert_eq!((status, code(&json)), (StatusCode::UNPROCESSABLE_ENTITY, "IWF"));
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[0]["sheet"].as_str(), errors[0]["cell"].as_str()),
        (Some("OUT"), Some("B2"))
    );
    assert_eq!((errors[1]["sheet"].as_str(), errors[1]["cell"].as_str()), (Some("IN"), Some("E2")));
    assert_eq!(json["warnings"][0]["sheet"], "Scratch");
    let message = errors[0]["message"].as_str().unwrap();
    assert_eq!(message, "unsupported function FOO (formula =FOO(1))");
    assert_eq!(t.call("GET", "/api/files", None).await.1["data"].as_array().unwrap().len(), 1);
}

/// Warnings of an accepted workbook come with the answer.
#[tokio::test]
async fn upload_warnings() {
    let t = TestApp::new().await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", b"warn", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["warnings"][0]["sheet"], "Scratch");
}

/// An upload without the `file` field, or not multipart at all, is `BRQ`.
#[tokio::test]
async fn upload_needs_the_file_field() {
    let t = TestApp::new().await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "other", b"v1", None)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"));
    let (status, json) = t.call("POST", "/api/files", Some("{}")).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"));
}

/// Replacing grows the version by one; replacing an unknown file is `FNF`.
#[tokio::test]
async fn replace_grows_the_version() {
    let t = TestApp::new().await;
    let (status, _, json) = t.send(upload("PUT", "/api/files/100", "file", b"v2", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (json["data"]["file-id"].clone(), json["data"]["version"].clone()),
        (json!(100), json!(2))
    );
    let (status, _, json) = t.send(upload("PUT", "/api/files/555", "file", b"v2", None)).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "FNF"));
    let (status, _, json) = t.send(upload("PUT", "/api/files/100", "file", b"bad", None)).await;
    assert_eq!((status, code(&json)), (StatusCode::UNPROCESSABLE_ENTITY, "IWF"));
    assert_eq!(t.call("GET", "/api/files/100", None).await.1["data"]["version"], json!(2));
}

/// Describe counts live events; delete answers 204, then the id is `FNF` and leaves the list.
#[tokio::test]
async fn describe_and_delete() {
    let t = TestApp::new().await;
    t.create("e").await;
    let (status, json) = t.call("GET", "/api/files/100", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"]["events"], json!(1));
    let (status, json) = t.call("DELETE", "/api/files/100", None).await;
    assert_eq!((status, json), (StatusCode::NO_CONTENT, serde_json::Value::Null));
    for (method, path) in
        [("GET", "/api/files/100"), ("DELETE", "/api/files/100"), ("GET", "/api/files/abc")]
    {
        let (status, json) = t.call(method, path, None).await;
        assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "FNF"), "{method} {path}");
    }
    assert_eq!(t.call("GET", "/api/files", None).await.1["data"], json!([]));
    let (status, json) = t.call("GET", "/api/files/%FF", None).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"));
    let (status, json) = t
        .call("POST", "/api/events", Some(r#"{"params": {"file-id": 100, "event-id": "f"}}"#))
        .await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "FNF"));
}

fn open(dir: &TempDir, fixtures: &[(u64, &str, &[u8])]) -> FileRegistry {
    let loader = Arc::new(FakeLoader { gate: Arc::default() });
    FileRegistry::open(dir.path(), loader, fixtures).unwrap()
}

/// Files survive a restart: same ids, versions and names, and new ids continue after them.
#[test]
fn files_persist_across_restarts() {
    let dir = TempDir::new();
    let registry = open(&dir, &[]);
    let first = registry.upload("a.xlsx", b"one").unwrap();
    registry.replace(first.id, "a.xlsx", b"two").unwrap();
    let second = registry.upload("../../etc/passwd", b"three").unwrap();
    registry.delete(second.id).unwrap();
    drop(registry);

    let registry = open(&dir, &[]);
    let files = registry.list();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].id, files[0].version, files[0].name.as_str()), (100, 2, "a.xlsx"));
    assert!(registry.current(101).is_none());
    assert_eq!(registry.upload("b.xlsx", b"four").unwrap().id, 102);
    assert!(!dir.path().join("etc").exists());
}

/// Fixtures are seeded into a new directory under their ids; one deleted stays deleted.
#[test]
fn fixtures_are_seeded_once() {
    let dir = TempDir::new();
    let fixtures: [(u64, &str, &[u8]); 2] =
        [(1, "football.xlsx", b"f"), (2, "basketball.xlsx", b"b")];
    let registry = open(&dir, &fixtures);
    let ids: Vec<u64> = registry.list().iter().map(|f| f.id).collect();
    assert_eq!(ids, [1, 2]);
    registry.delete(1).unwrap();
    assert_eq!(registry.upload("mine.xlsx", b"m").unwrap().id, 100);
    drop(registry);

    seed_fixtures(dir.path(), &fixtures).unwrap();
    let registry = open(&dir, &fixtures);
    let ids: Vec<u64> = registry.list().iter().map(|f| f.id).collect();
    assert_eq!(ids, [2, 100]);
}
