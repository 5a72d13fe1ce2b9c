//! String helpers of the text functions: UTF-16 indexing, searching,
//! locale-free number reading and the Windows-1252 code page.

use crate::criteria::wildcard_match;

use super::format::round_half_away;

/// The most UTF-16 code units a cell holds.
pub(super) const MAX_TEXT_UNITS: usize = 32_767;

/// The text as UTF-16 code units, the unit Excel counts characters in.
pub(super) fn units(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

/// Text from UTF-16 code units; a cut surrogate pair becomes U+FFFD.
pub(super) fn from_units(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

/// The 0-based position of `needle` in `haystack` at or after `start`.
pub(super) fn find_units(haystack: &[u16], needle: &[u16], start: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(start);
    }
    (start..haystack.len()).find(|&p| haystack[p..].starts_with(needle))
}

/// SEARCH's match: the first UTF-16 position at or after `start` where
/// the wildcard pattern matches a prefix of the rest, case-insensitively.
pub(super) fn search(pattern: &str, within: &str, start: usize) -> Option<usize> {
    // A lone `~` at the end escapes nothing and is dropped, as Excel does:
    // SEARCH("~","Hello") is 1.
    let prefix_pattern = format!("{}*", strip_dangling_tilde(pattern));
    let mut offset = 0;
    let mut rest = within;
    loop {
        if offset >= start && wildcard_match(&prefix_pattern, rest) {
            return Some(offset);
        }
        let mut chars = rest.chars();
        let c = chars.next()?;
        offset += c.len_utf16();
        rest = chars.as_str();
    }
}

/// The pattern without a final `~` that escapes nothing.
fn strip_dangling_tilde(pattern: &str) -> &str {
    let trailing = pattern.len() - pattern.trim_end_matches('~').len();
    if trailing % 2 == 1 {
        &pattern[..pattern.len() - 1]
    } else {
        pattern
    }
}

/// NUMBERVALUE's reading of `text` with the given separators.
pub(super) fn number_value(text: &str, decimal: char, group: char) -> Option<f64> {
    if decimal == group {
        return None;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let without_percent = compact.trim_end_matches('%');
    let percents = (compact.len() - without_percent.len()) as i32;
    if without_percent.is_empty() {
        return (percents == 0).then_some(0.0);
    }
    let (sign, body) = match without_percent.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, without_percent.strip_prefix('+').unwrap_or(without_percent)),
    };
    let (int_part, frac_part) = match body.split_once(decimal) {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if frac_part.contains(decimal) || frac_part.contains(group) {
        return None;
    }
    let int_digits: String = int_part.chars().filter(|c| *c != group).collect();
    let digit_text = format!("{int_digits}{frac_part}");
    if digit_text.is_empty() || !digit_text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: f64 = format!("0{int_digits}.{frac_part}0").parse().ok()?;
    Some(sign * n / 100f64.powi(percents))
}

/// The digits of FIXED and DOLLAR: a non-negative number rounded to
/// `places` (negative rounds left of the point), grouped by thousands when
/// asked.
pub(super) fn fixed_digits(number: f64, places: i32, commas: bool) -> String {
    let rounded = round_half_away(number, places);
    let decimals = places.max(0) as usize;
    let text = format!("{rounded:.decimals$}");
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let int_part = if commas { group_thousands(int_part) } else { int_part.to_string() };
    if frac_part.is_empty() {
        int_part
    } else {
        format!("{int_part}.{frac_part}")
    }
}

/// Inserts a comma every three digits from the right.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Characters 0x80..=0x9F of Windows-1252; the five unassigned codes map
/// to the C1 control of the same number, as Windows does.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// The character of a Windows-1252 code.
pub(super) fn windows_1252_char(code: u8) -> char {
    match code {
        0x80..=0x9F => CP1252_HIGH[usize::from(code - 0x80)],
        other => char::from(other),
    }
}

/// The Windows-1252 code of a character, 63 (`?`) when it has none.
pub(super) fn windows_1252_code(c: char) -> u8 {
    let code = u32::from(c);
    if code < 0x80 || (0xA0..=0xFF).contains(&code) {
        return code as u8;
    }
    CP1252_HIGH.iter().position(|x| *x == c).map_or(b'?', |i| 0x80 + i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_page_round_trips() {
        for code in 1..=255u8 {
            assert_eq!(windows_1252_code(windows_1252_char(code)), code);
        }
        assert_eq!(windows_1252_char(0x80), '€');
        assert_eq!(windows_1252_code('€'), 128);
        assert_eq!(windows_1252_code('中'), b'?');
    }

    #[test]
    fn search_positions_are_utf16_units() {
        assert_eq!(search("b", "😀ab", 0), Some(3));
        assert_eq!(search("", "abc", 2), Some(2));
        assert_eq!(search("x", "abc", 0), None);
    }
}
