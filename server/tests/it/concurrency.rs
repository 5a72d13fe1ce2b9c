//! Changes held open: a second change answers `CIP`, reads never wait.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{code, request, result, TestApp};

/// Starts an append that waits at the gate, and returns its task.
async fn hold(t: &Arc<TestApp>) -> tokio::task::JoinHandle<(StatusCode, serde_json::Value)> {
    let app = t.clone();
    let task =
        tokio::spawn(async move { app.append("e", r#"[{"type": "red", "team": "hold"}]"#).await });
    t.gate.wait_held().await;
    task
}

/// A change while another is applied answers 423 `CIP` with `Retry-After`;
/// reads see the state before the held change; the held change then lands.
#[tokio::test]
async fn concurrent_changes_are_cip() {
    let t = Arc::new(TestApp::new().await);
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}]"#).await;
    let held = hold(&t).await;

    let append = r#"{"params": {"event-log": [{"type": "goal"}]}}"#;
    for (method, body) in [("POST", Some(append)), ("PUT", Some(append))] {
        let (status, headers, json) =
            t.send(request(method, "/api/events/e/event-log", body, None)).await;
        assert_eq!((status, code(&json)), (StatusCode::LOCKED, "CIP"), "{method}");
        assert_eq!(headers["retry-after"], "1");
    }
    let (status, json) = t.call("DELETE", "/api/events/e", None).await;
    assert_eq!((status, code(&json)), (StatusCode::LOCKED, "CIP"));

    assert_eq!(result(&t.outcomes("e").await, 0), json!(1));
    assert_eq!(t.log("e").await, json!([{"type": "goal"}]));
    let (_, json) = t.call("GET", "/api/events/e", None).await;
    assert_eq!(json["data"]["log-length"], json!(1));

    t.gate.open();
    let (status, json) = held.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(result(&json["data"], 0), json!(2));
    assert_eq!(result(&t.outcomes("e").await, 1), json!("red"));
}

/// Precedence: invalid entries answer `ILE` even while a change is held;
/// an overflow or a log-length mismatch answers `CIP` then.
#[tokio::test]
async fn cip_between_entries_and_log_checks() {
    let t = Arc::new(TestApp::new().await);
    t.create("e").await;
    let held = hold(&t).await;

    let (status, json) = t.append("e", r#"[{"nope": 1}]"#).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"));
    let six = format!("[{}]", [r#"{"type": "red"}"#; 6].join(","));
    let (status, json) = t.append("e", &six).await;
    assert_eq!((status, code(&json)), (StatusCode::LOCKED, "CIP"));
    let body = r#"{"params": {"log-length": 7, "event-log": [{"type": "red"}]}}"#;
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
    assert_eq!((status, code(&json)), (StatusCode::LOCKED, "CIP"));

    t.gate.open();
    assert_eq!(held.await.unwrap().0, StatusCode::OK);
}

/// Changes to different events do not block each other.
#[tokio::test]
async fn other_events_are_not_blocked() {
    let t = Arc::new(TestApp::new().await);
    t.create("e").await;
    t.create("f").await;
    let held = hold(&t).await;
    assert_eq!(t.append("f", r#"[{"type": "goal"}]"#).await.0, StatusCode::OK);
    t.gate.open();
    assert_eq!(held.await.unwrap().0, StatusCode::OK);
}

/// A change whose client goes away mid-evaluation still lands whole:
/// persisted, published, and the lock freed.
#[tokio::test]
async fn abandoned_change_still_lands() {
    let t = Arc::new(TestApp::new().await);
    t.create("e").await;
    let held = hold(&t).await;
    held.abort();
    t.gate.open();
    for _ in 0..2000 {
        if t.log("e").await.as_array().unwrap().len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(t.log("e").await, json!([{"type": "red", "Team": "hold"}]));
    assert_eq!(result(&t.outcomes("e").await, 0), json!(1));
    assert_eq!(t.append("e", r#"[{"type": "goal"}]"#).await.0, StatusCode::OK);
}
