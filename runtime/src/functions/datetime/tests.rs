//! Tests of the date and time functions, with the values of Microsoft's
//! function documentation where it gives them.

use std::sync::Arc;

use super::DateTimeFn;
use crate::functions::{call, Function};
use crate::ir::DateOrder;
use crate::reference::{CellAddr, Operand, RangeRef, Reference};
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

fn eval_in(ctx: &MapContext, f: DateTimeFn, args: &[Value]) -> Value {
    let args = args.iter().cloned().map(Operand::Value).collect();
    call(Function::DateTime(f), args, ctx).to_value(ctx)
}

fn eval(f: DateTimeFn, args: &[Value]) -> Value {
    eval_in(&MapContext::new(&["Sheet1"]), f, args)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn t(s: &str) -> Value {
    Value::text(s)
}

fn assert_close(actual: Value, expected: f64) {
    match actual {
        Value::Number(x) => assert!((x - expected).abs() < 1e-9, "{x} != {expected}"),
        other => panic!("expected {expected}, got {other:?}"),
    }
}

#[test]
fn date_documented_examples() {
    use DateTimeFn::Date;
    assert_eq!(eval(Date, &[n(2011.0), n(1.0), n(1.0)]), n(40544.0));
    // Month 14 of 2008 is February 2009; month -3 is September 2007.
    assert_eq!(eval(Date, &[n(2008.0), n(14.0), n(2.0)]), n(39846.0));
    assert_eq!(eval(Date, &[n(2008.0), n(-3.0), n(2.0)]), n(39327.0));
    // Day 35 of January 2008 is 4 February; day -15 is 16 December 2007.
    assert_eq!(eval(Date, &[n(2008.0), n(1.0), n(35.0)]), n(39482.0));
    assert_eq!(eval(Date, &[n(2008.0), n(1.0), n(-15.0)]), n(39432.0));
    // A year of 108 is 1900 + 108.
    assert_eq!(eval(Date, &[n(108.0), n(1.0), n(2.0)]), n(39449.0));
    assert_eq!(eval(Date, &[n(2008.9), n(1.7), n(2.2)]), n(39449.0));
}

#[test]
fn date_rejects_out_of_range_years() {
    use DateTimeFn::Date;
    assert_eq!(eval(Date, &[n(-1.0), n(1.0), n(1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[n(10000.0), n(1.0), n(1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[n(1900.0), n(1.0), n(-1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[n(9999.0), n(12.0), n(31.0)]), n(2_958_465.0));
    assert_eq!(eval(Date, &[n(9999.0), n(12.0), n(32.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[t("x"), n(1.0), n(1.0)]), Value::Error(ExcelError::Value));
    assert_eq!(eval(Date, &[t("2008"), n(1.0), n(1.0)]), n(39448.0));
}

#[test]
fn leap_year_bug_of_1900() {
    use DateTimeFn::{Date, Day, Month, Weekday, Year};
    assert_eq!(eval(Date, &[n(1900.0), n(3.0), n(1.0)]), n(61.0));
    assert_eq!(eval(Date, &[n(1900.0), n(2.0), n(29.0)]), n(60.0));
    assert_eq!(eval(Date, &[n(1900.0), n(2.0), n(28.0)]), n(59.0));
    assert_eq!(eval(Day, &[n(60.0)]), n(29.0));
    assert_eq!(eval(Month, &[n(60.0)]), n(2.0));
    assert_eq!(eval(Year, &[n(60.0)]), n(1900.0));
    assert_eq!(eval(Day, &[n(61.0)]), n(1.0));
    assert_eq!(eval(Month, &[n(61.0)]), n(3.0));
    assert_eq!(eval(Day, &[n(0.0)]), n(0.0));
    assert_eq!(eval(Month, &[n(0.0)]), n(1.0));
    // Excel's serial 1 (1900-01-01) is a Sunday by its own count.
    assert_eq!(eval(Weekday, &[n(1.0)]), n(1.0));
}

#[test]
fn date_parts_out_of_range() {
    use DateTimeFn::{Day, Hour, Month, Year};
    assert_eq!(eval(Year, &[n(-1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Month, &[n(2_958_466.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Day, &[t("not a date")]), Value::Error(ExcelError::Value));
    assert_eq!(eval(Hour, &[Value::Error(ExcelError::Div0)]), Value::Error(ExcelError::Div0));
    assert_eq!(eval(Year, &[Value::Empty]), n(1900.0));
    assert_eq!(eval(Year, &[n(2_958_465.5)]), n(9999.0));
}

#[test]
fn year_month_day_documented_examples() {
    use DateTimeFn::{Day, Month, Year};
    assert_eq!(eval(Year, &[t("7/5/2008")]), n(2008.0));
    assert_eq!(eval(Year, &[t("7/5/2010")]), n(2010.0));
    assert_eq!(eval(Month, &[t("15-Apr-2011")]), n(4.0));
    assert_eq!(eval(Day, &[t("15-Apr-2011")]), n(15.0));
    assert_eq!(eval(Year, &[n(45366.75)]), n(2024.0));
}

#[test]
fn time_documented_examples() {
    use DateTimeFn::Time;
    assert_close(eval(Time, &[n(12.0), n(0.0), n(0.0)]), 0.5);
    assert_close(eval(Time, &[n(16.0), n(48.0), n(10.0)]), 0.700115741);
    assert_close(eval(Time, &[n(0.0), n(750.0), n(0.0)]), 0.520833333);
    assert_close(eval(Time, &[n(27.0), n(0.0), n(0.0)]), 0.125);
    assert_eq!(eval(Time, &[n(0.0), n(0.0), n(-1.0)]), Value::Error(ExcelError::Num));
}

#[test]
fn time_rejects_negative_totals() {
    use DateTimeFn::Time;
    assert_eq!(eval(Time, &[n(0.0), n(-1.0), n(0.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Time, &[n(32768.0), n(0.0), n(0.0)]), Value::Error(ExcelError::Num));
    assert_close(eval(Time, &[n(1.0), n(-30.0), n(0.0)]), 0.5 / 24.0);
}

#[test]
fn hour_minute_second_documented_examples() {
    use DateTimeFn::{Hour, Minute, Second};
    assert_eq!(eval(Hour, &[n(0.75)]), n(18.0));
    assert_eq!(eval(Hour, &[t("7/18/2011 7:45")]), n(7.0));
    assert_eq!(eval(Hour, &[t("4/21/2012")]), n(0.0));
    assert_eq!(eval(Minute, &[t("12:45:00 PM")]), n(45.0));
    assert_eq!(eval(Second, &[t("4:48:18 PM")]), n(18.0));
    assert_eq!(eval(Second, &[t("4:48 PM")]), n(0.0));
    assert_eq!(eval(Hour, &[n(-0.5)]), Value::Error(ExcelError::Num));
}

#[test]
fn weekday_documented_examples() {
    use DateTimeFn::Weekday;
    // 14 February 2008 was a Thursday.
    let date = t("2/14/2008");
    assert_eq!(eval(Weekday, std::slice::from_ref(&date)), n(5.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(2.0)]), n(4.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(3.0)]), n(3.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(11.0)]), n(4.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(12.0)]), n(3.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(14.0)]), n(1.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(15.0)]), n(7.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(16.0)]), n(6.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(17.0)]), n(5.0));
    assert_eq!(eval(Weekday, &[date.clone(), n(4.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Weekday, &[date, n(10.0)]), Value::Error(ExcelError::Num));
}

#[test]
fn datevalue_and_timevalue_documented_examples() {
    use DateTimeFn::{DateValue, TimeValue};
    assert_eq!(eval(DateValue, &[t("8/22/2011")]), n(40777.0));
    assert_eq!(eval(DateValue, &[t("22-MAY-2011")]), n(40685.0));
    assert_eq!(eval(DateValue, &[t("2011/02/23")]), n(40597.0));
    assert_eq!(eval(DateValue, &[t("22-Aug-2011 6:35 AM")]), n(40777.0));
    assert_eq!(eval(DateValue, &[n(40777.0)]), Value::Error(ExcelError::Value));
    assert_eq!(eval(DateValue, &[t("2/30/2011")]), Value::Error(ExcelError::Value));
    assert_close(eval(TimeValue, &[t("2:24 AM")]), 0.1);
    assert_close(eval(TimeValue, &[t("22-Aug-2011 6:35 AM")]), 0.274305556);
    assert_close(eval(TimeValue, &[t("25:00")]), 1.0 / 24.0);
    assert_eq!(eval(TimeValue, &[t("noon")]), Value::Error(ExcelError::Value));
}

#[test]
fn edate_and_eomonth_documented_examples() {
    use DateTimeFn::{EDate, EOMonth};
    assert_eq!(eval(EDate, &[t("15-Jan-11"), n(1.0)]), n(40589.0));
    assert_eq!(eval(EDate, &[t("15-Jan-11"), n(-1.0)]), n(40527.0));
    assert_eq!(eval(EDate, &[t("15-Jan-11"), n(2.0)]), n(40617.0));
    // 31 January plus one month is the last day of February.
    assert_eq!(eval(EDate, &[t("31-Jan-2011"), n(1.0)]), n(40602.0));
    assert_eq!(eval(EOMonth, &[t("1-Jan-11"), n(1.0)]), n(40602.0));
    assert_eq!(eval(EOMonth, &[t("1-Jan-11"), n(-3.0)]), n(40482.0));
    assert_eq!(eval(EDate, &[n(-1.0), n(1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(EOMonth, &[n(1.0), n(-2.0)]), Value::Error(ExcelError::Num));
}

#[test]
fn days_documented_examples() {
    use DateTimeFn::Days;
    assert_eq!(eval(Days, &[t("15-MAR-2021"), t("1-FEB-2021")]), n(42.0));
    assert_eq!(eval(Days, &[t("31-DEC-2021"), t("1-JAN-2021")]), n(364.0));
    assert_eq!(eval(Days, &[n(10.9), n(20.1)]), n(-10.0));
    assert_eq!(eval(Days, &[t("x"), n(1.0)]), Value::Error(ExcelError::Value));
}

#[test]
fn networkdays_documented_examples() {
    use DateTimeFn::NetworkDays;
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set_column(0, 0, 0, vec![t("11/22/2012"), t("12/4/2012"), t("1/21/2013")]);
    let holidays = |rows: u32| {
        Operand::Ref(Reference::Range(RangeRef {
            sheet: 0,
            first_row: 0,
            first_col: 0,
            last_row: rows - 1,
            last_col: 0,
        }))
    };
    let start = Operand::Value(t("10/1/2012"));
    let end = Operand::Value(t("3/1/2013"));
    let f = Function::DateTime(NetworkDays);
    let run = |args: Vec<Operand>| call(f, args, &ctx).to_value(&ctx);
    assert_eq!(run(vec![start.clone(), end.clone()]), n(110.0));
    assert_eq!(run(vec![start.clone(), end.clone(), holidays(1)]), n(109.0));
    assert_eq!(run(vec![start.clone(), end.clone(), holidays(3)]), n(107.0));
    assert_eq!(run(vec![end, start]), n(-110.0));
}

#[test]
fn the_1904_date_system() {
    use DateTimeFn::{Date, DateValue, Day, Weekday, Year};
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.use_1904();
    assert_eq!(eval_in(&ctx, Date, &[n(1904.0), n(1.0), n(1.0)]), n(0.0));
    assert_eq!(eval_in(&ctx, Date, &[n(2008.0), n(1.0), n(1.0)]), n(39448.0 - 1462.0));
    assert_eq!(eval_in(&ctx, Date, &[n(1903.0), n(12.0), n(31.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval_in(&ctx, Year, &[n(0.0)]), n(1904.0));
    assert_eq!(eval_in(&ctx, Day, &[n(0.0)]), n(1.0));
    assert_eq!(eval_in(&ctx, DateValue, &[t("8/22/2011")]), n(40777.0 - 1462.0));
    assert_eq!(eval_in(&ctx, Year, &[t("8/22/2011")]), n(2011.0));
    // 1904-01-01 was a Friday.
    assert_eq!(eval_in(&ctx, Weekday, &[n(0.0)]), n(6.0));
}

#[test]
fn date_text_in_the_day_first_order_of_en_gb() {
    use DateTimeFn::{DateValue, Day, EDate, Month, TimeValue, Year};
    let value_err = Value::Error(ExcelError::Value);
    let mut en_gb = MapContext::new(&["Sheet1"]);
    en_gb.use_date_order(DateOrder::DayFirst);
    let en_us = MapContext::new(&["Sheet1"]);
    // Excel in en-GB reads "2/3/2023" as 2 March 2023 and "13/1/2024" as
    // 13 January 2024, and has no month 13 for "1/13/2024"; en-US reads
    // them the other way round.
    assert_eq!(eval_in(&en_gb, DateValue, &[t("2/3/2023")]), n(44987.0));
    assert_eq!(eval_in(&en_gb, DateValue, &[t("13/1/2024")]), n(45304.0));
    assert_eq!(eval_in(&en_gb, DateValue, &[t("1/13/2024")]), value_err);
    assert_eq!(eval_in(&en_us, DateValue, &[t("2/3/2023")]), n(44960.0));
    assert_eq!(eval_in(&en_us, DateValue, &[t("1/13/2024")]), n(45304.0));
    assert_eq!(eval_in(&en_us, DateValue, &[t("13/1/2024")]), value_err);
    // The date functions read date text the same way.
    assert_eq!(eval_in(&en_gb, Month, &[t("2/3/2023")]), n(3.0));
    assert_eq!(eval_in(&en_gb, Day, &[t("22/8/2011 6:35 AM")]), n(22.0));
    assert_eq!(eval_in(&en_gb, Year, &[t("1/13/2024")]), value_err);
    assert_eq!(eval_in(&en_gb, EDate, &[t("15/1/2011"), n(1.0)]), n(40589.0));
    assert_close(eval_in(&en_gb, TimeValue, &[t("22/8/2011 6:35 AM")]), 0.274305556);
    // Year-first dates and month names leave no doubt in either order.
    for text in ["2024-03-15", "15-Mar-2024"] {
        assert_eq!(eval_in(&en_gb, DateValue, &[t(text)]), n(45366.0), "{text}");
        assert_eq!(eval_in(&en_us, DateValue, &[t(text)]), n(45366.0), "{text}");
    }
}

#[test]
fn arrays_broadcast_over_scalar_parameters() {
    let array = Array::new(1, 3, vec![n(1.0), n(60.0), n(61.0)]).unwrap();
    let result = eval(DateTimeFn::Day, &[Value::Array(Arc::new(array))]);
    let expected = Array::new(1, 3, vec![n(1.0), n(29.0), n(1.0)]).unwrap();
    assert_eq!(result, Value::Array(Arc::new(expected)));
}

#[test]
fn references_are_read_through_the_context() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set(0, 0, 0, 40544.0).at(CellAddr::new(0, 0, 1));
    let cell = Operand::Ref(Reference::Range(RangeRef::cell(CellAddr::new(0, 0, 0))));
    let result = call(Function::DateTime(DateTimeFn::Year), vec![cell], &ctx);
    assert_eq!(result.to_value(&ctx), n(2011.0));
}

#[test]
fn now_and_today_are_volatile_and_recent() {
    assert!(DateTimeFn::Now.signature().volatile);
    assert!(DateTimeFn::Today.signature().volatile);
    let Value::Number(today) = eval(DateTimeFn::Today, &[]) else { panic!("not a number") };
    let Value::Number(now) = eval(DateTimeFn::Now, &[]) else { panic!("not a number") };
    // 2024-01-01 is serial 45292; the clock is past it.
    assert!(today > 45292.0 && today.fract() == 0.0);
    assert!(now >= today && now < today + 1.0);
}

/// Cases Excel computed in the conformance workbooks of the shared corpus
/// (DATE.xlsx, DATE_DAY_MONTH_YEAR.xlsx, TIME_HOUR_MINUTE_SECOND.xlsx,
/// EOMONTH.xlsx, DATE_TIME.xlsx).
#[test]
fn excel_computed_dates() {
    use DateTimeFn::{Date, DateValue, EDate, EOMonth, TimeValue};
    assert_eq!(eval(Date, &[n(2022.0), n(13.0), n(1.0)]), n(44927.0));
    assert_eq!(eval(Date, &[n(9999.0), n(13.0), n(-1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[n(0.0), n(0.0), n(1.0)]), Value::Error(ExcelError::Num));
    assert_eq!(eval(Date, &[n(1976.0), n(2.0), n(29.0)]), n(27819.0));
    assert_eq!(eval(Date, &[n(1976.0), n(1.0), n(60.0)]), n(27819.0));
    assert_eq!(eval(Date, &[n(1975.0), n(1.0), n(60.0)]), n(27454.0));
    assert_eq!(eval(Date, &[n(2000.0), n(1.0), n(60.0)]), n(36585.0));
    assert_eq!(eval(EDate, &[n(32111.0), n(5.0)]), n(32263.0));
    assert_eq!(eval(EDate, &[n(32111.0), n(-5.0)]), n(31958.0));
    assert_eq!(eval(EDate, &[n(32112.0), n(-235.5)]), n(24959.0));
    assert_eq!(eval(EDate, &[n(32113.0), n(-11.2)]), n(31779.0));
    assert_eq!(eval(EDate, &[n(32112.0), n(82.9)]), n(34608.0));
    assert_eq!(eval(EDate, &[n(32112.0), Value::Empty]), n(32112.0));
    assert_eq!(
        eval(EDate, &[n(32112.0), Value::Error(ExcelError::Div0)]),
        Value::Error(ExcelError::Div0)
    );
    assert_eq!(eval(EOMonth, &[n(44987.0), n(7.0)]), n(45230.0));
    assert_eq!(eval(EOMonth, &[n(44987.0), n(-123.0)]), n(41274.0));
    assert_eq!(eval(EOMonth, &[n(44987.0), n(4.5)]), n(45138.0));
    assert_eq!(eval(EOMonth, &[n(44987.0), n(-4.7)]), n(44895.0));
    assert_eq!(eval(EOMonth, &[n(44987.0), Value::Bool(true)]), Value::Error(ExcelError::Value));
    assert_eq!(eval(EOMonth, &[n(44987.0), t("2")]), n(45077.0));
    assert_eq!(eval(EOMonth, &[n(44987.0), n(-1240.333)]), n(7274.0));
    assert_eq!(eval(EOMonth, &[n(20881.0), n(1230.0)]), n(58348.0));
    assert_eq!(eval(DateValue, &[t("29-Feb-1900")]), n(60.0));
    assert_eq!(eval(DateValue, &[t("1-Mar-1900")]), n(61.0));
    assert_eq!(eval(DateValue, &[t("2024-02-29 06:00")]), n(45351.0));
    assert_eq!(eval(TimeValue, &[t("24:00")]), n(0.0));
    assert_eq!(eval(TimeValue, &[t(" 1:30 ")]), n(0.0625));
    assert_eq!(eval(TimeValue, &[t("12:00 PM")]), n(0.5));
}

#[test]
fn excel_computed_times() {
    use DateTimeFn::{Hour, Minute, Second, Time};
    let time = |h: f64, m: f64, s: f64| eval(Time, &[n(h), n(m), n(s)]);
    assert_close(time(3.0, 2.0, 1.0), 0.126_400_462_962_963);
    assert_close(time(24.0, 2.0, 3.0), 0.001_423_611_111_111);
    assert_close(time(16.0, 60.0, 24.0), 0.708_611_111_111_111);
    assert_close(time(3.1, 20.7, 0.9), 0.138_888_888_888_889);
    assert_close(time(23.0, 59.0, 59.999999), 0.999_988_425_925_926);
    assert_close(time(23.0, 59.0, 60.0), 0.0);
    assert_close(time(23.0, 120.0, 0.0), 0.041_666_666_666_667);
    assert_eq!(eval(Time, &[Value::Empty, n(23.0), Value::Empty]), n(23.0 / 1440.0));
    assert_eq!(time(-1.0, 1.0, 1.0), Value::Error(ExcelError::Num));
    let serial = n(0.999_988_425_925_926);
    assert_eq!(eval(Hour, std::slice::from_ref(&serial)), n(23.0));
    assert_eq!(eval(Minute, std::slice::from_ref(&serial)), n(59.0));
    assert_eq!(eval(Second, &[serial]), n(59.0));
    assert_eq!(eval(Hour, &[n(0.001_423_611_111_111)]), n(0.0));
    assert_eq!(eval(Second, &[n(0.001_423_611_111_111)]), n(3.0));
}

#[test]
fn date_text_without_a_year_is_in_the_current_year() {
    use DateTimeFn::{DateValue, Day, Month, Today, Year};
    // DATEVALUE's documentation: "5-JUL" is 5 July of the current year.
    let serial = eval(DateValue, &[t("5-JUL")]);
    assert_eq!(eval(Day, std::slice::from_ref(&serial)), n(5.0));
    assert_eq!(eval(Month, std::slice::from_ref(&serial)), n(7.0));
    let this_year = eval(Year, &[eval(Today, &[])]);
    assert_eq!(eval(Year, &[serial]), this_year);
}

#[test]
fn datedif_documented_examples() {
    use DateTimeFn::DateDif;
    let dif = |start: &str, end: &str, unit: &str| eval(DateDif, &[t(start), t(end), t(unit)]);
    assert_eq!(dif("1/1/2001", "1/1/2003", "Y"), n(2.0));
    assert_eq!(dif("6/1/2001", "8/15/2002", "D"), n(440.0));
    assert_eq!(dif("6/1/2001", "8/15/2002", "YD"), n(75.0));
    assert_eq!(dif("6/1/2001", "8/15/2002", "md"), n(14.0));
    assert_eq!(dif("6/1/2001", "8/15/2002", "M"), n(14.0));
    assert_eq!(dif("6/1/2001", "8/15/2002", "YM"), n(2.0));
    assert_eq!(dif("1/31/2024", "2/29/2024", "M"), n(0.0));
    assert_eq!(dif("2/29/2024", "2/28/2025", "Y"), n(0.0));
    // The documented MD caveat: from 31 January to 1 March 2015 the count
    // starts on "31 February", which DATE rolls to 3 March.
    assert_eq!(dif("1/31/2015", "3/1/2015", "MD"), n(-2.0));
    assert_eq!(dif("1/2/2001", "1/1/2001", "D"), Value::Error(ExcelError::Num));
    assert_eq!(dif("1/1/2001", "1/2/2001", "W"), Value::Error(ExcelError::Num));
}

#[test]
fn week_numbers_documented_examples() {
    use DateTimeFn::{IsoWeekNum, WeekNum};
    // WEEKNUM's documentation: 9 March 2012 is week 10 counting from
    // Sunday and week 11 counting from Monday; ISOWEEKNUM's gives 10.
    assert_eq!(eval(WeekNum, &[t("3/9/2012")]), n(10.0));
    assert_eq!(eval(WeekNum, &[t("3/9/2012"), n(2.0)]), n(11.0));
    assert_eq!(eval(IsoWeekNum, &[t("3/9/2012")]), n(10.0));
    assert_eq!(eval(WeekNum, &[t("1/1/2012")]), n(1.0));
    assert_eq!(eval(WeekNum, &[t("3/9/2012"), n(3.0)]), Value::Error(ExcelError::Num));
    // 1 January 2021 was a Friday, in ISO week 53 of 2020; 30 December 2024
    // was a Monday, in ISO week 1 of 2025.
    assert_eq!(eval(IsoWeekNum, &[t("1/1/2021")]), n(53.0));
    assert_eq!(eval(WeekNum, &[t("1/1/2021"), n(21.0)]), n(53.0));
    assert_eq!(eval(IsoWeekNum, &[t("12/30/2024")]), n(1.0));
    assert_eq!(eval(IsoWeekNum, &[t("12/29/2024")]), n(52.0));
}

#[test]
fn workday_documented_examples() {
    use DateTimeFn::WorkDay;
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set_column(0, 0, 0, vec![t("11/26/2008"), t("12/4/2008"), t("1/21/2009")]);
    let holidays = Operand::Ref(Reference::Range(RangeRef {
        sheet: 0,
        first_row: 0,
        first_col: 0,
        last_row: 2,
        last_col: 0,
    }));
    let run = |args: Vec<Operand>| call(Function::DateTime(WorkDay), args, &ctx).to_value(&ctx);
    let start = Operand::Value(t("10/1/2008"));
    let days = Operand::Value(n(151.0));
    // WORKDAY's documentation: 151 working days after 1 October 2008 is
    // 30 April 2009 (39933), or 5 May 2009 (39938) with the holidays.
    assert_eq!(run(vec![start.clone(), days.clone()]), n(39933.0));
    assert_eq!(run(vec![start.clone(), days, holidays]), n(39938.0));
    // Friday 3 October 2008 minus one working day is Thursday 2 October
    // (39723); zero days keeps a weekend start.
    assert_eq!(run(vec![Operand::Value(t("10/3/2008")), Operand::Value(n(-1.0))]), n(39723.0));
    assert_eq!(run(vec![Operand::Value(t("10/4/2008")), Operand::Value(n(0.0))]), n(39725.0));
    assert_eq!(
        run(vec![Operand::Value(n(1.0)), Operand::Value(n(-5.0))]),
        Value::Error(ExcelError::Num)
    );
}

fn date(y: i64, m: u32, d: i64) -> Value {
    n(super::calendar::serial_from_ymd(y, m, d, false))
}

#[test]
fn days360_corpus_values() {
    // DAYS_DAYS360.xlsx: US method unless the third argument is TRUE.
    use DateTimeFn::Days360;
    assert_eq!(eval(Days360, &[date(2025, 1, 1), date(2025, 1, 10)]), n(9.0));
    assert_eq!(eval(Days360, &[date(1990, 5, 12), date(9990, 5, 12)]), n(2_880_000.0));
    assert_eq!(eval(Days360, &[date(2024, 2, 28), date(2024, 3, 1)]), n(3.0));
    assert_eq!(eval(Days360, &[date(2024, 2, 29), date(2025, 2, 28)]), n(358.0));
    assert_eq!(eval(Days360, &[date(2025, 6, 30), date(2025, 7, 31)]), n(30.0));
    assert_eq!(eval(Days360, &[date(2025, 7, 30), date(2025, 7, 31)]), n(0.0));
    assert_eq!(eval(Days360, &[date(2024, 1, 31), date(2024, 2, 28)]), n(28.0));
    assert_eq!(eval(Days360, &[n(45992.000001), n(46000.999999)]), n(9.0));
    assert_eq!(eval(Days360, &[n(-10.0), n(-5.0)]), Value::Error(ExcelError::Num));
    let january = [date(2025, 1, 1), date(2025, 1, 31)];
    assert_eq!(
        eval(Days360, &[january[0].clone(), january[1].clone(), Value::Bool(true)]),
        n(29.0)
    );
    assert_eq!(
        eval(Days360, &[january[0].clone(), january[1].clone(), Value::Bool(false)]),
        n(30.0)
    );
    assert_eq!(
        eval(Days360, &[january[0].clone(), january[1].clone(), t("x")]),
        Value::Error(ExcelError::Value)
    );
}

#[test]
fn yearfrac_corpus_values() {
    // YEARFRAC.xlsx rows 2, 3, 19 to 21 and Sheet2!A1.
    use DateTimeFn::YearFrac;
    let (start, end) = (date(2008, 3, 1), date(2008, 8, 31));
    assert_close(eval(YearFrac, &[start.clone(), end.clone(), n(0.0)]), 0.5);
    assert_close(eval(YearFrac, &[start, end, n(1.0)]), 0.5);
    let (start, end) = (date(1995, 5, 5), date(2026, 6, 6));
    assert_close(eval(YearFrac, &[start.clone(), end.clone(), n(0.0)]), 31.086111111111112);
    assert_close(eval(YearFrac, &[start.clone(), end.clone(), n(1.0)]), 31.08829568788501);
    assert_close(eval(YearFrac, &[start.clone(), end.clone(), n(2.0)]), 31.541666666666668);
    assert_eq!(eval(YearFrac, &[start, end, n(5.0)]), Value::Error(ExcelError::Num));
    // The dates may come in either order.
    assert_close(eval(YearFrac, &[n(44921.0), n(44561.0), n(2.0)]), 1.0);
}
