//! Array formulas, dynamic arrays, lookup and logical functions against the
//! values Excel cached in the shared conformance corpus, which lives outside
//! the repository. Set `SENGINE_CORPUS` to the folder holding `MANIFEST.tsv`,
//! or place the corpus at `../shared/corpus/excel` beside the workspace.

// Test helpers outside `#[test]` functions fail the test the same way the
// tests do; clippy's test exemption does not reach them.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail the test loudly")]

use std::path::PathBuf;

use compiler::xlsx::{read_workbook, CellValue};
use compiler::WholeOptions;
use runtime::value::Value;

/// The corpus folder, or `None` (after saying so) when it is absent.
fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("SENGINE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/excel"),
    };
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}; skipped", dir.display());
        None
    }
}

/// Whether the engine's value is the one Excel cached: same type, same
/// error, numbers equal to 1e-9 relative (exactly 0 where Excel has 0).
fn matches(cached: &CellValue, got: &Value) -> bool {
    match (cached, got) {
        (CellValue::Number(e), Value::Number(g)) if *e == 0.0 => *g == 0.0,
        (CellValue::Number(e), Value::Number(g)) => ((g - e) / e).abs() <= 1e-9,
        (CellValue::Text(e), Value::Text(g)) => e.as_str() == &**g,
        (CellValue::Text(e), Value::Empty) => e.is_empty(),
        (CellValue::Bool(e), Value::Bool(g)) => e == g,
        (CellValue::Error(e), Value::Error(g)) => e == g,
        _ => false,
    }
}

/// Cells known to differ from the cached value, with the reason.
const KNOWN: &[(&str, &str, &str)] = &[
    // Excel writes #CALC! to the file as #VALUE! with rich-value metadata
    // (`vm`), which the reader does not decode; the engine answers #CALC!.
    ("DROP_TAKE.xlsx", "C2", "#CALC! cached as #VALUE!"),
    ("DROP_TAKE.xlsx", "E2", "#CALC! cached as #VALUE!"),
    ("DROP_TAKE.xlsx", "F2", "#CALC! cached as #VALUE!"),
    ("DROP_TAKE.xlsx", "I2", "#CALC! cached as #VALUE!"),
    ("DROP_TAKE.xlsx", "L2", "#CALC! cached as #VALUE!"),
    ("FILTER_ERRORS.xlsx", "E1", "#CALC! cached as #VALUE!"),
    // RANDARRAY is volatile.
    ("DynamicArrays.xlsx", "A19", "volatile"),
    ("DynamicArrays.xlsx", "A20", "volatile"),
    ("DynamicArrays.xlsx", "A21", "volatile"),
    ("DynamicArrays.xlsx", "B19", "volatile"),
    ("DynamicArrays.xlsx", "B20", "volatile"),
    ("DynamicArrays.xlsx", "B21", "volatile"),
    ("DynamicArrays.xlsx", "C19", "volatile"),
    ("DynamicArrays.xlsx", "C20", "volatile"),
    ("DynamicArrays.xlsx", "C21", "volatile"),
];

/// Evaluates every formula of the corpus files under `folder` (or the one
/// file) and returns the cells that differ from Excel and are not known to.
fn unexpected_failures(paths: &[&str]) -> (usize, Vec<String>) {
    let Some(dir) = corpus_dir() else { return (0, Vec::new()) };
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in paths {
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let file = path.rsplit('/').next().unwrap();
        for cell in
            compiler::evaluate_all_cells(read_workbook(&bytes).unwrap(), WholeOptions::default())
        {
            if matches!(cell.cached, CellValue::Empty) {
                continue;
            }
            checked += 1;
            let ok = cell.value.as_ref().is_ok_and(|v| matches(&cell.cached, v));
            let known = KNOWN.iter().any(|(f, c, _)| *f == file && *c == cell.cell);
            if !ok && !known {
                failures.push(format!(
                    "{path} {}!{} ={} cached {:?} got {:?}",
                    cell.sheet, cell.cell, cell.formula, cell.cached, cell.value
                ));
            }
        }
    }
    (checked, failures)
}

/// The corpus files of a category folder.
fn category(folder: &str) -> Vec<String> {
    let Some(dir) = corpus_dir() else { return Vec::new() };
    let mut files: Vec<String> = std::fs::read_dir(dir.join(folder))
        .unwrap()
        .map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".xlsx"))
        .collect();
    files.sort();
    files
}

fn check(paths: &[String]) {
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let (checked, failures) = unexpected_failures(&paths);
    assert!(
        failures.is_empty(),
        "{} of {checked} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lookup_and_reference_category_matches_excel() {
    check(&category("ironcalc/calc_tests/LOOKUP_AND_REFERENCE"));
}

#[test]
fn logical_category_matches_excel() {
    check(&category("ironcalc/calc_tests/LOGICAL"));
}

#[test]
fn dynamic_array_workbooks_match_excel() {
    let files = [
        "ironcalc/DynamicArrays.xlsx",
        "ironcalc/dynamic_arrays.xlsx",
        "ironcalc/calc_tests/spill_operator.xlsx",
    ];
    check(&files.map(String::from));
}
