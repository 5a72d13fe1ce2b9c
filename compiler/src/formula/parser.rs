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
//! primary      := '(' expr (',' expr)* ')' | array | string | number | error | bool
//!               | sheet_prefix? area | sheet_prefix? name | call | table
//! ```
//!
//! Spans are byte offsets into the formula text after the optional leading `=` has been
//! removed, which is how an `.xlsx` file stores formulas.

mod lexer;
mod print;
mod shift;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::fmt;

use runtime::value::ExcelError;

use self::lexer::{Res, SyntaxError};
use crate::formula::ast::Area;
use crate::formula::ast::{BinaryOp, Expr, Node, Reference, SheetPart, Span, UnaryOp};

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
        let start = self.span.start.min(self.formula.len());
        let line_start = self.formula[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.formula[start..].find('\n').map_or(self.formula.len(), |i| start + i);
        let line = &self.formula[line_start..line_end];
        let line_number = self.formula[..line_start].matches('\n').count() + 1;
        let end = self.span.end.clamp(start, line_end);
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
    let parser = ExprParser { full_len: text.len(), depth: Cell::new(0) };
    parser.formula(text).map_err(|error| ParseError {
        span: text.len() - error.start_rest..text.len() - error.end_rest,
        message: error.message.into_owned(),
        formula: text.to_owned(),
    })
}

/// The expression grammar, with the state every rule shares.
struct ExprParser {
    /// The length of the formula text, to turn remaining input into offsets.
    full_len: usize,
    /// Current nesting of parentheses, calls and unary operators.
    depth: Cell<usize>,
}

/// Holds nesting depth while a nested construct is parsed, and gives it back on drop.
struct DepthGuard<'p> {
    depth: &'p Cell<usize>,
    added: usize,
}

impl DepthGuard<'_> {
    /// Adds `levels` of nesting, failing at `at` when that goes past [`MAX_DEPTH`].
    fn add(&mut self, levels: usize, at: &str, len: usize) -> Result<(), nom::Err<SyntaxError>> {
        let depth = self.depth.get() + levels;
        if depth > MAX_DEPTH {
            return Err(SyntaxError::at(at, len, "formula nested too deeply").fail());
        }
        self.depth.set(depth);
        self.added += levels;
        Ok(())
    }
}

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.depth.set(self.depth.get() - self.added);
    }
}

/// Builds a node.
fn node(expr: Expr, span: Span) -> Node {
    Node { expr, span }
}

/// True for expressions that can denote a reference, the only operands the reference
/// operators (`:`, space, `,` and `#`) accept. Names and calls may evaluate to references
/// (`INDEX`, `OFFSET`), so they count.
fn is_ref_like(expr: &Expr) -> bool {
    match expr {
        Expr::Ref(_) | Expr::Name { .. } | Expr::Table { .. } | Expr::Call { .. } => true,
        Expr::Error(error) => *error == ExcelError::Ref,
        Expr::Binary(op, _, _) => {
            matches!(op, BinaryOp::Range | BinaryOp::Intersect | BinaryOp::Union)
        }
        Expr::Unary(op, _) => matches!(op, UnaryOp::Spill | UnaryOp::At),
        _ => false,
    }
}

/// Binding strength of an infix operator: higher binds tighter.
fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            1
        }
        BinaryOp::Concat => 2,
        BinaryOp::Add | BinaryOp::Sub => 3,
        BinaryOp::Mul | BinaryOp::Div => 4,
        BinaryOp::Pow => 5,
        BinaryOp::Union | BinaryOp::Intersect | BinaryOp::Range => 6,
    }
}

/// True when `input` starts something that can only be the next operand, which makes
/// the whitespace before it an intersection.
fn starts_operand(input: &str) -> bool {
    input.chars().next().is_some_and(|c| {
        lexer::is_name_start(c)
            || c.is_ascii_digit()
            || matches!(c, '$' | '\'' | '(' | '[' | '#' | '"' | '{' | '.')
    })
}

impl ExprParser {
    /// The byte offset of the start of `rest` in the formula.
    fn offset(&self, rest: &str) -> usize {
        self.full_len - rest.len()
    }

    /// The span from the start of `from` to the start of `to`.
    fn span(&self, from: &str, to: &str) -> Span {
        self.offset(from)..self.offset(to)
    }

    /// Starts counting nesting.
    fn guard(&self) -> DepthGuard<'_> {
        DepthGuard { depth: &self.depth, added: 0 }
    }

    /// The error for a token that cannot come at `at`.
    fn unexpected(&self, at: &str) -> nom::Err<SyntaxError> {
        let Some(first) = at.chars().next() else {
            return SyntaxError::at(at, 0, "unexpected end of formula").fail();
        };
        if first == ')' {
            return SyntaxError::at(at, 1, "unmatched `)`").fail();
        }
        let len = if lexer::is_name_char(first) {
            at.find(|c| !lexer::is_name_char(c)).unwrap_or(at.len())
        } else {
            first.len_utf8()
        };
        SyntaxError::at(at, len, format!("unexpected `{}`", &at[..len])).fail()
    }

    /// formula := ws expr ws
    fn formula(&self, text: &str) -> Result<Node, SyntaxError> {
        let start = lexer::ws(text);
        if start.is_empty() {
            return Err(SyntaxError::between(text, "", "empty formula"));
        }
        let finish = |result: Res<'_, Node>| -> Result<Node, nom::Err<SyntaxError>> {
            let (rest, node) = result?;
            let rest = lexer::ws(rest);
            if rest.is_empty() {
                Ok(node)
            } else {
                Err(self.unexpected(rest))
            }
        };
        match finish(self.expr(start)) {
            Ok(node) => Ok(node),
            Err(nom::Err::Error(error) | nom::Err::Failure(error)) => Err(error),
            Err(nom::Err::Incomplete(_)) => {
                Err(SyntaxError::between(text, "", "incomplete formula"))
            }
        }
    }

    /// expr := operand (binary_op operand)*
    ///
    /// Operators group by precedence, loosest first: comparisons, `&`, `+ -`, `* /`, `^`;
    /// all are left-associative (`2^3^2` is `(2^3)^2`).
    fn expr<'a>(&self, input: &'a str) -> Res<'a, Node> {
        self.climb(input, 1)
    }

    /// One step of precedence climbing: an expression whose operators all bind at least
    /// as tightly as `min_precedence`.
    fn climb<'a>(&self, input: &'a str, min_precedence: u8) -> Res<'a, Node> {
        let (mut rest, mut left) = self.operand(input)?;
        loop {
            let at = lexer::ws(rest);
            let Ok((after, op)) = lexer::binary_op(at) else { break };
            let op_precedence = precedence(op);
            if op_precedence < min_precedence {
                break;
            }
            let next = lexer::ws(after);
            if next.is_empty() || next.starts_with([')', ',', ';', '}']) {
                let message = format!("`{}` has no right operand", &at[..at.len() - after.len()]);
                return Err(SyntaxError::between(at, after, message).fail());
            }
            let (after_right, right) = self.climb(after, op_precedence + 1)?;
            let span = left.span.start..right.span.end;
            left = node(Expr::Binary(op, Box::new(left), Box::new(right)), span);
            rest = after_right;
        }
        Ok((rest, left))
    }

    /// operand := prefix_op* intersection '%'*
    /// prefix_op := '-' | '+' | '@'
    ///
    /// Prefix operators bind tighter than `%` and `^` (`-2^2` is 4), and are read in a
    /// loop rather than by recursion so a long run of them cannot exhaust the stack.
    fn operand<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let mut guard = self.guard();
        let mut prefixes = Vec::new();
        let mut rest = lexer::ws(input);
        while let Some(op) = rest.chars().next().and_then(prefix_op) {
            guard.add(1, rest, 1)?;
            prefixes.push((op, rest));
            rest = lexer::ws(&rest[1..]);
        }
        if let Some(&(op, at)) = prefixes.last() {
            if rest.is_empty() || rest.starts_with([')', ',', ';', '}']) {
                let message = format!("`{}` has no operand", prefix_text(op));
                return Err(SyntaxError::at(at, 1, message).fail());
            }
        }

        let (mut rest, mut operand) = self.intersection(rest)?;
        for (op, at) in prefixes.into_iter().rev() {
            let span = self.offset(at)..operand.span.end;
            operand = node(Expr::Unary(op, Box::new(operand)), span);
        }

        loop {
            let at = lexer::ws(rest);
            let Some(after) = at.strip_prefix('%') else { break };
            guard.add(1, at, 1)?;
            let span = operand.span.start..self.offset(after);
            operand = node(Expr::Unary(UnaryOp::Percent, Box::new(operand)), span);
            rest = after;
        }
        Ok((rest, operand))
    }

    /// intersection := range (' '+ range)*
    ///
    /// Whitespace is an operator only between two references; anywhere else it is
    /// insignificant.
    fn intersection<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let (mut rest, mut left) = self.range(input)?;
        loop {
            let at = lexer::ws(rest);
            if at.len() == rest.len() || !is_ref_like(&left.expr) || !starts_operand(at) {
                break;
            }
            let (after, right) = self.range(at)?;
            if !is_ref_like(&right.expr) {
                let message = "the intersection operator (a space) needs a reference on each side";
                return Err(SyntaxError::between(at, after, message).fail());
            }
            let span = left.span.start..right.span.end;
            left = node(Expr::Binary(BinaryOp::Intersect, Box::new(left), Box::new(right)), span);
            rest = after;
        }
        Ok((rest, left))
    }

    /// range := postfix (':' postfix)*
    ///
    /// `A1:B5`, two cells with no sheet on the right, becomes one [`Area::Range`]
    /// reference; other operands (`A1:INDEX(B:B,3)`) make a [`BinaryOp::Range`] node.
    fn range<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let (mut rest, mut left) = self.postfix(input)?;
        loop {
            let at = lexer::ws(rest);
            let Some(after_colon) = at.strip_prefix(':') else { break };
            let right_start = lexer::ws(after_colon);
            let (after, right) = self.postfix(right_start)?;
            if !is_ref_like(&left.expr) || !is_ref_like(&right.expr) {
                let message = "the range operator `:` needs a reference on each side";
                return Err(SyntaxError::between(at, after_colon, message).fail());
            }
            left = merge_range(left, right);
            rest = after;
        }
        Ok((rest, left))
    }

    /// postfix := primary '#'?
    fn postfix<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let (rest, primary) = self.primary(input)?;
        let Some(after) = rest.strip_prefix('#') else { return Ok((rest, primary)) };
        if !is_ref_like(&primary.expr) {
            let message = "the spill operator `#` must follow a reference";
            return Err(SyntaxError::at(rest, 1, message).fail());
        }
        let span = primary.span.start..self.offset(after);
        Ok((after, node(Expr::Unary(UnaryOp::Spill, Box::new(primary)), span)))
    }

    /// primary := parenthesized | array | string | error | number | area
    ///          | sheet_prefix qualified | identifier_led | unqualified_table
    fn primary<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let Some(first) = input.chars().next() else { return Err(self.unexpected(input)) };
        match first {
            '(' => self.parenthesized(input),
            '{' => self.array(input),
            '"' => {
                let (rest, text) = lexer::string(input)?;
                Ok((rest, node(Expr::Text(text), self.span(input, rest))))
            }
            '#' => self.error_value(input),
            '[' => self.unqualified_table(input),
            '\'' => {
                let (rest, sheet) = lexer::sheet_prefix(input)?;
                self.qualified(input, rest, sheet)
            }
            '$' => self.reference(input, input, None),
            c if c.is_ascii_digit() || c == '.' => {
                if let Ok((rest, area)) = lexer::area(input) {
                    let reference = Reference { sheet: None, area };
                    return Ok((rest, node(Expr::Ref(reference), self.span(input, rest))));
                }
                let (rest, number) = lexer::number(input).map_err(|_| self.unexpected(input))?;
                Ok((rest, node(Expr::Number(number), self.span(input, rest))))
            }
            c if lexer::is_name_start(c) => self.identifier_led(input),
            _ => Err(self.unexpected(input)),
        }
    }

    /// error := error_literal ('!' area)?
    ///
    /// `#REF!A1` is how Excel writes a reference into a deleted sheet: it is `#REF!`.
    fn error_value<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let (mut rest, error) = lexer::error_literal(input)?;
        if error == ExcelError::Ref {
            if let Ok((after, _)) = lexer::area(rest) {
                rest = after;
            }
        }
        Ok((rest, node(Expr::Error(error), self.span(input, rest))))
    }

    /// identifier_led := sheet_prefix qualified | area | name '(' call | name table_spec
    ///                 | 'TRUE' | 'FALSE' | name
    fn identifier_led<'a>(&self, input: &'a str) -> Res<'a, Node> {
        if let Ok((rest, sheet)) = lexer::sheet_prefix(input) {
            return self.qualified(input, rest, sheet);
        }
        if let Ok((rest, area)) = lexer::area(input) {
            let reference = Reference { sheet: None, area };
            return Ok((rest, node(Expr::Ref(reference), self.span(input, rest))));
        }
        let (rest, name) = lexer::identifier(input)?;
        if rest.starts_with('(') {
            return self.call(input, name, rest);
        }
        if rest.starts_with('[') {
            let (after, spec) = lexer::table_spec(rest)?;
            let expr = Expr::Table { table: name.to_owned(), spec: spec.to_owned() };
            return Ok((after, node(expr, self.span(input, after))));
        }
        let expr = if name.eq_ignore_ascii_case("TRUE") {
            Expr::Bool(true)
        } else if name.eq_ignore_ascii_case("FALSE") {
            Expr::Bool(false)
        } else {
            Expr::Name { sheet: None, name: name.to_owned() }
        };
        Ok((rest, node(expr, self.span(input, rest))))
    }

    /// qualified := '#REF!' | area | name        (after a sheet prefix)
    fn qualified<'a>(&self, start: &'a str, input: &'a str, sheet: SheetPart) -> Res<'a, Node> {
        if let Ok((rest, ExcelError::Ref)) = lexer::error_literal(input) {
            return Ok((rest, node(Expr::Error(ExcelError::Ref), self.span(start, rest))));
        }
        if lexer::area(input).is_ok() {
            return self.reference(start, input, Some(sheet));
        }
        let name = lexer::identifier(input).ok().filter(|(rest, _)| !rest.starts_with(['(', '[']));
        match (name, sheet) {
            (Some((rest, name)), SheetPart::One(sheet)) => {
                let expr = Expr::Name { sheet: Some(sheet), name: name.to_owned() };
                Ok((rest, node(expr, self.span(start, rest))))
            }
            _ => {
                let message = "expected a cell reference or a name after the sheet name";
                Err(SyntaxError::at(input, 0, message).fail())
            }
        }
    }

    /// reference := area        (with the sheet prefix read before it, from `start`)
    fn reference<'a>(
        &self,
        start: &'a str,
        input: &'a str,
        sheet: Option<SheetPart>,
    ) -> Res<'a, Node> {
        let (rest, area) = lexer::area(input).map_err(|_| {
            let len = input[1..]
                .find(|c| !lexer::is_name_char(c) && c != '$')
                .map_or(input.len(), |i| i + 1);
            SyntaxError::at(input, len, "invalid cell reference").fail()
        })?;
        let reference = Reference { sheet, area };
        Ok((rest, node(Expr::Ref(reference), self.span(start, rest))))
    }

    /// unqualified_table := table_spec        (`[@Col]`, written inside the table itself)
    ///
    /// The table name is left empty. A `[1]` or `[Book.xlsx]` workbook prefix is refused.
    fn unqualified_table<'a>(&self, input: &'a str) -> Res<'a, Node> {
        lexer::refuse_external(input)?;
        let (rest, spec) = lexer::table_spec(input)?;
        let expr = Expr::Table { table: String::new(), spec: spec.to_owned() };
        Ok((rest, node(expr, self.span(input, rest))))
    }

    /// parenthesized := '(' ws expr (ws ',' ws expr)* ws ')'
    ///
    /// Commas make a union of references (`SUM((A1,B2))`).
    fn parenthesized<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let mut guard = self.guard();
        guard.add(1, input, 1)?;
        let inner = lexer::ws(&input[1..]);
        if inner.is_empty() {
            return Err(SyntaxError::at(input, 1, "unclosed `(`").fail());
        }
        if let Some(after) = inner.strip_prefix(')') {
            return Err(SyntaxError::between(input, after, "empty parentheses").fail());
        }
        let (mut rest, mut value) = self.expr(inner)?;
        loop {
            let at = lexer::ws(rest);
            if let Some(after) = at.strip_prefix(')') {
                value.span = self.span(input, after);
                return Ok((after, value));
            }
            let Some(after) = at.strip_prefix(',') else {
                return Err(self.close_error(input, at));
            };
            let (next, right) = self.expr(after)?;
            if !is_ref_like(&value.expr) || !is_ref_like(&right.expr) {
                let message = "the union operator `,` needs a reference on each side";
                return Err(SyntaxError::at(at, 1, message).fail());
            }
            let span = value.span.start..right.span.end;
            value = node(Expr::Binary(BinaryOp::Union, Box::new(value), Box::new(right)), span);
            rest = next;
        }
    }

    /// The error where a `)` was expected: an unclosed `(` at the end of the formula, an
    /// unexpected token otherwise.
    fn close_error(&self, open: &str, at: &str) -> nom::Err<SyntaxError> {
        if at.is_empty() {
            SyntaxError::at(open, 1, "unclosed `(`").fail()
        } else {
            self.unexpected(at)
        }
    }

    /// call := name '(' ws (argument (ws ',' argument)*)? ws ')'
    /// argument := ws expr | ws        (an empty argument is omitted: `IF(A1,,2)`)
    fn call<'a>(&self, start: &'a str, name: &str, open: &'a str) -> Res<'a, Node> {
        let mut guard = self.guard();
        guard.add(1, start, name.len())?;
        let mut args = Vec::new();
        let mut rest = lexer::ws(&open[1..]);
        if let Some(after) = rest.strip_prefix(')') {
            let expr = Expr::Call { name: name.to_owned(), args };
            return Ok((after, node(expr, self.span(start, after))));
        }
        loop {
            let at = lexer::ws(rest);
            if at.is_empty() {
                return Err(SyntaxError::at(open, 1, "unclosed `(`").fail());
            }
            let (after_arg, arg) = if at.starts_with([',', ')']) {
                let position = self.offset(at);
                (at, node(Expr::Missing, position..position))
            } else {
                self.expr(at)?
            };
            args.push(arg);
            let next = lexer::ws(after_arg);
            if let Some(after) = next.strip_prefix(')') {
                let expr = Expr::Call { name: name.to_owned(), args };
                return Ok((after, node(expr, self.span(start, after))));
            }
            rest = next.strip_prefix(',').ok_or_else(|| self.close_error(open, next))?;
        }
    }

    /// array := '{' ws array_row (ws ';' ws array_row)* ws '}'
    /// array_row := constant (ws ',' ws constant)*
    fn array<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let mut rows: Vec<Vec<Node>> = vec![Vec::new()];
        let mut rest = &input[1..];
        loop {
            let (after, constant) = self.constant(lexer::ws(rest))?;
            if let Some(row) = rows.last_mut() {
                row.push(constant);
            }
            let at = lexer::ws(after);
            match at.chars().next() {
                Some('}') => {
                    rest = &at[1..];
                    break;
                }
                Some(',') => {}
                Some(';') => rows.push(Vec::new()),
                Some(_) => return Err(self.unexpected(at)),
                None => return Err(SyntaxError::at(input, 1, "unclosed `{`").fail()),
            }
            rest = &at[1..];
        }
        if rows.iter().any(|row| row.len() != rows[0].len()) {
            let message = "the rows of an array constant must have the same number of values";
            return Err(SyntaxError::between(input, rest, message).fail());
        }
        Ok((rest, node(Expr::Array(rows), self.span(input, rest))))
    }

    /// constant := ('-' | '+')? number | string | 'TRUE' | 'FALSE' | error
    fn constant<'a>(&self, input: &'a str) -> Res<'a, Node> {
        let bad = || {
            let message = "an array constant may hold only numbers, text, TRUE, FALSE and errors";
            SyntaxError::at(input, 1, message).fail()
        };
        let (rest, expr) = match input.chars().next() {
            Some('"') => lexer::string(input).map(|(rest, text)| (rest, Expr::Text(text)))?,
            Some('#') => lexer::error_literal(input).map(|(rest, e)| (rest, Expr::Error(e)))?,
            Some(sign @ ('-' | '+')) => {
                let (rest, number) = lexer::number(&input[1..]).map_err(|_| bad())?;
                (rest, Expr::Number(if sign == '-' { -number } else { number }))
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                lexer::number(input).map(|(rest, n)| (rest, Expr::Number(n))).map_err(|_| bad())?
            }
            Some(_) => match lexer::identifier(input) {
                Ok((rest, word)) if word.eq_ignore_ascii_case("TRUE") => (rest, Expr::Bool(true)),
                Ok((rest, word)) if word.eq_ignore_ascii_case("FALSE") => (rest, Expr::Bool(false)),
                _ => return Err(bad()),
            },
            None => return Err(SyntaxError::at(input, 0, "unclosed `{`").fail()),
        };
        Ok((rest, node(expr, self.span(input, rest))))
    }
}

/// The prefix operator a character stands for.
fn prefix_op(c: char) -> Option<UnaryOp> {
    match c {
        '-' => Some(UnaryOp::Neg),
        '+' => Some(UnaryOp::Plus),
        '@' => Some(UnaryOp::At),
        _ => None,
    }
}

/// The text of a prefix operator.
fn prefix_text(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Plus => "+",
        UnaryOp::At => "@",
        UnaryOp::Percent => "%",
        UnaryOp::Spill => "#",
    }
}

/// Joins `left:right`: two cells with no sheet on the right make one area on the left's
/// sheet, anything else a range operation.
fn merge_range(left: Node, right: Node) -> Node {
    let span = left.span.start..right.span.end;
    if let (Expr::Ref(first), Expr::Ref(Reference { sheet: None, area: Area::Cell(last) })) =
        (&left.expr, &right.expr)
    {
        if let Area::Cell(first_cell) = first.area {
            let reference =
                Reference { sheet: first.sheet.clone(), area: Area::Range(first_cell, *last) };
            return node(Expr::Ref(reference), span);
        }
    }
    node(Expr::Binary(BinaryOp::Range, Box::new(left), Box::new(right)), span)
}
