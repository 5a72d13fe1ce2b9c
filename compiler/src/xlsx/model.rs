//! The raw workbook model: what the file says, before any interpretation.
//! Positions are 0-based `(row, col)`; ranges are [`CellRange`]s.

use std::collections::BTreeMap;

use runtime::value::ExcelError;

use super::refs::CellRange;

/// A workbook as stored: worksheets, defined names, settings and tables.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWorkbook {
    /// Worksheets in workbook order; chartsheets, dialog sheets and macro
    /// sheets are skipped.
    pub sheets: Vec<RawSheet>,
    /// Defined names, in the order the workbook lists them.
    pub names: Vec<RawName>,
    /// `workbookPr date1904`: serial 0 is 1904-01-01 instead of 1900-01-00.
    pub date_1904: bool,
    /// Calculation settings (`calcPr`).
    pub calc: CalcSettings,
    /// Tables (`xl/tables/*.xml`), in sheet order then `tableParts` order.
    pub tables: Vec<RawTable>,
    /// The workbook carries a VBA project (`.xlsm`), whose user-defined
    /// functions its formulas may call.
    pub macros: bool,
}

/// One worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    pub name: String,
    /// Cells that hold a value or a formula, keyed by 0-based `(row, col)`.
    /// Cells with only formatting are left out.
    pub cells: BTreeMap<(u32, u32), RawCell>,
    /// Data validations, the `x14` extension ones after the plain ones.
    pub validations: Vec<RawValidation>,
    /// The `<dimension ref>` the writer declared (e.g. `A1:H17`), unchecked.
    pub dimension: Option<String>,
    /// Rows marked `<row hidden="1">`, 0-based, in order.
    pub hidden_rows: Vec<u32>,
    /// The sheet's `<autoFilter>` range when it filters on some column
    /// (holds a `<filterColumn>`); the hidden rows inside it are filtered.
    pub filter: Option<CellRange>,
}

/// One cell: its value and, for a formula cell, the formula.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// For a formula cell, the value cached in the file by the application
    /// that last calculated it ([`CellValue::Empty`] when none was stored).
    pub value: CellValue,
    pub formula: Option<RawFormula>,
}

/// A stored cell value. Dates are serial numbers, never converted.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    Error(ExcelError),
}

/// A formula as written in the file; shared formulas are not expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFormula {
    /// The text of `<f>` without a leading `=`. For a follower of a shared
    /// formula, the master's text, which is written relative to `anchor`.
    pub text: String,
    /// The cell `text` was written for: the cell itself, or the master cell
    /// of a shared formula.
    pub anchor: (u32, u32),
    pub kind: FormulaKind,
    /// Whether the cell's `cm` metadata marks it as a dynamic array formula
    /// (metadata type `XLDAPR` with `fDynamic`).
    pub dynamic_array: bool,
}

/// How a formula is attached to its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormulaKind {
    /// An ordinary formula of one cell.
    Normal,
    /// A member of a shared formula (`t="shared"`), master or follower.
    Shared,
    /// A legacy (CSE) or dynamic array formula whose results fill `range`;
    /// recorded on the range's top-left cell only.
    Array { range: CellRange },
    /// A what-if data table (`t="dataTable"`), which is not a formula at all:
    /// Excel fills `range` by substituting the input cells `r1` (and `r2`).
    DataTable { range: CellRange, r1: Option<String>, r2: Option<String>, two_dim: bool },
}

/// A defined name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawName {
    pub name: String,
    /// The index in [`RawWorkbook::sheets`] of the sheet the name is local
    /// to (`localSheetId`), or `None` for a workbook-wide name.
    pub scope: Option<usize>,
    /// The definition, without a leading `=`.
    pub formula: String,
    pub hidden: bool,
    /// A name Excel defines itself (`_xlnm.Print_Area`, `_xlnm._FilterDatabase`).
    pub builtin: bool,
}

/// Calculation settings from `calcPr`, with the schema's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct CalcSettings {
    /// Iterative calculation of circular references is on.
    pub iterate: bool,
    /// The most iterations (default 100).
    pub iterate_count: u32,
    /// The change below which iteration stops (default 0.001).
    pub iterate_delta: f64,
    /// `false` when "precision as displayed" is set (default `true`).
    pub full_precision: bool,
}

impl Default for CalcSettings {
    fn default() -> Self {
        CalcSettings {
            iterate: false,
            iterate_count: 100,
            iterate_delta: 0.001,
            full_precision: true,
        }
    }
}

/// A data validation rule over some cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawValidation {
    /// The cells it covers (`sqref`).
    pub ranges: Vec<CellRange>,
    pub kind: ValidationKind,
    /// `between` (the default), `notBetween`, `equal`, `notEqual`,
    /// `lessThan`, `lessThanOrEqual`, `greaterThan`, `greaterThanOrEqual`.
    pub operator: String,
    /// The first criterion, as a formula without `=` (a list's items are a
    /// quoted string `"a,b,c"` or a reference).
    pub formula1: Option<String>,
    pub formula2: Option<String>,
    /// Blank cells pass the rule.
    pub allow_blank: bool,
}

/// What a data validation allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationKind {
    /// `none`: any value (the rule only shows a prompt).
    Any,
    Whole,
    Decimal,
    List,
    Date,
    Time,
    TextLength,
    Custom,
}

impl ValidationKind {
    /// The kind for a `type` attribute value.
    pub fn from_attr(text: &str) -> Option<ValidationKind> {
        Some(match text {
            "none" => ValidationKind::Any,
            "whole" => ValidationKind::Whole,
            "decimal" => ValidationKind::Decimal,
            "list" => ValidationKind::List,
            "date" => ValidationKind::Date,
            "time" => ValidationKind::Time,
            "textLength" => ValidationKind::TextLength,
            "custom" => ValidationKind::Custom,
            _ => return None,
        })
    }
}

/// An Excel table (ListObject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    /// `name`: the internal name.
    pub name: String,
    /// `displayName`: the name formulas use in structured references.
    pub display_name: String,
    /// The index in [`RawWorkbook::sheets`] of the sheet holding the table.
    pub sheet: usize,
    /// The whole table, header and totals rows included.
    pub range: CellRange,
    /// Column names, left to right.
    pub columns: Vec<String>,
    /// Header rows (0 or 1; default 1).
    pub header_row_count: u32,
    /// Totals rows (default 0).
    pub totals_row_count: u32,
    /// The table's `<autoFilter>` range when it filters on some column
    /// (holds a `<filterColumn>`); the hidden rows inside it are filtered.
    pub filter: Option<CellRange>,
}
