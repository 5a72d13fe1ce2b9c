//! Conformance: every formula of a workbook evaluated by the engine and
//! compared with the value the spreadsheet application cached in the file.
//!
//! A cell passes when both values have the same type, errors are the same
//! kind, texts and booleans are equal, and numbers agree to 1e-9 relative
//! (Excel keeps 15 significant digits); where the file cached 0, only 0
//! passes. Cells the engine cannot evaluate fail with their reasons. Cells
//! with no cached value, and cells that read a volatile function (`NOW`,
//! `RAND`...) directly or through other cells, are left out of the counts.

use std::collections::BTreeMap;
use std::fmt;

use runtime::value::Value;

use crate::graph::DepGraph;
use crate::whole::{evaluate_all_cells, EvaluatedCell, WholeOptions};
use crate::xlsx::{CellValue, RawWorkbook};
use crate::Diagnostic;

/// Functions whose value changes from one calculation to the next, so a
/// cached value cannot be reproduced. `OFFSET` and `INDIRECT` recalculate
/// on every change in Excel but give the same value each time.
const VOLATILE: [&str; 5] = ["NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY"];

/// How one formula cell compared.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The engine's value is the cached one.
    Pass,
    /// The engine computed a different value.
    Mismatch { expected: CellValue, got: Value },
    /// The engine cannot evaluate the cell; every reason it gave.
    Unsupported(Vec<String>),
    /// The file cached no value: left out of the counts.
    NoCachedValue,
    /// The cell reads a volatile function: left out of the counts.
    Volatile,
}

/// One formula cell and how it compared.
#[derive(Clone, Debug, PartialEq)]
pub struct CellReport {
    pub sheet: String,
    /// A1 address of the cell.
    pub cell: String,
    pub formula: String,
    pub outcome: Outcome,
}

/// Every formula cell of one workbook, compared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileReport {
    pub cells: Vec<CellReport>,
}

impl FileReport {
    /// Cells whose value is the cached one.
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Pass))
    }

    /// Cells with a different value or that the engine cannot evaluate.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Mismatch { .. } | Outcome::Unsupported(_)))
    }

    /// Cells left out of the counts (no cached value, or volatile).
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::NoCachedValue | Outcome::Volatile))
    }

    /// The cells the engine cannot evaluate, grouped by reason.
    pub fn unsupported_by_reason(&self) -> BTreeMap<&str, Vec<&CellReport>> {
        let mut by_reason: BTreeMap<&str, Vec<&CellReport>> = BTreeMap::new();
        for cell in &self.cells {
            if let Outcome::Unsupported(reasons) = &cell.outcome {
                for reason in reasons {
                    by_reason.entry(reason.as_str()).or_default().push(cell);
                }
            }
        }
        by_reason
    }

    fn count(&self, pick: impl Fn(&Outcome) -> bool) -> usize {
        self.cells.iter().filter(|c| pick(&c.outcome)).count()
    }
}

/// Evaluates every formula cell of `raw` as `options` say and compares it
/// with its cached value.
pub fn check_workbook(raw: RawWorkbook, options: WholeOptions) -> FileReport {
    let cells = evaluate_all_cells(raw, options).into_iter().map(compare).collect();
    FileReport { cells }
}

fn compare(cell: EvaluatedCell) -> CellReport {
    let outcome = if cell.volatile {
        Outcome::Volatile
    } else if cell.cached == CellValue::Empty {
        Outcome::NoCachedValue
    } else {
        match cell.value {
            Err(reasons) => Outcome::Unsupported(reasons),
            Ok(got) if matches(&cell.cached, &got) => Outcome::Pass,
            Ok(got) => Outcome::Mismatch { expected: cell.cached.clone(), got },
        }
    };
    CellReport { sheet: cell.sheet, cell: cell.cell, formula: cell.formula, outcome }
}

/// The most self-test differences reported one by one; past it, one
/// warning gives the count of the rest.
const SELF_TEST_LISTED: usize = 100;

/// Whether `IN` holds sample rows: a value typed below its header row. A
/// template without them was not calculated on real entries, and tools
/// that write workbooks without calculating them store placeholder values.
fn has_sample_rows(raw: &RawWorkbook) -> bool {
    let input = raw.sheets.iter().find(|s| s.name.eq_ignore_ascii_case("IN"));
    input.is_some_and(|sheet| {
        sheet.cells.iter().any(|(&(row, _), cell)| {
            row > 0 && cell.formula.is_none() && cell.value != CellValue::Empty
        })
    })
}

/// The self-test of docs/workbooks.md: when `IN` holds sample rows, every
/// formula of the workbook is evaluated on them and compared with the value
/// the file cached. Each difference is a warning naming its cell. Cells the
/// engine cannot evaluate are left to the compiler's own diagnostics.
pub fn self_test(raw: RawWorkbook) -> Vec<Diagnostic> {
    if !has_sample_rows(&raw) {
        return Vec::new();
    }
    // An upload is calculated as in en-US (docs/workbooks.md), so its
    // self-test is too.
    let report = check_workbook(raw, WholeOptions::default());
    let mismatches: Vec<&CellReport> =
        report.cells.iter().filter(|c| matches!(c.outcome, Outcome::Mismatch { .. })).collect();
    let mut warnings: Vec<Diagnostic> = mismatches
        .iter()
        .take(SELF_TEST_LISTED)
        .map(|cell| {
            let message =
                format!("self-test: the value cached in the file differs: {}", cell.outcome);
            let mut warning =
                Diagnostic::warning(Some(&cell.sheet), Some(cell.cell.clone()), message);
            warning.formula = Some(cell.formula.clone());
            warning
        })
        .collect();
    if mismatches.len() > SELF_TEST_LISTED {
        let rest = mismatches.len() - SELF_TEST_LISTED;
        let message = format!("self-test: {rest} more cells differ from their cached values");
        warnings.push(Diagnostic::warning(None, None, message));
    }
    warnings
}

/// Whether the engine's value `got` is the cached value `expected`.
///
/// An array result is compared by its top-left element, the value Excel
/// shows in the formula's own cell. A cached empty text also accepts an
/// empty value: both show as nothing.
pub fn matches(expected: &CellValue, got: &Value) -> bool {
    match (expected, got) {
        (_, Value::Array(array)) => array.get(0, 0).is_some_and(|v| matches(expected, v)),
        (CellValue::Number(e), Value::Number(g)) => numbers_match(*e, *g),
        (CellValue::Text(e), Value::Text(g)) => e.as_str() == &**g,
        (CellValue::Text(e), Value::Empty) => e.is_empty(),
        (CellValue::Bool(e), Value::Bool(g)) => e == g,
        (CellValue::Error(e), Value::Error(g)) => e == g,
        _ => false,
    }
}

/// Equal to 1e-9 relative; exactly 0 where 0 is expected.
fn numbers_match(expected: f64, got: f64) -> bool {
    if expected == 0.0 {
        got == 0.0
    } else {
        ((got - expected) / expected).abs() <= 1e-9
    }
}

/// Marks the nodes that call a volatile function, then every node reading
/// one of them. `volatile_text` says whether a node's own formula calls one;
/// it works on the text so that cells the engine cannot lower count too.
pub(crate) fn volatile_nodes(graph: &DepGraph, volatile_text: impl Fn(usize) -> bool) -> Vec<bool> {
    let marked: Vec<bool> = (0..graph.cells.len()).map(volatile_text).collect();
    graph.with_readers(&marked)
}

/// Whether a formula's text calls a volatile function. Strings are skipped;
/// a name counts when `(` follows it, with Excel's `_xlfn.` prefix removed.
pub(crate) fn calls_volatile(formula: &str) -> bool {
    let mut name = String::new();
    let mut in_string = false;
    for c in formula.chars() {
        if in_string {
            in_string = c != '"';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            name.push(c.to_ascii_uppercase());
            continue;
        }
        if c == '(' {
            let bare = name.strip_prefix("_XLFN.").unwrap_or(&name);
            if VOLATILE.contains(&bare) {
                return true;
            }
        }
        in_string = c == '"';
        name.clear();
    }
    false
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Pass => f.write_str("passed"),
            Outcome::Mismatch { expected, got } => {
                write!(f, "expected {}, got {}", Cached(expected), Shown(got))
            }
            Outcome::Unsupported(reasons) => write!(f, "cannot evaluate: {}", reasons.join("; ")),
            Outcome::NoCachedValue => f.write_str("no cached value"),
            Outcome::Volatile => f.write_str("depends on a volatile function"),
        }
    }
}

/// A cached value as the report shows it.
pub struct Cached<'a>(pub &'a CellValue);

impl fmt::Display for Cached<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            CellValue::Empty => f.write_str("(empty)"),
            CellValue::Number(n) => write!(f, "{n:?}"),
            CellValue::Text(t) => write!(f, "{t:?}"),
            CellValue::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            CellValue::Error(e) => write!(f, "{e}"),
        }
    }
}

/// An engine value as the report shows it.
pub struct Shown<'a>(pub &'a Value);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Empty => f.write_str("(empty)"),
            Value::Number(n) => write!(f, "{n:?}"),
            Value::Text(t) => write!(f, "{:?}", &**t),
            Value::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Value::Error(e) => write!(f, "{e}"),
            Value::Array(a) => {
                write!(f, "{{{}x{} array, first ", a.rows(), a.cols())?;
                match a.get(0, 0) {
                    Some(v) => write!(f, "{}}}", Shown(v)),
                    None => f.write_str("none}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime::value::ExcelError;

    #[test]
    fn numbers_match_to_1e9_relative_and_zero_exactly() {
        assert!(matches(&CellValue::Number(1.0), &Value::Number(1.0 + 5e-10)));
        assert!(!matches(&CellValue::Number(1.0), &Value::Number(1.0 + 2e-9)));
        assert!(matches(&CellValue::Number(0.0), &Value::Number(0.0)));
        // 0.1+0.2-0.3 is 5.55e-17 in binary arithmetic; Excel stores 0.
        assert!(!matches(&CellValue::Number(0.0), &Value::Number(5.551115123125783e-17)));
    }

    #[test]
    fn types_and_error_kinds_must_agree() {
        assert!(!matches(&CellValue::Number(1.0), &Value::Bool(true)));
        assert!(!matches(&CellValue::Text("1".into()), &Value::Number(1.0)));
        assert!(!matches(&CellValue::Error(ExcelError::NA), &Value::Error(ExcelError::Value)));
        assert!(matches(&CellValue::Error(ExcelError::Div0), &Value::Error(ExcelError::Div0)));
        assert!(matches(&CellValue::Text(String::new()), &Value::Empty));
        assert!(!matches(&CellValue::Number(0.0), &Value::Empty));
    }

    #[test]
    fn volatile_calls_are_found_outside_strings() {
        assert!(calls_volatile("NOW()+1"));
        assert!(calls_volatile("_xlfn.RANDARRAY(3)"));
        assert!(calls_volatile("IF(A1,rand(),0)"));
        assert!(!calls_volatile("\"NOW()\"&A1"));
        assert!(!calls_volatile("SNOW(1)"));
        assert!(!calls_volatile("TODAYS+1"));
        assert!(!calls_volatile("Sheet1!NOW"));
    }
}
