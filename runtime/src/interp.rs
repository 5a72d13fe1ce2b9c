//! The IR interpreter: the reference evaluator, available as soon as a
//! workbook is compiled to IR.
//!
//! One evaluation walks [`Program::formulas`] in dependency order. A cell that
//! a dynamic reference (`OFFSET`, `INDIRECT`) reaches before its turn is
//! computed on demand, so nothing is read before it is computed; a cell met
//! again while it is being computed is a cycle the static graph could not
//! see, and reads as 0, as Excel shows the cells of a circular reference.
//! When the workbook enables iterative calculation, the cells of each cycle
//! are computed by sweeps instead ([`crate::ir::Iteration`]).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

use smallvec::SmallVec;

use crate::evaluator::{Entry, EvalError, Evaluator, Outcomes};
use crate::functions::{self, Function};
use crate::ir::{Expr, Program, RefOp};
use crate::ops;
use crate::reference::{CellAddr, Context, Operand, RangeRef, Reference, SheetId};
use crate::slots::{Slot, SlotTable};
use crate::value::{Array, ExcelError, Value};

mod lambda;
#[cfg(test)]
mod tests;

/// Stack left when a deeper evaluation moves to a fresh stack segment.
const STACK_RED_ZONE: usize = 256 * 1024;
/// Size of each stack segment taken from the heap.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Evaluates a [`Program`] by walking its IR.
#[derive(Debug)]
pub struct Interpreter {
    program: Arc<Program>,
    slots: SlotTable,
    /// Input column index by 0-based column of the `IN` sheet.
    input_cols: Vec<Option<usize>>,
    /// Per formula, the cell it adds to the formula before it when it is a
    /// running total ([`Program::running_total`]).
    running: Vec<Option<CellAddr>>,
    /// Per formula, the cycle of [`crate::ir::Iteration::cycles`] it belongs
    /// to; empty when the program does not iterate.
    cycle_of: Vec<Option<usize>>,
    /// Per cycle, its formulas in the order a sweep computes them: by sheet,
    /// then row, then column.
    sweeps: Vec<Vec<usize>>,
}

impl Interpreter {
    /// Prepares the lookup tables of `program`.
    pub fn new(program: Arc<Program>) -> Interpreter {
        let slots = SlotTable::new(
            program.sheets.iter().map(|s| (s.used_rows, s.used_cols)),
            program.constants.iter().map(|(addr, _)| *addr),
            program.formulas.iter().map(|f| f.addr),
        );
        let columns = &program.input.columns;
        let width = columns.iter().map(|c| c.col as usize + 1).max().unwrap_or(0);
        let mut input_cols = vec![None; width];
        for (i, c) in columns.iter().enumerate() {
            input_cols[c.col as usize] = Some(i);
        }
        let running = (0..program.formulas.len()).map(|i| program.running_total(i)).collect();
        let mut cycle_of = Vec::new();
        let mut sweeps = Vec::new();
        if let Some(iteration) = &program.iteration {
            cycle_of = vec![None; program.formulas.len()];
            for (c, range) in iteration.cycles.iter().enumerate() {
                cycle_of[range.clone()].fill(Some(c));
                let mut order: Vec<usize> = range.clone().collect();
                order.sort_by_key(|&i| program.formulas[i].addr);
                sweeps.push(order);
            }
        }
        Interpreter { program, slots, input_cols, running, cycle_of, sweeps }
    }
}

impl Interpreter {
    /// Evaluates every formula of the program for `log` and returns their
    /// values in [`Program::formulas`] order (the compiler folds constants
    /// with it).
    ///
    /// # Errors
    ///
    /// [`EvalError::Overflow`] when the log exceeds the capacity.
    pub fn evaluate_all(&self, log: &[Entry]) -> Result<Vec<Value>, EvalError> {
        let run = self.run(log)?;
        Ok(run.values.into_inner())
    }

    // FIXME: every formula is computed on every run, derived rows past the
    // log's end included, and aggregates read their ranges cell by cell
    // through a hash map, so a recalculation costs the same at 0 entries as
    // at capacity (about 4.5 ms for the football fixture, twice as fast as
    // IronCalc where ten times is wanted).
    fn run<'a>(&'a self, log: &'a [Entry]) -> Result<Run<'a>, EvalError> {
        let capacity = self.program.input.capacity;
        if log.len() > capacity as usize {
            return Err(EvalError::Overflow { len: log.len(), capacity });
        }
        let run = Run::new(self, log);
        for index in 0..self.program.formulas.len() {
            run.force(index);
        }
        Ok(run)
    }
}

impl Evaluator for Interpreter {
    fn program(&self) -> &Arc<Program> {
        &self.program
    }

    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError> {
        Ok(self.run(log)?.outcomes())
    }
}

/// Progress of one formula cell within a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
}

/// The state of one evaluation: the log and the values computed so far.
struct Run<'a> {
    interp: &'a Interpreter,
    log: &'a [Entry],
    values: RefCell<Vec<Value>>,
    states: RefCell<Vec<State>>,
    current: Cell<CellAddr>,
    /// Per cycle of the program's iteration, whether its sweeps are under way.
    sweeping: RefCell<Vec<bool>>,
}

impl<'a> Run<'a> {
    fn new(interp: &'a Interpreter, log: &'a [Entry]) -> Run<'a> {
        let n = interp.program.formulas.len();
        Run {
            interp,
            log,
            values: RefCell::new(vec![Value::Empty; n]),
            states: RefCell::new(vec![State::Pending; n]),
            current: Cell::new(CellAddr::new(0, 0, 0)),
            sweeping: RefCell::new(vec![
                false;
                interp
                    .program
                    .iteration
                    .as_ref()
                    .map_or(0, |it| it.cycles.len())
            ]),
        }
    }

    fn program(&self) -> &Program {
        &self.interp.program
    }

    /// Computes formula `index` unless it is done; a re-entry is a cycle.
    ///
    /// A dynamic reference can reach a cell whose precedents are not done
    /// yet, and computing it on demand recurses once per cell of the chain
    /// (a running total over a long log): the stack grows on the heap
    /// instead of overflowing.
    fn force(&self, index: usize) {
        if self.states.borrow()[index] != State::Done {
            stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || self.force_here(index));
        }
    }

    fn force_here(&self, index: usize) {
        let state = self.states.borrow()[index];
        let cycle = self.interp.cycle_of.get(index).copied().flatten();
        match (state, cycle) {
            (State::Done, _) => return,
            // A cell of a cycle being iterated gives its newest value.
            (State::Running, Some(_)) => return,
            (State::Running, None) => {
                // A cycle reached through a dynamic reference: Excel shows 0.
                self.values.borrow_mut()[index] = Value::Number(0.0);
                return;
            }
            (State::Pending, Some(cycle)) => {
                if !self.sweeping.borrow()[cycle] {
                    self.iterate(cycle);
                }
                return;
            }
            (State::Pending, None) => {}
        }
        self.compute(index);
        self.states.borrow_mut()[index] = State::Done;
    }

    /// Computes formula `index` and stores its value.
    fn compute(&self, index: usize) {
        self.states.borrow_mut()[index] = State::Running;
        let cell = &self.program().formulas[index];
        let outer = self.current.replace(cell.addr);
        let value = match self.running_total(index) {
            Some(value) => value,
            None => formula_value(&cell.expr, self),
        };
        self.current.set(outer);
        self.values.borrow_mut()[index] = value;
    }

    /// Computes the cells of cycle `cycle` by sweeps, as
    /// [`crate::ir::Iteration`] describes.
    fn iterate(&self, cycle: usize) {
        let Some(iteration) = &self.program().iteration else { return };
        let order = &self.interp.sweeps[cycle];
        self.sweeping.borrow_mut()[cycle] = true;
        for &index in order {
            self.values.borrow_mut()[index] = Value::Number(0.0);
        }
        let mut before: Vec<Value> = Vec::with_capacity(order.len());
        for _ in 0..iteration.max_iterations.max(1) {
            before.clear();
            before.extend(order.iter().map(|&i| self.values.borrow()[i].clone()));
            for &index in order {
                self.compute(index);
                self.states.borrow_mut()[index] = State::Pending;
            }
            let values = self.values.borrow();
            let after = order.iter().map(|&i| &values[i]);
            if before.iter().zip(after).all(|(b, a)| settled(b, a, iteration.max_change)) {
                break;
            }
        }
        for &index in order {
            self.states.borrow_mut()[index] = State::Done;
        }
        self.sweeping.borrow_mut()[cycle] = false;
    }

    /// Formula `index`'s value in one step when it is a running total and
    /// the formula before it holds a number (see [`Program::running_total`]).
    fn running_total(&self, index: usize) -> Option<Value> {
        let added = self.interp.running[index]?;
        let total = match (self.states.borrow()[index - 1], &self.values.borrow()[index - 1]) {
            (State::Done, Value::Number(total)) => *total,
            _ => return None,
        };
        Some(match self.cell(added) {
            Value::Number(n) => Value::number(total + n),
            Value::Error(e) => Value::Error(e),
            _ => Value::Number(total),
        })
    }

    /// The value of an input cell of the `IN` sheet, if `addr` is one.
    fn input(&self, addr: CellAddr) -> Option<Value> {
        let input = &self.program().input;
        if addr.sheet != input.sheet || addr.row == 0 || addr.row > input.capacity {
            return None;
        }
        let column = (*self.interp.input_cols.get(addr.col as usize)?)?;
        let entry = self.log.get(addr.row as usize - 1);
        Some(entry.and_then(|e| e.get(column)).cloned().unwrap_or(Value::Empty))
    }

    fn outcomes(&self) -> Outcomes {
        let output = &self.program().output;
        let rows = output
            .rows
            .iter()
            .map(|row| {
                let cells = output.columns.iter();
                cells.map(|c| self.cell(CellAddr::new(output.sheet, *row, c.col))).collect()
            })
            .collect();
        Outcomes { rows }
    }
}

/// Whether a cell of a cycle has settled between two sweeps: a number that
/// changed by less than `max_change`, or any value that did not change.
fn settled(before: &Value, after: &Value, max_change: f64) -> bool {
    match (before, after) {
        (Value::Number(b), Value::Number(a)) => a == b || (a - b).abs() < max_change,
        (b, a) => a == b,
    }
}

/// Walks one formula's expression, reading cells through a [`Context`]: the
/// interpreter's own run, or a compiled evaluator handing a cell back. The
/// names bound by `LET` and lambda parameters ([`Expr::Local`]) live here,
/// so a cell computed on demand starts with none.
struct Walker<'c> {
    ctx: &'c dyn Context,
    locals: RefCell<Vec<Operand>>,
}

impl<'c> Walker<'c> {
    fn new(ctx: &'c dyn Context) -> Walker<'c> {
        Walker { ctx, locals: RefCell::new(Vec::new()) }
    }

    /// Evaluates an expression to an operand (a value or a reference).
    fn eval(&self, expr: &Expr) -> Operand {
        match expr {
            Expr::Value(v) => Operand::Value(v.clone()),
            Expr::Missing => Operand::Value(Value::Empty),
            Expr::Error(e) => Operand::error(*e),
            Expr::Cell(addr) => Operand::Ref(Reference::Range(RangeRef::cell(*addr))),
            Expr::Range(range) => Operand::Ref(Reference::Range(*range)),
            Expr::Unary(op, x) => Operand::Value(ops::unary(*op, &self.eval(x).to_value(self.ctx))),
            Expr::Binary(op, a, b) => {
                let a = self.value(a);
                let b = self.value(b);
                Operand::Value(ops::binary(*op, &a, &b))
            }
            Expr::Chain(first, rest) => {
                let mut acc = self.value(first).into_owned();
                for (op, operand) in rest {
                    acc = ops::binary(*op, &acc, &self.value(operand));
                }
                Operand::Value(acc)
            }
            Expr::RefOp(op, a, b) => reference_op(*op, self.eval(a), self.eval(b)),
            Expr::Implicit(x) => Operand::Value(self.eval(x).to_scalar(self.ctx)),
            Expr::Call(f, args) => self.call(*f, args),
            Expr::ArrayFormula(x) => Operand::Value(array_result(self.eval(x).to_value(self.ctx))),
            Expr::Spill { anchor, range } => {
                let reference = Operand::Ref(Reference::Range(*range));
                match self.ctx.held(*anchor) {
                    Value::Array(a)
                        if (a.rows(), a.cols())
                            == (range.rows() as usize, range.cols() as usize) =>
                    {
                        reference
                    }
                    Value::Array(a) => Operand::Value(Value::Array(a)),
                    // A blocked spill has no range to refer to.
                    Value::Error(ExcelError::Spill) => Operand::error(ExcelError::Ref),
                    // A single value spills nowhere: the spill is its cell.
                    _ => Operand::Ref(Reference::Range(RangeRef::cell(*anchor))),
                }
            }
            Expr::ArrayElement { anchor, row, col, spill } => {
                Operand::Value(element(&self.ctx.held(*anchor), *row, *col, *spill))
            }
            Expr::Let(value, body) => {
                let value = self.eval(value);
                self.with_locals(vec![value], |run| run.eval(body))
            }
            Expr::Local(slot) => {
                let locals = self.locals.borrow();
                locals.get(*slot as usize).cloned().unwrap_or(Operand::error(ExcelError::Value))
            }
            // A lambda that is not given to a helper function has no value.
            Expr::Lambda { .. } => Operand::error(ExcelError::Calc),
        }
    }

    /// Evaluates an operand of an operator to a value, as
    /// [`Operand::to_value`] has it, borrowing a literal rather than
    /// copying it.
    fn value<'e>(&self, expr: &'e Expr) -> Cow<'e, Value> {
        match expr {
            Expr::Value(v) => Cow::Borrowed(v),
            Expr::Cell(addr) => Cow::Owned(self.ctx.cell(*addr)),
            expr => Cow::Owned(self.eval(expr).to_value(self.ctx)),
        }
    }

    /// Evaluates `f` with `values` bound as the next locals.
    fn with_locals(&self, values: Vec<Operand>, f: impl FnOnce(&Self) -> Operand) -> Operand {
        let depth = self.locals.borrow().len();
        self.locals.borrow_mut().extend(values);
        let result = f(self);
        self.locals.borrow_mut().truncate(depth);
        result
    }

    /// Calls a function, skipping the branches a scalar condition does not take.
    fn call(&self, f: Function, args: &[Expr]) -> Operand {
        if let Some(result) = self.call_lazily(f, args) {
            return result;
        }
        if let Some(result) = self.comparisons(f, args) {
            return result;
        }
        if let Some(Expr::Lambda { params, body }) = args.last() {
            let others = args[..args.len() - 1].iter().map(|a| self.eval(a).to_value(self.ctx));
            let lambda = lambda::Lambda { walker: self, params: *params, body };
            return Operand::Value(lambda::helper(f.name(), others.collect(), &lambda));
        }
        // Most calls take a few arguments: they stay on the stack.
        let mut args: SmallVec<[Operand; 4]> = args.iter().map(|a| self.eval(a)).collect();
        functions::call_with(f, &mut args, self.ctx)
    }

    /// The lazy forms of `IF`, `IFS`, `IFERROR`, `IFNA`, `SWITCH` and `CHOOSE`.
    /// `None` when the function is not lazy or its deciding argument is an
    /// array, in which case every argument is evaluated and the eager form
    /// maps over the array.
    fn call_lazily(&self, f: Function, args: &[Expr]) -> Option<Operand> {
        use functions::logical::LogicalFn;
        use functions::lookup::LookupFn;
        match f {
            Function::Logical(LogicalFn::If) => {
                let cond = self.scalar_arg(args.first()?)?;
                let branch = match cond.to_bool() {
                    Err(e) => return Some(Operand::error(e)),
                    Ok(true) => args.get(1),
                    Ok(false) => args.get(2),
                };
                Some(match branch {
                    Some(Expr::Missing) => Operand::Value(Value::Number(0.0)),
                    Some(e) => self.eval(e),
                    None => Operand::Value(Value::Bool(false)),
                })
            }
            Function::Logical(LogicalFn::Ifs) => self.lazy_ifs(args),
            Function::Logical(which @ (LogicalFn::IfError | LogicalFn::IfNa)) => {
                let value = self.scalar_arg(args.first()?)?;
                let caught = match value {
                    Value::Error(ExcelError::NA) => true,
                    Value::Error(_) => which == LogicalFn::IfError,
                    _ => false,
                };
                Some(match (caught, args.get(1)) {
                    (true, Some(Expr::Missing) | None) => Operand::Value(Value::Number(0.0)),
                    (true, Some(alt)) => self.eval(alt),
                    (false, _) => Operand::Value(value),
                })
            }
            Function::Logical(LogicalFn::Switch) => self.lazy_switch(args),
            Function::Lookup(LookupFn::Choose) => {
                let index = self.scalar_arg(args.first()?)?;
                let n = match index.to_number() {
                    Ok(n) => n.trunc(),
                    Err(e) => return Some(Operand::error(e)),
                };
                if n < 1.0 || n >= args.len() as f64 {
                    return Some(Operand::error(ExcelError::Value));
                }
                Some(self.eval(&args[n as usize]))
            }
            _ => None,
        }
    }

    fn lazy_ifs(&self, args: &[Expr]) -> Option<Operand> {
        let mut conditions = Vec::new();
        for pair in args.chunks(2) {
            let cond = self.scalar_arg(&pair[0])?;
            conditions.push(cond);
            match conditions.last().map(Value::to_bool) {
                Some(Err(e)) => return Some(Operand::error(e)),
                Some(Ok(true)) => {
                    return Some(match pair.get(1) {
                        Some(e) => self.eval(e),
                        None => Operand::error(ExcelError::NA),
                    })
                }
                _ => {}
            }
        }
        Some(Operand::error(ExcelError::NA))
    }

    fn lazy_switch(&self, args: &[Expr]) -> Option<Operand> {
        let subject = self.scalar_arg(args.first()?)?;
        if let Value::Error(e) = subject {
            return Some(Operand::error(e));
        }
        let rest = &args[1..];
        let pairs = rest.len() / 2;
        for i in 0..pairs {
            let candidate = self.scalar_arg(&rest[2 * i])?;
            if let Value::Error(e) = candidate {
                return Some(Operand::error(e));
            }
            if crate::compare::excel_eq(&subject, &candidate).unwrap_or(false) {
                return Some(self.eval(&rest[2 * i + 1]));
            }
        }
        Some(match rest.len() % 2 {
            1 => self.eval(&rest[rest.len() - 1]),
            _ => Operand::error(ExcelError::NA),
        })
    }

    /// The deciding argument of a lazy function as one value, or `None` when
    /// it is an array (the eager form then handles it).
    /// `AND` and `OR` of comparisons of scalars, the usual shape of a
    /// derived column's test (`AND(C2="goal",D2="home")`), without boxing
    /// each truth value into an argument: every comparison in order, the
    /// first error the answer, as the library function reads them. `None`
    /// for any other call, or when an operand turns out to be an array
    /// (the library then maps over it).
    fn comparisons(&self, f: Function, args: &[Expr]) -> Option<Operand> {
        use functions::logical::LogicalFn;
        let all = match f {
            Function::Logical(LogicalFn::And) => true,
            Function::Logical(LogicalFn::Or) => false,
            _ => return None,
        };
        let comparison = |e: &Expr| match e {
            Expr::Binary(op, _, _) => ops::is_comparison(*op),
            _ => false,
        };
        if args.is_empty() || !args.iter().all(comparison) {
            return None;
        }
        let (mut trues, mut first_error) = (0, None);
        for arg in args {
            let Expr::Binary(op, a, b) = arg else { return None };
            let (a, b) = (self.value(a), self.value(b));
            if matches!(*a, Value::Array(_)) || matches!(*b, Value::Array(_)) {
                return None;
            }
            match ops::compare_scalar(*op, &a, &b) {
                Ok(truth) => trues += usize::from(truth),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let truth = if all { trues == args.len() } else { trues > 0 };
        Some(Operand::Value(match first_error {
            Some(e) => Value::Error(e),
            None => Value::Bool(truth),
        }))
    }

    fn scalar_arg(&self, expr: &Expr) -> Option<Value> {
        match self.eval(expr).to_value(self.ctx) {
            Value::Array(_) => None,
            v => Some(v),
        }
    }
}

/// Evaluates formula `index` of `program` reading cells through `ctx`, as
/// the interpreter would: what a compiled evaluator calls for the cells it
/// hands back. `None` when there is no such formula.
pub fn eval_formula(program: &Program, index: usize, ctx: &dyn Context) -> Option<Value> {
    let cell = program.formulas.get(index)?;
    Some(formula_value(&cell.expr, ctx))
}

/// The value a formula cell holds: an array formula's whole result, an
/// array element as its cell shows it, otherwise the value after implicit
/// intersection.
fn formula_value(expr: &Expr, ctx: &dyn Context) -> Value {
    let walker = Walker::new(ctx);
    match expr {
        Expr::ArrayFormula(x) => {
            let value = array_result(walker.eval(x).to_value(ctx));
            let (rows, cols) = match &value {
                Value::Array(a) => (a.rows(), a.cols()),
                _ => (1, 1),
            };
            match ctx.growing_spill(ctx.current_cell()) {
                Some(spill) if spill.blocked(rows, cols) => Value::Error(ExcelError::Spill),
                _ => value,
            }
        }
        // An element is already as its cell shows it; past a dynamic
        // array's result the cell stays empty.
        expr @ Expr::ArrayElement { .. } => walker.eval(expr).to_value(ctx),
        expr => cell_result(walker.eval(expr), ctx),
    }
}

/// What an array formula's cell holds: the whole result, with empty
/// elements shown as 0 (`{=A1:A3}` over an empty `A2`), and a 1x1 result
/// as a plain value.
fn array_result(value: Value) -> Value {
    match value {
        Value::Array(a) if a.rows() == 1 && a.cols() == 1 => {
            shown(a.values().first().cloned().unwrap_or_default())
        }
        Value::Array(a) if a.values().iter().any(Value::is_empty) => {
            let values = a.values().iter().map(|v| shown(v.clone())).collect();
            Array::new(a.rows(), a.cols(), values)
                .map_or(Value::Array(a), |b| Value::Array(Arc::new(b)))
        }
        v => shown(v),
    }
}

/// An empty result shows as 0 in its cell.
fn shown(value: Value) -> Value {
    match value {
        Value::Empty => Value::Number(0.0),
        v => v,
    }
}

/// Element (`row`, `col`) of what an array formula's top-left cell holds:
/// stretched over the formula's range as Excel does for a legacy array
/// formula, or, for a dynamic array (`spill`), empty past the result.
fn element(held: &Value, row: u32, col: u32, spill: bool) -> Value {
    let (row, col) = (row as usize, col as usize);
    match held {
        Value::Array(a) if spill => a.get(row, col).cloned().unwrap_or(Value::Empty),
        Value::Array(a) => functions::array_element(a, row, col),
        _ if spill && (row, col) != (0, 0) => Value::Empty,
        v => v.clone(),
    }
}

/// The value a formula leaves in its cell: a reference gives the value it
/// meets by implicit intersection, an array its top-left element, and an
/// empty result shows as 0.
fn cell_result(result: Operand, ctx: &dyn Context) -> Value {
    match result.to_scalar(ctx) {
        Value::Empty => Value::Number(0.0),
        v => v,
    }
}

/// The areas of a reference operand.
fn areas(operand: &Operand) -> Option<Vec<RangeRef>> {
    match operand {
        Operand::Ref(Reference::Range(r)) => Some(vec![*r]),
        Operand::Ref(Reference::Union(areas)) => Some(areas.to_vec()),
        Operand::Value(_) => None,
    }
}

/// Applies `:`, `,` or ` ` to two references.
fn reference_op(op: RefOp, a: Operand, b: Operand) -> Operand {
    // A union of unions (three sheets of a 3-D reference) lists every area.
    if op == RefOp::Union {
        if let (Some(a), Some(b)) = (areas(&a), areas(&b)) {
            return Operand::Ref(Reference::Union(Arc::from([a, b].concat())));
        }
    }
    let (Some(a), Some(b)) = (a.as_range().copied(), b.as_range().copied()) else {
        return match (a, b) {
            (Operand::Value(Value::Error(e)), _) | (_, Operand::Value(Value::Error(e))) => {
                Operand::error(e)
            }
            _ => Operand::error(ExcelError::Value),
        };
    };
    if a.sheet != b.sheet && op != RefOp::Union {
        return Operand::error(ExcelError::Value);
    }
    match op {
        RefOp::Range => Operand::Ref(Reference::Range(RangeRef {
            sheet: a.sheet,
            first_row: a.first_row.min(b.first_row),
            first_col: a.first_col.min(b.first_col),
            last_row: a.last_row.max(b.last_row),
            last_col: a.last_col.max(b.last_col),
        })),
        RefOp::Intersect => {
            let first_row = a.first_row.max(b.first_row);
            let first_col = a.first_col.max(b.first_col);
            let last_row = a.last_row.min(b.last_row);
            let last_col = a.last_col.min(b.last_col);
            if first_row > last_row || first_col > last_col {
                return Operand::error(ExcelError::Null);
            }
            let sheet = a.sheet;
            Operand::Ref(Reference::Range(RangeRef {
                sheet,
                first_row,
                first_col,
                last_row,
                last_col,
            }))
        }
        RefOp::Union => Operand::Ref(Reference::Union(Arc::from(vec![a, b]))),
    }
}

impl Context for Run<'_> {
    /// Log cells are lent from the log, past its end as empty cells;
    /// formula cells are computed as [`Context::cell`] would, row by row,
    /// then lent rather than copied.
    fn visit_column(
        &self,
        sheet: SheetId,
        col: u32,
        first_row: u32,
        rows: u32,
        f: &mut dyn FnMut(u32, &Value),
    ) {
        let input = &self.program().input;
        let last_row = first_row.saturating_add(rows.saturating_sub(1));
        let log_column = (sheet == input.sheet && first_row >= 1 && last_row <= input.capacity)
            .then(|| self.interp.input_cols.get(col as usize).copied().flatten())
            .flatten();
        if let Some(column) = log_column {
            for i in 0..rows {
                let entry = self.log.get((first_row + i) as usize - 1);
                f(i, entry.and_then(|e| e.get(column)).unwrap_or(&Value::Empty));
            }
            return;
        }
        for i in 0..rows {
            let addr = CellAddr::new(sheet, first_row + i, col);
            if let Some(value) = self.input(addr) {
                f(i, &value);
                continue;
            }
            match self.interp.slots.get(addr) {
                Some(Slot::Constant(index)) => f(i, self.program().constants[index].1.first()),
                Some(Slot::Formula(index)) => {
                    self.force(index);
                    f(i, self.values.borrow()[index].first());
                }
                None => f(i, &Value::Empty),
            }
        }
    }

    fn growing_spill(&self, anchor: CellAddr) -> Option<&crate::ir::GrowingSpill> {
        self.program().growing_spill(anchor)
    }

    fn held(&self, addr: CellAddr) -> Value {
        match self.interp.slots.get(addr) {
            Some(Slot::Constant(i)) => self.program().constants[i].1.clone(),
            Some(Slot::Formula(i)) => {
                self.force(i);
                self.values.borrow()[i].clone()
            }
            None => self.input(addr).unwrap_or(Value::Empty),
        }
    }

    fn cell(&self, addr: CellAddr) -> Value {
        if let Some(v) = self.input(addr) {
            return v;
        }
        match self.interp.slots.get(addr) {
            Some(Slot::Constant(i)) => self.program().constants[i].1.first().clone(),
            Some(Slot::Formula(i)) => {
                self.force(i);
                self.values.borrow()[i].first().clone()
            }
            None => Value::Empty,
        }
    }

    fn used_extent(&self, sheet: SheetId) -> (u32, u32) {
        let info = self.program().sheets.get(usize::from(sheet));
        info.map_or((0, 0), |s| (s.used_rows, s.used_cols))
    }

    fn sheet_id(&self, name: &str) -> Option<SheetId> {
        let sheets = &self.program().sheets;
        sheets.iter().position(|s| s.name.eq_ignore_ascii_case(name)).map(|i| i as SheetId)
    }

    fn sheet_name(&self, sheet: SheetId) -> Option<&str> {
        self.program().sheets.get(usize::from(sheet)).map(|s| s.name.as_str())
    }

    fn defined_name(&self, name: &str, sheet: SheetId) -> Option<Reference> {
        let names = &self.program().names;
        let mut found = names.iter().filter(|n| n.name.eq_ignore_ascii_case(name));
        let scoped = found.clone().find(|n| n.scope == Some(sheet));
        scoped.or_else(|| found.find(|n| n.scope.is_none())).map(|n| n.target.clone())
    }

    fn current_cell(&self) -> CellAddr {
        self.current.get()
    }

    fn date_1904(&self) -> bool {
        self.program().date_1904
    }

    fn date_order(&self) -> crate::ir::DateOrder {
        self.program().date_order
    }

    fn source_formula(&self, cell: CellAddr) -> Option<&crate::ir::SourceFormula> {
        self.program().source_formula(cell)
    }

    fn is_subtotal(&self, cell: CellAddr) -> bool {
        self.program().is_subtotal(cell)
    }

    fn hidden_row(&self, sheet: SheetId, row: u32) -> Option<crate::ir::HiddenRow> {
        self.program().hidden_row(sheet, row).copied()
    }
}
