//! The hyperbolic functions SINH, COSH, TANH, their reciprocals COTH, CSCH
//! and SECH, and the inverses ASINH, ACOSH, ATANH and ACOTH.
//!
//! The reciprocals are computed from the function whose reciprocal they are
//! (`COTH` as `1/TANH`), which keeps them finite where `COSH` and `SINH`
//! overflow: Excel's `COTH(9999999999999)` is 1 and `CSCH` of it is 0
//! (calc_tests/MATH_AND_TRIGONOMETRY/TRIGONOMETRIC.xlsx COTH_CSCH_SECH!B7
//! and C7), although Microsoft documents a limit of 2^27.

use crate::value::{ExcelError, Value};

/// `SINH(number)`: the hyperbolic sine; overflow is `#NUM!`.
pub(super) fn fn_sinh(n: f64) -> Value {
    Value::number(n.sinh())
}

/// `COSH(number)`: the hyperbolic cosine; overflow is `#NUM!`.
pub(super) fn fn_cosh(n: f64) -> Value {
    Value::number(n.cosh())
}

/// `TANH(number)`: the hyperbolic tangent.
pub(super) fn fn_tanh(n: f64) -> Value {
    Value::number(n.tanh())
}

/// `COTH(number)`: the hyperbolic cotangent; 0 is `#DIV/0!`.
pub(super) fn fn_coth(n: f64) -> Value {
    reciprocal(n, n.tanh())
}

/// `CSCH(number)`: the hyperbolic cosecant; 0 is `#DIV/0!`.
pub(super) fn fn_csch(n: f64) -> Value {
    reciprocal(n, n.sinh())
}

/// `SECH(number)`: the hyperbolic secant (`SECH(0)` is 1).
pub(super) fn fn_sech(n: f64) -> Value {
    Value::number(1.0 / n.cosh())
}

/// `1/of`, with a zero argument `#DIV/0!` (where `of` is 0).
fn reciprocal(n: f64, of: f64) -> Value {
    if n == 0.0 {
        Value::Error(ExcelError::Div0)
    } else {
        Value::number(1.0 / of)
    }
}

/// `ASINH(number)`: the inverse hyperbolic sine.
pub(super) fn fn_asinh(n: f64) -> Value {
    Value::number(n.asinh())
}

/// `ACOSH(number)`: the inverse hyperbolic cosine; below 1 is `#NUM!`.
pub(super) fn fn_acosh(n: f64) -> Value {
    Value::number(n.acosh())
}

/// `ATANH(number)`: the inverse hyperbolic tangent; outside -1..1
/// (exclusive) is `#NUM!`.
pub(super) fn fn_atanh(n: f64) -> Value {
    if n.abs() >= 1.0 {
        return Value::Error(ExcelError::Num);
    }
    Value::number(n.atanh())
}

/// `ACOTH(number)`: the inverse hyperbolic cotangent, `ln((n+1)/(n-1))/2`
/// computed as `ln_1p(2/(n-1))/2`, which keeps precision both near 1 and
/// for large numbers (Excel: calc_tests/MATH_AND_TRIGONOMETRY/
/// TRIGONOMETRIC.xlsx ACOT_ACOTH!C9 and C13), on `|n|` with the sign put
/// back since the function is odd; within -1..1 (inclusive) is `#NUM!`.
pub(super) fn fn_acoth(n: f64) -> Value {
    let magnitude = n.abs();
    if magnitude <= 1.0 {
        return Value::Error(ExcelError::Num);
    }
    Value::number(((2.0 / (magnitude - 1.0)).ln_1p() / 2.0).copysign(n))
}
