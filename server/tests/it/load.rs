//! The load generator's correctness properties, in a bounded run against an
//! engine served on loopback in this process: no 5xx, no acknowledged entry
//! lost, no entry the clients did not see acknowledged, each client's
//! entries in its order, at least 99% of the changes accepted. Speed is not
//! asserted; `sengine-load` prints the figures.

use std::sync::Arc;
use std::time::Duration;

use server::config::Config;
use server::files::{builtin_fixtures, FileRegistry};
use server::load::{run, LoadOptions};
use server::loader::CompilerLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;

use crate::support::TempDir;

/// Many events on the football workbook, changed by clients that meet on
/// some events (so `CIP` and its retries occur), then every log checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_lose_nothing() {
    let dir = TempDir::new();
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let loader = Arc::new(CompilerLoader::default());
    let files = FileRegistry::open(dir.path(), loader, builtin_fixtures()).unwrap();
    let state = AppState::new(config, files, Arc::new(MemoryEventStore::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, server::app(state)).await });

    let options = LoadOptions {
        events: 60,
        duration: Duration::from_secs(3),
        clients: 8,
        contention: 0.2,
        pid: Some(std::process::id()),
        ..LoadOptions::football(address)
    };
    let report = run(options).await.unwrap();
    println!("{report}");
    assert_eq!(report.check(), Ok(()), "{report}");
    assert!(report.accepted > 0, "{report}");
    assert_eq!(report.events, 60);
    assert!(report.rss_kib.is_some());
    // With a fifth of the changes aimed at any event, clients meet.
    assert!(report.busy_answers > 0 || report.accepted < 50, "{report}");
    server.abort();
}

/// The report's check names each broken property.
#[test]
fn check_names_what_is_broken() {
    let report = server::load::LoadReport {
        changes: 100,
        accepted: 98,
        server_errors: 1,
        lost: 2,
        first_failure: Some("/api/events/x/event-log: 500".into()),
        ..Default::default()
    };
    let broken = report.check().unwrap_err();
    assert!(broken.contains("1 answers were 5xx"), "{broken}");
    assert!(broken.contains("2 acknowledged entries lost"), "{broken}");
    assert!(broken.contains("only 98.00% of changes accepted"), "{broken}");
    assert!(broken.contains("first failure: /api/events/x/event-log: 500"), "{broken}");
}
