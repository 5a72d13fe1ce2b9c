//! The pipeline from a read workbook to a [`Program`]: lower every formula,
//! find the layout, build the dependency graph, decide what is an error and
//! what a warning, fold what does not depend on the log, and order the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use runtime::interp::Interpreter;
use runtime::ir::{
    Block, DateOrder, DefinedName, Expr, FormulaCell, GrowingSpill, HiddenRow, Iteration, Program,
    SheetInfo, SourceFormula,
};
use runtime::reference::{a1, CellAddr, RangeRef, Reference, SheetId};
use runtime::value::{ExcelError, Value};

use crate::deps::{Deps, Dynamic};
use crate::formula::ast::Node;
use crate::formula::parser::{shift, to_formula_text};
use crate::graph::{Cycle, DepGraph};
use crate::layout::{self, Layout};
use crate::lower::Lowerer;
use crate::workbook::Workbook;
use crate::xlsx::{CellValue, RawWorkbook};
use crate::{CompileOptions, Compiled, Diagnostic, Severity};

/// A formula cell after lowering.
pub(crate) struct Lowered<'a> {
    pub(crate) addr: CellAddr,
    pub(crate) text: String,
    ast: Option<&'a Node>,
    /// The lowered expression, or every reason it could not be lowered.
    pub(crate) expr: Result<Expr, Vec<String>>,
    /// Likely mistakes that still compute as Excel computes them.
    notes: Vec<String>,
    pub(crate) deps: Deps,
}

/// Compiles a read workbook.
///
/// # Errors
///
/// Every error and warning found, when at least one is an error.
pub fn compile_workbook(
    raw: RawWorkbook,
    opts: &CompileOptions,
) -> Result<Compiled, Vec<Diagnostic>> {
    let wb = Workbook::parse(raw);
    let mut diags = Vec::new();
    if !wb.raw.calc.full_precision {
        let message = "the workbook uses \"precision as displayed\", which makes results depend on formatting";
        diags.push(Diagnostic::error(None, None, message));
    }
    let lowerer = Lowerer::new(&wb);
    let lowered = lower_all(&wb, &lowerer);
    // Capacity comes from what formulas read: a defined name counts where a
    // formula uses it (lowering inlines it), never for merely existing, so an
    // autofilter or print area over IN does not raise it.
    let refs: Vec<RangeRef> =
        lowered.iter().flat_map(|l| l.deps.refs.iter().map(|(r, _)| *r)).collect();
    let layout = layout::find(&wb, &refs, opts.default_capacity, &mut diags);

    let deps: Vec<(CellAddr, &Deps)> = lowered.iter().map(|l| (l.addr, &l.deps)).collect();
    let graph = DepGraph::build(&deps);
    let needed = match &layout {
        Some(layout) => graph.cone(out_roots(&graph, layout)),
        None => vec![true; graph.cells.len()],
    };
    report_cells(&wb, &lowered, &graph, &needed, &mut diags);
    report_cycles(&wb, &graph, &needed, &lowered, &mut diags);
    let by_addr: BTreeMap<CellAddr, &Lowered<'_>> = lowered.iter().map(|l| (l.addr, l)).collect();
    let depends_on_log = match &layout {
        Some(layout) => log_dependence(&graph, &by_addr, &input_region(layout)),
        None => vec![false; graph.cells.len()],
    };
    let growing = match &layout {
        Some(layout) => {
            let log = |cell: &CellAddr| graph.node(cell).is_some_and(|n| depends_on_log[n]);
            let needs = |cell: &CellAddr| graph.node(cell).is_some_and(|n| needed[n]);
            growing_spills(&wb, &lowered, layout, &log, &needs, &mut diags)
        }
        None => Vec::new(),
    };
    diags.sort_by_key(|d| diagnostic_order(&wb, d));
    let (Some(layout), false) = (layout, diags.iter().any(|d| d.severity == Severity::Error))
    else {
        return Err(diags);
    };
    let mut program = assemble(&wb, &lowerer, &lowered, &graph, &needed, &depends_on_log, layout);
    program.growing_spills = growing;
    Ok(Compiled { program: Arc::new(program), warnings: diags })
}

/// A formula as a trader wrote it: without the `_xlfn.` and `_xlws.`
/// prefixes Excel stores before newer functions' names.
fn display_formula(stored: &str) -> String {
    stored.replace("_xlfn._xlws.", "").replace("_xlfn.", "").replace("_xlws.", "")
}

/// Where a diagnostic sorts: errors first, then by sheet order, row and
/// column (`A2` before `A10`); workbook-wide problems before located ones.
fn diagnostic_order(wb: &Workbook, d: &Diagnostic) -> (Severity, usize, u32, u32) {
    let sheet = d.sheet.as_deref().and_then(|s| wb.sheet_index(s)).map_or(0, |i| i + 1);
    let (row, col) = d.cell.as_deref().and_then(crate::xlsx::refs::parse_cell).unwrap_or((0, 0));
    (d.severity, sheet, row, col)
}

/// Lowers every formula of the workbook, in (sheet, row, col) order.
pub(crate) fn lower_all<'a>(wb: &'a Workbook, lowerer: &Lowerer<'_>) -> Vec<Lowered<'a>> {
    let mut out = Vec::new();
    for (sheet_index, sheet) in wb.sheets.iter().enumerate() {
        // Cells of an array formula's range other than its top-left hold no
        // formula of their own: each reads its element of the top-left's array.
        // A dynamic array whose shape follows the log can spill past the
        // range the file recorded: see `growing_spills`.
        let mut array_cells = Vec::new();
        for (&(row, col), cell) in &sheet.cells {
            let addr = CellAddr::new(sheet_index as SheetId, row, col);
            let Some(formula) = &cell.formula else { continue };
            let mut lowered = match &formula.ast {
                Err(e) => Lowered {
                    addr,
                    text: formula.text.clone(),
                    ast: None,
                    expr: Err(vec![format!("formula cannot be parsed: {}", e.message)]),
                    notes: Vec::new(),
                    deps: Deps::default(),
                },
                Ok(node) => {
                    let lowered = lowerer.lower(addr, node, formula.array.is_some());
                    let (expr, notes) = match lowered {
                        Ok(l) => (Ok(l.expr), l.notes.into_iter().map(|p| p.message).collect()),
                        Err(ps) => (Err(ps.into_iter().map(|p| p.message).collect()), Vec::new()),
                    };
                    let deps = expr.as_ref().map(Deps::of).unwrap_or_default();
                    let text = formula.text.clone();
                    Lowered { addr, text, ast: Some(node), expr, notes, deps }
                }
            };
            if let Some((r0, c0, r1, c1)) = formula.array {
                let ok = match &mut lowered.expr {
                    Ok(expr) => {
                        *expr =
                            Expr::ArrayFormula(Box::new(std::mem::replace(expr, Expr::Missing)));
                        true
                    }
                    Err(_) => false,
                };
                let cells = (r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c)));
                let spill = formula.dynamic;
                array_cells.extend(cells.map(|(r, c)| (addr, ok, spill, r, c)));
            }
            out.push(lowered);
        }
        for (anchor, ok, spill, row, col) in array_cells {
            if sheet.cells.get(&(row, col)).is_none_or(|c| c.formula.is_none()) {
                let addr = CellAddr::new(sheet_index as SheetId, row, col);
                out.push(array_element(anchor, addr, ok, spill));
            }
        }
    }
    out.sort_by_key(|l| l.addr);
    out
}

/// The cell `addr` of the range of the array formula at `anchor`: it reads
/// its element of the anchor's array (`anchor_ok`: the anchor's formula could
/// be lowered; `spill`: the formula is a dynamic array).
fn array_element<'a>(
    anchor: CellAddr,
    addr: CellAddr,
    anchor_ok: bool,
    spill: bool,
) -> Lowered<'a> {
    let (text, notes) = (String::new(), Vec::new());
    let (row, col) = (addr.row - anchor.row, addr.col - anchor.col);
    let expr = Expr::ArrayElement { anchor, row, col, spill };
    let (expr, deps) = match anchor_ok {
        true => (Ok(expr.clone()), Deps::of(&expr)),
        false => {
            let message = "part of an array formula that cannot be evaluated".to_string();
            (Err(vec![message]), Deps::default())
        }
    };
    Lowered { addr, text, ast: None, expr, notes, deps }
}

/// Defined names that are plain references, with their targets.
fn name_targets(wb: &Workbook, lowerer: &Lowerer<'_>) -> Vec<(usize, RangeRef)> {
    let mut out = Vec::new();
    for (i, name) in wb.raw.names.iter().enumerate() {
        if let Ok(node) = crate::formula::parser::parse(&name.formula) {
            if let Some(range) = lowerer.name_reference(&node) {
                out.push((i, range));
            }
        }
    }
    out
}

/// The formula nodes among the outcome cells.
fn out_roots(graph: &DepGraph, layout: &Layout) -> Vec<usize> {
    let out = &layout.output;
    let mut roots = Vec::new();
    for row in &out.rows {
        for column in &out.columns {
            if let Some(node) = graph.node(&CellAddr::new(out.sheet, *row, column.col)) {
                roots.push(node);
            }
        }
    }
    roots
}

fn sheet_name(wb: &Workbook, addr: CellAddr) -> &str {
    &wb.sheets[usize::from(addr.sheet)].name
}

/// Problems of single cells: unparsable, unsupported, volatile.
fn report_cells(
    wb: &Workbook,
    lowered: &[Lowered<'_>],
    graph: &DepGraph,
    needed: &[bool],
    diags: &mut Vec<Diagnostic>,
) {
    for cell in lowered {
        let node_needed = graph.node(&cell.addr).is_some_and(|n| needed[n]);
        let severity = if node_needed { Severity::Error } else { Severity::Warning };
        let mut messages = match &cell.expr {
            Err(reasons) => reasons.clone(),
            Ok(_) => Vec::new(),
        };
        for name in &cell.deps.volatile {
            messages.push(format!(
                "volatile function {name} makes the outcomes depend on something other than the log"
            ));
        }
        let notes = cell.notes.iter().map(|n| (Severity::Warning, n.clone()));
        for (severity, message) in messages.into_iter().map(|m| (severity, m)).chain(notes) {
            diags.push(Diagnostic {
                severity,
                sheet: Some(sheet_name(wb, cell.addr).to_string()),
                cell: Some(a1(cell.addr.row, cell.addr.col)),
                formula: Some(display_formula(&cell.text)),
                message,
            });
        }
    }
}

/// Circular references: real ones are errors where `OUT` depends on them;
/// apparent ones (through untaken branches) are warnings.
fn report_cycles(
    wb: &Workbook,
    graph: &DepGraph,
    needed: &[bool],
    lowered: &[Lowered<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    let text: BTreeMap<CellAddr, &str> =
        lowered.iter().map(|l| (l.addr, l.text.as_str())).collect();
    for cycle in graph.cycles() {
        let path: Vec<String> = cycle
            .path
            .iter()
            .map(|c| format!("{}!{}", sheet_name(wb, *c), a1(c.row, c.col)))
            .collect();
        let any_needed = cycle.members.iter().any(|&m| needed[m]);
        let start = cycle.path[0];
        let (severity, message) = if cycle.apparent {
            let message = format!(
                "cells read each other only through branches that may not be taken ({}); \
                 they are evaluated in a guarded order",
                path.join(" → ")
            );
            (Severity::Warning, message)
        } else {
            let calc = &wb.raw.calc;
            if calc.iterate {
                let message = format!(
                    "circular reference, computed by iterative calculation (at most {} \
                     iterations, maximum change {}): {}",
                    calc.iterate_count.max(1),
                    calc.iterate_delta,
                    path.join(" → ")
                );
                (Severity::Warning, message)
            } else {
                let severity = if any_needed { Severity::Error } else { Severity::Warning };
                (severity, format!("circular reference: {}", path.join(" → ")))
            }
        };
        diags.push(Diagnostic {
            severity,
            sheet: Some(sheet_name(wb, start).to_string()),
            cell: Some(a1(start.row, start.col)),
            formula: text.get(&start).map(|t| display_formula(t)),
            message,
        });
    }
}

/// Builds the program: constants folded, the log-dependent cone in order.
fn assemble(
    wb: &Workbook,
    lowerer: &Lowerer<'_>,
    lowered: &[Lowered<'_>],
    graph: &DepGraph,
    needed: &[bool],
    depends_on_log: &[bool],
    layout: Layout,
) -> Program {
    let order = graph.order();
    let by_addr: BTreeMap<CellAddr, &Lowered<'_>> = lowered.iter().map(|l| (l.addr, l)).collect();
    let literals = literal_cells(wb, Some(&layout));
    let sheets = sheet_infos(wb, Some(&layout));
    let names = defined_names(wb, lowerer);

    // Fold: evaluate once, with an empty log, the cells that do not depend on
    // the log; they read no cell that does, so the others need no value.
    let formulas_of = |nodes: &mut dyn Iterator<Item = &usize>| -> Vec<FormulaCell> {
        nodes.map(|&n| formula_cell(by_addr[&graph.cells[n]])).collect()
    };
    let fixed: Vec<usize> = order.iter().copied().filter(|&n| !depends_on_log[n]).collect();
    let all = formulas_of(&mut fixed.iter());
    let cycles = if wb.raw.calc.iterate { graph.cycles() } else { Vec::new() };
    let mut program = Program {
        sheets,
        date_1904: wb.raw.date_1904,
        // An uploaded workbook is calculated as Excel does in the en-US
        // locale (docs/workbooks.md), whatever locale saved it.
        date_order: DateOrder::MonthFirst,
        input: layout.input,
        output: layout.output,
        constants: literals.clone(),
        formulas: all,
        blocks: Vec::new(),
        names,
        sources: source_formulas(wb, lowered),
        hidden_rows: hidden_rows(wb),
        iteration: None,
        growing_spills: Vec::new(),
    };
    program.iteration = iteration(wb, graph, &cycles, &program.formulas);
    let folded = Interpreter::new(Arc::new(program.clone())).evaluate_all(&[]).unwrap_or_default();
    let mut constants = literals;
    for (i, &n) in fixed.iter().enumerate() {
        let value = folded.get(i).cloned().unwrap_or(Value::Error(ExcelError::Value));
        constants.push((graph.cells[n], value));
    }
    constants.sort_by_key(|(addr, _)| *addr);
    let live: Vec<usize> = order.into_iter().filter(|&n| needed[n] && depends_on_log[n]).collect();
    program.formulas = formulas_of(&mut live.iter());
    program.constants = constants;
    program.blocks = blocks(&program.formulas, &by_addr);
    program.iteration = iteration(wb, graph, &cycles, &program.formulas);
    program
}

/// Functions whose result's shape can follow the values of their
/// arguments (`FILTER` keeps the rows that match, `SEQUENCE(n)` has `n`
/// rows), rather than only the shapes of their arguments.
// FIXME: `IF`, `IFS`, `SWITCH` and `CHOOSE` between branches of different
// shapes also change shape with the log; they are taken as keeping it.
const SHAPE_FROM_VALUES: &[&str] = &[
    "FILTER",
    "UNIQUE",
    "SEQUENCE",
    "RANDARRAY",
    "MAKEARRAY",
    "REDUCE",
    "TEXTSPLIT",
    "TAKE",
    "DROP",
    "EXPAND",
    "CHOOSECOLS",
    "CHOOSEROWS",
    "WRAPROWS",
    "WRAPCOLS",
    "TOCOL",
    "TOROW",
    "TRIMRANGE",
    "GROUPBY",
    "PIVOTBY",
    "REGEXEXTRACT",
    "LINEST",
    "LOGEST",
    "OFFSET",
    "INDIRECT",
    "INDEX",
    "XLOOKUP",
    "ANCHORARRAY",
];

/// Whether the shape of `expr`'s result can change with the values it reads.
/// A function sized by its arguments keeps its shape when those are
/// literals: `SEQUENCE(2)` is always two rows, `TAKE(x, 3)` as wide as `x`.
fn shape_can_change(expr: &Expr) -> bool {
    fn literal(e: &Expr) -> bool {
        match e {
            Expr::Value(_) | Expr::Missing => true,
            Expr::Unary(_, x) => literal(x),
            _ => false,
        }
    }
    any_node(expr, &|e| match e {
        Expr::Spill { .. } => true,
        Expr::Call(f, args) => match f.name() {
            "SEQUENCE" | "RANDARRAY" => !args.iter().all(literal),
            "MAKEARRAY" => !args.iter().take(2).all(literal),
            "EXPAND" | "TAKE" | "DROP" | "CHOOSECOLS" | "CHOOSEROWS" | "WRAPROWS" | "WRAPCOLS" => {
                !args.iter().skip(1).all(literal)
            }
            name => SHAPE_FROM_VALUES.contains(&name),
        },
        _ => false,
    })
}

/// The dynamic arrays whose shape can change with the log, each with the
/// cells that would block it, in anchor order. One anchored on `OUT` is
/// refused, as the workbook preparation rules have it; a formula that reads
/// a blank cell such an array may spill into beyond the range the file
/// recorded, or reads its sheet through `OFFSET` or `INDIRECT`, is refused
/// where `OUT` depends on it (it would read the cell as blank where Excel
/// reads the array), with the advice to read the array through `#`.
// FIXME: the cells such an array may spill into are taken to be all those
// right of and below it; a narrower bound (FILTER is as wide as its input)
// would refuse fewer workbooks.
fn growing_spills(
    wb: &Workbook,
    lowered: &[Lowered<'_>],
    layout: &Layout,
    depends_on_log: &dyn Fn(&CellAddr) -> bool,
    needed: &dyn Fn(&CellAddr) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<GrowingSpill> {
    let mut out = Vec::new();
    for l in lowered {
        let sheet = &wb.sheets[usize::from(l.addr.sheet)];
        let Some(formula) =
            sheet.cells.get(&(l.addr.row, l.addr.col)).and_then(|c| c.formula.as_ref())
        else {
            continue;
        };
        let (Some((r0, c0, r1, c1)), true) = (formula.array, formula.dynamic) else { continue };
        let varies = l.expr.as_ref().is_ok_and(shape_can_change);
        if !varies || !depends_on_log(&l.addr) {
            continue;
        }
        let anchor = l.addr;
        let at = |cell: CellAddr| format!("{}!{}", sheet_name(wb, cell), a1(cell.row, cell.col));
        if anchor.sheet == layout.output.sheet {
            diags.push(Diagnostic {
                severity: Severity::Error,
                sheet: Some(sheet.name.clone()),
                cell: Some(a1(anchor.row, anchor.col)),
                formula: Some(display_formula(&l.text)),
                message: "a dynamic array whose size can change with the log spills into OUT"
                    .to_string(),
            });
            continue;
        }
        let spill = (r0, c0, r1, c1);
        let arrays = array_ranges(sheet);
        let blockers: Vec<(u32, u32)> =
            filled_cells(sheet, &arrays, r0..=u32::MAX, c0..=u32::MAX, spill)
                .into_iter()
                .map(|(row, col)| (row - r0, col - c0))
                .collect();
        for reader in lowered {
            if reader.addr == anchor
                || matches!(reader.expr, Ok(Expr::ArrayElement { anchor: a, .. }) if a == anchor)
            {
                continue;
            }
            let blank = reader.deps.refs.iter().find(|(range, _)| {
                range.sheet == anchor.sheet && reads_blank_beyond(sheet, &arrays, range, spill)
            });
            let read = match blank {
                Some((range, _)) if (range.rows(), range.cols()) == (1, 1) => {
                    format!("reads {}!{}", sheet.name, a1(range.first_row, range.first_col))
                }
                Some((range, _)) => format!(
                    "reads {}!{}:{}",
                    sheet.name,
                    a1(range.first_row, range.first_col),
                    a1(range.last_row, range.last_col)
                ),
                // A reference computed at run time may land there too.
                None if reader.deps.dynamic.iter().any(|d| match d {
                    Dynamic::Workbook => true,
                    Dynamic::Sheet(s) => *s == anchor.sheet,
                }) =>
                {
                    format!("reads {} through OFFSET or INDIRECT", sheet.name)
                }
                None => continue,
            };
            let severity = if needed(&reader.addr) { Severity::Error } else { Severity::Warning };
            diags.push(Diagnostic {
                severity,
                sheet: Some(sheet_name(wb, reader.addr).to_string()),
                cell: Some(a1(reader.addr.row, reader.addr.col)),
                formula: Some(display_formula(&reader.text)),
                message: format!(
                    "{read}, where the dynamic array at {} spills when the log makes it larger; \
                     read the array as {}#",
                    at(anchor),
                    a1(anchor.row, anchor.col)
                ),
            });
        }
        out.push(GrowingSpill { anchor, blockers });
    }
    out.sort_by_key(|s| s.anchor);
    out
}

/// Whether `range` covers a blank cell of `sheet` right of and below the
/// top-left of `spill` (first row, first column, last row, last column)
/// outside it: a cell the array may spill into.
fn reads_blank_beyond(
    sheet: &crate::workbook::Sheet,
    arrays: &[Area],
    range: &RangeRef,
    spill: Area,
) -> bool {
    let (r0, c0, r1, c1) = spill;
    let rows = range.first_row.max(r0)..=range.last_row;
    let cols = range.first_col.max(c0)..=range.last_col;
    if rows.is_empty() || cols.is_empty() {
        return false;
    }
    let span = |a: u32, b: u32| u64::from(b - a) + 1;
    let area = span(*rows.start(), *rows.end()) * span(*cols.start(), *cols.end());
    let inside_rows = (*rows.start()).max(r0)..=(*rows.end()).min(r1);
    let inside_cols = (*cols.start()).max(c0)..=(*cols.end()).min(c1);
    let inside = match inside_rows.is_empty() || inside_cols.is_empty() {
        true => 0,
        false => {
            span(*inside_rows.start(), *inside_rows.end())
                * span(*inside_cols.start(), *inside_cols.end())
        }
    };
    area - inside > filled_cells(sheet, arrays, rows, cols, spill).len() as u64
}

/// A rectangle of cells: first row, first column, last row, last column.
type Area = (u32, u32, u32, u32);

/// The ranges of the array formulas of `sheet`.
fn array_ranges(sheet: &crate::workbook::Sheet) -> Vec<Area> {
    sheet.cells.values().filter_map(|cell| cell.formula.as_ref()?.array).collect()
}

/// The cells of `sheet` within `rows` and `cols`, outside `spill`, that
/// hold something: a value, a formula, or the result of another of the
/// sheet's array formulas `arrays`, stored or not.
fn filled_cells(
    sheet: &crate::workbook::Sheet,
    arrays: &[Area],
    rows: std::ops::RangeInclusive<u32>,
    cols: std::ops::RangeInclusive<u32>,
    spill: Area,
) -> BTreeSet<(u32, u32)> {
    let (r0, c0, r1, c1) = spill;
    let own = |row: u32, col: u32| (r0..=r1).contains(&row) && (c0..=c1).contains(&col);
    let wanted = |row: u32, col: u32| rows.contains(&row) && cols.contains(&col) && !own(row, col);
    let mut out: BTreeSet<(u32, u32)> = sheet
        .cells
        .range((*rows.start(), 0)..=(*rows.end(), u32::MAX))
        .filter(|(&(row, col), cell)| {
            wanted(row, col) && (cell.formula.is_some() || cell.value != CellValue::Empty)
        })
        .map(|(&at, _)| at)
        .collect();
    for &(a0, b0, a1, b1) in arrays.iter().filter(|&&area| area != spill) {
        let rows = a0.max(*rows.start())..=a1.min(*rows.end());
        let cells = rows.flat_map(|r| (b0..=b1).map(move |c| (r, c)));
        out.extend(cells.filter(|&(r, c)| wanted(r, c)));
    }
    out
}

/// The program's iterative calculation when the workbook enables it and
/// `formulas` hold cycles: each cycle as the range of `formulas` its cells
/// occupy (the dependency order keeps a cycle's cells together). Cells that
/// read each other only through branches a log may not take are left to
/// the guarded order instead: Excel computes them exactly where the
/// branches taken close no loop.
// FIXME: where the branches a log takes do close the loop, the cell met
// again reads as 0, where Excel would iterate.
pub(crate) fn iteration(
    wb: &Workbook,
    graph: &DepGraph,
    cycles: &[Cycle],
    formulas: &[FormulaCell],
) -> Option<Iteration> {
    let calc = &wb.raw.calc;
    if !calc.iterate || cycles.is_empty() {
        return None;
    }
    let cycle_of: HashMap<CellAddr, usize> = cycles
        .iter()
        .filter(|cycle| !cycle.apparent)
        .enumerate()
        .flat_map(|(c, cycle)| cycle.members.iter().map(move |&m| (graph.cells[m], c)))
        .collect();
    let mut ranges = Vec::new();
    let mut index = 0;
    while index < formulas.len() {
        let Some(cycle) = cycle_of.get(&formulas[index].addr) else {
            index += 1;
            continue;
        };
        let start = index;
        while formulas.get(index).is_some_and(|f| cycle_of.get(&f.addr) == Some(cycle)) {
            index += 1;
        }
        ranges.push(start..index);
    }
    (!ranges.is_empty()).then_some(Iteration {
        // Excel takes at least one iteration.
        max_iterations: calc.iterate_count.max(1),
        max_change: calc.iterate_delta,
        cycles: ranges,
    })
}

/// The IR cell of a lowered formula; one that could not be lowered reads
/// as `#NAME?`.
pub(crate) fn formula_cell(l: &Lowered<'_>) -> FormulaCell {
    let expr = l.expr.clone().unwrap_or(Expr::Error(ExcelError::Name));
    FormulaCell { addr: l.addr, expr, source: l.text.clone() }
}

/// The cells of `IN` the log writes.
fn input_region(layout: &Layout) -> Vec<RangeRef> {
    let input = &layout.input;
    input
        .columns
        .iter()
        .map(|c| RangeRef {
            sheet: input.sheet,
            first_row: 1,
            last_row: input.capacity.max(1),
            first_col: c.col,
            last_col: c.col,
        })
        .collect()
}

/// Which nodes depend on the log: those reading input cells, reading
/// dynamically or calling volatile functions, and everything reading them.
fn log_dependence(
    graph: &DepGraph,
    by_addr: &BTreeMap<CellAddr, &Lowered<'_>>,
    input: &[RangeRef],
) -> Vec<bool> {
    let overlaps = |a: &RangeRef, b: &RangeRef| {
        a.sheet == b.sheet
            && a.first_row <= b.last_row
            && b.first_row <= a.last_row
            && a.first_col <= b.last_col
            && b.first_col <= a.last_col
    };
    let mut dep = vec![false; graph.cells.len()];
    for (n, cell) in graph.cells.iter().enumerate() {
        let deps = &by_addr[cell].deps;
        dep[n] = graph.is_dynamic(n)
            || !deps.volatile.is_empty()
            || deps.refs.iter().any(|(r, _)| input.iter().any(|i| overlaps(r, i)));
    }
    graph.with_readers(&dep)
}

/// The workbook's formulas for the functions that read them at run time
/// (see [`Program::sources`]): all of them when a formula calls
/// `FORMULATEXT`, `ISFORMULA` or `ANCHORARRAY` (what lowering leaves of
/// them on a computed reference), else those calling `SUBTOTAL` when one
/// does; sorted by cell.
pub(crate) fn source_formulas(wb: &Workbook, lowered: &[Lowered<'_>]) -> Vec<SourceFormula> {
    let calling = |names: &'static [&'static str]| {
        lowered.iter().filter(move |l| l.expr.as_ref().is_ok_and(|e| calls(e, names)))
    };
    let all = calling(&["FORMULATEXT", "ISFORMULA", "ANCHORARRAY"]).next().is_some();
    let subtotals: BTreeSet<CellAddr> = calling(&["SUBTOTAL"]).map(|l| l.addr).collect();
    if !all && subtotals.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (s, sheet) in wb.sheets.iter().enumerate() {
        for (&(row, col), cell) in &sheet.cells {
            let Some(formula) = &cell.formula else { continue };
            let sheet = s as SheetId;
            let subtotal = subtotals.contains(&CellAddr::new(sheet, row, col));
            if !all && !subtotal {
                continue;
            }
            let range = match formula.array {
                Some((first_row, first_col, last_row, last_col)) => {
                    RangeRef { sheet, first_row, first_col, last_row, last_col }
                }
                None => RangeRef::cell(CellAddr::new(sheet, row, col)),
            };
            let text = format!("={}", crate::lower::shown_formula(&formula.text));
            out.push(SourceFormula { range, text, array: formula.array.is_some(), subtotal });
        }
    }
    out
}

/// The rows the file hides, each marked filtered when it lies below the
/// header of an autofilter that filters on some column, of its sheet or of
/// one of its tables.
pub(crate) fn hidden_rows(wb: &Workbook) -> Vec<HiddenRow> {
    let mut out = Vec::new();
    for (s, sheet) in wb.raw.sheets.iter().enumerate() {
        let tables = wb.raw.tables.iter().filter(|t| t.sheet == s).filter_map(|t| t.filter);
        let filters: Vec<(u32, u32, u32, u32)> = sheet.filter.into_iter().chain(tables).collect();
        let mut rows = sheet.hidden_rows.clone();
        rows.sort_unstable();
        rows.dedup();
        for row in rows {
            let filtered = filters.iter().any(|f| f.0 < row && row <= f.2);
            out.push(HiddenRow { sheet: s as SheetId, row, filtered });
        }
    }
    out
}

/// Whether an expression calls one of the named functions.
fn calls(expr: &Expr, names: &[&str]) -> bool {
    any_node(expr, &|e| matches!(e, Expr::Call(f, _) if names.contains(&f.name())))
}

/// Whether `hit` holds for `expr` or any expression inside it.
fn any_node(expr: &Expr, hit: &dyn Fn(&Expr) -> bool) -> bool {
    if hit(expr) {
        return true;
    }
    match expr {
        Expr::Call(_, args) => args.iter().any(|a| any_node(a, hit)),
        Expr::Value(_)
        | Expr::Missing
        | Expr::Cell(_)
        | Expr::Range(_)
        | Expr::Error(_)
        | Expr::Local(_)
        | Expr::ArrayElement { .. }
        | Expr::Spill { .. } => false,
        Expr::Unary(_, x) | Expr::Implicit(x) | Expr::ArrayFormula(x) => any_node(x, hit),
        Expr::Lambda { body, .. } => any_node(body, hit),
        Expr::Binary(_, a, b) | Expr::RefOp(_, a, b) | Expr::Let(a, b) => {
            any_node(a, hit) || any_node(b, hit)
        }
        Expr::Chain(first, rest) => {
            any_node(first, hit) || rest.iter().any(|(_, e)| any_node(e, hit))
        }
    }
}

/// Constant cells of the template, without the sample entries under the
/// input columns (every event starts with an empty log).
pub(crate) fn literal_cells(wb: &Workbook, layout: Option<&Layout>) -> Vec<(CellAddr, Value)> {
    let input = layout.map(|l| &l.input);
    let input_cols: BTreeSet<u32> =
        input.into_iter().flat_map(|i| i.columns.iter().map(|c| c.col)).collect();
    let input_sheet = input.map(|i| i.sheet);
    let mut out = Vec::new();
    for (s, sheet) in wb.sheets.iter().enumerate() {
        let sheet_id = s as SheetId;
        // The cached values of an array formula's range are results, not
        // constants.
        // A one-cell array formula's cell holds the formula itself.
        let array_ranges: Vec<_> = sheet
            .cells
            .values()
            .filter_map(|c| c.formula.as_ref()?.array)
            .filter(|&(r0, c0, r1, c1)| (r0, c0) != (r1, c1))
            .collect();
        let in_array = |row: u32, col: u32| {
            array_ranges
                .iter()
                .any(|&(r0, c0, r1, c1)| (r0..=r1).contains(&row) && (c0..=c1).contains(&col))
        };
        for (&(row, col), cell) in &sheet.cells {
            if cell.formula.is_some() || in_array(row, col) {
                continue;
            }
            if Some(sheet_id) == input_sheet && row > 0 && input_cols.contains(&col) {
                continue;
            }
            let value = match &cell.value {
                CellValue::Empty => continue,
                CellValue::Number(n) => Value::Number(*n),
                CellValue::Text(t) => Value::text(t),
                CellValue::Bool(b) => Value::Bool(*b),
                CellValue::Error(e) => Value::Error(*e),
            };
            out.push((CellAddr::new(sheet_id, row, col), value));
        }
    }
    out
}

pub(crate) fn sheet_infos(wb: &Workbook, layout: Option<&Layout>) -> Vec<SheetInfo> {
    wb.sheets
        .iter()
        .enumerate()
        .map(|(s, sheet)| {
            // An array formula's range counts in full: a file need not
            // store the cells its result fills.
            let (mut rows, cols) =
                sheet.cells.iter().fold((0, 0), |(r, c), (&(row, col), cell)| {
                    let (last_row, last_col) = cell
                        .formula
                        .as_ref()
                        .and_then(|f| f.array)
                        .map_or((row, col), |(_, _, r1, c1)| (r1.max(row), c1.max(col)));
                    (r.max(last_row + 1), c.max(last_col + 1))
                });
            if let Some(input) = layout.map(|l| &l.input) {
                if s == usize::from(input.sheet) {
                    rows = rows.max(input.capacity + 1);
                }
            }
            SheetInfo { name: sheet.name.clone(), used_rows: rows, used_cols: cols }
        })
        .collect()
}

pub(crate) fn defined_names(wb: &Workbook, lowerer: &Lowerer<'_>) -> Vec<DefinedName> {
    name_targets(wb, lowerer)
        .into_iter()
        .map(|(i, range)| {
            let raw = &wb.raw.names[i];
            DefinedName {
                name: raw.name.clone(),
                scope: raw.scope.map(|s| s as SheetId),
                target: Reference::Range(range),
            }
        })
        .collect()
}

/// Groups consecutive formulas that are one formula filled down a column.
fn blocks(formulas: &[FormulaCell], by_addr: &BTreeMap<CellAddr, &Lowered<'_>>) -> Vec<Block> {
    let relative_text = |i: usize, rows: i64| {
        by_addr[&formulas[i].addr].ast.map(|ast| to_formula_text(&shift(ast, rows, 0)))
    };
    let mut out = Vec::new();
    let mut start = 0;
    while start < formulas.len() {
        let mut len = 1;
        let first = formulas[start].addr;
        let text = relative_text(start, 0);
        while start + len < formulas.len() {
            let next = formulas[start + len].addr;
            let in_line = next.sheet == first.sheet
                && next.col == first.col
                && next.row == first.row + len as u32;
            if !in_line || text.is_none() {
                break;
            }
            if relative_text(start, len as i64) != relative_text(start + len, 0) {
                break;
            }
            len += 1;
        }
        out.push(if len == 1 { Block::Single(start) } else { Block::Column { start, len } });
        start += len;
    }
    out
}
