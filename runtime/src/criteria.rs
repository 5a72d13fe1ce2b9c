//! Criteria of the `*IF(S)` family (`">=2"`, `"goal"`, `"<>"`, `"a*"`) and
//! Excel's wildcard matching (`*`, `?`, `~` escapes).
//!
//! Microsoft documents that a criterion may be a number, a number or an
//! operator and number written as text, a text to look for, or a cell
//! reference; that `?` and `*` are wildcards and `~` escapes them; and (in
//! COUNTIFS and AVERAGEIF) that a criterion referring to an empty cell
//! counts as the value 0. What it leaves unsaid, and Excel does, is
//! implemented here as follows:
//!
//! - A numeric criterion (`5`, `"5"`, `"=5"`, `"1e3"`) with `=` matches
//!   numbers of that value and also text cells that read as that number (the
//!   text `"5"`): COUNTIF converts numeric text before an equality test.
//! - `<`, `<=`, `>`, `>=` with a number match numbers only: text, even
//!   numeric text, booleans and empty cells never match (`">0"` does not
//!   count a cell holding `"abc"`, unlike the operator `=A1>0`).
//! - `<>` with a number matches every cell that is not a number of that value,
//!   text and empty cells included.
//! - Text criteria compare case-insensitively; `=` and `<>` honour wildcards,
//!   the ordering operators compare text with text only and never match
//!   numbers (`">a"`).
//! - `""` matches empty cells and cells holding `""`; `"="` only empty cells;
//!   `"<>"` every cell that is not empty, a cell holding `""` included; a bare
//!   ordering operator (`"<"`, `"<="`, `">"`, `">="`, as `CONCAT("<=",A1)`
//!   gives with A1 empty) matches no cell at all, not even text or `""`.
//! - `TRUE`/`"TRUE"` match booleans only; an error criterion (`"#N/A"`)
//!   matches cells holding that error. Other cells holding errors never match
//!   a non-error criterion except through `<>`.
//!
//! Dates written as text in a criterion (`">1/1/2024"`) are not recognised.

use std::cmp::Ordering;

use crate::coerce::parse_number;
use crate::compare::{compare_numbers_15_digits, compare_text};
use crate::value::{ExcelError, Value};

/// A parsed criterion, ready to test cells against.
#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    op: Op,
    target: Target,
}

/// The comparison a criterion makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// What a criterion compares cells with.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Number(f64),
    Bool(bool),
    Error(ExcelError),
    /// Text: `text` as written (for `<`, `>`...), `pattern` parsed for `=`
    /// and `<>`.
    Text {
        text: String,
        pattern: Pattern,
    },
    /// Nothing after the operator (`"="`, `"<>"`, `"<"`).
    Nothing,
    /// The criterion `""` itself: empty cells and cells holding `""`.
    Blank,
}

impl Criterion {
    /// Parses a criterion as the `*IF(S)` functions receive it: a number,
    /// boolean, error, empty value (treated as 0) or text with an optional
    /// operator prefix.
    pub fn parse(criterion: &Value) -> Criterion {
        let eq = |target| Criterion { op: Op::Eq, target };
        match criterion.first() {
            Value::Empty => eq(Target::Number(0.0)),
            Value::Number(n) => eq(Target::Number(*n)),
            Value::Bool(b) => eq(Target::Bool(*b)),
            Value::Error(e) => eq(Target::Error(*e)),
            Value::Text(t) if t.is_empty() => eq(Target::Blank),
            Value::Text(t) => Criterion::parse_text(t),
            Value::Array(_) => eq(Target::Error(ExcelError::Value)),
        }
    }

    fn parse_text(text: &str) -> Criterion {
        let (op, rest) = split_operator(text);
        // FIXME: dates and times written as text (">1/1/2024") are taken as
        // text, so such criteria never match the date serials in cells.
        let target = if rest.is_empty() {
            Target::Nothing
        } else if let Some(n) = parse_number(rest) {
            Target::Number(n)
        } else if rest.eq_ignore_ascii_case("TRUE") {
            Target::Bool(true)
        } else if rest.eq_ignore_ascii_case("FALSE") {
            Target::Bool(false)
        } else if let Some(e) = ExcelError::parse(rest) {
            Target::Error(e)
        } else {
            Target::Text { text: rest.to_string(), pattern: Pattern::new(rest) }
        };
        Criterion { op, target }
    }

    /// Whether a cell's value satisfies the criterion.
    pub fn matches(&self, cell: &Value) -> bool {
        let cell = cell.first();
        match &self.target {
            Target::Blank => is_blank(cell),
            Target::Nothing => self.matches_nothing(cell),
            Target::Number(n) => self.matches_number(*n, cell),
            Target::Bool(b) => self.matches_same_type(cell, |c| match c {
                Value::Bool(x) => Some(x.cmp(b)),
                _ => None,
            }),
            Target::Error(e) => self.matches_same_type(cell, |c| match c {
                Value::Error(x) if x == e => Some(Ordering::Equal),
                _ => None,
            }),
            Target::Text { text, pattern } => self.matches_text(text, pattern, cell),
        }
    }

    /// `"="`, `"<>"` and the bare ordering operators: `=` wants an empty
    /// cell, `<>` a non-empty one; the others match nothing (Excel:
    /// calc_tests/STATISTICAL/COUNTIF.xlsx Rows!J9:L16, where a range holding
    /// "23", "hey" and "" counts 0 for `"<="`, `">"` and `">="`).
    fn matches_nothing(&self, cell: &Value) -> bool {
        match self.op {
            Op::Eq => cell.is_empty(),
            Op::Ne => !cell.is_empty(),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => false,
        }
    }

    fn matches_number(&self, n: f64, cell: &Value) -> bool {
        let order = match cell {
            Value::Number(x) => Some(compare_numbers_15_digits(*x, n)),
            Value::Text(t) if self.op == Op::Eq => {
                parse_number(t).map(|x| compare_numbers_15_digits(x, n))
            }
            _ => None,
        };
        self.decide(order)
    }

    fn matches_text(&self, text: &str, pattern: &Pattern, cell: &Value) -> bool {
        let order = match (cell, self.op) {
            (Value::Text(t), Op::Eq | Op::Ne) => {
                Some(if pattern.matches(t) { Ordering::Equal } else { Ordering::Less })
            }
            (Value::Text(t), _) => Some(compare_text(t, text)),
            _ => None,
        };
        self.decide(order)
    }

    fn matches_same_type(&self, cell: &Value, order: impl Fn(&Value) -> Option<Ordering>) -> bool {
        self.decide(order(cell))
    }

    /// Turns the cell's order relative to the target (`None` when the two
    /// are not comparable) into a match: incomparable cells satisfy `<>` only.
    fn decide(&self, order: Option<Ordering>) -> bool {
        match order {
            Some(o) => self.accepts(o),
            None => self.op == Op::Ne,
        }
    }

    fn accepts(&self, order: Ordering) -> bool {
        match self.op {
            Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater,
            Op::Ge => order != Ordering::Less,
        }
    }
}

/// Splits a leading comparison operator off a criterion text.
fn split_operator(text: &str) -> (Op, &str) {
    for (prefix, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<>", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return (op, rest);
        }
    }
    (Op::Eq, text)
}

fn is_blank(cell: &Value) -> bool {
    match cell {
        Value::Empty => true,
        Value::Text(t) => t.is_empty(),
        _ => false,
    }
}

/// Whether `text` matches the wildcard `pattern` as Excel matches it:
/// case-insensitive, `*` any run, `?` any one character, `~` escaping the
/// next `*`, `?` or `~`.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    Pattern::new(pattern).matches(text)
}

/// A wildcard pattern parsed once, to be matched against many cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
    /// True when the pattern has no wildcard, so matching is a plain
    /// case-insensitive comparison.
    literal: bool,
    /// A literal pattern of ASCII characters only, lower-cased: ASCII text
    /// matches it by a byte comparison.
    ascii: Option<Box<str>>,
}

impl Pattern {
    /// Parses a pattern (see [`wildcard_match`] for its syntax).
    pub fn new(pattern: &str) -> Pattern {
        let tokens = tokenize(pattern);
        let literal = tokens.iter().all(|t| matches!(t, Token::Char(_)));
        let ascii = tokens
            .iter()
            .map(|t| match t {
                Token::Char(c) if c.is_ascii() => Some(*c),
                _ => None,
            })
            .collect::<Option<String>>()
            .map(String::into_boxed_str);
        Pattern { tokens, literal, ascii }
    }

    /// Whether `text` matches, case-insensitively.
    pub fn matches(&self, text: &str) -> bool {
        if let Some(ascii) = self.ascii.as_deref().filter(|_| text.is_ascii()) {
            return text.eq_ignore_ascii_case(ascii);
        }
        if self.literal {
            let chars = self.tokens.iter().map(|t| match t {
                Token::Char(c) => *c,
                Token::Any | Token::One => '*',
            });
            return text.chars().flat_map(char::to_lowercase).eq(chars);
        }
        let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        self.matches_chars(&text)
    }

    /// Glob matching with one backtrack point: on a mismatch, the last `*`
    /// takes one more character and matching resumes after it.
    fn matches_chars(&self, text: &[char]) -> bool {
        let pattern = &self.tokens;
        let (mut p, mut t) = (0, 0);
        let mut backtrack: Option<(usize, usize)> = None;
        while t < text.len() {
            match pattern.get(p) {
                Some(Token::Any) => {
                    backtrack = Some((p, t));
                    p += 1;
                }
                Some(Token::One) => {
                    p += 1;
                    t += 1;
                }
                Some(Token::Char(c)) if *c == text[t] => {
                    p += 1;
                    t += 1;
                }
                _ => match backtrack {
                    Some((bp, bt)) => {
                        p = bp + 1;
                        t = bt + 1;
                        backtrack = Some((bp, bt + 1));
                    }
                    None => return false,
                },
            }
        }
        pattern[p..].iter().all(|token| *token == Token::Any)
    }
}

/// Whether a text holds an unescaped wildcard at all.
pub fn has_wildcards(pattern: &str) -> bool {
    tokenize(pattern).iter().any(|t| !matches!(t, Token::Char(_))) || pattern.contains('~')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Any,
    One,
    Char(char),
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push(Token::Any),
            '?' => out.push(Token::One),
            '~' => match chars.next() {
                Some(next) => out.extend(next.to_lowercase().map(Token::Char)),
                None => out.push(Token::Char('~')),
            },
            other => out.extend(other.to_lowercase().map(Token::Char)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_follow_excel() {
        assert!(wildcard_match("go*", "Goal"));
        assert!(wildcard_match("g?al", "goal"));
        assert!(!wildcard_match("g?al", "gooal"));
        assert!(wildcard_match("*~*", "a*"));
        assert!(!wildcard_match("*~*", "ab"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("?????es", "oranges"));
        assert!(!wildcard_match("?????es", "apples"));
        assert!(wildcard_match("~?", "?"));
        assert!(!wildcard_match("~?", "a"));
        assert!(wildcard_match("a~*", "A*"));
        assert!(!wildcard_match("a~*", "ab"));
        assert!(wildcard_match("ÄBC", "äbc"));
        assert!(!wildcard_match("abc", "abcd"));
        assert!(wildcard_match("a*c*e", "abcde"));
        assert!(!wildcard_match("a*c*e", "abcd"));
        assert!(has_wildcards("a*"));
        assert!(!has_wildcards("abc"));
    }

    /// One row per (criterion, cell, expected match).
    #[test]
    fn criteria_matrix() {
        let n = Value::Number;
        let t = Value::text;
        let na = Value::Error(ExcelError::NA);
        let rows: Vec<(Value, Value, bool)> = vec![
            (n(5.0), n(5.0), true),
            (n(5.0), t("5"), true),
            (t("5"), n(5.0), true),
            (t("=5"), t("5"), true),
            (t("1e3"), n(1000.0), true),
            (n(5.0), n(6.0), false),
            (n(5.0), Value::Empty, false),
            (n(1.0), Value::Bool(true), false),
            (t(">=2.5"), n(2.5), true),
            (t(">=2.5"), n(2.4), false),
            (t(">0"), t("abc"), false),
            (t(">0"), t("1"), false),
            (t(">0"), Value::Bool(true), false),
            (t("<5"), Value::Empty, false),
            (t("<>5"), n(5.0), false),
            (t("<>5"), n(4.0), true),
            (t("<>5"), t("5"), true),
            (t("<>5"), Value::Empty, true),
            (t("apples"), t("APPLES"), true),
            (t("apples"), t("apple"), false),
            (t("a*"), t("Avocado"), true),
            (t("a*"), n(1.0), false),
            (t("<>a*"), t("banana"), true),
            (t("<>a*"), t("apple"), false),
            (t("<>a*"), n(1.0), true),
            (t(">a"), t("b"), true),
            (t(">a"), t("B"), true),
            (t(">a"), n(1.0), false),
            (t("<b"), t("A"), true),
            (t("<>"), t("x"), true),
            (t("<>"), t(""), true),
            (t("<>"), Value::Empty, false),
            (t("="), Value::Empty, true),
            (t("="), t(""), false),
            (t(""), Value::Empty, true),
            (t(""), t(""), true),
            (t(""), n(0.0), false),
            (Value::Empty, n(0.0), true),
            (Value::Empty, Value::Empty, false),
            (Value::Bool(true), Value::Bool(true), true),
            (t("TRUE"), Value::Bool(true), true),
            (t("true"), n(1.0), false),
            (t("FALSE"), Value::Bool(false), true),
            (t("#N/A"), na.clone(), true),
            (na.clone(), na.clone(), true),
            (t("#N/A"), Value::Error(ExcelError::Div0), false),
            (t("apples"), na.clone(), false),
            (t("<>apples"), na.clone(), true),
            (t("<>#N/A"), Value::Error(ExcelError::Div0), true),
            (t("<>#N/A"), na.clone(), false),
            (t("<#N/A"), Value::Error(ExcelError::Div0), false),
            (n(0.3), n(0.1 + 0.2), true),
            // Excel: calc_tests/STATISTICAL/COUNTIF.xlsx Rows!J9 (`"<="`),
            // K9 (`">"`) and L9 (`">="`) count none of "23", "hey", "" or
            // numbers; M9 (`"<>"`) counts the "" cell with the others.
            (t("<="), t(""), false),
            (t(">"), t("hey"), false),
            (t(">="), t("23"), false),
            (t("<"), n(1.0), false),
            (t("<"), Value::Empty, false),
        ];
        for (criterion, cell, expected) in rows {
            let parsed = Criterion::parse(&criterion);
            assert_eq!(parsed.matches(&cell), expected, "criterion {criterion:?} on {cell:?}");
        }
    }
}
