//! Tests of the database functions on Microsoft's orchard example (the
//! DSUM … DVARP documentation) and on cases from the corpus workbook
//! `calc_tests/DATABASE/DCOUNT_DCOUNTA_DGET_DPRODUCT.xlsx`.

use super::DatabaseFn::{self, *};
use crate::functions::{call, Function};
use crate::reference::{Operand, RangeRef, Reference};
use crate::testing::MapContext;
use crate::value::{ExcelError, Value};

/// Microsoft's example: criteria in A1:F3, the database in A5:E11.
fn orchard() -> MapContext {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let header = ["Tree", "Height", "Age", "Yield", "Profit", "Height"];
    for (col, label) in header.iter().enumerate() {
        ctx.set(0, 0, col as u32, Value::text(*label));
    }
    ctx.set(0, 1, 0, Value::text("=Apple"));
    ctx.set(0, 1, 1, Value::text(">10"));
    ctx.set(0, 1, 5, Value::text("<16"));
    ctx.set(0, 2, 0, Value::text("=Pear"));
    for (col, label) in header.iter().take(5).enumerate() {
        ctx.set(0, 4, col as u32, Value::text(*label));
    }
    let rows: [(&str, [f64; 4]); 6] = [
        ("Apple", [18.0, 20.0, 14.0, 105.0]),
        ("Pear", [12.0, 12.0, 10.0, 96.0]),
        ("Cherry", [13.0, 14.0, 9.0, 105.0]),
        ("Apple", [14.0, 15.0, 10.0, 75.0]),
        ("Pear", [9.0, 8.0, 8.0, 76.8]),
        ("Apple", [8.0, 9.0, 6.0, 45.0]),
    ];
    for (i, (tree, numbers)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        ctx.set(0, r, 0, Value::text(*tree));
        for (c, x) in numbers.iter().enumerate() {
            ctx.set(0, r, 1 + c as u32, Value::Number(*x));
        }
    }
    ctx
}

fn range(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Operand {
    Operand::Ref(Reference::Range(RangeRef { sheet: 0, first_row, first_col, last_row, last_col }))
}

fn eval(ctx: &MapContext, f: DatabaseFn, field: Value, criteria: Operand) -> Value {
    let args = vec![range(4, 0, 10, 4), Operand::Value(field), criteria];
    call(Function::Database(f), args, ctx).to_value(ctx)
}

fn t(s: &str) -> Value {
    Value::text(s)
}

fn close(actual: Value, expected: f64, tolerance: f64) {
    match actual {
        Value::Number(x) => assert!((x - expected).abs() <= tolerance, "{x} != {expected}"),
        other => panic!("expected {expected}, got {other:?}"),
    }
}

#[test]
fn documented_orchard_examples() {
    let ctx = orchard();
    // Apple trees 10 to 16 high: one age; any apple or pear: profit 105;
    // those apples or any pear: 96.
    assert_eq!(eval(&ctx, DCount, t("Age"), range(0, 0, 1, 5)), Value::Number(1.0));
    assert_eq!(eval(&ctx, DMax, t("Profit"), range(0, 0, 2, 0)), Value::Number(105.0));
    assert_eq!(eval(&ctx, DMax, t("Profit"), range(0, 0, 2, 5)), Value::Number(96.0));
    assert_eq!(eval(&ctx, DMin, t("Profit"), range(0, 0, 1, 1)), Value::Number(75.0));
    assert_eq!(eval(&ctx, DSum, t("Profit"), range(0, 0, 1, 0)), Value::Number(225.0));
    assert_eq!(eval(&ctx, DSum, t("Profit"), range(0, 0, 1, 5)), Value::Number(75.0));
    assert_eq!(eval(&ctx, DProduct, t("Yield"), range(0, 0, 1, 5)), Value::Number(10.0));
    assert_eq!(eval(&ctx, DAverage, t("Yield"), range(0, 0, 1, 1)), Value::Number(12.0));
    assert_eq!(eval(&ctx, DAverage, Value::Number(3.0), range(4, 0, 10, 4)), Value::Number(13.0));
    close(eval(&ctx, DStDev, t("Yield"), range(0, 0, 2, 0)), 2.97, 5e-3);
    close(eval(&ctx, DStDevP, t("Yield"), range(0, 0, 2, 0)), 2.65, 5e-3);
    close(eval(&ctx, DVar, t("Yield"), range(0, 0, 2, 0)), 8.8, 1e-9);
    close(eval(&ctx, DVarP, t("Yield"), range(0, 0, 2, 0)), 7.04, 1e-9);
    assert_eq!(eval(&ctx, DGet, t("Yield"), range(0, 0, 2, 0)), Value::Error(ExcelError::Num));
}

#[test]
fn plain_text_criteria_match_prefixes() {
    // As in the corpus' "The one with Berlin" case: `Pe` selects the pears.
    let mut ctx = orchard();
    ctx.set(0, 20, 0, t("tree"));
    ctx.set(0, 21, 0, t("Pe"));
    assert_eq!(eval(&ctx, DCount, t("Age"), range(20, 0, 21, 0)), Value::Number(2.0));
    ctx.set(0, 21, 0, t("=Pe"));
    assert_eq!(eval(&ctx, DCount, t("Age"), range(20, 0, 21, 0)), Value::Number(0.0));
}

#[test]
fn fields_and_empty_selections() {
    let ctx = orchard();
    // A field position is truncated; 0 or a missing label is #VALUE!.
    assert_eq!(eval(&ctx, DSum, Value::Number(5.9), range(0, 0, 1, 0)), Value::Number(225.0));
    assert_eq!(
        eval(&ctx, DSum, Value::Number(0.0), range(0, 0, 1, 0)),
        Value::Error(ExcelError::Value)
    );
    assert_eq!(eval(&ctx, DSum, t("Weight"), range(0, 0, 1, 0)), Value::Error(ExcelError::Value));
    // Nothing selected: DAVERAGE divides by zero, DGET is #VALUE!, DMAX 0.
    let mut ctx = ctx;
    ctx.set(0, 21, 0, t("Plum"));
    ctx.set(0, 20, 0, t("Tree"));
    let none = || range(20, 0, 21, 0);
    assert_eq!(eval(&ctx, DAverage, t("Age"), none()), Value::Error(ExcelError::Div0));
    assert_eq!(eval(&ctx, DGet, t("Age"), none()), Value::Error(ExcelError::Value));
    assert_eq!(eval(&ctx, DMax, t("Age"), none()), Value::Number(0.0));
    ctx.set(0, 21, 0, t("Cherry"));
    assert_eq!(eval(&ctx, DGet, t("Age"), none()), Value::Number(14.0));
    // A database of its header row only is #VALUE!.
    let args = vec![range(4, 0, 4, 4), Operand::Value(t("Age")), none()];
    let header_only = call(Function::Database(DCount), args, &ctx).to_value(&ctx);
    assert_eq!(header_only, Value::Error(ExcelError::Value));
}
