//! Tests of the lookup and reference functions, with the examples of
//! Microsoft's function documentation.

use std::sync::Arc;

use super::reftext::parse_reference;
use super::LookupFn;
use crate::functions::{call, Function};
use crate::reference::{CellAddr, Operand, RangeRef, Reference};
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn t(s: &str) -> Value {
    Value::text(s)
}

fn v(value: Value) -> Operand {
    Operand::Value(value)
}

/// A reference on the first sheet from A1 text.
fn r(text: &str) -> Operand {
    let ctx = MapContext::new(&["Sheet1"]);
    Operand::Ref(parse_reference(text, true, CellAddr::new(0, 0, 0), &ctx).unwrap())
}

fn array(rows: usize, cols: usize, values: Vec<Value>) -> Value {
    Value::Array(Arc::new(Array::new(rows, cols, values).unwrap()))
}

fn run(ctx: &MapContext, f: LookupFn, args: Vec<Operand>) -> Operand {
    call(Function::Lookup(f), args, ctx)
}

fn eval(ctx: &MapContext, f: LookupFn, args: Vec<Operand>) -> Value {
    run(ctx, f, args).to_value(ctx)
}

/// Fills cells from A1-style text: `fill(ctx, "A2", rows)`.
fn fill(ctx: &mut MapContext, top_left: &str, rows: Vec<Vec<Value>>) {
    let Some(origin) = r(top_left).as_range().copied() else { panic!("bad cell") };
    for (i, row) in rows.into_iter().enumerate() {
        for (j, value) in row.into_iter().enumerate() {
            ctx.set(0, origin.first_row + i as u32, origin.first_col + j as u32, value);
        }
    }
}

const NA: Value = Value::Error(ExcelError::NA);
const REF: Value = Value::Error(ExcelError::Ref);
const VALUE: Value = Value::Error(ExcelError::Value);

/// The product table of MATCH's documentation, in A1:B5.
fn match_table() -> MapContext {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(
        &mut ctx,
        "A1",
        vec![
            vec![t("Product"), t("Count")],
            vec![t("Bananas"), n(25.0)],
            vec![t("Oranges"), n(38.0)],
            vec![t("Apples"), n(40.0)],
            vec![t("Pears"), n(41.0)],
        ],
    );
    ctx
}

#[test]
fn match_documented_examples() {
    let ctx = match_table();
    let m = |lookup: Value, kind: f64| {
        eval(&ctx, LookupFn::Match, vec![v(lookup), r("B2:B5"), v(n(kind))])
    };
    assert_eq!(m(n(39.0), 1.0), n(2.0));
    assert_eq!(m(n(41.0), 0.0), n(4.0));
    // The documentation's example of type -1 on ascending data: #N/A, as
    // the binary search probes 38 first and then 25, both below 40.
    assert_eq!(m(n(40.0), -1.0), NA);
    assert_eq!(m(n(24.0), 1.0), NA);
    assert_eq!(m(n(100.0), 1.0), n(4.0));
    let default = eval(&ctx, LookupFn::Match, vec![v(n(39.0)), r("B2:B5")]);
    assert_eq!(default, n(2.0));
}

#[test]
fn match_exact_text_and_wildcards() {
    let ctx = match_table();
    let m = |lookup: &str| eval(&ctx, LookupFn::Match, vec![v(t(lookup)), r("A2:A5"), v(n(0.0))]);
    assert_eq!(m("apples"), n(3.0));
    assert_eq!(m("P*"), n(4.0));
    assert_eq!(m("?ranges"), n(2.0));
    assert_eq!(m("Kiwis"), NA);
    // A number never equals text, and a blank lookup value finds nothing.
    let text_number = eval(&ctx, LookupFn::Match, vec![v(t("25")), r("B2:B5"), v(n(0.0))]);
    assert_eq!(text_number, NA);
    let blank = eval(&ctx, LookupFn::Match, vec![v(Value::Empty), r("C1:C5"), v(n(0.0))]);
    assert_eq!(blank, NA);
    // Two-dimensional ranges are #N/A; errors in the lookup value propagate.
    assert_eq!(eval(&ctx, LookupFn::Match, vec![v(n(25.0)), r("A1:B5"), v(n(0.0))]), NA);
    let error = eval(&ctx, LookupFn::Match, vec![v(Value::Error(ExcelError::Div0)), r("B2:B5")]);
    assert_eq!(error, Value::Error(ExcelError::Div0));
}

#[test]
fn match_approximate_is_a_binary_search() {
    let ctx = MapContext::new(&["Sheet1"]);
    let data = array(1, 5, vec![n(1.0), n(2.0), n(2.0), n(2.0), n(3.0)]);
    // Among equal values the binary search ends on the last one.
    assert_eq!(eval(&ctx, LookupFn::Match, vec![v(n(2.0)), v(data), v(n(1.0))]), n(4.0));
    // Unsorted {5, 1, 9, 2, 7} looking for 6: the first probe is index 2
    // (9 > 6, go left), then index 0 (5 <= 6, go right), then index 1
    // (1 <= 6): the answer is position 2 although 5 is the closer value.
    let unsorted = array(1, 5, vec![n(5.0), n(1.0), n(9.0), n(2.0), n(7.0)]);
    assert_eq!(eval(&ctx, LookupFn::Match, vec![v(n(6.0)), v(unsorted), v(n(1.0))]), n(2.0));
    // Text among numbers is stepped over.
    let mixed = array(1, 4, vec![n(1.0), t("x"), n(3.0), n(5.0)]);
    assert_eq!(eval(&ctx, LookupFn::Match, vec![v(n(4.0)), v(mixed), v(n(1.0))]), n(3.0));
    let descending = array(1, 4, vec![n(40.0), n(30.0), n(20.0), n(10.0)]);
    assert_eq!(eval(&ctx, LookupFn::Match, vec![v(n(25.0)), v(descending), v(n(-1.0))]), n(2.0));
}

/// The density table of VLOOKUP's documentation, in A1:C10.
fn density_table() -> MapContext {
    let rows = [
        (0.457, 3.55, 500.0),
        (0.525, 3.25, 400.0),
        (0.606, 2.93, 300.0),
        (0.675, 2.75, 250.0),
        (0.746, 2.57, 200.0),
        (0.835, 2.38, 150.0),
        (0.946, 2.17, 100.0),
        (1.09, 1.95, 50.0),
        (1.29, 1.71, 0.0),
    ];
    let mut ctx = MapContext::new(&["Sheet1"]);
    let mut cells = vec![vec![t("Density"), t("Viscosity"), t("Temperature")]];
    cells.extend(rows.iter().map(|(a, b, c)| vec![n(*a), n(*b), n(*c)]));
    fill(&mut ctx, "A1", cells);
    ctx
}

#[test]
fn vlookup_documented_examples() {
    let ctx = density_table();
    let lookup = |value: f64, col: f64, range: Option<bool>| {
        let mut args = vec![v(n(value)), r("A2:C10"), v(n(col))];
        args.extend(range.map(|b| v(Value::Bool(b))));
        eval(&ctx, LookupFn::VLookup, args)
    };
    assert_eq!(lookup(1.0, 2.0, None), n(2.17));
    assert_eq!(lookup(1.0, 3.0, Some(true)), n(100.0));
    assert_eq!(lookup(0.7, 3.0, Some(false)), NA);
    assert_eq!(lookup(0.1, 2.0, Some(true)), NA);
    assert_eq!(lookup(2.0, 2.0, Some(true)), n(1.71));
    assert_eq!(lookup(0.746, 3.0, Some(false)), n(200.0));
    assert_eq!(lookup(1.0, 0.0, None), VALUE);
    assert_eq!(lookup(1.0, 4.0, None), REF);
}

#[test]
fn vlookup_exact_text_with_wildcards() {
    let ctx = match_table();
    let lookup = |value: &str| {
        eval(
            &ctx,
            LookupFn::VLookup,
            vec![v(t(value)), r("A2:B5"), v(n(2.0)), v(Value::Bool(false))],
        )
    };
    assert_eq!(lookup("PEARS"), n(41.0));
    assert_eq!(lookup("Ban*"), n(25.0));
    assert_eq!(lookup("Figs"), NA);
}

#[test]
fn hlookup_documented_examples() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(
        &mut ctx,
        "A1",
        vec![
            vec![t("Axles"), t("Bearings"), t("Bolts")],
            vec![n(4.0), n(4.0), n(9.0)],
            vec![n(5.0), n(7.0), n(10.0)],
            vec![n(6.0), n(8.0), n(11.0)],
        ],
    );
    let lookup = |value: &str, row: f64, range: Option<bool>| {
        let mut args = vec![v(t(value)), r("A1:C4"), v(n(row))];
        args.extend(range.map(|b| v(Value::Bool(b))));
        eval(&ctx, LookupFn::HLookup, args)
    };
    assert_eq!(lookup("Axles", 2.0, Some(true)), n(4.0));
    assert_eq!(lookup("Bearings", 3.0, Some(false)), n(7.0));
    assert_eq!(lookup("B", 3.0, Some(true)), n(5.0));
    assert_eq!(lookup("Bolts", 4.0, None), n(11.0));
    let constant =
        array(3, 3, vec![n(1.0), n(2.0), n(3.0), t("a"), t("b"), t("c"), t("d"), t("e"), t("f")]);
    let args = vec![v(n(3.0)), v(constant), v(n(2.0)), v(Value::Bool(true))];
    assert_eq!(eval(&ctx, LookupFn::HLookup, args), t("c"));
}

#[test]
fn lookup_documented_examples() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let frequencies = [4.14, 4.19, 5.17, 5.77, 6.39];
    let colors = ["red", "orange", "yellow", "green", "blue"];
    let rows = frequencies.iter().zip(colors).map(|(f, c)| vec![n(*f), t(c)]).collect();
    fill(&mut ctx, "A2", rows);
    let lookup =
        |value: f64| eval(&ctx, LookupFn::Lookup, vec![v(n(value)), r("A2:A6"), r("B2:B6")]);
    assert_eq!(lookup(4.19), t("orange"));
    assert_eq!(lookup(5.75), t("yellow"));
    assert_eq!(lookup(7.66), t("blue"));
    assert_eq!(lookup(0.0), NA);
    // A result range shorter than the lookup vector is read past its end.
    let short = vec![v(n(5.17)), r("A2:A6"), r("B2:B3")];
    assert_eq!(eval(&ctx, LookupFn::Lookup, short), t("yellow"));
    let wide = array(2, 4, vec![t("a"), t("b"), t("c"), t("d"), n(1.0), n(2.0), n(3.0), n(4.0)]);
    assert_eq!(eval(&ctx, LookupFn::Lookup, vec![v(t("C")), v(wide)]), n(3.0));
    let tall = array(3, 2, vec![t("a"), n(1.0), t("b"), n(2.0), t("c"), n(3.0)]);
    assert_eq!(eval(&ctx, LookupFn::Lookup, vec![v(t("bump")), v(tall)]), n(2.0));
}

/// A price list in A1:C5: item, price, stock.
fn price_list() -> MapContext {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(
        &mut ctx,
        "A1",
        vec![
            vec![t("Apple"), n(10.0), n(5.0)],
            vec![t("Banana"), n(20.0), n(0.0)],
            vec![t("Cherry"), n(30.0), n(7.0)],
            vec![t("Banana"), n(40.0), n(2.0)],
            vec![t("Date"), n(50.0), n(1.0)],
        ],
    );
    ctx
}

#[test]
fn xlookup_modes() {
    let ctx = price_list();
    let x = |value: Value, extra: Vec<Value>| {
        let mut args = vec![v(value), r("A1:A5"), r("B1:B5")];
        args.extend(extra.into_iter().map(v));
        eval(&ctx, LookupFn::XLookup, args)
    };
    assert_eq!(x(t("banana"), vec![]), n(20.0));
    assert_eq!(x(t("Banana"), vec![Value::Empty, n(0.0), n(-1.0)]), n(40.0));
    assert_eq!(x(t("Fig"), vec![]), NA);
    assert_eq!(x(t("Fig"), vec![t("missing")]), t("missing"));
    assert_eq!(x(t("B*"), vec![Value::Empty, n(0.0)]), NA);
    assert_eq!(x(t("B*"), vec![Value::Empty, n(2.0)]), n(20.0));
    assert_eq!(x(t("C*"), vec![Value::Empty, n(2.0), n(-1.0)]), n(30.0));
    // Mode 3 reads the lookup value as a regular expression; there is no mode 4.
    assert_eq!(x(t("x"), vec![Value::Empty, n(3.0)]), NA);
    assert_eq!(x(t("x"), vec![Value::Empty, n(4.0)]), VALUE);
    // Numbers: exact or next smaller / larger.
    let y = |value: f64, mode: f64, search: f64| {
        let args =
            vec![v(n(value)), r("B1:B5"), r("A1:A5"), v(Value::Empty), v(n(mode)), v(n(search))];
        eval(&ctx, LookupFn::XLookup, args)
    };
    assert_eq!(y(25.0, -1.0, 1.0), t("Banana"));
    assert_eq!(y(25.0, 1.0, 1.0), t("Cherry"));
    assert_eq!(y(5.0, -1.0, 1.0), NA);
    assert_eq!(y(55.0, 1.0, 1.0), NA);
    assert_eq!(y(30.0, 0.0, 2.0), t("Cherry"));
    assert_eq!(y(35.0, -1.0, 2.0), t("Cherry"));
    assert_eq!(y(35.0, 1.0, 2.0), t("Banana"));
}

#[test]
fn xlookup_returns_rows_as_references() {
    let ctx = price_list();
    let args = vec![v(t("Cherry")), r("A1:A5"), r("B1:C5")];
    assert_eq!(run(&ctx, LookupFn::XLookup, args), r("B3:C3"));
    let args = vec![v(t("Cherry")), r("A1:A5"), r("B1:B4")];
    assert_eq!(eval(&ctx, LookupFn::XLookup, args), VALUE);
    // Horizontal lookup into an array returns the column.
    let keys = array(1, 3, vec![t("a"), t("b"), t("c")]);
    let values = array(2, 3, vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0), n(6.0)]);
    let result = eval(&ctx, LookupFn::XLookup, vec![v(t("b")), v(keys), v(values)]);
    assert_eq!(result, array(2, 1, vec![n(2.0), n(5.0)]));
}

#[test]
fn xmatch_positions() {
    let ctx = price_list();
    let x = |value: Value, extra: Vec<f64>| {
        let mut args = vec![v(value), r("A1:A5")];
        args.extend(extra.into_iter().map(|e| v(n(e))));
        eval(&ctx, LookupFn::XMatch, args)
    };
    assert_eq!(x(t("Cherry"), vec![]), n(3.0));
    assert_eq!(x(t("Banana"), vec![0.0, -1.0]), n(4.0));
    assert_eq!(x(t("Ch?rry"), vec![2.0]), n(3.0));
    assert_eq!(x(t("Zebra"), vec![]), NA);
    assert_eq!(x(t("Bz"), vec![-1.0]), n(2.0));
}

#[test]
fn index_documented_examples() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(&mut ctx, "A2", vec![vec![t("Apples"), t("Lemons")], vec![t("Bananas"), t("Pears")]]);
    let index = |args: Vec<Operand>| eval(&ctx, LookupFn::Index, args);
    assert_eq!(index(vec![r("A2:B3"), v(n(2.0)), v(n(2.0))]), t("Pears"));
    assert_eq!(index(vec![r("A2:B3"), v(n(2.0)), v(n(1.0))]), t("Bananas"));
    let constant = array(2, 2, vec![n(1.0), n(2.0), n(3.0), n(4.0)]);
    assert_eq!(index(vec![v(constant.clone()), v(n(2.0)), v(n(2.0))]), n(4.0));
    assert_eq!(
        index(vec![v(constant.clone()), v(n(0.0)), v(n(2.0))]),
        array(2, 1, vec![n(2.0), n(4.0)])
    );
    assert_eq!(index(vec![v(constant.clone()), v(n(3.0)), v(n(1.0))]), REF);
    assert_eq!(index(vec![v(constant), v(n(-1.0)), v(n(1.0))]), VALUE);
    let row = array(1, 3, vec![t("a"), t("b"), t("c")]);
    assert_eq!(index(vec![v(row), v(n(3.0))]), t("c"));
    assert_eq!(index(vec![v(n(7.0)), v(n(1.0)), v(n(1.0))]), n(7.0));
}

#[test]
fn index_returns_references() {
    let ctx = MapContext::new(&["Sheet1"]);
    let index = |args: Vec<Operand>| run(&ctx, LookupFn::Index, args);
    assert_eq!(index(vec![r("A1:C5"), v(n(2.0)), v(n(3.0))]), r("C2"));
    assert_eq!(index(vec![r("A1:C5"), v(n(0.0)), v(n(2.0))]), r("B1:B5"));
    assert_eq!(index(vec![r("A1:C5"), v(n(2.0)), v(n(0.0))]), r("A2:C2"));
    assert_eq!(index(vec![r("A1:C5"), v(n(2.0))]), r("A2:C2"));
    assert_eq!(index(vec![r("A1:E1"), v(n(3.0))]), r("C1"));
    assert_eq!(index(vec![r("A1:A5"), v(n(3.0))]), r("A3"));
    assert_eq!(index(vec![r("A1:C5"), v(n(6.0)), v(n(1.0))]), Operand::error(ExcelError::Ref));
    // The documentation's union example: INDEX((A1:C6, A8:C11), 2, 2, 2) is B9.
    let (Some(first), Some(second)) =
        (r("A1:C6").as_range().copied(), r("A8:C11").as_range().copied())
    else {
        panic!("bad ranges")
    };
    let union = Operand::Ref(Reference::Union(Arc::from(vec![first, second])));
    assert_eq!(index(vec![union.clone(), v(n(2.0)), v(n(2.0)), v(n(2.0))]), r("B9"));
    assert_eq!(
        index(vec![union, v(n(1.0)), v(n(1.0)), v(n(3.0))]),
        Operand::error(ExcelError::Ref)
    );
}

#[test]
fn index_column_can_be_summed() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(&mut ctx, "A1", vec![vec![n(1.0), n(10.0)], vec![n(2.0), n(20.0)], vec![n(3.0), n(30.0)]]);
    let column = run(&ctx, LookupFn::Index, vec![r("A1:B3"), v(n(0.0)), v(n(2.0))]);
    assert_eq!(column, r("B1:B3"));
    let Value::Array(values) = column.to_value(&ctx) else { panic!("not an array") };
    let total: f64 = values.values().iter().map(|x| x.to_number().unwrap()).sum();
    assert_eq!(total, 60.0);
}

#[test]
fn offset_documented_examples() {
    let ctx = MapContext::new(&["Sheet1"]);
    let offset = |args: Vec<Operand>| run(&ctx, LookupFn::Offset, args);
    assert_eq!(offset(vec![r("D3"), v(n(3.0)), v(n(-2.0)), v(n(1.0)), v(n(1.0))]), r("B6"));
    assert_eq!(offset(vec![r("D3:F5"), v(n(3.0)), v(n(-2.0)), v(n(3.0)), v(n(3.0))]), r("B6:D8"));
    assert_eq!(offset(vec![r("D3"), v(n(-3.0)), v(n(-3.0))]), Operand::error(ExcelError::Ref));
    // From a conformance workbook (ROW_COLUM.xlsx): SUM(OFFSET(A1,0,7,1,8))
    // sums H1:O1.
    assert_eq!(offset(vec![r("A1"), v(n(0.0)), v(n(7.0)), v(n(1.0)), v(n(8.0))]), r("H1:O1"));
    // Height and width default to the reference's own size.
    assert_eq!(offset(vec![r("A1:B2"), v(n(1.0)), v(n(1.0))]), r("B2:C3"));
    assert_eq!(offset(vec![r("C3"), v(n(0.0)), v(n(0.0)), v(n(-2.0)), v(n(1.0))]), r("C2:C3"));
    assert_eq!(
        offset(vec![r("A1"), v(n(0.0)), v(n(0.0)), v(n(0.0))]),
        Operand::error(ExcelError::Ref)
    );
    assert_eq!(offset(vec![v(n(1.0)), v(n(0.0)), v(n(0.0))]), Operand::error(ExcelError::Value));
    assert_eq!(offset(vec![r("A1048576"), v(n(1.0)), v(n(0.0))]), Operand::error(ExcelError::Ref));
    assert_eq!(
        offset(vec![r("XFD1"), v(n(0.0)), v(n(0.0)), v(n(1.0)), v(n(2.0))]),
        Operand::error(ExcelError::Ref)
    );
}

#[test]
fn indirect_documented_examples() {
    let mut ctx = MapContext::new(&["Sheet1", "My Sheet"]);
    fill(
        &mut ctx,
        "A2",
        vec![
            vec![t("B2"), n(1.333)],
            vec![t("B3"), n(45.0)],
            vec![t("George"), n(10.0)],
            vec![n(5.0), n(62.0)],
        ],
    );
    ctx.set(1, 0, 0, 99.0);
    let Some(b4) = r("B4").as_range().copied() else { panic!("bad cell") };
    ctx.define("George", None, Reference::Range(b4));
    let indirect = |text: &str| eval(&ctx, LookupFn::Indirect, vec![v(t(text))]);
    assert_eq!(indirect("B2"), n(1.333));
    assert_eq!(indirect("B3"), n(45.0));
    assert_eq!(indirect("George"), n(10.0));
    assert_eq!(indirect("B5"), n(62.0));
    assert_eq!(indirect("'My Sheet'!A1"), n(99.0));
    assert_eq!(indirect("Nowhere!A1"), REF);
    assert_eq!(indirect("not a reference"), REF);
    assert_eq!(run(&ctx, LookupFn::Indirect, vec![v(t("B:B"))]), r("B1:B1048576"));
    let r1c1 = run(&ctx, LookupFn::Indirect, vec![v(t("R2C2")), v(Value::Bool(false))]);
    assert_eq!(r1c1.to_value(&ctx), n(1.333));
}

#[test]
fn row_and_column() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.at(CellAddr::new(0, 6, 3));
    assert_eq!(eval(&ctx, LookupFn::Row, vec![]), n(7.0));
    assert_eq!(eval(&ctx, LookupFn::Column, vec![]), n(4.0));
    assert_eq!(eval(&ctx, LookupFn::Row, vec![r("C10")]), n(10.0));
    assert_eq!(eval(&ctx, LookupFn::Column, vec![r("D10")]), n(4.0));
    // A multi-row range gives its rows; a scalar context sees the first.
    let rows = eval(&ctx, LookupFn::Row, vec![r("B3:C5")]);
    assert_eq!(rows, array(3, 1, vec![n(3.0), n(4.0), n(5.0)]));
    assert_eq!(rows.first(), &n(3.0));
    assert_eq!(eval(&ctx, LookupFn::Column, vec![r("B3:C5")]), array(1, 2, vec![n(2.0), n(3.0)]));
    assert_eq!(eval(&ctx, LookupFn::Row, vec![v(n(1.0))]), VALUE);
    assert_eq!(eval(&ctx, LookupFn::Rows, vec![r("C1:E4")]), n(4.0));
    assert_eq!(eval(&ctx, LookupFn::Columns, vec![r("C1:E4")]), n(3.0));
    let constant = array(2, 3, vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0), n(6.0)]);
    assert_eq!(eval(&ctx, LookupFn::Rows, vec![v(constant.clone())]), n(2.0));
    assert_eq!(eval(&ctx, LookupFn::Columns, vec![v(constant)]), n(3.0));
    assert_eq!(eval(&ctx, LookupFn::Rows, vec![v(n(1.0))]), n(1.0));
}

#[test]
fn choose_keeps_references() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(&mut ctx, "A2", vec![vec![t("1st")], vec![t("2nd")], vec![t("3rd")], vec![t("Finished")]]);
    let choose = |args: Vec<Operand>| run(&ctx, LookupFn::Choose, args);
    let cells = vec![r("A2"), r("A3"), r("A4"), r("A5")];
    let mut args = vec![v(n(2.0))];
    args.extend(cells.clone());
    assert_eq!(choose(args).to_value(&ctx), t("2nd"));
    let mut args = vec![v(n(4.0))];
    args.extend(cells.clone());
    assert_eq!(choose(args).to_value(&ctx), t("Finished"));
    assert_eq!(choose(vec![v(n(2.0)), r("A1:A5"), r("B1:B5")]), r("B1:B5"));
    assert_eq!(choose(vec![v(n(2.9)), v(t("a")), v(t("b"))]), v(t("b")));
    assert_eq!(choose(vec![v(n(0.0)), v(t("a"))]), Operand::error(ExcelError::Value));
    assert_eq!(choose(vec![v(n(3.0)), v(t("a")), v(t("b"))]), Operand::error(ExcelError::Value));
    // An array index broadcasts.
    let indices = array(1, 2, vec![n(2.0), n(1.0)]);
    let picked = choose(vec![v(indices), v(t("a")), v(t("b"))]).to_value(&ctx);
    assert_eq!(picked, array(1, 2, vec![t("b"), t("a")]));
}

#[test]
fn transpose_and_areas() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(&mut ctx, "A1", vec![vec![n(1.0), n(2.0), n(3.0)]]);
    let transposed = eval(&ctx, LookupFn::Transpose, vec![r("A1:C1")]);
    assert_eq!(transposed, array(3, 1, vec![n(1.0), n(2.0), n(3.0)]));
    let square = array(2, 2, vec![n(1.0), n(2.0), n(3.0), n(4.0)]);
    let expected = array(2, 2, vec![n(1.0), n(3.0), n(2.0), n(4.0)]);
    assert_eq!(eval(&ctx, LookupFn::Transpose, vec![v(square)]), expected);
    let ranges: Vec<RangeRef> =
        ["B2:D4", "E5", "F6:I9"].iter().filter_map(|a| r(a).as_range().copied()).collect();
    let union = Operand::Ref(Reference::Union(Arc::from(ranges)));
    assert_eq!(eval(&ctx, LookupFn::Areas, vec![union]), n(3.0));
    assert_eq!(eval(&ctx, LookupFn::Areas, vec![r("B2:D4")]), n(1.0));
}

/// MATCH cases Excel computed in a conformance workbook (MATCH.xlsx of the
/// shared corpus).
#[test]
fn match_excel_computed_cases() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let names = ["Alpha", "Beta", "Delta", "Delta", "Gamma", "Omega"];
    fill(&mut ctx, "A2", names.iter().map(|name| vec![t(name)]).collect());
    let approx = |lookup: Value| eval(&ctx, LookupFn::Match, vec![v(lookup), r("A2:A7")]);
    let exact = |lookup: Value| eval(&ctx, LookupFn::Match, vec![v(lookup), r("A2:A7"), v(n(0.0))]);
    assert_eq!(approx(t("alpha")), n(1.0));
    assert_eq!(approx(t("a")), NA);
    assert_eq!(approx(t("beta")), n(2.0));
    assert_eq!(approx(n(0.0)), NA);
    assert_eq!(approx(Value::Empty), NA);
    // Approximate matching ends on the last of equal values, exact on the first.
    assert_eq!(approx(t("delta")), n(4.0));
    assert_eq!(exact(t("delta")), n(3.0));
    let numbers = array(6, 1, (1..=6).map(|i| n(f64::from(i))).collect());
    let m = |lookup: f64| eval(&ctx, LookupFn::Match, vec![v(n(lookup)), v(numbers.clone())]);
    assert_eq!(m(1.3), n(1.0));
    assert_eq!(m(0.8), NA);
    assert_eq!(m(7.0), n(6.0));
    assert_eq!(m(5.7), n(5.0));
}

#[test]
fn match_excel_computed_wildcards_and_types() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let cells = vec![
        t("Patata"),
        t("ata"),
        t("Mulata"),
        t("Question?"),
        t(""),
        Value::Empty,
        Value::Empty,
        Value::Empty,
        n(0.0),
    ];
    ctx.set_column(0, 11, 0, cells);
    let m = |lookup: Value| eval(&ctx, LookupFn::Match, vec![v(lookup), r("A12:A20"), v(n(0.0))]);
    assert_eq!(m(t("*a*")), n(1.0));
    assert_eq!(m(t("a*")), n(2.0));
    assert_eq!(m(t("??l*")), n(3.0));
    assert_eq!(m(t("*~?")), n(4.0));
    assert_eq!(m(t("Q*")), n(4.0));
    // An empty text matches the cell holding empty text, never a blank cell.
    assert_eq!(m(t("")), n(5.0));
    assert_eq!(m(Value::Empty), NA);
    assert_eq!(m(n(0.0)), n(9.0));
    // TRUE does not match "TRUE", 13 does not match "13", and the reverse.
    let pair = |a: Value, b: Value| array(2, 1, vec![a, b]);
    let m2 = |lookup: Value, data: Value| {
        eval(&ctx, LookupFn::Match, vec![v(lookup), v(data), v(n(0.0))])
    };
    assert_eq!(m2(t("TRUE"), pair(Value::Bool(true), n(1.0))), NA);
    assert_eq!(m2(Value::Bool(false), pair(t("FALSE"), n(0.0))), NA);
    assert_eq!(m2(n(13.0), pair(t("13"), n(1.0))), NA);
    assert_eq!(m2(t("13"), pair(n(13.0), n(1.0))), NA);
    assert_eq!(m2(n(0.0), pair(Value::Empty, n(1.0))), NA);
}

/// HLOOKUP and VLOOKUP cases Excel computed in a conformance workbook
/// (HVLOOKUP.xlsx of the shared corpus).
#[test]
fn hlookup_excel_computed_cases() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(
        &mut ctx,
        "C1",
        vec![
            vec![t("Albacete"), t("Aranda"), t("Berlin"), t("Madrid"), t("Zimbawe")],
            vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0)],
            vec![t("banana"), t("alca"), t("apple"), t("orange"), t("done")],
        ],
    );
    let h = |lookup: Value, table: Operand, row: Value| {
        eval(&ctx, LookupFn::HLookup, vec![v(lookup), table, v(row)])
    };
    assert_eq!(h(t("Albacete"), r("C1:G6"), n(3.0)), t("banana"));
    assert_eq!(h(t("Albacete"), r("C1:G6"), n(10.0)), REF);
    assert_eq!(h(t("Cuenca"), r("C1:G6"), n(1.0)), t("Berlin"));
    assert_eq!(h(t("Cuenca"), r("C1:G6"), n(3.0)), t("apple"));
    assert_eq!(h(n(23.0), r("C1:G6"), n(1.0)), NA);
    assert_eq!(h(Value::Empty, r("C1:G6"), n(1.0)), NA);
    assert_eq!(
        h(Value::Empty, r("C1:G6"), Value::Error(ExcelError::Div0)),
        Value::Error(ExcelError::Div0)
    );
    assert_eq!(h(t("Aranda"), v(n(3.0)), n(1.0)), NA);
    assert_eq!(h(t("Aranda"), v(t("Nothing")), n(1.0)), VALUE);
    assert_eq!(h(t("Aranda"), v(Value::Bool(true)), n(1.0)), NA);
    assert_eq!(
        eval(&ctx, LookupFn::VLookup, vec![v(t("Aranda")), v(t("Nothing")), v(n(1.0))]),
        VALUE
    );
    let with_range =
        vec![v(t("Albacete")), r("C1:G6"), v(n(1.0)), v(Value::Error(ExcelError::Div0))];
    assert_eq!(eval(&ctx, LookupFn::HLookup, with_range), Value::Error(ExcelError::Div0));
}

/// INDEX, LOOKUP, VLOOKUP and XLOOKUP cases over arrays, as Excel computed
/// them (INDEX.xlsx, MATCH_LOOKUP_arrays.xlsx, XLOOKUP.xlsx).
#[test]
fn excel_computed_array_cases() {
    let ctx = MapContext::new(&["Sheet1"]);
    let row = |values: &[f64]| array(1, values.len(), values.iter().map(|x| n(*x)).collect());
    let index = |args: Vec<Operand>| eval(&ctx, LookupFn::Index, args);
    assert_eq!(
        index(vec![v(row(&[1.0, 2.0, 3.0, 4.0])), v(Value::Empty), v(Value::Empty)]),
        row(&[1.0, 2.0, 3.0, 4.0])
    );
    let square = array(2, 2, vec![n(1.0), n(2.0), n(3.0), n(4.0)]);
    assert_eq!(
        index(vec![v(square), v(Value::Empty), v(n(1.0))]),
        array(2, 1, vec![n(1.0), n(3.0)])
    );
    let wide = array(2, 3, vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0), n(6.0)]);
    assert_eq!(index(vec![v(wide.clone()), v(n(1.0))]), row(&[1.0, 2.0, 3.0]));
    assert_eq!(index(vec![v(wide), v(n(-1.0)), v(n(1.0))]), VALUE);
    assert_eq!(
        index(vec![v(row(&[1.0, 2.0, 3.0])), v(n(1.0)), v(n(0.0)), v(n(1.0))]),
        row(&[1.0, 2.0, 3.0])
    );
    assert_eq!(index(vec![v(row(&[1.0, 2.0, 3.0])), v(n(1.0)), v(n(0.0)), v(n(2.0))]), REF);
    let lookup = |args: Vec<Value>| eval(&ctx, LookupFn::Lookup, args.into_iter().map(v).collect());
    assert_eq!(lookup(vec![n(3.0), row(&[1.0, 2.0, 3.0, 4.0, 5.0])]), n(3.0));
    assert_eq!(
        lookup(vec![n(3.0), row(&[1.0, 2.0, 3.0, 4.0, 5.0]), row(&[10.0, 20.0, 30.0, 40.0, 50.0])]),
        n(30.0)
    );
    let letters = array(2, 3, vec![t("a"), t("b"), t("c"), n(1.0), n(2.0), n(3.0)]);
    assert_eq!(lookup(vec![t("b"), letters]), n(2.0));
    let table = array(3, 2, vec![n(1.0), t("a"), n(2.0), t("b"), n(3.0), t("c")]);
    let vlookup = vec![v(n(2.0)), v(table), v(n(2.0)), v(Value::Bool(false))];
    assert_eq!(eval(&ctx, LookupFn::VLookup, vlookup), t("b"));
    let sequence = array(3, 2, (1..=6).map(|i| n(f64::from(i))).collect());
    assert_eq!(eval(&ctx, LookupFn::VLookup, vec![v(n(3.0)), v(sequence), v(n(2.0))]), n(4.0));
}

#[test]
fn xlookup_excel_computed_errors() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    fill(
        &mut ctx,
        "A1",
        vec![
            vec![t("Country"), t("Prefix")],
            vec![t("China"), t("+84")],
            vec![t("India"), t("+99")],
            vec![t("Spain"), t("+34")],
        ],
    );
    let x = |extra: Vec<Operand>| {
        let mut args = vec![v(t("India")), r("A:A")];
        args.extend(extra);
        eval(&ctx, LookupFn::XLookup, args)
    };
    assert_eq!(x(vec![r("B:B")]), t("+99"));
    assert_eq!(x(vec![v(Value::Bool(true))]), VALUE);
    assert_eq!(x(vec![v(n(3.0))]), VALUE);
    assert_eq!(x(vec![r("B:B"), v(Value::Empty), v(n(12.0))]), VALUE);
    assert_eq!(x(vec![r("B:B"), v(Value::Empty), v(n(-2.0))]), VALUE);
    assert_eq!(x(vec![r("B:B"), v(Value::Empty), v(Value::Empty), v(Value::Bool(true))]), t("+99"));
    let mismatched = vec![v(n(1.0)), r("A9:A12"), r("B9:B11")];
    assert_eq!(eval(&ctx, LookupFn::XLookup, mismatched), VALUE);
    let mismatched = vec![v(n(1.0)), r("A9:B9"), r("A10:C10")];
    assert_eq!(eval(&ctx, LookupFn::XLookup, mismatched), VALUE);
}

#[test]
fn xmatch_excel_computed_wildcards() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let countries = ["Albania", "Indonesia", "India", "Germany", "Spain", "Venezuela"];
    fill(&mut ctx, "A2", countries.iter().map(|c| vec![t(c)]).collect());
    let x = |args: Vec<Value>| {
        let mut all = vec![v(args[0].clone()), r("A2:A7")];
        all.extend(args[1..].iter().cloned().map(v));
        eval(&ctx, LookupFn::XMatch, all)
    };
    assert_eq!(x(vec![t("Spain")]), n(5.0));
    assert_eq!(x(vec![t("Ind*"), n(2.0)]), n(2.0));
    assert_eq!(x(vec![t("Ind*"), n(2.0), n(-1.0)]), n(3.0));
}

/// Match mode 3, a regular expression: the values Excel cached in
/// calc_tests/LOOKUP_AND_REFERENCE/XMATCH.xlsx D6, D7 and B14.
#[test]
fn xmatch_excel_computed_regex() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let countries =
        ["Albania", "Indonesia", "India", "Germany", "Spain", "Venezuela", "Italy", "Francialy"];
    fill(&mut ctx, "A2", countries.iter().map(|c| vec![t(c)]).collect());
    fill(&mut ctx, "A14", vec![vec![t("apple")], vec![t("bannana")]]);
    let x = |args: Vec<Value>, range: &str| {
        let mut all = vec![v(args[0].clone()), r(range)];
        all.extend(args[1..].iter().cloned().map(v));
        eval(&ctx, LookupFn::XMatch, all)
    };
    let pattern = t("[A-Z][a-z]+y");
    assert_eq!(x(vec![pattern.clone(), n(3.0), n(1.0)], "A2:A9"), n(4.0));
    assert_eq!(x(vec![pattern.clone(), n(3.0), n(-1.0)], "A2:A9"), n(8.0));
    assert_eq!(x(vec![n(42.0), n(3.0)], "A14:A15"), Value::Error(ExcelError::NA));
    // Not a regular expression.
    assert_eq!(x(vec![t("("), n(3.0)], "A2:A9"), Value::Error(ExcelError::Value));
}

/// CHOOSE cases Excel computed in a conformance workbook (CHOOSE.xlsx).
#[test]
fn choose_excel_computed_cases() {
    let ctx = MapContext::new(&["Sheet1"]);
    let choose = |index: Value, choices: Vec<Value>| {
        let mut args = vec![v(index)];
        args.extend(choices.into_iter().map(v));
        eval(&ctx, LookupFn::Choose, args)
    };
    let words = vec![t("Wide"), n(115.0), t("world"), n(8.0)];
    assert_eq!(choose(n(3.0), words), t("world"));
    assert_eq!(choose(n(-1.0), vec![t("1st")]), VALUE);
    assert_eq!(choose(t("test"), vec![t("1st")]), VALUE);
    assert_eq!(choose(Value::Bool(false), vec![t("1st")]), VALUE);
    assert_eq!(choose(Value::Bool(true), vec![t("1st")]), t("1st"));
    assert_eq!(
        choose(Value::Error(ExcelError::Div0), vec![t("1st")]),
        Value::Error(ExcelError::Div0)
    );
    assert_eq!(choose(n(1.9), vec![t("1st"), t("2nd")]), t("1st"));
    // Choices that are not chosen are not evaluated for errors.
    assert_eq!(choose(n(1.0), vec![n(0.0), Value::Error(ExcelError::Div0)]), n(0.0));
}

/// XLOOKUP's next smaller and larger values across kinds, and its binary
/// search among duplicates, as Excel computed them in XLOOKUP.xlsx.
#[test]
fn xlookup_excel_computed_orders() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    // ReturnSmaller!A4:B10 and ReturnLarger!A4:B10.
    let keys = [n(2.0), n(5.0), n(4.0), n(5.0), n(3.0), Value::Bool(true), t("ala")];
    let letters = ["a", "b", "c", "d", "e", "f", "g"];
    fill(&mut ctx, "A1", keys.iter().zip(letters).map(|(k, l)| vec![k.clone(), t(l)]).collect());
    let x = |lookup: Value, mode: f64| {
        let args = vec![v(lookup), r("A1:A7"), r("B1:B7"), v(Value::Empty), v(n(mode))];
        eval(&ctx, LookupFn::XLookup, args)
    };
    // ReturnSmaller!E13: below FALSE the largest value is the text "ala".
    assert_eq!(x(Value::Bool(false), -1.0), t("g"));
    // ReturnLarger!E8: above 10 the smallest value is the text "ala";
    // ReturnLarger!E11: above "qwerty" it is TRUE.
    assert_eq!(x(n(10.0), 1.0), t("g"));
    assert_eq!(x(t("qwerty"), 1.0), t("f"));
    // ReturnSmaller!E5: nothing is below 1.8.
    assert_eq!(x(n(1.8), -1.0), NA);

    // MultipleElements!A1:B13: 1,2,3,4,5,5,5,6,7,7,7,8,9 against aa, a...l.
    let sorted = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 6.0, 7.0, 7.0, 7.0, 8.0, 9.0];
    let names = ["aa", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
    fill(&mut ctx, "D1", sorted.iter().zip(names).map(|(k, l)| vec![n(*k), t(l)]).collect());
    let binary = |lookup: f64, mode: f64| {
        let args = vec![v(n(lookup)), r("D:D"), r("E:E"), v(Value::Empty), v(n(mode)), v(n(2.0))];
        eval(&ctx, LookupFn::XLookup, args)
    };
    // E4/F4: the first of the 5s; E6: the first 7; E8/F8: the last 7 below
    // 7.1 and the 8 above it; E10/F10: 4 below 4.8 and the first 5 above.
    assert_eq!(binary(5.0, -1.0), t("d"));
    assert_eq!(binary(5.0, 1.0), t("d"));
    assert_eq!(binary(7.0, -1.0), t("h"));
    assert_eq!(binary(7.1, -1.0), t("j"));
    assert_eq!(binary(7.1, 1.0), t("k"));
    assert_eq!(binary(4.8, -1.0), t("c"));
    assert_eq!(binary(4.8, 1.0), t("d"));
    // MultipleElements!I1:J13, the same descending: 9,8,7,7,7,6,5,5,5,4,3,2,1
    // against aa, a...l. M4/N4: the last of the 5s; M8: the first 7 below
    // 7.1 and N8 the 8 above; M9/N9: 6 below 6.8 and the last 7 above it.
    let descending: Vec<Vec<Value>> =
        sorted.iter().rev().zip(names).map(|(k, l)| vec![n(*k), t(l)]).collect();
    fill(&mut ctx, "G1", descending);
    let down = |lookup: f64, mode: f64| {
        let args =
            vec![v(n(lookup)), r("G1:G13"), r("H1:H13"), v(Value::Empty), v(n(mode)), v(n(-2.0))];
        eval(&ctx, LookupFn::XLookup, args)
    };
    assert_eq!(down(5.0, -1.0), t("h"));
    assert_eq!(down(5.0, 1.0), t("h"));
    assert_eq!(down(7.0, -1.0), t("d"));
    assert_eq!(down(7.1, -1.0), t("b"));
    assert_eq!(down(7.1, 1.0), t("a"));
    assert_eq!(down(6.8, -1.0), t("e"));
    assert_eq!(down(6.8, 1.0), t("d"));
    assert_eq!(down(1.8, -1.0), t("l"));
    assert_eq!(down(1.8, 1.0), t("k"));
    // Wildcards!E13: wildcard mode with binary search is #VALUE!.
    let args = vec![v(t("a*")), r("D:D"), r("E:E"), v(Value::Empty), v(n(2.0)), v(n(2.0))];
    assert_eq!(eval(&ctx, LookupFn::XLookup, args), VALUE);
}

/// A blank lookup value finds the first blank cell (ExactMatch!U12,
/// Errors!N1 of XLOOKUP.xlsx).
#[test]
fn xlookup_finds_blank_cells() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    let rows = ["a", "b", "c", "d", "e"];
    let mut table: Vec<Vec<Value>> =
        rows.iter().enumerate().map(|(i, l)| vec![t(l), n(i as f64 + 1.0)]).collect();
    table.push(vec![Value::Empty, n(6.0)]);
    fill(&mut ctx, "A1", table);
    let args = vec![v(Value::Empty), r("A:A"), r("B:B"), v(Value::Empty), v(n(1.0)), v(n(2.0))];
    assert_eq!(eval(&ctx, LookupFn::XLookup, args), n(6.0));
    let args = vec![v(Value::Empty), r("A:A"), r("B:B"), v(t("Not found :/"))];
    assert_eq!(eval(&ctx, LookupFn::XLookup, args), n(6.0));
    assert_eq!(eval(&ctx, LookupFn::XMatch, vec![v(Value::Empty), r("A:A")]), n(6.0));
    // Searching last to first (ExactMatch!V12), the blank is the column's
    // last cell.
    let args = vec![v(Value::Empty), r("A:A"), v(n(0.0)), v(n(-1.0))];
    assert_eq!(eval(&ctx, LookupFn::XMatch, args), n(1_048_576.0));
}

#[test]
fn offset_sizes_between_zero_and_one_are_one_cell() {
    let ctx = MapContext::new(&["Sheet1"]);
    let offset = |height: f64, width: f64| {
        let args = vec![r("W39"), v(n(2.0)), v(n(2.0)), v(n(height)), v(n(width))];
        run(&ctx, LookupFn::Offset, args)
    };
    // Excel: calc_tests/LOOKUP_AND_REFERENCE/ROW_COLUM.xlsx OFFSET!K48 sums
    // Y41:Y43 for a width of 0.9; K46 sums Y41:AA43 for 3.1 by 3.99; K47
    // (a width of 0) is #REF!.
    assert_eq!(offset(3.0, 0.9), r("Y41:Y43"));
    assert_eq!(offset(3.1, 3.99), r("Y41:AA43"));
    assert_eq!(offset(3.0, 0.0), Operand::error(ExcelError::Ref));
}
