//! Logical functions: IF, IFS, IFERROR, IFNA, AND, OR, NOT, XOR, SWITCH, TRUE,
//! FALSE, and the helpers that apply a `LAMBDA`: MAP, REDUCE, SCAN, BYROW,
//! BYCOL and MAKEARRAY.
//!
//! The lambda helpers evaluate the lambda's body, which only an evaluator
//! can do: evaluators apply them themselves, and here they are `#CALC!`.
//!
//! Evaluators skip the untaken branches of `IF`, `IFS`, `IFERROR`, `IFNA`
//! and `SWITCH` themselves when the deciding arguments are scalars; the eager
//! versions here serve the array case. With a scalar condition the chosen
//! branch is returned as it is (a reference stays a reference, so
//! `=SUM(IF(A1>0,B1:B3,C1:C3))` sums a range). With an array condition the
//! function applies element by element, indexing array branches at the same
//! position, as an array formula does: `=SUMPRODUCT(IF(A1:A3>1,1,0))` counts
//! the cells above 1, and `IF({TRUE,FALSE},{1,2},{3,4})` is `{1,4}`.

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::compare::excel_eq;
use crate::functions::math::args::{for_each_scalar, Origin};
use crate::functions::{array_element, Param, Signature};
use crate::reference::{Context, Operand, Reference};
use crate::value::{Array, ExcelError, Value};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogicalFn {
    If,
    Ifs,
    IfError,
    IfNa,
    And,
    Or,
    Not,
    Xor,
    Switch,
    True,
    False,
    Map,
    Reduce,
    Scan,
    ByRow,
    ByCol,
    MakeArray,
}

impl LogicalFn {
    /// Every function of this category.
    pub const ALL: &'static [LogicalFn] = &[
        LogicalFn::If,
        LogicalFn::Ifs,
        LogicalFn::IfError,
        LogicalFn::IfNa,
        LogicalFn::And,
        LogicalFn::Or,
        LogicalFn::Not,
        LogicalFn::Xor,
        LogicalFn::Switch,
        LogicalFn::True,
        LogicalFn::False,
        LogicalFn::Map,
        LogicalFn::Reduce,
        LogicalFn::Scan,
        LogicalFn::ByRow,
        LogicalFn::ByCol,
        LogicalFn::MakeArray,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            LogicalFn::If => "IF",
            LogicalFn::Ifs => "IFS",
            LogicalFn::IfError => "IFERROR",
            LogicalFn::IfNa => "IFNA",
            LogicalFn::And => "AND",
            LogicalFn::Or => "OR",
            LogicalFn::Not => "NOT",
            LogicalFn::Xor => "XOR",
            LogicalFn::Switch => "SWITCH",
            LogicalFn::True => "TRUE",
            LogicalFn::False => "FALSE",
            LogicalFn::Map => "MAP",
            LogicalFn::Reduce => "REDUCE",
            LogicalFn::Scan => "SCAN",
            LogicalFn::ByRow => "BYROW",
            LogicalFn::ByCol => "BYCOL",
            LogicalFn::MakeArray => "MAKEARRAY",
        }
    }

    pub fn signature(self) -> Signature {
        const ANY: &[Param] = &[Param::Any];
        match self {
            LogicalFn::If => Signature::new(2, Some(3), ANY),
            LogicalFn::Ifs => Signature::new(2, None, ANY),
            LogicalFn::IfError | LogicalFn::IfNa => Signature::new(2, Some(2), ANY),
            LogicalFn::Switch => Signature::new(3, None, ANY),
            LogicalFn::And | LogicalFn::Or | LogicalFn::Xor => {
                Signature::new(1, None, &[Param::Range])
            }
            LogicalFn::Not => Signature::new(1, Some(1), &[Param::Scalar]),
            LogicalFn::True | LogicalFn::False => Signature::new(0, Some(0), &[Param::Scalar]),
            LogicalFn::Map => Signature::new(2, None, &[Param::Array]),
            LogicalFn::Reduce | LogicalFn::Scan => {
                Signature::new(3, Some(3), &[Param::Any, Param::Array, Param::Any])
            }
            LogicalFn::ByRow | LogicalFn::ByCol => {
                Signature::new(2, Some(2), &[Param::Array, Param::Any])
            }
            LogicalFn::MakeArray => {
                Signature::new(3, Some(3), &[Param::Scalar, Param::Scalar, Param::Any])
            }
        }
    }
}

pub(crate) fn call(f: LogicalFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        LogicalFn::If => fn_if(args, ctx),
        LogicalFn::Ifs => fn_ifs(args, ctx),
        LogicalFn::IfError => fn_iferror(args, ctx),
        LogicalFn::IfNa => fn_ifna(args, ctx),
        LogicalFn::And => fn_and(args, ctx),
        LogicalFn::Or => fn_or(args, ctx),
        LogicalFn::Not => fn_not(args, ctx),
        LogicalFn::Xor => fn_xor(args, ctx),
        LogicalFn::Switch => fn_switch(args, ctx),
        LogicalFn::True => fn_true(),
        LogicalFn::False => fn_false(),
        LogicalFn::Map
        | LogicalFn::Reduce
        | LogicalFn::Scan
        | LogicalFn::ByRow
        | LogicalFn::ByCol
        | LogicalFn::MakeArray => Operand::error(ExcelError::Calc),
    }
}

/// The operand as an array when it holds several values: an array value or
/// a reference to more than one cell.
fn array_of(arg: &Operand, ctx: &dyn Context) -> Option<Arc<Array>> {
    match arg {
        Operand::Value(Value::Array(a)) => Some(a.clone()),
        Operand::Ref(Reference::Range(r)) if !r.is_single_cell() => Some(Arc::new(r.to_array(ctx))),
        _ => None,
    }
}

/// Applies `f` position by position over the arrays among `args` (other
/// arguments are passed whole), stretching one-row and one-column arrays
/// and yielding `#N/A` past the edge of smaller ones.
fn lift(args: &[Operand], ctx: &dyn Context, f: impl Fn(&[Operand]) -> Operand) -> Operand {
    let arrays: Vec<Option<Arc<Array>>> = args.iter().map(|a| array_of(a, ctx)).collect();
    let (rows, cols) =
        arrays.iter().flatten().fold((1, 1), |(r, c), a| (r.max(a.rows()), c.max(a.cols())));
    let mut element = args.to_vec();
    let mut out = Vec::with_capacity(rows * cols);
    for row in 0..rows {
        for col in 0..cols {
            for (slot, array) in element.iter_mut().zip(&arrays) {
                if let Some(a) = array {
                    *slot = Operand::Value(array_element(a, row, col));
                }
            }
            out.push(f(&element).to_value(ctx).first().clone());
        }
    }
    match Array::new(rows, cols, out) {
        Some(a) => Operand::Value(Value::Array(Arc::new(a))),
        None => Operand::error(ExcelError::Value),
    }
}

/// A chosen branch: an omitted one (`IF(A1,,1)`) gives 0, as in Excel.
fn branch(arg: Option<&Operand>) -> Operand {
    match arg {
        None | Some(Operand::Value(Value::Empty)) => Operand::Value(Value::Number(0.0)),
        Some(op) => op.clone(),
    }
}

/// The truth of a condition: numbers are TRUE when non-zero, text must read
/// `TRUE`/`FALSE`, an empty value is FALSE, an error is itself.
fn truth(arg: &Operand, ctx: &dyn Context) -> Result<bool, ExcelError> {
    arg.to_scalar(ctx).to_bool()
}

/// `IF(logical_test, [value_if_true], [value_if_false])`: the chosen branch,
/// FALSE when the false branch is not given; an error condition is the
/// result; an array condition chooses element by element.
fn fn_if(args: &[Operand], ctx: &dyn Context) -> Operand {
    match args.first() {
        Some(cond) if array_of(cond, ctx).is_some() => lift(args, ctx, |a| if_scalar(a, ctx)),
        _ => if_scalar(args, ctx),
    }
}

fn if_scalar(args: &[Operand], ctx: &dyn Context) -> Operand {
    let Some(cond) = args.first() else {
        return Operand::error(ExcelError::Value);
    };
    match truth(cond, ctx) {
        Err(e) => Operand::error(e),
        Ok(true) => branch(args.get(1)),
        Ok(false) if args.len() > 2 => branch(args.get(2)),
        Ok(false) => Operand::Value(Value::Bool(false)),
    }
}

/// `IFS(test1, value1, [test2, value2], ...)`: the value of the first TRUE
/// test; none TRUE is `#N/A`; an error test before a TRUE one is the result.
fn fn_ifs(args: &[Operand], ctx: &dyn Context) -> Operand {
    if !args.len().is_multiple_of(2) {
        return Operand::error(ExcelError::Value);
    }
    let array_test = args.iter().step_by(2).any(|t| array_of(t, ctx).is_some());
    if array_test {
        return lift(args, ctx, |a| ifs_scalar(a, ctx));
    }
    ifs_scalar(args, ctx)
}

fn ifs_scalar(args: &[Operand], ctx: &dyn Context) -> Operand {
    for pair in args.chunks(2) {
        match truth(&pair[0], ctx) {
            Err(e) => return Operand::error(e),
            Ok(true) => return branch(pair.get(1)),
            Ok(false) => {}
        }
    }
    Operand::error(ExcelError::NA)
}

/// `IFERROR(value, value_if_error)`: `value` unless it is an error.
fn fn_iferror(args: &[Operand], ctx: &dyn Context) -> Operand {
    if_error_like(args, ctx, |_| true)
}

/// `IFNA(value, value_if_na)`: `value` unless it is `#N/A`; other errors
/// pass through.
fn fn_ifna(args: &[Operand], ctx: &dyn Context) -> Operand {
    if_error_like(args, ctx, |e| e == ExcelError::NA)
}

fn if_error_like(args: &[Operand], ctx: &dyn Context, catches: fn(ExcelError) -> bool) -> Operand {
    let scalar = |a: &[Operand]| match a.first().map(|v| v.to_scalar(ctx)) {
        Some(Value::Error(e)) if catches(e) => branch(a.get(1)),
        _ => branch(a.first()),
    };
    match args.first() {
        Some(value) if array_of(value, ctx).is_some() => lift(args, ctx, scalar),
        _ => scalar(args),
    }
}

/// `SWITCH(expression, value1, result1, ..., [default])`: the result of the
/// first value equal to the expression (Excel's `=`, so text matches
/// case-insensitively and never a number); otherwise the default, or `#N/A`
/// without one. An error expression is the result.
fn fn_switch(args: &[Operand], ctx: &dyn Context) -> Operand {
    if args.iter().any(|a| array_of(a, ctx).is_some()) {
        return lift(args, ctx, |a| switch_scalar(a, ctx));
    }
    switch_scalar(args, ctx)
}

fn switch_scalar(args: &[Operand], ctx: &dyn Context) -> Operand {
    let Some((expr, rest)) = args.split_first() else {
        return Operand::error(ExcelError::Value);
    };
    let expr = expr.to_scalar(ctx);
    if let Value::Error(e) = expr {
        return Operand::error(e);
    }
    let mut pairs = rest.chunks_exact(2);
    for pair in pairs.by_ref() {
        match excel_eq(&expr, &pair[0].to_scalar(ctx)) {
            Ok(true) => return branch(pair.get(1)),
            Ok(false) => {}
            Err(e) => return Operand::error(e),
        }
    }
    match pairs.remainder().first() {
        Some(default) => branch(Some(default)),
        None => Operand::error(ExcelError::NA),
    }
}

/// How many logical values the arguments hold, and how many are TRUE.
#[derive(Clone, Copy, Default)]
struct Truths {
    total: usize,
    true_ones: usize,
}

/// The logical values of AND/OR/XOR arguments. In references and arrays only
/// booleans and numbers count (text and empty cells are skipped); direct text
/// must read `TRUE`/`FALSE`, except the empty text `""`, which is skipped
/// like an empty cell (Excel: calc_tests/LOGICAL/AND_OR_XOR.xlsx
/// 'AND XOR OR'!C52, `=OR("",TRUE)` is TRUE, while C49, `=OR("0")`, is
/// #VALUE!). No logical value at all is `#VALUE!`; the first error is the
/// result.
fn logicals(args: &[Operand], ctx: &dyn Context) -> Result<Truths, ExcelError> {
    let mut truths = Truths::default();
    let mut first_error = None;
    for arg in args {
        for_each_scalar(arg, ctx, |v, origin| {
            let res = match (v, origin) {
                (Value::Bool(b), _) => Ok(Some(*b)),
                (Value::Number(n), _) => Ok(Some(*n != 0.0)),
                (Value::Error(e), _) => Err(*e),
                (Value::Text(_) | Value::Empty, Origin::Range) => Ok(None),
                (Value::Text(t), Origin::Direct) if t.is_empty() => Ok(None),
                (other, Origin::Direct) => other.to_bool().map(Some),
                (Value::Array(_), Origin::Range) => Err(ExcelError::Value),
            };
            match res {
                Ok(Some(b)) => {
                    truths.total += 1;
                    truths.true_ones += usize::from(b);
                }
                Ok(None) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        });
    }
    match first_error {
        Some(e) => Err(e),
        None if truths.total == 0 => Err(ExcelError::Value),
        None => Ok(truths),
    }
}

fn logical_result(res: Result<bool, ExcelError>) -> Operand {
    Operand::Value(res.map(Value::Bool).unwrap_or_else(Value::Error))
}

/// `AND(logical1, ...)`: TRUE when every logical value is TRUE (see
/// [`logicals`] for what counts).
fn fn_and(args: &[Operand], ctx: &dyn Context) -> Operand {
    logical_result(logicals(args, ctx).map(|t| t.true_ones == t.total))
}

/// `OR(logical1, ...)`: TRUE when any logical value is TRUE.
fn fn_or(args: &[Operand], ctx: &dyn Context) -> Operand {
    logical_result(logicals(args, ctx).map(|t| t.true_ones > 0))
}

/// `XOR(logical1, ...)`: TRUE when an odd number of logical values is TRUE.
fn fn_xor(args: &[Operand], ctx: &dyn Context) -> Operand {
    logical_result(logicals(args, ctx).map(|t| t.true_ones % 2 == 1))
}

/// `NOT(logical)`: the opposite truth value; text other than `TRUE`/`FALSE`
/// is `#VALUE!`.
fn fn_not(args: &[Operand], ctx: &dyn Context) -> Operand {
    let res = args.first().map_or(Err(ExcelError::Value), |a| truth(a, ctx));
    logical_result(res.map(|b| !b))
}

/// `TRUE()`: the logical value TRUE.
fn fn_true() -> Operand {
    Operand::Value(Value::Bool(true))
}

/// `FALSE()`: the logical value FALSE.
fn fn_false() -> Operand {
    Operand::Value(Value::Bool(false))
}
