//! The nom parser of Excel formulas.
//!
//! The grammar, loosest binding first (each rule is documented on its function):
//!
//! ```text
//! formula      := '='? ws expr ws
//! expr         := operand (binary_op operand)*      by precedence, left-associative
//! operand      := prefix_op* intersection '%'*
//! intersection := range (' '+ range)*               only between references
//! range        := postfix (':' postfix)*
//! postfix      := primary '#'?
//! primary      := '(' expr (',' expr)* ')' | call | call '(' (expr? (',' expr?)*)? ')' | atom
//! call         := name '(' (expr? (',' expr?)*)? ')'        the second form for LAMBDA only
//! atom         := array | string | number | error | bool | sheet_prefix? area
//!               | sheet_prefix? name | table
//! ```
//!
//! The token rules live in `lexer` and `atom`. The expression rules above are run by
//! an operator-precedence machine with explicit stacks (`Machine`) rather than by
//! recursive functions, so that nesting costs heap, not stack: 256 levels of
//! parentheses in an unoptimised build would otherwise need several megabytes of stack.
//!
//! Spans are byte offsets into the formula text after the optional leading `=` has been
//! removed, which is how an `.xlsx` file stores formulas.

mod atom;
mod lexer;
mod machine;
mod print;
#[cfg(test)]
mod proptests;
mod shift;
#[cfg(test)]
mod tests;

use std::fmt;

use self::atom::Source;
use self::machine::Machine;
use crate::formula::ast::{Node, Span};

pub use self::print::to_formula_text;
pub use self::shift::shift;

/// The deepest nesting of parentheses, function calls and unary operators accepted.
pub const MAX_DEPTH: usize = 256;

/// The longest formula accepted, in characters (Excel's own limit).
pub const MAX_LEN: usize = 8192;

/// A formula that could not be parsed, with the span of the problem.
///
/// `Display` shows the message, then the line of the formula holding the span with a
/// caret line under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, in lowercase.
    pub message: String,
    /// Byte offsets into `formula`.
    pub span: Span,
    /// The formula text the span refers to, without its leading `=`.
    pub formula: String,
}

impl std::error::Error for ParseError {}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The fields are public, so a span may not fall on character boundaries: move
        // it back to the nearest one rather than panic while printing an error.
        let boundary = |offset: usize| {
            (0..=offset.min(self.formula.len()))
                .rev()
                .find(|i| self.formula.is_char_boundary(*i))
                .unwrap_or(0)
        };
        let start = boundary(self.span.start);
        let line_start = self.formula[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.formula[start..].find('\n').map_or(self.formula.len(), |i| start + i);
        let line = &self.formula[line_start..line_end];
        let line_number = self.formula[..line_start].matches('\n').count() + 1;
        let end = boundary(self.span.end).clamp(start, line_end);
        let indent = self.formula[line_start..start].chars().count();
        let width = self.formula[start..end].chars().count().max(1);
        let gutter = " ".repeat(line_number.to_string().len());

        writeln!(f, "{}", self.message)?;
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{line_number} | {line}")?;
        write!(f, "{gutter} | {}{}", " ".repeat(indent), "^".repeat(width))
    }
}

/// Parses one formula as stored in a workbook (a leading `=` is accepted and skipped).
///
/// Spans, in the tree and in errors, are byte offsets into the formula after its
/// leading `=`, if any, is removed: `=A1+B1` and `A1+B1` give the same tree.
///
/// Parentheses, calls and unary operators nest at most [`MAX_DEPTH`] deep, but a chain of
/// one binary operator (`A1+A2+...+A4000`) nests to the left as long as the formula
/// allows, about 4,096 levels: code walking the tree should follow left operands of
/// binary nodes in a loop, as [`shift()`] and [`to_formula_text`] do.
///
/// # Errors
///
/// A [`ParseError`] for text that is not a formula, for a formula longer than
/// [`MAX_LEN`] characters or nested deeper than [`MAX_DEPTH`], and for features the
/// engine refuses (references to other workbooks, newer error values).
pub fn parse(formula: &str) -> Result<Node, ParseError> {
    let text = formula.strip_prefix('=').unwrap_or(formula);
    let length = text.chars().count();
    if length > MAX_LEN {
        return Err(ParseError {
            message: format!(
                "formula is {length} characters long, more than the {MAX_LEN} Excel allows"
            ),
            span: 0..text.len(),
            formula: text.to_owned(),
        });
    }
    parse_text(text)
}

/// Parses formula text without the length limit (the depth limit still holds).
fn parse_text(text: &str) -> Result<Node, ParseError> {
    let mut machine = Machine::new(Source { full_len: text.len() });
    machine.formula(text).map_err(|error| ParseError {
        span: text.len() - error.start_rest..text.len() - error.end_rest,
        message: error.message.into_owned(),
        formula: text.to_owned(),
    })
}
