//! A thin layer over `quick-xml` shared by every part reader: elements are
//! matched by local name (so `<x:c>` and `<c>` are the same), nesting depth
//! is bounded, and errors name the part.

use std::borrow::Cow;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::limits::MAX_XML_DEPTH;
use super::XlsxError;

/// What the part reader sees: the start or end of an element, or text.
/// Empty elements (`<c/>`) arrive as a start followed by an end.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    Start(BytesStart<'a>),
    End,
    Text(String),
    Eof,
}

/// A depth-bounded pull reader over one part held in memory.
// FIXME: parts encoded in UTF-16 (allowed by the package format, but never
// written by Excel, LibreOffice or openpyxl) are refused as malformed.
pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    depth: usize,
}

impl<'a> Xml<'a> {
    /// A reader over `bytes`, the content of `part` (named in errors).
    pub(crate) fn new(part: &'a str, bytes: &'a [u8]) -> Xml<'a> {
        let mut reader = Reader::from_reader(bytes);
        reader.config_mut().expand_empty_elements = true;
        Xml { reader, part, depth: 0 }
    }

    /// The current element depth (0 outside the root element).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// The next start (or empty) element, skipping ends and text; `None`
    /// at the end of the part.
    ///
    /// # Errors
    /// As [`Xml::next`].
    pub(crate) fn next_start(&mut self) -> Result<Option<BytesStart<'a>>, XlsxError> {
        loop {
            match self.next()? {
                Node::Start(start) => return Ok(Some(start)),
                Node::Eof => return Ok(None),
                Node::End | Node::Text(_) => {}
            }
        }
    }

    /// The next start, end or text node, skipping comments, declarations and
    /// processing instructions.
    ///
    /// # Errors
    /// [`XlsxError::Malformed`] for XML syntax errors or nesting deeper than
    /// [`MAX_XML_DEPTH`].
    pub(crate) fn next(&mut self) -> Result<Node<'a>, XlsxError> {
        loop {
            let event = self.reader.read_event().map_err(|e| self.error(e))?;
            match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > MAX_XML_DEPTH {
                        let message = format!("elements nest deeper than {MAX_XML_DEPTH} levels");
                        return Err(XlsxError::malformed(self.part, message));
                    }
                    return Ok(Node::Start(start));
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::End);
                }
                Event::Text(text) => {
                    let raw = std::str::from_utf8(&text).map_err(|e| self.error(e))?;
                    let raw = normalize_line_ends(raw);
                    let text = unescape(&raw).map_err(|e| self.error(e))?;
                    return Ok(Node::Text(text.into_owned()));
                }
                Event::CData(data) => {
                    let text = String::from_utf8_lossy(&data.into_inner()).into_owned();
                    return Ok(Node::Text(text));
                }
                Event::Eof => return Ok(Node::Eof),
                Event::Empty(_)
                | Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_) => {}
            }
        }
    }

    /// Skips the rest of the element whose start was just read.
    pub(crate) fn skip(&mut self) -> Result<(), XlsxError> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if let Node::Eof = self.next()? {
                return Err(self.eof());
            }
        }
        Ok(())
    }

    /// The text content of the element whose start was just read, up to its
    /// end. Text inside child elements is included.
    pub(crate) fn text(&mut self) -> Result<String, XlsxError> {
        let target = self.depth.saturating_sub(1);
        let mut out = String::new();
        while self.depth > target {
            match self.next()? {
                Node::Text(text) => out.push_str(&text),
                Node::Eof => return Err(self.eof()),
                Node::Start(_) | Node::End => {}
            }
        }
        Ok(out)
    }

    /// The error for a part that ends inside an element.
    pub(crate) fn eof(&self) -> XlsxError {
        XlsxError::malformed(self.part, "unexpected end of document")
    }

    /// A [`XlsxError::Malformed`] for this part, with the byte offset.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> XlsxError {
        let at = self.reader.buffer_position();
        XlsxError::malformed(
            self.part,
            format!("{} (at byte {at})", message.to_string().to_lowercase()),
        )
    }
}

/// Applies XML 1.0's end-of-line handling (section 2.11), which a parser
/// must do before anything else: `\r\n` and a lone `\r` become `\n`. A
/// carriage return meant as data is written as `&#13;` or `_x000D_`, which
/// are decoded later and so survive.
fn normalize_line_ends(raw: &str) -> Cow<'_, str> {
    if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// The local name of an element (`c` for `<x:c>`).
pub(crate) fn local(start: &BytesStart<'_>) -> Vec<u8> {
    start.local_name().as_ref().to_vec()
}

/// Whether `start` is the element with local name `name`.
pub(crate) fn is(start: &BytesStart<'_>, name: &str) -> bool {
    start.local_name().as_ref() == name.as_bytes()
}

/// The unescaped value of the attribute whose local name is `name`, ignoring
/// prefixes, and only unprefixed unless `prefixed` (for `r:id`).
pub(crate) fn attr_ns(
    xml: &Xml<'_>,
    start: &BytesStart<'_>,
    name: &str,
    prefixed: bool,
) -> Result<Option<String>, XlsxError> {
    for attribute in start.attributes().with_checks(false) {
        let attribute = attribute.map_err(|e| xml.error(e))?;
        let key = attribute.key;
        if key.local_name().as_ref() == name.as_bytes() && key.prefix().is_some() == prefixed {
            let value = attribute.unescape_value().map_err(|e| xml.error(e))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// The value of the unprefixed attribute `name`.
pub(crate) fn attr(
    xml: &Xml<'_>,
    start: &BytesStart<'_>,
    name: &str,
) -> Result<Option<String>, XlsxError> {
    attr_ns(xml, start, name, false)
}

/// An `xsd:boolean` attribute (`1`, `true`, `0`, `false`), or `default`.
pub(crate) fn bool_attr(
    xml: &Xml<'_>,
    start: &BytesStart<'_>,
    name: &str,
    default: bool,
) -> Result<bool, XlsxError> {
    match attr(xml, start, name)?.as_deref() {
        None => Ok(default),
        Some("1" | "true") => Ok(true),
        Some("0" | "false") => Ok(false),
        Some(other) => Err(xml.error(format!("attribute {name}=\"{other}\" is not a boolean"))),
    }
}

/// A numeric attribute parsed as `T`, or `default` when absent.
pub(crate) fn num_attr<T: std::str::FromStr>(
    xml: &Xml<'_>,
    start: &BytesStart<'_>,
    name: &str,
    default: T,
) -> Result<T, XlsxError> {
    match attr(xml, start, name)? {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse()
            .map_err(|_| xml.error(format!("attribute {name}=\"{text}\" is not a number"))),
    }
}

/// Decodes the `_xHHHH_` escapes OOXML uses in strings for characters XML
/// cannot carry (`_x000D_` for a carriage return); `_x005F_` escapes the
/// underscore itself, so `_x005F_x000D_` stays literal text `_x000D_`.
pub(crate) fn decode_xstring(text: &str) -> Cow<'_, str> {
    if !text.contains("_x") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        match escaped_char(candidate) {
            Some(c) => {
                out.push(c);
                rest = &candidate[7..];
            }
            None => {
                out.push_str("_x");
                rest = &candidate[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character of an `_xHHHH_` escape at the start of `text`.
fn escaped_char(text: &str) -> Option<char> {
    let bytes = text.as_bytes();
    if bytes.len() < 7 || bytes[6] != b'_' || !bytes[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(&text[2..6], 16).ok().and_then(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the start-element local names and texts of a document.
    fn nodes(doc: &str) -> Result<Vec<String>, XlsxError> {
        let mut xml = Xml::new("p.xml", doc.as_bytes());
        let mut out = Vec::new();
        loop {
            match xml.next()? {
                Node::Start(start) => {
                    out.push(String::from_utf8_lossy(&local(&start)).into_owned())
                }
                Node::Text(text) => out.push(format!("text:{text}")),
                Node::End => {}
                Node::Eof => return Ok(out),
            }
        }
    }

    #[test]
    fn byte_order_mark_and_declaration_are_skipped() {
        let got =
            nodes("\u{FEFF}<?xml version=\"1.0\"?><a:x xmlns:a=\"n\"><y/>t&amp;u</a:x>").unwrap();
        assert_eq!(got, ["x", "y", "text:t&u"]);
    }

    #[test]
    fn mismatched_end_is_malformed() {
        let err = nodes("<a><b></a>").unwrap_err();
        assert!(matches!(err, XlsxError::Malformed { ref part, .. } if part == "p.xml"), "{err:?}");
    }

    #[test]
    fn xstring_escapes() {
        assert_eq!(decode_xstring("a_x000D_b"), "a\rb");
        assert_eq!(decode_xstring("_x005F_x000D_"), "_x000D_");
        assert_eq!(decode_xstring("_xlfn.SUM"), "_xlfn.SUM");
        assert_eq!(decode_xstring("_x00e9_t_x00E9_"), "\u{e9}t\u{e9}");
        assert_eq!(decode_xstring("tail_x12"), "tail_x12");
    }
}
