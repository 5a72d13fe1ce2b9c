//! BIN2DEC, DEC2HEX and the other conversions between binary, octal,
//! decimal and hexadecimal.
//!
//! Excel writes a negative number as the ten-digit two's complement of its
//! base (`DEC2BIN(-1)` is `1111111111`), so each base holds the signed
//! numbers of ten digits: -512..=511 in binary, -2^29..2^29 in octal and
//! -2^39..2^39 in hexadecimal.

use crate::value::{ExcelError, Value};

/// A base Excel converts from or to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    Binary,
    Octal,
    Decimal,
    Hexadecimal,
}

impl Base {
    fn radix(self) -> u32 {
        match self {
            Base::Binary => 2,
            Base::Octal => 8,
            Base::Decimal => 10,
            Base::Hexadecimal => 16,
        }
    }

    /// The count of distinct ten-digit numerals, 2^10, 2^30 or 2^40.
    fn modulus(self) -> i64 {
        i64::from(self.radix()).pow(10)
    }

    /// The largest positive number the base holds in ten digits.
    fn max(self) -> i64 {
        self.modulus() / 2 - 1
    }

    /// The most negative number the base holds in ten digits.
    fn min(self) -> i64 {
        -self.modulus() / 2
    }
}

/// The signed number a ten-digit numeral stands for. Numbers given as
/// numbers are read as their decimal digits (`BIN2DEC(1010)`); booleans are
/// `#VALUE!`; more than ten digits, a digit outside the base, a sign or a
/// fraction are `#NUM!`.
fn parse(value: &Value, base: Base) -> Result<i64, ExcelError> {
    let text = match value {
        Value::Bool(_) => return Err(ExcelError::Value),
        Value::Number(n) if *n < 0.0 || n.fract() != 0.0 => return Err(ExcelError::Num),
        Value::Number(n) => format!("{n:.0}"),
        other => other.to_text()?.to_string(),
    };
    if text.len() > 10 {
        return Err(ExcelError::Num);
    }
    let mut n: i64 = 0;
    for c in text.chars() {
        let digit = c.to_digit(base.radix()).ok_or(ExcelError::Num)?;
        n = n * i64::from(base.radix()) + i64::from(digit);
    }
    if text.len() == 10 && n > base.max() {
        n -= base.modulus();
    }
    Ok(n)
}

/// The decimal argument of `DEC2BIN`, `DEC2OCT` and `DEC2HEX`, truncated;
/// booleans are `#VALUE!`.
fn parse_decimal(value: &Value) -> Result<i64, ExcelError> {
    if let Value::Bool(_) = value {
        return Err(ExcelError::Value);
    }
    let n = value.to_number()?.trunc();
    if n.abs() > 1e15 {
        return Err(ExcelError::Num);
    }
    Ok(n as i64)
}

/// The `places` argument: `None` when omitted, else truncated and checked
/// to lie in 1..=10 (booleans are `#VALUE!`).
fn parse_places(places: Option<&Value>) -> Result<Option<usize>, ExcelError> {
    let Some(value) = places else { return Ok(None) };
    if let Value::Bool(_) = value {
        return Err(ExcelError::Value);
    }
    let p = value.to_number()?.trunc();
    if !(1.0..=10.0).contains(&p) {
        return Err(ExcelError::Num);
    }
    Ok(Some(p as usize))
}

/// `n` written in `base`: negative numbers as ten-digit two's complement
/// (ignoring `places`), others padded with zeros to `places`; a number out
/// of the base's range or longer than `places` is `#NUM!`.
fn format(n: i64, base: Base, places: Option<usize>) -> Result<String, ExcelError> {
    if base == Base::Decimal {
        return Ok(n.to_string());
    }
    if n < base.min() || n > base.max() {
        return Err(ExcelError::Num);
    }
    let unsigned = if n < 0 { n + base.modulus() } else { n };
    let digits = to_radix(unsigned as u64, base.radix());
    if n < 0 {
        return Ok(digits);
    }
    match places {
        None => Ok(digits),
        Some(p) if digits.len() > p => Err(ExcelError::Num),
        Some(p) => Ok(format!("{digits:0>p$}")),
    }
}

fn to_radix(mut n: u64, radix: u32) -> String {
    if n == 0 {
        return "0".to_string();
    }
    let mut out = Vec::new();
    while n > 0 {
        let digit = (n % u64::from(radix)) as u32;
        out.push(char::from_digit(digit, radix).unwrap_or('0').to_ascii_uppercase());
        n /= u64::from(radix);
    }
    out.iter().rev().collect()
}

/// Converts `value` from one base to another, as `BIN2HEX(number, [places])`
/// and its eleven siblings do.
pub(crate) fn convert(value: &Value, places: Option<&Value>, from: Base, to: Base) -> Value {
    let res = (|| {
        let n = if from == Base::Decimal { parse_decimal(value)? } else { parse(value, from)? };
        let places = parse_places(places)?;
        format(n, to, places)
    })();
    match res {
        Ok(text) if to == Base::Decimal => {
            text.parse::<f64>().map_or(Value::Error(ExcelError::Num), Value::Number)
        }
        Ok(text) => Value::text(text),
        Err(e) => Value::Error(e),
    }
}
