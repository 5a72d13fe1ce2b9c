//! Reading `.xlsx` / `.xlsm` files into a [`RawWorkbook`]: sheets, cells
//! with their stored values, formulas as written (shared formulas not
//! expanded), defined names, data validations, tables and calculation
//! settings.
//!
//! The reader follows the package's relationships rather than assuming part
//! names, so files from Excel, LibreOffice and openpyxl read alike, and it
//! bounds its work by the constants of [`limits`].
//!
//! Why not calamine for cell values: calamine 0.38 fails a whole sheet on a
//! cached `#SPILL!` or `#CALC!` (common in dynamic-array workbooks), its
//! ranges are dense so two far-apart cells allocate the rectangle between
//! them, and it reads zip entries without our size bounds. Formulas must be
//! read from the XML anyway (calamine rewrites shared formula text), and
//! values come from the same `<c>` elements, so one pass over each sheet
//! reads both. calamine remains an independent oracle in the tests, which
//! compare its values with ours on real Excel files.

mod archive;
mod cell;
mod dates;
mod error;
pub mod limits;
mod metadata;
mod model;
pub mod refs;
mod rels;
mod sheet;
mod strings;
mod tables;
mod validation;
mod workbook;
mod xml;

pub use error::XlsxError;
pub use model::{
    CalcSettings, CellValue, FormulaKind, RawCell, RawFormula, RawName, RawSheet, RawTable,
    RawValidation, RawWorkbook, ValidationKind,
};
pub use refs::CellRange;

use archive::Package;
use cell::ValueContext;
use metadata::CellMetadata;
use rels::{read_rels, Relationship};
use workbook::{NameEntry, SheetEntry, WorkbookPart};

/// The part name of the workbook when the package does not say.
const DEFAULT_WORKBOOK_PART: &str = "xl/workbook.xml";

/// Reads a workbook from the bytes of an `.xlsx` or `.xlsm` file.
///
/// # Errors
/// [`XlsxError::Xls`], [`XlsxError::Ods`], [`XlsxError::Xlsb`],
/// [`XlsxError::Encrypted`] or [`XlsxError::NotZip`] for other formats;
/// [`XlsxError::TooLarge`] beyond the [`limits`]; [`XlsxError::MissingPart`]
/// and [`XlsxError::Malformed`] for a damaged package.
pub fn read_workbook(bytes: &[u8]) -> Result<RawWorkbook, XlsxError> {
    let _span = tracing::info_span!("xlsx", bytes = bytes.len()).entered();
    let mut package = Package::open(bytes)?;
    let workbook_part = find_workbook_part(&mut package)?;
    let workbook_bytes = package.read(&workbook_part)?;
    let workbook = workbook::read_workbook_part(&workbook_part, &workbook_bytes)?;
    let rels = read_rels(&mut package, &workbook_part)?;

    let strings = match find_rel(&rels, "sharedStrings") {
        Some(rel) => strings::read_shared_strings(&rel.target, &package.read(&rel.target)?)?,
        None => Vec::new(),
    };
    let metadata = match find_rel(&rels, "sheetMetadata") {
        Some(rel) => metadata::read_metadata(&rel.target, &package.read(&rel.target)?)?,
        None => CellMetadata::default(),
    };
    let metadata = with_rich_errors(&mut package, metadata)?;

    let date_1904 = workbook.date_1904;
    let mut reader = BookReader { package, strings, metadata, date_1904, n_cells: 0 };
    let (sheets, sheet_index, tables) = reader.read_sheets(&workbook_part, &workbook, &rels)?;
    let names = scoped_names(&workbook_part, &workbook.names, &sheet_index)?;
    let n_cells: usize = sheets.iter().map(|s| s.cells.len()).sum();
    tracing::debug!(sheets = sheets.len(), cells = n_cells, names = names.len(), "workbook read");
    let macros = find_rel(&rels, "vbaProject").is_some();
    let (date_1904, calc) = (workbook.date_1904, workbook.calc);
    Ok(RawWorkbook { sheets, names, date_1904, calc, tables, macros })
}

/// Rich value parts, where Excel keeps the real kind of errors it stores
/// as `#VALUE!` (see [`metadata`]).
const RICH_VALUES: &str = "xl/richData/rdrichvalue.xml";
const RICH_STRUCTURES: &str = "xl/richData/rdrichvaluestructure.xml";

/// `metadata` with the error kinds of the package's rich values, when it
/// has them.
fn with_rich_errors(
    package: &mut Package,
    metadata: CellMetadata,
) -> Result<CellMetadata, XlsxError> {
    if !package.contains(RICH_VALUES) || !package.contains(RICH_STRUCTURES) {
        return Ok(metadata);
    }
    let values = package.read(RICH_VALUES)?;
    let structures = package.read(RICH_STRUCTURES)?;
    let errors =
        metadata::read_rich_errors((RICH_VALUES, &values), (RICH_STRUCTURES, &structures))?;
    Ok(metadata.with_rich_errors(errors))
}

/// The workbook part named by the package's `officeDocument` relationship,
/// or `xl/workbook.xml` for a package without one.
fn find_workbook_part(package: &mut Package<'_>) -> Result<String, XlsxError> {
    let rels = read_rels(package, "")?;
    let part = match find_rel(&rels, "officeDocument") {
        Some(rel) => rel.target.clone(),
        None if package.contains(DEFAULT_WORKBOOK_PART) => DEFAULT_WORKBOOK_PART.to_owned(),
        None => return Err(XlsxError::MissingPart { part: "_rels/.rels".to_owned() }),
    };
    if part.to_ascii_lowercase().ends_with(".bin") {
        return Err(XlsxError::Xlsb);
    }
    Ok(part)
}

/// The first relationship of a type (by the last segment of its URI).
fn find_rel<'r>(rels: &'r [Relationship], kind: &str) -> Option<&'r Relationship> {
    rels.iter().find(|rel| rel.is(kind))
}

/// What every sheet of the workbook shares while being read.
struct BookReader<'a> {
    package: Package<'a>,
    strings: Vec<String>,
    metadata: CellMetadata,
    date_1904: bool,
    /// Cells read so far, bounded by [`limits::MAX_CELLS`].
    n_cells: usize,
}

/// Worksheets, the worksheet index of each `<sheet>` entry (`None` for a
/// chartsheet or other non-worksheet), and the tables.
type SheetsRead = (Vec<RawSheet>, Vec<Option<usize>>, Vec<RawTable>);

impl BookReader<'_> {
    /// Reads every worksheet in workbook order, with its tables.
    fn read_sheets(
        &mut self,
        workbook_part: &str,
        workbook: &WorkbookPart,
        rels: &[Relationship],
    ) -> Result<SheetsRead, XlsxError> {
        let (mut sheets, mut index, mut tables) = (Vec::new(), Vec::new(), Vec::new());
        for entry in &workbook.sheets {
            let rel = rels.iter().find(|r| r.id == entry.rel_id).ok_or_else(|| {
                let message = format!("sheet {} has no relationship {}", entry.name, entry.rel_id);
                XlsxError::malformed(workbook_part, message)
            })?;
            if !rel.is("worksheet") {
                index.push(None);
                continue;
            }
            index.push(Some(sheets.len()));
            let (sheet, table_ids) = self.read_sheet(entry, &rel.target)?;
            tables.extend(self.read_tables(&rel.target, &table_ids, sheets.len())?);
            sheets.push(sheet);
        }
        Ok((sheets, index, tables))
    }

    /// Reads one worksheet part; returns it with its table relationship ids.
    fn read_sheet(
        &mut self,
        entry: &SheetEntry,
        part: &str,
    ) -> Result<(RawSheet, Vec<String>), XlsxError> {
        let bytes = self.package.read(part)?;
        let mut xml = xml::Xml::new(part, &bytes);
        let values = ValueContext {
            strings: &self.strings,
            date_1904: self.date_1904,
            part,
            sheet: &entry.name,
        };
        let budget = limits::MAX_CELLS.saturating_sub(self.n_cells);
        let read = sheet::read_sheet(&mut xml, values, &self.metadata, budget)?;
        self.n_cells += read.cells.len();
        let raw = RawSheet {
            name: entry.name.clone(),
            cells: read.cells,
            validations: read.validations,
            dimension: read.dimension,
            hidden_rows: read.hidden_rows,
            filter: read.filter,
        };
        Ok((raw, read.table_rel_ids))
    }

    /// Reads the tables a sheet part lists.
    fn read_tables(
        &mut self,
        sheet_part: &str,
        rel_ids: &[String],
        sheet: usize,
    ) -> Result<Vec<RawTable>, XlsxError> {
        if rel_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rels = read_rels(&mut self.package, sheet_part)?;
        let mut out = Vec::new();
        for id in rel_ids {
            let rel = rels.iter().find(|r| &r.id == id).ok_or_else(|| {
                XlsxError::malformed(sheet_part, format!("table part {id} has no relationship"))
            })?;
            let bytes = self.package.read(&rel.target)?;
            out.push(tables::read_table(&rel.target, &bytes, sheet)?);
        }
        Ok(out)
    }
}

/// Defined names with `localSheetId` (an index over all `<sheet>` entries)
/// turned into an index over worksheets. A name local to a chartsheet is
/// dropped: no worksheet formula can refer to it.
fn scoped_names(
    workbook_part: &str,
    names: &[NameEntry],
    sheet_index: &[Option<usize>],
) -> Result<Vec<RawName>, XlsxError> {
    let mut out = Vec::new();
    for entry in names {
        let scope = match entry.local_sheet {
            None => None,
            Some(id) => match sheet_index.get(id) {
                Some(Some(worksheet)) => Some(*worksheet),
                Some(None) => continue,
                None => {
                    let message = format!(
                        "defined name {} has localSheetId {id}, but there are only {} sheets",
                        entry.name,
                        sheet_index.len()
                    );
                    return Err(XlsxError::malformed(workbook_part, message));
                }
            },
        };
        out.push(RawName {
            name: entry.name.clone(),
            scope,
            formula: entry.formula.clone(),
            hidden: entry.hidden,
            builtin: entry.name.starts_with("_xlnm."),
        });
    }
    Ok(out)
}
