//! The helper functions that apply a `LAMBDA` to arrays: MAP, REDUCE, SCAN,
//! BYROW, BYCOL and MAKEARRAY.

use std::sync::Arc;

use super::Walker;
use crate::functions::array_element;
use crate::ir::Expr;
use crate::reference::Operand;
use crate::value::{Array, ExcelError, Value};

/// A lambda as a helper function receives it: its body runs in `walker` with
/// its arguments bound as the next locals.
pub(super) struct Lambda<'r, 'c> {
    pub(super) walker: &'r Walker<'c>,
    pub(super) params: u32,
    pub(super) body: &'r Expr,
}

impl Lambda<'_, '_> {
    /// The lambda's result for `args`; a wrong number of arguments is
    /// `#VALUE!`.
    fn apply(&self, args: Vec<Value>) -> Value {
        if args.len() != self.params as usize {
            return Value::Error(ExcelError::Value);
        }
        let args = args.into_iter().map(Operand::Value).collect();
        let walker = self.walker;
        walker.with_locals(args, |w| w.eval(self.body)).to_value(walker.ctx)
    }

    /// The lambda's result where one value is expected: an array result of
    /// more than one element is `#CALC!`.
    fn apply_scalar(&self, args: Vec<Value>) -> Value {
        match self.apply(args) {
            Value::Array(a) if a.rows() * a.cols() == 1 => a.first_or_empty(),
            Value::Array(_) => Value::Error(ExcelError::Calc),
            v => v,
        }
    }
}

trait FirstOrEmpty {
    fn first_or_empty(&self) -> Value;
}

impl FirstOrEmpty for Array {
    fn first_or_empty(&self) -> Value {
        self.values().first().cloned().unwrap_or_default()
    }
}

/// The array of a value (a single value is 1x1).
fn as_array(value: &Value) -> Arc<Array> {
    match value {
        Value::Array(a) => a.clone(),
        v => Arc::new(Array::scalar(v.clone())),
    }
}

fn array_value(rows: usize, cols: usize, values: Vec<Value>) -> Value {
    match Array::new(rows, cols, values) {
        Some(a) if rows * cols == 1 => a.first_or_empty(),
        Some(a) => Value::Array(Arc::new(a)),
        None => Value::Error(ExcelError::Calc),
    }
}

/// Applies the helper `name` to its leading arguments `args` and `lambda`.
pub(super) fn helper(name: &str, args: Vec<Value>, lambda: &Lambda<'_, '_>) -> Value {
    if let Some(e) = args.iter().find_map(|a| a.as_error()) {
        if name != "REDUCE" && name != "SCAN" {
            return Value::Error(e);
        }
    }
    match name {
        "MAP" => map(&args, lambda),
        "REDUCE" | "SCAN" => reduce(&args, lambda, name == "SCAN"),
        "BYROW" => by_line(&args, lambda, true),
        "BYCOL" => by_line(&args, lambda, false),
        "MAKEARRAY" => make_array(&args, lambda),
        _ => Value::Error(ExcelError::Value),
    }
}

/// `MAP(array1, …, lambda)`: the lambda applied to the elements at each
/// position of the arrays.
fn map(args: &[Value], lambda: &Lambda<'_, '_>) -> Value {
    let arrays: Vec<Arc<Array>> = args.iter().map(as_array).collect();
    let (rows, cols) = arrays.iter().fold((1, 1), |(r, c), a| (r.max(a.rows()), c.max(a.cols())));
    let mut out = Vec::with_capacity(rows * cols);
    for row in 0..rows {
        for col in 0..cols {
            let items = arrays.iter().map(|a| array_element(a, row, col)).collect();
            out.push(lambda.apply_scalar(items));
        }
    }
    array_value(rows, cols, out)
}

/// `REDUCE([initial], array, lambda)`: the accumulator passed through the
/// lambda with each element in turn; `SCAN` keeps every step.
fn reduce(args: &[Value], lambda: &Lambda<'_, '_>, keep: bool) -> Value {
    let [initial, array] = args else { return Value::Error(ExcelError::Value) };
    let array = as_array(array);
    let mut acc = initial.clone();
    let mut steps = Vec::with_capacity(if keep { array.values().len() } else { 0 });
    for item in array.values() {
        acc = if keep {
            lambda.apply_scalar(vec![acc, item.clone()])
        } else {
            lambda.apply(vec![acc, item.clone()])
        };
        if keep {
            steps.push(acc.clone());
        }
    }
    if keep {
        array_value(array.rows(), array.cols(), steps)
    } else {
        acc
    }
}

/// `BYROW(array, lambda)` and `BYCOL`: the lambda applied to each row
/// (column) as a one-row (one-column) array.
fn by_line(args: &[Value], lambda: &Lambda<'_, '_>, rows: bool) -> Value {
    let [array] = args else { return Value::Error(ExcelError::Value) };
    let array = as_array(array);
    let (n_rows, n_cols) = (array.rows(), array.cols());
    let lines = if rows { n_rows } else { n_cols };
    let mut out = Vec::with_capacity(lines);
    for line in 0..lines {
        let values: Vec<Value> = if rows {
            (0..n_cols).map(|c| array_element(&array, line, c)).collect()
        } else {
            (0..n_rows).map(|r| array_element(&array, r, line)).collect()
        };
        let (r, c) = if rows { (1, n_cols) } else { (n_rows, 1) };
        out.push(lambda.apply_scalar(vec![array_value(r, c, values)]));
    }
    if rows {
        array_value(lines, 1, out)
    } else {
        array_value(1, lines, out)
    }
}

/// `MAKEARRAY(rows, columns, lambda)`: the lambda applied to each 1-based
/// (row, column) pair.
fn make_array(args: &[Value], lambda: &Lambda<'_, '_>) -> Value {
    let [rows, cols] = args else { return Value::Error(ExcelError::Value) };
    let size = |v: &Value| v.to_number().map(f64::trunc);
    let (rows, cols) = match (size(rows), size(cols)) {
        (Ok(r), Ok(c)) if r >= 1.0 && c >= 1.0 && r * c <= 1_048_576.0 => (r as usize, c as usize),
        (Err(e), _) | (_, Err(e)) => return Value::Error(e),
        _ => return Value::Error(ExcelError::Value),
    };
    let mut out = Vec::with_capacity(rows * cols);
    for row in 0..rows {
        for col in 0..cols {
            let at = vec![Value::Number(row as f64 + 1.0), Value::Number(col as f64 + 1.0)];
            out.push(lambda.apply_scalar(at));
        }
    }
    array_value(rows, cols, out)
}
