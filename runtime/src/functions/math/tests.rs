//! Math function tests. Expected values come from the examples of
//! Microsoft's function reference unless a comment says otherwise.
#![allow(clippy::approx_constant, reason = "the documented examples use 3.14159 and 2.7182818")]

use super::test_support::*;
use crate::ops::{binary, BinaryOp};
use crate::reference::{Context, Operand};
use crate::value::ExcelError::{Div0, Num, Value as VALUE, NA};
use crate::value::Value;

/// The SUMIF documentation's two tables: property values with commissions
/// in A2:B5 (C2 holds 250000), and categories, foods and sales in E2:G7.
fn sumif_book() -> crate::testing::MapContext {
    let mut ctx = book();
    let v = |x: f64| Value::Number(x);
    fill(
        &mut ctx,
        "A2",
        vec![
            vec![v(100000.0), v(7000.0), v(250000.0)],
            vec![v(200000.0), v(14000.0)],
            vec![v(300000.0), v(21000.0)],
            vec![v(400000.0), v(28000.0)],
        ],
    );
    let rows = [
        ("Vegetables", "Tomatoes", 2300.0),
        ("Vegetables", "Celery", 5500.0),
        ("Fruits", "Oranges", 800.0),
        ("", "Butter", 400.0),
        ("Vegetables", "Carrots", 4200.0),
        ("Fruits", "Apples", 1200.0),
    ];
    let table = rows
        .iter()
        .map(|(cat, food, sales)| {
            let cat = if cat.is_empty() { Value::Empty } else { Value::text(cat) };
            vec![cat, Value::text(food), v(*sales)]
        })
        .collect();
    fill(&mut ctx, "E2", table);
    ctx
}

#[test]
fn sum_follows_documented_rules() {
    let mut ctx = book();
    column(
        &mut ctx,
        "A1",
        vec![num(-5.0), num(15.0), num(30.0), Value::text("5"), Value::Bool(true)],
    );
    check(
        &ctx,
        vec![
            // Docs: =SUM(A2:A4) with -5, 15, 30 is 40; =SUM(A2:A3,15) is 25.
            ("SUM", vec![r("A1:A3")], num(40.0)),
            ("SUM", vec![r("A1:A2"), n(15.0)], num(25.0)),
            // Text and booleans in references are skipped...
            ("SUM", vec![r("A1:A5")], num(40.0)),
            // ...but given directly they are converted ("5" and TRUE count).
            ("SUM", vec![t("5"), n(15.0), b(true)], num(21.0)),
            ("SUM", vec![t("3"), r("A4")], num(3.0)),
            ("SUM", vec![t("abc")], err(VALUE)),
            ("SUM", vec![r("A:A")], num(40.0)),
            ("SUM", vec![r("Z1:Z9")], num(0.0)),
            ("SUM", vec![arr(vec![vec![num(1.0), Value::text("2"), Value::Bool(true)]])], num(1.0)),
        ],
    );
}

#[test]
fn errors_in_ranges_propagate_first_in_order() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(1.0), err(NA), err(Div0)]);
    check(
        &ctx,
        vec![
            ("SUM", vec![r("A1:A3")], err(NA)),
            ("SUM", vec![e(Div0), r("A1:A3")], err(Div0)),
            ("PRODUCT", vec![r("A1:A3")], err(NA)),
            ("SUMSQ", vec![r("A1:A2")], err(NA)),
        ],
    );
}

#[test]
fn product_and_sumsq() {
    let mut ctx = book();
    column(&mut ctx, "A2", vec![num(5.0), num(15.0), num(30.0)]);
    check(
        &ctx,
        vec![
            // Docs: =PRODUCT(A2:A4) is 2250; =PRODUCT(A2:A4,2) is 4500.
            ("PRODUCT", vec![r("A2:A4")], num(2250.0)),
            ("PRODUCT", vec![r("A2:A4"), n(2.0)], num(4500.0)),
            ("PRODUCT", vec![r("B1:B3")], num(0.0)),
            // Docs: =SUMSQ(3,4) is 25.
            ("SUMSQ", vec![n(3.0), n(4.0)], num(25.0)),
        ],
    );
}

#[test]
fn sumif_documented_examples() {
    let ctx = sumif_book();
    let c2 = r("C2").to_value(&ctx);
    let above_c2 =
        crate::reference::Operand::Value(binary(BinaryOp::Concat, &Value::text(">"), &c2));
    check(
        &ctx,
        vec![
            ("SUMIF", vec![r("A2:A5"), t(">160000"), r("B2:B5")], num(63000.0)),
            ("SUMIF", vec![r("A2:A5"), t(">160000")], num(900000.0)),
            ("SUMIF", vec![r("A2:A5"), n(300000.0), r("B2:B5")], num(21000.0)),
            // Docs: =SUMIF(A2:A5,">"&C2,B2:B5) with C2 holding 250000.
            ("SUMIF", vec![r("A2:A5"), above_c2, r("B2:B5")], num(49000.0)),
            ("SUMIF", vec![r("E2:E7"), t("Fruits"), r("G2:G7")], num(2000.0)),
            ("SUMIF", vec![r("E2:E7"), t("Vegetables"), r("G2:G7")], num(12000.0)),
            ("SUMIF", vec![r("F2:F7"), t("*es"), r("G2:G7")], num(4300.0)),
            ("SUMIF", vec![r("E2:E7"), t(""), r("G2:G7")], num(400.0)),
            // The sum range takes the criteria range's shape from its corner.
            ("SUMIF", vec![r("E2:E7"), t("fruits"), r("G2")], num(2000.0)),
            ("SUMIF", vec![r("E:E"), t("Fruits"), r("G:G")], num(2000.0)),
            // An array sum range larger than the criteria range is cut to it.
            (
                "SUMIF",
                vec![
                    r("A2:A3"),
                    t(">0"),
                    arr(vec![vec![num(1.0)], vec![num(2.0)], vec![num(4.0)]]),
                ],
                num(3.0),
            ),
        ],
    );
}

#[test]
fn sumifs_and_shapes() {
    let mut ctx = book();
    // Docs (SUMIFS): quantities, products and salespeople.
    let rows = [
        (5.0, "Apples", "Tom"),
        (4.0, "Apples", "Sarah"),
        (15.0, "Artichokes", "Tom"),
        (3.0, "Artichokes", "Sarah"),
        (22.0, "Bananas", "Tom"),
        (12.0, "Bananas", "Sarah"),
        (10.0, "Carrots", "Tom"),
        (33.0, "Carrots", "Sarah"),
    ];
    let table =
        rows.iter().map(|(q, p, s)| vec![num(*q), Value::text(p), Value::text(s)]).collect();
    fill(&mut ctx, "A2", table);
    check(
        &ctx,
        vec![
            // Docs: products starting with "A" sold by Tom: 20.
            ("SUMIFS", vec![r("A2:A9"), r("B2:B9"), t("=A*"), r("C2:C9"), t("Tom")], num(20.0)),
            // Docs: products that are not bananas sold by Tom: 30.
            (
                "SUMIFS",
                vec![r("A2:A9"), r("B2:B9"), t("<>Bananas"), r("C2:C9"), t("Tom")],
                num(30.0),
            ),
            ("SUMIFS", vec![r("A2:A9"), r("B2:B8"), t("=A*")], err(VALUE)),
            ("SUMIFS", vec![r("A:A"), r("B:B"), t("Carrots")], num(43.0)),
        ],
    );
}

#[test]
fn sumproduct_with_broadcast_arrays() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![Value::text("x"), Value::text("y"), Value::text("X")]);
    column(&mut ctx, "B1", vec![num(10.0), num(20.0), num(30.0)]);
    column(&mut ctx, "C1", vec![num(2.0), Value::text("t"), num(4.0)]);
    // =SUMPRODUCT((A1:A3="x")*(B1:B3)): the comparison is case-insensitive.
    let is_x = binary(BinaryOp::Eq, &r("A1:A3").to_value(&ctx), &Value::text("x"));
    let masked = binary(BinaryOp::Mul, &is_x, &r("B1:B3").to_value(&ctx));
    let masked = crate::reference::Operand::Value(masked);
    check(
        &ctx,
        vec![
            ("SUMPRODUCT", vec![masked], num(40.0)),
            // Text counts as 0: 10*2 + 20*0 + 30*4.
            ("SUMPRODUCT", vec![r("B1:B3"), r("C1:C3")], num(140.0)),
            ("SUMPRODUCT", vec![r("B1:B3"), r("C1:C2")], err(VALUE)),
            ("SUMPRODUCT", vec![r("B:B"), r("C:C")], num(140.0)),
            (
                "SUMPRODUCT",
                vec![r("B1:B3"), arr(vec![vec![num(1.0)], vec![err(NA)], vec![num(1.0)]])],
                err(NA),
            ),
        ],
    );
    assert_eq!(ctx.used_extent(0), (3, 3));
}

#[test]
fn rounding_family() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Docs (ROUND): 2.15 → 2.2, 2.149 → 2.1, -1.475 → -1.48, 21.5 to -1 → 20,
            // 626.3 to -3 → 1000, 1.98 to -1 → 0, -50.55 to -2 → -100.
            ("ROUND", vec![n(2.15), n(1.0)], num(2.2)),
            ("ROUND", vec![n(2.149), n(1.0)], num(2.1)),
            ("ROUND", vec![n(-1.475), n(2.0)], num(-1.48)),
            ("ROUND", vec![n(21.5), n(-1.0)], num(20.0)),
            ("ROUND", vec![n(626.3), n(-3.0)], num(1000.0)),
            ("ROUND", vec![n(1.98), n(-1.0)], num(0.0)),
            ("ROUND", vec![n(-50.55), n(-2.0)], num(-100.0)),
            ("ROUND", vec![n(2.675), n(2.0)], num(2.68)),
            ("ROUND", vec![t("2.5"), n(0.0)], num(3.0)),
            ("ROUND", vec![t("x"), n(0.0)], err(VALUE)),
            // Docs (ROUNDUP): 3.2 → 4, 76.9 → 77, 3.14159 to 3 → 3.142,
            // -3.14159 to 1 → -3.2, 31415.92654 to -2 → 31500.
            ("ROUNDUP", vec![n(3.2), n(0.0)], num(4.0)),
            ("ROUNDUP", vec![n(76.9), n(0.0)], num(77.0)),
            ("ROUNDUP", vec![n(3.14159), n(3.0)], num(3.142)),
            ("ROUNDUP", vec![n(-3.14159), n(1.0)], num(-3.2)),
            ("ROUNDUP", vec![n(31415.92654), n(-2.0)], num(31500.0)),
            // Docs (ROUNDDOWN): 3.2 → 3, 76.9 → 76, 3.14159 to 3 → 3.141,
            // -3.14159 to 1 → -3.1, 31415.92654 to -2 → 31400.
            ("ROUNDDOWN", vec![n(3.2), n(0.0)], num(3.0)),
            ("ROUNDDOWN", vec![n(76.9), n(0.0)], num(76.0)),
            ("ROUNDDOWN", vec![n(3.14159), n(3.0)], num(3.141)),
            ("ROUNDDOWN", vec![n(-3.14159), n(1.0)], num(-3.1)),
            ("ROUNDDOWN", vec![n(31415.92654), n(-2.0)], num(31400.0)),
            // Docs (TRUNC): 8.9 → 8, -8.9 → -8, 0.45 → 0.
            ("TRUNC", vec![n(8.9)], num(8.0)),
            ("TRUNC", vec![n(-8.9)], num(-8.0)),
            ("TRUNC", vec![n(0.45)], num(0.0)),
            // Docs (INT): 8.9 → 8, -8.9 → -9.
            ("INT", vec![n(8.9)], num(8.0)),
            ("INT", vec![n(-8.9)], num(-9.0)),
        ],
    );
    // ROUND must give the exact double of the decimal, not merely a close one.
    assert_eq!(eval(&ctx, "ROUND", vec![n(2.675), n(2.0)]), Value::Number(2.68));
    assert_eq!(eval(&ctx, "ROUND", vec![n(1.005), n(2.0)]), Value::Number(1.01));
    assert_eq!(eval(&ctx, "ROUNDUP", vec![n(0.1 + 0.2), n(1.0)]), Value::Number(0.3));
}

#[test]
fn ceiling_floor_and_mround() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Docs (CEILING).
            ("CEILING", vec![n(2.5), n(1.0)], num(3.0)),
            ("CEILING", vec![n(-2.5), n(-2.0)], num(-4.0)),
            ("CEILING", vec![n(-2.5), n(2.0)], num(-2.0)),
            ("CEILING", vec![n(1.5), n(0.1)], num(1.5)),
            ("CEILING", vec![n(0.234), n(0.01)], num(0.24)),
            ("CEILING", vec![n(2.5), n(-2.0)], err(Num)),
            // Docs (FLOOR).
            ("FLOOR", vec![n(3.7), n(2.0)], num(2.0)),
            ("FLOOR", vec![n(-2.5), n(-2.0)], num(-2.0)),
            ("FLOOR", vec![n(2.5), n(-2.0)], err(Num)),
            ("FLOOR", vec![n(1.58), n(0.1)], num(1.5)),
            ("FLOOR", vec![n(0.234), n(0.01)], num(0.23)),
            ("FLOOR", vec![n(2.5), n(0.0)], err(Div0)),
            // Docs (CEILING.MATH).
            ("CEILING.MATH", vec![n(24.3), n(5.0)], num(25.0)),
            ("CEILING.MATH", vec![n(6.7)], num(7.0)),
            ("CEILING.MATH", vec![n(-8.1), n(2.0)], num(-8.0)),
            ("CEILING.MATH", vec![n(-5.5), n(2.0), n(-1.0)], num(-6.0)),
            // Docs (FLOOR.MATH).
            ("FLOOR.MATH", vec![n(24.3), n(5.0)], num(20.0)),
            ("FLOOR.MATH", vec![n(6.7)], num(6.0)),
            ("FLOOR.MATH", vec![n(-8.1), n(2.0)], num(-10.0)),
            ("FLOOR.MATH", vec![n(-5.5), n(2.0), n(-1.0)], num(-4.0)),
            // Docs (MROUND).
            ("MROUND", vec![n(10.0), n(3.0)], num(9.0)),
            ("MROUND", vec![n(-10.0), n(-3.0)], num(-9.0)),
            ("MROUND", vec![n(1.3), n(0.2)], num(1.4)),
            ("MROUND", vec![n(5.0), n(-2.0)], err(Num)),
            // Docs (EVEN, ODD).
            ("EVEN", vec![n(1.5)], num(2.0)),
            ("EVEN", vec![n(3.0)], num(4.0)),
            ("EVEN", vec![n(2.0)], num(2.0)),
            ("EVEN", vec![n(-1.0)], num(-2.0)),
            ("ODD", vec![n(1.5)], num(3.0)),
            ("ODD", vec![n(3.0)], num(3.0)),
            ("ODD", vec![n(2.0)], num(3.0)),
            ("ODD", vec![n(-1.0)], num(-1.0)),
            ("ODD", vec![n(-2.0)], num(-3.0)),
        ],
    );
}

#[test]
fn arithmetic_functions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Docs (MOD): 3,2 → 1; -3,2 → 1; 3,-2 → -1; -3,-2 → -1.
            ("MOD", vec![n(3.0), n(2.0)], num(1.0)),
            ("MOD", vec![n(-3.0), n(2.0)], num(1.0)),
            ("MOD", vec![n(3.0), n(-2.0)], num(-1.0)),
            ("MOD", vec![n(-3.0), n(-2.0)], num(-1.0)),
            ("MOD", vec![n(3.0), n(0.0)], err(Div0)),
            // Docs (QUOTIENT): 5/2 → 2, 4.5/3.1 → 1, -10/3 → -3.
            ("QUOTIENT", vec![n(5.0), n(2.0)], num(2.0)),
            ("QUOTIENT", vec![n(4.5), n(3.1)], num(1.0)),
            ("QUOTIENT", vec![n(-10.0), n(3.0)], num(-3.0)),
            ("QUOTIENT", vec![n(1.0), n(0.0)], err(Div0)),
            // Docs (ABS, SIGN, SQRT, POWER).
            ("ABS", vec![n(-4.0)], num(4.0)),
            ("SIGN", vec![n(10.0)], num(1.0)),
            ("SIGN", vec![n(0.0)], num(0.0)),
            ("SIGN", vec![n(-0.00001)], num(-1.0)),
            ("SQRT", vec![n(16.0)], num(4.0)),
            ("SQRT", vec![n(-16.0)], err(Num)),
            ("POWER", vec![n(5.0), n(2.0)], num(25.0)),
            ("POWER", vec![n(98.6), n(3.2)], num(2401077.222)),
            ("POWER", vec![n(4.0), n(1.25)], num(5.656854249)),
            ("POWER", vec![n(0.0), n(0.0)], err(Num)),
            // Docs (FACT): 5 → 120, 1.9 → 1, 0 → 1, -1 → #NUM!, 1 → 1.
            ("FACT", vec![n(5.0)], num(120.0)),
            ("FACT", vec![n(1.9)], num(1.0)),
            ("FACT", vec![n(0.0)], num(1.0)),
            ("FACT", vec![n(-1.0)], err(Num)),
            ("FACT", vec![n(171.0)], err(Num)),
            // Docs (GCD, LCM).
            ("GCD", vec![n(5.0), n(2.0)], num(1.0)),
            ("GCD", vec![n(24.0), n(36.0)], num(12.0)),
            ("GCD", vec![n(7.0), n(1.0)], num(1.0)),
            ("GCD", vec![n(5.0), n(0.0)], num(5.0)),
            ("GCD", vec![n(-5.0), n(2.0)], err(Num)),
            ("LCM", vec![n(5.0), n(2.0)], num(10.0)),
            ("LCM", vec![n(24.0), n(36.0)], num(72.0)),
        ],
    );
}

#[test]
fn logarithms_and_trigonometry() {
    let ctx = book();
    let pi = std::f64::consts::PI;
    check(
        &ctx,
        vec![
            ("PI", vec![], num(pi)),
            // Docs (EXP, LN, LOG, LOG10).
            ("EXP", vec![n(1.0)], num(std::f64::consts::E)),
            ("LN", vec![n(86.0)], num(4.454347296)),
            ("LN", vec![n(0.0)], err(Num)),
            ("LOG", vec![n(10.0)], num(1.0)),
            ("LOG", vec![n(8.0), n(2.0)], num(3.0)),
            ("LOG", vec![n(86.0), n(2.7182818)], num(4.4543473)),
            ("LOG", vec![n(8.0), n(1.0)], err(Div0)),
            ("LOG", vec![n(-8.0)], err(Num)),
            ("LOG10", vec![n(86.0)], num(1.934498451)),
            ("LOG10", vec![n(1e5)], num(5.0)),
            // Docs (SIN, COS, TAN, ATAN, ATAN2, DEGREES, RADIANS).
            ("SIN", vec![n(pi / 2.0)], num(1.0)),
            // Excel stores =SIN(PI()) as 1.22514845490862E-16.
            ("SIN", vec![n(pi)], num(1.22514845490862e-16)),
            ("SIN", vec![n(30.0 * pi / 180.0)], num(0.5)),
            ("COS", vec![n(1.047)], num(0.5001711)),
            ("TAN", vec![n(0.785)], num(0.99920399)),
            ("SIN", vec![n(134217728.0)], err(Num)),
            ("ATAN", vec![n(1.0)], num(0.785398163)),
            ("ATAN2", vec![n(1.0), n(1.0)], num(0.785398163)),
            ("ATAN2", vec![n(-1.0), n(-1.0)], num(-2.35619449)),
            ("ATAN2", vec![n(0.0), n(0.0)], err(Div0)),
            ("DEGREES", vec![n(pi)], num(180.0)),
            ("RADIANS", vec![n(270.0)], num(4.712389)),
        ],
    );
}

#[test]
fn trigonometry_stops_at_two_to_the_27() {
    let ctx = book();
    assert!(matches!(eval(&ctx, "COS", vec![n(134217727.0)]), Value::Number(_)));
    assert_eq!(eval(&ctx, "COS", vec![n(134217728.0)]), err(Num));
    assert_eq!(eval(&ctx, "TAN", vec![n(-134217728.0)]), err(Num));
}

#[test]
fn random_numbers_stay_in_range() {
    let ctx = book();
    for _ in 0..200 {
        let Value::Number(x) = eval(&ctx, "RAND", vec![]) else { panic!("RAND is a number") };
        assert!((0.0..1.0).contains(&x));
        let Value::Number(k) = eval(&ctx, "RANDBETWEEN", vec![n(-2.0), n(3.0)]) else {
            panic!("RANDBETWEEN is a number")
        };
        assert!((-2.0..=3.0).contains(&k) && k.fract() == 0.0);
    }
    assert_eq!(eval(&ctx, "RANDBETWEEN", vec![n(3.0), n(1.0)]), err(Num));
}

#[test]
fn subtotal_selects_aggregates() {
    let mut ctx = book();
    column(&mut ctx, "A2", vec![num(120.0), num(10.0), num(150.0), num(23.0)]);
    check(
        &ctx,
        vec![
            // Docs: =SUBTOTAL(9,A2:A5) is 303 and =SUBTOTAL(1,A2:A5) is 75.75.
            ("SUBTOTAL", vec![n(9.0), r("A2:A5")], num(303.0)),
            ("SUBTOTAL", vec![n(1.0), r("A2:A5")], num(75.75)),
            ("SUBTOTAL", vec![n(109.0), r("A2:A5")], num(303.0)),
            ("SUBTOTAL", vec![n(2.0), r("A:A")], num(4.0)),
            ("SUBTOTAL", vec![n(4.0), r("A2:A5")], num(150.0)),
            ("SUBTOTAL", vec![n(5.0), r("A2:A5")], num(10.0)),
            ("SUBTOTAL", vec![n(6.0), r("A2:A3")], num(1200.0)),
            ("SUBTOTAL", vec![n(12.0), r("A2:A5")], err(VALUE)),
            ("SUBTOTAL", vec![n(0.0), r("A2:A5")], err(VALUE)),
        ],
    );
}

/// SUBTOTAL skips nested SUBTOTAL cells and filtered rows; 101-111 also
/// skip rows hidden by hand (Excel: calc_test_no_export/tables.xlsx, sheets
/// "Hidden" and "filters").
#[test]
fn subtotal_skips_hidden_rows_and_nested_subtotals() {
    // Hidden!B2:B6: 2, 4 (row 3 hidden by hand), 2, 34, and the SUBTOTAL
    // B6 = 38.
    let mut ctx = book();
    column(&mut ctx, "B2", vec![num(2.0), num(4.0), num(2.0), num(34.0), num(38.0)]);
    ctx.hide_row(0, 2, false);
    ctx.mark_subtotal(crate::reference::CellAddr::new(0, 5, 1));
    // filters!D2:D6 (here D12:D16): 34, 1, 1, 4, 7 with all but the
    // second row filtered out.
    column(&mut ctx, "D12", vec![num(34.0), num(1.0), num(1.0), num(4.0), num(7.0)]);
    for row in [11, 13, 14, 15] {
        ctx.hide_row(0, row, true);
    }
    check(
        &ctx,
        vec![
            ("SUBTOTAL", vec![n(109.0), r("B2:B6")], num(38.0)),
            ("SUBTOTAL", vec![n(9.0), r("B2:B5")], num(42.0)),
            ("SUBTOTAL", vec![n(109.0), r("B6")], num(0.0)),
            ("SUM", vec![r("B2:B5")], num(42.0)),
            ("SUBTOTAL", vec![n(9.0), r("D12:D16")], num(1.0)),
            ("SUBTOTAL", vec![n(109.0), r("D12:D16")], num(1.0)),
        ],
    );
}

#[test]
fn scalar_parameters_map_over_arrays() {
    let ctx = book();
    let values = arr(vec![vec![num(1.4), num(-2.6)], vec![Value::text("x"), num(2.5)]]);
    let expected =
        crate::value::Array::new(2, 2, vec![num(1.0), num(-3.0), err(VALUE), num(3.0)]).unwrap();
    let expected = Value::Array(std::sync::Arc::new(expected));
    check(&ctx, vec![("ROUND", vec![values, n(0.0)], expected)]);
}

#[test]
fn mod_is_the_exact_remainder_of_the_doubles() {
    // Excel: calc_tests/MATH_AND_TRIGONOMETRY/MOD_QUOTIENT.xlsx DATEVALUE!C20,
    // C25, C26, C21 and C18.
    let ctx = book();
    let cases = [
        (10.0000000001, 0.1, 9.999945316252479e-11),
        (5.0, 1e-10, 9.999981783901343e-11),
        (5.0, -1e-10, -1.821609865774887e-16),
        (10.0000000001, -0.1, -0.09999999990000055),
        (-7.8, 2.3, 1.3999999999999995),
    ];
    for (x, d, expected) in cases {
        assert_eq!(eval(&ctx, "MOD", vec![n(x), n(d)]), num(expected), "MOD({x},{d})");
    }
}

#[test]
fn exp_flushes_tiny_results_to_zero() {
    let ctx = book();
    // Excel: calc_tests/MATH_AND_TRIGONOMETRY/EXP_SIGN.xlsx EXP_SIGN!B44
    // (`=EXP(-745)`) is 0 and B42 (`=EXP(709)`) is 8.218407461554972e+307.
    assert_eq!(eval(&ctx, "EXP", vec![n(-745.0)]), num(0.0));
    assert_eq!(eval(&ctx, "EXP", vec![n(709.0)]), num(709f64.exp()));
    // EXP_SIGN!B31 and C49 read "€100" and "100€" as 100.
    assert_eq!(eval(&ctx, "EXP", vec![t("€100")]), num(2.6881171418161356e43));
    assert_eq!(eval(&ctx, "SIGN", vec![t("100€")]), num(1.0));
}

#[test]
fn mround_and_quotient_refuse_booleans() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![Value::Bool(true), num(2.0), num(5.0)]);
    check(
        &ctx,
        vec![
            // Excel: calc_tests/MATH_AND_TRIGONOMETRY/MROUND_TRUNC_INT.xlsx
            // MROUND!C51 (TRUE, 2) and C52 (2, TRUE) are #VALUE!.
            ("MROUND", vec![r("A1"), r("A2")], err(VALUE)),
            ("MROUND", vec![r("A2"), r("A1")], err(VALUE)),
            // MROUND!C35 with an empty A35 is 0.
            ("MROUND", vec![r("A9"), r("A3")], num(0.0)),
            // Excel: calc_tests/MATH_AND_TRIGONOMETRY/MOD_QUOTIENT.xlsx
            // DATEVALUE!D39 `=QUOTIENT(TRUE,TRUE)` is #VALUE!; C39 (MOD) is 0.
            ("QUOTIENT", vec![r("A1"), r("A1")], err(VALUE)),
            ("MOD", vec![r("A1"), r("A1")], num(0.0)),
        ],
    );
}

#[test]
fn gcd_and_lcm_coerce_cells_by_their_own_rules() {
    let mut ctx = book();
    // Excel: calc_tests/MATH_AND_TRIGONOMETRY/GCD_LCM.xlsx Sheet1, rows 24-46.
    fill(
        &mut ctx,
        "A1",
        vec![
            vec![Value::text("8"), num(2.0)],
            vec![Value::text(" 10 "), num(3.0)],
            vec![Value::text("eight"), num(2.0)],
            vec![Value::Empty, num(5.0)],
            vec![Value::Bool(true), num(2.0)],
            vec![Value::text(""), num(10.0)],
            vec![Value::text("2024-01-10"), num(7.0)],
        ],
    );
    check(
        &ctx,
        vec![
            // D24/I24: text numbers count, in single cells and in ranges.
            ("LCM", vec![r("A1"), r("B1")], num(8.0)),
            ("LCM", vec![r("A1:B1")], num(8.0)),
            // D26/E26: " 10 " is 10; D31: "2024-01-10" is 45301.
            ("LCM", vec![r("A2"), r("B2")], num(30.0)),
            ("GCD", vec![r("A2"), r("B2")], num(1.0)),
            ("LCM", vec![r("A7:B7")], num(317107.0)),
            // D27, I27: text that is no number is #VALUE!; D17: so is "".
            ("GCD", vec![r("A3"), r("B3")], err(VALUE)),
            ("LCM", vec![r("A3:B3")], err(VALUE)),
            ("LCM", vec![r("A6"), r("B6")], err(VALUE)),
            // D44/I44: booleans are #VALUE!, even from cells.
            ("GCD", vec![r("A5"), r("B5")], err(VALUE)),
            ("LCM", vec![r("A5:B5")], err(VALUE)),
            // D35 (an empty cell alone is skipped) against I35 (in a range
            // it is 0), and D13 (nothing but empty cells) against I13.
            ("LCM", vec![r("A4"), r("B4")], num(5.0)),
            ("LCM", vec![r("A4:B4")], num(0.0)),
            ("GCD", vec![r("A4"), r("A4")], err(VALUE)),
            ("LCM", vec![r("C1:D1")], num(0.0)),
            // I53: LCM(2^31-1, 2^30-1) reaches 2^53: #NUM!.
            ("LCM", vec![n(2147483647.0), n(1073741823.0)], err(Num)),
            ("LCM", vec![n(9999999999999.0), n(10.0)], num(99999999999990.0)),
            // D34: `=LCM(,B34,C34)` is #N/A.
            ("LCM", vec![Operand::Value(Value::Empty), r("B4")], err(NA)),
        ],
    );
}

#[test]
fn hyperbolic_functions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Excel: calc_tests/MATH_AND_TRIGONOMETRY/TRIGONOMETRIC.xlsx
            // COTH_CSCH_SECH rows 2, 4, 7, 8 and 33 (B: COTH, C: CSCH, D: SECH).
            ("COTH", vec![n(10.0)], num(1.0000000041223074)),
            ("CSCH", vec![n(-10.0)], num(-9.079985971212217e-5)),
            ("SECH", vec![n(10.0)], num(9.079985933781724e-5)),
            ("COTH", vec![n(0.0)], err(Div0)),
            ("CSCH", vec![n(0.0)], err(Div0)),
            ("SECH", vec![n(0.0)], num(1.0)),
            ("COTH", vec![n(9999999999999.0)], num(1.0)),
            ("CSCH", vec![n(9999999999999.0)], num(0.0)),
            ("SECH", vec![n(9999999999999.0)], num(0.0)),
            ("COTH", vec![n(1e-12)], num(1e12)),
            // Row 33: Excel's 160.00208332790808 and 159.99895833808054,
            // to the 15 digits a cell shows (the last binary digits of
            // Excel's own hyperbolic routines are not reproduced).
            ("COTH", vec![n(0.006249999999999999)], num(160.002083327908)),
            ("CSCH", vec![n(0.006249999999999999)], num(159.998958338081)),
            ("COTH", vec![t("eight")], err(VALUE)),
            // Docs (SINH, COSH, TANH): SINH(1) is 1.175201194, COSH(4) is
            // 27.30823284, TANH(-2) is -0.96402758.
            ("SINH", vec![n(1.0)], num(1.175201194)),
            ("COSH", vec![n(4.0)], num(27.30823284)),
            ("TANH", vec![n(-2.0)], num(-0.96402758)),
            ("COSH", vec![n(1000.0)], err(Num)),
        ],
    );
}

#[test]
fn precise_rounding_ignores_the_significance_sign() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Excel: calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx
            // CEILING!B51 (-10, 1), E51 (-10, 7), G51 (-10, -1), J54 (-7.1, -7),
            // F50 (10, 0) and C175 (ISO.CEILING(10, 7)).
            ("CEILING.PRECISE", vec![n(-10.0), n(1.0)], num(-10.0)),
            ("CEILING.PRECISE", vec![n(-10.0), n(7.0)], num(-7.0)),
            ("CEILING.PRECISE", vec![n(10.0), n(-7.0)], num(14.0)),
            ("CEILING.PRECISE", vec![n(-7.1), n(-7.0)], num(-7.0)),
            ("CEILING.PRECISE", vec![n(10.0), n(0.0)], num(0.0)),
            ("CEILING.PRECISE", vec![n(7.1)], num(8.0)),
            ("ISO.CEILING", vec![n(10.0), n(7.0)], num(14.0)),
            // FLOOR!E51 (-10, 7), J54 (-7.1, -7), E57 (9999999999999, 7).
            ("FLOOR.PRECISE", vec![n(-10.0), n(7.0)], num(-14.0)),
            ("FLOOR.PRECISE", vec![n(-7.1), n(-7.0)], num(-14.0)),
            ("FLOOR.PRECISE", vec![n(9999999999999.0), n(7.0)], num(9999999999997.0)),
            ("FLOOR.PRECISE", vec![n(7.9), n(0.0)], num(0.0)),
        ],
    );
}

#[test]
fn reciprocal_and_inverse_trigonometry() {
    let ctx = book();
    check(
        &ctx,
        vec![
            // Excel: calc_tests/MATH_AND_TRIGONOMETRY/TRIGONOMETRIC.xlsx
            // COT_CSC_SEC rows 2 to 4 and 7 (B: COT, C: CSC, D: SEC).
            ("COT", vec![n(1.0)], num(0.6420926159343306)),
            ("CSC", vec![n(-10.0)], num(1.8381639608896658)),
            ("SEC", vec![n(-10.0)], num(-1.1917935066878957)),
            ("COT", vec![n(0.0)], err(Div0)),
            ("CSC", vec![n(0.0)], err(Div0)),
            ("SEC", vec![n(0.0)], num(1.0)),
            ("COT", vec![n(1e-12)], num(1e12)),
            // ACOT_ACOTH rows 3, 4, 6, 9, 10, 11 and 13 (B: ACOT, C: ACOTH).
            ("ACOT", vec![n(-1.0)], num(2.356194490192345)),
            ("ACOT", vec![n(0.0)], num(1.5707963267948966)),
            ("ACOTH", vec![n(10.0)], num(0.1003353477310756)),
            ("ACOTH", vec![n(1.0)], err(Num)),
            ("ACOTH", vec![n(0.9999999999)], err(Num)),
            ("ACOTH", vec![n(1.0000000001)], num(11.859499013905017)),
            ("ACOTH", vec![n(-1.0000000001)], num(-11.859499013905017)),
            // Docs (ASIN, ACOS, ASINH, ACOSH, ATANH).
            ("ASIN", vec![n(-0.5)], num(-0.523598776)),
            ("ACOS", vec![n(-0.5)], num(2.094395102)),
            ("ASINH", vec![n(-2.5)], num(-1.647231146)),
            ("ACOSH", vec![n(10.0)], num(2.993222846)),
            ("ATANH", vec![n(0.76159416)], num(1.00000001)),
            ("ASIN", vec![n(2.0)], err(Num)),
            ("ATANH", vec![n(1.0)], err(Num)),
        ],
    );
    // ACOT_ACOTH!B13 and C13: full precision for a large number.
    assert_eq!(eval(&ctx, "ACOT", vec![n(9999999999999.0)]), num(1.0000000000001e-13));
    assert_eq!(eval(&ctx, "ACOTH", vec![n(9999999999999.0)]), num(1.0000000000001e-13));
}
