//! The xlsx reader on real workbooks saved by Excel (and one by
//! LibreOffice): the shared conformance corpus, which lives outside the
//! repository. Set `SENGINE_CORPUS` to the folder holding `MANIFEST.tsv`, or
//! place the corpus at `../shared/corpus/excel` beside the workspace.

// Test helpers outside `#[test]` functions fail the test the same way the
// tests do; clippy's test exemption does not reach them.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail the test loudly")]

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use compiler::xlsx::refs::parse_cell;
use compiler::xlsx::{
    read_workbook, CalcSettings, CellValue, FormulaKind, RawCell, RawWorkbook, XlsxError,
};
use runtime::value::ExcelError;

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

/// One row of `MANIFEST.tsv`.
struct Entry {
    path: String,
    formula_cells: usize,
    cached_formula_cells: usize,
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (path, formulas, cached) =
        (column("path"), column("formula_cells"), column("cached_formula_cells"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Entry {
                path: fields[path].to_owned(),
                formula_cells: fields[formulas].parse().unwrap(),
                cached_formula_cells: fields[cached].parse().unwrap(),
            }
        })
        .collect()
}

/// Reads a corpus file, or `None` when the corpus is absent.
fn corpus_file(relative: &str) -> Option<RawWorkbook> {
    let dir = corpus_dir()?;
    let bytes = std::fs::read(dir.join(relative)).unwrap();
    Some(read_workbook(&bytes).unwrap_or_else(|e| panic!("{relative}: {e}")))
}

fn cell<'w>(wb: &'w RawWorkbook, sheet: &str, a1: &str) -> &'w RawCell {
    let sheet = wb.sheets.iter().find(|s| s.name == sheet).unwrap();
    sheet.cells.get(&parse_cell(a1).unwrap()).unwrap_or_else(|| panic!("no cell {a1}"))
}

/// How many `<f ca="1"/>` markers (members of a volatile array formula,
/// which carry no formula of their own) the sheet parts hold, and how many
/// of them have a non-empty cached value; counted on the raw bytes,
/// independently of the reader.
fn array_member_markers(bytes: &[u8]) -> (usize, usize) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let (mut count, mut empty) = (0, 0);
    for name in names.iter().filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml")) {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        count += text.matches(r#"<f ca="1"/>"#).count();
        empty += text.matches(r#"<f ca="1"/><v/>"#).count();
        empty += text.matches(r#"<f ca="1"/><v></v>"#).count();
    }
    (count, count - empty)
}

/// Every corpus file reads, and its formula cells agree with the manifest.
///
/// The manifest's counts were made with openpyxl, which takes any text cell
/// beginning with `=` for a formula and counts the `<f ca="1"/>` members of
/// volatile arrays; both are added back here before comparing. A formula
/// cell counts as cached when it stores a value other than the empty string.
#[test]
fn every_corpus_file_matches_the_manifest() {
    let Some(dir) = corpus_dir() else { return };
    let entries = manifest(&dir);
    assert!(entries.len() >= 200, "the manifest lists {} files", entries.len());
    let mut mismatches = Vec::new();
    for entry in &entries {
        let bytes = std::fs::read(dir.join(&entry.path)).unwrap();
        let wb = read_workbook(&bytes).unwrap_or_else(|e| panic!("{}: {e}", entry.path));
        let cells = || wb.sheets.iter().flat_map(|s| s.cells.values());
        let formulas = cells().filter(|c| c.formula.is_some()).count();
        let cached = cells()
            .filter(|c| c.formula.is_some())
            .filter(|c| {
                !matches!(&c.value, CellValue::Empty) && c.value != CellValue::Text(String::new())
            })
            .count();
        let equals_texts = cells()
            .filter(|c| {
                c.formula.is_none() && matches!(&c.value, CellValue::Text(t) if t.starts_with('='))
            })
            .count();
        let (markers, cached_markers) = array_member_markers(&bytes);
        let got = (formulas + equals_texts + markers, cached + equals_texts + cached_markers);
        if got != (entry.formula_cells, entry.cached_formula_cells) {
            mismatches.push(format!(
                "{}: read {got:?}, manifest ({}, {})",
                entry.path, entry.formula_cells, entry.cached_formula_cells
            ));
        }
    }
    eprintln!("read {} corpus files", entries.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Shared formulas in Excel's own layout: followers in two columns keep
/// their master's text and anchor (`example.xlsx`, sheet `shared`, whose XML
/// has masters at D1 (`ref="D1:E5"`) and C2 (`ref="C2:C5"`)).
#[test]
fn excel_shared_formulas() {
    let Some(wb) = corpus_file("ironcalc/example.xlsx") else { return };
    let e2 = cell(&wb, "shared", "E2");
    let f = e2.formula.as_ref().unwrap();
    assert_eq!(
        (f.text.as_str(), f.anchor, &f.kind),
        ("SIN($A$1)/B1", (0, 3), &FormulaKind::Shared)
    );
    assert_eq!(e2.value, CellValue::Number(2.0));
    let c3 = cell(&wb, "shared", "C3");
    assert_eq!(c3.formula.as_ref().unwrap().text, "SIN($A$1)/A2");
    assert_eq!(c3.formula.as_ref().unwrap().anchor, (1, 2));
    assert_eq!(c3.value, CellValue::Number("0.28049032826929882".parse().unwrap()));
    let c1 = cell(&wb, "shared", "C1").formula.as_ref().unwrap();
    assert_eq!((c1.text.as_str(), &c1.kind), ("SIN($A$1)/A1", &FormulaKind::Normal));
}

/// `example.xlsx` lists a chartsheet second among eleven sheets; it is
/// skipped and the `localSheetId`s of names are re-indexed past it.
#[test]
fn excel_names_around_a_chartsheet() {
    let Some(wb) = corpus_file("ironcalc/example.xlsx") else { return };
    assert_eq!(wb.sheets.len(), 10);
    assert!(wb.sheets.iter().all(|s| s.name != "Chart1"));
    let scope = |name: &str| {
        let n = wb.names.iter().find(|n| n.name == name).unwrap();
        n.scope.map(|i| wb.sheets[i].name.as_str())
    };
    assert_eq!(scope("answer"), Some("shared"));
    assert_eq!(scope("answer2"), Some("Sheet1"));
    assert_eq!(scope("local_thing"), Some("Second"));
    assert_eq!(scope("numbers"), None);
    let answer = wb.names.iter().find(|n| n.name == "answer").unwrap();
    assert_eq!(answer.formula, "shared!$G$5");
}

/// Dynamic arrays as Excel for Mac writes them: the spilling formula on the
/// top-left cell with its spill range and `cm` metadata, the spilled cells
/// as plain values, and the `<f ca="1"/>` members of a volatile array left
/// without a formula.
#[test]
fn excel_dynamic_arrays() {
    let Some(wb) = corpus_file("ironcalc/DynamicArrays.xlsx") else { return };
    let a3 = cell(&wb, "DynamicArrays", "A3");
    let f = a3.formula.as_ref().unwrap();
    assert_eq!(f.text, "_xlfn.SEQUENCE(10,2,5,2)");
    assert_eq!(f.kind, FormulaKind::Array { range: (2, 0, 11, 1) });
    assert!(f.dynamic_array);
    assert_eq!(a3.value, CellValue::Number(5.0));
    assert_eq!(
        cell(&wb, "DynamicArrays", "B3"),
        &RawCell { value: CellValue::Number(7.0), formula: None }
    );
    let a14 = cell(&wb, "DynamicArrays", "A14");
    assert_eq!(a14.formula.as_ref().unwrap().text, "SUM(_xlfn.ANCHORARRAY(A3))");
    assert!(!a14.formula.as_ref().unwrap().dynamic_array);
    assert_eq!(a14.value, CellValue::Number(480.0));
    let k3 = cell(&wb, "DynamicArrays", "K3").formula.as_ref().unwrap();
    assert_eq!(k3.text, "_xlfn._xlws.FILTER(A3:A12,  B3:B12>20)");
    assert_eq!(
        cell(&wb, "DynamicArrays", "B19"),
        &RawCell { value: CellValue::Number(20.0), formula: None }
    );
}

/// Tables with and without header rows, on the sheets that list them.
#[test]
fn excel_tables_and_names() {
    let Some(wb) = corpus_file("ironcalc/calc_test_no_export/tables.xlsx") else { return };
    assert_eq!(wb.tables.len(), 9);
    let table1 = wb.tables.iter().find(|t| t.name == "Table1").unwrap();
    assert_eq!(wb.sheets[table1.sheet].name, "WithHeaders");
    assert_eq!(table1.range, (0, 0, 4, 5));
    assert_eq!(table1.columns, ["Jan", "Feb", "Mar", "Apr", "Dec", "Year"]);
    assert_eq!((table1.header_row_count, table1.totals_row_count), (1, 1));
    let table8 = wb.tables.iter().find(|t| t.display_name == "Table8").unwrap();
    assert_eq!(wb.sheets[table8.sheet].name, "No Headers");
    assert_eq!(
        (table8.range, table8.header_row_count, table8.totals_row_count),
        ((2, 1, 7, 5), 0, 1)
    );
    let hello = wb.names.iter().find(|n| n.name == "Hello").unwrap();
    assert_eq!(hello.scope.map(|i| wb.sheets[i].name.as_str()), Some("Functions Filters"));
    assert_eq!(hello.formula, "'Functions Filters'!$L$4");
}

/// Cached values and `calcPr` of plain Excel files.
#[test]
fn excel_values_and_settings() {
    let Some(wb) = corpus_file("ironcalc/calc_tests/DATABASE/DAVERAGE.xlsx") else { return };
    let a12 = cell(&wb, "Sheet1", "A12");
    assert_eq!(a12.formula.as_ref().unwrap().text, r#"DAVERAGE(A4:E10, "Yield", A1:B2)"#);
    assert_eq!(a12.value, CellValue::Number(12.0));
    assert_eq!(cell(&wb, "Sheet1", "A16").value, CellValue::Number(8.6));
    assert_eq!(cell(&wb, "Sheet1", "A2").value, CellValue::Text("=Apple".to_owned()));
    assert_eq!(cell(&wb, "Sheet1", "H2").value, CellValue::Text("*pp*".to_owned()));
    assert_eq!(wb.calc, CalcSettings::default());

    let Some(wb) = corpus_file("ironcalc/calc_tests/DATE_AND_TIME/DATE.xlsx") else { return };
    assert_eq!(wb.calc, CalcSettings { iterate_delta: 1e-4, ..CalcSettings::default() });
    assert!(!wb.date_1904);
}

/// The corpus's LibreOffice file states every `calcPr` attribute.
#[test]
fn libreoffice_calc_settings() {
    let Some(wb) = corpus_file("ironcalc/libreoffice_888_example.xlsx") else { return };
    assert_eq!(wb.calc, CalcSettings::default());
}

/// calamine, an independent reader, agrees with ours on every stored value
/// of every corpus file it can read, and on the text of every formula that
/// is not a shared follower (calamine rewrites those).
#[test]
fn calamine_agrees_on_values_and_formulas() {
    let Some(dir) = corpus_dir() else { return };
    let (mut compared, mut skipped) = (0usize, Vec::new());
    for entry in manifest(&dir) {
        let bytes = std::fs::read(dir.join(&entry.path)).unwrap();
        let ours = read_workbook(&bytes).unwrap();
        match compare_with_calamine(&bytes, &ours) {
            Ok(n) => compared += n,
            Err(Disagreement::CalamineFailed(e)) => skipped.push(format!("{}: {e}", entry.path)),
            Err(Disagreement::Differs(d)) => panic!("{}: {d}", entry.path),
        }
    }
    eprintln!("calamine agreed on {compared} cells; could not read {} files:", skipped.len());
    for s in &skipped {
        eprintln!("  {s}");
    }
    assert!(compared > 50_000, "only {compared} cells compared");
}

enum Disagreement {
    CalamineFailed(String),
    Differs(String),
}

/// Compares every sheet's values and formulas; returns the cells compared.
fn compare_with_calamine(bytes: &[u8], ours: &RawWorkbook) -> Result<usize, Disagreement> {
    let failed = |e: calamine::XlsxError| Disagreement::CalamineFailed(e.to_string());
    let mut theirs: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(failed)?;
    let mut compared = 0;
    for sheet in &ours.sheets {
        let values = theirs.worksheet_range(&sheet.name).map_err(failed)?;
        let origin = values.start().unwrap_or((0, 0));
        let mut seen = 0;
        for (row, col, data) in values.cells() {
            let at = (origin.0 + row as u32, origin.1 + col as u32);
            let Some(expected) = calamine_value(data) else { continue };
            let got = sheet.cells.get(&at).map_or(CellValue::Empty, |c| c.value.clone());
            // Excel stores `#SPILL!` and `#CALC!` as `#VALUE!` with a rich
            // value giving the real kind; calamine reads the `#VALUE!`.
            let rich = matches!(
                (&got, &expected),
                (
                    CellValue::Error(ExcelError::Spill | ExcelError::Calc),
                    CellValue::Error(ExcelError::Value)
                )
            );
            if got != expected && !rich {
                return Err(Disagreement::Differs(format!(
                    "{} {at:?}: {got:?} vs {expected:?}",
                    sheet.name
                )));
            }
            seen += usize::from(expected != CellValue::Empty);
        }
        let ours_non_empty = sheet.cells.values().filter(|c| c.value != CellValue::Empty).count();
        if seen != ours_non_empty {
            return Err(Disagreement::Differs(format!(
                "{}: {ours_non_empty} values, calamine {seen}",
                sheet.name
            )));
        }
        compared += seen + compare_formulas(&mut theirs, sheet)?;
    }
    Ok(compared)
}

/// Compares the formula text of masters and ordinary formulas.
fn compare_formulas(
    theirs: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &compiler::xlsx::RawSheet,
) -> Result<usize, Disagreement> {
    let formulas = theirs
        .worksheet_formula(&sheet.name)
        .map_err(|e| Disagreement::CalamineFailed(e.to_string()))?;
    let mut compared = 0;
    for (at, cell) in &sheet.cells {
        let Some(f) = &cell.formula else { continue };
        if f.anchor != *at || matches!(f.kind, FormulaKind::DataTable { .. }) {
            continue;
        }
        let theirs = formulas.get_value(*at).cloned().unwrap_or_default();
        if theirs != f.text {
            return Err(Disagreement::Differs(format!(
                "{} {at:?}: {:?} vs {theirs:?}",
                sheet.name, f.text
            )));
        }
        compared += 1;
    }
    Ok(compared)
}

/// calamine's value as ours; `None` for kinds it cannot tell us exactly.
fn calamine_value(data: &Data) -> Option<CellValue> {
    Some(match data {
        Data::Empty => CellValue::Empty,
        Data::Float(n) => CellValue::Number(*n),
        Data::Int(n) => CellValue::Number(*n as f64),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) => CellValue::Number(d.as_f64()),
        Data::Error(e) => CellValue::Error(ExcelError::parse(&e.to_string())?),
        Data::DateTimeIso(_) | Data::DurationIso(_) => return None,
    })
}

/// An `XlsxError` is comparable, so corpus failures print precisely.
#[test]
fn errors_compare_and_print() {
    let err = XlsxError::MissingPart { part: "xl/workbook.xml".to_owned() };
    assert_eq!(err.to_string(), "the workbook has no part xl/workbook.xml");
}
