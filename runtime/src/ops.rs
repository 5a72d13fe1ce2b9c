//! Excel's operators on values: arithmetic, `&`, comparisons, unary minus
//! and percent. Arrays combine element by element, stretching one-row and
//! one-column arrays as Excel does.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::compare::compare;
use crate::functions::array_element;
use crate::value::{Array, ExcelError, Value};

/// A binary operator of the formula language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A unary operator of the formula language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// Prefix `-`.
    Neg,
    /// Prefix `+` (no effect on the value).
    Plus,
    /// Postfix `%`.
    Percent,
}

/// Applies a binary operator, element-wise over arrays.
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            let rows = x.rows().max(y.rows());
            let cols = x.cols().max(y.cols());
            map_shape(rows, cols, |r, c| binary_scalar(op, &array_element(x, r, c), &array_element(y, r, c)))
        }
        (Value::Array(x), y) => map_shape(x.rows(), x.cols(), |r, c| {
            binary_scalar(op, &array_element(x, r, c), y)
        }),
        (x, Value::Array(y)) => map_shape(y.rows(), y.cols(), |r, c| {
            binary_scalar(op, x, &array_element(y, r, c))
        }),
        (x, y) => binary_scalar(op, x, y),
    }
}

/// Applies a unary operator, element-wise over arrays.
pub fn unary(op: UnaryOp, a: &Value) -> Value {
    match a {
        Value::Array(x) => map_shape(x.rows(), x.cols(), |r, c| unary_scalar(op, &array_element(x, r, c))),
        x => unary_scalar(op, x),
    }
}

fn map_shape(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> Value) -> Value {
    let mut values = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            values.push(f(r, c));
        }
    }
    match Array::new(rows, cols, values) {
        Some(a) => Value::Array(Arc::new(a)),
        None => Value::Error(ExcelError::Value),
    }
}

/// A binary operator on two scalars.
pub fn binary_scalar(op: BinaryOp, a: &Value, b: &Value) -> Value {
    match op {
        BinaryOp::Add => arithmetic(a, b, |x, y| x + y),
        BinaryOp::Sub => arithmetic(a, b, |x, y| x - y),
        BinaryOp::Mul => arithmetic(a, b, |x, y| x * y),
        BinaryOp::Div => match (a.to_number(), b.to_number()) {
            (Err(e), _) | (_, Err(e)) => Value::Error(e),
            (Ok(_), Ok(y)) if y == 0.0 => Value::Error(ExcelError::Div0),
            (Ok(x), Ok(y)) => Value::number(x / y),
        },
        BinaryOp::Pow => match (a.to_number(), b.to_number()) {
            (Err(e), _) | (_, Err(e)) => Value::Error(e),
            (Ok(x), Ok(y)) => power(x, y),
        },
        BinaryOp::Concat => match (a.to_text(), b.to_text()) {
            (Err(e), _) | (_, Err(e)) => Value::Error(e),
            (Ok(x), Ok(y)) => Value::text(format!("{x}{y}")),
        },
        BinaryOp::Eq => comparison(a, b, |o| o == Ordering::Equal),
        BinaryOp::Ne => comparison(a, b, |o| o != Ordering::Equal),
        BinaryOp::Lt => comparison(a, b, |o| o == Ordering::Less),
        BinaryOp::Le => comparison(a, b, |o| o != Ordering::Greater),
        BinaryOp::Gt => comparison(a, b, |o| o == Ordering::Greater),
        BinaryOp::Ge => comparison(a, b, |o| o != Ordering::Less),
    }
}

/// `x ^ y` as Excel computes it: `0^0` and `0^negative` are errors.
pub fn power(x: f64, y: f64) -> Value {
    if x == 0.0 && y == 0.0 {
        return Value::Error(ExcelError::Num);
    }
    if x == 0.0 && y < 0.0 {
        return Value::Error(ExcelError::Div0);
    }
    Value::number(x.powf(y))
}

fn arithmetic(a: &Value, b: &Value, f: impl Fn(f64, f64) -> f64) -> Value {
    match (a.to_number(), b.to_number()) {
        (Err(e), _) | (_, Err(e)) => Value::Error(e),
        (Ok(x), Ok(y)) => Value::number(f(x, y)),
    }
}

fn comparison(a: &Value, b: &Value, f: impl Fn(Ordering) -> bool) -> Value {
    match compare(a, b) {
        Ok(o) => Value::Bool(f(o)),
        Err(e) => Value::Error(e),
    }
}

/// A unary operator on a scalar.
pub fn unary_scalar(op: UnaryOp, a: &Value) -> Value {
    match op {
        UnaryOp::Plus => a.clone(),
        UnaryOp::Neg => match a.to_number() {
            Ok(n) => Value::number(-n),
            Err(e) => Value::Error(e),
        },
        UnaryOp::Percent => match a.to_number() {
            Ok(n) => Value::number(n / 100.0),
            Err(e) => Value::Error(e),
        },
    }
}
