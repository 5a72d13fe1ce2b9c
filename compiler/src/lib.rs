//! The compile-time half of Settlement Engine: reads a prepared workbook,
//! parses its formulas, builds the dependency graph and lowers it to the
//! [`runtime::ir::Program`] that both evaluators run.
//!
//! `compiler` does no I/O beyond reading the file it is given and never serves
//! HTTP. Its phases, in order:
//!
//! 1. [`xlsx`]: the file's sheets, cells, formulas and names.
//! 2. [`formula`]: the syntax tree of each formula.

pub mod formula;
pub mod xlsx;

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
