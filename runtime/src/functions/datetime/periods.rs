//! Spans and week numbers: DATEDIF, WEEKNUM and ISOWEEKNUM.

use super::calendar::{serial_from_ymd, shift_month, to_1900, ymd_from_serial, Ymd};
use super::serial_arg;
use crate::coerce::{arg, arg_number_or};
use crate::reference::{Context, Operand};
use crate::value::ExcelError;

/// The whole serial and calendar date of a date argument.
fn date_arg(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<(i64, Ymd), ExcelError> {
    let serial = serial_arg(args, index, ctx)?.floor() as i64;
    Ok((serial, ymd_from_serial(serial, ctx.date_1904())))
}

/// The serial of a day in a month, the day rolling into the next month
/// when the month is shorter (29 February in a common year is 1 March).
fn serial_of(year: i64, month: u32, day: u32, ctx: &dyn Context) -> i64 {
    serial_from_ymd(year, month, i64::from(day), ctx.date_1904()) as i64
}

/// `DATEDIF(start_date, end_date, unit)`: the time between two dates in
/// whole years (`"Y"`), months (`"M"`) or days (`"D"`); `"YM"` is the
/// months left over after whole years, `"YD"` the days after whole years
/// and `"MD"` the days after whole months (negative in some month-end
/// cases, as in Excel). The unit is case-insensitive.
/// A start after the end, or another unit, is `#NUM!`.
pub(super) fn fn_datedif(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (start_serial, start) = date_arg(args, 0, ctx)?;
    let (end_serial, end) = date_arg(args, 1, ctx)?;
    let unit = arg(args, 2, ctx).to_text()?.to_ascii_uppercase();
    if start_serial > end_serial {
        return Err(ExcelError::Num);
    }
    let months = {
        let whole =
            (end.year * 12 + i64::from(end.month)) - (start.year * 12 + i64::from(start.month));
        whole - i64::from(end.day < start.day)
    };
    let result = match unit.as_str() {
        "D" => end_serial - start_serial,
        "M" => months,
        "Y" => months / 12,
        "YM" => months % 12,
        "YD" => {
            // The start's day and month in the end's year, or the year
            // before when that falls after the end.
            let this_year = serial_of(end.year, start.month, start.day, ctx);
            let anniversary = if this_year > end_serial {
                serial_of(end.year - 1, start.month, start.day, ctx)
            } else {
                this_year
            };
            end_serial - anniversary
        }
        "MD" => {
            // Excel counts from the start's day in the month before the
            // end's, rolling over as DATE does: from 31 January to 1 March
            // 2015 it counts from "31 February" (3 March) and gives -2.
            if end.day >= start.day {
                i64::from(end.day - start.day)
            } else {
                let (year, month) = shift_month(end.year, end.month, -1);
                end_serial - serial_of(year, month, start.day, ctx)
            }
        }
        _ => return Err(ExcelError::Num),
    };
    Ok(result as f64)
}

/// The weekday of a serial with Sunday as 0.
fn sunday_based(serial: i64, ctx: &dyn Context) -> i64 {
    (to_1900(serial as f64, ctx.date_1904()) as i64 + 6).rem_euclid(7)
}

/// `WEEKNUM(serial_number, [return_type])`: the week of the year, the week
/// holding 1 January being week 1. Weeks start on Sunday for return type 1
/// (default) and 17, Monday for 2 and 11, Tuesday to Saturday for 12 to 16;
/// return type 21 gives the ISO week (as ISOWEEKNUM). Other types are
/// `#NUM!`.
pub(super) fn fn_weeknum(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (serial, date) = date_arg(args, 0, ctx)?;
    let week_start = match arg_number_or(args, 1, 1.0, ctx)?.trunc() as i64 {
        1 | 17 => 0,
        2 | 11 => 1,
        t @ 12..=16 => t - 10,
        21 => return Ok(iso_week(serial, date, ctx) as f64),
        _ => return Err(ExcelError::Num),
    };
    let january_first = serial_of(date.year, 1, 1, ctx);
    let lead = (sunday_based(january_first, ctx) - week_start).rem_euclid(7);
    Ok(((serial - january_first + lead) / 7 + 1) as f64)
}

/// `ISOWEEKNUM(date)`: the ISO 8601 week number: weeks start on Monday and
/// week 1 is the one holding the year's first Thursday, so early January
/// may be week 52 or 53 and late December week 1.
pub(super) fn fn_isoweeknum(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let (serial, date) = date_arg(args, 0, ctx)?;
    Ok(iso_week(serial, date, ctx) as f64)
}

/// The ISO week of a date: the week of the Thursday of its Monday-based
/// week, counted in that Thursday's year.
fn iso_week(serial: i64, date: Ymd, ctx: &dyn Context) -> i64 {
    let monday_based = (sunday_based(serial, ctx) + 6).rem_euclid(7);
    let thursday = serial - monday_based + 3;
    let thursday_year = if thursday < serial_of(date.year, 1, 1, ctx) {
        date.year - 1
    } else if thursday >= serial_of(date.year + 1, 1, 1, ctx) {
        date.year + 1
    } else {
        date.year
    };
    (thursday - serial_of(thursday_year, 1, 1, ctx)) / 7 + 1
}
