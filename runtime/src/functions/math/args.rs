//! Walking the arguments of aggregate functions by Excel's rules, and
//! lining up ranges of equal shape for the `*IFS` family and `SUMPRODUCT`.
//!
//! Excel treats a value differently by where it comes from. Given directly
//! (`=SUM("3",TRUE)`), text is parsed as a number (unparsable text is
//! `#VALUE!`) and booleans count as 0/1. Inside a reference or an array
//! (`=SUM(A1:A3)`, `=SUM({1,"2",TRUE})`), only numbers count and text,
//! booleans and empty cells are skipped; the `A` functions (`AVERAGEA`,
//! `MINA`, `MAXA`) instead count text as 0 and booleans as 0/1. Errors
//! propagate from anywhere, the first in argument order.

use crate::reference::{CellAddr, Context, Operand, RangeRef, Reference, MAX_COLS, MAX_ROWS};
use crate::value::{Array, ExcelError, Value};

/// Where a scalar handed to an aggregate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// An argument that is a single value (`=SUM(1,"2")`).
    Direct,
    /// A cell of a reference or an element of an array.
    Range,
}

/// Which values of references and arrays an aggregate counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Numbers only (`SUM`, `AVERAGE`, `MIN`, `STDEV`...).
    Plain,
    /// Numbers, text as 0 and booleans as 0/1 (`AVERAGEA`, `MINA`, `MAXA`).
    All,
}

/// Calls `f` with every scalar of `arg` and where it came from. A reference
/// is walked over its used part only; returns how many empty cells past the
/// used extent were skipped.
pub(crate) fn for_each_scalar(
    arg: &Operand,
    ctx: &dyn Context,
    mut f: impl FnMut(&Value, Origin),
) -> u64 {
    match arg {
        Operand::Value(Value::Array(a)) => {
            a.values().iter().for_each(|v| f(v, Origin::Range));
            0
        }
        Operand::Value(v) => {
            f(v, Origin::Direct);
            0
        }
        Operand::Ref(Reference::Range(r)) => r.for_each_used(ctx, |v| f(&v, Origin::Range)),
        Operand::Ref(Reference::Union(ranges)) => {
            let mut skipped = 0;
            for r in ranges.iter() {
                skipped += r.for_each_used(ctx, |v| f(&v, Origin::Range));
            }
            skipped
        }
    }
}

/// The number a scalar contributes under `rule`: `Ok(None)` when it is
/// skipped, `Err` when it is an error (or direct text that is no number).
pub(crate) fn number_of(v: &Value, origin: Origin, rule: Rule) -> Result<Option<f64>, ExcelError> {
    match (v, origin, rule) {
        (Value::Number(n), _, _) => Ok(Some(*n)),
        (Value::Error(e), _, _) => Err(*e),
        (Value::Array(_), _, _) => Err(ExcelError::Value),
        (Value::Bool(b), Origin::Direct, _) | (Value::Bool(b), Origin::Range, Rule::All) => {
            Ok(Some(if *b { 1.0 } else { 0.0 }))
        }
        // An omitted argument (`=MIN(,5)`) is 0.
        (Value::Empty, Origin::Direct, _) => Ok(Some(0.0)),
        (Value::Text(_), Origin::Direct, _) => v.to_number().map(Some),
        (Value::Text(_), Origin::Range, Rule::All) => Ok(Some(0.0)),
        (Value::Empty | Value::Text(_) | Value::Bool(_), Origin::Range, _) => Ok(None),
    }
}

/// Calls `f` with each number the arguments contribute under `rule`.
///
/// # Errors
///
/// The first error in argument order.
pub(crate) fn fold_numbers(
    args: &[Operand],
    ctx: &dyn Context,
    rule: Rule,
    mut f: impl FnMut(f64),
) -> Result<(), ExcelError> {
    let mut first_error = None;
    for arg in args {
        for_each_scalar(arg, ctx, |v, origin| {
            if first_error.is_some() {
                return;
            }
            match number_of(v, origin, rule) {
                Ok(Some(n)) => f(n),
                Ok(None) => {}
                Err(e) => first_error = Some(e),
            }
        });
        if let Some(e) = first_error {
            return Err(e);
        }
    }
    Ok(())
}

/// The numbers the arguments contribute under `rule`, in order.
///
/// # Errors
///
/// The first error in argument order.
pub(crate) fn numbers(
    args: &[Operand],
    ctx: &dyn Context,
    rule: Rule,
) -> Result<Vec<f64>, ExcelError> {
    let mut out = Vec::new();
    fold_numbers(args, ctx, rule, |n| out.push(n))?;
    Ok(out)
}

/// An argument seen as a rectangle of values: a range, an array or a
/// single value (a 1x1 rectangle).
#[derive(Clone, Debug)]
pub(crate) enum Grid<'a> {
    Range(RangeRef),
    Array(&'a Array),
    Scalar(&'a Value),
}

impl<'a> Grid<'a> {
    /// The grid of an operand; a union of ranges is `#VALUE!`.
    pub(crate) fn of(arg: &'a Operand) -> Result<Grid<'a>, ExcelError> {
        match arg {
            Operand::Ref(Reference::Range(r)) => Ok(Grid::Range(*r)),
            Operand::Ref(Reference::Union(_)) => Err(ExcelError::Value),
            Operand::Value(Value::Array(a)) => Ok(Grid::Array(a)),
            Operand::Value(v) => Ok(Grid::Scalar(v)),
        }
    }

    /// Rows and columns.
    pub(crate) fn shape(&self) -> (u32, u32) {
        match self {
            Grid::Range(r) => (r.rows(), r.cols()),
            Grid::Array(a) => (a.rows() as u32, a.cols() as u32),
            Grid::Scalar(_) => (1, 1),
        }
    }

    /// The value at (row, col) relative to the top-left; empty outside.
    pub(crate) fn get(&self, row: u32, col: u32, ctx: &dyn Context) -> Value {
        match self {
            Grid::Range(r) => r.at(row, col).map(|cell| ctx.cell(cell)).unwrap_or(Value::Empty),
            Grid::Array(a) => a.get(row as usize, col as usize).cloned().unwrap_or(Value::Empty),
            Grid::Scalar(v) if row == 0 && col == 0 => (*v).clone(),
            Grid::Scalar(_) => Value::Empty,
        }
    }

    /// The leading rows and columns that may hold values: past them a
    /// range lies beyond its sheet's used extent.
    fn used_shape(&self, ctx: &dyn Context) -> (u32, u32) {
        match self {
            Grid::Range(r) => match r.clipped(ctx) {
                Some(used) => (used.rows(), used.cols()),
                None => (0, 0),
            },
            other => other.shape(),
        }
    }

    /// A grid of `shape` starting at this one's top-left corner, as `SUMIF`
    /// and `AVERAGEIF` read their sum and average ranges. Arrays and values
    /// cannot grow and stay as they are.
    pub(crate) fn resized(&self, shape: (u32, u32)) -> Grid<'a> {
        match self {
            Grid::Range(r) => {
                let top_left = CellAddr::new(r.sheet, r.first_row, r.first_col);
                let last_row = (r.first_row + shape.0 - 1).min(MAX_ROWS - 1);
                let last_col = (r.first_col + shape.1 - 1).min(MAX_COLS - 1);
                Grid::Range(RangeRef { last_row, last_col, ..RangeRef::cell(top_left) })
            }
            other => other.clone(),
        }
    }
}

/// The part of grids lined up on the first one's shape worth visiting: rows
/// and columns past which every grid is empty. Returns that extent and how
/// many positions of the first grid's shape lie outside it.
pub(crate) fn aligned_extent(grids: &[Grid<'_>], ctx: &dyn Context) -> ((u32, u32), u64) {
    let shape = grids.first().map(Grid::shape).unwrap_or((0, 0));
    let (mut rows, mut cols) = (0, 0);
    for grid in grids {
        let (r, c) = grid.used_shape(ctx);
        if r > 0 && c > 0 {
            rows = rows.max(r);
            cols = cols.max(c);
        }
    }
    // A larger array (a sum range given as an array constant) is read only
    // where it meets the first grid.
    let (rows, cols) = (rows.min(shape.0), cols.min(shape.1));
    let total = u64::from(shape.0) * u64::from(shape.1);
    let visited = u64::from(rows) * u64::from(cols);
    ((rows, cols), total - visited)
}
