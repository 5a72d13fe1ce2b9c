//! Excel's operators on values: arithmetic, `&`, comparisons, unary minus
//! and percent. Arrays combine element by element, stretching one-row and
//! one-column arrays as Excel does; past the edge of a smaller array the
//! element is `#N/A`.
//!
//! Operands coerce as arithmetic does ([`Value::to_number`]: `="3"+1` is 4,
//! `=TRUE+1` is 2, an empty cell is 0), `&` formats numbers in the General
//! format, and an error operand is the result, the left one first. Results
//! are not snapped: `=0.1+0.2-0.3` is 5.55111512312578E-17 as in Excel;
//! only comparisons round (see [`crate::compare`]).

use std::cmp::Ordering;
use std::sync::Arc;

use crate::compare::compare_operator;
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
            map_shape(rows, cols, |r, c| {
                binary_scalar(op, &array_element(x, r, c), &array_element(y, r, c))
            })
        }
        (Value::Array(x), y) => {
            map_shape(x.rows(), x.cols(), |r, c| binary_scalar(op, &array_element(x, r, c), y))
        }
        (x, Value::Array(y)) => {
            map_shape(y.rows(), y.cols(), |r, c| binary_scalar(op, x, &array_element(y, r, c)))
        }
        (x, y) => binary_scalar(op, x, y),
    }
}

/// Applies a unary operator, element-wise over arrays.
pub fn unary(op: UnaryOp, a: &Value) -> Value {
    match a {
        Value::Array(x) => {
            map_shape(x.rows(), x.cols(), |r, c| unary_scalar(op, &array_element(x, r, c)))
        }
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
            (Ok(x), Ok(y)) => divide(x, y),
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

/// `x / y`, with a zero divisor giving `#DIV/0!`.
fn divide(x: f64, y: f64) -> Value {
    if y == 0.0 {
        Value::Error(ExcelError::Div0)
    } else {
        Value::number(x / y)
    }
}

/// `x ^ y` as Excel computes it: `0^0` is `#NUM!`, `0^negative` is
/// `#DIV/0!`. A negative base with a fractional exponent is `#NUM!` unless
/// the exponent is the reciprocal of an odd integer, which Excel takes as
/// an odd root: `=(-8)^(1/3)` is -2, while `=(-0.01)^(2/3)` is `#NUM!`.
pub fn power(x: f64, y: f64) -> Value {
    if x == 0.0 && y == 0.0 {
        return Value::Error(ExcelError::Num);
    }
    if x == 0.0 && y < 0.0 {
        return Value::Error(ExcelError::Div0);
    }
    if x < 0.0 && y.fract() != 0.0 {
        let root = crate::compare::round_15_digits(1.0 / y);
        let odd_root = root.fract() == 0.0 && root % 2.0 != 0.0;
        return if odd_root { Value::number(-(-x).powf(y)) } else { Value::Error(ExcelError::Num) };
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
    match compare_operator(a, b) {
        Ok(o) => Value::Bool(f(o)),
        Err(e) => Value::Error(e),
    }
}

/// Whether `op` is one of the comparison operators `=`, `<>`, `<`, `<=`,
/// `>`, `>=`.
pub fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

/// A comparison operator (`=`, `<>`, `<`, `<=`, `>`, `>=`) on two scalars
/// as a truth value or the error met: [`binary_scalar`]'s answer unboxed,
/// for code that goes on to test it. Any other operator is `#VALUE!`.
pub fn compare_scalar(op: BinaryOp, a: &Value, b: &Value) -> Result<bool, ExcelError> {
    let order = compare_operator(a, b)?;
    Ok(match op {
        BinaryOp::Eq => order == Ordering::Equal,
        BinaryOp::Ne => order != Ordering::Equal,
        BinaryOp::Lt => order == Ordering::Less,
        BinaryOp::Le => order != Ordering::Greater,
        BinaryOp::Gt => order == Ordering::Greater,
        BinaryOp::Ge => order != Ordering::Less,
        _ => return Err(ExcelError::Value),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> Value {
        Value::Number(n)
    }

    fn array(rows: usize, cols: usize, values: Vec<Value>) -> Value {
        Value::Array(Arc::new(Array::new(rows, cols, values).unwrap()))
    }

    #[test]
    fn arithmetic_coerces_like_excel() {
        assert_eq!(binary(BinaryOp::Add, &Value::text("3"), &num(1.0)), num(4.0));
        assert_eq!(binary(BinaryOp::Add, &Value::Bool(true), &num(1.0)), num(2.0));
        assert_eq!(binary(BinaryOp::Mul, &Value::Empty, &num(5.0)), num(0.0));
        assert_eq!(binary(BinaryOp::Add, &Value::text("a"), &num(1.0)), ExcelError::Value.into());
        assert_eq!(binary(BinaryOp::Div, &num(1.0), &Value::Empty), ExcelError::Div0.into());
        assert_eq!(binary(BinaryOp::Pow, &num(0.0), &num(0.0)), ExcelError::Num.into());
        assert_eq!(binary(BinaryOp::Pow, &num(-8.0), &num(0.5)), ExcelError::Num.into());
        assert_eq!(binary(BinaryOp::Pow, &num(-8.0), &num(1.0 / 3.0)), num(-2.0));
        assert_eq!(binary(BinaryOp::Pow, &num(-0.01), &num(2.0 / 3.0)), ExcelError::Num.into());
        assert_eq!(binary(BinaryOp::Pow, &num(-2.0), &num(0.333)), ExcelError::Num.into());
        assert_eq!(binary(BinaryOp::Pow, &num(-2.0), &num(3.0)), num(-8.0));
        assert_eq!(binary(BinaryOp::Pow, &num(2.0), &num(10.0)), num(1024.0));
    }

    #[test]
    fn no_snapping_in_arithmetic() {
        let sum = binary(BinaryOp::Add, &num(0.1), &num(0.2));
        let diff = binary(BinaryOp::Sub, &sum, &num(0.3));
        assert_eq!(diff, num(5.551115123125783e-17));
        assert_eq!(binary(BinaryOp::Eq, &sum, &num(0.3)), Value::Bool(true));
    }

    #[test]
    fn errors_propagate_left_first() {
        let na = Value::Error(ExcelError::NA);
        let div0 = Value::Error(ExcelError::Div0);
        assert_eq!(binary(BinaryOp::Add, &na, &div0), na);
        assert_eq!(binary(BinaryOp::Concat, &div0, &na), div0);
        assert_eq!(binary(BinaryOp::Lt, &num(1.0), &na), na);
    }

    #[test]
    fn concat_uses_general_format() {
        let third = binary(BinaryOp::Div, &num(1.0), &num(3.0));
        let text = binary(BinaryOp::Concat, &third, &Value::text(""));
        assert_eq!(text, Value::text("0.333333333333333"));
        assert_eq!(binary(BinaryOp::Concat, &Value::Bool(true), &num(2.0)), Value::text("TRUE2"));
        assert_eq!(binary(BinaryOp::Concat, &Value::Empty, &Value::text("x")), Value::text("x"));
    }

    #[test]
    fn unboxed_comparisons_answer_as_the_operators() {
        let values = [
            num(1.0),
            num(2.0),
            Value::text("a"),
            Value::text("B"),
            Value::Bool(true),
            Value::Empty,
            ExcelError::NA.into(),
        ];
        let ops =
            [BinaryOp::Eq, BinaryOp::Ne, BinaryOp::Lt, BinaryOp::Le, BinaryOp::Gt, BinaryOp::Ge];
        for op in ops {
            for a in &values {
                for b in &values {
                    let boxed = match compare_scalar(op, a, b) {
                        Ok(t) => Value::Bool(t),
                        Err(e) => Value::Error(e),
                    };
                    assert_eq!(boxed, binary_scalar(op, a, b), "{op:?} {a:?} {b:?}");
                }
            }
        }
        assert_eq!(compare_scalar(BinaryOp::Add, &num(1.0), &num(1.0)), Err(ExcelError::Value));
    }

    #[test]
    fn comparisons_follow_excel_order() {
        let t = |op, a: Value, b: Value| binary(op, &a, &b);
        assert_eq!(t(BinaryOp::Lt, Value::text("a"), Value::text("B")), Value::Bool(true));
        assert_eq!(t(BinaryOp::Lt, num(1.0), Value::text("a")), Value::Bool(true));
        assert_eq!(t(BinaryOp::Gt, Value::Bool(true), Value::text("z")), Value::Bool(true));
        assert_eq!(t(BinaryOp::Eq, Value::Empty, Value::text("")), Value::Bool(true));
        assert_eq!(t(BinaryOp::Eq, Value::text("1"), num(1.0)), Value::Bool(false));
        assert_eq!(t(BinaryOp::Ne, Value::text("ABC"), Value::text("abc")), Value::Bool(false));
        assert_eq!(t(BinaryOp::Ge, num(2.0), num(2.0)), Value::Bool(true));
    }

    #[test]
    fn arrays_broadcast_and_stretch() {
        let column = array(3, 1, vec![num(1.0), num(2.0), num(3.0)]);
        let row = array(1, 2, vec![num(10.0), num(20.0)]);
        let table = binary(BinaryOp::Mul, &column, &row);
        let expected = [10.0, 20.0, 20.0, 40.0, 30.0, 60.0].map(num).to_vec();
        assert_eq!(table, array(3, 2, expected));

        let short = array(2, 1, vec![num(1.0), num(1.0)]);
        let sum = binary(BinaryOp::Add, &column, &short);
        assert_eq!(sum, array(3, 1, vec![num(2.0), num(3.0), ExcelError::NA.into()]));

        let neg = unary(UnaryOp::Neg, &row);
        assert_eq!(neg, array(1, 2, vec![num(-10.0), num(-20.0)]));
        assert_eq!(unary(UnaryOp::Percent, &num(50.0)), num(0.5));
        assert_eq!(unary(UnaryOp::Neg, &Value::text("x")), ExcelError::Value.into());
    }
}
