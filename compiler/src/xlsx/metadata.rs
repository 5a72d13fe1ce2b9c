//! Cell metadata (`xl/metadata.xml`), read only to tell which `cm` indices
//! mark a dynamic array formula.
//!
//! A cell's `cm="n"` selects the n-th (1-based) `<bk>` of `cellMetadata`;
//! its `<rc t="i" v="j"/>` names metadata type `i` (1-based, in
//! `metadataTypes`) and record `j` (0-based) of the `futureMetadata` of that
//! type's name. Type `XLDAPR` records carry `dynamicArrayProperties fDynamic`.

use super::xml::{self, Xml};
use super::XlsxError;

/// The metadata type name of dynamic array properties.
const DYNAMIC_ARRAY_TYPE: &str = "XLDAPR";

/// Which cell metadata blocks mark dynamic arrays: `cm = n` is a dynamic
/// array when `is_dynamic(n)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CellMetadata {
    dynamic: Vec<bool>,
}

impl CellMetadata {
    /// Whether the 1-based cell metadata index `cm` marks a dynamic array.
    pub(crate) fn is_dynamic(&self, cm: usize) -> bool {
        cm.checked_sub(1).and_then(|i| self.dynamic.get(i)).copied().unwrap_or(false)
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
                section =
                    Some(if name == DYNAMIC_ARRAY_TYPE { b"xldapr".to_vec() } else { Vec::new() });
            }
            b"cellMetadata" => section = Some(b"cell".to_vec()),
            b"valueMetadata" => section = Some(Vec::new()),
            b"bk" => match section.as_deref() {
                Some(b"xldapr") => lists.dynamic_records.push(false),
                Some(b"cell") => lists.blocks.push(Vec::new()),
                _ => {}
            },
            b"dynamicArrayProperties" if section.as_deref() == Some(b"xldapr") => {
                let dynamic = xml::bool_attr(&xml, &start, "fDynamic", false)?;
                if let Some(last) = lists.dynamic_records.last_mut() {
                    *last = dynamic;
                }
            }
            b"rc" if section.as_deref() == Some(b"cell") => {
                let t = xml::num_attr(&xml, &start, "t", 0usize)?;
                let v = xml::num_attr(&xml, &start, "v", 0usize)?;
                if let Some(block) = lists.blocks.last_mut() {
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
    CellMetadata { dynamic }
}
