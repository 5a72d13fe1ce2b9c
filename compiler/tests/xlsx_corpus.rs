//! The xlsx reader on real workbooks saved by Excel (and one by
//! LibreOffice): the shared conformance corpus, which lives outside the
//! repository. Set `SENGINE_CORPUS` to the folder holding `MANIFEST.tsv`, or
//! place the corpus at `../shared/corpus/excel` beside the workspace.

// Test helpers outside `#[test]` functions fail the test the same way the
// tests do; clippy's test exemption does not reach them.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail the test loudly")]

use std::io::{Cursor, Read};
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx};
use compiler::xlsx::refs::parse_cell;
use compiler::xlsx::{
    read_workbook, CalcSettings, CellValue, FormulaKind, RawCell, RawWorkbook, XlsxError,
};

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

fn manifest(dir: &PathBuf) -> Vec<Entry> {
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
            .filter(|c| !matches!(&c.value, CellValue::Empty) && c.value != CellValue::Text(String::new()))
            .count();
        let equals_texts = cells()
            .filter(|c| c.formula.is_none() && matches!(&c.value, CellValue::Text(t) if t.starts_with('=')))
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
