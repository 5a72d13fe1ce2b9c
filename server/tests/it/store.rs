//! The event store seam: a store that fails or panics answers `ISE` with
//! nothing internal in the body.

use std::sync::Arc;

use axum::http::StatusCode;
use server::storage::{EventStore, LiveEvent, MemoryEventStore, Snapshot, StoreError, StoreFuture};

use crate::support::{code, TestApp};

/// A memory store whose `save` fails and whose `list` panics.
#[derive(Default)]
struct BrokenStore {
    inner: MemoryEventStore,
}

impl EventStore for BrokenStore {
    fn insert(&self, event: Arc<LiveEvent>) -> StoreFuture<'_, bool> {
        self.inner.insert(event)
    }

    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Arc<LiveEvent>>> {
        self.inner.get(id)
    }

    fn list(&self) -> StoreFuture<'_, Vec<Arc<LiveEvent>>> {
        panic!("secret list panic");
    }

    fn save<'a>(&'a self, _event: &'a LiveEvent, _snapshot: &'a Snapshot) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError("secret disk full".into())) })
    }

    fn remove<'a>(&'a self, id: &'a str) -> StoreFuture<'a, bool> {
        self.inner.remove(id)
    }

    fn count(&self) -> StoreFuture<'_, usize> {
        self.inner.count()
    }
}

/// A change the store cannot persist answers `ISE` and is not applied.
#[tokio::test]
async fn failed_save_is_ise_and_changes_nothing() {
    let t = TestApp::with_store(|_| {}, Arc::new(BrokenStore::default())).await;
    t.create("e").await;
    let (status, json) = t.append("e", r#"[{"type": "goal"}]"#).await;
    assert_eq!((status, code(&json)), (StatusCode::INTERNAL_SERVER_ERROR, "ISE"));
    assert!(!json.to_string().contains("secret"), "{json}");
    assert_eq!(t.log("e").await, serde_json::json!([]));
}

/// A handler that panics answers `ISE` in the envelope, and the service goes on.
#[tokio::test]
async fn panicking_handler_is_ise() {
    let t = TestApp::with_store(|_| {}, Arc::new(BrokenStore::default())).await;
    let (status, json) = t.call("GET", "/api/events", None).await;
    assert_eq!((status, code(&json)), (StatusCode::INTERNAL_SERVER_ERROR, "ISE"));
    assert_eq!(json["errors"][0]["message"], "internal error");
    assert_eq!(t.call("GET", "/health", None).await.0, StatusCode::OK);
}
