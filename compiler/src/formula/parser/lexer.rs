//! Token-level parsers of formula text: literals, references, sheet prefixes and names.
//!
//! Each function parses one token at the start of its input and leaves any whitespace
//! around it to the expression grammar in the parent module.

use std::borrow::Cow;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit0, digit1, one_of, satisfy};
use nom::combinator::{map, map_opt, opt, value};
use nom::error::{ErrorKind, ParseError};
use nom::sequence::{separated_pair, terminated};
use nom::{IResult, Parser};
use runtime::value::ExcelError;

use crate::formula::ast::{Area, BinaryOp, CellPos, Coord, SheetPart};

/// The number of rows of a worksheet.
pub(crate) const ROWS: u32 = 1_048_576;

/// The number of columns of a worksheet (`A` to `XFD`).
pub(crate) const COLS: u32 = 16_384;

/// Error values Excel can show that the engine does not model.
const UNSUPPORTED_ERRORS: [&str; 8] = [
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#EXTERNAL!",
    "#PYTHON!",
];

/// A syntax error found while parsing.
///
/// Positions are counted as the number of bytes left before the end of the formula,
/// so that token parsers can report them without knowing where the formula starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SyntaxError {
    /// Bytes left in the formula where the bad span starts.
    pub(crate) start_rest: usize,
    /// Bytes left in the formula where the bad span ends.
    pub(crate) end_rest: usize,
    pub(crate) message: Cow<'static, str>,
}

impl SyntaxError {
    /// An error spanning from the start of `from` to the start of `to`, a suffix of `from`.
    pub(crate) fn between(from: &str, to: &str, message: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError { start_rest: from.len(), end_rest: to.len(), message: message.into() }
    }

    /// An error covering the first `len` bytes of `at`.
    pub(crate) fn at(at: &str, len: usize, message: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError {
            start_rest: at.len(),
            end_rest: at.len().saturating_sub(len),
            message: message.into(),
        }
    }

    /// The same error as a nom failure, which stops every alternative.
    pub(crate) fn fail(self) -> nom::Err<Self> {
        nom::Err::Failure(self)
    }
}

impl<'a> ParseError<&'a str> for SyntaxError {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        SyntaxError::between(input, input, "unexpected input")
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

/// The result of a token or expression parser.
pub(crate) type Res<'a, T> = IResult<&'a str, T, SyntaxError>;

/// Runs `parser` and returns the text it consumed.
///
/// This stands in for nom's `recognize`, which in nom 8.0.0 returns too short a slice
/// for some tuple parsers (`recognize((char('.'), digit0))` gives `"."` on `".5"`).
fn recognized<'a, P>(mut parser: P) -> impl FnMut(&'a str) -> Res<'a, &'a str>
where
    P: Parser<&'a str, Error = SyntaxError>,
{
    move |input: &'a str| {
        let (rest, _) = parser.parse(input)?;
        Ok((rest, &input[..input.len() - rest.len()]))
    }
}

/// A soft error: this alternative does not apply here.
fn no_match<T>(input: &str) -> Res<'_, T> {
    Err(nom::Err::Error(SyntaxError::between(input, input, "unexpected input")))
}

/// Whitespace that separates tokens: Excel keeps spaces and line breaks in formulas.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// ws := (' ' | '\t' | '\r' | '\n')*
pub(crate) fn ws(input: &str) -> &str {
    input.trim_start_matches(is_space)
}

/// name_start := letter | '_' | '\'
pub(crate) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '\\'
}

/// name_char := letter | digit | '_' | '.' | '\'
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '\\')
}

/// number := (digit+ ('.' digit*)? | '.' digit+) (('e' | 'E') ('+' | '-')? digit+)?
///
/// The sign is not part of the token: `-1` is a negation of `1`.
pub(crate) fn number(input: &str) -> Res<'_, f64> {
    let mantissa =
        alt((value((), (digit1, opt((char('.'), digit0)))), value((), (char('.'), digit1))));
    let exponent = (one_of("eE"), opt(one_of("+-")), digit1);
    let (rest, text) = recognized((mantissa, opt(exponent))).parse(input)?;
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok((rest, number)),
        _ => Err(SyntaxError::between(input, rest, "number is too large").fail()),
    }
}

/// string := '"' (any character but '"' | '""')* '"'
pub(crate) fn string(input: &str) -> Res<'_, String> {
    let (mut rest, _) = char('"').parse(input)?;
    let mut text = String::new();
    loop {
        let Some(quote) = rest.find('"') else {
            return Err(SyntaxError::between(input, "", "unclosed string").fail());
        };
        text.push_str(&rest[..quote]);
        rest = &rest[quote + 1..];
        match rest.strip_prefix('"') {
            Some(after) => {
                text.push('"');
                rest = after;
            }
            None => return Ok((rest, text)),
        }
    }
}

/// Strips `prefix` from `input`, ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &input[prefix.len()..])
}

/// error := '#NULL!' | '#DIV/0!' | '#VALUE!' | '#REF!' | '#NAME?' | '#NUM!' | '#N/A'
///        | '#SPILL!' | '#CALC!'        (in any case)
///
/// Newer error values (`#GETTING_DATA`, `#FIELD!`, ...) are refused as unsupported.
pub(crate) fn error_literal(input: &str) -> Res<'_, ExcelError> {
    if !input.starts_with('#') {
        return no_match(input);
    }
    for error in ExcelError::ALL {
        if let Some(rest) = strip_prefix_ignore_case(input, error.as_str()) {
            return Ok((rest, error));
        }
    }
    let word = 1 + input[1..]
        .find(|c: char| !(is_name_char(c) || matches!(c, '/' | '!' | '?')))
        .unwrap_or(input.len() - 1);
    let text = &input[..word];
    let message = if UNSUPPORTED_ERRORS.iter().any(|e| e.eq_ignore_ascii_case(text)) {
        format!("the error value `{text}` is not supported")
    } else {
        format!("unknown error value `{text}`")
    };
    Err(SyntaxError::at(input, word, message).fail())
}

/// The 0-based index of a column written in letters (`A` is 0, `XFD` is 16,383).
pub(crate) fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let number = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_alphabetic().then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    (number <= COLS).then(|| number - 1)
}

/// column := '$'? letter{1,3}        (`A` to `XFD`)
fn column(input: &str) -> Res<'_, Coord> {
    let letters = take_while1(|c: char| c.is_ascii_alphabetic());
    map_opt((opt(char('$')), letters), |(dollar, letters)| {
        Some(Coord { index: column_index(letters)?, absolute: dollar.is_some() })
    })
    .parse(input)
}

/// row := '$'? digit{1,7}        (`1` to `1048576`)
fn row(input: &str) -> Res<'_, Coord> {
    map_opt((opt(char('$')), digit1), |(dollar, digits): (Option<char>, &str)| {
        let number: u32 = digits.parse().ok().filter(|n| (1..=ROWS).contains(n))?;
        Some(Coord { index: number - 1, absolute: dollar.is_some() })
    })
    .parse(input)
}

/// cell := column row
fn cell(input: &str) -> Res<'_, CellPos> {
    map((column, row), |(col, row)| CellPos { row, col }).parse(input)
}

/// Succeeds when the next character cannot continue the token just read, so that
/// `A1B`, `LOG10(`, `T1[Col]` and `AB1!A1` are not read as references.
fn boundary(input: &str) -> Res<'_, ()> {
    match input.chars().next() {
        Some(c) if is_name_char(c) || matches!(c, '(' | '[' | '!' | '$') => no_match(input),
        _ => Ok((input, ())),
    }
}

/// area := row ':' row | column ':' column | cell        (then a token boundary)
///
/// A range of two cells is built by the range operator, which allows spaces around `:`.
pub(crate) fn area(input: &str) -> Res<'_, Area> {
    let rows = map(separated_pair(row, char(':'), row), |(first, last)| Area::Rows { first, last });
    let cols =
        map(separated_pair(column, char(':'), column), |(first, last)| Area::Cols { first, last });
    terminated(alt((rows, cols, map(cell, Area::Cell))), boundary).parse(input)
}

/// True when the whole of `text` reads as one reference (`A1`, `XFD1048576`, `B:C`).
pub(crate) fn is_area(text: &str) -> bool {
    matches!(area(text), Ok(("", _)))
}

/// name := name_start name_char*
pub(crate) fn identifier(input: &str) -> Res<'_, &str> {
    recognized((satisfy(is_name_start), take_while(is_name_char))).parse(input)
}

/// sheet_prefix := quoted_sheet '!' | sheet_name (':' sheet_name)? '!'
/// sheet_name := name_char+
pub(crate) fn sheet_prefix(input: &str) -> Res<'_, SheetPart> {
    if input.starts_with('\'') {
        return quoted_sheet(input);
    }
    let sheet_name = take_while1(is_name_char);
    let (rest, (first, last, _)) =
        (sheet_name, opt((char(':'), take_while1(is_name_char))), char('!')).parse(input)?;
    let part = match last {
        Some((_, last)) => SheetPart::Span(first.to_owned(), last.to_owned()),
        None => SheetPart::One(first.to_owned()),
    };
    Ok((rest, part))
}

/// quoted_sheet := "'" (any character but "'" | "''")+ "'" '!'
///
/// A `:` inside the quotes separates the two sheets of a 3-D reference (sheet names
/// cannot contain `:`); a `[` names another workbook (`'C:\dir\[Book.xlsx]Sheet1'`)
/// and is refused, since sheet names cannot contain `[` either.
fn quoted_sheet(input: &str) -> Res<'_, SheetPart> {
    let mut name = String::new();
    let mut rest = &input[1..];
    loop {
        let Some(quote) = rest.find('\'') else {
            return Err(SyntaxError::between(input, "", "unclosed quoted sheet name").fail());
        };
        name.push_str(&rest[..quote]);
        rest = &rest[quote + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                name.push('\'');
                rest = after;
            }
            None => break,
        }
    }
    let Some(after) = rest.strip_prefix('!') else {
        let message = "a quoted sheet name must be followed by `!`";
        return Err(SyntaxError::between(input, rest, message).fail());
    };
    if name.contains('[') {
        return Err(SyntaxError::between(input, rest, EXTERNAL).fail());
    }
    if name.is_empty() {
        return Err(SyntaxError::between(input, after, "empty sheet name").fail());
    }
    let part = match name.split_once(':') {
        Some((first, last)) => SheetPart::Span(first.to_owned(), last.to_owned()),
        None => SheetPart::One(name),
    };
    Ok((after, part))
}

/// The message for references to other workbooks.
const EXTERNAL: &str = "external references are not supported";

/// external := '[' (any character but ']')* ']' (name_start | "'" | '!')
///
/// Fails with a hard error when `input` starts with a workbook prefix such as `[1]` or
/// `[Book1.xlsx]`; succeeds without consuming anything otherwise.
pub(crate) fn refuse_external(input: &str) -> Res<'_, ()> {
    let Some(body) = input.strip_prefix('[') else { return Ok((input, ())) };
    let Some(close) = body.find([']', '[']) else { return Ok((input, ())) };
    let after = &body[close..];
    let follows = after.strip_prefix(']').and_then(|a| a.chars().next());
    match follows {
        Some(c) if is_name_start(c) || c == '\'' || c == '!' || c.is_ascii_digit() => {
            Err(SyntaxError::between(input, &after[1..], EXTERNAL).fail())
        }
        _ => Ok((input, ())),
    }
}

/// table_spec := '[' (any character but '[', ']' or "'" | "'" any | table_spec)* ']'
///
/// Returns the text between the outer brackets, as written; `'` escapes the next
/// character, as in a column named `Price[USD]` written `Price'[USD']`.
pub(crate) fn table_spec(input: &str) -> Res<'_, &str> {
    if !input.starts_with('[') {
        return no_match(input);
    }
    let mut depth = 0usize;
    let mut chars = input.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                chars.next();
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Ok((&input[i + 1..], &input[1..i]));
                }
            }
            _ => {}
        }
    }
    let message = "unclosed `[` in a structured reference";
    Err(SyntaxError::between(input, "", message).fail())
}

/// binary_op := '<>' | '<=' | '>=' | '<' | '>' | '=' | '&' | '+' | '-' | '*' | '/' | '^'
pub(crate) fn binary_op(input: &str) -> Res<'_, BinaryOp> {
    alt((
        value(BinaryOp::Ne, tag("<>")),
        value(BinaryOp::Le, tag("<=")),
        value(BinaryOp::Ge, tag(">=")),
        value(BinaryOp::Lt, tag("<")),
        value(BinaryOp::Gt, tag(">")),
        value(BinaryOp::Eq, tag("=")),
        value(BinaryOp::Concat, tag("&")),
        value(BinaryOp::Add, tag("+")),
        value(BinaryOp::Sub, tag("-")),
        value(BinaryOp::Mul, tag("*")),
        value(BinaryOp::Div, tag("/")),
        value(BinaryOp::Pow, tag("^")),
    ))
    .parse(input)
}
