//! Integer-valued functions: EVEN, ODD, FACT, GCD and LCM.

use super::args::for_each_scalar;
use super::number_result;
use crate::coerce::parse_number;
use crate::reference::{Context, Operand, Reference};
use crate::value::{ExcelError, Value};

/// `EVEN(number)`: away from zero to the next even integer.
pub(super) fn fn_even(n: f64) -> Value {
    let up = (n.abs() / 2.0).ceil() * 2.0;
    Value::number(up.copysign(n))
}

/// `ODD(number)`: away from zero to the next odd integer (`ODD(0)` is 1).
pub(super) fn fn_odd(n: f64) -> Value {
    let mut up = n.abs().ceil();
    if up % 2.0 == 0.0 {
        up += 1.0;
    }
    Value::number(if n < 0.0 { -up } else { up })
}

/// `FACT(number)`: the factorial of the integer part; negative is `#NUM!`,
/// as is anything past 170! (which overflows a double).
pub(super) fn fn_fact(n: f64) -> Value {
    if n < 0.0 {
        return Value::Error(ExcelError::Num);
    }
    if n >= 171.0 {
        return Value::Error(ExcelError::Num);
    }
    Value::number((1..=n.trunc() as u32).map(f64::from).product())
}

/// Integer parts of the numbers of GCD/LCM arguments. These functions
/// coerce more than `SUM` does, and differently by where a value comes from
/// (Excel: calc_tests/MATH_AND_TRIGONOMETRY/GCD_LCM.xlsx):
///
/// - text is read as a number anywhere, even in a range (`"8"`, `" 10 "`,
///   `"2024-01-10"`); other text, `""` included, is `#VALUE!`;
/// - a boolean is `#VALUE!`, even from a cell;
/// - an empty cell given alone (`=LCM(A1,5)`) is skipped, but inside a
///   larger range (`=LCM(A1:B1)`) it counts as 0;
/// - an omitted argument (`=LCM(,5)`) is `#N/A`;
/// - no number at all (`=GCD(A1,B1)` with both empty) is `#VALUE!`;
/// - a negative number, or one of 2^53 and beyond, is `#NUM!`.
fn integers(args: &[Operand], ctx: &dyn Context) -> Result<Vec<u64>, ExcelError> {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            Operand::Value(Value::Empty) => return Err(ExcelError::NA),
            Operand::Ref(Reference::Range(r)) if r.is_single_cell() => {
                let v = ctx.cell(r.top_left());
                if v != Value::Empty {
                    out.push(integer_of(&v)?);
                }
            }
            _ => {
                let mut first_error = None;
                let skipped = for_each_scalar(arg, ctx, |v, _| {
                    if first_error.is_none() {
                        match integer_of(v) {
                            Ok(n) => out.push(n),
                            Err(e) => first_error = Some(e),
                        }
                    }
                });
                if let Some(e) = first_error {
                    return Err(e);
                }
                if skipped > 0 {
                    out.push(0);
                }
            }
        }
    }
    if out.is_empty() {
        return Err(ExcelError::Value);
    }
    Ok(out)
}

/// The integer part of one GCD/LCM value (see [`integers`]); empty is 0.
fn integer_of(v: &Value) -> Result<u64, ExcelError> {
    let n = match v {
        Value::Empty => 0.0,
        Value::Number(n) => *n,
        Value::Text(t) => parse_number(t).ok_or(ExcelError::Value)?,
        Value::Error(e) => return Err(*e),
        Value::Bool(_) | Value::Array(_) => return Err(ExcelError::Value),
    };
    if (0.0..9_007_199_254_740_992.0).contains(&n) {
        Ok(n.trunc() as u64)
    } else {
        Err(ExcelError::Num)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `GCD(number1, ...)`: the greatest common divisor of the integer parts.
pub(super) fn fn_gcd(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(integers(args, ctx).map(|ns| ns.into_iter().fold(0, gcd) as f64))
}

/// `LCM(number1, ...)`: the least common multiple of the integer parts; any
/// zero gives 0, and a multiple of 2^53 or more is `#NUM!` (Microsoft's LCM
/// docs; Excel: calc_tests/MATH_AND_TRIGONOMETRY/GCD_LCM.xlsx Sheet1!I53,
/// `LCM(2^31-1,2^30-1)`).
pub(super) fn fn_lcm(args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = integers(args, ctx).and_then(|ns| {
        ns.into_iter().try_fold(1.0, |acc: f64, n| {
            if acc == 0.0 || n == 0 {
                return Ok(0.0);
            }
            let g = gcd(acc as u64, n) as f64;
            let multiple = acc / g * n as f64;
            if multiple >= 9_007_199_254_740_992.0 {
                Err(ExcelError::Num)
            } else {
                Ok(multiple)
            }
        })
    });
    number_result(res)
}
