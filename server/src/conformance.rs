//! `sengine conformance`: the engine's values against the values Excel
//! cached, over one or more workbooks, printed file by file with totals.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use compiler::conformance::{CellReport, FileReport, Outcome};

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

/// Reads and checks one workbook.
pub fn check_file(path: &Path) -> FileResult {
    let report = std::fs::read(path)
        .map_err(|e| format!("cannot be read: {e}"))
        .and_then(|bytes| compiler::xlsx::read_workbook(&bytes).map_err(|e| e.to_string()))
        .map(compiler::check_workbook);
    FileResult { path: path.to_path_buf(), report }
}

/// Checks every workbook, printing each file's line (and with `verbose`
/// every failing and left-out cell) as it goes, then the two closing lines.
///
/// # Errors
///
/// Only a failure to write to `out`.
pub fn run(paths: &[PathBuf], verbose: bool, out: &mut impl Write) -> io::Result<Vec<FileResult>> {
    let mut results = Vec::with_capacity(paths.len());
    for path in paths {
        let result = check_file(path);
        print_file(&result, verbose, out)?;
        results.push(result);
    }
    let totals = Totals::of(&results);
    writeln!(out, "conformance: {} passed, {} failed", totals.passed, totals.failed)?;
    writeln!(out, "files: {} of {} fully passing", totals.files_passing, totals.files)?;
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
