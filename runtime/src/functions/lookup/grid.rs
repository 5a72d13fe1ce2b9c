//! A lookup table as the lookup functions see it: a range read through the
//! context, or an array, or one scalar, with its shape.

use std::sync::Arc;

use crate::reference::{CellAddr, Context, Operand, RangeRef, Reference};
use crate::value::{Array, ExcelError, Value};

/// A rectangle of values to search or index.
#[derive(Clone, Debug)]
pub(super) enum Grid {
    Range(RangeRef),
    Array(Arc<Array>),
    Scalar(Value),
}

impl Grid {
    /// The grid of an argument; a multi-area reference is `#VALUE!` and an
    /// error value is that error.
    pub(super) fn from_operand(operand: &Operand) -> Result<Grid, ExcelError> {
        match operand {
            Operand::Ref(Reference::Range(r)) => Ok(Grid::Range(*r)),
            Operand::Ref(Reference::Union(_)) => Err(ExcelError::Value),
            Operand::Value(Value::Array(a)) => Ok(Grid::Array(a.clone())),
            Operand::Value(Value::Error(e)) => Err(*e),
            Operand::Value(v) => Ok(Grid::Scalar(v.clone())),
        }
    }

    pub(super) fn rows(&self) -> usize {
        match self {
            Grid::Range(r) => r.rows() as usize,
            Grid::Array(a) => a.rows(),
            Grid::Scalar(_) => 1,
        }
    }

    pub(super) fn cols(&self) -> usize {
        match self {
            Grid::Range(r) => r.cols() as usize,
            Grid::Array(a) => a.cols(),
            Grid::Scalar(_) => 1,
        }
    }

    /// The value at (row, col), 0-based; empty outside the grid.
    pub(super) fn get(&self, row: usize, col: usize, ctx: &dyn Context) -> Value {
        match self {
            Grid::Range(r) => {
                r.at(row as u32, col as u32).map_or(Value::Empty, |cell: CellAddr| ctx.cell(cell))
            }
            Grid::Array(a) => a.get(row, col).cloned().unwrap_or(Value::Empty),
            Grid::Scalar(v) if row == 0 && col == 0 => v.clone(),
            Grid::Scalar(_) => Value::Empty,
        }
    }

    /// How many rows and columns can hold values: a range is cut at the
    /// sheet's used extent, so a whole-column lookup does not read a million
    /// empty cells (the cut-off cells are all empty).
    fn used_shape(&self, ctx: &dyn Context) -> (usize, usize) {
        match self {
            Grid::Range(r) => match r.clipped(ctx) {
                Some(used) => (used.rows() as usize, used.cols() as usize),
                None => (0, 0),
            },
            _ => (self.rows(), self.cols()),
        }
    }

    /// The values of column `col` from the top, up to the used extent.
    pub(super) fn column(&self, col: usize, ctx: &dyn Context) -> Vec<Value> {
        let (rows, _) = self.used_shape(ctx);
        (0..rows.min(self.rows())).map(|row| self.get(row, col, ctx)).collect()
    }

    /// The values of row `row` from the left, up to the used extent.
    pub(super) fn row(&self, row: usize, ctx: &dyn Context) -> Vec<Value> {
        let (_, cols) = self.used_shape(ctx);
        (0..cols.min(self.cols())).map(|col| self.get(row, col, ctx)).collect()
    }

    /// The values of a one-row or one-column grid in order; `None` for a
    /// two-dimensional grid.
    pub(super) fn vector(&self, ctx: &dyn Context) -> Option<Vec<Value>> {
        if self.cols() == 1 {
            Some(self.column(0, ctx))
        } else if self.rows() == 1 {
            Some(self.row(0, ctx))
        } else {
            None
        }
    }

    /// Whether the grid runs down (one column, or a single cell).
    pub(super) fn is_vertical(&self) -> bool {
        self.cols() == 1
    }

    /// The sub-grid of rows `rows` and columns `cols` (0-based, inclusive),
    /// as a reference when the grid is a range, else as a value.
    pub(super) fn slice(
        &self,
        rows: (usize, usize),
        cols: (usize, usize),
        ctx: &dyn Context,
    ) -> Operand {
        match self {
            Grid::Range(r) => Operand::Ref(Reference::Range(RangeRef {
                sheet: r.sheet,
                first_row: r.first_row + rows.0 as u32,
                first_col: r.first_col + cols.0 as u32,
                last_row: r.first_row + rows.1 as u32,
                last_col: r.first_col + cols.1 as u32,
            })),
            _ => {
                let mut values = Vec::new();
                for row in rows.0..=rows.1 {
                    for col in cols.0..=cols.1 {
                        values.push(self.get(row, col, ctx));
                    }
                }
                let (height, width) = (rows.1 - rows.0 + 1, cols.1 - cols.0 + 1);
                match Array::new(height, width, values) {
                    Some(a) if a.rows() * a.cols() == 1 => Operand::Value(a.values()[0].clone()),
                    Some(a) => Operand::Value(Value::Array(Arc::new(a))),
                    None => Operand::error(ExcelError::Ref),
                }
            }
        }
    }
}
