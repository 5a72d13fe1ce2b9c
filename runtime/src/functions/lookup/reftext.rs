//! Reference text as `INDIRECT` reads it, in A1 or R1C1 style.
//!
//! Grammar (case-insensitive; `$` marks are accepted and ignored):
//!
//! ```text
//! reference = [sheet "!"] area
//! sheet     = "'" (char | "''")+ "'" | name-char+
//! area (A1) = cell [":" cell] | col ":" col | row ":" row
//! cell (A1) = ["$"] letters ["$"] digits
//! area (R1C1) = rc [":" rc]
//! rc        = "R" [n | "[" ±n "]"] "C" [n | "[" ±n "]"] | "R" part | "C" part
//! ```
//!
//! A text that is no reference is looked up as a defined name. Anything
//! else, or a reference outside the sheet, is `None` (`#REF!`).

use crate::reference::{
    column_index, CellAddr, Context, RangeRef, Reference, SheetId, MAX_COLS, MAX_ROWS,
};

/// Parses reference text relative to `current` (for R1C1's relative parts
/// and the default sheet).
pub(super) fn parse_reference(
    text: &str,
    a1: bool,
    current: CellAddr,
    ctx: &dyn Context,
) -> Option<Reference> {
    let text = text.trim();
    let (sheet, area) = split_sheet(text, current.sheet, ctx)?;
    let parsed = if a1 { parse_a1_area(area) } else { parse_r1c1_area(area, current) };
    match parsed {
        Some((first, last)) => Some(Reference::Range(RangeRef {
            sheet,
            first_row: first.0.min(last.0),
            first_col: first.1.min(last.1),
            last_row: first.0.max(last.0),
            last_col: first.1.max(last.1),
        })),
        None if area == text => ctx.defined_name(text, current.sheet),
        None => None,
    }
}

/// Splits `Sheet!area` or `'My Sheet'!area`; text without `!` is on the
/// default sheet. An unknown sheet is `None`.
fn split_sheet<'a>(
    text: &'a str,
    default: SheetId,
    ctx: &dyn Context,
) -> Option<(SheetId, &'a str)> {
    if let Some(quoted) = text.strip_prefix('\'') {
        let mut name = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\'' {
                name.push(c);
                continue;
            }
            if quoted[i + 1..].starts_with('\'') {
                name.push('\'');
                chars.next();
                continue;
            }
            let rest = quoted[i + 1..].strip_prefix('!')?;
            return Some((ctx.sheet_id(&name)?, rest));
        }
        return None;
    }
    match text.rsplit_once('!') {
        Some((name, rest)) => Some((ctx.sheet_id(name)?, rest)),
        None => Some((default, text)),
    }
}

/// A1 areas: a cell, a cell range, whole columns `B:D` or whole rows `3:5`.
/// Returns the 0-based (row, col) of two corners.
fn parse_a1_area(area: &str) -> Option<((u32, u32), (u32, u32))> {
    let (left, right) = area.split_once(':').unwrap_or((area, area));
    if let (Some(a), Some(b)) = (parse_a1_cell(left), parse_a1_cell(right)) {
        return Some((a, b));
    }
    if !area.contains(':') {
        return None;
    }
    if let (Some(a), Some(b)) = (parse_column(left), parse_column(right)) {
        return Some(((0, a), (MAX_ROWS - 1, b)));
    }
    let (a, b) = (parse_row(left)?, parse_row(right)?);
    Some(((a, 0), (b, MAX_COLS - 1)))
}

/// `$B$2` → (1, 1).
fn parse_a1_cell(text: &str) -> Option<(u32, u32)> {
    let text = text.strip_prefix('$').unwrap_or(text);
    let split = text.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = text.split_at(split);
    let col = column_index(letters)?;
    let row = parse_row(digits)?;
    Some((row, col))
}

/// Column letters with an optional `$`, 0-based.
fn parse_column(text: &str) -> Option<u32> {
    column_index(text.strip_prefix('$').unwrap_or(text))
}

/// A 1-based row number with an optional `$`, returned 0-based.
fn parse_row(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('$').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 7 {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (1..=MAX_ROWS).contains(&n).then(|| n - 1)
}

/// R1C1 areas: `R2C3`, `R[1]C[-1]`, `RC`, ranges of those, whole rows `R2`
/// and whole columns `C3`.
fn parse_r1c1_area(area: &str, current: CellAddr) -> Option<((u32, u32), (u32, u32))> {
    let (left, right) = area.split_once(':').unwrap_or((area, area));
    let a = parse_rc(&left.to_ascii_uppercase(), current)?;
    let b = parse_rc(&right.to_ascii_uppercase(), current)?;
    let first = (a.0.unwrap_or(0), a.1.unwrap_or(0));
    let last = (b.0.unwrap_or(MAX_ROWS - 1), b.1.unwrap_or(MAX_COLS - 1));
    Some((first, last))
}

/// One R1C1 part: (row, col), `None` for a part that is absent (a whole
/// column or row).
fn parse_rc(text: &str, current: CellAddr) -> Option<(Option<u32>, Option<u32>)> {
    let (row_part, col_part) = match (text.find('R'), text.find('C')) {
        (Some(0), Some(c)) => (Some(&text[1..c]), Some(&text[c + 1..])),
        (Some(0), None) => (Some(&text[1..]), None),
        (None, Some(0)) => (None, Some(&text[1..])),
        _ => return None,
    };
    let row = match row_part {
        Some(p) => Some(offset(p, current.row, MAX_ROWS)?),
        None => None,
    };
    let col = match col_part {
        Some(p) => Some(offset(p, current.col, MAX_COLS)?),
        None => None,
    };
    Some((row, col))
}

/// An R1C1 coordinate: empty (the current one), `n` (absolute, 1-based) or
/// `[±n]` (relative); 0-based result inside the sheet.
fn offset(part: &str, current: u32, limit: u32) -> Option<u32> {
    let value = if part.is_empty() {
        i64::from(current)
    } else if let Some(inner) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
        i64::from(current) + inner.parse::<i64>().ok()?
    } else {
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse::<i64>().ok()? - 1
    };
    (0..i64::from(limit)).contains(&value).then_some(value as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MapContext;

    fn range(sheet: SheetId, first: (u32, u32), last: (u32, u32)) -> Option<Reference> {
        Some(Reference::Range(RangeRef {
            sheet,
            first_row: first.0,
            first_col: first.1,
            last_row: last.0,
            last_col: last.1,
        }))
    }

    #[test]
    fn a1_forms() {
        let ctx = MapContext::new(&["Sheet1", "Sheet 1", "My Sheet", "It's"]);
        let here = CellAddr::new(0, 4, 4);
        let parse = |text: &str| parse_reference(text, true, here, &ctx);
        assert_eq!(parse("B2"), range(0, (1, 1), (1, 1)));
        assert_eq!(parse("$B$2"), range(0, (1, 1), (1, 1)));
        assert_eq!(parse("'Sheet 1'!B2"), range(1, (1, 1), (1, 1)));
        assert_eq!(parse("'My Sheet'!A1:B3"), range(2, (0, 0), (2, 1)));
        assert_eq!(parse("'It''s'!A1"), range(3, (0, 0), (0, 0)));
        assert_eq!(parse("sheet1!C3"), range(0, (2, 2), (2, 2)));
        assert_eq!(parse("B:B"), range(0, (0, 1), (MAX_ROWS - 1, 1)));
        assert_eq!(parse("3:3"), range(0, (2, 0), (2, MAX_COLS - 1)));
        assert_eq!(parse("B3:A1"), range(0, (0, 0), (2, 1)));
        for bad in ["", "B", "Nope!A1", "A0", "XFE1", "A1048577", "1A", "A1:", "'Sheet 1!A1"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn r1c1_forms() {
        let ctx = MapContext::new(&["Sheet1"]);
        let here = CellAddr::new(0, 4, 4);
        let parse = |text: &str| parse_reference(text, false, here, &ctx);
        assert_eq!(parse("R2C3"), range(0, (1, 2), (1, 2)));
        assert_eq!(parse("R[1]C[-1]"), range(0, (5, 3), (5, 3)));
        assert_eq!(parse("RC"), range(0, (4, 4), (4, 4)));
        assert_eq!(parse("R1C1:R2C2"), range(0, (0, 0), (1, 1)));
        assert_eq!(parse("R3"), range(0, (2, 0), (2, MAX_COLS - 1)));
        assert_eq!(parse("C2"), range(0, (0, 1), (MAX_ROWS - 1, 1)));
        assert_eq!(parse("R[-5]C"), None);
        assert_eq!(parse("R0C1"), None);
    }

    #[test]
    fn defined_names() {
        let mut ctx = MapContext::new(&["Sheet1"]);
        let target = range(0, (0, 0), (9, 0)).unwrap();
        ctx.define("Prices", None, target.clone());
        let here = CellAddr::new(0, 0, 0);
        assert_eq!(parse_reference("prices", true, here, &ctx), Some(target));
        assert_eq!(parse_reference("Unknown", true, here, &ctx), None);
    }
}
