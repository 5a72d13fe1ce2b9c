//! Native evaluators built in the background: the state a file shows while
//! they are built, checked and installed, and events that keep running
//! through a replacement of their evaluator or of their file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use runtime::evaluator::{Entry, EvalError, Evaluator, Outcomes};
use runtime::interp::Interpreter;
use runtime::ir::Program;
use runtime::value::Value;
use serde_json::{json, Value as Json};
use server::config::Config;
use server::files::{builtin_fixtures, FileRegistry};
use server::loader::{CompilerLoader, EvaluatorState, NativeBuilder};
use server::state::AppState;
use server::storage::MemoryEventStore;

use crate::support::{request, result, upload, TempDir, TestApp};

/// The real pipeline serving the fixtures (football is file 1).
struct Service {
    state: AppState,
    app: axum::Router,
    _dir: TempDir,
}

impl Service {
    fn new() -> Service {
        let dir = TempDir::new();
        let config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let loader = Arc::new(CompilerLoader::default());
        let files = FileRegistry::open(dir.path(), loader, builtin_fixtures()).unwrap();
        let state = AppState::new(config, files, Arc::new(MemoryEventStore::default()));
        Service { app: server::app(state.clone()), state, _dir: dir }
    }

    fn state_of(&self, file_id: u64) -> EvaluatorState {
        let file = self.state.files.current(file_id).unwrap();
        file.evaluator.as_ref().unwrap().state()
    }

    /// Waits (up to 60 s) until file `file_id` leaves `interpreted` and
    /// `compiling`.
    async fn settled(&self, file_id: u64) -> EvaluatorState {
        for _ in 0..1_200 {
            let state = self.state_of(file_id);
            if !matches!(state, EvaluatorState::Interpreted | EvaluatorState::Compiling) {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("file {file_id} is still {:?}", self.state_of(file_id));
    }

    async fn call(&self, method: &str, uri: &str, body: Option<&str>) -> (StatusCode, Json) {
        use tower::ServiceExt;
        let response = self.app.clone().oneshot(request(method, uri, body, None)).await.unwrap();
        let status = response.status();
        let bytes =
            http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Json::Null))
    }

    async fn evaluator_json(&self, file_id: u64) -> Json {
        let (status, json) = self.call("GET", &format!("/api/files/{file_id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["data"]["evaluator"].clone()
    }
}

/// An interpreter of the program, counting its evaluations.
struct Counting {
    inner: Interpreter,
    calls: Arc<AtomicUsize>,
}

impl Evaluator for Counting {
    fn program(&self) -> &Arc<Program> {
        self.inner.program()
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.evaluate(log)
    }
}

/// An interpreter that adds one to the first number of `OUT` once the log
/// holds seven entries: wrong, but only on some logs.
struct Skewed(Interpreter);

impl Evaluator for Skewed {
    fn program(&self) -> &Arc<Program> {
        self.0.program()
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        let mut outcomes = self.0.evaluate(log)?;
        if log.len() >= 7 {
            let first = outcomes.rows.iter_mut().flatten().find(|v| matches!(v, Value::Number(_)));
            if let Some(Value::Number(n)) = first {
                *n += 1.0;
            }
        }
        Ok(outcomes)
    }
}

/// What a fake builder hands back.
enum Build {
    Right(Arc<AtomicUsize>),
    Wrong,
    Refused,
    /// Waits for a message, then builds right.
    Blocked(Mutex<mpsc::Receiver<()>>),
}

struct FakeBuilder {
    build: Build,
    builds: Mutex<Vec<(u64, u32)>>,
}

impl FakeBuilder {
    fn new(build: Build) -> Arc<FakeBuilder> {
        Arc::new(FakeBuilder { build, builds: Mutex::new(Vec::new()) })
    }
}

impl NativeBuilder for FakeBuilder {
    fn build(
        &self,
        file_id: u64,
        version: u32,
        program: &Arc<Program>,
    ) -> Result<Arc<dyn Evaluator>, String> {
        self.builds.lock().unwrap().push((file_id, version));
        let interpreter = Interpreter::new(Arc::clone(program));
        match &self.build {
            Build::Right(calls) => {
                Ok(Arc::new(Counting { inner: interpreter, calls: calls.clone() }))
            }
            Build::Wrong => Ok(Arc::new(Skewed(interpreter))),
            Build::Refused => Err("no rust toolchain on this machine".to_string()),
            Build::Blocked(release) => {
                release.lock().unwrap().recv().unwrap();
                Ok(Arc::new(interpreter))
            }
        }
    }
}

/// A native evaluator that agrees with the interpreter replaces it, and an
/// event created before the swap uses it from its next change on, with the
/// same answers.
#[tokio::test]
async fn agreeing_native_evaluator_is_installed() {
    let service = Service::new();
    assert_eq!(service.evaluator_json(1).await, json!({"state": "interpreted", "reason": null}));
    let body = json!({"params": {"file-id": 1, "event-id": "m"}}).to_string();
    assert_eq!(service.call("POST", "/api/events", Some(&body)).await.0, StatusCode::OK);
    let goal = r#"{"params": {"event-log": [{"minute": 9, "period": "1H", "type": "goal", "team": "home", "player": "Kane"}]}}"#;
    let (status, before) = service.call("POST", "/api/events/m/event-log", Some(goal)).await;
    assert_eq!(status, StatusCode::OK, "{before}");

    let calls = Arc::new(AtomicUsize::new(0));
    let builder = FakeBuilder::new(Build::Right(calls.clone()));
    service.state.files.start_native(builder.clone()).unwrap();
    assert_eq!(service.settled(1).await, EvaluatorState::Compiled);
    assert_eq!(service.settled(2).await, EvaluatorState::Compiled);
    assert_eq!(*builder.builds.lock().unwrap(), [(1, 1), (2, 1)]);
    assert_eq!(service.evaluator_json(1).await, json!({"state": "compiled", "reason": null}));

    // Checking ran the native evaluator on generated logs; the event's next
    // change runs it once more and answers what the interpreter answers for
    // the same log.
    let checked = calls.load(Ordering::SeqCst);
    assert!(checked >= 8, "{checked} checks");
    let (status, after) = service.call("POST", "/api/events/m/event-log", Some(goal)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(calls.load(Ordering::SeqCst), checked + 1);
    let slot = service.state.files.current(1).unwrap().evaluator.clone().unwrap();
    let program = Arc::clone(slot.program());
    let entry = || {
        let text = Value::text;
        vec![Value::Number(9.0), text("1H"), text("goal"), text("home"), text("Kane")]
    };
    let expected = Interpreter::new(Arc::clone(&program)).evaluate(&[entry(), entry()]).unwrap();
    let rendered = server::json::render_outcomes(&program.output, &expected).unwrap();
    let expected: Json = serde_json::from_str(rendered.get()).unwrap();
    assert_eq!(after["data"], expected);
    assert_ne!(before["data"], after["data"]);
}

/// A native evaluator that answers differently from the interpreter is
/// refused: the file shows `failed` with the log and cell that differ, and
/// the interpreter keeps serving.
#[tokio::test]
async fn disagreeing_native_evaluator_fails_with_the_reason() {
    let service = Service::new();
    let interpreter_before = service.state.files.current(1).unwrap().evaluator.clone().unwrap();
    let first = interpreter_before.current();
    service.state.files.start_native(FakeBuilder::new(Build::Wrong)).unwrap();
    let EvaluatorState::Failed(reason) = service.settled(1).await else {
        panic!("not failed: {:?}", service.state_of(1));
    };
    assert!(reason.starts_with("the native evaluator differs on generated log"), "{reason}");
    assert!(reason.contains("OUT!"), "{reason}");
    let shown = service.evaluator_json(1).await;
    assert_eq!(shown["state"], "failed");
    assert_eq!(shown["reason"], json!(reason));
    assert!(Arc::ptr_eq(&first, &interpreter_before.current()));
}

/// A builder that cannot build leaves the file interpreted-served and
/// `failed` with the builder's reason.
#[tokio::test]
async fn refused_build_fails_with_the_builder_reason() {
    let service = Service::new();
    service.state.files.start_native(FakeBuilder::new(Build::Refused)).unwrap();
    let expected = EvaluatorState::Failed("no rust toolchain on this machine".to_string());
    assert_eq!(service.settled(1).await, expected);
    let shown = service.evaluator_json(2).await;
    assert_eq!(shown, json!({"state": "failed", "reason": "no rust toolchain on this machine"}));
}

/// While a build runs the file shows `compiling`, builds run one at a time,
/// and events are served meanwhile.
#[tokio::test]
async fn running_build_shows_compiling_and_events_go_on() {
    let service = Service::new();
    let (release, blocked) = mpsc::channel();
    let builder = FakeBuilder::new(Build::Blocked(Mutex::new(blocked)));
    service.state.files.start_native(builder.clone()).unwrap();
    for _ in 0..200 {
        if service.state_of(1) == EvaluatorState::Compiling {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(service.evaluator_json(1).await, json!({"state": "compiling", "reason": null}));
    // One build at a time: basketball waits for football's.
    assert_eq!(service.state_of(2), EvaluatorState::Interpreted);
    assert_eq!(*builder.builds.lock().unwrap(), [(1, 1)]);

    let body = json!({"params": {"file-id": 1, "event-id": "m"}}).to_string();
    assert_eq!(service.call("POST", "/api/events", Some(&body)).await.0, StatusCode::OK);
    let entries = r#"{"params": {"event-log": [{"minute": 3, "type": "corner", "team": "home"}]}}"#;
    let (status, json) = service.call("POST", "/api/events/m/event-log", Some(entries)).await;
    assert_eq!(status, StatusCode::OK, "{json}");

    release.send(()).unwrap();
    release.send(()).unwrap();
    assert_eq!(service.settled(1).await, EvaluatorState::Compiled);
    assert_eq!(service.settled(2).await, EvaluatorState::Compiled);
}

/// Uploading a new version of a file while an event of the old version is
/// in the middle of a change neither waits for that change nor alters the
/// event: it keeps its version's workbook, and new events get the new one.
#[tokio::test]
async fn new_version_neither_blocks_nor_changes_running_events() {
    let t = Arc::new(TestApp::new().await);
    t.create("e").await;
    t.append("e", r#"[{"type": "goal"}]"#).await;
    let app = t.clone();
    let held =
        tokio::spawn(async move { app.append("e", r#"[{"type": "red", "team": "hold"}]"#).await });
    t.gate.wait_held().await;

    let replaced = tokio::time::timeout(
        Duration::from_secs(10),
        t.send(upload("PUT", "/api/files/100", "file", b"v2", None)),
    )
    .await
    .expect("the upload waited for the held change");
    assert_eq!(replaced.0, StatusCode::OK, "{}", replaced.2);
    assert_eq!(replaced.2["data"]["version"], 2);
    assert_eq!(result(&t.outcomes("e").await, 4), json!("v1"));

    t.gate.open();
    let (status, json) = held.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(result(&json["data"], 0), json!(2));
    assert_eq!(result(&json["data"], 4), json!("v1"));
    let (status, json) = t.append("e", r#"[{"type": "goal"}]"#).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(result(&json["data"], 4), json!("v1"));

    t.create("f").await;
    assert_eq!(result(&t.outcomes("f").await, 4), json!("v2"));
}
