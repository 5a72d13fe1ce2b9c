//! The C ABI between the engine and a compiled evaluator, both of its sides.
//!
//! A compiled evaluator is a `cdylib` generated from one [`Program`] by
//! `compiler::codegen`. It links its own copy of this crate, so no Rust type
//! may cross between it and the engine: everything that does is `#[repr(C)]`
//! ([`RawValue`], [`Request`], [`Reader`], [`VersionRecord`]) and every
//! function pointer is `extern "C"`. The library exports two symbols:
//!
//! - [`VERSION_SYMBOL`], returning a [`VersionRecord`] (ABI version, runtime
//!   version, a fingerprint of the runtime's sources, rustc version, program
//!   hash). [`NativeEvaluator::load`] refuses a library whose record differs
//!   from its own, and the caller keeps the interpreter.
//! - [`EVALUATE_SYMBOL`], taking a [`Request`]: the log, a sink for the `OUT`
//!   values, and the host's callback that evaluates one formula with the
//!   interpreter ([`crate::interp::eval_formula`]) for the cells the generator
//!   hands back (dynamic references, constructs it does not compile).
//!
//! The guest half ([`Frame`], [`StaticProgram`], [`serve`]) is what generated
//! code calls; it mirrors the interpreter's run (dependency order, on-demand
//! evaluation, a re-entered cell reads 0) so that both answer alike. No panic
//! crosses the boundary: each side catches its own.
#![allow(
    unsafe_code,
    reason = "loading a compiled evaluator and calling across its C ABI needs foreign calls and \
              raw pointers; each unsafe block says what makes it sound"
)]

mod fingerprint;
mod guest;

pub use fingerprint::source_fingerprint;
use guest::EMPTY;
pub use guest::{
    finite, from_bool, from_number, guest_version, serve, Frame, Prepared, StaticAddr,
    StaticProgram, StaticSheet, StaticValue,
};

use std::cell::Cell;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::evaluator::{Entry, EvalError, Evaluator, Outcomes};
use crate::interp;
use crate::ir::Program;
use crate::reference::{CellAddr, Context, Reference, SheetId};
use crate::value::{ExcelError, Value};

/// Bumped whenever a layout or a signature of this module changes.
pub const ABI_VERSION: u32 = 1;
/// The name of the exported version function.
pub const VERSION_SYMBOL: &[u8] = b"sengine_version";
/// The name of the exported evaluation function.
pub const EVALUATE_SYMBOL: &[u8] = b"sengine_evaluate";

/// The runtime's own version.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The rustc that built this copy of the runtime (captured by `build.rs`).
pub const RUSTC_VERSION: &str = env!("SENGINE_RUSTC_VERSION");
/// A fingerprint of the runtime's sources: a library built against other
/// semantics must not load even when the version number is the same.
pub const RUNTIME_SOURCE_HASH: &str = env!("SENGINE_RUNTIME_SOURCE_HASH");

/// Status codes of the entry point and the callbacks.
pub const STATUS_OK: i32 = 0;
/// Something panicked and was caught.
pub const STATUS_PANIC: i32 = 1;
/// The request did not fit the program (log width, formula index).
pub const STATUS_BAD_REQUEST: i32 = 2;
/// A callback of the other side failed during the evaluation.
pub const STATUS_CALLBACK_FAILED: i32 = 3;

/// What a library was built from, compared field by field before loading.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionRecord {
    pub abi: u32,
    pub runtime: [u8; 32],
    pub source: [u8; 32],
    pub rustc: [u8; 128],
    pub program: u64,
}

impl VersionRecord {
    /// The record this copy of the runtime expects for `program_hash`.
    pub fn current(program_hash: u64) -> VersionRecord {
        VersionRecord {
            abi: ABI_VERSION,
            runtime: fixed(RUNTIME_VERSION),
            source: fixed(RUNTIME_SOURCE_HASH),
            rustc: fixed(RUSTC_VERSION),
            program: program_hash,
        }
    }

    /// The first field where `self` (the library's) differs from `expected`:
    /// its name, the expected and the found text.
    pub fn mismatch(&self, expected: &VersionRecord) -> Option<(&'static str, String, String)> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).trim_end_matches('\0').to_string();
        let fields = [
            ("abi version", expected.abi.to_string(), self.abi.to_string()),
            ("runtime version", text(&expected.runtime), text(&self.runtime)),
            ("runtime source", text(&expected.source), text(&self.source)),
            ("rustc version", text(&expected.rustc), text(&self.rustc)),
            ("program hash", hex(expected.program), hex(self.program)),
        ];
        fields.into_iter().find(|(_, want, got)| want != got)
    }
}

fn hex(n: u64) -> String {
    format!("{n:016x}")
}

/// `text` in a zero-padded array, cut to fit.
fn fixed<const N: usize>(text: &str) -> [u8; N] {
    let mut out = [0u8; N];
    for (slot, byte) in out.iter_mut().zip(text.bytes()) {
        *slot = byte;
    }
    out
}

/// A hash of everything a program says, the same in every process: the
/// program's name for the version record and the generated crate.
pub fn program_hash(program: &Program) -> u64 {
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    // Writing into the hasher cannot fail; a failure would only change the hash.
    let _ = std::fmt::write(&mut hasher, format_args!("{program:?}"));
    hasher.0
}

/// FNV-1a, fed through `fmt::Write` so a large program is hashed without
/// being printed to memory first.
struct Fnv(u64);

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        for byte in text.bytes() {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(())
    }
}

/// One scalar value across the boundary. `tag`: 0 empty, 1 number, 2 text
/// (`text`/`len`, UTF-8, borrowed for the duration of the call), 3 boolean
/// (`number` 0 or 1), 4 error (`code`, an index into [`ExcelError::ALL`]).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RawValue {
    pub tag: u32,
    pub code: u32,
    pub number: f64,
    pub text: *const u8,
    pub len: usize,
}

impl RawValue {
    /// The tag of a text value.
    pub const TEXT: u32 = 2;

    /// `value` as it crosses; it borrows `value`'s text. An array (never a
    /// cell's value) crosses as its top-left element.
    // FIXME: a log entry holding an array would reach compiled code as its
    // top-left element while the interpreter sees the whole array; the API
    // never sends arrays, but a caller of `Evaluator` could.
    pub fn borrow(value: &Value) -> RawValue {
        let mut raw = RawValue { tag: 0, code: 0, number: 0.0, text: std::ptr::null(), len: 0 };
        match value.first() {
            Value::Empty | Value::Array(_) => {}
            Value::Number(n) => (raw.tag, raw.number) = (1, *n),
            Value::Text(t) => (raw.tag, raw.text, raw.len) = (Self::TEXT, t.as_ptr(), t.len()),
            Value::Bool(b) => (raw.tag, raw.number) = (3, f64::from(u8::from(*b))),
            Value::Error(e) => {
                let code = ExcelError::ALL.iter().position(|x| x == e).unwrap_or(0);
                (raw.tag, raw.code) = (4, code as u32);
            }
        }
        raw
    }

    /// The value this describes, its text copied.
    ///
    /// # Safety
    ///
    /// For a text, `text` must point to `len` readable bytes.
    pub unsafe fn to_value(&self) -> Value {
        match self.tag {
            1 => Value::Number(self.number),
            Self::TEXT if self.len == 0 => Value::text(""),
            Self::TEXT => {
                // SAFETY: the caller guarantees `len` readable bytes at `text`.
                let bytes = unsafe { std::slice::from_raw_parts(self.text, self.len) };
                Value::text(String::from_utf8_lossy(bytes))
            }
            3 => Value::Bool(self.number != 0.0),
            4 => Value::Error(
                ExcelError::ALL.get(self.code as usize).copied().unwrap_or(ExcelError::Value),
            ),
            _ => Value::Empty,
        }
    }
}

/// Receives one value; `sink` is the receiver's own state.
pub type Sink = extern "C" fn(sink: *mut c_void, value: *const RawValue);
/// Reads one cell of a running guest evaluation into `sink`.
pub type ReadFn = extern "C" fn(
    frame: *const c_void,
    sheet: u16,
    row: u32,
    col: u32,
    sink: *mut c_void,
    put: Sink,
) -> i32;
/// The host's callback: evaluates formula `index` with the interpreter,
/// reading cells through `reader`, and puts the cell's value into `sink`.
pub type InterpretFn = extern "C" fn(
    host: *const c_void,
    index: usize,
    reader: *const Reader,
    sink: *mut c_void,
    put: Sink,
) -> i32;
/// The exported version function.
pub type VersionFn = extern "C" fn() -> VersionRecord;
/// The exported evaluation function.
pub type EvaluateFn = unsafe extern "C" fn(request: *const Request) -> i32;

/// How the host reads the guest's cells while it interprets one of them.
#[repr(C)]
pub struct Reader {
    pub frame: *const c_void,
    pub read: ReadFn,
}

/// One evaluation: `entries` rows of `width` values each, row-major; the
/// interpreter callback; where the `OUT` values go, row by row.
#[repr(C)]
pub struct Request {
    pub log: *const RawValue,
    pub entries: usize,
    pub width: usize,
    pub host: *const c_void,
    pub interpret: InterpretFn,
    pub out: *mut c_void,
    pub put: Sink,
}

/// The sink that stores a value into an `Option<Value>`.
extern "C" fn put_option(sink: *mut c_void, value: *const RawValue) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: every caller passes a `*mut Option<Value>` it owns for the
        // call and a `RawValue` borrowed from a live value.
        unsafe { *sink.cast::<Option<Value>>() = Some((*value).to_value()) };
    }));
}

/// The sink that appends a value to a `Vec<Value>`.
extern "C" fn put_vec(sink: *mut c_void, value: *const RawValue) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the host passes a `*mut Vec<Value>` it owns for the whole
        // evaluation and a `RawValue` borrowed from a live value.
        unsafe { (*sink.cast::<Vec<Value>>()).push((*value).to_value()) };
    }));
}

// Host side: loading a library and calling it.

/// Why a compiled evaluator could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot load compiled evaluator {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("compiled evaluator {path} lacks symbol {symbol}: {reason}")]
    Symbol { path: PathBuf, symbol: String, reason: String },
    #[error("compiled evaluator {path} was built for another {field}: expected {expected}, found {found}")]
    Mismatch { path: PathBuf, field: &'static str, expected: String, found: String },
}

/// A compiled evaluator loaded from a library, behind the same interface as
/// the interpreter.
pub struct NativeEvaluator {
    program: Arc<Program>,
    evaluate: EvaluateFn,
    path: PathBuf,
    /// Keeps the code `evaluate` points into mapped; never read.
    _library: libloading::Library,
}

impl std::fmt::Debug for NativeEvaluator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeEvaluator").field("path", &self.path).finish_non_exhaustive()
    }
}

impl NativeEvaluator {
    /// Loads the library at `path` for `program`, refusing one whose version
    /// record does not match this runtime and this program.
    ///
    /// # Errors
    ///
    /// [`LoadError`] when the library cannot be opened, lacks a symbol, or
    /// was built for another runtime, compiler or program.
    pub fn load(path: &Path, program: Arc<Program>) -> Result<NativeEvaluator, LoadError> {
        let open = |reason: String| LoadError::Open { path: path.to_path_buf(), reason };
        // SAFETY: loading runs the library's initialisers. Generated
        // libraries have none beyond Rust's own; a library that is not ours
        // is refused below before any of its functions but the version
        // record is called.
        let library = unsafe { libloading::Library::new(path) }.map_err(|e| open(e.to_string()))?;
        let symbol_error = |name: &[u8], e: libloading::Error| LoadError::Symbol {
            path: path.to_path_buf(),
            symbol: String::from_utf8_lossy(name).into_owned(),
            reason: e.to_string(),
        };
        // SAFETY: `VersionFn` is the type generated libraries export under
        // this name; the pointer is used only while `library` is alive.
        let version: VersionFn = unsafe { library.get::<VersionFn>(VERSION_SYMBOL) }
            .map(|s| *s)
            .map_err(|e| symbol_error(VERSION_SYMBOL, e))?;
        let found = version();
        let expected = VersionRecord::current(program_hash(&program));
        if let Some((field, expected, found)) = found.mismatch(&expected) {
            return Err(LoadError::Mismatch { path: path.to_path_buf(), field, expected, found });
        }
        // SAFETY: as above, for the evaluation entry point; the version
        // record just confirmed the library speaks this ABI.
        let evaluate: EvaluateFn = unsafe { library.get::<EvaluateFn>(EVALUATE_SYMBOL) }
            .map(|s| *s)
            .map_err(|e| symbol_error(EVALUATE_SYMBOL, e))?;
        Ok(NativeEvaluator { program, evaluate, path: path.to_path_buf(), _library: library })
    }

    /// The library this evaluator runs.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Evaluator for NativeEvaluator {
    fn program(&self) -> &Arc<Program> {
        &self.program
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        let capacity = self.program.input.capacity;
        if log.len() > capacity as usize {
            return Err(EvalError::Overflow { len: log.len(), capacity });
        }
        let width = self.program.input.columns.len();
        let raw: Vec<RawValue> = log
            .iter()
            .flat_map(|entry| (0..width).map(|c| RawValue::borrow(entry.get(c).unwrap_or(&EMPTY))))
            .collect();
        let output = &self.program.output;
        let mut values: Vec<Value> = Vec::with_capacity(output.columns.len() * output.rows.len());
        let host = Host { program: &self.program };
        let request = Request {
            log: raw.as_ptr(),
            entries: log.len(),
            width,
            host: std::ptr::from_ref(&host).cast(),
            interpret: host_interpret,
            out: std::ptr::from_mut(&mut values).cast(),
            put: put_vec,
        };
        let evaluate = self.evaluate;
        // SAFETY: `request` and everything it points to (`raw`, the texts of
        // `log`, `host`, `values`) outlive the call; the library was checked
        // to export this ABI when it was loaded and is still loaded.
        let status = catch_unwind(AssertUnwindSafe(|| unsafe { evaluate(&request) }));
        match status {
            Ok(STATUS_OK) => self.outcomes(values),
            Ok(code) => Err(EvalError::Internal(format!(
                "compiled evaluator {} failed with status {code}",
                self.path.display()
            ))),
            Err(_) => Err(EvalError::Internal("compiled evaluator panicked".to_string())),
        }
    }
}

impl NativeEvaluator {
    fn outcomes(&self, values: Vec<Value>) -> Result<Outcomes, EvalError> {
        let output = &self.program.output;
        let width = output.columns.len();
        if values.len() != width * output.rows.len() {
            return Err(EvalError::Internal(format!(
                "compiled evaluator returned {} values for {} outcome rows of {width} columns",
                values.len(),
                output.rows.len()
            )));
        }
        let rows = match width {
            0 => vec![Vec::new(); output.rows.len()],
            _ => {
                let mut values = values.into_iter();
                (0..output.rows.len()).map(|_| values.by_ref().take(width).collect()).collect()
            }
        };
        Ok(Outcomes { rows })
    }
}

/// What the host callback needs of the host.
struct Host<'a> {
    program: &'a Program,
}

/// The host's [`InterpretFn`].
extern "C" fn host_interpret(
    host: *const c_void,
    index: usize,
    reader: *const Reader,
    sink: *mut c_void,
    put: Sink,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `host` is the `Host` that `NativeEvaluator::evaluate`
        // passed in the request and `reader` the guest's frame reader, both
        // alive for the whole evaluation that makes this call.
        let (host, reader) = unsafe { (&*host.cast::<Host<'_>>(), &*reader) };
        let Some(cell) = host.program.formulas.get(index) else {
            return STATUS_BAD_REQUEST;
        };
        let context = ReaderContext {
            program: host.program,
            reader,
            current: cell.addr,
            failed: Cell::new(false),
        };
        let Some(value) = interp::eval_formula(host.program, index, &context) else {
            return STATUS_BAD_REQUEST;
        };
        if context.failed.get() {
            return STATUS_CALLBACK_FAILED;
        }
        put(sink, &RawValue::borrow(&value));
        STATUS_OK
    }));
    outcome.unwrap_or(STATUS_PANIC)
}

/// The interpreter's view of a guest evaluation: cells come from the guest,
/// everything else from the program.
struct ReaderContext<'a> {
    program: &'a Program,
    reader: &'a Reader,
    current: CellAddr,
    /// Set when a read failed: the evaluation then fails as a whole rather
    /// than answer with a made-up value.
    failed: Cell<bool>,
}

impl Context for ReaderContext<'_> {
    fn cell(&self, addr: CellAddr) -> Value {
        let mut slot: Option<Value> = None;
        let sink = std::ptr::from_mut(&mut slot).cast();
        let status =
            (self.reader.read)(self.reader.frame, addr.sheet, addr.row, addr.col, sink, put_option);
        match (status, slot) {
            (STATUS_OK, Some(value)) => value,
            _ => {
                self.failed.set(true);
                Value::Error(ExcelError::Value)
            }
        }
    }

    fn used_extent(&self, sheet: SheetId) -> (u32, u32) {
        let info = self.program.sheets.get(usize::from(sheet));
        info.map_or((0, 0), |s| (s.used_rows, s.used_cols))
    }

    fn sheet_id(&self, name: &str) -> Option<SheetId> {
        let sheets = &self.program.sheets;
        sheets.iter().position(|s| s.name.eq_ignore_ascii_case(name)).map(|i| i as SheetId)
    }

    fn sheet_name(&self, sheet: SheetId) -> Option<&str> {
        self.program.sheets.get(usize::from(sheet)).map(|s| s.name.as_str())
    }

    fn defined_name(&self, name: &str, sheet: SheetId) -> Option<Reference> {
        let names = &self.program.names;
        let mut found = names.iter().filter(|n| n.name.eq_ignore_ascii_case(name));
        let scoped = found.clone().find(|n| n.scope == Some(sheet));
        scoped.or_else(|| found.find(|n| n.scope.is_none())).map(|n| n.target.clone())
    }

    fn current_cell(&self) -> CellAddr {
        self.current
    }

    fn date_1904(&self) -> bool {
        self.program.date_1904
    }

    fn date_order(&self) -> crate::ir::DateOrder {
        self.program.date_order
    }

    fn source_formula(&self, cell: CellAddr) -> Option<&crate::ir::SourceFormula> {
        self.program.source_formula(cell)
    }

    fn is_subtotal(&self, cell: CellAddr) -> bool {
        self.program.is_subtotal(cell)
    }

    fn hidden_row(&self, sheet: SheetId, row: u32) -> Option<crate::ir::HiddenRow> {
        self.program.hidden_row(sheet, row).copied()
    }
}
