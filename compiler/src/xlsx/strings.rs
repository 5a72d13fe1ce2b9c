//! Shared strings (`xl/sharedStrings.xml`) and the rich-text form shared
//! with inline strings: `<t>` directly, or runs `<r><t>`, with phonetic
//! guides (`<rPh>`) left out as Excel's cell value leaves them out.

use super::xml::{self, decode_xstring, Node, Xml};
use super::XlsxError;

/// Reads the shared string table, indexed by `<v>` of `t="s"` cells.
pub(crate) fn read_shared_strings(part: &str, bytes: &[u8]) -> Result<Vec<String>, XlsxError> {
    let mut xml = Xml::new(part, bytes);
    let mut out = Vec::new();
    loop {
        match xml.next()? {
            Node::Start(start) if xml::is(&start, "si") => out.push(read_rich_text(&mut xml)?),
            Node::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The plain text of a string item (`<si>` or `<is>`) whose start was just
/// read: its `<t>` texts in order, outside phonetic runs, up to its end.
pub(crate) fn read_rich_text(xml: &mut Xml<'_>) -> Result<String, XlsxError> {
    let target = xml.depth().saturating_sub(1);
    let mut out = String::new();
    while xml.depth() > target {
        match xml.next()? {
            Node::Start(start) if xml::is(&start, "rPh") || xml::is(&start, "phoneticPr") => {
                xml.skip()?;
            }
            Node::Start(start) if xml::is(&start, "t") => {
                out.push_str(&decode_xstring(&xml.text()?));
            }
            Node::Eof => return Err(xml.eof()),
            Node::Start(_) | Node::End | Node::Text(_) => {}
        }
    }
    Ok(out)
}
