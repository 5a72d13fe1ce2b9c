//! Filled-down columns: which formulas of a [`Block::Column`] are one
//! formula shifted by row, and by how much each reference moves.
//!
//! Two formulas are the same template when their trees are equal except
//! for the rows of references; a reference moves by 0 (an absolute row) or
//! by 1 per row (a relative row), each end of a range on its own (a running
//! total `$A$2:A2` keeps its first row and moves its last).
//!
//! [`Block::Column`]: runtime::ir::Block::Column

use std::collections::BTreeMap;

use runtime::ir::{Expr, Program};

/// How the rows of one reference node move per row of the run: first and
/// last row (a cell's are equal).
pub(super) type Moves = (u32, u32);

/// Row moves of the reference nodes of a run's first formula, keyed by the
/// node's address (stable while the program is borrowed).
pub(super) type Template = BTreeMap<usize, Moves>;

/// The column block `start..start + len` as runs `(start, len)` that each
/// share one template; a formula that breaks the pattern starts a new run.
pub(super) fn runs(program: &Program, start: usize, len: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut first = start;
    let end = start + len;
    while first < end {
        let n = run_length(program, first, end);
        runs.push((first, n));
        first += n;
    }
    runs
}

/// How many formulas from `first` share its template (at least 1).
fn run_length(program: &Program, first: usize, end: usize) -> usize {
    let Some(template) = template(program, first, end) else {
        return 1;
    };
    let base = &program.formulas[first];
    let mut n = 2;
    while first + n < end {
        let cell = &program.formulas[first + n];
        let in_line = cell.addr.col == base.addr.col
            && cell.addr.sheet == base.addr.sheet
            && cell.addr.row == base.addr.row + n as u32;
        if !in_line || !matches(&base.expr, &cell.expr, &template, n as u32) {
            break;
        }
        n += 1;
    }
    n
}

/// The template of formula `first`, learnt from it and the next one, when
/// the next one sits one row below in the same column.
pub(super) fn template(program: &Program, first: usize, end: usize) -> Option<Template> {
    let a = program.formulas.get(first)?;
    let b = program.formulas.get(first + 1).filter(|_| first + 1 < end)?;
    let below =
        b.addr.sheet == a.addr.sheet && b.addr.col == a.addr.col && b.addr.row == a.addr.row + 1;
    if !below {
        return None;
    }
    let mut template = Template::new();
    let same = zip(&a.expr, &b.expr, &mut |node, rows_a, rows_b| {
        let first = rows_b.0.checked_sub(rows_a.0).filter(|d| *d <= 1);
        let last = rows_b.1.checked_sub(rows_a.1).filter(|d| *d <= 1);
        match (first, last) {
            (Some(first), Some(last)) => {
                template.insert(node as *const Expr as usize, (first, last));
                true
            }
            _ => false,
        }
    });
    same.then_some(template)
}

/// Whether `other` is `base` with every reference moved `row` rows by `template`.
fn matches(base: &Expr, other: &Expr, template: &Template, row: u32) -> bool {
    zip(base, other, &mut |node, rows_a, rows_b| {
        let Some((first, last)) = template.get(&(node as *const Expr as usize)) else {
            return false;
        };
        rows_b.0.checked_sub(rows_a.0) == Some(first * row)
            && rows_b.1.checked_sub(rows_a.1) == Some(last * row)
    })
}

/// First and last row of a reference.
type Rows = (u32, u32);

/// Judges a pair of references met by [`zip`].
type Visit<'v> = dyn FnMut(&Expr, Rows, Rows) -> bool + 'v;

/// Walks two trees together; they must be equal except for the rows of
/// references, each pair of which `visit` judges (the node of `a`, its
/// first and last rows, then those of `b`). An expression kind this walk
/// does not know never matches, so its formulas are compiled one by one.
fn zip(a: &Expr, b: &Expr, visit: &mut Visit<'_>) -> bool {
    match (a, b) {
        (Expr::Cell(x), Expr::Cell(y)) => {
            x.sheet == y.sheet && x.col == y.col && visit(a, (x.row, x.row), (y.row, y.row))
        }
        (Expr::Range(x), Expr::Range(y)) => {
            x.sheet == y.sheet
                && x.first_col == y.first_col
                && x.last_col == y.last_col
                && visit(a, (x.first_row, x.last_row), (y.first_row, y.last_row))
        }
        (Expr::Value(x), Expr::Value(y)) => x == y,
        (Expr::Missing, Expr::Missing) => true,
        (Expr::Error(x), Expr::Error(y)) => x == y,
        (Expr::Unary(o, x), Expr::Unary(p, y)) => o == p && zip(x, y, visit),
        (Expr::Binary(o, x1, x2), Expr::Binary(p, y1, y2)) => {
            o == p && zip(x1, y1, visit) && zip(x2, y2, visit)
        }
        (Expr::Chain(x, xs), Expr::Chain(y, ys)) => {
            xs.len() == ys.len()
                && zip(x, y, visit)
                && xs.iter().zip(ys).all(|((o, x), (p, y))| o == p && zip(x, y, visit))
        }
        (Expr::RefOp(o, x1, x2), Expr::RefOp(p, y1, y2)) => {
            o == p && zip(x1, y1, visit) && zip(x2, y2, visit)
        }
        (Expr::Call(f, xs), Expr::Call(g, ys)) => {
            f == g && xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| zip(x, y, visit))
        }
        (Expr::Implicit(x), Expr::Implicit(y)) => zip(x, y, visit),
        _ => false,
    }
}
