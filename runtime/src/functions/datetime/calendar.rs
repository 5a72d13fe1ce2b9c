//! Date serial numbers of Excel's two date systems and the calendar math on them.
//!
//! In the 1900 system serial 1 is 1900-01-01 and, copying a Lotus 1-2-3 bug,
//! serial 60 is 1900-02-29, a day that never existed; every later serial is
//! therefore one more than the true day count. Serial 0 is shown by Excel as
//! 1900-01-00. In the 1904 system serial 0 is 1904-01-01 with no such bug.

/// The largest serial either system accepts: 9999-12-31 in the 1900 system.
pub const MAX_SERIAL_1900: f64 = 2_958_465.0;

/// The largest serial of the 1904 system (9999-12-31).
pub const MAX_SERIAL_1904: f64 = 2_957_003.0;

/// Days between the two systems' epochs: 1900-serial = 1904-serial + 1462.
pub const OFFSET_1904: f64 = 1462.0;

/// A calendar date as Excel shows it; `day` may be 0 only for the 1900
/// system's serial 0, and (1900, 2, 29) only for its serial 60.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ymd {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // The algorithm counts years from March so that the leap day is last.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> Ymd {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Ymd { year, month, day }
}

/// Whether `year` is a leap year of the Gregorian calendar.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of a month (1..=12) in the true calendar.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The serial of a date, with `day` allowed to run past the month's end or
/// below 1 (it then counts from the first of the month, as `DATE` does).
/// Month must be 1..=12. The result may be out of range; callers check.
pub fn serial_from_ymd(year: i64, month: u32, day: i64, date_1904: bool) -> f64 {
    let first = days_from_civil(year, month, 1);
    if date_1904 {
        return (first - days_from_civil(1904, 1, 1) + day - 1) as f64;
    }
    // Excel's serial of the month's first day is the true day count until
    // February 1900 and one more from March 1900 on, because serial 60 is
    // the fictitious 1900-02-29; the day is then added to that serial.
    let true_first = first - days_from_civil(1899, 12, 31);
    let excel_first = true_first + i64::from(true_first >= 60);
    (excel_first + day - 1) as f64
}

/// The date Excel shows for a whole serial (already checked to be in range).
pub fn ymd_from_serial(serial: i64, date_1904: bool) -> Ymd {
    if date_1904 {
        return civil_from_days(days_from_civil(1904, 1, 1) + serial);
    }
    match serial {
        0 => Ymd { year: 1900, month: 1, day: 0 },
        60 => Ymd { year: 1900, month: 2, day: 29 },
        s if s < 60 => civil_from_days(days_from_civil(1899, 12, 31) + s),
        s => civil_from_days(days_from_civil(1899, 12, 30) + s),
    }
}

/// Whether `serial` lies in the date system's valid range (0 to 9999-12-31).
pub fn in_range(serial: f64, date_1904: bool) -> bool {
    let max = if date_1904 { MAX_SERIAL_1904 } else { MAX_SERIAL_1900 };
    (0.0..max + 1.0).contains(&serial)
}

/// The 1900-system serial of the same day, for weekday arithmetic.
pub fn to_1900(serial: f64, date_1904: bool) -> f64 {
    if date_1904 {
        serial + OFFSET_1904
    } else {
        serial
    }
}

/// Adds `months` to a date, keeping the day but clamping it to the target
/// month's last day (`EDATE`), and returns the new serial.
pub fn add_months(date: Ymd, months: i64, date_1904: bool) -> f64 {
    let (year, month) = shift_month(date.year, date.month, months);
    let day = date.day.min(days_in_month(year, month));
    serial_from_ymd(year, month, i64::from(day), date_1904)
}

/// The year and month `months` after (year, month).
pub fn shift_month(year: i64, month: u32, months: i64) -> (i64, u32) {
    let total = year * 12 + i64::from(month) - 1 + months;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// The serial (with time of day) of an instant given in seconds since
/// 1970-01-01 UTC.
pub fn serial_from_unix_seconds(seconds: f64, date_1904: bool) -> f64 {
    let unix_epoch = (days_from_civil(1970, 1, 1) - days_from_civil(1899, 12, 30)) as f64;
    let serial_1900 = unix_epoch + seconds / 86_400.0;
    if date_1904 {
        serial_1900 - OFFSET_1904
    } else {
        serial_1900
    }
}

/// The current time as a serial, read from the system clock.
///
/// FIXME: the clock is read in UTC, while Excel uses the machine's local time
/// zone; NOW and TODAY, and date text without a year, differ near midnight.
pub fn now_serial(date_1904: bool) -> f64 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    serial_from_unix_seconds(seconds, date_1904)
}

/// The current calendar year (see [`now_serial`] for the time zone caveat).
pub fn current_year() -> i64 {
    let serial = now_serial(false).floor() as i64;
    ymd_from_serial(serial.max(61), false).year
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_year_bug_of_the_1900_system() {
        assert_eq!(serial_from_ymd(1900, 1, 1, false), 1.0);
        assert_eq!(serial_from_ymd(1900, 2, 28, false), 59.0);
        assert_eq!(serial_from_ymd(1900, 2, 29, false), 60.0);
        assert_eq!(serial_from_ymd(1900, 3, 1, false), 61.0);
        assert_eq!(serial_from_ymd(1900, 3, 0, false), 60.0);
        assert_eq!(ymd_from_serial(60, false), Ymd { year: 1900, month: 2, day: 29 });
        assert_eq!(ymd_from_serial(61, false), Ymd { year: 1900, month: 3, day: 1 });
        assert_eq!(ymd_from_serial(59, false), Ymd { year: 1900, month: 2, day: 28 });
        assert_eq!(ymd_from_serial(0, false), Ymd { year: 1900, month: 1, day: 0 });
    }

    #[test]
    fn documented_serials() {
        // Microsoft documents 2008-01-01 as serial 39448 and 9999-12-31 as 2958465.
        assert_eq!(serial_from_ymd(2008, 1, 1, false), 39448.0);
        assert_eq!(serial_from_ymd(9999, 12, 31, false), MAX_SERIAL_1900);
        assert_eq!(serial_from_ymd(1904, 1, 1, true), 0.0);
        assert_eq!(serial_from_ymd(2008, 1, 1, true), 39448.0 - OFFSET_1904);
        assert_eq!(ymd_from_serial(39448, false), Ymd { year: 2008, month: 1, day: 1 });
        assert_eq!(ymd_from_serial(0, true), Ymd { year: 1904, month: 1, day: 1 });
    }

    #[test]
    fn every_serial_round_trips() {
        for serial in (1..2_958_465).step_by(97).chain([59, 60, 61, 62]) {
            let d = ymd_from_serial(serial, false);
            assert_eq!(serial_from_ymd(d.year, d.month, i64::from(d.day), false), serial as f64);
        }
    }
}
