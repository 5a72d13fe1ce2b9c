//! TAKE, DROP, CHOOSECOLS, CHOOSEROWS, HSTACK, VSTACK, TOCOL, TOROW,
//! WRAPCOLS, WRAPROWS and EXPAND: functions that cut, join or reshape
//! arrays without looking at their values.

use std::ops::Range;

use super::{element, optional_int, result, whole};
use crate::coerce::arg;
use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

/// The rows (or columns) `TAKE` keeps of `extent`: the first `n`, or the
/// last `-n`; all when omitted or larger than the array; 0 is `#CALC!`.
fn take_span(n: Option<i64>, extent: usize) -> Result<Range<usize>, ExcelError> {
    let Some(n) = n else { return Ok(0..extent) };
    let count = (n.unsigned_abs() as usize).min(extent);
    match n {
        0 => Err(ExcelError::Calc),
        n if n > 0 => Ok(0..count),
        _ => Ok(extent - count..extent),
    }
}

/// The rows (or columns) `DROP` keeps of `extent`: all but the first `n`,
/// or the last `-n`; dropping everything is `#CALC!`.
fn drop_span(n: Option<i64>, extent: usize) -> Result<Range<usize>, ExcelError> {
    let n = n.unwrap_or(0);
    let count = (n.unsigned_abs() as usize).min(extent);
    if count == extent {
        return Err(ExcelError::Calc);
    }
    Ok(if n >= 0 { count..extent } else { 0..extent - count })
}

/// The block `rows` x `cols` of `array` as a result.
fn block(array: &Array, rows: Range<usize>, cols: Range<usize>) -> Result<Value, ExcelError> {
    let (n_rows, n_cols) = (rows.len(), cols.len());
    let values =
        rows.flat_map(|r| cols.clone().map(move |c| element(array, r, c))).collect::<Vec<_>>();
    result(n_rows, n_cols, values)
}

/// `TAKE(array, rows, [columns])`: the first (or, negative, last) rows and
/// columns of `array`.
pub(super) fn fn_take(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let rows = take_span(optional_int(args, 1, ctx)?, array.rows())?;
    let cols = take_span(optional_int(args, 2, ctx)?, array.cols())?;
    block(&array, rows, cols)
}

/// `DROP(array, rows, [columns])`: `array` without its first (or, negative,
/// last) rows and columns.
pub(super) fn fn_drop(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let rows = drop_span(optional_int(args, 1, ctx)?, array.rows())?;
    let cols = drop_span(optional_int(args, 2, ctx)?, array.cols())?;
    block(&array, rows, cols)
}

/// `CHOOSECOLS(array, col_num1, …)` and `CHOOSEROWS(array, row_num1, …)`:
/// the listed columns (rows) in order, negative numbers counting from the
/// end; 0 or a number past the array is `#VALUE!`.
pub(super) fn fn_choose(
    args: &[Operand],
    ctx: &dyn Context,
    columns: bool,
) -> Result<Value, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let extent = if columns { array.cols() } else { array.rows() };
    let mut picked = Vec::with_capacity(args.len() - 1);
    for index in 1..args.len() {
        let n = optional_int(args, index, ctx)?.ok_or(ExcelError::Value)?;
        let at = n.unsigned_abs() as usize;
        if n == 0 || at > extent {
            return Err(ExcelError::Value);
        }
        picked.push(if n > 0 { at - 1 } else { extent - at });
    }
    let (rows, cols) = (array.rows(), array.cols());
    if columns {
        let values = (0..rows).flat_map(|r| picked.iter().map(move |&c| (r, c)));
        let values = values.map(|(r, c)| element(&array, r, c)).collect();
        result(rows, picked.len(), values)
    } else {
        let values = picked.iter().flat_map(|&r| (0..cols).map(move |c| (r, c)));
        let values = values.map(|(r, c)| element(&array, r, c)).collect();
        result(picked.len(), cols, values)
    }
}

/// `HSTACK(array1, …)` and `VSTACK(array1, …)`: the arrays side by side
/// (one under the other); shorter ones are padded with `#N/A`.
pub(super) fn fn_stack(
    args: &[Operand],
    ctx: &dyn Context,
    horizontal: bool,
) -> Result<Value, ExcelError> {
    let arrays = (0..args.len()).map(|i| whole(args, i, ctx)).collect::<Result<Vec<_>, _>>()?;
    let pick = |r: &Array| if horizontal { (r.rows(), r.cols()) } else { (r.cols(), r.rows()) };
    // `across` is the extent shared by all arrays, `along` the stacked one.
    let across = arrays.iter().map(|a| pick(a).0).max().unwrap_or(0);
    let along: usize = arrays.iter().map(|a| pick(a).1).sum();
    let (rows, cols) = if horizontal { (across, along) } else { (along, across) };
    let mut values = vec![Value::Error(ExcelError::NA); rows * cols];
    let mut offset = 0;
    for array in &arrays {
        for r in 0..array.rows() {
            for c in 0..array.cols() {
                let (row, col) = if horizontal { (r, offset + c) } else { (offset + r, c) };
                values[row * cols + col] = element(array, r, c);
            }
        }
        offset += pick(array).1;
    }
    result(rows, cols, values)
}

/// `TOCOL(array, [ignore], [scan_by_column])` and `TOROW`: the elements in
/// one column (row), read by rows or by columns; `ignore` 1 skips empty
/// cells, 2 errors, 3 both.
pub(super) fn fn_to_line(
    args: &[Operand],
    ctx: &dyn Context,
    column: bool,
) -> Result<Value, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let (skip_empty, skip_errors) = match optional_int(args, 1, ctx)?.unwrap_or(0) {
        0 => (false, false),
        1 => (true, false),
        2 => (false, true),
        3 => (true, true),
        _ => return Err(ExcelError::Value),
    };
    let by_column = match arg(args, 2, ctx) {
        Value::Empty => false,
        v => v.to_bool()?,
    };
    let (rows, cols) = (array.rows(), array.cols());
    let cells: Vec<(usize, usize)> = if by_column {
        (0..cols).flat_map(|c| (0..rows).map(move |r| (r, c))).collect()
    } else {
        (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).collect()
    };
    let values: Vec<Value> = cells
        .into_iter()
        .map(|(r, c)| element(&array, r, c))
        .filter(|v| !((skip_empty && v.is_empty()) || (skip_errors && v.is_error())))
        .collect();
    let n = values.len();
    if column {
        result(n, 1, values)
    } else {
        result(1, n, values)
    }
}

/// `WRAPCOLS(vector, wrap_count, [pad_with])` and `WRAPROWS`: a one-row or
/// one-column vector cut into columns (rows) of `wrap_count` elements, the
/// last one padded with `pad_with` (`#N/A` by default). A vector of more
/// than one row and column is `#VALUE!`, a count below 1 `#NUM!`.
pub(super) fn fn_wrap(
    args: &[Operand],
    ctx: &dyn Context,
    into_columns: bool,
) -> Result<Value, ExcelError> {
    let vector = whole(args, 0, ctx)?;
    if vector.rows() > 1 && vector.cols() > 1 {
        return Err(ExcelError::Value);
    }
    let count = optional_int(args, 1, ctx)?.ok_or(ExcelError::Value)?;
    if count < 1 {
        return Err(ExcelError::Num);
    }
    let pad = pad_value(args, 2, ctx);
    let items = vector.values();
    let n = items.len();
    let size = (count as usize).min(n);
    let lines = n.div_ceil(size);
    let item = |line: usize, at: usize| items.get(line * size + at).cloned().unwrap_or(pad.clone());
    if into_columns {
        let values = (0..size).flat_map(|r| (0..lines).map(move |c| (r, c)));
        result(size, lines, values.map(|(r, c)| item(c, r)).collect())
    } else {
        let values = (0..lines).flat_map(|r| (0..size).map(move |c| (r, c)));
        result(lines, size, values.map(|(r, c)| item(r, c)).collect())
    }
}

/// The padding value of WRAPCOLS, WRAPROWS and EXPAND: `#N/A` when omitted.
fn pad_value(args: &[Operand], index: usize, ctx: &dyn Context) -> Value {
    match args.get(index) {
        None => Value::Error(ExcelError::NA),
        Some(_) => match arg(args, index, ctx) {
            Value::Empty => Value::Error(ExcelError::NA),
            v => v,
        },
    }
}

/// `EXPAND(array, rows, [columns], [pad_with])`: `array` grown to `rows` x
/// `columns`, padded with `pad_with` (`#N/A` by default); a size smaller
/// than the array is `#VALUE!`.
pub(super) fn fn_expand(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let array = whole(args, 0, ctx)?;
    let size = |index: usize, extent: usize| -> Result<usize, ExcelError> {
        match optional_int(args, index, ctx)? {
            None => Ok(extent),
            Some(n) if n < extent as i64 => Err(ExcelError::Value),
            Some(n) => Ok(n as usize),
        }
    };
    let rows = size(1, array.rows())?;
    let cols = size(2, array.cols())?;
    if (rows as u64).saturating_mul(cols as u64) > crate::reference::MAX_ARRAY_CELLS {
        return Err(ExcelError::Num);
    }
    let pad = pad_value(args, 3, ctx);
    let values = (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c)));
    let values = values.map(|(r, c)| array.get(r, c).cloned().unwrap_or(pad.clone())).collect();
    result(rows, cols, values)
}
