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
use runtime::value::Value;

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
        let show =
            |v: Option<&Value>| v.map_or_else(|| "no value".to_string(), |v| format!("{v:?}"));
        let (p, q) = (show(x.get(c)), show(y.get(c)));
        return Some(format!("{sheet}!{cell}: interpreter {p}, native {q}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use runtime::ir::{InputLayout, OutputColumn, OutputLayout, SheetInfo};
    use runtime::value::ExcelError;

    use super::*;

    fn program() -> Arc<Program> {
        let sheet = |name: &str| SheetInfo { name: name.to_string(), used_rows: 5, used_cols: 3 };
        Arc::new(Program {
            sheets: vec![sheet("IN"), sheet("OUT")],
            date_1904: false,
            date_order: runtime::ir::DateOrder::MonthFirst,
            input: InputLayout { sheet: 0, columns: Vec::new(), derived: Vec::new(), capacity: 20 },
            output: OutputLayout {
                sheet: 1,
                columns: vec![
                    OutputColumn { col: 0, key: "market".into() },
                    OutputColumn { col: 2, key: "result".into() },
                ],
                rows: vec![1, 4],
            },
            constants: Vec::new(),
            formulas: Vec::new(),
            blocks: Vec::new(),
            names: Vec::new(),
            sources: Vec::new(),
            hidden_rows: Vec::new(),
            iteration: None,
            growing_spills: Vec::new(),
        })
    }

    /// Answers `late` in OUT!C5 for logs of at least `from` entries, and
    /// `early` there for shorter ones.
    struct Fixed {
        program: Arc<Program>,
        early: Value,
        late: Value,
        from: usize,
    }

    impl Evaluator for Fixed {
        fn program(&self) -> &Arc<Program> {
            &self.program
        }

        fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
            let result = if log.len() >= self.from { &self.late } else { &self.early };
            let result = result.clone();
            let market = Value::text("total");
            Ok(Outcomes { rows: vec![vec![market.clone(), Value::Empty], vec![market, result]] })
        }
    }

    fn check(interpreter: Value, native: Value) -> Result<(), String> {
        let program = program();
        let early = interpreter.clone();
        let a = Fixed { program: program.clone(), early, late: interpreter.clone(), from: 0 };
        let b = Fixed { program: program.clone(), early: interpreter, late: native, from: 2 };
        check_against(&a, &b, &program)
    }

    /// Values must be identical in type and error kind, not merely alike.
    #[test]
    fn types_and_error_kinds_must_match() {
        assert_eq!(check(Value::Number(1.0), Value::Number(1.0)), Ok(()));
        let na = Value::Error(ExcelError::NA);
        assert_eq!(check(na.clone(), na.clone()), Ok(()));
        let reason = check(Value::Number(1.0), Value::text("1")).unwrap_err();
        assert!(reason.contains("OUT!C5: interpreter Number(1.0), native Text(\"1\")"), "{reason}");
        // Logs of fewer than two entries agree; the third log is the first
        // with two.
        assert!(reason.starts_with("the native evaluator differs on generated log 3"), "{reason}");
        let reason = check(na, Value::Error(ExcelError::Value)).unwrap_err();
        assert!(reason.contains("generated log 3 (2 entries)"), "{reason}");
    }

    /// A native evaluator that panics is refused, not a dead worker.
    #[test]
    fn panicking_native_evaluator_is_refused() {
        struct Panics(Arc<Program>);
        impl Evaluator for Panics {
            fn program(&self) -> &Arc<Program> {
                &self.0
            }
            fn evaluate(&self, _log: &[Entry]) -> Result<Outcomes, EvalError> {
                panic!("generated code bug")
            }
        }
        let program = program();
        let interpreter =
            Fixed { program: program.clone(), early: Value::Empty, late: Value::Empty, from: 0 };
        let reason = check_against(&interpreter, &Panics(program.clone()), &program).unwrap_err();
        assert_eq!(reason, "the native evaluator panicked on generated log 1");
    }
}
