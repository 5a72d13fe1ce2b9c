//! A1 cell and range addresses as the file format writes them (`B7`,
//! `A2:A301`, `$C$1`, whole columns `A:A`), converted to 0-based indices.

/// The number of rows of a worksheet.
pub const MAX_ROWS: u32 = 1_048_576;
/// The number of columns of a worksheet (`XFD`).
pub const MAX_COLS: u32 = 16_384;

/// A rectangle of cells, 0-based and inclusive:
/// `(first_row, first_col, last_row, last_col)`.
pub type CellRange = (u32, u32, u32, u32);

/// Parses a cell address such as `B7` or `$B$7` into 0-based `(row, col)`.
/// Returns `None` for anything else, including addresses off the grid.
pub fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let (col, rest) = parse_col_prefix(text)?;
    let row = parse_row(rest)?;
    Some((row, col))
}

/// Parses a range (`A1:C3`, a single cell `B2`, whole columns `A:C` or whole
/// rows `2:5`) into a [`CellRange`] with its corners ordered.
pub fn parse_range(text: &str) -> Option<CellRange> {
    let (from, to) = text.split_once(':').unwrap_or((text, text));
    let range = if let (Some(a), Some(b)) = (parse_cell(from), parse_cell(to)) {
        (a.0, a.1, b.0, b.1)
    } else if let (Some(a), Some(b)) = (parse_whole_col(from), parse_whole_col(to)) {
        (0, a, MAX_ROWS - 1, b)
    } else {
        let (a, b) = (parse_row(from)?, parse_row(to)?);
        (a, 0, b, MAX_COLS - 1)
    };
    Some((range.0.min(range.2), range.1.min(range.3), range.0.max(range.2), range.1.max(range.3)))
}

/// Parses a space-separated list of ranges (an `sqref`).
pub fn parse_sqref(text: &str) -> Option<Vec<CellRange>> {
    text.split_ascii_whitespace().map(parse_range).collect()
}

/// Formats a 0-based `(row, col)` as an A1 address (`(6, 1)` is `B7`).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// Splits an optional `$` and column letters off the front of `text`.
fn parse_col_prefix(text: &str) -> Option<(u32, &str)> {
    let text = text.strip_prefix('$').unwrap_or(text);
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in text[..letters].bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    (col <= MAX_COLS).then_some((col - 1, &text[letters..]))
}

/// A whole column (`A`, `$XFD`) as a 0-based index.
fn parse_whole_col(text: &str) -> Option<u32> {
    parse_col_prefix(text).and_then(|(col, rest)| rest.is_empty().then_some(col))
}

/// A 1-based row number, optionally `$`-prefixed, as a 0-based index.
fn parse_row(text: &str) -> Option<u32> {
    let text = text.strip_prefix('$').unwrap_or(text);
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row: u32 = text.parse().ok()?;
    (1..=MAX_ROWS).contains(&row).then(|| row - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("$B$7"), Some((6, 1)));
        assert_eq!(parse_cell("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("XFE1"), None);
        assert_eq!(parse_cell("A1048577"), None);
        assert_eq!(parse_cell("A0"), None);
        assert_eq!(parse_cell("1A"), None);
        assert_eq!(cell_name(6, 1), "B7");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 16_383), "XFD1");
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("A2:A301"), Some((1, 0, 300, 0)));
        assert_eq!(parse_range("C3:A1"), Some((0, 0, 2, 2)));
        assert_eq!(parse_range("B:C"), Some((0, 1, MAX_ROWS - 1, 2)));
        assert_eq!(parse_range("2:3"), Some((1, 0, 2, MAX_COLS - 1)));
        assert_eq!(parse_sqref("A2:A301 C2"), Some(vec![(1, 0, 300, 0), (1, 2, 1, 2)]));
        assert_eq!(parse_sqref("A1 nonsense"), None);
    }
}
