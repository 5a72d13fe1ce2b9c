//! Date and time functions: DATE, TIME, YEAR … SECOND, WEEKDAY, DATEVALUE,
//! TIMEVALUE, EDATE, EOMONTH, DAYS, NETWORKDAYS, WORKDAY, DATEDIF, WEEKNUM,
//! ISOWEEKNUM, DAYS360, YEARFRAC, NOW and TODAY.
//!
//! Dates are serial numbers of the workbook's date system ([`calendar`]);
//! every function reads `ctx.date_1904()`, so a 1904 workbook gets its own
//! serials; date text is read in the day-month order of `ctx.date_order()`.
//! Serials below 0 or past 9999-12-31 are `#NUM!`.

pub mod calendar;
pub(crate) mod daycount;
pub mod parse;
mod periods;

use crate::coerce::{arg, arg_number, arg_number_or, number_operand, parse_number_in};
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

use calendar::{
    add_months, days_in_month, in_range, serial_from_ymd, shift_month, ymd_from_serial,
};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateTimeFn {
    Date,
    Time,
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Weekday,
    DateValue,
    TimeValue,
    EDate,
    EOMonth,
    Days,
    NetworkDays,
    WorkDay,
    DateDif,
    WeekNum,
    IsoWeekNum,
    Days360,
    YearFrac,
    Now,
    Today,
}

const SCALARS: &[Param] = &[Param::Scalar];
const NETWORKDAYS_PARAMS: &[Param] = &[Param::Scalar, Param::Scalar, Param::Range];

impl DateTimeFn {
    /// Every function of this category.
    pub const ALL: &'static [DateTimeFn] = &[
        DateTimeFn::Date,
        DateTimeFn::Time,
        DateTimeFn::Year,
        DateTimeFn::Month,
        DateTimeFn::Day,
        DateTimeFn::Hour,
        DateTimeFn::Minute,
        DateTimeFn::Second,
        DateTimeFn::Weekday,
        DateTimeFn::DateValue,
        DateTimeFn::TimeValue,
        DateTimeFn::EDate,
        DateTimeFn::EOMonth,
        DateTimeFn::Days,
        DateTimeFn::NetworkDays,
        DateTimeFn::WorkDay,
        DateTimeFn::DateDif,
        DateTimeFn::WeekNum,
        DateTimeFn::IsoWeekNum,
        DateTimeFn::Days360,
        DateTimeFn::YearFrac,
        DateTimeFn::Now,
        DateTimeFn::Today,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            DateTimeFn::Date => "DATE",
            DateTimeFn::Time => "TIME",
            DateTimeFn::Year => "YEAR",
            DateTimeFn::Month => "MONTH",
            DateTimeFn::Day => "DAY",
            DateTimeFn::Hour => "HOUR",
            DateTimeFn::Minute => "MINUTE",
            DateTimeFn::Second => "SECOND",
            DateTimeFn::Weekday => "WEEKDAY",
            DateTimeFn::DateValue => "DATEVALUE",
            DateTimeFn::TimeValue => "TIMEVALUE",
            DateTimeFn::EDate => "EDATE",
            DateTimeFn::EOMonth => "EOMONTH",
            DateTimeFn::Days => "DAYS",
            DateTimeFn::NetworkDays => "NETWORKDAYS",
            DateTimeFn::WorkDay => "WORKDAY",
            DateTimeFn::DateDif => "DATEDIF",
            DateTimeFn::WeekNum => "WEEKNUM",
            DateTimeFn::IsoWeekNum => "ISOWEEKNUM",
            DateTimeFn::Days360 => "DAYS360",
            DateTimeFn::YearFrac => "YEARFRAC",
            DateTimeFn::Now => "NOW",
            DateTimeFn::Today => "TODAY",
        }
    }

    pub fn signature(self) -> Signature {
        match self {
            DateTimeFn::Date | DateTimeFn::Time => Signature::new(3, Some(3), SCALARS),
            DateTimeFn::Year
            | DateTimeFn::Month
            | DateTimeFn::Day
            | DateTimeFn::Hour
            | DateTimeFn::Minute
            | DateTimeFn::Second
            | DateTimeFn::DateValue
            | DateTimeFn::TimeValue => Signature::new(1, Some(1), SCALARS),
            DateTimeFn::Weekday => Signature::new(1, Some(2), SCALARS),
            DateTimeFn::EDate | DateTimeFn::EOMonth | DateTimeFn::Days => {
                Signature::new(2, Some(2), SCALARS)
            }
            DateTimeFn::NetworkDays | DateTimeFn::WorkDay => {
                Signature::new(2, Some(3), NETWORKDAYS_PARAMS)
            }
            DateTimeFn::DateDif => Signature::new(3, Some(3), SCALARS),
            DateTimeFn::WeekNum => Signature::new(1, Some(2), SCALARS),
            DateTimeFn::IsoWeekNum => Signature::new(1, Some(1), SCALARS),
            DateTimeFn::Days360 | DateTimeFn::YearFrac => Signature::new(2, Some(3), SCALARS),
            DateTimeFn::Now | DateTimeFn::Today => Signature::new(0, Some(0), SCALARS).volatile(),
        }
    }
}

pub(crate) fn call(f: DateTimeFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        DateTimeFn::Date => number_operand(fn_date(args, ctx)),
        DateTimeFn::Time => number_operand(fn_time(args, ctx)),
        DateTimeFn::Year => number_operand(fn_year(args, ctx)),
        DateTimeFn::Month => number_operand(fn_month(args, ctx)),
        DateTimeFn::Day => number_operand(fn_day(args, ctx)),
        DateTimeFn::Hour => number_operand(fn_hour(args, ctx)),
        DateTimeFn::Minute => number_operand(fn_minute(args, ctx)),
        DateTimeFn::Second => number_operand(fn_second(args, ctx)),
        DateTimeFn::Weekday => number_operand(fn_weekday(args, ctx)),
        DateTimeFn::DateValue => number_operand(fn_datevalue(args, ctx)),
        DateTimeFn::TimeValue => number_operand(fn_timevalue(args, ctx)),
        DateTimeFn::EDate => number_operand(fn_edate(args, ctx)),
        DateTimeFn::EOMonth => number_operand(fn_eomonth(args, ctx)),
        DateTimeFn::Days => number_operand(fn_days(args, ctx)),
        DateTimeFn::NetworkDays => number_operand(fn_networkdays(args, ctx)),
        DateTimeFn::WorkDay => number_operand(fn_workday(args, ctx)),
        DateTimeFn::DateDif => number_operand(periods::fn_datedif(args, ctx)),
        DateTimeFn::WeekNum => number_operand(periods::fn_weeknum(args, ctx)),
        DateTimeFn::IsoWeekNum => number_operand(periods::fn_isoweeknum(args, ctx)),
        DateTimeFn::Days360 => number_operand(daycount::fn_days360(args, ctx)),
        DateTimeFn::YearFrac => number_operand(daycount::fn_yearfrac(args, ctx)),
        DateTimeFn::Now => number_operand(Ok(fn_now(ctx))),
        DateTimeFn::Today => number_operand(Ok(fn_today(ctx))),
    }
}

/// A date or time argument: a number, or text read as a number or a date in
/// the workbook's date system; a serial below 0 or past 9999-12-31 is `#NUM!`.
pub(crate) fn serial_arg(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    let serial = match arg(args, index, ctx) {
        Value::Text(t) => parse_number_in(&t, ctx).ok_or(ExcelError::Value)?,
        other => other.to_number()?,
    };
    if in_range(serial, ctx.date_1904()) {
        Ok(serial)
    } else {
        Err(ExcelError::Num)
    }
}

/// An integer argument truncated toward zero and clamped far past any valid
/// result, so the calendar arithmetic cannot overflow.
fn int_arg(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<i64, ExcelError> {
    let n = arg_number(args, index, ctx)?;
    Ok(n.trunc().clamp(-1e9, 1e9) as i64)
}

/// EDATE's and EOMONTH's arguments: booleans are `#VALUE!` there, unlike
/// in most date functions.
fn reject_bools(args: &[Operand], ctx: &dyn Context) -> Result<(), ExcelError> {
    for index in 0..2 {
        if let Value::Bool(_) = arg(args, index, ctx) {
            return Err(ExcelError::Value);
        }
    }
    Ok(())
}

/// A computed serial, or `#NUM!` when it leaves the date system's range.
fn checked(serial: f64, ctx: &dyn Context) -> Result<f64, ExcelError> {
    if in_range(serial, ctx.date_1904()) {
        Ok(serial)
    } else {
        Err(ExcelError::Num)
    }
}

/// `DATE(year, month, day)`: arguments are truncated; a year of 0..=1899 has
/// 1900 added; months and days past their range roll into the next or
/// previous year or month (`DATE(2008,14,2)` is 2009-02-02,
/// `DATE(2008,1,-15)` is 2007-12-16). A year below 0 or from 10000 (before
/// or after months roll over), or a result before the system's first day,
/// is `#NUM!`.
fn fn_date(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let mut year = int_arg(args, 0, ctx)?;
    let month = int_arg(args, 1, ctx)?;
    let day = int_arg(args, 2, ctx)?;
    if !(0..10_000).contains(&year) {
        return Err(ExcelError::Num);
    }
    if year < 1900 {
        year += 1900;
    }
    let (year, month) = shift_month(year, 1, month - 1);
    // Excel checks the year after months roll over, before adding days:
    // DATE(9999,13,-1) is #NUM! although 9999-12-30 exists.
    if year > 9999 {
        return Err(ExcelError::Num);
    }
    checked(serial_from_ymd(year, month, day, ctx.date_1904()), ctx)
}

/// `TIME(hour, minute, second)`: the time as a fraction of a day, 0 to just
/// under 1. Arguments are truncated and may overflow into the next unit;
/// whole days are dropped (`TIME(27,0,0)` is 0.125). A total below zero or
/// an argument above 32767 is `#NUM!`.
fn fn_time(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let hour = int_arg(args, 0, ctx)?;
    let minute = int_arg(args, 1, ctx)?;
    let second = int_arg(args, 2, ctx)?;
    if [hour, minute, second].iter().any(|&n| n > 32_767) {
        return Err(ExcelError::Num);
    }
    let total = hour * 3600 + minute * 60 + second;
    if total < 0 {
        return Err(ExcelError::Num);
    }
    Ok((total % 86_400) as f64 / 86_400.0)
}

/// The calendar date of a date argument.
fn date_of(args: &[Operand], ctx: &dyn Context) -> Result<calendar::Ymd, ExcelError> {
    let serial = serial_arg(args, 0, ctx)?;
    Ok(ymd_from_serial(serial.floor() as i64, ctx.date_1904()))
}

/// `YEAR(serial_number)`: the year, 1900 to 9999 (1904 to 9999 in the 1904
/// system). Text dates are read; a negative serial is `#NUM!`.
fn fn_year(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    date_of(args, ctx).map(|d| d.year as f64)
}

/// `MONTH(serial_number)`: the month, 1 to 12; `MONTH(60)` is 2 because of
/// the 1900 system's fictitious 1900-02-29.
fn fn_month(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    date_of(args, ctx).map(|d| f64::from(d.month))
}

/// `DAY(serial_number)`: the day of the month; `DAY(0)` is 0 and `DAY(60)`
/// is 29 in the 1900 system.
fn fn_day(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    date_of(args, ctx).map(|d| f64::from(d.day))
}

/// The time of day of a serial, in whole seconds (rounded to the nearest
/// second, as Excel does, and wrapping a rounded midnight to 0).
fn seconds_of_day(args: &[Operand], ctx: &dyn Context) -> Result<i64, ExcelError> {
    let serial = serial_arg(args, 0, ctx)?;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    Ok(seconds % 86_400)
}

/// `HOUR(serial_number)`: 0 to 23, from the fractional part.
fn fn_hour(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    seconds_of_day(args, ctx).map(|s| (s / 3600) as f64)
}

/// `MINUTE(serial_number)`: 0 to 59.
fn fn_minute(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    seconds_of_day(args, ctx).map(|s| (s / 60 % 60) as f64)
}

/// `SECOND(serial_number)`: 0 to 59.
fn fn_second(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    seconds_of_day(args, ctx).map(|s| (s % 60) as f64)
}

/// `WEEKDAY(serial_number, [return_type])`: the day of the week. Return type
/// 1 (default) counts Sunday = 1 … Saturday = 7; 2 Monday = 1 … Sunday = 7;
/// 3 Monday = 0 … Sunday = 6; 11 to 17 start at Monday … Sunday = 1. Any
/// other type is `#NUM!`. In the 1900 system serial 1 (1900-01-01) is a
/// Sunday, as Excel counts through its fictitious 1900-02-29.
fn fn_weekday(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let serial = serial_arg(args, 0, ctx)?;
    let return_type = arg_number_or(args, 1, 1.0, ctx)?.trunc() as i64;
    let day_1900 = calendar::to_1900(serial.floor(), ctx.date_1904()) as i64;
    // Sunday is 0: serial 1 is a Sunday by Excel's count.
    let sunday_based = (day_1900 + 6).rem_euclid(7);
    let first_day = match return_type {
        1 | 17 => 0,
        2 | 11 => 1,
        3 => return Ok((sunday_based + 6).rem_euclid(7) as f64),
        12..=16 => return_type - 10,
        _ => return Err(ExcelError::Num),
    };
    Ok(((sunday_based - first_day).rem_euclid(7) + 1) as f64)
}

/// The parsed date/time of a text argument; a non-text argument or text that
/// is no date or time is `#VALUE!`.
fn text_date_arg(args: &[Operand], ctx: &dyn Context) -> Result<parse::DateTimeText, ExcelError> {
    match arg(args, 0, ctx) {
        Value::Text(t) => {
            parse::parse(&t, ctx.date_1904(), ctx.date_order()).ok_or(ExcelError::Value)
        }
        Value::Error(e) => Err(e),
        _ => Err(ExcelError::Value),
    }
}

/// `DATEVALUE(date_text)`: the serial of the date in the text, ignoring any
/// time. A number argument, or text without a date, is `#VALUE!`.
fn fn_datevalue(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    text_date_arg(args, ctx)?.date.ok_or(ExcelError::Value)
}

/// `TIMEVALUE(time_text)`: the time in the text as a fraction of a day (0 to
/// just under 1), ignoring any date; text holding only a date gives 0.
fn fn_timevalue(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let time = text_date_arg(args, ctx)?.time.unwrap_or(0.0);
    Ok(time - time.floor())
}

/// `EDATE(start_date, months)`: the same day `months` later (truncated
/// toward zero, may be negative), clamped to the target month's last day.
/// Boolean arguments are `#VALUE!`.
fn fn_edate(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    reject_bools(args, ctx)?;
    let start = serial_arg(args, 0, ctx)?;
    let months = int_arg(args, 1, ctx)?;
    let date = ymd_from_serial(start.floor() as i64, ctx.date_1904());
    checked(add_months(date, months, ctx.date_1904()), ctx)
}

/// `EOMONTH(start_date, months)`: the last day of the month `months` after
/// the start date's month (months truncated toward zero); booleans are
/// `#VALUE!`.
fn fn_eomonth(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    reject_bools(args, ctx)?;
    let start = serial_arg(args, 0, ctx)?;
    let months = int_arg(args, 1, ctx)?;
    let date = ymd_from_serial(start.floor() as i64, ctx.date_1904());
    let (year, month) = shift_month(date.year, date.month, months);
    let last = i64::from(days_in_month(year, month));
    checked(serial_from_ymd(year, month, last, ctx.date_1904()), ctx)
}

/// `DAYS(end_date, start_date)`: whole days between the two dates (both
/// truncated); text dates are read, other text is `#VALUE!`.
fn fn_days(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let end = serial_arg(args, 0, ctx)?;
    let start = serial_arg(args, 1, ctx)?;
    Ok(end.floor() - start.floor())
}

/// `NETWORKDAYS(start_date, end_date, [holidays])`: the working days
/// (Monday to Friday) from start to end inclusive, less the holidays that
/// fall on them; negative when the end is before the start. A holiday that
/// is not a number or date is `#VALUE!`.
fn fn_networkdays(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let start = serial_arg(args, 0, ctx)?.floor() as i64;
    let end = serial_arg(args, 1, ctx)?.floor() as i64;
    let holidays = holiday_serials(args.get(2), ctx)?;
    let (low, high, sign) = if start <= end { (start, end, 1.0) } else { (end, start, -1.0) };
    let count = (low..=high).filter(|day| is_weekday(*day, ctx) && !holidays.contains(day)).count();
    Ok(sign * count as f64)
}

/// Whether a whole serial falls on Monday to Friday.
fn is_weekday(serial: i64, ctx: &dyn Context) -> bool {
    let offset = calendar::to_1900(0.0, ctx.date_1904()) as i64;
    (serial + offset + 6).rem_euclid(7) % 6 != 0
}

/// `WORKDAY(start_date, days, [holidays])`: the date `days` working days
/// (Monday to Friday, not a holiday) after the start, or before it when
/// `days` is negative; `days` is truncated and 0 gives the start itself. A
/// result outside the date system's range is `#NUM!`.
fn fn_workday(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let start = serial_arg(args, 0, ctx)?.floor() as i64;
    let days = int_arg(args, 1, ctx)?;
    let holidays = holiday_serials(args.get(2), ctx)?;
    let step = days.signum();
    let mut serial = start;
    let mut remaining = days.abs();
    while remaining > 0 {
        serial += step;
        if !in_range(serial as f64, ctx.date_1904()) {
            return Err(ExcelError::Num);
        }
        if is_weekday(serial, ctx) && !holidays.contains(&serial) {
            remaining -= 1;
        }
    }
    Ok(serial as f64)
}

/// The whole serials of NETWORKDAYS' holiday list; empty cells are skipped.
fn holiday_serials(holidays: Option<&Operand>, ctx: &dyn Context) -> Result<Vec<i64>, ExcelError> {
    let Some(holidays) = holidays else {
        return Ok(Vec::new());
    };
    let values = match holidays.to_value(ctx) {
        Value::Array(a) => a.values().to_vec(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for value in values {
        let serial = match value {
            Value::Empty => continue,
            Value::Text(t) => parse_number_in(&t, ctx).ok_or(ExcelError::Value)?,
            other => other.to_number()?,
        };
        out.push(serial.floor() as i64);
    }
    Ok(out)
}

/// `NOW()`: the current date and time as a serial (volatile).
fn fn_now(ctx: &dyn Context) -> f64 {
    calendar::now_serial(ctx.date_1904())
}

/// `TODAY()`: the current date as a whole serial (volatile).
fn fn_today(ctx: &dyn Context) -> f64 {
    fn_now(ctx).floor()
}

#[cfg(test)]
mod tests;
