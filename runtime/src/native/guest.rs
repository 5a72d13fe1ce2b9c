//! The guest half of the ABI: what a generated library's code calls. It
//! mirrors the interpreter's run (dependency order, on-demand evaluation, a
//! re-entered cell reads 0) so that both answer alike.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use super::{
    put_option, RawValue, Reader, Request, Sink, VersionRecord, STATUS_BAD_REQUEST,
    STATUS_CALLBACK_FAILED, STATUS_OK, STATUS_PANIC,
};
use crate::reference::{CellAddr, Context, Reference, SheetId};
use crate::slots::{Slot, SlotTable};
use crate::value::{ExcelError, Value};

/// Stack left when a deeper evaluation moves to a fresh stack segment.
const STACK_RED_ZONE: usize = 256 * 1024;
/// Size of each stack segment taken from the heap.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;
/// A cell address in generated static data.
pub type StaticAddr = (SheetId, u32, u32);

/// A constant value in generated static data.
#[derive(Clone, Copy, Debug)]
pub enum StaticValue {
    Empty,
    Number(f64),
    Text(&'static str),
    Bool(bool),
    Error(ExcelError),
}

impl StaticValue {
    pub fn to_value(self) -> Value {
        match self {
            StaticValue::Empty => Value::Empty,
            StaticValue::Number(n) => Value::Number(n),
            StaticValue::Text(t) => Value::text(t),
            StaticValue::Bool(b) => Value::Bool(b),
            StaticValue::Error(e) => Value::Error(e),
        }
    }
}

/// One sheet: name and used extent.
pub type StaticSheet = (&'static str, u32, u32);

/// Everything a generated crate knows of its program, as static data.
pub struct StaticProgram {
    pub program_hash: u64,
    pub sheets: &'static [StaticSheet],
    pub date_1904: bool,
    /// The program's [`crate::ir::Program::date_order`].
    pub date_order: crate::ir::DateOrder,
    pub input_sheet: SheetId,
    pub input_cols: &'static [u32],
    pub capacity: u32,
    pub output_sheet: SheetId,
    pub output_cols: &'static [u32],
    pub output_rows: &'static [u32],
    pub constants: &'static [(StaticAddr, StaticValue)],
    /// The address of each formula, in the program's order.
    pub formulas: &'static [StaticAddr],
    /// Evaluates every formula in order.
    pub run: fn(&Frame<'_>),
    /// Computes formula `index`'s value (for on-demand evaluation).
    pub code: fn(&Frame<'_>, usize) -> Value,
    /// Lookup tables built on first use.
    pub prepared: &'static OnceLock<Prepared>,
}

/// Lookup tables of a [`StaticProgram`], built once per loaded library.
#[derive(Debug)]
pub struct Prepared {
    slots: SlotTable,
    constants: Vec<Value>,
    /// Input column index by 0-based column of the `IN` sheet.
    input_cols: Vec<Option<usize>>,
}

impl Prepared {
    fn new(program: &StaticProgram) -> Prepared {
        let addr = |&(sheet, row, col): &StaticAddr| CellAddr::new(sheet, row, col);
        let slots = SlotTable::new(
            program.sheets.iter().map(|&(_, rows, cols)| (rows, cols)),
            program.constants.iter().map(|(at, _)| addr(at)),
            program.formulas.iter().map(addr),
        );
        let constants = program.constants.iter().map(|(_, v)| v.to_value()).collect();
        let width = program.input_cols.iter().max().map_or(0, |c| *c as usize + 1);
        let mut input_cols = vec![None; width];
        for (i, c) in program.input_cols.iter().enumerate() {
            input_cols[*c as usize] = Some(i);
        }
        Prepared { slots, constants, input_cols }
    }
}

const PENDING: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;

/// The value of every cell no one wrote.
pub(super) static EMPTY: Value = Value::Empty;

/// The state of one compiled evaluation; generated code reads cells through it.
pub struct Frame<'a> {
    program: &'static StaticProgram,
    prepared: &'static Prepared,
    log: Vec<Value>,
    entries: usize,
    width: usize,
    values: RefCell<Vec<Value>>,
    states: RefCell<Vec<u8>>,
    /// The formula being computed, `usize::MAX` outside any.
    current: Cell<usize>,
    request: &'a Request,
    failed: Cell<bool>,
}

/// Serves one request of the host: the body of a generated library's
/// exported evaluation function.
///
/// # Safety
///
/// `request` must point to a valid [`Request`] whose log holds
/// `entries * width` values, as [`NativeEvaluator`] builds it.
pub unsafe fn serve(request: *const Request, program: &'static StaticProgram) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller guarantees a valid request for the whole call.
        let request = unsafe { &*request };
        if request.width != program.input_cols.len() {
            return STATUS_BAD_REQUEST;
        }
        let n = request.entries.saturating_mul(request.width);
        let raw = match n {
            0 => &[][..],
            // SAFETY: the log holds `entries * width` values (the contract above).
            _ => unsafe { std::slice::from_raw_parts(request.log, n) },
        };
        let log = log_values(raw);
        let frame = Frame::new(program, log, request);
        (program.run)(&frame);
        if frame.failed.get() {
            return STATUS_CALLBACK_FAILED;
        }
        frame.send_outcomes();
        STATUS_OK
    }));
    outcome.unwrap_or(STATUS_PANIC)
}

/// The most distinct texts [`log_values`] remembers.
const SHARED_TEXTS: usize = 32;

/// The log's values, its texts copied. A log repeats a few texts (event
/// types, teams, periods) in every entry, so each text seen recently is
/// shared rather than allocated again.
fn log_values(raw: &[RawValue]) -> Vec<Value> {
    let mut seen: Vec<(&[u8], Value)> = Vec::new();
    raw.iter()
        .map(|r| {
            if r.tag != RawValue::TEXT || r.len == 0 {
                // SAFETY: not a text, or an empty one: nothing is read.
                return unsafe { r.to_value() };
            }
            // SAFETY: every text of the log is borrowed from a live host
            // value for the whole call (the contract of `serve`).
            let bytes = unsafe { std::slice::from_raw_parts(r.text, r.len) };
            if let Some((_, value)) = seen.iter().find(|(b, _)| *b == bytes) {
                return value.clone();
            }
            // SAFETY: as above.
            let value = unsafe { r.to_value() };
            if seen.len() < SHARED_TEXTS {
                seen.push((bytes, value.clone()));
            }
            value
        })
        .collect()
}

/// The version record of a generated library.
pub fn guest_version(program: &StaticProgram) -> VersionRecord {
    VersionRecord::current(program.program_hash)
}

impl<'a> Frame<'a> {
    fn new(program: &'static StaticProgram, log: Vec<Value>, request: &'a Request) -> Frame<'a> {
        let n = program.formulas.len();
        Frame {
            program,
            prepared: program.prepared.get_or_init(|| Prepared::new(program)),
            log,
            entries: request.entries,
            width: request.width,
            values: RefCell::new(vec![Value::Empty; n]),
            states: RefCell::new(vec![PENDING; n]),
            current: Cell::new(usize::MAX),
            request,
            failed: Cell::new(false),
        }
    }

    fn send_outcomes(&self) {
        for row in self.program.output_rows {
            for col in self.program.output_cols {
                let value = self.cell(CellAddr::new(self.program.output_sheet, *row, *col));
                (self.request.put)(self.request.out, &RawValue::borrow(&value));
            }
        }
    }

    /// Log value `column` of `IN` row `row` (1-based, within the capacity).
    #[inline]
    pub fn input(&self, row: u32, column: usize) -> &Value {
        let row = row as usize;
        if row == 0 || row > self.entries {
            return &EMPTY;
        }
        self.log.get((row - 1) * self.width + column).unwrap_or(&EMPTY)
    }

    /// Constant `index` of the program (texts, whose literal would allocate).
    #[inline]
    pub fn constant(&self, index: usize) -> Value {
        self.prepared.constants.get(index).cloned().unwrap_or_default()
    }

    /// The number of entries in the log.
    #[inline]
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// Formula `index`'s value, computed first if it is not yet.
    #[inline]
    pub fn formula(&self, index: usize) -> Value {
        self.force(index);
        self.values.borrow()[index].clone()
    }

    /// Formula `index`'s value as a number, as arithmetic coerces it.
    #[inline]
    pub fn formula_number(&self, index: usize) -> Result<f64, ExcelError> {
        self.force(index);
        self.values.borrow()[index].to_number()
    }

    /// Formula `index`'s value when it is computed, without computing it:
    /// a running total starts from the value of the row above only when
    /// that row is done.
    #[inline]
    pub fn settled(&self, index: usize) -> Option<Value> {
        let done = self.states.borrow().get(index) == Some(&DONE);
        done.then(|| self.values.borrow()[index].clone())
    }

    /// Computes formula `index` with its own generated code unless it is done.
    #[inline]
    pub fn force(&self, index: usize) {
        if self.states.borrow()[index] != DONE {
            let code = self.program.code;
            self.force_with(index, |frame| code(frame, index));
        }
    }

    /// Computes formula `index` with `code` unless it is done; a re-entry is
    /// a cycle only a dynamic reference could reach, and reads 0 as in Excel
    /// and in the interpreter. The stack grows on the heap for long chains
    /// of on-demand cells.
    pub fn force_with(&self, index: usize, code: impl FnOnce(&Frame<'_>) -> Value) {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            let state = self.states.borrow()[index];
            match state {
                DONE => return,
                RUNNING => {
                    self.values.borrow_mut()[index] = Value::Number(0.0);
                    return;
                }
                _ => {}
            }
            self.states.borrow_mut()[index] = RUNNING;
            let outer = self.current.replace(index);
            let value = match code(self) {
                Value::Empty => Value::Number(0.0),
                value => value,
            };
            self.current.set(outer);
            self.values.borrow_mut()[index] = value;
            self.states.borrow_mut()[index] = DONE;
        });
    }

    /// The current formula's value computed by the host's interpreter: the
    /// generated code's way out for anything it does not compile.
    pub fn interpret_here(&self) -> Value {
        let index = self.current.get();
        let reader = Reader { frame: std::ptr::from_ref(self).cast(), read: read_cell };
        let mut slot: Option<Value> = None;
        let sink = std::ptr::from_mut(&mut slot).cast();
        let status = (self.request.interpret)(self.request.host, index, &reader, sink, put_option);
        match (status, slot) {
            (STATUS_OK, Some(value)) => value,
            _ => {
                self.failed.set(true);
                Value::Error(ExcelError::Value)
            }
        }
    }

    #[inline]
    fn input_at(&self, addr: CellAddr) -> Option<&Value> {
        let program = self.program;
        if addr.sheet != program.input_sheet || addr.row == 0 || addr.row > program.capacity {
            return None;
        }
        let column = (*self.prepared.input_cols.get(addr.col as usize)?)?;
        Some(self.input(addr.row, column))
    }
}

/// The guest's [`ReadFn`]: one cell of the running frame.
extern "C" fn read_cell(
    frame: *const c_void,
    sheet: u16,
    row: u32,
    col: u32,
    sink: *mut c_void,
    put: Sink,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `frame` is the `Frame` that passed itself to the host in
        // `interpret_here`, alive until that call returns, which encloses
        // this one.
        let frame = unsafe { &*frame.cast::<Frame<'_>>() };
        let value = frame.cell(CellAddr::new(sheet, row, col));
        put(sink, &RawValue::borrow(&value));
    }));
    outcome.map_or(STATUS_PANIC, |()| STATUS_OK)
}

impl Context for Frame<'_> {
    fn cell(&self, addr: CellAddr) -> Value {
        if let Some(value) = self.input_at(addr) {
            return value.clone();
        }
        match self.prepared.slots.get(addr) {
            Some(Slot::Constant(i)) => self.prepared.constants[i].clone(),
            Some(Slot::Formula(i)) => self.formula(i),
            None => Value::Empty,
        }
    }

    fn used_extent(&self, sheet: SheetId) -> (u32, u32) {
        self.program.sheets.get(usize::from(sheet)).map_or((0, 0), |s| (s.1, s.2))
    }

    fn sheet_id(&self, name: &str) -> Option<SheetId> {
        let sheets = self.program.sheets;
        sheets.iter().position(|s| s.0.eq_ignore_ascii_case(name)).map(|i| i as SheetId)
    }

    fn sheet_name(&self, sheet: SheetId) -> Option<&str> {
        self.program.sheets.get(usize::from(sheet)).map(|s| s.0)
    }

    /// Generated code hands every `INDIRECT`, the only reader of names, to
    /// the interpreter, whose context knows the names.
    fn defined_name(&self, _name: &str, _sheet: SheetId) -> Option<Reference> {
        None
    }

    fn current_cell(&self) -> CellAddr {
        let at = self.program.formulas.get(self.current.get()).copied().unwrap_or((0, 0, 0));
        CellAddr::new(at.0, at.1, at.2)
    }

    fn date_1904(&self) -> bool {
        self.program.date_1904
    }

    fn date_order(&self) -> crate::ir::DateOrder {
        self.program.date_order
    }
}

/// A number result of typed arithmetic: NaN and infinities are `#NUM!` and
/// -0 is 0, as [`Value::number`] has them.
#[inline]
pub fn finite(n: f64) -> Result<f64, ExcelError> {
    if n.is_finite() {
        Ok(if n == 0.0 { 0.0 } else { n })
    } else {
        Err(ExcelError::Num)
    }
}

/// A truth value or the error met, as a value.
#[inline]
pub fn from_bool(b: Result<bool, ExcelError>) -> Value {
    match b {
        Ok(b) => Value::Bool(b),
        Err(e) => Value::Error(e),
    }
}

/// A typed number as a value.
#[inline]
pub fn from_number(n: Result<f64, ExcelError>) -> Value {
    match n {
        Ok(n) => Value::Number(n),
        Err(e) => Value::Error(e),
    }
}
