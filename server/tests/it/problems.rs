//! Workbooks with problems, through the real pipeline: `sengine check` and
//! the upload list every problem with its sheet and cell; problems outside
//! what `OUT` depends on are warnings and do not stop the upload.

use std::process::Command;
use std::sync::Arc;

use axum::http::StatusCode;
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value as Json;
use server::config::Config;
use server::files::FileRegistry;
use server::loader::CompilerLoader;
use server::state::AppState;
use server::storage::MemoryEventStore;
use tower::ServiceExt;

use crate::support::{upload, TempDir};

/// A workbook with a circular reference, no OUT sheet, an unparsable formula
/// and a function the engine does not support.
fn four_problems() -> Vec<u8> {
    let mut book = Workbook::new();
    let input = book.add_worksheet().set_name("IN").unwrap();
    input.write_string(0, 0, "minute").unwrap();
    let calc = book.add_worksheet().set_name("Calc").unwrap();
    calc.write_formula(0, 0, Formula::new("=B1+IN!A2")).unwrap();
    calc.write_formula(0, 1, Formula::new("=A1*2")).unwrap();
    calc.write_formula(1, 0, Formula::new("=SUM(IN!A2:A11,")).unwrap();
    calc.write_formula(2, 0, Formula::new("=CUBEVALUE(\"x\")")).unwrap();
    book.save_to_buffer().unwrap()
}

/// The same problems in a scratch sheet that OUT does not read.
fn scratch_problems() -> Vec<u8> {
    let mut book = Workbook::new();
    let input = book.add_worksheet().set_name("IN").unwrap();
    input.write_string(0, 0, "minute").unwrap();
    let out = book.add_worksheet().set_name("OUT").unwrap();
    out.write_string(0, 0, "entries").unwrap();
    out.write_formula(1, 0, Formula::new("=COUNT(IN!A2:A51)")).unwrap();
    let scratch = book.add_worksheet().set_name("Scratch").unwrap();
    scratch.write_formula(0, 0, Formula::new("=B1+1")).unwrap();
    scratch.write_formula(0, 1, Formula::new("=A1+1")).unwrap();
    scratch.write_formula(1, 0, Formula::new("=SUM(1,")).unwrap();
    scratch.write_formula(2, 0, Formula::new("=CUBEVALUE(\"x\")")).unwrap();
    book.save_to_buffer().unwrap()
}

fn app(dir: &TempDir) -> axum::Router {
    let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
    let loader = Arc::new(CompilerLoader::default());
    let files = FileRegistry::open(dir.path(), loader, &[]).unwrap();
    server::app(AppState::new(config, files, Arc::new(MemoryEventStore::default())))
}

async fn send_upload(app: &axum::Router, bytes: &[u8]) -> (StatusCode, Json) {
    let response = app.clone().oneshot(upload("POST", "/api/files", "file", bytes, None)).await;
    let response = response.unwrap();
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

/// Each located item as `sheet!cell: message`, or `message` alone.
fn located(items: &Json) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| match (item["sheet"].as_str(), item["cell"].as_str()) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{cell}: {}", item["message"]),
            _ => item["message"].to_string(),
        })
        .collect()
}

/// `sengine check` lists all four problems, each with its sheet and cell.
#[test]
fn check_lists_every_problem() {
    let dir = TempDir::new();
    let path = dir.path().join("broken.xlsx");
    std::fs::write(&path, four_problems()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sengine"))
        .args(["check", path.to_str().unwrap()])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "no sheet named OUT",
        "Calc!A1: circular reference: Calc!A1 → Calc!B1 → Calc!A1",
        "Calc!A2: formula cannot be parsed",
        "Calc!A3: function CUBEVALUE is not supported",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
}

/// Uploading it answers 422 `IWF` with one error item per problem.
#[tokio::test]
async fn upload_lists_every_problem() {
    let dir = TempDir::new();
    let app = app(&dir);
    let (status, json) = send_upload(&app, &four_problems()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &json["errors"];
    assert!(errors.as_array().unwrap().iter().all(|e| e["code"] == "IWF"), "{json}");
    let items = located(errors);
    assert_eq!(items.len(), 4, "{items:#?}");
    assert!(items.iter().any(|i| i.contains("no sheet named OUT")), "{items:#?}");
    assert!(items.iter().any(|i| i.starts_with("Calc!A1: \"circular reference")), "{items:#?}");
    assert!(items.iter().any(|i| i.starts_with("Calc!A2: \"formula cannot be parsed")));
    assert!(items.iter().any(|i| i.starts_with("Calc!A3: \"function CUBEVALUE")), "{items:#?}");
}

/// The same problems where OUT does not look are warnings: the upload works.
#[tokio::test]
async fn scratch_problems_are_warnings() {
    let dir = TempDir::new();
    let app = app(&dir);
    let (status, json) = send_upload(&app, &scratch_problems()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let warnings = located(&json["warnings"]);
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w.starts_with("Scratch!")), "{warnings:#?}");
    assert_eq!(json["data"]["out-rows"], 1);
}

/// An unsupported function filled down 1,500 rows lists the first 1,000
/// problems and then how many more there are.
#[tokio::test]
async fn long_problem_lists_are_cut_with_a_count() {
    let mut book = Workbook::new();
    let input = book.add_worksheet().set_name("IN").unwrap();
    input.write_string(0, 0, "minute").unwrap();
    let out = book.add_worksheet().set_name("OUT").unwrap();
    out.write_string(0, 0, "v").unwrap();
    for row in 1..=1500 {
        out.write_formula(row, 0, Formula::new("=CUBEVALUE(\"x\")")).unwrap();
    }
    let dir = TempDir::new();
    let (status, json) = send_upload(&app(&dir), &book.save_to_buffer().unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1001);
    assert_eq!(errors[0]["cell"], "A2");
    assert_eq!(errors[999]["cell"], "A1001");
    let last = errors[1000]["message"].as_str().unwrap();
    assert!(last.starts_with("500 more problems"), "{last}");
}
