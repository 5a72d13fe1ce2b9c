//! Statistical function tests. Expected values come from the examples of
//! Microsoft's function reference unless a comment says otherwise.

use crate::functions::math::test_support::*;
use crate::testing::MapContext;
use crate::value::ExcelError::{Div0, Num, Value as VALUE, NA};
use crate::value::Value;

fn text(s: &str) -> Value {
    Value::text(s)
}

/// The COUNTIF documentation's table: fruit in A2:A5, numbers in B2:B5.
fn fruit_book() -> MapContext {
    let mut ctx = book();
    let rows = [("apples", 32.0), ("oranges", 54.0), ("peaches", 75.0), ("apples", 86.0)];
    let table = rows.iter().map(|(f, q)| vec![text(f), num(*q)]).collect();
    fill(&mut ctx, "A2", table);
    ctx
}

#[test]
fn countif_documented_examples() {
    let ctx = fruit_book();
    check(
        &ctx,
        vec![
            ("COUNTIF", vec![r("A2:A5"), t("apples")], num(2.0)),
            ("COUNTIF", vec![r("A2:A5"), r("A4")], num(1.0)),
            ("COUNTIF", vec![r("B2:B5"), t(">55")], num(2.0)),
            ("COUNTIF", vec![r("B2:B5"), t("<>75")], num(3.0)),
            ("COUNTIF", vec![r("B2:B5"), t(">=32")], num(4.0)),
            ("COUNTIF", vec![r("B2:B5"), t(">85")], num(1.0)),
            ("COUNTIF", vec![r("A2:A5"), t("*")], num(4.0)),
            ("COUNTIF", vec![r("A2:A5"), t("?????es")], num(2.0)),
            ("COUNTIF", vec![r("A2:A5"), t("APPLES")], num(2.0)),
        ],
    );
}

#[test]
fn countif_types_and_blanks() {
    let mut ctx = book();
    column(
        &mut ctx,
        "A1",
        vec![
            num(5.0),
            text("5"),
            Value::Bool(true),
            text(""),
            Value::Empty,
            err(NA),
            text("abc"),
            num(6.0),
        ],
    );
    check(
        &ctx,
        vec![
            // A number criterion matches the number and numeric text.
            ("COUNTIF", vec![r("A1:A8"), n(5.0)], num(2.0)),
            ("COUNTIF", vec![r("A1:A8"), t("5")], num(2.0)),
            // Ordering criteria see numbers only.
            ("COUNTIF", vec![r("A1:A8"), t(">0")], num(2.0)),
            ("COUNTIF", vec![r("A1:A8"), t("<>5")], num(7.0)),
            ("COUNTIF", vec![r("A1:A8"), b(true)], num(1.0)),
            ("COUNTIF", vec![r("A1:A8"), t("#N/A")], num(1.0)),
            ("COUNTIF", vec![r("A1:A8"), e(NA)], num(1.0)),
            // "" counts empty cells and "" cells; "=" only empty ones;
            // "<>" the cells that are not empty.
            ("COUNTIF", vec![r("A1:A8"), t("")], num(2.0)),
            ("COUNTIF", vec![r("A1:A8"), t("=")], num(1.0)),
            ("COUNTIF", vec![r("A1:A8"), t("<>")], num(7.0)),
            // Past the used rows, a whole column is empty cells.
            ("COUNTIF", vec![r("A:A"), t("")], num(1048576.0 - 6.0)),
            ("COUNTIF", vec![r("A:A"), t("<>")], num(7.0)),
            ("COUNTIF", vec![r("A:A"), n(5.0)], num(2.0)),
            ("COUNTIF", vec![r("A1:A8"), t("a*")], num(1.0)),
            ("COUNTIF", vec![r("A1:A8"), t(">a")], num(1.0)),
        ],
    );
}

#[test]
fn countif_broadcasts_an_array_criterion() {
    let ctx = fruit_book();
    let criteria = arr(vec![vec![text("apples"), text("peaches")]]);
    let expected = arr(vec![vec![num(2.0), num(1.0)]]);
    let crate::reference::Operand::Value(expected) = expected else { unreachable!() };
    check(&ctx, vec![("COUNTIF", vec![r("A2:A5"), criteria], expected)]);
}

#[test]
fn countifs_and_shapes() {
    let mut ctx = book();
    // Docs (COUNTIFS, example 1): A2:A7 hold 1 to 6.
    column(&mut ctx, "A2", (1..=6).map(|x| num(f64::from(x))).collect());
    // Quarterly quotas met per salesperson, in B10:D13.
    let rows =
        [("Yes", "No", "No"), ("Yes", "Yes", "No"), ("Yes", "Yes", "Yes"), ("No", "Yes", "Yes")];
    let table = rows.iter().map(|(q1, q2, q3)| vec![text(q1), text(q2), text(q3)]).collect();
    fill(&mut ctx, "B10", table);
    check(
        &ctx,
        vec![
            // Docs: =COUNTIFS(A2:A7,"<6",A2:A7,">1") is 4.
            ("COUNTIFS", vec![r("A2:A7"), t("<6"), r("A2:A7"), t(">1")], num(4.0)),
            ("COUNTIFS", vec![r("B10:D10"), t("=Yes")], num(1.0)),
            ("COUNTIFS", vec![r("B10:B13"), t("=Yes"), r("C10:C13"), t("=Yes")], num(2.0)),
            ("COUNTIFS", vec![r("B13:D13"), t("=Yes"), r("B11:D11"), t("=Yes")], num(1.0)),
            ("COUNTIFS", vec![r("B10:B13"), t("=Yes"), r("C10:C12"), t("=Yes")], err(VALUE)),
            // Rows 1 to 9 are empty in both columns, and so is all past row 13.
            ("COUNTIFS", vec![r("B:B"), t(""), r("C:C"), t("")], num(1048576.0 - 4.0)),
            // A criterion that is an empty cell means 0 (documented).
            ("COUNTIFS", vec![r("A1:A7"), r("Z1")], num(0.0)),
        ],
    );
}

#[test]
fn count_counta_countblank() {
    let mut ctx = book();
    // Docs (COUNT): A2:A7 hold a date, an empty cell, 19, 22.24, TRUE, #DIV/0!.
    column(
        &mut ctx,
        "A2",
        vec![num(39790.0), Value::Empty, num(19.0), num(22.24), Value::Bool(true), err(Div0)],
    );
    column(&mut ctx, "C1", vec![text(""), num(1.0), Value::Empty, text("x")]);
    check(
        &ctx,
        vec![
            ("COUNT", vec![r("A2:A7")], num(3.0)),
            ("COUNT", vec![r("A5:A7")], num(1.0)),
            ("COUNT", vec![r("A2:A7"), n(2.0)], num(4.0)),
            ("COUNT", vec![t("1"), b(true), t("x"), e(NA)], num(2.0)),
            ("COUNT", vec![r("A:A")], num(3.0)),
            ("COUNTA", vec![r("A2:A7")], num(5.0)),
            ("COUNTA", vec![r("C1:C4")], num(3.0)),
            ("COUNTA", vec![n(1.0), e(NA), t("")], num(3.0)),
            // Microsoft KB 214322: =COUNTA("hello",4,#N/A) is 3.
            ("COUNTA", vec![t("hello"), n(4.0), e(NA)], num(3.0)),
            ("COUNTBLANK", vec![r("C1:C4")], num(2.0)),
            ("COUNTBLANK", vec![r("C:C")], num(1048576.0 - 2.0)),
            ("COUNTBLANK", vec![r("D1:D10")], num(10.0)),
        ],
    );
}

#[test]
fn averages() {
    let mut ctx = book();
    // Docs (AVERAGE): A2:A6 = 10, 7, 9, 27, 2; B2 and C2 hold 15 and 32.
    column(&mut ctx, "A2", vec![num(10.0), num(7.0), num(9.0), num(27.0), num(2.0)]);
    fill(&mut ctx, "B2", vec![vec![num(15.0), num(32.0)]]);
    column(&mut ctx, "E1", vec![num(10.0), text("x"), Value::Bool(true), Value::Empty]);
    check(
        &ctx,
        vec![
            ("AVERAGE", vec![r("A2:A6")], num(11.0)),
            ("AVERAGE", vec![r("A2:A6"), n(5.0)], num(10.0)),
            ("AVERAGE", vec![r("A2:C2")], num(19.0)),
            ("AVERAGE", vec![r("Z1:Z3")], err(Div0)),
            ("AVERAGE", vec![r("E1:E4")], num(10.0)),
            ("AVERAGE", vec![r("A:A")], num(11.0)),
            // AVERAGEA counts text as 0 and TRUE as 1 and skips empty cells.
            ("AVERAGEA", vec![r("E1:E4")], num(11.0 / 3.0)),
            ("AVERAGEA", vec![r("E1:E4"), t("x")], err(VALUE)),
        ],
    );
}

#[test]
fn averageif_documented_examples() {
    let mut ctx = book();
    let rows = [(100000.0, 7000.0), (200000.0, 14000.0), (300000.0, 21000.0), (400000.0, 28000.0)];
    fill(&mut ctx, "A2", rows.iter().map(|(a, b)| vec![num(*a), num(*b)]).collect());
    check(
        &ctx,
        vec![
            ("AVERAGEIF", vec![r("B2:B5"), t("<23000")], num(14000.0)),
            ("AVERAGEIF", vec![r("A2:A5"), t("<250000")], num(150000.0)),
            ("AVERAGEIF", vec![r("A2:A5"), t("<95000")], err(Div0)),
            ("AVERAGEIF", vec![r("A2:A5"), t(">250000"), r("B2:B5")], num(24500.0)),
            (
                "AVERAGEIFS",
                vec![r("B2:B5"), r("A2:A5"), t(">100000"), r("A2:A5"), t("<400000")],
                num(17500.0),
            ),
            ("AVERAGEIFS", vec![r("B2:B5"), r("A2:A5"), t(">1e9")], err(Div0)),
        ],
    );
}

#[test]
fn minifs_maxifs_documented_examples() {
    let mut ctx = book();
    // Docs (MINIFS/MAXIFS): grades in A2:A7, weights in B2:B7.
    let rows = [(89.0, 1.0), (93.0, 2.0), (96.0, 2.0), (85.0, 3.0), (91.0, 1.0), (88.0, 1.0)];
    fill(&mut ctx, "A2", rows.iter().map(|(a, b)| vec![num(*a), num(*b)]).collect());
    check(
        &ctx,
        vec![
            ("MINIFS", vec![r("A2:A7"), r("B2:B7"), n(1.0)], num(88.0)),
            ("MAXIFS", vec![r("A2:A7"), r("B2:B7"), n(1.0)], num(91.0)),
            ("MAXIFS", vec![r("A2:A7"), r("B2:B7"), n(9.0)], num(0.0)),
            ("MINIFS", vec![r("A2:A7"), r("B2:B6"), n(1.0)], err(VALUE)),
        ],
    );
}

#[test]
fn min_max_and_their_a_variants() {
    let mut ctx = book();
    // Docs (MIN/MAX): A2:A6 = 10, 7, 9, 27, 2.
    column(&mut ctx, "A2", vec![num(10.0), num(7.0), num(9.0), num(27.0), num(2.0)]);
    column(&mut ctx, "C1", vec![num(0.5), Value::Bool(true), text("x")]);
    check(
        &ctx,
        vec![
            ("MIN", vec![r("A2:A6")], num(2.0)),
            ("MIN", vec![r("A2:A6"), n(0.0)], num(0.0)),
            ("MAX", vec![r("A2:A6")], num(27.0)),
            ("MAX", vec![r("A2:A6"), n(30.0)], num(30.0)),
            ("MAX", vec![r("Z1:Z2")], num(0.0)),
            ("MAX", vec![r("C1:C3")], num(0.5)),
            ("MAXA", vec![r("C1:C3")], num(1.0)),
            ("MINA", vec![r("C1:C3")], num(0.0)),
            ("MAX", vec![r("A2:A6"), e(NA)], err(NA)),
        ],
    );
}

/// The array constant {2,4,6}.
fn evens() -> crate::reference::Operand {
    arr(vec![vec![num(2.0), num(4.0), num(6.0)]])
}

#[test]
fn order_statistics() {
    let mut ctx = book();
    // Docs (LARGE): A2:B6 = 3,4 / 5,2 / 3,4 / 5,6 / 4,7.
    let grid = [[3.0, 4.0], [5.0, 2.0], [3.0, 4.0], [5.0, 6.0], [4.0, 7.0]];
    fill(&mut ctx, "A2", grid.iter().map(|row| row.iter().map(|x| num(*x)).collect()).collect());
    // Docs (SMALL): D2:D10 and E2:E10.
    let d = [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 6.0, 4.0, 7.0];
    let e_col = [1.0, 4.0, 8.0, 3.0, 7.0, 12.0, 54.0, 8.0, 23.0];
    column(&mut ctx, "D2", d.iter().map(|x| num(*x)).collect());
    column(&mut ctx, "E2", e_col.iter().map(|x| num(*x)).collect());
    // Docs (MEDIAN): G2:G7 = 1..6. Docs (MODE): H2:H7 = 5.6, 4, 4, 3, 2, 4.
    column(&mut ctx, "G2", (1..=6).map(|x| num(f64::from(x))).collect());
    column(&mut ctx, "H2", [5.6, 4.0, 4.0, 3.0, 2.0, 4.0].iter().map(|x| num(*x)).collect());
    // Docs (RANK): I2:I6 = 7, 3.5, 3.5, 1, 2.
    column(&mut ctx, "I2", [7.0, 3.5, 3.5, 1.0, 2.0].iter().map(|x| num(*x)).collect());
    check(
        &ctx,
        vec![
            ("LARGE", vec![r("A2:B6"), n(3.0)], num(5.0)),
            ("LARGE", vec![r("A2:B6"), n(7.0)], num(4.0)),
            ("LARGE", vec![r("A2:B6"), n(11.0)], err(Num)),
            ("LARGE", vec![r("A2:B6"), n(0.0)], err(Num)),
            ("SMALL", vec![r("D2:D10"), n(4.0)], num(4.0)),
            ("SMALL", vec![r("E2:E10"), n(2.0)], num(3.0)),
            // A fractional k: LARGE rounds it up, SMALL down.
            ("LARGE", vec![evens(), n(1.5)], num(4.0)),
            ("SMALL", vec![evens(), n(1.5)], num(2.0)),
            ("SMALL", vec![evens(), n(0.5)], err(Num)),
            ("MEDIAN", vec![r("G2:G6")], num(3.0)),
            ("MEDIAN", vec![r("G2:G7")], num(3.5)),
            ("MEDIAN", vec![r("Z1:Z2")], err(Num)),
            ("MODE", vec![r("H2:H7")], num(4.0)),
            ("MODE.SNGL", vec![r("H2:H7")], num(4.0)),
            ("MODE.SNGL", vec![r("G2:G7")], err(NA)),
            // Equally frequent: the first to appear wins.
            ("MODE", vec![n(3.0), n(1.0), n(1.0), n(3.0)], num(3.0)),
            ("MODE", vec![n(2.0), n(5.0), n(5.0), n(2.0), n(5.0)], num(5.0)),
            ("RANK", vec![r("I3"), r("I2:I6"), n(1.0)], num(3.0)),
            ("RANK", vec![r("I2"), r("I2:I6")], num(1.0)),
            ("RANK.EQ", vec![n(3.5), r("I2:I6")], num(2.0)),
            ("RANK.EQ", vec![n(4.0), r("I2:I6")], err(NA)),
        ],
    );
}

#[test]
fn dispersion_documented_examples() {
    let mut ctx = book();
    // Docs (STDEV, STDEV.P, VAR, VAR.P): breaking strengths of ten tools.
    let data = [1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0];
    column(&mut ctx, "A2", data.iter().map(|x| num(*x)).collect());
    check(
        &ctx,
        vec![
            ("STDEV", vec![r("A2:A11")], num(27.46391572)),
            ("STDEV.S", vec![r("A2:A11")], num(27.46391572)),
            ("STDEV.P", vec![r("A2:A11")], num(26.05455814)),
            ("VAR", vec![r("A2:A11")], num(754.2666667)),
            ("VAR.S", vec![r("A2:A11")], num(754.2666667)),
            ("VAR.P", vec![r("A2:A11")], num(678.84)),
            ("STDEV", vec![n(1.0)], err(Div0)),
            ("VAR.P", vec![r("Z1:Z3")], err(Div0)),
            ("VAR.P", vec![n(5.0)], num(0.0)),
        ],
    );
}

/// Whole-column arguments read only the used rows, whatever the function.
#[test]
fn whole_columns_cost_only_used_rows() {
    let mut ctx = book();
    column(&mut ctx, "A1", (1..=10).map(|x| num(f64::from(x))).collect());
    column(
        &mut ctx,
        "B1",
        (1..=10).map(|x| text(if x % 2 == 0 { "even" } else { "odd" })).collect(),
    );
    let counting = Counting { inner: &ctx, reads: std::cell::Cell::new(0) };
    let cases: Vec<(&str, Vec<crate::reference::Operand>, Value)> = vec![
        ("SUM", vec![r("A:A")], num(55.0)),
        ("COUNTBLANK", vec![r("A:A")], num(1048576.0 - 10.0)),
        ("COUNTIF", vec![r("A:A"), t("")], num(1048576.0 - 10.0)),
        ("SUMIF", vec![r("B:B"), t("even"), r("A:A")], num(30.0)),
        ("COUNTIFS", vec![r("A:A"), t(">3"), r("B:B"), t("odd")], num(3.0)),
        ("SUMPRODUCT", vec![r("A:A"), r("A:A")], num(385.0)),
        ("MAXIFS", vec![r("A:A"), r("B:B"), t("odd")], num(9.0)),
        ("AND", vec![r("A:A")], Value::Bool(true)),
    ];
    for (name, args, expected) in cases {
        counting.reads.set(0);
        let f = crate::functions::Function::from_name(name).unwrap();
        let actual = crate::functions::call(f, args, &counting).to_value(&counting);
        assert!(same(&actual, &expected), "{name}: got {actual:?}, expected {expected:?}");
        // The used extent is two columns of ten rows; a pair of ranges reads
        // each used cell once per range at most.
        assert!(counting.reads.get() <= 40, "{name} read {} cells", counting.reads.get());
    }
}

/// COUNTIF over the mixed column of calc_tests/STATISTICAL/COUNTIF.xlsx
/// Rows!G2:G15 (23, "23", TRUE, 1, -23, "hey", FALSE, 123, empty cells and
/// a cell holding ""), with criteria built as `CONCAT(op, H)`.
#[test]
fn countif_excel_computed_operators() {
    let mut ctx = book();
    let cells = vec![
        num(23.0),
        text("23"),
        Value::Bool(true),
        num(1.0),
        num(-23.0),
        text("hey"),
        Value::Bool(false),
        num(123.0),
        Value::Empty,
        Value::Empty,
        text(""),
    ];
    column(&mut ctx, "G2", cells);
    let cases = [
        // Row 2 (H2 = 23): I2:M2.
        ("<23", 2.0),
        ("<=23", 3.0),
        (">23", 1.0),
        (">=23", 2.0),
        ("<>23", 13.0),
        // Row 6 (H6 = 0): "<>0" counts all 14 cells.
        ("<>0", 14.0),
        // Row 9 (H9 empty): the bare operators count nothing; "<>" counts
        // the nine cells that are not empty, the "" cell among them.
        ("<", 0.0),
        ("<=", 0.0),
        (">", 0.0),
        (">=", 0.0),
        ("<>", 9.0),
    ];
    let rows = cases.iter().map(|(c, n)| ("COUNTIF", vec![r("G2:G15"), t(c)], num(*n)));
    check(&ctx, rows.collect());
}
