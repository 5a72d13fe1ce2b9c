//! Text to number and number to text, as Excel does them in the en-US locale,
//! and the argument coercions builtins share.

use crate::functions::datetime::parse::{self as date_text, DateOrder};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// Parses text the way arithmetic coerces it (`="1,000"+1`): plain numbers
/// with optional sign, thousands separators, `$`, parentheses for a negative,
/// a trailing `%`, an exponent and surrounding spaces; failing that, date and
/// time text (`"2024-03-15"`, `"1:45 PM"`) as a serial of the 1900 system.
/// Returns `None` for anything else.
///
/// FIXME: arithmetic coercion cannot see the workbook's date system nor the
/// day-month order of its locale, so in a 1904 workbook `="2024-03-15"+0` is
/// 1462 too large, and with a day-first order `="2/3/2023"+0` is still
/// 3 February; the date functions, `VALUE` and `TEXT` avoid this by calling
/// [`parse_number_in`] with the context's system and order.
pub fn parse_number(text: &str) -> Option<f64> {
    parse_number_with(text, false, DateOrder::MonthFirst)
}

/// [`parse_number`] in the given date system, reading all-number dates in
/// `order`.
pub fn parse_number_with(text: &str, date_1904: bool, order: DateOrder) -> Option<f64> {
    parse_plain_number(text).or_else(|| parse_date_time(text, date_1904, order))
}

/// [`parse_number`] in the context's date system and day-month order.
pub fn parse_number_in(text: &str, ctx: &dyn Context) -> Option<f64> {
    parse_number_with(text, ctx.date_1904(), ctx.date_order())
}

/// Parses date and/or time text (`"3/15/2024"`, `"15-Mar-2024"`,
/// `"March 15, 2024"`, `"13:45"`, `"2024-03-15 13:45:00"`) into a serial of
/// the 1900 or 1904 date system, reading all-number dates in `order`;
/// `None` when the text is not a date or time.
pub fn parse_date_time(text: &str, date_1904: bool, order: DateOrder) -> Option<f64> {
    date_text::parse(text, date_1904, order).map(|parsed| parsed.serial())
}

/// Numbers without dates: `[¤][sign][¤]digits[,ddd…][.digits][e[sign]digits][¤][%]`
/// or the same in parentheses for a negative, where `¤` is one currency
/// symbol: the dollar before the number, or the euro before or after it.
/// Excel reads `"€100"`, `" €100 "` and `"100€"` as 100
/// (calc_tests/MATH_AND_TRIGONOMETRY/EXP_SIGN.xlsx, A31, A49, A54).
fn parse_plain_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let (t, percent) = match t.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    };
    let (t, parenthesised) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => (t, false),
    };
    let (t, mut currency) = strip_currency(t);
    let (t, negative) = match t.as_bytes().first() {
        Some(b'-') => (&t[1..], true),
        Some(b'+') => (&t[1..], false),
        _ => (t, false),
    };
    if parenthesised && negative {
        return None;
    }
    let t = if currency {
        t
    } else {
        let (rest, stripped) = strip_currency(t);
        currency = stripped;
        rest
    };
    let t = match t.strip_suffix('€') {
        Some(rest) if !currency => rest.trim_end(),
        _ => t,
    };
    let magnitude = parse_unsigned(t)?;
    let signed = if negative || parenthesised { -magnitude } else { magnitude };
    Some(if percent { signed / 100.0 } else { signed })
}

/// The text after a leading currency symbol (`$` or `€`), and whether there
/// was one.
fn strip_currency(text: &str) -> (&str, bool) {
    match text.strip_prefix(['$', '€']) {
        Some(rest) => (rest, true),
        None => (text, false),
    }
}

/// `digits[,ddd…][.digits][e[sign]digits]` with at least one digit in the
/// mantissa; thousands groups must have exactly three digits.
fn parse_unsigned(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or("");
    let mut digits = first.to_string();
    for group in groups {
        if group.len() != 3 || first.is_empty() || first.len() > 3 {
            return None;
        }
        digits.push_str(group);
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(&digits) || !all_digits(frac_part) || digits.len() + frac_part.len() == 0 {
        return None;
    }
    let mut normal = format!("{digits}.{frac_part}0");
    if let Some(exp) = exponent {
        let unsigned = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if unsigned.is_empty() || !all_digits(unsigned) {
            return None;
        }
        normal = format!("{normal}e{exp}");
    }
    normal.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Formats a number as Excel's General format does when a number becomes
/// text (`=1/3&""`, `CONCAT`, `TEXT`-less conversion): rounded to 15
/// significant digits without trailing zeros; scientific notation
/// (`1.23456789012346E+17`, `1E-11`) when the rounded decimal exponent is
/// 15 or more, or below -9.
///
/// The 11-character limit of General in a cell is display-only and does
/// not apply here (`TEXT(x,"General")` uses it, see
/// [`crate::functions::text::general_in_cell`]). Excel converts 7.123456E-9
/// to `0.000000007123456`, so exponent -9 is still written out in full.
///
/// FIXME: the switch to scientific notation below 1E-9 is inferred, not
/// confirmed against Excel; a number such as 1.5E-10 may be written
/// `0.00000000015` by Excel where this gives `1.5E-10`.
pub fn format_general(n: f64) -> String {
    if n == 0.0 || !n.is_finite() {
        return "0".to_string();
    }
    let scientific = format!("{n:.14e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exp: i32 = exponent.parse().unwrap_or(0);
    if !(-9..15).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{}E{sign}{:02}", trim_fraction(mantissa), exp.abs());
    }
    let rounded: f64 = scientific.parse().unwrap_or(n);
    let decimals = (14 - exp).max(0) as usize;
    trim_fraction(&format!("{rounded:.decimals$}")).to_string()
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// The scalar argument at `index`, or `Value::Empty` when it was omitted.
/// A reference (which scalar parameters never receive from the dispatcher)
/// is implicitly intersected, so direct callers behave like Excel too.
pub(crate) fn arg(args: &[Operand], index: usize, ctx: &dyn Context) -> Value {
    match args.get(index) {
        Some(Operand::Value(v)) => v.first().clone(),
        Some(reference) => reference.to_scalar(ctx),
        None => Value::Empty,
    }
}

/// The argument at `index` as a number (see [`Value::to_number`]).
pub(crate) fn arg_number(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    arg(args, index, ctx).to_number()
}

/// An optional numeric argument: `default` when omitted or given empty.
pub(crate) fn arg_number_or(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    match arg(args, index, ctx) {
        Value::Empty => Ok(default),
        value => value.to_number(),
    }
}

/// The argument at `index` as text (see [`Value::to_text`]).
pub(crate) fn arg_text(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<crate::value::Text, ExcelError> {
    arg(args, index, ctx).to_text()
}

/// A number result as an operand (non-finite becomes `#NUM!`).
pub(crate) fn number_operand(result: Result<f64, ExcelError>) -> Operand {
    Operand::Value(match result {
        Ok(n) => Value::number(n),
        Err(e) => Value::Error(e),
    })
}

/// Any value result as an operand.
pub(crate) fn value_operand<T: Into<Value>>(result: Result<T, ExcelError>) -> Operand {
    Operand::Value(match result {
        Ok(v) => v.into(),
        Err(e) => Value::Error(e),
    })
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
        assert_eq!(format_general(1e20), "1E+20");
        assert_eq!(format_general(123456789012345678.0), "1.23456789012346E+17");
        assert_eq!(format_general(0.000001), "0.000001");
        assert_eq!(format_general(1e-11), "1E-11");
        assert_eq!(format_general(123456789012345.0), "123456789012345");
        assert_eq!(format_general(-1.5e-12), "-1.5E-12");
        assert_eq!(format_general(2.0 / 3.0), "0.666666666666667");
        // VALUETOTEXT(7.123456E-9), as Excel computed it in the corpus.
        assert_eq!(format_general(7.123456e-9), "0.000000007123456");
        assert_eq!(format_general(1234.5678), "1234.5678");
    }

    /// Any number turned into text and read back keeps its 15 significant
    /// digits (a deterministic sweep over magnitudes and mantissas).
    #[test]
    fn general_text_reads_back_as_the_same_number() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64 * 10.0;
            let exponent = ((state >> 3) % 61) as i32 - 30;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            let n = sign * mantissa * 10f64.powi(exponent);
            if n == 0.0 {
                continue;
            }
            let text = format_general(n);
            let back = parse_number(&text).unwrap_or(f64::NAN);
            assert!(((back - n) / n).abs() < 5e-15, "{n} -> {text} -> {back}");
            let mantissa = text.split('E').next().unwrap_or("");
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.trim_start_matches('0').len() <= 15, "{text}");
        }
    }

    #[test]
    fn parses_numeric_text() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("50%"), Some(0.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("1,000"), Some(1000.0));
        assert_eq!(parse_number("1,234,567.5"), Some(1234567.5));
        assert_eq!(parse_number("$5"), Some(5.0));
        assert_eq!(parse_number("-$5"), Some(-5.0));
        assert_eq!(parse_number("$-5"), Some(-5.0));
        assert_eq!(parse_number("(5)"), Some(-5.0));
        assert_eq!(parse_number("($1,000)"), Some(-1000.0));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number("1.5E-2"), Some(0.015));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("+7"), Some(7.0));
    }

    #[test]
    fn rejects_text_that_is_not_a_number() {
        for text in ["", " ", "1,00", "1,0000", "(-5)", "1e", "e5", "$", "--5", "1.2.3", "5$", "%"]
        {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn reads_the_euro_sign_before_or_after_a_number() {
        // Excel: calc_tests/MATH_AND_TRIGONOMETRY/EXP_SIGN.xlsx, where
        // EXP and SIGN of "€100" (A31), "100€" (A49) and " €100 " (A54)
        // are EXP(100) and 1.
        assert_eq!(parse_number("€100"), Some(100.0));
        assert_eq!(parse_number("100€"), Some(100.0));
        assert_eq!(parse_number(" €100 "), Some(100.0));
        assert_eq!(parse_number("-€1,000.5"), Some(-1000.5));
        assert_eq!(parse_number("(€5)"), Some(-5.0));
        assert_eq!(parse_number("$100"), Some(100.0));
        for text in ["€", "€€5", "€5€", "$5€", "F100", "100£"] {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn refuses_a_year_first_date_with_spaces_around_it() {
        // Excel: calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx FLOOR!B33
        // (`=FLOOR(" 2024-01-10 ",1)`) is #VALUE! while FLOOR!B32 (no spaces)
        // is 45301, and FLOOR!R3 reads " 10 " as 10.
        assert_eq!(parse_number(" 2024-01-10 "), None);
        assert_eq!(parse_number("2024-01-10"), Some(45301.0));
        assert_eq!(parse_number(" 10 "), Some(10.0));
    }

    #[test]
    fn parses_date_and_time_text() {
        assert_eq!(parse_number("2024-03-15"), Some(45366.0));
        assert_eq!(parse_number("3/15/2024"), Some(45366.0));
        assert_eq!(parse_number("15-Mar-2024"), Some(45366.0));
        assert_eq!(parse_number("March 15, 2024"), Some(45366.0));
        assert_eq!(parse_number("13:45"), Some((13.0 * 60.0 + 45.0) / 1440.0));
        assert_eq!(parse_number("1:45 PM"), Some((13.0 * 60.0 + 45.0) / 1440.0));
        assert_eq!(parse_number("2024-03-15 13:45:00"), Some(45366.0 + 825.0 / 1440.0));
        assert_eq!(
            parse_date_time("2024-03-15", true, DateOrder::MonthFirst),
            Some(45366.0 - 1462.0)
        );
    }
}
