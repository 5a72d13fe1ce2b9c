//! What a lowered formula reads: its static references, each marked as
//! always read or read only on some paths, and whether it reaches cells
//! only known at run time.

use runtime::ir::{Expr, RefOp};
use runtime::reference::{RangeRef, SheetId};

/// How surely a formula reads a precedent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Edge {
    /// Read on every evaluation.
    Strict,
    /// Read only on some paths: a branch of `IF` or `CHOOSE`, the one cell
    /// `INDEX` picks, `MATCH`'s lookup range. A cycle through such an edge
    /// may be only apparent.
    Conditional,
}

/// Cells a formula can reach through references computed at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dynamic {
    /// `OFFSET` from an anchor on this sheet.
    Sheet(SheetId),
    /// `INDIRECT`: any cell of the workbook.
    Workbook,
}

/// The precedents of one formula.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Deps {
    pub(crate) refs: Vec<(RangeRef, Edge)>,
    pub(crate) dynamic: Vec<Dynamic>,
    /// Functions called whose result depends on the time or on chance
    /// (`NOW`, `RAND`), not on the log.
    pub(crate) volatile: Vec<&'static str>,
}

impl Deps {
    /// Collects the precedents of `expr`.
    pub(crate) fn of(expr: &Expr) -> Deps {
        let mut deps = Deps::default();
        deps.walk(expr, Edge::Strict);
        deps
    }

    fn walk(&mut self, expr: &Expr, edge: Edge) {
        match expr {
            Expr::Value(_) | Expr::Missing | Expr::Error(_) => {}
            Expr::Cell(cell) => self.refs.push((RangeRef::cell(*cell), edge)),
            Expr::Range(range) | Expr::Spill { range, .. } => self.refs.push((*range, edge)),
            Expr::Unary(_, x) | Expr::Implicit(x) | Expr::ArrayFormula(x) => self.walk(x, edge),
            Expr::ArrayElement { anchor, .. } => self.refs.push((RangeRef::cell(*anchor), edge)),
            Expr::Let(value, body) => {
                self.walk(value, edge);
                self.walk(body, edge);
            }
            Expr::Lambda { body, .. } => self.walk(body, edge),
            Expr::Local(_) => {}
            Expr::Binary(_, a, b) => {
                self.walk(a, edge);
                self.walk(b, edge);
            }
            Expr::Chain(first, rest) => {
                self.walk(first, edge);
                for (_, operand) in rest {
                    self.walk(operand, edge);
                }
            }
            Expr::RefOp(op, a, b) => {
                // A range between computed corners covers cells that neither
                // corner names: treat it as reaching the whole sheet.
                if *op == RefOp::Range {
                    self.dynamic.extend(reach_of(&[a, b]));
                }
                self.walk(a, edge);
                self.walk(b, edge);
            }
            Expr::Call(f, args) => self.call(f.name(), f.signature().volatile, args, edge),
        }
    }

    fn call(&mut self, name: &'static str, volatile: bool, args: &[Expr], edge: Edge) {
        // OFFSET and INDIRECT are volatile in Excel's recalculation sense
        // only; their results still follow from the workbook and the log.
        if volatile && !matches!(name, "OFFSET" | "INDIRECT") {
            self.volatile.push(name);
        }
        for (index, arg) in args.iter().enumerate() {
            match (name, index) {
                // Branches not always taken.
                ("IF" | "IFS" | "SWITCH" | "CHOOSE", 1..) | ("IFERROR" | "IFNA", 1) => {
                    self.walk(arg, Edge::Conditional)
                }
                // Only the position of the reference matters.
                ("ROW" | "COLUMN" | "ROWS" | "COLUMNS" | "ISREF" | "AREAS", _)
                    if is_static_ref(arg) => {}
                ("OFFSET", 0) if is_static_ref(arg) => {
                    self.dynamic.extend(reach_of(&[arg]));
                }
                // A computed anchor (`OFFSET(INDEX(…),…)`) is read, and the
                // result may land anywhere its references lead.
                ("OFFSET", 0) => {
                    self.dynamic.extend(reach_of(&[arg]));
                    self.walk(arg, edge);
                }
                // INDEX reads one cell of its range; MATCH's own column is
                // not a circular reference.
                ("INDEX", 0) | ("MATCH" | "XMATCH", 1) if is_static_ref(arg) => {
                    self.walk(arg, Edge::Conditional)
                }
                // The spill range of a computed anchor is known only once
                // the anchor is.
                ("ANCHORARRAY", 0) => {
                    self.dynamic.extend(reach_of(&[arg]));
                    self.walk(arg, edge);
                }
                ("INDIRECT", 0) => {
                    self.dynamic.push(Dynamic::Workbook);
                    self.walk(arg, edge);
                }
                _ => self.walk(arg, edge),
            }
        }
        if name == "INDIRECT" && args.is_empty() {
            self.dynamic.push(Dynamic::Workbook);
        }
    }
}

/// Where a reference computed from `exprs` may land: any sheet referenced
/// inside them, or anywhere when they name none.
fn reach_of(exprs: &[&Expr]) -> Vec<Dynamic> {
    let mut sheets = Vec::new();
    for expr in exprs {
        sheets_in(expr, &mut sheets);
    }
    sheets.sort_unstable();
    sheets.dedup();
    if sheets.is_empty() {
        return vec![Dynamic::Workbook];
    }
    sheets.into_iter().map(Dynamic::Sheet).collect()
}

/// The sheets of the static references inside `expr`.
fn sheets_in(expr: &Expr, out: &mut Vec<SheetId>) {
    match expr {
        Expr::Cell(cell) => out.push(cell.sheet),
        Expr::Range(range) | Expr::Spill { range, .. } => out.push(range.sheet),
        Expr::Unary(_, x) | Expr::Implicit(x) | Expr::ArrayFormula(x) => sheets_in(x, out),
        Expr::ArrayElement { anchor, .. } => out.push(anchor.sheet),
        Expr::Let(value, body) => {
            sheets_in(value, out);
            sheets_in(body, out);
        }
        Expr::Lambda { body, .. } => sheets_in(body, out),
        Expr::Local(_) => {}
        Expr::Binary(_, a, b) | Expr::RefOp(_, a, b) => {
            sheets_in(a, out);
            sheets_in(b, out);
        }
        Expr::Chain(first, rest) => {
            sheets_in(first, out);
            rest.iter().for_each(|(_, e)| sheets_in(e, out));
        }
        Expr::Call(_, args) => args.iter().for_each(|a| sheets_in(a, out)),
        Expr::Value(_) | Expr::Missing | Expr::Error(_) => {}
    }
}

fn is_static_ref(expr: &Expr) -> bool {
    matches!(expr, Expr::Cell(_) | Expr::Range(_))
}
