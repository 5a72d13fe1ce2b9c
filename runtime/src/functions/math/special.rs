//! BASE, DECIMAL, SQRTPI, FACTDOUBLE, MULTINOMIAL, SERIESSUM and the sums
//! of squares of two arrays (SUMX2MY2, SUMX2PY2, SUMXMY2).

use crate::functions::math::args::for_each_scalar;
use crate::functions::math::{scalar_arg, strict};
use crate::functions::statistical::data::pairs;
use crate::functions::statistical::distributions::choose;
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// `BASE(number, radix, [min_length])`: the number truncated, written in
/// radix 2..=36 with upper-case digits, padded with zeros to `min_length`
/// (at most 255); a negative number or one of 2^53 or more is `#NUM!`.
pub(crate) fn base(n: f64, radix: f64, min_length: f64) -> Result<Value, ExcelError> {
    let (n, radix, min_length) = (n.trunc(), radix.trunc(), min_length.trunc());
    if !(0.0..9_007_199_254_740_992.0).contains(&n) || !(2.0..=36.0).contains(&radix) {
        return Err(ExcelError::Num);
    }
    if !(0.0..=255.0).contains(&min_length) {
        return Err(ExcelError::Num);
    }
    let (mut rest, radix) = (n as u64, radix as u64);
    let mut digits = Vec::new();
    loop {
        let digit = (rest % radix) as u32;
        digits.push(char::from_digit(digit, radix as u32).unwrap_or('0').to_ascii_uppercase());
        rest /= radix;
        if rest == 0 {
            break;
        }
    }
    let text: String = digits.iter().rev().collect();
    let width = min_length as usize;
    Ok(Value::text(format!("{text:0>width$}")))
}

/// `DECIMAL(text, radix)`: the text read as digits of radix 2..=36, any
/// case; a digit outside the radix is `#NUM!`.
pub(crate) fn decimal(text: &str, radix: f64) -> Result<f64, ExcelError> {
    let radix = radix.trunc();
    if !(2.0..=36.0).contains(&radix) || text.len() > 255 {
        return Err(ExcelError::Num);
    }
    let mut n = 0.0;
    for c in text.chars() {
        let digit = c.to_digit(radix as u32).ok_or(ExcelError::Num)?;
        n = n * radix + f64::from(digit);
    }
    Ok(n)
}

/// `SQRTPI(number)`: √(number·π); a negative number is `#NUM!`.
pub(crate) fn sqrtpi(n: f64) -> Result<f64, ExcelError> {
    if n < 0.0 {
        return Err(ExcelError::Num);
    }
    Ok((n * std::f64::consts::PI).sqrt())
}

/// `FACTDOUBLE(number)`: n!! of the truncated number; negative is `#NUM!`
/// (-1 gives 1, as the empty product).
pub(crate) fn factdouble(n: f64) -> Result<f64, ExcelError> {
    let n = n.trunc();
    if n < -1.0 {
        return Err(ExcelError::Num);
    }
    let mut product = 1.0;
    let mut k = n;
    while k > 1.0 {
        product *= k;
        k -= 2.0;
        if !product.is_finite() {
            return Err(ExcelError::Num);
        }
    }
    Ok(product)
}

/// `MULTINOMIAL(number1, ...)`: (Σn)! / Πn! of the truncated numbers;
/// booleans or text anywhere are `#VALUE!`, a negative number `#NUM!`.
pub(crate) fn multinomial(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let mut parts = Vec::new();
    let mut failure = None;
    for arg in args {
        for_each_scalar(arg, ctx, |v, _| {
            let n = match v {
                Value::Number(n) => Ok(*n),
                Value::Empty => Ok(0.0),
                Value::Error(e) => Err(*e),
                _ => Err(ExcelError::Value),
            };
            match n {
                Ok(n) => parts.push(n.trunc()),
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        });
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if parts.iter().any(|n| *n < 0.0) {
        return Err(ExcelError::Num);
    }
    // Multiplying binomial coefficients keeps every step an exact integer
    // while it stays below 2^53.
    let mut total = 0.0;
    let mut res = 1.0;
    for n in parts {
        for k in 1..=n as u64 {
            total += 1.0;
            res = res * total / k as f64;
            if !res.is_finite() {
                return Err(ExcelError::Num);
            }
        }
    }
    if res.is_finite() {
        Ok(res.round())
    } else {
        Err(ExcelError::Num)
    }
}

/// `SERIESSUM(x, n, m, coefficients)`: Σ aᵢ·x^(n+i·m); 0^0 is `#NUM!`.
pub(crate) fn seriessum(x: f64, n: f64, m: f64, coefficients: &[Value]) -> Result<f64, ExcelError> {
    let mut sum = 0.0;
    for (i, c) in coefficients.iter().enumerate() {
        let a = match c {
            Value::Number(a) => *a,
            Value::Error(e) => return Err(*e),
            _ => return Err(ExcelError::Value),
        };
        let power = n + i as f64 * m;
        if x == 0.0 && power <= 0.0 {
            return Err(ExcelError::Num);
        }
        sum += a * x.powf(power);
    }
    Ok(sum)
}

/// The sums of squares of two arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Squares {
    /// `SUMX2MY2`: Σ(x² - y²).
    DifferenceOfSquares,
    /// `SUMX2PY2`: Σ(x² + y²).
    SumOfSquares,
    /// `SUMXMY2`: Σ(x - y)².
    SquaredDifference,
}

/// `SUMX2MY2(array_x, array_y)` and its siblings over the positions where
/// both arrays hold numbers; arrays of different sizes are `#N/A`.
pub(crate) fn squares(
    kind: Squares,
    args: &[Operand],
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        return Err(ExcelError::Value);
    };
    let term = |(x, y): (f64, f64)| match kind {
        Squares::DifferenceOfSquares => x * x - y * y,
        Squares::SumOfSquares => x * x + y * y,
        Squares::SquaredDifference => (x - y) * (x - y),
    };
    Ok(pairs(a, b, ctx)?.into_iter().map(term).sum())
}

/// `BASE(number, radix, [min_length])`: see [`base`].
pub(crate) fn fn_base(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let n = strict(args, 0, ctx)?;
    let radix = strict(args, 1, ctx)?;
    base(n, radix, strict(args, 2, ctx)?)
}

/// `DECIMAL(text, radix)`: see [`decimal`].
pub(crate) fn fn_decimal(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let text = scalar_arg(args, 0, ctx).to_text()?;
    decimal(&text, strict(args, 1, ctx)?)
}

/// `SERIESSUM(x, n, m, coefficients)`: see [`seriessum`].
pub(crate) fn fn_seriessum(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (x, n, m) = (strict(args, 0, ctx)?, strict(args, 1, ctx)?, strict(args, 2, ctx)?);
    let mut coefficients = Vec::new();
    if let Some(arg) = args.get(3) {
        for_each_scalar(arg, ctx, |v, _| coefficients.push(v.clone()));
    }
    seriessum(x, n, m, &coefficients)
}

/// `COMBIN(number, number_chosen)`: C(n, k) of the truncated arguments;
/// a negative argument or k > n is `#NUM!`.
pub(crate) fn combin(n: f64, k: f64) -> Result<f64, ExcelError> {
    let (n, k) = (n.trunc(), k.trunc());
    if n < 0.0 || k < 0.0 || k > n {
        return Err(ExcelError::Num);
    }
    Ok(choose(n, k))
}

/// `COMBINA(number, number_chosen)`: combinations with repetition,
/// C(n + k - 1, k); a negative argument is `#NUM!`.
pub(crate) fn combina(n: f64, k: f64) -> Result<f64, ExcelError> {
    let (n, k) = (n.trunc(), k.trunc());
    if n < 0.0 || k < 0.0 {
        return Err(ExcelError::Num);
    }
    if n == 0.0 {
        return Ok(if k == 0.0 { 1.0 } else { 0.0 });
    }
    Ok(choose(n + k - 1.0, k))
}
