//! Package relationships (`_rels/*.rels`): how parts find each other, and
//! how relative or absolute targets resolve to zip entry names.

use super::archive::Package;
use super::xml::{self, Node, Xml};
use super::XlsxError;

/// One `<Relationship>` of a part, with its target resolved to a part name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relationship {
    pub(crate) id: String,
    /// The type URI; compare with [`Relationship::is`].
    pub(crate) kind: String,
    /// The part name the target resolves to (no leading `/`).
    pub(crate) target: String,
}

impl Relationship {
    /// Whether the type URI ends with `/suffix` (transitional and strict
    /// OOXML use different namespace prefixes for the same types).
    pub(crate) fn is(&self, suffix: &str) -> bool {
        self.kind.rsplit('/').next() == Some(suffix)
    }
}

/// The relationships part of `part`: `xl/workbook.xml` has
/// `xl/_rels/workbook.xml.rels`; the package itself (`""`) has `_rels/.rels`.
pub(crate) fn rels_part_of(part: &str) -> String {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    }
}

/// Reads the relationships of `part` (empty when it has none). External
/// targets (hyperlinks, linked workbooks) are left out: they are not parts.
pub(crate) fn read_rels(
    package: &mut Package<'_>,
    part: &str,
) -> Result<Vec<Relationship>, XlsxError> {
    let rels_part = rels_part_of(part);
    let Some(bytes) = package.read_optional(&rels_part)? else {
        return Ok(Vec::new());
    };
    let mut xml = Xml::new(&rels_part, &bytes);
    let mut out = Vec::new();
    loop {
        match xml.next()? {
            Node::Start(start) if xml::is(&start, "Relationship") => {
                let external =
                    xml::attr(&xml, &start, "TargetMode")?.as_deref() == Some("External");
                let id = xml::attr(&xml, &start, "Id")?.unwrap_or_default();
                let kind = xml::attr(&xml, &start, "Type")?.unwrap_or_default();
                let target = xml::attr(&xml, &start, "Target")?.unwrap_or_default();
                if !external {
                    out.push(Relationship { id, kind, target: resolve(part, &target) });
                }
            }
            Node::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Resolves a relationship target against the part that holds it: absolute
/// targets (`/xl/worksheets/sheet1.xml`) start from the package root,
/// relative ones (`worksheets/sheet1.xml`, `../tables/table1.xml`) from the
/// source part's folder.
pub(crate) fn resolve(source: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        if let Some((dir, _)) = source.rsplit_once('/') {
            segments.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_like_uris() {
        assert_eq!(resolve("xl/workbook.xml", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/workbook.xml", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(resolve("xl/worksheets/sheet1.xml", "../tables/t1.xml"), "xl/tables/t1.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(rels_part_of("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
        assert_eq!(rels_part_of(""), "_rels/.rels");
    }
}
