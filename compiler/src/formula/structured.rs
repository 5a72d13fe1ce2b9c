//! Structured references to tables (`Table1[Col]`, `[@Col]`,
//! `Table1[[#Headers],[Jan]:[Mar]]`): the text between the outer brackets
//! read into item specifiers and columns, and resolved to a rectangle of
//! the table's sheet.

use crate::xlsx::{CellRange, RawTable};

/// The rows a structured reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    All,
    Data,
    Headers,
    Totals,
    /// `#This Row` or `@`: the data row of the formula's own cell.
    ThisRow,
}

/// A structured reference as written, table name aside.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// Item specifiers; none means `#Data`.
    pub items: Vec<Item>,
    /// The first and last column named; none means every column.
    pub columns: Option<(String, String)>,
}

/// Why a structured reference cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// Excel's `#REF!`: a column or row part the table does not have.
    Ref,
    /// Excel's `#VALUE!`: `#This Row` from a row outside the table's data.
    Value,
    /// The reference is malformed; the message says how.
    Syntax(String),
}

/// Reads the text between a structured reference's outer brackets.
///
/// # Errors
///
/// A message when the text is not a structured reference Excel writes.
pub fn parse_spec(spec: &str) -> Result<Spec, String> {
    let spec = spec.trim();
    if let Some(rest) = spec.strip_prefix('@') {
        // `[@Col]`, `[@[Col 1]]`, or `[@]` for the whole row.
        let mut out = Spec { items: vec![Item::ThisRow], columns: None };
        let rest = rest.trim();
        if !rest.is_empty() {
            out.columns = Some(columns(rest)?);
        }
        return Ok(out);
    }
    let mut out = Spec::default();
    if spec.is_empty() {
        // `Table1[]`: the data rows.
        return Ok(out);
    }
    if !spec.starts_with('[') {
        // `Table1[Col]` or `Table1[#All]`: one bare part.
        part(spec, &mut out)?;
        return Ok(out);
    }
    for piece in split_top(spec, ',') {
        part(piece.trim(), &mut out)?;
    }
    Ok(out)
}

/// One comma-separated part: `[#Totals]`, `#All`, `[Col]` or `[A]:[B]`.
fn part(piece: &str, out: &mut Spec) -> Result<(), String> {
    if let Some(item) = item(unbracket(piece)) {
        out.items.push(item);
        return Ok(());
    }
    if out.columns.is_some() {
        return Err(format!("two column parts in structured reference [{piece}]"));
    }
    out.columns = Some(columns(piece)?);
    Ok(())
}

/// A column part: `Col`, `[Col]`, or `[A]:[B]`.
fn columns(piece: &str) -> Result<(String, String), String> {
    let halves = split_top(piece, ':');
    match halves.as_slice() {
        [one] => {
            let name = unescape(unbracket(one.trim()));
            Ok((name.clone(), name))
        }
        [a, b] => Ok((unescape(unbracket(a.trim())), unescape(unbracket(b.trim())))),
        _ => Err(format!("malformed column range in structured reference [{piece}]")),
    }
}

fn item(text: &str) -> Option<Item> {
    match text.trim().to_ascii_lowercase().as_str() {
        "#all" => Some(Item::All),
        "#data" => Some(Item::Data),
        "#headers" => Some(Item::Headers),
        "#totals" => Some(Item::Totals),
        "#this row" => Some(Item::ThisRow),
        _ => None,
    }
}

/// The text inside one pair of outer brackets, if it has them.
fn unbracket(text: &str) -> &str {
    text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text)
}

/// A column name with Excel's `'` escapes (`'#`, `'[`, `']`, `''`) undone.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Splits at `sep` outside brackets, honouring `'` escapes.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut escaped) = (0i32, 0, false);
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\'' => escaped = true,
            '[' => depth += 1,
            ']' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The rectangle a structured reference names, for a formula in row
/// `host_row` (0-based).
///
/// # Errors
///
/// [`Unresolved::Ref`] for a column the table lacks or a header or totals
/// row it does not have; [`Unresolved::Value`] for `#This Row` outside the
/// data rows.
pub fn resolve(table: &RawTable, spec: &Spec, host_row: u32) -> Result<CellRange, Unresolved> {
    let (top, left, bottom, right) = table.range;
    let header = (table.header_row_count > 0).then_some(top);
    let totals = (table.totals_row_count > 0).then_some(bottom);
    let data_top = top + u32::from(header.is_some());
    let data_bottom = bottom - u32::from(totals.is_some());
    let mut rows: Option<(u32, u32)> = None;
    let mut add = |first: u32, last: u32| {
        rows = Some(rows.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
    };
    let items = if spec.items.is_empty() { vec![Item::Data] } else { spec.items.clone() };
    for item in items {
        match item {
            Item::All => add(top, bottom),
            Item::Data => add(data_top, data_bottom),
            Item::Headers => {
                let row = header.ok_or(Unresolved::Ref)?;
                add(row, row);
            }
            Item::Totals => {
                let row = totals.ok_or(Unresolved::Ref)?;
                add(row, row);
            }
            Item::ThisRow => {
                if !(data_top..=data_bottom).contains(&host_row) {
                    return Err(Unresolved::Value);
                }
                add(host_row, host_row);
            }
        }
    }
    let (first_row, last_row) = rows.ok_or(Unresolved::Ref)?;
    let (first_col, last_col) = match &spec.columns {
        None => (left, right),
        Some((a, b)) => {
            let index = |name: &str| {
                let found = table.columns.iter().position(|c| c.eq_ignore_ascii_case(name));
                found.map(|i| left + i as u32).ok_or(Unresolved::Ref)
            };
            let (a, b) = (index(a)?, index(b)?);
            (a.min(b), a.max(b))
        }
    };
    Ok((first_row, first_col, last_row, last_col))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table at B2:E7: header row 2, data rows 3 to 6, totals row 7.
    fn table() -> RawTable {
        RawTable {
            name: "Table1".into(),
            display_name: "Table1".into(),
            sheet: 0,
            range: (1, 1, 6, 4),
            columns: vec!["Year".into(), "Jan".into(), "Feb".into(), "Mar".into()],
            header_row_count: 1,
            totals_row_count: 1,
            filter: None,
        }
    }

    fn at(spec: &str, host_row: u32) -> Result<CellRange, Unresolved> {
        resolve(&table(), &parse_spec(spec).unwrap(), host_row)
    }

    #[test]
    fn columns_and_items() {
        assert_eq!(at("Feb", 0), Ok((2, 3, 5, 3)));
        assert_eq!(at("", 0), Ok((2, 1, 5, 4)));
        assert_eq!(at("#All", 0), Ok((1, 1, 6, 4)));
        assert_eq!(at("#Headers", 0), Ok((1, 1, 1, 4)));
        assert_eq!(at("#Totals", 0), Ok((6, 1, 6, 4)));
        assert_eq!(at("[#Totals],[Year]", 0), Ok((6, 1, 6, 1)));
        assert_eq!(at("[#Data],[Jan]:[Mar]", 0), Ok((2, 2, 5, 4)));
        assert_eq!(at("[#Headers],[#Data],[Jan]", 0), Ok((1, 2, 5, 2)));
        assert_eq!(at("[jan]:[feb]", 0), Ok((2, 2, 5, 3)));
    }

    #[test]
    fn this_row() {
        assert_eq!(at("@Jan", 3), Ok((3, 2, 3, 2)));
        assert_eq!(at("@[Jan]", 3), Ok((3, 2, 3, 2)));
        assert_eq!(at("[#This Row],[Jan]:[Mar]", 4), Ok((4, 2, 4, 4)));
        assert_eq!(at("#This Row", 2), Ok((2, 1, 2, 4)));
        assert_eq!(at("@Jan", 1), Err(Unresolved::Value));
    }

    #[test]
    fn missing_parts_are_ref_errors() {
        assert_eq!(at("Apr", 0), Err(Unresolved::Ref));
        let mut no_totals = table();
        no_totals.totals_row_count = 0;
        let spec = parse_spec("#Totals").unwrap();
        assert_eq!(resolve(&no_totals, &spec, 0), Err(Unresolved::Ref));
    }

    #[test]
    fn escaped_column_names() {
        let spec = parse_spec("[Price '[USD']]").unwrap();
        assert_eq!(spec.columns, Some(("Price [USD]".into(), "Price [USD]".into())));
    }
}
