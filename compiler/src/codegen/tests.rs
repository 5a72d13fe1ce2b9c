//! Unit tests of the generator on programs built by hand.

use runtime::functions::Function;
use runtime::ir::{
    Block, DateOrder, Expr, FormulaCell, HiddenRow, InputColumn, InputLayout, OutputColumn,
    OutputLayout, Program, SheetInfo,
};
use runtime::ops::BinaryOp;
use runtime::reference::{CellAddr, RangeRef};
use runtime::value::Value;

use super::generate;

fn sheet(name: &str) -> SheetInfo {
    SheetInfo { name: name.to_string(), used_rows: 10, used_cols: 5 }
}

/// `IN!B2:B4` = `A<row>*2` filled down, `IN!C1` = 10 a constant, and
/// `OUT!A2` = `SUM(IN!B2:B4)+IN!C1` (or `INDIRECT("IN!B2")` when `dynamic`).
fn program(dynamic: bool) -> Program {
    let doubled = |row: u32| FormulaCell {
        addr: CellAddr::new(0, row, 1),
        expr: Expr::Binary(
            BinaryOp::Mul,
            Box::new(Expr::Cell(CellAddr::new(0, row, 0))),
            Box::new(Expr::Value(Value::Number(2.0))),
        ),
        source: format!("A{}*2", row + 1),
    };
    let range = RangeRef { sheet: 0, first_row: 1, first_col: 1, last_row: 3, last_col: 1 };
    let sum = Expr::Call(Function::from_name("SUM").unwrap(), vec![Expr::Range(range)]);
    let total = match dynamic {
        false => {
            Expr::Binary(BinaryOp::Add, Box::new(sum), Box::new(Expr::Cell(CellAddr::new(0, 0, 2))))
        }
        true => Expr::Call(
            Function::from_name("INDIRECT").unwrap(),
            vec![Expr::Value(Value::text("IN!B2"))],
        ),
    };
    let out = FormulaCell { addr: CellAddr::new(1, 1, 0), expr: total, source: "total".into() };
    Program {
        sheets: vec![sheet("IN"), sheet("OUT")],
        date_1904: false,
        date_order: DateOrder::MonthFirst,
        input: InputLayout {
            sheet: 0,
            columns: vec![InputColumn { col: 0, header: "Goals".into(), validation: None }],
            derived: Vec::new(),
            capacity: 3,
        },
        output: OutputLayout {
            sheet: 1,
            columns: vec![OutputColumn { col: 0, key: "total".into() }],
            rows: vec![1],
        },
        constants: vec![(CellAddr::new(0, 0, 2), Value::Number(10.0))],
        formulas: vec![doubled(1), doubled(2), doubled(3), out],
        blocks: vec![Block::Column { start: 0, len: 3 }, Block::Single(3)],
        names: Vec::new(),
        sources: Vec::new(),
        hidden_rows: Vec::new(),
        iteration: None,
        growing_spills: Vec::new(),
    }
}

#[test]
fn a_filled_down_column_is_one_function_in_one_loop() {
    let generated = generate(&program(false), "1").unwrap();
    let code = &generated.lib_rs;
    assert_eq!(generated.stats.columns, 1, "{code}");
    assert_eq!(generated.stats.column_cells, 3);
    assert!(code.contains("for row in 0..3u32"), "{code}");
    // The input read moves with the row and is a direct index into the log.
    assert!(code.contains("f.input((1u32 + row), 0usize)"), "{code}");
    assert_eq!(code.matches("fn cell_").count(), 2, "{code}");
}

#[test]
fn the_date_order_is_part_of_the_static_program() {
    let code = generate(&program(false), "1").unwrap().lib_rs;
    assert!(code.contains("date_order: runtime::ir::DateOrder::MonthFirst"), "{code}");
    let mut day_first = program(false);
    day_first.date_order = DateOrder::DayFirst;
    let code = generate(&day_first, "1").unwrap().lib_rs;
    assert!(code.contains("date_order: runtime::ir::DateOrder::DayFirst"), "{code}");
}

#[test]
fn numbers_are_typed_and_constants_inlined() {
    let code = generate(&program(false), "1").unwrap().lib_rs;
    // `A2*2`: both operands as f64, multiplied without a tagged value.
    assert!(code.contains("(Ok(x), Ok(y)) => native::finite(x * y)"), "{code}");
    // `IN!C1` is the constant 10 itself, not a lookup, added as an f64 to
    // the sum of the column.
    assert!(code.contains("Ok::<f64, ExcelError>(10f64)"), "{code}");
    assert!(code.contains("(Ok(x), Ok(y)) => native::finite(x + y)"), "{code}");
}

#[test]
fn conditions_and_aggregates_of_log_columns_are_loops() {
    let mut program = program(false);
    let column = RangeRef { sheet: 0, first_row: 1, first_col: 0, last_row: 3, last_col: 0 };
    let greater = Expr::Binary(
        BinaryOp::Gt,
        Box::new(Expr::Cell(CellAddr::new(0, 0, 2))),
        Box::new(Expr::Value(Value::Number(1.0))),
    );
    let count = Expr::Call(
        Function::from_name("COUNTIF").unwrap(),
        vec![Expr::Range(column), Expr::Value(Value::text(">1"))],
    );
    program.formulas[3].expr = Expr::Call(
        Function::from_name("IF").unwrap(),
        vec![
            Expr::Call(Function::from_name("AND").unwrap(), vec![greater.clone(), greater]),
            count,
            Expr::Value(Value::Number(0.0)),
        ],
    );
    let code = generate(&program, "1").unwrap().lib_rs;
    // The comparisons are truth values, `AND` combines them in place and
    // `IF` tests the result: no library call, no tagged value between.
    assert!(code.contains("ops::compare_scalar("), "{code}");
    assert!(!code.contains("LogicalFn::And"), "{code}");
    // `COUNTIF` of a log column visits the entries there are, and counts
    // the rows past the log's end at once when an empty cell matches.
    assert!(code.contains("Criterion::parse"), "{code}");
    assert!(code.contains("f.entries()"), "{code}");
    assert!(code.contains("for r in 0..live"), "{code}");
    assert!(!code.contains("StatisticalFn::CountIf"), "{code}");
}

#[test]
fn indirect_goes_to_the_interpreter() {
    let generated = generate(&program(true), "1").unwrap();
    assert_eq!(generated.stats.interpreted, 1);
    assert!(generated.lib_rs.contains("f.interpret_here()"), "{}", generated.lib_rs);
}

/// `OUT!A2` = `SUBTOTAL(9,IN!B2:B4)`: compiled when no row is hidden, else
/// handed to the interpreter, whose context knows the hidden rows.
#[test]
fn subtotal_over_hidden_rows_goes_to_the_interpreter() {
    let mut p = program(false);
    let range = RangeRef { sheet: 0, first_row: 1, first_col: 1, last_row: 3, last_col: 1 };
    p.formulas[3].expr = Expr::Call(
        Function::from_name("SUBTOTAL").unwrap(),
        vec![Expr::Value(Value::Number(9.0)), Expr::Range(range)],
    );
    assert_eq!(generate(&p, "1").unwrap().stats.interpreted, 0);
    p.hidden_rows.push(HiddenRow { sheet: 0, row: 2, filtered: false });
    assert_eq!(generate(&p, "1").unwrap().stats.interpreted, 1);
}

/// `FORMULATEXT` of a computed reference reads the program's formulas,
/// which only the interpreter's context has.
#[test]
fn formula_text_of_a_computed_reference_goes_to_the_interpreter() {
    let mut p = program(false);
    let offset = Expr::Call(
        Function::from_name("OFFSET").unwrap(),
        vec![
            Expr::Cell(CellAddr::new(0, 0, 1)),
            Expr::Value(Value::Number(1.0)),
            Expr::Value(Value::Number(0.0)),
        ],
    );
    p.formulas[3].expr = Expr::Call(Function::from_name("FORMULATEXT").unwrap(), vec![offset]);
    assert_eq!(generate(&p, "1").unwrap().stats.interpreted, 1);
}

#[test]
fn the_same_program_gives_the_same_crate() {
    let first = generate(&program(false), "7").unwrap();
    let second = generate(&program(false), "7").unwrap();
    assert_eq!(first.lib_rs, second.lib_rs);
    assert_eq!(first.name, second.name);
    assert!(first.name.starts_with("sengine_native_7_"), "{}", first.name);
    assert_ne!(first.name, generate(&program(true), "7").unwrap().name);
}

#[test]
fn a_running_total_adds_one_row_to_the_row_above() {
    let mut program = program(false);
    for (i, cell) in program.formulas.iter_mut().take(3).enumerate() {
        let row = 1 + i as u32;
        let range = RangeRef { sheet: 0, first_row: 1, first_col: 0, last_row: row, last_col: 0 };
        cell.expr = Expr::Call(Function::from_name("SUM").unwrap(), vec![Expr::Range(range)]);
    }
    let code = generate(&program, "1").unwrap().lib_rs;
    assert!(code.contains("f.settled(0usize + row as usize - 1)"), "{code}");
    assert!(code.contains("Value::number(total + n)"), "{code}");
    // The first row and any row above that is not a number sum the range.
    assert!(code.contains("Function::Math(functions::math::MathFn::Sum)"), "{code}");
}
