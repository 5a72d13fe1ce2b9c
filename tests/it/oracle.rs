//! Every stored fixture log, evaluated by the engine, gives the `OUT` values
//! LibreOffice computed for it.

use std::sync::Arc;

use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use sengine_tests::{compare_outcomes, compile, entry_from_json, fixture_cases};

/// The interpreter reproduces LibreOffice on every fixture log.
#[test]
fn interpreter_matches_libreoffice_on_every_fixture_log() {
    let cases = fixture_cases();
    assert!(cases.len() >= 20, "expected at least 20 fixture logs, found {}", cases.len());
    let mut diffs = Vec::new();
    for case in &cases {
        let compiled = compile(&case.workbook).unwrap_or_else(|d| panic!("{}: {d:#?}", case.name));
        let program = Arc::clone(&compiled.program);
        let log: Vec<_> = case.log.iter().map(|e| entry_from_json(&program, e)).collect();
        let rows = Interpreter::new(Arc::clone(&program)).evaluate(&log).unwrap().rows;
        diffs.extend(compare_outcomes(case, &program, &rows));
    }
    eprintln!("fixture logs checked against LibreOffice: {}", cases.len());
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}
