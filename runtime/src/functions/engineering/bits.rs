//! BITAND, BITOR, BITXOR, BITLSHIFT, BITRSHIFT, DELTA and GESTEP.

use crate::value::{ExcelError, Value};

/// 2^48, the bound of Excel's bit functions.
const LIMIT: f64 = 281_474_976_710_656.0;

/// A bit-function operand: a whole number in 0..2^48 (booleans count as
/// 0/1, text is parsed); anything else is `#NUM!`.
fn operand(v: &Value) -> Result<u64, ExcelError> {
    let n = v.to_number()?;
    if !(0.0..LIMIT).contains(&n) || n.fract() != 0.0 {
        return Err(ExcelError::Num);
    }
    Ok(n as u64)
}

/// The bitwise operations of two operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BitOp {
    And,
    Or,
    Xor,
}

/// `BITAND(number1, number2)`, `BITOR` and `BITXOR`.
pub(crate) fn bitwise(op: BitOp, a: &Value, b: &Value) -> Result<f64, ExcelError> {
    let (a, b) = (operand(a)?, operand(b)?);
    let n = match op {
        BitOp::And => a & b,
        BitOp::Or => a | b,
        BitOp::Xor => a ^ b,
    };
    Ok(n as f64)
}

/// `BITLSHIFT(number, shift_amount)` (or `BITRSHIFT` with `left` false): a
/// negative amount shifts the other way; |amount| over 53 or a result of
/// 2^48 or more is `#NUM!`.
pub(crate) fn shift(n: &Value, amount: &Value, left: bool) -> Result<f64, ExcelError> {
    let n = operand(n)?;
    let amount = amount.to_number()?.trunc();
    if amount.abs() > 53.0 {
        return Err(ExcelError::Num);
    }
    let amount = if left { amount } else { -amount };
    let res = if amount >= 0.0 {
        (n as f64) * 2f64.powi(amount as i32)
    } else {
        (n >> (-amount as u32).min(63)) as f64
    };
    if res >= LIMIT {
        return Err(ExcelError::Num);
    }
    Ok(res)
}

/// A number for `DELTA` and `GESTEP`: booleans are `#VALUE!`.
fn strict(v: &Value) -> Result<f64, ExcelError> {
    match v {
        Value::Bool(_) => Err(ExcelError::Value),
        other => other.to_number(),
    }
}

/// `DELTA(number1, [number2])`: 1 when equal, else 0; `number2` is 0 by default.
pub(crate) fn delta(a: &Value, b: &Value) -> Result<f64, ExcelError> {
    Ok(if strict(a)? == strict(b)? { 1.0 } else { 0.0 })
}

/// `GESTEP(number, [step])`: 1 when `number` ≥ `step` (0 by default), else 0.
pub(crate) fn gestep(a: &Value, b: &Value) -> Result<f64, ExcelError> {
    Ok(if strict(a)? >= strict(b)? { 1.0 } else { 0.0 })
}
