//! Dynamic arrays whose size follows the log. Excel spills a dynamic
//! array's result into the blank cells right of and below its formula,
//! however large it is now; `A2#` refers to the whole spill; a result that
//! would cover a cell holding something is `#SPILL!` in its top-left cell,
//! and a reference to its spill is then `#REF!`. The file records the spill
//! range the array had when it was saved, which the log can change.

use runtime::value::{ExcelError, Value};
use sengine_tests::{compile, entry, outcomes, without_cells, workbook, Content as C};

fn num(n: f64) -> Value {
    Value::Number(n)
}

fn text(t: &str) -> Value {
    Value::text(t)
}

/// A log of goals (`team`, `type`) and, on `Calc`, the teams that scored,
/// saved with two goals (spill range `A2:A3`), and a note in `A7` that
/// blocks the spill from six goals on. `out` are the cells of `OUT` below
/// its header.
fn goals_book(out: Vec<(&str, C<'_>)>) -> Vec<u8> {
    let mut out_cells = vec![("A1", C::from("v"))];
    out_cells.extend(out);
    workbook(
        &[
            ("IN", vec![("A1", C::from("team")), ("B1", "type".into())]),
            (
                "Calc",
                vec![
                    ("A1", C::from("scorers")),
                    ("A2", C::Spill(r#"=FILTER(IN!A2:A21,IN!B2:B21="goal","none")"#, "A3")),
                    ("A7", "note".into()),
                ],
            ),
            ("OUT", out_cells),
        ],
        &[],
    )
}

fn goals(teams: &[&str]) -> Vec<runtime::evaluator::Entry> {
    let mut log = vec![entry(&[C::from("home"), "corner".into()])];
    log.extend(teams.iter().map(|t| entry(&[C::from(*t), "goal".into()])));
    log
}

/// `#` follows the array as the log makes it larger or smaller than the
/// range the file recorded; cells of the recorded range past the result
/// are blank.
#[test]
fn the_spill_operator_follows_the_log() {
    let bytes = goals_book(vec![
        ("A2", "=ROWS(Calc!A2#)".into()),
        ("A3", r#"=COUNTIF(Calc!A2#,"home")"#.into()),
        ("A4", "=INDEX(Calc!A2#,3)".into()),
        ("A5", "=Calc!A3".into()),
    ]);
    let compiled = compile(&bytes).unwrap();
    assert_eq!(compiled.program.growing_spills.len(), 1);

    // Three goals: one row more than the file recorded.
    let rows = outcomes(&bytes, &goals(&["home", "away", "home"]));
    assert_eq!(rows[0][0], num(3.0));
    assert_eq!(rows[1][0], num(2.0));
    assert_eq!(rows[2][0], text("home"));
    assert_eq!(rows[3][0], text("away"));

    // One goal: a single value, and the recorded A3 is blank (shown as 0
    // by the formula that reads it).
    let rows = outcomes(&bytes, &goals(&["away"]));
    assert_eq!(rows[0][0], num(1.0));
    assert_eq!(rows[1][0], num(0.0));
    assert_eq!(rows[2][0], Value::Error(ExcelError::Ref));
    assert_eq!(rows[3][0], num(0.0));

    // No goal: FILTER's third argument.
    let rows = outcomes(&bytes, &goals(&[]));
    assert_eq!(rows[0][0], num(1.0));
    assert_eq!(rows[2][0], Value::Error(ExcelError::Ref));
}

/// Six goals would spill over the note in `Calc!A7`: the array's cell shows
/// `#SPILL!`, its spill is `#REF!`, and the rest of its range is blank.
#[test]
fn a_blocked_spill_is_an_error() {
    let bytes = goals_book(vec![
        ("A2", "=Calc!A2".into()),
        ("A3", "=ROWS(Calc!A2#)".into()),
        ("A4", "=Calc!A3".into()),
    ]);
    let five = outcomes(&bytes, &goals(&["home"; 5]));
    assert_eq!(five[0][0], text("home"));
    assert_eq!(five[1][0], num(5.0));
    let six = outcomes(&bytes, &goals(&["home"; 6]));
    assert_eq!(six[0][0], Value::Error(ExcelError::Spill));
    assert_eq!(six[1][0], Value::Error(ExcelError::Ref));
    assert_eq!(six[2][0], num(0.0));
}

/// Reading a blank cell such an array may spill into, beyond the recorded
/// range, is refused where OUT depends on it, with the advice to use `#`.
#[test]
fn reading_where_the_array_may_grow_is_refused() {
    for formula in [
        "=Calc!A4",
        "=SUM(Calc!A2:A20)",
        "=COUNTA(Calc!A:A)",
        "=OFFSET(Calc!A2,3,0)",
        "=INDIRECT(\"Calc!A5\")",
    ] {
        let bytes = goals_book(vec![("A2", formula.into())]);
        let errors = compile(&bytes).unwrap_err();
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            messages.iter().any(|m| m.starts_with("error at OUT!A2: reads Calc")
                && m.contains("where the dynamic array at Calc!A2 spills when the log makes it larger; read the array as A2#")),
            "{formula}: {messages:#?}"
        );
    }
    // The recorded range and the blocking note itself read as they are.
    let bytes = goals_book(vec![("A2", "=Calc!A3".into()), ("A3", "=Calc!A7".into())]);
    assert_eq!(outcomes(&bytes, &goals(&["home", "away"]))[1][0], text("note"));
}

/// An array on OUT whose size follows the log is refused
/// (docs/workbooks.md); one whose shape is fixed by its ranges is not,
/// and its cells read as they are.
#[test]
fn arrays_of_fixed_and_changing_shape_on_out() {
    let changing = workbook(
        &[
            ("IN", vec![("A1", C::from("team")), ("B1", "type".into())]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", C::Spill(r#"=FILTER(IN!A2:A21,IN!B2:B21="goal","none")"#, "A2")),
                ],
            ),
        ],
        &[],
    );
    let errors = compile(&changing).unwrap_err();
    assert!(
        errors.iter().any(|d| d.to_string().contains(
            "at OUT!A2: a dynamic array whose size can change with the log spills into OUT"
        )),
        "{errors:#?}"
    );

    let fixed = workbook(
        &[
            ("IN", vec![("A1", C::from("team")), ("B1", "type".into())]),
            ("Calc", vec![("A2", C::Spill(r#"=IN!B2:B4="goal""#, "A4"))]),
            (
                "OUT",
                vec![("A1", C::from("v")), ("A2", "=Calc!A3".into()), ("A3", "=Calc!A4".into())],
            ),
        ],
        &[],
    );
    let compiled = compile(&fixed).unwrap();
    assert!(compiled.program.growing_spills.is_empty());
    let rows = outcomes(&fixed, &goals(&["away"]));
    assert_eq!(rows[0][0], Value::Bool(true));
    assert_eq!(rows[1][0], Value::Bool(false));

    // Sized by literals: always two rows, whatever the log.
    let sized = workbook(
        &[
            ("IN", vec![("A1", C::from("team")), ("B1", "type".into())]),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", C::Spill("=SEQUENCE(2)*COUNTA(IN!A2:A21)", "A3")),
                ],
            ),
        ],
        &[],
    );
    let rows = outcomes(&sized, &goals(&["away", "home"]));
    assert_eq!((&rows[0][0], &rows[1][0]), (&num(3.0), &num(6.0)));
    // A file that stores only the array's top-left cell answers the same
    // rows.
    let rows = outcomes(&without_cells(&sized, 2, &["A3"]), &goals(&["away", "home"]));
    assert_eq!((&rows[0][0], &rows[1][0]), (&num(3.0), &num(6.0)));
}

/// Another array's range holds its result whether or not the file stores
/// it: reading it is no read of blank cells, and a growing array that
/// would spill over it is blocked.
#[test]
fn another_array_blocks_and_is_no_blank() {
    let bytes = workbook(
        &[
            ("IN", vec![("A1", C::from("team")), ("B1", "type".into())]),
            (
                "Calc",
                vec![
                    ("A2", C::Spill(r#"=FILTER(IN!A2:A21,IN!B2:B21="goal","none")"#, "A3")),
                    ("A9", C::Spill("=SEQUENCE(2)", "A10")),
                    ("C2", C::Spill(r#"=FILTER(IN!A2:A21,IN!B2:B21="corner","none")"#, "C3")),
                ],
            ),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=ROWS(Calc!A2#)".into()),
                    ("A3", "=SUM(Calc!A9:A10)".into()),
                    ("A4", "=ROWS(Calc!C2#)".into()),
                ],
            ),
        ],
        &[],
    );
    let sparse = without_cells(&bytes, 2, &["A3", "A10", "C3"]);
    assert_eq!(compile(&sparse).unwrap().program.growing_spills.len(), 2);
    // Seven goals fill A2:A8; an eighth would reach A9, which the sequence
    // fills.
    let seven = outcomes(&sparse, &goals(&["home"; 7]));
    assert_eq!((&seven[0][0], &seven[1][0], &seven[2][0]), (&num(7.0), &num(3.0), &num(1.0)));
    let eight = outcomes(&sparse, &goals(&["home"; 8]));
    assert_eq!(eight[0][0], Value::Error(ExcelError::Ref));
    assert_eq!(eight[1][0], num(3.0));
}

/// A file may store only an array formula's top-left cell (openpyxl does):
/// the rest of its range still holds the result, for ranges read over it
/// as for single cells.
#[test]
fn an_array_range_counts_whether_or_not_the_file_stores_it() {
    let padded = workbook(
        &[
            ("IN", vec![("A1", C::from("n"))]),
            (
                "Calc",
                vec![("C2", C::Array("=IN!A2:A4*2", "C4")), ("D2", C::Spill("=IN!A2:A4*3", "D4"))],
            ),
            (
                "OUT",
                vec![
                    ("A1", C::from("v")),
                    ("A2", "=SUM(Calc!C2:C4)".into()),
                    ("A3", "=COUNT(Calc!C2:C4)".into()),
                    ("A4", "=SUM(Calc!D2:D4)".into()),
                    ("A5", "=Calc!C4".into()),
                ],
            ),
        ],
        &[],
    );
    let sparse = without_cells(&padded, 2, &["C3", "C4", "D3", "D4"]);
    let log = [entry(&[C::from(10.0)]), entry(&[C::from(20.0)]), entry(&[C::from(30.0)])];
    for bytes in [&padded, &sparse] {
        let rows = outcomes(bytes, &log);
        let values: Vec<&Value> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(values, [&num(120.0), &num(3.0), &num(180.0), &num(60.0)]);
    }
}
