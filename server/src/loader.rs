//! Turning workbook bytes into something that can evaluate: the
//! [`WorkbookLoader`] seam between the service and the compile pipeline, and
//! the background [`CompileWorker`] that replaces a version's interpreter by
//! a native evaluator once one is built and agrees with it.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, RwLock};

use compiler::{CompileOptions, Diagnostic};
use runtime::evaluator::{Entry, EvalError, Evaluator, Outcomes};
use runtime::interp::Interpreter;
use runtime::ir::Program;

/// A workbook ready to serve events.
#[derive(Clone)]
pub struct LoadedWorkbook {
    pub program: Arc<Program>,
    pub evaluator: Arc<dyn Evaluator>,
    /// Problems that did not stop the workbook (reported with uploads).
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Debug for LoadedWorkbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedWorkbook").field("warnings", &self.warnings).finish_non_exhaustive()
    }
}

/// Compiles a workbook. The service holds one; tests give it a fake that
/// builds programs by hand.
pub trait WorkbookLoader: Send + Sync {
    /// Loads the workbook `name` (the uploaded file name) from its bytes.
    ///
    /// # Errors
    ///
    /// Every error and warning found, when the workbook is refused.
    fn load(&self, name: &str, bytes: &[u8]) -> Result<LoadedWorkbook, Vec<Diagnostic>>;
}

/// The real pipeline: `compiler` to IR, then the IR interpreter.
#[derive(Clone, Debug, Default)]
pub struct CompilerLoader {
    pub options: CompileOptions,
}

impl WorkbookLoader for CompilerLoader {
    fn load(&self, name: &str, bytes: &[u8]) -> Result<LoadedWorkbook, Vec<Diagnostic>> {
        let compiled = compiler::compile(bytes, &self.options)?;
        tracing::info!(
            workbook = name,
            formulas = compiled.program.formulas.len(),
            warnings = compiled.warnings.len(),
            "workbook compiled"
        );
        let evaluator = Arc::new(Interpreter::new(compiled.program.clone()));
        Ok(LoadedWorkbook { program: compiled.program, evaluator, warnings: compiled.warnings })
    }
}

/// Builds the native evaluator of a program, the slow way (generating and
/// compiling Rust). The service runs it in the background, one at a time.
pub trait NativeBuilder: Send + Sync {
    /// Builds the evaluator of version `version` of file `file_id`.
    ///
    /// # Errors
    ///
    /// Why no evaluator could be built (no toolchain, a rustc failure, a
    /// version mismatch); the file then stays interpreted.
    fn build(
        &self,
        file_id: u64,
        version: u32,
        program: &Arc<Program>,
    ) -> Result<Arc<dyn Evaluator>, String>;
}

/// Where a file version's evaluator stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvaluatorState {
    /// Served by the interpreter; no native evaluator was tried yet.
    Interpreted,
    /// Served by the interpreter while a native evaluator is built.
    Compiling,
    /// Served by a native evaluator that agreed with the interpreter.
    Compiled,
    /// Served by the interpreter: building or checking the native one failed.
    Failed(String),
}

impl EvaluatorState {
    /// The name `GET /api/files/:file-id` shows.
    pub fn name(&self) -> &'static str {
        match self {
            EvaluatorState::Interpreted => "interpreted",
            EvaluatorState::Compiling => "compiling",
            EvaluatorState::Compiled => "compiled",
            EvaluatorState::Failed(_) => "failed",
        }
    }

    /// Why it failed, for `failed`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            EvaluatorState::Failed(reason) => Some(reason),
            _ => None,
        }
    }
}

/// The evaluator of one file version, replaceable while it serves.
///
/// Every evaluation takes the evaluator current when it starts and keeps it
/// to the end, so replacing it never disturbs an evaluation in flight: the
/// old evaluator lives until the last evaluation using it returns, and each
/// event's next change uses the new one.
pub struct EvaluatorSlot {
    program: Arc<Program>,
    current: RwLock<(Arc<dyn Evaluator>, EvaluatorState)>,
}

impl std::fmt::Debug for EvaluatorSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvaluatorSlot").field("state", &self.state()).finish_non_exhaustive()
    }
}

impl EvaluatorSlot {
    /// A slot serving `evaluator` (the interpreter) in state `interpreted`.
    pub fn new(evaluator: Arc<dyn Evaluator>) -> EvaluatorSlot {
        let program = Arc::clone(evaluator.program());
        EvaluatorSlot { program, current: RwLock::new((evaluator, EvaluatorState::Interpreted)) }
    }

    /// The evaluator serving now.
    pub fn current(&self) -> Arc<dyn Evaluator> {
        Arc::clone(&self.read().0)
    }

    pub fn state(&self) -> EvaluatorState {
        self.read().1.clone()
    }

    fn set_state(&self, state: EvaluatorState) {
        self.write().1 = state;
    }

    /// Serves `evaluator` from now on, in state `compiled`.
    fn install(&self, evaluator: Arc<dyn Evaluator>) {
        *self.write() = (evaluator, EvaluatorState::Compiled);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, (Arc<dyn Evaluator>, EvaluatorState)> {
        // Writers replace the whole pair, so a poisoned lock holds a whole one.
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, (Arc<dyn Evaluator>, EvaluatorState)> {
        self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Evaluator for EvaluatorSlot {
    fn program(&self) -> &Arc<Program> {
        &self.program
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        // The lock is released before evaluating: a replacement waits for no
        // evaluation, and no evaluation waits for a replacement.
        let evaluator = self.current();
        evaluator.evaluate(log)
    }
}

/// A native build waiting for the worker.
struct Job {
    file_id: u64,
    version: u32,
    slot: Arc<EvaluatorSlot>,
}

/// Builds native evaluators in the background, one at a time on one
/// dedicated thread, so that live traffic keeps the other cores; checks each
/// against the interpreter before it replaces it.
pub struct CompileWorker {
    jobs: Mutex<Option<std::sync::mpsc::Sender<Job>>>,
}

impl std::fmt::Debug for CompileWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompileWorker").finish_non_exhaustive()
    }
}

impl CompileWorker {
    /// Starts the worker thread.
    ///
    /// # Errors
    ///
    /// When the thread cannot be started.
    pub fn start(builder: Arc<dyn NativeBuilder>) -> std::io::Result<CompileWorker> {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new().name("native-compile".into()).spawn(move || {
            for job in receiver {
                run_job(builder.as_ref(), &job);
            }
        })?;
        Ok(CompileWorker { jobs: Mutex::new(Some(sender)) })
    }

    /// Queues the native build of a file version served by `slot`.
    pub fn submit(&self, file_id: u64, version: u32, slot: Arc<EvaluatorSlot>) {
        let jobs = self.jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let sent = jobs.as_ref().map(|s| s.send(Job { file_id, version, slot }));
        if !matches!(sent, Some(Ok(()))) {
            tracing::error!(file_id, version, "the native compile worker is gone");
        }
    }
}

/// Builds, checks and installs one native evaluator; a failure leaves the
/// interpreter serving and says why in the state.
fn run_job(builder: &dyn NativeBuilder, job: &Job) {
    // Only the queue holds a slot nobody serves from any more (the version
    // was replaced and its events ended): building for it is wasted.
    if Arc::strong_count(&job.slot) == 1 {
        return;
    }
    let (file_id, version) = (job.file_id, job.version);
    job.slot.set_state(EvaluatorState::Compiling);
    let program = Arc::clone(job.slot.program());
    let started = std::time::Instant::now();
    let built =
        std::panic::catch_unwind(AssertUnwindSafe(|| builder.build(file_id, version, &program)))
            .unwrap_or_else(|_| Err("the native build panicked".to_string()));
    let checked = built.and_then(|native| {
        let interpreter = job.slot.current();
        check_against(interpreter.as_ref(), native.as_ref(), &program).map(|()| native)
    });
    match checked {
        Ok(native) => {
            job.slot.install(native);
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!(file_id, version, seconds, "native evaluator installed");
        }
        Err(reason) => {
            tracing::warn!(file_id, version, %reason, "native evaluator refused");
            job.slot.set_state(EvaluatorState::Failed(reason));
        }
    }
}

/// The logs a native evaluator must agree on: generated ones of every
/// length from empty to the capacity, several seeds each.
pub fn check_logs(program: &Program) -> Vec<Vec<Entry>> {
    let capacity = program.input.capacity as usize;
    let lengths = [0, 1, 2, 7, capacity / 3, capacity / 2, capacity.saturating_sub(1), capacity];
    let mut logs = Vec::new();
    for (seed, len) in lengths.into_iter().enumerate() {
        logs.push(crate::sample::sample_log(program, seed as u64 + 1, len.min(capacity)));
    }
    logs
}

/// Checks that `native` answers exactly as `interpreter` (values, types,
/// error kinds, and evaluation errors) on [`check_logs`].
///
/// # Errors
///
/// The first disagreement: the log (seed and length), the `OUT` cell, and
/// both answers.
pub fn check_against(
    interpreter: &dyn Evaluator,
    native: &dyn Evaluator,
    program: &Program,
) -> Result<(), String> {
    for (index, log) in check_logs(program).iter().enumerate() {
        let expected = interpreter.evaluate(log);
        let got = std::panic::catch_unwind(AssertUnwindSafe(|| native.evaluate(log)))
            .map_err(|_| format!("the native evaluator panicked on generated log {}", index + 1))?;
        let context = format!("generated log {} ({} entries)", index + 1, log.len());
        match (expected, got) {
            (Ok(a), Ok(b)) => first_difference(program, &a, &b).map_or(Ok(()), |d| {
                Err(format!("the native evaluator differs on {context}: {d}"))
            })?,
            (Err(a), Err(b)) if a == b => {}
            (a, b) => {
                return Err(format!(
                    "the native evaluator differs on {context}: interpreter {}, native {}",
                    describe(&a),
                    describe(&b)
                ))
            }
        }
    }
    Ok(())
}

fn describe(result: &Result<Outcomes, EvalError>) -> String {
    match result {
        Ok(_) => "answers".to_string(),
        Err(e) => format!("fails ({e})"),
    }
}

/// The first `OUT` cell where two answers differ, as `OUT!C7: interpreter
/// 2, native 3`.
fn first_difference(program: &Program, a: &Outcomes, b: &Outcomes) -> Option<String> {
    if a.rows.len() != b.rows.len() {
        return Some(format!("{} rows against {}", a.rows.len(), b.rows.len()));
    }
    let output = &program.output;
    let sheet = program.sheets.get(usize::from(output.sheet)).map_or("OUT", |s| s.name.as_str());
    for (r, (x, y)) in a.rows.iter().zip(&b.rows).enumerate() {
        if x == y {
            continue;
        }
        let c = x.iter().zip(y).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
        let row = output.rows.get(r).copied().unwrap_or(0);
        let col = output.columns.get(c).map_or(0, |column| column.col);
        let cell = runtime::reference::a1(row, col);
        let (p, q) = (x.get(c), y.get(c));
        return Some(format!("{sheet}!{cell}: interpreter {p:?}, native {q:?}"));
    }
    None
}
