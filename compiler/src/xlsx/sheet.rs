//! A worksheet part: cells with their values and formulas, the declared
//! dimension, data validations and the relationship ids of its tables.
//!
//! Shared formulas are kept as written: a follower (`<f t="shared" si="0"/>`)
//! gets its master's text and the master's cell as anchor, so the text is
//! never rewritten here. Masters may come after their followers in document
//! order, so followers are resolved once the whole sheet has been read.

use std::collections::BTreeMap;

use quick_xml::events::BytesStart;

use super::cell::{read_cell_body, CellElement, FormulaElement, ValueContext};
use super::limits::MAX_CELLS;
use super::metadata::CellMetadata;
use super::model::{CellValue, FormulaKind, RawCell, RawFormula, RawValidation};
use super::refs::{parse_cell, parse_range, CellRange, MAX_COLS, MAX_ROWS};
use super::validation::read_validation;
use super::xml::{self, Xml};
use super::XlsxError;

/// What a worksheet part holds.
#[derive(Debug, Default)]
pub(crate) struct SheetPart {
    pub(crate) cells: BTreeMap<(u32, u32), RawCell>,
    pub(crate) validations: Vec<RawValidation>,
    pub(crate) dimension: Option<String>,
    /// The `r:id`s of `<tablePart>`s, in order.
    pub(crate) table_rel_ids: Vec<String>,
    /// Rows marked hidden, 0-based, in document order.
    pub(crate) hidden_rows: Vec<u32>,
    /// The `<autoFilter>` range, once a `<filterColumn>` shows it filters.
    pub(crate) filter: Option<CellRange>,
}

/// The reading state of one sheet.
struct SheetReader<'c> {
    values: ValueContext<'c>,
    metadata: &'c CellMetadata,
    /// How many more cells the workbook may hold ([`MAX_CELLS`] overall).
    cell_budget: usize,
    out: SheetPart,
    /// Master text and cell of each shared formula group (`si`).
    masters: BTreeMap<u32, (String, (u32, u32))>,
    /// Followers waiting for their master: cell and `si`.
    followers: Vec<((u32, u32), u32)>,
    /// The ranges of the sheet's array formulas, and the cells holding an
    /// empty ordinary `<f>` (see [`SheetReader::drop_array_members`]).
    array_ranges: Vec<CellRange>,
    empty_formulas: Vec<(u32, u32)>,
    /// The current row, and where a row or cell without `r` goes.
    row: u32,
    next_row: u32,
    next_col: u32,
}

/// Reads a worksheet part holding at most `cell_budget` cells.
pub(crate) fn read_sheet(
    xml: &mut Xml<'_>,
    values: ValueContext<'_>,
    metadata: &CellMetadata,
    cell_budget: usize,
) -> Result<SheetPart, XlsxError> {
    let mut reader = SheetReader {
        values,
        metadata,
        cell_budget,
        out: SheetPart::default(),
        masters: BTreeMap::new(),
        followers: Vec::new(),
        array_ranges: Vec::new(),
        empty_formulas: Vec::new(),
        row: 0,
        next_row: 0,
        next_col: 0,
    };
    let mut auto_filter = None;
    while let Some(start) = xml.next_start()? {
        match xml::local(&start).as_slice() {
            b"dimension" => reader.out.dimension = xml::attr(xml, &start, "ref")?,
            b"row" => reader.start_row(xml, &start)?,
            b"autoFilter" => {
                auto_filter = xml::attr(xml, &start, "ref")?.and_then(|r| parse_range(r.trim()));
            }
            b"filterColumn" => reader.out.filter = reader.out.filter.or(auto_filter),
            b"c" => reader.read_cell(xml, &start)?,
            b"dataValidation" => {
                let validation = read_validation(xml, &start, reader.values.sheet)?;
                reader.out.validations.push(validation);
            }
            b"tablePart" => {
                if let Some(id) = xml::attr_ns(xml, &start, "id", true)? {
                    reader.out.table_rel_ids.push(id);
                }
            }
            _ => {}
        }
    }
    reader.resolve_followers()?;
    reader.drop_array_members();
    Ok(reader.out)
}

impl SheetReader<'_> {
    /// `<row r="7">`: sets the row of the cells that follow.
    fn start_row(&mut self, xml: &Xml<'_>, start: &BytesStart<'_>) -> Result<(), XlsxError> {
        if let Some(r) = xml::attr(xml, start, "r")? {
            let row: u32 = r.trim().parse().unwrap_or(0);
            if !(1..=MAX_ROWS).contains(&row) {
                let sheet = self.values.sheet;
                return Err(xml.error(format!("sheet {sheet}: row number \"{r}\" is off the grid")));
            }
            self.next_row = row - 1;
        }
        if self.next_row >= MAX_ROWS {
            let sheet = self.values.sheet;
            return Err(xml.error(format!("sheet {sheet}: more than {MAX_ROWS} rows")));
        }
        self.row = self.next_row;
        self.next_row = self.row + 1;
        // FIXME: rows hidden by default (`<sheetFormatPr zeroHeight="1">`,
        // shown rows then marked by height) are not read as hidden, so
        // SUBTOTAL counts them.
        if xml::bool_attr(xml, start, "hidden", false)? {
            self.out.hidden_rows.push(self.row);
        }
        self.next_col = 0;
        Ok(())
    }

    /// The position of a cell: its `r` attribute, or the next column of the
    /// current row when it has none.
    fn position(&mut self, xml: &Xml<'_>, start: &BytesStart<'_>) -> Result<(u32, u32), XlsxError> {
        let row = self.row;
        let at = match xml::attr(xml, start, "r")? {
            Some(r) => parse_cell(r.trim()).ok_or_else(|| {
                xml.error(format!("sheet {}: cell reference \"{r}\" is invalid", self.values.sheet))
            })?,
            None if self.next_col < MAX_COLS => (row, self.next_col),
            None => {
                return Err(xml.error(format!(
                    "sheet {}: too many cells in row {}",
                    self.values.sheet,
                    row + 1
                )))
            }
        };
        self.next_col = at.1 + 1;
        Ok(at)
    }

    /// Reads one `<c>` and stores it when it holds a value or a formula.
    fn read_cell(&mut self, xml: &mut Xml<'_>, start: &BytesStart<'_>) -> Result<(), XlsxError> {
        let at = self.position(xml, start)?;
        let mut element = CellElement {
            cell_type: xml::attr(xml, start, "t")?,
            metadata: xml::attr(xml, start, "cm")?.and_then(|cm| cm.trim().parse().ok()),
            value_metadata: xml::attr(xml, start, "vm")?.and_then(|vm| vm.trim().parse().ok()),
            ..CellElement::default()
        };
        read_cell_body(xml, &mut element)?;
        let mut value = self.values.value(&element, at)?;
        if let (CellValue::Error(_), Some(vm)) = (&value, element.value_metadata) {
            if let Some(kind) = self.metadata.value_error(vm) {
                value = CellValue::Error(kind);
            }
        }
        let dynamic_array = element.metadata.is_some_and(|cm| self.metadata.is_dynamic(cm));
        let formula = match element.formula {
            Some(f) => self.formula(f, at, dynamic_array)?,
            None => None,
        };
        if value != CellValue::Empty || formula.is_some() {
            self.out.cells.insert(at, RawCell { value, formula });
            if self.out.cells.len() > self.cell_budget {
                let what = format!("the number of cells (at sheet {})", self.values.sheet);
                return Err(XlsxError::TooLarge { what, limit: MAX_CELLS as u64 });
            }
        }
        Ok(())
    }

    /// Interprets an `<f>`. A shared follower is returned with empty text
    /// and fixed up by [`SheetReader::resolve_followers`].
    fn formula(
        &mut self,
        f: FormulaElement,
        at: (u32, u32),
        dynamic_array: bool,
    ) -> Result<Option<RawFormula>, XlsxError> {
        let range = |f: &FormulaElement| match &f.range {
            None => Ok((at.0, at.1, at.0, at.1)),
            Some(r) => parse_range(r.trim())
                .ok_or_else(|| self.values.error(at, format!("formula range \"{r}\" is invalid"))),
        };
        let kind = match f.kind.as_deref().unwrap_or("normal") {
            "normal" => {
                if f.text.trim().is_empty() {
                    self.empty_formulas.push(at);
                }
                FormulaKind::Normal
            }
            "array" => {
                let range = range(&f)?;
                self.array_ranges.push(range);
                FormulaKind::Array { range }
            }
            "dataTable" => {
                let range = range(&f)?;
                FormulaKind::DataTable { range, r1: f.r1, r2: f.r2, two_dim: f.two_dim }
            }
            "shared" => return self.shared(f, at, dynamic_array),
            other => {
                return Err(self.values.error(at, format!("unknown formula type t=\"{other}\"")))
            }
        };
        Ok(Some(RawFormula { text: f.text, anchor: at, kind, dynamic_array }))
    }

    /// A member of a shared formula: a master carries text, a follower none.
    fn shared(
        &mut self,
        f: FormulaElement,
        at: (u32, u32),
        dynamic_array: bool,
    ) -> Result<Option<RawFormula>, XlsxError> {
        let si = f
            .shared_index
            .ok_or_else(|| self.values.error(at, "shared formula has no si".to_owned()))?;
        if f.text.trim().is_empty() {
            self.followers.push((at, si));
        } else {
            self.masters.entry(si).or_insert_with(|| (f.text.clone(), at));
        }
        Ok(Some(RawFormula { text: f.text, anchor: at, kind: FormulaKind::Shared, dynamic_array }))
    }

    /// Removes the empty `<f ca="1"/>` Excel writes on the cells of a
    /// volatile array formula other than its top-left one: they carry no
    /// formula, only the flag that the array is recalculated on load. An
    /// empty `<f>` outside any array range is kept, for the formula parser
    /// to report.
    fn drop_array_members(&mut self) {
        let inside = |at: &(u32, u32), r: &CellRange| {
            (r.0..=r.2).contains(&at.0) && (r.1..=r.3).contains(&at.1) && (r.0, r.1) != *at
        };
        for at in std::mem::take(&mut self.empty_formulas) {
            if !self.array_ranges.iter().any(|r| inside(&at, r)) {
                continue;
            }
            if let Some(cell) = self.out.cells.get_mut(&at) {
                cell.formula = None;
                if cell.value == CellValue::Empty {
                    self.out.cells.remove(&at);
                }
            }
        }
    }

    /// Gives each follower its master's text and anchor.
    fn resolve_followers(&mut self) -> Result<(), XlsxError> {
        for (at, si) in std::mem::take(&mut self.followers) {
            let Some((text, anchor)) = self.masters.get(&si) else {
                let message = format!("shared formula si=\"{si}\" has no master cell");
                return Err(self.values.error(at, message));
            };
            if let Some(formula) = self.out.cells.get_mut(&at).and_then(|c| c.formula.as_mut()) {
                formula.text.clone_from(text);
                formula.anchor = *anchor;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads sheet XML with a cell budget.
    fn read(xml: &str, budget: usize) -> Result<SheetPart, XlsxError> {
        let values = ValueContext { strings: &[], date_1904: false, part: "s.xml", sheet: "S" };
        read_sheet(&mut Xml::new("s.xml", xml.as_bytes()), values, &CellMetadata::default(), budget)
    }

    #[test]
    fn cell_budget_is_enforced() {
        let xml = r#"<worksheet><sheetData><row><c><v>1</v></c><c><v>2</v></c><c s="1"/><c><v>3</v></c></row></sheetData></worksheet>"#;
        assert_eq!(read(xml, 3).unwrap().cells.len(), 3);
        let err = read(xml, 2).unwrap_err();
        let what = "the number of cells (at sheet S)".to_owned();
        assert_eq!(err, XlsxError::TooLarge { what, limit: MAX_CELLS as u64 });
    }
}
