//! Tests of the dynamic-array functions, with the examples of Microsoft's
//! function documentation and values Excel cached in the corpus workbooks.

use std::sync::Arc;

use super::DynamicFn;
use crate::functions::{call, Function};
use crate::reference::{Operand, RangeRef, Reference};
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn t(s: &str) -> Value {
    Value::text(s)
}

fn na() -> Value {
    Value::Error(ExcelError::NA)
}

fn array(rows: usize, cols: usize, values: Vec<Value>) -> Value {
    Value::Array(Arc::new(Array::new(rows, cols, values).unwrap()))
}

fn numbers(rows: usize, cols: usize, values: &[f64]) -> Value {
    array(rows, cols, values.iter().map(|&x| n(x)).collect())
}

fn v(value: Value) -> Operand {
    Operand::Value(value)
}

fn eval(f: DynamicFn, args: Vec<Operand>) -> Value {
    let ctx = MapContext::new(&["Sheet1"]);
    call(Function::Dynamic(f), args, &ctx).to_value(&ctx)
}

/// Microsoft's 3x3 example array {1,2,3;4,5,6;7,8,9}.
fn nine() -> Operand {
    v(numbers(3, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]))
}

#[test]
fn sequence_fills_row_by_row_corpus_dynamic_arrays() {
    // DynamicArrays.xlsx: =SEQUENCE(10,2,5,2) caches A3=5, B3=7, A4=9, B12=43.
    let Value::Array(a) =
        eval(DynamicFn::Sequence, vec![v(n(10.0)), v(n(2.0)), v(n(5.0)), v(n(2.0))])
    else {
        panic!("SEQUENCE gives an array");
    };
    assert_eq!((a.rows(), a.cols()), (10, 2));
    assert_eq!(a.get(0, 1), Some(&n(7.0)));
    assert_eq!(a.get(1, 0), Some(&n(9.0)));
    assert_eq!(a.get(9, 1), Some(&n(43.0)));
}

#[test]
fn sequence_sizes_corpus_sequence_xlsx() {
    // SEQUENCE.xlsx: SEQUENCE(-1) and SEQUENCE(0.3) are #VALUE!, SEQUENCE("5") starts at 1.
    assert_eq!(eval(DynamicFn::Sequence, vec![v(n(-1.0))]), Value::Error(ExcelError::Value));
    assert_eq!(eval(DynamicFn::Sequence, vec![v(n(1.0))]), n(1.0));
    let first = eval(DynamicFn::Sequence, vec![v(t("5"))]);
    assert_eq!(first, numbers(5, 1, &[1.0, 2.0, 3.0, 4.0, 5.0]));
    // SEQUENCE(3,,10) caches 10, 11, 12 down a column.
    let col = eval(DynamicFn::Sequence, vec![v(n(3.0)), Operand::Value(Value::Empty), v(n(10.0))]);
    assert_eq!(col, numbers(3, 1, &[10.0, 11.0, 12.0]));
}

#[test]
fn take_and_drop_doc_examples() {
    // TAKE(Data,2) keeps the first two rows, TAKE(Data,,3) all three columns,
    // TAKE(Data,-2) the last two rows, TAKE(Data,2,-2) the last two columns of
    // the first two rows (Microsoft's TAKE page).
    assert_eq!(
        eval(DynamicFn::Take, vec![nine(), v(n(2.0))]),
        numbers(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    );
    assert_eq!(
        eval(DynamicFn::Take, vec![nine(), v(n(-2.0))]),
        numbers(2, 3, &[4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    );
    assert_eq!(
        eval(DynamicFn::Take, vec![nine(), v(n(2.0)), v(n(-2.0))]),
        numbers(2, 2, &[2.0, 3.0, 5.0, 6.0])
    );
    // DROP(Data,2,2) leaves 9; DROP(Data,-2) the first row (Microsoft's DROP page).
    assert_eq!(eval(DynamicFn::Drop, vec![nine(), v(n(2.0)), v(n(2.0))]), n(9.0));
    assert_eq!(eval(DynamicFn::Drop, vec![nine(), v(n(-2.0))]), numbers(1, 3, &[1.0, 2.0, 3.0]));
    // Taking none or dropping all is #CALC!.
    assert_eq!(eval(DynamicFn::Take, vec![nine(), v(n(0.0))]), Value::Error(ExcelError::Calc));
    assert_eq!(eval(DynamicFn::Drop, vec![nine(), v(n(3.0))]), Value::Error(ExcelError::Calc));
}

#[test]
fn choosecols_counts_from_either_end() {
    // CHOOSECOLS(A1:E6,-1,-2,3) caches 5 first (CHOOSECOLS_CHOOSEROWS.xlsx);
    // here on the 3x3 example: columns 3, 2, 3.
    let picked = eval(DynamicFn::ChooseCols, vec![nine(), v(n(-1.0)), v(n(-2.0)), v(n(3.0))]);
    assert_eq!(picked, numbers(3, 3, &[3.0, 2.0, 3.0, 6.0, 5.0, 6.0, 9.0, 8.0, 9.0]));
    let rows = eval(DynamicFn::ChooseRows, vec![nine(), v(n(1.0)), v(n(3.0))]);
    assert_eq!(rows, numbers(2, 3, &[1.0, 2.0, 3.0, 7.0, 8.0, 9.0]));
    assert_eq!(
        eval(DynamicFn::ChooseCols, vec![nine(), v(n(4.0))]),
        Value::Error(ExcelError::Value)
    );
    assert_eq!(
        eval(DynamicFn::ChooseRows, vec![nine(), v(n(0.0))]),
        Value::Error(ExcelError::Value)
    );
}

#[test]
fn stacks_pad_with_na() {
    // Microsoft's HSTACK page: arrays of different heights are padded with #N/A.
    let stacked =
        eval(DynamicFn::HStack, vec![v(numbers(1, 2, &[1.0, 2.0])), v(numbers(2, 1, &[3.0, 4.0]))]);
    assert_eq!(stacked, array(2, 3, vec![n(1.0), n(2.0), n(3.0), na(), na(), n(4.0)]));
    let stacked = eval(DynamicFn::VStack, vec![v(numbers(1, 2, &[1.0, 2.0])), v(n(3.0))]);
    assert_eq!(stacked, array(2, 2, vec![n(1.0), n(2.0), n(3.0), na()]));
}

#[test]
fn tocol_skips_blanks_and_errors() {
    let grid = v(array(2, 2, vec![n(1.0), Value::Empty, na(), n(4.0)]));
    assert_eq!(eval(DynamicFn::ToCol, vec![grid.clone(), v(n(3.0))]), numbers(2, 1, &[1.0, 4.0]));
    let by_column = eval(DynamicFn::ToRow, vec![grid.clone(), v(n(1.0)), v(Value::Bool(true))]);
    assert_eq!(by_column, array(1, 3, vec![n(1.0), na(), n(4.0)]));
    assert_eq!(eval(DynamicFn::ToCol, vec![grid, v(n(4.0))]), Value::Error(ExcelError::Value));
}

#[test]
fn wrap_pads_the_last_line() {
    // Microsoft's WRAPROWS page: WRAPROWS(A2:G2,3) pads the last row with #N/A.
    let items = v(numbers(1, 5, &[1.0, 2.0, 3.0, 4.0, 5.0]));
    let rows = eval(DynamicFn::WrapRows, vec![items.clone(), v(n(2.0))]);
    assert_eq!(rows, array(3, 2, vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0), na()]));
    let cols = eval(DynamicFn::WrapCols, vec![items.clone(), v(n(2.0)), v(t("x"))]);
    assert_eq!(cols, array(2, 3, vec![n(1.0), n(3.0), n(5.0), n(2.0), n(4.0), t("x")]));
    assert_eq!(eval(DynamicFn::WrapCols, vec![items, v(n(0.0))]), Value::Error(ExcelError::Num));
    // WRAPCOLS(IF(1=0,{1,2,3}),2) caches FALSE in one cell (WRAPCOLS_ROWS.xlsx).
    assert_eq!(
        eval(DynamicFn::WrapCols, vec![v(Value::Bool(false)), v(n(2.0))]),
        Value::Bool(false)
    );
}

#[test]
fn expand_grows_with_padding() {
    let grown = eval(
        DynamicFn::Expand,
        vec![v(numbers(1, 2, &[1.0, 2.0])), v(n(2.0)), v(n(3.0)), v(t("-"))],
    );
    assert_eq!(grown, array(2, 3, vec![n(1.0), n(2.0), t("-"), t("-"), t("-"), t("-")]));
    let smaller = eval(DynamicFn::Expand, vec![nine(), v(n(2.0))]);
    assert_eq!(smaller, Value::Error(ExcelError::Value));
}

#[test]
fn sort_orders_numbers_text_errors_then_blanks_corpus_sort_xlsx() {
    // SORT.xlsx: ascending gives numbers, text (case-insensitive, stable),
    // errors by type, blanks last; descending reverses all but the blanks.
    let source = array(
        6,
        1,
        vec![t("Hola"), Value::Empty, na(), n(5.0), Value::Error(ExcelError::Div0), t("AAAA")],
    );
    let up = eval(DynamicFn::Sort, vec![v(source.clone())]);
    let expected =
        vec![n(5.0), t("AAAA"), t("Hola"), Value::Error(ExcelError::Div0), na(), Value::Empty];
    assert_eq!(up, array(6, 1, expected));
    let down = eval(DynamicFn::Sort, vec![v(source), v(n(1.0)), v(n(-1.0))]);
    let expected =
        vec![na(), Value::Error(ExcelError::Div0), t("Hola"), t("AAAA"), n(5.0), Value::Empty];
    assert_eq!(down, array(6, 1, expected));
}

#[test]
fn sortby_and_sort_by_column() {
    // Microsoft's SORTBY page: names sorted by ages.
    let names = v(array(3, 1, vec![t("Tom"), t("Fred"), t("Amy")]));
    let ages = v(numbers(3, 1, &[52.0, 65.0, 22.0]));
    assert_eq!(
        eval(DynamicFn::SortBy, vec![names, ages]),
        array(3, 1, vec![t("Amy"), t("Tom"), t("Fred")])
    );
    // SORT(array,2,1,TRUE) sorts the columns by the second row.
    let wide = v(numbers(2, 3, &[1.0, 2.0, 3.0, 30.0, 10.0, 20.0]));
    let sorted = eval(DynamicFn::Sort, vec![wide, v(n(2.0)), v(n(1.0)), v(Value::Bool(true))]);
    assert_eq!(sorted, numbers(2, 3, &[2.0, 3.0, 1.0, 10.0, 20.0, 30.0]));
    assert_eq!(eval(DynamicFn::Sort, vec![nine(), v(n(4.0))]), Value::Error(ExcelError::Value));
}

#[test]
fn unique_ignores_case_and_keeps_first_appearance() {
    // MATCH_LOOKUP_arrays.xlsx: MATCH("banana",UNIQUE({"apple";"banana";"apple";"cherry"}),0) is 2.
    let fruit = v(array(4, 1, vec![t("apple"), t("banana"), t("Apple"), t("cherry")]));
    let distinct = eval(DynamicFn::Unique, vec![fruit.clone()]);
    assert_eq!(distinct, array(3, 1, vec![t("apple"), t("banana"), t("cherry")]));
    let once = eval(DynamicFn::Unique, vec![fruit, v(Value::Bool(false)), v(Value::Bool(true))]);
    assert_eq!(once, array(2, 1, vec![t("banana"), t("cherry")]));
}

#[test]
fn filter_rows_and_empty_result() {
    // MATCH_LOOKUP_arrays.xlsx: FILTER({10;20;30;40},{10;20;30;40}>25) holds 30 and 40.
    let values = v(numbers(4, 1, &[10.0, 20.0, 30.0, 40.0]));
    let keep = v(array(
        4,
        1,
        vec![Value::Bool(false), Value::Bool(false), Value::Bool(true), Value::Bool(true)],
    ));
    assert_eq!(eval(DynamicFn::Filter, vec![values.clone(), keep]), numbers(2, 1, &[30.0, 40.0]));
    let none = v(numbers(4, 1, &[0.0, 0.0, 0.0, 0.0]));
    assert_eq!(
        eval(DynamicFn::Filter, vec![values.clone(), none.clone()]),
        Value::Error(ExcelError::Calc)
    );
    assert_eq!(eval(DynamicFn::Filter, vec![values.clone(), none, v(t("none"))]), t("none"));
    // An include of text is #VALUE! (FILTER_ERRORS.xlsx, J1).
    let text = v(array(4, 1, vec![t("yes"), n(1.0), n(1.0), n(1.0)]));
    assert_eq!(eval(DynamicFn::Filter, vec![values, text]), Value::Error(ExcelError::Value));
}

#[test]
fn trimrange_cuts_empty_edges_corpus_trimrange_xlsx() {
    // TRIMRANGE.xlsx: values in A3, B3, A4, B5, A7, B9 of A3:C22 trim to A3:B9.
    let mut ctx = MapContext::new(&["Sheet1"]);
    for (row, col) in [(2, 0), (2, 1), (3, 0), (4, 1), (6, 0), (8, 1)] {
        ctx.set(0, row, col, n(1.0));
    }
    let range = RangeRef { sheet: 0, first_row: 2, first_col: 0, last_row: 21, last_col: 2 };
    let args = vec![Operand::Ref(Reference::Range(range))];
    let trimmed = call(Function::Dynamic(DynamicFn::TrimRange), args, &ctx);
    let expected = RangeRef { sheet: 0, first_row: 2, first_col: 0, last_row: 8, last_col: 1 };
    assert_eq!(trimmed, Operand::Ref(Reference::Range(expected)));
}
