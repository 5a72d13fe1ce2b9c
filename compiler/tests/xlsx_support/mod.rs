//! Builders of small in-memory `.xlsx` packages for the reader's tests.

#![allow(dead_code, reason = "each test binary uses a different subset of the helpers")]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The SpreadsheetML main namespace.
pub(crate) const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
/// The relationships namespace used for `r:id`.
pub(crate) const REL_NS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The prefix of relationship type URIs.
pub(crate) const REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Zips `(name, content)` pairs with deflate.
pub(crate) fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in files {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// `_rels/.rels` pointing at the workbook part `target`.
pub(crate) fn root_rels(target: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_TYPE}/officeDocument" Target="{target}"/></Relationships>"#
    )
}

/// A relationships part from `(id, type suffix, target)` triples.
pub(crate) fn rels(entries: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target) in entries {
        out += &format!(r#"<Relationship Id="{id}" Type="{REL_TYPE}/{kind}" Target="{target}"/>"#);
    }
    out + "</Relationships>"
}

/// A workbook part listing `sheets` (`name`, `r:id`) with `extra` XML after
/// the sheet list (defined names, calcPr).
pub(crate) fn workbook_xml(sheets: &[(&str, &str)], workbook_pr: &str, extra: &str) -> String {
    let list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, id))| format!(r#"<sheet name="{name}" sheetId="{}" r:id="{id}"/>"#, i + 1))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}<sheets>{list}</sheets>{extra}</workbook>"#
    )
}

/// A worksheet part whose `<sheetData>` holds `rows` and with `after` XML
/// following it (validations, table parts, extLst).
pub(crate) fn sheet_xml(rows: &str, after: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>{rows}</sheetData>{after}</worksheet>"#
    )
}

/// A shared string table.
pub(crate) fn shared_strings(items: &[&str]) -> String {
    let list: String = items.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{list}</sst>"#)
}

/// A package with the usual layout and one sheet per `(name, sheet xml)`,
/// shared strings `strings`, and the given workbook part extras.
pub(crate) fn book(
    sheets: &[(&str, String)],
    strings: &[&str],
    workbook_pr: &str,
    extra: &str,
) -> Vec<u8> {
    let ids: Vec<String> = (1..=sheets.len()).map(|i| format!("rId{i}")).collect();
    let list: Vec<(&str, &str)> =
        sheets.iter().zip(&ids).map(|((name, _), id)| (*name, id.as_str())).collect();
    let paths: Vec<String> =
        (1..=sheets.len()).map(|i| format!("xl/worksheets/sheet{i}.xml")).collect();
    let targets: Vec<String> =
        (1..=sheets.len()).map(|i| format!("worksheets/sheet{i}.xml")).collect();
    let mut rel_entries: Vec<(&str, &str, &str)> =
        ids.iter().zip(&targets).map(|(id, t)| (id.as_str(), "worksheet", t.as_str())).collect();
    rel_entries.push(("rIdS", "sharedStrings", "sharedStrings.xml"));

    let root = root_rels("xl/workbook.xml");
    let workbook = workbook_xml(&list, workbook_pr, extra);
    let workbook_rels = rels(&rel_entries);
    let strings = shared_strings(strings);
    let mut files: Vec<(&str, &str)> = vec![
        ("_rels/.rels", &root),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &workbook_rels),
        ("xl/sharedStrings.xml", &strings),
    ];
    for (path, (_, xml)) in paths.iter().zip(sheets) {
        files.push((path, xml));
    }
    zip(&files)
}

/// A one-sheet package named `Sheet1` with the given `<sheetData>` rows.
pub(crate) fn one_sheet(rows: &str) -> Vec<u8> {
    book(&[("Sheet1", sheet_xml(rows, ""))], &[], "", "")
}
