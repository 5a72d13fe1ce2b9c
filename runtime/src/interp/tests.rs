//! Tests of the interpreter's array formulas and local names, on programs
//! written directly in IR. Expected values follow Microsoft's documentation
//! of array formulas ("Guidelines and examples of array formulas") and of
//! `LET`, `REDUCE` and `MAKEARRAY`.

use std::sync::Arc;

use super::Interpreter;
use crate::functions::Function;
use crate::ir::{Expr, FormulaCell, InputLayout, OutputLayout, Program, SheetInfo};
use crate::ops::BinaryOp;
use crate::reference::{CellAddr, RangeRef};
use crate::value::{Array, ExcelError, Value};

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn at(row: u32, col: u32) -> CellAddr {
    CellAddr::new(0, row, col)
}

fn cell(addr: CellAddr, expr: Expr) -> FormulaCell {
    FormulaCell { addr, expr, source: String::new() }
}

/// A one-sheet program with A1 = 1, A2 empty, A3 = 3 and the given formulas.
fn program(formulas: Vec<FormulaCell>) -> Arc<Program> {
    Arc::new(Program {
        sheets: vec![SheetInfo { name: "Sheet1".to_string(), used_rows: 10, used_cols: 10 }],
        date_1904: false,
        date_order: crate::ir::DateOrder::MonthFirst,
        input: InputLayout { sheet: 0, columns: Vec::new(), derived: Vec::new(), capacity: 0 },
        output: OutputLayout { sheet: 0, columns: Vec::new(), rows: Vec::new() },
        constants: vec![(at(0, 0), n(1.0)), (at(2, 0), n(3.0))],
        formulas,
        blocks: Vec::new(),
        names: Vec::new(),
        sources: Vec::new(),
        hidden_rows: Vec::new(),
        iteration: None,
        growing_spills: Vec::new(),
    })
}

/// The values of the formulas, as their cells show them.
fn shown(formulas: Vec<FormulaCell>) -> Vec<Value> {
    let values = Interpreter::new(program(formulas)).evaluate_all(&[]).unwrap();
    values.iter().map(|v| v.first().clone()).collect()
}

fn a1_a3() -> Expr {
    Expr::Range(RangeRef { sheet: 0, first_row: 0, first_col: 0, last_row: 2, last_col: 0 })
}

#[test]
fn array_formula_fills_its_range() {
    // {=A1:A3} entered in C1:D4: a one-column result repeats across the
    // columns, rows past its end show #N/A, and the empty A2 shows 0.
    let anchor = at(0, 2);
    let mut formulas = vec![cell(anchor, Expr::ArrayFormula(Box::new(a1_a3())))];
    for (row, col) in [(1, 0), (2, 0), (3, 0), (0, 1), (2, 1), (3, 1)] {
        formulas
            .push(cell(at(row, 2 + col), Expr::ArrayElement { anchor, row, col, spill: false }));
    }
    let na = Value::Error(ExcelError::NA);
    assert_eq!(shown(formulas), vec![n(1.0), n(0.0), n(3.0), na.clone(), n(1.0), n(3.0), na]);
}

#[test]
fn one_cell_array_formula_shows_the_top_left_element() {
    // {=A1:A3} entered in B2 shows A1, not A2 as implicit intersection would.
    let formulas = vec![cell(at(1, 1), Expr::ArrayFormula(Box::new(a1_a3())))];
    assert_eq!(shown(formulas), vec![n(1.0)]);
}

#[test]
fn a_single_value_fills_the_whole_range() {
    let anchor = at(0, 4);
    let formulas = vec![
        cell(anchor, Expr::ArrayFormula(Box::new(Expr::Value(n(7.0))))),
        cell(at(1, 5), Expr::ArrayElement { anchor, row: 1, col: 1, spill: false }),
    ];
    assert_eq!(shown(formulas), vec![n(7.0), n(7.0)]);
}

#[test]
fn other_cells_read_the_array_formula_cell_as_one_value() {
    // =C1*10 reads the value C1 shows, the array's top-left element.
    let anchor = at(0, 2);
    let formulas = vec![
        cell(anchor, Expr::ArrayFormula(Box::new(a1_a3()))),
        cell(
            at(5, 5),
            Expr::Binary(
                BinaryOp::Mul,
                Box::new(Expr::Cell(anchor)),
                Box::new(Expr::Value(n(10.0))),
            ),
        ),
    ];
    assert_eq!(shown(formulas), vec![n(1.0), n(10.0)]);
}

#[test]
fn let_binds_once_and_nests() {
    // LET.xlsx: =2+LET(x,8,LET(x,2,x+x)*x) is 34 (the inner x shadows).
    let inner = Expr::Let(
        Box::new(Expr::Value(n(2.0))),
        Box::new(Expr::Binary(BinaryOp::Add, Box::new(Expr::Local(1)), Box::new(Expr::Local(1)))),
    );
    let outer = Expr::Let(
        Box::new(Expr::Value(n(8.0))),
        Box::new(Expr::Binary(BinaryOp::Mul, Box::new(inner), Box::new(Expr::Local(0)))),
    );
    let formula = Expr::Binary(BinaryOp::Add, Box::new(Expr::Value(n(2.0))), Box::new(outer));
    assert_eq!(shown(vec![cell(at(5, 0), formula)]), vec![n(34.0)]);
}

fn helper(name: &str) -> Function {
    Function::from_name(name).unwrap()
}

#[test]
fn reduce_and_makearray_apply_their_lambda() {
    // REDUCE(0,{1,2,3},LAMBDA(a,b,a+b)) is 6; MAKEARRAY(2,3,LAMBDA(r,c,r*c))
    // is {1,2,3;2,4,6} (MAKEARRAY.xlsx caches r*c in every cell).
    let add = Expr::Binary(BinaryOp::Add, Box::new(Expr::Local(0)), Box::new(Expr::Local(1)));
    let items = Array::new(1, 3, vec![n(1.0), n(2.0), n(3.0)]).unwrap();
    let reduce = Expr::Call(
        helper("REDUCE"),
        vec![
            Expr::Value(n(0.0)),
            Expr::Value(Value::Array(Arc::new(items))),
            Expr::Lambda { params: 2, body: Box::new(add) },
        ],
    );
    let product = Expr::Binary(BinaryOp::Mul, Box::new(Expr::Local(0)), Box::new(Expr::Local(1)));
    let make = Expr::Call(
        helper("MAKEARRAY"),
        vec![
            Expr::Value(n(2.0)),
            Expr::Value(n(3.0)),
            Expr::Lambda { params: 2, body: Box::new(product) },
        ],
    );
    let anchor = at(6, 0);
    let formulas = vec![
        cell(at(5, 0), reduce),
        cell(anchor, Expr::ArrayFormula(Box::new(make))),
        cell(at(7, 2), Expr::ArrayElement { anchor, row: 1, col: 2, spill: true }),
    ];
    assert_eq!(shown(formulas), vec![n(6.0), n(1.0), n(6.0)]);
}

#[test]
fn a_lambda_that_is_not_called_is_calc() {
    let lambda = Expr::Lambda { params: 1, body: Box::new(Expr::Local(0)) };
    assert_eq!(shown(vec![cell(at(5, 0), lambda)]), vec![Value::Error(ExcelError::Calc)]);
}

#[test]
fn a_dynamic_array_leaves_cells_past_its_result_empty() {
    // A spill range recorded larger than the result: Excel spills only the
    // result, so the other cells are empty rather than #N/A, and a
    // one-column result does not repeat across columns.
    let anchor = at(0, 2);
    let mut formulas = vec![cell(anchor, Expr::ArrayFormula(Box::new(a1_a3())))];
    for (row, col) in [(2, 0), (3, 0), (0, 1)] {
        formulas.push(cell(at(row, 2 + col), Expr::ArrayElement { anchor, row, col, spill: true }));
    }
    assert_eq!(shown(formulas), vec![n(1.0), n(3.0), Value::Empty, Value::Empty]);
}
