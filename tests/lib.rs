//! Helpers shared by the workspace's acceptance tests: building small
//! workbooks in memory and evaluating them.

#![allow(clippy::panic, reason = "test support: a helper that fails fails the test calling it")]

pub mod fuzz_entry;

use std::path::PathBuf;
use std::sync::Arc;

use compiler::{CompileOptions, Compiled, Diagnostic};
use runtime::evaluator::{Entry, Evaluator};
use runtime::interp::Interpreter;
use runtime::value::Value;
use rust_xlsxwriter::{Formula, Workbook, XlsxError};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A cell's content in a test workbook: text starting with `=` is a formula.
pub enum Content<'a> {
    Text(&'a str),
    Number(f64),
    /// A dynamic array formula and the last cell of the spill range the
    /// file records for it (`Spill("=FILTER(…)", "A3")` in `A2`).
    Spill(&'a str, &'a str),
    /// A legacy (CSE) array formula and the last cell of its range.
    Array(&'a str, &'a str),
}

impl<'a> From<&'a str> for Content<'a> {
    fn from(s: &'a str) -> Content<'a> {
        Content::Text(s)
    }
}

impl From<f64> for Content<'_> {
    fn from(n: f64) -> Self {
        Content::Number(n)
    }
}

/// Builds an `.xlsx` in memory: `sheets` are (name, cells) with cells as
/// (A1 address, content); `names` are (name, formula) defined names.
pub fn workbook(sheets: &[(&str, Vec<(&str, Content<'_>)>)], names: &[(&str, &str)]) -> Vec<u8> {
    build(sheets, names).unwrap_or_else(|e| panic!("cannot build test workbook: {e}"))
}

fn build(
    sheets: &[(&str, Vec<(&str, Content<'_>)>)],
    names: &[(&str, &str)],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for (name, cells) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        for (addr, content) in cells {
            let (row, col) = parse_a1(addr);
            match content {
                Content::Text(t) if t.starts_with('=') => {
                    sheet.write_formula(row, col, Formula::new(*t))?;
                }
                Content::Text(t) => {
                    sheet.write_string(row, col, *t)?;
                }
                Content::Number(n) => {
                    sheet.write_number(row, col, *n)?;
                }
                Content::Spill(formula, last) => {
                    let (last_row, last_col) = parse_a1(last);
                    let formula = Formula::new(*formula);
                    sheet.write_dynamic_array_formula(row, col, last_row, last_col, formula)?;
                }
                Content::Array(formula, last) => {
                    let (last_row, last_col) = parse_a1(last);
                    sheet.write_array_formula(
                        row,
                        col,
                        last_row,
                        last_col,
                        Formula::new(*formula),
                    )?;
                }
            }
        }
    }
    for (name, formula) in names {
        book.define_name(*name, formula)?;
    }
    book.save_to_buffer()
}

/// The same package with iterative calculation enabled in its `calcPr`:
/// at most `count` iterations, stopping below a change of `delta`.
pub fn with_iteration(bytes: &[u8], count: u32, delta: f64) -> Vec<u8> {
    rewrite_part(bytes, "xl/workbook.xml", |mut xml| {
        let calc = format!(
            r#"<calcPr calcId="191029" iterate="1" iterateCount="{count}" iterateDelta="{delta}"/>"#
        );
        let start = xml.find("<calcPr").unwrap_or_else(|| panic!("no calcPr in {xml}"));
        let end = start + xml[start..].find("/>").unwrap_or(0) + 2;
        xml.replace_range(start..end, &calc);
        xml
    })
}

/// The same package without the cells `cells` (A1 addresses) of worksheet
/// `sheet` (1-based, in the order the sheets were added), as a file that
/// stores only an array formula's top-left cell has them.
pub fn without_cells(bytes: &[u8], sheet: usize, cells: &[&str]) -> Vec<u8> {
    rewrite_part(bytes, &format!("xl/worksheets/sheet{sheet}.xml"), |mut xml| {
        for cell in cells {
            let open = format!(r#"<c r="{cell}""#);
            let start = xml.find(&open).unwrap_or_else(|| panic!("no cell {cell} in {xml}"));
            let rest = &xml[start..];
            let tag_end = rest.find('>').unwrap_or(0);
            let end = match rest[..=tag_end].ends_with("/>") {
                true => tag_end + 1,
                false => rest.find("</c>").map_or(tag_end + 1, |i| i + 4),
            };
            xml.replace_range(start..start + end, "");
        }
        xml
    })
}

/// The same package with the XML part `name` rewritten by `edit`.
fn rewrite_part(bytes: &[u8], name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("test workbook is not a zip: {e}"));
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap_or_else(|e| panic!("zip entry {i}: {e}"));
        let part_name = part.name().to_string();
        let mut data = String::new();
        part.read_to_string(&mut data).unwrap_or_else(|e| panic!("{part_name}: {e}"));
        if part_name == name {
            data = edit(data);
        }
        out.start_file(part_name, zip::write::SimpleFileOptions::default())
            .and_then(|()| Ok(out.write_all(data.as_bytes())?))
            .unwrap_or_else(|e| panic!("cannot write test workbook: {e}"));
    }
    out.finish().unwrap_or_else(|e| panic!("cannot write test workbook: {e}")).into_inner()
}

fn parse_a1(addr: &str) -> (u32, u16) {
    let split = addr.find(|c: char| c.is_ascii_digit()).unwrap_or(addr.len());
    let col = runtime::reference::column_index(&addr[..split]).unwrap_or(0);
    let row: u32 = addr[split..].parse().unwrap_or(1);
    (row - 1, col as u16)
}

/// Compiles with default options.
pub fn compile(bytes: &[u8]) -> Result<Compiled, Vec<Diagnostic>> {
    compiler::compile(bytes, &CompileOptions::default())
}

/// Compiles and evaluates `log`, returning the `OUT` rows.
pub fn outcomes(bytes: &[u8], log: &[Entry]) -> Vec<Vec<Value>> {
    let compiled = compile(bytes).unwrap_or_else(|d| panic!("workbook refused: {d:#?}"));
    let interp = Interpreter::new(Arc::clone(&compiled.program));
    match interp.evaluate(log) {
        Ok(out) => out.rows,
        Err(e) => panic!("evaluation failed: {e}"),
    }
}

/// A log entry from numbers and texts (`""` is an empty cell).
pub fn entry(values: &[Content<'_>]) -> Entry {
    values
        .iter()
        .map(|v| match v {
            Content::Text("") => Value::Empty,
            Content::Text(t) => Value::text(t),
            Content::Number(n) => Value::Number(*n),
            Content::Spill(..) | Content::Array(..) => {
                panic!("a log entry holds values, not formulas")
            }
        })
        .collect()
}

/// One stored fixture log with the `OUT` values LibreOffice computed for it.
pub struct FixtureCase {
    /// `football/typical` and the like.
    pub name: String,
    pub workbook: Vec<u8>,
    /// The log as stored: entries keyed by input header.
    pub log: Vec<serde_json::Value>,
    /// LibreOffice's `OUT` rows, keyed by output column.
    pub expected: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// Every stored fixture case, in name order.
pub fn fixture_cases() -> Vec<FixtureCase> {
    let root = repo_root().join("fixtures");
    let mut cases = Vec::new();
    let Ok(dirs) = std::fs::read_dir(root.join("expected")) else { return cases };
    let mut dirs: Vec<PathBuf> = dirs.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let stem = dir.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let workbook = std::fs::read(root.join(format!("{stem}.xlsx")))
            .unwrap_or_else(|e| panic!("fixture workbook {stem}.xlsx: {e}"));
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let log_name =
                file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            let expected: serde_json::Value = read_json(&file);
            let log: serde_json::Value =
                read_json(&root.join("logs").join(&stem).join(format!("{log_name}.json")));
            let out = expected["out"].as_array().cloned().unwrap_or_default();
            cases.push(FixtureCase {
                name: format!("{stem}/{log_name}"),
                workbook: workbook.clone(),
                log: log.as_array().cloned().unwrap_or_default(),
                expected: out.into_iter().filter_map(|r| r.as_object().cloned()).collect(),
            });
        }
    }
    cases
}

fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Turns a stored log entry (keyed by header) into an entry of the program's
/// input columns.
pub fn entry_from_json(program: &runtime::ir::Program, json: &serde_json::Value) -> Entry {
    program
        .input
        .columns
        .iter()
        .map(|c| {
            let value = json
                .as_object()
                .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(&c.header)))
                .map(|(_, v)| v);
            match value {
                None | Some(serde_json::Value::Null) => Value::Empty,
                Some(serde_json::Value::String(s)) if s.is_empty() => Value::Empty,
                Some(serde_json::Value::String(s)) => Value::text(s),
                Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
                Some(serde_json::Value::Number(n)) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                Some(other) => panic!("unexpected log value {other}"),
            }
        })
        .collect()
}

/// Whether an engine value equals LibreOffice's JSON value: numbers to a
/// relative 1e-9 (exactly where the expected value is 0), text and booleans
/// exactly, errors by kind, empty as null.
pub fn value_matches(expected: &serde_json::Value, got: &Value) -> bool {
    match (expected, got) {
        (serde_json::Value::Null, Value::Empty) => true,
        (serde_json::Value::Number(n), Value::Number(x)) => {
            let e = n.as_f64().unwrap_or(f64::NAN);
            if e == 0.0 {
                *x == 0.0
            } else {
                ((x - e) / e).abs() <= 1e-9
            }
        }
        (serde_json::Value::String(s), Value::Text(t)) => s.as_str() == &**t,
        (serde_json::Value::Bool(b), Value::Bool(x)) => b == x,
        (serde_json::Value::Object(o), Value::Error(e)) => {
            o.get("error").and_then(|v| v.as_str()) == Some(e.as_str())
        }
        _ => false,
    }
}

/// The differences between LibreOffice's rows and the engine's, one line each.
pub fn compare_outcomes(
    case: &FixtureCase,
    program: &runtime::ir::Program,
    rows: &[Vec<Value>],
) -> Vec<String> {
    let mut diffs = Vec::new();
    if rows.len() != case.expected.len() {
        diffs.push(format!("{}: {} rows, expected {}", case.name, rows.len(), case.expected.len()));
    }
    for (i, (row, expected)) in rows.iter().zip(&case.expected).enumerate() {
        for (column, value) in program.output.columns.iter().zip(row) {
            let want = expected.get(&column.key).unwrap_or(&serde_json::Value::Null);
            if !value_matches(want, value) {
                diffs.push(format!(
                    "{} row {} [{}]: expected {want}, got {value:?}",
                    case.name,
                    i + 2,
                    column.key
                ));
            }
        }
    }
    diffs
}
