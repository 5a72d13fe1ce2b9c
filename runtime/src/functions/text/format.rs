//! Excel number format codes as the `TEXT` function applies them (en-US).
//!
//! Supported: up to four `;`-separated sections (positive; negative; zero;
//! text), digit placeholders `0 # ?`, the decimal point, thousands
//! separators and trailing-comma scaling, `%`, scientific `E+`/`E-`,
//! quoted and `\`-escaped literals, `_x` spacing, `@`, `General`, and dates
//! and times (`y`, `m`, `d`, `h`, `s`, fractional seconds, `AM/PM`, `A/P`,
//! elapsed `[h]`, `[m]`, `[s]`). Colours such as `[Red]` are ignored.
//!
//! FIXME: conditional sections (`[>=100]0;0.0`), fractions (`# ?/?`), the
//! `*` fill character and locale tags (`[$-409]`) are not interpreted:
//! conditions are ignored, fractions print as digits and fills as nothing.

use crate::functions::datetime::calendar::{in_range, to_1900, ymd_from_serial};
use crate::value::ExcelError;

/// One element of a format section.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Literal(String),
    /// `0`, `#` or `?`.
    Digit(char),
    Point,
    Comma,
    Percent,
    /// `E+` (true: always show the sign) or `E-`.
    Exponent(bool),
    Date(DatePart),
    General,
    At,
}

/// A date or time element with its letter count.
#[derive(Clone, Copy, Debug, PartialEq)]
enum DatePart {
    Year(usize),
    /// An `m` run, resolved to month or minute once the section is read.
    MonthOrMinute(usize),
    Month(usize),
    Minute(usize),
    Day(usize),
    Hour(usize),
    Second(usize),
    /// Digits of a fraction of a second (`ss.00`).
    SecondFraction(usize),
    ElapsedHours,
    ElapsedMinutes,
    ElapsedSeconds,
    /// `AM/PM` (true) or `A/P` (false).
    AmPm(bool),
}

/// Formats a number with a format code, as `TEXT(number, code)` does.
/// A date format applied to a negative or too large number is `#VALUE!`.
pub fn format_number(n: f64, code: &str, date_1904: bool) -> Result<String, ExcelError> {
    let sections = split_sections(code);
    let (section, value, sign) = pick_section(&sections, n);
    let tokens = tokenize(section);
    if tokens.iter().any(|t| matches!(t, Token::Date(_))) {
        // Digit placeholders cannot be mixed into a date ("mm###").
        let has_digits = tokens.iter().any(|t| matches!(t, Token::Digit(_)));
        if has_digits || (n < 0.0 && sections.len() < 2) {
            return Err(ExcelError::Value);
        }
        return format_date(value, &resolve_months(tokens), date_1904);
    }
    let body = format_numeric(value, &tokens);
    // A negative number that rounds to zero shows no sign: TEXT(-1/3,"0")
    // is "0".
    let shows_zero = body == format_numeric(0.0, &tokens);
    Ok(if sign && !shows_zero { format!("-{body}") } else { body })
}

/// Formats text with a format code: the fourth section (or a lone section
/// holding `@`) with `@` replaced by the text; otherwise the text unchanged.
pub fn format_text(text: &str, code: &str) -> String {
    let sections = split_sections(code);
    let section = match sections.len() {
        4.. => sections[3].as_str(),
        1 if sections[0].contains('@') => sections[0].as_str(),
        _ => return text.to_string(),
    };
    tokenize(section)
        .into_iter()
        .map(|token| match token {
            Token::At => text.to_string(),
            Token::Literal(s) => s,
            _ => String::new(),
        })
        .collect()
}

/// Splits a code at `;` outside quotes and escapes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut chars = code.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let current = sections.last_mut();
        let Some(current) = current else { break };
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                continue;
            }
            ';' if !quoted => {
                sections.push(String::new());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    sections
}

/// The section for `n`, the value to show in it, and whether a minus sign
/// must be added (only when one section serves negatives too).
fn pick_section(sections: &[String], n: f64) -> (&str, f64, bool) {
    let get = |i: usize| sections.get(i).map_or("", String::as_str);
    match sections.len() {
        1 => (get(0), n.abs(), n < 0.0),
        2 if n < 0.0 => (get(1), -n, false),
        2 => (get(0), n, false),
        _ if n < 0.0 => (get(1), -n, false),
        _ if n == 0.0 => (get(2), n, false),
        _ => (get(0), n, false),
    }
}

// One long match over the format language's characters; splitting it would
// scatter a single grammar over several functions.
fn tokenize(section: &str) -> Vec<Token> {
    let chars: Vec<char> = section.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let run =
        |i: usize, c: char| chars[i..].iter().take_while(|x| x.eq_ignore_ascii_case(&c)).count();
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect::<String>().to_ascii_lowercase();
        let mut advance = 1;
        match c {
            '"' => {
                let text: String = chars[i + 1..].iter().take_while(|&&x| x != '"').collect();
                advance = text.chars().count() + 2;
                tokens.push(Token::Literal(text));
            }
            '\\' => {
                tokens.push(Token::Literal(
                    chars.get(i + 1).map(|c| c.to_string()).unwrap_or_default(),
                ));
                advance = 2;
            }
            '_' => {
                tokens.push(Token::Literal(" ".to_string()));
                advance = 2;
            }
            '*' => advance = 2,
            '[' => {
                let inner: String = chars[i + 1..].iter().take_while(|&&x| x != ']').collect();
                advance = inner.chars().count() + 2;
                let lower = inner.to_ascii_lowercase();
                if !lower.is_empty() && lower.chars().all(|x| x == 'h') {
                    tokens.push(Token::Date(DatePart::ElapsedHours));
                } else if !lower.is_empty() && lower.chars().all(|x| x == 'm') {
                    tokens.push(Token::Date(DatePart::ElapsedMinutes));
                } else if !lower.is_empty() && lower.chars().all(|x| x == 's') {
                    tokens.push(Token::Date(DatePart::ElapsedSeconds));
                }
            }
            '0' | '#' | '?' => {
                let after_seconds = matches!(
                    tokens.last(),
                    Some(Token::Date(DatePart::Second(_) | DatePart::ElapsedSeconds))
                ) && c == '0';
                if after_seconds {
                    advance = run(i, '0');
                    tokens.push(Token::Date(DatePart::SecondFraction(advance)));
                } else {
                    tokens.push(Token::Digit(c));
                }
            }
            '.' if is_second_fraction(&tokens, chars.get(i + 1)) => {
                advance = 1 + run(i + 1, '0');
                tokens.push(Token::Date(DatePart::SecondFraction(advance - 1)));
            }
            '.' => tokens.push(Token::Point),
            ',' => tokens.push(Token::Comma),
            '%' => tokens.push(Token::Percent),
            '@' => tokens.push(Token::At),
            'e' | 'E' if matches!(chars.get(i + 1), Some('+' | '-')) => {
                tokens.push(Token::Exponent(chars[i + 1] == '+'));
                advance = 2;
            }
            _ if rest.starts_with("general") => {
                tokens.push(Token::General);
                advance = 7;
            }
            _ if rest.starts_with("am/pm") => {
                tokens.push(Token::Date(DatePart::AmPm(true)));
                advance = 5;
            }
            _ if rest.starts_with("a/p") => {
                tokens.push(Token::Date(DatePart::AmPm(false)));
                advance = 3;
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => {
                advance = run(i, c);
                let part = match c.to_ascii_lowercase() {
                    'y' => DatePart::Year(advance),
                    'm' => DatePart::MonthOrMinute(advance),
                    'd' => DatePart::Day(advance),
                    'h' => DatePart::Hour(advance),
                    _ => DatePart::Second(advance),
                };
                tokens.push(Token::Date(part));
            }
            other => tokens.push(Token::Literal(other.to_string())),
        }
        i += advance.max(1);
    }
    tokens
}

/// Whether a `.` follows seconds and starts a fraction of a second.
fn is_second_fraction(tokens: &[Token], next: Option<&char>) -> bool {
    let after_seconds =
        matches!(tokens.last(), Some(Token::Date(DatePart::Second(_) | DatePart::ElapsedSeconds)));
    after_seconds && next == Some(&'0')
}

/// Resolves each `m` run: minutes right after hours or right before
/// seconds, months otherwise (`mm:ss` and `hh:mm` are minutes).
fn resolve_months(tokens: Vec<Token>) -> Vec<Token> {
    let date_parts: Vec<(usize, DatePart)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Token::Date(p) => Some((i, *p)),
            _ => None,
        })
        .collect();
    let mut out = tokens;
    for (k, (index, part)) in date_parts.iter().enumerate() {
        let DatePart::MonthOrMinute(count) = part else { continue };
        let previous = k.checked_sub(1).and_then(|p| date_parts.get(p)).map(|(_, p)| *p);
        let next = date_parts.get(k + 1).map(|(_, p)| *p);
        let after_hours = matches!(previous, Some(DatePart::Hour(_) | DatePart::ElapsedHours));
        let before_seconds = matches!(next, Some(DatePart::Second(_) | DatePart::ElapsedSeconds));
        out[*index] = Token::Date(if (after_hours || before_seconds) && *count <= 2 {
            DatePart::Minute(*count)
        } else {
            DatePart::Month(*count)
        });
    }
    out
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAY_NAMES: [&str; 7] =
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Renders a serial with date and time tokens.
fn format_date(serial: f64, tokens: &[Token], date_1904: bool) -> Result<String, ExcelError> {
    if !in_range(serial, date_1904) {
        return Err(ExcelError::Value);
    }
    let fraction_digits = tokens
        .iter()
        .find_map(|t| match t {
            Token::Date(DatePart::SecondFraction(n)) => Some(*n),
            _ => None,
        })
        .unwrap_or(0)
        .min(3);
    // Time is rounded to the precision shown, which may carry into the day.
    let scale = 10f64.powi(fraction_digits as i32);
    let ticks = (serial * 86_400.0 * scale).round();
    let day = (ticks / (86_400.0 * scale)).floor();
    let ticks_of_day = ticks - day * 86_400.0 * scale;
    let seconds_of_day = (ticks_of_day / scale).floor() as i64;
    let sub_second = (ticks_of_day - seconds_of_day as f64 * scale) as i64;
    let total_seconds = (ticks / scale).floor() as i64;
    let date = ymd_from_serial(day as i64, date_1904);
    let weekday = (to_1900(day, date_1904) as i64 + 6).rem_euclid(7) as usize;
    let twelve_hour = tokens.iter().any(|t| matches!(t, Token::Date(DatePart::AmPm(_))));
    let hour = seconds_of_day / 3600;
    let mut out = String::new();
    for token in tokens {
        let part = match token {
            Token::Date(p) => *p,
            Token::Literal(s) => {
                out.push_str(s);
                continue;
            }
            Token::Digit(c) => {
                out.push(*c);
                continue;
            }
            Token::Point => {
                out.push('.');
                continue;
            }
            Token::Comma => {
                out.push(',');
                continue;
            }
            Token::Percent => {
                out.push('%');
                continue;
            }
            _ => continue,
        };
        let text = match part {
            DatePart::Year(n) if n <= 2 => format!("{:02}", date.year % 100),
            DatePart::Year(_) => format!("{:04}", date.year),
            DatePart::Month(1) => date.month.to_string(),
            DatePart::Month(2) => format!("{:02}", date.month),
            DatePart::Month(n) => month_name(date.month, n),
            DatePart::Day(1) => date.day.to_string(),
            DatePart::Day(2) => format!("{:02}", date.day),
            DatePart::Day(3) => DAY_NAMES[weekday][..3].to_string(),
            DatePart::Day(_) => DAY_NAMES[weekday].to_string(),
            DatePart::Hour(n) => {
                let h = if twelve_hour { (hour + 11) % 12 + 1 } else { hour };
                pad(h, n)
            }
            DatePart::Minute(n) | DatePart::MonthOrMinute(n) => pad(seconds_of_day / 60 % 60, n),
            DatePart::Second(n) => pad(seconds_of_day % 60, n),
            DatePart::SecondFraction(n) => {
                let digits = format!("{:0width$}", sub_second, width = fraction_digits);
                format!(".{}", &digits[..n.min(digits.len())])
            }
            DatePart::ElapsedHours => (total_seconds / 3600).to_string(),
            DatePart::ElapsedMinutes => (total_seconds / 60).to_string(),
            DatePart::ElapsedSeconds => total_seconds.to_string(),
            DatePart::AmPm(long) => {
                let pm = hour >= 12;
                match (long, pm) {
                    (true, true) => "PM",
                    (true, false) => "AM",
                    (false, true) => "P",
                    (false, false) => "A",
                }
                .to_string()
            }
        };
        out.push_str(&text);
    }
    Ok(out)
}

fn pad(n: i64, width: usize) -> String {
    if width >= 2 {
        format!("{n:02}")
    } else {
        n.to_string()
    }
}

/// `mmm` → "Jan", `mmmm` → "January", `mmmmm` → "J".
fn month_name(month: u32, letters: usize) -> String {
    let name = MONTH_NAMES[(month as usize).saturating_sub(1) % 12];
    match letters {
        3 => name[..3].to_string(),
        5 => name[..1].to_string(),
        _ => name.to_string(),
    }
}

/// Renders a non-negative number with numeric tokens.
fn format_numeric(value: f64, tokens: &[Token]) -> String {
    // `@` applied to a number shows it as General does.
    if tokens.iter().any(|t| matches!(t, Token::General | Token::At)) {
        let general = general_in_cell(value);
        return tokens
            .iter()
            .map(|t| match t {
                Token::General | Token::At => general.clone(),
                Token::Literal(s) => s.clone(),
                _ => String::new(),
            })
            .collect();
    }
    let digit_count = tokens.iter().filter(|t| matches!(t, Token::Digit(_))).count();
    if digit_count == 0 {
        return tokens.iter().map(literal_of).collect();
    }
    let mut value = value;
    for token in tokens {
        if *token == Token::Percent {
            value *= 100.0;
        }
    }
    if let Some(position) = tokens.iter().position(|t| matches!(t, Token::Exponent(_))) {
        return format_scientific(value, tokens, position);
    }
    let (tokens, grouping, scale) = thousands(tokens);
    format_fixed(value / scale, &tokens, grouping)
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

fn literal_of(token: &Token) -> String {
    match token {
        Token::Literal(s) => s.clone(),
        Token::Percent => "%".to_string(),
        _ => String::new(),
    }
}

/// Removes commas, reporting whether the integer part groups thousands (a
/// comma between digit placeholders) and the scale of trailing commas
/// (each one after the last digit placeholder divides by 1000).
fn thousands(tokens: &[Token]) -> (Vec<Token>, bool, f64) {
    let first_digit = tokens.iter().position(|t| matches!(t, Token::Digit(_)));
    let last_digit = tokens.iter().rposition(|t| matches!(t, Token::Digit(_)));
    let point = tokens.iter().position(|t| *t == Token::Point).unwrap_or(tokens.len());
    let mut grouping = false;
    let mut scale = 1.0;
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if *token != Token::Comma {
            out.push(token.clone());
            continue;
        }
        let inside = first_digit.is_some_and(|f| f < i) && last_digit.is_some_and(|l| i < l);
        if inside && i < point {
            grouping = true;
        } else if last_digit.is_some_and(|l| i > l) || (i < point && !inside) {
            scale *= 1000.0;
        }
    }
    (out, grouping, scale)
}

/// Rounds half away from zero to `decimals` places, first snapping to 15
/// significant digits so that 1.005 rounds to 1.01 as Excel shows it.
pub fn round_half_away(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals.abs());
    let scaled = if decimals >= 0 { value * factor } else { value / factor };
    let snapped: f64 = format!("{scaled:.14e}").parse().unwrap_or(scaled);
    let rounded = snapped.round();
    if decimals >= 0 {
        rounded / factor
    } else {
        rounded * factor
    }
}

/// Fills digit placeholders with the digits of a non-negative value.
fn format_fixed(value: f64, tokens: &[Token], grouping: bool) -> String {
    let point = tokens.iter().position(|t| *t == Token::Point).unwrap_or(tokens.len());
    let (int_tokens, frac_tokens) = tokens.split_at(point);
    let frac_places = frac_tokens.iter().filter(|t| matches!(t, Token::Digit(_))).count();
    let rounded = round_half_away(value, frac_places as i32);
    let text = format!("{rounded:.frac_places$}");
    let (int_digits, frac_digits) = text.split_once('.').unwrap_or((&text, ""));
    let int_digits = if int_digits == "0" { "" } else { int_digits };
    let mut out = fill_integer(int_digits, int_tokens, grouping);
    out.push_str(&fill_fraction(frac_digits, frac_tokens));
    out
}

/// The integer part: digits fill placeholders from the right, the leftmost
/// placeholder takes any extra digits, literals stay where they are.
fn fill_integer(digits: &str, tokens: &[Token], grouping: bool) -> String {
    let first_placeholder = tokens.iter().position(|t| matches!(t, Token::Digit(_)));
    let mut pending: Vec<char> = digits.chars().collect();
    let mut reversed: Vec<char> = Vec::new();
    let mut emitted = 0;
    let push_digit = |reversed: &mut Vec<char>, d: char, emitted: &mut usize| {
        if grouping && *emitted > 0 && (*emitted).is_multiple_of(3) && d != ' ' {
            reversed.push(',');
        }
        reversed.push(d);
        *emitted += 1;
    };
    for (i, token) in tokens.iter().enumerate().rev() {
        match token {
            Token::Digit(placeholder) => {
                if let Some(d) = pending.pop() {
                    push_digit(&mut reversed, d, &mut emitted);
                } else if *placeholder == '0' {
                    push_digit(&mut reversed, '0', &mut emitted);
                } else if *placeholder == '?' {
                    reversed.push(' ');
                }
                if Some(i) == first_placeholder {
                    while let Some(d) = pending.pop() {
                        push_digit(&mut reversed, d, &mut emitted);
                    }
                }
            }
            other => reversed.extend(literal_of(other).chars().rev()),
        }
    }
    reversed.iter().rev().collect()
}

/// The fraction part: `0` shows a digit, `#` drops trailing zeros, `?`
/// turns them into spaces.
fn fill_fraction(digits: &str, tokens: &[Token]) -> String {
    let digits: Vec<char> = digits.chars().collect();
    let placeholders: Vec<char> = tokens
        .iter()
        .filter_map(|t| if let Token::Digit(c) = t { Some(*c) } else { None })
        .collect();
    let mut shown: Vec<String> = digits.iter().map(|d| d.to_string()).collect();
    for k in (0..digits.len()).rev() {
        if digits[k] != '0' || placeholders.get(k) == Some(&'0') {
            break;
        }
        shown[k] = if placeholders.get(k) == Some(&'?') { " ".to_string() } else { String::new() };
    }
    let mut out = String::new();
    let mut next = 0;
    for token in tokens {
        match token {
            Token::Point => out.push('.'),
            Token::Digit(_) => {
                out.push_str(shown.get(next).map_or("", String::as_str));
                next += 1;
            }
            other => out.push_str(&literal_of(other)),
        }
    }
    out
}

/// Scientific notation: the mantissa fills the tokens before `E`, the
/// exponent the placeholders after it.
fn format_scientific(value: f64, tokens: &[Token], position: usize) -> String {
    let (mantissa_tokens, rest) = tokens.split_at(position);
    let show_plus = matches!(rest.first(), Some(Token::Exponent(true)));
    let exp_tokens = &rest[1..];
    let int_places = mantissa_tokens
        .iter()
        .take_while(|t| **t != Token::Point)
        .filter(|t| matches!(t, Token::Digit(_)))
        .count()
        .max(1) as i32;
    let frac_places = mantissa_tokens
        .iter()
        .skip_while(|t| **t != Token::Point)
        .filter(|t| matches!(t, Token::Digit(_)))
        .count() as i32;
    let mut exponent =
        if value == 0.0 { 0 } else { value.log10().floor() as i32 - (int_places - 1) };
    let mut mantissa = round_half_away(value / 10f64.powi(exponent), frac_places);
    if mantissa >= 10f64.powi(int_places) {
        exponent += 1;
        mantissa = round_half_away(value / 10f64.powi(exponent), frac_places);
    }
    let mut out = format_fixed(mantissa, mantissa_tokens, false);
    out.push('E');
    if exponent < 0 {
        out.push('-');
    } else if show_plus {
        out.push('+');
    }
    let exp_width = exp_tokens.iter().filter(|t| matches!(t, Token::Digit('0'))).count();
    out.push_str(&format!("{:0exp_width$}", exponent.abs()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(n: f64, code: &str) -> String {
        format_number(n, code, false).unwrap()
    }

    #[test]
    fn documented_number_formats() {
        // Microsoft's TEXT documentation: 1234.567 with "$#,##0.00" is
        // "$1,234.57"; 0.285 with "0.0%" is "28.5%"; 12200000 with
        // "0.00E+00" is "1.22E+07"; 1234 with "0000000" is "0001234".
        assert_eq!(fmt(1234.567, "$#,##0.00"), "$1,234.57");
        assert_eq!(fmt(0.285, "0.0%"), "28.5%");
        assert_eq!(fmt(12200000.0, "0.00E+00"), "1.22E+07");
        assert_eq!(fmt(1234.0, "0000000"), "0001234");
        assert_eq!(fmt(1234567.0, "#,##0"), "1,234,567");
        assert_eq!(fmt(2.5, "0"), "3");
        assert_eq!(fmt(-2.5, "0"), "-3");
        assert_eq!(fmt(1.005, "0.00"), "1.01");
        assert_eq!(fmt(0.5, "#.00"), ".50");
        assert_eq!(fmt(0.0, "#"), "");
        assert_eq!(fmt(12.0, "#"), "12");
        assert_eq!(fmt(0.25, "0%"), "25%");
        assert_eq!(fmt(5.0, "0;-0;0"), "5");
        assert_eq!(fmt(-5.0, "0;-0;0"), "-5");
        assert_eq!(fmt(-5.0, "0;(0)"), "(5)");
        assert_eq!(fmt(0.0, "0;-0;\"zero\""), "zero");
        assert_eq!(fmt(1.5, "0.0#"), "1.5");
        assert_eq!(fmt(1234567.0, "#,##0,"), "1,235");
        assert_eq!(fmt(1234567.0, "0.0,,\"M\""), "1.2M");
        assert_eq!(fmt(0.5, "General"), "0.5");
        assert_eq!(fmt(42.0, "\"Total: \"0"), "Total: 42");
        assert_eq!(fmt(42.0, "0\" units\""), "42 units");
    }

    /// Values Excel computed in a conformance workbook (TEXT.xlsx of the
    /// shared corpus), one row per number.
    #[test]
    fn excel_computed_number_formats() {
        let codes =
            ["0", "0.00", "#,##0", "00-00-00-00", "General", "[Red]#.#", "0.00%", "0.00E+0"];
        let cases: [(f64, [&str; 8]); 9] = [
            (12.0, ["12", "12.00", "12", "00-00-00-12", "12", "12.", "1200.00%", "1.20E+1"]),
            (
                1.0 / 3.0,
                ["0", "0.33", "0", "00-00-00-00", "0.333333333", ".3", "33.33%", "3.33E-1"],
            ),
            (
                12345.6789,
                [
                    "12346",
                    "12345.68",
                    "12,346",
                    "00-01-23-46",
                    "12345.6789",
                    "12345.7",
                    "1234567.89%",
                    "1.23E+4",
                ],
            ),
            (
                -1.0 / 3.0,
                ["0", "-0.33", "0", "00-00-00-00", "-0.333333333", "-.3", "-33.33%", "-3.33E-1"],
            ),
            (0.0, ["0", "0.00", "0", "00-00-00-00", "0", ".", "0.00%", "0.00E+0"]),
            (
                123456789012.0,
                [
                    "123456789012",
                    "123456789012.00",
                    "123,456,789,012",
                    "123456-78-90-12",
                    "1.23457E+11",
                    "123456789012.",
                    "12345678901200.00%",
                    "1.23E+11",
                ],
            ),
            (1.2e-16, ["0", "0.00", "0", "00-00-00-00", "1.2E-16", ".", "0.00%", "1.20E-16"]),
            (-2.5e-9, ["0", "0.00", "0", "00-00-00-00", "-2.5E-09", ".", "0.00%", "-2.50E-9"]),
            (-1e-8, ["0", "0.00", "0", "00-00-00-00", "-0.00000001", ".", "0.00%", "-1.00E-8"]),
        ];
        for (n, expected) in cases {
            for (code, want) in codes.iter().zip(expected) {
                assert_eq!(fmt(n, code), want, "TEXT({n}, {code:?})");
            }
        }
        assert_eq!(fmt(12.0, "#,#.00 \"Millions!\""), "12.00 Millions!");
        assert_eq!(fmt(12345.6789, "#,#.00 \"Millions!\""), "12,345.68 Millions!");
        assert_eq!(fmt(123456789012.0, "#,##,, \"Millions\""), "123,457 Millions");
        assert_eq!(fmt(-1.0 / 3.0, "#,##0_);(#,##0)"), "(0)");
        assert_eq!(fmt(-1e9, "$#,##0_);($#,##0)"), "($1,000,000,000)");
        assert_eq!(fmt(25000000000.0, "General"), "25000000000");
        assert_eq!(fmt(250000000000.0, "General"), "2.5E+11");
        assert_eq!(fmt(1e16, "General"), "1E+16");
    }

    /// Date formats from the same workbook: serial 41181 is Saturday
    /// 2012-09-29, serial 100 is Monday 1900-04-09.
    #[test]
    fn excel_computed_date_formats() {
        assert_eq!(fmt(41181.0, "m/d/y"), "9/29/12");
        assert_eq!(fmt(41181.0, "dd/mm--yy"), "29/09--12");
        assert_eq!(fmt(41181.0, "ddd--/--mmm--/++yyy"), "Sat--/--Sep--/++2012");
        assert_eq!(fmt(41181.0, "dddd/mmmm/yyyyy"), "Saturday/September/2012");
        assert_eq!(fmt(41181.0, "ddddd/mmmmm/yyyyy"), "Saturday/S/2012");
        assert_eq!(fmt(100.0, "ddd--/--mmm--/++yyy"), "Mon--/--Apr--/++1900");
        assert_eq!(fmt(100.0, "m/d/y"), "4/9/00");
        assert_eq!(format_number(41181.0, "mm###", false), Err(ExcelError::Value));
    }

    #[test]
    fn documented_date_formats() {
        // 2024-03-15 18:30:45 is serial 45366.771354166…
        let serial = 45366.0 + (18.0 * 3600.0 + 30.0 * 60.0 + 45.0) / 86400.0;
        assert_eq!(fmt(serial, "yyyy-mm-dd"), "2024-03-15");
        assert_eq!(fmt(serial, "dd/mm/yyyy"), "15/03/2024");
        assert_eq!(fmt(serial, "mm/dd/yy"), "03/15/24");
        assert_eq!(fmt(serial, "hh:mm"), "18:30");
        assert_eq!(fmt(serial, "mm:ss"), "30:45");
        assert_eq!(fmt(serial, "d-mmm"), "15-Mar");
        assert_eq!(fmt(serial, "mmmm d, yyyy"), "March 15, 2024");
        assert_eq!(fmt(serial, "dddd"), "Friday");
        assert_eq!(fmt(serial, "ddd"), "Fri");
        assert_eq!(fmt(serial, "h:mm AM/PM"), "6:30 PM");
        assert_eq!(fmt(serial, "hh:mm:ss"), "18:30:45");
        assert_eq!(fmt(1.5, "[h]:mm"), "36:00");
        assert_eq!(fmt(0.5 / 24.0, "[mm]:ss"), "30:00");
        assert_eq!(fmt(0.0, "h:mm AM/PM"), "12:00 AM");
        assert_eq!(fmt(60.0, "yyyy-mm-dd"), "1900-02-29");
        assert_eq!(fmt(1.0 / 86400.0 * 1.25, "ss.00"), "01.25");
        assert_eq!(format_number(-1.0, "yyyy", false), Err(ExcelError::Value));
    }

    #[test]
    fn text_sections() {
        assert_eq!(format_text("abc", "0.00"), "abc");
        assert_eq!(format_text("abc", "@"), "abc");
        assert_eq!(format_text("abc", "\"<\"@\">\""), "<abc>");
        assert_eq!(format_text("abc", "0;0;0;\"text: \"@"), "text: abc");
    }
}
