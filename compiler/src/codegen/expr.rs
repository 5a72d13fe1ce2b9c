//! Expressions to Rust: each IR node becomes code of the narrowest type it
//! provably has, with the interpreter's semantics to the letter.
//!
//! The generated code evaluates exactly what `runtime::interp` evaluates,
//! in the same order, calling the same library functions: only the
//! dispatch on the tree, the lookups of cells and the tagging of numbers
//! are gone. What it cannot do that way it hands to the interpreter.

use std::cell::RefCell;
use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use runtime::functions::Function;
use runtime::ir::{Expr, Program};
use runtime::ops::{BinaryOp, UnaryOp};
use runtime::reference::{CellAddr, RangeRef};
use runtime::value::{ExcelError, Value};

use super::column::{self, Moves, Template};

mod aggregate;
mod lazy;
mod lookup;

/// A construct the generator hands to the interpreter.
#[derive(Debug)]
pub(super) struct Unsupported;

type Gen<T> = Result<T, Unsupported>;

/// Generated code and what its Rust type is.
enum Code {
    /// `Result<f64, ExcelError>`: a number or the error arithmetic met.
    Num(TokenStream),
    /// `Result<bool, ExcelError>`: a truth value or the error a comparison
    /// or a logical function met.
    Bool(TokenStream),
    /// A `Value` that is never an array.
    Scalar(TokenStream),
    /// A `&Value` that is never an array: a text literal or a log cell,
    /// read in place rather than copied.
    Place(TokenStream),
    /// A `Value`, maybe an array.
    Value(TokenStream),
    /// An `Operand`: a value or a reference.
    Operand(TokenStream),
    /// A one-cell reference, with the code that reads its value, reads it
    /// as a number, and makes the reference itself; `place` borrows the
    /// value where it can be borrowed (a log cell).
    Cell {
        value: TokenStream,
        number: TokenStream,
        reference: TokenStream,
        place: Option<TokenStream>,
    },
}

/// The generated types a result of several branches can share.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Num,
    Scalar,
    Operand,
}

impl Code {
    fn is_scalar(&self) -> bool {
        matches!(
            self,
            Code::Num(_) | Code::Bool(_) | Code::Scalar(_) | Code::Place(_) | Code::Cell { .. }
        )
    }

    /// The value, as the interpreter's `Operand::to_value` gives it.
    fn value(self) -> TokenStream {
        match self {
            Code::Num(t) => quote! { native::from_number(#t) },
            Code::Bool(t) => quote! { native::from_bool(#t) },
            Code::Scalar(t) | Code::Value(t) => t,
            Code::Place(t) => quote! { (#t).clone() },
            Code::Operand(t) => quote! { (#t).to_value(f) },
            Code::Cell { value, .. } => value,
        }
    }

    /// The value in a scalar position, as `Operand::to_scalar` gives it.
    fn scalar(self) -> Code {
        match self {
            Code::Num(t) => Code::Num(t),
            Code::Bool(t) => Code::Bool(t),
            Code::Scalar(t) => Code::Scalar(t),
            Code::Place(t) => Code::Place(t),
            Code::Value(t) => Code::Scalar(quote! { (#t).first().clone() }),
            Code::Operand(t) => Code::Scalar(quote! { (#t).to_scalar(f) }),
            Code::Cell { place: Some(place), .. } => Code::Place(place),
            Code::Cell { value, .. } => Code::Scalar(value),
        }
    }

    /// A scalar as a number, as arithmetic coerces it.
    fn number(self) -> TokenStream {
        match self {
            Code::Num(t) => t,
            Code::Bool(t) => quote! { (#t).map(|b| f64::from(u8::from(b))) },
            Code::Cell { number, .. } => number,
            Code::Place(t) => quote! { (#t).to_number() },
            other => {
                let value = other.value();
                quote! { (#value).to_number() }
            }
        }
    }

    fn operand(self) -> TokenStream {
        match self {
            Code::Num(t) => quote! { Operand::Value(native::from_number(#t)) },
            Code::Bool(t) => quote! { Operand::Value(native::from_bool(#t)) },
            Code::Scalar(t) | Code::Value(t) => quote! { Operand::Value(#t) },
            Code::Place(t) => quote! { Operand::Value((#t).clone()) },
            Code::Operand(t) => t,
            Code::Cell { reference, .. } => reference,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Code::Num(_) => Kind::Num,
            Code::Bool(_) | Code::Scalar(_) | Code::Place(_) => Kind::Scalar,
            _ => Kind::Operand,
        }
    }

    /// A scalar as a truth value, as `Value::to_bool` reads it.
    fn truth(self) -> TokenStream {
        match self {
            Code::Bool(t) => t,
            Code::Place(t) | Code::Cell { place: Some(t), .. } => quote! { (#t).to_bool() },
            other => {
                let value = other.value();
                quote! { (#value).to_bool() }
            }
        }
    }

    /// A `&Value` of a scalar: the place itself, or a borrow of the value.
    fn borrowed(self) -> TokenStream {
        match self {
            Code::Place(t) | Code::Cell { place: Some(t), .. } => t,
            other => {
                let value = other.value();
                quote! { &(#value) }
            }
        }
    }

    /// The code as `kind` (at least as wide as its own).
    fn widen(self, kind: Kind) -> TokenStream {
        match kind {
            Kind::Num => self.number(),
            Kind::Scalar => self.value(),
            Kind::Operand => self.operand(),
        }
    }
}

impl Kind {
    /// An error `e` (a variable of the generated code) as this kind.
    fn error(self, e: &TokenStream) -> TokenStream {
        match self {
            Kind::Num => quote! { Err(#e) },
            Kind::Scalar => quote! { Value::Error(#e) },
            Kind::Operand => quote! { Operand::Value(Value::Error(#e)) },
        }
    }

    fn wrap(self, t: TokenStream) -> Code {
        match self {
            Kind::Num => Code::Num(t),
            Kind::Scalar => Code::Scalar(t),
            Kind::Operand => Code::Operand(t),
        }
    }
}

/// Where a cell's value comes from, as the generator resolves it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    /// Input column `.0` of the log.
    Input(usize),
    Constant(usize),
    Formula(usize),
    Empty,
}

/// One generated function: a formula or a run of a column.
pub(super) struct Unit {
    pub(super) item: TokenStream,
    pub(super) interpreted: usize,
}

/// Generates the code of one program.
pub(super) struct Generator<'p> {
    program: &'p Program,
    slots: BTreeMap<CellAddr, Source>,
    input_cols: BTreeMap<u32, usize>,
    /// Text literals of the formulas, made once per library (`TEXT[i]`)
    /// rather than allocated at every evaluation.
    texts: RefCell<BTreeMap<String, usize>>,
}

/// What one unit's code generation knows: the template of a column run.
struct Scope<'t> {
    template: Option<&'t Template>,
    len: u32,
}

impl<'p> Generator<'p> {
    pub(super) fn new(program: &'p Program) -> Generator<'p> {
        let mut slots = BTreeMap::new();
        for (i, (addr, _)) in program.constants.iter().enumerate() {
            slots.insert(*addr, Source::Constant(i));
        }
        for (i, cell) in program.formulas.iter().enumerate() {
            slots.insert(cell.addr, Source::Formula(i));
        }
        let input_cols =
            program.input.columns.iter().enumerate().map(|(i, c)| (c.col, i)).collect();
        Generator { program, slots, input_cols, texts: RefCell::new(BTreeMap::new()) }
    }

    /// The `TEXT` static holding every text literal met, in index order.
    pub(super) fn text_table(&self) -> TokenStream {
        let texts = self.texts.borrow();
        let mut ordered: Vec<(&usize, &String)> = texts.iter().map(|(t, i)| (i, t)).collect();
        ordered.sort();
        let n = ordered.len();
        let texts = ordered.into_iter().map(|(_, t)| t.as_str());
        quote! {
            /// The formulas' text literals.
            static TEXT: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
                let texts: [&str; #n] = [#(#texts),*];
                texts.into_iter().map(Value::text).collect()
            });
        }
    }

    /// A literal of the formula: typed when it is a number, a shared value
    /// when it is a text.
    fn literal(&self, value: &Value) -> Gen<Code> {
        let Value::Text(text) = value else {
            return literal(value);
        };
        let mut texts = self.texts.borrow_mut();
        let next = texts.len();
        let index = *texts.entry(text.to_string()).or_insert(next);
        Ok(Code::Place(quote! { &TEXT[#index] }))
    }

    /// The function `cell_<start>` computing formula `start + row` of a run
    /// of `len` formulas sharing one template.
    pub(super) fn unit(&mut self, start: usize, len: usize) -> Unit {
        let template = match len {
            1 => None,
            _ => column::template(self.program, start, start + len),
        };
        let scope = Scope { template: template.as_ref(), len: len as u32 };
        let cell = &self.program.formulas[start];
        let name = format_ident!("cell_{start}");
        let label = super::cell_label(self.program, start);
        let (body, interpreted) = match self.expr(&cell.expr, &scope) {
            Ok(code) => (self.running_total(start, &cell.expr, &scope, code.scalar().value()), 0),
            Err(Unsupported) => (quote! { f.interpret_here() }, len),
        };
        let doc = match len {
            1 => format!(" {label}: ={}", cell.source),
            _ => format!(" {label} and the {} cells below: ={}", len - 1, cell.source),
        };
        let item = quote! {
            #[doc = #doc]
            fn #name(f: &Frame<'_>, row: u32) -> Value {
                #body
            }
        };
        Unit { item, interpreted }
    }

    /// A running total, `SUM($G$2:G2)` filled down, adds the new row's cell
    /// to the total of the row above instead of summing the whole range
    /// again: `SUM` adds in range order from 0 and returns the first error,
    /// so the row above's number plus the new cell is the same sum, bit for
    /// bit. When the row above is not a number (an error, or not computed
    /// yet), the whole range is summed as usual (`full`).
    fn running_total(
        &self,
        start: usize,
        expr: &Expr,
        scope: &Scope<'_>,
        full: TokenStream,
    ) -> TokenStream {
        // `SUM` gives one value, which implicit intersection leaves as it is.
        let mut expr = expr;
        while let Expr::Implicit(inner) = expr {
            expr = inner;
        }
        let Expr::Call(f, args) = expr else { return full };
        let [range_node @ Expr::Range(range)] = args.as_slice() else { return full };
        let single_column = range.first_col == range.last_col;
        if f.name() != "SUM" || !single_column || self.moves(range_node, scope) != (0, 1) {
            return full;
        }
        let last = CellAddr::new(range.sheet, range.last_row, range.first_col);
        let Some(source) = self.moving_source(last, scope.len) else { return full };
        let row = row_code(last.row, true);
        let (added, _) = self.read(source, &row, true);
        quote! {
            let above = match row {
                0 => None,
                _ => f.settled(#start + row as usize - 1),
            };
            match above {
                Some(Value::Number(total)) => match #added {
                    Value::Number(n) => Value::number(total + n),
                    Value::Error(e) => Value::Error(e),
                    _ => Value::Number(total),
                },
                _ => #full,
            }
        }
    }

    fn expr(&self, expr: &Expr, scope: &Scope<'_>) -> Gen<Code> {
        match expr {
            Expr::Value(v) => self.literal(v),
            Expr::Missing => Ok(Code::Scalar(quote! { Value::Empty })),
            Expr::Error(e) => {
                let e = error_path(*e);
                Ok(Code::Scalar(quote! { Value::Error(#e) }))
            }
            Expr::Cell(addr) => Ok(self.cell(expr, *addr, scope)),
            Expr::Range(range) => Ok(Code::Operand(self.range(expr, range, scope))),
            Expr::Unary(op, x) => Ok(unary(*op, self.expr(x, scope)?)),
            Expr::Binary(op, a, b) => Ok(binary(*op, self.expr(a, scope)?, self.expr(b, scope)?)),
            Expr::Chain(first, rest) => {
                let mut acc = self.expr(first, scope)?;
                for (op, operand) in rest {
                    acc = binary(*op, acc, self.expr(operand, scope)?);
                }
                Ok(acc)
            }
            Expr::Implicit(x) => Ok(self.expr(x, scope)?.scalar()),
            Expr::Call(f, args) => self.call(*f, args, scope),
            // Reference operators build references at run time: the
            // interpreter's own code does that.
            Expr::RefOp(..) => Err(Unsupported),
            // Array formulas, their elements, `LET` and lambdas keep state
            // the generated code does not model: the interpreter computes
            // those cells.
            Expr::ArrayFormula(_)
            | Expr::ArrayElement { .. }
            | Expr::Spill { .. }
            | Expr::Let(..)
            | Expr::Local(_)
            | Expr::Lambda { .. } => Err(Unsupported),
        }
    }

    /// The moves of a reference node in a column run (none in a single cell).
    fn moves(&self, node: &Expr, scope: &Scope<'_>) -> Moves {
        let key = node as *const Expr as usize;
        scope.template.and_then(|t| t.get(&key).copied()).unwrap_or((0, 0))
    }

    fn source(&self, addr: CellAddr) -> Source {
        let input = &self.program.input;
        if addr.sheet == input.sheet && addr.row >= 1 && addr.row <= input.capacity {
            if let Some(column) = self.input_cols.get(&addr.col) {
                return Source::Input(*column);
            }
        }
        self.slots.get(&addr).copied().unwrap_or(Source::Empty)
    }

    fn cell(&self, node: &Expr, addr: CellAddr, scope: &Scope<'_>) -> Code {
        let (sheet, col) = (addr.sheet, addr.col);
        let moving = self.moves(node, scope).0 == 1;
        let row = row_code(addr.row, moving);
        let reference = quote! {
            Operand::Ref(Reference::Range(RangeRef::cell(CellAddr::new(#sheet, #row, #col))))
        };
        let source = match moving {
            false => Some(self.source(addr)),
            true => self.moving_source(addr, scope.len),
        };
        let (value, number) = match source {
            Some(source) => self.read(source, &row, moving),
            None => {
                let value = quote! { f.cell(CellAddr::new(#sheet, #row, #col)) };
                (value.clone(), quote! { #value.to_number() })
            }
        };
        let place = match source {
            Some(Source::Input(column)) => Some(quote! { f.input(#row, #column) }),
            _ => None,
        };
        Code::Cell { value, number, reference, place }
    }

    /// One source for every row of a moving reference, its index counted
    /// from the run's first row; `None` when the rows differ in kind.
    fn moving_source(&self, addr: CellAddr, len: u32) -> Option<Source> {
        let first = self.source(addr);
        let fits = (1..len).all(|j| {
            let next = self.source(CellAddr { row: addr.row + j, ..addr });
            match (first, next) {
                (Source::Input(a), Source::Input(b)) => a == b,
                (Source::Formula(a), Source::Formula(b)) => b == a + j as usize,
                (Source::Empty, Source::Empty) => true,
                _ => false,
            }
        });
        fits.then_some(first).filter(|s| !matches!(s, Source::Constant(_)))
    }

    /// The value and number code of reading `source` at row `row`.
    fn read(&self, source: Source, row: &TokenStream, moving: bool) -> (TokenStream, TokenStream) {
        match source {
            Source::Input(column) => (
                quote! { f.input(#row, #column).clone() },
                quote! { f.input(#row, #column).to_number() },
            ),
            Source::Formula(index) => {
                let index = match moving {
                    true => quote! { (#index + row as usize) },
                    false => quote! { #index },
                };
                (quote! { f.formula(#index) }, quote! { f.formula_number(#index) })
            }
            Source::Constant(index) => {
                let value = &self.program.constants[index].1;
                match lit_value(value) {
                    Some(lit) => {
                        let number = match value {
                            Value::Number(n) => {
                                let n = num_lit(*n);
                                quote! { Ok::<f64, ExcelError>(#n) }
                            }
                            _ => quote! { #lit.to_number() },
                        };
                        (lit, number)
                    }
                    None => {
                        (quote! { f.constant(#index) }, quote! { f.constant(#index).to_number() })
                    }
                }
            }
            Source::Empty => (quote! { Value::Empty }, quote! { Ok::<f64, ExcelError>(0.0) }),
        }
    }

    // FIXME: outside the conditional aggregates and `SUM` of one column
    // (see `aggregate`), a range is handed to the library, which reads it
    // cell by cell as tagged values over the whole capacity; with the
    // library's own costs this keeps compiled football at about 2.5 times
    // the interpreter, not the 10 times wanted.
    fn range(&self, node: &Expr, range: &RangeRef, scope: &Scope<'_>) -> TokenStream {
        let (first, last) = self.moves(node, scope);
        let sheet = range.sheet;
        let first_row = row_code(range.first_row, first == 1);
        let last_row = row_code(range.last_row, last == 1);
        let (first_col, last_col) = (range.first_col, range.last_col);
        quote! {
            Operand::Ref(Reference::Range(RangeRef {
                sheet: #sheet,
                first_row: #first_row,
                first_col: #first_col,
                last_row: #last_row,
                last_col: #last_col,
            }))
        }
    }
}

/// A row number, moving with the run's `row` parameter or not.
fn row_code(row: u32, moving: bool) -> TokenStream {
    match moving {
        true => quote! { (#row + row) },
        false => quote! { #row },
    }
}

/// A literal of the formula: typed when it is a number.
fn literal(value: &Value) -> Gen<Code> {
    match value {
        Value::Number(n) => {
            let n = num_lit(*n);
            Ok(Code::Num(quote! { Ok::<f64, ExcelError>(#n) }))
        }
        other => lit_value(other).map(Code::Scalar).ok_or(Unsupported),
    }
}

/// Code building a scalar value; `None` for arrays.
pub(super) fn lit_value(value: &Value) -> Option<TokenStream> {
    Some(match value {
        Value::Empty => quote! { Value::Empty },
        Value::Number(n) => {
            let n = num_lit(*n);
            quote! { Value::Number(#n) }
        }
        Value::Text(t) => {
            let t: &str = t;
            quote! { Value::text(#t) }
        }
        Value::Bool(b) => quote! { Value::Bool(#b) },
        Value::Error(e) => {
            let e = error_path(*e);
            quote! { Value::Error(#e) }
        }
        Value::Array(_) => return None,
    })
}

/// An exact `f64` literal; negative numbers parenthesised.
pub(super) fn num_lit(n: f64) -> TokenStream {
    let abs = Literal::f64_suffixed(n.abs());
    match n.is_sign_negative() {
        true => quote! { (-#abs) },
        false => quote! { #abs },
    }
}

/// `ExcelError::Div0` and the like.
pub(super) fn error_path(e: ExcelError) -> TokenStream {
    let name = format_ident!("{}", format!("{e:?}"));
    quote! { ExcelError::#name }
}

fn unary(op: UnaryOp, x: Code) -> Code {
    if !x.is_scalar() {
        let op = unary_path(op);
        let x = x.value();
        return Code::Value(quote! { ops::unary(#op, &#x) });
    }
    match op {
        UnaryOp::Plus => match x {
            Code::Num(t) => Code::Num(t),
            other => Code::Scalar(other.value()),
        },
        UnaryOp::Neg => {
            let x = x.number();
            Code::Num(quote! { (#x).and_then(|n| native::finite(-n)) })
        }
        UnaryOp::Percent => {
            let x = x.number();
            Code::Num(quote! { (#x).and_then(|n| native::finite(n / 100.0)) })
        }
    }
}

fn binary(op: BinaryOp, a: Code, b: Code) -> Code {
    let scalars = a.is_scalar() && b.is_scalar();
    let combine = match op {
        BinaryOp::Add => Some(quote! { native::finite(x + y) }),
        BinaryOp::Sub => Some(quote! { native::finite(x - y) }),
        BinaryOp::SnapAdd => Some(quote! { native::finite(ops::snap_sum(x, y)) }),
        BinaryOp::SnapSub => Some(quote! { native::finite(ops::snap_sum(x, -y)) }),
        BinaryOp::Mul => Some(quote! { native::finite(x * y) }),
        BinaryOp::Div => Some(quote! {
            if y == 0.0 { Err(ExcelError::Div0) } else { native::finite(x / y) }
        }),
        BinaryOp::Pow => Some(quote! { ops::power(x, y).to_number() }),
        _ => None,
    };
    if let (true, Some(combine)) = (scalars, combine) {
        let (x, y) = (a.number(), b.number());
        return Code::Num(quote! {
            match (#x, #y) {
                (Ok(x), Ok(y)) => #combine,
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        });
    }
    let path = binary_path(op);
    if scalars && runtime::ops::is_comparison(op) {
        let (x, y) = (a.borrowed(), b.borrowed());
        return Code::Bool(quote! { ops::compare_scalar(#path, #x, #y) });
    }
    if scalars {
        let (x, y) = (a.borrowed(), b.borrowed());
        return Code::Scalar(quote! { ops::binary_scalar(#path, #x, #y) });
    }
    let (x, y) = (a.value(), b.value());
    Code::Value(quote! {{ let a = #x; let b = #y; ops::binary(#path, &a, &b) }})
}

fn unary_path(op: UnaryOp) -> TokenStream {
    let name = format_ident!("{}", format!("{op:?}"));
    quote! { UnaryOp::#name }
}

fn binary_path(op: BinaryOp) -> TokenStream {
    let name = format_ident!("{}", format!("{op:?}"));
    quote! { BinaryOp::#name }
}

/// `Function::Math(functions::math::MathFn::Sum)` from the function's
/// `Debug` form (`Math(Sum)`); `None` for a form this does not know.
fn function_path(f: Function) -> Option<TokenStream> {
    let debug = format!("{f:?}");
    let (category, rest) = debug.split_once('(')?;
    let variant = rest.strip_suffix(')')?;
    let module = match category {
        "DateTime" => "datetime",
        "Information" => "information",
        "Logical" => "logical",
        "Lookup" => "lookup",
        "Math" => "math",
        "Statistical" => "statistical",
        "Text" => "text",
        _ => return None,
    };
    let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid(variant) {
        return None;
    }
    let enum_name = format_ident!("{category}Fn");
    let (category, module) = (format_ident!("{category}"), format_ident!("{module}"));
    let variant = format_ident!("{variant}");
    Some(quote! { Function::#category(functions::#module::#enum_name::#variant) })
}

impl Generator<'_> {
    fn call(&self, f: Function, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        match f.name() {
            // Only `INDIRECT` reads defined names and sheet names, and only
            // these read the workbook's formulas: the interpreter's context
            // has them.
            "INDIRECT" | "FORMULATEXT" | "ISFORMULA" | "ANCHORARRAY" => Err(Unsupported),
            // So do hidden rows and the cells holding SUBTOTAL formulas,
            // which SUBTOTAL skips.
            "SUBTOTAL"
                if !self.program.hidden_rows.is_empty()
                    || self.program.sources.iter().any(|s| s.subtotal) =>
            {
                Err(Unsupported)
            }
            "IF" => self.lazy_if(args, scope),
            name @ ("IFERROR" | "IFNA") => self.lazy_iferror(args, name == "IFERROR", scope),
            "CHOOSE" => self.lazy_choose(args, scope),
            "IFS" => self.lazy_ifs(args, scope),
            "SWITCH" => self.lazy_switch(args, scope),
            "AND" | "OR" | "NOT" | "ISBLANK" => match self.logical(f, args, scope)? {
                Some(code) => Ok(code),
                None => self.library_call(f, args, scope),
            },
            "VLOOKUP" | "MATCH" => match self.indexed_lookup(f, args, scope)? {
                Some(code) => Ok(code),
                None => self.library_call(f, args, scope),
            },
            "SUM" | "COUNTIF" | "COUNTIFS" | "SUMIF" | "SUMIFS" => {
                match self.aggregate(f, args, scope)? {
                    Some(code) => Ok(code),
                    None => self.library_call(f, args, scope),
                }
            }
            _ => self.library_call(f, args, scope),
        }
    }

    /// `AND`, `OR` and `NOT` of truth values (comparisons, other logical
    /// functions), and `ISBLANK` of a log cell, as plain Rust: `None` for
    /// any other argument, which the library function takes.
    ///
    /// The library reads every argument, in order, and the first error is
    /// the answer; otherwise `AND` wants every value TRUE and `OR` one.
    fn logical(&self, f: Function, args: &[Expr], scope: &Scope<'_>) -> Gen<Option<Code>> {
        let codes = args.iter().map(|a| self.expr(a, scope)).collect::<Gen<Vec<Code>>>()?;
        if f.name() == "ISBLANK" {
            return Ok(match codes.as_slice() {
                [Code::Cell { place: Some(place), .. }] => Some(Code::Bool(
                    quote! { Ok::<bool, ExcelError>(matches!(#place, Value::Empty)) },
                )),
                _ => None,
            });
        }
        if codes.is_empty() || !codes.iter().all(|c| matches!(c, Code::Bool(_))) {
            return Ok(None);
        }
        let truths: Vec<TokenStream> = codes.into_iter().map(Code::truth).collect();
        Ok(Some(Code::Bool(match f.name() {
            "NOT" => match truths.as_slice() {
                [x] => quote! { (#x).map(|b| !b) },
                _ => return Ok(None),
            },
            name => {
                let combine = match name {
                    "AND" => quote! { all },
                    _ => quote! { any },
                };
                quote! {{
                    let truths = [#(#truths),*];
                    match truths.iter().find_map(|t| t.err()) {
                        Some(e) => Err(e),
                        None => Ok(truths.iter().#combine(|t| *t == Ok(true))),
                    }
                }}
            }
        })))
    }

    /// A call of the library function `f` with Excel's calling convention.
    fn library_call(&self, f: Function, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        let path = function_path(f).ok_or(Unsupported)?;
        let args =
            args.iter().map(|a| Ok(self.expr(a, scope)?.operand())).collect::<Gen<Vec<_>>>()?;
        Ok(Code::Operand(quote! { functions::call_with(#path, &mut [#(#args),*], f) }))
    }
}
