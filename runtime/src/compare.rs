//! Excel's comparison rules, shared by operators, sorting and lookups.
//!
//! Across types the order is: numbers < text < booleans. Text compares
//! case-insensitively. An empty cell takes the type of the other side (0, ""
//! or FALSE); two empties are equal.

use std::cmp::Ordering;

use crate::value::{ExcelError, Value};

/// Compares two scalars as Excel's `<`, `=`, `>` do. An error on either side
/// (left first) is returned as `Err`.
pub fn compare(a: &Value, b: &Value) -> Result<Ordering, ExcelError> {
    let (a, b) = (a.first(), b.first());
    if let Value::Error(e) = a {
        return Err(*e);
    }
    if let Value::Error(e) = b {
        return Err(*e);
    }
    Ok(match (a, b) {
        (Value::Empty, Value::Empty) => Ordering::Equal,
        (Value::Empty, Value::Number(n)) => 0.0f64.total_cmp(&normalize(*n)),
        (Value::Number(n), Value::Empty) => normalize(*n).total_cmp(&0.0),
        (Value::Empty, Value::Text(t)) => compare_text("", t),
        (Value::Text(t), Value::Empty) => compare_text(t, ""),
        (Value::Empty, Value::Bool(b)) => false.cmp(b),
        (Value::Bool(b), Value::Empty) => b.cmp(&false),
        (Value::Number(x), Value::Number(y)) => normalize(*x).total_cmp(&normalize(*y)),
        (Value::Text(x), Value::Text(y)) => compare_text(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (x, y) => type_rank(x).cmp(&type_rank(y)),
    })
}

/// Excel's `=` on two scalars (case-insensitive for text).
pub fn excel_eq(a: &Value, b: &Value) -> Result<bool, ExcelError> {
    compare(a, b).map(|o| o == Ordering::Equal)
}

/// Case-insensitive text order, as Excel sorts and compares text.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    let a = a.chars().flat_map(char::to_lowercase);
    let b = b.chars().flat_map(char::to_lowercase);
    a.cmp(b)
}

fn normalize(n: f64) -> f64 {
    if n == 0.0 {
        0.0
    } else {
        n
    }
}

fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Number(_) | Value::Empty => 0,
        Value::Text(_) => 1,
        Value::Bool(_) => 2,
        Value::Error(_) | Value::Array(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_type_order_is_number_text_bool() {
        let n = Value::Number(1e9);
        let t = Value::text("a");
        let b = Value::Bool(false);
        assert_eq!(compare(&n, &t), Ok(Ordering::Less));
        assert_eq!(compare(&t, &b), Ok(Ordering::Less));
        assert_eq!(compare(&Value::text("ABC"), &Value::text("abc")), Ok(Ordering::Equal));
        assert_eq!(compare(&Value::Empty, &Value::Number(0.0)), Ok(Ordering::Equal));
        assert_eq!(compare(&Value::Empty, &Value::text("")), Ok(Ordering::Equal));
    }
}
