//! The event routes: create, describe, list, log, append, rewrite, outcomes, release.

use axum::http::StatusCode;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::support::{code, result, TestApp};

/// Creating an event answers the guide's message and describes it with integers and RFC 3339 times.
#[tokio::test]
async fn create_and_describe() {
    let t = TestApp::new().await;
    let body = r#"{"params": {"file-id": 100, "event-id": "ssid"}}"#;
    let (status, json) = t.call("POST", "/api/events", Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json, json!({"status": 200, "data": "Session created successfully"}));

    let (status, json) = t.call("GET", "/api/events/ssid", None).await;
    assert_eq!(status, StatusCode::OK);
    let data = &json["data"];
    assert_eq!(data["event-id"], "ssid");
    assert_eq!(data["file-id"], json!(100));
    assert_eq!(data["file-version"], json!(1));
    assert_eq!(data["log-length"], json!(0));
    for field in ["created", "last-access"] {
        let text = data[field].as_str().unwrap();
        assert!(OffsetDateTime::parse(text, &Rfc3339).is_ok(), "{field}: {text}");
    }
}

/// A `file-id` given as a string of digits, or as a number with a zero
/// fraction, is accepted.
#[tokio::test]
async fn file_id_as_digit_string() {
    let t = TestApp::new().await;
    let body = r#"{"params": {"file-id": "100", "event-id": "e"}}"#;
    assert_eq!(t.call("POST", "/api/events", Some(body)).await.0, StatusCode::OK);
    let body = r#"{"params": {"file-id": 100.0, "event-id": "f"}}"#;
    assert_eq!(t.call("POST", "/api/events", Some(body)).await.0, StatusCode::OK);
}

/// The outcomes of a new event are those of the empty log, in every value form.
#[tokio::test]
async fn new_event_has_empty_log_outcomes() {
    let t = TestApp::new().await;
    t.create("e").await;
    let outcomes = t.outcomes("e").await;
    assert_eq!(outcomes[0], json!({"market": "entries", "result": 0, "D": null}));
    assert_eq!(result(&outcomes, 1), json!(null));
    assert_eq!(result(&outcomes, 2), json!({"error": "#DIV/0!"}));
    assert_eq!(result(&outcomes, 3), json!(false));
    assert_eq!(result(&outcomes, 4), json!("v1"));
    assert_eq!(t.log("e").await, json!([]));
}

/// Creating an existing event answers `EAC` with the guide's exact message.
#[tokio::test]
async fn create_twice_is_eac() {
    let t = TestApp::new().await;
    t.create("ssid").await;
    let body = r#"{"params": {"file-id": 100, "event-id": "ssid"}}"#;
    let (status, json) = t.call("POST", "/api/events", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&json), "EAC");
    assert_eq!(json["errors"][0]["message"], "Event with id 'ssid' is already created");
    assert_eq!(json["status"], json!(400));
}

/// Creating an event on a file that does not exist answers `FNF`.
#[tokio::test]
async fn create_on_unknown_file_is_fnf() {
    let t = TestApp::new().await;
    let body = r#"{"params": {"file-id": 7, "event-id": "e"}}"#;
    let (status, json) = t.call("POST", "/api/events", Some(body)).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "FNF"));
}

/// Malformed create bodies answer `BRQ`: not JSON, no params, mistyped or missing fields.
#[tokio::test]
async fn create_bad_requests() {
    let t = TestApp::new().await;
    let long = "x".repeat(129);
    let bodies = [
        "not json".to_string(),
        r#"{"file-id": 100, "event-id": "e"}"#.to_string(),
        r#"{"params": [1]}"#.to_string(),
        r#"{"params": {"event-id": "e"}}"#.to_string(),
        r#"{"params": {"file-id": 1.5, "event-id": "e"}}"#.to_string(),
        r#"{"params": {"file-id": -1, "event-id": "e"}}"#.to_string(),
        r#"{"params": {"file-id": "12a", "event-id": "e"}}"#.to_string(),
        r#"{"params": {"file-id": 100}}"#.to_string(),
        r#"{"params": {"file-id": 100, "event-id": 5}}"#.to_string(),
        r#"{"params": {"file-id": 100, "event-id": ""}}"#.to_string(),
        format!(r#"{{"params": {{"file-id": 100, "event-id": "{long}"}}}}"#),
        r#"{"params": {"file-id": 100, "event-id": "a\u0007b"}}"#.to_string(),
        r#"{"params": {"file-id": 100, "event-id": "."}}"#.to_string(),
        r#"{"params": {"file-id": 100, "event-id": ".."}}"#.to_string(),
    ];
    for body in bodies {
        let (status, json) = t.call("POST", "/api/events", Some(&body)).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{body}");
    }
}

/// An id of exactly 128 characters, counted as Unicode characters, is accepted.
#[tokio::test]
async fn event_id_of_128_characters() {
    let t = TestApp::new().await;
    let id = "é".repeat(128);
    let body = json!({"params": {"file-id": 100, "event-id": id}}).to_string();
    assert_eq!(t.call("POST", "/api/events", Some(&body)).await.0, StatusCode::OK);
}

/// Event ids in paths are percent-decoded: `a%2Fb` names the event `a/b`.
#[tokio::test]
async fn percent_encoded_event_id() {
    let t = TestApp::new().await;
    t.create("a/b").await;
    let (status, json) = t.call("GET", "/api/events/a%2Fb", None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["data"]["event-id"], "a/b");
    let (status, _) = t.append("a%2Fb", r#"[{"type": "goal"}]"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.log("a%2Fb").await, json!([{"type": "goal"}]));
}

/// Path event ids that break the rules are `BRQ`: `.`, `..`, too long, control characters, empty.
#[tokio::test]
async fn bad_event_ids_in_paths() {
    let t = TestApp::new().await;
    let long = "x".repeat(129);
    let paths = [
        "/api/events/%2E".to_string(),
        "/api/events/%2E%2E/outcomes".to_string(),
        format!("/api/events/{long}"),
        "/api/events/a%07b/event-log".to_string(),
        "/api/events//outcomes".to_string(),
        "/api/events/".to_string(),
        "/api/events/%FF%FE".to_string(),
    ];
    for path in paths {
        let (status, json) = t.call("GET", &path, None).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{path}");
    }
}

/// Appending answers the new outcomes, and the log reads back keyed by the headers as written.
#[tokio::test]
async fn append_and_read_log() {
    let t = TestApp::new().await;
    t.create("e").await;
    let entries = r#"[{"minute": 23, "type": "goal", "team": "home", "player": "No. 9"},
                      {"MINUTE": 31.0, "Type": "yellow", "team": ""}]"#;
    let (status, json) = t.append("e", entries).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(result(&json["data"], 0), json!(2));
    assert_eq!(result(&json["data"], 1), json!("yellow"));
    assert_eq!(result(&json["data"], 2), json!(0.5));
    assert_eq!(result(&json["data"], 3), json!(true));
    assert_eq!(t.outcomes("e").await, json["data"]);
    assert_eq!(
        t.log("e").await,
        json!([
            {"minute": 23, "type": "goal", "Team": "home", "player": "No. 9"},
            {"minute": 31, "type": "yellow"}
        ])
    );
    let (_, json) = t.call("GET", "/api/events/e", None).await;
    assert_eq!(json["data"]["log-length"], json!(2));
}

/// A body that starts with a UTF-8 byte-order mark, as some clients write
/// JSON, is read as the JSON after it (RFC 8259 lets a parser ignore it).
#[tokio::test]
async fn a_byte_order_mark_before_the_json_is_skipped() {
    let t = TestApp::new().await;
    t.create("e").await;
    let body = "\u{feff}{\"params\": {\"event-log\": [{\"minute\": 5, \"type\": \"goal\"}]}}";
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(t.log("e").await, json!([{"minute": 5, "type": "goal"}]));
}

/// Rewriting replaces the whole log, and an empty array clears it.
#[tokio::test]
async fn rewrite_replaces_and_clears() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}, {"type": "goal"}]"#).await;
    let body = r#"{"params": {"event-log": [[5, "red"]]}}"#;
    let (status, json) = t.call("PUT", "/api/events/e/event-log", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(result(&json["data"], 0), json!(1));
    assert_eq!(t.log("e").await, json!([{"minute": 5, "type": "red"}]));

    let body = r#"{"params": {"event-log": []}}"#;
    let (status, json) = t.call("PUT", "/api/events/e/event-log", Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result(&json["data"], 2), json!({"error": "#DIV/0!"}));
    assert_eq!(t.log("e").await, json!([]));
}

/// Release answers 204 without a body; the event is then `ENF` and its id can be created again.
#[tokio::test]
async fn release_then_recreate() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}]"#).await;
    let (status, headers, json) =
        t.send(crate::support::request("DELETE", "/api/events/e", None, None)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(json, serde_json::Value::Null);
    assert!(headers.get("content-type").is_none());
    for (method, path) in
        [("GET", "/api/events/e"), ("GET", "/api/events/e/outcomes"), ("DELETE", "/api/events/e")]
    {
        let (status, json) = t.call(method, path, None).await;
        assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"), "{method} {path}");
    }
    t.create("e").await;
    assert_eq!(t.log("e").await, json!([]));
}

/// Listing events describes every live event.
#[tokio::test]
async fn list_events() {
    let t = TestApp::new().await;
    t.create("b").await;
    t.create("a").await;
    let (status, json) = t.call("GET", "/api/events", None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> =
        json["data"].as_array().unwrap().iter().map(|e| e["event-id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
}

/// An event stays bound to its file version after the file is replaced and deleted.
#[tokio::test]
async fn event_keeps_its_file_version() {
    let t = TestApp::new().await;
    t.create("old").await;
    let (status, _, json) =
        t.send(crate::support::upload("PUT", "/api/files/100", "file", b"v2", None)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    t.create("new").await;
    let (_, old) = t.call("GET", "/api/events/old", None).await;
    let (_, new) = t.call("GET", "/api/events/new", None).await;
    assert_eq!(
        (old["data"]["file-version"].clone(), new["data"]["file-version"].clone()),
        (json!(1), json!(2))
    );

    assert_eq!(t.call("DELETE", "/api/files/100", None).await.0, StatusCode::NO_CONTENT);
    let (status, json) = t.append("old", r#"[{"type": "goal"}]"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result(&json["data"], 4), json!("v1"));
    assert_eq!(result(&t.outcomes("new").await, 4), json!("v2"));
}

/// `log-length` on append: a match applies, a mismatch is `LLM` naming the length.
#[tokio::test]
async fn append_with_log_length() {
    let t = TestApp::new().await;
    t.create("e").await;
    let body = r#"{"params": {"log-length": 0, "event-log": [{"type": "goal"}]}}"#;
    assert_eq!(t.call("POST", "/api/events/e/event-log", Some(body)).await.0, StatusCode::OK);
    let body = r#"{"params": {"log-length": 3, "event-log": [{"type": "red"}]}}"#;
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
    assert_eq!((status, code(&json)), (StatusCode::CONFLICT, "LLM"));
    let message = json["errors"][0]["message"].as_str().unwrap();
    assert!(message.ends_with("the log holds 1"), "{message}");
    assert_eq!(t.log("e").await.as_array().unwrap().len(), 1);
}

/// A retried append whose first try landed answers 200 and appends nothing,
/// whatever form the retry uses (array, key case, 1 for 1.0, missing for null).
#[tokio::test]
async fn retried_append_is_not_applied_twice() {
    let t = TestApp::new().await;
    t.create("e").await;
    let first = r#"{"params": {"log-length": 0, "event-log": [{"minute": 1.0, "type": "goal", "team": null}]}}"#;
    let (status, answer) = t.call("POST", "/api/events/e/event-log", Some(first)).await;
    assert_eq!(status, StatusCode::OK);
    let retries = [
        r#"{"params": {"log-length": 0, "event-log": [{"minute": 1.0, "type": "goal", "team": null}]}}"#,
        r#"{"params": {"log-length": 0, "event-log": [[1, "goal"]]}}"#,
        r#"{"params": {"log-length": 0, "event-log": [{"TYPE": "goal", "Minute": 1}]}}"#,
    ];
    for retry in retries {
        let (status, json) = t.call("POST", "/api/events/e/event-log", Some(retry)).await;
        assert_eq!(status, StatusCode::OK, "{retry}");
        assert_eq!(json, answer);
    }
    assert_eq!(t.log("e").await.as_array().unwrap().len(), 1);
    let different = r#"{"params": {"log-length": 0, "event-log": [[1, "Goal"]]}}"#;
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(different)).await;
    assert_eq!((status, code(&json)), (StatusCode::CONFLICT, "LLM"));
}

/// Rewrite with `log-length` is compare-and-set.
#[tokio::test]
async fn rewrite_compare_and_set() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}]"#).await;
    let stale = r#"{"params": {"log-length": 0, "event-log": [{"type": "red"}]}}"#;
    let (status, json) = t.call("PUT", "/api/events/e/event-log", Some(stale)).await;
    assert_eq!((status, code(&json)), (StatusCode::CONFLICT, "LLM"));
    let fresh = r#"{"params": {"log-length": 1, "event-log": [{"type": "red"}]}}"#;
    assert_eq!(t.call("PUT", "/api/events/e/event-log", Some(fresh)).await.0, StatusCode::OK);
    assert_eq!(t.log("e").await, json!([{"type": "red"}]));
}

/// A change beyond the capacity answers `LOF` and leaves log and outcomes as they were.
#[tokio::test]
async fn overflow_is_lof() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}, {"type": "goal"}, {"type": "goal"}]"#).await;
    let before = t.outcomes("e").await;
    let (status, json) =
        t.append("e", r#"[{"type": "red"}, {"type": "red"}, {"type": "red"}]"#).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "LOF"));
    assert_eq!(t.log("e").await.as_array().unwrap().len(), 3);
    assert_eq!(t.outcomes("e").await, before);
    let six = format!("[{}]", [r#"{"type": "red"}"#; 6].join(","));
    let (status, json) = t
        .call(
            "PUT",
            "/api/events/e/event-log",
            Some(&format!(r#"{{"params": {{"event-log": {six}}}}}"#)),
        )
        .await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "LOF"));
    let five = format!("[{}]", [r#"{"type": "red"}"#; 5].join(","));
    let (status, _) = t
        .call(
            "PUT",
            "/api/events/e/event-log",
            Some(&format!(r#"{{"params": {{"event-log": {five}}}}}"#)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}
