//! Evaluating every formula of a workbook, with its constants as they are
//! and no log: the check of the engine against the values a spreadsheet
//! application cached in the file (those values are never read here).

use std::sync::Arc;

use runtime::interp::Interpreter;
use runtime::ir::{DateOrder, InputLayout, OutputLayout, Program};
use runtime::reference::{a1, CellAddr};
use runtime::value::{ExcelError, Value};

use crate::compile::{defined_names, lower_all, Lowered};
use crate::deps::Deps;
use crate::graph::DepGraph;
use crate::lower::Lowerer;
use crate::workbook::Workbook;
use crate::xlsx::{CellValue, RawWorkbook};

/// One formula cell, evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluatedCell {
    pub sheet: String,
    /// A1 address of the cell.
    pub cell: String,
    pub formula: String,
    /// What the engine computed, or why it could not.
    pub value: Result<Value, Vec<String>>,
    /// The value the file cached for the cell; never an input.
    pub cached: CellValue,
    /// The cell calls a volatile function (`NOW`, `RAND`...) or reads a
    /// cell that does: its cached value cannot be reproduced.
    pub volatile: bool,
}

/// A workbook as one program: every formula in dependency order, its
/// constants as they are (nothing folded), no `IN` and no `OUT`; and each
/// formula cell in the program's order, its value `Ok(Value::Empty)` until
/// evaluated (a compiled evaluator runs the same program).
#[derive(Clone, Debug)]
pub struct WholeWorkbook {
    pub program: Program,
    pub cells: Vec<EvaluatedCell>,
}

/// How a whole workbook is evaluated: the settings of the spreadsheet
/// application that calculated it which the engine can follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WholeOptions {
    /// The day-month order in which date text is read: month first, as
    /// Excel does in en-US (the default and the product's own order), or
    /// day first for a workbook calculated in a locale such as en-GB.
    pub date_order: DateOrder,
}

/// Evaluates every formula cell of `raw` in dependency order.
pub fn evaluate_all_cells(raw: RawWorkbook, options: WholeOptions) -> Vec<EvaluatedCell> {
    let WholeWorkbook { program, mut cells } = whole_program(raw, options);
    let values = Interpreter::new(Arc::new(program)).evaluate_all(&[]).unwrap_or_default();
    let values = values.into_iter().chain(std::iter::repeat(Value::Error(ExcelError::Value)));
    for (cell, value) in cells.iter_mut().zip(values) {
        if let Ok(slot) = &mut cell.value {
            // The top-left cell of an array formula holds the whole array
            // and shows its first element.
            *slot = value.first().clone();
        }
    }
    cells
}

/// The program of every formula of `raw`, see [`WholeWorkbook`].
pub fn whole_program(raw: RawWorkbook, options: WholeOptions) -> WholeWorkbook {
    let cached: Vec<_> = raw.sheets.iter().map(|s| s.cells.clone()).collect();
    let wb = Workbook::parse(raw);
    let lowerer = Lowerer::new(&wb);
    let lowered = lower_all(&wb, &lowerer);
    let deps: Vec<(CellAddr, &Deps)> = lowered.iter().map(|l| (l.addr, &l.deps)).collect();
    let graph = DepGraph::build(&deps);
    let order = graph.order();
    let by_addr: std::collections::BTreeMap<CellAddr, &Lowered<'_>> =
        lowered.iter().map(|l| (l.addr, l)).collect();
    let cells: Vec<&Lowered<'_>> = order.iter().map(|&n| by_addr[&graph.cells[n]]).collect();
    let volatile = crate::conformance::volatile_nodes(&graph, |n| {
        crate::conformance::calls_volatile(&by_addr[&graph.cells[n]].text)
    });
    let mut program = Program {
        sheets: crate::compile::sheet_infos(&wb, None),
        date_1904: wb.raw.date_1904,
        date_order: options.date_order,
        input: InputLayout { sheet: 0, columns: Vec::new(), derived: Vec::new(), capacity: 0 },
        output: OutputLayout { sheet: 0, columns: Vec::new(), rows: Vec::new() },
        constants: crate::compile::literal_cells(&wb, None),
        formulas: cells.iter().map(|l| crate::compile::formula_cell(l)).collect(),
        blocks: Vec::new(),
        names: defined_names(&wb, &lowerer),
        sources: crate::compile::source_formulas(&wb, &lowered),
        hidden_rows: crate::compile::hidden_rows(&wb),
        iteration: None,
        growing_spills: Vec::new(),
    };
    let cycles = if wb.raw.calc.iterate { graph.cycles() } else { Vec::new() };
    program.iteration = crate::compile::iteration(&wb, &graph, &cycles, &program.formulas);
    let cells = cells
        .iter()
        .zip(order.iter().map(|&n| volatile[n]))
        .map(|(l, volatile)| EvaluatedCell {
            sheet: wb.sheets[usize::from(l.addr.sheet)].name.clone(),
            cell: a1(l.addr.row, l.addr.col),
            formula: l.text.clone(),
            value: l.expr.as_ref().map(|_| Value::Empty).map_err(Clone::clone),
            cached: cached[usize::from(l.addr.sheet)]
                .get(&(l.addr.row, l.addr.col))
                .map_or(CellValue::Empty, |c| c.value.clone()),
            volatile,
        })
        .collect();
    WholeWorkbook { program, cells }
}
