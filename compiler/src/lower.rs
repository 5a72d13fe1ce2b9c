//! Lowering: a formula's syntax tree becomes an [`Expr`] of the IR, with
//! sheets, defined names and functions resolved and Excel's evaluation mode
//! made explicit.
//!
//! A plain formula evaluates in *scalar* mode: a multi-cell reference (or an
//! array) where one value is expected is implicitly intersected with the
//! formula's cell, which the IR spells [`Expr::Implicit`]. Array formulas,
//! and parameters that Excel always evaluates as arrays ([`Param::Array`],
//! such as `SUMPRODUCT`'s), evaluate in *array* mode: references become
//! arrays and scalar functions map over them.

use std::collections::BTreeMap;

use runtime::functions::{Function, Param};
use runtime::ir::{Expr, RefOp};
use runtime::ops;
use runtime::reference::{CellAddr, RangeRef, SheetId, MAX_COLS, MAX_ROWS};
use runtime::value::{Array, ExcelError, Value};

use crate::formula::ast::{self, Area, Node, SheetPart, Span};
use crate::formula::parser::{parse, shift};
use crate::workbook::Workbook;

mod known;

/// Deepest chain of defined names referring to defined names.
const MAX_NAME_DEPTH: u32 = 32;

/// How an expression is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Scalar,
    Array,
}

/// Why a formula cannot be lowered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) message: String,
    pub(crate) span: Span,
}

/// Lowers the formulas of one workbook.
pub(crate) struct Lowerer<'a> {
    wb: &'a Workbook,
    /// Parsed defined names by (upper-case name, scope).
    names: BTreeMap<(String, Option<usize>), Node>,
}

/// The state of lowering one formula.
struct FormulaLowering<'l, 'a> {
    lowerer: &'l Lowerer<'a>,
    host: CellAddr,
    problems: Vec<Problem>,
    /// Constructs that compute as Excel does but are likely mistakes.
    notes: Vec<Problem>,
    name_depth: u32,
    /// Names bound by enclosing `LET`s and lambda parameters, innermost last.
    scope: Vec<(String, Binding)>,
    /// The locals bound to a lambda parameter its call left out, for
    /// `ISOMITTED`.
    omitted: Vec<u32>,
}

/// What a name bound by `LET` or a lambda parameter stands for.
#[derive(Clone)]
enum Binding {
    /// A value on the stack of locals, by position.
    Local(u32),
    /// A `LAMBDA`, kept as syntax and lowered where it is called.
    Lambda(LambdaSyntax),
}

/// A `LAMBDA` as written: its parameters, how many of them a call must
/// give (the rest are optional, written `[b]` and stored `_xlop.b`), and
/// its body.
#[derive(Clone)]
struct LambdaSyntax {
    params: Vec<String>,
    required: usize,
    body: Node,
}

/// A lowered formula and the notes worth a warning.
pub(crate) struct LoweredFormula {
    pub(crate) expr: Expr,
    pub(crate) notes: Vec<Problem>,
}

impl<'a> Lowerer<'a> {
    /// Parses the workbook's defined names once. Names that do not parse are
    /// left out; a formula using one reports it as unknown.
    pub(crate) fn new(wb: &'a Workbook) -> Lowerer<'a> {
        let mut names = BTreeMap::new();
        for name in &wb.raw.names {
            if let Ok(node) = parse(&name.formula) {
                names.insert((name.name.to_ascii_uppercase(), name.scope), node);
            }
        }
        Lowerer { wb, names }
    }

    /// Lowers the formula of the cell `host`.
    ///
    /// # Errors
    ///
    /// Every construct the engine cannot evaluate, with its span.
    pub(crate) fn lower(
        &self,
        host: CellAddr,
        node: &Node,
        array: bool,
    ) -> Result<LoweredFormula, Vec<Problem>> {
        let mut state = self.state(host);
        let mode = if array { Mode::Array } else { Mode::Scalar };
        let mut expr = state.scalar(node, mode);
        // FIXME: whether Excel corrects the elements of an array formula's
        // last `+` or `-` close to zero is unknown; they are left exact.
        if !array && node.is_bare_binary() {
            snap_last_operation(&mut expr);
        }
        if state.problems.is_empty() {
            Ok(LoweredFormula { expr, notes: state.notes })
        } else {
            Err(state.problems)
        }
    }

    fn state(&self, host: CellAddr) -> FormulaLowering<'_, 'a> {
        let (problems, notes) = (Vec::new(), Vec::new());
        let (scope, omitted) = (Vec::new(), Vec::new());
        FormulaLowering { lowerer: self, host, problems, notes, name_depth: 0, scope, omitted }
    }

    /// A defined name as a reference, for `INDIRECT` and for the capacity of
    /// `IN`; `None` when the name is not a plain reference.
    pub(crate) fn name_reference(&self, node: &Node) -> Option<RangeRef> {
        let mut state = self.state(CellAddr::new(0, 0, 0));
        match state.node(node, Mode::Array) {
            Expr::Cell(cell) => Some(RangeRef::cell(cell)),
            Expr::Range(range) => Some(range),
            _ => None,
        }
    }
}

impl FormulaLowering<'_, '_> {
    fn problem(&mut self, span: &Span, message: String) -> Expr {
        self.problems.push(Problem { message, span: span.clone() });
        Expr::Error(ExcelError::Value)
    }

    /// Lowers `node` where one value is expected: in scalar mode a
    /// reference or array that may hold several cells is implicitly
    /// intersected.
    fn scalar(&mut self, node: &Node, mode: Mode) -> Expr {
        let expr = self.node(node, mode);
        match mode {
            Mode::Scalar if may_be_multi(&expr) => Expr::Implicit(Box::new(expr)),
            _ => expr,
        }
    }

    /// Lowers `node` as it is, references staying references.
    fn node(&mut self, node: &Node, mode: Mode) -> Expr {
        match &node.expr {
            ast::Expr::Number(n) => Expr::Value(Value::Number(*n)),
            ast::Expr::Text(s) => Expr::Value(Value::text(s)),
            ast::Expr::Bool(b) => Expr::Value(Value::Bool(*b)),
            ast::Expr::Error(e) => Expr::Error(*e),
            ast::Expr::Missing => Expr::Missing,
            ast::Expr::Array(rows) => self.array(rows, &node.span),
            ast::Expr::Ref(reference) => self.reference(reference, &node.span),
            ast::Expr::Name { sheet, name } => self.name(sheet.as_deref(), name, &node.span, mode),
            ast::Expr::Table { table, spec } => self.table(table, spec, &node.span),
            ast::Expr::Unary(op, operand) => self.unary(*op, operand, &node.span, mode),
            ast::Expr::Binary(op, left, right) => self.binary(*op, left, right, mode),
            ast::Expr::Call { name, args } => self.call(name, args, &node.span, mode),
            ast::Expr::Apply { callee, args } => match lambda_parts(callee) {
                Some(lambda) => self.invoke(&lambda, args, mode),
                None => self.problem(&node.span, "only a LAMBDA can be called".to_string()),
            },
        }
    }

    fn array(&mut self, rows: &[Vec<Node>], span: &Span) -> Expr {
        let n_rows = rows.len();
        let n_cols = rows.first().map_or(0, Vec::len);
        let mut values = Vec::with_capacity(n_rows * n_cols);
        for row in rows {
            if row.len() != n_cols {
                return self.problem(span, "array constant rows differ in length".to_string());
            }
            for item in row {
                match array_item(item) {
                    Some(v) => values.push(v),
                    None => {
                        return self
                            .problem(&item.span, "array constants hold only constants".into())
                    }
                }
            }
        }
        match Array::new(n_rows, n_cols, values) {
            Some(a) => Expr::Value(Value::Array(std::sync::Arc::new(a))),
            None => self.problem(span, "empty array constant".to_string()),
        }
    }

    fn sheet(&mut self, part: Option<&SheetPart>, span: &Span) -> Result<SheetId, Expr> {
        match part {
            None => Ok(self.host.sheet),
            Some(SheetPart::One(name)) => match self.lowerer.wb.sheet_index(name) {
                Some(index) => Ok(index as SheetId),
                None => {
                    let message = format!("sheet '{name}' does not exist: the reference is #REF!");
                    self.notes.push(Problem { message, span: span.clone() });
                    Err(Expr::Error(ExcelError::Ref))
                }
            },
            Some(SheetPart::Span(first, last)) => Err(self.problem(
                span,
                format!("3-D reference across sheets {first}:{last} is not supported"),
            )),
        }
    }

    fn reference(&mut self, reference: &ast::Reference, span: &Span) -> Expr {
        if let Some(SheetPart::Span(first, last)) = &reference.sheet {
            return self.three_d(first, last, reference, span);
        }
        let sheet = match self.sheet(reference.sheet.as_ref(), span) {
            Ok(sheet) => sheet,
            Err(expr) => return expr,
        };
        match reference.area {
            Area::Cell(pos) => Expr::Cell(CellAddr::new(sheet, pos.row.index, pos.col.index)),
            Area::Range(a, b) => Expr::Range(RangeRef {
                sheet,
                first_row: a.row.index.min(b.row.index),
                first_col: a.col.index.min(b.col.index),
                last_row: a.row.index.max(b.row.index),
                last_col: a.col.index.max(b.col.index),
            }),
            Area::Rows { first, last } => Expr::Range(RangeRef {
                sheet,
                first_row: first.index.min(last.index),
                last_row: first.index.max(last.index),
                first_col: 0,
                last_col: MAX_COLS - 1,
            }),
            Area::Cols { first, last } => Expr::Range(RangeRef {
                sheet,
                first_col: first.index.min(last.index),
                last_col: first.index.max(last.index),
                first_row: 0,
                last_row: MAX_ROWS - 1,
            }),
        }
    }

    /// A defined name is replaced by its formula, shifted to the host cell
    /// (Excel keeps a name's relative references relative to `A1`).
    fn name(&mut self, sheet: Option<&str>, name: &str, span: &Span, mode: Mode) -> Expr {
        if let Some(binding) = sheet.is_none().then(|| self.bound(name)).flatten() {
            return match binding {
                Binding::Local(slot) => Expr::Local(slot),
                // Excel shows a lambda that is not called as #CALC!.
                Binding::Lambda(..) => Expr::Error(ExcelError::Calc),
            };
        }
        let wb = self.lowerer.wb;
        let scope = match sheet {
            Some(sheet) => match wb.sheet_index(sheet) {
                Some(index) => Some(index),
                None => return Expr::Error(ExcelError::Ref),
            },
            None => Some(usize::from(self.host.sheet)),
        };
        let key = name.to_ascii_uppercase();
        let names = &self.lowerer.names;
        let found = names.get(&(key.clone(), scope)).or_else(|| match sheet {
            Some(_) => None,
            None => names.get(&(key, None)),
        });
        let Some(node) = found else {
            return Expr::Error(ExcelError::Name);
        };
        if self.name_depth >= MAX_NAME_DEPTH {
            return self.problem(span, format!("defined name '{name}' refers to itself"));
        }
        // FIXME: Excel wraps a name's relative references around the grid (a
        // name for "the row above" defined from row 1 points at row 1,048,576);
        // here a reference shifted off the grid is #REF!.
        let shifted = shift(node, i64::from(self.host.row), i64::from(self.host.col));
        self.name_depth += 1;
        let expr = self.node(&shifted, mode);
        self.name_depth -= 1;
        expr
    }

    fn unary(&mut self, op: ast::UnaryOp, operand: &Node, span: &Span, mode: Mode) -> Expr {
        let op = match op {
            ast::UnaryOp::Neg => ops::UnaryOp::Neg,
            ast::UnaryOp::Plus => ops::UnaryOp::Plus,
            ast::UnaryOp::Percent => ops::UnaryOp::Percent,
            ast::UnaryOp::At => return Expr::Implicit(Box::new(self.node(operand, mode))),
            ast::UnaryOp::Spill => return self.spill(operand, span),
        };
        Expr::Unary(op, Box::new(self.scalar(operand, mode)))
    }

    /// The spill range of the array formula whose top-left cell `operand`
    /// is (`A3#`, stored as `ANCHORARRAY(A3)`): for a dynamic array, the
    /// range the file records while the result keeps that shape, else the
    /// result itself ([`Expr::Spill`]); for a legacy array formula, its
    /// range. A cell that holds no array formula is `#REF!`. A computed
    /// anchor (`OFFSET(A1,1,1)#`) is looked up at run time.
    // FIXME: a computed anchor's `#` reads the range the file recorded, even
    // where the log makes that dynamic array grow or shrink.
    fn spill(&mut self, operand: &Node, span: &Span) -> Expr {
        let anchor = match self.node(operand, Mode::Array) {
            Expr::Cell(anchor) => anchor,
            Expr::Error(e) => return Expr::Error(e),
            expr @ (Expr::Call(..) | Expr::RefOp(..) | Expr::Local(_) | Expr::Let(..)) => {
                let Some(function) = Function::from_name("ANCHORARRAY") else {
                    return self.problem(span, "the spill operator '#' takes one cell".into());
                };
                return Expr::Call(function, vec![expr]);
            }
            _ => return Expr::Error(ExcelError::Ref),
        };
        let sheet = self.lowerer.wb.sheets.get(usize::from(anchor.sheet));
        let cell = sheet.and_then(|s| s.cells.get(&(anchor.row, anchor.col)));
        let Some(formula) = cell.and_then(|c| c.formula.as_ref()) else {
            return Expr::Error(ExcelError::Ref);
        };
        match formula.array {
            Some((first_row, first_col, last_row, last_col)) => {
                let sheet = anchor.sheet;
                let range = RangeRef { sheet, first_row, first_col, last_row, last_col };
                match formula.dynamic {
                    true => Expr::Spill { anchor, range },
                    false => Expr::Range(range),
                }
            }
            None => Expr::Error(ExcelError::Ref),
        }
    }

    /// `FORMULATEXT(reference)`: the formula of the reference's top-left
    /// cell as Excel shows it, read from the workbook while lowering; `#N/A`
    /// for a cell without a formula. A cell of an array formula's range shows
    /// that formula. A computed reference is looked up at run time.
    fn formula_text(&mut self, reference: &Node) -> Expr {
        match self.formula_at(reference, "FORMULATEXT") {
            Ok(Some(text)) => Expr::Value(Value::text(format!("={}", shown_formula(&text)))),
            Ok(None) => Expr::Error(ExcelError::NA),
            Err(expr) => expr,
        }
    }

    /// `ISFORMULA(reference)`: whether the reference's top-left cell holds a
    /// formula (or lies in an array formula's range).
    fn is_formula(&mut self, reference: &Node) -> Expr {
        match self.formula_at(reference, "ISFORMULA") {
            Ok(found) => Expr::Value(Value::Bool(found.is_some())),
            Err(expr) => expr,
        }
    }

    /// The stored formula of the top-left cell of a static reference, or
    /// the expression to use instead: an error, or for a computed reference
    /// a call of `function` that looks the cell up at run time.
    fn formula_at(&mut self, reference: &Node, function: &str) -> Result<Option<String>, Expr> {
        let cell = match self.node(reference, Mode::Array) {
            Expr::Cell(cell) => cell,
            Expr::Range(range) => range.top_left(),
            Expr::Error(e) => return Err(Expr::Error(e)),
            Expr::Value(_) => return Err(Expr::Error(ExcelError::Value)),
            expr => {
                let call = Function::from_name(function).map(|f| Expr::Call(f, vec![expr]));
                return Err(call.unwrap_or(Expr::Error(ExcelError::Value)));
            }
        };
        let Some(sheet) = self.lowerer.wb.sheets.get(usize::from(cell.sheet)) else {
            return Err(Expr::Error(ExcelError::Ref));
        };
        let own = sheet.cells.get(&(cell.row, cell.col)).and_then(|c| c.formula.as_ref());
        let holder = own.or_else(|| {
            sheet.cells.values().filter_map(|c| c.formula.as_ref()).find(|f| {
                f.array.is_some_and(|(r0, c0, r1, c1)| {
                    (r0..=r1).contains(&cell.row) && (c0..=c1).contains(&cell.col)
                })
            })
        });
        Ok(holder.map(|f| f.text.clone()))
    }

    fn sheets(&self) -> usize {
        self.lowerer.wb.sheets.len()
    }

    /// `SHEET(value)`: the 1-based position of the sheet a reference is on,
    /// or of the sheet a text names (`#N/A` when there is none).
    fn sheet_number(&mut self, target: &Node, span: &Span) -> Expr {
        let number = |index: usize| Expr::Value(Value::Number(index as f64 + 1.0));
        match self.node(target, Mode::Array) {
            Expr::Cell(cell) => number(usize::from(cell.sheet)),
            Expr::Range(range) => number(usize::from(range.sheet)),
            Expr::Value(Value::Text(name)) => match self.lowerer.wb.sheet_index(&name) {
                Some(index) => number(index),
                None => Expr::Error(ExcelError::NA),
            },
            Expr::Value(_) => Expr::Error(ExcelError::NA),
            Expr::Error(e) => Expr::Error(e),
            _ => self.problem(span, "SHEET of a computed value is not supported".to_string()),
        }
    }

    fn binary(&mut self, op: ast::BinaryOp, left: &Node, right: &Node, mode: Mode) -> Expr {
        let Some(first_op) = value_op(op) else {
            let ref_op = match op {
                ast::BinaryOp::Range => RefOp::Range,
                ast::BinaryOp::Union => RefOp::Union,
                _ => RefOp::Intersect,
            };
            return self.ref_op(ref_op, left, right, mode);
        };
        // Walk down the left spine in a loop: `a+b+c+…` nests to the left
        // as deep as the formula is long.
        let mut tail = vec![(first_op, right)];
        let mut head = left;
        while let ast::Expr::Binary(op, l, r) = &head.expr {
            let Some(op) = value_op(*op) else { break };
            tail.push((op, r.as_ref()));
            head = l.as_ref();
        }
        tail.reverse();
        let first = self.scalar(head, mode);
        let mut rest: Vec<(ops::BinaryOp, Expr)> =
            tail.into_iter().map(|(op, node)| (op, self.scalar(node, mode))).collect();
        if rest.len() == 1 {
            let (op, right) = rest.remove(0);
            return Expr::Binary(op, Box::new(first), Box::new(right));
        }
        Expr::Chain(Box::new(first), rest)
    }

    /// `:`, `,` and ` ` between references. Two static corners of a range
    /// fold into one static range, so the dependency graph sees every cell.
    fn ref_op(&mut self, op: RefOp, left: &Node, right: &Node, mode: Mode) -> Expr {
        let left = self.node(left, mode);
        let right = self.node(right, mode);
        if op == RefOp::Range {
            if let (Some(a), Some(b)) = (static_range(&left), static_range(&right)) {
                if a.sheet == b.sheet {
                    return Expr::Range(RangeRef {
                        sheet: a.sheet,
                        first_row: a.first_row.min(b.first_row),
                        first_col: a.first_col.min(b.first_col),
                        last_row: a.last_row.max(b.last_row),
                        last_col: a.last_col.max(b.last_col),
                    });
                }
            }
        }
        Expr::RefOp(op, Box::new(left), Box::new(right))
    }

    fn call(&mut self, name: &str, args: &[Node], span: &Span, mode: Mode) -> Expr {
        let bare = bare_function_name(name);
        if let Some(Binding::Lambda(lambda)) = self.bound(name) {
            return self.invoke(&lambda, args, mode);
        }
        match (bare.as_str(), args) {
            ("LET", _) => return self.let_(args, span, mode),
            // A lambda that is not called has no value: Excel shows #CALC!.
            ("LAMBDA", _) => return Expr::Error(ExcelError::Calc),
            ("ANCHORARRAY", [anchor]) => return self.spill(anchor, span),
            ("FORMULATEXT", [reference]) => return self.formula_text(reference),
            ("ISFORMULA", [reference]) => return self.is_formula(reference),
            ("SHEET" | "SHEETS", []) => {
                let n = if bare == "SHEET" { self.host.sheet as usize + 1 } else { self.sheets() };
                return Expr::Value(Value::Number(n as f64));
            }
            ("SHEET", [target]) => return self.sheet_number(target, span),
            ("ISOMITTED", [value]) => return Expr::Value(Value::Bool(self.is_omitted(value))),
            ("SHEETS", [target]) => {
                return match self.node(target, Mode::Array) {
                    Expr::Cell(_) | Expr::Range(_) => Expr::Value(Value::Number(1.0)),
                    Expr::Error(e) => Expr::Error(e),
                    _ => Expr::Error(ExcelError::Value),
                }
            }
            // `SINGLE` is how the file stores the `@` operator.
            ("SINGLE", [operand]) => return Expr::Implicit(Box::new(self.node(operand, mode))),
            _ => {}
        }
        let Some(function) = Function::from_name(name) else {
            if let Some(lambda) = self.named_lambda(name) {
                return self.invoke(&lambda, args, mode);
            }
            let macros = self.lowerer.wb.raw.macros;
            if known::unknown_to_excel(name, self.name_depth > 0, macros) {
                let message = format!("{bare} is not an Excel function: it is #NAME?, as in Excel");
                self.notes.push(Problem { message, span: span.clone() });
                return Expr::Error(ExcelError::Name);
            }
            return self.problem(span, format!("function {bare} is not supported"));
        };
        let signature = function.signature();
        if !signature.accepts(args.len()) {
            return self.problem(span, format!("{bare} does not take {} arguments", args.len()));
        }
        let mut lowered = Vec::with_capacity(args.len());
        for (index, arg) in args.iter().enumerate() {
            if index + 1 == args.len() && takes_lambda(function.name()) {
                lowered.push(self.lambda_argument(arg, span, mode));
                continue;
            }
            let expr = match signature.param(index) {
                _ if matches!(arg.expr, ast::Expr::Missing) && omitted_is_na(function.name()) => {
                    Expr::Error(ExcelError::NA)
                }
                _ if decides(function.name(), index, args.len()) => self.scalar(arg, mode),
                Param::Scalar => self.scalar(arg, mode),
                Param::Range | Param::Any => self.node(arg, mode),
                Param::Array => self.node(arg, Mode::Array),
            };
            lowered.push(expr);
        }
        Expr::Call(function, lowered)
    }
}

impl FormulaLowering<'_, '_> {
    /// The binding of a `LET` name or lambda parameter (`_xlpm.x`), if one
    /// is in scope.
    fn bound(&self, name: &str) -> Option<Binding> {
        let key = parameter_name(name)?;
        self.scope.iter().rev().find(|(n, _)| *n == key).map(|(_, b)| b.clone())
    }

    /// The next free position on the stack of locals.
    fn next_slot(&self) -> u32 {
        self.scope.iter().filter(|(_, b)| matches!(b, Binding::Local(_))).count() as u32
    }

    /// `LET(name1, value1, …, calculation)`: each value is evaluated once and
    /// bound to its name for the values after it and the calculation. A
    /// `LAMBDA` value is kept as syntax and lowered where it is called.
    fn let_(&mut self, args: &[Node], span: &Span, mode: Mode) -> Expr {
        let Some((body, pairs)) = args.split_last() else {
            return self.problem(span, "LET needs a calculation".to_string());
        };
        if pairs.is_empty() || pairs.len() % 2 != 0 {
            return self.problem(span, "LET takes names and values in pairs".to_string());
        }
        let outer = self.scope.len();
        let mut values = Vec::new();
        for pair in pairs.chunks(2) {
            let Some(key) = node_parameter(&pair[0]) else {
                self.scope.truncate(outer);
                return self.problem(&pair[0].span, "LET names must be plain names".to_string());
            };
            if let Some(lambda) = lambda_parts(&pair[1]) {
                self.scope.push((key, Binding::Lambda(lambda)));
                continue;
            }
            let value = self.node(&pair[1], mode);
            let slot = self.next_slot();
            self.scope.push((key, Binding::Local(slot)));
            values.push(value);
        }
        let mut expr = self.node(body, mode);
        self.scope.truncate(outer);
        for value in values.into_iter().rev() {
            expr = Expr::Let(Box::new(value), Box::new(expr));
        }
        expr
    }

    /// A lambda called with `args`: each argument is bound to its parameter
    /// and the body lowered in place. Fewer arguments than required
    /// parameters, or more than parameters, is `#VALUE!`. A parameter whose
    /// argument is left out (`LAMBDA(x,y,…)(1,)`, or an optional one not
    /// given) is empty, and `ISOMITTED` of it is TRUE.
    fn invoke(&mut self, lambda: &LambdaSyntax, args: &[Node], mode: Mode) -> Expr {
        let LambdaSyntax { params, required, body } = lambda;
        if args.len() < *required || args.len() > params.len() {
            return Expr::Error(ExcelError::Value);
        }
        let given = |index: usize| args.get(index).filter(|a| a.expr != ast::Expr::Missing);
        let values: Vec<Expr> = (0..params.len())
            .map(|index| given(index).map_or(Expr::Missing, |a| self.node(a, mode)))
            .collect();
        let (outer, outer_omitted) = (self.scope.len(), self.omitted.len());
        for (index, param) in params.iter().enumerate() {
            let slot = self.next_slot();
            if given(index).is_none() {
                self.omitted.push(slot);
            }
            self.scope.push((param.clone(), Binding::Local(slot)));
        }
        let mut expr = self.node(body, mode);
        self.scope.truncate(outer);
        self.omitted.truncate(outer_omitted);
        for value in values.into_iter().rev() {
            expr = Expr::Let(Box::new(value), Box::new(expr));
        }
        expr
    }

    /// `ISOMITTED(value)`: whether `value` is a lambda parameter whose
    /// argument the call left out; known where the lambda is lowered.
    fn is_omitted(&self, value: &Node) -> bool {
        match &value.expr {
            ast::Expr::Name { sheet: None, name } => match self.bound(name) {
                Some(Binding::Local(slot)) => self.omitted.contains(&slot),
                _ => false,
            },
            _ => false,
        }
    }

    /// The last argument of a lambda helper (`MAP`, `REDUCE`, …): a
    /// `LAMBDA`, or a name bound to one.
    fn lambda_argument(&mut self, arg: &Node, span: &Span, mode: Mode) -> Expr {
        let parts = lambda_parts(arg).or_else(|| match &arg.expr {
            ast::Expr::Name { sheet: None, name } => match self.bound(name) {
                Some(Binding::Lambda(lambda)) => Some(lambda),
                _ => self.named_lambda(name),
            },
            _ => None,
        });
        let Some(LambdaSyntax { params, body, .. }) = parts else {
            return self.problem(span, "the last argument must be a LAMBDA".to_string());
        };
        let outer = self.scope.len();
        for param in &params {
            let slot = self.next_slot();
            self.scope.push((param.clone(), Binding::Local(slot)));
        }
        let body = self.node(&body, mode);
        self.scope.truncate(outer);
        Expr::Lambda { params: params.len() as u32, body: Box::new(body) }
    }

    /// A defined name whose formula is a `LAMBDA`, called like a function
    /// (`=Temperature(A5)`).
    fn named_lambda(&self, name: &str) -> Option<LambdaSyntax> {
        let key = name.to_ascii_uppercase();
        let names = &self.lowerer.names;
        let scoped = names.get(&(key.clone(), Some(usize::from(self.host.sheet))));
        lambda_parts(scoped.or_else(|| names.get(&(key, None)))?)
    }
}

/// A formula as Excel shows it: without the `_xlfn.`, `_xlws.` and
/// `_xlpm.` prefixes the file stores.
pub(crate) fn shown_formula(stored: &str) -> String {
    let mut out = stored.to_string();
    for prefix in ["_xlfn._xlws.", "_xlfn.", "_xlws.", "_xlpm."] {
        out = out.replace(prefix, "");
    }
    out
}

/// Whether a function takes a `LAMBDA` as its last argument.
fn takes_lambda(function: &str) -> bool {
    matches!(function, "MAP" | "REDUCE" | "SCAN" | "BYROW" | "BYCOL" | "MAKEARRAY")
}

/// Whether an omitted argument of a function is `#N/A` rather than an
/// empty value, as in `=MROUND(,5)` and `=MROUND(5,)` (Excel:
/// calc_tests/MATH_AND_TRIGONOMETRY/MROUND_TRUNC_INT.xlsx MROUND!C34, C36),
/// while `=MROUND(A1,5)` with A1 empty is 0. `GCD` and `LCM` do the same,
/// but take ranges and see the omitted argument themselves.
fn omitted_is_na(function: &str) -> bool {
    function == "MROUND"
}

/// The name of a `LET` variable or lambda parameter as Excel stores it
/// (`_xlpm.x`), upper-cased without the prefix; `None` for other names.
fn parameter_name(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    upper.strip_prefix("_XLPM.").map(str::to_string)
}

/// The parameter name a node spells, if it is one.
fn node_parameter(node: &Node) -> Option<String> {
    match &node.expr {
        ast::Expr::Name { sheet: None, name } => parameter_name(name),
        _ => None,
    }
}

/// The parameters and body of a `LAMBDA(…)` node. Optional parameters
/// (`_xlop.b`) come after the required ones (`_xlpm.a`), or the node is not
/// a lambda the engine calls.
fn lambda_parts(node: &Node) -> Option<LambdaSyntax> {
    let ast::Expr::Call { name, args } = &node.expr else { return None };
    if bare_function_name(name) != "LAMBDA" {
        return None;
    }
    let (body, declared) = args.split_last()?;
    let mut params = Vec::with_capacity(declared.len());
    let mut required = 0;
    for param in declared {
        let ast::Expr::Name { sheet: None, name } = &param.expr else { return None };
        match (parameter_name(name), optional_parameter_name(name)) {
            (Some(name), _) if required == params.len() => {
                required += 1;
                params.push(name);
            }
            (None, Some(name)) => params.push(name),
            _ => return None,
        }
    }
    Some(LambdaSyntax { params, required, body: body.clone() })
}

/// The name of an optional lambda parameter as Excel stores it (`_xlop.b`
/// for `[b]`), upper-cased without the prefix.
fn optional_parameter_name(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    upper.strip_prefix("_XLOP.").map(str::to_string)
}

/// Whether argument `index` of a branching function is the one that decides
/// which branch to take: it takes one value, so in a plain formula a range
/// there is implicitly intersected (`=IF(C2:C301,1,0)` in row 5 tests C5).
fn decides(function: &str, index: usize, n_args: usize) -> bool {
    match function {
        "IF" | "IFERROR" | "IFNA" | "CHOOSE" => index == 0,
        "IFS" => index.is_multiple_of(2),
        // The subject and each case value, but not a trailing default.
        "SWITCH" => index == 0 || (!index.is_multiple_of(2) && index + 1 < n_args),
        _ => false,
    }
}

/// Gives the last operation of a formula Excel's correction of a sum close
/// to zero ([`ops::snap_sum`]) when it is an addition or a subtraction. The
/// caller checks that the formula's root is an operation not written in
/// parentheses: `=0.5-0.4-0.1` is 0, `=(0.5-0.4-0.1)` is -2.78E-17.
fn snap_last_operation(expr: &mut Expr) {
    let op = match expr {
        Expr::Binary(op, _, _) => op,
        Expr::Chain(_, rest) => match rest.last_mut() {
            Some((op, _)) => op,
            None => return,
        },
        _ => return,
    };
    if let Some(snapped) = op.snapped() {
        *op = snapped;
    }
}

/// The value operator of an AST operator; `None` for reference operators.
fn value_op(op: ast::BinaryOp) -> Option<ops::BinaryOp> {
    Some(match op {
        ast::BinaryOp::Range | ast::BinaryOp::Union | ast::BinaryOp::Intersect => return None,
        ast::BinaryOp::Pow => ops::BinaryOp::Pow,
        ast::BinaryOp::Mul => ops::BinaryOp::Mul,
        ast::BinaryOp::Div => ops::BinaryOp::Div,
        ast::BinaryOp::Add => ops::BinaryOp::Add,
        ast::BinaryOp::Sub => ops::BinaryOp::Sub,
        ast::BinaryOp::Concat => ops::BinaryOp::Concat,
        ast::BinaryOp::Eq => ops::BinaryOp::Eq,
        ast::BinaryOp::Ne => ops::BinaryOp::Ne,
        ast::BinaryOp::Lt => ops::BinaryOp::Lt,
        ast::BinaryOp::Le => ops::BinaryOp::Le,
        ast::BinaryOp::Gt => ops::BinaryOp::Gt,
        ast::BinaryOp::Ge => ops::BinaryOp::Ge,
    })
}

/// The function name without Excel's `_xlfn.` / `_xlws.` storage prefixes.
pub(crate) fn bare_function_name(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    let rest = upper.strip_prefix("_XLFN.").unwrap_or(&upper);
    rest.strip_prefix("_XLWS.").unwrap_or(rest).to_string()
}

/// Whether an expression may produce several cells or an array.
fn may_be_multi(expr: &Expr) -> bool {
    match expr {
        Expr::Range(r) => !r.is_single_cell(),
        Expr::RefOp(..) | Expr::Call(..) | Expr::Let(..) | Expr::Local(_) => true,
        Expr::Value(Value::Array(_)) => true,
        _ => false,
    }
}

fn static_range(expr: &Expr) -> Option<RangeRef> {
    match expr {
        Expr::Cell(cell) => Some(RangeRef::cell(*cell)),
        Expr::Range(range) => Some(*range),
        _ => None,
    }
}

/// An element of an array constant.
fn array_item(node: &Node) -> Option<Value> {
    match &node.expr {
        ast::Expr::Number(n) => Some(Value::Number(*n)),
        ast::Expr::Text(s) => Some(Value::text(s)),
        ast::Expr::Bool(b) => Some(Value::Bool(*b)),
        ast::Expr::Error(e) => Some(Value::Error(*e)),
        ast::Expr::Unary(ast::UnaryOp::Neg, inner) => match array_item(inner)? {
            Value::Number(n) => Some(Value::Number(-n)),
            _ => None,
        },
        ast::Expr::Unary(ast::UnaryOp::Plus, inner) => array_item(inner),
        _ => None,
    }
}

impl FormulaLowering<'_, '_> {
    /// A structured reference, resolved to the rectangle of its table's
    /// sheet it names; an unqualified one (`[@Col]`) names the table that
    /// holds the formula.
    fn table(&mut self, name: &str, spec: &str, span: &Span) -> Expr {
        use crate::formula::structured::{parse_spec, resolve, Unresolved};
        let host = self.host;
        let tables = &self.lowerer.wb.raw.tables;
        let found = if name.is_empty() {
            tables.iter().find(|t| {
                let (r0, c0, r1, c1) = t.range;
                t.sheet == usize::from(host.sheet)
                    && (r0..=r1).contains(&host.row)
                    && (c0..=c1).contains(&host.col)
            })
        } else {
            tables.iter().find(|t| t.display_name.eq_ignore_ascii_case(name))
        };
        let Some(table) = found else {
            let message = match name {
                "" => format!("structured reference [{spec}] outside any table"),
                _ => format!("table '{name}' does not exist"),
            };
            return self.problem(span, message);
        };
        let parsed = match parse_spec(spec) {
            Ok(parsed) => parsed,
            Err(message) => return self.problem(span, message),
        };
        match resolve(table, &parsed, host.row) {
            Ok((first_row, first_col, last_row, last_col)) => {
                let sheet = table.sheet as SheetId;
                if first_row == last_row && first_col == last_col {
                    Expr::Cell(CellAddr::new(sheet, first_row, first_col))
                } else {
                    Expr::Range(RangeRef { sheet, first_row, first_col, last_row, last_col })
                }
            }
            Err(Unresolved::Ref) => Expr::Error(ExcelError::Ref),
            Err(Unresolved::Value) => Expr::Error(ExcelError::Value),
            Err(Unresolved::Syntax(message)) => self.problem(span, message),
        }
    }
}

impl FormulaLowering<'_, '_> {
    /// A 3-D reference (`Sheet1:Sheet3!A1:B2`): the same area on every sheet
    /// from the first named to the last, in workbook order, as a union that
    /// SUM-like functions read area by area.
    fn three_d(
        &mut self,
        first: &str,
        last: &str,
        reference: &ast::Reference,
        span: &Span,
    ) -> Expr {
        let wb = self.lowerer.wb;
        let (Some(a), Some(b)) = (wb.sheet_index(first), wb.sheet_index(last)) else {
            let message =
                format!("sheets {first}:{last} do not both exist: the reference is #REF!");
            self.notes.push(Problem { message, span: span.clone() });
            return Expr::Error(ExcelError::Ref);
        };
        let mut union: Option<Expr> = None;
        for index in a.min(b)..=a.max(b) {
            let name = wb.sheets[index].name.clone();
            let one = ast::Reference { sheet: Some(SheetPart::One(name)), area: reference.area };
            let area = self.reference(&one, span);
            union = Some(match union {
                None => area,
                Some(left) => Expr::RefOp(RefOp::Union, Box::new(left), Box::new(area)),
            });
        }
        union.unwrap_or(Expr::Error(ExcelError::Ref))
    }
}
