//! The real pipeline behind the API: a workbook built in memory, uploaded,
//! compiled by `compiler` and evaluated by the interpreter.

use std::sync::Arc;

use axum::http::StatusCode;
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::json;
use server::config::Config;
use server::files::FileRegistry;
use server::loader::CompilerLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;
use tower::ServiceExt;

use crate::support::{code, upload, TempDir};

/// IN: `minute`, `type`, and `home` = 1 for a goal (`--(B2="goal")`), filled
/// down to row 11; OUT: the goal count (a sum of cells) and its reciprocal.
pub(crate) fn football() -> Vec<u8> {
    let mut book = Workbook::new();
    let input = book.add_worksheet();
    input.set_name("IN").unwrap();
    input.write_string(0, 0, "minute").unwrap();
    input.write_string(0, 1, "type").unwrap();
    input.write_string(0, 2, "home").unwrap();
    for row in 1..=10 {
        let formula = format!("=--(B{}=\"goal\")", row + 1);
        input.write_formula(row, 2, Formula::new(formula)).unwrap();
    }
    let output = book.add_worksheet();
    output.set_name("OUT").unwrap();
    output.write_string(0, 0, "market").unwrap();
    output.write_string(0, 1, "result").unwrap();
    output.write_string(1, 0, "goals").unwrap();
    let sum: Vec<String> = (2..=11).map(|row| format!("IN!$C${row}")).collect();
    let sum = sum.join("+");
    output.write_formula(1, 1, Formula::new(format!("={sum}"))).unwrap();
    output.write_string(2, 0, "per goal").unwrap();
    output.write_formula(2, 1, Formula::new(format!("=1/({sum})"))).unwrap();
    book.save_to_buffer().unwrap()
}

async fn send(
    app: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (StatusCode, serde_json::Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// Upload, create and append through the compiler and interpreter: the sum
/// of the derived column counts goals, and 1/0 is `#DIV/0!` as Excel answers.
#[tokio::test]
async fn compiled_workbook_serves_events() {
    let dir = TempDir::new();
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let files = FileRegistry::open(dir.path(), Arc::new(CompilerLoader::default()), &[]).unwrap();
    let app = server::app(AppState::new(config, files, Arc::new(MemoryEventStore::default())));

    let (status, json) = send(&app, upload("POST", "/api/files", "file", &football(), None)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["data"]["input-columns"], json!(["minute", "type"]));
    assert_eq!(json["data"]["derived-columns"], json!(["home"]));
    assert_eq!(json["data"]["capacity"], json!(10));
    assert_eq!(json["data"]["out-rows"], json!(2));

    let create = r#"{"params": {"file-id": 100, "event-id": "m"}}"#;
    let (status, _) =
        send(&app, crate::support::request("POST", "/api/events", Some(create), None)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, json) =
        send(&app, crate::support::request("GET", "/api/events/m/outcomes", None, None)).await;
    assert_eq!(
        json["data"],
        json!([{"market": "goals", "result": 0}, {"market": "per goal", "result": {"error": "#DIV/0!"}}])
    );
    let append = r#"{"params": {"event-log": [[23, "goal"], [31, "yellow"], [50, "goal"]]}}"#;
    let (status, json) =
        send(&app, crate::support::request("POST", "/api/events/m/event-log", Some(append), None))
            .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["data"],
        json!([{"market": "goals", "result": 2}, {"market": "per goal", "result": 0.5}])
    );
}

/// A file that is not a workbook is refused with `IWF`.
#[tokio::test]
async fn not_a_workbook_is_iwf() {
    let dir = TempDir::new();
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let files = FileRegistry::open(dir.path(), Arc::new(CompilerLoader::default()), &[]).unwrap();
    let app = server::app(AppState::new(config, files, Arc::new(MemoryEventStore::default())));
    let (status, json) =
        send(&app, upload("POST", "/api/files", "file", b"plain text", None)).await;
    assert_eq!((status, code(&json)), (StatusCode::UNPROCESSABLE_ENTITY, "IWF"));
}
