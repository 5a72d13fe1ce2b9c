//! Integer-valued functions: EVEN, ODD, FACT, GCD and LCM.

use super::args::{numbers, Rule};
use super::number_result;
use crate::reference::{Context, Operand};
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

/// Integer parts of the numbers of GCD/LCM arguments: negative numbers and
/// numbers of 2^53 and beyond are `#NUM!`.
fn integers(args: &[Operand], ctx: &dyn Context) -> Result<Vec<u64>, ExcelError> {
    let values = numbers(args, ctx, Rule::Plain)?;
    values
        .into_iter()
        .map(|n| {
            if !(0.0..9_007_199_254_740_992.0).contains(&n) {
                Err(ExcelError::Num)
            } else {
                Ok(n.trunc() as u64)
            }
        })
        .collect()
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
/// zero gives 0.
pub(super) fn fn_lcm(args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = integers(args, ctx).map(|ns| {
        ns.into_iter().fold(1.0, |acc: f64, n| {
            if acc == 0.0 || n == 0 {
                return 0.0;
            }
            let g = gcd(acc as u64, n) as f64;
            acc / g * n as f64
        })
    });
    number_result(res)
}
