//! Prints a syntax tree back as Excel formula text, with Excel's canonical spacing.

use std::fmt::Write as _;

use super::lexer;
use crate::formula::ast::{
    Area, BinaryOp, CellPos, Coord, Expr, Node, Reference, SheetPart, UnaryOp,
};

/// Binding strength of a printed construct: a child binding more loosely than its
/// position needs is wrapped in parentheses.
mod level {
    pub(super) const COMPARISON: u8 = 1;
    pub(super) const CONCAT: u8 = 2;
    pub(super) const ADDITIVE: u8 = 3;
    pub(super) const MULTIPLICATIVE: u8 = 4;
    pub(super) const POWER: u8 = 5;
    pub(super) const PERCENT: u8 = 6;
    pub(super) const PREFIX: u8 = 7;
    pub(super) const INTERSECT: u8 = 8;
    pub(super) const RANGE: u8 = 9;
    pub(super) const SPILL: u8 = 10;
    pub(super) const PRIMARY: u8 = 11;
}

/// Prints `node` as formula text without a leading `=`: `SUM(A1:B2,'My Sheet'!C3)*2`.
///
/// Spaces appear only as the intersection operator. Parsing the text again gives the same
/// tree up to spans, for any tree [`parse`](super::parse) produces.
pub fn to_formula_text(node: &Node) -> String {
    let mut out = String::new();
    write_node(&mut out, node);
    out
}

/// The binding strength of the construct at the top of `expr`.
fn level_of(expr: &Expr) -> u8 {
    match expr {
        Expr::Binary(op, _, _) => binary_level(*op),
        Expr::Unary(UnaryOp::Percent, _) => level::PERCENT,
        Expr::Unary(UnaryOp::Spill, _) => level::SPILL,
        Expr::Unary(_, _) => level::PREFIX,
        Expr::Number(n) if n.is_sign_negative() => level::PREFIX,
        // `A1:B2` is read back through the range operator.
        Expr::Ref(reference) if matches!(reference.area, Area::Range(..)) => level::RANGE,
        _ => level::PRIMARY,
    }
}

/// The binding strength of an infix operator.
fn binary_level(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            level::COMPARISON
        }
        BinaryOp::Concat => level::CONCAT,
        BinaryOp::Add | BinaryOp::Sub => level::ADDITIVE,
        BinaryOp::Mul | BinaryOp::Div => level::MULTIPLICATIVE,
        BinaryOp::Pow => level::POWER,
        // A union always prints its own parentheses.
        BinaryOp::Union => level::PRIMARY,
        BinaryOp::Intersect => level::INTERSECT,
        BinaryOp::Range => level::RANGE,
    }
}

/// The text of an infix operator.
fn binary_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Range => ":",
        BinaryOp::Union => ",",
        BinaryOp::Intersect => " ",
        BinaryOp::Pow => "^",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Concat => "&",
        BinaryOp::Eq => "=",
        BinaryOp::Ne => "<>",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
    }
}

/// Writes `node`, in parentheses when it binds more loosely than `min_level`.
fn write_child(out: &mut String, node: &Node, min_level: u8) {
    if level_of(&node.expr) < min_level {
        out.push('(');
        write_node(out, node);
        out.push(')');
    } else {
        write_node(out, node);
    }
}

/// Writes one node.
fn write_node(out: &mut String, node: &Node) {
    match &node.expr {
        Expr::Number(number) => write_number(out, *number),
        Expr::Text(text) => {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        }
        Expr::Bool(value) => out.push_str(if *value { "TRUE" } else { "FALSE" }),
        Expr::Error(error) => out.push_str(error.as_str()),
        Expr::Array(rows) => write_array(out, rows),
        Expr::Missing => {}
        Expr::Ref(reference) => {
            if let Some(sheet) = &reference.sheet {
                write_sheet(out, sheet);
            }
            write_area(out, reference.area);
        }
        Expr::Name { sheet, name } => {
            if let Some(sheet) = sheet {
                out.push_str(&quote_sheet(sheet));
                out.push('!');
            }
            out.push_str(name);
        }
        Expr::Table { table, spec } => {
            let _ = write!(out, "{table}[{spec}]");
        }
        Expr::Unary(op, operand) => write_unary(out, *op, operand),
        Expr::Binary(BinaryOp::Union, _, _) => {
            out.push('(');
            write_union_items(out, node);
            out.push(')');
        }
        Expr::Binary(..) => write_binary(out, node),
        Expr::Call { name, args } => {
            out.push_str(name);
            write_arguments(out, args);
        }
        Expr::Apply { callee, args } => {
            write_node(out, callee);
            write_arguments(out, args);
        }
    }
}

/// Writes the arguments of a call in parentheses.
fn write_arguments(out: &mut String, args: &[Node]) {
    out.push('(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_node(out, arg);
    }
    out.push(')');
}

/// Writes a chain of binary operations.
///
/// `A1+A2+...+A4000` nests to the left as deep as the formula is long, so the left
/// spine is walked in a loop: the operands that need no parentheses are collected
/// first, then written from the innermost out.
fn write_binary(out: &mut String, node: &Node) {
    let mut spine = Vec::new();
    let mut leftmost = node;
    while let Expr::Binary(op, left, _) = &leftmost.expr {
        if *op == BinaryOp::Union || level_of(&left.expr) < binary_level(*op) {
            break;
        }
        spine.push(leftmost);
        leftmost = left;
    }
    match &leftmost.expr {
        Expr::Binary(op, left, right) if *op != BinaryOp::Union => {
            write_child(out, left, binary_level(*op));
            write_right(out, *op, left, right);
        }
        _ => write_node(out, leftmost),
    }
    for link in spine.into_iter().rev() {
        if let Expr::Binary(op, left, right) = &link.expr {
            write_right(out, *op, left, right);
        }
    }
}

/// Writes an infix operator and its right operand.
///
/// The right operand of `:` is parenthesised where the text would read back otherwise:
/// a sheet-qualified one unless the left one is a single sheet-qualified token
/// (`A1:Sheet2!B1` would read as the 3-D reference `A1:Sheet2!B1`, and
/// `Sheet1!A1:B2:Sheet2!C3` as one to `B2:Sheet2!C3`), and columns after a name made of
/// column letters (`C:C:C` reads as `(C:C):C`).
fn write_right(out: &mut String, op: BinaryOp, left: &Node, right: &Node) {
    out.push_str(binary_text(op));
    let ambiguous = (starts_qualified(right) && !ends_qualified(left))
        || (ends_with_column_name(left) && starts_with_columns(right));
    let min_level =
        if op == BinaryOp::Range && ambiguous { level::PRIMARY + 1 } else { binary_level(op) + 1 };
    write_child(out, right, min_level);
}

/// True for a sheet-qualified name or reference whose text ends without a bare cell
/// (`Sheet1!A1`, `Sheet1!Rate`, but not `Sheet1!A1:B2`).
fn ends_qualified(node: &Node) -> bool {
    match &node.expr {
        Expr::Ref(reference) => {
            reference.sheet.is_some() && !matches!(reference.area, Area::Range(..))
        }
        Expr::Name { sheet, .. } => sheet.is_some(),
        _ => false,
    }
}

/// True when the text of `node` ends with a name made of column letters (`C`, `TAX`),
/// which the reader would join with a following `:C` into a column range.
fn ends_with_column_name(node: &Node) -> bool {
    match &node.expr {
        Expr::Name { sheet: None, name } => lexer::column_index(name).is_some(),
        Expr::Binary(op, _, right) if *op != BinaryOp::Union => ends_with_column_name(right),
        _ => false,
    }
}

/// True when the text of `node` starts with column letters and `:`, or with a name made of
/// column letters.
fn starts_with_columns(node: &Node) -> bool {
    match &node.expr {
        Expr::Ref(Reference { sheet: None, area: Area::Cols { .. } }) => true,
        Expr::Name { sheet: None, name } => lexer::column_index(name).is_some(),
        Expr::Binary(op, left, _) if *op != BinaryOp::Union => starts_with_columns(left),
        Expr::Unary(UnaryOp::Spill | UnaryOp::Percent, operand) => starts_with_columns(operand),
        _ => false,
    }
}

/// True when the text of `node` starts with a sheet prefix (`Sheet1!A1`, `Sheet1!A1#`).
fn starts_qualified(node: &Node) -> bool {
    match &node.expr {
        Expr::Ref(reference) => reference.sheet.is_some(),
        Expr::Name { sheet, .. } => sheet.is_some(),
        Expr::Unary(UnaryOp::Spill, operand) => starts_qualified(operand),
        _ => false,
    }
}

/// Writes a number as Rust's shortest exact decimal, which Excel reads back unchanged.
fn write_number(out: &mut String, number: f64) {
    if number.is_finite() {
        let _ = write!(out, "{number}");
    } else {
        out.push_str("#NUM!");
    }
}

/// Writes an array constant `{1,2;3,4}`.
fn write_array(out: &mut String, rows: &[Vec<Node>]) {
    out.push('{');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        for (j, value) in row.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_node(out, value);
        }
    }
    out.push('}');
}

/// Writes a prefix or postfix operation.
fn write_unary(out: &mut String, op: UnaryOp, operand: &Node) {
    match op {
        UnaryOp::Percent => {
            write_child(out, operand, level::PERCENT);
            out.push('%');
        }
        UnaryOp::Spill => {
            write_child(out, operand, level::PRIMARY);
            out.push('#');
        }
        UnaryOp::Neg | UnaryOp::Plus | UnaryOp::At => {
            out.push(match op {
                UnaryOp::Neg => '-',
                UnaryOp::Plus => '+',
                _ => '@',
            });
            write_child(out, operand, level::PREFIX);
        }
    }
}

/// Writes the operands of a union, without parentheses, flattening the left-nested
/// unions the parser builds from `(A1,B2,C3)`.
fn write_union_items(out: &mut String, node: &Node) {
    match &node.expr {
        Expr::Binary(BinaryOp::Union, left, right) => {
            write_union_items(out, left);
            out.push(',');
            write_node(out, right);
        }
        _ => write_node(out, node),
    }
}

/// Writes a sheet prefix with its `!`.
fn write_sheet(out: &mut String, sheet: &SheetPart) {
    match sheet {
        SheetPart::One(name) => out.push_str(&quote_sheet(name)),
        SheetPart::Span(first, last) => {
            if needs_quotes(first) || needs_quotes(last) {
                let _ = write!(out, "'{}:{}'", first.replace('\'', "''"), last.replace('\'', "''"));
            } else {
                let _ = write!(out, "{first}:{last}");
            }
        }
    }
    out.push('!');
}

/// A sheet name as written before `!`: quoted, with apostrophes doubled, when needed.
fn quote_sheet(name: &str) -> String {
    if needs_quotes(name) {
        format!("'{}'", name.replace('\'', "''"))
    } else {
        name.to_owned()
    }
}

/// True when a sheet name must be quoted: it holds characters a name cannot, starts
/// with a digit, or could be read as a cell (`A1`) or an R1C1 reference (`R2C3`).
fn needs_quotes(name: &str) -> bool {
    let mut chars = name.chars();
    let valid_name = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    !valid_name || lexer::is_area(name) || looks_like_r1c1(name)
}

/// True for `R`, `C`, `R1`, `C2`, `R1C2` and the like, in any case.
fn looks_like_r1c1(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let rest = upper
        .strip_prefix('R')
        .map_or(upper.as_str(), |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    let rest =
        rest.strip_prefix('C').map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    rest.is_empty()
}

/// Writes an area in A1 style.
fn write_area(out: &mut String, area: Area) {
    match area {
        Area::Cell(cell) => write_cell(out, cell),
        Area::Range(first, last) => {
            write_cell(out, first);
            out.push(':');
            write_cell(out, last);
        }
        Area::Rows { first, last } => {
            write_row(out, first);
            out.push(':');
            write_row(out, last);
        }
        Area::Cols { first, last } => {
            write_column(out, first);
            out.push(':');
            write_column(out, last);
        }
    }
}

/// Writes `$A$1`, `A1` and the like.
fn write_cell(out: &mut String, cell: CellPos) {
    write_column(out, cell.col);
    write_row(out, cell.row);
}

/// Writes a row number, 1-based.
fn write_row(out: &mut String, row: Coord) {
    if row.absolute {
        out.push('$');
    }
    let _ = write!(out, "{}", u64::from(row.index) + 1);
}

/// Writes column letters (`A`, `Z`, `AA`, `XFD`).
fn write_column(out: &mut String, col: Coord) {
    if col.absolute {
        out.push('$');
    }
    out.push_str(&column_letters(col.index));
}

/// The letters of a 0-based column index.
pub(crate) fn column_letters(index: u32) -> String {
    let mut letters = Vec::new();
    let mut number = u64::from(index) + 1;
    while number > 0 {
        let digit = (number - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        number = (number - 1) / 26;
    }
    letters.iter().rev().collect()
}
