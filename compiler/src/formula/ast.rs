//! The syntax tree of one formula, as written (A1 style), with byte spans.

use std::ops::Range;

use runtime::value::ExcelError;

/// Byte offsets into the formula text (without the leading `=`).
pub type Span = Range<usize>;

/// A syntax node and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub expr: Expr,
    pub span: Span,
}

impl Node {
    /// Whether the node is a binary operation written without parentheses
    /// around it: true for `a-b`, false for `(a-b)` and for anything else.
    /// The parser gives a parenthesised expression the span of its
    /// parentheses, wider than its operands'; an operation written bare
    /// spans from its left operand to its right one.
    pub fn is_bare_binary(&self) -> bool {
        match &self.expr {
            Expr::Binary(_, left, right) => self.span == (left.span.start..right.span.end),
            _ => false,
        }
    }
}

/// One formula construct.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    /// A string literal, doubled quotes already undone.
    Text(String),
    Bool(bool),
    Error(ExcelError),
    /// An array constant `{1,2;3,4}`: rows of constant nodes.
    Array(Vec<Vec<Node>>),
    /// An omitted argument (`IF(A1,,2)`).
    Missing,
    /// A cell, range, whole-row or whole-column reference.
    Ref(Reference),
    /// A defined name (or an unknown identifier), optionally sheet-qualified.
    Name {
        sheet: Option<String>,
        name: String,
    },
    /// A structured reference to a table (`Table1[Col]`, `Table1[[#This Row],[Col]]`),
    /// kept as written between the outer brackets.
    Table {
        table: String,
        spec: String,
    },
    Unary(UnaryOp, Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
    /// A function call; `name` as written, including any `_xlfn.` prefix.
    Call {
        name: String,
        args: Vec<Node>,
    },
    /// A `LAMBDA` called where it is written, `LAMBDA(x,x+1)(2)`: the
    /// `LAMBDA` call and the arguments it is given.
    Apply {
        callee: Box<Node>,
        args: Vec<Node>,
    },
}

/// Prefix and postfix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Plus,
    Percent,
    /// `@`, explicit implicit intersection.
    At,
    /// Postfix `#`, the spill range of a dynamic array.
    Spill,
}

/// Infix operators, including the reference operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `:`
    Range,
    /// `,` inside parentheses (union).
    Union,
    /// ` ` (intersection).
    Intersect,
    Pow,
    Mul,
    Div,
    Add,
    Sub,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A reference as written: optional sheet part and the area.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub sheet: Option<SheetPart>,
    pub area: Area,
}

/// The sheet qualifier of a reference.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetPart {
    /// `Sheet1!` or `'My sheet'!`
    One(String),
    /// `Sheet1:Sheet3!`, a 3-D reference.
    Span(String, String),
}

/// The area a reference covers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Area {
    /// `A1`
    Cell(CellPos),
    /// `A1:B5` (both corners as written, not normalised).
    Range(CellPos, CellPos),
    /// `3:5`, whole rows (0-based indices).
    Rows { first: Coord, last: Coord },
    /// `A:C`, whole columns (0-based indices).
    Cols { first: Coord, last: Coord },
}

/// A row or column index with its `$`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coord {
    /// 0-based index.
    pub index: u32,
    /// True when written with `$`.
    pub absolute: bool,
}

/// A cell position as written in A1 style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellPos {
    pub row: Coord,
    pub col: Coord,
}
