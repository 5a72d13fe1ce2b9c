//! Engineering functions: complex numbers (COMPLEX, IM*), base conversions
//! (BIN2DEC...), bit operations, DELTA, GESTEP, ERF and ERFC.
//!
//! Every function here takes scalars, so the dispatcher maps them over
//! arrays; IMSUM and IMPRODUCT also take ranges.

pub mod bessel;
pub mod bits;
pub mod complex;
mod convert;
pub mod radix;
#[cfg(test)]
mod tests;

use self::bessel::Kind;
use self::bits::BitOp;
use self::complex::Unary;
use self::radix::Base;
use crate::coerce::arg;
use crate::functions::math::args::for_each_scalar;
use crate::functions::statistical::special;
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineeringFn {
    /// A conversion between bases, `BIN2DEC` to `HEX2OCT`.
    Radix(Base, Base),
    Complex,
    /// A one-argument IM function, `IMREAL` to `IMCSCH`.
    Im(Unary),
    ImPower,
    ImDiv,
    ImSub,
    ImSum,
    ImProduct,
    Bit(BitOp),
    BitLShift,
    BitRShift,
    Delta,
    GeStep,
    Erf,
    ErfPrecise,
    Erfc,
    ErfcPrecise,
    Bessel(Kind),
    Convert,
}

use Base::{Binary as B2, Decimal as D10, Hexadecimal as H16, Octal as O8};

/// Every function with its Excel name.
const TABLE: &[(EngineeringFn, &str)] = &[
    (EngineeringFn::Radix(B2, D10), "BIN2DEC"),
    (EngineeringFn::Radix(B2, O8), "BIN2OCT"),
    (EngineeringFn::Radix(B2, H16), "BIN2HEX"),
    (EngineeringFn::Radix(O8, B2), "OCT2BIN"),
    (EngineeringFn::Radix(O8, D10), "OCT2DEC"),
    (EngineeringFn::Radix(O8, H16), "OCT2HEX"),
    (EngineeringFn::Radix(D10, B2), "DEC2BIN"),
    (EngineeringFn::Radix(D10, O8), "DEC2OCT"),
    (EngineeringFn::Radix(D10, H16), "DEC2HEX"),
    (EngineeringFn::Radix(H16, B2), "HEX2BIN"),
    (EngineeringFn::Radix(H16, O8), "HEX2OCT"),
    (EngineeringFn::Radix(H16, D10), "HEX2DEC"),
    (EngineeringFn::Complex, "COMPLEX"),
    (EngineeringFn::Im(Unary::Real), "IMREAL"),
    (EngineeringFn::Im(Unary::Imaginary), "IMAGINARY"),
    (EngineeringFn::Im(Unary::Abs), "IMABS"),
    (EngineeringFn::Im(Unary::Argument), "IMARGUMENT"),
    (EngineeringFn::Im(Unary::Conjugate), "IMCONJUGATE"),
    (EngineeringFn::Im(Unary::Exp), "IMEXP"),
    (EngineeringFn::Im(Unary::Ln), "IMLN"),
    (EngineeringFn::Im(Unary::Log10), "IMLOG10"),
    (EngineeringFn::Im(Unary::Log2), "IMLOG2"),
    (EngineeringFn::Im(Unary::Sqrt), "IMSQRT"),
    (EngineeringFn::Im(Unary::Sin), "IMSIN"),
    (EngineeringFn::Im(Unary::Cos), "IMCOS"),
    (EngineeringFn::Im(Unary::Tan), "IMTAN"),
    (EngineeringFn::Im(Unary::Sec), "IMSEC"),
    (EngineeringFn::Im(Unary::Csc), "IMCSC"),
    (EngineeringFn::Im(Unary::Cot), "IMCOT"),
    (EngineeringFn::Im(Unary::Sinh), "IMSINH"),
    (EngineeringFn::Im(Unary::Cosh), "IMCOSH"),
    (EngineeringFn::Im(Unary::Sech), "IMSECH"),
    (EngineeringFn::Im(Unary::Csch), "IMCSCH"),
    (EngineeringFn::ImPower, "IMPOWER"),
    (EngineeringFn::ImDiv, "IMDIV"),
    (EngineeringFn::ImSub, "IMSUB"),
    (EngineeringFn::ImSum, "IMSUM"),
    (EngineeringFn::ImProduct, "IMPRODUCT"),
    (EngineeringFn::Bit(BitOp::And), "BITAND"),
    (EngineeringFn::Bit(BitOp::Or), "BITOR"),
    (EngineeringFn::Bit(BitOp::Xor), "BITXOR"),
    (EngineeringFn::BitLShift, "BITLSHIFT"),
    (EngineeringFn::BitRShift, "BITRSHIFT"),
    (EngineeringFn::Delta, "DELTA"),
    (EngineeringFn::GeStep, "GESTEP"),
    (EngineeringFn::Erf, "ERF"),
    (EngineeringFn::ErfPrecise, "ERF.PRECISE"),
    (EngineeringFn::Erfc, "ERFC"),
    (EngineeringFn::ErfcPrecise, "ERFC.PRECISE"),
    (EngineeringFn::Bessel(Kind::I), "BESSELI"),
    (EngineeringFn::Bessel(Kind::J), "BESSELJ"),
    (EngineeringFn::Bessel(Kind::K), "BESSELK"),
    (EngineeringFn::Bessel(Kind::Y), "BESSELY"),
    (EngineeringFn::Convert, "CONVERT"),
];

const SCALAR: &[Param] = &[Param::Scalar];

impl EngineeringFn {
    /// Every function of this category.
    pub fn all() -> impl Iterator<Item = EngineeringFn> {
        TABLE.iter().map(|(f, _)| *f)
    }

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        TABLE.iter().find(|(f, _)| *f == self).map_or("", |(_, name)| name)
    }

    pub fn signature(self) -> Signature {
        let range = &[Param::Range];
        match self {
            EngineeringFn::Radix(_, Base::Decimal) => Signature::new(1, Some(1), SCALAR),
            EngineeringFn::Radix(_, _) => Signature::new(1, Some(2), SCALAR),
            EngineeringFn::Complex => Signature::new(2, Some(3), SCALAR),
            EngineeringFn::Im(_) => Signature::new(1, Some(1), SCALAR),
            EngineeringFn::ImPower | EngineeringFn::ImDiv | EngineeringFn::ImSub => {
                Signature::new(2, Some(2), SCALAR)
            }
            EngineeringFn::ImSum | EngineeringFn::ImProduct => Signature::new(1, None, range),
            EngineeringFn::Bessel(_) => Signature::new(2, Some(2), SCALAR),
            EngineeringFn::Convert => Signature::new(3, Some(3), SCALAR),
            EngineeringFn::Bit(_) | EngineeringFn::BitLShift | EngineeringFn::BitRShift => {
                Signature::new(2, Some(2), SCALAR)
            }
            EngineeringFn::Delta | EngineeringFn::GeStep | EngineeringFn::Erf => {
                Signature::new(1, Some(2), SCALAR)
            }
            EngineeringFn::ErfPrecise | EngineeringFn::Erfc | EngineeringFn::ErfcPrecise => {
                Signature::new(1, Some(1), SCALAR)
            }
        }
    }
}

pub(crate) fn call(f: EngineeringFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    let a = |i: usize| arg(args, i, ctx);
    let res = match f {
        EngineeringFn::Radix(from, to) => {
            let places = args.get(1).map(|_| a(1));
            Ok(radix::convert(&a(0), places.as_ref(), from, to))
        }
        EngineeringFn::Complex => complex::complex(&a(0), &a(1), &a(2)),
        EngineeringFn::Im(op) => complex::unary(op, &a(0)),
        EngineeringFn::ImPower => strict_number(&a(1)).and_then(|p| complex::power(&a(0), p)),
        EngineeringFn::ImDiv => complex::divide(&a(0), &a(1)),
        EngineeringFn::ImSub => complex::subtract(&a(0), &a(1)),
        EngineeringFn::ImSum => complex::fold(&all_values(args, ctx), false),
        EngineeringFn::ImProduct => complex::fold(&all_values(args, ctx), true),
        EngineeringFn::Bit(op) => number(bits::bitwise(op, &a(0), &a(1))),
        EngineeringFn::BitLShift => number(bits::shift(&a(0), &a(1), true)),
        EngineeringFn::BitRShift => number(bits::shift(&a(0), &a(1), false)),
        EngineeringFn::Delta => number(bits::delta(&a(0), &a(1))),
        EngineeringFn::GeStep => number(bits::gestep(&a(0), &a(1))),
        EngineeringFn::Erf => number(fn_erf(args, ctx)),
        EngineeringFn::ErfPrecise => number(strict_number(&a(0)).map(special::erf)),
        EngineeringFn::Bessel(kind) => strict_number(&a(0))
            .and_then(|x| Ok((x, strict_number(&a(1))?)))
            .and_then(|(x, n)| number(bessel::bessel(kind, x, n))),
        EngineeringFn::Convert => number(fn_convert(&a(0), &a(1), &a(2))),
        EngineeringFn::Erfc | EngineeringFn::ErfcPrecise => {
            number(strict_number(&a(0)).map(special::erfc))
        }
    };
    Operand::Value(res.unwrap_or_else(Value::Error))
}

fn number(res: Result<f64, ExcelError>) -> Result<Value, ExcelError> {
    res.map(Value::number)
}

/// A number argument that refuses booleans (`ERF(TRUE)` is `#VALUE!`).
fn strict_number(v: &Value) -> Result<f64, ExcelError> {
    match v {
        Value::Bool(_) => Err(ExcelError::Value),
        other => other.to_number(),
    }
}

/// `ERF(lower_limit, [upper_limit])`: erf(lower), or erf(upper) -
/// erf(lower) when an upper limit is given (an empty cell is 0).
fn fn_erf(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let lower = strict_number(&arg(args, 0, ctx))?;
    if args.len() < 2 {
        return Ok(special::erf(lower));
    }
    let upper = strict_number(&arg(args, 1, ctx))?;
    Ok(special::erf(upper) - special::erf(lower))
}

/// `CONVERT(number, from_unit, to_unit)`: see [`convert::convert`]; a
/// boolean number is `#VALUE!`.
fn fn_convert(n: &Value, from: &Value, to: &Value) -> Result<f64, ExcelError> {
    let n = strict_number(n)?;
    let (from, to) = (from.to_text()?, to.to_text()?);
    convert::convert(n, &from, &to)
}

/// Every value of the arguments, cells of ranges included, for `IMSUM`
/// and `IMPRODUCT`; an empty cell is 0, as Excel's `IMPRODUCT(A8,B8)` of
/// two empty cells is `"0"`.
fn all_values(args: &[Operand], ctx: &dyn Context) -> Vec<Value> {
    let mut out = Vec::new();
    for a in args {
        let skipped = for_each_scalar(a, ctx, |v, _| out.push(v.clone()));
        if skipped > 0 {
            out.push(Value::Empty);
        }
    }
    out
}
