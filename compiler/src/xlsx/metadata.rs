//! Cell and value metadata (`xl/metadata.xml`), read to tell which `cm`
//! indices mark a dynamic array formula and which `vm` indices give a cached
//! error its real kind.
//!
//! A cell's `cm="n"` selects the n-th (1-based) `<bk>` of `cellMetadata`;
//! its `<rc t="i" v="j"/>` names metadata type `i` (1-based, in
//! `metadataTypes`) and record `j` (0-based) of the `futureMetadata` of that
//! type's name. Type `XLDAPR` records carry `dynamicArrayProperties fDynamic`.
//!
//! A cell's `vm="n"` selects a `<bk>` of `valueMetadata` the same way; type
//! `XLRICHVALUE` records name a rich value (`<xlrd:rvb i="k"/>`) of
//! `xl/richData/rdrichvalue.xml`. Excel stores errors it added after the
//! file format was fixed, `#SPILL!` and `#CALC!` among them, as `#VALUE!`
//! with such a rich value of structure `_error` whose `errorType` is the real
//! kind.

use runtime::value::ExcelError;

use super::xml::{self, Xml};
use super::XlsxError;

/// The metadata type name of dynamic array properties.
const DYNAMIC_ARRAY_TYPE: &str = "XLDAPR";
/// The metadata type name of rich values.
const RICH_VALUE_TYPE: &str = "XLRICHVALUE";

/// Which cell metadata blocks mark dynamic arrays: `cm = n` is a dynamic
/// array when `is_dynamic(n)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CellMetadata {
    dynamic: Vec<bool>,
    /// The rich value each value metadata block names, if any.
    rich_values: Vec<Option<usize>>,
    /// The error kind of each rich value that is an error.
    rich_errors: Vec<Option<ExcelError>>,
}

impl CellMetadata {
    /// Whether the 1-based cell metadata index `cm` marks a dynamic array.
    pub(crate) fn is_dynamic(&self, cm: usize) -> bool {
        cm.checked_sub(1).and_then(|i| self.dynamic.get(i)).copied().unwrap_or(false)
    }

    /// The error kind the 1-based value metadata index `vm` gives a cached
    /// error, when it names an error rich value.
    pub(crate) fn value_error(&self, vm: usize) -> Option<ExcelError> {
        let rich = (*vm.checked_sub(1).and_then(|i| self.rich_values.get(i))?)?;
        *self.rich_errors.get(rich)?
    }

    /// The same metadata with the rich values of `rdrichvalue.xml` known.
    pub(crate) fn with_rich_errors(mut self, errors: Vec<Option<ExcelError>>) -> CellMetadata {
        self.rich_errors = errors;
        self
    }
}

/// What the part lists, before the indices are joined.
#[derive(Default)]
struct Lists {
    type_names: Vec<String>,
    /// `fDynamic` of each `XLDAPR` future metadata record.
    dynamic_records: Vec<bool>,
    /// The `(t, v)` pairs of each cell metadata block.
    blocks: Vec<Vec<(usize, usize)>>,
    /// The rich value of each `XLRICHVALUE` future metadata record.
    rich_records: Vec<Option<usize>>,
    /// The `(t, v)` pairs of each value metadata block.
    value_blocks: Vec<Vec<(usize, usize)>>,
}

/// Reads the metadata part.
pub(crate) fn read_metadata(part: &str, bytes: &[u8]) -> Result<CellMetadata, XlsxError> {
    let mut xml = Xml::new(part, bytes);
    let mut lists = Lists::default();
    // Which list a `<bk>` belongs to depends on the enclosing element.
    let mut section: Option<Vec<u8>> = None;
    while let Some(start) = xml.next_start()? {
        match xml::local(&start).as_slice() {
            b"metadataType" => {
                lists.type_names.push(xml::attr(&xml, &start, "name")?.unwrap_or_default());
            }
            b"futureMetadata" => {
                let name = xml::attr(&xml, &start, "name")?.unwrap_or_default();
                section = Some(match name.as_str() {
                    DYNAMIC_ARRAY_TYPE => b"xldapr".to_vec(),
                    RICH_VALUE_TYPE => b"xlrv".to_vec(),
                    _ => Vec::new(),
                });
            }
            b"cellMetadata" => section = Some(b"cell".to_vec()),
            b"valueMetadata" => section = Some(b"value".to_vec()),
            b"bk" => match section.as_deref() {
                Some(b"xldapr") => lists.dynamic_records.push(false),
                Some(b"xlrv") => lists.rich_records.push(None),
                Some(b"cell") => lists.blocks.push(Vec::new()),
                Some(b"value") => lists.value_blocks.push(Vec::new()),
                _ => {}
            },
            b"rvb" if section.as_deref() == Some(b"xlrv") => {
                let index = xml::num_attr(&xml, &start, "i", 0usize)?;
                if let Some(last) = lists.rich_records.last_mut() {
                    *last = Some(index);
                }
            }
            b"dynamicArrayProperties" if section.as_deref() == Some(b"xldapr") => {
                let dynamic = xml::bool_attr(&xml, &start, "fDynamic", false)?;
                if let Some(last) = lists.dynamic_records.last_mut() {
                    *last = dynamic;
                }
            }
            b"rc" if matches!(section.as_deref(), Some(b"cell" | b"value")) => {
                let t = xml::num_attr(&xml, &start, "t", 0usize)?;
                let v = xml::num_attr(&xml, &start, "v", 0usize)?;
                let blocks = match section.as_deref() {
                    Some(b"cell") => &mut lists.blocks,
                    _ => &mut lists.value_blocks,
                };
                if let Some(block) = blocks.last_mut() {
                    block.push((t, v));
                }
            }
            _ => {}
        }
    }
    Ok(join(&lists))
}

/// Resolves each cell metadata block through the type and record lists.
fn join(lists: &Lists) -> CellMetadata {
    let is_dynamic_record = |&(t, v): &(usize, usize)| {
        let type_name = t.checked_sub(1).and_then(|i| lists.type_names.get(i));
        type_name.is_some_and(|n| n == DYNAMIC_ARRAY_TYPE)
            && lists.dynamic_records.get(v).copied().unwrap_or(false)
    };
    let dynamic = lists.blocks.iter().map(|block| block.iter().any(is_dynamic_record)).collect();
    let rich_record = |&(t, v): &(usize, usize)| {
        let type_name = t.checked_sub(1).and_then(|i| lists.type_names.get(i))?;
        if type_name != RICH_VALUE_TYPE {
            return None;
        }
        *lists.rich_records.get(v)?
    };
    let rich_values =
        lists.value_blocks.iter().map(|block| block.iter().find_map(rich_record)).collect();
    CellMetadata { dynamic, rich_values, rich_errors: Vec::new() }
}

/// The error kind of each rich value in `rdrichvalue.xml` (`values`), given
/// the structures of `rdrichvaluestructure.xml` (`structures`): `None` for
/// a rich value that is not an error, or an error kind the runtime lacks.
pub(crate) fn read_rich_errors(
    values: (&str, &[u8]),
    structures: (&str, &[u8]),
) -> Result<Vec<Option<ExcelError>>, XlsxError> {
    // The position of `errorType` among each structure's keys, for `_error`
    // structures only.
    let mut error_key: Vec<Option<usize>> = Vec::new();
    let mut keys = 0;
    let mut xml = Xml::new(structures.0, structures.1);
    while let Some(start) = xml.next_start()? {
        match xml::local(&start).as_slice() {
            b"s" => {
                let kind = xml::attr(&xml, &start, "t")?.unwrap_or_default();
                error_key.push(None);
                keys = if kind == "_error" { 0 } else { usize::MAX };
            }
            b"k" if keys != usize::MAX => {
                if xml::attr(&xml, &start, "n")?.as_deref() == Some("errorType") {
                    if let Some(last) = error_key.last_mut() {
                        *last = Some(keys);
                    }
                }
                keys += 1;
            }
            _ => {}
        }
    }
    let mut errors = Vec::new();
    let mut key: Option<usize> = None;
    let mut position = 0;
    let mut xml = Xml::new(values.0, values.1);
    while let Some(start) = xml.next_start()? {
        match xml::local(&start).as_slice() {
            b"rv" => {
                let structure = xml::num_attr(&xml, &start, "s", usize::MAX)?;
                key = error_key.get(structure).copied().flatten();
                position = 0;
                errors.push(None);
            }
            b"v" => {
                let text = xml.text()?;
                if key == Some(position) {
                    if let Some(last) = errors.last_mut() {
                        *last = text.trim().parse().ok().and_then(rich_error_kind);
                    }
                }
                position += 1;
            }
            _ => {}
        }
    }
    Ok(errors)
}

/// The error kind of a rich value's `errorType` code.
fn rich_error_kind(code: u32) -> Option<ExcelError> {
    // FIXME: codes of errors the runtime has no kind for (7 `#GETTING_DATA`,
    // 9 `#CONNECT!`, 10 `#BLOCKED!`, 11 `#UNKNOWN!`, 12 `#FIELD!`) keep the
    // `#VALUE!` the cell stores.
    Some(match code {
        0 => ExcelError::Null,
        1 => ExcelError::Div0,
        2 => ExcelError::Value,
        3 => ExcelError::Ref,
        4 => ExcelError::Name,
        5 => ExcelError::Num,
        6 => ExcelError::NA,
        8 => ExcelError::Spill,
        13 => ExcelError::Calc,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The parts as Excel wrote them for ERROR.TYPE.xlsx of the corpus, where
    // A8 holds `#CALC!` (ERROR.TYPE 14) and A14 `#SPILL!` (ERROR.TYPE 9),
    // both stored as `#VALUE!` with `vm="1"` and `vm="2"`.
    const METADATA: &str = r#"<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xlrd="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"><metadataTypes count="1"><metadataType name="XLRICHVALUE" minSupportedVersion="120000"/></metadataTypes><futureMetadata name="XLRICHVALUE" count="2"><bk><extLst><ext uri="{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}"><xlrd:rvb i="0"/></ext></extLst></bk><bk><extLst><ext uri="{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}"><xlrd:rvb i="1"/></ext></extLst></bk></futureMetadata><valueMetadata count="2"><bk><rc t="1" v="0"/></bk><bk><rc t="1" v="1"/></bk></valueMetadata></metadata>"#;
    const VALUES: &str = r#"<rvData xmlns="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata" count="2"><rv s="0"><v>13</v><v>0</v></rv><rv s="0"><v>8</v><v>0</v></rv></rvData>"#;
    const STRUCTURES: &str = r#"<rvStructures xmlns="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata" count="1"><s t="_error"><k n="errorType" t="i"/><k n="subType" t="i"/></s></rvStructures>"#;

    #[test]
    fn rich_values_give_cached_errors_their_kind() {
        let errors = read_rich_errors(("v", VALUES.as_bytes()), ("s", STRUCTURES.as_bytes()))
            .expect("rich values");
        let metadata = read_metadata("m", METADATA.as_bytes()).expect("metadata");
        let metadata = metadata.with_rich_errors(errors);
        assert_eq!(metadata.value_error(1), Some(ExcelError::Calc));
        assert_eq!(metadata.value_error(2), Some(ExcelError::Spill));
        assert_eq!(metadata.value_error(3), None);
        assert_eq!(metadata.value_error(0), None);
        assert!(!metadata.is_dynamic(1));
    }

    /// A rich value whose structure is not an error gives no kind.
    #[test]
    fn other_rich_values_are_not_errors() {
        let structures =
            r#"<rvStructures><s t="_linkedEntity"><k n="errorType"/></s></rvStructures>"#;
        let values = r#"<rvData><rv s="0"><v>13</v></rv></rvData>"#;
        let errors = read_rich_errors(("v", values.as_bytes()), ("s", structures.as_bytes()))
            .expect("rich values");
        assert_eq!(errors, vec![None]);
    }
}
