//! Table parts (`xl/tables/tableN.xml`): each table's names, range and
//! columns. A sheet lists its tables in `<tableParts>`; the reader follows
//! those relationships so each table knows its sheet.

use super::model::RawTable;
use super::refs::parse_range;
use super::xml::{self, decode_xstring, Xml};
use super::XlsxError;

/// Reads a table part belonging to the sheet at index `sheet`.
pub(crate) fn read_table(part: &str, bytes: &[u8], sheet: usize) -> Result<RawTable, XlsxError> {
    let mut xml = Xml::new(part, bytes);
    let mut table: Option<RawTable> = None;
    let mut auto_filter = None;
    while let Some(start) = xml.next_start()? {
        if xml::is(&start, "table") && xml.depth() == 1 {
            let range_text = xml::attr(&xml, &start, "ref")?.unwrap_or_default();
            let range = parse_range(range_text.trim())
                .ok_or_else(|| xml.error(format!("table range \"{range_text}\" is invalid")))?;
            let name = xml::attr(&xml, &start, "name")?.unwrap_or_default();
            table = Some(RawTable {
                display_name: xml::attr(&xml, &start, "displayName")?
                    .unwrap_or_else(|| name.clone()),
                name,
                sheet,
                range,
                columns: Vec::new(),
                header_row_count: xml::num_attr(&xml, &start, "headerRowCount", 1)?,
                totals_row_count: xml::num_attr(&xml, &start, "totalsRowCount", 0)?,
                filter: None,
            });
        } else if xml::is(&start, "autoFilter") {
            auto_filter = xml::attr(&xml, &start, "ref")?.and_then(|r| parse_range(r.trim()));
        } else if xml::is(&start, "filterColumn") {
            if let Some(table) = table.as_mut() {
                table.filter = table.filter.or(auto_filter);
            }
        } else if xml::is(&start, "tableColumn") {
            let name = xml::attr(&xml, &start, "name")?.unwrap_or_default();
            if let Some(table) = table.as_mut() {
                table.columns.push(decode_xstring(&name).into_owned());
            }
            xml.skip()?;
        }
    }
    table.ok_or_else(|| XlsxError::malformed(part, "no <table> element"))
}
