//! The shape of a prepared workbook: the `IN` sheet's input and derived
//! columns and its capacity, and the `OUT` sheet's columns and outcome rows
//! (`docs/workbooks.md`).

use std::collections::{BTreeMap, BTreeSet};

use runtime::coerce::format_general;
use runtime::ir::{InputColumn, InputLayout, OutputColumn, OutputLayout, Validation};
use runtime::reference::{a1, column_name, RangeRef, SheetId, MAX_ROWS};
use runtime::value::Value;

use crate::workbook::{Sheet, Workbook};
use crate::xlsx::{CellValue, RawValidation, ValidationKind};
use crate::Diagnostic;

/// Where the log goes and where the outcomes come from.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) input: InputLayout,
    pub(crate) output: OutputLayout,
}

/// Finds `IN` and `OUT` and reads their shape. `refs` are every reference the
/// workbook's formulas and names make, for the capacity.
pub(crate) fn find(
    wb: &Workbook,
    refs: &[RangeRef],
    default_capacity: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<Layout> {
    let in_sheet = wb.sheet_index("IN");
    let out_sheet = wb.sheet_index("OUT");
    if in_sheet.is_none() {
        diags.push(Diagnostic::error(None, None, "the workbook has no sheet named IN"));
    }
    if out_sheet.is_none() {
        diags.push(Diagnostic::error(None, None, "the workbook has no sheet named OUT"));
    }
    let input = input_layout(wb, in_sheet?, refs, default_capacity, diags);
    let output = output_layout(wb, out_sheet?, diags);
    Some(Layout { input: input?, output: output? })
}

/// The text of a header cell, or `None` when it is empty.
fn header_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Empty => None,
        CellValue::Text(s) if s.is_empty() => None,
        CellValue::Text(s) => Some(s.clone()),
        CellValue::Number(n) => Some(format_general(*n)),
        CellValue::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        CellValue::Error(e) => Some(e.to_string()),
    }
}

/// Reads row 1 of a sheet as headers: constants, unique case-insensitively.
fn headers(sheet: &Sheet, diags: &mut Vec<Diagnostic>) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for (&(row, col), cell) in sheet.cells.range((0, 0)..(1, 0)) {
        let here = Some(a1(row, col));
        if cell.formula.is_some() {
            let message = "a header in row 1 must be a constant, not a formula";
            diags.push(Diagnostic::error(Some(&sheet.name), here, message));
            continue;
        }
        let Some(text) = header_text(&cell.value) else { continue };
        if let Some(other) = seen.insert(text.to_lowercase(), col) {
            let message =
                format!("header '{text}' repeats the header of column {}", column_name(other));
            diags.push(Diagnostic::error(Some(&sheet.name), here, message));
            continue;
        }
        out.insert(col, text);
    }
    out
}

fn input_layout(
    wb: &Workbook,
    sheet_index: usize,
    refs: &[RangeRef],
    default_capacity: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<InputLayout> {
    let sheet = &wb.sheets[sheet_index];
    let headers = headers(sheet, diags);
    let mut columns = Vec::new();
    let mut derived = Vec::new();
    let mut derived_reach: Option<(u32, u32, String)> = None;
    for (col, header) in &headers {
        let formula_rows: BTreeSet<u32> = sheet
            .cells
            .iter()
            .filter(|((row, c), cell)| *row > 0 && c == col && cell.formula.is_some())
            .map(|((row, _), _)| *row)
            .collect();
        if formula_rows.is_empty() {
            columns.push(InputColumn { col: *col, header: header.clone(), validation: None });
            continue;
        }
        // The log can reach as far as the formulas run without a gap.
        let filled = (1..).take_while(|row| formula_rows.contains(row)).count() as u32;
        if filled == 0 {
            let message = format!(
                "derived column '{header}' must be filled down from row 2; \
                 its first formula is in row {}",
                formula_rows.first().map_or(0, |r| r + 1)
            );
            diags.push(Diagnostic::error(Some(&sheet.name), Some(a1(1, *col)), message));
        }
        if derived_reach.as_ref().is_none_or(|(reach, _, _)| filled < *reach) {
            derived_reach = Some((filled, *col, header.clone()));
        }
        derived.push((*col, header.clone()));
    }
    if columns.is_empty() {
        let message = "the IN sheet has no input column (a header in row 1 with no formulas below)";
        diags.push(Diagnostic::error(Some(&sheet.name), None, message));
        return None;
    }
    let sheet_id = sheet_index as SheetId;
    let bounded = refs
        .iter()
        .filter(|r| r.sheet == sheet_id && r.last_row < MAX_ROWS - 1 && r.last_row > 0)
        .map(|r| r.last_row)
        .max();
    let mut capacity = bounded.unwrap_or(default_capacity);
    if let Some((reach, col, header)) = derived_reach {
        if reach > 0 && reach < capacity {
            // Per docs/workbooks.md the derived columns bound the log,
            // which a trader may not mean when references reach further.
            let message = format!(
                "derived column '{header}' is filled down without a gap only to row {}, so the \
                 log holds at most {reach} entries, while the workbook's references into IN \
                 reach {capacity} entries",
                reach + 1,
            );
            diags.push(Diagnostic::warning(Some(&sheet.name), Some(a1(reach + 1, col)), message));
        }
        capacity = capacity.min(reach);
    }
    for column in &mut columns {
        column.validation = validation_of(wb, sheet, column.col, diags);
    }
    Some(InputLayout { sheet: sheet_id, columns, derived, capacity })
}

fn output_layout(
    wb: &Workbook,
    sheet_index: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<OutputLayout> {
    let sheet = &wb.sheets[sheet_index];
    let headers = headers(sheet, diags);
    let occupied =
        |cell: &crate::workbook::Cell| cell.formula.is_some() || header_text(&cell.value).is_some();
    let mut cols: BTreeSet<u32> = headers.keys().copied().collect();
    let mut rows = BTreeSet::new();
    for (&(row, col), cell) in &sheet.cells {
        if row > 0 && occupied(cell) {
            cols.insert(col);
            rows.insert(row);
        }
        // An array formula fills its whole range, whether or not the file
        // stores the other cells.
        if let Some((r0, c0, r1, c1)) = cell.formula.as_ref().and_then(|f| f.array) {
            cols.extend(c0..=c1);
            rows.extend((r0..=r1).filter(|&r| r > 0));
        }
    }
    let mut keys: BTreeMap<String, u32> = BTreeMap::new();
    let mut columns = Vec::new();
    let mut ok = true;
    for col in cols {
        let key = headers.get(&col).cloned().unwrap_or_else(|| column_name(col));
        if let Some(other) = keys.insert(key.to_lowercase(), col) {
            let message = format!(
                "column {} is keyed '{key}', which is also the key of column {}",
                column_name(col),
                column_name(other)
            );
            diags.push(Diagnostic::error(Some(&sheet.name), Some(a1(0, col)), message));
            ok = false;
        }
        columns.push(OutputColumn { col, key });
    }
    if rows.is_empty() {
        let message = "the OUT sheet has no outcome rows: every answer will be an empty list";
        diags.push(Diagnostic::warning(Some(&sheet.name), None, message));
    }
    let sheet = sheet_index as SheetId;
    ok.then(|| OutputLayout { sheet, columns, rows: rows.into_iter().collect() })
}

/// The data validation covering the first entry row of an input column.
fn validation_of(
    wb: &Workbook,
    sheet: &Sheet,
    col: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<Validation> {
    let raw_sheet = wb.raw.sheets.iter().find(|s| s.name == sheet.name)?;
    let rule = raw_sheet.validations.iter().find(|v| {
        v.ranges.iter().any(|&(r0, c0, r1, c1)| (r0..=r1).contains(&1) && (c0..=c1).contains(&col))
    })?;
    let here = Some(a1(1, col));
    match convert(wb, rule) {
        Ok(v) => v,
        Err(message) => {
            diags.push(Diagnostic::warning(Some(&sheet.name), here, &message));
            None
        }
    }
}

/// The engine's form of a validation rule; `Ok(None)` for rules that do not
/// restrict entries (any value, custom formulas are reported as warnings).
fn convert(wb: &Workbook, rule: &RawValidation) -> Result<Option<Validation>, String> {
    let allow_blank = rule.allow_blank;
    match rule.kind {
        ValidationKind::Whole => {
            let (min, max) = bounds(rule, true)?;
            Ok(Some(Validation::Whole { min, max, allow_blank }))
        }
        ValidationKind::Decimal => {
            let (min, max) = bounds(rule, false)?;
            Ok(Some(Validation::Decimal { min, max, allow_blank }))
        }
        ValidationKind::TextLength => {
            let (min, max) = bounds(rule, true)?;
            Ok(Some(Validation::TextLength { min, max, allow_blank }))
        }
        ValidationKind::List => {
            let items = list_items(wb, rule.formula1.as_deref().unwrap_or(""))?;
            Ok(Some(Validation::List { items, allow_blank }))
        }
        ValidationKind::Any => Ok(None),
        _ => Err(format!("data validation of type {:?} is not enforced", rule.kind)),
    }
}

/// Inclusive bounds of a numeric rule. Strict bounds step to the next whole
/// number (`whole`) or the next double.
fn bounds(rule: &RawValidation, whole: bool) -> Result<(Option<f64>, Option<f64>), String> {
    let number = |text: &Option<String>| -> Result<f64, String> {
        let text = text.as_deref().unwrap_or("").trim().trim_start_matches('=');
        text.parse::<f64>()
            .map_err(|_| format!("data validation bound '{text}' is not a number; not enforced"))
    };
    let above = |x: f64| if whole { x.floor() + 1.0 } else { x.next_up() };
    let below = |x: f64| if whole { x.ceil() - 1.0 } else { x.next_down() };
    Ok(match rule.operator.as_str() {
        "" | "between" => (Some(number(&rule.formula1)?), Some(number(&rule.formula2)?)),
        "equal" => {
            let x = number(&rule.formula1)?;
            (Some(x), Some(x))
        }
        "greaterThan" => (Some(above(number(&rule.formula1)?)), None),
        "greaterThanOrEqual" => (Some(number(&rule.formula1)?), None),
        "lessThan" => (None, Some(below(number(&rule.formula1)?))),
        "lessThanOrEqual" => (None, Some(number(&rule.formula1)?)),
        other => return Err(format!("data validation operator '{other}' is not enforced")),
    })
}

/// The items of a list rule: a quoted comma list, or a range of constants.
fn list_items(wb: &Workbook, formula: &str) -> Result<Vec<Value>, String> {
    let formula = formula.trim().trim_start_matches('=');
    if let Some(inner) = formula.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        return Ok(inner.split(',').map(Value::text).collect());
    }
    let node = crate::formula::parser::parse(formula)
        .map_err(|_| format!("list source '{formula}' is not understood; not enforced"))?;
    let range = crate::lower::Lowerer::new(wb)
        .name_reference(&node)
        .ok_or_else(|| format!("list source '{formula}' is not a range; not enforced"))?;
    let sheet = &wb.sheets[usize::from(range.sheet)];
    let mut items = Vec::new();
    for row in range.first_row..=range.last_row.min(range.first_row + 10_000) {
        for col in range.first_col..=range.last_col {
            if let Some(cell) = sheet.cells.get(&(row, col)) {
                if cell.formula.is_some() {
                    return Err(format!("list source '{formula}' holds formulas; not enforced"));
                }
                if let Some(text) = header_text(&cell.value) {
                    items.push(match cell.value {
                        CellValue::Number(n) => Value::Number(n),
                        _ => Value::text(text),
                    });
                }
            }
        }
    }
    Ok(items)
}
