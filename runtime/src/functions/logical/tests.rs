//! Logical function tests. Expected values come from the examples of
//! Microsoft's function reference unless a comment says otherwise.

use crate::functions::math::test_support::*;
use crate::ops::{binary, BinaryOp};
use crate::reference::Operand;
use crate::value::ExcelError::{Div0, Value as VALUE, NA};
use crate::value::Value;

fn text(s: &str) -> Value {
    Value::text(s)
}

fn value_of(op: Operand) -> Value {
    match op {
        Operand::Value(v) => v,
        Operand::Ref(_) => panic!("expected a value"),
    }
}

#[test]
fn if_scalar_branches() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(50.0), text("Red"), Value::Empty]);
    check(
        &ctx,
        vec![
            ("IF", vec![b(true), t("Yes"), t("No")], text("Yes")),
            ("IF", vec![n(0.0), t("Yes"), t("No")], text("No")),
            ("IF", vec![n(0.0), t("Yes")], Value::Bool(false)),
            // An omitted branch is 0: =IF(TRUE,,1).
            ("IF", vec![b(true), Operand::Value(Value::Empty), n(1.0)], num(0.0)),
            ("IF", vec![t("TRUE"), n(1.0), n(2.0)], num(1.0)),
            ("IF", vec![t("abc"), n(1.0), n(2.0)], err(VALUE)),
            ("IF", vec![e(Div0), n(1.0), n(2.0)], err(Div0)),
            ("IF", vec![r("A3"), n(1.0), n(2.0)], num(2.0)),
            // The chosen branch is returned as it is, here a reference.
            ("IF", vec![b(true), r("A2"), n(2.0)], text("Red")),
        ],
    );
    let f = crate::functions::Function::from_name("IF").unwrap();
    let chosen = crate::functions::call(f, vec![b(true), r("A1:A3"), n(0.0)], &ctx);
    assert_eq!(chosen, r("A1:A3"));
}

#[test]
fn if_with_an_array_condition_works_element_by_element() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(1.0), num(2.0), num(3.0)]);
    column(&mut ctx, "B1", vec![num(10.0), num(20.0), num(30.0)]);
    // =SUMPRODUCT(IF(A1:A3>1,1,0)) in an array formula is 2.
    let test = Operand::Value(binary(BinaryOp::Gt, &r("A1:A3").to_value(&ctx), &num(1.0)));
    let mask = value_of(crate::functions::call(
        crate::functions::Function::from_name("IF").unwrap(),
        vec![test.clone(), n(1.0), n(0.0)],
        &ctx,
    ));
    let column_of = |vals: Vec<Value>| arr(vals.into_iter().map(|v| vec![v]).collect());
    check(
        &ctx,
        vec![
            ("SUMPRODUCT", vec![Operand::Value(mask)], num(2.0)),
            // Array branches are indexed at the condition's position.
            (
                "IF",
                vec![test.clone(), r("B1:B3"), n(0.0)],
                value_of(column_of(vec![num(0.0), num(20.0), num(30.0)])),
            ),
            (
                "IF",
                vec![test, n(1.0)],
                value_of(column_of(vec![Value::Bool(false), num(1.0), num(1.0)])),
            ),
            (
                "IF",
                vec![
                    arr(vec![vec![Value::Bool(true), Value::Bool(false)]]),
                    arr(vec![vec![num(1.0), num(2.0)]]),
                    arr(vec![vec![num(3.0), num(4.0)]]),
                ],
                value_of(arr(vec![vec![num(1.0), num(4.0)]])),
            ),
            // Past the edge of a smaller branch array the element is #N/A.
            (
                "IF",
                vec![
                    arr(vec![vec![Value::Bool(true), Value::Bool(true), Value::Bool(false)]]),
                    arr(vec![vec![num(1.0), num(2.0)]]),
                    n(0.0),
                ],
                value_of(arr(vec![vec![num(1.0), num(2.0), num(0.0)]])),
            ),
            (
                "IF",
                vec![
                    arr(vec![vec![Value::Bool(true), Value::Bool(true), Value::Bool(true)]]),
                    arr(vec![vec![num(1.0), num(2.0)]]),
                    n(0.0),
                ],
                value_of(arr(vec![vec![num(1.0), num(2.0), err(NA)]])),
            ),
            (
                "IF",
                vec![arr(vec![vec![num(1.0), err(Div0), text("x")]]), n(1.0), n(2.0)],
                value_of(arr(vec![vec![num(1.0), err(Div0), err(VALUE)]])),
            ),
        ],
    );
}

#[test]
fn ifs_and_switch() {
    let ctx = book();
    let grade = |score: f64| {
        vec![
            Operand::Value(Value::Bool(score > 89.0)),
            t("A"),
            Operand::Value(Value::Bool(score > 79.0)),
            t("B"),
            Operand::Value(Value::Bool(score > 69.0)),
            t("C"),
        ]
    };
    check(
        &ctx,
        vec![
            // A grading scale: above 89 an A, above 79 a B, above 69 a C.
            ("IFS", grade(93.0), text("A")),
            ("IFS", grade(79.0), text("C")),
            ("IFS", grade(12.0), err(NA)),
            ("IFS", vec![b(false), n(1.0), e(Div0), n(2.0)], err(Div0)),
            // A weekday number picks its name; no match without a default is #N/A.
            ("SWITCH", vec![n(2.0), n(1.0), t("Sunday"), n(2.0), t("Monday")], text("Monday")),
            ("SWITCH", vec![n(99.0), n(1.0), t("Sunday"), n(2.0), t("Monday")], err(NA)),
            ("SWITCH", vec![n(99.0), n(1.0), t("Sunday"), t("No match")], text("No match")),
            ("SWITCH", vec![t("A"), t("a"), n(1.0), n(2.0)], num(1.0)),
            ("SWITCH", vec![t("1"), n(1.0), t("number"), t("text")], text("text")),
            ("SWITCH", vec![e(NA), n(1.0), n(2.0)], err(NA)),
        ],
    );
}

#[test]
fn iferror_and_ifna() {
    let ctx = book();
    let quotient = |a: f64, b: f64| Operand::Value(binary(BinaryOp::Div, &num(a), &num(b)));
    check(
        &ctx,
        vec![
            // Docs (IFERROR): 210/35 is 6; 55/0 gives the fallback text.
            ("IFERROR", vec![quotient(210.0, 35.0), t("Error in calculation")], num(6.0)),
            (
                "IFERROR",
                vec![quotient(55.0, 0.0), t("Error in calculation")],
                text("Error in calculation"),
            ),
            ("IFERROR", vec![t(""), n(1.0)], text("")),
            ("IFNA", vec![e(NA), t("Not found")], text("Not found")),
            ("IFNA", vec![e(Div0), t("Not found")], err(Div0)),
            ("IFNA", vec![n(3.0), t("Not found")], num(3.0)),
            (
                "IFERROR",
                vec![arr(vec![vec![num(1.0), err(Div0)]]), n(0.0)],
                value_of(arr(vec![vec![num(1.0), num(0.0)]])),
            ),
        ],
    );
}

#[test]
fn and_or_xor_not() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![Value::Bool(true), text("x"), num(1.0), Value::Empty]);
    column(&mut ctx, "B1", vec![text("TRUE"), Value::Empty]);
    column(&mut ctx, "C1", vec![Value::Bool(true), err(NA)]);
    check(
        &ctx,
        vec![
            ("AND", vec![b(true), b(true)], Value::Bool(true)),
            ("AND", vec![b(true), b(false)], Value::Bool(false)),
            ("AND", vec![n(2.0), n(1.0)], Value::Bool(true)),
            ("OR", vec![b(false), n(0.0)], Value::Bool(false)),
            ("OR", vec![b(false), n(3.0)], Value::Bool(true)),
            // Text and empty cells in references are skipped.
            ("AND", vec![r("A1:A4")], Value::Bool(true)),
            // A reference holding no logical value at all is #VALUE!.
            ("AND", vec![r("B1:B2")], err(VALUE)),
            ("OR", vec![r("Z1:Z9")], err(VALUE)),
            // Direct text must read TRUE or FALSE.
            ("AND", vec![t("true"), b(true)], Value::Bool(true)),
            ("AND", vec![t("x"), b(true)], err(VALUE)),
            ("OR", vec![r("C1:C2")], err(NA)),
            // Docs (XOR): =XOR(3>0,2<9) is FALSE, =XOR(3>12,4>6) is FALSE.
            ("XOR", vec![b(true), b(true)], Value::Bool(false)),
            ("XOR", vec![b(false), b(false)], Value::Bool(false)),
            ("XOR", vec![b(true), b(false), b(true), b(true)], Value::Bool(true)),
            ("AND", vec![arr(vec![vec![Value::Bool(true), text("x")]])], Value::Bool(true)),
            ("NOT", vec![b(false)], Value::Bool(true)),
            ("NOT", vec![n(5.0)], Value::Bool(false)),
            ("NOT", vec![t("x")], err(VALUE)),
            ("TRUE", vec![], Value::Bool(true)),
            ("FALSE", vec![], Value::Bool(false)),
        ],
    );
}

#[test]
fn empty_text_is_skipped_by_and_or_xor() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Excel: calc_tests/LOGICAL/AND_OR_XOR.xlsx 'AND XOR OR'!C52:E53.
            ("OR", vec![t(""), b(true)], Value::Bool(true)),
            ("OR", vec![t(""), b(false)], Value::Bool(false)),
            ("XOR", vec![t(""), b(true)], Value::Bool(true)),
            ("XOR", vec![t(""), b(false)], Value::Bool(false)),
            ("AND", vec![t(""), b(true)], Value::Bool(true)),
            ("AND", vec![t(""), b(false)], Value::Bool(false)),
            // C51 and C46: nothing but "" is #VALUE!, as is C49's "0".
            ("OR", vec![t(""), t("")], Value::Error(VALUE)),
            ("AND", vec![t("")], Value::Error(VALUE)),
            ("OR", vec![t("0")], Value::Error(VALUE)),
        ],
    );
}
