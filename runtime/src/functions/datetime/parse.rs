//! Date and time text as Excel reads it when text meets arithmetic,
//! `DATEVALUE` or `TIMEVALUE`: `2024-03-15`, `3/15/2024`, `15-Mar-2024`,
//! `March 15, 2024`, `13:45`, `1:45 PM`, and a date followed by a time.
//!
//! The locale decides which of two numbers comes first in a date without
//! a month name ([`DateOrder`]): en-US reads `3/15/2024` month first, en-GB
//! reads `15/3/2024` day first. Year-first dates and month names read the
//! same in both; month names are English.
//!
//! Grammar (case-insensitive; an all-number date uses one separator, `/`
//! or `-`; spaces and commas may separate only around a month name; `m sep
//! d` is `d sep m` in the day-first order):
//!
//! ```text
//! text     = date | time | date " " time
//! date     = yyyy sep m sep d | m sep d [sep y] | m sep yyyy
//!          | d mon [y] | mon d [y] | mon yyyy
//! time     = h ":" mm [":" ss ["." frac]] [ampm] | h ampm
//! ampm     = "AM" | "PM"
//! ```
//!
//! A two-digit year below 30 means 20xx, otherwise 19xx; a missing year is
//! the current year. Years before 1900 (1904 in that system) are rejected.

use super::calendar::{current_year, days_in_month, in_range, serial_from_ymd};

/// Which number comes first in an all-number date that does not start
/// with a four-digit year: the month (en-US, `2/3/2023` is 3 February) or
/// the day (en-GB, `2/3/2023` is 2 March).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Month, day, year: Excel in the en-US locale, the product's order.
    #[default]
    MonthFirst,
    /// Day, month, year: Excel in the en-GB locale.
    DayFirst,
}

/// What a date/time text holds: the date's serial and the time of day as a
/// fraction of a day (which may exceed 1 for `25:00`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DateTimeText {
    pub date: Option<f64>,
    pub time: Option<f64>,
}

impl DateTimeText {
    /// The serial number the text stands for.
    pub fn serial(&self) -> f64 {
        self.date.unwrap_or(0.0) + self.time.unwrap_or(0.0)
    }
}

/// Parses date and/or time text, reading an all-number date in `order`;
/// `None` when it is neither.
pub fn parse(text: &str, date_1904: bool, order: DateOrder) -> Option<DateTimeText> {
    if padded_year_first(text) {
        return None;
    }
    let lower = text.trim().to_ascii_lowercase();
    let (body, meridiem) = split_meridiem(&lower);
    let tokens: Vec<&str> = body.split_whitespace().collect();
    if tokens.is_empty() {
        return None;
    }
    let time_start = match meridiem {
        // "1 PM": the hour is the last token when no token holds a colon.
        Some(_) => tokens.iter().position(|t| t.contains(':')).unwrap_or(tokens.len() - 1),
        None => tokens.iter().position(|t| t.contains(':')).unwrap_or(tokens.len()),
    };
    let (date_tokens, time_tokens) = tokens.split_at(time_start);
    let time = match time_tokens {
        [] => None,
        [one] => Some(parse_time(one, meridiem)?),
        _ => return None,
    };
    let date = if date_tokens.is_empty() {
        None
    } else {
        let serial = parse_date(&date_tokens.join(" "), date_1904, order)?;
        Some(serial)
    };
    Some(DateTimeText { date, time })
}

/// Whether the text is a year-first date (`2024-01-10`) with spaces around
/// it. Excel reads `" 10 "` as the number 10 but refuses `" 2024-01-10 "`
/// (`FLOOR`, `EXP`, `INT` of it are `#VALUE!`), while `"2024-01-10"` is a
/// date.
fn padded_year_first(text: &str) -> bool {
    let trimmed = text.trim();
    let bytes = trimmed.as_bytes();
    trimmed.len() != text.len()
        && bytes.len() > 4
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'-' | b'/')
}

/// Splits a trailing `am`/`pm` off the text.
fn split_meridiem(text: &str) -> (&str, Option<bool>) {
    for (suffix, pm) in [("am", false), ("pm", true)] {
        if let Some(rest) = text.strip_suffix(suffix) {
            return (rest.trim_end(), Some(pm));
        }
    }
    (text, None)
}

/// `h:mm[:ss[.frac]]` or a bare hour before AM/PM, as a fraction of a day.
fn parse_time(text: &str, meridiem: Option<bool>) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    if parts.len() == 1 && meridiem.is_none() {
        return None;
    }
    let mut hours = digits(parts[0])? as f64;
    let minutes = parts.get(1).map_or(Some(0), |p| digits(p))? as f64;
    let seconds = match parts.get(2) {
        Some(p) => seconds(p)?,
        None => 0.0,
    };
    if minutes >= 60.0 || seconds >= 60.0 {
        return None;
    }
    if let Some(pm) = meridiem {
        if hours > 12.0 {
            return None;
        }
        hours = hours % 12.0 + if pm { 12.0 } else { 0.0 };
    } else if hours >= 10_000.0 {
        return None;
    }
    Some((hours * 3600.0 + minutes * 60.0 + seconds) / 86_400.0)
}

/// Seconds with an optional decimal fraction (`05`, `05.25`).
fn seconds(text: &str) -> Option<f64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole = digits(whole)? as f64;
    if frac.is_empty() {
        return Some(whole);
    }
    digits(frac)?;
    format!("0.{frac}").parse::<f64>().ok().map(|f| whole + f)
}

/// A run of ASCII digits as a number (at most 9 of them).
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// One piece of a date: a number (with its digit count) or a month name.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece {
    Number(u32, usize),
    Month(u32),
}

/// The date part, from its pieces.
fn parse_date(text: &str, date_1904: bool, order: DateOrder) -> Option<f64> {
    let mut pieces = Vec::new();
    for token in text.split([' ', '-', '/', ',']).filter(|t| !t.is_empty()) {
        let piece = match digits(token) {
            Some(n) => Piece::Number(n, token.len()),
            None => Piece::Month(month_from_name(token)?),
        };
        pieces.push(piece);
    }
    // All-number dates use one separator, `/` or `-` ("3/15/2024",
    // "2024-03-15"); commas and spaces only separate around a month name
    // ("March 15, 2024"), so "1,2" and "1 2 3" are not dates.
    let has_name = pieces.iter().any(|p| matches!(p, Piece::Month(_)));
    let mixed = text.contains('/') && text.contains('-');
    if !has_name && (text.contains([',', ' ']) || mixed) {
        return None;
    }
    let (year, month, day) = date_fields(&pieces, order)?;
    build_date(year, month, day, date_1904)
}

/// Reads (year, month, day) from the pieces in the orders Excel accepts,
/// the first two of three numbers (or the only two) in `order`.
fn date_fields(pieces: &[Piece], order: DateOrder) -> Option<(i64, u32, u32)> {
    use Piece::{Month, Number};
    let year = |n: u32, len: usize| -> Option<i64> {
        match len {
            1 | 2 => Some(i64::from(n) + if n < 30 { 2000 } else { 1900 }),
            4 => Some(i64::from(n)),
            _ => None,
        }
    };
    // The month and the day of two leading numbers, in the locale's order.
    let month_day = |first: u32, second: u32| match order {
        DateOrder::MonthFirst => (first, second),
        DateOrder::DayFirst => (second, first),
    };
    match *pieces {
        [Number(y, 4), Number(m, _), Number(d, _)] => Some((i64::from(y), m, d)),
        [Number(a, _), Number(b, _), Number(y, len)] => {
            let (m, d) = month_day(a, b);
            Some((year(y, len)?, m, d))
        }
        [Number(m, _), Number(y, 4)] => Some((i64::from(y), m, 1)),
        [Number(a, _), Number(b, _)] => {
            let (m, d) = month_day(a, b);
            Some((current_year(), m, d))
        }
        [Number(d, _), Month(m), Number(y, len)] | [Month(m), Number(d, _), Number(y, len)] => {
            Some((year(y, len)?, m, d))
        }
        [Month(m), Number(y, 4)] => Some((i64::from(y), m, 1)),
        [Number(d, _), Month(m)] | [Month(m), Number(d, _)] => Some((current_year(), m, d)),
        _ => None,
    }
}

/// Validates a calendar date and turns it into a serial.
fn build_date(year: i64, month: u32, day: u32, date_1904: bool) -> Option<f64> {
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    // The 1900 system accepts its fictitious 1900-02-29 as text too.
    let leap_bug = !date_1904 && year == 1900 && month == 2 && day == 29;
    if day > days_in_month(year, month) && !leap_bug {
        return None;
    }
    if year < if date_1904 { 1904 } else { 1900 } {
        return None;
    }
    let serial = serial_from_ymd(year, month, i64::from(day), date_1904);
    in_range(serial, date_1904).then_some(serial)
}

/// The month (1..=12) of an English month name or its first three letters.
fn month_from_name(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if token.len() < 3 {
        return None;
    }
    // Any prefix of at least three letters names the month ("sep", "sept").
    let index = MONTHS.iter().position(|m| m.starts_with(token))?;
    Some(index as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial(text: &str) -> Option<f64> {
        parse(text, false, DateOrder::MonthFirst).map(|p| p.serial())
    }

    fn serial_day_first(text: &str) -> Option<f64> {
        parse(text, false, DateOrder::DayFirst).map(|p| p.serial())
    }

    #[test]
    fn documented_date_texts() {
        // DATEVALUE's documentation: "8/22/2011" is 40777, "22-MAY-2011" is
        // 40685, "2011/02/23" is 40597.
        assert_eq!(serial("8/22/2011"), Some(40777.0));
        assert_eq!(serial("22-MAY-2011"), Some(40685.0));
        assert_eq!(serial("2011/02/23"), Some(40597.0));
        assert_eq!(serial("2024-03-15"), Some(45366.0));
        assert_eq!(serial("March 15, 2024"), Some(45366.0));
        assert_eq!(serial("Mar 15 2024"), Some(45366.0));
        assert_eq!(serial("15 March 2024"), Some(45366.0));
        assert_eq!(serial("3/15/24"), Some(45366.0));
        assert_eq!(serial("1/1/1900"), Some(1.0));
        assert_eq!(serial("2/29/1900"), Some(60.0));
    }

    #[test]
    fn documented_time_texts() {
        // TIMEVALUE's documentation: "2:24 AM" is 0.1, "22-Aug-2011 6:35 AM"
        // has the time 0.274305556.
        assert_eq!(serial("2:24 AM"), Some(0.1));
        let both = parse("22-Aug-2011 6:35 AM", false, DateOrder::MonthFirst).unwrap();
        assert!((both.time.unwrap() - 0.274305556).abs() < 1e-9);
        assert_eq!(both.date, Some(40777.0));
        assert_eq!(serial("12:00 PM"), Some(0.5));
        assert_eq!(serial("12:00 AM"), Some(0.0));
        assert_eq!(serial("6 PM"), Some(0.75));
        assert_eq!(serial("18:00"), Some(0.75));
        assert_eq!(serial("1:00:30"), Some((3600.0 + 30.0) / 86400.0));
        assert_eq!(serial("2024-03-15 18:00:00"), Some(45366.75));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        let not_dates =
            ["", "abc", "2/30/2024", "13/1/2024", "1:60", "13:00 PM", "1899-12-31", "12"];
        for text in not_dates.into_iter().chain(["1 2 3", "1,2", "1/2-2024", "Mar", "TRUE"]) {
            assert_eq!(serial(text), None, "{text}");
        }
    }

    #[test]
    fn the_1904_system_counts_from_1904() {
        let serial_1904 = |text| parse(text, true, DateOrder::MonthFirst).map(|p| p.serial());
        assert_eq!(serial_1904("1/1/1904"), Some(0.0));
        assert_eq!(serial_1904("1/1/1903"), None);
        assert_eq!(serial_1904("8/22/2011"), Some(40777.0 - 1462.0));
        let day_first = parse("22/8/2011", true, DateOrder::DayFirst).map(|p| p.serial());
        assert_eq!(day_first, Some(40777.0 - 1462.0));
    }

    #[test]
    fn day_first_order_swaps_the_leading_day_and_month() {
        // Excel in en-GB: "2/3/2023" is 2 March 2023 (44987), "13/1/2024"
        // is 13 January 2024 (45304), "1/13/2024" has no month 13; in en-US
        // "2/3/2023" is 3 February (44960) and "13/1/2024" is refused.
        assert_eq!(serial_day_first("2/3/2023"), Some(44987.0));
        assert_eq!(serial_day_first("13/1/2024"), Some(45304.0));
        assert_eq!(serial_day_first("1/13/2024"), None);
        assert_eq!(serial_day_first("10-12-1999"), Some(36504.0));
        assert_eq!(serial_day_first("22/8/11"), Some(40777.0));
        assert_eq!(serial_day_first("30/2/2010"), None);
        assert_eq!(serial("2/3/2023"), Some(44960.0));
        assert_eq!(serial("1/13/2024"), Some(45304.0));
        assert_eq!(serial("13/1/2024"), None);
        assert_eq!(serial("10-12-1999"), Some(36445.0));
    }

    #[test]
    fn year_first_and_month_names_read_alike_in_both_orders() {
        // ISO dates and month names leave no doubt which number is the day.
        for text in ["2024-03-15", "2024/3/15", "15-Mar-2024", "15 March 2024"] {
            assert_eq!(serial(text), Some(45366.0), "{text}");
            assert_eq!(serial_day_first(text), Some(45366.0), "{text}");
        }
        // The time after a day-first date.
        assert_eq!(serial_day_first("15/3/2024 18:00"), Some(45366.75));
    }
}
