//! Moves the relative references of a formula, as Excel does when it fills or copies one.

use runtime::value::ExcelError;

use super::lexer::{COLS, ROWS};
use crate::formula::ast::{Area, CellPos, Coord, Expr, Node, Reference};

/// Moves every relative row of every reference in `node` by `rows` and every relative
/// column by `cols`; parts written with `$` stay.
///
/// This expands a shared formula from its master: the copy in the cell `rows` below and
/// `cols` right of the master. A reference pushed outside the grid becomes `#REF!`, as in
/// Excel. Whole-row references move only with `rows`, whole-column ones only with `cols`.
/// Spans are kept, so they still point into the master's text.
pub fn shift(node: &Node, rows: i64, cols: i64) -> Node {
    let expr = match &node.expr {
        Expr::Ref(reference) => match shift_area(reference.area, rows, cols) {
            Some(area) => Expr::Ref(Reference { sheet: reference.sheet.clone(), area }),
            None => Expr::Error(ExcelError::Ref),
        },
        Expr::Unary(op, operand) => Expr::Unary(*op, Box::new(shift(operand, rows, cols))),
        Expr::Binary(..) => return shift_binary(node, rows, cols),
        Expr::Call { name, args } => Expr::Call {
            name: name.clone(),
            args: args.iter().map(|arg| shift(arg, rows, cols)).collect(),
        },
        Expr::Apply { callee, args } => Expr::Apply {
            callee: Box::new(shift(callee, rows, cols)),
            args: args.iter().map(|arg| shift(arg, rows, cols)).collect(),
        },
        // Constants, names and structured references do not move.
        other => other.clone(),
    };
    Node { expr, span: node.span.clone() }
}

/// Shifts a chain of binary operations.
///
/// `A1+A2+...+A4000` nests to the left as deep as the formula is long, so the left
/// spine is walked in a loop and only right operands (nested by parentheses, which
/// the parser bounds) are shifted by recursion.
fn shift_binary(node: &Node, rows: i64, cols: i64) -> Node {
    let mut spine = Vec::new();
    let mut leftmost = node;
    while let Expr::Binary(op, left, right) = &leftmost.expr {
        spine.push((*op, right, leftmost.span.clone()));
        leftmost = left;
    }
    let mut shifted = shift(leftmost, rows, cols);
    for (op, right, span) in spine.into_iter().rev() {
        let right = shift(right, rows, cols);
        shifted = Node { expr: Expr::Binary(op, Box::new(shifted), Box::new(right)), span };
    }
    shifted
}

/// The area moved, or `None` when any part leaves the grid.
fn shift_area(area: Area, rows: i64, cols: i64) -> Option<Area> {
    Some(match area {
        Area::Cell(cell) => Area::Cell(shift_cell(cell, rows, cols)?),
        Area::Range(first, last) => {
            Area::Range(shift_cell(first, rows, cols)?, shift_cell(last, rows, cols)?)
        }
        Area::Rows { first, last } => Area::Rows {
            first: shift_coord(first, rows, ROWS)?,
            last: shift_coord(last, rows, ROWS)?,
        },
        Area::Cols { first, last } => Area::Cols {
            first: shift_coord(first, cols, COLS)?,
            last: shift_coord(last, cols, COLS)?,
        },
    })
}

/// The cell moved, or `None` outside the grid.
fn shift_cell(cell: CellPos, rows: i64, cols: i64) -> Option<CellPos> {
    Some(CellPos {
        row: shift_coord(cell.row, rows, ROWS)?,
        col: shift_coord(cell.col, cols, COLS)?,
    })
}

/// The coordinate moved by `by` unless absolute, or `None` outside `0..limit`.
fn shift_coord(coord: Coord, by: i64, limit: u32) -> Option<Coord> {
    if coord.absolute {
        return Some(coord);
    }
    let index = i64::from(coord.index).checked_add(by)?;
    let index = u32::try_from(index).ok().filter(|i| *i < limit)?;
    Some(Coord { index, absolute: false })
}
