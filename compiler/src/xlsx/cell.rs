//! One `<c>` element of a worksheet: its stored value and its `<f>`.

use quick_xml::events::BytesStart;
use runtime::value::ExcelError;

use super::dates::iso_to_serial;
use super::model::CellValue;
use super::refs::cell_name;
use super::strings::read_rich_text;
use super::xml::{self, decode_xstring, Node, Xml};
use super::XlsxError;

/// The `<f>` element of a cell, as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FormulaElement {
    /// `t`: `normal` (the default), `shared`, `array` or `dataTable`.
    pub(crate) kind: Option<String>,
    /// `ref`: the range of a shared master, an array or a data table.
    pub(crate) range: Option<String>,
    /// `si`: the shared formula group.
    pub(crate) shared_index: Option<u32>,
    /// `r1`, `r2`, `dt2D` of a data table.
    pub(crate) r1: Option<String>,
    pub(crate) r2: Option<String>,
    pub(crate) two_dim: bool,
    pub(crate) text: String,
}

/// A `<c>` element read but not yet interpreted.
#[derive(Debug, Default)]
pub(crate) struct CellElement {
    pub(crate) cell_type: Option<String>,
    /// `cm`: the 1-based cell metadata index.
    pub(crate) metadata: Option<usize>,
    /// `vm`: the 1-based value metadata index.
    pub(crate) value_metadata: Option<usize>,
    pub(crate) value: Option<String>,
    pub(crate) inline: Option<String>,
    pub(crate) formula: Option<FormulaElement>,
}

/// Reads the children of the `<c>` whose start (already parsed for its
/// attributes into `cell`) was just read.
pub(crate) fn read_cell_body(xml: &mut Xml<'_>, cell: &mut CellElement) -> Result<(), XlsxError> {
    let target = xml.depth().saturating_sub(1);
    while xml.depth() > target {
        match xml.next()? {
            Node::Start(child) => match xml::local(&child).as_slice() {
                b"v" => cell.value = Some(xml.text()?),
                b"is" => cell.inline = Some(read_rich_text(xml)?),
                b"f" => cell.formula = Some(read_formula(xml, &child)?),
                _ => xml.skip()?,
            },
            Node::Eof => return Err(xml.eof()),
            Node::End | Node::Text(_) => {}
        }
    }
    Ok(())
}

/// Reads `<f t=".." ref=".." si="..">text</f>` whose start was just read.
fn read_formula(xml: &mut Xml<'_>, start: &BytesStart<'_>) -> Result<FormulaElement, XlsxError> {
    let shared_index = match xml::attr(xml, start, "si")? {
        None => None,
        Some(si) => Some(si.trim().parse().map_err(|_| xml.error(format!("si=\"{si}\"")))?),
    };
    Ok(FormulaElement {
        kind: xml::attr(xml, start, "t")?,
        range: xml::attr(xml, start, "ref")?,
        shared_index,
        r1: xml::attr(xml, start, "r1")?,
        r2: xml::attr(xml, start, "r2")?,
        two_dim: xml::bool_attr(xml, start, "dt2D", false)?,
        text: xml.text()?,
    })
}

/// Context for interpreting values: the shared strings and the date system.
pub(crate) struct ValueContext<'a> {
    pub(crate) strings: &'a [String],
    pub(crate) date_1904: bool,
    pub(crate) part: &'a str,
    pub(crate) sheet: &'a str,
}

impl ValueContext<'_> {
    /// The value a cell stores, by its `t` attribute: `n` (default), `s`,
    /// `str`, `inlineStr`, `b`, `e` or `d`.
    pub(crate) fn value(&self, cell: &CellElement, at: (u32, u32)) -> Result<CellValue, XlsxError> {
        let v = cell.value.as_deref();
        match cell.cell_type.as_deref().unwrap_or("n") {
            "n" => self.number(v, at),
            "s" => self.shared_string(v, at),
            "str" => Ok(v.map_or(CellValue::Empty, |s| CellValue::Text(decode_xstring(s).into()))),
            "inlineStr" => Ok(match (&cell.inline, v) {
                (Some(text), _) => CellValue::Text(text.clone()),
                (None, Some(text)) => CellValue::Text(decode_xstring(text).into_owned()),
                (None, None) => CellValue::Empty,
            }),
            "b" => self.boolean(v, at),
            "e" => Ok(v.map_or(CellValue::Empty, |code| CellValue::Error(error_value(code)))),
            "d" => self.date(v, at),
            other => Err(self.error(at, format!("unknown cell type t=\"{other}\""))),
        }
    }

    /// `t="n"`: a number; an empty `<v>` means no value.
    fn number(&self, v: Option<&str>, at: (u32, u32)) -> Result<CellValue, XlsxError> {
        let Some(text) = v.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(CellValue::Empty);
        };
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(CellValue::Number(n)),
            _ => Err(self.error(at, format!("value \"{text}\" is not a number"))),
        }
    }

    /// `t="s"`: an index into the shared string table.
    fn shared_string(&self, v: Option<&str>, at: (u32, u32)) -> Result<CellValue, XlsxError> {
        let Some(text) = v.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(CellValue::Empty);
        };
        text.parse::<usize>()
            .ok()
            .and_then(|i| self.strings.get(i))
            .map(|s| CellValue::Text(s.clone()))
            .ok_or_else(|| self.error(at, format!("shared string index {text} is out of range")))
    }

    /// `t="b"`: `1`/`0` (or `true`/`false`).
    fn boolean(&self, v: Option<&str>, at: (u32, u32)) -> Result<CellValue, XlsxError> {
        match v.map(str::trim) {
            None | Some("") => Ok(CellValue::Empty),
            Some("1" | "true") => Ok(CellValue::Bool(true)),
            Some("0" | "false") => Ok(CellValue::Bool(false)),
            Some(other) => Err(self.error(at, format!("value \"{other}\" is not a boolean"))),
        }
    }

    /// `t="d"`: an ISO 8601 date-time, stored here as the serial number
    /// Excel would hold.
    fn date(&self, v: Option<&str>, at: (u32, u32)) -> Result<CellValue, XlsxError> {
        let Some(text) = v.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(CellValue::Empty);
        };
        iso_to_serial(text, self.date_1904)
            .map(CellValue::Number)
            .ok_or_else(|| self.error(at, format!("value \"{text}\" is not an ISO 8601 date")))
    }

    /// A [`XlsxError::Malformed`] naming the sheet and cell.
    pub(crate) fn error(&self, at: (u32, u32), message: String) -> XlsxError {
        let cell = cell_name(at.0, at.1);
        XlsxError::malformed(self.part, format!("sheet {}, cell {cell}: {message}", self.sheet))
    }
}

/// The error value of a `t="e"` cell.
fn error_value(code: &str) -> ExcelError {
    // FIXME: error codes the runtime has no variant for (`#GETTING_DATA`,
    // `#FIELD!`, `#BLOCKED!`, `#BUSY!`, `#CONNECT!`, `#UNKNOWN!`,
    // `#PYTHON!`) are read as `#VALUE!`, so a cached value of that kind is
    // compared against the wrong error.
    ExcelError::parse(code.trim()).unwrap_or(ExcelError::Value)
}
