//! Excel's comparison rules, shared by operators, sorting and lookups.
//!
//! Across types the order is: numbers < text < booleans, so `=1<"a"` and
//! `=TRUE>"z"` are both TRUE and no text is ever equal to a number (`="1"=1`
//! is FALSE). Text compares case-insensitively (`="a"<"B"` is TRUE). An empty
//! cell takes the type of the other side (0, "" or FALSE), so an empty cell
//! equals both 0 and ""; two empties are equal. An error on either side is
//! the result, the left one first.
//!
//! Numbers: Excel stores full doubles and computes with them
//! (`=(0.1+0.2-0.3)` gives 5.55111512312578E-17; written without the
//! parentheses the last subtraction is corrected to 0, see
//! [`crate::ops::snap_sum`]), but its comparison operators round both
//! operands to 15 significant digits just for the comparison, which is why
//! `=0.1+0.2=0.3` is TRUE while `=1.2-1.1=0.1` is FALSE (1.2-1.1 is
//! 0.0999999999999999 to 15 digits). [`compare_operator`] does that rounding;
//! [`compare`] compares the doubles exactly, as exact-match lookups do.

use std::cmp::Ordering;

use crate::value::{ExcelError, Value};

/// Compares two scalars exactly, with Excel's cross-type order. An error on
/// either side (left first) is returned as `Err`. Arrays compare by their
/// top-left element.
pub fn compare(a: &Value, b: &Value) -> Result<Ordering, ExcelError> {
    compare_with(a, b, |x, y| normalize(x).total_cmp(&normalize(y)))
}

/// Compares two scalars as the operators `=`, `<>`, `<`, `<=`, `>`, `>=` do:
/// like [`compare`], but numbers are first rounded to 15 significant digits.
pub fn compare_operator(a: &Value, b: &Value) -> Result<Ordering, ExcelError> {
    compare_with(a, b, compare_numbers_15_digits)
}

/// Orders two numbers as they compare at 15 significant digits.
///
/// Rounding is monotone, so it can only make two numbers equal, never swap
/// them; and it moves a number by less than 5e-15 of its magnitude, so only
/// numbers closer than that need rounding at all. The fast path matters:
/// `COUNTIF` compares every cell of its range this way.
pub fn compare_numbers_15_digits(x: f64, y: f64) -> Ordering {
    let (x, y) = (normalize(x), normalize(y));
    if x == y {
        return Ordering::Equal;
    }
    let close = (x - y).abs() <= 1e-13 * x.abs().max(y.abs());
    if close && round_15_digits(x) == round_15_digits(y) {
        Ordering::Equal
    } else {
        x.total_cmp(&y)
    }
}

/// Excel's `=` on two scalars (case-insensitive for text, numbers to 15
/// significant digits).
pub fn excel_eq(a: &Value, b: &Value) -> Result<bool, ExcelError> {
    compare_operator(a, b).map(|o| o == Ordering::Equal)
}

/// Case-insensitive text order, as Excel sorts and compares text.
///
/// FIXME: Excel orders text by the locale's collation (punctuation and
/// accented letters sort differently from their code points); this compares
/// lower-cased code points, which agrees for letters and digits only.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    // Lower-casing ASCII is a byte map, so while both sides are ASCII the
    // bytes decide; the first non-ASCII byte before any difference sends
    // the whole comparison to the general path, which agrees on the equal
    // prefix.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (&p, &q) in x.iter().zip(y) {
        if !p.is_ascii() || !q.is_ascii() {
            return compare_chars(a, b);
        }
        let (p, q) = (p.to_ascii_lowercase(), q.to_ascii_lowercase());
        if p != q {
            return p.cmp(&q);
        }
    }
    // One side is a prefix of the other: the shorter is first.
    x.len().cmp(&y.len())
}

/// [`compare_text`] for any text: lower-cased code points in order.
fn compare_chars(a: &str, b: &str) -> Ordering {
    let a = a.chars().flat_map(char::to_lowercase);
    let b = b.chars().flat_map(char::to_lowercase);
    a.cmp(b)
}

/// `n` rounded to 15 significant decimal digits, the precision Excel shows
/// and the one its comparisons and `ROUND` work at.
pub fn round_15_digits(n: f64) -> f64 {
    if n == 0.0 || !n.is_finite() {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

fn compare_with(
    a: &Value,
    b: &Value,
    numbers: impl Fn(f64, f64) -> Ordering,
) -> Result<Ordering, ExcelError> {
    let (a, b) = (a.first(), b.first());
    if let Value::Error(e) = a {
        return Err(*e);
    }
    if let Value::Error(e) = b {
        return Err(*e);
    }
    Ok(match (a, b) {
        (Value::Empty, Value::Empty) => Ordering::Equal,
        (Value::Empty, Value::Number(n)) => numbers(0.0, *n),
        (Value::Number(n), Value::Empty) => numbers(*n, 0.0),
        (Value::Empty, Value::Text(t)) => compare_text("", t),
        (Value::Text(t), Value::Empty) => compare_text(t, ""),
        (Value::Empty, Value::Bool(b)) => false.cmp(b),
        (Value::Bool(b), Value::Empty) => b.cmp(&false),
        (Value::Number(x), Value::Number(y)) => numbers(*x, *y),
        (Value::Text(x), Value::Text(y)) => compare_text(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (x, y) => type_rank(x).cmp(&type_rank(y)),
    })
}

/// Maps -0 to 0 so that `total_cmp` sees them as equal.
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

    fn op(a: impl Into<Value>, b: impl Into<Value>) -> Result<Ordering, ExcelError> {
        compare_operator(&a.into(), &b.into())
    }

    #[test]
    fn text_order_ignores_case_on_and_off_the_ascii_path() {
        use Ordering::{Equal, Greater, Less};
        let cases = [
            ("goal", "GOAL", Equal),
            ("goal", "goals", Less),
            ("Goal", "corner", Greater),
            ("", "a", Less),
            ("Émile", "émile", Equal),
            ("abc", "abÉ", Less),
            ("zé", "ab", Greater),
            ("ab", "abé", Less),
        ];
        for (a, b, order) in cases {
            assert_eq!(compare_text(a, b), order, "{a} vs {b}");
            assert_eq!(compare_text(b, a), order.reverse(), "{b} vs {a}");
        }
    }

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

    #[test]
    fn documented_operator_examples() {
        // ="a"<"B", =1<"a", =TRUE>"z", ="1"=1 as Excel answers them.
        assert_eq!(op("a", "B"), Ok(Ordering::Less));
        assert_eq!(op(1.0, "a"), Ok(Ordering::Less));
        assert_eq!(op(true, "z"), Ok(Ordering::Greater));
        assert_ne!(op("1", 1.0), Ok(Ordering::Equal));
        assert_eq!(op(Value::Empty, false), Ok(Ordering::Equal));
        assert_eq!(op(Value::Empty, true), Ok(Ordering::Less));
        assert_eq!(op(-1.0, Value::Empty), Ok(Ordering::Less));
    }

    #[test]
    fn operators_compare_at_fifteen_digits() {
        assert_eq!(op(0.1 + 0.2, 0.3), Ok(Ordering::Equal));
        assert_eq!(op(1.2 - 1.1, 0.1), Ok(Ordering::Less));
        assert_eq!(compare(&Value::Number(0.1 + 0.2), &Value::Number(0.3)), Ok(Ordering::Greater));
        assert_eq!(op(-0.0, 0.0), Ok(Ordering::Equal));
    }

    #[test]
    fn fifteen_digit_comparison_of_numbers() {
        let cmp = compare_numbers_15_digits;
        assert_eq!(cmp(0.1 + 0.2, 0.3), Ordering::Equal);
        assert_eq!(cmp(1.0, 1.0 + 1e-14), Ordering::Less);
        assert_eq!(cmp(1.0, 1.0 + 1e-15), Ordering::Equal);
        assert_eq!(cmp(-2.0, 3.0), Ordering::Less);
        assert_eq!(cmp(1e300, -1e300), Ordering::Greater);
        assert_eq!(cmp(-0.0, 0.0), Ordering::Equal);
        assert_eq!(cmp(12345678901234.5, 12345678901234.6), Ordering::Less);
        assert_eq!(cmp(123456789012345.6, 123456789012345.7), Ordering::Equal);
        assert_eq!(cmp(1234567890123456.0, 1234567890123457.0), Ordering::Equal);
    }

    #[test]
    fn errors_propagate_left_first() {
        let div0 = Value::Error(ExcelError::Div0);
        let na = Value::Error(ExcelError::NA);
        assert_eq!(compare_operator(&div0, &na), Err(ExcelError::Div0));
        assert_eq!(compare_operator(&Value::Number(1.0), &na), Err(ExcelError::NA));
    }

    #[test]
    fn rounds_to_fifteen_significant_digits() {
        assert_eq!(round_15_digits(0.1 + 0.2), 0.3);
        assert_eq!(round_15_digits(2.675), 2.675);
        assert_eq!(round_15_digits(1.2 - 1.1), 0.0999999999999999);
        assert_eq!(round_15_digits(123456789012345678.0), 123456789012346000.0);
    }
}
