//! Test support: a hand-built program, a fake loader and evaluator, a
//! temporary data directory, and a helper that sends one request.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use compiler::{Diagnostic, Severity};
use http_body_util::BodyExt;
use runtime::evaluator::{Entry, EvalError, Evaluator, Outcomes};
use runtime::ir::{
    InputColumn, InputLayout, OutputColumn, OutputLayout, Program, SheetInfo, Validation,
};
use runtime::value::{ExcelError, Value};
use serde_json::Value as Json;
use server::config::Config;
use server::files::FileRegistry;
use server::loader::{LoadedWorkbook, WorkbookLoader};
use server::state::AppState;
use server::storage::{EventStore, MemoryEventStore};
use tower::ServiceExt;

/// The capacity of the fake workbook: small, so `LOF` is easy to reach.
pub(crate) const CAPACITY: u32 = 5;

/// The fake workbook: input columns `minute` (whole 0..=130, blank allowed),
/// `type` (list goal/yellow/red, required), `team`, `player` (text length
/// at most 10); derived column `home_goals`.
pub(crate) fn program() -> Program {
    let column =
        |col, header: &str, validation| InputColumn { col, header: header.to_string(), validation };
    let list = ["goal", "yellow", "red"].into_iter().map(Value::text).collect();
    let input = InputLayout {
        sheet: 0,
        columns: vec![
            column(
                0,
                "minute",
                Some(Validation::Whole { min: Some(0.0), max: Some(130.0), allow_blank: true }),
            ),
            column(1, "type", Some(Validation::List { items: list, allow_blank: false })),
            column(2, "Team", None),
            column(
                3,
                "player",
                Some(Validation::TextLength { min: None, max: Some(10.0), allow_blank: true }),
            ),
        ],
        derived: vec![(4, "home_goals".to_string())],
        capacity: CAPACITY,
    };
    let key = |col, key: &str| OutputColumn { col, key: key.to_string() };
    let output = OutputLayout {
        sheet: 1,
        columns: vec![key(0, "market"), key(1, "result"), key(3, "D")],
        rows: vec![1, 2, 3, 4, 5],
    };
    let sheet = |name: &str| SheetInfo { name: name.to_string(), used_rows: 10, used_cols: 5 };
    Program {
        sheets: vec![sheet("IN"), sheet("OUT")],
        date_1904: false,
        date_order: runtime::ir::DateOrder::MonthFirst,
        input,
        output,
        constants: Vec::new(),
        formulas: Vec::new(),
        blocks: Vec::new(),
        names: Vec::new(),
        sources: Vec::new(),
        hidden_rows: Vec::new(),
        iteration: None,
        growing_spills: Vec::new(),
    }
}

/// A gate that holds evaluations of logs mentioning team `hold` until opened.
#[derive(Default)]
pub(crate) struct Gate {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Gate {
    fn pass(&self) {
        let mut state = self.state.lock().unwrap();
        state.0 += 1;
        self.changed.notify_all();
        while !state.1 {
            state = self.changed.wait(state).unwrap();
        }
    }

    /// Waits until an evaluation is held at the gate, for up to 10 s of
    /// real time (the evaluation runs on a blocking thread, which a paused
    /// test clock does not speed up).
    pub(crate) async fn wait_held(&self) {
        for _ in 0..2000 {
            if self.state.lock().unwrap().0 > 0 {
                return;
            }
            tokio::task::yield_now().await;
            std::thread::sleep(Duration::from_millis(5));
        }
        self.open();
        panic!("no evaluation reached the gate");
    }

    /// Lets every held evaluation go on.
    pub(crate) fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

/// Computes simple outcomes from the log:
/// row 1 counts entries, row 2 echoes the last entry's type, row 3 is
/// 1/count (`#DIV/0!` for the empty log), row 4 says whether any entry
/// exists, row 5 names the workbook (its uploaded bytes as text).
/// Team `panic` panics, team `fail` fails, team `hold` waits at the gate.
pub(crate) struct FakeEvaluator {
    program: Arc<Program>,
    label: String,
    gate: Arc<Gate>,
}

impl Evaluator for FakeEvaluator {
    fn program(&self) -> &Arc<Program> {
        &self.program
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        let team = |name: &str| log.iter().any(|e| e[2] == Value::text(name));
        if team("panic") {
            panic!("secret panic detail");
        }
        if team("fail") {
            return Err(EvalError::Internal("secret failure detail".into()));
        }
        if team("hold") {
            self.gate.pass();
        }
        let count = log.len() as f64;
        let last_type = log.last().map(|e| e[1].clone()).unwrap_or(Value::Empty);
        let ratio = if log.is_empty() {
            Value::Error(ExcelError::Div0)
        } else {
            Value::number(1.0 / count)
        };
        let text = |s: &str| Value::text(s);
        Ok(Outcomes {
            rows: vec![
                vec![text("entries"), Value::Number(count), Value::Empty],
                vec![text("last type"), last_type, Value::Empty],
                vec![text("ratio"), ratio, Value::Empty],
                vec![text("any"), Value::Bool(!log.is_empty()), Value::Empty],
                vec![text("workbook"), text(&self.label), Value::Empty],
            ],
        })
    }
}

/// Loads any bytes as the fake workbook, except: `bad` is refused with two
/// located errors, and `warn` loads with a warning.
pub(crate) struct FakeLoader {
    pub(crate) gate: Arc<Gate>,
}

impl WorkbookLoader for FakeLoader {
    fn load(&self, _name: &str, bytes: &[u8]) -> Result<LoadedWorkbook, Vec<Diagnostic>> {
        let diagnostic = |severity, sheet: &str, cell: &str, message: &str| Diagnostic {
            severity,
            sheet: Some(sheet.to_string()),
            cell: Some(cell.to_string()),
            formula: Some("FOO(1)".to_string()),
            message: message.to_string(),
        };
        if bytes == b"bad" {
            return Err(vec![
                diagnostic(Severity::Error, "OUT", "B2", "unsupported function FOO"),
                diagnostic(Severity::Error, "IN", "E2", "circular reference"),
                diagnostic(Severity::Warning, "Scratch", "A1", "unsupported function FOO"),
            ]);
        }
        let warnings = if bytes == b"warn" {
            vec![diagnostic(Severity::Warning, "Scratch", "A1", "unsupported function FOO")]
        } else {
            Vec::new()
        };
        let program = Arc::new(program());
        let label = String::from_utf8_lossy(bytes).into_owned();
        let evaluator =
            Arc::new(FakeEvaluator { program: program.clone(), label, gate: self.gate.clone() });
        Ok(LoadedWorkbook { program, evaluator, warnings })
    }
}

/// A data directory removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("sengine-it-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A service over the fake loader, with file 100 uploaded as `v1`.
pub(crate) struct TestApp {
    pub(crate) app: Router,
    pub(crate) state: AppState,
    pub(crate) gate: Arc<Gate>,
    _dir: TempDir,
}

impl TestApp {
    /// With default settings.
    pub(crate) async fn new() -> TestApp {
        TestApp::with_config(|_| {}).await
    }

    /// With settings changed by `adjust`.
    pub(crate) async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::with_store(adjust, Arc::new(MemoryEventStore::default())).await
    }

    /// With settings changed by `adjust` and events kept in `store`.
    pub(crate) async fn with_store(
        adjust: impl FnOnce(&mut Config),
        store: Arc<dyn EventStore>,
    ) -> TestApp {
        let dir = TempDir::new();
        let mut config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        adjust(&mut config);
        let gate = Arc::new(Gate::default());
        let loader = Arc::new(FakeLoader { gate: gate.clone() });
        let files = FileRegistry::open(dir.path(), loader, &[]).unwrap();
        files.upload("football.xlsx", b"v1").unwrap();
        let state = AppState::new(config, files, store);
        TestApp { app: server::app(state.clone()), state, gate, _dir: dir }
    }

    /// Sends a request and returns status, headers and the JSON body
    /// (`Json::Null` for an empty body).
    pub(crate) async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Json) {
        send_to(&self.app, request).await
    }

    /// Sends `method uri` with an optional body, returning status and JSON.
    pub(crate) async fn call(
        &self,
        method: &str,
        uri: &str,
        body: Option<&str>,
    ) -> (StatusCode, Json) {
        let (status, _, json) = self.send(request(method, uri, body, None)).await;
        (status, json)
    }

    /// Creates event `id` on file 100 and checks it was created.
    pub(crate) async fn create(&self, id: &str) {
        let body = serde_json::json!({"params": {"file-id": 100, "event-id": id}}).to_string();
        let (status, json) = self.call("POST", "/api/events", Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{json}");
    }

    /// Appends entries (a JSON array text) to event `id`.
    pub(crate) async fn append(&self, id: &str, entries: &str) -> (StatusCode, Json) {
        let body = format!(r#"{{"params": {{"event-log": {entries}}}}}"#);
        self.call("POST", &format!("/api/events/{id}/event-log"), Some(&body)).await
    }

    /// The log of event `id`.
    pub(crate) async fn log(&self, id: &str) -> Json {
        let (status, json) = self.call("GET", &format!("/api/events/{id}/event-log"), None).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["data"].clone()
    }

    /// The outcomes of event `id`.
    pub(crate) async fn outcomes(&self, id: &str) -> Json {
        let (status, json) = self.call("GET", &format!("/api/events/{id}/outcomes"), None).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["data"].clone()
    }
}

/// A request with an optional body and bearer token, without Content-Type.
pub(crate) fn request(
    method: &str,
    uri: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Request<Body> {
    let mut builder =
        Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string()))).unwrap()
}

/// A multipart upload of `bytes` in field `field`.
pub(crate) fn upload(
    method: &str,
    uri: &str,
    field: &str,
    bytes: &[u8],
    token: Option<&str>,
) -> Request<Body> {
    let boundary = "sengine-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"book.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(uri)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"));
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).unwrap()
}

/// The single error code of a failure body.
pub(crate) fn code(json: &Json) -> &str {
    json["errors"][0]["code"].as_str().unwrap_or("<none>")
}

/// The `result` column of outcome row `row` (0-based).
pub(crate) fn result(outcomes: &Json, row: usize) -> Json {
    outcomes[row]["result"].clone()
}

/// Sends a request to `app`: status, headers and the JSON body
/// (`Json::Null` for an empty body, the text itself when it is not JSON).
pub(crate) async fn send_to(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Json) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Json::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Json::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, headers, json)
}
