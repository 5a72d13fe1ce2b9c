//! Logical functions: IF, IFS, IFERROR, IFNA, AND, OR, NOT, XOR, SWITCH, TRUE, FALSE.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogicalFn {}

impl LogicalFn {
    /// Every function of this category.
    pub const ALL: &'static [LogicalFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: LogicalFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
