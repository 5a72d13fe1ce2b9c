//! The workbook part (`xl/workbook.xml`): the sheet list, defined names,
//! `workbookPr` and `calcPr`.

use quick_xml::events::BytesStart;

use super::model::CalcSettings;
use super::xml::{self, Xml};
use super::XlsxError;

/// A `<sheet>` entry: every kind of sheet, in workbook order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetEntry {
    pub(crate) name: String,
    /// The `r:id` of the relationship to the sheet's part.
    pub(crate) rel_id: String,
}

/// A `<definedName>` with `localSheetId` still indexing [`WorkbookPart::sheets`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameEntry {
    pub(crate) name: String,
    pub(crate) local_sheet: Option<usize>,
    pub(crate) formula: String,
    pub(crate) hidden: bool,
}

/// What the workbook part says.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct WorkbookPart {
    pub(crate) sheets: Vec<SheetEntry>,
    pub(crate) names: Vec<NameEntry>,
    pub(crate) date_1904: bool,
    pub(crate) calc: CalcSettings,
}

/// Reads the workbook part `part`.
pub(crate) fn read_workbook_part(part: &str, bytes: &[u8]) -> Result<WorkbookPart, XlsxError> {
    let mut xml = Xml::new(part, bytes);
    let mut out = WorkbookPart::default();
    while let Some(start) = xml.next_start()? {
        // The x15 extension repeats `workbookPr` inside `extLst` with other
        // attributes; only the top-level one (depth 2) is the real one.
        if xml.depth() == 1 && !xml::is(&start, "workbook") {
            // A .docx or .pptx has an officeDocument too, with another root.
            return Err(xml.error("the main part is not a spreadsheet workbook"));
        }
        match xml::local(&start).as_slice() {
            b"sheet" => out.sheets.push(sheet_entry(&xml, &start)?),
            b"definedName" => out.names.push(name_entry(&mut xml, &start)?),
            b"workbookPr" if xml.depth() == 2 => {
                out.date_1904 = xml::bool_attr(&xml, &start, "date1904", false)?;
            }
            b"calcPr" if xml.depth() == 2 => out.calc = calc_settings(&xml, &start)?,
            b"extLst" => xml.skip()?,
            _ => {}
        }
    }
    Ok(out)
}

/// `<sheet name="Sheet1" sheetId="1" r:id="rId1"/>`.
fn sheet_entry(xml: &Xml<'_>, start: &BytesStart<'_>) -> Result<SheetEntry, XlsxError> {
    let name = xml::attr(xml, start, "name")?.ok_or_else(|| xml.error("a sheet has no name"))?;
    let rel_id = xml::attr_ns(xml, start, "id", true)?
        .ok_or_else(|| xml.error(format!("sheet {name} has no r:id")))?;
    Ok(SheetEntry { name, rel_id })
}

/// `<definedName name="X" localSheetId="0" hidden="1">Sheet1!$A$1</definedName>`.
fn name_entry(xml: &mut Xml<'_>, start: &BytesStart<'_>) -> Result<NameEntry, XlsxError> {
    let name =
        xml::attr(xml, start, "name")?.ok_or_else(|| xml.error("a defined name has no name"))?;
    let local_sheet = match xml::attr(xml, start, "localSheetId")? {
        None => None,
        Some(id) => Some(id.trim().parse().map_err(|_| {
            xml.error(format!("defined name {name} has localSheetId=\"{id}\", not an index"))
        })?),
    };
    let hidden = xml::bool_attr(xml, start, "hidden", false)?;
    let text = xml.text()?;
    let formula = text.strip_prefix('=').unwrap_or(&text).to_owned();
    Ok(NameEntry { name, local_sheet, formula, hidden })
}

/// `<calcPr iterate="1" iterateCount="100" iterateDelta="0.001" fullPrecision="1"/>`.
fn calc_settings(xml: &Xml<'_>, start: &BytesStart<'_>) -> Result<CalcSettings, XlsxError> {
    let default = CalcSettings::default();
    Ok(CalcSettings {
        iterate: xml::bool_attr(xml, start, "iterate", default.iterate)?,
        iterate_count: xml::num_attr(xml, start, "iterateCount", default.iterate_count)?,
        iterate_delta: xml::num_attr(xml, start, "iterateDelta", default.iterate_delta)?,
        full_precision: xml::bool_attr(xml, start, "fullPrecision", default.full_precision)?,
    })
}
