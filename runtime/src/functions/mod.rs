//! The Excel function library, laid out by Excel's own categories.
//!
//! Each category module owns an enum of its functions with their names and
//! [`Signature`]s and one exhaustive `call` match. [`Function`] unites them,
//! and [`call`] applies Excel's calling convention before dispatching: in a
//! scalar parameter a reference becomes its value, and an array given to a
//! scalar parameter maps the function over the array's elements
//! (`=SUMPRODUCT(LEN(A1:A3))`).
//!
//! Lazy functions (`IF`, `IFS`, `IFERROR`, `IFNA`, `SWITCH`, `CHOOSE`) have
//! eager implementations here too; evaluators skip untaken branches
//! themselves and use these only when arguments are arrays.

pub mod database;
pub mod datetime;
pub mod dynamic;
pub mod engineering;
pub mod financial;
pub mod information;
pub mod logical;
pub mod lookup;
pub mod math;
pub mod statistical;
pub mod text;

use std::sync::Arc;

use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

/// How a parameter takes its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// One value. A reference gives its value; an array maps the function
    /// over its elements.
    Scalar,
    /// A range or array taken whole (`SUM`'s arguments, `MATCH`'s lookup
    /// array). References arrive as references.
    Range,
    /// Like [`Param::Range`], and the argument's expression is evaluated as
    /// an array formula even in a plain formula (`SUMPRODUCT`'s arguments,
    /// `MATCH`'s lookup array, `INDEX`'s array): `=SUMPRODUCT((A1:A3="x")*1)`
    /// compares every cell, where `=SUM((A1:A3="x")*1)` intersects implicitly.
    Array,
    /// Passed through untouched, reference or value (`CHOOSE`'s choices,
    /// `IF`'s branches, `OFFSET`'s anchor).
    Any,
}

/// Arity and parameter kinds of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    pub min_args: usize,
    /// `None` for no limit (Excel's limit of 255 is checked by the parser).
    pub max_args: Option<usize>,
    /// The kinds of the leading parameters; past the end, the last `repeat`
    /// kinds repeat (`SUMIFS`: `[Range, Range, Scalar]` with `repeat: 2`).
    pub params: &'static [Param],
    pub repeat: usize,
    /// Volatile functions (`NOW`, `RAND`) recompute on every calculation.
    pub volatile: bool,
}

impl Signature {
    /// A signature of `min..=max` arguments, all of the kinds in `params`
    /// (the last one repeating).
    pub const fn new(min_args: usize, max_args: Option<usize>, params: &'static [Param]) -> Self {
        Signature { min_args, max_args, params, repeat: 1, volatile: false }
    }

    /// The same signature with the last `repeat` parameter kinds repeating.
    pub const fn repeating(mut self, repeat: usize) -> Self {
        self.repeat = repeat;
        self
    }

    /// The same signature, marked volatile.
    pub const fn volatile(mut self) -> Self {
        self.volatile = true;
        self
    }

    /// The kind of the parameter at `index`.
    pub fn param(&self, index: usize) -> Param {
        let n = self.params.len();
        if n == 0 {
            return Param::Scalar;
        }
        if index < n {
            return self.params[index];
        }
        let repeat = self.repeat.clamp(1, n);
        let start = n - repeat;
        self.params[start + (index - start) % repeat]
    }

    /// Whether `n` arguments fit the arity.
    pub fn accepts(&self, n: usize) -> bool {
        n >= self.min_args && self.max_args.is_none_or(|max| n <= max)
    }
}

/// Every supported Excel function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Function {
    Database(database::DatabaseFn),
    DateTime(datetime::DateTimeFn),
    Financial(financial::FinancialFn),
    Engineering(engineering::EngineeringFn),
    Dynamic(dynamic::DynamicFn),
    Information(information::InformationFn),
    Logical(logical::LogicalFn),
    Lookup(lookup::LookupFn),
    Math(math::MathFn),
    Statistical(statistical::StatisticalFn),
    Text(text::TextFn),
}

impl Function {
    /// Every supported function.
    pub fn all() -> impl Iterator<Item = Function> {
        let database = database::DatabaseFn::ALL.iter().map(|f| Function::Database(*f));
        let datetime = datetime::DateTimeFn::ALL.iter().map(|f| Function::DateTime(*f));
        let financial = financial::FinancialFn::ALL.iter().map(|f| Function::Financial(*f));
        let engineering = engineering::EngineeringFn::all().map(Function::Engineering);
        let information = information::InformationFn::ALL.iter().map(|f| Function::Information(*f));
        let logical = logical::LogicalFn::ALL.iter().map(|f| Function::Logical(*f));
        let lookup = lookup::LookupFn::ALL.iter().map(|f| Function::Lookup(*f));
        let math = math::MathFn::ALL.iter().map(|f| Function::Math(*f));
        let statistical = statistical::StatisticalFn::all().map(Function::Statistical);
        let text = text::TextFn::ALL.iter().map(|f| Function::Text(*f));
        database
            .chain(datetime)
            .chain(engineering)
            .chain(financial)
            .chain(information)
            .chain(logical)
            .chain(lookup)
            .chain(math)
            .chain(statistical)
            .chain(text)
            .chain(dynamic::DynamicFn::ALL.iter().map(|f| Function::Dynamic(*f)))
    }

    /// The function with this name, case-insensitive, with or without the
    /// `_xlfn.` / `_xlws.` prefixes Excel writes for newer functions.
    pub fn from_name(name: &str) -> Option<Function> {
        let upper = name.to_ascii_uppercase();
        let bare = upper
            .strip_prefix("_XLFN.")
            .map(|rest| rest.strip_prefix("_XLWS.").unwrap_or(rest))
            .unwrap_or(&upper);
        Function::all().find(|f| f.name() == bare)
    }

    /// Excel's name for the function, upper case, without prefix.
    pub fn name(self) -> &'static str {
        match self {
            Function::Database(f) => f.name(),
            Function::DateTime(f) => f.name(),
            Function::Financial(f) => f.name(),
            Function::Engineering(f) => f.name(),
            Function::Dynamic(f) => f.name(),
            Function::Information(f) => f.name(),
            Function::Logical(f) => f.name(),
            Function::Lookup(f) => f.name(),
            Function::Math(f) => f.name(),
            Function::Statistical(f) => f.name(),
            Function::Text(f) => f.name(),
        }
    }

    pub fn signature(self) -> Signature {
        match self {
            Function::Database(f) => f.signature(),
            Function::DateTime(f) => f.signature(),
            Function::Financial(f) => f.signature(),
            Function::Engineering(f) => f.signature(),
            Function::Dynamic(f) => f.signature(),
            Function::Information(f) => f.signature(),
            Function::Logical(f) => f.signature(),
            Function::Lookup(f) => f.signature(),
            Function::Math(f) => f.signature(),
            Function::Statistical(f) => f.signature(),
            Function::Text(f) => f.signature(),
        }
    }
}

/// Calls `f` with Excel's calling convention (see the module docs).
pub fn call(f: Function, mut args: Vec<Operand>, ctx: &dyn Context) -> Operand {
    call_with(f, &mut args, ctx)
}

/// [`call`] with the arguments in a buffer the caller owns (on its stack),
/// which the calling convention rewrites in place.
pub fn call_with(f: Function, args: &mut [Operand], ctx: &dyn Context) -> Operand {
    let sig = f.signature();
    if !sig.accepts(args.len()) {
        return Operand::error(ExcelError::Value);
    }
    let mut shape: Option<(usize, usize)> = None;
    for (index, arg) in args.iter_mut().enumerate() {
        if sig.param(index) != Param::Scalar {
            continue;
        }
        if let Operand::Ref(_) = arg {
            *arg = Operand::Value(arg.to_value(ctx));
        }
        if let Operand::Value(Value::Array(a)) = arg {
            let (rows, cols) = shape.unwrap_or((1, 1));
            shape = Some((rows.max(a.rows()), cols.max(a.cols())));
        }
    }
    match shape {
        None => dispatch(f, args, ctx),
        Some((rows, cols)) => broadcast(f, &sig, args, rows, cols, ctx),
    }
}

/// Maps `f` over the elements of the arrays in its scalar parameters. A
/// one-row or one-column array stretches across the result; past an
/// array's edge the element is `#N/A`, as in Excel.
fn broadcast(
    f: Function,
    sig: &Signature,
    args: &[Operand],
    rows: usize,
    cols: usize,
    ctx: &dyn Context,
) -> Operand {
    let mut out = Vec::with_capacity(rows * cols);
    let mut element_args = args.to_vec();
    for row in 0..rows {
        for col in 0..cols {
            for (index, arg) in args.iter().enumerate() {
                if sig.param(index) != Param::Scalar {
                    continue;
                }
                if let Operand::Value(Value::Array(a)) = arg {
                    element_args[index] = Operand::Value(array_element(a, row, col));
                }
            }
            let result = dispatch(f, &element_args, ctx).to_value(ctx);
            out.push(result.first().clone());
        }
    }
    match Array::new(rows, cols, out) {
        Some(a) => Operand::Value(Value::Array(Arc::new(a))),
        None => Operand::error(ExcelError::Value),
    }
}

/// The element of `a` at (row, col) when `a` is stretched to a larger shape.
pub fn array_element(a: &Array, row: usize, col: usize) -> Value {
    let r = if a.rows() == 1 { 0 } else { row };
    let c = if a.cols() == 1 { 0 } else { col };
    a.get(r, c).cloned().unwrap_or(Value::Error(ExcelError::NA))
}

fn dispatch(f: Function, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        Function::Database(f) => database::call(f, args, ctx),
        Function::DateTime(f) => datetime::call(f, args, ctx),
        Function::Financial(f) => financial::call(f, args, ctx),
        Function::Engineering(f) => engineering::call(f, args, ctx),
        Function::Dynamic(f) => dynamic::call(f, args, ctx),
        Function::Information(f) => information::call(f, args, ctx),
        Function::Logical(f) => logical::call(f, args, ctx),
        Function::Lookup(f) => lookup::call(f, args, ctx),
        Function::Math(f) => math::call(f, args, ctx),
        Function::Statistical(f) => statistical::call(f, args, ctx),
        Function::Text(f) => text::call(f, args, ctx),
    }
}
