//! Information functions: the IS* family, NA, N, TYPE, ERROR.TYPE, SHEET,
//! SHEETS, CELL, FORMULATEXT, ISFORMULA.
//!
//! Most take one scalar, already dereferenced by the dispatcher: a reference
//! to an empty cell arrives as an empty value (so `ISBLANK(A1)` is TRUE),
//! while a formula's `""` arrives as text (so `ISBLANK("")` is FALSE).
//! `ISREF`, `TYPE`, `SHEET` and `SHEETS` look at the argument itself.

mod cell;
pub(crate) mod formula;
mod sheets;
#[cfg(test)]
mod tests;

use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InformationFn {
    IsBlank,
    IsNumber,
    IsText,
    IsNonText,
    IsLogical,
    IsError,
    IsErr,
    IsNa,
    IsEven,
    IsOdd,
    IsRef,
    Na,
    N,
    Type,
    ErrorType,
    Sheet,
    Sheets,
    Cell,
    FormulaText,
    IsFormula,
}

impl InformationFn {
    /// Every function of this category.
    pub const ALL: &'static [InformationFn] = &[
        InformationFn::IsBlank,
        InformationFn::IsNumber,
        InformationFn::IsText,
        InformationFn::IsNonText,
        InformationFn::IsLogical,
        InformationFn::IsError,
        InformationFn::IsErr,
        InformationFn::IsNa,
        InformationFn::IsEven,
        InformationFn::IsOdd,
        InformationFn::IsRef,
        InformationFn::Na,
        InformationFn::N,
        InformationFn::Type,
        InformationFn::ErrorType,
        InformationFn::Sheet,
        InformationFn::Sheets,
        InformationFn::Cell,
        InformationFn::FormulaText,
        InformationFn::IsFormula,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            InformationFn::IsBlank => "ISBLANK",
            InformationFn::IsNumber => "ISNUMBER",
            InformationFn::IsText => "ISTEXT",
            InformationFn::IsNonText => "ISNONTEXT",
            InformationFn::IsLogical => "ISLOGICAL",
            InformationFn::IsError => "ISERROR",
            InformationFn::IsErr => "ISERR",
            InformationFn::IsNa => "ISNA",
            InformationFn::IsEven => "ISEVEN",
            InformationFn::IsOdd => "ISODD",
            InformationFn::IsRef => "ISREF",
            InformationFn::Na => "NA",
            InformationFn::N => "N",
            InformationFn::Type => "TYPE",
            InformationFn::ErrorType => "ERROR.TYPE",
            InformationFn::Sheet => "SHEET",
            InformationFn::Sheets => "SHEETS",
            InformationFn::Cell => "CELL",
            InformationFn::FormulaText => "FORMULATEXT",
            InformationFn::IsFormula => "ISFORMULA",
        }
    }

    pub fn signature(self) -> Signature {
        const ONE: Signature = Signature::new(1, Some(1), &[Param::Scalar]);
        match self {
            InformationFn::IsRef | InformationFn::Type => Signature::new(1, Some(1), &[Param::Any]),
            InformationFn::FormulaText | InformationFn::IsFormula => {
                Signature::new(1, Some(1), &[Param::Any])
            }
            InformationFn::Na => Signature::new(0, Some(0), &[Param::Scalar]),
            InformationFn::Sheet | InformationFn::Sheets => {
                Signature::new(0, Some(1), &[Param::Any])
            }
            InformationFn::Cell => Signature::new(1, Some(2), &[Param::Scalar, Param::Any]),
            InformationFn::IsBlank | InformationFn::IsNumber | InformationFn::IsText => ONE,
            InformationFn::IsNonText | InformationFn::IsLogical | InformationFn::IsError => ONE,
            InformationFn::IsErr | InformationFn::IsNa | InformationFn::IsEven => ONE,
            InformationFn::IsOdd | InformationFn::N | InformationFn::ErrorType => ONE,
        }
    }
}

pub(crate) fn call(f: InformationFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    let value = || args.first().map(|a| a.to_scalar(ctx)).unwrap_or(Value::Empty);
    let is = |test: fn(&Value) -> bool| Operand::Value(Value::Bool(test(&value())));
    match f {
        InformationFn::IsBlank => is(fn_isblank),
        InformationFn::IsNumber => is(fn_isnumber),
        InformationFn::IsText => is(fn_istext),
        InformationFn::IsNonText => is(fn_isnontext),
        InformationFn::IsLogical => is(fn_islogical),
        InformationFn::IsError => is(fn_iserror),
        InformationFn::IsErr => is(fn_iserr),
        InformationFn::IsNa => is(fn_isna),
        InformationFn::IsEven => fn_iseven(&value()),
        InformationFn::IsOdd => fn_isodd(&value()),
        InformationFn::IsRef => fn_isref(args),
        InformationFn::Na => fn_na(),
        InformationFn::N => fn_n(&value()),
        InformationFn::Type => fn_type(args, ctx),
        InformationFn::ErrorType => fn_error_type(&value()),
        InformationFn::Sheet => Operand::Value(sheets::fn_sheet(args, ctx)),
        InformationFn::Sheets => Operand::Value(sheets::fn_sheets(args, ctx)),
        InformationFn::Cell => Operand::Value(cell::fn_cell(args, ctx)),
        InformationFn::FormulaText => Operand::Value(formula::fn_formulatext(args, ctx)),
        InformationFn::IsFormula => Operand::Value(formula::fn_isformula(args, ctx)),
    }
}

/// `ISBLANK(value)`: TRUE for an empty cell only, not for `""`.
fn fn_isblank(v: &Value) -> bool {
    matches!(v, Value::Empty)
}

/// `ISNUMBER(value)`: TRUE for a number; numeric text is not one.
fn fn_isnumber(v: &Value) -> bool {
    matches!(v, Value::Number(_))
}

/// `ISTEXT(value)`: TRUE for text, `""` included.
fn fn_istext(v: &Value) -> bool {
    matches!(v, Value::Text(_))
}

/// `ISNONTEXT(value)`: TRUE for anything but text, an empty cell included.
fn fn_isnontext(v: &Value) -> bool {
    !matches!(v, Value::Text(_))
}

/// `ISLOGICAL(value)`: TRUE for TRUE and FALSE; the text "TRUE" is not one.
fn fn_islogical(v: &Value) -> bool {
    matches!(v, Value::Bool(_))
}

/// `ISERROR(value)`: TRUE for any error value.
fn fn_iserror(v: &Value) -> bool {
    matches!(v, Value::Error(_))
}

/// `ISERR(value)`: TRUE for any error value except `#N/A`.
fn fn_iserr(v: &Value) -> bool {
    matches!(v, Value::Error(e) if *e != ExcelError::NA)
}

/// `ISNA(value)`: TRUE for `#N/A` only.
fn fn_isna(v: &Value) -> bool {
    matches!(v, Value::Error(ExcelError::NA))
}

/// `NA()`: the error `#N/A`.
fn fn_na() -> Operand {
    Operand::error(ExcelError::NA)
}

/// Whether the integer part of a number is even. Booleans and non-numeric
/// text are `#VALUE!`; an empty value is 0.
fn parity(v: &Value) -> Result<bool, ExcelError> {
    if let Value::Bool(_) = v {
        return Err(ExcelError::Value);
    }
    let n = v.to_number()?.trunc();
    Ok(n % 2.0 == 0.0)
}

/// `ISEVEN(number)`: TRUE for an even integer part (`ISEVEN(2.5)` is TRUE);
/// booleans and non-numeric text are `#VALUE!`.
fn fn_iseven(v: &Value) -> Operand {
    Operand::Value(parity(v).map(Value::Bool).unwrap_or_else(Value::Error))
}

/// `ISODD(number)`: TRUE for an odd integer part; errors as `ISEVEN`.
fn fn_isodd(v: &Value) -> Operand {
    Operand::Value(parity(v).map(|even| Value::Bool(!even)).unwrap_or_else(Value::Error))
}

/// `ISREF(value)`: TRUE when the argument is a reference.
fn fn_isref(args: &[Operand]) -> Operand {
    Operand::Value(Value::Bool(matches!(args.first(), Some(Operand::Ref(_)))))
}

/// `N(value)`: a number as itself, TRUE as 1, anything else that is not an
/// error as 0; an error is itself.
fn fn_n(v: &Value) -> Operand {
    Operand::Value(match v {
        Value::Number(n) => Value::Number(*n),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::Error(e) => Value::Error(*e),
        Value::Empty | Value::Text(_) | Value::Array(_) => Value::Number(0.0),
    })
}

/// `TYPE(value)`: 1 number (and empty), 2 text, 4 logical, 16 error, 64
/// array (or a reference to several cells, as an array formula sees it).
fn fn_type(args: &[Operand], ctx: &dyn Context) -> Operand {
    let value = args.first().map(|a| a.to_value(ctx)).unwrap_or(Value::Empty);
    let code = match value {
        Value::Empty | Value::Number(_) => 1.0,
        Value::Text(_) => 2.0,
        Value::Bool(_) => 4.0,
        Value::Error(_) => 16.0,
        Value::Array(_) => 64.0,
    };
    Operand::Value(Value::Number(code))
}

/// `ERROR.TYPE(error_val)`: the number of an error (`#NULL!` 1 ... `#N/A`
/// 7); anything that is not an error is `#N/A`.
fn fn_error_type(v: &Value) -> Operand {
    Operand::Value(match v {
        Value::Error(e) => Value::Number(e.type_number()),
        _ => Value::Error(ExcelError::NA),
    })
}
