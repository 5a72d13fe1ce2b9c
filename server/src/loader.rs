//! Turning workbook bytes into something that can evaluate: the
//! [`WorkbookLoader`] seam between the service and the compile pipeline.

use std::sync::Arc;

use compiler::{CompileOptions, Diagnostic};
use runtime::evaluator::Evaluator;
use runtime::interp::Interpreter;
use runtime::ir::Program;

/// A workbook ready to serve events.
#[derive(Clone)]
pub struct LoadedWorkbook {
    pub program: Arc<Program>,
    pub evaluator: Arc<dyn Evaluator>,
    /// Problems that did not stop the workbook (reported with uploads).
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Debug for LoadedWorkbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedWorkbook").field("warnings", &self.warnings).finish_non_exhaustive()
    }
}

/// Compiles a workbook. The service holds one; tests give it a fake that
/// builds programs by hand.
pub trait WorkbookLoader: Send + Sync {
    /// Loads the workbook `name` (the uploaded file name) from its bytes.
    ///
    /// # Errors
    ///
    /// Every error and warning found, when the workbook is refused.
    fn load(&self, name: &str, bytes: &[u8]) -> Result<LoadedWorkbook, Vec<Diagnostic>>;
}

/// The real pipeline: `compiler` to IR, then the IR interpreter.
#[derive(Clone, Debug, Default)]
pub struct CompilerLoader {
    pub options: CompileOptions,
}

impl WorkbookLoader for CompilerLoader {
    fn load(&self, name: &str, bytes: &[u8]) -> Result<LoadedWorkbook, Vec<Diagnostic>> {
        let compiled = compiler::compile(bytes, &self.options)?;
        tracing::info!(
            workbook = name,
            formulas = compiled.program.formulas.len(),
            warnings = compiled.warnings.len(),
            "workbook compiled"
        );
        let evaluator = Arc::new(Interpreter::new(compiled.program.clone()));
        Ok(LoadedWorkbook { program: compiled.program, evaluator, warnings: compiled.warnings })
    }
}
