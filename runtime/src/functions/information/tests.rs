//! Information function tests. Expected values come from the examples of
//! Microsoft's function reference unless a comment says otherwise.

use crate::functions::math::test_support::*;
use crate::value::ExcelError::{Div0, Name, Null, Value as VALUE, NA};
use crate::value::Value;

fn yes() -> Value {
    Value::Bool(true)
}

fn no() -> Value {
    Value::Bool(false)
}

#[test]
fn is_functions() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![Value::text(""), num(330.92), err(NA), Value::Bool(true)]);
    check(
        &ctx,
        vec![
            // An empty cell is blank; a cell holding "" is not.
            ("ISBLANK", vec![r("B1")], yes()),
            ("ISBLANK", vec![r("A1")], no()),
            ("ISBLANK", vec![t("")], no()),
            ("ISNUMBER", vec![r("A2")], yes()),
            ("ISNUMBER", vec![t("4")], no()),
            ("ISTEXT", vec![r("A1")], yes()),
            ("ISTEXT", vec![r("B1")], no()),
            ("ISNONTEXT", vec![r("B1")], yes()),
            ("ISNONTEXT", vec![t("x")], no()),
            ("ISLOGICAL", vec![r("A4")], yes()),
            ("ISLOGICAL", vec![t("TRUE")], no()),
            // Docs (IS functions): ISERROR/ISERR/ISNA of #N/A and #REF!.
            ("ISERROR", vec![r("A3")], yes()),
            ("ISERR", vec![r("A3")], no()),
            ("ISERR", vec![e(VALUE)], yes()),
            ("ISNA", vec![r("A3")], yes()),
            ("ISNA", vec![e(Div0)], no()),
            ("ISREF", vec![r("B1")], yes()),
            ("ISREF", vec![n(1.0)], no()),
        ],
    );
}

#[test]
fn parity() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Docs: ISEVEN(-1) FALSE, ISEVEN(2.5) TRUE, ISEVEN(5) FALSE, ISEVEN(0) TRUE.
            ("ISEVEN", vec![n(-1.0)], no()),
            ("ISEVEN", vec![n(2.5)], yes()),
            ("ISEVEN", vec![n(5.0)], no()),
            ("ISEVEN", vec![n(0.0)], yes()),
            // Docs: ISODD(-1) TRUE, ISODD(2.5) FALSE, ISODD(5) TRUE.
            ("ISODD", vec![n(-1.0)], yes()),
            ("ISODD", vec![n(2.5)], no()),
            ("ISODD", vec![n(5.0)], yes()),
            ("ISEVEN", vec![r("Z9")], yes()),
            ("ISEVEN", vec![t("4")], yes()),
            ("ISEVEN", vec![b(true)], err(VALUE)),
            ("ISODD", vec![t("x")], err(VALUE)),
        ],
    );
}

#[test]
fn n_type_error_type_na() {
    let ctx = book();
    let matrix = arr(vec![vec![num(1.0), num(2.0)], vec![num(3.0), num(4.0)]]);
    check(
        &ctx,
        vec![
            // Docs (N): 7 → 7, "Even" → 0, TRUE → 1.
            ("N", vec![n(7.0)], num(7.0)),
            ("N", vec![t("Even")], num(0.0)),
            ("N", vec![b(true)], num(1.0)),
            ("N", vec![e(Div0)], err(Div0)),
            ("N", vec![r("Z1")], num(0.0)),
            // Docs (TYPE): text 2, an error 16, an array constant 64.
            ("TYPE", vec![t("Smith")], num(2.0)),
            ("TYPE", vec![e(VALUE)], num(16.0)),
            ("TYPE", vec![matrix], num(64.0)),
            ("TYPE", vec![n(1.0)], num(1.0)),
            ("TYPE", vec![b(false)], num(4.0)),
            ("TYPE", vec![r("Z1")], num(1.0)),
            // Docs (ERROR.TYPE): #NULL! is 1; a non-error is #N/A.
            ("ERROR.TYPE", vec![e(Null)], num(1.0)),
            ("ERROR.TYPE", vec![e(Div0)], num(2.0)),
            ("ERROR.TYPE", vec![e(Name)], num(5.0)),
            ("ERROR.TYPE", vec![e(NA)], num(7.0)),
            ("ERROR.TYPE", vec![n(1.0)], err(NA)),
            ("NA", vec![], err(NA)),
        ],
    );
}

#[test]
fn scalar_tests_map_over_ranges() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(1.0), Value::text("a")]);
    let expected = arr(vec![vec![yes()], vec![no()], vec![no()]]);
    let crate::reference::Operand::Value(expected) = expected else { unreachable!() };
    check(&ctx, vec![("ISNUMBER", vec![r("A1:A3")], expected)]);
}

/// Excel's cached values in calc_test_no_export/tables.xlsx (Sheet1!D5,
/// D6, Escape!E17, WithHeaders!A23) and Microsoft's SHEETS page.
#[test]
fn sheet_and_sheets() {
    use crate::reference::{CellAddr, Operand, RangeRef, Reference};
    use std::sync::Arc;
    let mut ctx = crate::testing::MapContext::new(&["WithHeaders", "Sheet1", "Hidden", "Filters"]);
    ctx.at(CellAddr::new(1, 4, 3));
    let on = |sheet| Operand::Ref(Reference::Range(RangeRef::cell(CellAddr::new(sheet, 0, 0))));
    assert_eq!(eval(&ctx, "SHEET", vec![]), num(2.0));
    assert_eq!(eval(&ctx, "SHEET", vec![t("Hidden")]), num(3.0));
    assert_eq!(eval(&ctx, "SHEET", vec![t("filters")]), num(4.0));
    assert_eq!(eval(&ctx, "SHEET", vec![n(1.0)]), err(NA));
    assert_eq!(eval(&ctx, "SHEET", vec![t("Nowhere")]), err(NA));
    assert_eq!(eval(&ctx, "SHEET", vec![on(0)]), num(1.0));
    assert_eq!(eval(&ctx, "SHEET", vec![e(Name)]), err(Name));
    assert_eq!(eval(&ctx, "SHEETS", vec![]), num(4.0));
    assert_eq!(eval(&ctx, "SHEETS", vec![on(2)]), num(1.0));
    let areas = [0, 1, 2].map(|s| RangeRef::cell(CellAddr::new(s, 0, 0)));
    let three_d = Operand::Ref(Reference::Union(Arc::from(areas)));
    assert_eq!(eval(&ctx, "SHEETS", vec![three_d]), num(3.0));
}

/// Excel's cached values in calc_tests/INFORMATION/CELL.xlsx.
#[test]
fn cell_address_row_col_contents_type() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(3.4), Value::text("x"), err(Div0)]);
    check(
        &ctx,
        vec![
            ("CELL", vec![t("address"), r("A2")], Value::text("$A$2")),
            ("CELL", vec![t("address"), r("A2:A4")], Value::text("$A$2")),
            ("CELL", vec![t("col"), r("C8:D9")], num(3.0)),
            ("CELL", vec![t("row"), r("A11:A21")], num(11.0)),
            ("CELL", vec![t("contents"), r("A1")], num(3.4)),
            ("CELL", vec![t("contents"), r("A3")], err(Div0)),
            ("CELL", vec![t("contents"), r("B5")], num(0.0)),
            ("CELL", vec![t("type"), r("B5")], Value::text("b")),
            ("CELL", vec![t("TYPE"), r("A2")], Value::text("l")),
            ("CELL", vec![t("type"), r("A1")], Value::text("v")),
            ("CELL", vec![t("hello")], err(VALUE)),
            ("CELL", vec![b(true)], err(VALUE)),
            ("CELL", vec![n(2.0)], err(VALUE)),
            ("CELL", vec![t("")], err(VALUE)),
        ],
    );
}
