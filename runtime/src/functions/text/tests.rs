//! Tests of the text functions, with the examples of Microsoft's function
//! documentation.

use std::sync::Arc;

use super::TextFn;
use crate::functions::{call, Function};
use crate::reference::{Operand, RangeRef, Reference};
use crate::testing::MapContext;
use crate::value::{Array, ExcelError, Value};

fn eval_in(ctx: &MapContext, f: TextFn, args: Vec<Operand>) -> Value {
    call(Function::Text(f), args, ctx).to_value(ctx)
}

fn eval(f: TextFn, args: &[Value]) -> Value {
    let ctx = MapContext::new(&["Sheet1"]);
    eval_in(&ctx, f, args.iter().cloned().map(Operand::Value).collect())
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn t(s: &str) -> Value {
    Value::text(s)
}

const VALUE_ERR: Value = Value::Error(ExcelError::Value);

fn column(first_row: u32, last_row: u32, col: u32) -> Operand {
    Operand::Ref(Reference::Range(RangeRef {
        sheet: 0,
        first_row,
        first_col: col,
        last_row,
        last_col: col,
    }))
}

#[test]
fn concat_flattens_ranges() {
    let words = ["The", " ", "sun", " ", "will", " ", "come", " ", "up", " ", "tomorrow."];
    let args: Vec<Value> = words.iter().map(|w| t(w)).collect();
    assert_eq!(eval(TextFn::Concat, &args), t("The sun will come up tomorrow."));
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set_column(0, 0, 0, vec![t("a"), Value::Empty, n(1.5), Value::Bool(true)]);
    let result = eval_in(&ctx, TextFn::Concat, vec![column(0, 3, 0), Operand::Value(t("!"))]);
    assert_eq!(result, t("a1.5TRUE!"));
    ctx.set(0, 4, 0, ExcelError::Div0);
    let result = eval_in(&ctx, TextFn::Concat, vec![column(0, 4, 0)]);
    assert_eq!(result, Value::Error(ExcelError::Div0));
}

#[test]
fn concatenate_broadcasts_arrays() {
    assert_eq!(
        eval(TextFn::Concatenate, &[t("Stream population for "), t("brook trout")]),
        t("Stream population for brook trout")
    );
    assert_eq!(eval(TextFn::Concatenate, &[n(1.0 / 3.0), t("")]), t("0.333333333333333"));
    let array = Value::Array(Arc::new(Array::new(2, 1, vec![t("a"), t("b")]).unwrap()));
    let expected = Array::new(2, 1, vec![t("a!"), t("b!")]).unwrap();
    assert_eq!(eval(TextFn::Concatenate, &[array, t("!")]), Value::Array(Arc::new(expected)));
}

#[test]
fn textjoin_skips_empties_when_asked() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set_column(0, 0, 0, vec![t("US Dollar"), t("Australian Dollar"), Value::Empty, t("Euro")]);
    let run = |ignore: bool| {
        let args =
            vec![Operand::Value(t(", ")), Operand::Value(Value::Bool(ignore)), column(0, 3, 0)];
        eval_in(&ctx, TextFn::TextJoin, args)
    };
    assert_eq!(run(true), t("US Dollar, Australian Dollar, Euro"));
    assert_eq!(run(false), t("US Dollar, Australian Dollar, , Euro"));
    // A range of delimiters is used in turn.
    ctx.set_column(0, 0, 1, vec![t("-"), t("+")]);
    let args = vec![column(0, 1, 1), Operand::Value(Value::Bool(true)), column(0, 3, 0)];
    assert_eq!(eval_in(&ctx, TextFn::TextJoin, args), t("US Dollar-Australian Dollar+Euro"));
}

#[test]
fn left_right_mid_documented_examples() {
    assert_eq!(eval(TextFn::Left, &[t("Sale Price"), n(4.0)]), t("Sale"));
    assert_eq!(eval(TextFn::Left, &[t("Sweden")]), t("S"));
    assert_eq!(eval(TextFn::Right, &[t("Sale Price"), n(5.0)]), t("Price"));
    assert_eq!(eval(TextFn::Right, &[t("Stock Number")]), t("r"));
    assert_eq!(eval(TextFn::Mid, &[t("Fluid Flow"), n(1.0), n(5.0)]), t("Fluid"));
    assert_eq!(eval(TextFn::Mid, &[t("Fluid Flow"), n(7.0), n(20.0)]), t("Flow"));
    assert_eq!(eval(TextFn::Mid, &[t("Fluid Flow"), n(20.0), n(5.0)]), t(""));
    assert_eq!(eval(TextFn::Left, &[t("abc"), n(-1.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Left, &[t("abc"), n(10.0)]), t("abc"));
    assert_eq!(eval(TextFn::Mid, &[t("abc"), n(0.0), n(1.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Mid, &[t("abc"), n(1.0), n(-1.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Left, &[n(12345.0), n(2.0)]), t("12"));
    assert_eq!(eval(TextFn::Right, &[Value::Bool(true), n(2.0)]), t("UE"));
}

#[test]
fn len_counts_utf16_units() {
    assert_eq!(eval(TextFn::Len, &[t("Phoenix, AZ")]), n(11.0));
    assert_eq!(eval(TextFn::Len, &[t("")]), n(0.0));
    assert_eq!(eval(TextFn::Len, &[t("     One   ")]), n(11.0));
    assert_eq!(eval(TextFn::Len, &[Value::Empty]), n(0.0));
    assert_eq!(eval(TextFn::Len, &[n(1.0 / 3.0)]), n(17.0));
    // An emoji outside the Basic Multilingual Plane is a surrogate pair.
    assert_eq!(eval(TextFn::Len, &[t("😀")]), n(2.0));
    assert_eq!(eval(TextFn::Len, &[t("é")]), n(1.0));
    assert_eq!(eval(TextFn::Left, &[t("😀x"), n(2.0)]), t("😀"));
    assert_eq!(eval(TextFn::Len, &[Value::Error(ExcelError::NA)]), Value::Error(ExcelError::NA));
}

#[test]
fn find_documented_examples() {
    let name = t("Miriam McGovern");
    assert_eq!(eval(TextFn::Find, &[t("M"), name.clone()]), n(1.0));
    assert_eq!(eval(TextFn::Find, &[t("m"), name.clone()]), n(6.0));
    assert_eq!(eval(TextFn::Find, &[t("M"), name.clone(), n(3.0)]), n(8.0));
    assert_eq!(eval(TextFn::Find, &[t("z"), name.clone()]), VALUE_ERR);
    assert_eq!(eval(TextFn::Find, &[t(""), name.clone(), n(4.0)]), n(4.0));
    assert_eq!(eval(TextFn::Find, &[t("M"), name.clone(), n(0.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Find, &[t(""), name, n(17.0)]), VALUE_ERR);
    // FIND has no wildcards.
    assert_eq!(eval(TextFn::Find, &[t("?"), t("ab?")]), n(3.0));
}

#[test]
fn search_documented_examples() {
    assert_eq!(eval(TextFn::Search, &[t("e"), t("Statements"), n(6.0)]), n(7.0));
    assert_eq!(eval(TextFn::Search, &[t("margin"), t("Profit Margin")]), n(8.0));
    assert_eq!(eval(TextFn::Search, &[t("p?o"), t("Profit Margin")]), n(1.0));
    assert_eq!(eval(TextFn::Search, &[t("m*n"), t("Profit Margin")]), n(8.0));
    assert_eq!(eval(TextFn::Search, &[t("~?"), t("why?")]), n(4.0));
    assert_eq!(eval(TextFn::Search, &[t("x"), t("Profit Margin")]), VALUE_ERR);
}

/// SEARCH and FIND cases Excel computed in a conformance workbook
/// (FIND_SEARCH.xlsx of the shared corpus).
#[test]
fn search_excel_computed_cases() {
    let search = |pattern: &str, within: &str| eval(TextFn::Search, &[t(pattern), t(within)]);
    assert_eq!(search("ns??i", "Einstein"), n(3.0));
    assert_eq!(search("国?港", "中国香港"), n(2.0));
    assert_eq!(search("ns*i", "Einstein"), n(3.0));
    assert_eq!(search("ns?i", "Einstein"), VALUE_ERR);
    assert_eq!(search("*~?", "Late?"), n(1.0));
    assert_eq!(search("~?", "Late?"), n(5.0));
    assert_eq!(search("Lat???", "Late"), VALUE_ERR);
    assert_eq!(search("~*", "Ho*la"), n(3.0));
    assert_eq!(search("~~", "Hi ~Bang!"), n(4.0));
    assert_eq!(search("~", "Hi ~Bang!"), n(1.0));
    assert_eq!(search("~", "Hello"), n(1.0));
    assert_eq!(search("~d", "My dear"), n(4.0));
    assert_eq!(search("~~*", "Ho*la"), VALUE_ERR);
    assert_eq!(eval(TextFn::Find, &[t("~"), t("Hi ~Bang!")]), n(4.0));
    assert_eq!(eval(TextFn::Find, &[t("Hola"), t("你好 Hola")]), n(4.0));
    assert_eq!(eval(TextFn::Find, &[n(2.0), n(123.0)]), n(2.0));
    assert_eq!(eval(TextFn::Find, &[Value::Bool(true), Value::Bool(true)]), n(1.0));
    assert_eq!(eval(TextFn::Find, &[t("hey"), t("Ahey"), n(3.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Search, &[t("ana"), t("ana"), n(2.0)]), VALUE_ERR);
}

#[test]
fn substitute_documented_examples() {
    use TextFn::Substitute;
    assert_eq!(eval(Substitute, &[t("Sales Data"), t("Sales"), t("Cost")]), t("Cost Data"));
    assert_eq!(
        eval(Substitute, &[t("Quarter 1, 2008"), t("1"), t("2"), n(1.0)]),
        t("Quarter 2, 2008")
    );
    assert_eq!(
        eval(Substitute, &[t("Quarter 1, 2011"), t("1"), t("2"), n(3.0)]),
        t("Quarter 1, 2012")
    );
    assert_eq!(eval(Substitute, &[t("aaa"), t("a"), t("b"), n(4.0)]), t("aaa"));
    assert_eq!(eval(Substitute, &[t("aaa"), t("a"), t("b"), n(0.0)]), VALUE_ERR);
    assert_eq!(eval(Substitute, &[t("aaa"), t(""), t("b")]), t("aaa"));
    assert_eq!(eval(Substitute, &[t("AaA"), t("a"), t("b")]), t("AbA"));
}

#[test]
fn replace_documented_examples() {
    use TextFn::Replace;
    assert_eq!(eval(Replace, &[t("abcdefghijk"), n(6.0), n(5.0), t("*")]), t("abcde*k"));
    assert_eq!(eval(Replace, &[t("2009"), n(3.0), n(2.0), t("10")]), t("2010"));
    assert_eq!(eval(Replace, &[t("123456"), n(1.0), n(3.0), t("@")]), t("@456"));
    assert_eq!(eval(Replace, &[t("abc"), n(10.0), n(1.0), t("!")]), t("abc!"));
    assert_eq!(eval(Replace, &[t("abc"), n(0.0), n(1.0), t("!")]), VALUE_ERR);
}

#[test]
fn case_and_whitespace_documented_examples() {
    assert_eq!(eval(TextFn::Trim, &[t(" First Quarter   Earnings ")]), t("First Quarter Earnings"));
    assert_eq!(eval(TextFn::Trim, &[t("a\u{a0} b")]), t("a\u{a0} b"));
    assert_eq!(eval(TextFn::Upper, &[t("total")]), t("TOTAL"));
    assert_eq!(eval(TextFn::Lower, &[t("E. E. Cummings")]), t("e. e. cummings"));
    assert_eq!(eval(TextFn::Proper, &[t("this is a TITLE")]), t("This Is A Title"));
    assert_eq!(eval(TextFn::Proper, &[t("2-way street")]), t("2-Way Street"));
    assert_eq!(eval(TextFn::Proper, &[t("76BudGet")]), t("76Budget"));
    let clean = format!("{}Monthly report{}", '\u{9}', '\u{a}');
    assert_eq!(eval(TextFn::Clean, &[t(&clean)]), t("Monthly report"));
}

#[test]
fn text_formats_numbers_and_dates() {
    use TextFn::Text;
    assert_eq!(eval(Text, &[n(1234.567), t("$#,##0.00")]), t("$1,234.57"));
    assert_eq!(eval(Text, &[n(0.285), t("0.0%")]), t("28.5%"));
    assert_eq!(eval(Text, &[n(45366.0), t("yyyy-mm-dd")]), t("2024-03-15"));
    assert_eq!(eval(Text, &[t("3/15/2024"), t("dd/mm/yyyy")]), t("15/03/2024"));
    assert_eq!(eval(Text, &[t("12.5"), t("0.00")]), t("12.50"));
    assert_eq!(eval(Text, &[t("abc"), t("0.00")]), t("abc"));
    assert_eq!(eval(Text, &[Value::Bool(true), t("0")]), t("TRUE"));
    assert_eq!(eval(Text, &[Value::Empty, t("0.0")]), t("0.0"));
    assert_eq!(eval(Text, &[n(-1.0), t("yyyy")]), VALUE_ERR);
    assert_eq!(eval(Text, &[n(5.0), t("@")]), t("5"));
}

#[test]
fn value_and_numbervalue_documented_examples() {
    assert_eq!(eval(TextFn::Value, &[t("$1,000")]), n(1000.0));
    let Value::Number(a) = eval(TextFn::Value, &[t("16:48:00")]) else { panic!() };
    let Value::Number(b) = eval(TextFn::Value, &[t("12:00:00")]) else { panic!() };
    assert!((a - b - 0.2).abs() < 1e-12);
    assert_eq!(eval(TextFn::Value, &[t("abc")]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[Value::Bool(true)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[n(3.0)]), n(3.0));
    assert_eq!(eval(TextFn::NumberValue, &[t("2.500,27"), t(","), t(".")]), n(2500.27));
    assert_eq!(eval(TextFn::NumberValue, &[t("3.5%")]), n(0.035));
    assert_eq!(eval(TextFn::NumberValue, &[t(" 1 000 ")]), n(1000.0));
    assert_eq!(eval(TextFn::NumberValue, &[t("")]), n(0.0));
    assert_eq!(eval(TextFn::NumberValue, &[t("1.2.3")]), VALUE_ERR);
    assert_eq!(eval(TextFn::NumberValue, &[t("1,5"), t(","), t(",")]), VALUE_ERR);
}

/// `VALUE` of date text as Excel cached it in a workbook calculated in the
/// en-GB locale (calc_tests/TEXT/T_VALUE_VALUETOTEXT.xlsx, column I and C15).
#[test]
fn value_reads_date_text_in_the_context_order() {
    let mut en_gb = MapContext::new(&["Sheet1"]);
    en_gb.use_date_order(crate::ir::DateOrder::DayFirst);
    let value = |text: &str| eval_in(&en_gb, TextFn::Value, vec![Operand::Value(t(text))]);
    assert_eq!(value("2/3/2023"), n(44987.0));
    assert_eq!(value("10-12-1999"), n(36504.0));
    assert_eq!(value("2-Feb-2026"), n(46055.0));
    assert_eq!(value("30/2/2010"), VALUE_ERR);
    assert_eq!(value("40-2-2023"), VALUE_ERR);
    assert_eq!(value("123,456.67"), n(123456.67));
    // The same texts in en-US, month first: 3 February 2023, 12 October 1999.
    assert_eq!(eval(TextFn::Value, &[t("2/3/2023")]), n(44960.0));
    assert_eq!(eval(TextFn::Value, &[t("10-12-1999")]), n(36445.0));
}

#[test]
fn rept_exact_t_documented_examples() {
    assert_eq!(eval(TextFn::Rept, &[t("*-"), n(3.0)]), t("*-*-*-"));
    assert_eq!(eval(TextFn::Rept, &[t("-"), n(10.0)]), t("----------"));
    assert_eq!(eval(TextFn::Rept, &[t("-"), n(-1.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Rept, &[t("ab"), n(20000.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Exact, &[t("word"), t("word")]), Value::Bool(true));
    assert_eq!(eval(TextFn::Exact, &[t("Word"), t("word")]), Value::Bool(false));
    assert_eq!(eval(TextFn::Exact, &[t("w ord"), t("word")]), Value::Bool(false));
    assert_eq!(eval(TextFn::T, &[t("Rainfall")]), t("Rainfall"));
    assert_eq!(eval(TextFn::T, &[n(19.0)]), t(""));
    assert_eq!(eval(TextFn::T, &[Value::Bool(true)]), t(""));
}

#[test]
fn character_codes_documented_examples() {
    assert_eq!(eval(TextFn::Char, &[n(65.0)]), t("A"));
    assert_eq!(eval(TextFn::Char, &[n(33.0)]), t("!"));
    assert_eq!(eval(TextFn::Char, &[n(0.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Char, &[n(256.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Code, &[t("A")]), n(65.0));
    assert_eq!(eval(TextFn::Code, &[t("!")]), n(33.0));
    assert_eq!(eval(TextFn::Code, &[t("")]), VALUE_ERR);
    assert_eq!(eval(TextFn::UniChar, &[n(66.0)]), t("B"));
    assert_eq!(eval(TextFn::UniChar, &[n(32.0)]), t(" "));
    assert_eq!(eval(TextFn::UniChar, &[n(0.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::UniChar, &[n(55296.0)]), Value::Error(ExcelError::NA));
    assert_eq!(eval(TextFn::UniChar, &[n(1_114_112.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::Unicode, &[t(" ")]), n(32.0));
    assert_eq!(eval(TextFn::Unicode, &[t("B")]), n(66.0));
    assert_eq!(eval(TextFn::Unicode, &[t("😀")]), n(128512.0));
}

#[test]
fn fixed_and_dollar_documented_examples() {
    use TextFn::{Dollar, Fixed};
    assert_eq!(eval(Fixed, &[n(1234.567), n(1.0)]), t("1,234.6"));
    assert_eq!(eval(Fixed, &[n(1234.567), n(-1.0)]), t("1,230"));
    assert_eq!(eval(Fixed, &[n(-1234.567), n(-1.0), Value::Bool(true)]), t("-1230"));
    assert_eq!(eval(Fixed, &[n(44.332)]), t("44.33"));
    assert_eq!(eval(Dollar, &[n(1234.567), n(2.0)]), t("$1,234.57"));
    assert_eq!(eval(Dollar, &[n(1234.567), n(-2.0)]), t("$1,200"));
    assert_eq!(eval(Dollar, &[n(-1234.567), n(-2.0)]), t("($1,200)"));
    assert_eq!(eval(Dollar, &[n(-0.123), n(4.0)]), t("($0.1230)"));
    assert_eq!(eval(Dollar, &[n(99.888)]), t("$99.89"));
}

/// VALUE, TEXTJOIN and CONCAT cases Excel computed in the conformance
/// workbooks of the shared corpus (T_VALUE_VALUETOTEXT.xlsx, TEXTJOIN.xlsx,
/// CONCAT.xlsx); only the ones that read the same in every locale.
#[test]
fn excel_computed_text_cases() {
    assert_eq!(eval(TextFn::Value, &[t("40%")]), n(0.4));
    assert_eq!(eval(TextFn::Value, &[t("1e-5")]), n(1e-5));
    assert_eq!(eval(TextFn::Value, &[t("123,456.67")]), n(123456.67));
    assert_eq!(eval(TextFn::Value, &[t("12,34")]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[t("2-Feb-2026")]), n(46055.0));
    assert_eq!(eval(TextFn::Value, &[t("30/2/2010")]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[t("40-2-2023")]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[t("")]), VALUE_ERR);
    assert_eq!(eval(TextFn::Value, &[Value::Empty]), n(0.0));
    assert_eq!(eval(TextFn::T, &[Value::Error(ExcelError::Div0)]), Value::Error(ExcelError::Div0));
    let join = |delimiter: Value, values: &[Value]| {
        let mut args = vec![delimiter, Value::Bool(true)];
        args.extend_from_slice(values);
        eval(TextFn::TextJoin, &args)
    };
    let numbers = [n(1.0), n(2.0), n(3.0), n(4.0)];
    assert_eq!(join(n(5.0), &numbers), t("1525354"));
    assert_eq!(join(t("."), &numbers), t("1.2.3.4"));
    let mixed = [t("Hi"), Value::Bool(true), Value::Bool(false), n(123.0)];
    assert_eq!(join(Value::Bool(true), &mixed), t("HiTRUETRUETRUEFALSETRUE123"));
    assert_eq!(join(Value::Error(ExcelError::NA), &numbers), Value::Error(ExcelError::NA));
    let with_error = [Value::Error(ExcelError::Div0), t("Tuesday")];
    assert_eq!(join(t(","), &with_error), Value::Error(ExcelError::Div0));
    let concat = [n(123.0), t("FOUR"), n(567.0)];
    assert_eq!(eval(TextFn::Concat, &concat), t("123FOUR567"));
    assert_eq!(eval(TextFn::Concat, &[Value::Bool(true), t("false")]), t("TRUEfalse"));
}

#[test]
fn whole_columns_and_unions_are_read_without_trailing_blanks() {
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set_column(0, 0, 0, vec![t("a"), Value::Empty, t("b")]);
    ctx.set(0, 0, 1, "c");
    let whole_column = column(0, crate::reference::MAX_ROWS - 1, 0);
    assert_eq!(eval_in(&ctx, TextFn::Concat, vec![whole_column.clone()]), t("ab"));
    let join = vec![Operand::Value(t("-")), Operand::Value(Value::Bool(true)), whole_column];
    assert_eq!(eval_in(&ctx, TextFn::TextJoin, join), t("a-b"));
    let areas = vec![
        RangeRef { sheet: 0, first_row: 0, first_col: 1, last_row: 0, last_col: 1 },
        RangeRef { sheet: 0, first_row: 0, first_col: 0, last_row: 2, last_col: 0 },
    ];
    let union = Operand::Ref(Reference::Union(Arc::from(areas)));
    assert_eq!(eval_in(&ctx, TextFn::Concat, vec![union]), t("cab"));
}

#[test]
fn an_empty_count_or_start_is_zero_not_the_default() {
    // Excel: calc_tests/TEXT/STRING_HANDLING.xlsx Sheet1, A22 holding
    // "A Wonderful World" with B22 and C22 empty: F22 `=LEFT(A22,C22)` and
    // G22 `=RIGHT(A22,C22)` are "", D22 `=MID(A22,B22,C22)` is #VALUE!; D24
    // `=MID(A24,1,C24)` is "".
    let text = t("A Wonderful World");
    assert_eq!(eval(TextFn::Left, &[text.clone(), Value::Empty]), t(""));
    assert_eq!(eval(TextFn::Right, &[text.clone(), Value::Empty]), t(""));
    assert_eq!(eval(TextFn::Mid, &[text.clone(), Value::Empty, Value::Empty]), VALUE_ERR);
    assert_eq!(eval(TextFn::Mid, &[text.clone(), n(1.0), Value::Empty]), t(""));
    // Absent, the count is one character (Microsoft's LEFT/RIGHT docs).
    assert_eq!(eval(TextFn::Left, std::slice::from_ref(&text)), t("A"));
    assert_eq!(eval(TextFn::Right, &[text]), t("d"));
}

/// Microsoft's TEXTAFTER page, examples 1 and the remarks on an empty
/// delimiter.
#[test]
fn textafter_microsoft_examples() {
    let a2 = t("Little Red Riding Hood's red hood");
    let a3 = t("Little red Riding Hood's red hood");
    assert_eq!(eval(TextFn::TextAfter, &[a2.clone(), t("Red")]), t(" Riding Hood's red hood"));
    assert_eq!(eval(TextFn::TextAfter, &[a2.clone(), t("basket")]), Value::Error(ExcelError::NA));
    assert_eq!(eval(TextFn::TextAfter, &[a3.clone(), t("red"), n(2.0)]), t(" hood"));
    assert_eq!(
        eval(TextFn::TextAfter, &[a3.clone(), t("red"), n(-2.0)]),
        t(" Riding Hood's red hood")
    );
    assert_eq!(eval(TextFn::TextAfter, &[a2, t("red"), n(3.0)]), Value::Error(ExcelError::NA));
    assert_eq!(eval(TextFn::TextAfter, &[a3.clone(), t("")]), a3.clone());
    assert_eq!(eval(TextFn::TextAfter, &[a3, t(""), n(-1.0)]), t(""));
}

/// Excel's cached values in calc_tests/TEXT/TEXTBEFORE_TEXTAFTER.xlsx.
#[test]
fn textbefore_textafter_corpus_rules() {
    let s = t("123 the 456 the 891");
    // Sheet1!G16: instance -1.6 rounds down to -2.
    assert_eq!(
        eval(TextFn::TextAfter, &[s.clone(), t("the"), n(-1.6), n(1.0), n(0.0), t("x")]),
        t(" 456 the 891")
    );
    // Sheet1!I10: instance 0 is #VALUE! even with if_not_found.
    let a = t("A day in the woods");
    assert_eq!(eval(TextFn::TextBefore, &[a, t("the"), n(0.0), n(1.0), n(0.0), t("x")]), VALUE_ERR);
    // Sheet1!G19 and H19: a delimiter longer than the text.
    assert_eq!(eval(TextFn::TextAfter, &[t("del"), t("deli"), n(1.0)]), VALUE_ERR);
    assert_eq!(eval(TextFn::TextAfter, &[t("del"), t("deli")]), Value::Error(ExcelError::NA));
    // Sheet1!G29 and I29: match_end with instance -1 and no delimiter found.
    let args = [s.clone(), t("Hello"), n(-1.0), n(1.0), n(1.0), t("Failed")];
    assert_eq!(eval(TextFn::TextAfter, &args), s);
    assert_eq!(eval(TextFn::TextBefore, &args), t(""));
    // Sheet1!G30: match_end applies only to the first or last instance.
    let args = [s.clone(), t("Hello"), n(2.0), n(1.0), n(1.0), t("Failed")];
    assert_eq!(eval(TextFn::TextAfter, &args), t("Failed"));
    // Sheet1!G39: match_end 2 is #VALUE!.
    assert_eq!(
        eval(TextFn::TextAfter, &[s, t("Hello"), n(-1.0), n(1.0), n(2.0), t("x")]),
        VALUE_ERR
    );
    // Sheet1!G22: TRUE is the text "TRUE", matched without case.
    assert_eq!(eval(TextFn::TextAfter, &[Value::Bool(true), t("r"), n(1.0), n(1.0)]), t("UE"));
}

/// Excel's cached values in calc_tests/TEXT/REGEX.xlsx and templates/wordle.xlsx.
#[test]
fn regex_functions_corpus_values() {
    let holmes = t("Mr. Sherlock Holmes");
    assert_eq!(eval(TextFn::RegexTest, &[holmes.clone(), t("[A-Z]her")]), Value::Bool(true));
    assert_eq!(eval(TextFn::RegexTest, &[holmes, t("[0-9]+")]), Value::Bool(false));
    assert_eq!(eval(TextFn::RegexTest, &[t("ABOUT"), t("^[A-Z]{5}$")]), Value::Bool(true));
    assert_eq!(eval(TextFn::RegexExtract, &[t("LonelyPlanet"), t("[A-Z][a-z]+")]), t("Lonely"));
    let replaced = eval(
        TextFn::RegexReplace,
        &[t("JamesBond"), t("([A-Z][a-z]+)([A-Z][a-z]+)"), t("$2, $1 $2")],
    );
    assert_eq!(replaced, t("Bond, James Bond"));
    // An unbalanced pattern is not a regular expression.
    assert_eq!(eval(TextFn::RegexTest, &[t("a"), t("(")]), VALUE_ERR);
}

/// Microsoft's REGEXREPLACE page: the second occurrence only, and case
/// sensitivity off.
#[test]
fn regexreplace_occurrence_and_case() {
    let text = t("abc abc abc");
    assert_eq!(
        eval(TextFn::RegexReplace, &[text.clone(), t("b"), t("X"), n(2.0)]),
        t("abc aXc abc")
    );
    assert_eq!(
        eval(TextFn::RegexReplace, &[text.clone(), t("b"), t("X"), n(-1.0)]),
        t("abc abc aXc")
    );
    assert_eq!(
        eval(TextFn::RegexReplace, &[text, t("B"), t("$$"), n(0.0), n(1.0)]),
        t("a$c a$c a$c")
    );
}

/// Excel's cached values in calc_tests/TEXT/ARRAYTOTEXT.xlsx and
/// T_VALUE_VALUETOTEXT.xlsx.
#[test]
fn valuetotext_and_arraytotext() {
    assert_eq!(eval(TextFn::ValueToText, &[Value::Bool(true)]), t("TRUE"));
    assert_eq!(eval(TextFn::ValueToText, &[Value::Error(ExcelError::Div0)]), t("#DIV/0!"));
    assert_eq!(eval(TextFn::ValueToText, &[n(1.2345)]), t("1.2345"));
    assert_eq!(eval(TextFn::ValueToText, &[t("a\"b"), n(1.0)]), t("\"a\"\"b\""));
    let array = Value::Array(Arc::new(
        Array::new(2, 2, vec![n(12.0), Value::Bool(false), t("x, y"), Value::Empty]).unwrap(),
    ));
    assert_eq!(eval(TextFn::ArrayToText, &[array.clone(), n(0.0)]), t("12, FALSE, x, y, "));
    assert_eq!(eval(TextFn::ArrayToText, &[array, n(1.0)]), t("{12,FALSE;\"x, y\",}"));
}

/// A row-major array of the given shape.
fn grid(rows: usize, cols: usize, values: Vec<Value>) -> Value {
    Value::Array(Arc::new(Array::new(rows, cols, values).unwrap()))
}

/// Texts as a row-major array of the given shape.
fn texts(rows: usize, cols: usize, pieces: &[&str]) -> Value {
    grid(rows, cols, pieces.iter().map(|p| t(p)).collect())
}

/// Excel's cached values in calc_tests/TEXT/TEXTSPLIT.xlsx.
#[test]
fn textsplit_corpus_values() {
    let split = |args: &[Value]| eval(TextFn::TextSplit, args);
    // Sheet1!B1 and B3.
    let fruit = t("Orange,Banana,Pear,Apple");
    assert_eq!(split(&[fruit, t(",")]), texts(1, 4, &["Orange", "Banana", "Pear", "Apple"]));
    assert_eq!(split(&[t("1 2 3 4"), t(" ")]), texts(1, 4, &["1", "2", "3", "4"]));
    // Sheet1!B4: rows and columns.
    assert_eq!(
        split(&[t("1,2,3;4,5,6"), t(","), t(";")]),
        texts(2, 3, &["1", "2", "3", "4", "5", "6"])
    );
    // Sheet1!B7, B8 and B9: ignore_empty, FALSE by default.
    let gaps = t("1,,2,3,,4");
    let empty = Value::Empty;
    let kept = texts(1, 6, &["1", "", "2", "3", "", "4"]);
    assert_eq!(
        split(&[gaps.clone(), t(","), empty.clone(), Value::Bool(true)]),
        texts(1, 4, &["1", "2", "3", "4"])
    );
    assert_eq!(split(&[gaps.clone(), t(","), empty.clone(), Value::Bool(false)]), kept);
    assert_eq!(split(&[gaps, t(",")]), kept);
    // Sheet1!B10 and B12: several delimiters, for columns or for rows.
    let mixed = t("1,2.3-4");
    let marks = texts(1, 3, &[",", ".", "-"]);
    assert_eq!(split(&[mixed.clone(), marks]), texts(1, 4, &["1", "2", "3", "4"]));
    let marks = texts(1, 2, &[",", "."]);
    assert_eq!(split(&[mixed, empty.clone(), marks]), texts(3, 1, &["1", "2", "3-4"]));
    // Sheet1!B16 and B20: short rows padded with #N/A, or with pad_with.
    let ragged = t("1,2,3;2,3;4,5,6,7");
    let na = Value::Error(ExcelError::NA);
    let padded = |pad: &Value| {
        let mut values: Vec<Value> = ["1", "2", "3"].iter().map(|p| t(p)).collect();
        values.push(pad.clone());
        values.extend([t("2"), t("3"), pad.clone(), pad.clone()]);
        values.extend(["4", "5", "6", "7"].iter().map(|p| t(p)));
        grid(3, 4, values)
    };
    assert_eq!(split(&[ragged.clone(), t(","), t(";")]), padded(&na));
    let args = [ragged, t(","), t(";"), Value::Bool(true), n(0.0), t("-")];
    assert_eq!(split(&args), padded(&t("-")));
    // Sheet1!B2 and row 26: no delimiter at all.
    let hola = t("Hola sin split");
    assert_eq!(split(&[t("Hello"), t("")]), VALUE_ERR);
    assert_eq!(split(&[hola.clone(), empty.clone()]), VALUE_ERR);
    assert_eq!(split(&[hola.clone(), empty.clone(), t("")]), VALUE_ERR);
    assert_eq!(split(&[hola, empty.clone(), empty]), VALUE_ERR);
}

/// Excel's cached values in calc_tests/TEXT/UPPER_LOWER.xlsx Sheet1!A1 and
/// LOOKUP_AND_REFERENCE/INDEX.xlsx, and the case-insensitive match_mode 1
/// of Microsoft's page.
#[test]
fn textsplit_spaces_kept_and_case() {
    let text = t("Hi, that's, AWSEOME,come, With, mE");
    let pieces = ["Hi", " that's", " AWSEOME", "come", " With", " mE"];
    assert_eq!(eval(TextFn::TextSplit, &[text, t(",")]), texts(1, 6, &pieces));
    let text = t("1X2x3");
    assert_eq!(eval(TextFn::TextSplit, &[text.clone(), t("x")]), texts(1, 2, &["1X2", "3"]));
    let args = [text, t("x"), Value::Empty, Value::Empty, n(1.0)];
    assert_eq!(eval(TextFn::TextSplit, &args), texts(1, 3, &["1", "2", "3"]));
    // A delimiter range: calc_tests/TEXT/TEXTSPLIT.xlsx Sheet1!E11.
    let mut ctx = MapContext::new(&["Sheet1"]);
    ctx.set(0, 0, 0, t(",")).set(0, 0, 1, t(".")).set(0, 0, 2, t("-"));
    let marks = Operand::Ref(Reference::Range(RangeRef {
        sheet: 0,
        first_row: 0,
        first_col: 0,
        last_row: 0,
        last_col: 2,
    }));
    let result = eval_in(&ctx, TextFn::TextSplit, vec![Operand::Value(t("1,2.3-4")), marks]);
    assert_eq!(result, texts(1, 4, &["1", "2", "3", "4"]));
}
