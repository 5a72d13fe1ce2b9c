//! The compile-time half of Settlement Engine: reads a prepared workbook,
//! parses its formulas, builds the dependency graph and lowers it to the
//! [`runtime::ir::Program`] that both evaluators run.
//!
//! `compiler` does no I/O beyond reading the file it is given and never serves
//! HTTP. Its phases, in order:
//!
//! 1. [`xlsx`]: the file's sheets, cells, formulas and names.
//! 2. [`formula`]: the syntax tree of each formula; `workbook` expands
//!    shared formulas by shifting the master's tree.
//! 3. `lower`: syntax trees become IR expressions, names and sheets resolved.
//! 4. `deps` and `graph`: what each formula reads, cycles, order, the cone
//!    `OUT` needs.
//! 5. `layout`: the `IN` and `OUT` sheets' shape and the log's capacity.
//! 6. `compile`: diagnostics, constant folding and the final program.
//! 7. [`codegen`]: the program as a Rust crate, built into a compiled evaluator.

pub mod codegen;
mod compile;
pub mod conformance;
mod deps;
pub mod formula;
mod graph;
mod layout;
mod lower;
mod whole;
mod workbook;
pub mod xlsx;

pub use compile::compile_workbook;
pub use conformance::{check_workbook, FileReport};
pub use whole::{evaluate_all_cells, whole_program, EvaluatedCell, WholeOptions, WholeWorkbook};

use std::sync::Arc;

use runtime::ir::Program;

/// How sure a diagnostic is that the workbook cannot be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The workbook is refused.
    Error,
    /// Reported, but the workbook is served (a problem in a cell `OUT` does
    /// not depend on).
    Warning,
}

/// One problem found in a workbook, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Sheet name as written in the workbook.
    pub sheet: Option<String>,
    /// A1 address of the cell (`B7`).
    pub cell: Option<String>,
    /// The formula text, when the problem is in one.
    pub formula: Option<String>,
    /// What is wrong, as a sentence a trader can act on.
    pub message: String,
}

/// Settings of a compilation.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// The capacity of a workbook that reaches `IN` only through whole-column
    /// references.
    pub default_capacity: u32,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions { default_capacity: 10_000 }
    }
}

/// A workbook compiled to IR, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub program: Arc<Program>,
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error at a sheet and cell (either may be unknown).
    pub fn error(
        sheet: Option<&str>,
        cell: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Error, sheet, cell, message)
    }

    /// A warning at a sheet and cell (either may be unknown).
    pub fn warning(
        sheet: Option<&str>,
        cell: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Warning, sheet, cell, message)
    }

    fn new(
        severity: Severity,
        sheet: Option<&str>,
        cell: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let sheet = sheet.map(str::to_string);
        Diagnostic { severity, sheet, cell, formula: None, message: message.into() }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}")?;
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => write!(f, " at {sheet}!{cell}")?,
            (Some(sheet), None) => write!(f, " in sheet {sheet}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)?;
        if let Some(formula) = &self.formula {
            write!(f, " (formula ={formula})")?;
        }
        Ok(())
    }
}

/// Reads and compiles a workbook file held in memory.
///
/// # Errors
///
/// Every error and warning found, when at least one is an error; a file
/// that is not a readable `.xlsx` gives one error saying why. A compiled
/// workbook's warnings include the self-test: every formula whose cached
/// value the engine does not reproduce.
pub fn compile(bytes: &[u8], opts: &CompileOptions) -> Result<Compiled, Vec<Diagnostic>> {
    let raw = xlsx::read_workbook(bytes)
        .map_err(|e| vec![Diagnostic::error(None, None, e.to_string())])?;
    // The self-test of docs/workbooks.md reads the same workbook again,
    // its sample rows included, after the program is known to compile.
    let sample = raw.clone();
    let mut compiled = compile::compile_workbook(raw, opts)?;
    compiled.warnings.extend(conformance::self_test(sample));
    Ok(compiled)
}
