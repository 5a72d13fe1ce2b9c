//! Tests of BASE, DECIMAL, SQRTPI, FACTDOUBLE, MULTINOMIAL, SERIESSUM, the
//! SUMX2MY2 family and the matrix functions. Expected values are the
//! examples of Microsoft's function reference unless a comment names a
//! corpus workbook, whose values Excel cached.

use super::test_support::*;
use crate::reference::Operand;
use crate::value::ExcelError::{Num, Value as VALUE, NA};
use crate::value::Value;

/// A one-row array of numbers.
fn row(values: &[f64]) -> Operand {
    arr(vec![values.iter().map(|v| Value::Number(*v)).collect()])
}

/// A matrix of numbers, as an operand.
fn matrix(rows: &[&[f64]]) -> Operand {
    arr(rows.iter().map(|r| r.iter().map(|v| Value::Number(*v)).collect()).collect())
}

/// A matrix of numbers, as the value a function returns.
fn result(rows: &[&[f64]]) -> Value {
    match matrix(rows) {
        Operand::Value(v) => v,
        Operand::Ref(_) => Value::Empty,
    }
}

#[test]
fn base_and_decimal_convert_between_radixes() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BASE", vec![n(7.0), n(2.0)], Value::text("111")),
            ("BASE", vec![n(100.0), n(16.0)], Value::text("64")),
            ("BASE", vec![n(15.0), n(2.0), n(10.0)], Value::text("0000001111")),
            ("DECIMAL", vec![t("FF"), n(16.0)], num(255.0)),
            ("DECIMAL", vec![n(111.0), n(2.0)], num(7.0)),
            ("DECIMAL", vec![t("zap"), n(36.0)], num(45745.0)),
            // MATH_AND_TRIGONOMETRY/BASE.xlsx.
            ("BASE", vec![n(123456789.0), n(36.0)], Value::text("21I3V9")),
            ("BASE", vec![n(12.567), n(2.0), n(7.0)], Value::text("0001100")),
            ("BASE", vec![n(-1.0), n(2.0)], err(Num)),
            ("BASE", vec![n(123.0), n(37.0)], err(Num)),
            ("DECIMAL", vec![t("19"), n(9.0)], err(Num)),
        ],
    );
}

#[test]
fn sqrtpi_factdouble_and_multinomial() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![Value::Bool(true), num(2.0)]);
    check(
        &ctx,
        vec![
            ("SQRTPI", vec![n(1.0)], num(1.772453851)),
            ("SQRTPI", vec![n(2.0)], num(2.506628275)),
            ("SQRTPI", vec![n(-1.0)], err(Num)),
            ("FACTDOUBLE", vec![n(6.0)], num(48.0)),
            ("FACTDOUBLE", vec![n(7.0)], num(105.0)),
            // FACT_DOUBLEFACT.xlsx: the number is truncated.
            ("FACTDOUBLE", vec![n(4.5)], num(8.0)),
            ("MULTINOMIAL", vec![n(2.0), n(3.0), n(4.0)], num(1260.0)),
            // MULTINOMIAL.xlsx: negatives, booleans in ranges and fractions.
            ("MULTINOMIAL", vec![n(-1.0), n(2.0), n(3.0)], err(Num)),
            ("MULTINOMIAL", vec![r("A1:A2")], err(VALUE)),
            ("MULTINOMIAL", vec![row(&[1.7, 1.2, 3.4, 2.3])], num(420.0)),
        ],
    );
}

/// The documented approximation of cos(π/4), quoted to six decimals.
#[test]
#[expect(clippy::approx_constant, reason = "the documented example writes π/4 as 0.785398163")]
fn seriessum_approximates_a_cosine() {
    let coefficients = row(&[1.0, -0.5, 0.041666667, -0.001388889]);
    let args = vec![n(0.785398163), n(0.0), n(2.0), coefficients];
    let Value::Number(x) = eval(&book(), "SERIESSUM", args) else { panic!("not a number") };
    assert!((x - 0.707103).abs() < 5e-7, "{x}");
}

#[test]
fn seriessum_and_sums_of_squares() {
    let ctx = book();
    let (x, y) = ([2.0, 3.0, 9.0, 1.0, 8.0, 7.0, 5.0], [6.0, 5.0, 11.0, 7.0, 5.0, 4.0, 4.0]);
    check(
        &ctx,
        vec![
            // SERIESSUM.xlsx.
            ("SERIESSUM", vec![n(2.0), n(0.0), n(1.0), row(&[1.0, 2.0, 3.0])], num(17.0)),
            ("SERIESSUM", vec![n(0.0), n(0.0), n(2.0), row(&[1.0, 2.0, 3.0])], err(Num)),
            ("SERIESSUM", vec![b(true), n(0.0), n(2.0), row(&[1.0])], err(VALUE)),
            ("SUMX2MY2", vec![row(&x), row(&y)], num(-55.0)),
            ("SUMX2PY2", vec![row(&x), row(&y)], num(521.0)),
            ("SUMXMY2", vec![row(&x), row(&y)], num(79.0)),
            ("SUMXMY2", vec![row(&x), row(&[1.0])], err(NA)),
        ],
    );
}

#[test]
fn matrix_functions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            (
                "MDETERM",
                vec![matrix(&[
                    &[1.0, 3.0, 8.0, 5.0],
                    &[1.0, 3.0, 6.0, 1.0],
                    &[1.0, 1.0, 1.0, 0.0],
                    &[7.0, 3.0, 10.0, 2.0],
                ])],
                num(88.0),
            ),
            (
                "MDETERM",
                vec![matrix(&[&[3.0, 6.0, 1.0], &[1.0, 1.0, 0.0], &[3.0, 10.0, 2.0]])],
                num(1.0),
            ),
            ("MDETERM", vec![matrix(&[&[3.0, 6.0], &[1.0, 1.0]])], num(-3.0)),
            ("MDETERM", vec![matrix(&[&[1.0, 3.0, 8.0, 5.0], &[1.0, 3.0, 6.0, 1.0]])], err(VALUE)),
            (
                "MINVERSE",
                vec![matrix(&[&[4.0, -1.0], &[2.0, 0.0]])],
                result(&[&[0.0, 0.5], &[-1.0, 2.0]]),
            ),
            (
                "MINVERSE",
                vec![matrix(&[&[1.0, 2.0, 1.0], &[3.0, 4.0, -1.0], &[0.0, 2.0, 0.0]])],
                result(&[&[0.25, 0.25, -0.75], &[0.0, 0.0, 0.5], &[0.75, -0.25, -0.25]]),
            ),
            ("MINVERSE", vec![matrix(&[&[1.0, 2.0], &[2.0, 4.0]])], err(Num)),
            (
                "MMULT",
                vec![matrix(&[&[1.0, 3.0], &[7.0, 2.0]]), matrix(&[&[2.0, 0.0], &[0.0, 2.0]])],
                result(&[&[2.0, 6.0], &[14.0, 4.0]]),
            ),
            ("MMULT", vec![matrix(&[&[1.0, 3.0]]), matrix(&[&[2.0, 0.0]])], err(VALUE)),
            ("MUNIT", vec![n(2.0)], result(&[&[1.0, 0.0], &[0.0, 1.0]])),
            ("MUNIT", vec![n(0.0)], err(VALUE)),
        ],
    );
}

/// Results past the largest double are `#NUM!`, as in Excel, and are found
/// without looping over every factor of an astronomically large argument.
#[test]
fn overflowing_products_are_num_errors() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("FACTDOUBLE", vec![n(1e300)], err(Num)),
            ("MULTINOMIAL", vec![n(1000.0), n(1000.0)], err(Num)),
            ("PERMUT", vec![n(1e15), n(1e15)], err(Num)),
        ],
    );
}

#[test]
fn combinations_with_and_without_repetition() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("COMBIN", vec![n(8.0), n(2.0)], num(28.0)),
            ("COMBIN", vec![n(8.9), n(2.5)], num(28.0)),
            ("COMBIN", vec![n(2.0), n(3.0)], err(Num)),
            ("COMBIN", vec![n(-1.0), n(0.0)], err(Num)),
            ("COMBINA", vec![n(4.0), n(3.0)], num(20.0)),
            ("COMBINA", vec![n(10.0), n(3.0)], num(220.0)),
            ("COMBINA", vec![n(-1.0), n(3.0)], err(Num)),
        ],
    );
}
