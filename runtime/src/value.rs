//! The Excel value model: what a cell holds and what a formula produces.
//!
//! Coercion and comparison follow Excel's documented rules (en-US locale):
//! text is never silently a number inside a range, but is parsed when it is
//! an operand of arithmetic; an empty cell is 0, "" or FALSE as its use asks.

use std::fmt;
use std::sync::Arc;

/// An Excel error value. `Display` prints Excel's own text (`#DIV/0!`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExcelError {
    /// `#NULL!`: an intersection of ranges that do not meet.
    Null,
    /// `#DIV/0!`
    Div0,
    /// `#VALUE!`: an operand of the wrong type.
    Value,
    /// `#REF!`: a reference outside the grid or to a deleted cell.
    Ref,
    /// `#NAME?`: an unknown name or function.
    Name,
    /// `#NUM!`: a number out of a function's domain.
    Num,
    /// `#N/A`: no value available.
    NA,
    /// `#SPILL!`
    Spill,
    /// `#CALC!`
    Calc,
}

impl ExcelError {
    /// Every error kind, in Excel's `ERROR.TYPE` order.
    pub const ALL: [ExcelError; 9] = [
        ExcelError::Null,
        ExcelError::Div0,
        ExcelError::Value,
        ExcelError::Ref,
        ExcelError::Name,
        ExcelError::Num,
        ExcelError::NA,
        ExcelError::Spill,
        ExcelError::Calc,
    ];

    /// Excel's text for the error, e.g. `#N/A`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExcelError::Null => "#NULL!",
            ExcelError::Div0 => "#DIV/0!",
            ExcelError::Value => "#VALUE!",
            ExcelError::Ref => "#REF!",
            ExcelError::Name => "#NAME?",
            ExcelError::Num => "#NUM!",
            ExcelError::NA => "#N/A",
            ExcelError::Spill => "#SPILL!",
            ExcelError::Calc => "#CALC!",
        }
    }

    /// Parses Excel's text for an error (case-insensitive).
    pub fn parse(text: &str) -> Option<ExcelError> {
        let upper = text.to_ascii_uppercase();
        ExcelError::ALL.into_iter().find(|e| e.as_str() == upper)
    }

    /// The number `ERROR.TYPE` returns for this error.
    pub fn type_number(self) -> f64 {
        match self {
            ExcelError::Null => 1.0,
            ExcelError::Div0 => 2.0,
            ExcelError::Value => 3.0,
            ExcelError::Ref => 4.0,
            ExcelError::Name => 5.0,
            ExcelError::Num => 6.0,
            ExcelError::NA => 7.0,
            ExcelError::Spill => 9.0,
            ExcelError::Calc => 14.0,
        }
    }
}

impl fmt::Display for ExcelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shared, immutable text. Cloning is a reference-count increment.
pub type Text = Arc<str>;

/// A value as a cell holds it or a formula produces it.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// An empty cell (or an omitted argument).
    #[default]
    Empty,
    Number(f64),
    Text(Text),
    Bool(bool),
    Error(ExcelError),
    /// A two-dimensional array of scalars (never nested arrays).
    Array(Arc<Array>),
}

/// A rectangular array of scalar values in row-major order.
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    rows: usize,
    cols: usize,
    values: Vec<Value>,
}

impl Array {
    /// Builds an array; `values.len()` must be `rows * cols`, both at least 1.
    /// A wrong length yields `None`.
    pub fn new(rows: usize, cols: usize, values: Vec<Value>) -> Option<Array> {
        (rows > 0 && cols > 0 && values.len() == rows * cols).then_some(Array {
            rows,
            cols,
            values,
        })
    }

    /// A 1x1 array holding `value`.
    pub fn scalar(value: Value) -> Array {
        Array { rows: 1, cols: 1, values: vec![value] }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The element at (row, col), 0-based; `None` outside the array.
    pub fn get(&self, row: usize, col: usize) -> Option<&Value> {
        if row < self.rows && col < self.cols {
            self.values.get(row * self.cols + col)
        } else {
            None
        }
    }

    /// The elements in row-major order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Consumes the array into its row-major elements.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }
}

impl PartialEq for Value {
    /// Structural equality: numbers compare bit-for-bit except that 0 equals -0,
    /// text compares exactly (case-sensitive). Excel's `=` is [`crate::compare::excel_eq`].
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Empty, Value::Empty) => true,
            (Value::Number(a), Value::Number(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Error(a), Value::Error(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            _ => false,
        }
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(Arc::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(Arc::from(s))
    }
}

impl From<ExcelError> for Value {
    fn from(e: ExcelError) -> Value {
        Value::Error(e)
    }
}

impl Value {
    /// A number result: NaN and infinities become `#NUM!`, as Excel never stores them.
    pub fn number(n: f64) -> Value {
        if n.is_finite() {
            Value::Number(if n == 0.0 { 0.0 } else { n })
        } else {
            Value::Error(ExcelError::Num)
        }
    }

    /// Text from anything string-like.
    pub fn text(s: impl AsRef<str>) -> Value {
        Value::Text(Arc::from(s.as_ref()))
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Value::Error(_))
    }

    /// The error this value is, if it is one.
    pub fn as_error(&self) -> Option<ExcelError> {
        match self {
            Value::Error(e) => Some(*e),
            _ => None,
        }
    }

    /// The top-left element of an array, or the value itself.
    pub fn first(&self) -> &Value {
        match self {
            Value::Array(a) => a.values.first().unwrap_or(&Value::Empty),
            other => other,
        }
    }

    /// Coerces to a number as arithmetic does (`=A1+1`): empty is 0, booleans are
    /// 0/1, text is parsed (numbers, percentages, dates and times, en-US), an
    /// unparsable text is `#VALUE!`, an error stays itself.
    pub fn to_number(&self) -> Result<f64, ExcelError> {
        match self.first() {
            Value::Empty => Ok(0.0),
            Value::Number(n) => Ok(*n),
            Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
            Value::Text(t) => crate::coerce::parse_number(t).ok_or(ExcelError::Value),
            Value::Error(e) => Err(*e),
            Value::Array(_) => Err(ExcelError::Value),
        }
    }

    /// Coerces to text as `&` does: numbers in Excel's general format,
    /// booleans as `TRUE`/`FALSE`, empty as "".
    pub fn to_text(&self) -> Result<Text, ExcelError> {
        match self.first() {
            Value::Empty => Ok(Arc::from("")),
            Value::Number(n) => Ok(Arc::from(crate::coerce::format_general(*n))),
            Value::Bool(b) => Ok(Arc::from(if *b { "TRUE" } else { "FALSE" })),
            Value::Text(t) => Ok(t.clone()),
            Value::Error(e) => Err(*e),
            Value::Array(_) => Err(ExcelError::Value),
        }
    }

    /// Coerces to a boolean as `IF` does: empty is FALSE, a number is TRUE when
    /// non-zero, text `TRUE`/`FALSE` (any case) is parsed, other text is `#VALUE!`.
    pub fn to_bool(&self) -> Result<bool, ExcelError> {
        match self.first() {
            Value::Empty => Ok(false),
            Value::Number(n) => Ok(*n != 0.0),
            Value::Bool(b) => Ok(*b),
            Value::Text(t) => {
                if t.eq_ignore_ascii_case("TRUE") {
                    Ok(true)
                } else if t.eq_ignore_ascii_case("FALSE") {
                    Ok(false)
                } else {
                    Err(ExcelError::Value)
                }
            }
            Value::Error(e) => Err(*e),
            Value::Array(_) => Err(ExcelError::Value),
        }
    }
}
