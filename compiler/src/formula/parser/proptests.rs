//! Property tests: printing any tree the parser can produce and parsing the text again
//! gives the same tree, and shifting there and back is the identity inside the grid.

use proptest::prelude::*;
use runtime::value::ExcelError;

use super::tests::strip_spans;
use super::{parse, shift, to_formula_text};
use crate::formula::ast::{
    Area, BinaryOp, CellPos, Coord, Expr, Node, Reference, SheetPart, UnaryOp,
};

fn leaf(expr: Expr) -> Node {
    Node { expr, span: 0..0 }
}

fn unary(op: UnaryOp, operand: Node) -> Node {
    leaf(Expr::Unary(op, Box::new(operand)))
}

fn binary(op: BinaryOp, left: Node, right: Node) -> Node {
    leaf(Expr::Binary(op, Box::new(left), Box::new(right)))
}

fn coord(limit: u32) -> impl Strategy<Value = Coord> {
    // Mostly small indices, sometimes the last one, to reach `XFD` and row 1048576.
    let index = prop_oneof![4 => 0..limit.min(60), 1 => Just(limit - 1), 1 => 0..limit];
    (index, any::<bool>()).prop_map(|(index, absolute)| Coord { index, absolute })
}

fn cell_pos() -> impl Strategy<Value = CellPos> {
    (coord(1_048_576), coord(16_384)).prop_map(|(row, col)| CellPos { row, col })
}

fn area() -> impl Strategy<Value = Area> {
    prop_oneof![
        3 => cell_pos().prop_map(Area::Cell),
        2 => (cell_pos(), cell_pos()).prop_map(|(a, b)| Area::Range(a, b)),
        1 => (coord(1_048_576), coord(1_048_576)).prop_map(|(first, last)| Area::Rows { first, last }),
        1 => (coord(16_384), coord(16_384)).prop_map(|(first, last)| Area::Cols { first, last }),
    ]
}

const SHEETS: &[&str] =
    &["Sheet1", "My Sheet", "It's", "A1", "R1C1", "2024", "Data.v2", "Ставка", "TRUE", "x y'z"];

fn sheet_name() -> impl Strategy<Value = String> {
    prop::sample::select(SHEETS).prop_map(str::to_owned)
}

fn sheet() -> impl Strategy<Value = Option<SheetPart>> {
    prop_oneof![
        3 => Just(None),
        2 => sheet_name().prop_map(|name| Some(SheetPart::One(name))),
        1 => (sheet_name(), sheet_name()).prop_map(|(a, b)| Some(SheetPart::Span(a, b))),
    ]
}

const NAMES: &[&str] = &["Rate", "my.name", "_x", "\\b", "_xlpm.x", "A1048577", "XFE1", "Odds2"];

/// Leaves that can stand where a reference is needed.
fn ref_leaf() -> impl Strategy<Value = Node> {
    let name = prop::sample::select(NAMES).prop_map(str::to_owned);
    let one_sheet = prop_oneof![Just(None), sheet_name().prop_map(Some)];
    let specs = prop::sample::select(&["Col", "[#This Row],[Col]", "#All", "", "@Col"][..]);
    prop_oneof![
        4 => (sheet(), area()).prop_map(|(sheet, area)| leaf(Expr::Ref(Reference { sheet, area }))),
        2 => (one_sheet, name).prop_map(|(sheet, name)| leaf(Expr::Name { sheet, name })),
        1 => specs.prop_map(|spec| leaf(Expr::Table { table: "Table1".into(), spec: spec.into() })),
        1 => Just(leaf(Expr::Error(ExcelError::Ref))),
    ]
}

/// Array constant values, where numbers may be negative.
fn constant() -> impl Strategy<Value = Node> {
    prop_oneof![
        (-1000i32..1000).prop_map(|n| leaf(Expr::Number(f64::from(n) / 8.0))),
        "[a-z \"]{0,4}".prop_map(|t| leaf(Expr::Text(t))),
        any::<bool>().prop_map(|b| leaf(Expr::Bool(b))),
        prop::sample::select(&ExcelError::ALL[..]).prop_map(|e| leaf(Expr::Error(e))),
    ]
}

fn value_leaf() -> impl Strategy<Value = Node> {
    let number = prop_oneof![
        (0u32..100_000).prop_map(f64::from),
        (0u32..100_000).prop_map(|n| f64::from(n) / 1000.0),
        (0.0f64..1e30),
    ];
    let array = (1usize..3, 1usize..4).prop_flat_map(|(rows, cols)| {
        prop::collection::vec(prop::collection::vec(constant(), cols), rows)
            .prop_map(|rows| leaf(Expr::Array(rows)))
    });
    prop_oneof![
        3 => number.prop_map(|n| leaf(Expr::Number(n))),
        2 => "[a-z \"]{0,6}".prop_map(|t| leaf(Expr::Text(t))),
        1 => any::<bool>().prop_map(|b| leaf(Expr::Bool(b))),
        1 => prop::sample::select(&ExcelError::ALL[..]).prop_map(|e| leaf(Expr::Error(e))),
        1 => array,
        3 => ref_leaf(),
    ]
}

/// True when `left:right` would be read back as one merged area reference.
fn merges(left: &Node, right: &Node) -> bool {
    matches!(
        (&left.expr, &right.expr),
        (
            Expr::Ref(Reference { area: Area::Cell(_), .. }),
            Expr::Ref(Reference { sheet: None, area: Area::Cell(_) })
        )
    )
}

/// Trees of reference operators over reference-like leaves.
fn ref_tree() -> impl Strategy<Value = Node> {
    ref_leaf().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_filter("would merge", |(l, r)| !merges(l, r))
                .prop_map(|(l, r)| binary(BinaryOp::Range, l, r)),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| binary(BinaryOp::Intersect, l, r)),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| binary(BinaryOp::Union, l, r)),
            inner.clone().prop_map(|x| unary(UnaryOp::Spill, x)),
        ]
    })
}

const CALLS: &[&str] = &["SUM", "IF", "_xlfn.CONCAT", "LOG10", "TRUE", "_xlfn._xlws.SORT"];

const OPS: &[BinaryOp] = &[
    BinaryOp::Pow,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Concat,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
];

/// Any expression the parser can produce.
fn expr_tree() -> impl Strategy<Value = Node> {
    let leaves = prop_oneof![3 => value_leaf(), 1 => ref_tree()];
    leaves.prop_recursive(5, 48, 4, |inner| {
        let arg = prop_oneof![5 => inner.clone(), 1 => Just(leaf(Expr::Missing))];
        let args = prop::collection::vec(arg, 0..4)
            .prop_filter("a lone omitted argument prints as no argument", |args| {
                !(args.len() == 1 && args[0].expr == Expr::Missing)
            });
        let prefix = prop::sample::select(&[UnaryOp::Neg, UnaryOp::Plus, UnaryOp::At][..]);
        prop_oneof![
            (prop::sample::select(OPS), inner.clone(), inner.clone())
                .prop_map(|(op, l, r)| binary(op, l, r)),
            (prefix, inner.clone()).prop_map(|(op, x)| unary(op, x)),
            inner.clone().prop_map(|x| unary(UnaryOp::Percent, x)),
            (prop::sample::select(CALLS), args)
                .prop_map(|(name, args)| leaf(Expr::Call { name: name.to_owned(), args })),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Printing then parsing gives back the tree.
    #[test]
    fn print_then_parse_is_identity(node in expr_tree()) {
        let text = to_formula_text(&node);
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}\n{e}")))?;
        prop_assert_eq!(strip_spans(&parsed), node, "text: {}", text);
    }

    /// Shifting by an offset and back restores every reference that stayed in the grid.
    #[test]
    fn shift_there_and_back(node in ref_tree(), rows in -3i64..3, cols in -3i64..3) {
        let there = shift(&node, rows, cols);
        if !to_formula_text(&there).contains("#REF!") {
            prop_assert_eq!(shift(&there, -rows, -cols), node);
        }
    }
}
