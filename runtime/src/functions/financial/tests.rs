//! Tests of the financial functions, with values from Microsoft's function
//! documentation and from the values Excel cached in the corpus workbooks
//! (`calc_tests/FINANCIAL/*.xlsx`, named in each test).

use std::sync::Arc;

use super::FinancialFn::{self, *};
use crate::functions::datetime::calendar::serial_from_ymd;
use crate::functions::{call, Function};
use crate::reference::Operand;
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

fn eval(f: FinancialFn, args: &[Value]) -> Value {
    let ctx = MapContext::new(&["Sheet1"]);
    let args = args.iter().cloned().map(Operand::Value).collect();
    call(Function::Financial(f), args, &ctx).to_value(&ctx)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn b(x: bool) -> Value {
    Value::Bool(x)
}

fn row(values: &[f64]) -> Value {
    let values: Vec<Value> = values.iter().map(|x| Value::Number(*x)).collect();
    Value::Array(Arc::new(Array::new(1, values.len(), values).unwrap()))
}

/// The serial of a date in the 1900 system.
fn d(y: i64, m: u32, day: i64) -> Value {
    n(serial_from_ymd(y, m, day, false))
}

/// Asserts `actual` is `expected` within a relative `tolerance`.
fn close_to(actual: Value, expected: f64, tolerance: f64) {
    match actual {
        Value::Number(x) => {
            let scale = expected.abs().max(1e-300);
            assert!((x - expected).abs() / scale <= tolerance, "{x} != {expected}");
        }
        other => panic!("expected {expected}, got {other:?}"),
    }
}

/// Asserts `actual` is Excel's cached `expected` to 1e-9 relative.
fn exact(actual: Value, expected: f64) {
    close_to(actual, expected, 1e-9);
}

fn err(e: ExcelError) -> Value {
    Value::Error(e)
}

#[test]
fn pmt_corpus_values() {
    // PMT.xlsx rows 2, 7, 32 and the error rows 8, 17.
    exact(eval(Pmt, &[n(1.0), n(3.0), n(100.0), n(300.0), n(1.0)]), -78.57142857142858);
    exact(eval(Pmt, &[n(0.5), n(12.0), n(100.0), n(0.0), n(1.0)]), -33.59224037394874);
    exact(eval(Pmt, &[n(0.0), n(3.0), n(100.0), n(300.0), n(1.0)]), -133.33333333333334);
    // A type of 5 counts as payments in advance.
    exact(eval(Pmt, &[n(0.2), n(3.0), n(-200.0), n(10.0), n(5.0)]), 76.83150183150182);
    assert_eq!(eval(Pmt, &[n(-3.0), n(5.0), n(100.0)]), err(ExcelError::Num));
    assert_eq!(eval(Pmt, &[n(0.02), n(0.0), n(100.0)]), err(ExcelError::Num));
    assert_eq!(eval(Pmt, &[Value::text("HELP"), n(1.0), n(100.0)]), err(ExcelError::Value));
}

#[test]
fn pv_fv_nper_corpus_values() {
    // PV.xlsx, FV.xlsx, NPER.xlsx and docs/PV.xlsx.
    exact(eval(Pv, &[n(1.0), n(3.0), n(100.0), n(10.0), n(1.0)]), -176.25);
    exact(eval(Pv, &[n(-3.0), n(5.0), n(100.0), n(12.0), n(1.0)]), -68.375);
    exact(eval(Pv, &[n(0.02), n(0.0), n(100.0), n(12.0), n(1.0)]), -12.0);
    assert_eq!(eval(Pv, &[n(-1.0), n(20.0), n(300.0)]), err(ExcelError::Div0));
    exact(eval(Fv, &[n(2.0), n(10.0), n(1.0), n(0.0), n(1.0)]), -88572.0);
    exact(eval(Fv, &[n(-0.9), n(3.0), n(120.0), n(300.0), n(1.0)]), -13.619999999999994);
    assert_eq!(eval(Fv, &[n(-1.0), n(-2.0), n(1.0)]), err(ExcelError::Div0));
    assert_eq!(eval(Fv, &[n(-3.0), n(-3.5), n(1.0)]), err(ExcelError::Num));
    exact(eval(Nper, &[n(1.0), n(3.0), n(100.0), n(0.0), n(1.0)]), -4.142957953842043);
    exact(eval(Nper, &[n(0.0), n(3.0), n(100.0), n(23.0), n(1.0)]), -41.0);
    assert_eq!(eval(Nper, &[n(1.0), n(3.0), n(100.0), n(12.0), n(0.0)]), err(ExcelError::Num));
    assert_eq!(eval(Nper, &[n(-3.0), n(5.0), n(100.0)]), err(ExcelError::Num));
}

#[test]
fn rate_corpus_values() {
    // RATE.xlsx rows 2, 16, 19 and 17.
    exact(eval(Rate, &[n(48.0), n(-200.0), n(8000.0), n(0.0), n(1.0)]), 0.008052981923906556);
    exact(eval(Rate, &[n(48.0), n(-200.0), n(8000.0)]), 0.007701472488201368);
    exact(eval(Rate, &[n(2.0), n(-200.0), n(8000.0), n(0.0), n(1.0)]), -0.9743589743570107);
    exact(eval(Rate, &[n(300.0), n(-200.0), n(8000.0), n(0.0), n(1.0)]), 0.025627751816686105);
    assert_eq!(eval(Rate, &[n(10.0), n(-1200.0), n(2000.0), n(0.0), n(1.0)]), err(ExcelError::Num));
    assert_eq!(eval(Rate, &[n(3300.0), n(-200.0), n(8000.0)]), err(ExcelError::Num));
}

#[test]
fn ipmt_ppmt_corpus_values() {
    // IPMT_PPMT.xlsx rows 2, 3, 13, 23, 18 and 25.
    assert_eq!(eval(Ipmt, &[n(0.0083), n(1.0), n(36.0), n(8000.0), n(0.0), n(1.0)]), n(0.0));
    exact(eval(Ipmt, &[n(0.0083), n(1.0), n(36.0), n(8000.0)]), -66.4);
    exact(eval(Ipmt, &[n(0.1), n(3.0), n(3.0), n(8000.0), n(0.0), n(1.0)]), -265.8610271903324);
    exact(eval(Ppmt, &[n(0.1), n(3.0), n(3.0), n(8000.0)]), -2924.4712990936564);
    exact(eval(Ppmt, &[n(0.1), n(3.3), n(30.0), n(8000.0), n(10.0), n(1.0)]), -55.117928287330166);
    exact(eval(Ipmt, &[n(0.01), n(1.0001), n(36.0), n(8000.0), n(0.0), n(1.0)]), -79.2077378295619);
    let past_end = [n(0.1), n(4.0), n(3.0), n(8000.0), n(10.0), n(1.0)];
    assert_eq!(eval(Ipmt, &past_end), err(ExcelError::Num));
    assert_eq!(eval(Ppmt, &[n(0.01), n(0.99999), n(36.0), n(8000.0)]), err(ExcelError::Num));
}

#[test]
fn cumulative_corpus_values() {
    // CUMPRINC_CUMIPMT.xlsx rows 2, 6, 23 and 27.
    let args = [n(0.0083), n(36.0), n(8000.0), n(1.0), n(10.0), n(1.0)];
    exact(eval(CumIpmt, &args), -520.1181191021385);
    exact(eval(CumPrinc, &args), -2038.518055313885);
    let fractional = [n(0.01), n(36.0), n(8000.0), n(1.2), n(8.53), n(1.0)];
    exact(eval(CumIpmt, &fractional), -501.92756475693704);
    exact(eval(CumPrinc, &fractional), -1339.6579298169904);
    let bad_type = [n(0.01), n(36.0), n(8000.0), n(3.0), n(10.0), n(1.2)];
    assert_eq!(eval(CumIpmt, &bad_type), err(ExcelError::Num));
    let boolean = [n(0.01), n(36.0), n(8000.0), b(true), n(10.0), n(0.0)];
    assert_eq!(eval(CumPrinc, &boolean), err(ExcelError::Value));
    let zero_rate = [n(0.0), n(9.0), n(300.0), n(3.0), n(10.0), n(1.0)];
    assert_eq!(eval(CumIpmt, &zero_rate), err(ExcelError::Num));
}

#[test]
fn small_rate_functions_corpus_values() {
    // ISPMT.xlsx, PDURATION.xlsx, RRI.xlsx, NOMINAL_EFFECT.xlsx, FVSCHEDULE.xlsx.
    exact(eval(IsPmt, &[n(0.2), n(1.0), n(3.0), n(100.0)]), -13.333333333333334);
    exact(eval(IsPmt, &[n(-3.0), n(3.0), n(5.0), n(6.0)]), 7.2);
    assert_eq!(eval(IsPmt, &[n(0.1), n(1.0), n(0.0), n(1.0)]), err(ExcelError::Div0));
    exact(eval(PDuration, &[n(0.2), n(100.0), n(200.0)]), 3.8017840169239268);
    assert_eq!(eval(PDuration, &[n(-0.2), n(100.0), n(200.0)]), err(ExcelError::Num));
    exact(eval(Rri, &[n(2.0), n(3.0), n(4.0)]), 0.15470053837925146);
    exact(eval(Rri, &[n(2.0), n(3.0), n(0.0)]), -1.0);
    exact(eval(Nominal, &[n(0.5), n(10.0)]), 0.4137974399241062);
    exact(eval(Effect, &[n(10.0), n(15.0)]), 2125.8224907304752);
    assert_eq!(eval(Effect, &[n(0.0), n(12.0)]), err(ExcelError::Num));
    exact(eval(FvSchedule, &[n(120.0), row(&[0.2, 0.4, 0.6, 0.8])]), 580.6080000000001);
}

#[test]
fn npv_and_irr_corpus_values() {
    // NPV.xlsx row 2 and IRR.xlsx rows 2, 5, 8 and "Two Values" 6.
    exact(
        eval(Npv, &[n(0.05), n(100.0), n(25.0), n(125.0), row(&[4.0, 5.0, 6.0])]),
        237.57926512731055,
    );
    assert_eq!(eval(Npv, &[n(-1.0), n(1.0)]), err(ExcelError::Div0));
    exact(eval(Irr, &[row(&[-20.0, 5.0, 5.0, 5.0, 5.0, 5.0])]), 0.07930826116039724);
    // Newton's method from 10% diverges on these; Excel still finds them.
    exact(eval(Irr, &[row(&[-20.0, 5.0, 5.0, -10.0, 5.0])]), -0.44892834955312866);
    exact(eval(Irr, &[row(&[-70.0, 12.0, 15.0])]), -0.44350694133432755);
    exact(eval(Irr, &[row(&[-5.0, 1.0])]), -0.8);
    assert_eq!(eval(Irr, &[row(&[20.0, 5.0, 5.0])]), err(ExcelError::Num));
    assert_eq!(eval(Irr, &[row(&[-1000.0, 230.0]), n(-10.0)]), err(ExcelError::Value));
}

#[test]
fn mirr_corpus_values() {
    // MIRR.xlsx "Two Parameters" rows 2 and 7.
    exact(eval(Mirr, &[row(&[-5.0, 4.0]), n(0.1), n(0.2)]), -0.19999999999999996);
    exact(eval(Mirr, &[row(&[-5.0, -4.0]), n(0.1), n(0.2)]), -1.0);
    assert_eq!(eval(Mirr, &[row(&[5.0, 4.0]), n(0.1), n(0.2)]), err(ExcelError::Div0));
}

#[test]
fn xnpv_and_xirr_corpus_values() {
    // XNPV.xlsx rows 3, 12 and 11.
    let values = row(&[-1000.0, 230.0, 200.0, 125.0, 200.0, 10.0]);
    let dates = row(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    exact(eval(Xnpv, &[n(0.2), values, dates]), -235.9258942616228);
    let values = row(&[-20.0, 9.0, 9.0, 9.0, 9.0, 9.0]);
    let dates = row(&[23.0, 23.67, 123.69, 400.992, 500.0, 500.0]);
    exact(eval(Xnpv, &[n(0.1), values.clone(), dates.clone()]), 21.816249158321114);
    exact(eval(Xirr, &[values, dates]), 3.131423544883728);
    let early = row(&[-100.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    let values = row(&[-20.0, 8.0, 8.0, 8.0, 8.0, 8.0]);
    assert_eq!(eval(Xnpv, &[n(0.1), values, early]), err(ExcelError::Num));
}

#[test]
fn depreciation_corpus_values() {
    // SLN_SYD.xlsx rows 4, 12, 19 and 11; DB_DDB.xlsx rows 2, 10, 39, 24, 4, 13.
    exact(eval(Sln, &[n(100.0), n(5.0), n(20.0)]), 4.75);
    exact(eval(Syd, &[n(100.0), n(5.0), n(5.5), n(5.4)]), 5.846153846153845);
    assert_eq!(eval(Sln, &[n(100.0), n(2.0), n(0.0)]), err(ExcelError::Div0));
    assert_eq!(eval(Syd, &[n(100.0), n(5.0), n(5.0), n(5.4)]), err(ExcelError::Num));
    exact(eval(Db, &[n(100.0), n(10.0), n(5.0), n(3.0), n(1.0)]), 22.567920075);
    // Month and period are truncated.
    exact(eval(Db, &[n(100.0), n(10.0), n(4.0), n(3.0), n(9.2222)]), 16.529375400000003);
    exact(eval(Db, &[n(12.0), n(10.0), n(4.0), n(4.5), n(2.0)]), 0.48879979875);
    assert_eq!(eval(Db, &[n(100.0), n(10.0), n(4.0), n(3.0), n(13.0)]), err(ExcelError::Num));
    exact(eval(Ddb, &[n(100.0), n(10.0), n(5.0), n(3.0), n(1.0)]), 12.800000000000004);
    assert_eq!(eval(Ddb, &[n(100.0), n(10.0), n(4.0), n(3.0), n(3.0)]), n(0.0));
    exact(eval(Ddb, &[n(100.0), n(10.233), n(4.2312), n(3.2), n(1.5)]), 13.532735530775124);
    assert_eq!(eval(Ddb, &[n(12.0), n(10.0), n(4.0), n(4.5), n(2.0)]), err(ExcelError::Num));
}

#[test]
fn vdb_documented_examples() {
    // Microsoft's VDB examples (2,400 cost, 300 salvage, 10 years), to the
    // cent they are shown with.
    close_to(eval(Vdb, &[n(2400.0), n(300.0), n(3650.0), n(0.0), n(1.0)]), 1.32, 5e-3);
    close_to(eval(Vdb, &[n(2400.0), n(300.0), n(120.0), n(0.0), n(1.0)]), 40.0, 1e-9);
    close_to(eval(Vdb, &[n(2400.0), n(300.0), n(10.0), n(0.0), n(1.0)]), 480.0, 1e-9);
    close_to(eval(Vdb, &[n(2400.0), n(300.0), n(120.0), n(6.0), n(18.0)]), 396.31, 2e-5);
    let factor = [n(2400.0), n(300.0), n(120.0), n(6.0), n(18.0), n(1.5)];
    close_to(eval(Vdb, &factor), 311.81, 2e-5);
    let partial = [n(2400.0), n(300.0), n(10.0), n(0.0), n(0.875), n(1.5)];
    close_to(eval(Vdb, &partial), 315.0, 1e-9);
}

#[test]
fn discount_securities_corpus_values() {
    // DISC.xlsx rows 2 to 4 (serials 39472 and 39614), INTRATE.xlsx rows 2 and 3.
    exact(eval(Disc, &[n(39472.0), n(39614.0), n(97.975), n(100.0), n(0.0)]), 0.05207142857142884);
    exact(eval(Disc, &[n(39472.0), n(39614.0), n(97.975), n(100.0), n(1.0)]), 0.05219366197183125);
    exact(eval(Disc, &[n(39472.0), n(39614.0), n(97.975), n(100.0), n(2.0)]), 0.051338028169014345);
    let intrate = [d(2027, 2, 15), d(2027, 5, 15), n(2_000_000.0), n(2_040_000.0), n(0.0)];
    exact(eval(IntRate, &intrate), 0.08);
    let actual = [d(2027, 2, 15), d(2027, 5, 15), n(2_000_001.0), n(2_040_001.02), n(1.0)];
    exact(eval(IntRate, &actual), 0.0820224719101124);
    let reversed = [n(39614.0), n(39472.0), n(97.975), n(100.0), n(0.0)];
    assert_eq!(eval(Disc, &reversed), err(ExcelError::Num));
}

#[test]
fn accrintm_corpus_values() {
    // ACCRINTM.xlsx rows 2, 5, 10 and 16.
    exact(eval(AccrIntM, &[n(39539.0), n(39614.0), n(0.1), n(1000.0), n(3.0)]), 20.54794520547945);
    let leap = [d(2024, 1, 15), d(2024, 3, 15), n(0.1), n(1000.0), n(1.0)];
    exact(eval(AccrIntM, &leap), 16.39344262295082);
    let february = [d(2023, 2, 28), d(2023, 6, 15), n(0.1), n(1000.0), n(0.0)];
    exact(eval(AccrIntM, &february), 29.166666666666668);
    let reversed = [n(39614.0), n(39539.0), n(0.1), n(1000.0), n(3.0)];
    assert_eq!(eval(AccrIntM, &reversed), err(ExcelError::Num));
}

#[test]
fn accrint_corpus_values() {
    // ACCRINT.xlsx rows 1, 2 and 24; accrint_cases.xlsx rows 33, 172, 173, 253.
    let base = [n(39508.0), n(39691.0), n(39569.0), n(0.1), n(1000.0), n(2.0), n(0.0)];
    exact(eval(AccrInt, &base), 16.666666666666664);
    let late_issue =
        [d(2008, 3, 5), n(39691.0), n(39569.0), n(0.1), n(1000.0), n(2.0), n(0.0), b(false)];
    exact(eval(AccrInt, &late_issue), 15.555555555555555);
    let actual = [d(2020, 1, 1), d(2020, 7, 1), d(2020, 3, 1), n(0.1), n(1000.0), n(2.0), n(1.0)];
    exact(eval(AccrInt, &actual), 16.483516483516482);
    let before = [
        d(2020, 12, 1),
        d(2021, 12, 1),
        d(2021, 3, 1),
        n(0.075),
        n(100.0),
        n(2.0),
        n(0.0),
        b(false),
    ];
    exact(eval(AccrInt, &before), -1.875);
    let quarterly =
        [d(2020, 2, 3), d(2021, 12, 1), d(2021, 4, 12), n(0.1), n(1000.0), n(4.0), n(0.0)];
    exact(eval(AccrInt, &quarterly), 119.16666666666667);
    let mut from_first = quarterly.to_vec();
    from_first.push(b(false));
    exact(eval(AccrInt, &from_first), -30.833333333333336);
    let month_end = [
        d(2019, 8, 31),
        d(2020, 8, 31),
        d(2020, 5, 1),
        n(0.1),
        n(1000.0),
        n(2.0),
        n(0.0),
        b(false),
    ];
    exact(eval(AccrInt, &month_end), 16.944444444444446);
    let bad_frequency = [n(39508.0), n(39691.0), n(39569.0), n(0.1), n(1000.0), n(3.0), n(0.0)];
    assert_eq!(eval(AccrInt, &bad_frequency), err(ExcelError::Num));
}

#[test]
fn tbill_corpus_values() {
    // TBILLs.xlsx rows 2, 6, 8 (366 days across no leap day) and 9.
    exact(eval(TBillEq, &[n(20000.0), n(20182.0), n(0.5)]), 0.6784386617100372);
    exact(eval(TBillPrice, &[n(20000.0), n(20182.0), n(0.5)]), 74.72222222222223);
    exact(eval(TBillEq, &[n(45332.0), n(45650.0), n(0.5)]), 0.7787541318484793);
    exact(eval(TBillPrice, &[n(14640.0), n(15006.0), n(0.5)]), 49.16666666666667);
    exact(eval(TBillEq, &[n(14640.0), n(15006.0), n(0.5)]), 0.8522961312491701);
    exact(eval(TBillEq, &[n(14640.0), n(15005.0), n(0.5)]), 0.8482759796652481);
    assert_eq!(eval(TBillPrice, &[n(1000.0), n(1366.0), n(0.5)]), err(ExcelError::Num));
    assert_eq!(eval(TBillYield, &[n(1000.0), n(1366.0), n(120.0)]), err(ExcelError::Num));
    exact(eval(TBillYield, &[n(20000.0), n(20182.0), n(200.0)]), -0.989010989010989);
}

#[test]
fn coupon_functions_corpus_values() {
    // COUPDAYS.xlsx rows 2 to 4: settlement 2020-01-01, maturity 2021-01-01, annual.
    let args = |basis: f64| [d(2020, 1, 1), d(2021, 1, 1), n(1.0), n(basis)];
    assert_eq!(eval(CoupDays, &args(0.0)), n(360.0));
    assert_eq!(eval(CoupDays, &args(1.0)), n(366.0));
    assert_eq!(eval(CoupDaysNc, &args(2.0)), n(366.0));
    assert_eq!(eval(CoupDayBs, &args(1.0)), n(0.0));
    assert_eq!(eval(CoupNcd, &args(0.0)), n(44197.0));
    assert_eq!(eval(CoupPcd, &args(0.0)), n(43831.0));
    assert_eq!(eval(CoupNum, &args(0.0)), n(1.0));
    let bad = [d(2020, 1, 1), d(2021, 1, 1), n(3.0), n(0.0)];
    assert_eq!(eval(CoupNum, &bad), err(ExcelError::Num));
}

#[test]
fn coupon_functions_documented_example() {
    // Microsoft's COUP* example: settlement 2011-01-25, maturity 2011-11-15,
    // semi-annual, actual/actual.
    let args = [d(2011, 1, 25), d(2011, 11, 15), n(2.0), n(1.0)];
    assert_eq!(eval(CoupDayBs, &args), n(71.0));
    assert_eq!(eval(CoupDays, &args), n(181.0));
    assert_eq!(eval(CoupDaysNc, &args), n(110.0));
    assert_eq!(eval(CoupNcd, &args), d(2011, 5, 15));
    assert_eq!(eval(CoupPcd, &args), d(2010, 11, 15));
    assert_eq!(eval(CoupNum, &args), n(2.0));
}

#[test]
fn price_and_yield_corpus_values() {
    // PRICE_YIELD.xlsx rows 2 and 4 (basis 2 counts the days to the next
    // coupon as 360 less those accrued).
    let price = [d(2020, 3, 1), d(2030, 3, 1), n(0.06), n(0.07), n(130.0), n(1.0), n(0.0)];
    exact(eval(Price, &price), 108.22689722310892);
    let actual_360 = [d(2020, 3, 1), d(2030, 3, 1), n(0.04), n(0.05), n(155.0), n(1.0), n(2.0)];
    exact(eval(Price, &actual_360), 126.04349401555694);
    let yld =
        [d(2020, 3, 1), d(2030, 3, 1), n(0.06), n(108.22689722310892), n(130.0), n(1.0), n(0.0)];
    close_to(eval(Yield, &yld), 0.07, 1e-9);
}

#[test]
fn duration_documented_examples() {
    // Microsoft's DURATION and MDURATION examples, to the digits shown.
    let duration = [d(2018, 7, 1), d(2048, 1, 1), n(0.08), n(0.09), n(2.0), n(1.0)];
    close_to(eval(Duration, &duration), 10.9191453, 1e-8);
    let modified = [d(2008, 1, 1), d(2016, 1, 1), n(0.08), n(0.09), n(2.0), n(1.0)];
    close_to(eval(MDuration, &modified), 5.73567, 1e-6);
}

#[test]
fn dollar_documented_examples() {
    // Microsoft's DOLLARDE and DOLLARFR examples.
    exact(eval(DollarDe, &[n(1.02), n(16.0)]), 1.125);
    exact(eval(DollarDe, &[n(1.1), n(32.0)]), 1.3125);
    exact(eval(DollarFr, &[n(1.125), n(16.0)]), 1.02);
    exact(eval(DollarFr, &[n(1.125), n(32.0)]), 1.04);
    assert_eq!(eval(DollarDe, &[n(1.02), n(0.5)]), err(ExcelError::Div0));
    assert_eq!(eval(DollarFr, &[n(1.02), n(-1.0)]), err(ExcelError::Num));
}

#[test]
fn odd_last_period_corpus_values() {
    // PRICE_YIELD.xlsx, sheet ODDLPRICE_ODDLYIELD, rows 2, 5 and 6.
    let args = |fifth: f64, basis: f64| {
        [
            d(2020, 3, 1),
            d(2030, 3, 1),
            d(2020, 1, 15),
            n(0.075),
            n(fifth),
            n(120.0),
            n(2.0),
            n(basis),
        ]
    };
    exact(eval(OddLPrice, &args(0.06, 1.0)), 121.51937811334447);
    exact(eval(OddLYield, &args(121.51937811334447, 1.0)), 0.06);
    exact(eval(OddLPrice, &args(0.02, 4.0)), 162.34027777777777);
    assert_eq!(eval(OddLPrice, &args(0.06, 5.0)), err(ExcelError::Num));
}

#[test]
fn odd_first_period_corpus_values() {
    // PRICE_YIELD.xlsx, sheet ODDFPRICE_ODDFYIELD, rows 2, 3, 9 and 10: a
    // long first period from 2020-01-15 to 2021-03-01, settled 2020-03-01.
    let args = |rate: f64, fifth: f64, frequency: f64, basis: f64| {
        [
            d(2020, 3, 1),
            d(2030, 3, 1),
            d(2020, 1, 15),
            d(2021, 3, 1),
            n(rate),
            n(fifth),
            n(120.0),
            n(frequency),
            n(basis),
        ]
    };
    exact(eval(OddFPrice, &args(0.075, 0.05, 1.0, 1.0)), 131.5377155865953);
    exact(eval(OddFPrice, &args(0.075, 0.067, 1.0, 2.0)), 115.98854775223758);
    exact(eval(OddFPrice, &args(0.075, 0.067, 2.0, 2.0)), 115.84574814124899);
    exact(eval(OddFPrice, &args(0.08, 0.06, 2.0, 3.0)), 125.74920319203889);
    close_to(eval(OddFYield, &args(0.075, 131.5377155865953, 1.0, 1.0)), 0.05, 1e-9);
    let late_first = [d(2020, 3, 1), d(2030, 3, 1), d(2020, 4, 1), d(2021, 3, 1)];
    let mut bad = late_first.to_vec();
    bad.extend([n(0.075), n(0.05), n(120.0), n(1.0), n(1.0)]);
    assert_eq!(eval(OddFPrice, &bad), err(ExcelError::Num));
}
