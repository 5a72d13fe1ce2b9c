//! ISO 8601 date-times (`t="d"` cells) converted to Excel serial numbers.

/// Days from 0000-03-01 to the given proleptic Gregorian date, by the usual
/// era-based civil calendar arithmetic.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

/// Converts `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and a
/// `Z`, to a serial number in the workbook's date system. In the 1900
/// system Excel counts the nonexistent 1900-02-29, so dates before
/// 1900-03-01 are one less than the day count suggests.
pub(crate) fn iso_to_serial(text: &str, date_1904: bool) -> Option<f64> {
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let serial_days = if date_1904 {
        days - days_from_civil(1904, 1, 1)
    } else if days < days_from_civil(1900, 3, 1) {
        days - days_from_civil(1899, 12, 31)
    } else {
        days - days_from_civil(1899, 12, 30)
    };
    Some(serial_days as f64 + time_fraction(time)?)
}

/// The fraction of a day of `HH:MM[:SS[.fff]]` (0 for an empty string).
fn time_fraction(time: &str) -> Option<f64> {
    if time.is_empty() {
        return Some(0.0);
    }
    let mut parts = time.splitn(3, ':');
    let hours: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next().map_or(Some(0.0), |s| s.parse().ok())?;
    Some((hours * 3600.0 + minutes * 60.0 + seconds) / 86_400.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serial numbers from Microsoft's DATE documentation: 1900-01-01 is 1,
    /// 2008-01-01 is 39448; in the 1904 system 1904-01-01 is 0.
    #[test]
    fn serials_match_excel() {
        assert_eq!(iso_to_serial("1900-01-01", false), Some(1.0));
        assert_eq!(iso_to_serial("1900-02-28", false), Some(59.0));
        assert_eq!(iso_to_serial("1900-03-01", false), Some(61.0));
        assert_eq!(iso_to_serial("2008-01-01T00:00:00Z", false), Some(39448.0));
        assert_eq!(iso_to_serial("2008-01-01T12:00:00", false), Some(39448.5));
        assert_eq!(iso_to_serial("1904-01-01", true), Some(0.0));
        assert_eq!(iso_to_serial("2008-13-01", false), None);
    }
}
