//! Tests of the formula parser, shift and printer: one-line table cases compared through a
//! compact S-expression form of the tree.

use runtime::value::ExcelError;

use super::{parse, parse_text, shift, to_formula_text, ParseError, MAX_DEPTH};
use crate::formula::ast::{Area, BinaryOp, CellPos, Coord, Expr, Node, SheetPart, UnaryOp};

/// Column letters, written independently of the printer under test.
fn letters(index: u32) -> String {
    let mut n = index + 1;
    let mut out = String::new();
    while n > 0 {
        out.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    out
}

fn coord_row(c: Coord) -> String {
    format!("{}{}", if c.absolute { "$" } else { "" }, c.index + 1)
}

fn coord_col(c: Coord) -> String {
    format!("{}{}", if c.absolute { "$" } else { "" }, letters(c.index))
}

fn cell(c: CellPos) -> String {
    coord_col(c.col) + &coord_row(c.row)
}

fn area(a: Area) -> String {
    match a {
        Area::Cell(c) => cell(c),
        Area::Range(a, b) => format!("{}:{}", cell(a), cell(b)),
        Area::Rows { first, last } => format!("{}:{}", coord_row(first), coord_row(last)),
        Area::Cols { first, last } => format!("{}:{}", coord_col(first), coord_col(last)),
    }
}

fn sheet(s: &SheetPart) -> String {
    match s {
        SheetPart::One(name) => format!("{name}!"),
        SheetPart::Span(a, b) => format!("{a}:{b}!"),
    }
}

/// The compact form of a tree: `(+ 1 (* 2 3))`, `Sheet1!A1:B2`, `(call SUM _ 1)`.
fn sexp(node: &Node) -> String {
    match &node.expr {
        Expr::Number(n) => format!("{n}"),
        Expr::Text(t) => format!("{t:?}"),
        Expr::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Expr::Error(e) => e.as_str().to_owned(),
        Expr::Array(rows) => {
            let rows: Vec<String> =
                rows.iter().map(|row| row.iter().map(sexp).collect::<Vec<_>>().join(",")).collect();
            format!("{{{}}}", rows.join(";"))
        }
        Expr::Missing => "_".to_owned(),
        Expr::Ref(r) => r.sheet.as_ref().map(sheet).unwrap_or_default() + &area(r.area),
        Expr::Name { sheet, name } => {
            format!("name:{}{name}", sheet.as_ref().map(|s| format!("{s}!")).unwrap_or_default())
        }
        Expr::Table { table, spec } => format!("table:{table}[{spec}]"),
        Expr::Unary(op, x) => {
            let op = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Plus => "plus",
                UnaryOp::Percent => "%",
                UnaryOp::At => "@",
                UnaryOp::Spill => "#",
            };
            format!("({op} {})", sexp(x))
        }
        Expr::Binary(op, l, r) => {
            let op = match op {
                BinaryOp::Range => ":",
                BinaryOp::Union => ",",
                BinaryOp::Intersect => "isect",
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
            };
            format!("({op} {} {})", sexp(l), sexp(r))
        }
        Expr::Call { name, args } => {
            let mut out = format!("(call {name}");
            for arg in args {
                out.push(' ');
                out.push_str(&sexp(arg));
            }
            out + ")"
        }
        Expr::Apply { callee, args } => {
            let mut out = format!("(apply {}", sexp(callee));
            for arg in args {
                out.push(' ');
                out.push_str(&sexp(arg));
            }
            out + ")"
        }
    }
}

/// Parses `formula` and returns its compact form, or the error message.
fn check(formula: &str) -> String {
    match parse(formula) {
        Ok(node) => sexp(&node),
        Err(error) => format!("error: {}", error.message),
    }
}

/// The same tree with every span set to `0..0`, to compare trees built from different text.
pub(super) fn strip_spans(node: &Node) -> Node {
    let expr = match &node.expr {
        Expr::Array(rows) => {
            Expr::Array(rows.iter().map(|row| row.iter().map(strip_spans).collect()).collect())
        }
        Expr::Unary(op, x) => Expr::Unary(*op, Box::new(strip_spans(x))),
        Expr::Binary(op, l, r) => {
            Expr::Binary(*op, Box::new(strip_spans(l)), Box::new(strip_spans(r)))
        }
        Expr::Call { name, args } => {
            Expr::Call { name: name.clone(), args: args.iter().map(strip_spans).collect() }
        }
        Expr::Apply { callee, args } => Expr::Apply {
            callee: Box::new(strip_spans(callee)),
            args: args.iter().map(strip_spans).collect(),
        },
        other => other.clone(),
    };
    Node { expr, span: 0..0 }
}

fn run_table(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (formula, expected) in cases {
        let actual = check(formula);
        if actual != *expected {
            failures.push(format!("{formula:?}\n   expected {expected}\n   actual   {actual}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Literals: numbers, strings, booleans, error values and array constants.
const LITERALS: &[(&str, &str)] = &[
    ("1", "1"),
    ("1.5", "1.5"),
    (".5", "0.5"),
    ("1.", "1"),
    ("1e-3", "0.001"),
    ("1E+10", "10000000000"),
    ("2.5E2", "250"),
    ("007", "7"),
    (r#""say ""hi""""#, r#""say \"hi\"""#),
    (r#""""#, r#""""#),
    (r#""a,b;c)""#, r#""a,b;c)""#),
    ("TRUE", "TRUE"),
    ("true", "TRUE"),
    ("False", "FALSE"),
    ("TRUE()", "(call TRUE)"),
    ("false()", "(call false)"),
    ("TRUEISH", "name:TRUEISH"),
    ("#DIV/0!", "#DIV/0!"),
    ("#N/A", "#N/A"),
    ("#n/a", "#N/A"),
    ("#NAME?", "#NAME?"),
    ("#NULL!", "#NULL!"),
    ("#NUM!", "#NUM!"),
    ("#REF!", "#REF!"),
    ("#VALUE!", "#VALUE!"),
    ("#SPILL!", "#SPILL!"),
    ("#CALC!", "#CALC!"),
    ("{1,2;3,4}", "{1,2;3,4}"),
    ("{-1,\"a\";TRUE,#N/A}", "{-1,\"a\";TRUE,#N/A}"),
    ("{+2.5,-.5,false}", "{2.5,-0.5,FALSE}"),
    ("{ 1 , 2 ; 3 , 4 }", "{1,2;3,4}"),
    ("{1;2;3}", "{1;2;3}"),
];

#[test]
fn literals() {
    run_table(LITERALS);
}

/// References, sheet prefixes, names and structured references.
const REFERENCES: &[(&str, &str)] = &[
    ("A1", "A1"),
    ("a1", "A1"),
    ("$A$1", "$A$1"),
    ("A$1", "A$1"),
    ("$A1", "$A1"),
    ("A1:B5", "A1:B5"),
    ("B5:A1", "B5:A1"),
    ("$A$1:B$5", "$A$1:B$5"),
    ("A:A", "A:A"),
    ("$A:$C", "$A:$C"),
    ("1:1", "1:1"),
    ("$3:$5", "$3:$5"),
    ("XFD1048576", "XFD1048576"),
    ("A1048577", "name:A1048577"),
    ("XFE1", "name:XFE1"),
    ("A0", "name:A0"),
    ("ABCD1", "name:ABCD1"),
    ("A1B", "name:A1B"),
    ("Sheet1!A1", "Sheet1!A1"),
    ("Sheet1!$A$1:$B$2", "Sheet1!$A$1:$B$2"),
    ("Sheet1!A:A", "Sheet1!A:A"),
    ("Sheet1!1:3", "Sheet1!1:3"),
    ("'Sheet with space'!A1:B2", "Sheet with space!A1:B2"),
    ("'It''s'!A1", "It's!A1"),
    ("'2024'!A1", "2024!A1"),
    ("Sheet1:Sheet3!A1", "Sheet1:Sheet3!A1"),
    ("'Jan 1:Mar 1'!B2:C3", "Jan 1:Mar 1!B2:C3"),
    ("AB1!A1", "AB1!A1"),
    ("my.name", "name:my.name"),
    ("_under_score", "name:_under_score"),
    ("\\back", "name:\\back"),
    ("Rate2", "name:Rate2"),
    ("Sheet1!Rate", "name:Sheet1!Rate"),
    ("'My Sheet'!Rate", "name:My Sheet!Rate"),
    ("Ставка", "name:Ставка"),
    ("Table1[Col]", "table:Table1[Col]"),
    ("Table1[[#This Row],[Col]]", "table:Table1[[#This Row],[Col]]"),
    ("Table1[#All]", "table:Table1[#All]"),
    ("Table1[[Col1]:[Col2]]", "table:Table1[[Col1]:[Col2]]"),
    ("Table1[]", "table:Table1[]"),
    ("T1[Col]", "table:T1[Col]"),
    ("Table1[Price'[USD']]", "table:Table1[Price'[USD']]"),
    ("[@Col]", "table:[@Col]"),
    ("Table1[ [#This Row], [Col] ]", "table:Table1[ [#This Row], [Col] ]"),
    ("Table1[[#Headers],[#Data],[Col]]", "table:Table1[[#Headers],[#Data],[Col]]"),
    ("Table1[Col'#1]", "table:Table1[Col'#1]"),
    ("Table.v2[Col]", "table:Table.v2[Col]"),
    ("'Sheet 1'!A1#", "(# Sheet 1!A1)"),
    ("Sheet1!$1:$1", "Sheet1!$1:$1"),
    ("Sheet1:Sheet3!A1:B2", "Sheet1:Sheet3!A1:B2"),
    ("'Wow!'!A1", "Wow!!A1"),
    ("#REF!A1", "#REF!"),
    ("Sheet1!#REF!", "#REF!"),
];

#[test]
fn references() {
    run_table(REFERENCES);
}

/// Function calls, including omitted arguments and prefixed names.
const CALLS: &[(&str, &str)] = &[
    ("SUM(1,2)", "(call SUM 1 2)"),
    ("NOW()", "(call NOW)"),
    ("NOW( )", "(call NOW)"),
    ("IF(A1,,2)", "(call IF A1 _ 2)"),
    ("SUM(,)", "(call SUM _ _)"),
    ("F(1,)", "(call F 1 _)"),
    ("F(,1)", "(call F _ 1)"),
    ("SUM( A1 , B1 )", "(call SUM A1 B1)"),
    ("LOG10(100)", "(call LOG10 100)"),
    ("ATAN2(1,2)", "(call ATAN2 1 2)"),
    ("_xlfn.CONCAT(A1,\"x\")", "(call _xlfn.CONCAT A1 \"x\")"),
    ("_xlfn._xlws.SORT(A1:A3)", "(call _xlfn._xlws.SORT A1:A3)"),
    ("_xlfn.STDEV.S(A:A)", "(call _xlfn.STDEV.S A:A)"),
    ("_xlfn.LET(_xlpm.x,1,_xlpm.x+1)", "(call _xlfn.LET name:_xlpm.x 1 (+ name:_xlpm.x 1))"),
    // A LAMBDA called where it is written (calc_tests/LOGICAL/LAMBDA.xlsx).
    ("LAMBDA(x,x*2)(3)", "(apply (call LAMBDA name:x (* name:x 2)) 3)"),
    (
        "_xlfn.LAMBDA(_xlpm.x,_xlop.y,1)(1,)",
        "(apply (call _xlfn.LAMBDA name:_xlpm.x name:_xlop.y 1) 1 _)",
    ),
    ("LAMBDA(1)()+2", "(+ (apply (call LAMBDA 1)) 2)"),
    ("SUM(1)(2)", "error: unexpected `(`"),
    ("IF(A1>0,SUM(B1:B3),-1)", "(call IF (> A1 0) (call SUM B1:B3) (neg 1))"),
    ("SUM((A1,B2))", "(call SUM (, A1 B2))"),
];

#[test]
fn calls() {
    run_table(CALLS);
}

/// Operator precedence and associativity, as Microsoft documents it for Excel.
const OPERATORS: &[(&str, &str)] = &[
    ("=1+2*3", "(+ 1 (* 2 3))"),
    ("=(1+2)*3", "(* (+ 1 2) 3)"),
    ("=-2^2", "(^ (neg 2) 2)"),
    ("=2^3^2", "(^ (^ 2 3) 2)"),
    ("=2^-1", "(^ 2 (neg 1))"),
    ("=1&2=12", "(= (& 1 2) 12)"),
    ("=1+2&3", "(& (+ 1 2) 3)"),
    ("=5%^2", "(^ (% 5) 2)"),
    ("-A1%", "(% (neg A1))"),
    ("50%%", "(% (% 50))"),
    ("1-2-3", "(- (- 1 2) 3)"),
    ("8/4/2", "(/ (/ 8 4) 2)"),
    ("2*-3", "(* 2 (neg 3))"),
    ("--A1", "(neg (neg A1))"),
    ("+1", "(plus 1)"),
    ("1=2<3", "(< (= 1 2) 3)"),
    ("1<>2", "(<> 1 2)"),
    ("1<=2", "(<= 1 2)"),
    ("1>=2", "(>= 1 2)"),
    ("1<2", "(< 1 2)"),
    ("1>2", "(> 1 2)"),
    ("\"a\"&\"b\"&\"c\"", "(& (& \"a\" \"b\") \"c\")"),
    ("=A1:B2 B1:C3", "(isect A1:B2 B1:C3)"),
    ("A1 B1:C2 C1", "(isect (isect A1 B1:C2) C1)"),
    ("-A1 B1", "(neg (isect A1 B1))"),
    ("name1 name2", "(isect name:name1 name:name2)"),
    ("SUM(A1:B2 B1:C3)", "(call SUM (isect A1:B2 B1:C3))"),
    ("A1:INDEX(B:B,3)", "(: A1 (call INDEX B:B 3))"),
    ("OFFSET(A1,1,1):B5", "(: (call OFFSET A1 1 1) B5)"),
    ("A1:B2:C3", "(: A1:B2 C3)"),
    ("A1 : B2", "A1:B2"),
    ("a : c", "A:C"),
    ("Sheet1!B :\nD", "Sheet1!B:D"),
    ("Rate : c", "(: name:Rate name:c)"),
    ("Sheet1!A1:B2", "Sheet1!A1:B2"),
    ("Sheet1!A1:Sheet1!B2", "(: Sheet1!A1 Sheet1!B2)"),
    ("(A1,B2,C3)", "(, (, A1 B2) C3)"),
    ("@A1:A10", "(@ A1:A10)"),
    ("@A1:A10+1", "(+ (@ A1:A10) 1)"),
    ("A1#", "(# A1)"),
    ("Sheet1!A1#", "(# Sheet1!A1)"),
    ("SUM(A1#)", "(call SUM (# A1))"),
    ("A1:B2 #REF!", "(isect A1:B2 #REF!)"),
];

#[test]
fn operators() {
    run_table(OPERATORS);
}

/// Whitespace is insignificant except between two references.
const WHITESPACE: &[(&str, &str)] = &[
    (" 1 + 2 ", "(+ 1 2)"),
    ("= 1", "1"),
    ("SUM(\n A1,\n B1\n)", "(call SUM A1 B1)"),
    ("( 1 )", "1"),
    ("A1 -B1", "(- A1 B1)"),
    ("A1 - B1", "(- A1 B1)"),
    ("1 +\r\n2", "(+ 1 2)"),
    ("5 %", "(% 5)"),
    ("- 1", "(neg 1)"),
    ("A1\nB1", "(isect A1 B1)"),
    ("SUM(A1 ,B1)", "(call SUM A1 B1)"),
    ("(A1 , B1)", "(, A1 B1)"),
];

#[test]
fn whitespace() {
    run_table(WHITESPACE);
}

/// Errors: message, then the span into the formula without its `=`.
const ERRORS: &[(&str, &str, std::ops::Range<usize>)] = &[
    ("", "empty formula", 0..0),
    ("=", "empty formula", 0..0),
    ("  ", "empty formula", 0..2),
    ("(1+2", "unclosed `(`", 0..1),
    ("((1)", "unclosed `(`", 0..1),
    ("1+2)", "unmatched `)`", 3..4),
    ("SUM(1,2", "unclosed `(`", 3..4),
    ("SUM(", "unclosed `(`", 3..4),
    ("1+", "`+` has no right operand", 1..2),
    ("=1+", "`+` has no right operand", 1..2),
    ("1 <> ", "`<>` has no right operand", 2..4),
    ("SUM(1*)", "`*` has no right operand", 5..6),
    ("-", "`-` has no operand", 0..1),
    ("IF(1,-)", "`-` has no operand", 5..6),
    ("A1:", "`:` has no right operand", 2..3),
    ("SUM(A1: )", "`:` has no right operand", 6..7),
    ("1+?", "unexpected `?`", 2..3),
    ("1 2", "unexpected `2`", 2..3),
    ("SUM(1 2)", "unexpected `2`", 6..7),
    ("A1 1", "the intersection operator (a space) needs a reference on each side", 3..4),
    ("\"a\":B1", "the range operator `:` needs a reference on each side", 3..4),
    ("(1,2)", "the union operator `,` needs a reference on each side", 2..3),
    ("1#", "the spill operator `#` must follow a reference", 1..2),
    ("\"abc", "unclosed string", 0..4),
    ("=1+\"abc", "unclosed string", 2..6),
    ("[1]Sheet1!A1", "external references are not supported", 0..3),
    ("[0]Sheet1!A1", "external references are not supported", 0..3),
    ("[0]!Rate", "external references are not supported", 0..3),
    ("[1]Table1[Col]", "external references are not supported", 0..3),
    ("SUM([Book1.xlsx]Sheet1!A1)", "external references are not supported", 4..16),
    ("'[1]Sheet 1'!A1", "external references are not supported", 0..12),
    ("'C:\\dir\\[Book1.xlsx]Sheet1'!A1", "external references are not supported", 0..27),
    ("(A1,)", "expected a value before `)`", 4..5),
    ("SUM(1,(A1,))", "expected a value before `)`", 10..11),
    (",1", "expected a value before `,`", 0..1),
    ("#GETTING_DATA", "the error value `#GETTING_DATA` is not supported", 0..13),
    ("#FIELD!", "the error value `#FIELD!` is not supported", 0..7),
    ("#FOO!", "unknown error value `#FOO!`", 0..5),
    ("{1,2;3}", "the rows of an array constant must have the same number of values", 0..7),
    ("{1,A1}", "an array constant may hold only numbers, text, TRUE, FALSE and errors", 3..4),
    ("{1,,2}", "an array constant may hold only numbers, text, TRUE, FALSE and errors", 3..4),
    ("{1,2", "unclosed `{`", 0..1),
    ("()", "empty parentheses", 0..2),
    ("Table1[Col", "unclosed `[` in a structured reference", 6..10),
    ("'Sheet1!A1", "unclosed quoted sheet name", 0..10),
    ("'Sheet1'A1", "a quoted sheet name must be followed by `!`", 0..8),
    ("''!A1", "empty sheet name", 0..3),
    ("1e400", "number is too large", 0..5),
    ("{1,-1e400}", "number is too large", 4..9),
    ("Sheet1!", "expected a cell reference or a name after the sheet name", 7..7),
    ("Sheet1:Sheet2!Rate", "expected a cell reference or a name after the sheet name", 14..14),
    ("$", "invalid cell reference", 0..1),
    ("$A$", "invalid cell reference", 0..3),
    ("1+*2", "unexpected `*`", 2..3),
    ("SUM(1;2)", "unexpected `;`", 5..6),
];

#[test]
fn errors() {
    let mut failures = Vec::new();
    for (formula, message, span) in ERRORS {
        match parse(formula) {
            Ok(node) => failures.push(format!("{formula:?} parsed as {}", sexp(&node))),
            Err(error) if error.message != *message || error.span != *span => {
                failures.push(format!(
                    "{formula:?}: {:?} at {:?}, expected {message:?} at {span:?}",
                    error.message, error.span
                ))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The caret line sits under the span, on the line of the formula that holds it.
#[test]
fn error_display_has_caret_under_span() {
    let error = parse("SUM(1,2").unwrap_err();
    assert_eq!(error.to_string(), "unclosed `(`\n  |\n1 | SUM(1,2\n  |    ^");

    let error = parse("=1+\"abc").unwrap_err();
    assert_eq!(error.to_string(), "unclosed string\n  |\n1 | 1+\"abc\n  |   ^^^^");

    let error = parse("1+\n2+)").unwrap_err();
    assert_eq!(error.to_string(), "`+` has no right operand\n  |\n2 | 2+)\n  |  ^");

    let error = parse("\"é\"+").unwrap_err();
    assert_eq!(error.to_string(), "`+` has no right operand\n  |\n1 | \"é\"+\n  |    ^");

    let error = ParseError { message: "m".into(), span: 1..2, formula: "é".into() };
    assert_eq!(error.to_string(), "m\n  |\n1 | é\n  | ^");

    let error = parse("1+").unwrap_err();
    let as_error: &dyn std::error::Error = &error;
    assert!(as_error.to_string().starts_with("`+` has no right operand"));
}

/// Spans cover what each node was written as, without the leading `=`.
#[test]
fn spans() {
    let node = parse("=SUM(A1, Sheet1!B2:C3)*2").unwrap();
    assert_eq!(node.span, 0..23);
    let Expr::Binary(BinaryOp::Mul, call, two) = &node.expr else { panic!("{node:?}") };
    assert_eq!(call.span, 0..21);
    assert_eq!(two.span, 22..23);
    let Expr::Call { args, .. } = &call.expr else { panic!("{call:?}") };
    assert_eq!(args[0].span, 4..6);
    assert_eq!(args[1].span, 8..20);

    let node = parse("IF(A1, ,2)").unwrap();
    let Expr::Call { args, .. } = &node.expr else { panic!("{node:?}") };
    assert_eq!(args[1].expr, Expr::Missing);
    assert_eq!(args[1].span, 7..7);

    let node = parse("-(1+2)%").unwrap();
    assert_eq!(node.span, 0..7);
    let Expr::Unary(UnaryOp::Percent, neg) = &node.expr else { panic!("{node:?}") };
    assert_eq!(neg.span, 0..6);
    let Expr::Unary(UnaryOp::Neg, inner) = &neg.expr else { panic!("{neg:?}") };
    assert_eq!(inner.span, 1..6);

    let node = parse("{1,-2}").unwrap();
    let Expr::Array(rows) = &node.expr else { panic!("{node:?}") };
    assert_eq!(rows[0][1].span, 3..5);
    assert_eq!(rows[0][1].expr, Expr::Number(-2.0));
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}

/// Nesting up to `MAX_DEPTH` parses; one level more is refused.
#[test]
fn depth_limit() {
    for (open, close) in [("(", ")"), ("SUM(", ")"), ("-", ""), ("@", ""), ("", "%")] {
        let ok = nested(open, close, MAX_DEPTH);
        assert!(parse(&ok).is_ok(), "{open}...{close} at the limit");
        let error = parse(&nested(open, close, MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(error.message, "formula nested too deeply", "{open}...{close}");
    }

    // A spill operator on the deepest parenthesis goes one level too far.
    let spill = format!("{}A1{}#", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(parse(&spill).unwrap_err().message, "formula nested too deeply");

    // Parentheses and prefix operators add up.
    let mixed = format!("{}{}", "(-".repeat(MAX_DEPTH / 2 + 1), "1");
    assert_eq!(parse(&mixed).unwrap_err().message, "formula nested too deeply");
}

/// 100,000 levels of nesting fail fast, without exhausting the stack, both through
/// the length limit and through the depth limit alone.
#[test]
fn huge_nesting_fails_cleanly() {
    let start = std::time::Instant::now();
    for text in [nested("(", ")", 100_000), nested("-", "", 100_000)] {
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("more than the 8192 Excel allows"), "{}", error.message);
        let error = parse_text(&text).unwrap_err();
        assert_eq!(error.message, "formula nested too deeply");
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
}

/// Excel's limit is 8,192 characters, counted as characters, not bytes.
#[test]
fn length_limit() {
    // 4,096 additions is as long a chain as the limit allows: it also exercises the
    // recursion of the printer and of shift on a deep tree.
    let longest = format!("{}1", "1+".repeat(4095));
    assert_eq!(longest.len(), 8191);
    let node = parse(&longest).unwrap();
    let text = to_formula_text(&shift(&node, 1, 1));
    assert_eq!(text, longest);

    let exact = format!("\"{}\"", "é".repeat(8190));
    assert!(parse(&exact).is_ok());
    assert!(parse(&format!("={exact}")).is_ok());
    let error = parse(&format!("\"{}\"", "é".repeat(8191))).unwrap_err();
    assert_eq!(error.message, "formula is 8193 characters long, more than the 8192 Excel allows");
}

fn shifted(formula: &str, rows: i64, cols: i64) -> String {
    sexp(&shift(&parse(formula).unwrap(), rows, cols))
}

/// Relative parts move, `$` parts stay, and references leaving the grid become `#REF!`.
#[test]
fn shift_moves_relative_parts() {
    let cases: &[(&str, i64, i64, &str)] = &[
        ("A1", 1, 1, "B2"),
        ("$A$1", 5, 5, "$A$1"),
        ("A$1", 5, 5, "F$1"),
        ("$A1", 5, 5, "$A6"),
        ("A1:B2", 2, 0, "A3:B4"),
        ("$A$1:B2", 2, 1, "$A$1:C4"),
        ("C3", -2, -2, "A1"),
        ("A1", -1, 0, "#REF!"),
        ("A1", 0, -1, "#REF!"),
        ("XFD1", 0, 1, "#REF!"),
        ("A1048576", 1, 0, "#REF!"),
        ("A1:B2", -1, 0, "#REF!"),
        ("$A$1:B2", 0, 16_383, "#REF!"),
        ("A:A", 5, 1, "B:B"),
        ("$A:$A", 5, 1, "$A:$A"),
        ("A:$C", 0, 2, "C:$C"),
        ("1:1", 5, 1, "6:6"),
        ("$1:2", 5, 1, "$1:7"),
        ("XFD:XFD", 100, 1, "#REF!"),
        ("1048576:1048576", 1, 0, "#REF!"),
        ("A1", i64::MAX, 0, "#REF!"),
        ("SUM(A1,Sheet2!B$2)*C3", 1, 1, "(* (call SUM B2 Sheet2!C$2) D4)"),
        ("A1:INDEX(B:B,C1)", 1, 1, "(: B2 (call INDEX C:C D2))"),
        ("(A1,B2) C3#", 1, 0, "(isect (, A2 B3) (# C4))"),
        ("-A1%", 0, 1, "(% (neg B1))"),
        ("Rate+Table1[Col]+{1,2}", 3, 3, "(+ (+ name:Rate table:Table1[Col]) {1,2})"),
    ];
    for (formula, rows, cols, expected) in cases {
        assert_eq!(shifted(formula, *rows, *cols), *expected, "{formula} by ({rows}, {cols})");
    }
}

/// Shift keeps spans, so they still point into the master formula's text.
#[test]
fn shift_keeps_spans() {
    let node = parse("A1+B2").unwrap();
    let moved = shift(&node, 3, 0);
    assert_eq!(moved.span, node.span);
    let (Expr::Binary(_, a, b), Expr::Binary(_, c, d)) = (&node.expr, &moved.expr) else {
        panic!("{moved:?}")
    };
    assert_eq!((a.span.clone(), b.span.clone()), (c.span.clone(), d.span.clone()));
    let out = shift(&parse("A1").unwrap(), -1, 0);
    assert_eq!(out, Node { expr: Expr::Error(ExcelError::Ref), span: 0..2 });
}

/// Printing then parsing again gives the same tree for every table case.
#[test]
fn round_trip_table_cases() {
    let all = LITERALS.iter().chain(REFERENCES).chain(CALLS).chain(OPERATORS).chain(WHITESPACE);
    for (formula, _) in all {
        let Ok(node) = parse(formula) else { continue };
        let text = to_formula_text(&node);
        let again = parse(&text).unwrap_or_else(|e| panic!("{formula:?} printed as {text:?}: {e}"));
        assert_eq!(strip_spans(&again), strip_spans(&node), "{formula:?} printed as {text:?}");
    }
}

/// The printer writes Excel's canonical text: no spaces, minimal parentheses, quoted
/// sheet names only where needed.
#[test]
fn canonical_text() {
    let cases = [
        ("= 1 + 2 ", "1+2"),
        ("SUM( A1 , B1 )", "SUM(A1,B1)"),
        ("IF(A1,,2)", "IF(A1,,2)"),
        ("LAMBDA(x, x+1)(2)", "LAMBDA(x,x+1)(2)"),
        ("'My Sheet'!A1", "'My Sheet'!A1"),
        ("'It''s'!A1", "'It''s'!A1"),
        ("'A1'!B2", "'A1'!B2"),
        ("'R1C1'!B2", "'R1C1'!B2"),
        ("'R'!B2", "'R'!B2"),
        ("'2024'!B2", "'2024'!B2"),
        ("'Sheet1'!A1", "Sheet1!A1"),
        ("'Jan:Mar'!A1", "Jan:Mar!A1"),
        ("'Jan 1:Mar 1'!A1", "'Jan 1:Mar 1'!A1"),
        ("'My Sheet'!Rate", "'My Sheet'!Rate"),
        ("(1+2)*3", "(1+2)*3"),
        ("1+(2*3)", "1+2*3"),
        ("-(2^2)", "-(2^2)"),
        ("(-2)^2", "-2^2"),
        ("2^(3^2)", "2^(3^2)"),
        ("(2^3)^2", "2^3^2"),
        ("1-(2-3)", "1-(2-3)"),
        ("-(A1%)", "-(A1%)"),
        ("(A1:B2)#", "(A1:B2)#"),
        ("A1:(Sheet2!B1)", "A1:(Sheet2!B1)"),
        ("Rate:(Sheet2!Other)", "Rate:(Sheet2!Other)"),
        ("Sheet1!A1:Sheet1!B2", "Sheet1!A1:Sheet1!B2"),
        ("Sheet1!A1:B2:(Data!C3)", "Sheet1!A1:B2:(Data!C3)"),
        ("A1:B2:(Data!C3#)", "A1:B2:(Data!C3#)"),
        ("a :\na", "A:A"),
        ("C:CC:C: C:C", "C:CC:C:(C:C)"),
        ("C:C:C", "C:C:C"),
        ("A1:(B2:C3)", "A1:(B2:C3)"),
        ("(A1:B2):C3", "A1:B2:C3"),
        ("SUM((A1,B2,C3))", "SUM((A1,B2,C3))"),
        ("(A1,(B2,C3))", "(A1,(B2,C3))"),
        ("A1 (B1 C1)", "A1 (B1 C1)"),
        ("\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""),
        ("{1,-2;\"a\",#N/A}", "{1,-2;\"a\",#N/A}"),
        ("0.1+1E+21", "0.1+1000000000000000000000"),
        ("$a$1:b$2", "$A$1:B$2"),
        ("XFD1048576", "XFD1048576"),
        ("aa:zz", "AA:ZZ"),
        ("true", "TRUE"),
        ("#n/a", "#N/A"),
    ];
    for (formula, expected) in cases {
        assert_eq!(to_formula_text(&parse(formula).unwrap()), expected, "{formula:?}");
    }
}

/// A shifted master formula prints as the copy Excel shows in the other cell.
#[test]
fn shifted_formula_text() {
    let master = parse("SUM($A$1:A1)+B1*Sheet2!C$1").unwrap();
    assert_eq!(to_formula_text(&shift(&master, 4, 0)), "SUM($A$1:A5)+B5*Sheet2!C$1");
    assert_eq!(to_formula_text(&shift(&master, 0, 2)), "SUM($A$1:C1)+D1*Sheet2!E$1");
    assert_eq!(to_formula_text(&shift(&parse("A2-A1").unwrap(), -1, 0)), "A1-#REF!");
}

/// A realistic mix parses quickly; the limit is loose because the test runs unoptimised
/// on a shared machine.
#[test]
fn many_formulas_parse_quickly() {
    let formulas = [
        "IF(AND($B2>0,C2<>\"\"),VLOOKUP(C2,Rates!$A$1:$D$500,3,FALSE)*$B2,0)",
        "SUMPRODUCT((Log!$A$2:$A$1000=A2)*(Log!$C$2:$C$1000))",
        "_xlfn.IFS(D2>=1.5,\"win\",D2<=-1.5,\"loss\",TRUE,\"push\")",
        "ROUND(-E2^2/2+F2%*G2,2)&\" units\"",
        "INDEX(Table1[[#This Row],[Stake]],1)*(1+Odds)",
    ];
    let start = std::time::Instant::now();
    for i in 0..20_000 {
        assert!(parse(formulas[i % formulas.len()]).is_ok());
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
}

/// Column letters map to indices `A` = 0 to `XFD` = 16,383; anything past is no column.
#[test]
fn column_letters() {
    use super::lexer::column_index;
    let cases = [("A", Some(0)), ("z", Some(25)), ("AA", Some(26)), ("AZ", Some(51))];
    for (letters, index) in cases {
        assert_eq!(column_index(letters), index, "{letters}");
    }
    assert_eq!(column_index("XFD"), Some(16_383));
    assert_eq!(column_index("XFE"), None);
    assert_eq!(column_index("AAAA"), None);
    assert_eq!(column_index(""), None);
}

/// An operation at the root tells whether it was written in parentheses,
/// also in a shared formula's copies (Excel corrects a result close to zero
/// only in `=0.5-0.4-0.1`, not in `=(0.5-0.4-0.1)`).
#[test]
fn parentheses_around_the_root_operation_are_seen() {
    let bare = ["0.5-0.4-0.1", " 0.5 - 0.4 - 0.1 ", "(0.5-0.4)-0.1", "A1-(B1-C1)", "-(A1)+B1"];
    for formula in bare {
        assert!(parse(formula).unwrap().is_bare_binary(), "{formula}");
    }
    let wrapped = ["(0.5-0.4-0.1)", " ( A1-B1 ) ", "((A1)-B1)", "-(A1-B1)", "SUM(A1-B1)", "A1"];
    for formula in wrapped {
        assert!(!parse(formula).unwrap().is_bare_binary(), "{formula}");
    }
    let node = parse("A1-B1").unwrap();
    assert!(shift(&node, 3, 1).is_bare_binary());
    assert!(!shift(&parse("(A1-B1)").unwrap(), 3, 1).is_bare_binary());
}
