//! Cells, ranges and the operands that functions receive.
//!
//! A function argument is either a plain [`Value`] or a [`Reference`] to
//! cells: Excel treats the two differently (`SUM` skips text in a range but
//! not in a direct argument; `ROW`, `OFFSET` and `INDEX` need the reference
//! itself), so references stay references until a function decides.

use std::sync::Arc;

use crate::value::{Array, ExcelError, Value};

/// Index of a sheet in the workbook's sheet order.
pub type SheetId = u16;

/// Rows in a worksheet (1,048,576).
pub const MAX_ROWS: u32 = 1 << 20;
/// Columns in a worksheet (16,384, `A`..`XFD`).
pub const MAX_COLS: u32 = 1 << 14;
/// The most cells a range may hold when it is turned into an array (a
/// whole column holds 2^20).
pub const MAX_ARRAY_CELLS: u64 = 1 << 24;

/// One cell: sheet, 0-based row and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellAddr {
    pub sheet: SheetId,
    pub row: u32,
    pub col: u32,
}

/// A rectangle of cells on one sheet, bounds inclusive and 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RangeRef {
    pub sheet: SheetId,
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// A reference as a formula can produce it: one range, or a union of ranges
/// (`(A1:A3,C1)`).
#[derive(Clone, Debug, PartialEq)]
pub enum Reference {
    Range(RangeRef),
    Union(Arc<[RangeRef]>),
}

/// What a function receives for each argument and may return.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Value(Value),
    Ref(Reference),
}

/// Read access to the workbook's values during one evaluation.
///
/// The interpreter and compiled code both implement it; functions see the
/// workbook only through it, so dynamic references (`OFFSET`, `INDIRECT`)
/// read exactly what the evaluator computed.
pub trait Context {
    /// The value of a cell (computed, constant, input or empty).
    fn cell(&self, addr: CellAddr) -> Value;
    /// What a cell holds: for the top-left cell of an array formula its
    /// whole result, otherwise what [`Context::cell`] gives.
    fn held(&self, addr: CellAddr) -> Value {
        self.cell(addr)
    }
    /// Rows and columns past which a sheet holds nothing: every cell at
    /// `row >= used.0` or `col >= used.1` is empty.
    fn used_extent(&self, sheet: SheetId) -> (u32, u32);
    /// The sheet with this name (case-insensitive).
    fn sheet_id(&self, name: &str) -> Option<SheetId>;
    /// The name of a sheet.
    fn sheet_name(&self, sheet: SheetId) -> Option<&str>;
    /// A defined name as `INDIRECT` sees it, scoped to `sheet` first.
    fn defined_name(&self, name: &str, sheet: SheetId) -> Option<Reference>;
    /// The cell whose formula is being evaluated (for `ROW()`, `COLUMN()`
    /// and implicit intersection).
    fn current_cell(&self) -> CellAddr;
    /// True when the workbook uses the 1904 date system.
    fn date_1904(&self) -> bool;
    /// The order in which date text without a month name gives the day and
    /// the month (see [`crate::ir::Program::date_order`]).
    fn date_order(&self) -> crate::ir::DateOrder;
    /// The formula that holds a cell, for `FORMULATEXT`, `ISFORMULA` and
    /// the spill operator of a reference computed at run time (see
    /// [`crate::ir::Program::source_formula`]); `None` where the context
    /// knows no formulas.
    fn source_formula(&self, _cell: CellAddr) -> Option<&crate::ir::SourceFormula> {
        None
    }
    /// The dynamic array anchored at `anchor`, when its shape can change
    /// with the log (see [`crate::ir::GrowingSpill`]).
    fn growing_spill(&self, _anchor: CellAddr) -> Option<&crate::ir::GrowingSpill> {
        None
    }
    /// Whether a cell holds a formula that calls `SUBTOTAL`.
    fn is_subtotal(&self, _cell: CellAddr) -> bool {
        false
    }
    /// The row, when the file hides it (see [`crate::ir::HiddenRow`]).
    fn hidden_row(&self, _sheet: SheetId, _row: u32) -> Option<crate::ir::HiddenRow> {
        None
    }
    /// Calls `f` with the offset and the value ([`Context::cell`]'s) of
    /// each of the first `rows` cells of column `col` of `sheet` from row
    /// `first_row` down, in order. An evaluator that holds a column's
    /// values can lend them without copying each; `f` must not read cells.
    fn visit_column(
        &self,
        sheet: SheetId,
        col: u32,
        first_row: u32,
        rows: u32,
        f: &mut dyn FnMut(u32, &Value),
    ) {
        for i in 0..rows {
            f(i, &self.cell(CellAddr::new(sheet, first_row + i, col)));
        }
    }
}

impl CellAddr {
    pub fn new(sheet: SheetId, row: u32, col: u32) -> CellAddr {
        CellAddr { sheet, row, col }
    }
}

impl RangeRef {
    /// The range covering just `cell`.
    pub fn cell(cell: CellAddr) -> RangeRef {
        RangeRef {
            sheet: cell.sheet,
            first_row: cell.row,
            first_col: cell.col,
            last_row: cell.row,
            last_col: cell.col,
        }
    }

    pub fn rows(&self) -> u32 {
        self.last_row - self.first_row + 1
    }

    pub fn cols(&self) -> u32 {
        self.last_col - self.first_col + 1
    }

    /// Number of cells in the range.
    pub fn len(&self) -> u64 {
        u64::from(self.rows()) * u64::from(self.cols())
    }

    /// Ranges always hold at least one cell.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn is_single_cell(&self) -> bool {
        self.first_row == self.last_row && self.first_col == self.last_col
    }

    /// The top-left cell.
    pub fn top_left(&self) -> CellAddr {
        CellAddr::new(self.sheet, self.first_row, self.first_col)
    }

    /// The cell at (row, col) relative to the top-left corner, if inside.
    pub fn at(&self, row: u32, col: u32) -> Option<CellAddr> {
        (row < self.rows() && col < self.cols())
            .then(|| CellAddr::new(self.sheet, self.first_row + row, self.first_col + col))
    }

    pub fn contains(&self, cell: CellAddr) -> bool {
        cell.sheet == self.sheet
            && (self.first_row..=self.last_row).contains(&cell.row)
            && (self.first_col..=self.last_col).contains(&cell.col)
    }

    /// The part of the range that can hold values, or `None` when all of it
    /// lies past the sheet's used extent.
    pub fn clipped(&self, ctx: &dyn Context) -> Option<RangeRef> {
        let (rows, cols) = ctx.used_extent(self.sheet);
        if rows == 0 || cols == 0 || self.first_row >= rows || self.first_col >= cols {
            return None;
        }
        Some(RangeRef {
            last_row: self.last_row.min(rows - 1),
            last_col: self.last_col.min(cols - 1),
            ..*self
        })
    }

    /// Calls `f` with each value in row-major order, skipping the empty part
    /// past the used extent; returns how many cells were skipped that way
    /// (all of them empty).
    pub fn for_each_used(&self, ctx: &dyn Context, mut f: impl FnMut(Value)) -> u64 {
        let Some(used) = self.clipped(ctx) else {
            return self.len();
        };
        for row in used.first_row..=used.last_row {
            for col in used.first_col..=used.last_col {
                f(ctx.cell(CellAddr::new(self.sheet, row, col)));
            }
        }
        self.len() - used.len()
    }

    /// All values of the range as an array of the range's full shape.
    ///
    /// Only the used part is read; the rest is empty without a lookup, so a
    /// whole column costs its used rows. A range of more than
    /// [`MAX_ARRAY_CELLS`] cells is `#NUM!` rather than gigabytes of memory.
    pub fn to_array(&self, ctx: &dyn Context) -> Array {
        if self.len() > MAX_ARRAY_CELLS {
            return Array::scalar(Value::Error(ExcelError::Num));
        }
        let (rows, cols) = (self.rows() as usize, self.cols() as usize);
        let mut values = vec![Value::Empty; rows * cols];
        if let Some(used) = self.clipped(ctx) {
            for row in used.first_row..=used.last_row {
                for col in used.first_col..=used.last_col {
                    let at =
                        (row - self.first_row) as usize * cols + (col - self.first_col) as usize;
                    values[at] = ctx.cell(CellAddr::new(self.sheet, row, col));
                }
            }
        }
        Array::new(rows, cols, values)
            .unwrap_or_else(|| Array::scalar(Value::Error(ExcelError::Ref)))
    }

    /// Excel's implicit intersection of this range with `cell`: the cell of a
    /// one-column range in `cell`'s row, of a one-row range in its column;
    /// otherwise `#VALUE!`.
    pub fn implicit_intersection(&self, cell: CellAddr) -> Result<CellAddr, ExcelError> {
        if self.is_single_cell() {
            return Ok(self.top_left());
        }
        if self.cols() == 1 && (self.first_row..=self.last_row).contains(&cell.row) {
            return Ok(CellAddr::new(self.sheet, cell.row, self.first_col));
        }
        if self.rows() == 1 && (self.first_col..=self.last_col).contains(&cell.col) {
            return Ok(CellAddr::new(self.sheet, self.first_row, cell.col));
        }
        Err(ExcelError::Value)
    }
}

impl Operand {
    /// An error operand.
    pub fn error(e: ExcelError) -> Operand {
        Operand::Value(Value::Error(e))
    }

    /// The operand as a value: a one-cell reference is that cell's value, a
    /// larger one an array of its full shape, a union `#VALUE!`.
    pub fn to_value(&self, ctx: &dyn Context) -> Value {
        match self {
            Operand::Value(v) => v.clone(),
            Operand::Ref(Reference::Range(r)) if r.is_single_cell() => ctx.cell(r.top_left()),
            Operand::Ref(Reference::Range(r)) => Value::Array(Arc::new(r.to_array(ctx))),
            Operand::Ref(Reference::Union(_)) => Value::Error(ExcelError::Value),
        }
    }

    /// The operand in a scalar position of a formula that is not an array
    /// formula: references are implicitly intersected with the current cell,
    /// arrays give their top-left element.
    pub fn to_scalar(&self, ctx: &dyn Context) -> Value {
        match self {
            Operand::Value(v) => v.first().clone(),
            Operand::Ref(Reference::Range(r)) => {
                match r.implicit_intersection(ctx.current_cell()) {
                    Ok(cell) => ctx.cell(cell),
                    Err(e) => Value::Error(e),
                }
            }
            Operand::Ref(Reference::Union(_)) => Value::Error(ExcelError::Value),
        }
    }

    /// The single range this operand refers to, if it is one.
    pub fn as_range(&self) -> Option<&RangeRef> {
        match self {
            Operand::Ref(Reference::Range(r)) => Some(r),
            _ => None,
        }
    }
}

impl From<Value> for Operand {
    fn from(v: Value) -> Operand {
        Operand::Value(v)
    }
}

/// Column letters of a 0-based column index (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The 0-based column index of column letters (`"AB"` → 27).
pub fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    (1..=MAX_COLS).contains(&n).then(|| n - 1)
}

/// The A1 text of a cell without its sheet (`B7`).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_columns_become_arrays_of_their_full_height() {
        let mut ctx = crate::testing::MapContext::new(&["S"]);
        ctx.set(0, 0, 0, 1.0).set(0, 2, 0, "x");
        let column =
            RangeRef { sheet: 0, first_row: 0, first_col: 0, last_row: MAX_ROWS - 1, last_col: 0 };
        let array = column.to_array(&ctx);
        assert_eq!(array.rows(), MAX_ROWS as usize);
        assert_eq!(array.get(0, 0), Some(&Value::Number(1.0)));
        assert_eq!(array.get(2, 0), Some(&Value::text("x")));
        assert_eq!(array.get(MAX_ROWS as usize - 1, 0), Some(&Value::Empty));
        let sheet = RangeRef { last_col: MAX_COLS - 1, ..column };
        assert_eq!(sheet.to_array(&ctx).get(0, 0), Some(&Value::Error(ExcelError::Num)));
    }

    #[test]
    fn column_letters_round_trip() {
        for (col, name) in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (16383, "XFD")] {
            assert_eq!(column_name(col), name);
            assert_eq!(column_index(name), Some(col));
        }
        assert_eq!(column_index("XFE"), None);
        assert_eq!(a1(6, 1), "B7");
    }
}
