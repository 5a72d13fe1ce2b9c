//! Helpers shared by the function tests: a one-sheet workbook filled from
//! A1-style addresses, reference operands, and a table-driven `check` that
//! calls functions through the public dispatcher.

use std::sync::Arc;

use crate::functions::{call, Function};
use crate::reference::{column_index, Operand, RangeRef, Reference, MAX_ROWS};
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

/// A workbook with one sheet, `Sheet1`.
pub(crate) fn book() -> MapContext {
    MapContext::new(&["Sheet1"])
}

/// (row, col) of an A1 address, 0-based.
fn cell(a1: &str) -> (u32, u32) {
    let split = a1.find(|c: char| c.is_ascii_digit()).unwrap();
    let col = column_index(&a1[..split]).unwrap();
    let row: u32 = a1[split..].parse().unwrap();
    (row - 1, col)
}

/// A reference operand on sheet 0: `"B2"`, `"A1:C3"` or a whole column `"A:B"`.
pub(crate) fn r(a1: &str) -> Operand {
    let range = match a1.split_once(':') {
        Some((a, b)) if a.chars().all(|c| c.is_ascii_alphabetic()) => RangeRef {
            sheet: 0,
            first_row: 0,
            first_col: column_index(a).unwrap(),
            last_row: MAX_ROWS - 1,
            last_col: column_index(b).unwrap(),
        },
        Some((a, b)) => {
            let ((r1, c1), (r2, c2)) = (cell(a), cell(b));
            RangeRef { sheet: 0, first_row: r1, first_col: c1, last_row: r2, last_col: c2 }
        }
        None => RangeRef::cell(crate::reference::CellAddr::new(0, cell(a1).0, cell(a1).1)),
    };
    Operand::Ref(Reference::Range(range))
}

/// Fills cells from `top` (an A1 address): `rows[i][j]` goes to the cell
/// `i` rows below and `j` columns right of `top`. Empty values stay unset.
pub(crate) fn fill(ctx: &mut MapContext, top: &str, rows: Vec<Vec<Value>>) {
    let (row, col) = cell(top);
    for (i, values) in rows.into_iter().enumerate() {
        for (j, v) in values.into_iter().enumerate() {
            if !v.is_empty() {
                ctx.set(0, row + i as u32, col + j as u32, v);
            }
        }
    }
}

/// Fills one column downwards from `top`.
pub(crate) fn column(ctx: &mut MapContext, top: &str, values: Vec<Value>) {
    fill(ctx, top, values.into_iter().map(|v| vec![v]).collect());
}

/// A number operand.
pub(crate) fn n(x: f64) -> Operand {
    Operand::Value(Value::Number(x))
}

/// A text operand.
pub(crate) fn t(s: &str) -> Operand {
    Operand::Value(Value::text(s))
}

/// A boolean operand.
pub(crate) fn b(x: bool) -> Operand {
    Operand::Value(Value::Bool(x))
}

/// An error operand.
pub(crate) fn e(err: ExcelError) -> Operand {
    Operand::error(err)
}

/// An array operand from rows of values.
pub(crate) fn arr(rows: Vec<Vec<Value>>) -> Operand {
    let (height, width) = (rows.len(), rows[0].len());
    let values = rows.into_iter().flatten().collect();
    Operand::Value(Value::Array(Arc::new(Array::new(height, width, values).unwrap())))
}

/// Calls the function named `name` with Excel's calling convention and
/// returns its value (a returned reference is read).
pub(crate) fn eval(ctx: &MapContext, name: &str, args: Vec<Operand>) -> Value {
    let f = Function::from_name(name).unwrap_or_else(|| panic!("unknown function {name}"));
    call(f, args, ctx).to_value(ctx)
}

/// Whether two values agree. A number quoted with seven or more significant
/// digits and a fraction (as Microsoft's examples quote irrational results,
/// `0.785398163`) must match to the decimals shown; other numbers to a
/// relative 1e-12. Arrays agree element by element.
pub(crate) fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(x)) => {
            let shown = x.to_string();
            let decimals = shown.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
            let digits = shown.trim_start_matches(['-', '0', '.']).replace('.', "").len();
            let tolerance = if decimals > 0 && digits >= 7 {
                0.5 * 10f64.powi(-decimals) + 1e-15
            } else {
                1e-12 * x.abs().max(1.0)
            };
            (a - x).abs() <= tolerance
        }
        (Value::Array(a), Value::Array(x)) => {
            a.rows() == x.rows()
                && a.cols() == x.cols()
                && a.values().iter().zip(x.values()).all(|(a, x)| same(a, x))
        }
        (a, x) => a == x,
    }
}

/// One table row: function name, arguments, expected value.
pub(crate) type Case = (&'static str, Vec<Operand>, Value);

/// Runs every case against `ctx` and reports all mismatches at once.
pub(crate) fn check(ctx: &MapContext, cases: Vec<Case>) {
    let mut failures = Vec::new();
    for (name, args, expected) in cases {
        let shown = format!("{name}({args:?})");
        let actual = eval(ctx, name, args);
        if !same(&actual, &expected) {
            failures.push(format!("{shown}: got {actual:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Shorthand for a number value.
pub(crate) fn num(x: f64) -> Value {
    Value::Number(x)
}

/// Shorthand for an error value.
pub(crate) fn err(e: ExcelError) -> Value {
    Value::Error(e)
}

/// A context that counts the cells read through it, to check that whole
/// columns cost only their used rows.
pub(crate) struct Counting<'a> {
    pub(crate) inner: &'a MapContext,
    pub(crate) reads: std::cell::Cell<u64>,
}

impl crate::reference::Context for Counting<'_> {
    fn cell(&self, addr: crate::reference::CellAddr) -> Value {
        self.reads.set(self.reads.get() + 1);
        self.inner.cell(addr)
    }
    fn used_extent(&self, sheet: crate::reference::SheetId) -> (u32, u32) {
        self.inner.used_extent(sheet)
    }
    fn sheet_id(&self, name: &str) -> Option<crate::reference::SheetId> {
        self.inner.sheet_id(name)
    }
    fn sheet_name(&self, sheet: crate::reference::SheetId) -> Option<&str> {
        self.inner.sheet_name(sheet)
    }
    fn defined_name(&self, name: &str, sheet: crate::reference::SheetId) -> Option<Reference> {
        self.inner.defined_name(name, sheet)
    }
    fn current_cell(&self) -> crate::reference::CellAddr {
        self.inner.current_cell()
    }
    fn date_1904(&self) -> bool {
        self.inner.date_1904()
    }

    fn date_order(&self) -> crate::ir::DateOrder {
        self.inner.date_order()
    }
}
