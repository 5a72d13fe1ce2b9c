//! Cached values in a file are never inputs: a workbook whose cached values
//! are deliberately wrong computes the same outcomes as the correct one.

use std::io::{Read, Write};
use std::sync::Arc;

use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use sengine_tests::{compare_outcomes, compile, entry_from_json, fixture_cases, repo_root};

/// Rewrites every cached formula result in the sheet XML to a wrong value of
/// the same type; returns the new sheet and how many values it changed.
fn falsify(xml: &str) -> (String, usize) {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut changed = 0;
    while let Some(at) = rest.find("</f><v>") {
        let (head, tail) = rest.split_at(at + "</f><v>".len());
        out.push_str(head);
        let Some(end) = tail.find("</v>") else { break };
        let cached = &tail[..end];
        let cell_start = head.rfind("<c ").unwrap_or(0);
        let attrs = &head[cell_start..];
        let wrong = if attrs.contains("t=\"str\"") {
            format!("{cached} (wrong)")
        } else if attrs.contains("t=\"b\"") {
            if cached == "1" { "0" } else { "1" }.to_string()
        } else if attrs.contains("t=\"e\"") {
            if cached == "#N/A" { "#DIV/0!" } else { "#N/A" }.to_string()
        } else {
            let n: f64 = cached.parse().unwrap();
            (n * 3.0 + 1000.0).to_string()
        };
        out.push_str(&wrong);
        changed += 1;
        rest = &tail[end..];
    }
    out.push_str(rest);
    (out, changed)
}

/// The same package with every worksheet's cached values falsified.
fn falsified_copy(bytes: &[u8]) -> (Vec<u8>, usize) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut changed = 0;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let (xml, n) = falsify(&String::from_utf8(data).unwrap());
            changed += n;
            data = xml.into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    (out.finish().unwrap().into_inner(), changed)
}

/// Falsified cached values change nothing in the outcomes, which still
/// equal LibreOffice's.
#[test]
fn wrong_cached_values_change_nothing() {
    let original = std::fs::read(repo_root().join("fixtures/football-libreoffice.xlsx")).unwrap();
    let (falsified, changed) = falsified_copy(&original);
    assert!(changed > 1000, "only {changed} cached values were falsified");

    let cases = fixture_cases();
    let case = cases.iter().find(|c| c.name == "football/typical").unwrap();
    let mut answers = Vec::new();
    for bytes in [&original, &falsified] {
        let program = compile(bytes).unwrap().program;
        let log: Vec<_> = case.log.iter().map(|e| entry_from_json(&program, e)).collect();
        let rows = Interpreter::new(Arc::clone(&program)).evaluate(&log).unwrap().rows;
        let diffs = compare_outcomes(case, &program, &rows);
        assert!(diffs.is_empty(), "{}", diffs.join("\n"));
        answers.push(rows);
    }
    assert_eq!(answers[0], answers[1]);
}

/// The self-test of docs/workbooks.md: the workbook LibreOffice saved
/// with sample rows passes it; with its cached values falsified, every
/// differing cell is a warning naming it, and the rest are counted.
#[test]
fn self_test_warns_of_cells_whose_cached_value_differs() {
    let original = std::fs::read(repo_root().join("fixtures/football-libreoffice.xlsx")).unwrap();
    let clean = compile(&original).unwrap();
    assert!(
        clean.warnings.iter().all(|w| !w.message.starts_with("self-test")),
        "{:#?}",
        clean.warnings
    );

    let (falsified, changed) = falsified_copy(&original);
    let warnings = compile(&falsified).unwrap().warnings;
    let named: Vec<_> = warnings.iter().filter(|w| w.cell.is_some()).collect();
    assert_eq!(named.len(), 100, "the first 100 differences are named");
    assert!(named
        .iter()
        .all(|w| w.message.starts_with("self-test: the value cached in the file differs")));
    assert!(named.iter().all(|w| w.sheet.is_some() && w.formula.is_some()));
    let rest = warnings.last().unwrap();
    assert_eq!(
        rest.message,
        format!("self-test: {} more cells differ from their cached values", changed - 100)
    );
}
