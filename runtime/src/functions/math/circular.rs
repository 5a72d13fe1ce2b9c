//! The reciprocal trigonometric functions COT, CSC and SEC, and the inverse
//! ones ASIN, ACOS and ACOT.
//!
//! The reciprocals use Excel's own sine, cosine and tangent (see `trig`)
//! and share their limit: an angle of 2^27 or more is `#NUM!`.

use super::trig;
use crate::value::{ExcelError, Value};

/// The largest angle magnitude Excel's circular functions accept, exclusive.
const ANGLE_LIMIT: f64 = 134_217_728.0;

/// `1/f(n)` for an angle `n`; 0 is `#DIV/0!` where `f(0)` is 0.
fn reciprocal(n: f64, f: fn(f64) -> f64) -> Value {
    if n.abs() >= ANGLE_LIMIT {
        return Value::Error(ExcelError::Num);
    }
    let of = f(n);
    if of == 0.0 {
        Value::Error(ExcelError::Div0)
    } else {
        Value::number(1.0 / of)
    }
}

/// `COT(number)`: the cotangent of an angle in radians; 0 is `#DIV/0!`.
pub(super) fn fn_cot(n: f64) -> Value {
    reciprocal(n, trig::tan)
}

/// `CSC(number)`: the cosecant of an angle in radians; 0 is `#DIV/0!`.
pub(super) fn fn_csc(n: f64) -> Value {
    reciprocal(n, trig::sin)
}

/// `SEC(number)`: the secant of an angle in radians.
pub(super) fn fn_sec(n: f64) -> Value {
    reciprocal(n, trig::cos)
}

/// `ASIN(number)`: the arcsine, in radians between -π/2 and π/2; outside
/// -1..1 is `#NUM!`.
pub(super) fn fn_asin(n: f64) -> Value {
    Value::number(n.asin())
}

/// `ACOS(number)`: the arccosine, in radians between 0 and π; outside -1..1
/// is `#NUM!`.
pub(super) fn fn_acos(n: f64) -> Value {
    Value::number(n.acos())
}

/// `ACOT(number)`: the arccotangent, in radians between 0 and π
/// (`ACOT(-1)` is 3π/4). It is computed as the arctangent of `1/n`, which
/// keeps full precision for large numbers where `π/2 - ATAN(n)` cancels
/// (Excel: calc_tests/MATH_AND_TRIGONOMETRY/TRIGONOMETRIC.xlsx
/// ACOT_ACOTH!B13).
pub(super) fn fn_acot(n: f64) -> Value {
    use std::f64::consts::{FRAC_PI_2, PI};
    Value::number(match n {
        0.0 => FRAC_PI_2,
        _ if n > 0.0 => n.recip().atan(),
        _ => PI + n.recip().atan(),
    })
}
