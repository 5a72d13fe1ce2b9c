//! The idle timer: events untouched for the idle timeout are released; any
//! call naming the event, even a failed one, keeps it alive.

use std::time::Duration;

use axum::http::StatusCode;

use crate::support::{code, TestApp};

const IDLE: Duration = Duration::from_secs(60);

/// An event untouched for the idle timeout is released by the reaper.
#[tokio::test(start_paused = true)]
async fn idle_event_is_released() {
    let t = TestApp::with_config(|c| c.idle_timeout = IDLE).await;
    t.state.spawn_reaper();
    t.create("e").await;
    tokio::time::sleep(IDLE - Duration::from_secs(1)).await;
    assert_eq!(t.call("GET", "/api/events/e", None).await.0, StatusCode::OK);
    tokio::time::sleep(IDLE + Duration::from_secs(10)).await;
    let (status, json) = t.call("GET", "/api/events/e", None).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
}

/// A call that comes after the idle timeout, before the reaper's next
/// round, finds the event released instead of reviving it.
#[tokio::test(start_paused = true)]
async fn a_call_after_the_timeout_does_not_revive_the_event() {
    let t = TestApp::with_config(|c| c.idle_timeout = IDLE).await;
    t.create("e").await;
    t.create("f").await;
    // No reaper runs: only the calls themselves can see the timeout.
    tokio::time::sleep(IDLE + Duration::from_secs(1)).await;
    let (status, json) = t.call("GET", "/api/events/e/outcomes", None).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
    // A failed change names the event too, and does not revive it either.
    let (status, _) = t.call("POST", "/api/events/f/event-log", Some("not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, json) = t.call("GET", "/api/events/f", None).await;
    assert_eq!((status, code(&json)), (StatusCode::NOT_FOUND, "ENF"));
    assert_eq!(t.state.reap_idle().await, 0);
}

/// Reads and failed changes count as activity and reset the timer.
#[tokio::test(start_paused = true)]
async fn activity_resets_the_timer() {
    let t = TestApp::with_config(|c| c.idle_timeout = IDLE).await;
    t.create("e").await;
    tokio::time::sleep(IDLE - Duration::from_secs(5)).await;
    t.outcomes("e").await;
    tokio::time::sleep(IDLE - Duration::from_secs(5)).await;
    assert_eq!(t.state.reap_idle().await, 0);
    let (status, _) = t.call("POST", "/api/events/e/event-log", Some("not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    tokio::time::sleep(IDLE - Duration::from_secs(5)).await;
    assert_eq!(t.state.reap_idle().await, 0);
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(t.state.reap_idle().await, 1);
    assert_eq!(t.call("GET", "/api/events/e/outcomes", None).await.0, StatusCode::NOT_FOUND);
}

/// An event with a change in progress is busy, not idle: the reaper leaves it.
#[tokio::test(start_paused = true)]
async fn busy_event_is_not_reaped() {
    let t = std::sync::Arc::new(TestApp::with_config(|c| c.idle_timeout = IDLE).await);
    t.create("e").await;
    let app = t.clone();
    let held =
        tokio::spawn(async move { app.append("e", r#"[{"type": "red", "team": "hold"}]"#).await });
    t.gate.wait_held().await;
    // A blocking task in flight stops the paused clock from advancing by
    // itself, so it is moved by hand.
    tokio::time::advance(IDLE * 2).await;
    assert_eq!(t.state.reap_idle().await, 0);
    t.gate.open();
    assert_eq!(held.await.unwrap().0, StatusCode::OK);
    assert_eq!(t.log("e").await.as_array().unwrap().len(), 1);
}
