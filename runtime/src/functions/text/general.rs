//! Excel's General number format as a cell shows it, and the decimal
//! rounding that number formats share.

/// Rounds half away from zero to `decimals` places, first snapping to 15
/// significant digits so that 1.005 rounds to 1.01 as Excel shows it.
pub fn round_half_away(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals.abs());
    let scaled = if decimals >= 0 { value * factor } else { value / factor };
    // Past 2^53 a double has no fraction left to round.
    if !scaled.is_finite() || scaled.abs() >= 9.0e15 {
        return value;
    }
    let snapped: f64 = format!("{scaled:.14e}").parse().unwrap_or(scaled);
    let rounded = snapped.round();
    if decimals >= 0 {
        rounded / factor
    } else {
        rounded * factor
    }
}

/// A non-negative number written with exactly `decimals` places, showing at
/// most 15 significant digits as Excel does: digits past the fifteenth are
/// zeros (`1.23456E+21` is `1234560000000000000000`, not the double's exact
/// binary expansion). The number is expected to be rounded already.
pub(super) fn fixed_decimal(value: f64, decimals: usize) -> String {
    if value == 0.0 || !value.is_finite() {
        return if decimals == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(decimals)) };
    }
    let scientific = format!("{value:.14e}");
    let (mantissa, exp) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: Vec<char> = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digit_at = |position: i64| -> char {
        // Position 0 is the leading digit, at 10^exp.
        usize::try_from(position).ok().and_then(|p| digits.get(p).copied()).unwrap_or('0')
    };
    let int_part: String =
        if exp < 0 { "0".to_string() } else { (0..=exp).map(digit_at).collect() };
    let frac_part: String = (1..=decimals as i64).map(|k| digit_at(exp + k)).collect();
    if decimals == 0 {
        int_part
    } else {
        format!("{int_part}.{frac_part}")
    }
}

/// Excel's General format as a cell shows it (and `TEXT(x, "General")`
/// returns it): at most 11 characters besides the sign. The exact value is
/// shown when it fits; otherwise numbers from 1E-4 to below 1E+11 are
/// rounded to fit (10 significant digits at most), and the rest use
/// scientific notation with up to 6 significant digits (`1.23457E+11`,
/// `2.5E-09`).
pub fn general_in_cell(n: f64) -> String {
    if n == 0.0 || !n.is_finite() {
        return "0".to_string();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let a = n.abs();
    let exact = trim_zeros(&format!("{a:.12}"));
    if exact.len() <= 11 && exact != "0" {
        return format!("{sign}{exact}");
    }
    let exponent = decimal_exponent(a);
    if (-4..=10).contains(&exponent) {
        let significant = if exponent >= 0 { 10.max(exponent + 1) } else { 10 + exponent };
        let decimals = (significant - 1 - exponent).max(0) as usize;
        let rounded = trim_zeros(&format!("{:.decimals$}", round_half_away(a, decimals as i32)));
        if rounded.len() <= 11 {
            return format!("{sign}{rounded}");
        }
    }
    let scientific = format!("{a:.5e}");
    let (mantissa, exp) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{}E{exp_sign}{:02}", trim_zeros(mantissa), exp.abs())
}

/// The power of ten of a positive number's leading digit.
fn decimal_exponent(a: f64) -> i32 {
    let scientific = format!("{a:e}");
    scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

/// Drops trailing zeros of a fraction and a bare trailing point.
fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}
