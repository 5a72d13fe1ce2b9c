//! `TEXTSPLIT`: text cut at column and row delimiters into a dynamic array.
//!
//! The rules beyond Microsoft's page were read from the values Excel cached
//! in calc_tests/TEXT/TEXTSPLIT.xlsx: without any delimiter (both omitted,
//! an empty cell or "") the result is `#VALUE!`; rows shorter than the
//! longest are padded with `pad_with`, `#N/A` by default; `ignore_empty`
//! drops the empty pieces between consecutive delimiters.

use crate::coerce::{arg, arg_text};
use crate::functions::dynamic::{result, whole};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// `TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty],
/// [match_mode], [pad_with])`.
pub(super) fn fn_textsplit(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let text: Vec<char> = arg_text(args, 0, ctx)?.chars().collect();
    let col_delimiters = delimiters(args, 1, ctx)?;
    let row_delimiters = delimiters(args, 2, ctx)?;
    let ignore_empty = match arg(args, 3, ctx) {
        Value::Empty => false,
        v => v.to_bool()?,
    };
    let ignore_case = match arg(args, 4, ctx) {
        Value::Empty => false,
        v => match v.to_number()?.trunc() {
            0.0 => false,
            1.0 => true,
            _ => return Err(ExcelError::Value),
        },
    };
    // An omitted pad_with and an empty one both pad with #N/A.
    let pad = match arg(args, 5, ctx) {
        Value::Empty => Value::Error(ExcelError::NA),
        v => v,
    };
    if col_delimiters.is_empty() && row_delimiters.is_empty() {
        return Err(ExcelError::Value);
    }
    let fold = |c: char| if ignore_case { c.to_lowercase().next().unwrap_or(c) } else { c };
    let hay: Vec<char> = text.iter().map(|&c| fold(c)).collect();
    let fold_all = |ds: Vec<Vec<char>>| -> Vec<Vec<char>> {
        ds.into_iter().map(|d| d.into_iter().map(fold).collect()).collect()
    };
    let (col_delimiters, row_delimiters) = (fold_all(col_delimiters), fold_all(row_delimiters));

    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut piece_start = 0;
    let mut p = 0;
    while p < hay.len() {
        let (row_len, col_len) =
            (longest_at(&hay, p, &row_delimiters), longest_at(&hay, p, &col_delimiters));
        if row_len == 0 && col_len == 0 {
            p += 1;
            continue;
        }
        row.push(text[piece_start..p].iter().collect());
        // At a position where both kinds match, the longer delimiter wins;
        // a tie ends the row.
        if row_len >= col_len {
            rows.push(std::mem::take(&mut row));
            p += row_len;
        } else {
            p += col_len;
        }
        piece_start = p;
    }
    row.push(text[piece_start..].iter().collect());
    rows.push(row);

    if ignore_empty {
        for row in &mut rows {
            row.retain(|piece| !piece.is_empty());
        }
        rows.retain(|row| !row.is_empty());
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut values = Vec::with_capacity(rows.len() * width);
    for row in &rows {
        let len = row.len();
        values.extend(row.iter().map(|piece| Value::text(piece.as_str())));
        values.extend(std::iter::repeat_n(pad.clone(), width - len));
    }
    result(rows.len(), width, values)
}

/// The delimiters of the argument at `index`, a text or an array of texts;
/// empty delimiters are left out, an error among them is the result.
fn delimiters(
    args: &[Operand],
    index: usize,
    ctx: &dyn Context,
) -> Result<Vec<Vec<char>>, ExcelError> {
    if args.get(index).is_none() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for value in whole(args, index, ctx)?.values() {
        let text = value.to_text()?;
        if !text.is_empty() {
            out.push(text.chars().collect());
        }
    }
    Ok(out)
}

/// The length of the longest delimiter that starts at `p`, 0 when none does.
fn longest_at(hay: &[char], p: usize, delimiters: &[Vec<char>]) -> usize {
    delimiters.iter().filter(|d| hay[p..].starts_with(d)).map(Vec::len).max().unwrap_or(0)
}
