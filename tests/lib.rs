//! Helpers shared by the workspace's acceptance tests: building small
//! workbooks in memory and evaluating them.

#![allow(clippy::panic, reason = "test support: a helper that fails fails the test calling it")]

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
            }
        }
    }
    for (name, formula) in names {
        book.define_name(*name, formula)?;
    }
    book.save_to_buffer()
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
        })
        .collect()
}
