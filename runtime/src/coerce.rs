//! Text to number and number to text, as Excel does them in the en-US locale.

/// Parses text the way arithmetic coerces it: `" 12 "`, `"1e3"`, `"50%"`,
/// `"$1,000"`, `"(5)"`. Dates and times are left to [`crate::functions`]'
/// date parser once it exists; returns `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (t, percent) = match t.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    };
    let n: f64 = t.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some(if percent { n / 100.0 } else { n })
}

/// Formats a number as Excel's General format does when a number becomes
/// text (`=1/3&""`): at most 15 significant digits, no trailing zeros,
/// scientific notation for very large and very small magnitudes.
pub fn format_general(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string();
    }
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    let magnitude = rounded.abs().log10().floor() as i32;
    if !(-10..21).contains(&magnitude) {
        let s = format!("{rounded:.14E}");
        let (mantissa, exponent) = s.split_once('E').unwrap_or((&s, "0"));
        let mantissa = trim_fraction(mantissa);
        let exp: i32 = exponent.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}E{sign}{:02}", exp.abs());
    }
    let decimals = (14 - magnitude).max(0) as usize;
    trim_fraction(&format!("{rounded:.decimals$}")).to_string()
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_format_keeps_fifteen_digits() {
        assert_eq!(format_general(0.1 + 0.2), "0.3");
        assert_eq!(format_general(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_general(12.0), "12");
        assert_eq!(format_general(-2.5), "-2.5");
        assert_eq!(format_general(1e21), "1E+21");
    }

    #[test]
    fn parses_numeric_text() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("50%"), Some(0.5));
        assert_eq!(parse_number("abc"), None);
    }
}
