//! Operands that contain no sub-expression: literals, array constants, references,
//! names and structured references.

use runtime::value::ExcelError;

use super::lexer::{self, Res, SyntaxError};
use crate::formula::ast::{Expr, Node, Reference, SheetPart, Span};

/// Turns positions in the remaining input into offsets in the formula.
pub(crate) struct Source {
    /// The length of the formula text.
    pub(crate) full_len: usize,
}

/// What an operand token turned out to be.
pub(crate) enum Atom<'a> {
    /// A complete operand.
    Node(Node),
    /// The name of a function call; `open` starts at its `(`.
    Call { name: &'a str, open: &'a str },
}

/// Builds a node.
pub(crate) fn node(expr: Expr, span: Span) -> Node {
    Node { expr, span }
}

impl Source {
    /// The byte offset of the start of `rest` in the formula.
    pub(crate) fn offset(&self, rest: &str) -> usize {
        self.full_len - rest.len()
    }

    /// The span from the start of `from` to the start of `to`.
    pub(crate) fn span(&self, from: &str, to: &str) -> Span {
        self.offset(from)..self.offset(to)
    }

    /// A hard error over `span`, given as offsets in the formula.
    pub(crate) fn error(&self, span: Span, message: &'static str) -> nom::Err<SyntaxError> {
        SyntaxError {
            start_rest: self.full_len - span.start,
            end_rest: self.full_len - span.end,
            message: message.into(),
        }
        .fail()
    }

    /// The error for a token that cannot come at `at`.
    pub(crate) fn unexpected(&self, at: &str) -> nom::Err<SyntaxError> {
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

    /// atom := array | string | error | number | area | sheet_prefix qualified
    ///       | identifier_led | unqualified_table
    ///
    /// Parentheses and prefix operators are handled by the caller.
    pub(crate) fn atom<'a>(&self, input: &'a str) -> Res<'a, Atom<'a>> {
        let Some(first) = input.chars().next() else { return Err(self.unexpected(input)) };
        let single = |result: Res<'a, Node>| result.map(|(rest, node)| (rest, Atom::Node(node)));
        match first {
            '{' => single(self.array(input)),
            '"' => {
                let (rest, text) = lexer::string(input)?;
                Ok((rest, Atom::Node(node(Expr::Text(text), self.span(input, rest)))))
            }
            '#' => single(self.error_value(input)),
            '[' => single(self.unqualified_table(input)),
            '\'' => {
                let (rest, sheet) = lexer::sheet_prefix(input)?;
                single(self.qualified(input, rest, sheet))
            }
            '$' => single(self.reference(input, input, None)),
            c if c.is_ascii_digit() || c == '.' => single(self.number_or_rows(input)),
            c if lexer::is_name_start(c) => self.identifier_led(input),
            _ => Err(self.unexpected(input)),
        }
    }

    /// number_or_rows := row ':' row | number
    fn number_or_rows<'a>(&self, input: &'a str) -> Res<'a, Node> {
        if let Ok((rest, area)) = lexer::area(input) {
            let reference = Reference { sheet: None, area };
            return Ok((rest, node(Expr::Ref(reference), self.span(input, rest))));
        }
        let (rest, number) = lexer::number(input).map_err(|error| match error {
            nom::Err::Error(_) => self.unexpected(input),
            failure => failure,
        })?;
        Ok((rest, node(Expr::Number(number), self.span(input, rest))))
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

    /// identifier_led := sheet_prefix qualified | area | name '(' | name table_spec
    ///                 | 'TRUE' | 'FALSE' | name
    fn identifier_led<'a>(&self, input: &'a str) -> Res<'a, Atom<'a>> {
        if let Ok((rest, sheet)) = lexer::sheet_prefix(input) {
            return self.qualified(input, rest, sheet).map(|(rest, node)| (rest, Atom::Node(node)));
        }
        if let Ok((rest, area)) = lexer::area(input) {
            let reference = Reference { sheet: None, area };
            return Ok((rest, Atom::Node(node(Expr::Ref(reference), self.span(input, rest)))));
        }
        let (rest, name) = lexer::identifier(input)?;
        if rest.starts_with('(') {
            return Ok((rest, Atom::Call { name, open: rest }));
        }
        if rest.starts_with('[') {
            let (after, spec) = lexer::table_spec(rest)?;
            let expr = Expr::Table { table: name.to_owned(), spec: spec.to_owned() };
            return Ok((after, Atom::Node(node(expr, self.span(input, after)))));
        }
        let expr = if name.eq_ignore_ascii_case("TRUE") {
            Expr::Bool(true)
        } else if name.eq_ignore_ascii_case("FALSE") {
            Expr::Bool(false)
        } else {
            Expr::Name { sheet: None, name: name.to_owned() }
        };
        Ok((rest, Atom::Node(node(expr, self.span(input, rest)))))
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
