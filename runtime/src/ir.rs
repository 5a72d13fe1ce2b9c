//! The intermediate representation both evaluators consume.
//!
//! A [`Program`] is what the compiler keeps of a workbook: the layout of the
//! `IN` and `OUT` sheets, the constant cells (everything that does not
//! depend on the log, already folded), and the formula cells between `IN`
//! and `OUT` in dependency order. Runs of cells that hold the same formula
//! relative to their position (a column filled down over the log) are
//! marked as [`Block::Column`], so that a code generator can emit one loop
//! where the interpreter walks cell by cell.

pub use crate::functions::datetime::parse::DateOrder;
use crate::functions::Function;
use crate::ops::{BinaryOp, UnaryOp};
use crate::reference::{CellAddr, RangeRef, Reference, SheetId};
use crate::value::{ExcelError, Value};

/// A compiled workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub sheets: Vec<SheetInfo>,
    /// True when the workbook uses the 1904 date system.
    pub date_1904: bool,
    /// How functions that read date text through the context (`VALUE`,
    /// `DATEVALUE`, the date functions) order an all-number date's day and
    /// month: the locale the workbook is calculated in. Month first (en-US)
    /// everywhere but a conformance check run in another locale.
    pub date_order: DateOrder,
    pub input: InputLayout,
    pub output: OutputLayout,
    /// Cells whose value does not depend on the log, in (sheet, row, col)
    /// order: constants of the template and formulas folded at compile time.
    /// The folded top-left cell of an array formula holds the whole array
    /// (see [`Expr::ArrayFormula`]); reading the cell gives its top-left
    /// element.
    pub constants: Vec<(CellAddr, Value)>,
    /// Formula cells that depend on the log, in an order where every static
    /// precedent comes first.
    pub formulas: Vec<FormulaCell>,
    /// The formulas grouped by shape, covering `formulas` in order.
    pub blocks: Vec<Block>,
    /// Defined names, for `INDIRECT` to resolve at run time.
    pub names: Vec<DefinedName>,
    /// The workbook's formulas as a reference computed at run time sees
    /// them (`FORMULATEXT(OFFSET(…))`, `ANCHORARRAY(INDIRECT(…))`), sorted
    /// by the top-left cell of their range: every formula when one calls
    /// `FORMULATEXT`, `ISFORMULA` or `ANCHORARRAY` on a computed reference,
    /// else only those that call `SUBTOTAL` when one does, else none.
    pub sources: Vec<SourceFormula>,
    /// Rows the file hides, in (sheet, row) order, for `SUBTOTAL`.
    pub hidden_rows: Vec<HiddenRow>,
    /// Excel's iterative calculation, when the workbook enables it and
    /// `formulas` hold cells that read each other in a loop.
    pub iteration: Option<Iteration>,
    /// The dynamic arrays whose shape can change with the log, by anchor.
    pub growing_spills: Vec<GrowingSpill>,
}

/// A dynamic array whose shape can change with the log. Excel spills it
/// into blank cells only: when its result would cover a cell that holds a
/// value or a formula, its top-left cell shows `#SPILL!` and the rest of
/// its range stays empty.
#[derive(Clone, Debug, PartialEq)]
pub struct GrowingSpill {
    pub anchor: CellAddr,
    /// The cells right of and below `anchor` (offsets from it) that hold
    /// something, outside the spill range the file recorded.
    pub blockers: Vec<(u32, u32)>,
}

impl GrowingSpill {
    /// Whether a result of `rows` by `cols` would cover a blocker.
    pub fn blocked(&self, rows: usize, cols: usize) -> bool {
        self.blockers.iter().any(|&(r, c)| (r as usize) < rows && (c as usize) < cols)
    }
}

/// How the cells of circular references are computed when a workbook
/// enables iterative calculation.
///
/// Each cycle is computed by sweeps: every cell of the cycle once, by
/// sheet, row and column, reading the newest values of the others (those
/// of this sweep for cells before it, of the sweep before for the rest), as
/// published walk-throughs of Excel's iteration show: with `A1 = 1+A2` and
/// `A2 = 1+A1`, ten iterations leave 19 in `A1` and 20 in `A2`. Every cell
/// starts from 0, as a blank cell does; sweeps stop after the sweep in
/// which no cell changed by `max_change` or more, or after
/// `max_iterations` sweeps.
/// Excel starts from the values the cells held before the recalculation;
/// the engine keeps no state between evaluations, so each evaluation
/// starts afresh, and its answer equals Excel's where the cycle settles
/// within the limits. Each cycle stops on its own.
// FIXME: whether Excel stops every cycle of a workbook together (the slowest
// deciding for all) is not documented; where it does, a cycle that settles
// early here has taken fewer sweeps than in Excel.
#[derive(Clone, Debug, PartialEq)]
pub struct Iteration {
    /// The most sweeps over one cycle (`iterateCount`, 100 by default).
    pub max_iterations: u32,
    /// Sweeps stop once no cell changes by this much (`iterateDelta`,
    /// 0.001 by default).
    pub max_change: f64,
    /// Each cycle as the range of `formulas` it occupies.
    pub cycles: Vec<std::ops::Range<usize>>,
}

/// A row the file marks hidden.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HiddenRow {
    pub sheet: SheetId,
    pub row: u32,
    /// Hidden by an autofilter that filters on some column (the row lies
    /// in its range, below the header), not by hand: `SUBTOTAL(9, …)`
    /// skips it, where only `SUBTOTAL(109, …)` skips a row hidden by hand.
    pub filtered: bool,
}

/// A formula of the workbook, for the functions that look at a cell's
/// formula rather than its value.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceFormula {
    /// The formula's cell, or the whole range of an array formula.
    pub range: RangeRef,
    /// The formula as `FORMULATEXT` shows it, with its `=`.
    pub text: String,
    /// True for an array formula (legacy or dynamic).
    pub array: bool,
    /// True when the formula calls `SUBTOTAL`, whose ranges skip such cells.
    pub subtotal: bool,
}

/// One sheet of the workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetInfo {
    pub name: String,
    /// Rows and columns past which the sheet holds nothing, counting the
    /// `IN` rows the log may fill.
    pub used_rows: u32,
    pub used_cols: u32,
}

/// Where the log goes: the `IN` sheet's input columns, one entry per row from
/// row 2.
#[derive(Clone, Debug, PartialEq)]
pub struct InputLayout {
    pub sheet: SheetId,
    pub columns: Vec<InputColumn>,
    /// Derived columns (formulas filled down), by header, for describing the file.
    pub derived: Vec<(u32, String)>,
    /// The most entries a log may hold.
    pub capacity: u32,
}

/// An input column of the `IN` sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct InputColumn {
    /// 0-based column index.
    pub col: u32,
    /// The header as written in row 1.
    pub header: String,
    /// The data validation the template sets on the column, if any.
    pub validation: Option<Validation>,
}

/// Data validation on an input column, as `docs/workbooks.md` enforces it.
#[derive(Clone, Debug, PartialEq)]
pub enum Validation {
    /// A whole number within the bounds.
    Whole { min: Option<f64>, max: Option<f64>, allow_blank: bool },
    /// Any number within the bounds.
    Decimal { min: Option<f64>, max: Option<f64>, allow_blank: bool },
    /// One of the listed values (compared case-insensitively for text).
    List { items: Vec<Value>, allow_blank: bool },
    /// Text whose length lies within the bounds.
    TextLength { min: Option<f64>, max: Option<f64>, allow_blank: bool },
}

/// The outcome rows of the `OUT` sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLayout {
    pub sheet: SheetId,
    /// Columns in order with the key each has in the answer.
    pub columns: Vec<OutputColumn>,
    /// 0-based rows that are outcome rows, in order.
    pub rows: Vec<u32>,
}

/// An output column and its key in the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputColumn {
    pub col: u32,
    pub key: String,
}

/// A formula cell and its lowered expression.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaCell {
    pub addr: CellAddr,
    pub expr: Expr,
    /// The formula as written, for generated code and diagnostics.
    pub source: String,
}

/// A run of formulas in [`Program::formulas`].
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// One formula cell, by index into `formulas`.
    Single(usize),
    /// Formulas `start..start + len` sit in consecutive rows of one column
    /// and are the same formula relative to their row: a column filled down.
    Column { start: usize, len: usize },
}

/// A defined name visible to `INDIRECT`.
#[derive(Clone, Debug, PartialEq)]
pub struct DefinedName {
    pub name: String,
    /// `None` for workbook scope.
    pub scope: Option<SheetId>,
    pub target: Reference,
}

/// An expression with every name, sheet and shared formula resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal, an array constant or a folded constant.
    Value(Value),
    /// An omitted argument (`IF(A1,,2)`).
    Missing,
    /// A one-cell reference.
    Cell(CellAddr),
    /// A range reference.
    Range(RangeRef),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A left-to-right chain of binary operators, `a + b - c & d`: the first
    /// operand, then each operator with its right operand, applied in order.
    /// Long formulas nest thousands of operators deep; a chain keeps the tree
    /// shallow.
    Chain(Box<Expr>, Vec<(BinaryOp, Expr)>),
    /// A reference operator: `:` (range), `,` (union) or ` ` (intersection).
    RefOp(RefOp, Box<Expr>, Box<Expr>),
    /// A function call; arguments in order.
    Call(Function, Vec<Expr>),
    /// Implicit intersection: a reference in a place that takes one value,
    /// in a formula that is not an array formula.
    Implicit(Box<Expr>),
    /// An error that is known at compile time (`#REF!` of a deleted reference).
    Error(ExcelError),
    /// The root of an array formula (legacy CSE or dynamic array), and only
    /// ever the root of a [`FormulaCell`]: the operand is lowered in array
    /// mode and the cell holds its whole result as a [`Value::Array`] (a
    /// reference becomes the array of its values, an empty element shows as
    /// 0, a 1x1 result is stored as a plain value). Reading the cell gives
    /// the array's top-left element; the other cells of the formula's range
    /// read theirs through [`Expr::ArrayElement`].
    ArrayFormula(Box<Expr>),
    /// A cell of an array formula's range other than its top-left: element
    /// (`row`, `col`), 0-based offsets from `anchor`, of the array held by the
    /// [`Expr::ArrayFormula`] cell at `anchor`.
    ///
    /// For a legacy (CSE) array formula (`spill` false), as in Excel, a
    /// single value fills the whole range, a one-row result repeats down the
    /// rows and a one-column result across the columns; past the result's
    /// edge the element is `#N/A`. For a dynamic array (`spill` true) the
    /// range is the spill range the file recorded: nothing stretches, and a
    /// cell past the result's edge is empty.
    ArrayElement {
        anchor: CellAddr,
        row: u32,
        col: u32,
        spill: bool,
    },
    /// The spill operator on a dynamic array's top-left cell (`A2#`):
    /// `range` is the spill range the file recorded. While the array held
    /// at `anchor` has that shape this is a reference to `range`; when the
    /// log makes it grow or shrink, it is the array itself, as Excel's `#`
    /// follows the spill wherever it goes.
    Spill {
        anchor: CellAddr,
        range: RangeRef,
    },
    /// A name bound by `LET` (or a `LAMBDA` parameter given its argument):
    /// the first expression is evaluated once, as a value or a reference,
    /// and bound as the next local; the second is evaluated with it bound.
    /// Locals form a stack that starts empty in every formula cell.
    Let(Box<Expr>, Box<Expr>),
    /// The local at this position of the stack of names bound by enclosing
    /// [`Expr::Let`]s and [`Expr::Lambda`]s, counted from the formula's
    /// outermost binding (0).
    Local(u32),
    /// A `LAMBDA` given to `MAP`, `REDUCE`, `SCAN`, `BYROW`, `BYCOL` or
    /// `MAKEARRAY` (only ever as their last argument): the function binds
    /// its `params` arguments as the next locals and evaluates `body` once
    /// per call. Anywhere else a lambda is `#CALC!`.
    Lambda {
        params: u32,
        body: Box<Expr>,
    },
}

/// An operator that combines references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefOp {
    Range,
    Union,
    Intersect,
}

impl Program {
    /// The formula that holds `cell`: its own, or that of the array formula
    /// whose range covers it.
    pub fn source_formula(&self, cell: CellAddr) -> Option<&SourceFormula> {
        let key = |f: &SourceFormula| (f.range.sheet, f.range.first_row, f.range.first_col);
        let found = self.sources.binary_search_by_key(&(cell.sheet, cell.row, cell.col), key);
        if let Ok(i) = found {
            return self.sources.get(i);
        }
        self.sources.iter().find(|f| f.array && f.range.contains(cell))
    }

    /// Whether `cell` holds a formula that calls `SUBTOTAL`.
    pub fn is_subtotal(&self, cell: CellAddr) -> bool {
        let key = |f: &SourceFormula| (f.range.sheet, f.range.first_row, f.range.first_col);
        let found = self.sources.binary_search_by_key(&(cell.sheet, cell.row, cell.col), key);
        found.is_ok_and(|i| self.sources[i].subtotal)
    }

    /// The dynamic array anchored at `anchor`, when its shape can change
    /// with the log.
    pub fn growing_spill(&self, anchor: CellAddr) -> Option<&GrowingSpill> {
        let found = self.growing_spills.binary_search_by_key(&anchor, |s| s.anchor);
        found.ok().map(|i| &self.growing_spills[i])
    }

    /// The row, when the file hides it.
    pub fn hidden_row(&self, sheet: SheetId, row: u32) -> Option<&HiddenRow> {
        let found = self.hidden_rows.binary_search_by_key(&(sheet, row), |h| (h.sheet, h.row));
        found.ok().map(|i| &self.hidden_rows[i])
    }

    /// The cell that formula `index` adds to formula `index - 1` when it is
    /// a running total: `SUM` of one column whose range is the range of
    /// `index - 1`'s `SUM` grown by one row (`SUM($F$2:F9)` after
    /// `SUM($F$2:F8)`), wherever the two formulas sit.
    ///
    /// `SUM` adds in range order from 0 and returns the range's first
    /// error, so when formula `index - 1` holds a number, that number plus
    /// the new cell (a number added, an error returned, anything else
    /// skipped) is the whole sum, bit for bit: an evaluator may compute it
    /// in one step instead of reading the whole range again.
    pub fn running_total(&self, index: usize) -> Option<CellAddr> {
        let previous = index.checked_sub(1).and_then(|i| self.formulas.get(i))?;
        let range = summed_column(&self.formulas.get(index)?.expr)?;
        let above = summed_column(&previous.expr)?;
        let grown = RangeRef { last_row: above.last_row + 1, ..above };
        (range.first_row < range.last_row && range == grown)
            .then(|| CellAddr::new(range.sheet, range.last_row, range.first_col))
    }
}

/// The range of `SUM(range)` over one column, under any implicit
/// intersection (which leaves `SUM`'s single value as it is).
fn summed_column(expr: &Expr) -> Option<RangeRef> {
    let mut expr = expr;
    while let Expr::Implicit(inner) = expr {
        expr = inner;
    }
    let Expr::Call(Function::Math(crate::functions::math::MathFn::Sum), args) = expr else {
        return None;
    };
    let range = match args.as_slice() {
        [Expr::Range(range)] => *range,
        [Expr::Cell(cell)] => RangeRef::cell(*cell),
        _ => return None,
    };
    (range.first_col == range.last_col).then_some(range)
}
