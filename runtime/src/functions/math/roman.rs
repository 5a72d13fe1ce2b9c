//! ROMAN and ARABIC: numbers to Roman numerals and back.
//!
//! ROMAN's `form` 0 is the classic style (`CDXCIX` for 499); forms 1 to 4
//! allow ever longer subtractive pairs and so ever shorter numerals
//! (`LDVLIV`, `XDIX`, `VDIV`, `ID`). A numeral is written greedily, taking
//! at each step the largest single letter or allowed pair that fits.

use crate::value::{ExcelError, Value};

/// The letters from I (position 0) to M (position 6), with their values.
const LETTERS: [(char, u32); 7] =
    [('I', 1), ('V', 5), ('X', 10), ('L', 50), ('C', 100), ('D', 500), ('M', 1000)];

/// The least form in which `small` may stand before `big` (positions in
/// [`LETTERS`]), or `None` when never. A power of ten (I, X, C) precedes the
/// next two letters in the classic form, the next four from form 2 and the
/// next six from form 4; a five (V, L) precedes the letters two or three up
/// from form 1 and four or five up from form 3.
fn pair_form(small: usize, big: usize) -> Option<u32> {
    let gap = big.checked_sub(small)?;
    match (small.is_multiple_of(2), gap) {
        (true, 1..=2) => Some(0),
        (true, 3..=4) => Some(2),
        (true, 5..=6) => Some(4),
        (false, 2..=3) => Some(1),
        (false, 4..=5) => Some(3),
        _ => None,
    }
}

/// The letters and subtractive pairs form `form` may use, largest first.
fn units(form: u32) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = LETTERS.iter().map(|(c, v)| (*v, c.to_string())).collect();
    for (small, (s, sv)) in LETTERS.iter().enumerate() {
        for (big, (b, bv)) in LETTERS.iter().enumerate() {
            if pair_form(small, big).is_some_and(|least| least <= form) {
                out.push((bv - sv, format!("{s}{b}")));
            }
        }
    }
    out.sort_by_key(|unit| std::cmp::Reverse(unit.0));
    out
}

/// `ROMAN(number, [form])`: the number (truncated) as a Roman numeral; 0 is
/// "", a negative number or one of 4000 or more `#VALUE!`. `form` is 0 to 4
/// (TRUE is 0, FALSE is 4); anything else is `#VALUE!`.
pub(super) fn roman(n: f64, form: f64) -> Value {
    let form = form.trunc();
    if !(0.0..4000.0).contains(&n) || !(0.0..=4.0).contains(&form) {
        return Value::Error(ExcelError::Value);
    }
    let mut rest = n.trunc() as u32;
    let mut out = String::new();
    for (value, letters) in units(form as u32) {
        while rest >= value {
            out.push_str(&letters);
            rest -= value;
        }
    }
    Value::text(out)
}

/// `ARABIC(text)`: the value of a Roman numeral, case-insensitive, with
/// leading and trailing spaces ignored and an optional leading minus sign;
/// "" is 0. A letter before a larger one is subtracted, so non-standard
/// numerals have a value too (`"IC"` is 99, `"XIXI"` 20). Numbers, booleans,
/// other text and text over 255 characters are `#VALUE!` (Microsoft's
/// ARABIC docs; Excel: calc_tests/MATH_AND_TRIGONOMETRY/ARABIC_ROMAN.xlsx).
pub(super) fn arabic(value: &Value) -> Value {
    let text = match value {
        Value::Text(t) => t.trim_matches(' '),
        Value::Empty => "",
        Value::Error(e) => return Value::Error(*e),
        Value::Number(_) | Value::Bool(_) | Value::Array(_) => {
            return Value::Error(ExcelError::Value)
        }
    };
    if text.chars().count() > 255 {
        return Value::Error(ExcelError::Value);
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text),
    };
    let values: Option<Vec<u32>> = digits.chars().map(letter_value).collect();
    let Some(values) = values else {
        return Value::Error(ExcelError::Value);
    };
    let total: i64 = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let v = i64::from(*v);
            if values.get(i + 1).is_some_and(|next| i64::from(*next) > v) {
                -v
            } else {
                v
            }
        })
        .sum();
    Value::Number(sign * total as f64)
}

/// The value of one Roman letter, either case.
fn letter_value(c: char) -> Option<u32> {
    let upper = c.to_ascii_uppercase();
    LETTERS.iter().find(|(l, _)| *l == upper).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_shorten_the_numeral() {
        // Microsoft's ROMAN docs: 499 in forms 0 to 4.
        let expected = ["CDXCIX", "LDVLIV", "XDIX", "VDIV", "ID"];
        for (form, numeral) in expected.iter().enumerate() {
            assert_eq!(roman(499.0, form as f64), Value::text(numeral), "form {form}");
        }
        // Excel: calc_tests/MATH_AND_TRIGONOMETRY/ARABIC_ROMAN.xlsx
        // ROMAN!B15:F15, 3999.9999999 in forms 0 to 4.
        let expected = ["MMMCMXCIX", "MMMLMVLIV", "MMMXMIX", "MMMVMIV", "MMMIM"];
        for (form, numeral) in expected.iter().enumerate() {
            assert_eq!(roman(3999.9999999, form as f64), Value::text(numeral), "form {form}");
        }
        // ROMAN!B16, B17, B19: 4000 and -13 are #VALUE!, 0.3 is "".
        assert_eq!(roman(4000.0, 0.0), Value::Error(ExcelError::Value));
        assert_eq!(roman(-13.0, 0.0), Value::Error(ExcelError::Value));
        assert_eq!(roman(0.3, 0.0), Value::text(""));
    }

    #[test]
    fn arabic_reads_non_standard_numerals() {
        // Excel: calc_tests/MATH_AND_TRIGONOMETRY/ARABIC_ROMAN.xlsx ARABIC!B11
        // to B20, B27 and B36.
        let read = |s: &str| arabic(&Value::text(s));
        assert_eq!(read("ixix"), Value::Number(18.0));
        assert_eq!(read("XIXI"), Value::Number(20.0));
        assert_eq!(read("IM"), Value::Number(999.0));
        assert_eq!(read("CMM"), Value::Number(1900.0));
        assert_eq!(read("MmM"), Value::Number(3000.0));
        assert_eq!(read("ICIC"), Value::Number(198.0));
        assert_eq!(read("a"), Value::Error(ExcelError::Value));
        assert_eq!(read("\"X\""), Value::Error(ExcelError::Value));
        assert_eq!(arabic(&Value::Number(0.0)), Value::Error(ExcelError::Value));
        // Microsoft's ARABIC docs: "-MMXI" is -2011, "" is 0, spaces around
        // are ignored.
        assert_eq!(read("-MMXI"), Value::Number(-2011.0));
        assert_eq!(read(""), Value::Number(0.0));
        assert_eq!(read(" mcmxii "), Value::Number(1912.0));
    }
}
