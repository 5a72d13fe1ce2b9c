//! Day-count conventions: DAYS360's two 30/360 methods and YEARFRAC's five
//! bases, which the securities functions of the financial category share.

use super::calendar::{days_in_month, is_leap_year, serial_from_ymd, ymd_from_serial, Ymd};
use super::serial_arg;
use crate::coerce::{arg, arg_number_or};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// Excel's day-count bases (the `basis` argument of YEARFRAC and the
/// securities functions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Basis {
    /// 0: US (NASD) 30/360.
    Us30_360,
    /// 1: actual days over actual days in the year.
    ActualActual,
    /// 2: actual days over 360.
    Actual360,
    /// 3: actual days over 365.
    Actual365,
    /// 4: European 30/360.
    European30_360,
}

impl Basis {
    /// The basis of a number truncated toward zero; outside 0..=4 is `#NUM!`.
    pub(crate) fn from_number(n: f64) -> Result<Basis, ExcelError> {
        // Truncated first; anything outside 0..=4 (or NaN) falls through.
        let t = n.trunc();
        match t as i64 {
            0 if t == 0.0 => Ok(Basis::Us30_360),
            1 => Ok(Basis::ActualActual),
            2 => Ok(Basis::Actual360),
            3 => Ok(Basis::Actual365),
            4 => Ok(Basis::European30_360),
            _ => Err(ExcelError::Num),
        }
    }

    /// The optional basis argument at `index` (0 when omitted or empty).
    pub(crate) fn arg(
        args: &[Operand],
        index: usize,
        ctx: &dyn Context,
    ) -> Result<Basis, ExcelError> {
        Basis::from_number(arg_number_or(args, index, 0.0, ctx)?)
    }
}

/// Whether a date is the last day of February (29 February 1900, Excel's
/// fictitious day, included).
fn is_end_of_february(d: Ymd) -> bool {
    d.month == 2 && (d.day == days_in_month(d.year, 2) || d.day == 29)
}

/// Days between two dates counted as 30/360 from their adjusted days.
fn thirty_360(start: Ymd, end: Ymd, start_day: u32, end_day: u32) -> i64 {
    (end.year - start.year) * 360
        + (i64::from(end.month) - i64::from(start.month)) * 30
        + i64::from(end_day)
        - i64::from(start_day)
}

/// DAYS360's US method: a start on a month's last day counts as the 30th; an
/// end on the 31st counts as the 1st of the next month when the start is
/// before the 30th, otherwise as the 30th.
pub(crate) fn days360_us(start: Ymd, end: Ymd) -> i64 {
    let start_last = start.day == 31 || is_end_of_february(start);
    let start_day = if start_last { 30 } else { start.day };
    // An end on the 31st after a start before the 30th stays the 31st, which
    // under 30-day months is the first of the next month.
    let end_day = if end.day == 31 && start_day >= 30 { 30 } else { end.day };
    thirty_360(start, end, start_day, end_day)
}

/// The European method: a 31st on either side counts as the 30th.
pub(crate) fn days360_eu(start: Ymd, end: Ymd) -> i64 {
    thirty_360(start, end, start.day.min(30), end.day.min(30))
}

/// YEARFRAC's basis 0 (NASD): the last day of February counts as the 30th
/// at the start, and at the end too when the start is also one; an end on
/// the 31st counts as the 30th when the start is on the 30th or 31st.
pub(crate) fn days360_nasd(start: Ymd, end: Ymd) -> i64 {
    let mut start_day = start.day;
    let mut end_day = end.day;
    if is_end_of_february(start) {
        if is_end_of_february(end) {
            end_day = 30;
        }
        start_day = 30;
    }
    if end_day == 31 && start_day >= 30 {
        end_day = 30;
    }
    if start_day == 31 {
        start_day = 30;
    }
    thirty_360(start, end, start_day, end_day)
}

/// The year fraction between two whole serials (start ≤ end) by `basis`.
pub(crate) fn year_fraction(start: i64, end: i64, basis: Basis, date_1904: bool) -> f64 {
    let (a, b) = (ymd_from_serial(start, date_1904), ymd_from_serial(end, date_1904));
    let days = (end - start) as f64;
    match basis {
        Basis::Us30_360 => days360_nasd(a, b) as f64 / 360.0,
        Basis::ActualActual => days / actual_year_length(a, b, start, end, date_1904),
        Basis::Actual360 => days / 360.0,
        Basis::Actual365 => days / 365.0,
        Basis::European30_360 => days360_eu(a, b) as f64 / 360.0,
    }
}

/// The year length of basis 1: within one year (or up to the same day a
/// year on) 366 when the span holds a 29 February, else 365; over longer
/// spans the average length of the calendar years it touches.
fn actual_year_length(a: Ymd, b: Ymd, start: i64, end: i64, date_1904: bool) -> f64 {
    let within_a_year =
        a.year == b.year || (b.year == a.year + 1 && (a.month, a.day) >= (b.month, b.day));
    if within_a_year {
        let leap_day_in = |year: i64| {
            is_leap_year(year) && {
                let leap_day = serial_from_ymd(year, 2, 29, date_1904) as i64;
                (start..=end).contains(&leap_day)
            }
        };
        if a.year == b.year && is_leap_year(a.year) || leap_day_in(a.year) || leap_day_in(b.year) {
            return 366.0;
        }
        return 365.0;
    }
    let first = serial_from_ymd(a.year, 1, 1, date_1904);
    let last = serial_from_ymd(b.year + 1, 1, 1, date_1904);
    (last - first) / (b.year - a.year + 1) as f64
}

/// A date argument of the day-count functions, truncated to a whole day.
fn whole_date(args: &[Operand], index: usize, ctx: &dyn Context) -> Result<i64, ExcelError> {
    Ok(serial_arg(args, index, ctx)?.floor() as i64)
}

/// `DAYS360(start_date, end_date, [method])`: the days between two dates in
/// a 360-day year; `method` FALSE (default) is the US method, TRUE the
/// European one. Text that is no boolean is `#VALUE!`.
pub(super) fn fn_days360(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    // DAYS360 reads its dates to the nearest second, so 46000.999999 is
    // already the next day (unlike DAYS).
    let to_second = |x: f64| (x + 0.5 / 86_400.0).floor() as i64;
    let start = to_second(serial_arg(args, 0, ctx)?);
    let end = to_second(serial_arg(args, 1, ctx)?);
    let european = match arg(args, 2, ctx) {
        Value::Empty => false,
        Value::Text(t) => match t.to_ascii_uppercase().as_str() {
            "TRUE" => true,
            "FALSE" => false,
            _ => return Err(ExcelError::Value),
        },
        other => other.to_bool()?,
    };
    let (a, b) = (ymd_from_serial(start, ctx.date_1904()), ymd_from_serial(end, ctx.date_1904()));
    let days = if european { days360_eu(a, b) } else { days360_us(a, b) };
    Ok(days as f64)
}

/// `YEARFRAC(start_date, end_date, [basis])`: the fraction of a year between
/// two dates (in either order) by the day-count basis.
pub(super) fn fn_yearfrac(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let start = whole_date(args, 0, ctx)?;
    let end = whole_date(args, 1, ctx)?;
    let basis = Basis::arg(args, 2, ctx)?;
    let (low, high) = if start <= end { (start, end) } else { (end, start) };
    Ok(year_fraction(low, high, basis, ctx.date_1904()))
}
