//! The one interface behind which every evaluator sits.

use std::sync::Arc;

use crate::ir::Program;
use crate::value::Value;

/// One log entry: a value per input column, in the `IN` sheet's column order.
/// Missing trailing values are empty.
pub type Entry = Vec<Value>;

/// The `OUT` values: one row per outcome row, one value per output column.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcomes {
    pub rows: Vec<Vec<Value>>,
}

/// Why an evaluation could not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("the log holds {len} entries but the workbook sees only {capacity}")]
    Overflow { len: usize, capacity: u32 },
    #[error("evaluator failure: {0}")]
    Internal(String),
}

/// Computes a workbook's outcomes for a log.
///
/// An evaluator holds no per-event state: one instance serves every event of
/// a file version, from any thread.
pub trait Evaluator: Send + Sync {
    /// The program this evaluator computes.
    fn program(&self) -> &Arc<Program>;

    /// Evaluates the workbook with `log` written into `IN` and returns `OUT`.
    ///
    /// # Errors
    ///
    /// [`EvalError::Overflow`] when the log exceeds the capacity; `Internal`
    /// for a failure of the evaluator itself.
    fn evaluate(&self, log: &[Entry]) -> Result<Outcomes, EvalError>;
}
