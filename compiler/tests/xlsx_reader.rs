//! The xlsx reader on small packages written in the tests, one feature of
//! the file format per test.

// Test helpers outside `#[test]` functions fail the test the same way the
// tests do; clippy's test exemption does not reach them.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail the test loudly")]

mod xlsx_support;

use compiler::xlsx::refs::parse_cell;
use compiler::xlsx::{
    read_workbook, CalcSettings, CellValue, FormulaKind, RawCell, RawFormula, RawWorkbook,
    ValidationKind, XlsxError,
};
use runtime::value::ExcelError;
use xlsx_support::*;

/// The cell at A1 address `a1` of sheet `sheet`.
fn cell<'w>(wb: &'w RawWorkbook, sheet: usize, a1: &str) -> &'w RawCell {
    let at = parse_cell(a1).unwrap();
    wb.sheets[sheet].cells.get(&at).unwrap_or_else(|| panic!("no cell {a1}"))
}

/// The formula of a cell.
fn formula<'w>(wb: &'w RawWorkbook, sheet: usize, a1: &str) -> &'w RawFormula {
    cell(wb, sheet, a1).formula.as_ref().unwrap_or_else(|| panic!("no formula at {a1}"))
}

fn at(a1: &str) -> (u32, u32) {
    parse_cell(a1).unwrap()
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.to_owned())
}

/// Followers get the master's text and anchor, whether they come before
/// the master in document order or after it, in any column; `si` indices
/// are per sheet, so the same `si` on two sheets names two groups.
#[test]
fn shared_formulas_keep_master_text_and_anchor() {
    let rows = r#"
        <row r="1"><c r="B1"><f t="shared" si="0"/><v>2</v></c><c r="C1"><f t="shared" si="1"/><v>1</v></c></row>
        <row r="2"><c r="B2"><f t="shared" ref="B1:B3" si="0">LOG10(A2)*2</f><v>4</v></c>
                   <c r="C2"><f t="shared" ref="C1:D3" si="1">A1+B$1</f><v>5</v></c>
                   <c r="D2"><f t="shared" si="1"/><v>6</v></c></row>
        <row r="3"><c r="B3"><f t="shared" si="0"/><v>6</v></c><c r="D3"><f t="shared" si="1"/><v>7</v></c></row>"#;
    let other = r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">ROW()</f><v>1</v></c></row>
        <row r="2"><c r="A2"><f t="shared" si="0"/><v>2</v></c></row>"#;
    let wb = book(&[("S1", sheet_xml(rows, "")), ("S2", sheet_xml(other, ""))], &[], "", "");
    let wb = read_workbook(&wb).unwrap();

    for a1 in ["B1", "B2", "B3"] {
        let f = formula(&wb, 0, a1);
        assert_eq!(
            (f.text.as_str(), f.anchor, &f.kind),
            ("LOG10(A2)*2", at("B2"), &FormulaKind::Shared)
        );
    }
    for a1 in ["C1", "C2", "D2", "D3"] {
        let f = formula(&wb, 0, a1);
        assert_eq!((f.text.as_str(), f.anchor), ("A1+B$1", at("C2")), "{a1}");
    }
    assert_eq!(cell(&wb, 0, "D3").value, CellValue::Number(7.0));
    assert_eq!(formula(&wb, 1, "A2").text, "ROW()");
    assert_eq!(formula(&wb, 1, "A2").anchor, at("A1"));
}

/// A follower whose group has no master is a damaged file, reported with
/// its sheet and cell.
#[test]
fn shared_follower_without_master_is_refused() {
    let wb = one_sheet(r#"<row r="4"><c r="C4"><f t="shared" si="3"/><v>1</v></c></row>"#);
    match read_workbook(&wb) {
        Err(XlsxError::Malformed { part, message }) => {
            assert_eq!(part, "xl/worksheets/sheet1.xml");
            assert!(message.contains("sheet Sheet1, cell C4"), "{message}");
            assert!(message.contains("si=\"3\""), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// An array formula is recorded on its top-left cell with its range; the
/// other cells of the range keep only their cached values.
#[test]
fn array_formula_on_top_left_cell_only() {
    let wb = one_sheet(
        r#"<row r="1"><c r="C1"><f t="array" ref="C1:C3">A1:A3*2</f><v>2</v></c></row>
           <row r="2"><c r="C2"><v>4</v></c></row><row r="3"><c r="C3"><v>6</v></c></row>
           <row r="4"><c r="D4"><f t="array" ref="D4">SUM(A1:A3*B1:B3)</f><v>9</v></c></row>"#,
    );
    let wb = read_workbook(&wb).unwrap();
    let f = formula(&wb, 0, "C1");
    assert_eq!(f.text, "A1:A3*2");
    assert_eq!(f.kind, FormulaKind::Array { range: (0, 2, 2, 2) });
    assert_eq!(cell(&wb, 0, "C2"), &RawCell { value: CellValue::Number(4.0), formula: None });
    assert_eq!(cell(&wb, 0, "C3").value, CellValue::Number(6.0));
    assert_eq!(formula(&wb, 0, "D4").kind, FormulaKind::Array { range: (3, 3, 3, 3) });
}

/// A what-if data table is reported as such, with its input cells.
#[test]
fn data_table_is_reported() {
    let wb = one_sheet(
        r#"<row r="2"><c r="B2"><f t="dataTable" ref="B2:B4" dt2D="0" dtr="0" r1="A1"/><v>3</v></c></row>"#,
    );
    let wb = read_workbook(&wb).unwrap();
    let f = formula(&wb, 0, "B2");
    assert_eq!(
        f.kind,
        FormulaKind::DataTable {
            range: (1, 1, 3, 1),
            r1: Some("A1".to_owned()),
            r2: None,
            two_dim: false
        }
    );
}

/// Inline strings, plain and rich, with phonetic runs left out and the
/// `_xHHHH_` escapes decoded; shared strings likewise.
#[test]
fn inline_and_shared_strings() {
    let rows = r#"<row r="1">
        <c r="A1" t="inlineStr"><is><t>hello</t></is></c>
        <c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>bo</t></r><r><t xml:space="preserve">ld </t></r><rPh sb="0" eb="1"><t>ボ</t></rPh></is></c>
        <c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c>
        <c r="E1" t="inlineStr"><is><t>a&amp;b &lt;c&gt;</t></is></c></row>"#;
    let wb = book(&[("S", sheet_xml(rows, ""))], &["line_x000D_break", "x_x005F_x000D_"], "", "");
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "A1").value, text("hello"));
    assert_eq!(cell(&wb, 0, "B1").value, text("bold "));
    assert_eq!(cell(&wb, 0, "C1").value, text("line\rbreak"));
    assert_eq!(cell(&wb, 0, "D1").value, text("x_x000D_"));
    assert_eq!(cell(&wb, 0, "E1").value, text("a&b <c>"));
}

/// Cached results of every type: numbers, `t="str"` strings (also the empty
/// string), booleans and errors, including the dynamic-array errors.
#[test]
fn cached_values_of_every_type() {
    let wb = one_sheet(
        r#"<row r="1">
        <c r="A1"><f>1/3</f><v>0.33333333333333331</v></c>
        <c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>
        <c r="C1" t="str"><f>""</f><v></v></c>
        <c r="D1" t="b"><f>1=1</f><v>1</v></c>
        <c r="E1" t="b"><v>0</v></c>
        <c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c>
        <c r="G1" t="e"><f>SEQUENCE(2)+A1:A3</f><v>#SPILL!</v></c>
        <c r="H1" t="e"><v>#N/A</v></c>
        <c r="I1"><f>NOW()</f></c>
        <c r="J1" t="n"><v>-1.5E-3</v></c>
        <c r="K1" s="3"/></row>"#,
    );
    let wb = read_workbook(&wb).unwrap();
    let value = |a1: &str| cell(&wb, 0, a1).value.clone();
    assert_eq!(value("A1"), CellValue::Number(1.0 / 3.0));
    assert_eq!(formula(&wb, 0, "B1").text, r#""a"&"b""#);
    assert_eq!(value("B1"), text("ab"));
    assert_eq!(value("C1"), text(""));
    assert_eq!(value("D1"), CellValue::Bool(true));
    assert_eq!(value("E1"), CellValue::Bool(false));
    assert_eq!(value("F1"), CellValue::Error(ExcelError::Div0));
    assert_eq!(value("G1"), CellValue::Error(ExcelError::Spill));
    assert_eq!(value("H1"), CellValue::Error(ExcelError::NA));
    assert_eq!(value("I1"), CellValue::Empty);
    assert_eq!(formula(&wb, 0, "I1").text, "NOW()");
    assert_eq!(value("J1"), CellValue::Number(-0.0015));
    assert!(!wb.sheets[0].cells.contains_key(&at("K1")), "a formatted empty cell is not stored");
}

/// A `t="d"` cell holds an ISO 8601 date; it is read as the serial number
/// Excel stores (DATE(2008,1,1) is 39448 per Microsoft's DATE docs).
#[test]
fn iso_date_cells_become_serials() {
    let wb = one_sheet(r#"<row r="1"><c r="A1" t="d"><v>2008-01-01T06:00:00</v></c></row>"#);
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "A1").value, CellValue::Number(39448.25));
}

/// Rows and cells without `r` take the position after the previous one.
#[test]
fn rows_and_cells_without_r() {
    let wb = one_sheet(
        r#"<row><c><v>1</v></c><c><v>2</v></c></row>
           <row><c t="b"><v>1</v></c><c r="D2"><v>4</v></c><c><v>5</v></c></row>
           <row r="7"><c><v>7</v></c></row><row/><row><c><v>9</v></c></row>"#,
    );
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "A1").value, CellValue::Number(1.0));
    assert_eq!(cell(&wb, 0, "B1").value, CellValue::Number(2.0));
    assert_eq!(cell(&wb, 0, "A2").value, CellValue::Bool(true));
    assert_eq!(cell(&wb, 0, "D2").value, CellValue::Number(4.0));
    assert_eq!(cell(&wb, 0, "E2").value, CellValue::Number(5.0));
    assert_eq!(cell(&wb, 0, "A7").value, CellValue::Number(7.0));
    assert_eq!(cell(&wb, 0, "A9").value, CellValue::Number(9.0));
    assert_eq!(wb.sheets[0].cells.len(), 7);
}

/// Elements and attributes with a namespace prefix read like plain ones.
#[test]
fn prefixed_namespaces() {
    let sheet = format!(
        r#"<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN_NS}" xmlns:r="{REL_NS}"><x:dimension ref="A1:B1"/><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="str"><x:f>A1&amp;"!"</x:f><x:v>hi!</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
    );
    let workbook = format!(
        r#"<x:workbook xmlns:x="{MAIN_NS}" xmlns:rel="{REL_NS}"><x:workbookPr date1904="true"/><x:sheets><x:sheet name="P" sheetId="1" rel:id="rId1"/></x:sheets><x:definedNames><x:definedName name="Greeting">P!$A$1</x:definedName></x:definedNames></x:workbook>"#
    );
    let strings = format!(r#"<x:sst xmlns:x="{MAIN_NS}"><x:si><x:t>hi</x:t></x:si></x:sst>"#);
    let wb_rels = rels(&[
        ("rId1", "worksheet", "worksheets/s.xml"),
        ("rId2", "sharedStrings", "strings.xml"),
    ]);
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &wb_rels),
        ("xl/worksheets/s.xml", &sheet),
        ("xl/strings.xml", &strings),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert_eq!(wb.sheets[0].name, "P");
    assert_eq!(wb.sheets[0].dimension.as_deref(), Some("A1:B1"));
    assert_eq!(cell(&wb, 0, "A1").value, text("hi"));
    assert_eq!(formula(&wb, 0, "B1").text, r#"A1&"!""#);
    assert!(wb.date_1904);
    assert_eq!(wb.names[0].formula, "P!$A$1");
}

/// The workbook part is found through `_rels/.rels` wherever it is, and
/// relationship targets may be absolute or climb with `..`.
#[test]
fn parts_found_through_relationships() {
    let wb_rels = rels(&[
        ("rIdA", "worksheet", "/data/sheets/first.xml"),
        ("rIdB", "worksheet", "../data/sheets/second.xml"),
    ]);
    let first = sheet_xml(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#, "");
    let second = sheet_xml(r#"<row r="1"><c r="A1"><v>2</v></c></row>"#, "");
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("/book/main.xml")),
        ("book/main.xml", &workbook_xml(&[("One", "rIdA"), ("Two", "rIdB")], "", "")),
        ("book/_rels/main.xml.rels", &wb_rels),
        ("data/sheets/first.xml", &first),
        ("data/sheets/second.xml", &second),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert_eq!(wb.sheets.len(), 2);
    assert_eq!((wb.sheets[0].name.as_str(), wb.sheets[1].name.as_str()), ("One", "Two"));
    assert_eq!(cell(&wb, 1, "A1").value, CellValue::Number(2.0));
}

/// Chartsheets are skipped; `localSheetId` counts every sheet, so names
/// are re-indexed over worksheets, and built-in names are marked.
#[test]
fn names_with_scope_skip_chartsheets() {
    let names = r#"<definedNames>
        <definedName name="_xlnm.Print_Area" localSheetId="0" hidden="1">Data!$A$1:$B$2</definedName>
        <definedName name="Rate" localSheetId="2">Calc!$B$1</definedName>
        <definedName name="Rate">0.05</definedName>
        <definedName name="_xlnm.Print_Titles" localSheetId="1">Chart1!$A:$A</definedName>
        <definedName name="Hidden" hidden="true">Data!$C$1</definedName></definedNames>"#;
    let workbook =
        workbook_xml(&[("Data", "rId1"), ("Chart1", "rId2"), ("Calc", "rId3")], "", names);
    let wb_rels = rels(&[
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "chartsheet", "chartsheets/sheet1.xml"),
        ("rId3", "worksheet", "worksheets/sheet2.xml"),
    ]);
    let empty = sheet_xml("", "");
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &wb_rels),
        ("xl/worksheets/sheet1.xml", &empty),
        ("xl/worksheets/sheet2.xml", &empty),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    let sheet_names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sheet_names, ["Data", "Calc"]);
    let got: Vec<(&str, Option<usize>, &str, bool, bool)> = wb
        .names
        .iter()
        .map(|n| (n.name.as_str(), n.scope, n.formula.as_str(), n.hidden, n.builtin))
        .collect();
    assert_eq!(
        got,
        [
            ("_xlnm.Print_Area", Some(0), "Data!$A$1:$B$2", true, true),
            ("Rate", Some(1), "Calc!$B$1", false, false),
            ("Rate", None, "0.05", false, false),
            ("Hidden", None, "Data!$C$1", true, false),
        ]
    );
}

/// A `localSheetId` past the last sheet is a damaged workbook.
#[test]
fn name_scope_out_of_range_is_refused() {
    let names =
        r#"<definedNames><definedName name="X" localSheetId="5">1</definedName></definedNames>"#;
    let bytes = book(&[("S", sheet_xml("", ""))], &[], "", names);
    let err = read_workbook(&bytes).unwrap_err();
    assert!(
        matches!(&err, XlsxError::Malformed { message, .. } if message.contains("localSheetId 5")),
        "{err}"
    );
}

/// Why cell values are not read through calamine: it fails the whole sheet
/// on a cached `#SPILL!`, which dynamic-array workbooks hold. Should this
/// start passing, the module doc of `compiler::xlsx` needs revisiting.
#[test]
fn calamine_cannot_read_cached_spill_errors() {
    use calamine::Reader;
    let bytes =
        one_sheet(r#"<row r="1"><c r="A1" t="e"><f>SEQUENCE(2)+A1:A3</f><v>#SPILL!</v></c></row>"#);
    let mut theirs: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    assert!(theirs.worksheet_range("Sheet1").is_err());
    let ours = read_workbook(&bytes).unwrap();
    assert_eq!(cell(&ours, 0, "A1").value, CellValue::Error(ExcelError::Spill));
}

/// The `<f ca="1"/>` Excel writes on the other cells of a volatile array
/// formula is not a formula: those cells keep only their cached values.
#[test]
fn volatile_array_members_have_no_formula() {
    let wb = one_sheet(
        r#"<row r="1"><c r="A1" cm="1"><f t="array" ref="A1:B1" ca="1">RANDARRAY(1,2)</f><v>0.5</v></c><c r="B1"><f ca="1"/><v>0.25</v></c><c r="C1"><f ca="1"/><v>1</v></c></row>"#,
    );
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "B1"), &RawCell { value: CellValue::Number(0.25), formula: None });
    assert_eq!(formula(&wb, 0, "A1").kind, FormulaKind::Array { range: (0, 0, 0, 1) });
    // Outside any array range an empty formula is kept for the parser to report.
    assert_eq!(formula(&wb, 0, "C1").text, "");
}

/// XML end-of-line handling: a raw CR LF in a value reads as LF, while a
/// carriage return written as `&#13;` or `_x000D_` is kept.
#[test]
fn line_ends_are_normalized_like_xml() {
    let wb = one_sheet(
        "<row r=\"1\"><c r=\"A1\" t=\"str\"><f>CHAR(10)</f><v xml:space=\"preserve\">\r\n</v></c>\
         <c r=\"B1\" t=\"str\"><f>CHAR(13)</f><v>&#13;</v></c>\
         <c r=\"C1\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c></row>",
    );
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "A1").value, text("\n"));
    assert_eq!(cell(&wb, 0, "B1").value, text("\r"));
    assert_eq!(cell(&wb, 0, "C1").value, text("a\rb"));
}

/// A workbook LibreOffice wrote (see `tests/data/README.md`): explicit
/// `t="n"`, `aca` attributes, the 1904 date system, iteration settings, a
/// sheet-local name, a legacy array formula and validations.
#[test]
fn libreoffice_written_file() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/xlsx_libreoffice.xlsx"))
            .unwrap();
    let wb = read_workbook(&bytes).unwrap();
    assert!(wb.date_1904);
    assert_eq!(
        wb.calc,
        CalcSettings {
            iterate: true,
            iterate_count: 50,
            iterate_delta: 0.001,
            full_precision: true
        }
    );
    let sheet_names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sheet_names, ["Data", "Calc"]);

    assert_eq!(formula(&wb, 0, "B2").text, "A2*2");
    assert_eq!(formula(&wb, 0, "B2").kind, FormulaKind::Normal);
    assert_eq!(cell(&wb, 0, "C1").value, CellValue::Number(6.0));
    assert_eq!(cell(&wb, 0, "C3").value, text(""));
    assert_eq!(cell(&wb, 0, "D1").value, text("Stake & odds"));
    assert_eq!(cell(&wb, 0, "E1").value, CellValue::Error(ExcelError::Div0));
    assert_eq!(cell(&wb, 0, "F1").value, CellValue::Bool(false));
    assert_eq!(formula(&wb, 0, "G1").kind, FormulaKind::Array { range: (0, 6, 2, 6) });
    assert_eq!(cell(&wb, 0, "G3"), &RawCell { value: CellValue::Number(30.0), formula: None });
    // 2008-01-01 is 39448 in the 1900 system and 1462 days less in the 1904
    // system, per Microsoft's documentation of the two date systems.
    assert_eq!(cell(&wb, 0, "E3").value, CellValue::Number(39448.0 - 1462.0));
    assert_eq!(formula(&wb, 1, "A1").text, "LOG10(Data!A3*100)");
    assert_eq!(cell(&wb, 1, "A1").value, CellValue::Number(2.47712125471966));

    let names: Vec<(&str, Option<usize>, &str)> =
        wb.names.iter().map(|n| (n.name.as_str(), n.scope, n.formula.as_str())).collect();
    assert_eq!(names, [("Rate", None, "0.05"), ("Local", Some(1), "Calc!$A$1")]);

    let list = &wb.sheets[0].validations[0];
    assert_eq!((list.kind, list.ranges.as_slice()), (ValidationKind::List, &[(0, 7, 1, 7)][..]));
    assert_eq!(
        (list.operator.as_str(), list.formula1.as_deref()),
        ("equal", Some(r#""Home,Away,Draw""#))
    );
    assert!(list.allow_blank);
}

/// A workbook openpyxl wrote (see `tests/data/README.md`): absolute part
/// targets, inline strings, no shared strings part, formulas with an empty
/// `<v />` cache, a table, a validation and iteration settings.
#[test]
fn openpyxl_written_file() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/xlsx_openpyxl.xlsx"))
            .unwrap();
    let wb = read_workbook(&bytes).unwrap();
    assert!(!wb.date_1904);
    assert_eq!(
        wb.calc,
        CalcSettings { iterate: true, iterate_count: 10, ..CalcSettings::default() }
    );
    assert_eq!(cell(&wb, 0, "A1").value, text("Stake"));
    assert_eq!(cell(&wb, 0, "B3").value, CellValue::Number(2.25));
    assert_eq!(cell(&wb, 0, "G1").value, CellValue::Bool(true));
    assert_eq!(
        cell(&wb, 0, "C3"),
        &RawCell {
            value: CellValue::Empty,
            formula: Some(RawFormula {
                text: "A3*B3".to_owned(),
                anchor: at("C3"),
                kind: FormulaKind::Normal,
                dynamic_array: false
            }),
        }
    );
    assert_eq!(formula(&wb, 0, "H1").text, r#"IF(G1,"yes","no")"#);
    assert_eq!(formula(&wb, 0, "F1").kind, FormulaKind::Array { range: (0, 5, 2, 5) });
    assert_eq!(formula(&wb, 1, "A1").text, "Bets!E1*Margin");

    let names: Vec<(&str, Option<usize>, &str)> =
        wb.names.iter().map(|n| (n.name.as_str(), n.scope, n.formula.as_str())).collect();
    assert_eq!(names, [("Margin", None, "0.95"), ("Local", Some(1), "Calc!$A$1")]);

    let table = &wb.tables[0];
    assert_eq!(
        (table.display_name.as_str(), table.sheet, table.range),
        ("BetTable", 0, (0, 0, 3, 2))
    );
    assert_eq!(table.columns, ["Stake", "Odds", "Return"]);

    let rule = &wb.sheets[0].validations[0];
    assert_eq!(
        (rule.kind, rule.operator.as_str(), rule.formula1.as_deref()),
        (ValidationKind::Decimal, "greaterThan", Some("0"))
    );
    assert_eq!(rule.ranges, [(1, 0, 99, 0)]);
}

/// Error codes the runtime cannot represent are read as `#VALUE!` today.
#[test]
fn unknown_error_codes_read_as_value_error() {
    // FIXME: `#GETTING_DATA` and the newer codes (`#BUSY!`, `#FIELD!`, ...)
    // should keep their identity; see `error_value` in the reader.
    let wb = one_sheet(r#"<row r="1"><c r="A1" t="e"><v>#GETTING_DATA</v></c></row>"#);
    let wb = read_workbook(&wb).unwrap();
    assert_eq!(cell(&wb, 0, "A1").value, CellValue::Error(ExcelError::Value));
}

/// Values that are not what their type says are reported with the cell.
#[test]
fn bad_values_name_their_cell() {
    let cases = [
        (r#"<c r="B2"><v>1,5</v></c>"#, "cell B2: value \"1,5\" is not a number"),
        (r#"<c r="B2"><v>inf</v></c>"#, "cell B2: value \"inf\" is not a number"),
        (r#"<c r="B2" t="s"><v>7</v></c>"#, "cell B2: shared string index 7 is out of range"),
        (r#"<c r="B2" t="b"><v>yes</v></c>"#, "cell B2: value \"yes\" is not a boolean"),
        (r#"<c r="B2" t="x"><v>1</v></c>"#, "cell B2: unknown cell type t=\"x\""),
        (
            r#"<c r="B2"><f t="array" ref="B2:??">1</f></c>"#,
            "cell B2: formula range \"B2:??\" is invalid",
        ),
    ];
    for (xml, want) in cases {
        let bytes = one_sheet(&format!(r#"<row r="2">{xml}</row>"#));
        let err = read_workbook(&bytes).unwrap_err();
        let XlsxError::Malformed { message, .. } = &err else { panic!("{err:?}") };
        assert_eq!(message, &format!("sheet Sheet1, {want}"));
    }
}
