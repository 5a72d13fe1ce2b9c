//! Lookup and reference functions: INDEX, MATCH, VLOOKUP, HLOOKUP, LOOKUP,
//! XLOOKUP, XMATCH, OFFSET, INDIRECT, ROW(S), COLUMN(S), CHOOSE, TRANSPOSE,
//! AREAS and ADDRESS.
//!
//! INDEX, OFFSET, INDIRECT, CHOOSE and XLOOKUP return references when they
//! are given ranges, so `SUM(INDEX(A1:C5,0,2))` sums a column and
//! `OFFSET(INDEX(…),1,0)` works; the caller dereferences.

mod address;
mod grid;
mod index;
mod reftext;
mod search;

use std::sync::Arc;

use crate::coerce::{arg, arg_number, arg_number_or, number_operand, value_operand};
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand, RangeRef, Reference, MAX_COLS, MAX_ROWS};
use crate::value::{Array, ExcelError, Value};

use grid::Grid;
pub use index::ExactIndex;

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LookupFn {
    Index,
    Match,
    VLookup,
    HLookup,
    Lookup,
    XLookup,
    XMatch,
    Offset,
    Indirect,
    Row,
    Rows,
    Column,
    Columns,
    Choose,
    Transpose,
    Areas,
    Address,
    AnchorArray,
}

const ANY_THEN_SCALARS: &[Param] = &[Param::Any, Param::Scalar];
const SCALAR_RANGE_SCALARS: &[Param] = &[Param::Scalar, Param::Range, Param::Scalar];
// Excel evaluates LOOKUP's vectors and INDEX's array as arrays even in a
// plain formula: `=LOOKUP(2,1/(A2:A50<>""),A2:A50)` finds the last filled
// cell without being entered as an array formula.
const LOOKUP_PARAMS: &[Param] = &[Param::Scalar, Param::Array, Param::Array];
const INDEX_PARAMS: &[Param] = &[Param::Array, Param::Scalar];
const XLOOKUP_PARAMS: &[Param] =
    &[Param::Scalar, Param::Range, Param::Range, Param::Any, Param::Scalar];
const SCALARS: &[Param] = &[Param::Scalar];
const RANGES: &[Param] = &[Param::Range];
const ANYS: &[Param] = &[Param::Any];
const CHOOSE_PARAMS: &[Param] = &[Param::Scalar, Param::Any];

impl LookupFn {
    /// Every function of this category.
    pub const ALL: &'static [LookupFn] = &[
        LookupFn::Index,
        LookupFn::Match,
        LookupFn::VLookup,
        LookupFn::HLookup,
        LookupFn::Lookup,
        LookupFn::XLookup,
        LookupFn::XMatch,
        LookupFn::Offset,
        LookupFn::Indirect,
        LookupFn::Row,
        LookupFn::Rows,
        LookupFn::Column,
        LookupFn::Columns,
        LookupFn::Choose,
        LookupFn::Transpose,
        LookupFn::Areas,
        LookupFn::Address,
        LookupFn::AnchorArray,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            LookupFn::Index => "INDEX",
            LookupFn::Match => "MATCH",
            LookupFn::VLookup => "VLOOKUP",
            LookupFn::HLookup => "HLOOKUP",
            LookupFn::Lookup => "LOOKUP",
            LookupFn::XLookup => "XLOOKUP",
            LookupFn::XMatch => "XMATCH",
            LookupFn::Offset => "OFFSET",
            LookupFn::Indirect => "INDIRECT",
            LookupFn::Row => "ROW",
            LookupFn::Rows => "ROWS",
            LookupFn::Column => "COLUMN",
            LookupFn::Columns => "COLUMNS",
            LookupFn::Choose => "CHOOSE",
            LookupFn::Transpose => "TRANSPOSE",
            LookupFn::Areas => "AREAS",
            LookupFn::Address => "ADDRESS",
            LookupFn::AnchorArray => "ANCHORARRAY",
        }
    }

    pub fn signature(self) -> Signature {
        match self {
            LookupFn::Index => Signature::new(2, Some(4), INDEX_PARAMS),
            LookupFn::Match => Signature::new(2, Some(3), SCALAR_RANGE_SCALARS),
            LookupFn::VLookup | LookupFn::HLookup => {
                Signature::new(3, Some(4), SCALAR_RANGE_SCALARS)
            }
            LookupFn::Lookup => Signature::new(2, Some(3), LOOKUP_PARAMS),
            LookupFn::XLookup => Signature::new(3, Some(6), XLOOKUP_PARAMS),
            LookupFn::XMatch => Signature::new(2, Some(4), SCALAR_RANGE_SCALARS),
            // OFFSET and INDIRECT can point anywhere, so they recalculate
            // on every calculation, as in Excel.
            LookupFn::Offset => Signature::new(3, Some(5), ANY_THEN_SCALARS).volatile(),
            LookupFn::Indirect => Signature::new(1, Some(2), SCALARS).volatile(),
            LookupFn::Row | LookupFn::Column => Signature::new(0, Some(1), ANYS),
            LookupFn::Rows | LookupFn::Columns | LookupFn::Transpose => {
                Signature::new(1, Some(1), RANGES)
            }
            LookupFn::Choose => Signature::new(2, Some(255), CHOOSE_PARAMS),
            LookupFn::Areas | LookupFn::AnchorArray => Signature::new(1, Some(1), ANYS),
            LookupFn::Address => Signature::new(2, Some(5), SCALARS),
        }
    }
}

pub(crate) fn call(f: LookupFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        LookupFn::Index => fn_index(args, ctx),
        LookupFn::Match => number_operand(search::fn_match(args, ctx)),
        LookupFn::VLookup => value_operand(search::fn_vlookup(args, ctx)),
        LookupFn::HLookup => value_operand(search::fn_hlookup(args, ctx)),
        LookupFn::Lookup => value_operand(search::fn_lookup(args, ctx)),
        LookupFn::XLookup => search::fn_xlookup(args, ctx),
        LookupFn::XMatch => number_operand(search::fn_xmatch(args, ctx)),
        LookupFn::Offset => fn_offset(args, ctx),
        LookupFn::AnchorArray => crate::functions::information::formula::fn_anchorarray(args, ctx),
        LookupFn::Indirect => fn_indirect(args, ctx),
        LookupFn::Row => fn_row(args, ctx),
        LookupFn::Rows => number_operand(fn_rows(args)),
        LookupFn::Column => fn_column(args, ctx),
        LookupFn::Columns => number_operand(fn_columns(args)),
        LookupFn::Choose => fn_choose(args, ctx),
        LookupFn::Transpose => fn_transpose(args, ctx),
        LookupFn::Areas => number_operand(fn_areas(args)),
        LookupFn::Address => value_operand(address::fn_address(args, ctx)),
    }
}

/// Turns a reference-or-error result into an operand.
fn operand(result: Result<Operand, ExcelError>) -> Operand {
    result.unwrap_or_else(Operand::error)
}

/// `INDEX(array, row_num, [column_num], [area_num])`: the element at
/// `row_num`, `column_num` (1-based). With a range it returns a reference
/// (`INDEX(A1:C5,2,3)` is `C2`); a row or column of 0 returns the whole
/// column or row (`INDEX(A1:C5,0,2)` is `B1:B5`). For a one-row range or
/// array a lone index counts along the row. `area_num` picks one range of
/// a union. Negative indices are `#VALUE!`, indices past the array and
/// areas past the union `#REF!`.
fn fn_index(args: &[Operand], ctx: &dyn Context) -> Operand {
    operand(index(args, ctx))
}

fn index(args: &[Operand], ctx: &dyn Context) -> Result<Operand, ExcelError> {
    let source = match args.first() {
        Some(Operand::Ref(Reference::Union(areas))) => {
            let area = arg_number_or(args, 3, 1.0, ctx)?.trunc();
            if area < 1.0 {
                return Err(ExcelError::Value);
            }
            let chosen = areas.get(area as usize - 1).ok_or(ExcelError::Ref)?;
            Operand::Ref(Reference::Range(*chosen))
        }
        Some(first) => {
            let area = arg_number_or(args, 3, 1.0, ctx)?.trunc();
            if area != 1.0 {
                return Err(if area < 1.0 { ExcelError::Value } else { ExcelError::Ref });
            }
            first.clone()
        }
        None => return Err(ExcelError::Value),
    };
    let grid = Grid::from_operand(&source)?;
    let row = arg_number_or(args, 1, 0.0, ctx)?.trunc();
    let col = arg_number_or(args, 2, 0.0, ctx)?.trunc();
    if row < 0.0 || col < 0.0 {
        return Err(ExcelError::Value);
    }
    // A lone index into a one-row range counts along the row.
    let (row, col) =
        if args.len() < 3 && grid.rows() == 1 && grid.cols() > 1 { (0.0, row) } else { (row, col) };
    let span = |index: f64, extent: usize| -> Result<(usize, usize), ExcelError> {
        match index as usize {
            0 => Ok((0, extent - 1)),
            i if i <= extent => Ok((i - 1, i - 1)),
            _ => Err(ExcelError::Ref),
        }
    };
    let rows = span(row, grid.rows())?;
    let cols = span(col, grid.cols())?;
    Ok(grid.slice(rows, cols, ctx))
}

/// `OFFSET(reference, rows, cols, [height], [width])`: the reference moved
/// by `rows` and `cols` and resized to `height` by `width` (by default the
/// reference's own size). Arguments are truncated; a negative height or
/// width extends up or left from the moved corner. A result that leaves
/// the sheet, or a height or width of 0, is `#REF!`; a reference argument
/// that is not a single range is `#VALUE!`.
fn fn_offset(args: &[Operand], ctx: &dyn Context) -> Operand {
    operand(offset(args, ctx))
}

fn offset(args: &[Operand], ctx: &dyn Context) -> Result<Operand, ExcelError> {
    let base = match args.first() {
        Some(Operand::Ref(Reference::Range(r))) => *r,
        Some(Operand::Value(Value::Error(e))) => return Err(*e),
        _ => return Err(ExcelError::Value),
    };
    let rows = arg_number(args, 1, ctx)?.trunc();
    let cols = arg_number(args, 2, ctx)?.trunc();
    let height = size(arg_number_or(args, 3, f64::from(base.rows()), ctx)?);
    let width = size(arg_number_or(args, 4, f64::from(base.cols()), ctx)?);
    if height == 0.0 || width == 0.0 {
        return Err(ExcelError::Ref);
    }
    let top = f64::from(base.first_row) + rows;
    let left = f64::from(base.first_col) + cols;
    let (first_row, last_row) = extent(top, height, MAX_ROWS)?;
    let (first_col, last_col) = extent(left, width, MAX_COLS)?;
    Ok(Operand::Ref(Reference::Range(RangeRef {
        sheet: base.sheet,
        first_row,
        first_col,
        last_row,
        last_col,
    })))
}

/// OFFSET's height or width: truncated toward zero, except that a fraction
/// between 0 and 1 counts as one cell. Excel:
/// calc_tests/LOOKUP_AND_REFERENCE/ROW_COLUM.xlsx OFFSET!K48, a width of 0.9
/// is 1, K46, 3.99 is 3, and K47, 0 is #REF!. A fraction between -1 and 0
/// is taken as -1 by symmetry; the corpus has no such case.
fn size(n: f64) -> f64 {
    let whole = n.trunc();
    if whole == 0.0 && n != 0.0 {
        n.signum()
    } else {
        whole
    }
}

/// The first and last index of `size` cells from `start` (backwards for a
/// negative size), or `#REF!` outside 0..limit.
fn extent(start: f64, size: f64, limit: u32) -> Result<(u32, u32), ExcelError> {
    let (first, last) =
        if size > 0.0 { (start, start + size - 1.0) } else { (start + size + 1.0, start) };
    if first < 0.0 || last >= f64::from(limit) {
        return Err(ExcelError::Ref);
    }
    Ok((first as u32, last as u32))
}

/// `INDIRECT(ref_text, [a1])`: the reference named by the text, in A1
/// style (default) or R1C1 style when `a1` is FALSE (relative parts count
/// from the formula's cell). Sheet names may be quoted (`'My Sheet'!A1`);
/// a defined name is resolved through the workbook. Anything else is
/// `#REF!`.
fn fn_indirect(args: &[Operand], ctx: &dyn Context) -> Operand {
    let text = match arg(args, 0, ctx) {
        Value::Error(e) => return Operand::error(e),
        v => match v.to_text() {
            Ok(t) => t,
            Err(e) => return Operand::error(e),
        },
    };
    let a1 = match arg(args, 1, ctx) {
        Value::Empty if args.len() < 2 => true,
        v => match v.to_bool() {
            Ok(b) => b,
            Err(e) => return Operand::error(e),
        },
    };
    match reftext::parse_reference(&text, a1, ctx.current_cell(), ctx) {
        Some(reference) => Operand::Ref(reference),
        None => Operand::error(ExcelError::Ref),
    }
}

/// The numbers `first..first + count` (1-based) as a column or row array,
/// or one number when `count` is 1.
fn sequence(first: u32, count: u32, vertical: bool) -> Operand {
    let values: Vec<Value> = (0..count).map(|i| Value::Number(f64::from(first + i + 1))).collect();
    let (rows, cols) = if vertical { (count as usize, 1) } else { (1, count as usize) };
    match Array::new(rows, cols, values) {
        Some(a) if count == 1 => Operand::Value(a.values()[0].clone()),
        Some(a) => Operand::Value(Value::Array(Arc::new(a))),
        None => Operand::error(ExcelError::Value),
    }
}

/// The single range of ROW's and COLUMN's argument, the formula's cell
/// when there is none.
fn position_source(args: &[Operand], ctx: &dyn Context) -> Result<RangeRef, ExcelError> {
    match args.first() {
        None | Some(Operand::Value(Value::Empty)) => Ok(RangeRef::cell(ctx.current_cell())),
        Some(Operand::Ref(Reference::Range(r))) => Ok(*r),
        Some(Operand::Ref(Reference::Union(_))) => Err(ExcelError::Ref),
        Some(Operand::Value(Value::Error(e))) => Err(*e),
        Some(Operand::Value(_)) => Err(ExcelError::Value),
    }
}

/// `ROW([reference])`: the 1-based row of the reference, of the formula's
/// cell when omitted. For a multi-row range it is the column array of its
/// rows, whose first element is what a scalar context sees (the first row).
/// A value that is not a reference is `#VALUE!`.
fn fn_row(args: &[Operand], ctx: &dyn Context) -> Operand {
    match position_source(args, ctx) {
        Ok(r) => sequence(r.first_row, r.rows(), true),
        Err(e) => Operand::error(e),
    }
}

/// `COLUMN([reference])`: the 1-based column, as ROW does for rows.
fn fn_column(args: &[Operand], ctx: &dyn Context) -> Operand {
    match position_source(args, ctx) {
        Ok(r) => sequence(r.first_col, r.cols(), false),
        Err(e) => Operand::error(e),
    }
}

/// The shape of ROWS' and COLUMNS' argument: a range, an array or a
/// scalar (1 by 1); a union is `#REF!`, an error value itself.
fn shape(args: &[Operand]) -> Result<(usize, usize), ExcelError> {
    match args.first() {
        Some(Operand::Ref(Reference::Union(_))) => Err(ExcelError::Ref),
        Some(other) => Grid::from_operand(other).map(|g| (g.rows(), g.cols())),
        None => Err(ExcelError::Value),
    }
}

/// `ROWS(array)`: the number of rows of a range or array.
fn fn_rows(args: &[Operand]) -> Result<f64, ExcelError> {
    shape(args).map(|(rows, _)| rows as f64)
}

/// `COLUMNS(array)`: the number of columns of a range or array.
fn fn_columns(args: &[Operand]) -> Result<f64, ExcelError> {
    shape(args).map(|(_, cols)| cols as f64)
}

/// `CHOOSE(index_num, value1, [value2], …)`: the `index_num`-th value
/// (truncated), returned as given, so a reference stays a reference
/// (`SUM(CHOOSE(2,A1:A5,B1:B5))`). An index below 1 or past the last value
/// is `#VALUE!`.
fn fn_choose(args: &[Operand], ctx: &dyn Context) -> Operand {
    let index = match arg_number(args, 0, ctx) {
        Ok(n) => n.trunc(),
        Err(e) => return Operand::error(e),
    };
    if index < 1.0 || index >= args.len() as f64 {
        return Operand::error(ExcelError::Value);
    }
    args[index as usize].clone()
}

/// `TRANSPOSE(array)`: the array or range with rows and columns swapped.
fn fn_transpose(args: &[Operand], ctx: &dyn Context) -> Operand {
    let grid = match args.first().map(Grid::from_operand) {
        Some(Ok(grid)) => grid,
        Some(Err(e)) => return Operand::error(e),
        None => return Operand::error(ExcelError::Value),
    };
    let (rows, cols) = (grid.rows(), grid.cols());
    let mut values = Vec::with_capacity(rows * cols);
    for col in 0..cols {
        for row in 0..rows {
            values.push(grid.get(row, col, ctx));
        }
    }
    match Array::new(cols, rows, values) {
        Some(a) if rows * cols == 1 => Operand::Value(a.values()[0].clone()),
        Some(a) => Operand::Value(Value::Array(Arc::new(a))),
        None => Operand::error(ExcelError::Value),
    }
}

/// `AREAS(reference)`: the number of ranges in a reference (`(A1:B2,C3)` has
/// 2); a value that is not a reference is `#VALUE!`.
fn fn_areas(args: &[Operand]) -> Result<f64, ExcelError> {
    match args.first() {
        Some(Operand::Ref(Reference::Range(_))) => Ok(1.0),
        Some(Operand::Ref(Reference::Union(areas))) => Ok(areas.len() as f64),
        Some(Operand::Value(Value::Error(e))) => Err(*e),
        _ => Err(ExcelError::Value),
    }
}

#[cfg(test)]
mod tests;
