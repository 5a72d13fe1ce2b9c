//! Rounding as Excel does it: on the 15-significant-digit decimal value the
//! cell shows, not on the binary double, so `ROUND(2.675,2)` is 2.68 although
//! the double nearest 2.675 is 2.67499999999999982236431605997495353221893310546875.

use crate::compare::round_15_digits;
use crate::value::{ExcelError, Value};

/// How the last kept digit is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `ROUND`: half away from zero.
    HalfAway,
    /// `ROUNDUP`: away from zero.
    Up,
    /// `ROUNDDOWN` and `TRUNC`: toward zero.
    Down,
}

/// `n` rounded to `digits` decimal places (negative: to the left of the
/// point), `digits` truncated toward zero.
pub(crate) fn round(n: f64, digits: f64, mode: Mode) -> Value {
    let digits = digits.trunc().clamp(-400.0, 400.0) as i32;
    let shown = round_15_digits(n);
    let scale = 10f64.powi(digits.abs());
    let scaled = if digits >= 0 { shown * scale } else { shown / scale };

    // Past 2^53 a double has no fraction left to round away; a scale that
    // overflows means the same.
    if !scaled.is_finite() || scaled.abs() >= 9.007_199_254_740_992e15 {
        return Value::number(n);
    }

    // Scaling reintroduces binary noise (2.675 * 100 is 267.49999999999997),
    // so the scaled value is brought back to 15 digits before deciding.
    let scaled = round_15_digits(scaled);
    let magnitude = match mode {
        Mode::HalfAway => scaled.abs().round(),
        Mode::Up => scaled.abs().ceil(),
        Mode::Down => scaled.abs().trunc(),
    };
    if magnitude == 0.0 {
        return Value::Number(0.0);
    }
    let kept = magnitude.copysign(scaled);
    Value::number(if digits >= 0 { kept / scale } else { kept * scale })
}

/// The multiple of `step` that `rounding` picks for `n / step`, computed on
/// the 15-digit quotient so that `CEILING(1.5,0.1)` stays 1.5.
pub(crate) fn to_multiple(n: f64, step: f64, rounding: impl Fn(f64) -> f64) -> Value {
    if step == 0.0 {
        return Value::Number(0.0);
    }
    let quotient = round_15_digits(n / step);
    Value::number(round_15_digits(rounding(quotient) * step))
}

/// `CEILING(number, significance)`: the multiple of `significance` reached
/// by rounding `number / significance` up (so a negative number with a
/// positive significance goes toward zero, with a negative one away from
/// it); a zero significance gives 0, a positive number with a negative
/// significance `#NUM!`.
pub(crate) fn ceiling(n: f64, significance: f64) -> Value {
    if n > 0.0 && significance < 0.0 {
        return Value::Error(ExcelError::Num);
    }
    to_multiple(n, significance, f64::ceil)
}

/// `FLOOR(number, significance)`: a zero significance is `#DIV/0!` unless
/// the number is 0 too (`FLOOR(0,0)` is 0), a positive number with a
/// negative significance `#NUM!`.
pub(crate) fn floor(n: f64, significance: f64) -> Value {
    if n == 0.0 {
        return Value::Number(0.0);
    }
    if significance == 0.0 {
        return Value::Error(ExcelError::Div0);
    }
    if n > 0.0 && significance < 0.0 {
        return Value::Error(ExcelError::Num);
    }
    to_multiple(n, significance, f64::floor)
}

/// `CEILING.MATH` and `FLOOR.MATH`: the significance's sign is ignored; a
/// non-zero `mode` sends negative numbers the other way (away from zero for
/// `CEILING.MATH`, toward zero for `FLOOR.MATH`).
pub(crate) fn math_rounding(n: f64, significance: f64, mode: f64, up: bool) -> Value {
    let step = significance.abs();
    let flip = n < 0.0 && mode != 0.0;
    if up != flip {
        to_multiple(n, step, f64::ceil)
    } else {
        to_multiple(n, step, f64::floor)
    }
}

/// `MROUND(number, multiple)`: half away from zero to a multiple; signs that
/// differ are `#NUM!`.
pub(crate) fn mround(n: f64, multiple: f64) -> Value {
    if n * multiple < 0.0 {
        return Value::Error(ExcelError::Num);
    }
    to_multiple(n, multiple, f64::round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_works_on_the_shown_decimal() {
        // Excel: =ROUND(2.675,2) is 2.68 and =ROUND(1.005,2) is 1.01.
        assert_eq!(round(2.675, 2.0, Mode::HalfAway), Value::Number(2.68));
        assert_eq!(round(1.005, 2.0, Mode::HalfAway), Value::Number(1.01));
        assert_eq!(round(-2.5, 0.0, Mode::HalfAway), Value::Number(-3.0));
        assert_eq!(round(1e300, 2.0, Mode::HalfAway), Value::Number(1e300));
        assert_eq!(round(5.0, -400.0, Mode::HalfAway), Value::Number(0.0));
    }

    /// Every three-decimal number in a range, rounded to two decimals, must
    /// give the double nearest the decimal result computed in integers.
    #[test]
    fn round_agrees_with_decimal_arithmetic() {
        let cases = (-30_000i64..=30_000).chain((0..2_000).map(|i| 123_456_789_000 + i * 7));
        for k in cases {
            let x = k as f64 / 1000.0;
            let (sign, magnitude) = (k.signum(), k.abs());
            let expect = |q: i64| Value::Number((sign * q) as f64 / 100.0);
            assert_eq!(round(x, 2.0, Mode::HalfAway), expect((magnitude + 5) / 10), "ROUND({x},2)");
            assert_eq!(round(x, 2.0, Mode::Up), expect((magnitude + 9) / 10), "ROUNDUP({x},2)");
            assert_eq!(round(x, 2.0, Mode::Down), expect(magnitude / 10), "ROUNDDOWN({x},2)");
        }
    }

    #[test]
    fn multiples_snap_to_the_decimal_grid() {
        assert_eq!(ceiling(1.5, 0.1), Value::Number(1.5));
        assert_eq!(ceiling(0.234, 0.01), Value::Number(0.24));
        assert_eq!(floor(1.58, 0.1), Value::Number(1.5));
        assert_eq!(mround(1.3, 0.2), Value::Number(1.4));
        assert_eq!(ceiling(0.0, 0.0), Value::Number(0.0));
        assert_eq!(math_rounding(-6.7, 1.0, 0.0, true), Value::Number(-6.0));
        assert_eq!(math_rounding(-6.3, 1.0, 1.0, true), Value::Number(-7.0));
    }

    #[test]
    fn floor_of_zero_by_zero_is_zero() {
        // Excel: calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx FLOOR!F9
        // (`=FLOOR(0,0)`) is 0, where FLOOR!F3 (`=FLOOR(10,0)`) is #DIV/0!.
        assert_eq!(floor(0.0, 0.0), Value::Number(0.0));
        assert_eq!(floor(10.0, 0.0), Value::Error(ExcelError::Div0));
    }
}
