//! Running ranges filled down a long derived column: the dependency graph
//! stays small and the values are the running sums of the log.

use std::sync::Arc;

use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use runtime::value::Value;
use sengine_tests::{compile, entry, Content as C};

/// Rows of the derived columns, each a running sum over the column beside.
const ROWS: u32 = 20_000;

/// `IN` with `points` typed in, `double` derived from it, and `running`
/// summing `double` from row 2 down to its own row; `OUT` reads the last
/// running sum and the one in row 1,001.
fn running_book(rows: u32) -> Vec<u8> {
    let last = rows + 1;
    let early = 1_001;
    let mut texts: Vec<(String, String)> = Vec::new();
    for r in 2..=last {
        texts.push((format!("B{r}"), format!("=A{r}*2")));
        texts.push((format!("C{r}"), format!("=SUM($B$2:B{r})")));
    }
    let mut in_cells =
        vec![("A1", C::from("points")), ("B1", "double".into()), ("C1", "running".into())];
    in_cells.extend(texts.iter().map(|(a, f)| (a.as_str(), C::from(f.as_str()))));
    let (last_ref, early_ref) = (format!("=IN!C{last}"), format!("=IN!C{early}"));
    let out = vec![
        ("A1", C::from("last")),
        ("B1", "early".into()),
        ("A2", last_ref.as_str().into()),
        ("B2", early_ref.as_str().into()),
    ];
    sengine_tests::workbook(&[("IN", in_cells), ("OUT", out)], &[])
}

/// 20,000 running sums compile (the graph no longer holds one edge per cell
/// of each range) and add up what arithmetic says: entry `i` scores
/// `i mod 10` points, doubled, so every ten entries add 90.
#[test]
fn running_sums_over_a_long_derived_column() {
    let compiled = compile(&running_book(ROWS)).unwrap();
    assert_eq!(compiled.program.input.capacity, ROWS);
    let interp = Interpreter::new(Arc::clone(&compiled.program));
    // The interpreter sums each range afresh, so the log is kept short.
    let log: Vec<_> = (0..2_005).map(|i| entry(&[C::from(f64::from(i % 10))])).collect();
    let rows = interp.evaluate(&log).unwrap().rows;
    // Ten entries score 0 to 9, doubled 90. 2,005 entries are 200 tens and
    // five more (0 to 4, doubled 20); row 1,001 sees the first 1,000 entries,
    // 100 tens; the rows past the log add nothing.
    assert_eq!(rows[0], [Value::Number(18_020.0), Value::Number(9_000.0)]);
    let empty = interp.evaluate(&[]).unwrap().rows;
    assert_eq!(empty[0], [Value::Number(0.0), Value::Number(0.0)]);
}
