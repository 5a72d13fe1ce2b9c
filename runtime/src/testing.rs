//! A plain in-memory [`Context`] for tests and tools: cells in a map, no
//! formulas. Function tests build one, fill cells, and call functions on it.

use std::collections::BTreeMap;

use crate::ir::DateOrder;
use crate::reference::{CellAddr, Context, Reference, SheetId};
use crate::value::Value;

/// Sheets of literal values.
#[derive(Clone, Debug, Default)]
pub struct MapContext {
    sheets: Vec<String>,
    cells: BTreeMap<CellAddr, Value>,
    names: Vec<(String, Option<SheetId>, Reference)>,
    current: Option<CellAddr>,
    date_1904: bool,
    date_order: DateOrder,
    /// Hidden rows by (sheet, row): true when a filter hid them.
    hidden: BTreeMap<(SheetId, u32), bool>,
    /// Cells taken to hold `SUBTOTAL` formulas.
    subtotals: Vec<CellAddr>,
}

impl MapContext {
    /// A workbook with the given sheet names.
    pub fn new(sheets: &[&str]) -> MapContext {
        MapContext { sheets: sheets.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    /// Sets a cell on sheet `sheet` by A1-style 0-based row and column.
    pub fn set(
        &mut self,
        sheet: SheetId,
        row: u32,
        col: u32,
        value: impl Into<Value>,
    ) -> &mut Self {
        self.cells.insert(CellAddr::new(sheet, row, col), value.into());
        self
    }

    /// Fills a column downwards from (row, col) with `values`.
    pub fn set_column(
        &mut self,
        sheet: SheetId,
        row: u32,
        col: u32,
        values: Vec<Value>,
    ) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            self.cells.insert(CellAddr::new(sheet, row + i as u32, col), v);
        }
        self
    }

    /// Defines a name (workbook scope when `scope` is `None`).
    pub fn define(&mut self, name: &str, scope: Option<SheetId>, target: Reference) -> &mut Self {
        self.names.push((name.to_string(), scope, target));
        self
    }

    /// Sets the cell whose formula is being evaluated.
    pub fn at(&mut self, cell: CellAddr) -> &mut Self {
        self.current = Some(cell);
        self
    }

    /// Hides a row, by a filter when `filtered`, else by hand.
    pub fn hide_row(&mut self, sheet: SheetId, row: u32, filtered: bool) -> &mut Self {
        self.hidden.insert((sheet, row), filtered);
        self
    }

    /// Marks a cell as holding a `SUBTOTAL` formula.
    pub fn mark_subtotal(&mut self, cell: CellAddr) -> &mut Self {
        self.subtotals.push(cell);
        self
    }

    /// Switches to the 1904 date system.
    pub fn use_1904(&mut self) -> &mut Self {
        self.date_1904 = true;
        self
    }

    /// Reads all-number date text in `order` (month first by default).
    pub fn use_date_order(&mut self, order: DateOrder) -> &mut Self {
        self.date_order = order;
        self
    }
}

impl Context for MapContext {
    fn cell(&self, addr: CellAddr) -> Value {
        self.cells.get(&addr).cloned().unwrap_or(Value::Empty)
    }

    fn used_extent(&self, sheet: SheetId) -> (u32, u32) {
        self.cells
            .keys()
            .filter(|a| a.sheet == sheet)
            .fold((0, 0), |(r, c), a| (r.max(a.row + 1), c.max(a.col + 1)))
    }

    fn sheet_id(&self, name: &str) -> Option<SheetId> {
        self.sheets.iter().position(|s| s.eq_ignore_ascii_case(name)).map(|i| i as SheetId)
    }

    fn sheet_name(&self, sheet: SheetId) -> Option<&str> {
        self.sheets.get(usize::from(sheet)).map(String::as_str)
    }

    fn defined_name(&self, name: &str, sheet: SheetId) -> Option<Reference> {
        let matches = |n: &&(String, Option<SheetId>, Reference)| n.0.eq_ignore_ascii_case(name);
        let scoped = self.names.iter().filter(matches).find(|n| n.1 == Some(sheet));
        scoped
            .or_else(|| self.names.iter().filter(matches).find(|n| n.1.is_none()))
            .map(|n| n.2.clone())
    }

    fn current_cell(&self) -> CellAddr {
        self.current.unwrap_or(CellAddr::new(0, 0, 0))
    }

    fn date_1904(&self) -> bool {
        self.date_1904
    }

    fn date_order(&self) -> DateOrder {
        self.date_order
    }

    fn is_subtotal(&self, cell: CellAddr) -> bool {
        self.subtotals.contains(&cell)
    }

    fn hidden_row(&self, sheet: SheetId, row: u32) -> Option<crate::ir::HiddenRow> {
        let filtered = *self.hidden.get(&(sheet, row))?;
        Some(crate::ir::HiddenRow { sheet, row, filtered })
    }
}
