//! The searching lookups: MATCH, VLOOKUP, HLOOKUP, LOOKUP, XLOOKUP, XMATCH,
//! and the exact, wildcard and binary searches they share.
//!
//! Approximate matching (`MATCH` types 1 and -1, `VLOOKUP`/`HLOOKUP` with
//! `range_lookup` TRUE, `LOOKUP`, XLOOKUP's binary search modes) is a binary
//! search, as in Excel: on data that is not sorted the answer is whatever
//! the halving finds, not the best match. For `MATCH`, `VLOOKUP`, `HLOOKUP`
//! and `LOOKUP`, cells of another type than the lookup value (text among
//! numbers, blanks) are stepped over: the probe moves to the nearest cell of
//! the right type below the midpoint. XLOOKUP and XMATCH instead order all
//! values, numbers before text before booleans, when they look for the next
//! smaller or larger value or search in binary.

use std::cmp::Ordering;

use super::grid::Grid;
use crate::coerce::{arg, arg_number_or};
use crate::compare::compare;
use crate::criteria::{has_wildcards, wildcard_match};
use crate::reference::{Context, Operand};
use crate::value::{ExcelError, Value};

/// XLOOKUP's and XMATCH's `match_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MatchMode {
    Exact,
    ExactOrSmaller,
    ExactOrLarger,
    Wildcard,
    /// Match mode 3: the lookup value is a regular expression.
    Regex,
}

/// XLOOKUP's and XMATCH's `search_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SearchMode {
    FirstToLast,
    LastToFirst,
    BinaryAscending,
    BinaryDescending,
}

/// Whether two scalars are of the same comparable kind (number, text,
/// boolean); blanks and errors are of no kind and never match.
fn same_kind(a: &Value, b: &Value) -> bool {
    matches!(
        (a, b),
        (Value::Number(_), Value::Number(_))
            | (Value::Text(_), Value::Text(_))
            | (Value::Bool(_), Value::Bool(_))
    )
}

/// Excel's order of two values of the same kind (text case-insensitive).
fn order(a: &Value, b: &Value) -> Ordering {
    compare(a, b).unwrap_or(Ordering::Less)
}

/// Whether `candidate` equals `lookup`; with `wildcards`, text lookups are
/// patterns.
fn matches_exactly(lookup: &Value, candidate: &Value, wildcards: bool) -> bool {
    if !same_kind(lookup, candidate) {
        return false;
    }
    match (lookup, candidate) {
        (Value::Text(pattern), Value::Text(text)) if wildcards && has_wildcards(pattern) => {
            wildcard_match(pattern, text)
        }
        _ => order(candidate, lookup) == Ordering::Equal,
    }
}

/// The first index whose value equals `lookup`, in the given direction.
pub(super) fn find_exact(
    lookup: &Value,
    values: &[Value],
    wildcards: bool,
    reverse: bool,
) -> Option<usize> {
    let hit = |i: &usize| matches_exactly(lookup, &values[*i], wildcards);
    if reverse {
        (0..values.len()).rev().find(hit)
    } else {
        (0..values.len()).find(hit)
    }
}

/// Excel's approximate binary search. For an ascending vector it returns
/// the last index whose value is `<= lookup`; with `descending`, the last
/// index whose value is `>= lookup`. Cells of another kind than `lookup`
/// are skipped by probing the nearest same-kind cell below the midpoint.
pub(super) fn binary_search(lookup: &Value, values: &[Value], descending: bool) -> Option<usize> {
    // Inclusive bounds with the midpoint rounded down, as Excel probes:
    // MATCH(40,{25,38,40,41},-1) first probes 38 and ends in #N/A.
    let (mut low, mut high) = (0usize, values.len());
    let mut found = None;
    while low < high {
        let mid = low + (high - 1 - low) / 2;
        let Some(probe) = (low..=mid).rev().find(|&i| same_kind(lookup, &values[i])) else {
            low = mid + 1;
            continue;
        };
        let ord = order(&values[probe], lookup);
        let keeps = if descending { ord != Ordering::Less } else { ord != Ordering::Greater };
        if keeps {
            found = Some(probe);
            low = mid + 1;
        } else {
            high = probe;
        }
    }
    found
}

/// XLOOKUP's rank of a value's kind when it looks for the next smaller or
/// larger value: numbers before text before booleans, as in Excel's sort
/// order; blanks and errors have no rank and are never found.
fn kind_rank(v: &Value) -> Option<u8> {
    match v {
        Value::Number(_) => Some(0),
        Value::Text(_) => Some(1),
        Value::Bool(_) => Some(2),
        Value::Empty | Value::Error(_) | Value::Array(_) => None,
    }
}

/// The order XLOOKUP and XMATCH use for match modes -1 and 1 and for binary
/// search: across kinds by [`kind_rank`], within a kind as Excel compares.
/// Excel: calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx ReturnSmaller!E13
/// finds the text "ala" as the next value smaller than FALSE, and
/// ReturnLarger!E8 finds it as the next value larger than 10.
fn ranked_order(a: &Value, b: &Value) -> Option<Ordering> {
    let (ra, rb) = (kind_rank(a)?, kind_rank(b)?);
    Some(ra.cmp(&rb).then_with(|| order(a, b)))
}

/// XLOOKUP's linear search for the exact value or, failing that, the next
/// smaller or larger one in [`ranked_order`] (the first such in the search
/// direction).
fn find_nearest(lookup: &Value, values: &[Value], mode: MatchMode, reverse: bool) -> Option<usize> {
    if let Some(i) = find_exact(lookup, values, mode == MatchMode::Wildcard, reverse) {
        return Some(i);
    }
    let wanted = match mode {
        MatchMode::ExactOrSmaller => Ordering::Less,
        MatchMode::ExactOrLarger => Ordering::Greater,
        MatchMode::Exact | MatchMode::Wildcard | MatchMode::Regex => return None,
    };
    let indices: Box<dyn Iterator<Item = usize>> =
        if reverse { Box::new((0..values.len()).rev()) } else { Box::new(0..values.len()) };
    let mut best: Option<usize> = None;
    for i in indices {
        let v = &values[i];
        if ranked_order(v, lookup) != Some(wanted) {
            continue;
        }
        // A candidate replaces the best one only when strictly closer.
        if best.is_none_or(|b| ranked_order(v, &values[b]) == Some(wanted.reverse())) {
            best = Some(i);
        }
    }
    best
}

/// XLOOKUP's binary search modes: the exact value, or the next smaller or
/// larger one, in a vector sorted ascending or descending by
/// [`ranked_order`]; blanks and errors are stepped over. Within a run of
/// equal values Excel lands on the end nearer the lookup value's side: in
/// ascending data the first of the run for an exact or next larger match
/// and the last for next smaller; in descending data the last of the run
/// for an exact or next larger match and the first for next smaller.
/// Excel: calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx MultipleElements!E4
/// (ascending, the first of three 5s), E8 (the last 7 below 7.1), M4
/// (descending, the last of three 5s) and M8 (the first 7 below 7.1).
fn find_binary(
    lookup: &Value,
    values: &[Value],
    mode: MatchMode,
    descending: bool,
) -> Option<usize> {
    let ranked: Vec<usize> =
        (0..values.len()).filter(|&i| kind_rank(&values[i]).is_some()).collect();
    let ord = |k: usize| ranked_order(&values[ranked[k]], lookup);
    // Ascending: the first position not below the lookup value; descending:
    // the first position below it.
    let split = ranked.partition_point(|i| {
        let o = ranked_order(&values[*i], lookup);
        if descending {
            o != Some(Ordering::Less)
        } else {
            o == Some(Ordering::Less)
        }
    });
    let previous = split.checked_sub(1);
    let exact = if descending { previous } else { Some(split) };
    if let Some(k) = exact.filter(|&k| k < ranked.len() && ord(k) == Some(Ordering::Equal)) {
        return Some(ranked[k]);
    }
    let at = ranked.get(split).copied();
    let previous = previous.map(|k| ranked[k]);
    match (mode, descending) {
        (MatchMode::ExactOrSmaller, false) | (MatchMode::ExactOrLarger, true) => previous,
        (MatchMode::ExactOrSmaller, true) | (MatchMode::ExactOrLarger, false) => at,
        (MatchMode::Exact | MatchMode::Wildcard | MatchMode::Regex, _) => None,
    }
}

/// Where XLOOKUP and XMATCH find a blank lookup value (an empty cell, or
/// the lookup value omitted): at the first blank cell, or the last one when
/// searching last to first. `length` is the full length of the lookup
/// range, whose cells past the used `values` are all blank. Excel:
/// calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx ExactMatch!U12 and
/// Errors!N1 (`=XLOOKUP(,L:L,M:M,,1,2)` returns M6, beside the first blank
/// of L).
fn find_blank(values: &[Value], length: usize, search: SearchMode) -> Option<usize> {
    let blank = |i: &usize| values.get(*i).is_none_or(|v| *v == Value::Empty);
    if search == SearchMode::LastToFirst {
        (0..length).rev().find(blank)
    } else {
        (0..length).find(blank)
    }
}

/// The index XLOOKUP or XMATCH finds; an invalid regular expression (match
/// mode 3) is `#VALUE!`.
pub(super) fn x_search(
    lookup: &Value,
    values: &[Value],
    mode: MatchMode,
    search: SearchMode,
) -> Result<Option<usize>, ExcelError> {
    if mode == MatchMode::Regex {
        return find_regex(lookup, values, search == SearchMode::LastToFirst);
    }
    Ok(match search {
        SearchMode::FirstToLast => find_nearest(lookup, values, mode, false),
        SearchMode::LastToFirst => find_nearest(lookup, values, mode, true),
        SearchMode::BinaryAscending => find_binary(lookup, values, mode, false),
        SearchMode::BinaryDescending => find_binary(lookup, values, mode, true),
    })
}

/// Match mode 3: the first value (the last, searching last to first) in
/// which the lookup value, read as a regular expression, matches, as
/// `REGEXTEST` with its defaults tests it: anywhere in the value's text,
/// case-sensitively. Blanks and errors never match. Excel:
/// calc_tests/LOOKUP_AND_REFERENCE/XMATCH.xlsx D6, D7 and B14.
fn find_regex(
    lookup: &Value,
    values: &[Value],
    reverse: bool,
) -> Result<Option<usize>, ExcelError> {
    let pattern = lookup.to_text()?;
    let re = regex::RegexBuilder::new(&pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| ExcelError::Value)?;
    let hit = |i: &usize| match &values[*i] {
        Value::Empty | Value::Error(_) | Value::Array(_) => false,
        v => v.to_text().is_ok_and(|text| re.is_match(&text)),
    };
    Ok(if reverse { (0..values.len()).rev().find(hit) } else { (0..values.len()).find(hit) })
}

/// The lookup value argument: errors propagate, a blank is `#N/A` (Excel
/// never finds a blank).
fn lookup_value(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    match arg(args, 0, ctx) {
        Value::Error(e) => Err(e),
        Value::Empty => Err(ExcelError::NA),
        v => Ok(v),
    }
}

/// The grid of the argument at `index`.
fn grid_arg(args: &[Operand], index: usize) -> Result<Grid, ExcelError> {
    args.get(index).map_or(Err(ExcelError::Value), Grid::from_operand)
}

/// `MATCH(lookup_value, lookup_array, [match_type])`: the 1-based position
/// of the value in a one-row or one-column range or array. Type 1 (default)
/// finds the largest value `<=` the lookup value and type -1 the smallest
/// `>=` it, both by binary search on data assumed sorted (ascending,
/// descending); type 0 finds the first equal value, case-insensitively,
/// with wildcards for text. A two-dimensional array or no match is `#N/A`.
pub(super) fn fn_match(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let lookup = lookup_value(args, ctx)?;
    let values = grid_arg(args, 1)?.vector(ctx).ok_or(ExcelError::NA)?;
    let match_type = arg_number_or(args, 2, 1.0, ctx)?;
    let found = if match_type > 0.0 {
        binary_search(&lookup, &values, false)
    } else if match_type < 0.0 {
        binary_search(&lookup, &values, true)
    } else {
        find_exact(&lookup, &values, true, false)
    };
    found.map(|i| (i + 1) as f64).ok_or(ExcelError::NA)
}

/// VLOOKUP's and HLOOKUP's table: a lone text value is `#VALUE!` (a lone
/// number or boolean is a one-cell table that matches nothing else).
fn table_arg(args: &[Operand]) -> Result<Grid, ExcelError> {
    match args.get(1) {
        Some(Operand::Value(Value::Text(_))) => Err(ExcelError::Value),
        _ => grid_arg(args, 1),
    }
}

/// The index of VLOOKUP's and HLOOKUP's column or row argument: truncated;
/// below 1 is `#VALUE!`, past the table `#REF!`.
fn table_index(args: &[Operand], extent: usize, ctx: &dyn Context) -> Result<usize, ExcelError> {
    let n = arg_number_or(args, 2, 0.0, ctx)?.trunc();
    if n < 1.0 {
        return Err(ExcelError::Value);
    }
    if n > extent as f64 {
        return Err(ExcelError::Ref);
    }
    Ok(n as usize - 1)
}

/// The match of VLOOKUP and HLOOKUP in the table's first column or row.
fn table_match(args: &[Operand], keys: &[Value], ctx: &dyn Context) -> Result<usize, ExcelError> {
    let lookup = lookup_value(args, ctx)?;
    let approximate = match arg(args, 3, ctx) {
        Value::Empty if args.len() < 4 => true,
        v => v.to_bool()?,
    };
    let found = if approximate {
        binary_search(&lookup, keys, false)
    } else {
        find_exact(&lookup, keys, true, false)
    };
    found.ok_or(ExcelError::NA)
}

/// `VLOOKUP(lookup_value, table_array, col_index_num, [range_lookup])`: the
/// value in column `col_index_num` of the row whose first cell matches.
/// `range_lookup` TRUE (default) is an approximate binary search on a first
/// column sorted ascending; FALSE finds the first equal value
/// (case-insensitive, wildcards for text). No match is `#N/A`; a column
/// below 1 is `#VALUE!` and past the table `#REF!`.
pub(super) fn fn_vlookup(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let table = table_arg(args)?;
    let col = table_index(args, table.cols(), ctx)?;
    let row = table_match(args, &table.column(0, ctx), ctx)?;
    Ok(table.get(row, col, ctx))
}

/// `HLOOKUP(lookup_value, table_array, row_index_num, [range_lookup])`:
/// VLOOKUP across: matches in the first row, returns from row
/// `row_index_num`.
pub(super) fn fn_hlookup(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let table = table_arg(args)?;
    let row = table_index(args, table.rows(), ctx)?;
    let col = table_match(args, &table.row(0, ctx), ctx)?;
    Ok(table.get(row, col, ctx))
}

/// `LOOKUP(lookup_value, lookup_vector, [result_vector])` and
/// `LOOKUP(lookup_value, array)`: an approximate binary search (largest
/// value `<=` the lookup value, data assumed ascending). The vector form
/// returns the value at the same position of `result_vector` (a result
/// range shorter than the lookup vector is read past its end, as Excel
/// does); the array form searches the first row of an array wider than
/// tall, else the first column, and returns from the last row or column.
pub(super) fn fn_lookup(args: &[Operand], ctx: &dyn Context) -> Result<Value, ExcelError> {
    let lookup = lookup_value(args, ctx)?;
    let table = grid_arg(args, 1)?;
    if let Some(result) = args.get(2) {
        let keys = table.vector(ctx).ok_or(ExcelError::NA)?;
        let index = binary_search(&lookup, &keys, false).ok_or(ExcelError::NA)?;
        let result = Grid::from_operand(result)?;
        return match (&result, result.is_vertical()) {
            (Grid::Range(_), true) => Ok(result.get_extended(index, 0, ctx)),
            (Grid::Range(_), false) => Ok(result.get_extended(0, index, ctx)),
            (_, _) => {
                let values = result.vector(ctx).ok_or(ExcelError::NA)?;
                values.get(index).cloned().ok_or(ExcelError::NA)
            }
        };
    }
    let across = table.cols() > table.rows();
    let keys = if across { table.row(0, ctx) } else { table.column(0, ctx) };
    let index = binary_search(&lookup, &keys, false).ok_or(ExcelError::NA)?;
    Ok(if across {
        table.get(table.rows() - 1, index, ctx)
    } else {
        table.get(index, table.cols() - 1, ctx)
    })
}

/// XLOOKUP's and XMATCH's match and search modes.
fn modes(
    args: &[Operand],
    first: usize,
    ctx: &dyn Context,
) -> Result<(MatchMode, SearchMode), ExcelError> {
    let mode = match arg_number_or(args, first, 0.0, ctx)?.trunc() as i64 {
        0 => MatchMode::Exact,
        -1 => MatchMode::ExactOrSmaller,
        1 => MatchMode::ExactOrLarger,
        2 => MatchMode::Wildcard,
        3 => MatchMode::Regex,
        _ => return Err(ExcelError::Value),
    };
    let search = match arg_number_or(args, first + 1, 1.0, ctx)?.trunc() as i64 {
        1 => SearchMode::FirstToLast,
        -1 => SearchMode::LastToFirst,
        2 => SearchMode::BinaryAscending,
        -2 => SearchMode::BinaryDescending,
        _ => return Err(ExcelError::Value),
    };
    // Excel: calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx Wildcards!E13,
    // wildcards (mode 2) cannot be binary searched: #VALUE!. Nor, taken
    // to be alike, can regular expressions (mode 3).
    let binary = matches!(search, SearchMode::BinaryAscending | SearchMode::BinaryDescending);
    if matches!(mode, MatchMode::Wildcard | MatchMode::Regex) && binary {
        return Err(ExcelError::Value);
    }
    Ok((mode, search))
}

/// `XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found],
/// [match_mode], [search_mode])`: finds the value in a one-row or
/// one-column `lookup_array` and returns the matching row (vertical lookup)
/// or column (horizontal) of `return_array`, as a reference when
/// `return_array` is a range. Match modes: 0 exact (default), -1 exact or
/// next smaller, 1 exact or next larger, 2 wildcards, 3 regular expression. Search modes: 1 first
/// to last (default), -1 last to first, 2 binary ascending, -2 binary
/// descending. No match gives `if_not_found` when given, else `#N/A`. A
/// `return_array` whose length differs from `lookup_array`'s is `#VALUE!`.
pub(super) fn fn_xlookup(args: &[Operand], ctx: &dyn Context) -> Operand {
    match xlookup(args, ctx) {
        Ok(operand) => operand,
        Err(e) => Operand::error(e),
    }
}

fn xlookup(args: &[Operand], ctx: &dyn Context) -> Result<Operand, ExcelError> {
    let lookup = match arg(args, 0, ctx) {
        Value::Error(e) => return Err(e),
        v => v,
    };
    let keys_grid = grid_arg(args, 1)?;
    let result = grid_arg(args, 2)?;
    let vertical = keys_grid.is_vertical();
    let keys = keys_grid.vector(ctx).ok_or(ExcelError::Value)?;
    let (length, result_length) = if vertical {
        (keys_grid.rows(), result.rows())
    } else {
        (keys_grid.cols(), result.cols())
    };
    if length != result_length {
        return Err(ExcelError::Value);
    }
    let (mode, search) = modes(args, 4, ctx)?;
    let found = match lookup {
        Value::Empty => find_blank(&keys, length, search),
        _ => x_search(&lookup, &keys, mode, search)?,
    };
    let Some(index) = found else {
        return match args.get(3) {
            Some(Operand::Value(Value::Empty)) | None => Err(ExcelError::NA),
            Some(fallback) => Ok(fallback.clone()),
        };
    };
    Ok(if vertical {
        result.slice((index, index), (0, result.cols() - 1), ctx)
    } else {
        result.slice((0, result.rows() - 1), (index, index), ctx)
    })
}

/// `XMATCH(lookup_value, lookup_array, [match_mode], [search_mode])`: the
/// 1-based position XLOOKUP would use (modes as in XLOOKUP); no match is
/// `#N/A`, a two-dimensional array `#VALUE!`.
pub(super) fn fn_xmatch(args: &[Operand], ctx: &dyn Context) -> Result<f64, ExcelError> {
    let lookup = match arg(args, 0, ctx) {
        Value::Error(e) => return Err(e),
        v => v,
    };
    let grid = grid_arg(args, 1)?;
    let keys = grid.vector(ctx).ok_or(ExcelError::Value)?;
    let length = if grid.is_vertical() { grid.rows() } else { grid.cols() };
    let (mode, search) = modes(args, 2, ctx)?;
    let found = match lookup {
        Value::Empty => find_blank(&keys, length, search),
        _ => x_search(&lookup, &keys, mode, search)?,
    };
    found.map(|i| (i + 1) as f64).ok_or(ExcelError::NA)
}
