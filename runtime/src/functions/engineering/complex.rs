//! Complex numbers as Excel writes them, `"3+4i"` or `"1-2j"`, and the IM*
//! functions that compute with them.
//!
//! Results are text with each part rounded to 15 significant digits, so
//! `IMREAL(IMSIN(...))` reads back a rounded number, as in Excel.

use crate::value::{ExcelError, Value};

/// A complex number with the suffix (`i` or `j`) it was written with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Complex {
    pub(crate) re: f64,
    pub(crate) im: f64,
    pub(crate) suffix: char,
}

impl Complex {
    pub(crate) fn new(re: f64, im: f64) -> Complex {
        Complex { re, im, suffix: 'i' }
    }

    fn with(self, re: f64, im: f64) -> Complex {
        Complex { re, im, suffix: self.suffix }
    }

    pub(crate) fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }

    fn arg(self) -> f64 {
        self.im.atan2(self.re)
    }

    fn mul(self, o: Complex) -> Complex {
        self.with(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)
    }

    fn div(self, o: Complex) -> Result<Complex, ExcelError> {
        let d = o.re * o.re + o.im * o.im;
        if d == 0.0 {
            return Err(ExcelError::Num);
        }
        let re = (self.re * o.re + self.im * o.im) / d;
        let im = (self.im * o.re - self.re * o.im) / d;
        Ok(self.with(re, im))
    }

    fn exp(self) -> Complex {
        let m = self.re.exp();
        self.with(m * self.im.cos(), m * self.im.sin())
    }

    fn ln(self) -> Result<Complex, ExcelError> {
        if self.re == 0.0 && self.im == 0.0 {
            return Err(ExcelError::Num);
        }
        Ok(self.with(self.abs().ln(), self.arg()))
    }

    fn sin(self) -> Complex {
        self.with(self.re.sin() * self.im.cosh(), self.re.cos() * self.im.sinh())
    }

    fn cos(self) -> Complex {
        self.with(self.re.cos() * self.im.cosh(), -self.re.sin() * self.im.sinh())
    }

    fn sinh(self) -> Complex {
        self.with(self.re.sinh() * self.im.cos(), self.re.cosh() * self.im.sin())
    }

    fn cosh(self) -> Complex {
        self.with(self.re.cosh() * self.im.cos(), self.re.sinh() * self.im.sin())
    }

    fn recip(self) -> Result<Complex, ExcelError> {
        self.with(1.0, 0.0).div(self)
    }

    fn pow(self, p: f64) -> Result<Complex, ExcelError> {
        let r = self.abs();
        if r == 0.0 {
            return if p > 0.0 { Ok(self.with(0.0, 0.0)) } else { Err(ExcelError::Num) };
        }
        let (m, t) = (r.powf(p), self.arg() * p);
        Ok(self.with(m * t.cos(), m * t.sin()))
    }
}

/// Parses Excel's complex text: `a`, `bi`, `a+bi`, `a-bi`, `i`, `-j`...,
/// with a lower-case `i` or `j`. A number is a real; an empty value is 0;
/// booleans are `#VALUE!`; anything else is `#NUM!`.
pub(crate) fn parse(value: &Value) -> Result<Complex, ExcelError> {
    match value {
        Value::Number(n) => Ok(Complex::new(*n, 0.0)),
        Value::Empty => Ok(Complex::new(0.0, 0.0)),
        Value::Bool(_) => Err(ExcelError::Value),
        Value::Error(e) => Err(*e),
        Value::Array(_) => Err(ExcelError::Value),
        Value::Text(t) => parse_text(t).ok_or(ExcelError::Num),
    }
}

fn parse_text(text: &str) -> Option<Complex> {
    if text.is_empty() {
        return Some(Complex::new(0.0, 0.0));
    }
    let (body, suffix) = match text.chars().last() {
        Some(c @ ('i' | 'j')) => (&text[..text.len() - 1], Some(c)),
        _ => (text, None),
    };
    let Some(suffix) = suffix else {
        return number(body).map(|re| Complex::new(re, 0.0));
    };
    // The imaginary part starts at the last sign that is not the sign of an
    // exponent (`1E-3+2E-4i`) nor the leading sign.
    let bytes = body.as_bytes();
    let split = (1..bytes.len())
        .rev()
        .find(|&k| matches!(bytes[k], b'+' | b'-') && !matches!(bytes[k - 1], b'e' | b'E'));
    let (re, im_text) = match split {
        Some(k) => (number(&body[..k])?, &body[k..]),
        None => (0.0, body),
    };
    let im = match im_text {
        "" | "+" => 1.0,
        "-" => -1.0,
        other => number(other)?,
    };
    Some(Complex { re, im, suffix })
}

/// A plain decimal number (sign, digits, point, exponent); no spaces,
/// percentages or dates.
fn number(text: &str) -> Option<f64> {
    let ok = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    if ok {
        text.parse().ok()
    } else {
        None
    }
}

/// Excel's text for `z`: parts rounded to 15 significant digits, a zero
/// part left out, a unit imaginary part written as the bare suffix.
pub(crate) fn format(z: Complex) -> Result<Value, ExcelError> {
    if !z.re.is_finite() || !z.im.is_finite() {
        return Err(ExcelError::Num);
    }
    let re = format_part(z.re);
    let im = format_part(z.im);
    let text = match (re.as_str(), im.as_str()) {
        (_, "0") => re,
        ("0", "1") => z.suffix.to_string(),
        ("0", "-1") => format!("-{}", z.suffix),
        ("0", _) => format!("{im}{}", z.suffix),
        (_, "1") => format!("{re}+{}", z.suffix),
        (_, "-1") => format!("{re}-{}", z.suffix),
        (_, _) if im.starts_with('-') => format!("{re}{im}{}", z.suffix),
        (_, _) => format!("{re}+{im}{}", z.suffix),
    };
    Ok(Value::text(text))
}

/// One part rounded to 15 significant digits, in plain notation for
/// exponents -18..15 (`0.000000000000000001`) and as `1E-20` beyond.
fn format_part(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{x:.14e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exp: i32 = exponent.parse().unwrap_or(0);
    let mantissa = trim(mantissa);
    if (-18..15).contains(&exp) {
        let rounded: f64 = scientific.parse().unwrap_or(x);
        let decimals = (14 - exp).max(0) as usize;
        return trim(&format!("{rounded:.decimals$}")).to_string();
    }
    let sign = if exp < 0 { "-" } else { "+" };
    format!("{mantissa}E{sign}{}", exp.abs())
}

fn trim(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `COMPLEX(real_num, i_num, [suffix])`: the suffix is `"i"`, `"j"` or
/// empty; anything else (including upper case) is `#VALUE!`.
pub(crate) fn complex(re: &Value, im: &Value, suffix: &Value) -> Result<Value, ExcelError> {
    let text = |v: &Value| match v {
        Value::Bool(_) => Err(ExcelError::Value),
        other => other.to_number(),
    };
    let (re, im) = (text(re)?, text(im)?);
    let suffix = match suffix {
        Value::Empty => 'i',
        Value::Text(t) if t.is_empty() || &**t == "i" => 'i',
        Value::Text(t) if &**t == "j" => 'j',
        Value::Error(e) => return Err(*e),
        _ => return Err(ExcelError::Value),
    };
    format(Complex { re, im, suffix })
}

/// The one-argument IM functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unary {
    Real,
    Imaginary,
    Abs,
    Argument,
    Conjugate,
    Exp,
    Ln,
    Log10,
    Log2,
    Sqrt,
    Sin,
    Cos,
    Tan,
    Sec,
    Csc,
    Cot,
    Sinh,
    Cosh,
    Sech,
    Csch,
}

/// Applies a one-argument IM function to `value`.
pub(crate) fn unary(f: Unary, value: &Value) -> Result<Value, ExcelError> {
    let z = parse(value)?;
    let number = |n: f64| Ok(Value::number(n));
    match f {
        Unary::Real => number(z.re),
        Unary::Imaginary => number(z.im),
        Unary::Abs => number(z.abs()),
        Unary::Argument if z.re == 0.0 && z.im == 0.0 => Err(ExcelError::Div0),
        Unary::Argument => number(z.arg()),
        other => format(transform(other, z)?),
    }
}

fn transform(f: Unary, z: Complex) -> Result<Complex, ExcelError> {
    let ln = std::f64::consts::LN_10;
    match f {
        Unary::Conjugate => Ok(z.with(z.re, -z.im)),
        Unary::Exp => Ok(z.exp()),
        Unary::Ln => z.ln(),
        Unary::Log10 => z.ln().map(|w| w.with(w.re / ln, w.im / ln)),
        Unary::Log2 => {
            let l2 = std::f64::consts::LN_2;
            z.ln().map(|w| w.with(w.re / l2, w.im / l2))
        }
        Unary::Sqrt => z.pow(0.5),
        Unary::Sin => Ok(z.sin()),
        Unary::Cos => Ok(z.cos()),
        Unary::Tan => tan(z),
        Unary::Sec => z.cos().recip(),
        Unary::Csc => z.sin().recip(),
        Unary::Cot => tan(z).and_then(Complex::recip),
        Unary::Sinh => Ok(z.sinh()),
        Unary::Cosh => Ok(z.cosh()),
        Unary::Sech => z.cosh().recip(),
        Unary::Csch => z.sinh().recip(),
        Unary::Real | Unary::Imaginary | Unary::Abs | Unary::Argument => Ok(z),
    }
}

/// tan(a+bi) = (sin 2a + i sinh 2b) / (cos 2a + cosh 2b), which keeps the
/// tiny real part of a large imaginary argument that sin/cos would lose.
fn tan(z: Complex) -> Result<Complex, ExcelError> {
    let d = (2.0 * z.re).cos() + (2.0 * z.im).cosh();
    if d == 0.0 {
        return Err(ExcelError::Num);
    }
    if d.is_infinite() {
        return Ok(z.with(0.0, z.im.signum()));
    }
    Ok(z.with((2.0 * z.re).sin() / d, (2.0 * z.im).sinh() / d))
}

/// `IMPOWER(inumber, number)`.
pub(crate) fn power(value: &Value, p: f64) -> Result<Value, ExcelError> {
    format(parse(value)?.pow(p)?)
}

/// `IMDIV(inumber1, inumber2)`: a zero divisor is `#NUM!`.
pub(crate) fn divide(a: &Value, b: &Value) -> Result<Value, ExcelError> {
    let (a, b) = same_suffix(parse(a)?, parse(b)?)?;
    format(a.div(b)?)
}

/// `IMSUB(inumber1, inumber2)`.
pub(crate) fn subtract(a: &Value, b: &Value) -> Result<Value, ExcelError> {
    let (a, b) = same_suffix(parse(a)?, parse(b)?)?;
    format(a.with(a.re - b.re, a.im - b.im))
}

/// Two numbers written with different suffixes (`1+i`, `2+j`) are
/// `#VALUE!` together; a real number takes the other's suffix.
fn same_suffix(a: Complex, b: Complex) -> Result<(Complex, Complex), ExcelError> {
    if a.im != 0.0 && b.im != 0.0 && a.suffix != b.suffix {
        return Err(ExcelError::Value);
    }
    let suffix = if a.im != 0.0 { a.suffix } else { b.suffix };
    Ok((Complex { suffix, ..a }, Complex { suffix, ..b }))
}

/// `IMSUM` and `IMPRODUCT` over every value of their arguments.
pub(crate) fn fold(values: &[Value], product: bool) -> Result<Value, ExcelError> {
    let start = if product { Complex::new(1.0, 0.0) } else { Complex::new(0.0, 0.0) };
    let mut acc = start;
    for v in values {
        let (a, z) = same_suffix(acc, parse(v)?)?;
        acc = if product { a.mul(z) } else { a.with(a.re + z.re, a.im + z.im) };
    }
    format(acc)
}
