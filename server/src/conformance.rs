//! `sengine conformance`: the engine's values against the values Excel
//! cached, over one or more workbooks, printed file by file with totals.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use compiler::conformance::{CellReport, FileReport, Outcome};
use compiler::xlsx::{CellValue, RawSheet, RawWorkbook};
use compiler::WholeOptions;
use runtime::ir::DateOrder;

/// The locale a workbook was calculated in, among those the check can
/// follow. Of a locale the engine models only the order of the day and the
/// month in date text; month names, separators and the rest stay en-US.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Locale {
    /// English (United States): month first, the product's own locale.
    #[default]
    #[value(name = "en-US")]
    EnUs,
    /// English (United Kingdom): day first.
    #[value(name = "en-GB")]
    EnGb,
}

impl Locale {
    /// The locale of a tag such as `en-GB` (case-insensitive); `None` for a
    /// locale the check cannot follow.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        <Locale as clap::ValueEnum>::from_str(tag.trim(), true).ok()
    }

    /// How the engine evaluates a workbook calculated in this locale.
    pub fn options(self) -> WholeOptions {
        let date_order = match self {
            Locale::EnUs => DateOrder::MonthFirst,
            Locale::EnGb => DateOrder::DayFirst,
        };
        WholeOptions { date_order }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Locale::EnUs => "en-US",
            Locale::EnGb => "en-GB",
        })
    }
}

/// One workbook's result: its report, or why it could not be read.
#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub report: Result<FileReport, String>,
}

impl FileResult {
    /// Whether every counted cell of the file passed (an unreadable file
    /// does not).
    pub fn fully_passing(&self) -> bool {
        self.report.as_ref().is_ok_and(|r| r.failed() == 0)
    }
}

/// The totals over every workbook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    /// Cells left out: no cached value, or volatile.
    pub skipped: usize,
    pub files: usize,
    pub files_passing: usize,
    /// Files passing with no cell counted: nothing cached to check against.
    pub files_unchecked: usize,
}

impl Totals {
    /// Adds up `results`.
    pub fn of(results: &[FileResult]) -> Totals {
        let mut totals = Totals { files: results.len(), ..Totals::default() };
        for result in results {
            if let Ok(report) = &result.report {
                totals.passed += report.passed();
                totals.failed += report.failed();
                totals.skipped += report.skipped();
                totals.files_unchecked += usize::from(report.passed() + report.failed() == 0);
            }
            totals.files_passing += usize::from(result.fully_passing());
        }
        totals
    }
}

/// The workbooks named by `paths`: files as given, directories searched
/// recursively for `.xlsx` and `.xlsm`, in name order.
///
/// # Errors
///
/// A path that does not exist or a directory that cannot be read.
pub fn workbooks(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut out)?;
        } else if path.exists() {
            out.push(path.clone());
        } else {
            let message = format!("{} does not exist", path.display());
            return Err(io::Error::new(io::ErrorKind::NotFound, message));
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<io::Result<_>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
            out.push(entry);
        }
    }
    Ok(())
}

/// Reads and checks one workbook as calculated in `locale`, or, when that
/// is `None`, in the locale the workbook declares ([`declared_locale`]); a
/// file that cannot be read, or declares a locale the check cannot follow,
/// is not checked, for that reason.
pub fn check_file(path: &Path, locale: Option<Locale>) -> FileResult {
    let report = std::fs::read(path)
        .map_err(|e| format!("cannot be read: {e}"))
        .and_then(|bytes| compiler::xlsx::read_workbook(&bytes).map_err(|e| e.to_string()))
        .and_then(|raw| {
            let locale = match locale {
                Some(locale) => locale,
                None => declared_locale(&raw)?,
            };
            Ok(compiler::check_workbook(raw, locale.options()))
        });
    FileResult { path: path.to_path_buf(), report }
}

/// The locale a workbook says it was calculated in: en-US unless a sheet
/// holds "Locale" in A1 and the locale's tag in B1 (`en-GB`). Excel writes
/// no locale into a file; test workbooks that depend on one (IronCalc's
/// among them) carry such a sheet. A tag the check cannot follow leaves the
/// file unchecked, with the reason.
///
/// # Errors
///
/// A declared locale the check cannot follow.
pub fn declared_locale(raw: &RawWorkbook) -> Result<Locale, String> {
    let named = raw.sheets.iter().find(|s| first_row_text(s, 0) == Some("Locale"));
    let Some(sheet) = named else {
        return Ok(Locale::EnUs);
    };
    let tag = first_row_text(sheet, 1).unwrap_or_default();
    Locale::from_tag(tag)
        .ok_or_else(|| format!("calculated in the locale {tag:?}, which the check cannot follow"))
}

/// The text of a sheet's cell in row 1, trimmed; `None` for any other value.
fn first_row_text(sheet: &RawSheet, col: u32) -> Option<&str> {
    match &sheet.cells.get(&(0, col))?.value {
        CellValue::Text(text) => Some(text.trim()),
        _ => None,
    }
}

/// Checks every workbook as calculated in `locale` (by default, the locale
/// each declares, see [`check_file`]), printing each file's
/// line (and with `verbose` every failing and left-out cell) as it goes,
/// then the two closing lines.
///
/// # Errors
///
/// Only a failure to write to `out`.
pub fn run(
    paths: &[PathBuf],
    locale: Option<Locale>,
    verbose: bool,
    out: &mut impl Write,
) -> io::Result<Vec<FileResult>> {
    let mut results = Vec::with_capacity(paths.len());
    for path in paths {
        let result = check_file(path, locale);
        print_file(&result, verbose, out)?;
        results.push(result);
    }
    let totals = Totals::of(&results);
    writeln!(out, "conformance: {} passed, {} failed", totals.passed, totals.failed)?;
    write!(out, "files: {} of {} fully passing", totals.files_passing, totals.files)?;
    match totals.files_unchecked {
        0 => writeln!(out)?,
        n => writeln!(out, " ({n} with no cached value to check)")?,
    }
    Ok(results)
}

/// Prints one file's line, the reasons cells cannot be evaluated, and with
/// `verbose` each mismatch and each cell left out.
pub fn print_file(result: &FileResult, verbose: bool, out: &mut impl Write) -> io::Result<()> {
    let path = result.path.display();
    let report = match &result.report {
        Ok(report) => report,
        Err(reason) => return writeln!(out, "{path}: not checked: {reason}"),
    };
    writeln!(
        out,
        "{path}: {} passed, {} failed, {} left out",
        report.passed(),
        report.failed(),
        report.skipped()
    )?;
    if verbose {
        for cell in report.cells.iter().filter(|c| matches!(c.outcome, Outcome::Mismatch { .. })) {
            writeln!(out, "  mismatch {}", line(cell))?;
        }
    }
    for (reason, cells) in report.unsupported_by_reason() {
        writeln!(out, "  cannot evaluate ({} cells): {reason}", cells.len())?;
        if verbose {
            for cell in cells {
                writeln!(out, "    {}!{} ={}", cell.sheet, cell.cell, cell.formula)?;
            }
        }
    }
    if verbose {
        let left_out = report
            .cells
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::NoCachedValue | Outcome::Volatile));
        for cell in left_out {
            writeln!(out, "  left out {}", line(cell))?;
        }
    }
    Ok(())
}

/// `Sheet!A1 =formula: expected 1.0, got 2.0`.
fn line(cell: &CellReport) -> String {
    format!("{}!{} ={}: {}", cell.sheet, cell.cell, cell.formula, cell.outcome)
}
