//! The operator-precedence machine that runs the expression grammar of the parent
//! module with explicit stacks, so that nesting costs heap, not stack.
//!
//! The machine alternates between two states: reading an operand (prefix operators,
//! opening parentheses, then one atom) and reading what follows it (an infix or postfix
//! operator, a comma, a closing parenthesis or the end). Each level of parentheses is a
//! [`Frame`] with its own operand and operator stacks; an operator is applied once the
//! next operator binds no tighter.

use runtime::value::ExcelError;

use super::atom::{node, Atom, Source};
use super::lexer::{self, SyntaxError};
use super::MAX_DEPTH;
use crate::formula::ast::{Area, BinaryOp, Coord, Expr, Node, Reference, SheetPart, Span, UnaryOp};

/// True for expressions that can denote a reference, the only operands the reference
/// operators (`:`, space, `,` and `#`) accept. Names and calls may evaluate to references
/// (`INDEX`, `OFFSET`), so they count.
fn is_ref_like(expr: &Expr) -> bool {
    match expr {
        Expr::Ref(_)
        | Expr::Name { .. }
        | Expr::Table { .. }
        | Expr::Call { .. }
        | Expr::Apply { .. } => true,
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
        // A union is built by the parentheses around it, never from the operator stack.
        BinaryOp::Union => 0,
        BinaryOp::Intersect => 9,
        BinaryOp::Range => 10,
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

/// A node on the operand stack, with how deeply nested it is.
struct Operand {
    node: Node,
    /// Levels of parentheses, calls and unary operators inside the node.
    nesting: usize,
}

/// An operator waiting for its right operand.
#[derive(Clone, Copy)]
enum PendingOp {
    /// A prefix operator and its offset.
    Prefix { op: UnaryOp, at: usize },
    /// An infix operator and its span.
    Binary { op: BinaryOp, start: usize, end: usize },
}

impl PendingOp {
    /// Binding strength: prefix operators bind tighter than `%` and `^` but looser
    /// than the reference operators.
    fn precedence(self) -> u8 {
        match self {
            PendingOp::Prefix { .. } => PREFIX,
            PendingOp::Binary { op, .. } => precedence(op),
        }
    }
}

/// The binding strength of prefix operators.
const PREFIX: u8 = 7;

/// The binding strength of postfix `%`, between `^` and the prefix operators.
const PERCENT: u8 = 6;

/// What a level of parentheses is.
enum FrameKind<'a> {
    /// The whole formula.
    Top,
    /// `( ... )`: the items of a union, and the offsets of the commas between them.
    Paren { open: &'a str, items: Vec<Operand>, commas: Vec<usize> },
    /// `name( ... )`: the arguments read so far. A `LAMBDA` called where it
    /// is written (`LAMBDA(x,x+1)(2)`) has the `LAMBDA` as `callee`.
    Call {
        start: &'a str,
        name: &'a str,
        open: &'a str,
        args: Vec<Operand>,
        callee: Option<Box<Operand>>,
    },
}

/// One level of parentheses being parsed, with its own operand and operator stacks.
struct Frame<'a> {
    kind: FrameKind<'a>,
    operands: Vec<Operand>,
    ops: Vec<PendingOp>,
}

impl<'a> Frame<'a> {
    /// An empty level.
    fn new(kind: FrameKind<'a>) -> Self {
        Frame { kind, operands: Vec::new(), ops: Vec::new() }
    }
}

/// What the machine reads next.
enum Step<'a> {
    /// An operand, at this input.
    Operand(&'a str),
    /// An operator or the end of a level, at this input.
    Operator(&'a str),
    /// Nothing: the formula is complete.
    Done(Node),
}

/// The error for a broken invariant of the machine; never expected in practice.
fn internal(at: &str) -> nom::Err<SyntaxError> {
    SyntaxError::at(at, 0, "internal parser error").fail()
}

/// The operator-precedence machine that runs the expression grammar.
pub(crate) struct Machine<'a> {
    source: Source,
    frames: Vec<Frame<'a>>,
    /// Open parentheses and calls plus pending prefix operators.
    depth: usize,
}

type StepResult<'a> = Result<Step<'a>, nom::Err<SyntaxError>>;

impl<'a> Machine<'a> {
    /// A machine for the formula `source` describes.
    pub(crate) fn new(source: Source) -> Self {
        Machine { source, frames: Vec::new(), depth: 0 }
    }

    /// formula := ws expr ws
    pub(crate) fn formula(&mut self, text: &'a str) -> Result<Node, SyntaxError> {
        let start = lexer::ws(text);
        if start.is_empty() {
            return Err(SyntaxError::between(text, "", "empty formula"));
        }
        self.frames.push(Frame::new(FrameKind::Top));
        let mut step = Step::Operand(start);
        loop {
            let next = match step {
                Step::Operand(input) => self.operand(input),
                Step::Operator(input) => self.operator(input),
                Step::Done(node) => return Ok(node),
            };
            step = match next {
                Ok(step) => step,
                Err(nom::Err::Error(error) | nom::Err::Failure(error)) => return Err(error),
                Err(nom::Err::Incomplete(_)) => {
                    return Err(SyntaxError::at(text, 0, "incomplete formula"))
                }
            };
        }
    }

    /// The innermost open level.
    fn frame(&mut self, at: &str) -> Result<&mut Frame<'a>, nom::Err<SyntaxError>> {
        self.frames.last_mut().ok_or_else(|| internal(at))
    }

    /// Adds a level of nesting for the token at `at`, refusing to pass [`MAX_DEPTH`].
    fn nest(&mut self, at: &str, len: usize) -> Result<(), nom::Err<SyntaxError>> {
        if self.depth >= MAX_DEPTH {
            return Err(SyntaxError::at(at, len, "formula nested too deeply").fail());
        }
        self.depth += 1;
        Ok(())
    }

    /// operand := prefix_op* primary        (the `%` and reference operators follow later)
    /// prefix_op := '-' | '+' | '@'
    ///
    /// Reads prefix operators and opening parentheses until one whole operand is read.
    fn operand(&mut self, input: &'a str) -> StepResult<'a> {
        let at = lexer::ws(input);
        let frame = self.frame(at)?;
        let at_argument_start = frame.operands.is_empty() && frame.ops.is_empty();
        if at_argument_start
            && matches!(frame.kind, FrameKind::Call { .. })
            && at.starts_with([',', ')'])
        {
            let position = self.source.offset(at);
            return self.push_operand(node(Expr::Missing, position..position), 0, at);
        }
        let Some(first) = at.chars().next() else { return Err(self.source.unexpected(at)) };
        if matches!(first, ')' | ',') {
            let message = format!("expected a value before `{first}`");
            return Err(SyntaxError::at(at, 1, message).fail());
        }
        if let Some(op) = prefix_op(first) {
            let after = lexer::ws(&at[1..]);
            if after.is_empty() || after.starts_with([')', ',', ';', '}']) {
                let message = format!("`{}` has no operand", prefix_text(op));
                return Err(SyntaxError::at(at, 1, message).fail());
            }
            self.nest(at, 1)?;
            let at_offset = self.source.offset(at);
            self.frame(at)?.ops.push(PendingOp::Prefix { op, at: at_offset });
            return Ok(Step::Operand(after));
        }
        if first == '(' {
            return self.open_paren(at);
        }
        match self.source.atom(at)? {
            (rest, Atom::Node(atom)) => self.push_operand(atom, 0, rest),
            (_, Atom::Call { name, open }) => self.open_call(at, name, open),
        }
    }

    /// parenthesized := '(' ws expr (ws ',' ws expr)* ws ')'        (opening it)
    fn open_paren(&mut self, open: &'a str) -> StepResult<'a> {
        let inner = lexer::ws(&open[1..]);
        if inner.is_empty() {
            return Err(SyntaxError::at(open, 1, "unclosed `(`").fail());
        }
        if let Some(after) = inner.strip_prefix(')') {
            return Err(SyntaxError::between(open, after, "empty parentheses").fail());
        }
        self.nest(open, 1)?;
        self.frames.push(Frame::new(FrameKind::Paren {
            open,
            items: Vec::new(),
            commas: Vec::new(),
        }));
        Ok(Step::Operand(inner))
    }

    /// call := name '(' ws (argument (ws ',' argument)*)? ws ')'        (opening it)
    /// argument := ws expr | ws        (an empty argument is omitted: `IF(A1,,2)`)
    fn open_call(&mut self, start: &'a str, name: &'a str, open: &'a str) -> StepResult<'a> {
        self.nest(start, name.len())?;
        let inner = lexer::ws(&open[1..]);
        if let Some(after) = inner.strip_prefix(')') {
            self.depth -= 1;
            let expr = Expr::Call { name: name.to_owned(), args: Vec::new() };
            return self.push_operand(node(expr, self.source.span(start, after)), 1, after);
        }
        if inner.is_empty() {
            return Err(SyntaxError::at(open, 1, "unclosed `(`").fail());
        }
        let kind = FrameKind::Call { start, name, open, args: Vec::new(), callee: None };
        self.frames.push(Frame::new(kind));
        Ok(Step::Operand(inner))
    }

    /// apply := lambda_call '(' ws (argument (ws ',' argument)*)? ws ')'        (opening it)
    ///
    /// The arguments of a `LAMBDA` called where it is written; `start` is where the
    /// `LAMBDA` begins.
    fn open_apply(&mut self, start: &'a str, callee: Operand, open: &'a str) -> StepResult<'a> {
        self.nest(open, 1)?;
        let inner = lexer::ws(&open[1..]);
        if let Some(after) = inner.strip_prefix(')') {
            self.depth -= 1;
            let nesting = callee.nesting + 1;
            let expr = Expr::Apply { callee: Box::new(callee.node), args: Vec::new() };
            return self.push_operand(node(expr, self.source.span(start, after)), nesting, after);
        }
        if inner.is_empty() {
            return Err(SyntaxError::at(open, 1, "unclosed `(`").fail());
        }
        let callee = Some(Box::new(callee));
        let kind = FrameKind::Call { start, name: "", open, args: Vec::new(), callee };
        self.frames.push(Frame::new(kind));
        Ok(Step::Operand(inner))
    }

    /// postfix := primary '#'?
    ///
    /// Pushes a complete primary, with the spill operator if it follows.
    fn push_operand(&mut self, primary: Node, nesting: usize, rest: &'a str) -> StepResult<'a> {
        let (rest, operand) = match rest.strip_prefix('#') {
            Some(after) => {
                if !is_ref_like(&primary.expr) {
                    let message = "the spill operator `#` must follow a reference";
                    return Err(SyntaxError::at(rest, 1, message).fail());
                }
                if self.depth + nesting >= MAX_DEPTH {
                    return Err(SyntaxError::at(rest, 1, "formula nested too deeply").fail());
                }
                let span = primary.span.start..self.source.offset(after);
                let spill = node(Expr::Unary(UnaryOp::Spill, Box::new(primary)), span);
                (after, Operand { node: spill, nesting: nesting + 1 })
            }
            None => (rest, Operand { node: primary, nesting }),
        };
        self.frame(rest)?.operands.push(operand);
        Ok(Step::Operator(rest))
    }

    /// Reads what follows a complete operand: an infix operator, `%`, an intersecting
    /// space, or the end of a level (`,`, `)`, the end of the formula).
    fn operator(&mut self, rest: &'a str) -> StepResult<'a> {
        let at = lexer::ws(rest);
        if at.len() < rest.len() && starts_operand(at) {
            // intersection := range (' '+ range)*: a space is an operator only after a reference.
            self.reduce(rest, precedence(BinaryOp::Intersect))?;
            let frame = self.frame(at)?;
            if frame.operands.last().is_some_and(|left| is_ref_like(&left.node.expr)) {
                let (start, end) = (self.source.offset(rest), self.source.offset(at));
                self.frame(at)?.ops.push(PendingOp::Binary { op: BinaryOp::Intersect, start, end });
                return Ok(Step::Operand(at));
            }
        }
        let Some(first) = at.chars().next() else { return self.finish(at) };
        match first {
            ')' => self.close(at),
            ',' => self.comma(at),
            '%' => self.percent(at),
            ':' => {
                // range := postfix (':' postfix)*
                let next = lexer::ws(&at[1..]);
                if next.is_empty() || next.starts_with([')', ',', ';', '}']) {
                    return Err(SyntaxError::at(at, 1, "`:` has no right operand").fail());
                }
                self.reduce(at, precedence(BinaryOp::Range))?;
                let (start, end) = (self.source.offset(at), self.source.offset(at) + 1);
                self.frame(at)?.ops.push(PendingOp::Binary { op: BinaryOp::Range, start, end });
                Ok(Step::Operand(&at[1..]))
            }
            _ => self.infix(at),
        }
    }

    /// binary_op operand        (in `expr`)
    fn infix(&mut self, at: &'a str) -> StepResult<'a> {
        let Ok((after, op)) = lexer::binary_op(at) else { return Err(self.source.unexpected(at)) };
        let next = lexer::ws(after);
        if next.is_empty() || next.starts_with([')', ',', ';', '}']) {
            let message = format!("`{}` has no right operand", &at[..at.len() - after.len()]);
            return Err(SyntaxError::between(at, after, message).fail());
        }
        self.reduce(at, precedence(op))?;
        let (start, end) = (self.source.offset(at), self.source.offset(after));
        self.frame(at)?.ops.push(PendingOp::Binary { op, start, end });
        Ok(Step::Operand(after))
    }

    /// operand := prefix_op* intersection '%'*        (the `%` part)
    fn percent(&mut self, at: &'a str) -> StepResult<'a> {
        self.reduce(at, PERCENT + 1)?;
        let end = self.source.offset(&at[1..]);
        let frame = self.frame(at)?;
        let operand = frame.operands.pop().ok_or_else(|| internal(at))?;
        if self.depth + operand.nesting >= MAX_DEPTH {
            return Err(SyntaxError::at(at, 1, "formula nested too deeply").fail());
        }
        let span = operand.node.span.start..end;
        let percent = node(Expr::Unary(UnaryOp::Percent, Box::new(operand.node)), span);
        let operand = Operand { node: percent, nesting: operand.nesting + 1 };
        self.frame(at)?.operands.push(operand);
        Ok(Step::Operator(&at[1..]))
    }

    /// Applies the pending operators of the innermost level that bind at least as
    /// tightly as `min_precedence` (all operators are left-associative).
    fn reduce(&mut self, at: &str, min_precedence: u8) -> Result<(), nom::Err<SyntaxError>> {
        loop {
            let frame = self.frame(at)?;
            let Some(op) = frame.ops.last().copied() else { return Ok(()) };
            if op.precedence() < min_precedence {
                return Ok(());
            }
            frame.ops.pop();
            let right = frame.operands.pop().ok_or_else(|| internal(at))?;
            let operand = match op {
                PendingOp::Prefix { op, at: start } => {
                    self.depth -= 1;
                    let span = start..right.node.span.end;
                    let unary = node(Expr::Unary(op, Box::new(right.node)), span);
                    Operand { node: unary, nesting: right.nesting + 1 }
                }
                PendingOp::Binary { op, start, end } => {
                    let left = frame.operands.pop().ok_or_else(|| internal(at))?;
                    self.binary(op, start..end, left, right)?
                }
            };
            self.frame(at)?.operands.push(operand);
        }
    }

    /// Builds `left op right`, checking that reference operators join references.
    fn binary(
        &self,
        op: BinaryOp,
        op_span: Span,
        left: Operand,
        right: Operand,
    ) -> Result<Operand, nom::Err<SyntaxError>> {
        let nesting = left.nesting.max(right.nesting);
        let error = |span: Span, message: &'static str| self.source.error(span, message);
        let node = match op {
            BinaryOp::Range => {
                if !is_ref_like(&left.node.expr) || !is_ref_like(&right.node.expr) {
                    return Err(error(
                        op_span,
                        "the range operator `:` needs a reference on each side",
                    ));
                }
                merge_range(left.node, right.node)
            }
            BinaryOp::Intersect if !is_ref_like(&right.node.expr) => {
                let message = "the intersection operator (a space) needs a reference on each side";
                return Err(error(right.node.span, message));
            }
            _ => {
                let span = left.node.span.start..right.node.span.end;
                node(Expr::Binary(op, Box::new(left.node), Box::new(right.node)), span)
            }
        };
        Ok(Operand { node, nesting })
    }

    /// The end of the formula: only the outermost level may end there.
    fn finish(&mut self, at: &'a str) -> StepResult<'a> {
        self.reduce(at, 0)?;
        let frame = self.frames.pop().ok_or_else(|| internal(at))?;
        match frame.kind {
            FrameKind::Top => {
                let mut operands = frame.operands;
                let result = operands.pop().ok_or_else(|| internal(at))?;
                Ok(Step::Done(result.node))
            }
            FrameKind::Paren { open, .. } | FrameKind::Call { open, .. } => {
                Err(SyntaxError::at(open, 1, "unclosed `(`").fail())
            }
        }
    }

    /// `,`: the next argument of a call, or a union inside parentheses.
    fn comma(&mut self, at: &'a str) -> StepResult<'a> {
        self.reduce(at, 0)?;
        let comma_offset = self.source.offset(at);
        let frame = self.frame(at)?;
        let operand = frame.operands.pop().ok_or_else(|| internal(at))?;
        match &mut frame.kind {
            FrameKind::Top => return Err(self.source.unexpected(at)),
            FrameKind::Paren { items, commas, .. } => {
                items.push(operand);
                commas.push(comma_offset);
            }
            FrameKind::Call { args, .. } => args.push(operand),
        }
        Ok(Step::Operand(&at[1..]))
    }

    /// `)`: closes a parenthesised expression or a call.
    fn close(&mut self, at: &'a str) -> StepResult<'a> {
        self.reduce(at, 0)?;
        let after = &at[1..];
        if matches!(self.frame(at)?.kind, FrameKind::Top) {
            return Err(self.source.unexpected(at));
        }
        let frame = self.frames.pop().ok_or_else(|| internal(at))?;
        let mut operands = frame.operands;
        let last = operands.pop().ok_or_else(|| internal(at))?;
        self.depth -= 1;
        match frame.kind {
            FrameKind::Top => Err(internal(at)),
            FrameKind::Paren { open, items, commas } => {
                let mut value = self.union(items, commas, last)?;
                value.node.span = self.source.span(open, after);
                self.push_operand(value.node, value.nesting + 1, after)
            }
            FrameKind::Call { start, name, mut args, callee, .. } => {
                args.push(last);
                let inner = callee.as_ref().map_or(0, |callee| callee.nesting);
                let nesting = args.iter().map(|arg| arg.nesting).max().unwrap_or(0).max(inner) + 1;
                let args = args.into_iter().map(|arg| arg.node).collect();
                let expr = match callee {
                    None => Expr::Call { name: name.to_owned(), args },
                    Some(callee) => Expr::Apply { callee: Box::new(callee.node), args },
                };
                let call = node(expr, self.source.span(start, after));
                if is_lambda(&call.expr) && after.starts_with('(') {
                    return self.open_apply(start, Operand { node: call, nesting }, after);
                }
                self.push_operand(call, nesting, after)
            }
        }
    }

    /// Joins the items of a parenthesised list into a left-nested union.
    fn union(
        &self,
        items: Vec<Operand>,
        commas: Vec<usize>,
        last: Operand,
    ) -> Result<Operand, nom::Err<SyntaxError>> {
        let mut items = items.into_iter().chain(std::iter::once(last));
        let Some(mut value) = items.next() else { return Err(internal("")) };
        for (right, comma) in items.zip(commas) {
            if !is_ref_like(&value.node.expr) || !is_ref_like(&right.node.expr) {
                let message = "the union operator `,` needs a reference on each side";
                return Err(self.source.error(comma..comma + 1, message));
            }
            let span = value.node.span.start..right.node.span.end;
            let nesting = value.nesting.max(right.nesting);
            let expr = Expr::Binary(BinaryOp::Union, Box::new(value.node), Box::new(right.node));
            value = Operand { node: node(expr, span), nesting };
        }
        Ok(value)
    }
}

/// Whether `expr` is a call of `LAMBDA`, which may be called where it is written.
fn is_lambda(expr: &Expr) -> bool {
    let Expr::Call { name, .. } = expr else { return false };
    let upper = name.to_ascii_uppercase();
    upper.strip_prefix("_XLFN.").unwrap_or(&upper) == "LAMBDA"
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
/// sheet, as do two column letters written with spaces around `:` (`A : C`); anything
/// else is a range operation.
fn merge_range(left: Node, right: Node) -> Node {
    let span = left.span.start..right.span.end;
    if let (Expr::Name { sheet, name: first }, Expr::Name { sheet: None, name: last }) =
        (&left.expr, &right.expr)
    {
        let column = |name: &str| {
            let index = lexer::column_index(name)?;
            Some(Coord { index, absolute: false })
        };
        if let (Some(first), Some(last)) = (column(first), column(last)) {
            let sheet = sheet.clone().map(SheetPart::One);
            let reference = Reference { sheet, area: Area::Cols { first, last } };
            return node(Expr::Ref(reference), span);
        }
    }
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
