//! Iterative calculation: a workbook that enables it computes its circular
//! references as Excel documents. With iteration on, Excel recalculates the
//! cells of a circular reference until no value changes by as much as the
//! maximum change (0.001 by default), or at most the maximum number of
//! iterations (100 by default); a cell of a new circular reference starts
//! from 0. The expected values below follow from that rule by hand; each
//! comment gives the steps.

use runtime::value::Value;
use sengine_tests::{compile, entry, outcomes, with_iteration, workbook, Content as C};

fn num(n: f64) -> Value {
    Value::Number(n)
}

/// One input column `x`, and `OUT!A2` reading `Calc!A1`, with `calc` the
/// cells of the `Calc` sheet.
fn book(calc: Vec<(&str, C<'_>)>, out: Vec<(&str, C<'_>)>) -> Vec<u8> {
    let mut out_cells = vec![("A1", C::from("v"))];
    out_cells.extend(out);
    workbook(&[("IN", vec![("A1", C::from("x"))]), ("Calc", calc), ("OUT", out_cells)], &[])
}

/// Without iteration a circular reference that OUT needs is refused; the
/// same workbook with iteration enabled compiles, with a warning naming the
/// cycle and the settings.
#[test]
fn iteration_turns_a_refused_cycle_into_a_warning() {
    let plain = book(vec![("A1", "=A1/2+1".into())], vec![("A2", "=Calc!A1".into())]);
    let refused = compile(&plain).unwrap_err();
    assert!(refused.iter().any(|d| d.message.contains("circular reference: Calc!A1 → Calc!A1")));

    let iterating = with_iteration(&plain, 100, 0.001);
    let compiled = compile(&iterating).unwrap();
    let warnings: Vec<String> = compiled.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "circular reference, computed by iterative calculation (at most 100 iterations, \
             maximum change 0.001): Calc!A1 → Calc!A1"
        )),
        "{warnings:#?}"
    );
}

/// `=A1/2+1` from 0: 1, 1.5, 1.75, …, 2 − 2^(1−n) after n iterations, a
/// change of 2^(1−n). The first change below 0.001 is 2^−10, after the 11th
/// iteration: 2 − 2^−10. Below 1e-6 it is 2^−20, after the 21st.
#[test]
fn a_converging_loop_stops_below_the_maximum_change() {
    let plain = book(vec![("A1", "=A1/2+1".into())], vec![("A2", "=Calc!A1".into())]);
    let rows = outcomes(&with_iteration(&plain, 100, 0.001), &[]);
    assert_eq!(rows[0][0], num(2.0 - 2f64.powi(-10)));
    let rows = outcomes(&with_iteration(&plain, 100, 1e-6), &[]);
    assert_eq!(rows[0][0], num(2.0 - 2f64.powi(-20)));
}

/// `=A1+1` never settles: it stops after the maximum number of
/// iterations, 1 added each time from 0.
#[test]
fn a_diverging_loop_stops_at_the_maximum_iterations() {
    let plain = book(vec![("A1", "=A1+1".into())], vec![("A2", "=Calc!A1".into())]);
    assert_eq!(outcomes(&with_iteration(&plain, 10, 0.001), &[])[0][0], num(10.0));
    assert_eq!(outcomes(&with_iteration(&plain, 100, 0.001), &[])[0][0], num(100.0));
}

/// A loop that reads the log starts afresh at every evaluation: `total =
/// x + total/2` with x = 4 gives 8(1 − 2^−n) after n iterations, a change of
/// 2^(3−n), first below 0.001 at n = 13: 8 − 2^−10. With x = 2 it is
/// 4(1 − 2^−n), a change of 2^(2−n), first below 0.001 at n = 12: 4 − 2^−10.
#[test]
fn a_loop_over_the_log_is_computed_at_every_evaluation() {
    let plain = book(
        vec![("A1", "=SUM(IN!A2:A11)+A1/2".into())],
        vec![("A2", "=Calc!A1".into()), ("A3", "=Calc!A1*2".into())],
    );
    let bytes = with_iteration(&plain, 100, 0.001);
    let four = outcomes(&bytes, &[entry(&[C::from(4.0)])]);
    assert_eq!(four[0][0], num(8.0 - 2f64.powi(-10)));
    // A cell outside the loop that reads it sees its final value.
    assert_eq!(four[1][0], num(16.0 - 2f64.powi(-9)));
    let two = outcomes(&bytes, &[entry(&[C::from(2.0)])]);
    assert_eq!(two[0][0], num(4.0 - 2f64.powi(-10)));
}

/// Two cells in a loop, `B1 = C1` and `C1 = MIN(B1+1, 7)`: each sweep `B1`
/// takes the `C1` of the sweep before and `C1` adds one to the new `B1`, up
/// to 7, where a sweep changes nothing.
#[test]
fn a_loop_of_two_cells_reaches_its_fixed_point() {
    let plain = book(
        vec![("A1", "=B1*10".into()), ("B1", "=C1".into()), ("C1", "=MIN(B1+1,7)".into())],
        vec![("A2", "=Calc!A1".into()), ("A3", "=Calc!C1".into())],
    );
    let rows = outcomes(&with_iteration(&plain, 100, 0.001), &[]);
    assert_eq!(rows[0][0], num(70.0));
    assert_eq!(rows[1][0], num(7.0));
}

/// Cells that read each other only through branches the log decides keep
/// their exact values with iteration enabled: for this log the branches
/// taken form no loop.
#[test]
fn apparent_cycles_keep_exact_values_with_iteration() {
    let plain = book(
        vec![("A1", C::from("=IF(IN!A2>0,B1,0)+0.5")), ("B1", "=IF(IN!A2>0,5,A1)".into())],
        vec![("A2", "=Calc!A1".into()), ("A3", "=Calc!B1".into())],
    );
    let bytes = with_iteration(&plain, 100, 0.001);
    let positive = outcomes(&bytes, &[entry(&[C::from(1.0)])]);
    assert_eq!((&positive[0][0], &positive[1][0]), (&num(5.5), &num(5.0)));
    let negative = outcomes(&bytes, &[entry(&[C::from(-1.0)])]);
    assert_eq!((&negative[0][0], &negative[1][0]), (&num(0.5), &num(0.5)));
}

/// A loop that does not read the log is folded at compile time; one that
/// does is left to the interpreter: the code generator does not produce the
/// sweeps, and declines such a program with the reason.
#[test]
fn generated_evaluators_decline_iteration() {
    let plain = book(vec![("A1", "=SUM(IN!A2:A11)+A1/2".into())], vec![("A2", "=Calc!A1".into())]);
    let compiled = compile(&with_iteration(&plain, 100, 0.001)).unwrap();
    let Err(reason) = compiler::codegen::generate(&compiled.program, "1") else {
        panic!("a program with iteration was generated");
    };
    assert!(reason.contains("Calc!A1 is in a circular reference computed by iterative calculation"));
}

/// A published walk-through of Excel's iteration: `A1 = 1+A2` and `A2 = 1+A1` with at most 10
/// iterations leave 19 in `A1` and 20 in `A2`. Each iteration computes `A1`
/// from the `A2` before it, then `A2` from the new `A1`: 1 and 2, 3 and 4,
/// and so on.
#[test]
fn each_sweep_goes_in_row_order_reading_the_newest_values() {
    let plain = book(
        vec![("A1", "=1+A2".into()), ("A2", "=1+A1".into()), ("A3", "=SUM(IN!A2:A11)+A1".into())],
        vec![("A2", "=Calc!A1".into()), ("A3", "=Calc!A2".into()), ("A4", "=Calc!A3".into())],
    );
    let bytes = with_iteration(&plain, 10, 0.001);
    let rows = outcomes(&bytes, &[entry(&[C::from(5.0)])]);
    assert_eq!((&rows[0][0], &rows[1][0], &rows[2][0]), (&num(19.0), &num(20.0), &num(24.0)));
}
