//! The envelope of failures: unknown routes and methods, malformed and
//! over-size requests, internal errors, unavailability, and which error wins.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{code, request, upload, TestApp};

/// An unknown route answers `RNF` in the JSON envelope.
#[tokio::test]
async fn unknown_route_is_rnf() {
    let t = TestApp::new().await;
    for path in ["/nope", "/api/events/e/nothing", "/api"] {
        let (status, headers, json) = t.send(request("GET", path, None, None)).await;
        assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "RNF"), "{path}");
        assert_eq!(json["status"], json!(404));
        assert_eq!(headers["content-type"], "application/json");
    }
}

/// A wrong method answers `MNA` in the JSON envelope.
#[tokio::test]
async fn wrong_method_is_mna() {
    let t = TestApp::new().await;
    for (method, path) in
        [("PATCH", "/api/events"), ("POST", "/api/events/e/outcomes"), ("DELETE", "/health")]
    {
        let (status, json) = t.call(method, path, None).await;
        assert_eq!(
            (status, code(&json)),
            (StatusCode::METHOD_NOT_ALLOWED, "MNA"),
            "{method} {path}"
        );
        assert_eq!(json["status"], json!(405));
    }
}

/// `/health` answers 200 once serving.
#[tokio::test]
async fn health() {
    let t = TestApp::new().await;
    let (status, json) = t.call("GET", "/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["status"], json!(200));
}

/// The administrative page is HTML served from the binary.
#[tokio::test]
async fn admin_page() {
    let t = TestApp::new().await;
    for path in ["/", "/admin"] {
        let (status, headers, json) = t.send(request("GET", path, None, None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(json.as_str().unwrap().contains("/api/files"));
    }
}

/// A body over the configured limit answers `TLA`.
#[tokio::test]
async fn body_too_large_is_tla() {
    let t = TestApp::with_config(|c| c.max_body = 1024).await;
    t.create("e").await;
    let player = "x".repeat(2000);
    let (status, json) =
        t.append("e", &format!(r#"[{{"type": "goal", "player": "{player}"}}]"#)).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
    assert_eq!(json["status"], json!(413));
}

/// A chunked body, with no length announced, is cut at the limit and answers `TLA`.
#[tokio::test]
async fn chunked_body_too_large_is_tla() {
    let t = TestApp::with_config(|c| c.max_body = 1024).await;
    t.create("e").await;
    let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b' '; 64]));
    let body = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
    let request = axum::http::Request::post("/api/events/e/event-log").body(body).unwrap();
    let (status, _, json) = t.send(request).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
}

/// Unknown routes answer `STU` too while the engine is unavailable.
#[tokio::test]
async fn unavailable_wins_over_unknown_route() {
    let t = TestApp::new().await;
    t.state.set_available(false);
    let (status, json) = t.call("GET", "/nope", None).await;
    assert_eq!((status, code(&json)), (StatusCode::SERVICE_UNAVAILABLE, "STU"));
}

/// An upload over the configured limit answers `TLA`.
#[tokio::test]
async fn upload_too_large_is_tla() {
    let t = TestApp::with_config(|c| c.max_upload = 1000).await;
    let (status, _, json) = t.send(upload("POST", "/api/files", "file", &[b'x'; 4000], None)).await;
    assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"));
}

/// A failing evaluator answers 500 `ISE` saying nothing internal, and changes nothing.
#[tokio::test]
async fn failing_evaluator_is_ise() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}]"#).await;
    let before = t.outcomes("e").await;
    for team in ["fail", "panic"] {
        let (status, json) =
            t.append("e", &format!(r#"[{{"type": "red", "team": "{team}"}}]"#)).await;
        assert_eq!((status, code(&json)), (StatusCode::INTERNAL_SERVER_ERROR, "ISE"), "{team}");
        let text = json.to_string();
        assert!(!text.contains("secret") && !text.contains("panic"), "{text}");
        assert_eq!(json["errors"][0]["message"], "internal error");
    }
    assert_eq!(t.outcomes("e").await, before);
    assert_eq!(t.log("e").await.as_array().unwrap().len(), 1);
}

/// While the engine is unavailable every request answers 503 `STU` with `Retry-After`.
#[tokio::test]
async fn unavailable_is_stu() {
    let t = TestApp::new().await;
    t.create("e").await;
    t.state.set_available(false);
    for (method, path) in
        [("GET", "/health"), ("GET", "/api/events/e/outcomes"), ("POST", "/api/events")]
    {
        let (status, headers, json) = t.send(request(method, path, Some("{}"), None)).await;
        assert_eq!((status, code(&json)), (StatusCode::SERVICE_UNAVAILABLE, "STU"), "{path}");
        assert_eq!(headers["retry-after"], "1");
    }
    t.state.set_available(true);
    assert_eq!(t.call("GET", "/api/events/e/outcomes", None).await.0, StatusCode::OK);
}

/// Bodies need no Content-Type; one that is not JSON, or lacks params, is `BRQ`.
#[tokio::test]
async fn bodies_are_json_without_content_type() {
    let t = TestApp::new().await;
    t.create("e").await;
    for body in ["", "{", "[1]", r#"{"param": {}}"#, r#"{"params": "x"}"#] {
        let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{body:?}");
    }
}

/// A body that is JSON but not an object says what shape is expected, in
/// words a person can act on rather than the decoder's.
#[tokio::test]
async fn non_object_bodies_name_the_expected_shape() {
    let t = TestApp::new().await;
    t.create("e").await;
    for body in ["null", "[1]", "12", r#""params""#] {
        let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
        assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"), "{body:?}");
        let message = json["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(r#"{"params": {...}}"#), "{body:?}: {message}");
    }
    let (_, json) = t.call("POST", "/api/events/e/event-log", Some(r#"{"params": NaN}"#)).await;
    let message = json["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("the body is not valid JSON"), "{message}");
}

/// Precedence: a missing token wins over an over-size body.
#[tokio::test]
async fn token_before_size() {
    let t = TestApp::with_config(|c| {
        c.api_token = Some("api".into());
        c.max_body = 16;
    })
    .await;
    let body = "x".repeat(100);
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(&body)).await;
    assert_eq!((status, code(&json)), (StatusCode::UNAUTHORIZED, "UNA"));
}

/// Precedence: an over-size body wins over a body that is not JSON and over a bad event id.
#[tokio::test]
async fn size_before_malformed() {
    let t = TestApp::with_config(|c| c.max_body = 16).await;
    let body = "x".repeat(100);
    for path in ["/api/events/e/event-log", "/api/events/%2E/event-log", "/api/events"] {
        let (status, json) = t.call("POST", path, Some(&body)).await;
        assert_eq!((status, code(&json)), (StatusCode::PAYLOAD_TOO_LARGE, "TLA"), "{path}");
    }
}

/// Precedence: a malformed body wins over an unknown event or file.
#[tokio::test]
async fn malformed_before_not_found() {
    let t = TestApp::new().await;
    let (status, json) = t.call("POST", "/api/events/ghost/event-log", Some("nope")).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"));
    let (status, json) = t.call("POST", "/api/events", Some(r#"{"params": {"file-id": 9}}"#)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "BRQ"));
}

/// Precedence: an unknown event wins over invalid entries; an unknown file over an existing event.
#[tokio::test]
async fn not_found_before_entries_and_exists() {
    let t = TestApp::new().await;
    let (status, json) = t.append("ghost", r#"[{"nope": 1}]"#).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
    t.create("e").await;
    let (status, json) =
        t.call("POST", "/api/events", Some(r#"{"params": {"file-id": 9, "event-id": "e"}}"#)).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "FNF"));
}

/// Precedence: invalid entries win over a log-length mismatch and an overflow.
#[tokio::test]
async fn entries_before_log_checks() {
    let t = TestApp::new().await;
    t.create("e").await;
    let body = r#"{"params": {"log-length": 9, "event-log": [{"nope": 1}]}}"#;
    let (status, json) = t.call("POST", "/api/events/e/event-log", Some(body)).await;
    assert_eq!((status, code(&json)), (StatusCode::BAD_REQUEST, "ILE"));
}
