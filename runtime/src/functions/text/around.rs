//! `TEXTBEFORE` and `TEXTAFTER`: the text on either side of the n-th
//! occurrence of a delimiter.
//!
//! The rules beyond Microsoft's page were read from the values Excel cached
//! in calc_tests/TEXT/TEXTBEFORE_TEXTAFTER.xlsx: `instance_num` is rounded
//! down (-1.6 is -2); a delimiter longer than the text is `#VALUE!` when
//! `instance_num` is given and `#N/A` otherwise; `match_end` must be 0 or 1;
//! an empty `if_not_found` cell gives "".

use crate::coerce::{arg, arg_number_or, arg_text};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// Which side of the delimiter the function returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
}

/// `TEXTBEFORE`/`TEXTAFTER(text, delimiter, [instance_num], [match_mode],
/// [match_end], [if_not_found])`.
pub(super) fn text_around(side: Side, args: &[Operand], ctx: &dyn Context) -> Value {
    match around(side, args, ctx) {
        Ok(value) => value,
        Err(e) => Value::Error(e),
    }
}

fn around(side: Side, args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let text: Vec<char> = arg_text(args, 0, ctx)?.chars().collect();
    let delimiter: Vec<char> = arg_text(args, 1, ctx)?.chars().collect();
    let instance = arg_number_or(args, 2, 1.0, ctx)?.floor();
    let ignore_case = arg_number_or(args, 3, 0.0, ctx)? != 0.0;
    let match_end = arg_number_or(args, 4, 0.0, ctx)?;
    if instance == 0.0 || instance.abs() > text.len().max(1) as f64 {
        return Err(ExcelError::Value);
    }
    if delimiter.len() > text.len() {
        return Err(if args.len() > 2 { ExcelError::Value } else { ExcelError::NA });
    }
    if match_end != 0.0 && match_end != 1.0 {
        return Err(ExcelError::Value);
    }
    let fold = |s: &[char]| -> Vec<char> {
        if ignore_case {
            s.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect()
        } else {
            s.to_vec()
        }
    };
    let (hay, needle) = (fold(&text), fold(&delimiter));
    let found = occurrence(&hay, &needle, instance as i64).or_else(|| {
        // With match_end the end of the text (or its start, counting from
        // the end) acts as one more delimiter of length 0.
        let end = match (match_end == 1.0, instance as i64) {
            (true, 1) => Some(text.len()),
            (true, -1) => Some(0),
            _ => None,
        };
        end.map(|p| (p, 0))
    });
    match found {
        Some((position, length)) => {
            let piece = match side {
                Side::Before => &text[..position],
                Side::After => &text[position + length..],
            };
            Ok(Value::text(piece.iter().collect::<String>()))
        }
        None if args.len() >= 6 => match arg(args, 5, ctx) {
            Value::Empty => Ok(Value::text("")),
            value => Ok(value),
        },
        None => Err(ExcelError::NA),
    }
}

/// The position and length of the `instance`-th occurrence of `needle`,
/// counted from the start when positive and from the end when negative.
/// An empty needle occurs before every character and at the end.
fn occurrence(hay: &[char], needle: &[char], instance: i64) -> Option<(usize, usize)> {
    let len = needle.len();
    let at = |p: usize| hay[p..].starts_with(needle);
    let mut count = 0;
    if instance > 0 {
        let mut p = 0;
        while p + len <= hay.len() {
            if at(p) {
                count += 1;
                if count == instance {
                    return Some((p, len));
                }
                p += len.max(1);
            } else {
                p += 1;
            }
        }
        // The empty needle also occurs at the very end.
        (len == 0 && count + 1 == instance).then_some((hay.len(), 0))
    } else {
        let mut end = hay.len();
        loop {
            if end < len {
                return None;
            }
            let p = end - len;
            if at(p) {
                count -= 1;
                if count == instance {
                    return Some((p, len));
                }
                end = if len == 0 { end.checked_sub(1)? } else { p };
            } else {
                end -= 1;
            }
        }
    }
}
