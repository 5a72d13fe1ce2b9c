//! Text functions: CONCAT, LEFT, MID, FIND, SUBSTITUTE, TEXT, VALUE,
//! TEXTBEFORE/TEXTAFTER, TEXTSPLIT, the REGEX functions and the rest.
//!
//! Excel counts characters in UTF-16 code units: `LEN` of an emoji outside
//! the Basic Multilingual Plane is 2, and `LEFT`, `MID`, `FIND` and friends
//! index the same units. Text is therefore handled as UTF-16 here. Results
//! longer than Excel's 32,767-unit cell limit are `#VALUE!`.
//!
//! FIXME: Rust strings cannot hold a lone surrogate, so `LEFT("😀",1)`
//! gives U+FFFD where Excel keeps half of the pair; only text cut inside
//! an emoji or other astral character is affected.

mod around;
mod format;
mod general;
mod regex;
mod split;
mod strings;
mod totext;

use crate::coerce::{arg, arg_number, arg_number_or, arg_text, number_operand, value_operand};
use crate::functions::{Param, Signature};
use crate::reference::{Context, Operand, Reference};
use crate::value::{ExcelError, Value};

pub use format::{format_number, format_text};
pub use general::{general_in_cell, round_half_away};
use strings::{from_units, units, MAX_TEXT_UNITS};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextFn {
    Concat,
    Concatenate,
    TextJoin,
    Left,
    Right,
    Mid,
    Len,
    Find,
    Search,
    Substitute,
    Replace,
    Trim,
    Upper,
    Lower,
    Proper,
    Text,
    Value,
    NumberValue,
    Rept,
    Exact,
    T,
    Char,
    Code,
    UniChar,
    Unicode,
    Clean,
    Fixed,
    Dollar,
    TextBefore,
    TextAfter,
    TextSplit,
    RegexTest,
    RegexExtract,
    RegexReplace,
    ValueToText,
    ArrayToText,
}

const SCALARS: &[Param] = &[Param::Scalar];
const RANGES: &[Param] = &[Param::Range];
const TEXTJOIN_PARAMS: &[Param] = &[Param::Range, Param::Scalar, Param::Range];
const ARRAY_THEN_SCALAR: &[Param] = &[Param::Range, Param::Scalar];
// TEXTSPLIT maps over an array of texts (each element keeps its first
// piece, as in Excel) but takes its delimiters whole.
const TEXTSPLIT_PARAMS: &[Param] = &[Param::Scalar, Param::Array, Param::Array, Param::Scalar];

impl TextFn {
    /// Every function of this category.
    pub const ALL: &'static [TextFn] = &[
        TextFn::Concat,
        TextFn::Concatenate,
        TextFn::TextJoin,
        TextFn::Left,
        TextFn::Right,
        TextFn::Mid,
        TextFn::Len,
        TextFn::Find,
        TextFn::Search,
        TextFn::Substitute,
        TextFn::Replace,
        TextFn::Trim,
        TextFn::Upper,
        TextFn::Lower,
        TextFn::Proper,
        TextFn::Text,
        TextFn::Value,
        TextFn::NumberValue,
        TextFn::Rept,
        TextFn::Exact,
        TextFn::T,
        TextFn::Char,
        TextFn::Code,
        TextFn::UniChar,
        TextFn::Unicode,
        TextFn::Clean,
        TextFn::Fixed,
        TextFn::Dollar,
        TextFn::TextBefore,
        TextFn::TextAfter,
        TextFn::TextSplit,
        TextFn::RegexTest,
        TextFn::RegexExtract,
        TextFn::RegexReplace,
        TextFn::ValueToText,
        TextFn::ArrayToText,
    ];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {
            TextFn::Concat => "CONCAT",
            TextFn::Concatenate => "CONCATENATE",
            TextFn::TextJoin => "TEXTJOIN",
            TextFn::Left => "LEFT",
            TextFn::Right => "RIGHT",
            TextFn::Mid => "MID",
            TextFn::Len => "LEN",
            TextFn::Find => "FIND",
            TextFn::Search => "SEARCH",
            TextFn::Substitute => "SUBSTITUTE",
            TextFn::Replace => "REPLACE",
            TextFn::Trim => "TRIM",
            TextFn::Upper => "UPPER",
            TextFn::Lower => "LOWER",
            TextFn::Proper => "PROPER",
            TextFn::Text => "TEXT",
            TextFn::Value => "VALUE",
            TextFn::NumberValue => "NUMBERVALUE",
            TextFn::Rept => "REPT",
            TextFn::Exact => "EXACT",
            TextFn::T => "T",
            TextFn::Char => "CHAR",
            TextFn::Code => "CODE",
            TextFn::UniChar => "UNICHAR",
            TextFn::Unicode => "UNICODE",
            TextFn::Clean => "CLEAN",
            TextFn::Fixed => "FIXED",
            TextFn::Dollar => "DOLLAR",
            TextFn::TextBefore => "TEXTBEFORE",
            TextFn::TextAfter => "TEXTAFTER",
            TextFn::TextSplit => "TEXTSPLIT",
            TextFn::RegexTest => "REGEXTEST",
            TextFn::RegexExtract => "REGEXEXTRACT",
            TextFn::RegexReplace => "REGEXREPLACE",
            TextFn::ValueToText => "VALUETOTEXT",
            TextFn::ArrayToText => "ARRAYTOTEXT",
        }
    }

    pub fn signature(self) -> Signature {
        let scalars = |min, max| Signature::new(min, Some(max), SCALARS);
        match self {
            TextFn::Concat => Signature::new(1, Some(254), RANGES),
            TextFn::Concatenate => Signature::new(1, Some(255), SCALARS),
            TextFn::TextJoin => Signature::new(3, Some(255), TEXTJOIN_PARAMS),
            TextFn::Left | TextFn::Right => scalars(1, 2),
            TextFn::Mid => scalars(3, 3),
            TextFn::Find | TextFn::Search => scalars(2, 3),
            TextFn::Substitute => scalars(3, 4),
            TextFn::Replace => scalars(4, 4),
            TextFn::Len
            | TextFn::Trim
            | TextFn::Upper
            | TextFn::Lower
            | TextFn::Proper
            | TextFn::Value
            | TextFn::T
            | TextFn::Char
            | TextFn::Code
            | TextFn::UniChar
            | TextFn::Unicode
            | TextFn::Clean => scalars(1, 1),
            TextFn::Text | TextFn::Rept | TextFn::Exact => scalars(2, 2),
            TextFn::NumberValue | TextFn::Fixed => scalars(1, 3),
            TextFn::Dollar | TextFn::ValueToText => scalars(1, 2),
            TextFn::TextBefore | TextFn::TextAfter => scalars(2, 6),
            TextFn::TextSplit => Signature::new(2, Some(6), TEXTSPLIT_PARAMS),
            TextFn::RegexTest => scalars(2, 3),
            TextFn::RegexExtract => scalars(2, 4),
            TextFn::RegexReplace => scalars(3, 5),
            TextFn::ArrayToText => Signature::new(1, Some(2), ARRAY_THEN_SCALAR),
        }
    }
}

pub(crate) fn call(f: TextFn, args: &[Operand], ctx: &dyn Context) -> Operand {
    match f {
        TextFn::Concat => text_operand(fn_concat(args, ctx)),
        TextFn::Concatenate => text_operand(fn_concatenate(args, ctx)),
        TextFn::TextJoin => text_operand(fn_textjoin(args, ctx)),
        TextFn::Left => text_operand(fn_left(args, ctx)),
        TextFn::Right => text_operand(fn_right(args, ctx)),
        TextFn::Mid => text_operand(fn_mid(args, ctx)),
        TextFn::Len => number_operand(fn_len(args, ctx)),
        TextFn::Find => number_operand(fn_find(args, ctx)),
        TextFn::Search => number_operand(fn_search(args, ctx)),
        TextFn::Substitute => text_operand(fn_substitute(args, ctx)),
        TextFn::Replace => text_operand(fn_replace(args, ctx)),
        TextFn::Trim => text_operand(fn_trim(args, ctx)),
        TextFn::Upper => text_operand(fn_upper(args, ctx)),
        TextFn::Lower => text_operand(fn_lower(args, ctx)),
        TextFn::Proper => text_operand(fn_proper(args, ctx)),
        TextFn::Text => text_operand(fn_text(args, ctx)),
        TextFn::Value => number_operand(fn_value(args, ctx)),
        TextFn::NumberValue => number_operand(fn_numbervalue(args, ctx)),
        TextFn::Rept => text_operand(fn_rept(args, ctx)),
        TextFn::Exact => value_operand(fn_exact(args, ctx)),
        TextFn::T => value_operand(fn_t(args, ctx)),
        TextFn::Char => text_operand(fn_char(args, ctx)),
        TextFn::Code => number_operand(fn_code(args, ctx)),
        TextFn::UniChar => text_operand(fn_unichar(args, ctx)),
        TextFn::Unicode => number_operand(fn_unicode(args, ctx)),
        TextFn::Clean => text_operand(fn_clean(args, ctx)),
        TextFn::Fixed => text_operand(fn_fixed(args, ctx)),
        TextFn::Dollar => text_operand(fn_dollar(args, ctx)),
        TextFn::TextBefore => Operand::Value(around::text_around(around::Side::Before, args, ctx)),
        TextFn::TextAfter => Operand::Value(around::text_around(around::Side::After, args, ctx)),
        TextFn::TextSplit => value_operand(split::fn_textsplit(args, ctx)),
        TextFn::RegexTest => value_operand(regex::fn_regextest(args, ctx)),
        TextFn::RegexExtract => value_operand(regex::fn_regexextract(args, ctx)),
        TextFn::RegexReplace => text_operand(regex::fn_regexreplace(args, ctx)),
        TextFn::ValueToText => text_operand(totext::fn_valuetotext(args, ctx)),
        TextFn::ArrayToText => text_operand(totext::fn_arraytotext(args, ctx)),
    }
}

/// A text result; text past Excel's cell limit is `#VALUE!`.
fn text_operand(result: Result<String, ExcelError>) -> Operand {
    value_operand(result.and_then(|s| {
        if s.encode_utf16().count() > MAX_TEXT_UNITS {
            Err(ExcelError::Value)
        } else {
            Ok(Value::text(s))
        }
    }))
}

/// Every scalar of an argument taken whole (a range is read cell by cell,
/// row by row; an array element by element).
fn flatten(operand: &Operand, ctx: &dyn Context) -> Vec<Value> {
    match operand.to_value(ctx) {
        Value::Array(a) => a.values().to_vec(),
        other => vec![other],
    }
}

/// Calls `f` with the scalars of an argument taken whole, in row-major
/// order, leaving out the empty cells past the sheet's used extent, so that
/// `CONCAT(A:A)` does not read a million empty cells.
fn for_each_non_trailing(operand: &Operand, ctx: &dyn Context, mut f: impl FnMut(Value)) {
    match operand {
        Operand::Ref(Reference::Range(r)) => {
            r.for_each_used(ctx, f);
        }
        Operand::Ref(Reference::Union(areas)) => {
            for area in areas.iter() {
                area.for_each_used(ctx, &mut f);
            }
        }
        Operand::Value(Value::Array(a)) => a.values().iter().cloned().for_each(f),
        Operand::Value(v) => f(v.clone()),
    }
}

/// `CONCAT(text1, [text2], …)`: joins every value of every argument, ranges
/// and arrays flattened row by row; empty cells add nothing; the first
/// error met is the result.
fn fn_concat(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let mut out = String::new();
    let mut error = None;
    for operand in args {
        for_each_non_trailing(operand, ctx, |value| match (value.to_text(), error) {
            (Ok(text), None) => out.push_str(&text),
            (Err(e), None) => error = Some(e),
            (_, Some(_)) => {}
        });
    }
    error.map_or(Ok(out), Err)
}

/// `CONCATENATE(text1, [text2], …)`: joins its scalar arguments (arrays
/// broadcast, so `CONCATENATE(A1:A3, "x")` is an array).
fn fn_concatenate(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let mut out = String::new();
    for index in 0..args.len() {
        out.push_str(&arg_text(args, index, ctx)?);
    }
    Ok(out)
}

/// `TEXTJOIN(delimiter, ignore_empty, text1, …)`: joins the values with the
/// delimiter; when the delimiter is a range or array its values are used in
/// turn, cycling. With `ignore_empty` TRUE, empty cells and empty text are
/// skipped. The first error among the values is the result.
fn fn_textjoin(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let delimiters = args
        .first()
        .map(|d| flatten(d, ctx))
        .unwrap_or_default()
        .iter()
        .map(Value::to_text)
        .collect::<Result<Vec<_>, _>>()?;
    let ignore_empty = arg(args, 1, ctx).to_bool()?;
    let mut pieces = Vec::new();
    for operand in args.iter().skip(2) {
        // Without ignore_empty every empty cell takes a delimiter, so the
        // whole range is read; with it, trailing empty cells can be left out.
        let values = if ignore_empty {
            let mut values = Vec::new();
            for_each_non_trailing(operand, ctx, |v| values.push(v));
            values
        } else {
            flatten(operand, ctx)
        };
        for value in values {
            let text = value.to_text()?;
            if !(ignore_empty && text.is_empty()) {
                pieces.push(text);
            }
        }
    }
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 && !delimiters.is_empty() {
            out.push_str(&delimiters[(i - 1) % delimiters.len()]);
        }
        out.push_str(piece);
    }
    Ok(out)
}

/// A character count argument: truncated, negative is `#VALUE!`. `default`
/// applies only when the argument is absent: an empty cell counts 0, so
/// `LEFT(A1,B1)` with B1 empty is "" where `LEFT(A1)` is one character
/// (Excel: calc_tests/TEXT/STRING_HANDLING.xlsx Sheet1!F22 and F24).
fn count_arg(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<usize, ExcelError> {
    whole_at_least(given_number_or(args, index, default, ctx)?, 0.0)
}

/// A number truncated to a whole count of at least `least`, else `#VALUE!`.
fn whole_at_least(n: f64, least: f64) -> Result<usize, ExcelError> {
    let n = n.trunc();
    if n < least {
        return Err(ExcelError::Value);
    }
    Ok(n.min(1e9) as usize)
}

/// The number at `index`, or `default` when the argument is absent (an
/// empty value is 0).
fn given_number_or(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<f64, ExcelError> {
    if index < args.len() {
        arg_number(args, index, ctx)
    } else {
        Ok(default)
    }
}

/// A 1-based position argument: truncated, below 1 is `#VALUE!`; an empty
/// cell is 0, so `MID(A1,B1,C1)` with B1 empty is `#VALUE!` (Excel:
/// calc_tests/TEXT/STRING_HANDLING.xlsx Sheet1!D22).
fn position_arg(
    args: &[Operand],
    index: usize,
    default: f64,
    ctx: &dyn Context,
) -> Result<usize, ExcelError> {
    whole_at_least(given_number_or(args, index, default, ctx)?, 1.0)
}

/// `LEFT(text, [num_chars])`: the first `num_chars` (default 1) characters;
/// a negative count is `#VALUE!`.
fn fn_left(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = units(&arg_text(args, 0, ctx)?);
    let n = count_arg(args, 1, 1.0, ctx)?.min(text.len());
    Ok(from_units(&text[..n]))
}

/// `RIGHT(text, [num_chars])`: the last `num_chars` (default 1) characters.
fn fn_right(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = units(&arg_text(args, 0, ctx)?);
    let n = count_arg(args, 1, 1.0, ctx)?.min(text.len());
    Ok(from_units(&text[text.len() - n..]))
}

/// `MID(text, start_num, num_chars)`: `num_chars` characters from position
/// `start_num`; a start past the end gives "", a start below 1 or a
/// negative count `#VALUE!`.
fn fn_mid(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = units(&arg_text(args, 0, ctx)?);
    let start = position_arg(args, 1, 1.0, ctx)?;
    let n = count_arg(args, 2, 0.0, ctx)?;
    let from = (start - 1).min(text.len());
    let to = from.saturating_add(n).min(text.len());
    Ok(from_units(&text[from..to]))
}

/// `LEN(text)`: the number of UTF-16 code units (an emoji counts 2).
fn fn_len(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    Ok(arg_text(args, 0, ctx)?.encode_utf16().count() as f64)
}

/// The start position of FIND and SEARCH, checked against the text: below
/// 1 or past the end plus one is `#VALUE!`.
fn start_arg(args: &[Operand], within_len: usize, ctx: &dyn Context) -> Result<usize, ExcelError> {
    let start = position_arg(args, 2, 1.0, ctx)?;
    if start > within_len + 1 {
        return Err(ExcelError::Value);
    }
    Ok(start - 1)
}

/// `FIND(find_text, within_text, [start_num])`: the 1-based position of the
/// first case-sensitive occurrence at or after `start_num`; no wildcards.
/// An empty `find_text` matches at `start_num`. Not found is `#VALUE!`.
fn fn_find(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let needle = units(&arg_text(args, 0, ctx)?);
    let haystack = units(&arg_text(args, 1, ctx)?);
    let start = start_arg(args, haystack.len(), ctx)?;
    strings::find_units(&haystack, &needle, start).map(|p| (p + 1) as f64).ok_or(ExcelError::Value)
}

/// `SEARCH(find_text, within_text, [start_num])`: like FIND but
/// case-insensitive and with wildcards (`?` one character, `*` any run,
/// `~` escaping the next one).
fn fn_search(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let pattern = arg_text(args, 0, ctx)?;
    let within = arg_text(args, 1, ctx)?;
    let start = start_arg(args, within.encode_utf16().count(), ctx)?;
    strings::search(&pattern, &within, start).map(|p| (p + 1) as f64).ok_or(ExcelError::Value)
}

/// `SUBSTITUTE(text, old_text, new_text, [instance_num])`: replaces every
/// case-sensitive occurrence of `old_text`, or only the `instance_num`-th
/// (an instance below 1 is `#VALUE!`). An empty `old_text` changes nothing.
fn fn_substitute(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let old = arg_text(args, 1, ctx)?;
    let new = arg_text(args, 2, ctx)?;
    let instance = match arg(args, 3, ctx) {
        Value::Empty if args.len() < 4 => None,
        value => {
            let n = value.to_number()?.trunc();
            if n < 1.0 {
                return Err(ExcelError::Value);
            }
            Some(n as usize)
        }
    };
    if old.is_empty() {
        return Ok(text.to_string());
    }
    Ok(match instance {
        None => text.replace(&*old, &new),
        Some(n) => match text.match_indices(&*old).nth(n - 1) {
            Some((at, _)) => format!("{}{}{}", &text[..at], new, &text[at + old.len()..]),
            None => text.to_string(),
        },
    })
}

/// `REPLACE(old_text, start_num, num_chars, new_text)`: replaces
/// `num_chars` characters from `start_num` with `new_text`; a start past
/// the end appends. A start below 1 or a negative count is `#VALUE!`.
fn fn_replace(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = units(&arg_text(args, 0, ctx)?);
    let start = position_arg(args, 1, 1.0, ctx)?;
    let n = count_arg(args, 2, 0.0, ctx)?;
    let new = units(&arg_text(args, 3, ctx)?);
    let from = (start - 1).min(text.len());
    let to = from.saturating_add(n).min(text.len());
    let joined: Vec<u16> = [&text[..from], &new[..], &text[to..]].concat();
    Ok(from_units(&joined))
}

/// `TRIM(text)`: removes leading and trailing spaces and turns each inner
/// run of spaces into one. Only the ASCII space is trimmed, as in Excel;
/// non-breaking spaces stay.
fn fn_trim(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    Ok(text.split(' ').filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" "))
}

/// `UPPER(text)`: the text in capitals.
fn fn_upper(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    Ok(arg_text(args, 0, ctx)?.to_uppercase())
}

/// `LOWER(text)`: the text in lower case.
fn fn_lower(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    Ok(arg_text(args, 0, ctx)?.to_lowercase())
}

/// `PROPER(text)`: capitalises every letter that follows a non-letter
/// (digits and apostrophes included: "76BudGet" → "76Budget",
/// "don't" → "Don'T") and lower-cases the other letters.
fn fn_proper(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let mut out = String::with_capacity(text.len());
    let mut after_letter = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if after_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            after_letter = true;
        } else {
            out.push(c);
            after_letter = false;
        }
    }
    Ok(out)
}

/// `TEXT(value, format_text)`: the value formatted with a number format
/// code (see [`format_number`] for the codes supported). Text that reads as
/// a number or date is formatted as that number; other text goes through
/// the code's text section; booleans stay `TRUE`/`FALSE`.
fn fn_text(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let code = arg_text(args, 1, ctx)?;
    match arg(args, 0, ctx) {
        Value::Error(e) => Err(e),
        Value::Bool(b) => Ok(if b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Text(t) => match crate::coerce::parse_number_in(&t, ctx) {
            Some(n) => format_number(n, &code, ctx.date_1904()),
            None => Ok(format_text(&t, &code)),
        },
        other => format_number(other.to_number()?, &code, ctx.date_1904()),
    }
}

/// `VALUE(text)`: text read as a number the way arithmetic reads it
/// (thousands separators, `$`, `%`, parentheses, dates and times in the
/// workbook's date system). A number is itself, an empty cell 0, a boolean
/// or unreadable text `#VALUE!`.
fn fn_value(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    match arg(args, 0, ctx) {
        Value::Number(n) => Ok(n),
        Value::Empty => Ok(0.0),
        Value::Text(t) => crate::coerce::parse_number_in(&t, ctx).ok_or(ExcelError::Value),
        Value::Error(e) => Err(e),
        Value::Bool(_) | Value::Array(_) => Err(ExcelError::Value),
    }
}

/// `NUMBERVALUE(text, [decimal_separator], [group_separator])`: reads a
/// number with the given separators (default `.` and `,`; only the first
/// character of each counts). Spaces anywhere are ignored, group separators
/// must precede the decimal separator, each trailing `%` divides by 100,
/// and empty text is 0. Equal separators or unreadable text are `#VALUE!`.
fn fn_numbervalue(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let separator = |index: usize, default: char| -> Result<char, ExcelError> {
        if args.len() <= index {
            return Ok(default);
        }
        arg_text(args, index, ctx)?.chars().next().ok_or(ExcelError::Value)
    };
    let decimal = separator(1, '.')?;
    let group = separator(2, ',')?;
    strings::number_value(&text, decimal, group).ok_or(ExcelError::Value)
}

/// `REPT(text, number_times)`: the text repeated; the count is truncated, a
/// negative count is `#VALUE!`, and a result over 32,767 characters too.
fn fn_rept(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let times = arg_number(args, 1, ctx)?.trunc();
    if times < 0.0 {
        return Err(ExcelError::Value);
    }
    let length = text.encode_utf16().count() as f64 * times;
    if length > MAX_TEXT_UNITS as f64 {
        return Err(ExcelError::Value);
    }
    Ok(text.repeat(times as usize))
}

/// `EXACT(text1, text2)`: whether the two texts are identical,
/// case-sensitively (numbers compare as their text).
fn fn_exact(args: &[Operand], ctx: &dyn Context) -> Result<bool, ExcelError> {
    Ok(arg_text(args, 0, ctx)? == arg_text(args, 1, ctx)?)
}

/// `T(value)`: the value if it is text, otherwise ""; errors pass through.
fn fn_t(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    match arg(args, 0, ctx) {
        Value::Text(t) => Ok(Value::Text(t)),
        Value::Error(e) => Err(e),
        _ => Ok(Value::text("")),
    }
}

/// `CHAR(number)`: the character of a code 1 to 255 in the Windows-1252
/// character set Excel uses on Windows (`CHAR(65)` is "A", `CHAR(128)` is
/// "€"); other codes are `#VALUE!`.
fn fn_char(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let code = arg_number(args, 0, ctx)?.trunc();
    if !(1.0..=255.0).contains(&code) {
        return Err(ExcelError::Value);
    }
    Ok(strings::windows_1252_char(code as u8).to_string())
}

/// `CODE(text)`: the Windows-1252 code of the first character (63, `?`,
/// for characters outside that set); empty text is `#VALUE!`.
fn fn_code(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let first = text.chars().next().ok_or(ExcelError::Value)?;
    Ok(f64::from(strings::windows_1252_code(first)))
}

/// `UNICHAR(number)`: the character of a Unicode code point; 0 and values
/// past U+10FFFF are `#VALUE!`, a lone surrogate half (U+D800 to U+DFFF)
/// is `#N/A`.
fn fn_unichar(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let code = arg_number(args, 0, ctx)?.trunc();
    if !(1.0..=1_114_111.0).contains(&code) {
        return Err(ExcelError::Value);
    }
    char::from_u32(code as u32).map(String::from).ok_or(ExcelError::NA)
}

/// `UNICODE(text)`: the code point of the first character; empty text is
/// `#VALUE!`.
fn fn_unicode(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    text.chars().next().map(|c| f64::from(u32::from(c))).ok_or(ExcelError::Value)
}

/// `CLEAN(text)`: removes the non-printing characters 0 to 31.
fn fn_clean(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    Ok(arg_text(args, 0, ctx)?.chars().filter(|c| u32::from(*c) >= 32).collect())
}

/// The number and decimal places of FIXED and DOLLAR; places above 127
/// are `#VALUE!`.
fn number_and_places(args: &[Operand], ctx: &dyn Context) -> Result<(f64, i32), ExcelError> {
    let number = arg_number(args, 0, ctx)?;
    let places = arg_number_or(args, 1, 2.0, ctx)?.trunc();
    if places > 127.0 {
        return Err(ExcelError::Value);
    }
    Ok((number, places.max(-308.0) as i32))
}

/// `FIXED(number, [decimals], [no_commas])`: the number rounded to
/// `decimals` places (default 2; negative rounds left of the point) as text
/// with thousands separators unless `no_commas` is TRUE.
fn fn_fixed(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let (number, places) = number_and_places(args, ctx)?;
    let no_commas = arg(args, 2, ctx).to_bool()?;
    let body = strings::fixed_digits(number.abs(), places, !no_commas);
    let negative = number < 0.0 && body.bytes().any(|b| (b'1'..=b'9').contains(&b));
    Ok(if negative { format!("-{body}") } else { body })
}

/// `DOLLAR(number, [decimals])`: the number as currency text, `$1,234.57`,
/// negatives in parentheses `($1,234.57)`; decimals as in FIXED.
fn fn_dollar(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let (number, places) = number_and_places(args, ctx)?;
    let body = strings::fixed_digits(number.abs(), places, true);
    let negative = number < 0.0 && body.bytes().any(|b| (b'1'..=b'9').contains(&b));
    Ok(if negative { format!("(${body})") } else { format!("${body}") })
}

#[cfg(test)]
mod tests;
