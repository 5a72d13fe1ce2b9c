//! The compile pipeline on small workbooks: layout, capacity, diagnostics,
//! cycles real and apparent, and values that follow from Excel's rules.

use compiler::Severity;
use runtime::value::Value;
use sengine_tests::{compile, entry, outcomes, workbook, Content as C};

fn num(n: f64) -> Value {
    Value::Number(n)
}

/// A minimal match workbook: goals counted from the log.
fn goals_book() -> Vec<u8> {
    workbook(
        &[
            ("IN", vec![("A1", C::from("minute")), ("B1", "type".into()), ("C1", "team".into())]),
            (
                "OUT",
                vec![
                    ("A1", "market".into()),
                    ("B1", "result".into()),
                    ("A2", "home goals".into()),
                    ("B2", r#"=COUNTIFS(IN!$B$2:$B$101,"goal",IN!$C$2:$C$101,"home")"#.into()),
                    ("A3", "total".into()),
                    ("B3", r#"=COUNTIF(IN!$B$2:$B$101,"goal")"#.into()),
                ],
            ),
        ],
        &[],
    )
}

/// Inputs and outputs are read from the sheets' headers; bounded references
/// into IN set the capacity.
#[test]
fn layout_and_capacity_follow_the_headers() {
    let compiled = compile(&goals_book()).unwrap();
    let p = &compiled.program;
    let headers: Vec<&str> = p.input.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["minute", "type", "team"]);
    assert_eq!(p.input.capacity, 100);
    let keys: Vec<&str> = p.output.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["market", "result"]);
    assert_eq!(p.output.rows, [1, 2]);
}

/// COUNTIFS over the log counts only matching entries.
#[test]
fn outcomes_follow_the_log() {
    let log = [
        entry(&[C::from(12.0), "goal".into(), "home".into()]),
        entry(&[C::from(30.0), "corner".into(), "home".into()]),
        entry(&[C::from(55.0), "goal".into(), "away".into()]),
    ];
    let rows = outcomes(&goals_book(), &log);
    assert_eq!(rows[0], [Value::text("home goals"), num(1.0)]);
    assert_eq!(rows[1], [Value::text("total"), num(2.0)]);
    let empty = outcomes(&goals_book(), &[]);
    assert_eq!(empty[1][1], num(0.0));
}

/// A workbook with every kind of refusal lists each with sheet and cell.
#[test]
fn every_problem_is_listed_with_its_cell() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("minute"))]),
            (
                "Calc",
                vec![
                    ("A1", C::from("=B1+IN!A2")),
                    ("B1", "=A1*2".into()),
                    ("C1", "=SUM(1,".into()),
                    ("D1", "=FOOBAR(1)".into()),
                ],
            ),
        ],
        &[],
    );
    let diags = compile(&bytes).unwrap_err();
    let errors: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("no sheet named OUT"), "{errors:#?}");
    assert!(has("circular reference: Calc!A1 → Calc!B1 → Calc!A1"), "{errors:#?}");
    assert!(has("at Calc!C1: formula cannot be parsed"), "{errors:#?}");
    assert!(has("at Calc!D1: function FOOBAR is not supported"), "{errors:#?}");
    assert!(diags.iter().all(|d| d.severity == Severity::Error), "{errors:#?}");
}

/// Problems in cells OUT does not read are warnings; the workbook compiles.
#[test]
fn problems_outside_the_cone_are_warnings() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("minute"))]),
            ("OUT", vec![("A1", C::from("result")), ("A2", "=COUNT(IN!A2:A11)".into())]),
            (
                "Scratch",
                vec![("A1", C::from("=B1")), ("B1", "=A1".into()), ("C1", "=NOPE()".into())],
            ),
        ],
        &[],
    );
    let compiled = compile(&bytes).unwrap();
    let warnings: Vec<String> = compiled.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w.starts_with("warning at Scratch!")), "{warnings:#?}");
}

/// An untaken IF branch, INDEX over the cell's own column and an OFFSET
/// anchor are not circular references, and compute as Excel does.
#[test]
fn apparent_cycles_compute() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("x"))]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    // IF's second branch would read the cell itself.
                    ("A2", "=IF(IN!A2>0,IN!A2*10,A2)".into()),
                    // INDEX over its own column picks another row.
                    ("A3", "=INDEX(A:A,2)+1".into()),
                    // OFFSET anchored at the cell itself reads the row above.
                    ("A4", "=OFFSET(A4,-1,0)+1".into()),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&bytes, &[entry(&[C::from(4.0)])]);
    assert_eq!(rows[0][0], num(40.0));
    assert_eq!(rows[1][0], num(41.0));
    assert_eq!(rows[2][0], num(42.0));
}

/// Defined names resolve to their ranges; SUMPRODUCT compares every cell.
#[test]
fn names_and_sumproduct() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("type")), ("B1", "team".into())]),
            (
                "OUT",
                vec![
                    ("A1", C::from("corners home")),
                    ("A2", r#"=SUMPRODUCT((Types="corner")*(IN!$B$2:$B$51="home"))"#.into()),
                ],
            ),
        ],
        &[("Types", "=IN!$A$2:$A$51")],
    );
    let log = [
        entry(&["corner".into(), "home".into()]),
        entry(&["corner".into(), "away".into()]),
        entry(&["CORNER".into(), "home".into()]),
    ];
    assert_eq!(outcomes(&bytes, &log)[0][0], num(2.0));
}

/// A derived column filled down is evaluated for each row and limits the
/// capacity to how far it is filled.
#[test]
fn derived_columns_fill_down() {
    let mut in_cells = vec![("A1", C::from("points")), ("B1", C::from("double"))];
    let formulas: Vec<String> = (2..=6).map(|r| format!("=A{r}*2")).collect();
    let addrs: Vec<String> = (2..=6).map(|r| format!("B{r}")).collect();
    for (a, f) in addrs.iter().zip(&formulas) {
        in_cells.push((a.as_str(), C::from(f.as_str())));
    }
    let bytes = workbook(
        &[
            ("IN", in_cells),
            ("OUT", vec![("A1", C::from("sum")), ("A2", "=SUM(IN!B2:B100)".into())]),
        ],
        &[],
    );
    let compiled = compile(&bytes).unwrap();
    assert_eq!(compiled.program.input.capacity, 5);
    assert_eq!(compiled.program.input.derived, [(1, "double".to_string())]);
    let log = [entry(&[C::from(1.0)]), entry(&[C::from(2.5)])];
    assert_eq!(outcomes(&bytes, &log)[0][0], num(7.0));
}
