//! The workbook with every formula parsed: shared formulas are expanded by
//! parsing the master formula once and shifting its syntax tree to each
//! follower, never by editing formula text.

use std::collections::BTreeMap;

use crate::formula::ast::Node;
use crate::formula::parser::{parse, shift, ParseError};
use crate::xlsx::{CellValue, FormulaKind, RawWorkbook};

/// A parsed workbook.
#[derive(Debug)]
pub(crate) struct Workbook {
    pub(crate) sheets: Vec<Sheet>,
    pub(crate) raw: RawWorkbook,
}

/// One sheet's cells by (row, col), 0-based.
#[derive(Debug)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) cells: BTreeMap<(u32, u32), Cell>,
}

/// A cell: its constant (or the cached value of a formula, which no
/// computation reads) and its parsed formula.
#[derive(Debug)]
pub(crate) struct Cell {
    pub(crate) value: CellValue,
    pub(crate) formula: Option<Formula>,
}

/// A formula cell's syntax tree, or why it could not be parsed.
#[derive(Debug)]
pub(crate) struct Formula {
    /// The formula as it applies to this cell, for messages and generated code.
    pub(crate) text: String,
    pub(crate) ast: Result<Node, ParseError>,
    /// The range of an array formula whose top-left cell this is.
    pub(crate) array: Option<(u32, u32, u32, u32)>,
    /// Whether the file marks the formula as a dynamic array (its range is
    /// the spill range Excel last computed).
    pub(crate) dynamic: bool,
}

impl Workbook {
    /// Parses every formula of `raw`, each master of a shared formula once.
    pub(crate) fn parse(raw: RawWorkbook) -> Workbook {
        let mut sheets = Vec::with_capacity(raw.sheets.len());
        for raw_sheet in &raw.sheets {
            let mut masters: BTreeMap<(u32, u32), Result<Node, ParseError>> = BTreeMap::new();
            let mut cells = BTreeMap::new();
            for (&(row, col), raw_cell) in &raw_sheet.cells {
                let formula = raw_cell.formula.as_ref().map(|f| {
                    let ast = if f.kind == FormulaKind::Shared {
                        // `shift` copies the tree in a loop; a derived clone would
                        // recurse as deep as the formula nests.
                        let master = masters.entry(f.anchor).or_insert_with(|| parse(&f.text));
                        let rows = i64::from(row) - i64::from(f.anchor.0);
                        let cols = i64::from(col) - i64::from(f.anchor.1);
                        match master {
                            Ok(node) => Ok(shift(node, rows, cols)),
                            Err(e) => Err(e.clone()),
                        }
                    } else {
                        parse(&f.text)
                    };
                    let text = match &ast {
                        Ok(node) if f.anchor != (row, col) => {
                            crate::formula::parser::to_formula_text(node)
                        }
                        _ => f.text.clone(),
                    };
                    let array = match f.kind {
                        FormulaKind::Array { range } => Some(range),
                        _ => None,
                    };
                    Formula { text, ast, array, dynamic: f.dynamic_array }
                });
                cells.insert((row, col), Cell { value: raw_cell.value.clone(), formula });
            }
            sheets.push(Sheet { name: raw_sheet.name.clone(), cells });
        }
        Workbook { sheets, raw }
    }

    /// The sheet with this name, case-insensitive.
    pub(crate) fn sheet_index(&self, name: &str) -> Option<usize> {
        self.sheets.iter().position(|s| s.name.eq_ignore_ascii_case(name))
    }
}
