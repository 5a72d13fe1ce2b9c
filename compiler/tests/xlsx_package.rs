//! The xlsx reader on workbook-level settings, validations, tables, and on
//! files it must refuse: other formats, zip bombs, absurd nesting.

// Test helpers outside `#[test]` functions fail the test the same way the
// tests do; clippy's test exemption does not reach them.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail the test loudly")]

mod xlsx_support;

use std::io::{Cursor, Write};

use compiler::xlsx::limits::{MAX_ENTRIES, MAX_ENTRY_BYTES, MAX_XML_DEPTH};
use compiler::xlsx::refs::parse_cell;
use compiler::xlsx::{
    read_workbook, CalcSettings, RawTable, RawValidation, ValidationKind, XlsxError,
};
use xlsx_support::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `calcPr` attributes are read; absent ones take the schema defaults
/// (100 iterations, delta 0.001, full precision).
#[test]
fn calc_settings_and_defaults() {
    let extra = r#"<calcPr calcId="191029" iterate="1" iterateCount="50" iterateDelta="1E-4" fullPrecision="0"/>"#;
    let wb = read_workbook(&book(&[("S", sheet_xml("", ""))], &[], "", extra)).unwrap();
    let want = CalcSettings {
        iterate: true,
        iterate_count: 50,
        iterate_delta: 1e-4,
        full_precision: false,
    };
    assert_eq!(wb.calc, want);
    assert!(!wb.date_1904);

    let plain = r#"<calcPr calcId="191029" iterate="true"/>"#;
    let wb = read_workbook(&book(&[("S", sheet_xml("", ""))], &[], "", plain)).unwrap();
    let want = CalcSettings {
        iterate: true,
        iterate_count: 100,
        iterate_delta: 0.001,
        full_precision: true,
    };
    assert_eq!(wb.calc, want);

    let wb = read_workbook(&one_sheet("")).unwrap();
    assert_eq!(wb.calc, CalcSettings { iterate: false, ..want });
}

/// `workbookPr date1904` switches the date system; the x15 extension's own
/// `workbookPr` inside `extLst` does not count.
#[test]
fn date1904_from_workbook_pr() {
    let wb =
        read_workbook(&book(&[("S", sheet_xml("", ""))], &[], r#"<workbookPr date1904="1"/>"#, ""))
            .unwrap();
    assert!(wb.date_1904);
    let ext = r#"<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}"><x15:workbookPr xmlns:x15="x15" date1904="1"/></ext></extLst>"#;
    let wb = read_workbook(&book(&[("S", sheet_xml("", ""))], &[], "<workbookPr/>", ext)).unwrap();
    assert!(!wb.date_1904);
}

/// Both forms of data validation: plain, with multi-range `sqref` and
/// defaults, and the x14 extension with a cross-sheet list source.
#[test]
fn data_validations_both_forms() {
    let after = r#"<dataValidations count="3">
        <dataValidation type="whole" operator="between" allowBlank="1" showErrorMessage="1" sqref="A2:A301 C2"><formula1>0</formula1><formula2>120</formula2></dataValidation>
        <dataValidation type="list" sqref="D1"><formula1>"Home,Away,Draw"</formula1></dataValidation>
        <dataValidation sqref="E1:E3"/></dataValidations>
        <extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B1:B10 F5</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"#;
    let wb = read_workbook(&book(&[("S", sheet_xml("", after))], &[], "", "")).unwrap();
    let validations = &wb.sheets[0].validations;
    let rule = |ranges: Vec<(u32, u32, u32, u32)>,
                kind,
                operator: &str,
                f1: Option<&str>,
                f2: Option<&str>,
                blank| {
        RawValidation {
            ranges,
            kind,
            operator: operator.to_owned(),
            formula1: f1.map(str::to_owned),
            formula2: f2.map(str::to_owned),
            allow_blank: blank,
        }
    };
    assert_eq!(
        validations,
        &[
            rule(
                vec![(1, 0, 300, 0), (1, 2, 1, 2)],
                ValidationKind::Whole,
                "between",
                Some("0"),
                Some("120"),
                true
            ),
            rule(
                vec![(0, 3, 0, 3)],
                ValidationKind::List,
                "between",
                Some(r#""Home,Away,Draw""#),
                None,
                false
            ),
            rule(vec![(0, 4, 2, 4)], ValidationKind::Any, "between", None, None, false),
            rule(
                vec![(0, 1, 9, 1), (4, 5, 4, 5)],
                ValidationKind::List,
                "between",
                Some("Lists!$A$1:$A$3"),
                None,
                true
            ),
        ]
    );
}

/// Tables are found through the sheet's `tableParts`, with their sheet,
/// range, columns and header/totals row counts.
#[test]
fn tables_through_sheet_relationships() {
    let sheet = sheet_xml(
        r#"<row r="2"><c r="B2" t="inlineStr"><is><t>Stake</t></is></c></row>"#,
        r#"<tableParts count="1"><tablePart r:id="rId7"/></tableParts>"#,
    );
    let table = format!(
        r#"<table xmlns="{MAIN_NS}" id="1" name="Table1" displayName="Bets" ref="B2:C6" totalsRowCount="1"><autoFilter ref="B2:C5"/><tableColumns count="2"><tableColumn id="1" name="Stake"/><tableColumn id="2" name="Odds_x000a_(dec)" totalsRowFunction="sum"/></tableColumns><tableStyleInfo name="TableStyleMedium2"/></table>"#
    );
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook_xml(&[("Empty", "rId1"), ("Bets", "rId2")], "", "")),
        (
            "xl/_rels/workbook.xml.rels",
            &rels(&[
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ]),
        ),
        ("xl/worksheets/sheet1.xml", &sheet_xml("", "")),
        ("xl/worksheets/sheet2.xml", &sheet),
        (
            "xl/worksheets/_rels/sheet2.xml.rels",
            &rels(&[("rId7", "table", "../tables/table1.xml")]),
        ),
        ("xl/tables/table1.xml", &table),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert_eq!(
        wb.tables,
        [RawTable {
            name: "Table1".to_owned(),
            display_name: "Bets".to_owned(),
            sheet: 1,
            range: (1, 1, 5, 2),
            columns: vec!["Stake".to_owned(), "Odds\n(dec)".to_owned()],
            header_row_count: 1,
            totals_row_count: 1,
            filter: None,
        }]
    );
}

/// Hidden rows are read from `<row hidden="1">`; an `<autoFilter>` range,
/// of the sheet or of a table, is kept only when it filters on a column.
#[test]
fn hidden_rows_and_filtering_auto_filters() {
    let sheet = sheet_xml(
        r#"<row r="2" hidden="1"><c r="B2"><v>1</v></c></row><row r="3"><c r="B3"><v>2</v></c></row><row r="5" hidden="true"/>"#,
        r#"<autoFilter ref="B1:B5"><filterColumn colId="0"><filters><filter val="2"/></filters></filterColumn></autoFilter><tableParts count="1"><tablePart r:id="rId7"/></tableParts>"#,
    );
    let table = format!(
        r#"<table xmlns="{MAIN_NS}" id="1" name="Table1" displayName="Bets" ref="D2:E6"><autoFilter ref="D2:E6"><filterColumn colId="1"><customFilters><customFilter operator="greaterThan" val="20"/></customFilters></filterColumn></autoFilter><tableColumns count="2"><tableColumn id="1" name="A"/><tableColumn id="2" name="B"/></tableColumns></table>"#
    );
    let plain = sheet_xml(r#"<row r="4" hidden="0"/>"#, r#"<autoFilter ref="A1:C9"/>"#);
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook_xml(&[("Plain", "rId1"), ("Bets", "rId2")], "", "")),
        (
            "xl/_rels/workbook.xml.rels",
            &rels(&[
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ]),
        ),
        ("xl/worksheets/sheet1.xml", &plain),
        ("xl/worksheets/sheet2.xml", &sheet),
        (
            "xl/worksheets/_rels/sheet2.xml.rels",
            &rels(&[("rId7", "table", "../tables/table1.xml")]),
        ),
        ("xl/tables/table1.xml", &table),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert_eq!(wb.sheets[0].hidden_rows, Vec::<u32>::new());
    assert_eq!(wb.sheets[0].filter, None);
    assert_eq!(wb.sheets[1].hidden_rows, [1, 4]);
    assert_eq!(wb.sheets[1].filter, Some((0, 1, 4, 1)));
    assert_eq!(wb.tables[0].filter, Some((1, 3, 5, 4)));
}

/// A formula whose `cm` points at `XLDAPR` metadata with `fDynamic="1"` is
/// a dynamic array; other `cm` values and cells without `cm` are not.
#[test]
fn dynamic_array_metadata() {
    let metadata = format!(
        r#"<metadata xmlns="{MAIN_NS}" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray"><metadataTypes count="2"><metadataType name="XLRICHVALUE" minSupportedVersion="120000"/><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="2"><bk><extLst><ext uri="{{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}}"><xda:dynamicArrayProperties fDynamic="0" fCollapsed="0"/></ext></extLst></bk><bk><extLst><ext uri="{{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="2"><bk><rc t="2" v="0"/></bk><bk><rc t="2" v="1"/></bk></cellMetadata></metadata>"#
    );
    let rows = r#"<row r="1"><c r="A1" cm="2"><f t="array" ref="A1:A3">SEQUENCE(3)</f><v>1</v></c><c r="B1" cm="1"><f t="array" ref="B1">SUM(A1:A3)</f><v>6</v></c><c r="C1"><f>A1</f><v>1</v></c></row>"#;
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook_xml(&[("S", "rId1")], "", "")),
        (
            "xl/_rels/workbook.xml.rels",
            &rels(&[
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sheetMetadata", "metadata.xml"),
            ]),
        ),
        ("xl/worksheets/sheet1.xml", &sheet_xml(rows, "")),
        ("xl/metadata.xml", &metadata),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    let dynamic = |a1: &str| {
        wb.sheets[0].cells[&parse_cell(a1).unwrap()].formula.as_ref().unwrap().dynamic_array
    };
    assert!(dynamic("A1"));
    assert!(!dynamic("B1"));
    assert!(!dynamic("C1"));
}

/// An OLE2 file is a legacy `.xls`, unless it is an encrypted package.
#[test]
fn xls_and_encrypted_are_refused_by_name() {
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend([0u8; 504]);
    assert_eq!(read_workbook(&xls), Err(XlsxError::Xls));
    assert_eq!(XlsxError::Xls.to_string(), "this is an .xls file; save it as .xlsx");

    let mut encrypted = xls.clone();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read_workbook(&encrypted), Err(XlsxError::Encrypted));
}

/// OpenDocument spreadsheets, binary workbooks and non-zip bytes are refused.
#[test]
fn other_formats_are_refused() {
    let ods = zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<x/>"),
    ]);
    assert_eq!(read_workbook(&ods), Err(XlsxError::Ods));

    let xlsb = zip(&[("_rels/.rels", &root_rels("xl/workbook.bin")), ("xl/workbook.bin", "\u{0}")]);
    assert_eq!(read_workbook(&xlsb), Err(XlsxError::Xlsb));

    assert_eq!(read_workbook(b"name,odds\nHome,1.5\n"), Err(XlsxError::NotZip));
    assert_eq!(read_workbook(b"PK\x03\x04 truncated"), Err(XlsxError::NotZip));
    assert_eq!(read_workbook(&[]), Err(XlsxError::NotZip));

    let no_workbook = zip(&[("docProps/app.xml", "<x/>")]);
    assert_eq!(
        read_workbook(&no_workbook),
        Err(XlsxError::MissingPart { part: "_rels/.rels".to_owned() })
    );

    let no_sheet = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook_xml(&[("S", "rId1")], "", "")),
        ("xl/_rels/workbook.xml.rels", &rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")])),
    ]);
    let missing = XlsxError::MissingPart { part: "xl/worksheets/sheet1.xml".to_owned() };
    assert_eq!(read_workbook(&no_sheet), Err(missing));
}

/// Overwrites the uncompressed size of every entry named `name`, in its
/// local header (offset 22) and central directory record (offset 24).
fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    for i in 0..zip.len().saturating_sub(46) {
        let (signature, name_at) = match &zip[i..i + 4] {
            [0x50, 0x4B, 0x03, 0x04] => (22, 30),
            [0x50, 0x4B, 0x01, 0x02] => (24, 46),
            _ => continue,
        };
        if zip[i + name_at..].starts_with(name) {
            zip[i + signature..i + signature + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

/// A package whose sheet is `sheet_bytes` of XML, deflated.
fn book_with_raw_sheet(sheet: &[u8]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let (root, workbook) = (root_rels("xl/workbook.xml"), workbook_xml(&[("S", "rId1")], "", ""));
    let workbook_rels = rels(&[("rId1", "worksheet", "worksheets/sheet1.xml")]);
    let files: [(&str, &[u8]); 3] = [
        ("_rels/.rels", root.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
    ];
    for (name, content) in files {
        writer.start_file(name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    writer.write_all(sheet).unwrap();
    writer.finish().unwrap().into_inner()
}

/// An entry whose header claims 1 KiB but which inflates to 50 MiB is
/// refused after reading no more than its claim.
#[test]
fn zip_bomb_with_lying_header_is_refused() {
    let mut sheet = sheet_xml("", "").into_bytes();
    sheet.resize(50 * 1024 * 1024, b' ');
    let mut bytes = book_with_raw_sheet(&sheet);
    assert!(bytes.len() < 1024 * 1024, "the bomb is small: {} bytes", bytes.len());
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", 1024);
    match read_workbook(&bytes) {
        Err(XlsxError::TooLarge { what, .. }) => {
            assert!(what.contains("xl/worksheets/sheet1.xml"), "{what}")
        }
        other => panic!("{other:?}"),
    }
}

/// An entry declaring more than the per-entry limit is refused before any
/// inflation.
#[test]
fn entry_declaring_too_much_is_refused() {
    let mut bytes = book_with_raw_sheet(sheet_xml("", "").as_bytes());
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", MAX_ENTRY_BYTES as u32 + 1);
    let err = read_workbook(&bytes).unwrap_err();
    assert_eq!(
        err,
        XlsxError::TooLarge {
            what: format!(
                "zip entry xl/worksheets/sheet1.xml ({} bytes uncompressed)",
                MAX_ENTRY_BYTES + 1
            ),
            limit: MAX_ENTRY_BYTES
        }
    );
}

/// More entries than the limit are refused.
#[test]
fn too_many_entries_are_refused() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..=MAX_ENTRIES {
        writer.start_file(format!("f{i}"), options).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    let err = read_workbook(&bytes).unwrap_err();
    let XlsxError::TooLarge { what, limit } = err else { panic!("{err:?}") };
    assert_eq!(limit, MAX_ENTRIES as u64);
    assert_eq!(what, format!("the number of zip entries ({})", MAX_ENTRIES + 1));
}

/// XML nested deeper than the limit is refused; at the limit it is read.
#[test]
fn deep_nesting_is_refused() {
    // The worksheet root is level 1, so `n` nested elements reach level n + 1.
    let nested = |n: usize| "<x>".repeat(n) + &"</x>".repeat(n);
    let ok = book_with_raw_sheet(sheet_xml("", &nested(MAX_XML_DEPTH - 1)).as_bytes());
    assert!(read_workbook(&ok).is_ok());
    let deep = book_with_raw_sheet(sheet_xml("", &nested(MAX_XML_DEPTH)).as_bytes());
    match read_workbook(&deep) {
        Err(XlsxError::Malformed { part, message }) => {
            assert_eq!(part, "xl/worksheets/sheet1.xml");
            assert!(message.contains("deeper than 256"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// Broken XML is reported with its part.
#[test]
fn broken_xml_names_its_part() {
    let bytes = book_with_raw_sheet(b"<worksheet><sheetData><row></sheetData></worksheet>");
    let err = read_workbook(&bytes).unwrap_err();
    let XlsxError::Malformed { part, message } = err else { panic!("{err:?}") };
    assert_eq!(part, "xl/worksheets/sheet1.xml");
    assert!(message.contains("expected `</row>`"), "{message}");
}

/// Strict OOXML names relationship types and namespaces differently
/// (`http://purl.oclc.org/ooxml/...`); parts and elements still resolve.
#[test]
fn strict_ooxml_package() {
    let rel = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    let main = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    let rels_xml = |entries: &[(&str, &str, &str)]| {
        let list: String = entries
            .iter()
            .map(|(id, kind, target)| {
                format!(r#"<Relationship Id="{id}" Type="{rel}/{kind}" Target="{target}"/>"#)
            })
            .collect();
        format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{list}</Relationships>"#
        )
    };
    let workbook = format!(
        r#"<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr date1904="1"/><sheets><sheet name="Strict" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let sheet = format!(
        r#"<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1"><v>2.5</v></c><c r="B1"><f>A1*2</f><v>5</v></c></row></sheetData></worksheet>"#
    );
    let bytes = zip(&[
        ("_rels/.rels", &rels_xml(&[("rId1", "officeDocument", "xl/workbook.xml")])),
        ("xl/workbook.xml", &workbook),
        (
            "xl/_rels/workbook.xml.rels",
            &rels_xml(&[("rId1", "worksheet", "worksheets/sheet1.xml")]),
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert!(wb.date_1904);
    let b1 = &wb.sheets[0].cells[&(0, 1)];
    assert_eq!(b1.formula.as_ref().unwrap().text, "A1*2");
    assert_eq!(b1.value, compiler::xlsx::CellValue::Number(5.0));
}

/// A macro-enabled workbook (`.xlsm`) reads like any other; the VBA project
/// is not a sheet and is left alone.
#[test]
fn xlsm_package_reads() {
    let sheet = sheet_xml(r#"<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>"#, "");
    let bytes = zip(&[
        ("_rels/.rels", &root_rels("xl/workbook.xml")),
        ("xl/workbook.xml", &workbook_xml(&[("M", "rId1")], "", "")),
        (
            "xl/_rels/workbook.xml.rels",
            &rels(&[
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId9", "vbaProject", "vbaProject.bin"),
            ]),
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/vbaProject.bin", "\u{1}binary"),
    ]);
    let wb = read_workbook(&bytes).unwrap();
    assert_eq!(wb.sheets.len(), 1);
    assert_eq!(wb.sheets[0].cells[&(0, 0)].formula.as_ref().unwrap().text, "1+1");
}

/// A Word document is a package with an `officeDocument` too; it is not
/// mistaken for an empty workbook.
#[test]
fn word_document_is_refused() {
    let doc = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#;
    let bytes =
        zip(&[("_rels/.rels", &root_rels("word/document.xml")), ("word/document.xml", doc)]);
    let err = read_workbook(&bytes).unwrap_err();
    let XlsxError::Malformed { part, message } = err else { panic!("{err:?}") };
    assert_eq!(part, "word/document.xml");
    assert!(message.starts_with("the main part is not a spreadsheet workbook"), "{message}");
}

/// Damaged sheet XML (truncated, or with bytes replaced) is read or refused
/// with an error, never a panic: the server reads uploads in-process.
#[test]
fn damaged_xml_never_panics() {
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f><v>2</v></c></row><row><c r="B2"><f t="shared" si="0"/><v>4</v></c><c t="inlineStr"><is><r><t>x_x0041_</t></r></is></c><c r="D2"><f t="array" ref="D2:D3">A1:A2</f><v>1</v></c></row>"#;
    let after = r#"<dataValidations><dataValidation type="list" sqref="A1:A3 C1"><formula1>"a,b"</formula1></dataValidation></dataValidations>"#;
    let sheet = sheet_xml(rows, after).into_bytes();
    let replacements = b"<>/\"=&;:_x0 \r\nAZ$9#";
    // A small linear congruential generator keeps the test deterministic.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..400 {
        let mut damaged = sheet.clone();
        if next(4) == 0 {
            damaged.truncate(next(damaged.len()));
        }
        for _ in 0..=next(3) {
            let at = next(damaged.len().max(1));
            if at < damaged.len() {
                damaged[at] = replacements[next(replacements.len())];
            }
        }
        let bytes = book_with_raw_sheet(&damaged);
        match read_workbook(&bytes) {
            Ok(_) => read += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(read > 0 && refused > 0, "read {read}, refused {refused}");
}

/// A damaged archive (bytes of the zip itself replaced) is refused or read,
/// never a panic.
#[test]
fn damaged_zip_never_panics() {
    let rows =
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>A1&amp;"!"</f><v>hi!</v></c></row>"#;
    let original = book(&[("S", sheet_xml(rows, ""))], &["hi"], "", "");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let mut refused = 0;
    for _ in 0..400 {
        let mut damaged = original.clone();
        for _ in 0..=next(4) {
            let at = next(damaged.len());
            damaged[at] = next(256) as u8;
        }
        refused += usize::from(read_workbook(&damaged).is_err());
    }
    assert!(refused > 0);
}
