//! `REGEXTEST`, `REGEXEXTRACT` and `REGEXREPLACE`.
//!
//! Excel uses PCRE2 patterns; the `regex` crate reads the common subset the
//! same way (classes, quantifiers, groups, anchors, `\d`, `\w`, `\s`).
//! FIXME: look-around and back-references, which `regex` lacks, give
//! `#VALUE!` as an invalid pattern does, where Excel would match.

use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::coerce::{arg_number_or, arg_text};
use crate::reference::{Context, Operand};
use crate::value::{Array, ExcelError, Value};

/// The pattern at `index`, case-insensitive when the argument at
/// `case_index` is 1; an invalid pattern is `#VALUE!`.
fn pattern(
    args: &[Operand],
    index: usize,
    case_index: usize,
    ctx: &dyn Context,
) -> Result<Regex, ExcelError> {
    let text = arg_text(args, index, ctx)?;
    let ignore_case = match arg_number_or(args, case_index, 0.0, ctx)? {
        0.0 => false,
        1.0 => true,
        _ => return Err(ExcelError::Value),
    };
    RegexBuilder::new(&text)
        .case_insensitive(ignore_case)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| ExcelError::Value)
}

/// `REGEXTEST(text, pattern, [case_sensitivity])`: whether the pattern
/// matches anywhere in the text.
pub(super) fn fn_regextest(args: &[Operand], ctx: &dyn Context) -> Result<bool, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    Ok(pattern(args, 1, 2, ctx)?.is_match(&text))
}

/// `REGEXEXTRACT(text, pattern, [return_mode], [case_sensitivity])`: the
/// first match (mode 0), every match (1) or the first match's capture
/// groups (2), the last two as a one-row array. No match is `#N/A`.
pub(super) fn fn_regexextract(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let mode = arg_number_or(args, 2, 0.0, ctx)?;
    let re = pattern(args, 1, 3, ctx)?;
    let pieces: Vec<Value> = match mode {
        0.0 => {
            let found = re.find(&text).ok_or(ExcelError::NA)?;
            return Ok(Value::text(found.as_str()));
        }
        1.0 => re.find_iter(&text).map(|m| Value::text(m.as_str())).collect(),
        2.0 => {
            let captures = re.captures(&text).ok_or(ExcelError::NA)?;
            let groups = captures.iter().skip(1);
            groups.map(|g| Value::text(g.map_or("", |m| m.as_str()))).collect()
        }
        _ => return Err(ExcelError::Value),
    };
    let count = pieces.len();
    let array = Array::new(1, count, pieces).ok_or(ExcelError::NA)?;
    Ok(Value::Array(Arc::new(array)))
}

/// `REGEXREPLACE(text, pattern, replacement, [occurrence],
/// [case_sensitivity])`: replaces every match (occurrence 0), or only the
/// n-th (from the end when negative). `$n` and `${n}` in the replacement
/// are capture groups, `$$` a dollar sign.
pub(super) fn fn_regexreplace(args: &[Operand], ctx: &dyn Context) -> Result<String, ExcelError> {
    let text = arg_text(args, 0, ctx)?;
    let re = pattern(args, 1, 4, ctx)?;
    let replacement = arg_text(args, 2, ctx)?;
    let occurrence = arg_number_or(args, 3, 0.0, ctx)?.trunc();
    let all: Vec<regex::Captures<'_>> = re.captures_iter(&text).collect();
    let chosen: Option<usize> = if occurrence == 0.0 {
        None
    } else if occurrence > 0.0 {
        Some(occurrence as usize - 1)
    } else {
        all.len().checked_sub((-occurrence) as usize)
    };
    let mut out = String::new();
    let mut last = 0;
    for (i, captures) in all.iter().enumerate() {
        if chosen.is_some_and(|c| c != i) {
            continue;
        }
        let Some(whole) = captures.get(0) else { continue };
        out.push_str(&text[last..whole.start()]);
        expand(&replacement, captures, &mut out);
        last = whole.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Appends `replacement` with its group references filled in.
fn expand(replacement: &str, captures: &regex::Captures<'_>, out: &mut String) {
    let mut rest = replacement;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, skip) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(close) => (&braced[..close], close + 2),
                None => ("", 0),
            }
        } else {
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (&after[..digits], digits)
        };
        if let Some(escaped) = after.strip_prefix('$') {
            out.push('$');
            rest = escaped;
        } else if name.is_empty() {
            out.push('$');
            rest = after;
        } else {
            let group = match name.parse::<usize>() {
                Ok(n) => captures.get(n),
                Err(_) => captures.name(name),
            };
            out.push_str(group.map_or("", |m| m.as_str()));
            rest = &after[skip..];
        }
    }
    out.push_str(rest);
}
