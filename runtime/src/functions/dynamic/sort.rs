//! SORT, SORTBY and UNIQUE: functions that reorder or pick whole rows (or
//! columns) of an array.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{element, optional_int, result, whole};
use crate::coerce::arg;
use crate::compare::compare_text;
use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

/// The order SORT and SORTBY give one key: numbers, then text
/// (case-insensitive), then logical values, then errors by their type
/// number; empty cells always come last, whatever the direction.
fn compare_keys(a: &Value, b: &Value, descending: bool) -> Ordering {
    let rank = |v: &Value| match v {
        Value::Number(_) => 0,
        Value::Text(_) => 1,
        Value::Bool(_) => 2,
        Value::Error(_) => 3,
        Value::Empty | Value::Array(_) => 4,
    };
    let (ra, rb) = (rank(a), rank(b));
    if ra == 4 || rb == 4 {
        return ra.cmp(&rb);
    }
    let order = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
        (Value::Text(x), Value::Text(y)) => compare_text(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Error(x), Value::Error(y)) => x.type_number().total_cmp(&y.type_number()),
        _ => ra.cmp(&rb),
    };
    if descending {
        order.reverse()
    } else {
        order
    }
}

/// A sort direction argument: 1 ascending (the default), -1 descending,
/// anything else `#VALUE!`.
fn direction(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<bool, ExcelError> {
    match optional_int(args, index, ctx)?.unwrap_or(1) {
        1 => Ok(false),
        -1 => Ok(true),
        _ => Err(ExcelError::Value),
    }
}

/// An optional logical argument, `false` when omitted.
fn flag(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<bool, ExcelError> {
    match arg(args, index, ctx) {
        Value::Empty => Ok(false),
        v => v.to_bool(),
    }
}

/// The array with rows and columns swapped, so that column operations can be
/// written as row operations.
fn transposed(array: &Array) -> Array {
    let (rows, cols) = (array.rows(), array.cols());
    let values = (0..cols).flat_map(|c| (0..rows).map(move |r| element(array, r, c))).collect();
    Array::new(cols, rows, values).unwrap_or_else(|| Array::scalar(Value::Error(ExcelError::Value)))
}

/// The rows of `array` in the order `order`, as a result; transposed back
/// when the rows were columns.
fn reassemble(array: &Array, order: &[usize], by_col: bool) -> Result<Value, ExcelError> {
    let cols = array.cols();
    let values: Vec<Value> =
        order.iter().flat_map(|&r| (0..cols).map(move |c| element(array, r, c))).collect();
    let picked = Array::new(order.len(), cols, values).ok_or(ExcelError::Calc)?;
    let picked = if by_col { transposed(&picked) } else { picked };
    let (rows, cols) = (picked.rows(), picked.cols());
    result(rows, cols, picked.into_values())
}

/// `SORT(array, [sort_index], [sort_order], [by_col])`: the rows (or
/// columns) of `array` sorted stably by the `sort_index`-th column (or row).
/// An index past the array or below 1 is `#VALUE!`.
pub(super) fn fn_sort(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let by_col = flag(args, 3, ctx)?;
    let source = whole(args, 0, ctx)?;
    let array = if by_col { transposed(&source) } else { (*source).clone() };
    let index = optional_int(args, 1, ctx)?.unwrap_or(1);
    if index < 1 || index as usize > array.cols() {
        return Err(ExcelError::Value);
    }
    let descending = direction(args, 2, ctx)?;
    let key = index as usize - 1;
    let mut order: Vec<usize> = (0..array.rows()).collect();
    order.sort_by(|&a, &b| {
        compare_keys(&element(&array, a, key), &element(&array, b, key), descending)
    });
    reassemble(&array, &order, by_col)
}

/// `SORTBY(array, by_array1, [sort_order1], …)`: the rows of `array` sorted
/// stably by one-column keys as long as it is tall (or its columns by
/// one-row keys as long as it is wide). A key of another shape is `#VALUE!`.
pub(super) fn fn_sortby(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let source = whole(args, 0, ctx)?;
    let mut keys: Vec<(Vec<Value>, bool)> = Vec::new();
    let mut by_col = None;
    for index in (1..args.len()).step_by(2) {
        let key = whole(args, index, ctx)?;
        let column = key.cols() == 1 && key.rows() == source.rows() && by_col != Some(true);
        let row = key.rows() == 1 && key.cols() == source.cols() && by_col != Some(false);
        let this_by_col = match (column, row) {
            (true, _) => false,
            (false, true) => true,
            (false, false) => return Err(ExcelError::Value),
        };
        by_col = Some(this_by_col);
        keys.push((key.values().to_vec(), direction(args, index + 1, ctx)?));
    }
    let by_col = by_col.unwrap_or(false);
    let array = if by_col { transposed(&source) } else { (*source).clone() };
    let mut order: Vec<usize> = (0..array.rows()).collect();
    order.sort_by(|&a, &b| {
        let mut ordering = Ordering::Equal;
        for (values, descending) in &keys {
            ordering = ordering.then_with(|| compare_keys(&values[a], &values[b], *descending));
        }
        ordering
    });
    reassemble(&array, &order, by_col)
}

/// How UNIQUE tells values apart: text case-insensitively, -0 as 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Empty,
    Number(u64),
    Text(String),
    Bool(bool),
    Error(u8),
}

fn key(value: &Value) -> Key {
    match value {
        Value::Empty | Value::Array(_) => Key::Empty,
        Value::Number(n) => Key::Number(if *n == 0.0 { 0 } else { n.to_bits() }),
        Value::Text(t) => Key::Text(t.to_lowercase()),
        Value::Bool(b) => Key::Bool(*b),
        Value::Error(e) => Key::Error(e.type_number() as u8),
    }
}

/// `UNIQUE(array, [by_col], [exactly_once])`: the distinct rows (or
/// columns) of `array` in order of first appearance, or with
/// `exactly_once` only those that appear once.
pub(super) fn fn_unique(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let by_col = flag(args, 1, ctx)?;
    let once = flag(args, 2, ctx)?;
    let source = whole(args, 0, ctx)?;
    let array = if by_col { transposed(&source) } else { (*source).clone() };
    let rows: Vec<Vec<Key>> = (0..array.rows())
        .map(|r| (0..array.cols()).map(|c| key(&element(&array, r, c))).collect())
        .collect();
    let mut counts: HashMap<&Vec<Key>, usize> = HashMap::new();
    for row in &rows {
        *counts.entry(row).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    let order: Vec<usize> = (0..rows.len())
        .filter(|&r| seen.insert(&rows[r]))
        .filter(|&r| !once || counts.get(&rows[r]) == Some(&1))
        .collect();
    reassemble(&array, &order, by_col)
}
