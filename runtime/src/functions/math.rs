//! Math and trigonometry functions, including SUM, SUMIF(S) and SUMPRODUCT.
//!
//! Aggregates walk their arguments with `args`; rounding lives in
//! `rounding`. Scalar functions receive dereferenced scalars (the
//! dispatcher maps them over arrays) and coerce them as arithmetic does.

pub(crate) mod args;
mod circular;
mod hyperbolic;
mod integers;
mod matrix;
mod roman;
mod rounding;
pub mod special;
#[cfg(test)]
mod special_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
mod trig;

use std::f64::consts::PI;

use self::args::{aligned_extent, fold_numbers, Grid, Rule};
use self::integers::{fn_even, fn_fact, fn_gcd, fn_lcm, fn_odd};
use self::rounding::Mode;
use self::special::Squares;
use crate::functions::statistical::conditional::Conditions;
use crate::functions::statistical::{self, StatisticalFn};
use crate::functions::{Param, Signature};
use crate::reference::{CellAddr, Context, Operand, Reference, SheetId};
use crate::value::{ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MathFn {
    Sum,
    SumIf,
    SumIfs,
    SumProduct,
    SumSq,
    Product,
    Abs,
    Sign,
    Round,
    RoundUp,
    RoundDown,
    Int,
    Trunc,
    Mod,
    Sqrt,
    Power,
    Pi,
    Exp,
    Ln,
    Log,
    Log10,
    Ceiling,
    CeilingMath,
    Floor,
    FloorMath,
    CeilingPrecise,
    FloorPrecise,
    IsoCeiling,
    MRound,
    Quotient,
    Even,
    Odd,
    Fact,
    Gcd,
    Lcm,
    Rand,
    RandBetween,
    Sin,
    Cos,
    Tan,
    Atan,
    Atan2,
    Degrees,
    Radians,
    Sinh,
    Cosh,
    Tanh,
    Coth,
    Csch,
    Sech,
    Asinh,
    Acosh,
    Atanh,
    Acoth,
    Cot,
    Csc,
    Sec,
    Asin,
    Acos,
    Acot,
    Roman,
    Arabic,
    Subtotal,
    Base,
    Decimal,
    SqrtPi,
    FactDouble,
    Multinomial,
    SeriesSum,
    Squares(Squares),
    MMult,
    MUnit,
    MDeterm,
    MInverse,
    Combin,
    CombinA,
}

const SCALAR: &[Param] = &[Param::Scalar];
const RANGE: &[Param] = &[Param::Range];
const ONE: Signature = Signature::new(1, Some(1), SCALAR);
const TWO: Signature = Signature::new(2, Some(2), SCALAR);
const AGGREGATE: Signature = Signature::new(1, None, RANGE);

impl MathFn {
    /// Every function of this category.
    pub const ALL: &'static [MathFn] = &[
        MathFn::Sum,
        MathFn::SumIf,
        MathFn::SumIfs,
        MathFn::SumProduct,
        MathFn::SumSq,
        MathFn::Product,
        MathFn::Abs,
        MathFn::Sign,
        MathFn::Round,
        MathFn::RoundUp,
        MathFn::RoundDown,
        MathFn::Int,
        MathFn::Trunc,
        MathFn::Mod,
        MathFn::Sqrt,
        MathFn::Power,
        MathFn::Pi,
        MathFn::Exp,
        MathFn::Ln,
        MathFn::Log,
        MathFn::Log10,
        MathFn::Ceiling,
        MathFn::CeilingMath,
        MathFn::Floor,
        MathFn::FloorMath,
        MathFn::CeilingPrecise,
        MathFn::FloorPrecise,
        MathFn::IsoCeiling,
        MathFn::MRound,
        MathFn::Quotient,
        MathFn::Even,
        MathFn::Odd,
        MathFn::Fact,
        MathFn::Gcd,
        MathFn::Lcm,
        MathFn::Rand,
        MathFn::RandBetween,
        MathFn::Sin,
        MathFn::Cos,
        MathFn::Tan,
        MathFn::Atan,
        MathFn::Atan2,
        MathFn::Degrees,
        MathFn::Radians,
        MathFn::Sinh,
        MathFn::Cosh,
        MathFn::Tanh,
        MathFn::Coth,
        MathFn::Csch,
        MathFn::Sech,
        MathFn::Asinh,
        MathFn::Acosh,
        MathFn::Atanh,
        MathFn::Acoth,
        MathFn::Cot,
        MathFn::Csc,
        MathFn::Sec,
        MathFn::Asin,
        MathFn::Acos,
        MathFn::Acot,
        MathFn::Roman,
        MathFn::Arabic,
        MathFn::Subtotal,
        MathFn::Base,
        MathFn::Decimal,
        MathFn::SqrtPi,
        MathFn::FactDouble,
        MathFn::Multinomial,
        MathFn::SeriesSum,
        MathFn::Squares(Squares::DifferenceOfSquares),
        MathFn::Squares(Squares::SumOfSquares),
        MathFn::Squares(Squares::SquaredDifference),
        MathFn::MMult,
        MathFn::MUnit,
        MathFn::MDeterm,
        MathFn::MInverse,
        MathFn::Combin,
        MathFn::CombinA,
    ];

    /// Excel's name of the function.
    // One arm per function: the exhaustive match is the name table, so it
    // grows with the category rather than being split.
    pub fn name(self) -> &'static str {
        match self {
            MathFn::Sum => "SUM",
            MathFn::SumIf => "SUMIF",
            MathFn::SumIfs => "SUMIFS",
            MathFn::SumProduct => "SUMPRODUCT",
            MathFn::SumSq => "SUMSQ",
            MathFn::Product => "PRODUCT",
            MathFn::Abs => "ABS",
            MathFn::Sign => "SIGN",
            MathFn::Round => "ROUND",
            MathFn::RoundUp => "ROUNDUP",
            MathFn::RoundDown => "ROUNDDOWN",
            MathFn::Int => "INT",
            MathFn::Trunc => "TRUNC",
            MathFn::Mod => "MOD",
            MathFn::Sqrt => "SQRT",
            MathFn::Power => "POWER",
            MathFn::Pi => "PI",
            MathFn::Exp => "EXP",
            MathFn::Ln => "LN",
            MathFn::Log => "LOG",
            MathFn::Log10 => "LOG10",
            MathFn::Ceiling => "CEILING",
            MathFn::CeilingMath => "CEILING.MATH",
            MathFn::Floor => "FLOOR",
            MathFn::FloorMath => "FLOOR.MATH",
            MathFn::CeilingPrecise => "CEILING.PRECISE",
            MathFn::FloorPrecise => "FLOOR.PRECISE",
            MathFn::IsoCeiling => "ISO.CEILING",
            MathFn::MRound => "MROUND",
            MathFn::Quotient => "QUOTIENT",
            MathFn::Even => "EVEN",
            MathFn::Odd => "ODD",
            MathFn::Fact => "FACT",
            MathFn::Gcd => "GCD",
            MathFn::Lcm => "LCM",
            MathFn::Rand => "RAND",
            MathFn::RandBetween => "RANDBETWEEN",
            MathFn::Sin => "SIN",
            MathFn::Cos => "COS",
            MathFn::Tan => "TAN",
            MathFn::Atan => "ATAN",
            MathFn::Atan2 => "ATAN2",
            MathFn::Degrees => "DEGREES",
            MathFn::Radians => "RADIANS",
            MathFn::Sinh => "SINH",
            MathFn::Cosh => "COSH",
            MathFn::Tanh => "TANH",
            MathFn::Coth => "COTH",
            MathFn::Csch => "CSCH",
            MathFn::Sech => "SECH",
            MathFn::Asinh => "ASINH",
            MathFn::Acosh => "ACOSH",
            MathFn::Atanh => "ATANH",
            MathFn::Acoth => "ACOTH",
            MathFn::Cot => "COT",
            MathFn::Csc => "CSC",
            MathFn::Sec => "SEC",
            MathFn::Asin => "ASIN",
            MathFn::Acos => "ACOS",
            MathFn::Acot => "ACOT",
            MathFn::Roman => "ROMAN",
            MathFn::Arabic => "ARABIC",
            MathFn::Subtotal => "SUBTOTAL",
            MathFn::Base => "BASE",
            MathFn::Decimal => "DECIMAL",
            MathFn::SqrtPi => "SQRTPI",
            MathFn::FactDouble => "FACTDOUBLE",
            MathFn::Multinomial => "MULTINOMIAL",
            MathFn::SeriesSum => "SERIESSUM",
            MathFn::Squares(Squares::DifferenceOfSquares) => "SUMX2MY2",
            MathFn::Squares(Squares::SumOfSquares) => "SUMX2PY2",
            MathFn::Squares(Squares::SquaredDifference) => "SUMXMY2",
            MathFn::MMult => "MMULT",
            MathFn::MUnit => "MUNIT",
            MathFn::MDeterm => "MDETERM",
            MathFn::MInverse => "MINVERSE",
            MathFn::Combin => "COMBIN",
            MathFn::CombinA => "COMBINA",
        }
    }

    pub fn signature(self) -> Signature {
        use Param::{Range, Scalar};
        match self {
            MathFn::Sum | MathFn::SumSq | MathFn::Product => AGGREGATE,
            // Excel evaluates SUMPRODUCT's arguments as arrays even in a plain formula.
            MathFn::SumProduct => Signature::new(1, Some(255), &[Param::Array]),
            MathFn::Gcd | MathFn::Lcm => AGGREGATE,
            MathFn::SumIf => Signature::new(2, Some(3), &[Range, Scalar, Range]),
            MathFn::SumIfs => Signature::new(3, None, &[Range, Range, Scalar]).repeating(2),
            MathFn::Round | MathFn::RoundUp | MathFn::RoundDown => TWO,
            MathFn::Mod | MathFn::Power | MathFn::Quotient | MathFn::Atan2 => TWO,
            MathFn::Ceiling | MathFn::Floor | MathFn::MRound => TWO,
            MathFn::Trunc | MathFn::Log => Signature::new(1, Some(2), SCALAR),
            MathFn::CeilingMath | MathFn::FloorMath => Signature::new(1, Some(3), SCALAR),
            MathFn::CeilingPrecise | MathFn::FloorPrecise | MathFn::IsoCeiling => {
                Signature::new(1, Some(2), SCALAR)
            }
            MathFn::Pi => Signature::new(0, Some(0), SCALAR),
            MathFn::Rand => Signature::new(0, Some(0), SCALAR).volatile(),
            MathFn::RandBetween => TWO.volatile(),
            MathFn::Subtotal => Signature::new(2, None, &[Scalar, Range]),
            MathFn::Abs | MathFn::Sign | MathFn::Int | MathFn::Sqrt | MathFn::Exp => ONE,
            MathFn::Ln | MathFn::Log10 | MathFn::Even | MathFn::Odd | MathFn::Fact => ONE,
            MathFn::Sin | MathFn::Cos | MathFn::Tan | MathFn::Atan => ONE,
            MathFn::Degrees | MathFn::Radians => ONE,
            MathFn::Sinh | MathFn::Cosh | MathFn::Tanh => ONE,
            MathFn::Coth | MathFn::Csch | MathFn::Sech => ONE,
            MathFn::Asinh | MathFn::Acosh | MathFn::Atanh | MathFn::Acoth => ONE,
            MathFn::Cot | MathFn::Csc | MathFn::Sec => ONE,
            MathFn::Asin | MathFn::Acos | MathFn::Acot => ONE,
            MathFn::Roman => Signature::new(1, Some(2), SCALAR),
            MathFn::Arabic => ONE,
            MathFn::Base => Signature::new(2, Some(3), SCALAR),
            MathFn::Combin | MathFn::CombinA => TWO,
            MathFn::Decimal => TWO,
            MathFn::SqrtPi | MathFn::FactDouble | MathFn::MUnit => ONE,
            MathFn::Multinomial => AGGREGATE,
            MathFn::SeriesSum => Signature::new(4, Some(4), &[Scalar, Scalar, Scalar, Range]),
            MathFn::Squares(_) | MathFn::MMult => {
                Signature::new(2, Some(2), &[Param::Array, Param::Array])
            }
            MathFn::MDeterm | MathFn::MInverse => Signature::new(1, Some(1), &[Param::Array]),
        }
    }
}

// One arm per function: the exhaustive match is the dispatch table, so it
// grows with the category rather than being split.
pub(crate) fn call(f: MathFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        MathFn::Sum => fn_sum(args, ctx),
        MathFn::SumIf => fn_sumif(args, ctx),
        MathFn::SumIfs => fn_sumifs(args, ctx),
        MathFn::SumProduct => fn_sumproduct(args, ctx),
        MathFn::SumSq => fn_sumsq(args, ctx),
        MathFn::Product => fn_product(args, ctx),
        MathFn::Abs => unary(args, ctx, fn_abs),
        MathFn::Sign => unary(args, ctx, fn_sign),
        MathFn::Round => fn_round(args, ctx),
        MathFn::RoundUp => fn_roundup(args, ctx),
        MathFn::RoundDown => fn_rounddown(args, ctx),
        MathFn::Int => unary(args, ctx, fn_int),
        MathFn::Trunc => fn_trunc(args, ctx),
        MathFn::Mod => binary(args, ctx, fn_mod),
        MathFn::Sqrt => unary(args, ctx, fn_sqrt),
        MathFn::Power => binary(args, ctx, fn_power),
        MathFn::Pi => fn_pi(),
        MathFn::Exp => unary(args, ctx, fn_exp),
        MathFn::Ln => unary(args, ctx, fn_ln),
        MathFn::Log => fn_log(args, ctx),
        MathFn::Log10 => unary(args, ctx, fn_log10),
        MathFn::Ceiling => binary(args, ctx, fn_ceiling),
        MathFn::CeilingMath => fn_ceiling_math(args, ctx),
        MathFn::Floor => binary(args, ctx, fn_floor),
        MathFn::FloorMath => fn_floor_math(args, ctx),
        MathFn::CeilingPrecise | MathFn::IsoCeiling => fn_ceiling_precise(args, ctx),
        MathFn::FloorPrecise => fn_floor_precise(args, ctx),
        MathFn::MRound => fn_mround(args, ctx),
        MathFn::Quotient => strict_binary(args, ctx, fn_quotient),
        MathFn::Even => unary(args, ctx, fn_even),
        MathFn::Odd => unary(args, ctx, fn_odd),
        MathFn::Fact => unary(args, ctx, fn_fact),
        MathFn::Gcd => fn_gcd(args, ctx),
        MathFn::Lcm => fn_lcm(args, ctx),
        MathFn::Rand => fn_rand(),
        MathFn::RandBetween => binary(args, ctx, fn_randbetween),
        MathFn::Sin => unary(args, ctx, fn_sin),
        MathFn::Cos => unary(args, ctx, fn_cos),
        MathFn::Tan => unary(args, ctx, fn_tan),
        MathFn::Atan => unary(args, ctx, fn_atan),
        MathFn::Atan2 => binary(args, ctx, fn_atan2),
        MathFn::Degrees => unary(args, ctx, fn_degrees),
        MathFn::Radians => unary(args, ctx, fn_radians),
        MathFn::Sinh => unary(args, ctx, hyperbolic::fn_sinh),
        MathFn::Cosh => unary(args, ctx, hyperbolic::fn_cosh),
        MathFn::Tanh => unary(args, ctx, hyperbolic::fn_tanh),
        MathFn::Coth => unary(args, ctx, hyperbolic::fn_coth),
        MathFn::Csch => unary(args, ctx, hyperbolic::fn_csch),
        MathFn::Sech => unary(args, ctx, hyperbolic::fn_sech),
        MathFn::Asinh => unary(args, ctx, hyperbolic::fn_asinh),
        MathFn::Acosh => unary(args, ctx, hyperbolic::fn_acosh),
        MathFn::Atanh => unary(args, ctx, hyperbolic::fn_atanh),
        MathFn::Acoth => unary(args, ctx, hyperbolic::fn_acoth),
        MathFn::Cot => unary(args, ctx, circular::fn_cot),
        MathFn::Csc => unary(args, ctx, circular::fn_csc),
        MathFn::Sec => unary(args, ctx, circular::fn_sec),
        MathFn::Asin => unary(args, ctx, circular::fn_asin),
        MathFn::Acos => unary(args, ctx, circular::fn_acos),
        MathFn::Acot => unary(args, ctx, circular::fn_acot),
        MathFn::Roman => fn_roman(args, ctx),
        MathFn::Arabic => Operand::Value(roman::arabic(&scalar_arg(args, 0, ctx))),
        MathFn::Subtotal => fn_subtotal(args, ctx),
        MathFn::Base => value_result(special::fn_base(args, ctx)),
        MathFn::Decimal => number_result(special::fn_decimal(args, ctx)),
        MathFn::SqrtPi => number_result(strict(args, 0, ctx).and_then(special::sqrtpi)),
        MathFn::FactDouble => number_result(strict(args, 0, ctx).and_then(special::factdouble)),
        MathFn::Multinomial => number_result(special::multinomial(args, ctx)),
        MathFn::SeriesSum => number_result(special::fn_seriessum(args, ctx)),
        MathFn::Squares(kind) => number_result(special::squares(kind, args, ctx)),
        MathFn::MMult => value_result(matrix::mmult(args, ctx)),
        MathFn::MUnit => value_result(scalar_arg(args, 0, ctx).to_number().and_then(matrix::munit)),
        MathFn::MDeterm => number_result(matrix::mdeterm(args, ctx)),
        MathFn::MInverse => value_result(matrix::minverse(args, ctx)),
        MathFn::Combin => binary(args, ctx, |n, k| number_value(special::combin(n, k))),
        MathFn::CombinA => binary(args, ctx, |n, k| number_value(special::combina(n, k))),
    }
}

/// The scalar argument at `index` (empty when omitted).
pub(crate) fn scalar_arg(args: &[Operand], index: usize, ctx: &dyn Context) -> Value {
    args.get(index).map(|a| a.to_scalar(ctx)).unwrap_or(Value::Empty)
}

/// The argument at `index` as a number, or `default` when it is not given.
pub(crate) fn number_arg(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    match args.get(index) {
        Some(a) => a.to_scalar(ctx).to_number(),
        None => Ok(default),
    }
}

/// A number result as a value, or the error.
fn number_value(res: Result<f64, ExcelError>) -> Value {
    res.map(Value::number).unwrap_or_else(Value::Error)
}

/// A value result, or the error.
fn value_result(res: Result<Value, ExcelError>) -> Operand {
    Operand::Value(res.unwrap_or_else(Value::Error))
}

/// The scalar argument at `index` as a number, refusing booleans
/// (`SQRTPI(TRUE)` is `#VALUE!`).
pub(crate) fn strict(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<f64, ExcelError> {
    match scalar_arg(args, index, ctx) {
        Value::Bool(_) => Err(ExcelError::Value),
        v => v.to_number(),
    }
}

/// A number result, or the error.
pub(crate) fn number_result(res: Result<f64, ExcelError>) -> Operand {
    Operand::Value(res.map(Value::number).unwrap_or_else(Value::Error))
}

fn unary(args: &[Operand], ctx: &dyn Context, f: impl Fn(f64) -> Value) -> Operand {
    match scalar_arg(args, 0, ctx).to_number() {
        Ok(n) => Operand::Value(f(n)),
        Err(e) => Operand::error(e),
    }
}

fn binary(args: &[Operand], ctx: &dyn Context, f: impl Fn(f64, f64) -> Value) -> Operand {
    let a = scalar_arg(args, 0, ctx).to_number();
    let b = scalar_arg(args, 1, ctx).to_number();
    match (a, b) {
        (Ok(a), Ok(b)) => Operand::Value(f(a, b)),
        (Err(e), _) | (_, Err(e)) => Operand::error(e),
    }
}

/// [`binary`] for functions that refuse booleans (`MROUND`, `QUOTIENT`):
/// a boolean argument, given directly or from a cell, is `#VALUE!`.
fn strict_binary(args: &[Operand], ctx: &dyn Context, f: impl Fn(f64, f64) -> Value) -> Operand {
    let number = |i| match scalar_arg(args, i, ctx) {
        Value::Bool(_) => Err(ExcelError::Value),
        v => v.to_number(),
    };
    match (number(0), number(1)) {
        (Ok(a), Ok(b)) => Operand::Value(f(a, b)),
        (Err(e), _) | (_, Err(e)) => Operand::error(e),
    }
}

/// `SUM(number1, [number2], ...)`: adds numbers; in references and arrays
/// only numbers count, direct text is parsed and booleans count as 0/1
/// (`=SUM("3",A1)` with A1 holding the text "3" is 3); the first error wins.
fn fn_sum(args: &[Operand], ctx: &dyn Context) -> Operand {
    let mut total = 0.0;
    number_result(fold_numbers(args, ctx, Rule::Plain, |n| total += n).map(|()| total))
}

/// `SUMSQ(number1, ...)`: the sum of squares, with `SUM`'s rules.
fn fn_sumsq(args: &[Operand], ctx: &dyn Context) -> Operand {
    let mut total = 0.0;
    number_result(fold_numbers(args, ctx, Rule::Plain, |n| total += n * n).map(|()| total))
}

/// `PRODUCT(number1, ...)`: multiplies numbers with `SUM`'s rules; no
/// numbers at all give 0.
fn fn_product(args: &[Operand], ctx: &dyn Context) -> Operand {
    let (mut product, mut any) = (1.0, false);
    let res = fold_numbers(args, ctx, Rule::Plain, |n| {
        product *= n;
        any = true;
    });
    number_result(res.map(|()| if any { product } else { 0.0 }))
}

/// `SUMIF(range, criteria, [sum_range])`: adds the cells of `sum_range`
/// (read from its top-left cell with `range`'s shape; `range` itself when
/// omitted) where `range` meets the criterion. Text and booleans in the sum
/// range are skipped; an error in a summed cell is the result.
fn fn_sumif(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(Conditions::single(args, ctx).and_then(|c| c.numbers(ctx)).map(sum))
}

/// `SUMIFS(sum_range, criteria_range1, criteria1, ...)`: adds where every
/// criterion holds; ranges of different shapes are `#VALUE!`.
fn fn_sumifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    number_result(Conditions::target_first(args, ctx).and_then(|c| c.numbers(ctx)).map(sum))
}

fn sum(values: Vec<f64>) -> f64 {
    values.iter().sum()
}

/// `SUMPRODUCT(array1, [array2], ...)`: multiplies the arrays element by
/// element and adds the products. Arrays of different shapes are `#VALUE!`;
/// anything that is not a number (text, booleans, empty) counts as 0; an
/// error is the result. Whole columns cost only their used rows.
fn fn_sumproduct(args: &[Operand], ctx: &dyn Context) -> Operand {
    let grids: Result<Vec<Grid<'_>>, ExcelError> = args.iter().map(Grid::of).collect();
    let grids = match grids {
        Ok(g) => g,
        Err(e) => return Operand::error(e),
    };
    let shape = grids.first().map(Grid::shape);
    if grids.iter().any(|g| Some(g.shape()) != shape) {
        return Operand::error(ExcelError::Value);
    }
    let ((rows, cols), _) = aligned_extent(&grids, ctx);
    let mut total = 0.0;
    for row in 0..rows {
        for col in 0..cols {
            let mut product = 1.0;
            for grid in &grids {
                match grid.get(row, col, ctx) {
                    Value::Number(n) => product *= n,
                    Value::Error(e) => return Operand::error(e),
                    _ => product = 0.0,
                }
            }
            total += product;
        }
    }
    number_result(Ok(total))
}

/// `ABS(number)`: the absolute value.
fn fn_abs(n: f64) -> Value {
    Value::number(n.abs())
}

/// `SIGN(number)`: 1, 0 or -1.
fn fn_sign(n: f64) -> Value {
    Value::Number(if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    })
}

/// `INT(number)`: down to the next integer (`INT(-8.9)` is -9).
fn fn_int(n: f64) -> Value {
    Value::number(n.floor())
}

/// `POWER(number, power)`: as the `^` operator (`POWER(0,0)` is `#NUM!`).
fn fn_power(n: f64, power: f64) -> Value {
    crate::ops::power(n, power)
}

/// `PI()`: π to double precision.
fn fn_pi() -> Operand {
    Operand::Value(Value::Number(PI))
}

/// `EXP(number)`: e raised to `number`; overflow is `#NUM!`. Excel has no
/// subnormal numbers: a result below the smallest normal double
/// (2.2250738585072014e-308) is 0, so `EXP(-745)` is 0, not 5e-324.
fn fn_exp(n: f64) -> Value {
    Value::number(flush_subnormal(n.exp()))
}

/// 0 for a subnormal double, which Excel never produces.
fn flush_subnormal(n: f64) -> f64 {
    if n.is_subnormal() {
        0.0
    } else {
        n
    }
}

/// `LN(number)`: the natural logarithm; a non-positive number is `#NUM!`.
fn fn_ln(n: f64) -> Value {
    positive(n, n.ln())
}

/// `LOG10(number)`: the base-10 logarithm; a non-positive number is `#NUM!`.
fn fn_log10(n: f64) -> Value {
    positive(n, n.log10())
}

/// `CEILING(number, significance)`: see [`rounding::ceiling`].
fn fn_ceiling(n: f64, significance: f64) -> Value {
    rounding::ceiling(n, significance)
}

/// `FLOOR(number, significance)`: see [`rounding::floor`].
fn fn_floor(n: f64, significance: f64) -> Value {
    rounding::floor(n, significance)
}

/// `MROUND(number, multiple)`: see [`rounding::mround`]. Unlike most math
/// functions it refuses booleans, even from cells (`#VALUE!`). An omitted
/// argument (`=MROUND(,5)`) is `#N/A`; lowering turns it into that error.
fn fn_mround(args: &[Operand], ctx: &dyn Context) -> Operand {
    strict_binary(args, ctx, rounding::mround)
}

/// The cells `SUBTOTAL` sees: empty where a cell holds a `SUBTOTAL` formula
/// or its row is filtered out, or hidden at all when `skip_hidden`.
struct Shown<'c> {
    inner: &'c dyn Context,
    skip_hidden: bool,
}

impl Shown<'_> {
    fn skips(&self, addr: CellAddr) -> bool {
        let hidden = self.inner.hidden_row(addr.sheet, addr.row);
        hidden.is_some_and(|h| h.filtered || self.skip_hidden) || self.inner.is_subtotal(addr)
    }
}

impl Context for Shown<'_> {
    fn cell(&self, addr: CellAddr) -> Value {
        if self.skips(addr) {
            Value::Empty
        } else {
            self.inner.cell(addr)
        }
    }

    fn held(&self, addr: CellAddr) -> Value {
        if self.skips(addr) {
            Value::Empty
        } else {
            self.inner.held(addr)
        }
    }

    fn used_extent(&self, sheet: SheetId) -> (u32, u32) {
        self.inner.used_extent(sheet)
    }

    fn sheet_id(&self, name: &str) -> Option<SheetId> {
        self.inner.sheet_id(name)
    }

    fn sheet_name(&self, sheet: SheetId) -> Option<&str> {
        self.inner.sheet_name(sheet)
    }

    fn defined_name(&self, name: &str, sheet: SheetId) -> Option<Reference> {
        self.inner.defined_name(name, sheet)
    }

    fn current_cell(&self) -> CellAddr {
        self.inner.current_cell()
    }

    fn date_1904(&self) -> bool {
        self.inner.date_1904()
    }

    fn date_order(&self) -> crate::ir::DateOrder {
        self.inner.date_order()
    }

    fn source_formula(&self, cell: CellAddr) -> Option<&crate::ir::SourceFormula> {
        self.inner.source_formula(cell)
    }

    fn is_subtotal(&self, cell: CellAddr) -> bool {
        self.inner.is_subtotal(cell)
    }

    fn hidden_row(&self, sheet: SheetId, row: u32) -> Option<crate::ir::HiddenRow> {
        self.inner.hidden_row(sheet, row)
    }
}

/// `RAND()`: a uniformly distributed number in [0, 1), new at each call.
fn fn_rand() -> Operand {
    Operand::Value(Value::Number(random_unit()))
}

/// `SIN(number)`: the sine of an angle in radians; `#NUM!` from 2^27 on.
fn fn_sin(n: f64) -> Value {
    trig(n, trig::sin)
}

/// `COS(number)`: the cosine of an angle in radians; `#NUM!` from 2^27 on.
fn fn_cos(n: f64) -> Value {
    trig(n, trig::cos)
}

/// `TAN(number)`: the tangent of an angle in radians; `#NUM!` from 2^27 on.
fn fn_tan(n: f64) -> Value {
    trig(n, trig::tan)
}

/// `ATAN(number)`: the arctangent, in radians between -π/2 and π/2.
fn fn_atan(n: f64) -> Value {
    Value::number(n.atan())
}

/// `DEGREES(angle)`: radians to degrees.
fn fn_degrees(n: f64) -> Value {
    Value::number(n.to_degrees())
}

/// `RADIANS(angle)`: degrees to radians.
fn fn_radians(n: f64) -> Value {
    Value::number(n.to_radians())
}

/// `ROUND(number, num_digits)`: half away from zero on the 15-digit decimal
/// value, so `ROUND(2.675,2)` is 2.68; negative digits round left of the point.
fn fn_round(args: &[Operand], ctx: &dyn Context) -> Operand {
    binary(args, ctx, |n, d| rounding::round(n, d, Mode::HalfAway))
}

/// `ROUNDUP(number, num_digits)`: away from zero.
fn fn_roundup(args: &[Operand], ctx: &dyn Context) -> Operand {
    binary(args, ctx, |n, d| rounding::round(n, d, Mode::Up))
}

/// `ROUNDDOWN(number, num_digits)`: toward zero.
fn fn_rounddown(args: &[Operand], ctx: &dyn Context) -> Operand {
    binary(args, ctx, |n, d| rounding::round(n, d, Mode::Down))
}

/// `TRUNC(number, [num_digits])`: toward zero, 0 digits by default.
fn fn_trunc(args: &[Operand], ctx: &dyn Context) -> Operand {
    let n = number_arg(args, 0, 0.0, ctx);
    let digits = number_arg(args, 1, 0.0, ctx);
    match (n, digits) {
        (Ok(n), Ok(d)) => Operand::Value(rounding::round(n, d, Mode::Down)),
        (Err(e), _) | (_, Err(e)) => Operand::error(e),
    }
}

/// `MOD(number, divisor)`: the remainder with the divisor's sign
/// (`MOD(-3,2)` is 1); a zero divisor is `#DIV/0!`.
///
/// Excel computes the exact remainder of the two doubles (as `fmod` does)
/// and then adds the divisor when the signs differ, rather than
/// `n - d*INT(n/d)` whose product rounds: `MOD(10.0000000001,0.1)` is
/// 9.999945316252479e-11 and `MOD(5,-1e-10)` is -1.821609865774887e-16.
fn fn_mod(n: f64, d: f64) -> Value {
    if d == 0.0 {
        return Value::Error(ExcelError::Div0);
    }
    let r = n % d;
    Value::number(if r != 0.0 && (r < 0.0) != (d < 0.0) { r + d } else { r })
}

/// `SQRT(number)`: `#NUM!` for a negative number.
fn fn_sqrt(n: f64) -> Value {
    if n < 0.0 {
        Value::Error(ExcelError::Num)
    } else {
        Value::number(n.sqrt())
    }
}

/// `result` when `n` is positive, else `#NUM!` (logarithms).
fn positive(n: f64, result: f64) -> Value {
    if n > 0.0 {
        Value::number(result)
    } else {
        Value::Error(ExcelError::Num)
    }
}

/// `LOG(number, [base])`: base 10 by default; a non-positive number or base
/// is `#NUM!`, base 1 `#DIV/0!`.
fn fn_log(args: &[Operand], ctx: &dyn Context) -> Operand {
    let n = number_arg(args, 0, 0.0, ctx);
    let base = number_arg(args, 1, 10.0, ctx);
    let res = match (n, base) {
        (Err(e), _) | (_, Err(e)) => Value::Error(e),
        (Ok(n), Ok(b)) if n <= 0.0 || b <= 0.0 => Value::Error(ExcelError::Num),
        (Ok(n), Ok(b)) => {
            let denominator = b.ln();
            if denominator == 0.0 {
                Value::Error(ExcelError::Div0)
            } else {
                Value::number(n.ln() / denominator)
            }
        }
    };
    Operand::Value(res)
}

/// `CEILING.MATH(number, [significance], [mode])`: up to a multiple of
/// `|significance|` (1 by default); a non-zero mode rounds negative numbers
/// away from zero.
fn fn_ceiling_math(args: &[Operand], ctx: &dyn Context) -> Operand {
    math_rounding(args, ctx, true)
}

/// `FLOOR.MATH(number, [significance], [mode])`: down to a multiple of
/// `|significance|` (1 by default); a non-zero mode rounds negative numbers
/// toward zero.
fn fn_floor_math(args: &[Operand], ctx: &dyn Context) -> Operand {
    math_rounding(args, ctx, false)
}

/// `ROMAN(number, [form])`: see [`roman::roman`]; an omitted form is 0,
/// TRUE is 0 and FALSE is 4.
fn fn_roman(args: &[Operand], ctx: &dyn Context) -> Operand {
    let form = match scalar_arg(args, 1, ctx) {
        Value::Bool(classic) => Ok(if classic { 0.0 } else { 4.0 }),
        Value::Empty => Ok(0.0),
        other => other.to_number(),
    };
    match (scalar_arg(args, 0, ctx).to_number(), form) {
        (Ok(n), Ok(form)) => Operand::Value(roman::roman(n, form)),
        (Err(e), _) | (_, Err(e)) => Operand::error(e),
    }
}

/// `CEILING.PRECISE(number, [significance])` and `ISO.CEILING`: up (toward
/// +∞) to a multiple of `|significance|` (1 by default), as `CEILING.MATH`
/// without a mode; a zero significance gives 0.
fn fn_ceiling_precise(args: &[Operand], ctx: &dyn Context) -> Operand {
    math_rounding(args, ctx, true)
}

/// `FLOOR.PRECISE(number, [significance])`: down (toward -∞) to a multiple
/// of `|significance|` (1 by default), as `FLOOR.MATH` without a mode.
fn fn_floor_precise(args: &[Operand], ctx: &dyn Context) -> Operand {
    math_rounding(args, ctx, false)
}

fn math_rounding(args: &[Operand], ctx: &dyn Context, up: bool) -> Operand {
    let n = number_arg(args, 0, 0.0, ctx);
    let significance = number_arg(args, 1, 1.0, ctx);
    let mode = number_arg(args, 2, 0.0, ctx);
    match (n, significance, mode) {
        (Ok(n), Ok(s), Ok(m)) => Operand::Value(rounding::math_rounding(n, s, m, up)),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Operand::error(e),
    }
}

/// `QUOTIENT(numerator, denominator)`: the integer part of the division;
/// a zero denominator is `#DIV/0!`.
fn fn_quotient(n: f64, d: f64) -> Value {
    if d == 0.0 {
        Value::Error(ExcelError::Div0)
    } else {
        Value::number((n / d).trunc())
    }
}

/// A uniformly distributed number in [0, 1). Seeded per call from the
/// standard library's randomly keyed hasher, which is enough for `RAND`:
/// workbooks that use it in cells `OUT` depends on are refused at upload.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let bits = RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// `RANDBETWEEN(bottom, top)`: a random integer in `[ceil(bottom),
/// floor(top)]`; an empty interval is `#NUM!`.
fn fn_randbetween(bottom: f64, top: f64) -> Value {
    let (low, high) = (bottom.ceil(), top.floor());
    if low > high {
        return Value::Error(ExcelError::Num);
    }
    Value::number(low + (random_unit() * (high - low + 1.0)).floor())
}

/// SIN, COS and TAN refuse arguments of 2^27 and more with `#NUM!`, as Excel
/// does (`=COS(2^27-1)` computes, `=COS(2^27)` is `#NUM!`).
fn trig(n: f64, f: impl Fn(f64) -> f64) -> Value {
    if n.abs() >= 134_217_728.0 {
        Value::Error(ExcelError::Num)
    } else {
        Value::number(f(n))
    }
}

/// `ATAN2(x_num, y_num)`: the angle of the point (x, y); both zero is `#DIV/0!`.
fn fn_atan2(x: f64, y: f64) -> Value {
    if x == 0.0 && y == 0.0 {
        Value::Error(ExcelError::Div0)
    } else {
        Value::number(y.atan2(x))
    }
}

/// `SUBTOTAL(function_num, ref1, ...)`: 1-11 (and 101-111) select AVERAGE,
/// COUNT, COUNTA, MAX, MIN, PRODUCT, STDEV, STDEVP, SUM, VAR, VARP; any other
/// number is `#VALUE!`. The references skip cells holding `SUBTOTAL`
/// formulas and the rows a filter hides; 101-111 also skip rows hidden by
/// hand (Excel: calc_test_no_export/tables.xlsx).
fn fn_subtotal(args: &[Operand], ctx: &dyn Context) -> Operand {
    let code = match scalar_arg(args, 0, ctx).to_number() {
        Ok(n) => n.trunc() as i64,
        Err(e) => return Operand::error(e),
    };
    let rest = args.get(1..).unwrap_or(&[]);
    let shown = Shown { inner: ctx, skip_hidden: code > 100 };
    let ctx: &dyn Context = &shown;
    let stat = |f: StatisticalFn| statistical::call(f, rest, ctx);
    let base = match code {
        1..=11 => code,
        101..=111 => code - 100,
        _ => return Operand::error(ExcelError::Value),
    };
    match base {
        1 => stat(StatisticalFn::Average),
        2 => stat(StatisticalFn::Count),
        3 => stat(StatisticalFn::CountA),
        4 => stat(StatisticalFn::Max),
        5 => stat(StatisticalFn::Min),
        6 => fn_product(rest, ctx),
        7 => stat(StatisticalFn::StDev),
        8 => stat(StatisticalFn::StDevP),
        9 => fn_sum(rest, ctx),
        10 => stat(StatisticalFn::Var),
        _ => stat(StatisticalFn::VarP),
    }
}
