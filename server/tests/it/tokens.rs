//! Token rules: the admin token on files and the event list, the API token
//! (or the admin token) on the event routes.

use axum::http::StatusCode;

use crate::support::{code, request, upload, TestApp};

async fn status(
    t: &TestApp,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> StatusCode {
    let (status, headers, json) = t.send(request(method, path, body, token)).await;
    if status == StatusCode::UNAUTHORIZED {
        assert_eq!(code(&json), "UNA");
        assert_eq!(headers["www-authenticate"], "Bearer");
    }
    status
}

/// Without tokens configured, every route is open.
#[tokio::test]
async fn no_tokens_configured() {
    let t = TestApp::new().await;
    assert_eq!(status(&t, "GET", "/api/files", None, None).await, StatusCode::OK);
    assert_eq!(status(&t, "GET", "/api/events", None, None).await, StatusCode::OK);
}

/// An admin token guards files and the event list, but not the other event routes.
#[tokio::test]
async fn admin_token() {
    let t = TestApp::with_config(|c| c.admin_token = Some("adm".into())).await;
    for token in [None, Some("wrong"), Some("ADM"), Some("adm2")] {
        assert_eq!(status(&t, "GET", "/api/files", None, token).await, StatusCode::UNAUTHORIZED);
        assert_eq!(
            status(&t, "GET", "/api/files/100", None, token).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(status(&t, "GET", "/api/events", None, token).await, StatusCode::UNAUTHORIZED);
    }
    let (code_, _, _) = t.send(upload("POST", "/api/files", "file", b"v9", None)).await;
    assert_eq!(code_, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&t, "GET", "/api/files", None, Some("adm")).await, StatusCode::OK);
    assert_eq!(status(&t, "GET", "/api/events", None, Some("adm")).await, StatusCode::OK);
    t.create("e").await;
    assert_eq!(status(&t, "GET", "/api/events/e", None, None).await, StatusCode::OK);
}

/// An API token guards every event route; the admin token works there, not the other way round.
#[tokio::test]
async fn api_token() {
    let t = TestApp::with_config(|c| {
        c.admin_token = Some("adm".into());
        c.api_token = Some("api".into());
    })
    .await;
    let create = r#"{"params": {"file-id": 100, "event-id": "e"}}"#;
    assert_eq!(
        status(&t, "POST", "/api/events", Some(create), None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(&t, "POST", "/api/events", Some(create), Some("nope")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(status(&t, "POST", "/api/events", Some(create), Some("api")).await, StatusCode::OK);
    assert_eq!(
        status(&t, "GET", "/api/events/e/outcomes", None, None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(&t, "GET", "/api/events/e/outcomes", None, Some("api")).await,
        StatusCode::OK
    );
    assert_eq!(
        status(&t, "GET", "/api/events/e/outcomes", None, Some("adm")).await,
        StatusCode::OK
    );
    assert_eq!(status(&t, "GET", "/api/events", None, Some("api")).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&t, "GET", "/api/files", None, Some("api")).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(&t, "DELETE", "/api/events/e", None, Some("api")).await,
        StatusCode::NO_CONTENT
    );
}

/// With only an API token, the event list takes the API token.
#[tokio::test]
async fn api_token_alone_guards_the_event_list() {
    let t = TestApp::with_config(|c| c.api_token = Some("api".into())).await;
    assert_eq!(status(&t, "GET", "/api/events", None, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&t, "GET", "/api/events", None, Some("api")).await, StatusCode::OK);
    assert_eq!(status(&t, "GET", "/api/files", None, None).await, StatusCode::OK);
}
