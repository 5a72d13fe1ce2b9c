//! Data validations of a worksheet, in both forms Excel writes: the plain
//! `<dataValidation sqref="..."><formula1>..</formula1>` and the `x14`
//! extension form inside `<extLst>`, which Excel uses when a list's source
//! is on another sheet: `<x14:dataValidation><x14:formula1><xm:f>..</xm:f>
//! </x14:formula1><xm:sqref>..</xm:sqref></x14:dataValidation>`.
//!
//! Elements are matched by local name, so one reader serves both forms.

use quick_xml::events::BytesStart;

use super::model::{RawValidation, ValidationKind};
use super::refs::parse_sqref;
use super::xml::{self, Node, Xml};
use super::XlsxError;

/// Reads the `dataValidation` element whose start was just read.
pub(crate) fn read_validation(
    xml: &mut Xml<'_>,
    start: &BytesStart<'_>,
    sheet: &str,
) -> Result<RawValidation, XlsxError> {
    let type_attr = xml::attr(xml, start, "type")?.unwrap_or_else(|| "none".to_owned());
    let kind = ValidationKind::from_attr(&type_attr).ok_or_else(|| {
        xml.error(format!("sheet {sheet}: unknown data validation type \"{type_attr}\""))
    })?;
    let operator = xml::attr(xml, start, "operator")?.unwrap_or_else(|| "between".to_owned());
    let allow_blank = xml::bool_attr(xml, start, "allowBlank", false)?;
    let mut sqref = xml::attr(xml, start, "sqref")?;
    let (mut formula1, mut formula2) = (None, None);

    let target = xml.depth().saturating_sub(1);
    while xml.depth() > target {
        match xml.next()? {
            Node::Start(child) => match xml::local(&child).as_slice() {
                b"formula1" => formula1 = Some(xml.text()?),
                b"formula2" => formula2 = Some(xml.text()?),
                b"sqref" => sqref = Some(xml.text()?),
                _ => xml.skip()?,
            },
            Node::Eof => return Err(xml.eof()),
            Node::End | Node::Text(_) => {}
        }
    }

    let sqref = sqref.unwrap_or_default();
    let ranges = parse_sqref(&sqref).filter(|r| !r.is_empty()).ok_or_else(|| {
        xml.error(format!("sheet {sheet}: data validation has an invalid sqref \"{sqref}\""))
    })?;
    Ok(RawValidation { ranges, kind, operator, formula1, formula2, allow_blank })
}
